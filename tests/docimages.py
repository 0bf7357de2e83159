"""Test pictures of documents, MADE at test time from real photographs (no binaries committed).

* ``make_card(side)``: an ID-1 card (85.6 x 54 mm at 10 px/mm = 856 x 540) with a light
  guilloche background, a coloured header, text-like bands (real glyphs from ``cv2.putText``),
  rounded corners and, on the front, a real face photo (the shipped ``resources/sim`` portraits).
* ``desk(w, h, kind)``: a textured desk from scikit-image's real ``brick`` / ``gravel`` /
  ``grass`` photographs, tinted like wood or a dark mat.
* ``photograph(card, desk, corners)``: the card put on the desk by ``cv2.warpPerspective`` to the
  given four corners (TL, TR, BR, BL), with a soft optical blur and sensor noise; the corners are
  those of the card's sharp rectangle (the rounded corners are cut inside it).
* ``add_glare``, ``blur``: the defects.
* ``signature_strokes(seed)``, ``draw_signature``, ``signature_sheet``, ``printed_sheet``,
  ``photograph_sheet``: a seeded spline signature of varying thickness on paper, paper shot on a
  desk with a shadow gradient, a blank page and a printed page as negatives.
"""
from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path

import numpy as np

from kiosk.cvcompat import cv2

ROOT = Path(__file__).resolve().parents[1]
CARD_W, CARD_H = 856, 540


@lru_cache(maxsize=4)
def portrait(name: str = "astronaut") -> np.ndarray:
    """A passport-like crop (3:4) of a shipped real face, BGR."""
    img = cv2.imread(str(ROOT / "resources" / "sim" / f"{name}.jpg"))
    assert img is not None, name
    if name == "astronaut":
        crop = img[10:330, 90:330]
    else:
        h, w = img.shape[:2]
        crop = img[int(0.05 * h):int(0.75 * h), int(0.12 * w):int(0.88 * w)]
    return cv2.resize(crop, (210, 280), interpolation=cv2.INTER_AREA)


def _texture(kind: str) -> np.ndarray:
    import skimage.data as skdata

    return getattr(skdata, kind)()  # 512 x 512 grey photographs


def desk(w: int, h: int, kind: str = "brick", tint=(60, 90, 140), seed: int = 0) -> np.ndarray:
    """A real texture photograph tiled to w x h, tinted (BGR) like a desk, darker than paper."""
    tex = _texture(kind).astype(np.float32) / 255.0
    reps = (math.ceil(h / tex.shape[0]), math.ceil(w / tex.shape[1]))
    tex = np.tile(tex, reps)[:h, :w]
    rng = np.random.default_rng(seed)
    shade = 0.55 + 0.45 * tex
    out = np.empty((h, w, 3), np.float32)
    for c in range(3):
        out[:, :, c] = tint[c] * shade
    out += rng.normal(0, 2.0, out.shape)
    return np.clip(out, 0, 255).astype(np.uint8)


def make_card(side: str = "front", face: str = "astronaut", seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """(card BGR 856 x 540, alpha mask with rounded corners): the simulated camera's card
    (``kiosk.capture.simdocs.make_card``) with the portrait of ``face``."""
    from kiosk.capture.simdocs import make_card as card_of

    return card_of(side, seed, portrait(face) if side == "front" else None)


def corners_at(cx: float, cy: float, width: float, angle_deg: float = 0.0, tilt: float = 0.0,
               aspect: float = CARD_W / CARD_H) -> np.ndarray:
    """Corners TL, TR, BR, BL of a card of ``width`` px centred at (cx, cy), rotated by
    ``angle_deg`` and seen in perspective (``tilt`` > 0 makes the top edge shorter)."""
    hw, hh = width / 2, width / aspect / 2
    pts = np.array([[-hw * (1 - tilt), -hh], [hw * (1 - tilt), -hh], [hw * (1 + tilt), hh], [-hw * (1 + tilt), hh]],
                   np.float64)
    a = math.radians(angle_deg)
    rot = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
    return (pts @ rot.T + [cx, cy]).astype(np.float32)


def _composite(obj: np.ndarray, mask: np.ndarray, background: np.ndarray, corners: np.ndarray,
               shadow: bool = True) -> np.ndarray:
    h, w = obj.shape[:2]
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    m = cv2.getPerspectiveTransform(src, np.asarray(corners, np.float32))
    H, W = background.shape[:2]
    warped = cv2.warpPerspective(obj, m, (W, H), flags=cv2.INTER_AREA if False else cv2.INTER_LINEAR)
    # supersampled mask so the border is anti-aliased
    big = cv2.resize(mask, (w * 2, h * 2), interpolation=cv2.INTER_LINEAR)
    m2 = cv2.getPerspectiveTransform(np.array([[0, 0], [2 * w, 0], [2 * w, 2 * h], [0, 2 * h]], np.float32),
                                     np.asarray(corners, np.float32))
    alpha = cv2.warpPerspective(big, m2, (W, H), flags=cv2.INTER_LINEAR).astype(np.float32)[:, :, None] / 255.0
    bg = background.astype(np.float32)
    if shadow:  # a soft drop shadow under the object
        sh = cv2.GaussianBlur(np.roll(np.roll(alpha[:, :, 0], 6, 0), 6, 1), (0, 0), 6)[:, :, None]
        bg = bg * (1 - 0.45 * sh)
    out = warped.astype(np.float32) * alpha + bg * (1 - alpha)
    return out


def photograph(obj: np.ndarray, mask: np.ndarray, background: np.ndarray, corners: np.ndarray,
               seed: int = 0, optics: float = 0.7, noise: float = 2.0, light=None) -> np.ndarray:
    """Shoot ``obj`` (with ``mask``) lying on ``background`` so its corners land on ``corners``."""
    out = _composite(obj, mask, background, corners)
    if light is not None:
        out = out * light[:, :, None]
    if optics > 0:
        out = cv2.GaussianBlur(out, (0, 0), optics)
    rng = np.random.default_rng(seed)
    out += rng.normal(0, noise, out.shape)
    return np.clip(out, 0, 255).astype(np.uint8)


def add_glare(img: np.ndarray, centre, radius: float, strength: float = 260.0) -> np.ndarray:
    """A specular reflection: a bright Gaussian spot that blows out its middle."""
    h, w = img.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    spot = np.exp(-((xx - centre[0]) ** 2 + (yy - centre[1]) ** 2) / (2 * (radius / 2) ** 2))
    out = img.astype(np.float32) + strength * spot[:, :, None]
    return np.clip(out, 0, 255).astype(np.uint8)


def blur(img: np.ndarray, sigma: float) -> np.ndarray:
    return cv2.GaussianBlur(img, (0, 0), sigma) if sigma > 0 else img.copy()


# -- signatures ---------------------------------------------------------------------------------
def _catmull_rom(points: np.ndarray, samples: int = 24) -> np.ndarray:
    from kiosk.capture.simdocs import _catmull_rom as curve  # the simulated camera's own curve

    return curve(points, samples)


def signature_strokes(seed: int = 0, width: float = 1.0, height: float = 1.0, strokes: int = 2) -> list[np.ndarray]:
    """A seeded, random-ish signature: loops moving left to right plus a flourish; each stroke an
    (N, 3) array of x, y (0-1 of width/height) and pressure 0.3-1."""
    rng = np.random.default_rng(seed)
    out = []
    x = 0.08
    for s in range(strokes):
        n = int(rng.integers(7, 11))
        xs = x + np.cumsum(rng.uniform(0.03, 0.09, n))
        ys = 0.5 + rng.uniform(-0.28, 0.28, n) * (1 if s == 0 else 0.6)
        pts = _catmull_rom(np.stack([xs, ys], 1))
        x = min(0.7, float(xs[-1]) + 0.03)
        pressure = 0.55 + 0.45 * np.sin(np.linspace(0, math.pi * rng.uniform(1.5, 3), len(pts)) + rng.uniform(0, 3))
        pressure = np.clip(pressure, 0.3, 1.0)
        out.append(np.column_stack([pts[:, 0] * width, pts[:, 1] * height, pressure]))
    # an underline flourish
    fx = np.linspace(0.1, 0.85, 6)
    fy = 0.78 + rng.uniform(-0.04, 0.04, 6)
    pts = _catmull_rom(np.stack([fx, fy], 1))
    out.append(np.column_stack([pts[:, 0] * width, pts[:, 1] * height, np.linspace(0.9, 0.3, len(pts))]))
    return out


def draw_signature(sheet: np.ndarray, strokes, box, ink=(120, 45, 25), max_thick: float = 5.0) -> np.ndarray:
    """Draw ``strokes`` (0-1 coordinates) into ``box`` (x, y, w, h) of ``sheet`` with varying
    thickness, anti-aliased (drawn 4x larger and reduced)."""
    x0, y0, bw, bh = box
    k = 4
    big = np.zeros((bh * k, bw * k), np.uint8)
    for st in strokes:
        pts = np.asarray(st, np.float64)
        for a, b in zip(pts[:-1], pts[1:], strict=False):
            t = max(1, int(round(max_thick * k * (a[2] + b[2]) / 2)))
            cv2.line(big, (int(a[0] * bw * k), int(a[1] * bh * k)), (int(b[0] * bw * k), int(b[1] * bh * k)), 255, t,
                     cv2.LINE_AA)
    alpha = cv2.resize(big, (bw, bh), interpolation=cv2.INTER_AREA).astype(np.float32)[:, :, None] / 255.0
    out = sheet.astype(np.float32)
    region = out[y0:y0 + bh, x0:x0 + bw]
    out[y0:y0 + bh, x0:x0 + bw] = region * (1 - alpha) + np.array(ink, np.float32) * alpha
    return np.clip(out, 0, 255).astype(np.uint8)


def paper(w: int = 840, h: int = 594, seed: int = 0) -> np.ndarray:
    """A sheet of slightly warm white paper with fibre noise (A5 landscape at ~4 px/mm)."""
    rng = np.random.default_rng(seed)
    base = np.empty((h, w, 3), np.float32)
    base[:] = (226, 234, 238)
    fib = cv2.GaussianBlur(rng.normal(0, 1, (h, w)).astype(np.float32), (0, 0), 1.5)
    base += 6 * fib[:, :, None]
    return np.clip(base, 0, 255).astype(np.uint8)


def signature_sheet(seed: int = 0) -> np.ndarray:
    sheet = paper(seed=seed)
    return draw_signature(sheet, signature_strokes(seed), (200, 160, 460, 260))


def printed_sheet(seed: int = 0) -> np.ndarray:
    """A printed page: lines of real glyphs in rows (a negative: not a wet signature)."""
    rng = np.random.default_rng(seed)
    sheet = paper(seed=seed)
    words = ["contract", "account", "bank", "branch", "terms", "the", "of", "and", "customer", "signature",
             "agreement", "date", "service", "identity", "number"]
    y = 60
    while y < 560:
        text = " ".join(rng.choice(words, size=6))
        cv2.putText(sheet, text, (40, y), cv2.FONT_HERSHEY_SIMPLEX, 0.85, (30, 30, 30), 2, cv2.LINE_AA)
        y += 38
    return sheet


def shadow_gradient(w: int, h: int, low: float = 0.55, angle_deg: float = 30.0) -> np.ndarray:
    """A linear light falloff (1 at one side, ``low`` at the other): a hand's or head's shadow."""
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    a = math.radians(angle_deg)
    d = xx * math.cos(a) + yy * math.sin(a)
    d = (d - d.min()) / max(1e-6, float(d.max() - d.min()))
    return (1.0 - (1.0 - low) * d).astype(np.float32)


def photograph_sheet(sheet: np.ndarray, size=(800, 600), kind: str = "gravel", corners=None, shadow_low: float = 0.6,
                     optics: float = 0.6, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(photo, corners): the sheet held in front of a desk in perspective, under a shadow."""
    W, H = size
    bg = desk(W, H, kind, tint=(70, 80, 95), seed=seed)
    if corners is None:
        corners = np.array([[110, 95], [690, 70], [715, 510], [85, 530]], np.float32)
    mask = np.full(sheet.shape[:2], 255, np.uint8)
    light = shadow_gradient(W, H, shadow_low) if shadow_low < 1 else None
    return photograph(sheet, mask, bg, corners, seed=seed, optics=optics, light=light), corners
