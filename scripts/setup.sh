#!/usr/bin/env bash
# One entry point for a fresh Debian machine (safe to run twice):
#   bash scripts/setup.sh run    set everything up and start the kiosk
#   bash scripts/setup.sh test   set everything up, run the static checks (ruff, mypy), then the
#                                whole test suite; fails when any of them fails
# Extra arguments after the mode go to the kiosk / pytest (KIOSK_SKIP_STATIC=1 skips the static
# checks for a quick local run of a few tests; CI never sets it).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
mode="${1:-run}"; shift || true

PY="${PYTHON:-python3}"
VENV="${KIOSK_VENV:-$here/.venv}"

# Debian packages: PortAudio for sounddevice, the libraries Qt and mediapipe load, Xvfb for a
# screen when there is none, ffmpeg (ffprobe) and espeak-ng/sox for the tests' media,
# PulseAudio for a virtual microphone, xdotool/xset for the kiosk X session's key test.
APT_RUN=(libportaudio2 libsndfile1 libegl1 libgl1 libgles2 libfontconfig1 libglib2.0-0
  libdbus-1-3 libxkbcommon0 libx11-6 libxcb1 libx11-xcb1 libxkbcommon-x11-0 libxcb-cursor0
  libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-randr0 libxcb-render-util0 libxcb-shape0
  libxcb-xfixes0 libxcb-xkb1 xvfb xauth fonts-dejavu-core python3-venv)
APT_TEST=(ffmpeg espeak-ng sox pulseaudio pulseaudio-utils libasound2-plugins xdotool x11-xserver-utils)

need=()
want=("${APT_RUN[@]}")
[ "$mode" = test ] && want+=("${APT_TEST[@]}")
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if [ "${#need[@]}" -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "[setup] installing Debian packages: ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

if [ ! -x "$VENV/bin/python" ]; then
  echo "[setup] creating virtual environment $VENV"
  "$PY" -m venv "$VENV"
fi
stamp="$VENV/.kiosk-installed"
hash="$(cat pyproject.toml scripts/setup.sh | sha256sum | cut -c1-16)-$mode"
if [ ! -f "$stamp" ] || ! grep -qx -- "$hash" "$stamp" 2>/dev/null; then
  echo "[setup] installing the kiosk package ($mode)"
  "$VENV/bin/python" -m pip install -q --upgrade pip >/dev/null
  extras=""; [ "$mode" = test ] && extras="[test]"
  "$VENV/bin/python" -m pip install -q -e ".$extras"
  # mediapipe depends on the GUI build of OpenCV, whose bundled Qt5 breaks PySide6: keep only
  # the headless build (both install the same cv2 package, so reinstall it over the removal).
  if "$VENV/bin/python" -m pip show -q opencv-contrib-python >/dev/null 2>&1; then
    "$VENV/bin/python" -m pip uninstall -q -y opencv-contrib-python
    "$VENV/bin/python" -m pip install -q --force-reinstall --no-deps \
      "$("$VENV/bin/python" -m pip show opencv-python-headless | awk '/^Version:/{print "opencv-python-headless=="$2}')"
  fi
  grep -qx -- "$hash" "$stamp" 2>/dev/null || echo "$hash" >> "$stamp"
fi

case "$mode" in
  run)
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
      echo "[setup] no display: starting the kiosk on a virtual screen (xvfb-run)"
      exec xvfb-run -a -s "-screen 0 1280x800x24" "$VENV/bin/kiosk" "$@"
    fi
    exec "$VENV/bin/kiosk" "$@"
    ;;
  test)
    export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
    if [ "${KIOSK_SKIP_STATIC:-0}" != 1 ]; then
      # the configuration is pyproject.toml's ([tool.ruff], [tool.mypy]); both run from the repo root
      echo "[setup] static checks: ruff check . && mypy"
      "$VENV/bin/ruff" check . || { echo "[setup] ruff found problems (listed above)" >&2; exit 1; }
      "$VENV/bin/mypy" || { echo "[setup] mypy found problems (listed above)" >&2; exit 1; }
    fi
    exec "$VENV/bin/python" -m pytest "$@"
    ;;
  *)
    echo "usage: bash scripts/setup.sh run|test [args...]" >&2; exit 2 ;;
esac
