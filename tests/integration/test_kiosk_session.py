"""The locked-down kiosk X session (packaging/session/kiosk-session) under Xvfb: the keys a
desktop would act on (Alt+Tab, Alt+F4, Ctrl+Alt+Backspace, Super, Ctrl+Alt+T, Ctrl+Alt+F2,
Escape) sent with xdotool leave the kiosk's full-screen window in front and the kiosk running;
a crash of the kiosk is followed by a new kiosk window (restart on crash); SIGTERM to the session
ends it. The real session script, the real kiosk (demo mode, its built-in sandbox broker), a real
X server: only the display manager and Xorg's own flags cannot be exercised here (see
docs/KIOSK-SESSION.md)."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SESSION = ROOT / "packaging" / "session" / "kiosk-session"
KEYS = ["alt+Tab", "alt+F4", "ctrl+alt+BackSpace", "super", "Super_L", "super+d", "ctrl+alt+t", "ctrl+alt+F2",
        "alt+F2", "ctrl+Escape", "Escape", "ctrl+w", "ctrl+q", "alt+space"]

pytestmark = pytest.mark.skipif(not (shutil.which("Xvfb") and shutil.which("xdotool")),
                                reason="needs Xvfb and xdotool (scripts/setup.sh test installs them)")


def _x(display: str, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(["xdotool", *args], capture_output=True, text=True, timeout=timeout, check=False,
                          env={**os.environ, "DISPLAY": display})


def _kiosk_windows(display: str) -> list[str]:
    return _x(display, "search", "--onlyvisible", "--name", "^kiosk$").stdout.split()


def _wait_window(display: str, session: subprocess.Popen, not_pid: int | None = None) -> tuple[str, int]:
    """(window, kiosk pid) once the session's kiosk (not ``not_pid``) shows its window."""
    deadline = time.monotonic() + 120  # a bound on a condition (the kiosk loads its face models)
    while time.monotonic() < deadline:
        assert session.poll() is None, "the session ended"
        pid = _kiosk_pid(session.pid)
        if pid is not None and pid != not_pid:
            for w in _kiosk_windows(display):
                if _x(display, "getwindowpid", w).stdout.strip() == str(pid):
                    return w, pid
        time.sleep(0.2)
    raise AssertionError("no kiosk window appeared")


def _kiosk_pid(session_pid: int) -> int | None:
    out = subprocess.run(["pgrep", "-P", str(session_pid)], capture_output=True, text=True, check=False).stdout
    pids = [int(p) for p in out.split()]
    return pids[0] if pids else None


@pytest.fixture
def xserver():
    read, write = os.pipe()
    proc = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                            pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as fh:
        number = fh.readline().strip()
    try:
        yield f":{number}"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_desktop_keys_leave_the_kiosk_in_front_and_a_crash_restarts_it(xserver, tmp_path, kiosk_home):
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    env.update(DISPLAY=xserver, KIOSK_COMMAND=f"{sys.executable} -m kiosk", KIOSK_ENV_FILE=str(tmp_path / "none"),
               KIOSK_HOME=str(kiosk_home), KIOSK_SETTINGS=str(tmp_path / "settings.toml"))
    errors = open(tmp_path / "session.err", "wb")  # noqa: SIM115 - closed in finally
    session = subprocess.Popen(["/bin/sh", str(SESSION)], env=env, stdout=subprocess.DEVNULL,
                               stderr=errors, start_new_session=True)
    try:
        window, first_pid = _wait_window(xserver, session)
        geometry = _x(xserver, "getwindowgeometry", window).stdout
        assert "1280x800" in geometry, geometry  # full screen, no frame
        environ = Path(f"/proc/{first_pid}/environ")
        if os.access(environ, os.R_OK):
            assert b"MALLOC_ARENA_MAX=2" in environ.read_bytes()
        _x(xserver, "mousemove", "640", "400")
        _x(xserver, "windowfocus", "--sync", window)
        for key in KEYS:
            _x(xserver, "key", "--clearmodifiers", key)
        _x(xserver, "sleep", "0.5")  # let the kiosk process what it was sent (no assertion on time)
        assert session.poll() is None and _kiosk_pid(session.pid) == first_pid, "the kiosk quit on a key"
        assert _kiosk_windows(xserver) == [window], "the kiosk window was closed, hidden or replaced"
        assert "1280x800" in _x(xserver, "getwindowgeometry", window).stdout
        focus = _x(xserver, "getwindowfocus").stdout.strip()
        assert focus == window or focus in _x(xserver, "search", "--name", "^kiosk$").stdout.split() or \
            _x(xserver, "getwindowfocus", "-f").stdout.strip() == window
        # a crash: the session starts a new kiosk
        os.kill(first_pid, signal.SIGKILL)
        second, second_pid = _wait_window(xserver, session, not_pid=first_pid)
        assert second and second_pid != first_pid
    finally:
        os.killpg(session.pid, signal.SIGTERM)
        try:
            session.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(session.pid, signal.SIGKILL)
            session.wait(timeout=30)
        errors.close()
        print((tmp_path / "session.err").read_text("utf-8", "replace")[-3000:])
    assert session.returncode == 0  # SIGTERM ends the session cleanly
    from kiosk.core.media_store import recover_orphans  # the killed kiosk's encrypted leftovers, if any
    recover_orphans()
