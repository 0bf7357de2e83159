"""The face models of the capture screens, loaded once per application.

Every capture screen used to load its own mediapipe tasks (face detector, still and video
landmarkers, the card's face finder) and close them when it was left: each load costs time, and
each task starts threads and allocator arenas of its own, so the kiosk's memory grew with every
applicant. ``ModelPool`` holds one ``FaceAnalyzer`` and one ``CardFaceFinder`` for the life of the
application: each is made at the first screen that needs it (a video screen never loads the
still-image landmarker), lent to every later screen and session, and closed by ``close()`` when
the application ends.

A screen borrows with ``face()`` / ``card_finder()``: what it gets has the same calls as the
model, its tracking starts afresh and its thresholds are read again from the settings (the staff
may have changed them); its ``close()`` only ends the loan. No Qt here.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from kiosk.quality.documents import CardFaceFinder
from kiosk.quality.face import FaceAnalyzer


class _Loan:
    """A borrowed model: every attribute of the model, and a ``close()`` that keeps it loaded."""

    def __init__(self, model: Any):
        self._model = model

    def __getattr__(self, name: str) -> Any:
        return getattr(self._model, name)

    def __call__(self, *args: Any, **kw: Any) -> Any:
        return self._model(*args, **kw)

    def close(self) -> None:
        """The screen is done with it; the pool keeps it for the next one."""


class ModelPool:
    def __init__(self, settings: Any, face_factory: Callable[[Any], Any] = lambda s: FaceAnalyzer(s, lazy=True),
                 finder_factory: Callable[[], Any] = CardFaceFinder):
        self.settings = settings
        self._face_factory = face_factory
        self._finder_factory = finder_factory
        self._face: Any = None
        self._finder: Any = None
        self._lock = threading.Lock()
        self.loads = 0  # models made (for the tests and the soak benchmark)
        self.loans = 0

    def face(self) -> _Loan:
        """The face analyzer, tracking reset and thresholds re-read from the settings."""
        with self._lock:
            if self._face is None:
                self._face = self._face_factory(self.settings)
                self.loads += 1
            face = self._face
            self.loans += 1
        configure = getattr(face, "configure", None)
        if configure is not None:
            configure(self.settings)
        reset = getattr(face, "reset", None)
        if reset is not None:
            reset()
        return _Loan(face)

    def card_finder(self) -> _Loan:
        with self._lock:
            if self._finder is None:
                self._finder = self._finder_factory()
                self.loads += 1
            self.loans += 1
            return _Loan(self._finder)

    def close(self) -> None:
        with self._lock:
            models, self._face, self._finder = (self._face, self._finder), None, None
        for model in models:
            if model is not None:
                model.close()
