#!/usr/bin/env bash
# Smoke test of the FROZEN kiosk executable (packaging/build.sh runs it after every build).
#
#   packaging/smoke.sh [path/to/kiosk]        (default: dist/kiosk/kiosk)
#
# The executable is started from an empty directory, with a clean environment (env -i: a fresh
# HOME, PATH=/usr/bin:/bin, the X display of an xvfb-run server and nothing else), so it can only
# use what is inside the bundle and the system libraries. Steps, each must pass:
#   1. kiosk --help lists every command
#   2. kiosk sandbox on a free port (a real HTTP server from the same executable)
#   3. kiosk selftest --broker URL --credentials DIR against it (camera, microphone, models, keys,
#      broker, clock): exit 0
#   4. kiosk check on a face image shipped inside the bundle: one face found
#   5. kiosk record (2 s, simulated camera + microphone) and kiosk inspect: a WebM with video+audio
#   6. the sandbox stops cleanly on SIGTERM
#   7. kiosk run --screenshots DIR (every screen rendered to PNG) when the option exists
#   8. kiosk run --windowed twice, as the FIRST step ("cold": first start after the build, page
#      cache dropped when allowed) and as the last ("warm"), with the start-up probe (packaging/kiosk_probe.py): main window shown, the selfie page's live
#      preview reached, a screenshot of the X screen taken, the app quits by its own clean path with
#      exit 0, no ERROR in its log, and no media left behind.
# Prints one JSON line of figures at the end (also written to $SMOKE_REPORT when set); exits
# non-zero on the first failure. SMOKE_KEEP=1 keeps the work folder (screenshots, logs).
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
PY=/usr/bin/python3  # the system Python, for JSON checks only (never the project's venv)

if [ -z "${SMOKE_UNDER_XVFB:-}" ] && [ -z "${SMOKE_DISPLAY:-}" ]; then
    EXE=$(realpath "${1:-$ROOT/dist/kiosk/kiosk}")
    [ -x "$EXE" ] || { echo "smoke: no executable at $EXE (run packaging/build.sh)" >&2; exit 2; }
    command -v xvfb-run >/dev/null || { echo "smoke: xvfb-run is missing (apt-get install xvfb xauth)" >&2; exit 2; }
    exec env SMOKE_UNDER_XVFB=1 xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" bash "${BASH_SOURCE[0]}" "$EXE"
fi
EXE=$(realpath "$1")
BUNDLE=$(dirname "$EXE")
[ -n "${SMOKE_DISPLAY:-}" ] && DISPLAY=$SMOKE_DISPLAY

WORK=$(mktemp -d -t kiosk-smoke.XXXXXX)
HOMEDIR=$WORK/home
CWD=$WORK/cwd
mkdir -p "$HOMEDIR" "$CWD" "$WORK/out"
mkdir -m 700 "$WORK/xdg-runtime"
cd "$CWD" || exit 2
SANDBOX_PID=""

cleanup() {
    if [ -n "$SANDBOX_PID" ] && kill -0 "$SANDBOX_PID" 2>/dev/null; then kill "$SANDBOX_PID"; fi
    if [ -z "${SMOKE_KEEP:-}" ]; then rm -rf "$WORK"; else echo "smoke: work folder kept: $WORK" >&2; fi
}
trap cleanup EXIT

fail() { echo "SMOKE FAIL: $*" >&2; for f in "$WORK"/out/*.err; do [ -s "$f" ] && { echo "--- $f" >&2; tail -20 "$f" >&2; }; done; exit 1; }
pass() { echo "smoke ok: $*" >&2; }

# the kiosk with a clean environment; extra VAR=value arguments before "--". kexec replaces the
# calling (sub)shell, so that "kexec ... &" gives the kiosk's own PID in $!
k() { ( kexec "$@" ); }
kexec() {
    local extra=()
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do extra+=("$1"); shift; done
    shift
    exec env -i HOME="$HOMEDIR" PATH=/usr/bin:/bin LANG=C.UTF-8 DISPLAY="$DISPLAY" \
        XAUTHORITY="${XAUTHORITY:-}" XDG_RUNTIME_DIR="$WORK/xdg-runtime" "${extra[@]}" "$EXE" "$@"
}

# jcheck FILE 'python expression over d (the last JSON line, or the JSON document)'
jcheck() {
    "$PY" -I -S - "$1" "$2" <<'EOF'
import json, sys
path, expr = sys.argv[1], sys.argv[2]
text = open(path, encoding="utf-8").read().strip()
try:
    d = json.loads(text)
except ValueError:
    lines = [json.loads(l) for l in text.splitlines() if l.strip().startswith("{")]
    d = lines[-1] if lines else None
    D = lines
else:
    D = [d]
ok = eval(expr, {"d": d, "D": D})
sys.exit(0 if ok else 1)
EOF
}
now() { date +%s.%N; }

# 8. the wizard: main window, live preview, screenshot, clean exit. Run first ("cold": the first
# start after the build, with the page cache dropped when the kernel allows it) and last ("warm").
LOG=$HOMEDIR/.local/share/kiosk/logs/kiosk.log
declare -A FIG
run_probe() {
    local pass_name=$1 PROBE=$WORK/out/probe-$1.json SHOT=$WORK/out/screen-$1.png t0 rc win frame left
    local before=$WORK/out/log-before-$1.txt
    : > "$before"; [ -f "$LOG" ] && cp "$LOG" "$before"
    t0=$(now)
    k KIOSK_STARTUP_PROBE="$PROBE" KIOSK_PROBE_SCREENSHOT="$SHOT" KIOSK_PROBE_TIMEOUT=60 -- run --windowed \
        > "$WORK/out/run-$pass_name.out" 2> "$WORK/out/run-$pass_name.err"
    rc=$?
    [ $rc -eq 0 ] || fail "kiosk run ($pass_name) exited $rc"
    [ -f "$PROBE" ] || fail "kiosk run ($pass_name): the start-up probe wrote nothing"
    jcheck "$PROBE" "not d['errors']" || { cat "$PROBE" >&2; fail "kiosk run ($pass_name): probe errors"; }
    jcheck "$PROBE" "'window_shown' in d and 'first_preview_frame' in d" || fail "kiosk run ($pass_name): no window or no preview frame"
    jcheck "$PROBE" "d.get('screenshot_colours', 0) > 20" || fail "kiosk run ($pass_name): the screenshot is blank"
    [ -s "$SHOT" ] || fail "kiosk run ($pass_name): no screenshot"
    if [ -f "$LOG" ] && diff "$before" "$LOG" | grep -E '^> .* (ERROR|CRITICAL) ' >&2; then
        fail "kiosk run ($pass_name) logged errors"
    fi
    left=$(find "$HOMEDIR/.local/share/kiosk/media" -type f 2>/dev/null | wc -l)
    [ "$left" -eq 0 ] || fail "kiosk run ($pass_name) left $left media file(s) behind"
    read -r win frame <<<"$("$PY" -I -S -c 'import json,sys; d=json.load(open(sys.argv[1])); t0=float(sys.argv[2]); print("%.2f %.2f" % (d["window_shown"]-t0, d["first_preview_frame"]-t0))' "$PROBE" "$t0")"
    FIG[${pass_name}_window]=$win
    FIG[${pass_name}_frame]=$frame
    pass "kiosk run ($pass_name): window ${win} s, first preview frame ${frame} s after launch; exit 0"
}
COLD_LABEL="first start after build (page cache not dropped)"
if [ "$(id -u)" = 0 ] && sync && (echo 3 > /proc/sys/vm/drop_caches) 2>/dev/null; then
    COLD_LABEL="page cache dropped"
fi
run_probe cold

# 1. help
k -- --help > "$WORK/out/help.txt" 2> "$WORK/out/help.err" || fail "kiosk --help exited $?"
for cmd in run sandbox check record inspect selftest status; do
    if ! grep -qE "^    $cmd " "$WORK/out/help.txt"; then
        [ -n "${SMOKE_ALLOW_MISSING:-}" ] && { echo "smoke: command '$cmd' missing (allowed)" >&2; continue; }
        fail "command '$cmd' is not in the executable"
    fi
done
pass "kiosk --help"
has() { grep -qE "^    $1 " "$WORK/out/help.txt"; }

# 2. sandbox on a free port
PORT=$("$PY" -I -S -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
CREDS=$WORK/creds
if has sandbox; then
    kexec -- sandbox --port "$PORT" --credentials "$CREDS" > "$WORK/out/sandbox.json" 2> "$WORK/out/sandbox.err" &
    SANDBOX_PID=$!
    for _ in $(seq 1 300); do
        [ -s "$WORK/out/sandbox.json" ] && break
        kill -0 "$SANDBOX_PID" 2>/dev/null || fail "kiosk sandbox exited early"
        sleep 0.1
    done
    jcheck "$WORK/out/sandbox.json" "d['url'] == 'http://127.0.0.1:$PORT'" || fail "kiosk sandbox did not report its URL"
    [ -f "$CREDS/credentials.json" ] && [ -f "$CREDS/provider_private.pem" ] || fail "sandbox credentials not written"
    pass "kiosk sandbox on port $PORT"
fi

# 3. selftest against it
if has selftest; then
    if [ -n "$SANDBOX_PID" ]; then
        k -- selftest --json --broker "http://127.0.0.1:$PORT" --credentials "$CREDS" \
            > "$WORK/out/selftest.json" 2> "$WORK/out/selftest.err"
    else
        k -- selftest --json --sandbox > "$WORK/out/selftest.json" 2> "$WORK/out/selftest.err"
    fi
    rc=$?
    [ $rc -eq 0 ] || { cat "$WORK/out/selftest.json" >&2; fail "kiosk selftest exited $rc"; }
    jcheck "$WORK/out/selftest.json" "d is not None" || fail "kiosk selftest printed no JSON"
    pass "kiosk selftest"
fi

# 4. check on the face images shipped in the bundle (exit 1 only means a face failed a threshold)
mapfile -t IMAGES < <(find "$BUNDLE" -path '*resources/sim/*' \( -name '*.jpg' -o -name '*.png' \) | sort)
[ ${#IMAGES[@]} -gt 0 ] || fail "no resources/sim image inside the bundle"
if has check; then
    k -- check "${IMAGES[@]}" > "$WORK/out/check.json" 2> "$WORK/out/check.err"
    rc=$?
    [ $rc -le 1 ] || fail "kiosk check exited $rc"
    jcheck "$WORK/out/check.json" "len(D) == ${#IMAGES[@]} and all(x.get('faces') == 1 and isinstance(x.get('yaw'), float) and x.get('instruction_key') != 'quality.models_missing' for x in D)" \
        || { cat "$WORK/out/check.json" >&2; fail "kiosk check did not find one face in each shipped image"; }
    pass "kiosk check on ${#IMAGES[@]} shipped images (one face each)"
fi

# 5. record + inspect
if has record; then
    k -- record --seconds 2 --out "$WORK/clip.webm" > "$WORK/out/record.json" 2> "$WORK/out/record.err" \
        || fail "kiosk record exited $?"
    k -- inspect "$WORK/clip.webm" > "$WORK/out/inspect.json" 2> "$WORK/out/inspect.err" \
        || { cat "$WORK/out/inspect.json" >&2; fail "kiosk inspect exited $? (not a WebM with video and audio?)"; }
    rm -f "$WORK/clip.webm"
    pass "kiosk record + inspect"
fi

# 6. the sandbox stops on SIGTERM
if [ -n "$SANDBOX_PID" ]; then
    kill -TERM "$SANDBOX_PID"
    for _ in $(seq 1 100); do kill -0 "$SANDBOX_PID" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$SANDBOX_PID" 2>/dev/null && fail "kiosk sandbox still running 10 s after SIGTERM"
    wait "$SANDBOX_PID"; rc=$?
    SANDBOX_PID=""
    [ $rc -eq 0 ] || fail "kiosk sandbox exited $rc on SIGTERM"
    pass "kiosk sandbox stopped"
fi

# 7. every screen rendered to PNG
if k -- run --help 2>/dev/null | grep -q -- "--screenshots"; then
    k -- run --screenshots "$WORK/screens" > "$WORK/out/screens.json" 2> "$WORK/out/screens.err" \
        || fail "kiosk run --screenshots exited $?"
    n=$(find "$WORK/screens" -name '*.png' -size +1k 2>/dev/null | wc -l)
    [ "$n" -ge 1 ] || fail "kiosk run --screenshots wrote no PNG"
    pass "kiosk run --screenshots ($n PNG files)"
    SCREENS=$n
fi

run_probe warm

SIZE_MB=$(du -sm "$BUNDLE" | cut -f1)
REPORT=$(printf '{"bundle": "%s", "size_mb": %s, "cold_label": "%s", "cold_window_s": %s, "cold_first_frame_s": %s, "warm_window_s": %s, "warm_first_frame_s": %s, "screens_rendered": %s}' \
    "$BUNDLE" "$SIZE_MB" "$COLD_LABEL" "${FIG[cold_window]}" "${FIG[cold_frame]}" "${FIG[warm_window]}" "${FIG[warm_frame]}" "${SCREENS:-null}")
echo "$REPORT"
[ -n "${SMOKE_REPORT:-}" ] && echo "$REPORT" > "$SMOKE_REPORT"
if [ -n "${SMOKE_SCREENSHOT:-}" ]; then cp "$WORK/out/screen-warm.png" "$SMOKE_SCREENSHOT"; fi
echo "SMOKE PASS" >&2
exit 0
