"""The capture thread of one capture screen: owns the camera (and, for videos, the microphone)
from the moment the screen is entered until it is left, so devices are open only on capture
screens and released between sessions.

It is ``kiosk.workers.camera.CameraWorker`` (one camera loop in the kiosk) with the microphone
and the recordings run in the same thread, and ``CheckerWorker`` (one checker, newest frame
only) fed from the camera thread:

* Preview: frames are read at the camera's rate in this thread; the UI gets only the newest
  one (``throttle_preview``: ``frame_ready`` is emitted at most once per paint).
* Checks: face checks (``face_checks``) or the document checks of one step (``document``:
  ``DocumentAnalyzer``) in the checker thread, ``report_ready(frame, report)``; with an
  ``autocapture`` (e.g. ``AutoCaptureDocument``) the checker also feeds it and emits
  ``captured`` (the PNG is made there, not in the UI thread).
* Recording: ``record(seconds, out_path)`` makes this same thread run
  ``kiosk.capture.recorder.record_clip`` on the already-open devices; the preview keeps going
  through a tee around the camera, and progress (level, elapsed) comes back by signal.
* Simulated camera: a document step shows a document (``camera_spec_for``).

No widget is touched here; everything goes out through queued signals.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QThread, Signal

from kiosk.capture.base import CameraSource, CaptureError, Frame, SourceInfo
from kiosk.capture.microphone import level_of, open_microphone
from kiosk.capture.recorder import record_clip
from kiosk.quality.documents import AutoCaptureDocument, CardFaceFinder, analyze_card, encode_png
from kiosk.quality.signature import analyze_signature
from kiosk.workers.camera import CameraWorker, CheckerWorker

log = logging.getLogger(__name__)

DOCUMENT_STEPS = ("signature", "id_front", "id_back")
#: the simulated camera's scenario for each document step
SIMULATED_DOCUMENT = {"signature": "signature", "id_front": "card", "id_back": "card_back"}


def camera_spec_for(spec: str, document: str | None) -> str:
    """The camera spec for a step: on the simulated camera's default scenario a document step
    shows the document (a card, a signed sheet), so the demo passes; any other spec (a device, a
    file, an explicitly chosen scenario) is kept."""
    spec = (spec or "").strip()
    if document in SIMULATED_DOCUMENT and spec in ("", "simulated", "simulated:good"):
        return "simulated:" + SIMULATED_DOCUMENT[document]
    return spec


class DocumentAnalyzer:
    """``analyze(image, timestamp_ms)`` for the checker thread: one side of the national card
    (``kiosk.quality.documents.analyze_card`` with one ``CardFaceFinder`` for the screen) or the
    wet signature (``kiosk.quality.signature.analyze_signature``), without the PNG."""

    def __init__(self, step: str, finder=None):
        if step not in DOCUMENT_STEPS:
            raise ValueError(f"not a document step: {step!r}")
        self.step = step
        self.finder = finder
        self._own = False
        if step != "signature" and finder is None:
            self.finder, self._own = CardFaceFinder(), True

    def analyze(self, image, timestamp_ms=None):
        if self.step == "signature":
            return analyze_signature(image, encode=False)

        return analyze_card(image, "front" if self.step == "id_front" else "back", self.finder, encode=False)

    def close(self) -> None:
        if self._own and self.finder is not None:
            self.finder.close()
            self.finder = None


def document_autocapture(step: str, settings=None):
    """``AutoCaptureDocument`` for a step: steady for about ``quality.steady_seconds`` (at least
    3 checked frames); its PNG is the straightened card or the cleaned signature."""

    seconds = float(settings["quality.steady_seconds"]) if settings is not None else 0.5
    frames = max(3, round(seconds * 12))
    if step == "signature":
        return AutoCaptureDocument(frames, encode=lambda _f, r: encode_png(r.cleaned, 6),
                                   hold_still_key="document.signature.hold_still")
    return AutoCaptureDocument(frames, encode=lambda _f, r: encode_png(r.card))


class ArmedAutoCapture:
    """An autocapture that sees no frame until it is armed (the applicant pressed Start on the
    preparation view): the camera and the checks may run behind that view, but nothing is kept
    or counted towards a capture before the applicant said they are ready. ``arm`` is called in
    the UI thread, ``feed`` in the checker thread (a ``threading.Event`` between them); the
    wrapped autocapture never sees a frame from before ``arm``.

    ``on_progress(fraction)`` (set by ``CaptureThread``: its ``steady_progress`` signal) is told
    the wrapped autocapture's ``progress`` after each frame it was fed: the "hold still" ring."""

    def __init__(self, inner, armed: bool = True):
        self.inner = inner
        self.on_progress: Callable[[float], None] | None = None
        self._armed = threading.Event()
        if armed:
            self._armed.set()

    def arm(self) -> None:
        self._armed.set()

    @property
    def armed(self) -> bool:
        return self._armed.is_set()

    def feed(self, frame, report):
        if not self._armed.is_set():
            return None
        shot = self.inner.feed(frame, report)
        tell = self.on_progress
        if tell is not None:
            tell(float(getattr(self.inner, "progress", 0.0) or 0.0))
        return shot

    def __getattr__(self, name: str):
        return getattr(self.inner, name)


class _TeeCamera(CameraSource):
    """Wraps the open camera during a recording so each frame also reaches the preview."""

    def __init__(self, camera: CameraSource, on_frame: Callable[[Frame], None]):
        self.camera = camera
        self.info = camera.info
        self.on_frame = on_frame

    def open(self) -> SourceInfo:  # the camera is already open
        return self.info

    def read(self) -> Frame | None:
        frame = self.camera.read()
        if frame is not None:
            self.on_frame(frame)
        return frame

    def close(self) -> None:  # the worker closes the camera itself
        pass


class CaptureThread(CameraWorker):
    """One capture screen's devices. Start with ``start()``; ``stop()`` joins and releases them."""

    report_ready = Signal(object, object)  # (Frame, FaceReport | CardReport | SignatureReport)
    captured = Signal(object)  # what the autocapture gave (DocumentCapture)
    level = Signal(float)  # microphone level 0-1 (videos)
    recording_progress = Signal(object)  # kiosk.capture.recorder.RecordingProgress
    recording_done = Signal(object)  # RecordingResult
    steady_progress = Signal(float)  # 0-1 of the steady moment an armed autocapture waits for (the ring)
    # inherited: frame_ready(Frame), error(exception), failed(message_key, message)

    def __init__(self, settings, camera_spec: str = "", microphone_spec: str | None = None,
                 face_checks: bool = False, analyzer_factory=None, camera_factory=None,
                 microphone_factory=None, document: str | None = None, autocapture=None, finder_factory=None):
        s = settings
        super().__init__(camera_spec_for(camera_spec, document), s["camera.width"], s["camera.height"],
                         s["camera.fps"], source_factory=camera_factory, throttle_preview=True)
        self.setObjectName("kiosk-capture")
        self.settings = settings
        self.camera_spec = self.spec
        self.microphone_spec = microphone_spec
        self.microphone_factory = microphone_factory
        self.analyzer_factory = analyzer_factory
        self.document = document
        self.checker = None
        if document is not None:
            self.checker = CheckerWorker(
                settings, lambda: DocumentAnalyzer(document, finder_factory() if finder_factory is not None
                                                   and document != "signature" else None),
                autocapture=autocapture)
        elif face_checks:
            self.checker = CheckerWorker(settings, analyzer_factory, autocapture=autocapture)
        self._listen(autocapture)
        if self.checker is not None:
            self.checker.report_ready.connect(self.report_ready)
            self.checker.captured.connect(self.captured)
            self.add_sink(self.checker.submit)
        self._record_request: tuple[float, Path | None, object, object] | None = None
        self._record_stop = threading.Event()
        self._mic = None
        self._last_level = 0.0

    @property
    def frames_read(self) -> int:
        return self.frames

    def _listen(self, autocapture) -> None:
        if autocapture is not None and hasattr(autocapture, "on_progress"):
            autocapture.on_progress = self.steady_progress.emit  # queued to the UI thread

    # -- UI thread
    def replace_autocapture(self, autocapture) -> None:
        """A fresh autocapture for the running checks (after a picture was looked at and retaken):
        the camera stays open; the checker feeds the new one from its next frame on."""
        self._listen(autocapture)
        if self.checker is not None:
            self.checker.autocapture = autocapture

    def set_check_interval(self, seconds: float) -> None:
        """Check at most one frame every ``seconds`` (0: every frame the checker can take)."""
        if self.checker is not None:
            self.checker.min_interval = max(0.0, float(seconds))

    def start(self, priority: QThread.Priority = QThread.Priority.InheritPriority) -> None:
        # the checker loads its models while the camera opens
        if self.checker is not None:
            self.checker.start()
        super().start(priority)

    def record(self, seconds: float, out_path: Path | None, keep=None, writer=None) -> None:
        """Record ``seconds``. With ``writer() -> MediaWriter`` (e.g. ``lambda:
        store.writer(step, "webm")``) the muxer writes straight into the encrypted media store:
        no plaintext on disk at any moment; the ref is ``recording_done``'s ``result.ref`` (a
        stopped or failed recording is discarded, overwritten). Otherwise to ``out_path``, and
        ``keep(path) -> ref`` (e.g. ``MediaStore.put_file``) encrypts it right after."""
        self._record_stop.clear()
        self._record_request = (float(seconds), Path(out_path) if out_path is not None else None, keep, writer)

    def stop_recording(self) -> None:
        self._record_stop.set()

    def stop(self, timeout: float = 10.0) -> bool:
        self._record_stop.set()
        done = super().stop(int(timeout * 1000))
        if self.checker is not None:
            done = self.checker.stop() and done
        return done

    # -- the thread (CameraWorker hooks)
    def _open_microphone(self):
        if self.microphone_factory is not None:
            return self.microphone_factory()

        return open_microphone(self.microphone_spec or "", self.settings["microphone.sample_rate"])

    def _devices_opened(self, source) -> None:
        if self.microphone_spec is not None:
            mic = self._open_microphone()
            mic.open()  # early: the first second of a stream is often lost
            self._mic = mic

    def _between_frames(self, source) -> bool:
        request, self._record_request = self._record_request, None
        if request is not None and self._mic is not None:
            self._run_recording(source, self._mic, *request)
            return True
        if self._mic is not None:  # keep the queue short and show the level

            while (chunk := self._mic.read(timeout=0)) is not None:
                self._last_level = level_of(chunk.samples)
            self.level.emit(self._last_level)
        return False

    def _source_ended(self) -> None:
        raise CaptureError("the camera stopped giving pictures", "capture.failed")

    def _devices_closing(self) -> None:
        mic, self._mic = self._mic, None
        if mic is not None:
            try:
                mic.close()
            except Exception as exc:  # noqa: BLE001
                log.warning("device close failed: %s", type(exc).__name__)

    def _run_recording(self, camera, mic, seconds: float, out_path: Path | None, keep=None, writer=None) -> None:

        while mic.read(timeout=0) is not None:  # audio from before the start is not wanted
            pass
        analyzer = None
        sink = None
        try:
            sink = writer() if writer is not None else None
            if self.checker is None and self.analyzer_factory is not None:
                analyzer = self.analyzer_factory()
            tee = _TeeCamera(camera, self._deliver)
            last = [0.0]

            def progress(p):
                now = time.monotonic()
                if now - last[0] >= 0.05:
                    last[0] = now
                    self.recording_progress.emit(p)
                    self.level.emit(p.level)

            analyzer_used: Any = _LatestReport(self.checker) if self.checker is not None else analyzer
            result = record_clip(tee, mic, seconds, None if sink is not None else out_path, analyzer=analyzer_used,
                                 on_progress=progress, stop_event=self._record_stop, settings=self.settings,
                                 sink=sink)
            result.ref = None
            if sink is not None:
                if result.stopped:
                    sink.discard()
                else:
                    result.ref = sink.close()  # sealed in the store; it never was plaintext on disk
            elif keep is not None and result.path is not None:
                result.ref = keep(result.path)  # encrypted; the plaintext overwritten and removed
                result.path = None
        except Exception as exc:  # noqa: BLE001
            if sink is not None:
                sink.discard()
            if not self._stop.is_set():
                self._report(exc)
            return
        finally:
            if analyzer is not None and hasattr(analyzer, "close"):
                analyzer.close()
        self.recording_done.emit(result)


class _LatestReport:
    """Lets ``record_clip``'s face watcher use the screen's running checker instead of loading a
    second analyzer: ``analyze`` answers with the newest report the checker made."""

    def __init__(self, checker: CheckerWorker):
        self.checker = checker

    def analyze(self, image, timestamp_ms=None):
        report = self.checker.latest_report
        if report is None:
            raise RuntimeError("no face report yet")
        return report
