"""The camera and face-checker threads: newest frame only, clean stops, errors by signal."""
from __future__ import annotations

import threading

import pytest

from kiosk.capture.camera import SimulatedCamera
from kiosk.workers.camera import CameraWorker, CheckerWorker

pytest.importorskip("pytestqt")


@pytest.fixture(scope="module")
def frames():
    with SimulatedCamera("good", paced=False) as c:
        return [c.read() for _ in range(100)]


class HeldAnalyzer:
    """The real face analyser, whose first frame is held until the test lets it go: the frames
    offered meanwhile find the checker busy, whatever the machine's speed."""

    def __init__(self) -> None:
        from kiosk.quality.face import FaceAnalyzer

        self.real = FaceAnalyzer()
        self.busy = threading.Event()
        self.release = threading.Event()

    def analyze(self, image, timestamp_ms=None):
        if not self.busy.is_set():
            self.busy.set()
            self.release.wait(60)
        return self.real.analyze(image, timestamp_ms=timestamp_ms)

    def close(self) -> None:
        self.real.close()


def test_checker_drops_old_frames(qtbot, frames):
    held = HeldAnalyzer()
    checker = CheckerWorker(analyzer_factory=lambda: held)
    analysed = []
    checker.report_ready.connect(lambda f, r: analysed.append((f.index, r)))
    with qtbot.waitSignal(checker.ready, timeout=20000):
        checker.start()
    try:
        checker.submit(frames[0])
        assert held.busy.wait(30)  # the checker is on frame 0
        for f in frames[1:]:  # 99 frames while it is busy: only the newest waits
            checker.submit(f)
        held.release.set()
        qtbot.waitUntil(lambda: bool(analysed) and analysed[-1][0] == 99, timeout=30000)
    finally:
        held.release.set()
        assert checker.stop()
    assert not checker.isRunning()
    assert checker.submitted == 100
    assert (checker.analysed, checker.dropped) == (2, 98)
    assert [i for i, _ in analysed] == [0, 99] and checker.last_analysed is frames[-1]  # the newest one
    assert analysed[-1][1].faces == 1


def test_camera_feeds_checker_and_both_stop(qtbot):
    camera = CameraWorker("simulated", 640, 480, 30)
    checker = CheckerWorker()
    camera.add_sink(checker.submit)
    reports, previews = [], []
    checker.report_ready.connect(lambda f, r: reports.append(r))
    camera.frame_ready.connect(previews.append)
    with qtbot.waitSignal(checker.ready, timeout=20000):
        checker.start()
    with qtbot.waitSignal(camera.opened, timeout=20000) as opened:
        camera.start()
    assert opened.args[0].kind == "simulated"
    try:
        qtbot.waitUntil(lambda: len(reports) >= 5 and len(previews) >= 10, timeout=10000)
    finally:
        assert camera.stop()
        assert checker.stop()
    assert not camera.isRunning() and not checker.isRunning()
    assert any(r.ok for r in reports)
    n = camera.frames
    qtbot.wait(100)
    assert camera.frames == n  # nothing after the stop


def test_camera_error_by_signal(qtbot):
    camera = CameraWorker("97")  # no such device
    with qtbot.waitSignal(camera.failed, timeout=10000) as failed:
        camera.start()
    assert failed.args[0] == "camera.not_found"
    assert camera.stop()


def test_checker_model_error_by_signal(qtbot):
    from kiosk.quality.models import ModelError

    def broken():
        raise ModelError("model file face_landmarker.task is missing")

    checker = CheckerWorker(analyzer_factory=broken)
    with qtbot.waitSignal(checker.failed, timeout=20000) as failed:
        checker.start()
    assert failed.args[0] == "quality.model_missing"
    assert checker.stop()


def test_stop_before_start_and_twice(qtbot):
    checker = CheckerWorker()
    assert checker.stop()
    camera = CameraWorker("simulated")
    assert camera.stop() and camera.stop()


def test_checker_min_interval_spaces_the_checks_by_the_frames_own_clock(qtbot, frames):
    """Before Start a video screen checks a few frames a second: the frames' timestamps decide,
    not the machine's speed."""
    checker = CheckerWorker()
    checker.min_interval = 0.3
    stamps = []
    checker.report_ready.connect(lambda f, r: stamps.append(f.timestamp))
    with qtbot.waitSignal(checker.ready, timeout=20000):
        checker.start()
    try:
        span = frames[-1].timestamp - frames[0].timestamp
        for f in frames:
            checker.submit(f)
        qtbot.waitUntil(lambda: checker._pending is None and bool(stamps), timeout=10000)
    finally:
        assert checker.stop()
    assert checker.submitted == 100 and 1 <= checker.analysed <= int(span / 0.3) + 1
    assert all(b - a >= 0.3 - 1e-9 for a, b in zip(stamps, stamps[1:], strict=False))
