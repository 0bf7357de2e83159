"""The one interface every camera source and microphone implements.

Real devices and the simulated ones feed the same code path: a source is opened, yields
``Frame``/``AudioChunk`` objects stamped with ``time.monotonic()`` (one clock for audio and
video), and is closed. Sources are context managers.
"""
from __future__ import annotations

import abc
import time
from dataclasses import dataclass, field

import numpy as np

from kiosk.errors import KioskError


class CaptureError(KioskError, RuntimeError):
    """A device could not be opened or stopped delivering. ``message_key`` names a sentence in
    ``kiosk.i18n.messages`` the staff can act on."""

    def __init__(self, message: str, message_key: str = "capture.failed"):
        super().__init__(message)
        self.message_key = message_key


@dataclass(frozen=True)
class Frame:
    image: np.ndarray  # HxWx3 uint8, BGR (OpenCV order)
    timestamp: float  # time.monotonic() seconds when the frame was taken
    index: int = 0

    @property
    def size(self) -> tuple[int, int]:
        h, w = self.image.shape[:2]
        return w, h


@dataclass(frozen=True)
class AudioChunk:
    samples: np.ndarray  # (n, channels) float32 in [-1, 1]
    timestamp: float  # time.monotonic() of the first sample
    rate: int


@dataclass
class SourceInfo:
    kind: str  # "device", "file", "simulated", "silent", ...
    name: str
    width: int = 0
    height: int = 0
    fps: float = 0.0
    sample_rate: int = 0
    channels: int = 0
    extra: dict = field(default_factory=dict)


class CameraSource(abc.ABC):
    """A camera. ``read()`` blocks until the next frame (paced to the frame rate) and returns
    ``None`` at the end of a finite source; raises ``CaptureError`` when the device fails."""

    info: SourceInfo

    @abc.abstractmethod
    def open(self) -> SourceInfo: ...

    @abc.abstractmethod
    def read(self) -> Frame | None: ...

    @abc.abstractmethod
    def close(self) -> None: ...

    def __enter__(self):
        self.open()
        return self

    def __exit__(self, *exc):
        self.close()


class Microphone(abc.ABC):
    """A microphone. ``read(timeout)`` returns the next chunk or ``None`` when none came."""

    info: SourceInfo

    @abc.abstractmethod
    def open(self) -> SourceInfo: ...

    @abc.abstractmethod
    def read(self, timeout: float = 0.5) -> AudioChunk | None: ...

    @abc.abstractmethod
    def close(self) -> None: ...

    def __enter__(self):
        self.open()
        return self

    def __exit__(self, *exc):
        self.close()


def now() -> float:
    """The one clock for audio and video."""
    return time.monotonic()
