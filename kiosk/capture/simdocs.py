"""Documents for the simulated camera (no Qt): the national card (front with the shipped
portrait, back with a barcode) and a signed sheet, made at run time from ``resources/sim`` only,
lying on a desk and moving a little, so the document steps pass on the simulated camera.

``DocumentScene(kind, width, height, seed)``; ``kind`` is "card" (front), "card_back" or
"signature"; ``render(t) -> BGR uint8``. The card and the sheet are drawn once (latin glyphs:
OpenCV's Hershey fonts have no Persian); each frame is one perspective warp onto the desk.
"""
from __future__ import annotations

import math

import numpy as np

from kiosk.capture.base import CaptureError
from kiosk.cvcompat import cv2
from kiosk.resources import resource

CARD_W, CARD_H = 856, 540  # ID-1 at 10 px/mm
KINDS = ("card", "card_back", "signature")


def _text(img, org, text, scale, colour, thick=2) -> None:
    cv2.putText(img, text, org, cv2.FONT_HERSHEY_SIMPLEX, scale, colour, thick, cv2.LINE_AA)


def _portrait() -> np.ndarray:
    data = np.fromfile(str(resource("sim", "astronaut.jpg")), dtype=np.uint8)
    img = cv2.imdecode(data, cv2.IMREAD_COLOR) if data.size else None
    if img is None:
        raise CaptureError("simulated camera picture astronaut.jpg is missing", "camera.file_unreadable")
    return cv2.resize(img[10:330, 90:330], (210, 280), interpolation=cv2.INTER_AREA)


def make_card(side: str = "front", seed: int = 1, photo: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(card BGR 856 x 540, alpha mask with the rounded corners of ID-1); ``photo``: the 210 x 280
    portrait on the front (default: the shipped astronaut). The document tests make their cards
    with it too (``tests/docimages.py``)."""
    rng = np.random.default_rng(seed)
    h, w = CARD_H, CARD_W
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    base = np.empty((h, w, 3), np.float32)
    base[:, :, 0] = 222 + 10 * xx / w
    base[:, :, 1] = 228 - 8 * yy / h
    base[:, :, 2] = 214 + 6 * np.sin(xx / 37.0)
    guilloche = 0.5 + 0.5 * np.sin(xx / 9.0 + 6 * np.sin(yy / 41.0)) * np.sin(yy / 13.0 + 4 * np.cos(xx / 57.0))
    base -= 18 * guilloche[:, :, None] * np.array([0.6, 1.0, 0.8], np.float32)
    card = np.clip(base, 0, 255).astype(np.uint8)
    words = ["JOMHURI", "ESLAMI", "IRAN", "KARTE", "MELLI", "SHOMARE", "NAM", "TAVALOD", "PEDAR", "ETEBAR"]
    if side == "front":
        cv2.rectangle(card, (0, 0), (w, 78), (120, 90, 30), -1)
        _text(card, (28, 52), "ISLAMIC REPUBLIC OF IRAN  NATIONAL CARD", 0.95, (245, 245, 245))
        card[120:400, 600:810] = _portrait() if photo is None else photo
        cv2.rectangle(card, (598, 118), (812, 402), (90, 90, 90), 2)
        y = 140
        for _ in range(7):
            _text(card, (40, y), " ".join(rng.choice(words, size=2)) + "  " + "".join(map(str, rng.integers(0, 10, 6))),
                  0.8, (40, 40, 40))
            y += 52
        _text(card, (40, 510), "".join(map(str, rng.integers(0, 10, 10))), 1.0, (20, 20, 110))
    else:
        cv2.rectangle(card, (0, h - 70), (w, h), (120, 90, 30), -1)
        y = 70
        for _ in range(5):
            _text(card, (40, y), " ".join(rng.choice(words, size=3)) + " " + "".join(map(str, rng.integers(0, 10, 8))),
                  0.75, (40, 40, 40))
            y += 48
        x = 60
        while x < 500:  # a barcode
            bw = int(rng.integers(2, 7))
            cv2.rectangle(card, (x, 330), (x + bw, 430), (10, 10, 10), -1)
            x += bw + int(rng.integers(2, 6))
        _text(card, (560, 400), "".join(map(str, rng.integers(0, 10, 10))), 0.9, (30, 30, 30))
    mask = np.zeros((h, w), np.uint8)
    r = 32
    cv2.rectangle(mask, (r, 0), (w - 1 - r, h - 1), 255, -1)
    cv2.rectangle(mask, (0, r), (w - 1, h - 1 - r), 255, -1)
    for cx, cy in ((r, r), (w - 1 - r, r), (w - 1 - r, h - 1 - r), (r, h - 1 - r)):
        cv2.circle(mask, (cx, cy), r, 255, -1, cv2.LINE_AA)
    return card, mask


def _catmull_rom(points: np.ndarray, samples: int = 16) -> np.ndarray:
    p = np.vstack([points[0], points, points[-1]])
    out = []
    for i in range(1, len(p) - 2):
        p0, p1, p2, p3 = p[i - 1], p[i], p[i + 1], p[i + 2]
        for t in np.linspace(0, 1, samples, endpoint=False):
            out.append(0.5 * (2 * p1 + (-p0 + p2) * t + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t * t
                              + (-p0 + 3 * p1 - 3 * p2 + p3) * t ** 3))
    out.append(p[-2])
    return np.array(out)


def make_sheet(seed: int = 0) -> np.ndarray:
    """A5 paper (840 x 594) with a handwritten-like signature in blue-black ink."""
    rng = np.random.default_rng(seed)
    h, w = 594, 840
    sheet = np.empty((h, w, 3), np.float32)
    sheet[:] = (226, 234, 238)
    sheet += 5 * cv2.GaussianBlur(rng.normal(0, 1, (h, w)).astype(np.float32), (0, 0), 1.5)[:, :, None]
    strokes, x = [], 0.08
    for s in range(2):
        n = int(rng.integers(7, 11))
        xs = x + np.cumsum(rng.uniform(0.03, 0.09, n))
        ys = 0.5 + rng.uniform(-0.28, 0.28, n) * (1 if s == 0 else 0.6)
        strokes.append(_catmull_rom(np.stack([xs, ys], 1)))
        x = min(0.7, float(xs[-1]) + 0.03)
    strokes.append(_catmull_rom(np.stack([np.linspace(0.1, 0.85, 6), 0.78 + rng.uniform(-0.04, 0.04, 6)], 1)))
    bx, by, bw, bh, k = 190, 150, 460, 270, 4
    big = np.zeros((bh * k, bw * k), np.uint8)
    for pts in strokes:
        for i, (a, b) in enumerate(zip(pts[:-1], pts[1:], strict=False)):
            thick = max(1, int(round(k * (3.0 + 2.0 * math.sin(i / 9.0)))))
            cv2.line(big, (int(a[0] * bw * k), int(a[1] * bh * k)), (int(b[0] * bw * k), int(b[1] * bh * k)), 255,
                     thick, cv2.LINE_AA)
    alpha = cv2.resize(big, (bw, bh), interpolation=cv2.INTER_AREA).astype(np.float32)[:, :, None] / 255.0
    region = sheet[by:by + bh, bx:bx + bw]
    sheet[by:by + bh, bx:bx + bw] = region * (1 - alpha) + np.array((120, 45, 25), np.float32) * alpha
    return np.clip(sheet, 0, 255).astype(np.uint8)


def make_desk(w: int, h: int, seed: int = 0) -> np.ndarray:
    """A brown wooden desk: grain from interfering sines and smoothed noise (darker than paper)."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    noise = cv2.GaussianBlur(rng.normal(0, 1, (h, w)).astype(np.float32), (0, 0), 3.0)
    grain = 0.5 + 0.5 * np.sin(yy / 5.5 + 3.0 * np.sin(xx / 90.0) + 2.0 * noise)
    shade = 0.62 + 0.22 * grain + 0.06 * noise
    out = np.stack([55 * shade, 85 * shade, 125 * shade], axis=-1)
    return np.clip(out, 0, 255).astype(np.float32)


class DocumentScene:
    """The document of ``kind`` on a desk, filling about 60 % of the frame's width, turning
    and drifting a few pixels (slow enough for the auto-capture's stillness check)."""

    def __init__(self, kind: str, width: int = 640, height: int = 480, seed: int = 0):
        if kind not in KINDS:
            raise ValueError(f"unknown document scene {kind!r}")
        self.kind, self.width, self.height = kind, int(width), int(height)
        if kind == "signature":
            self.obj = make_sheet(seed)
            self.mask = np.full(self.obj.shape[:2], 255, np.uint8)
            self.share = 0.72
        else:
            self.obj, self.mask = make_card("front" if kind == "card" else "back", seed + 1)
            self.share = 0.62
        self.desk = make_desk(self.width, self.height, seed)
        oh, ow = self.obj.shape[:2]
        self._src = np.array([[0, 0], [ow, 0], [ow, oh], [0, oh]], np.float32)
        self._alpha_src = cv2.resize(self.mask, (ow, oh)).astype(np.float32) / 255.0

    def corners(self, t: float) -> np.ndarray:
        W, H = self.width, self.height
        oh, ow = self.obj.shape[:2]
        hw = self.share * W / 2
        hh = hw * oh / ow
        cx = W / 2 + 2.0 * math.sin(2 * math.pi * t / 4.1)
        cy = H / 2 + 1.5 * math.sin(2 * math.pi * t / 3.3)
        a = math.radians(2.0 + 0.6 * math.sin(2 * math.pi * t / 5.0))
        tilt = 0.03  # held a little back at the top
        pts = np.array([[-hw * (1 - tilt), -hh], [hw * (1 - tilt), -hh], [hw * (1 + tilt), hh], [-hw * (1 + tilt), hh]])
        rot = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
        return (pts @ rot.T + [cx, cy]).astype(np.float32)

    def render(self, t: float) -> np.ndarray:
        W, H = self.width, self.height
        m = cv2.getPerspectiveTransform(self._src, self.corners(t))
        warped = cv2.warpPerspective(self.obj, m, (W, H), flags=cv2.INTER_AREA).astype(np.float32)
        alpha = cv2.warpPerspective(self._alpha_src, m, (W, H), flags=cv2.INTER_LINEAR)[:, :, None]
        shadow = cv2.GaussianBlur(np.roll(np.roll(alpha[:, :, 0], 5, 0), 5, 1), (0, 0), 5)[:, :, None]
        out = warped * alpha + self.desk * (1 - 0.4 * shadow) * (1 - alpha)
        if self.kind == "signature":  # a soft light falloff across the sheet
            out *= np.linspace(1.0, 0.8, W, dtype=np.float32)[None, :, None]
        return np.clip(out, 0, 255).astype(np.uint8)


__all__ = ["DocumentScene", "KINDS", "make_card", "make_sheet", "make_desk"]
