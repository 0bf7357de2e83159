"""The ID-card evaluation set, MADE at test time: the simulated camera's card (real portrait,
real glyphs) photographed on procedurally made textured desks (granite, gravel, wood grain,
patterned cloth, and scikit-image's real gravel photograph), at 0-30 degrees of perspective, in
a hand, with fingers over a corner, the photo or the text (refused) or a thumb on the border
that covers nothing (passes), and cut off by the frame's edge.

Perspective is real: the card is a rectangle in 3-D turned about its horizontal (``pitch``) and
vertical (``yaw``) axes and projected by a pinhole camera of a webcam's field of view.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

import docimages as di
from kiosk.cvcompat import cv2

W, H = 800, 600
FOCAL = 700.0  # px: a webcam's ~60 degree horizontal field of view at 800 px


# -- desks ---------------------------------------------------------------------------------------
def _noise(h: int, w: int, scale: float, rng: np.random.Generator) -> np.ndarray:
    small = rng.normal(0, 1, (max(2, int(h / scale)), max(2, int(w / scale)))).astype(np.float32)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)


def granite(w: int = W, h: int = H, seed: int = 0) -> np.ndarray:
    """Speckled granite: grains of black, white and pink at several sizes on grey."""
    rng = np.random.default_rng(seed)
    base = np.full((h, w, 3), (120, 118, 125), np.float32)
    base += 12 * _noise(h, w, 40, rng)[:, :, None]
    for size, share, colour in ((2, 0.25, (30, 30, 35)), (3, 0.10, (225, 225, 230)), (5, 0.06, (150, 140, 190)),
                                (1, 0.3, (60, 60, 70))):
        grains = rng.random((h // size + 1, w // size + 1)) < share
        m = cv2.resize(grains.astype(np.uint8), None, fx=size, fy=size, interpolation=cv2.INTER_NEAREST)[:h, :w]
        base[m > 0] = colour
    return np.clip(cv2.GaussianBlur(base, (0, 0), 0.7), 0, 255).astype(np.uint8)


def gravel(w: int = W, h: int = H, seed: int = 0) -> np.ndarray:
    """scikit-image's real gravel photograph, tinted warm grey."""
    return di.desk(w, h, "gravel", tint=(150, 160, 170), seed=seed)


def pebbles(w: int = W, h: int = H, seed: int = 0) -> np.ndarray:
    """Procedural gravel: a thousand small, shaded, differently coloured stones."""
    rng = np.random.default_rng(seed)
    out = np.full((h, w, 3), 90, np.float32)
    for _ in range(int(w * h / 220)):
        c = (int(rng.integers(0, w)), int(rng.integers(0, h)))
        ax = (int(rng.integers(4, 12)), int(rng.integers(3, 9)))
        tone = rng.uniform(60, 230)
        colour = tuple(float(tone * f) for f in rng.uniform(0.85, 1.1, 3))
        cv2.ellipse(out, c, ax, float(rng.uniform(0, 180)), 0, 360, colour, -1, cv2.LINE_AA)
        cv2.ellipse(out, (c[0] + 1, c[1] + 2), ax, 0, 200, 340, tuple(v * 0.6 for v in colour), 1, cv2.LINE_AA)
    return np.clip(out, 0, 255).astype(np.uint8)


def wood(w: int = W, h: int = H, seed: int = 0) -> np.ndarray:
    """Wood grain: warped rings, light and dark bands, brown."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    warp = 25 * _noise(h, w, 80, rng) + 6 * _noise(h, w, 15, rng)
    rings = np.sin((yy + warp + 0.05 * xx) / rng.uniform(5, 9))
    fine = _noise(h, w, 2, rng)
    lum = 0.6 + 0.25 * rings + 0.05 * fine
    brown = np.array([40, 85, 150], np.float32) * rng.uniform(0.8, 1.2)
    return np.clip(lum[:, :, None] * brown, 0, 255).astype(np.uint8)


def cloth(w: int = W, h: int = H, seed: int = 0) -> np.ndarray:
    """Patterned cloth: checks with a flower-like motif."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    p = rng.uniform(18, 34)
    checks = ((np.floor(xx / p) + np.floor(yy / p)) % 2).astype(np.float32)
    motif = (np.sin(xx / p * 2 * math.pi) * np.sin(yy / p * 2 * math.pi)) > 0.6
    a, b, c = (rng.uniform(30, 230, 3) for _ in range(3))
    out = np.where(checks[:, :, None] > 0, a, b).astype(np.float32)
    out[motif] = c
    return np.clip(out + rng.normal(0, 3, out.shape), 0, 255).astype(np.uint8)


DESKS = {"granite": granite, "gravel": gravel, "pebbles": pebbles, "wood": wood, "cloth": cloth}


# -- geometry ------------------------------------------------------------------------------------
def perspective_corners(cx: float, cy: float, width: float, pitch: float = 0.0, yaw: float = 0.0,
                        roll: float = 0.0) -> np.ndarray:
    """Corners TL, TR, BR, BL of a card ``width`` px wide (when facing the camera) centred at
    (cx, cy), turned ``pitch`` degrees about its horizontal axis, ``yaw`` about its vertical
    axis and ``roll`` in its plane, projected by a pinhole camera of focal ``FOCAL``."""
    hw, hh = width / 2, width / (di.CARD_W / di.CARD_H) / 2
    pts = np.array([[-hw, -hh, 0], [hw, -hh, 0], [hw, hh, 0], [-hw, hh, 0]], np.float64)
    r, p, y = (math.radians(v) for v in (roll, pitch, yaw))
    rz = np.array([[math.cos(r), -math.sin(r), 0], [math.sin(r), math.cos(r), 0], [0, 0, 1]])
    rx = np.array([[1, 0, 0], [0, math.cos(p), -math.sin(p)], [0, math.sin(p), math.cos(p)]])
    ry = np.array([[math.cos(y), 0, math.sin(y)], [0, 1, 0], [-math.sin(y), 0, math.cos(y)]])
    pts = pts @ (ry @ rx @ rz).T
    z = pts[:, 2] + FOCAL
    return np.stack([cx + FOCAL * pts[:, 0] / z, cy + FOCAL * pts[:, 1] / z], axis=1).astype(np.float32)


def _to_frame(corners: np.ndarray, u: float, v: float) -> np.ndarray:
    """A point at (u, v) of the card (0-1 across, 0-1 down) in frame pixels."""
    src = np.array([[0, 0], [1, 0], [1, 1], [0, 1]], np.float32)
    m = cv2.getPerspectiveTransform(src, corners.astype(np.float32))
    p = m @ np.array([u, v, 1.0])
    return p[:2] / p[2]


# -- hands ---------------------------------------------------------------------------------------
SKIN = ((150, 175, 215), (110, 140, 190), (70, 100, 150), (45, 70, 110))  # BGR, light to dark


def finger(img: np.ndarray, tip: np.ndarray, direction: np.ndarray, length: float, thick: float,
           tone, seed: int = 0) -> np.ndarray:
    """A shaded finger (or thumb) from ``tip`` back along ``direction`` for ``length`` px."""
    rng = np.random.default_rng(seed)
    d = direction / max(1e-6, float(np.linalg.norm(direction)))
    base = tip + d * length
    mask = np.zeros(img.shape[:2], np.uint8)
    cv2.line(mask, tuple(int(v) for v in tip), tuple(int(v) for v in base), 255, int(thick), cv2.LINE_AA)
    cv2.circle(mask, tuple(int(v) for v in tip), int(thick / 2), 255, -1, cv2.LINE_AA)
    nail = np.zeros(img.shape[:2], np.uint8)
    cv2.circle(nail, tuple(int(v) for v in tip + d * thick * 0.45), int(thick * 0.3), 255, -1, cv2.LINE_AA)
    layer = np.empty(img.shape, np.float32)
    layer[:] = np.array(tone, np.float32) * rng.uniform(0.9, 1.1)
    yy, xx = np.mgrid[0:img.shape[0], 0:img.shape[1]].astype(np.float32)
    n = np.array([-d[1], d[0]])
    across = ((xx - tip[0]) * n[0] + (yy - tip[1]) * n[1]) / max(1.0, thick / 2)
    layer *= np.clip(1.05 - 0.25 * across ** 2, 0.6, 1.1)[:, :, None]
    layer[nail > 0] = layer[nail > 0] * 0.8 + 50
    m = cv2.GaussianBlur(mask.astype(np.float32) / 255.0, (0, 0), 1.0)[:, :, None]
    return np.clip(img * (1 - m) + layer * m, 0, 255).astype(np.uint8)


# -- the set -------------------------------------------------------------------------------------
@dataclass
class CardCase:
    category: str
    name: str
    clean: bool
    image: np.ndarray
    side: str = "front"


@lru_cache(maxsize=2)
def card(side: str = "front") -> tuple[np.ndarray, np.ndarray]:
    return di.make_card(side)


def shoot(desk_name: str, corners: np.ndarray, side: str = "front", seed: int = 0) -> np.ndarray:
    obj, mask = card(side)
    return di.photograph(obj, mask, DESKS[desk_name](seed=seed), corners, seed=seed)


POSES = [  # (cx, cy, width, pitch, yaw, roll)
    (400, 300, 500, 0, 0, 3), (410, 290, 480, 22, 0, -5), (390, 310, 470, -25, 5, 8), (400, 300, 460, 30, 0, 0),
    (405, 300, 480, 0, 24, -3), (395, 305, 470, 15, -20, 12),
]


def cases() -> list[CardCase]:
    out: list[CardCase] = []
    for d_i, desk_name in enumerate(DESKS):
        for p_i, (cx, cy, wd, pitch, yaw, roll) in enumerate(POSES):
            corners = perspective_corners(cx, cy, wd, pitch, yaw, roll)
            seed = 10 * d_i + p_i
            name = f"{desk_name} p{pitch} y{yaw} r{roll}"
            out.append(CardCase(f"clean on {desk_name}", name, True, shoot(desk_name, corners, seed=seed)))
        corners = perspective_corners(400, 300, 480, 20, 0, -4)
        img = shoot(desk_name, corners, seed=d_i)
        out.append(CardCase("clean, back side", desk_name, True, shoot(desk_name, corners, "back", d_i), "back"))
        tone = SKIN[d_i % len(SKIN)]
        # a thumb on the bottom border, between the text and the photo: covers nothing
        tip = _to_frame(corners, 0.62, 0.93)
        out.append(CardCase("clean, thumb on the border", desk_name, True,
                            finger(img, tip, _to_frame(corners, 0.62, 1.4) - tip, 140, 30, tone, d_i)))
        # fingers over a corner, the photo, the text
        for what, (u, v), (du, dv) in (("corner", (0.96, 0.06), (1.6, -0.4)), ("photo", (0.8, 0.45), (1.5, 0.5)),
                                       ("text", (0.3, 0.4), (-0.6, 0.5))):
            tip = _to_frame(corners, u, v)
            direction = _to_frame(corners, du, dv) - tip
            out.append(CardCase(f"finger over the {what}", desk_name, False,
                                finger(img, tip, direction, 260, 34, tone, d_i)))
        # really cut off: a corner outside the frame
        out.append(CardCase("cut off (a corner outside)", desk_name, False,
                            shoot(desk_name, perspective_corners(150, 320, 480, 10, 0, 5), seed=d_i)))
    return out
