"""Stand-ins used only while a piece another module owns is missing (each says so in the log):

* ``MemoryMediaStore``: the session's media kept in memory only (nothing on disk), with the
  ``kiosk.core.media_store.MediaStore`` interface (put/get/confirm/wipe/pending).
* ``SteadyAutoCapture``: ``kiosk.quality.autocapture.AutoCapture``'s job: fires when every check
  has held for ``steady_seconds``, keeps the sharpest, most frontal frame of that moment, JPEG.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np


class MemoryMediaStore:
    def __init__(self, session_id: str = ""):
        self.session_id = session_id
        self._items: dict[int, bytes] = {}
        self._ids = itertools.count(1)

    def put(self, step: str, data: bytes, kind: str = "") -> int:
        ref = next(self._ids)
        self._items[ref] = bytes(data)
        return ref

    def get(self, ref: int) -> bytes:
        return self._items[ref]

    def confirm(self, ref: int) -> None:
        self._items.pop(ref, None)

    def pending(self) -> list[int]:
        return list(self._items)

    def wipe(self) -> None:
        self._items.clear()


@dataclass
class Shot:
    jpeg: bytes
    image: np.ndarray
    report: object = None


class SteadyAutoCapture:
    def __init__(self, steady_seconds: float = 0.5, jpeg_quality: int = 92, settings=None):
        self.steady_seconds = float(steady_seconds)
        self.jpeg_quality = int(settings["quality.jpeg_quality"]) if settings is not None else int(jpeg_quality)
        self.reset()

    def reset(self) -> None:
        self.since: float | None = None
        self.best = None
        self.best_score = -1e9

    @staticmethod
    def score(report) -> float:
        d = report.to_dict() if hasattr(report, "to_dict") else {}
        pose = sum(abs(float(d.get(k) or 0)) for k in ("yaw", "pitch", "roll"))
        return float(d.get("sharpness") or 0) - 5.0 * pose

    def feed(self, frame, report) -> Shot | None:
        if not getattr(report, "ok", False):
            self.reset()
            return None
        if self.since is None:
            self.since = frame.timestamp
        s = self.score(report)
        if s > self.best_score:
            self.best, self.best_score = (frame, report), s
        if frame.timestamp - self.since >= self.steady_seconds:
            from kiosk.ui.capture_hooks import prepare_selfie

            best_frame, best_report = self.best
            self.reset()
            return Shot(prepare_selfie(best_frame.image, self.jpeg_quality), best_frame.image, best_report)
        return None
