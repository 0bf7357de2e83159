"""Auto-capture: fires after the steady moment, keeps the best frame, resets on a failure."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from kiosk.capture.base import Frame
from kiosk.config.settings import Settings
from kiosk.cvcompat import cv2
from kiosk.quality.autocapture import AutoCapture


@dataclass
class R:  # the parts of a FaceReport auto-capture reads
    ok: bool = True
    sharpness: float = 100.0
    yaw: float = 0.0
    pitch: float = 0.0
    roll: float = 0.0
    failures: list = field(default_factory=list)

    @property
    def frontalness(self):
        return abs(self.yaw) + abs(self.pitch) + abs(self.roll)


def frame(i, t, value=None):
    img = np.full((48, 64, 3), i % 256 if value is None else value, np.uint8)
    return Frame(img, t, i)


def test_fires_after_the_steady_moment_with_the_best_frame():
    ac = AutoCapture(steady_seconds=0.5, jpeg_quality=90)
    fired = []
    for i in range(30):
        t = 10 + i / 30
        sharp = 300.0 if i == 7 else 100.0 + i
        c = ac.feed(frame(i, t), R(sharpness=sharp))
        if c:
            fired.append((i, c))
    assert len(fired) == 1  # once, until reset
    i, cap = fired[0]
    assert i == 15  # 15 frames at 30 fps = 0.5 s after the first good one
    assert cap.frame.index == 7  # the sharpest of the moment
    img = cv2.imdecode(np.frombuffer(cap.jpeg, np.uint8), cv2.IMREAD_COLOR)
    assert img.shape == (48, 64, 3) and abs(int(img.mean()) - 7) <= 2
    assert cap.fired - cap.started >= 0.5


def test_prefers_the_more_frontal_frame_at_equal_sharpness():
    ac = AutoCapture(steady_seconds=0.2, jpeg_quality=90)
    cap = None
    for i in range(10):
        cap = cap or ac.feed(frame(i, i * 0.05), R(yaw=4.0 if i != 3 else 0.5))
    assert cap is not None and cap.frame.index == 3


def test_any_failure_resets_the_moment():
    ac = AutoCapture(steady_seconds=0.5, jpeg_quality=90)
    for i in range(14):  # 0.43 s of good frames
        assert ac.feed(frame(i, i / 30), R()) is None
    assert ac.progress > 0.8
    assert ac.feed(frame(14, 14 / 30), R(ok=False, failures=["blurred"])) is None
    assert ac.progress == 0.0
    fired_at = None
    for i in range(15, 40):
        if ac.feed(frame(i, i / 30), R(sharpness=50.0 + i)) and fired_at is None:
            fired_at = i
    assert fired_at == 30  # a whole new moment from frame 15
    assert ac.fired.frame.index == 30  # the sharpest of the new moment; nothing from before


def test_a_gap_in_the_reports_resets():
    ac = AutoCapture(steady_seconds=0.5, jpeg_quality=90, max_gap=0.3)
    assert ac.feed(frame(0, 0.0), R()) is None
    assert ac.feed(frame(1, 0.4), R()) is None  # 0.4 s without a report: start again
    assert ac.feed(frame(2, 0.7), R()) is None
    cap = ac.feed(frame(3, 0.95), R())
    assert cap is not None and cap.started == 0.4


def test_jpeg_quality_from_settings():
    rng = np.random.default_rng(1)
    noisy = rng.integers(0, 255, (120, 160, 3), dtype=np.uint8)
    sizes = {}
    for q in (60, 98):
        ac = AutoCapture(settings=Settings({"quality.jpeg_quality": q, "quality.steady_seconds": 0}))
        assert ac.jpeg_quality == q and ac.steady_seconds == 0
        cap = ac.feed(Frame(noisy, 1.0, 0), R())
        sizes[q] = len(cap.jpeg)
    assert sizes[98] > sizes[60] * 1.3


def test_the_sharpest_steady_frame_is_kept_not_the_first():
    from types import SimpleNamespace

    import numpy as np

    from kiosk.capture.base import Frame
    from kiosk.quality.autocapture import AutoCapture, frame_score

    def report(sharp, motion):
        return SimpleNamespace(ok=True, sharpness=sharp, motion_sharpness=motion, frontalness=2.0, to_dict=dict)

    ac = AutoCapture(steady_seconds=0.3, jpeg_quality=90)
    sharpness = [(120.0, 9.0), (400.0, 30.0), (200.0, 15.0), (150.0, 8.0)]
    fired = None
    for i, (s, m) in enumerate(sharpness):
        img = np.full((48, 64, 3), i * 40, np.uint8)
        fired = ac.feed(Frame(img, i * 0.1, i), report(s, m)) or fired
    assert fired is not None
    assert fired.frame.index == 1 and fired.report.sharpness == 400.0
    assert frame_score(report(300.0, 5.0)) < frame_score(report(250.0, 20.0))  # a smear loses to a still frame
