"""Automatic selfie: fires when every face check has held for a steady moment (no Qt).

Feed it ``(frame, report)`` pairs in time order. While every check passes, it keeps the best frame
of the current good run (the sharpest, ``frame_score``); when the run has lasted
``steady_seconds`` (on the frames' own clock) and counts at least ``min_frames`` checked frames,
it returns a ``Capture`` holding that frame encoded as JPEG (``quality.jpeg_quality``). Any failed
check, or a gap in the reports longer than ``max_gap`` seconds, starts the run again.
``progress`` (0-1) is how much of the steady moment has passed: the wizard's "hold still" ring.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from kiosk.capture.base import Frame
from kiosk.cvcompat import cv2


@dataclass
class Capture:
    jpeg: bytes
    frame: Frame
    report: object  # the FaceReport of that frame
    score: float
    started: float  # monotonic time the steady run began
    fired: float  # monotonic time it fired

    def to_dict(self) -> dict:
        return {"bytes": len(self.jpeg), "timestamp": self.frame.timestamp, "score": round(self.score, 2),
                "steady_seconds": round(self.fired - self.started, 3),
                "report": self.report.to_dict() if hasattr(self.report, "to_dict") else None}


def frame_score(report: Any) -> float:
    """Higher is better: the sharpest of the steady frames (issue 15: the best frame, not the
    first). Sharpness on the broker's scale, with the weakest direction's sharpness so that a
    frame smeared by a small movement loses to a still one; frontalness only breaks near-ties
    (1 point per degree: every frame of the run already passed the pose checks)."""
    sharp = float(getattr(report, "sharpness", 0.0) or 0.0)
    weakest = float(getattr(report, "motion_sharpness", 0.0) or 0.0)
    front = getattr(report, "frontalness", None)
    if front is None or front == float("inf"):
        front = 90.0
    return sharp + 10.0 * weakest - 1.0 * float(front)


def encode_jpeg(image: np.ndarray, quality: int) -> bytes:
    ok, buf = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, int(quality)])
    if not ok:
        raise ValueError("JPEG encoding failed")
    return buf.tobytes()


class AutoCapture:
    def __init__(self, steady_seconds: float | None = None, jpeg_quality: int | None = None,
                 settings=None, max_gap: float = 0.5, min_frames: int = 1):
        if settings is None and (steady_seconds is None or jpeg_quality is None):
            from kiosk.config.settings import Settings  # noqa: PLC0415 - import cycle with kiosk.config (settings import quality defaults)

            settings = Settings()
        self.steady_seconds = float(settings["quality.steady_seconds"] if steady_seconds is None else steady_seconds)
        self.jpeg_quality = int(settings["quality.jpeg_quality"] if jpeg_quality is None else jpeg_quality)
        self.max_gap = float(max_gap)
        self.min_frames = max(1, int(min_frames))
        self.reset()

    def reset(self) -> None:
        """Start over (after a capture was used or rejected)."""
        self.started: float | None = None
        self.run = 0  # checked frames in the current good run
        self.last_time: float | None = None
        self.best: tuple[float, Frame, object] | None = None
        self.fired: Capture | None = None

    @property
    def progress(self) -> float:
        """0-1: how much of the steady moment has passed (for the "hold still" ring): the lesser
        of the time and the frames it needs, so it stays below 1 until it fires."""
        if self.fired is not None:
            return 1.0
        if self.started is None or self.last_time is None:
            return 0.0
        frames = self.run / self.min_frames
        if self.steady_seconds <= 0:
            return min(1.0, frames)
        return max(0.0, min(1.0, frames, (self.last_time - self.started) / self.steady_seconds))

    def feed(self, frame: Frame, report) -> Capture | None:
        """Add one checked frame; returns the ``Capture`` when it fires (once, until ``reset``)."""
        if self.fired is not None:
            return None
        t = float(frame.timestamp)
        if not getattr(report, "ok", False) or (self.last_time is not None and t - self.last_time > self.max_gap):
            self.started = self.best = None
            self.run = 0
            self.last_time = t if getattr(report, "ok", False) else None
            if not getattr(report, "ok", False):
                return None
        if self.started is None:
            self.started = t
        self.last_time = t
        self.run += 1
        score = frame_score(report)
        if self.best is None or score > self.best[0]:
            self.best = (score, frame, report)
        if t - self.started >= self.steady_seconds and self.run >= self.min_frames:
            score, best_frame, best_report = self.best
            self.fired = Capture(encode_jpeg(best_frame.image, self.jpeg_quality), best_frame, best_report,
                                 score, self.started, t)
            return self.fired
        return None


__all__ = ["AutoCapture", "Capture", "frame_score", "encode_jpeg"]
