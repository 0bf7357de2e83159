#!/usr/bin/env bash
# Install or update the kiosk from a release archive, atomically, keeping the previous release
# for roll-back:
#
#   sudo packaging/install-update.sh kiosk-0.1.0-linux-x86_64.tar.gz [/opt/kiosk]
#   sudo packaging/install-update.sh --rollback [/opt/kiosk]
#
# Layout:  /opt/kiosk/releases/<name>/kiosk   (one unpacked one-folder build per release)
#          /opt/kiosk/current -> releases/<name>   (what the service / autostart entry runs)
#          /opt/kiosk/previous -> releases/<older>  (what --rollback goes back to)
# The new folder is unpacked NEXT to the running one, checked (it must start and find its face
# models), and only then does the `current` symlink change, with one rename(2): a kiosk starting
# at that moment runs either the old or the new release, never a half-copied one. The running
# kiosk keeps its (old) files open; restart it to switch (e.g. `systemctl --user restart kiosk`).
set -euo pipefail

# swap_link NAME TARGET: point $PREFIX/NAME at TARGET with one rename(2)
swap_link() { ln -sfn "$2" "$PREFIX/$1.new" && mv -T "$PREFIX/$1.new" "$PREFIX/$1"; }

if [ "${1:-}" = "--rollback" ]; then
    PREFIX=${2:-/opt/kiosk}
    [ -L "$PREFIX/previous" ] || { echo "no earlier release to roll back to" >&2; exit 1; }
    cur=$(readlink "$PREFIX/current"); prev=$(readlink "$PREFIX/previous")
    swap_link current "$prev"
    swap_link previous "$cur"
    echo "current -> $prev"
    exit 0
fi

ARCHIVE=$(realpath "$1")
PREFIX=${2:-/opt/kiosk}
NAME=$(basename "$ARCHIVE" .tar.gz)
mkdir -p "$PREFIX/releases"
STAGE=$(mktemp -d "$PREFIX/releases/.unpack.XXXXXX")
trap 'rm -rf "$STAGE"' EXIT
tar -xzf "$ARCHIVE" -C "$STAGE"
[ -x "$STAGE/kiosk/kiosk" ] || { echo "$ARCHIVE does not hold kiosk/kiosk" >&2; exit 1; }

# check before switching: the executable starts, lists its commands, and its models load
env -i HOME="$STAGE" PATH=/usr/bin:/bin LANG=C.UTF-8 "$STAGE/kiosk/kiosk" --help >/dev/null
env -i HOME="$STAGE" PATH=/usr/bin:/bin LANG=C.UTF-8 KIOSK_HOME="$STAGE/.check" \
    "$STAGE/kiosk/kiosk" selftest --only models >/dev/null 2>&1 \
    || { echo "the new release failed its self-test (models); nothing changed" >&2; exit 1; }
rm -rf "$STAGE/.check" "$STAGE/.config" "$STAGE/.local"

DEST=$PREFIX/releases/$NAME
[ -e "$DEST" ] && DEST=$DEST-$(date +%Y%m%d%H%M%S)
mv -T "$STAGE/kiosk" "$DEST"
chmod -R a+rX "$DEST"
touch "$DEST"   # install time, for the clean-up below
[ -L "$PREFIX/current" ] && swap_link previous "$(readlink "$PREFIX/current")"
swap_link current "releases/$(basename "$DEST")"   # atomic: rename(2) over the old link
echo "current -> releases/$(basename "$DEST")"

# keep the three newest releases (never the current or previous one)
keep_cur=$(realpath "$PREFIX/current"); keep_prev=$(realpath "$PREFIX/previous" 2>/dev/null || true)
ls -1dt "$PREFIX"/releases/*/ | tail -n +4 | while read -r old; do
    old=$(realpath "$old")
    [ "$old" = "$keep_cur" ] || [ "$old" = "$keep_prev" ] || rm -rf "$old"
done
