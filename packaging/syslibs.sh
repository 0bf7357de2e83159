#!/usr/bin/env bash
# List the system libraries a built kiosk bundle loads from outside itself, and the Debian
# packages that provide them (what a kiosk must have installed).
#
#   packaging/syslibs.sh dist/kiosk
#
# ldd runs over every ELF file in the bundle with the bundle's own library folders on
# LD_LIBRARY_PATH (as they are found at run time); a library resolved outside the bundle is a
# system dependency; "not found" means the build machine itself lacks it.
set -euo pipefail
BUNDLE=$(realpath "${1:-dist/kiosk}")
dirs=$(find "$BUNDLE" -name '*.so*' -type f -printf '%h\n' | sort -u | paste -sd:)
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
find "$BUNDLE" -type f \( -name '*.so*' -o -perm -u+x \) -print0 |
while IFS= read -r -d '' f; do
    head -c 4 "$f" | grep -q 'ELF' || continue
    LD_LIBRARY_PATH=$dirs ldd "$f" 2>/dev/null | sed -e "s|^[[:space:]]*||" -e "s|^|$f\t|" || true
done > "$tmp"
echo "not found (missing on this machine too):"
grep -P '\t.*=> not found' "$tmp" | awk -F'\t' '{print "  " $2 "   (needed by " $1 ")"}' | sed "s|$BUNDLE/||" | sort -u || echo "  none"
echo "loaded from the system:"
libs=$(grep -P '\t.*=> /' "$tmp" | awk -F'\t' '{print $2}' | awk '{print $3}' | grep -v "^$BUNDLE/" | sort -u)
for lib in $libs; do
    real=$(realpath "$lib")
    pkg=$(dpkg -S "$lib" 2>/dev/null | head -1 | cut -d: -f1 || true)
    [ -z "$pkg" ] && pkg=$(dpkg -S "$real" 2>/dev/null | head -1 | cut -d: -f1 || true)
    printf '  %-40s %s\n' "$(basename "$lib")" "${pkg:-?}"
done
echo "Debian packages:"
for lib in $libs; do
    pkg=$(dpkg -S "$lib" 2>/dev/null | head -1 | cut -d: -f1 || true)
    [ -z "$pkg" ] && pkg=$(dpkg -S "$(realpath "$lib")" 2>/dev/null | head -1 | cut -d: -f1 || true)
    echo "${pkg:-?}"
done | sort -u | paste -sd' ' | sed 's/^/  /'
