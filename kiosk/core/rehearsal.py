"""A whole applicant session by a simulated applicant, without a window: ``kiosk rehearse``.

The real session engine (``kiosk.core.session``) talks to the broker; a simulated applicant
answers its pages as a person at the desk would: the details of a test applicant, consent, then
every capture step the provider's permissions allow, each captured from the simulated camera and
microphone through the kiosk's own pre-checks (the wet signature cleaned, the card found and
straightened, a selfie that passes the face checks, videos recorded as WebM with the voice), and
finally VerifyToken. Every broker call is reported (method, code, seconds) as it ends.

For IT: the proof that a new installation (its keys, its FlowId, its network path and the
broker's reading of our requests) works end to end before the branch opens.
"""
from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from kiosk import paths
from kiosk.broker.admittance import recording_seconds
from kiosk.capture.camera import open_camera
from kiosk.capture.microphone import open_microphone
from kiosk.capture.recorder import record_clip
from kiosk.core.media_store import MediaStore
from kiosk.core.session import QueueRunner, SessionEngine
from kiosk.core.validation import ApplicantDetails
from kiosk.cvcompat import cv2
from kiosk.errors import KioskError
from kiosk.quality.documents import analyze_card
from kiosk.quality.face import FaceAnalyzer
from kiosk.quality.signature import analyze_signature

log = logging.getLogger(__name__)

#: The test applicant (a valid national code; no real person's data).
TEST_APPLICANT = {"national_code": "0012345679", "birth_date": "1370/01/01", "mobile": "09123456789",
                  "card_serial": "1A23456789", "first_name": "آزمون", "last_name": "کیوسک"}
#: Frames a pre-check may look at before the step is given up (the simulated scenes pass early).
MAX_FRAMES = 150
#: Broker tries a step may spend in a rehearsal (the broker's own limits still apply).
MAX_TRIES = 3


class RehearsalFailed(KioskError):
    """A step could not be captured from the simulated devices (the pre-check never passed)."""

    message_key = "rehearsal.capture_failed"
    default_action = "check_settings"


class _Applicant:
    """The engine's listener: what a person at the desk does on each page, queued as actions the
    rehearsal loop runs once the broker jobs under way are done."""

    def __init__(self) -> None:
        self.actions: deque[tuple[str, dict[str, Any]]] = deque()
        self.verdict: dict[str, Any] | None = None
        self.problem: KioskError | None = None
        self.problem_step = ""
        self.ended: str | None = None

    def show_page(self, name: str, kw: dict[str, Any]) -> None:
        if name == "verdict":
            self.verdict = dict(kw)
        elif name == "problem":
            self.problem, self.problem_step = kw.get("error"), str(kw.get("step", ""))
        self.actions.append((name, kw))

    def release_devices(self) -> None:
        """Each capture opens and closes its own simulated device."""

    def session_ended(self, why: str) -> None:
        self.ended = why

    def token_aborted(self, order_id: str) -> None:
        log.info("rehearsal: token aborted")


class _NoSessionsLog:
    """Takes the sessions log's calls and keeps nothing."""

    def __getattr__(self, name: str) -> Callable[..., None]:
        return lambda *args, **kw: None


class _TimedClient:
    """The real broker client, with each HTTP method's code and time reported."""

    def __init__(self, client: Any, report: Callable[[dict[str, Any]], None]):
        self._client = client
        original = client._request

        def timed(name: str, *args: Any, **kw: Any) -> Any:
            t0 = time.monotonic()
            try:
                envelope = original(name, *args, **kw)
            except KioskError as exc:
                report({"method": name, "code": exc.code, "error": type(exc).__name__,
                        "seconds": round(time.monotonic() - t0, 3)})
                raise
            report({"method": name, "code": getattr(envelope, "response_code", None),
                    "seconds": round(time.monotonic() - t0, 3)})
            return envelope

        client._request = timed

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)


def _frames(spec: str, settings: Any) -> Any:
    camera = open_camera(spec, settings["camera.width"], settings["camera.height"], settings["camera.fps"])
    with camera:
        for _ in range(MAX_FRAMES):
            frame = camera.read()
            if frame is not None:
                yield frame.image


def capture_document(step: str, settings: Any) -> bytes:
    """The PNG the wizard would send for a document step, from the simulated camera."""
    if step == "signature":
        for image in _frames("simulated:signature", settings):
            report = analyze_signature(image)
            if report.ok and report.png:
                return report.png
    else:
        side = "front" if step == "id_front" else "back"
        scene = "simulated:card" if side == "front" else "simulated:card_back"
        for image in _frames(scene, settings):
            card = analyze_card(image, side)
            if card.ok and card.png:
                return card.png
    raise RehearsalFailed(f"{step}: the pre-check never passed on the simulated camera")


def capture_selfie(settings: Any, analyzer: FaceAnalyzer) -> bytes:
    for image in _frames("simulated", settings):
        if analyzer.analyze(image).ok:
            ok, buf = cv2.imencode(".jpg", np.ascontiguousarray(image), [cv2.IMWRITE_JPEG_QUALITY, 92])
            if ok:
                return bytes(buf.tobytes())
    raise RehearsalFailed("selfie: the face checks never passed on the simulated camera")


def record_video(settings: Any, analyzer: FaceAnalyzer, seconds: float) -> Path:
    out = paths.media_dir() / f"rec-rehearsal-{time.time_ns()}.webm"
    camera = open_camera("simulated", settings["camera.width"], settings["camera.height"], settings["camera.fps"])
    microphone = open_microphone("simulated", settings["microphone.sample_rate"])
    with microphone, camera:
        result = record_clip(camera, microphone, seconds, out, analyzer=analyzer, settings=settings)
    if result.path is None or result.retake_reason:
        if result.path is not None:
            Path(result.path).unlink(missing_ok=True)
        raise RehearsalFailed(f"video: the recording needs a retake ({result.retake_reason})")
    return Path(result.path)


def rehearse(settings: Any, client_factory: Callable[[], Any], report: Callable[[dict[str, Any]], None],
             details: dict[str, str] | None = None) -> dict[str, Any]:
    """One whole session; ``report`` gets a dict per broker call. Returns the last line:
    ``{"verdict": "verified" | "failed" | "incomplete" | "error", "order_id", "steps", ...}``."""
    applicant = _Applicant()
    runner = QueueRunner(lambda: _TimedClient(client_factory(), report))
    # a rehearsal is IT's, not an applicant's: it prints its own lines and stays out of the
    # branch's sessions log (the staff console's "today's sessions")
    engine = SessionEngine(settings, runner, lambda sid: MediaStore(paths.media_dir(), sid), applicant,
                           sessions_log=_NoSessionsLog)
    steps_done: list[dict[str, Any]] = []
    analyzer = FaceAnalyzer(settings)
    t0 = time.monotonic()
    try:
        engine.start()
        while True:
            runner.drain()
            if not applicant.actions:
                break
            page, kw = applicant.actions.popleft()
            if page == "details":
                engine.details_entered(ApplicantDetails.parse(details or TEST_APPLICANT))
            elif page == "consent":
                engine.consent_given()
            elif page in ("signature", "id_front", "id_back", "selfie", "selfie_video", "admittance_video"):
                steps_done.append(_capture_step(engine, runner, page, settings, analyzer))
            elif page in ("problem", "verdict", "welcome"):
                break
        order_id = engine.data.order_id if engine.data is not None else ""
        if applicant.verdict is not None:
            verdict = "verified" if applicant.verdict.get("verified") else "failed"
            out: dict[str, Any] = {"verdict": verdict, "order_id": order_id, "steps": steps_done}
            engine.finish()
        else:
            problem = applicant.problem
            out = {"verdict": "error", "order_id": order_id, "steps": steps_done,
                   "step": applicant.problem_step,
                   "code": problem.code if problem is not None else None,
                   "sentence": {"fa": problem.sentence("fa"), "en": problem.sentence("en")} if problem else None}
            engine.cancel("rehearsal")  # AbortToken for whatever was opened
    finally:
        engine.shutdown()
        analyzer.close()
    out["seconds"] = round(time.monotonic() - t0, 2)
    return out


def _capture_step(engine: SessionEngine, runner: QueueRunner, step: str, settings: Any,
                  analyzer: FaceAnalyzer) -> dict[str, Any]:
    """Capture and send one step, taking it again while the broker allows; the engine moves on."""
    record: dict[str, Any] = {"step": step, "tries": 0, "passed": False}
    for _ in range(MAX_TRIES):
        outcome: list[Any] = []
        errors: list[BaseException] = []
        record["tries"] += 1
        if step in ("signature", "id_front", "id_back"):
            engine.send_document(step, capture_document(step, settings), outcome.append, errors.append)
        elif step == "selfie":
            engine.send_selfie(capture_selfie(settings, analyzer), outcome.append, errors.append)
        else:
            sentence: list[str] = []
            engine.get_sentence(step, sentence.append, errors.append)
            runner.drain()
            if errors or not sentence:
                break
            path = record_video(settings, analyzer, recording_seconds(sentence[0], settings))
            assert engine.store is not None
            ref = engine.store.put_file(step, path, "webm")
            engine.send_video(step, ref, sentence[0], outcome.append, errors.append)
        runner.drain()
        if engine.flow.current_step is None or engine.flow.current_step.value != step:
            break  # a fatal broker answer: the engine showed the problem page
        if outcome and getattr(outcome[0], "passed", True):
            record["passed"] = True
            engine.step_passed(step)
            break
        if errors and not (isinstance(errors[0], KioskError) and errors[0].staff_action == "retake"):
            record["error"] = type(errors[0]).__name__  # not the broker's judgement: nothing to retake
            break
        reason = errors[0] if errors else outcome[0] if outcome else None
        record["refused"] = getattr(reason, "code", None) or getattr(reason, "status", None)
        if not engine.step_failed(step, None):
            break
    return record
