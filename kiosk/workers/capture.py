"""The capture thread of one capture screen: owns the camera (and, for videos, the microphone)
from the moment the screen is entered until it is left, so devices are open only on capture
screens and released between sessions.

* Preview: frames are read at the camera's rate in this thread; the UI gets only the newest
  one (``frame_ready`` is emitted at most once per paint: a slow UI never builds a queue).
* Face checks: an optional checker (``FaceChecker`` below, one-slot mailbox, newest frame only)
  gets every frame and emits ``report_ready``.
* Recording: ``record(seconds, out_path)`` makes this same thread run
  ``kiosk.capture.recorder.record_clip`` on the already-open devices; the preview keeps going
  through a tee around the camera, and progress (level, elapsed) comes back by signal.

No widget is touched here; everything goes out through queued signals.
"""
from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from PySide6.QtCore import QThread, Signal

log = logging.getLogger(__name__)


class _Mailbox:
    """One slot: put() replaces what is there; take() waits for something new."""

    def __init__(self):
        self._item = None
        self._cond = threading.Condition()
        self.dropped = 0

    def put(self, item) -> None:
        with self._cond:
            if self._item is not None:
                self.dropped += 1
            self._item = item
            self._cond.notify()

    def take(self, timeout: float = 0.2):
        with self._cond:
            if self._item is None:
                self._cond.wait(timeout)
            item, self._item = self._item, None
            return item


class FaceChecker(QThread):
    """Loads the face analyzer once and always checks the NEWEST frame (older ones are dropped)."""

    report_ready = Signal(object, object)  # (Frame, FaceReport)
    failed = Signal(str)

    def __init__(self, settings=None, analyzer_factory=None):
        super().__init__()
        self.setObjectName("kiosk-face-checker")
        self.settings = settings
        self.analyzer_factory = analyzer_factory
        self.mailbox = _Mailbox()
        self._stop = threading.Event()
        self.analyzed = 0
        self.latest_report = None

    def submit(self, frame) -> None:
        self.mailbox.put(frame)

    def run(self) -> None:
        try:
            if self.analyzer_factory is not None:
                analyzer = self.analyzer_factory()
            else:
                from kiosk.quality.face import FaceAnalyzer

                analyzer = FaceAnalyzer(self.settings)
        except Exception as exc:  # noqa: BLE001
            log.error("face analyzer could not start: %s", exc)
            self.failed.emit("quality.models_missing")
            return
        try:
            with analyzer:
                while not self._stop.is_set():
                    frame = self.mailbox.take(0.1)
                    if frame is None:
                        continue
                    try:
                        report = analyzer.analyze(frame.image, int(frame.timestamp * 1000))
                    except Exception as exc:  # noqa: BLE001 - a bad frame is not fatal
                        log.warning("face check failed on a frame: %s", type(exc).__name__)
                        continue
                    self.analyzed += 1
                    self.latest_report = report
                    self.report_ready.emit(frame, report)
        except Exception as exc:  # noqa: BLE001
            log.error("face checker stopped: %s", exc)
            self.failed.emit("capture.failed")

    def stop(self) -> None:
        self._stop.set()
        self.wait(5000)


class _TeeCamera:
    """Wraps the open camera during a recording so each frame also reaches the preview."""

    def __init__(self, camera, on_frame):
        self.camera = camera
        self.info = getattr(camera, "info", None)
        self.on_frame = on_frame

    def read(self):
        frame = self.camera.read()
        if frame is not None:
            self.on_frame(frame)
        return frame

    def open(self):
        return self.info

    def close(self):
        pass


class CaptureThread(QThread):
    """One capture screen's devices. Start with ``start()``; ``stop()`` joins and releases them."""

    frame_ready = Signal(object)  # Frame (newest only)
    report_ready = Signal(object, object)  # (Frame, FaceReport)
    level = Signal(float)  # microphone level 0-1 (videos)
    recording_progress = Signal(object)  # kiosk.capture.recorder.RecordingProgress
    recording_done = Signal(object)  # RecordingResult
    failed = Signal(object)  # exception (CaptureError has .message_key)

    def __init__(self, settings, camera_spec: str = "", microphone_spec: str | None = None,
                 face_checks: bool = False, analyzer_factory=None, camera_factory=None,
                 microphone_factory=None):
        super().__init__()
        self.setObjectName("kiosk-capture")
        self.settings = settings
        self.camera_spec = camera_spec
        self.microphone_spec = microphone_spec
        self.camera_factory = camera_factory
        self.microphone_factory = microphone_factory
        self.analyzer_factory = analyzer_factory
        self.checker = FaceChecker(settings, analyzer_factory) if face_checks else None
        if self.checker is not None:
            self.checker.report_ready.connect(self.report_ready)
        self._stop = threading.Event()
        self._record_request: tuple[float, Path] | None = None
        self._record_stop = threading.Event()
        self._ui_has_frame = threading.Event()
        self._ui_has_frame.set()
        self.frames_read = 0
        self.latest = None  # newest Frame (read by the UI thread for stills)

    # -- UI thread
    def frame_shown(self) -> None:
        """The UI painted the last frame: the next one may be sent."""
        self._ui_has_frame.set()

    def record(self, seconds: float, out_path: Path) -> None:
        self._record_stop.clear()
        self._record_request = (float(seconds), Path(out_path))

    def stop_recording(self) -> None:
        self._record_stop.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._record_stop.set()
        self.wait(int(timeout * 1000))
        if self.checker is not None:
            self.checker.stop()

    # -- the thread
    def _open_camera(self):
        if self.camera_factory is not None:
            return self.camera_factory()
        from kiosk.capture.camera import open_camera

        s = self.settings
        return open_camera(self.camera_spec, s["camera.width"], s["camera.height"], s["camera.fps"])

    def _open_microphone(self):
        if self.microphone_factory is not None:
            return self.microphone_factory()
        from kiosk.capture.microphone import open_microphone

        return open_microphone(self.microphone_spec or "", self.settings["microphone.sample_rate"])

    def _deliver(self, frame) -> None:
        self.frames_read += 1
        self.latest = frame
        if self.checker is not None:
            self.checker.submit(frame)
        if self._ui_has_frame.is_set():
            self._ui_has_frame.clear()
            self.frame_ready.emit(frame)

    def run(self) -> None:
        camera = mic = None
        if self.checker is not None:
            self.checker.start()
        try:
            camera = self._open_camera()
            camera.open()
            if self.microphone_spec is not None:
                mic = self._open_microphone()
                mic.open()  # early: the first second of a stream is often lost
            last_level = 0.0
            while not self._stop.is_set():
                request, self._record_request = self._record_request, None
                if request is not None and mic is not None:
                    self._run_recording(camera, mic, *request)
                    continue
                frame = camera.read()
                if frame is None:
                    from kiosk.capture.base import CaptureError

                    raise CaptureError("the camera stopped giving pictures", "capture.failed")
                self._deliver(frame)
                if mic is not None:  # keep the queue short and show the level
                    from kiosk.capture.microphone import level_of

                    while (chunk := mic.read(timeout=0)) is not None:
                        last_level = level_of(chunk.samples)
                    self.level.emit(last_level)
        except Exception as exc:  # noqa: BLE001 - reported to the UI
            if not self._stop.is_set():
                log.error("capture failed: %s", exc)
                self.failed.emit(exc)
        finally:
            for dev in (mic, camera):
                if dev is not None:
                    try:
                        dev.close()
                    except Exception as exc:  # noqa: BLE001
                        log.warning("device close failed: %s", type(exc).__name__)

    def _run_recording(self, camera, mic, seconds: float, out_path: Path) -> None:
        from kiosk.capture.recorder import record_clip

        while mic.read(timeout=0) is not None:  # audio from before the start is not wanted
            pass
        analyzer = None
        try:
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

            if self.checker is not None:
                analyzer_used = _LatestReport(self.checker)
            else:
                analyzer_used = analyzer
            result = record_clip(tee, mic, seconds, out_path, analyzer=analyzer_used, on_progress=progress,
                                 stop_event=self._record_stop, settings=self.settings)
        except Exception as exc:  # noqa: BLE001
            if not self._stop.is_set():
                self.failed.emit(exc)
            return
        finally:
            if analyzer is not None and hasattr(analyzer, "close"):
                analyzer.close()
        self.recording_done.emit(result)


class _LatestReport:
    """Lets ``record_clip``'s face watcher use the screen's running checker instead of loading a
    second analyzer: ``analyze`` answers with the newest report the checker made."""

    def __init__(self, checker: FaceChecker):
        self.checker = checker

    def analyze(self, image, timestamp_ms=None):
        report = self.checker.latest_report
        if report is None:
            raise RuntimeError("no face report yet")
        return report
