"""Signature drawn on a touch screen: strokes -> the same PNG as a wet signature (no Qt).

``render_strokes(strokes, size) -> bytes``: ``strokes`` is a list of strokes, each a list of points
in the pad's own coordinates (``size`` = (width, height) of the pad in those units, e.g. the
widget's pixels). A point is ``(x, y)``, ``(x, y, pressure)``, ``(x, y, pressure, t)`` or a dict
with keys ``x``, ``y`` and optionally ``pressure`` (0-1) and ``t`` (seconds). The pen's width
follows the pressure when the device gives one; otherwise it follows the speed when times are
given (a fast stroke is thinner, as with a real pen), else it is constant. Strokes are drawn 4x
larger with round joins (anti-aliased) and reduced, cropped to the ink with the same margin as a
wet signature, at most 800 px wide, as 8-bit grey PNG: white paper, black ink.

The checks of the drawing before it is sent (``analyze_strokes``) are in ``kiosk.quality.pad``.
Setting ``signature.touch_pad`` decides whether the wizard offers the pad.
"""
from __future__ import annotations

import math
from typing import Any
from collections.abc import Iterable, Sequence

import numpy as np

from kiosk.cvcompat import cv2

MAX_WIDTH = 800
SUPERSAMPLE = 4


def _points(stroke: Iterable[Any]) -> np.ndarray:
    """One stroke -> (N, 4) float array x, y, pressure (nan = none), t (nan = none)."""
    rows = []
    for p in stroke:
        if isinstance(p, dict):
            rows.append((float(p["x"]), float(p["y"]), float(p.get("pressure", math.nan) if p.get("pressure") is not None
                                                           else math.nan),
                         float(p.get("t", math.nan) if p.get("t") is not None else math.nan)))
        else:
            seq = tuple(p)
            if len(seq) < 2:
                raise ValueError(f"a point needs x and y, got {seq!r}")
            pr = float(seq[2]) if len(seq) > 2 and seq[2] is not None else math.nan
            tt = float(seq[3]) if len(seq) > 3 and seq[3] is not None else math.nan
            rows.append((float(seq[0]), float(seq[1]), pr, tt))
    arr = np.array(rows, np.float64).reshape(-1, 4)
    if not np.all(np.isfinite(arr[:, :2])):
        raise ValueError("stroke points must be finite numbers")
    return arr


def normalise(strokes: Sequence[Iterable[Any]]) -> list[np.ndarray]:
    return [a for a in (_points(s) for s in strokes or []) if len(a)]


def _widths(pts: np.ndarray, base: float) -> np.ndarray:
    """Pen width (pad units) at each point: from pressure, else speed, else constant."""
    n = len(pts)
    pr = pts[:, 2]
    if np.all(np.isfinite(pr)):
        return base * (0.35 + 0.9 * np.clip(pr, 0, 1))
    t = pts[:, 3]
    if n > 1 and np.all(np.isfinite(t)) and t[-1] > t[0]:
        seg = np.linalg.norm(np.diff(pts[:, :2], axis=0), axis=1)
        dt = np.maximum(np.diff(t), 1e-3)
        speed = np.concatenate([[seg[0] / dt[0]], seg / dt])
        ref = float(np.median(speed)) or 1.0
        w = base * np.clip(1.3 - 0.5 * speed / ref, 0.45, 1.3)
        return np.convolve(w, np.ones(3) / 3, mode="same") if n >= 3 else w
    return np.full(n, base)


def stroke_length(strokes: list[np.ndarray]) -> float:
    return float(sum(np.linalg.norm(np.diff(s[:, :2], axis=0), axis=1).sum() for s in strokes if len(s) > 1))


def render(strokes, size: tuple[int, int], pen: float | None = None) -> np.ndarray | None:
    """Grey picture (white, black ink) of the strokes, cropped with a margin, at most 800 px
    wide; None when there is no ink."""
    pts = normalise(strokes)
    if not pts:
        return None
    pw, ph = float(size[0]), float(size[1])
    if pw <= 0 or ph <= 0:
        raise ValueError(f"pad size must be positive, got {size!r}")
    # output scale: pad units -> px, so a full-width drawing is at most MAX_WIDTH px
    scale = min(1.0, MAX_WIDTH / pw) if pw > MAX_WIDTH else 1.0
    base = pen if pen is not None else max(2.0, 0.006 * pw)
    k = scale * SUPERSAMPLE
    W, H = int(math.ceil(pw * scale)), int(math.ceil(ph * scale))
    canvas = np.zeros((H * SUPERSAMPLE, W * SUPERSAMPLE), np.uint8)
    for s in pts:
        widths = _widths(s, base)
        xy = np.rint(s[:, :2] * k).astype(np.int64)
        if len(s) == 1:
            cv2.circle(canvas, tuple(int(v) for v in xy[0]), max(1, int(widths[0] * k / 2)), 255, -1, cv2.LINE_AA)
            continue
        for i in range(len(s) - 1):
            th = max(1, int(round((widths[i] + widths[i + 1]) / 2 * k)))
            a, b = tuple(int(v) for v in xy[i]), tuple(int(v) for v in xy[i + 1])
            cv2.line(canvas, a, b, 255, th, cv2.LINE_AA)
            cv2.circle(canvas, b, th // 2, 255, -1, cv2.LINE_AA)  # round joins
    ink = cv2.resize(canvas, (W, H), interpolation=cv2.INTER_AREA)
    ys, xs = np.nonzero(ink > 32)
    if len(xs) == 0:
        return None
    x0, x1, y0, y1 = int(xs.min()), int(xs.max()) + 1, int(ys.min()), int(ys.max()) + 1
    pad = max(12, int(0.06 * max(x1 - x0, y1 - y0)))
    out: np.ndarray = np.full((y1 - y0 + 2 * pad, x1 - x0 + 2 * pad), 255, np.uint8)
    out[pad:pad + y1 - y0, pad:pad + x1 - x0] = 255 - ink[y0:y1, x0:x1]
    if out.shape[1] > MAX_WIDTH:
        out = cv2.resize(out, (MAX_WIDTH, max(1, round(out.shape[0] * MAX_WIDTH / out.shape[1]))),
                         interpolation=cv2.INTER_AREA)
    return out


def render_strokes(strokes, size: tuple[int, int], pen: float | None = None) -> bytes:
    """PNG (8-bit grey, black ink on white) of the strokes; ``ValueError`` when there is no ink."""
    img = render(strokes, size, pen)
    if img is None:
        raise ValueError("no strokes to render")
    ok, buf = cv2.imencode(".png", img, [int(cv2.IMWRITE_PNG_COMPRESSION), 6])
    if not ok:
        raise ValueError("the signature could not be encoded as PNG")
    return buf.tobytes()


__all__ = ["render_strokes", "render", "normalise", "stroke_length", "MAX_WIDTH"]
