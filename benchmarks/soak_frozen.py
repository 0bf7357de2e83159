"""A day at the desk for the INSTALLED program: N sessions of the frozen kiosk started as its unit
file starts it, driven from outside with the mouse and keyboard (xdotool), as a person would.

The executable (default ``dist/kiosk/kiosk``, built by ``packaging/build.sh``) runs full screen on a
private Xvfb screen (1280x800) with a clean environment (``env -i``: a fresh HOME) plus what the
systemd unit gives it: every ``Environment=`` line of ``packaging/kiosk.service`` (the glibc arena
bound among them), its ``UMask=`` and ``LimitCORE=``. Nothing is configured, so the kiosk runs its
demo installation: the built-in sandbox broker, simulated camera and microphone.

Each session is clicks and typing at the places a person sees on the 1280x800 screen in Persian
(the default language): Start, the four details typed key by key, the consent box and "I agree",
"I'm ready" on the preparation view of the documents and the selfie (they then capture
themselves), the two videos' Start buttons, Finish. Where the
kiosk is comes from its own log ("screen: NAME" lines); whether a session was verified comes from
its sessions log (``state/sessions.sqlite3``). After each session the kiosk idles on the welcome
screen for a moment and the process's RSS and OS threads are read from ``/proc``.

Prints one JSON object like ``soak_ui.py``: ``sessions``, ``verified``, ``idle_rss_mb``,
``threads``, ``seconds``, ``session_seconds`` (median), ``unit_environment`` and the goal's verdict
(idle RSS after the last session within 30 MB of its value after session 5, threads back to their
count after session 1, every session verified). Exits 1 when the goal is not met or a session
could not be played (a screenshot of the screen where it stuck is kept and named).

    packaging/build.sh && .venv/bin/python benchmarks/soak_frozen.py --sessions 20
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shlex
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZE = (1280, 800)
# where a person clicks on the 1280x800 full screen, Persian (right to left) layout
AT = {
    "start": (640, 570),
    "national_code": (830, 274), "birth_date": (265, 274), "mobile": (830, 485), "card_serial": (265, 485),
    "next": (138, 740), "consent_box": (1100, 583), "agree": (138, 687),  # the consent box is a wide framed row
    "record": (640, 740), "finish": (138, 740),  # the video's Start is centred under the preview
    "ready": (640, 723),  # "I'm ready" on a photo step's preparation view (centred, both languages)
    "send_card": (417, 723),  # "Send" on a card side's review (the big button, left in Persian)
}
DETAILS = {"national_code": "0012345679", "birth_date": "1370/01/01", "mobile": "09123456789",
           "card_serial": "1A23456789"}
AUTO = ("signature", "id_front", "id_back", "selfie")       # "I'm ready", then they capture themselves
VIDEOS = ("selfie_video", "admittance_video")                 # started with their button
REVIEWS = ("signature_review", "id_front_review", "id_back_review")  # the photo looked at, then "Send"


def unit_settings(unit: Path) -> tuple[dict[str, str], int | None, str | None]:
    """(Environment=, UMask=, LimitCORE=) of a systemd unit's [Service] section."""
    env: dict[str, str] = {}
    umask = None
    core = None
    section = ""
    for raw in unit.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            section = line
            continue
        if section != "[Service]" or "=" not in line:
            continue
        key, value = line.split("=", 1)
        if key == "Environment":
            for item in shlex.split(value):
                name, _, val = item.partition("=")
                env[name] = val
        elif key == "UMask":
            umask = int(value, 8)
        elif key == "LimitCORE":
            core = value
    return env, umask, core


def free_display() -> int:
    for n in range(90, 200):
        if not Path(f"/tmp/.X{n}-lock").exists() and not Path(f"/tmp/.X11-unix/X{n}").exists():
            return n
    raise SystemExit("soak_frozen: no free X display number")


def proc_status(pid: int, field: str) -> int:
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


class Desk:
    """The screen, the mouse and the keyboard in front of one running kiosk."""

    def __init__(self, display: str, log: Path, shots: Path) -> None:
        self.env = {**os.environ, "DISPLAY": display}
        self.log = log
        self.shots = shots
        self.offset = 0
        self.screens: list[str] = []

    def xdo(self, *args: str) -> None:
        subprocess.run(["xdotool", *args], env=self.env, check=True)

    def click(self, what: str) -> None:
        x, y = AT[what]
        self.xdo("mousemove", str(x), str(y), "click", "1")

    def type(self, text: str) -> None:
        self.xdo("type", "--delay", "40", text)

    def read_screens(self) -> None:
        if not self.log.exists():
            return
        with open(self.log, "rb") as fh:
            fh.seek(self.offset)
            data = fh.read()
        cut = data.rfind(b"\n") + 1
        self.offset += cut
        for line in data[:cut].decode("utf-8", "replace").splitlines():
            if " screen: " in line:
                self.screens.append(line.rsplit(" screen: ", 1)[1].strip())

    @property
    def screen(self) -> str:
        return self.screens[-1] if self.screens else ""

    def wait(self, names: tuple[str, ...], timeout: float) -> str:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            self.read_screens()
            if self.screen in names:
                return self.screen
            time.sleep(0.2)
        return ""

    def shot(self, name: str) -> Path:
        path = self.shots / f"{name}.png"
        subprocess.run(["import", "-window", "root", str(path)], env=self.env, check=False)
        return path


def one_session(desk: Desk, timeout: float) -> str:
    """Play one session; returns "verdict" or where it stuck."""
    desk.click("start")
    if not desk.wait(("details",), 20):
        return "no details screen"
    time.sleep(0.5)
    for field, value in DETAILS.items():
        desk.click(field)
        desk.type(value)
    desk.click("next")
    if not desk.wait(("consent",), 20):
        return "details not accepted"
    time.sleep(0.5)
    desk.click("consent_box")
    time.sleep(0.3)
    desk.click("agree")
    end = time.monotonic() + timeout
    started: set[str] = set()
    while time.monotonic() < end:
        name = desk.wait((*AUTO, *REVIEWS, *VIDEOS, "busy", "verdict", "problem"), max(1.0, end - time.monotonic()))
        if name in ("verdict", "problem"):
            return name
        if name in AUTO and name not in started:  # the preparation view: picture, two lines, "I'm ready"
            time.sleep(1.0)  # a person reads the two instructions first
            desk.click("ready")
            started.add(name)
        if name in REVIEWS and name not in started:
            time.sleep(1.0)  # a person looks at the card first
            desk.click("send_card")
            started.add(name)
        if name in VIDEOS and name not in started:
            time.sleep(1.0)  # a person reads the sentence first
            desk.click("record")
            started.add(name)
        time.sleep(0.3)
    return f"stuck at {desk.screen or 'no screen'}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--exe", type=Path, default=ROOT / "dist" / "kiosk" / "kiosk",
                    help="the kiosk executable (default: the frozen build, dist/kiosk/kiosk)")
    ap.add_argument("--unit", type=Path, default=ROOT / "packaging" / "kiosk.service",
                    help="the systemd unit whose environment, umask and core limit the kiosk gets")
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--session-timeout", type=float, default=240.0)
    ap.add_argument("--settle", type=float, default=3.0, help="seconds idle on the welcome screen before a reading")
    args = ap.parse_args()
    args.exe = args.exe.absolute()
    for tool in ("Xvfb", "xdotool", "import"):
        if shutil.which(tool) is None:
            raise SystemExit(f"soak_frozen: {tool} is missing (apt-get install xvfb xdotool imagemagick)")
    if not os.access(args.exe, os.X_OK):
        raise SystemExit(f"soak_frozen: no executable at {args.exe} (run packaging/build.sh)")

    unit_env, umask, core = unit_settings(args.unit)
    work = Path(tempfile.mkdtemp(prefix="kiosk-soak-frozen-"))
    home = work / "home"
    runtime = work / "xdg-runtime"
    home.mkdir()
    runtime.mkdir(mode=0o700)
    shots = Path(tempfile.mkdtemp(prefix="kiosk-soak-frozen-shots-"))
    n = free_display()
    display = f":{n}"
    xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", f"{SIZE[0]}x{SIZE[1]}x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        if Path(f"/tmp/.X11-unix/X{n}").exists():
            break
        time.sleep(0.1)
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "DISPLAY": display,
           "XDG_RUNTIME_DIR": str(runtime), **unit_env}

    def as_the_unit() -> None:
        if umask is not None:
            os.umask(umask)
        if core is not None:
            limit = 0 if core == "0" else resource.RLIM_INFINITY
            resource.setrlimit(resource.RLIMIT_CORE, (limit, limit))

    try:
        kiosk = subprocess.Popen([str(args.exe)], env=env, cwd=str(work), preexec_fn=as_the_unit,
                                 stdout=subprocess.DEVNULL, stderr=open(work / "stderr.txt", "wb"))
    except OSError:
        xvfb.terminate()
        xvfb.wait()
        shutil.rmtree(work, ignore_errors=True)
        raise
    log = home / ".local" / "share" / "kiosk" / "logs" / "kiosk.log"
    desk = Desk(display, log, shots)
    rss: list[float] = []
    threads: list[int] = []
    durations: list[float] = []
    failure = ""
    t_start = time.monotonic()
    try:
        if not desk.wait(("welcome",), 120):
            failure = "the kiosk never showed its welcome screen"
        time.sleep(args.settle)
        for i in range(args.sessions if not failure else 0):
            t0 = time.monotonic()
            outcome = one_session(desk, args.session_timeout)
            if outcome != "verdict":
                failure = f"session {i + 1}: {outcome} (screenshot {desk.shot(f'session-{i + 1}')})"
                break
            time.sleep(1.0)  # the staff reads the verdict
            desk.click("finish")
            if not desk.wait(("welcome",), 30):
                failure = f"session {i + 1}: Finish did not go back to the welcome screen"
                break
            durations.append(time.monotonic() - t0)
            time.sleep(args.settle)
            rss.append(round(proc_status(kiosk.pid, "VmRSS") / 1024, 1))
            threads.append(proc_status(kiosk.pid, "Threads"))
            print(json.dumps({"session": i + 1, "idle_rss_mb": rss[-1], "threads": threads[-1]}),
                  file=sys.stderr, flush=True)
            if kiosk.poll() is not None:
                failure = f"the kiosk exited with {kiosk.returncode} after session {i + 1}"
                break
    finally:
        if kiosk.poll() is None:
            kiosk.send_signal(signal.SIGTERM)
            try:
                kiosk.wait(30)
            except subprocess.TimeoutExpired:
                kiosk.kill()
                kiosk.wait()
        xvfb.terminate()
        xvfb.wait()
    db = home / ".local" / "share" / "kiosk" / "state" / "sessions.sqlite3"
    verified = 0
    if db.exists():
        con = sqlite3.connect(db)
        verified = con.execute("SELECT count(*) FROM sessions WHERE verdict = 'verified'").fetchone()[0]
        con.close()
    left = [str(p) for p in (home / ".local" / "share" / "kiosk" / "media").rglob("*") if p.is_file()] \
        if (home / ".local" / "share" / "kiosk" / "media").exists() else []
    shutil.rmtree(work, ignore_errors=True)
    done = len(rss)
    goal = {
        "all_played": not failure and done == args.sessions,
        "all_verified": verified == args.sessions,
        "rss_within_30mb_of_session_5": done >= 5 and rss[-1] - rss[4] <= 30.0,
        "threads_back_to_session_1": done >= 1 and threads[-1] <= threads[0],
        "no_media_left": not left,
    }
    out = {
        "executable": str(args.exe), "unit": str(args.unit), "unit_environment": unit_env,
        "sessions": done, "verified": verified, "idle_rss_mb": rss, "threads": threads,
        "seconds": round(time.monotonic() - t_start, 1),
        "session_seconds": round(statistics.median(durations), 1) if durations else None,
        "failure": failure or None, "goal": goal, "goal_met": all(goal.values()),
    }
    if not failure:
        shutil.rmtree(shots, ignore_errors=True)
    print(json.dumps(out, indent=1))
    return 0 if out["goal_met"] else 1


if __name__ == "__main__":
    sys.exit(main())
