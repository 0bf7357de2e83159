"""A whole day at the desk: N sessions through the REAL window, driven as a person would.

The wizard (``kiosk.ui.shell.KioskWindow``) runs with the simulated camera and microphone against
the built-in sandbox broker (in this process, as the demo installation runs it) or ``--broker
URL --credentials DIR``. Each session is played with mouse clicks and key presses into the real
widgets (``QTest``): Start, the details typed key by key, the consent box and "I agree", every
capture step the provider allows (the documents and the selfie open on their preparation view:
"I'm ready" is clicked, then they capture themselves when the checks hold; the videos are
started with their button), then Finish on the verdict. After each
session the window idles on the welcome screen for a moment and the figures are taken there.

Prints one JSON object: ``sessions``, ``verified``, ``idle_rss_mb`` (after each session, at the
idle welcome screen), ``threads`` (the process's OS threads then, mediapipe's and Qt's included),
``python_threads``, ``seconds``, ``session_seconds`` (median), and the goal's verdict: after 100
sessions, idle RSS within 30 MB of its value after session 5 and threads back to their count
after session 1, every session verified.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/soak_ui.py --sessions 100
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

CAPTURE = ("signature", "id_front", "id_back", "selfie", "selfie_video", "admittance_video")
PHOTO = ("signature", "id_front", "id_back", "selfie")  # each opens on its preparation view
DETAILS = {"national_code": "0012345679", "birth_date": "1370/01/01", "mobile": "09123456789",
           "card_serial": "1A23456789"}


def status(field: str) -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sessions", type=int, default=10)
    ap.add_argument("--broker", default=None, help="a broker URL (default: the built-in sandbox broker)")
    ap.add_argument("--credentials", type=Path, default=None, help="its credentials folder")
    ap.add_argument("--session-timeout", type=float, default=240.0)
    ap.add_argument("--recording-seconds", type=float, default=2.0)
    ap.add_argument("--trace", action="store_true",
                    help="after each session also print where memory goes: Python objects by type (growth "
                         "since session 2), Python's allocated blocks, glibc's in-use heap, Qt widgets")
    ap.add_argument("--no-arena-bound", action="store_true",
                    help="leave glibc's malloc arenas unbounded (the kiosk's main bounds them)")
    args = ap.parse_args()
    arenas = None
    if not args.no_arena_bound:
        from kiosk.memory import bound_arenas

        arenas = bound_arenas()  # as kiosk.__main__ does before any thread starts

    home = Path(tempfile.mkdtemp(prefix="kiosk-soak-ui-"))
    os.environ.setdefault("KIOSK_HOME", str(home))
    os.environ.setdefault("KIOSK_SETTINGS", str(home / "settings.toml"))

    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QCheckBox, QStyle, QStyleOptionButton

    from kiosk.app import Services, create_application
    from kiosk.config.settings import Settings
    from kiosk.ui.shell import KioskWindow

    settings = Settings({"recording.seconds": args.recording_seconds, "session.idle_timeout": 600,
                         "camera.source": "simulated", "microphone.source": "simulated"})
    app, language = create_application(lang="fa")
    if args.broker:
        from kiosk.broker.credentials import load_dir

        services = Services(settings, args.broker, load_dir(args.credentials))
    else:
        from kiosk.sandbox.server import SandboxBroker

        sandbox = SandboxBroker(credentials_dir=home / "sandbox", port=0).start()
        services = Services(settings, sandbox.url, sandbox.credentials, sandbox=sandbox)
    window = KioskWindow(services, language, fullscreen=False)
    window.show_start()

    def pump(seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            QCoreApplication.processEvents()
            time.sleep(0.005)

    def wait(pred, timeout: float) -> bool:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            QCoreApplication.processEvents()
            if pred():
                return True
            time.sleep(0.005)
        return False

    def click(widget) -> None:
        pos = widget.rect().center()
        if isinstance(widget, QCheckBox):  # where the box and its text are, not the row's middle
            opt = QStyleOptionButton()
            widget.initStyleOption(opt)
            pos = widget.style().subElementRect(QStyle.SubElement.SE_CheckBoxClickRect, opt, widget).center()
        QTest.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos)

    def on(name: str):
        return window.current is not None and window.current.name == name

    def one_session() -> str:
        click(window.pages["welcome"].start)
        if not wait(lambda: on("details"), 20):
            return "no_details"
        page = window.pages["details"]
        for field, value in DETAILS.items():
            page.edits[field].setFocus()
            QTest.keyClicks(page.edits[field], value)
        click(page.next)
        if not wait(lambda: on("consent"), 20):
            return "no_consent"
        click(window.pages["consent"].check)
        click(window.pages["consent"].agree)
        deadline = time.monotonic() + args.session_timeout
        while time.monotonic() < deadline:
            if not wait(lambda: window.current is not None and window.current.name in (*CAPTURE, "verdict", "problem"),
                        max(1.0, deadline - time.monotonic())):
                return "hung"
            page = window.current
            if page.name == "problem":
                return "problem"
            if page.name == "verdict":
                verified = bool(page.verified)
                click(page.finish)
                wait(lambda: on("welcome"), 20)
                return "verified" if verified else "failed"
            if page.name in PHOTO:  # the preparation view: "I'm ready" starts the capture
                if not getattr(page, "preparing", False):
                    return "no_preparation"
                click(page.prepare_view.start)
            if page.name in ("signature", "id_front", "id_back"):  # a photo stops on its review: "Send"
                wait(lambda p=page: p.phase == "review" or window.current is not p, max(1.0, deadline - time.monotonic()))
                if window.current is page and page.phase == "review":
                    click(page.send_card)
            if page.name in ("selfie_video", "admittance_video"):
                wait(lambda p=page: p.phase == "ready" or window.current is not p, 30)
                if window.current is page:
                    click(page.start_button)
            wait(lambda p=page: window.current is not p, max(1.0, deadline - time.monotonic()))
        return "hung"

    baseline: dict[str, int] = {}

    def trace(session: int) -> dict:
        """Where the memory is (``--trace``): what a leak hunt needs, printed per session."""
        import ctypes
        import gc
        from collections import Counter

        from PySide6.QtWidgets import QApplication

        gc.collect()
        counts = Counter(type(o).__name__ for o in gc.get_objects())
        if session == 2:
            baseline.update(counts)
        grown = {k: v - baseline.get(k, 0) for k, v in counts.items()} if baseline else {}
        top = dict(sorted(((k, d) for k, d in grown.items() if d > 0), key=lambda kv: -kv[1])[:8])

        class Mallinfo2(ctypes.Structure):
            _fields_ = [(n, ctypes.c_size_t) for n in ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks",
                                                       "fsmblks", "uordblks", "fordblks", "keepcost")]

        heap = {}
        try:
            libc = ctypes.CDLL("libc.so.6")
            libc.mallinfo2.restype = Mallinfo2
            mi = libc.mallinfo2()
            heap = {"heap_in_use_mb": round(mi.uordblks / 2**20, 1), "heap_free_mb": round(mi.fordblks / 2**20, 1),
                    "mmapped_mb": round(mi.hblkhd / 2**20, 1)}
        except (OSError, AttributeError):
            pass
        return {"py_objects": sum(counts.values()), "py_blocks": sys.getallocatedblocks(),
                "qt_widgets": len(QApplication.allWidgets()), **heap, "grown_types": top}

    outcomes: dict[str, int] = {}
    rss: list[float] = []
    threads: list[int] = []
    py_threads: list[int] = []
    durations: list[float] = []
    t0 = time.monotonic()
    pump(1.0)
    before = {"rss_mb": round(status("VmRSS") / 1024, 1), "threads": status("Threads")}
    for i in range(args.sessions):
        s0 = time.monotonic()
        outcome = one_session()
        durations.append(time.monotonic() - s0)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
        if outcome in ("hung", "no_details", "no_consent", "problem", "no_preparation") and window.session.active:
            window.session.cancel("cancelled")
        pump(1.5)  # idle at the welcome screen
        rss.append(round(status("VmRSS") / 1024, 1))
        threads.append(status("Threads"))
        py_threads.append(threading.active_count())
        line = {"session": i + 1, "outcome": outcome, "idle_rss_mb": rss[-1], "threads": threads[-1]}
        if args.trace:
            line.update(trace(i + 1))
        print(json.dumps(line), file=sys.stderr, flush=True)
    window.shutdown()
    window.close()
    services.close()
    pump(0.2)
    n = len(rss)
    goal = None
    if n >= 5:
        goal = {"rss_within_30mb_of_session_5": abs(rss[-1] - rss[4]) <= 30,
                "threads_back_to_session_1": threads[-1] <= threads[0],
                "every_session_verified": outcomes.get("verified", 0) == n}
    out = {"sessions": n, "verified": outcomes.get("verified", 0), "outcomes": outcomes, "before": before,
           "idle_rss_mb": rss, "threads": threads, "python_threads": py_threads,
           "seconds": round(time.monotonic() - t0, 1),
           "session_seconds": round(statistics.median(durations), 2) if durations else None,
           "malloc_arenas": arenas or os.environ.get("MALLOC_ARENA_MAX"), "goal": goal}
    print(json.dumps(out, indent=1))
    return 0 if goal is None or all(goal.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
