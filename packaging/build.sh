#!/usr/bin/env bash
# Build the kiosk executable (one folder: dist/kiosk/kiosk + dist/kiosk/_internal/), check what is
# inside, smoke-test it (packaging/smoke.sh) and print figures: size, system libraries it needs,
# start-up times (cold/warm) to the main window and to the first live-preview frame.
#
#   packaging/build.sh              one-folder build + smoke test
#   KIOSK_ONEFILE=1 packaging/build.sh   also build dist/kiosk-onefile (single file; slow start)
#   SKIP_SMOKE=1 packaging/build.sh      build and check only
#   KIOSK_TARBALL=1 packaging/build.sh   also pack dist/kiosk-VERSION-linux-x86_64.tar.gz (the input
#                                        of packaging/install-update.sh)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PY=${PYTHON:-$ROOT/.venv/bin/python}
cd "$ROOT"

echo "== PyInstaller (the project's build extra)"
"$PY" -m pip install --quiet --disable-pip-version-check 'pyinstaller>=6.5,<7'
"$PY" -m PyInstaller --version

echo "== build dist/kiosk"
t0=$(date +%s)
KIOSK_ONEFILE= "$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath "$ROOT/dist" --workpath "$ROOT/build" "$ROOT/packaging/kiosk.spec"
t1=$(date +%s)
BUNDLE=$ROOT/dist/kiosk
INTERNAL=$BUNDLE/_internal

echo "== contents"
missing=0
need() { if [ -e "$INTERNAL/$1" ]; then echo "  ok   $1"; else echo "  MISSING $1"; missing=1; fi; }
# every file of resources/ (models, fonts, translations, icons, styles, sounds, sim images)
while IFS= read -r f; do
    [ -f "$INTERNAL/$f" ] || { echo "  MISSING $f"; missing=1; }
done < <(cd "$ROOT" && find resources -type f ! -name '.*' | sort)
echo "  ok   resources/ ($(cd "$ROOT" && find resources -type f ! -name '.*' | wc -l) files)"
need resources/models/face_landmarker.task
need mediapipe/tasks/c/libmediapipe.so
need PySide6/Qt/plugins/platforms/libqxcb.so
need PySide6/Qt/plugins/platforms/libqoffscreen.so
need PySide6/Qt/plugins/imageformats/libqsvg.so
need PySide6/Qt/plugins/iconengines/libqsvgicon.so
need PySide6/Qt/translations/qtbase_fa.qm
for unwanted in pytest _pytest hypothesis skimage scipy matplotlib PIL tkinter _tkinter PyInstaller; do
    if [ -e "$INTERNAL/$unwanted" ] || ls "$INTERNAL/$unwanted".*.so >/dev/null 2>&1; then
        echo "  UNWANTED $unwanted is in the bundle"; missing=1
    fi
done
[ $missing -eq 0 ] || { echo "build: the bundle is incomplete" >&2; exit 1; }

echo "== system libraries the bundle needs (ldd over every ELF file; resolved outside the bundle)"
"$ROOT/packaging/syslibs.sh" "$BUNDLE" | tee "$ROOT/build/syslibs.txt"

if [ -n "${KIOSK_ONEFILE:-}" ]; then
    echo "== build dist/kiosk-onefile"
    KIOSK_ONEFILE=1 "$PY" -m PyInstaller --noconfirm --log-level WARN \
        --distpath "$ROOT/dist" --workpath "$ROOT/build/onefile" "$ROOT/packaging/kiosk.spec"
    ls -la "$ROOT/dist/kiosk-onefile"
fi

if [ -n "${KIOSK_TARBALL:-}" ]; then
    VERSION=$("$PY" -c 'import importlib.metadata as m; print(m.version("kiosk"))')
    TARBALL=$ROOT/dist/kiosk-$VERSION-linux-$(uname -m).tar.gz
    echo "== archive $TARBALL"
    tar -C "$ROOT/dist" -czf "$TARBALL" kiosk
fi

FIGS=$ROOT/build/smoke-figures.json
if [ -z "${SKIP_SMOKE:-}" ]; then
    echo "== smoke test (packaging/smoke.sh)"
    SMOKE_REPORT=$FIGS SMOKE_SCREENSHOT=$ROOT/build/smoke-screen.png "$ROOT/packaging/smoke.sh" "$BUNDLE/kiosk"
fi

echo "== figures"
echo "  build time:        $((t1 - t0)) s"
echo "  one-folder size:   $(du -sh "$BUNDLE" | cut -f1) ($(find "$BUNDLE" -type f | wc -l) files)"
[ -f "$ROOT/dist/kiosk-onefile" ] && echo "  one-file size:     $(du -sh "$ROOT/dist/kiosk-onefile" | cut -f1)"
[ -n "${TARBALL:-}" ] && echo "  release archive:   $(du -sh "$TARBALL" | cut -f1) $TARBALL"
if [ -z "${SKIP_SMOKE:-}" ] && [ -f "$FIGS" ]; then
    /usr/bin/python3 -I -S - "$FIGS" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
print(f"  cold start ({d['cold_label']}): main window {d['cold_window_s']:.2f} s, first preview frame {d['cold_first_frame_s']:.2f} s")
print(f"  warm start:        main window {d['warm_window_s']:.2f} s, first preview frame {d['warm_first_frame_s']:.2f} s")
print(f"  target (warm, to first preview frame < 2 s): {'met' if d['warm_first_frame_s'] < 2 else 'NOT met'}")
print(f"  screenshot of the live preview: build/smoke-screen.png")
PYEOF
fi
