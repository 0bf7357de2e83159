"""Covered faces (no models, no Qt): is anything in front of the eyes, the mouth or the chin?

The landmarker places its 478 points even where the face is hidden (it infers them from what it
sees), so the points say *where* each part should be; local image statistics at those places
say whether the part is really there. Each is measured against the person's own skin (the
cheeks just under the eyes and the bridge of the nose; a headscarf or a fringe down to the brows
covers none of them):

* ``eyes``: an open, visible eye has a dark iris against the lighter sclera and lids: the
  darkest tenth of the eye opening is well below the skin. A hand, a phone or a paper over the
  eye leaves an eye "opening" as light and flat as skin, or flat and dark.
* ``mouth``: lips are redder than the skin around them (CIELAB a*), whatever the skin tone; a
  hand has the skin's own colour, a mask, a phone or a scarf a colour of its own.
* ``chin``: the jaw line below the mouth, and the chin in its middle, are an edge (face against neck, collar or scarf); a hand
  or a phone held under the chin hides it, and the chin takes the colour of what covers it.

``cover_measures`` returns the figures; ``covered_parts`` applies the thresholds (calibrated on
the evaluation set, ``benchmarks/quality_eval.py``; figures in ``kiosk/quality/README.md``).
Cost: about 1 ms per frame (the face box is measured at ``WORK_WIDTH`` px).
"""
from __future__ import annotations

import math

import numpy as np

from kiosk.cvcompat import cv2

# mediapipe face-mesh indices
LEFT_EYE = (33, 246, 161, 160, 159, 158, 157, 173, 133, 155, 154, 153, 145, 144, 163, 7)
RIGHT_EYE = (362, 398, 384, 385, 386, 387, 388, 466, 263, 249, 390, 373, 374, 380, 381, 382)
LIPS_OUTER = (61, 185, 40, 39, 37, 0, 267, 269, 270, 409, 291, 375, 321, 405, 314, 17, 84, 181, 91, 146)
LIPS_INNER = (78, 191, 80, 81, 82, 13, 312, 311, 310, 415, 308, 324, 318, 402, 317, 14, 87, 178, 88, 95)
JAW = (136, 150, 149, 176, 148, 152, 377, 400, 378, 379, 365)
CHEEK_SKIN = (118, 347, 6)  # under each eye, bridge of the nose
FACE_SIDES = (234, 454)

WORK_WIDTH = 96.0  # the face is measured at this width (cheek to cheek), in pixels

#: thresholds (see the module docstring)
MIN_EYE_DARK = 0.5  # (skin - darkest tenth of the eye opening) / skin; visible eyes 0.8-0.93
LIP_CHROMA = (6.0, 18.0)  # lips' colour distance from the skin in CIELAB (a*, b*); lips 7-14
MOUTH_DARK = (0.30, 0.70)  # (skin - darkest tenth of the mouth) / skin: the line between the lips
MIN_JAW_EDGE = 0.14  # mean CIELAB distance across the whole jaw line / skin L; clean 0.150-0.5
MIN_CHIN_EDGE = 0.085  # the same across the chin's five middle points; clean 0.105-, hidden by a hand <= 0.066


def _poly_values(img: np.ndarray, poly: np.ndarray, hole: np.ndarray | None = None) -> np.ndarray:
    """The pixels of ``img`` inside ``poly`` (and outside ``hole``), cut to the polygon's box."""
    h, w = img.shape[:2]
    x0, y0 = np.floor(poly.min(axis=0)).astype(int)
    x1, y1 = np.ceil(poly.max(axis=0)).astype(int)
    x0, y0, x1, y1 = max(0, x0), max(0, y0), min(w, x1 + 1), min(h, y1 + 1)
    if x1 - x0 < 2 or y1 - y0 < 2:
        return np.empty((0,) + img.shape[2:], img.dtype)
    mask = np.zeros((y1 - y0, x1 - x0), np.uint8)
    off = np.array([x0, y0], np.float64)
    cv2.fillPoly(mask, [np.round(poly - off).astype(np.int32)], 255)
    if hole is not None:
        cv2.fillPoly(mask, [np.round(hole - off).astype(np.int32)], 0)
    return img[y0:y1, x0:x1][mask > 0]


def cover_measures(image_bgr: np.ndarray, pts: np.ndarray) -> dict[str, float] | None:
    """{"eye_dark": min over both eyes, "lip_red", "lip_chroma", "mouth_dark", "jaw_edge", "chin_edge"}; None when the face is too small
    or outside the picture to measure (the caller fails closed)."""
    h, w = image_bgr.shape[:2]
    fw = float(np.linalg.norm(pts[FACE_SIDES[0]] - pts[FACE_SIDES[1]]))
    if fw < 24 or not np.all(np.isfinite(pts)):
        return None
    ox, oy = _box_origin(pts, fw, w, h)
    box = _box(image_bgr, pts, fw)
    scale = min(1.0, WORK_WIDTH / fw)  # the face at WORK_WIDTH px: the figures do not depend on size
    if scale < 1.0:
        box = cv2.resize(box, (max(1, round(box.shape[1] * scale)), max(1, round(box.shape[0] * scale))),
                         interpolation=cv2.INTER_LINEAR)
    lab = cv2.cvtColor(box, cv2.COLOR_BGR2LAB).astype(np.float32)
    p = (pts - np.array([ox, oy], np.float64)) * scale
    fw *= scale
    r = max(2, int(round(0.04 * fw)))
    hb, wb = lab.shape[:2]
    local = cv2.blur(lab, (2 * r + 1, 2 * r + 1))  # the mean of a (2r+1)-square at every pixel

    def at(points: np.ndarray) -> np.ndarray:
        xy = np.rint(points).astype(int)
        return local[xy[:, 1].clip(0, hb - 1), xy[:, 0].clip(0, wb - 1)]

    skin_px = at(p[list(CHEEK_SKIN)])
    skin_l = float(np.median(skin_px[:, 0]))
    skin_a = float(np.median(skin_px[:, 1]))
    if skin_l < 8:
        return None
    eye_dark = math.inf
    for eye in (LEFT_EYE, RIGHT_EYE):
        vals = _poly_values(lab[:, :, 0], p[list(eye)])
        if vals.size < 6:
            return None
        eye_dark = min(eye_dark, (skin_l - float(np.percentile(vals, 10))) / skin_l)
    lips = _poly_values(lab, p[list(LIPS_OUTER)], p[list(LIPS_INNER)])
    mouth = _poly_values(lab[:, :, 0], p[list(LIPS_OUTER)])
    if lips.shape[0] < 6 or mouth.size < 6:
        return None
    lip_med = np.median(lips.astype(np.float32), axis=0)
    lip_red = float(lip_med[1]) - skin_a
    lip_chroma = float(np.hypot(lip_med[1] - skin_a, lip_med[2] - float(np.median(skin_px[:, 2]))))
    mouth_dark = (skin_l - float(np.percentile(mouth, 10))) / skin_l
    # the jaw line below the mouth: inside and outside points along the normal
    jaw = p[list(JAW)]
    centre = jaw.mean(axis=0) - np.array([0.0, 0.3 * fw])
    normal = jaw - centre
    normal /= np.maximum(1e-6, np.linalg.norm(normal, axis=1))[:, None]
    step = 0.06 * fw
    diffs = np.linalg.norm(at(jaw - normal * step) - at(jaw + normal * step), axis=1)
    jaw_edge = float(np.mean(diffs)) / skin_l
    # the chin itself: the middle five points (176, 148, 152, 377, 400). The sides of the jaw, near
    # the ears, stay in sight when a hand covers only the chin, and their edge kept the mean of all
    # eleven up to 0.146 with the chin hidden, against 0.150 for a clean frame
    mid = len(JAW) // 2
    chin_edge = float(np.mean(diffs[mid - 2:mid + 3])) / skin_l
    return {"eye_dark": eye_dark, "lip_red": lip_red, "lip_chroma": lip_chroma, "mouth_dark": mouth_dark,
            "jaw_edge": jaw_edge, "chin_edge": chin_edge}


def _box_origin(pts: np.ndarray, fw: float, w: int, h: int) -> tuple[int, int]:
    x0, y0 = pts.min(axis=0) - 0.15 * fw
    return int(max(0, math.floor(x0))), int(max(0, math.floor(y0)))


def _box(image_bgr: np.ndarray, pts: np.ndarray, fw: float) -> np.ndarray:
    """The face's box (with a margin for the jaw line's outside points): the only pixels read."""
    h, w = image_bgr.shape[:2]
    x0, y0 = _box_origin(pts, fw, w, h)
    x1, y1 = pts.max(axis=0) + 0.15 * fw
    return image_bgr[y0:int(min(h, math.ceil(y1))), x0:int(min(w, math.ceil(x1)))]


def covered_parts(image_bgr: np.ndarray, pts: np.ndarray) -> list[str] | None:
    """The parts found covered ("eyes", "mouth", "chin"), [] for none; None when it could not
    be measured (fails closed in ``kiosk.quality.face.judge``)."""
    m = cover_measures(image_bgr, pts)
    if m is None:
        return None
    parts = []
    if m["eye_dark"] < MIN_EYE_DARK:
        parts.append("eyes")
    if not (LIP_CHROMA[0] <= m["lip_chroma"] <= LIP_CHROMA[1] and MOUTH_DARK[0] <= m["mouth_dark"] <= MOUTH_DARK[1]):
        parts.append("mouth")
    if m["jaw_edge"] < MIN_JAW_EDGE or m["chin_edge"] < MIN_CHIN_EDGE:
        parts.append("chin")
    return parts


__all__ = ["cover_measures", "covered_parts", "MIN_EYE_DARK", "LIP_CHROMA", "MOUTH_DARK", "MIN_JAW_EDGE", "MIN_CHIN_EDGE"]
