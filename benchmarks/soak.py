"""Soak test: many consecutive applicant sessions through the kiosk's own session code, against
an in-process sandbox broker that misbehaves (seeded random faults), reporting what leaks.

Each session drives the REAL ``kiosk.core.session.SessionEngine`` through its Qt adapter (with its
``SubmissionWorker`` thread, the encrypted ``MediaStore``, the open-token journal and the resend
of dropped uploads) in an offscreen QApplication, as the pages do: details, consent, every
capture step the provider allows (signature, ID card front/back, selfie, read-a-sentence video,
admittance video) with pre-made real media (a face photo, a card, a short WebM with speech-like
sound), then VerifyToken. Faults are injected per request with a seeded RNG: dropped connections
mid-upload, lost answers, 503/500, slow answers, truncated and non-JSON bodies. A session ends in
a verdict, or on the problem screen with a typed broker error (then it is cancelled: AbortToken
and wipe), or it is counted as hung.

    .venv/bin/python benchmarks/soak.py --sessions 200 --seconds 900 --seed 7

Prints JSON: sessions completed/verified/with an error/hung, resends, RSS at start and end (MB),
threads, open files and media files left, journal entries left, and the media the in-process
sandbox broker holds on purpose (for its citizen-data answers): that part of the RSS growth is
the sandbox's, not the kiosk's.

Needs a PySide6 without the signal refcount bug (see ``benchmarks/qt_signal_refcount.py``):
with PySide6 6.12.0 the process aborts ("none_dealloc") after about 150 sessions.
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import random
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

FAULT_KINDS = [
    ("reset_mid_upload", {"reset_after_bytes": 2000}, "upload"),
    ("lost_answer", {"reset": True, "process": True}, "upload"),
    ("http_503", {"status": 503}, "any"),
    ("http_500", {"status": 500}, "any"),
    ("slow", {"delay": 0.3}, "any"),
    ("truncated", {"truncate": True}, "upload"),
    ("non_json", {"non_json": True}, "read"),
]
UPLOADS = {"SaveSignature", "SendProbImageByToken", "SendProbVideoByToken", "SendAdmittanceVideoByToken",
           "SavePersonDocument"}
READS = {"GetRandomText", "GetAdmittanceText", "GetTokenProviderProperties"}


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def make_media():
    import numpy as np
    from skimage import data

    from kiosk.cvcompat import cv2
    from mediafiles import encode_webm  # tests/mediafiles.py

    face = cv2.resize(data.astronaut(), (480, 480))
    ok, jpeg = cv2.imencode(".jpg", cv2.cvtColor(face, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 90])
    card = np.full((300, 480, 3), 235, np.uint8)
    cv2.rectangle(card, (20, 20), (460, 280), (40, 40, 40), 3)
    ok, png = cv2.imencode(".png", card)
    return jpeg.tobytes(), png.tobytes(), encode_webm(cv2.resize(face, (320, 320)), 1.5)


class FaultPlan:
    """Per request: with probability ``rate`` one fault that fits the method (seeded)."""

    def __init__(self, seed: int, rate: float):
        self.rng = random.Random(seed)
        self.rate = rate
        self.injected: dict[str, int] = {}
        self.lock = threading.Lock()

    def __call__(self, method: str):
        from kiosk.sandbox.config import Faults

        with self.lock:
            if method in ("AbortToken", "SetToken", "VerifyToken") or self.rng.random() >= self.rate:
                return None
            fits = [(n, f) for n, f, where in FAULT_KINDS
                    if where == "any" or (where == "upload" and method in UPLOADS)
                    or (where == "read" and method in READS)]
            name, fields = self.rng.choice(fits)
            self.injected[name] = self.injected.get(name, 0) + 1
            return Faults(**fields)


class Driver:
    """Plays the pages: reacts to ``page_requested`` as each page would."""

    def __init__(self, controller, media, details):
        self.c = controller.engine  # events go to the engine; its pages come as the adapter's signals
        self.jpeg, self.png, self.webm = media
        self.details = details
        self.ended: str | None = None
        self.error: str | None = None
        self.steps: list[str] = []
        controller.page_requested.connect(self.on_page)

    def on_page(self, name: str, kw: dict) -> None:
        from PySide6.QtCore import QTimer

        c = self.c
        if name == "details":
            QTimer.singleShot(0, lambda: c.details_entered(self.details))
        elif name == "consent":
            QTimer.singleShot(0, c.consent_given)
        elif name in ("signature", "id_front", "id_back"):
            self.steps.append(name)
            QTimer.singleShot(0, lambda: c.send_document(name, self.png, lambda _r: c.step_passed(name),
                                                         lambda exc: self.fail(name, exc)))
        elif name == "selfie":
            self.steps.append(name)
            QTimer.singleShot(0, lambda: c.send_selfie(self.jpeg, lambda r: self.outcome(name, r),
                                                       lambda exc: self.fail(name, exc)))
        elif name in ("selfie_video", "admittance_video"):
            self.steps.append(name)

            def got(text):
                c.send_video(name, self.webm, text, lambda r: self.outcome(name, r), lambda exc: self.fail(name, exc))

            QTimer.singleShot(0, lambda: c.get_sentence(name, got, lambda exc: self.fail(name, exc)))
        elif name == "verdict":
            self.ended = "verified" if kw.get("verified") else "not_verified"
            QTimer.singleShot(0, c.finish)
        elif name == "problem":
            err = kw.get("error")
            self.error = f"{type(err).__name__}:{getattr(err, 'kind', '')}:{getattr(err, 'code', '')}"
            self.ended = "problem"
            QTimer.singleShot(0, lambda: c.cancel("cancelled"))

    def outcome(self, step, result) -> None:
        if getattr(result, "passed", True):
            self.c.step_passed(step)
        elif not self.c.step_failed(step, None):
            pass  # tries ran out: the flow shows the verdict or the problem page
        else:
            self.on_page(step, {})  # another try

    def fail(self, step, exc) -> None:
        self.error = f"{type(exc).__name__}:{getattr(exc, 'kind', '')}:{getattr(exc, 'code', '')}"
        if not self.c.step_failed(step, None):
            self.ended = self.ended or "step_error"
        else:
            self.on_page(step, {})


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sessions", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=600.0, help="stop starting new sessions after this")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--fault-rate", type=float, default=0.08, help="share of requests that get a fault")
    ap.add_argument("--session-timeout", type=float, default=90.0)
    args = ap.parse_args(argv)

    home = Path(tempfile.mkdtemp(prefix="kiosk-soak-"))
    os.environ["KIOSK_HOME"] = str(home)
    os.environ["KIOSK_SETTINGS"] = str(home / "settings.toml")

    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    from kiosk import paths
    from kiosk.app import Services
    from kiosk.config.settings import Settings
    from kiosk.core import resend
    from kiosk.core.recovery import journal
    from kiosk.core.validation import ApplicantDetails
    from kiosk.sandbox.server import SandboxBroker
    from kiosk.ui.session import SessionController

    resend.BACKOFF_BASE = 0.2  # the soak is about leaks, not waiting: shorter back-offs, same code
    resend.BACKOFF_CAP = 1.0
    app = QApplication.instance() or QApplication([])
    media = make_media()
    details = ApplicantDetails.parse({"national_code": "0012345679", "birth_date": "1370/01/01",
                                      "mobile": "09123456789", "card_serial": "1A23456789"})
    plan = FaultPlan(args.seed, args.fault_rate)
    sandbox = SandboxBroker(home / "sandbox-creds", port=0)
    sandbox.start()
    sandbox.set_faults(plan)
    settings = Settings({"broker.retries": 2, "broker.timeout": 5.0, "session.idle_timeout": 600})
    services = Services(settings, sandbox.url, sandbox.credentials)

    def pump(seconds):
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            QCoreApplication.processEvents()
            time.sleep(0.002)

    # warm-up session (imports, first connections), not counted
    gc.collect()
    controller = SessionController(services)
    start_threads, start_fds = threading.active_count(), open_fds()
    results: dict[str, int] = {}
    errors: dict[str, int] = {}
    durations: list[float] = []
    rss: list[float] = []
    t0 = time.monotonic()
    done = 0
    resends_before = _resends()
    for i in range(args.sessions):
        if time.monotonic() - t0 > args.seconds:
            break
        driver = Driver(controller, media, details)
        s0 = time.monotonic()
        controller.engine.start()
        while driver.ended is None and time.monotonic() - s0 < args.session_timeout:
            pump(0.01)
        ended = driver.ended or "hung"
        if ended == "hung":
            controller.engine.cancel("cancelled")
        controller.worker.wait_idle(20)
        pump(0.05)
        controller.page_requested.disconnect(driver.on_page)
        results[ended] = results.get(ended, 0) + 1
        if driver.error:
            errors[driver.error] = errors.get(driver.error, 0) + 1
        durations.append(time.monotonic() - s0)
        done += 1
        if i == 4:
            gc.collect()
            rss.append(rss_mb())  # after warm-up
            warm_threads, warm_fds = threading.active_count(), open_fds()
        if i >= 4 and (i + 1) % 25 == 0:
            gc.collect()
            rss.append(rss_mb())
            print(json.dumps({"progress": i + 1, "outcomes": results, "rss_mb": round(rss[-1], 1),
                              "threads": threading.active_count(), "fds": open_fds(),
                              "none_refcount": sys.getrefcount(None)}), file=sys.stderr, flush=True)
    if controller.engine.active:
        controller.engine.cancel("shutdown")
    controller.engine.shutdown()
    pump(0.2)
    gc.collect()
    end_rss = rss_mb()
    media_left = [str(p) for p in paths.media_dir().rglob("*") if p.is_file()]
    journal_left = len(journal().entries())
    held = 0  # media the sandbox broker keeps for its citizen-data answers (in this process's RSS)
    for rec in list(getattr(sandbox, "_tokens", {}).values()):
        caps = [getattr(rec, k, None) for k in ("signature", "selfie", "video", "admittance", "speech")]
        caps += list(getattr(rec, "documents", {}).values())
        held += sum(len(getattr(c, "data", b"") or b"") for c in caps if c is not None)
    sandbox.stop()
    report = {
        "sessions_started": done,
        "outcomes": results,
        "errors_seen": errors,
        "every_session_ended_in_verdict_or_clear_error": results.get("hung", 0) == 0,
        "resends": _resends() - resends_before,
        "faults_injected": plan.injected,
        "seconds": round(time.monotonic() - t0, 1),
        "median_session_s": round(sorted(durations)[len(durations) // 2], 2) if durations else None,
        "rss_mb": {"after_warmup": round(rss[0], 1) if rss else None, "samples": [round(x, 1) for x in rss],
                   "end": round(end_rss, 1)},
        "threads": {"at_start": start_threads, "after_warmup": locals().get("warm_threads"),
                    "end": threading.active_count(), "names": sorted(t.name for t in threading.enumerate())},
        "open_fds": {"at_start": start_fds, "after_warmup": locals().get("warm_fds"), "end": open_fds()},
        "sandbox_held_media_mb": round(held / 1e6, 1),
        "media_files_left": len(media_left),
        "journal_entries_left": journal_left,
    }
    print(json.dumps(report, indent=1, ensure_ascii=False))
    import shutil

    shutil.rmtree(home, ignore_errors=True)
    ok = results.get("hung", 0) == 0 and not media_left and journal_left == 0
    return 0 if ok else 1


_RESEND_COUNT = [0]


def _count_resends() -> None:
    import logging

    class Count(logging.Handler):
        def emit(self, record):
            if "resend" in str(record.msg):
                _RESEND_COUNT[0] += 1

    lg = logging.getLogger("kiosk.core.resend")
    lg.setLevel(logging.INFO)
    lg.addHandler(Count())


def _resends() -> int:
    return _RESEND_COUNT[0]


if __name__ == "__main__":
    _count_resends()
    sys.exit(main())
