"""Scripted camera and microphone for the capture tests: both derive their content from the
same monotonic clock, so what is shown and what is heard at a given moment is known."""
from __future__ import annotations

import time

import numpy as np

from kiosk.capture.base import AudioChunk, CameraSource, CaptureError, Frame, Microphone, SourceInfo, now
from kiosk.capture.microphone import _PacedMicrophone


class Sync:
    """A moment both fakes agree on; the camera fixes it at its first frame (``at`` seconds on)."""

    def __init__(self, at: float = 1.0):
        self.at = at
        self.t: float | None = None


class ScriptedCamera(CameraSource):
    """640x480 frames paced in real time (``realtime``) or stamped on a virtual clock (fast).
    Frames from ``sync.t`` for ``flash`` seconds are white, the others dark grey with a moving
    bar; ``faces(t)`` (t = seconds since the first frame) is written into pixel (0, 0)."""

    def __init__(self, fps=30.0, sync: Sync | None = None, flash=0.2, faces=None, realtime=True,
                 width=640, height=480, sleep=0.0):
        self.fps, self.sync, self.flash, self.faces = fps, sync, flash, faces
        self.realtime, self.sleep = realtime, sleep
        self.info = SourceInfo("simulated", "scripted", width, height, fps)
        self.start = None
        self.i = 0

    def open(self):
        return self.info

    def read(self):
        if self.start is None:
            self.start = now()
            if self.sync is not None:
                self.sync.t = self.start + round(self.sync.at * self.fps) / self.fps
        ts = self.start + self.i / self.fps
        if self.realtime:
            wait = ts - now()
            if wait > 0:
                time.sleep(wait)
        elif self.sleep:
            time.sleep(self.sleep)
        h, w = self.info.height, self.info.width
        img = np.full((h, w, 3), 40, np.uint8)
        x = (self.i * 8) % (w - 40)
        img[h // 3: h // 2, x: x + 40] = 120
        if self.sync is not None and self.sync.t is not None and self.sync.t - 1e-6 <= ts < self.sync.t + self.flash:
            img[:] = 255
        if self.faces is not None:
            img[0, 0] = self.faces(ts - self.start)
        frame = Frame(img, ts, self.i)
        self.i += 1
        return frame

    def close(self):
        pass


class ScriptedMicrophone(_PacedMicrophone):
    """Real-time microphone whose sample at monotonic time t is ``signal(t - sync.t)`` (silence
    while the camera has not fixed the moment). ``signal`` takes an array of seconds."""

    def __init__(self, signal, sync: Sync, sample_rate=48000):
        super().__init__(sample_rate)
        self.info.kind, self.info.name = "simulated", "scripted"
        self.signal, self.sync = signal, sync

    def _samples(self, start, count):
        if self.sync.t is None:
            return np.zeros(count, np.float32)
        t = self._start_time + (start + np.arange(count)) / self.sample_rate - self.sync.t
        return np.asarray(self.signal(t), np.float32)


def beep(freq=1000.0, length=0.2, amplitude=0.5):
    def signal(t):
        return np.where((t >= 0) & (t < length), amplitude * np.sin(2 * np.pi * freq * t), 0.0)
    return signal


class VirtualMicrophone(Microphone):
    """Delivers 20 ms chunks stamped on the clock of a ``ScriptedCamera(realtime=False)``: each
    ``read`` gives every chunk up to the camera's newest frame (+ 40 ms). ``fail_after`` chunks
    raise ``CaptureError`` like a disconnected device."""

    def __init__(self, camera: ScriptedCamera, signal=None, rate=48000, fail_after=None):
        self.camera, self.signal, self.rate, self.fail_after = camera, signal, rate, fail_after
        self.info = SourceInfo("simulated", "virtual", sample_rate=rate, channels=1)
        self.n = 0

    def open(self):
        return self.info

    def read(self, timeout=0.5):
        if self.camera.start is None:
            return None
        if self.fail_after is not None and self.n // 960 >= self.fail_after:
            raise CaptureError("gone", "microphone.lost")
        limit = self.camera.start + self.camera.i / self.camera.fps + 0.04
        ts = self.camera.start - 0.05 + self.n / self.rate
        if ts > limit:
            return None
        t = ts + np.arange(960) / self.rate - self.camera.start
        x = self.signal(t) if self.signal else 0.3 * np.sin(2 * np.pi * 440 * t)
        self.n += 960
        return AudioChunk(np.asarray(x, np.float32).reshape(-1, 1), ts, self.rate)

    def close(self):
        pass


class FakeAnalyzer:
    """Reads the face count the ScriptedCamera wrote into pixel (0, 0)."""

    class Report:
        def __init__(self, faces):
            self.faces = faces
            self.ok = faces == 1

    def __init__(self):
        self.calls = 0

    def analyze(self, image, timestamp_ms=None):
        self.calls += 1
        return self.Report(int(image[0, 0, 0]))
