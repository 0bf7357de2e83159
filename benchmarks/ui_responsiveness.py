"""Figures for the UI thread's responsiveness while the broker is called (the wizard's submission).

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/ui_responsiveness.py [--rounds N]

Drives the real window against the built-in sandbox broker (simulated camera and microphone),
from the consent screen through SetToken, GetTokenProviderProperties and SaveSignature to the
ID-card screen, with a 10 ms timer on the UI thread. Prints one JSON line per round and one
summary: the largest and 95th-percentile gap between timer events (10 ms when the UI thread
never waits), and how long the signature button's click took to return (the upload itself runs
in the worker). The test (tests/ui/test_wizard.py) checks the order of events, not these times.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "ui"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from ui_helpers import start_to_consent, wait_page  # noqa: E402

# the wizard tests' fast settings (tests/ui/conftest.py)
FAST = {"recording.seconds": 2.0, "quality.steady_seconds": 0.1, "session.idle_timeout": 60,
        "camera.source": "simulated:dark", "microphone.source": "simulated"}


class Bot:
    """The few pytest-qt ``qtbot`` calls the wizard helpers make."""

    def waitUntil(self, condition: Callable[[], object], timeout: int = 5000) -> None:
        deadline = time.monotonic() + timeout / 1000
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError("the window did not get there")
            QApplication.processEvents()
            QTest.qWait(5)

    def keyClicks(self, widget: QWidget, text: str) -> None:
        QTest.keyClicks(widget, text)

    def mouseClick(self, widget: QWidget, button: object) -> None:
        QTest.mouseClick(widget, button)


def one_round(bot: Bot, broker_url: str, credentials: Path) -> dict[str, float | int]:
    from kiosk.app import Services, create_application
    from kiosk.config.settings import Settings
    from kiosk.ui.shell import KioskWindow

    _, language = create_application(lang="en")
    window = KioskWindow(Services(Settings(dict(FAST)), broker_url, credentials), language, fullscreen=False)
    window.countdown_ms = 50
    window.show_start()
    gaps: list[float] = []
    last = [0.0]

    def beat() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    heart = QTimer()
    heart.setInterval(10)
    heart.timeout.connect(beat)
    try:
        consent = start_to_consent(bot, window)
        heart.start()
        QTest.qWait(50)  # a steady beat before the submission starts
        gaps.clear()
        last[0] = time.perf_counter()
        consent.agree.click()
        page = wait_page(bot, window, "signature")
        page.prepare_view.start.click()  # "I'm ready" on the preparation view
        bot.waitUntil(lambda: page.capture is not None and page.capture.latest is not None, timeout=10000)
        t = time.perf_counter()
        page.take.click()
        click_ms = (time.perf_counter() - t) * 1000
        wait_page(bot, window, "id_front")
    finally:
        heart.stop()
        window.shutdown()
        window.close()
    ms = sorted(g * 1000 for g in gaps)
    return {"beats": len(ms), "max_gap_ms": round(ms[-1], 1), "p95_gap_ms": round(ms[int(0.95 * (len(ms) - 1))], 1),
            "median_gap_ms": round(statistics.median(ms), 1), "take_click_ms": round(click_ms, 1)}


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--rounds", type=int, default=5)
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as d:
        os.environ["KIOSK_HOME"] = str(Path(d) / "home")
        from kiosk.sandbox.server import SandboxBroker

        broker = SandboxBroker(credentials_dir=Path(d) / "sandbox-creds", port=0)
        broker.start()
        try:
            bot = Bot()
            rounds = []
            for i in range(args.rounds):
                r = one_round(bot, broker.url, broker.credentials)
                rounds.append(r)
                print(json.dumps({"round": i + 1, **r}), flush=True)
        finally:
            broker.stop()
    print(json.dumps({"measure": "UI thread gaps while submitting (10 ms timer)", "rounds": len(rounds),
                      "max_gap_ms": max(r["max_gap_ms"] for r in rounds),
                      "p95_gap_ms": round(statistics.median(r["p95_gap_ms"] for r in rounds), 1),
                      "take_click_ms_max": max(r["take_click_ms"] for r in rounds)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
