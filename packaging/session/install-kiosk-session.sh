#!/usr/bin/env bash
# Turn a Debian machine into a locked-down kiosk: a dedicated account logged straight into an X
# session that runs only the kiosk. Run as root, after the kiosk itself is installed
# (packaging/install-update.sh puts it in /opt/kiosk/current). Safe to run twice.
#
#   sudo bash packaging/session/install-kiosk-session.sh [--user kiosk]
#
# What it does (docs/KIOSK-SESSION.md explains each step and what it does not cover):
#   * the `kiosk` account: no password, no sudo, no login shell for SSH (it is only ever
#     autologged into the kiosk session), its home /var/lib/kiosk-home;
#   * LightDM with autologin into the "kiosk" session (no desktop, no window manager);
#   * Xorg: DontVTSwitch, DontZap, no server keys, no blanking or DPMS;
#   * no text consoles to switch to (logind NAutoVTs=0), Ctrl+Alt+Del masked, SysRq off,
#     core dumps not stored (systemd-coredump Storage=none, fs.suid_dumpable=0);
#   * /etc/kiosk (kiosk:kiosk 0700): settings.toml, kiosk.env, keys/ (0700, files 0600): the
#     broker's secrets readable by the kiosk account only, outside its home;
#   * /var/lib/kiosk (kiosk:kiosk 0700): the kiosk's data (KIOSK_HOME).
set -euo pipefail
USER_NAME=kiosk
[ "${1:-}" = "--user" ] && USER_NAME="$2"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
[ "$(id -u)" -eq 0 ] || { echo "run as root" >&2; exit 1; }

export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq --no-install-recommends lightdm xserver-xorg x11-xserver-utils x11-xkb-utils >/dev/null

if ! id "$USER_NAME" >/dev/null 2>&1; then
  useradd --system --create-home --home-dir /var/lib/kiosk-home --shell /usr/sbin/nologin \
          --groups audio,video "$USER_NAME"
fi
passwd -l "$USER_NAME" >/dev/null          # no password: only autologin reaches this account
chmod 700 /var/lib/kiosk-home

install -d -m 700 -o "$USER_NAME" -g "$USER_NAME" /etc/kiosk /etc/kiosk/keys /var/lib/kiosk
install -m 640 -o root -g "$USER_NAME" "$here/kiosk.env" /etc/kiosk/kiosk.env
[ -e /etc/kiosk/settings.toml ] || install -m 600 -o "$USER_NAME" -g "$USER_NAME" /dev/null /etc/kiosk/settings.toml
chown -R "$USER_NAME:$USER_NAME" /etc/kiosk/keys
find /etc/kiosk/keys -type f -exec chmod 600 {} +

install -D -m 755 "$here/kiosk-session" /usr/local/lib/kiosk/kiosk-session
install -D -m 644 "$here/kiosk.desktop" /usr/share/xsessions/kiosk.desktop
install -D -m 644 "$here/50-kiosk-lightdm.conf" /etc/lightdm/lightdm.conf.d/50-kiosk.conf
install -D -m 644 "$here/10-kiosk-xorg.conf" /etc/X11/xorg.conf.d/10-kiosk.conf

# no text consoles, no Ctrl+Alt+Del reboot, no SysRq, no stored core dumps
install -d /etc/systemd/logind.conf.d /etc/systemd/coredump.conf.d /etc/sysctl.d
printf '[Login]\nNAutoVTs=0\nReserveVT=0\n' > /etc/systemd/logind.conf.d/50-kiosk.conf
printf '[Coredump]\nStorage=none\nProcessSizeMax=0\n' > /etc/systemd/coredump.conf.d/50-kiosk.conf
printf 'kernel.sysrq = 0\nfs.suid_dumpable = 0\n' > /etc/sysctl.d/50-kiosk.conf
sysctl -q --system || true
systemctl mask ctrl-alt-del.target >/dev/null 2>&1 || true
systemctl set-default graphical.target >/dev/null
systemctl enable lightdm >/dev/null 2>&1 || true

echo "kiosk session installed for the account '$USER_NAME'."
echo "Next: put the broker's files in /etc/kiosk/keys (chown $USER_NAME, chmod 600), point the broker.*"
echo "settings in /etc/kiosk/settings.toml at them, set the staff PIN:"
echo "  sudo -u $USER_NAME env \$(cat /etc/kiosk/kiosk.env | xargs) /opt/kiosk/current/kiosk set-pin"
echo "and check: sudo -u $USER_NAME env \$(cat /etc/kiosk/kiosk.env | xargs) /opt/kiosk/current/kiosk selftest"
echo "Then reboot."
