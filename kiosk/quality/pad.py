"""Checks of a signature drawn on the touch pad, before it is sent (no Qt).

``analyze_strokes(strokes, size) -> SignatureReport``: ``blank`` (no stroke or less than
``MIN_LENGTH`` of ink, as a share of the pad's diagonal) and ``too_small`` (the drawing's box
smaller than ``MIN_EXTENT`` of the pad's width); the PNG (``kiosk.capture.signature_pad.render``)
when the drawing passes. Strokes are described in ``kiosk.capture.signature_pad``.
"""
from __future__ import annotations

import math
from typing import Any
from collections.abc import Iterable, Sequence

import numpy as np

from kiosk.capture.signature_pad import normalise, render, stroke_length
from kiosk.cvcompat import cv2
from kiosk.quality.documents import first_instruction
from kiosk.quality.signature import SignatureReport

MIN_LENGTH = 0.5  # total stroke length / pad diagonal
MIN_EXTENT = 0.15  # drawing box width / pad width
PAD_PRIORITY = (("blank", "document.signature.pad_blank"), ("too_small", "document.signature.pad_small"))


def analyze_strokes(strokes: Sequence[Iterable[Any]], size: tuple[int, int]) -> SignatureReport:
    """A ``SignatureReport`` for a touch-pad drawing (checks in the module doc; PNG when ok)."""
    pts = normalise(strokes)
    pw, ph = float(size[0]), float(size[1])
    length = stroke_length(pts) / math.hypot(pw, ph)
    values: dict[str, Any] = {"strokes": len(pts), "points": int(sum(len(s) for s in pts)),
                              "length": round(length, 3)}
    failures: list[str] = []
    if not pts or length < MIN_LENGTH:
        failures.append("blank")
    else:
        allp = np.vstack([s[:, :2] for s in pts])
        extent = float(allp[:, 0].max() - allp[:, 0].min()) / pw
        values["extent"] = round(extent, 3)
        if extent < MIN_EXTENT:
            failures.append("too_small")
    ok = not failures
    img = render(pts, size) if pts else None
    png = None
    if ok and img is not None:
        ok_enc, buf = cv2.imencode(".png", img, [int(cv2.IMWRITE_PNG_COMPRESSION), 6])
        png = buf.tobytes() if ok_enc else None
    if img is not None:
        values["png_size"] = [int(img.shape[1]), int(img.shape[0])]
    return SignatureReport(ok, failures, first_instruction(failures, PAD_PRIORITY), png, values, None, img)


__all__ = ["analyze_strokes", "MIN_LENGTH", "MIN_EXTENT", "PAD_PRIORITY"]
