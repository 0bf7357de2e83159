"""The camera loop and the face checker, each in its own ``QThread`` (no widget code here).

* ``CameraWorker`` owns its ``CameraSource``: it is created and opened in the thread, read in a
  loop, and closed there. Each frame (``kiosk.capture.base.Frame``: ``.image`` is the BGR numpy
  array, ``.timestamp`` the monotonic time) is emitted with ``frame_ready`` and handed directly
  to the sinks added with ``add_sink`` (for example ``CheckerWorker.submit``), so the checker is
  fed without a trip through the GUI thread.
* ``CheckerWorker`` loads ``FaceAnalyzer`` (or what ``analyzer_factory`` makes: anything with
  ``analyze(image, timestamp_ms=...)``, e.g. the document checks) once, in its thread, and always works on the newest
  frame: ``submit`` puts a frame in a one-slot mailbox, replacing any frame still waiting, so
  older frames are dropped, never queued. Each result is emitted with ``report_ready(frame,
  report)``; with an ``AutoCapture`` the capture is emitted with ``captured``.

``CameraWorker`` has hooks (``_devices_opened``, ``_between_frames``, ``_source_ended``,
``_devices_closing``) so ``kiosk.workers.capture.CaptureThread`` runs the microphone and the
recordings in the same thread, and ``throttle_preview`` (``frame_shown()``) for a widget preview.

Both report failures with ``failed(message_key, message)`` and stop cleanly: ``stop()`` asks the
loop to end and joins the thread.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from PySide6.QtCore import QThread, Signal

from kiosk.capture.base import CameraSource, CaptureError, Frame, SourceInfo
from kiosk.capture.camera import open_camera
from kiosk.errors import KioskError
from kiosk.quality.face import FaceAnalyzer

log = logging.getLogger(__name__)


class CameraWorker(QThread):
    opened = Signal(object)  # SourceInfo
    frame_ready = Signal(object)  # Frame
    failed = Signal(str, str)  # message_key, message (English, for the log)
    error = Signal(object)  # the exception itself (CaptureError has .message_key), for the UI
    finished_reading = Signal()  # a finite source (file) ended

    def __init__(self, spec: str = "", width: int = 640, height: int = 480, fps: float = 30.0,
                 source_factory: Callable[[], CameraSource] | None = None, parent=None,
                 throttle_preview: bool = False):
        super().__init__(parent)
        self.setObjectName("camera")
        self.spec, self.width, self.height, self.fps = spec, width, height, fps
        self.source_factory = source_factory
        self.throttle_preview = throttle_preview
        self.info: SourceInfo | None = None
        self.frames = 0
        self.source: CameraSource | None = None
        self.latest: Frame | None = None  # the newest frame (read by the UI thread for stills)
        self._ui_has_frame = threading.Event()
        self._ui_has_frame.set()
        self._stop = threading.Event()
        self._sinks: list[Callable[[Frame], None]] = []
        self._sinks_lock = threading.Lock()

    def add_sink(self, sink: Callable[[Frame], None]) -> None:
        """Call ``sink(frame)`` from the camera thread for every frame (must be quick)."""
        with self._sinks_lock:
            self._sinks.append(sink)

    def remove_sink(self, sink) -> None:
        with self._sinks_lock:
            if sink in self._sinks:
                self._sinks.remove(sink)

    def _make_source(self) -> CameraSource:
        if self.source_factory is not None:
            return self.source_factory()

        return open_camera(self.spec, self.width, self.height, self.fps)

    # -- preview for a widget: at most one frame in flight towards the UI thread
    def frame_shown(self) -> None:
        """The UI painted the last ``frame_ready`` frame: the next one may be sent (only with
        ``throttle_preview``; a slow UI then never builds a queue of frames)."""
        self._ui_has_frame.set()

    def _deliver(self, frame: Frame) -> None:
        self.frames += 1
        self.latest = frame
        with self._sinks_lock:
            sinks = list(self._sinks)
        for sink in sinks:
            try:
                sink(frame)
            except Exception:  # noqa: BLE001 - a bad sink must not stop the camera
                log.exception("camera sink failed")
        if not self.throttle_preview:
            self.frame_ready.emit(frame)
        elif self._ui_has_frame.is_set():
            self._ui_has_frame.clear()
            self.frame_ready.emit(frame)

    # -- hooks for a subclass that runs more devices in this same thread (kiosk.workers.capture)
    def _devices_opened(self, source: CameraSource) -> None:
        """Called in the thread once the camera is open."""

    def _between_frames(self, source: CameraSource) -> bool:
        """Called in the thread before each read; True when it used the camera itself."""
        return False

    def _source_ended(self) -> None:
        """The source gave no frame (a file ended): by default the loop ends quietly."""
        self.finished_reading.emit()

    def _devices_closing(self) -> None:
        """Called in the thread before the camera is closed (also after a failure)."""

    def _report(self, exc: BaseException) -> None:
        if isinstance(exc, CaptureError):
            log.warning("camera failed: %s", exc)
            self.failed.emit(exc.message_key, str(exc))
        else:
            log.error("camera loop crashed: %s", type(exc).__name__)
            self.failed.emit("camera.failed", f"{type(exc).__name__}: {exc}")
        self.error.emit(exc)

    def run(self) -> None:
        source = None
        try:
            source = self._make_source()
            self.source = source  # the open camera (read-only for others: e.g. which scene it shows)
            self.info = source.open()
            self.opened.emit(self.info)
            self._devices_opened(source)
            while not self._stop.is_set():
                if self._between_frames(source):
                    continue
                frame = source.read()
                if frame is None:
                    self._source_ended()
                    break
                self._deliver(frame)
        except Exception as exc:  # noqa: BLE001 - reported by signal
            if not self._stop.is_set():
                self._report(exc)
        finally:
            try:
                self._devices_closing()
            finally:
                if source is not None:
                    try:
                        source.close()
                    except Exception:  # noqa: BLE001
                        log.exception("closing the camera failed")

    def stop(self, timeout_ms: int = 5000) -> bool:
        """End the loop and join the thread; True when it ended within ``timeout_ms``."""
        self._stop.set()
        if not self.isRunning():
            return True
        return self.wait(timeout_ms)


class CheckerWorker(QThread):
    ready = Signal()  # models loaded
    report_ready = Signal(object, object)  # Frame, FaceReport
    captured = Signal(object)  # autocapture.Capture
    failed = Signal(str, str)  # message_key, message

    def __init__(self, settings=None, analyzer_factory: Callable[[], object] | None = None,
                 autocapture=None, parent=None):
        super().__init__(parent)
        self.setObjectName("face-checker")
        self.settings = settings
        self.analyzer_factory = analyzer_factory
        self.autocapture = autocapture
        self._cond = threading.Condition()
        self._pending: Frame | None = None
        self._stopping = False
        self.submitted = 0
        self.dropped = 0
        self.analysed = 0
        self.last_analysed: Frame | None = None
        self.latest_report = None
        self.min_interval = 0.0  # seconds between checked frames (0: as fast as the checker goes)
        self._last_taken = float("-inf")

    def submit(self, frame: Frame) -> None:
        """Offer the newest frame (any thread). A frame still waiting is dropped, and so is one
        that comes sooner than ``min_interval`` after the last one checked."""
        with self._cond:
            if frame.timestamp - self._last_taken < self.min_interval:
                self.dropped += 1
                return
            if self._pending is not None:
                self.dropped += 1
            self._pending = frame
            self.submitted += 1
            self._cond.notify()

    def _make_analyzer(self):
        if self.analyzer_factory is not None:
            return self.analyzer_factory()

        return FaceAnalyzer(self.settings)

    def run(self) -> None:
        try:
            analyzer = self._make_analyzer()
        except Exception as exc:  # noqa: BLE001 - e.g. ModelError
            log.error("face checker could not start: %s", exc)
            key = exc.message_key if isinstance(exc, KioskError) and exc.message_key else "quality.model_missing"
            self.failed.emit(key, str(exc))
            return
        try:
            self.ready.emit()
            while True:
                with self._cond:
                    while self._pending is None and not self._stopping:
                        self._cond.wait()
                    if self._stopping:
                        return
                    frame, self._pending = self._pending, None
                    if frame is None:
                        continue
                    self._last_taken = frame.timestamp
                try:
                    report = analyzer.analyze(frame.image, timestamp_ms=int(frame.timestamp * 1000))
                except Exception as exc:  # noqa: BLE001 - one bad frame must not end the checks
                    log.warning("face check failed on a frame: %s", exc)
                    key = exc.message_key if isinstance(exc, KioskError) and exc.message_key else "quality.bad_image"
                    self.failed.emit(key, str(exc))
                    continue
                self.analysed += 1
                self.last_analysed = frame
                self.latest_report = report
                self.report_ready.emit(frame, report)
                if self.autocapture is not None:
                    capture = self.autocapture.feed(frame, report)
                    if capture is not None:
                        self.captured.emit(capture)
        finally:
            close = getattr(analyzer, "close", None)
            if close is not None:
                close()

    def stop(self, timeout_ms: int = 5000) -> bool:
        """End the loop (the frame in hand is finished) and join the thread."""
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        if not self.isRunning():
            return True
        return self.wait(timeout_ms)


__all__ = ["CameraWorker", "CheckerWorker"]
