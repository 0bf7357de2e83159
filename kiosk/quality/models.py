"""The mediapipe models the kiosk ships (``resources/models/``), found and checked before use.

Nothing is downloaded at run time. Each file's SHA-256 is checked once per process; a missing or
damaged file raises ``ModelError`` naming the file and what to do (reinstall the kiosk).
"""
from __future__ import annotations

import hashlib
import threading
from pathlib import Path

from kiosk.errors import KioskError
from kiosk.resources import resource

#: file name -> (size in bytes, sha256); see resources/models/README.md for where they come from
MODELS: dict[str, tuple[int, str]] = {
    "face_landmarker.task": (3758596, "64184e229b263107bc2b804c6625db1341ff2bb731874b0bcc2fe6544e0bc9ff"),
    "face_detection_short_range.tflite": (229714, "bbff11cebd1eb27a1e004cae0b0e63ec8c551cbf34a4451148b4908b8db3eca8"),
}
LANDMARKER = "face_landmarker.task"
DETECTOR = "face_detection_short_range.tflite"

_lock = threading.Lock()
_cache: dict[str, bytes] = {}


class ModelError(KioskError, RuntimeError):
    """A shipped model file is missing or damaged. ``message_key`` names a sentence for staff."""

    message_key = "quality.model_missing"

    def __init__(self, message: str):
        super().__init__(message)


def model_path(name: str) -> Path:
    if name not in MODELS:
        raise ModelError(f"unknown model {name!r}; known: {', '.join(MODELS)}")
    return resource("models", name)


def model_bytes(name: str, path: Path | None = None) -> bytes:
    """The checked contents of model ``name`` (read and hashed once per process).

    ``path`` overrides the location (tests use it to point at a damaged copy)."""
    size, digest = MODELS[name] if name in MODELS else (None, None)
    if digest is None:
        raise ModelError(f"unknown model {name!r}; known: {', '.join(MODELS)}")
    key = f"{name}@{path}" if path else name
    with _lock:
        if key in _cache:
            return _cache[key]
        p = Path(path) if path else model_path(name)
        try:
            data = p.read_bytes()
        except FileNotFoundError:
            raise ModelError(f"model file {p} is missing; reinstall the kiosk (it ships in resources/models)") from None
        except OSError as exc:
            raise ModelError(f"model file {p} cannot be read ({exc.strerror}); reinstall the kiosk") from None
        got = hashlib.sha256(data).hexdigest()
        if len(data) != size or got != digest:
            raise ModelError(f"model file {p} is damaged ({len(data)} bytes, sha256 {got[:12]}..., "
                             f"expected {size} bytes, {digest[:12]}...); reinstall the kiosk")
        _cache[key] = data
        return data


def verify_all() -> dict[str, str]:
    """Check every shipped model; returns name -> path (for the self-test)."""
    return {name: str(model_path(name)) for name in MODELS if model_bytes(name) is not None}


__all__ = ["MODELS", "LANDMARKER", "DETECTOR", "ModelError", "model_path", "model_bytes", "verify_all"]
