"""The one place where a captured still becomes what the broker receives. No Qt here.

``prepare_signature`` and ``prepare_card`` are the hooks a documents helper will fill with sheet
and card detection, deskew and cleaning (``kiosk.quality.documents``); until then they send the
frame as it is, losslessly, as PNG. ``prepare_selfie`` is the fallback JPEG encoder used when
auto-capture gave no JPEG of its own.
"""
from __future__ import annotations

import logging

import numpy as np

from kiosk.cvcompat import cv2

log = logging.getLogger(__name__)


def _png(image: np.ndarray) -> bytes:
    ok, buf = cv2.imencode(".png", np.ascontiguousarray(image))
    if not ok:
        raise ValueError("the picture could not be encoded as PNG")
    return buf.tobytes()


def prepare_signature(frame: np.ndarray) -> bytes:
    """PNG of the wet signature held to the camera (BGR frame in)."""
    try:
        from kiosk.quality.documents import prepare_signature as real  # type: ignore[attr-defined]

        return real(frame)
    except ImportError as exc:  # the documents module (or a part of it) is not installed
        log.warning("signature cleaning not available (%s): sending the frame as it is", exc.name)
        return _png(frame)


def prepare_card(frame: np.ndarray, side: str) -> bytes:
    """PNG of one side of the national card (``side`` is "front" or "back")."""
    try:
        from kiosk.quality.documents import prepare_card as real  # type: ignore[attr-defined]

        return real(frame, side)
    except ImportError as exc:
        log.warning("card straightening not available (%s): sending the frame as it is", exc.name)
        return _png(frame)


def prepare_selfie(frame: np.ndarray, quality: int = 92) -> bytes:
    ok, buf = cv2.imencode(".jpg", np.ascontiguousarray(frame), [int(cv2.IMWRITE_JPEG_QUALITY), int(quality)])
    if not ok:
        raise ValueError("the picture could not be encoded as JPEG")
    return buf.tobytes()
