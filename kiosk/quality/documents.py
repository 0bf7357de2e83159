"""The national ID card held to the camera: found, straightened, checked, PNG (no Qt).

``analyze_card(image, side, detector=None) -> CardReport``

1. **Find the card** (``find_card``). The frame is reduced to at most ``WORK_SIDE`` px and three
   segmentations are tried: Canny edges (closed by a small dilation), Otsu's threshold in both
   polarities and, for a card on a desk of a similar brightness, the colour distance to the
   frame's border. Each outer contour large enough is reduced to a quadrilateral (its convex hull
   through ``approxPolyDP`` with a growing tolerance) and scored by area, solidity (contour area /
   quad area: a card is a filled rectangle) and how close its side ratio is to ID-1's 85.6 / 54 =
   1.585 (perspective allowed: 1.2-2.2). The best quad's four sides are then re-fitted
   (``cv2.fitLine``, Huber) to the Canny edge pixels along their middle 70 % and intersected, so
   the corners are those of the card's sharp rectangle, not of its rounded (3.18 mm) corners,
   within a pixel or two.
2. **Order** the corners TL, TR, BR, BL with the long edge on top, and **warp** to
   ``CARD_SIZE`` (856 x 540, 10 px/mm). The front is turned 180 degrees when its photo is found
   with more confidence that way up (the detector's upside-down detections are weak or dropped).
3. **Checks** (failure names, in the order they are told, one at a time):
   ``no_card`` (nothing card-like), ``cut_off`` (a corner within ``BORDER_MARGIN`` of the
   frame's edge), ``too_far`` (card area < ``min_area`` of the frame), ``tilted`` (a corner angle
   more than ``max_corner_angle`` from 90 degrees: hold it flat, facing the camera), ``blurred``
   (variance of the 3x3 Laplacian of the card at ``SHARPNESS_SIZE``, 428 x 270, from its native
   pixels, below ``min_sharpness``), ``glare`` (share of card pixels at 250 or more above
   ``max_glare``), ``no_photo`` (front: no face found on the card) and ``wrong_side`` (back: a
   large face found, i.e. the front is shown).
4. **PNG** of the warped card (``CardReport.png``).

Live guidance is one instruction at a time (``instruction_key``, sentences in ``SENTENCES`` in
Persian and English, kept in ``kiosk.i18n.messages``); ``AutoCaptureDocument`` adds "hold the
card still" while the corners move and fires after ``steady_frames`` good, still frames, keeping
the sharpest.

The face on the card is found with mediapipe's short-range ``FaceDetector`` (the shipped,
hash-checked model of ``kiosk.quality.models``) run on the whole card and on its left and right
squares (the photo is small): ``CardFaceFinder``. ``analyze_card`` also accepts a
``kiosk.quality.face.FaceAnalyzer`` or any callable ``bgr -> list of boxes``.

Thresholds are ``CardThresholds`` fields; the defaults were calibrated on the test cards of
``tests/docimages.py`` (real portraits and glyphs, perspective, desks from real textures): a clean
card measures sharpness 370-500 (front) and 460-830 (back), a further Gaussian blur of sigma 1
about 135, 1.5 about 65, 2 about 40; glare 0 when clean, 0.018 for a 30 px spot on a 480 px card.
Found corners are within ~1 px of the true ones (2.5 px is what the tests allow). About 45 ms per
640 x 480 frame without the PNG on two cores; PNG encoding adds ~35 ms.
"""
from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field
from typing import Any
from collections.abc import Callable

import numpy as np

from kiosk.cvcompat import cv2
from kiosk.i18n.messages import MESSAGES
from kiosk.quality.measures import ImageError, to_bgr8

ID1_ASPECT = 85.6 / 54.0  # 1.585
CARD_SIZE = (856, 540)  # width, height of the warped card (10 px per mm)
SHARPNESS_SIZE = (428, 270)
WORK_SIDE = 640  # frames are searched at most this large
BORDER_MARGIN = 0.01  # share of the frame's smaller side
GLARE_LEVEL = 250


@dataclass
class CardThresholds:
    min_area: float = 0.18  # card area / frame area
    max_corner_angle: float = 25.0  # degrees away from 90 at any corner
    min_sharpness: float = 100.0  # Laplacian variance at SHARPNESS_SIZE
    max_glare: float = 0.01  # share of card pixels >= 250
    min_aspect: float = 1.2
    max_aspect: float = 2.2
    min_face_height: float = 0.12  # face box height / card height for a "photo" (wrong_side)
    max_intrusion: float = 0.25  # how deep a finger may reach in from the edge, share of the card height
    max_print_around: float = 0.08  # share of print (text, photo) ringing it: a finger on the content
    corner_zone: float = 0.12  # a finger within this share of the card's width of a corner covers it


#: the ``document.*`` sentences (Persian and English) live in the one catalogue, kiosk.i18n.messages
SENTENCES: dict[str, dict[str, str]] = {k: v for k, v in MESSAGES.items() if k.startswith("document.")}

#: card failure -> instruction key, in the order they are told
CARD_PRIORITY: tuple[tuple[str, str], ...] = (
    ("no_card", "document.card.show"),
    ("cut_off", "document.card.whole"),
    ("too_far", "document.card.closer"),
    ("tilted", "document.card.flat"),
    ("covered", "document.card.fingers"),
    ("moving", "document.card.hold_still"),
    ("blurred", "document.card.hold_still"),
    ("glare", "document.card.glare"),
    ("no_photo", "document.card.front"),
    ("wrong_side", "document.card.back"),
)


def sentence(key: str | None, lang: str = "fa") -> str | None:
    """The sentence of a ``document.*`` key in ``lang``; None for None or an unknown key."""
    if not key or key not in SENTENCES:
        return None
    return SENTENCES[key].get(lang) or SENTENCES[key]["en"]


def first_instruction(failures: list[str], priority=CARD_PRIORITY) -> str | None:
    order = {name: i for i, (name, _) in enumerate(priority)}
    keys = dict(priority)
    ranked = sorted((f for f in failures if f in order), key=order.__getitem__)
    return keys[ranked[0]] if ranked else None


def encode_png(image: np.ndarray, compression: int = 3) -> bytes:
    ok, buf = cv2.imencode(".png", np.ascontiguousarray(image), [int(cv2.IMWRITE_PNG_COMPRESSION), int(compression)])
    if not ok:
        raise ValueError("the picture could not be encoded as PNG")
    return buf.tobytes()


# -- geometry ------------------------------------------------------------------------------------
def order_corners(pts) -> np.ndarray:
    """Four points -> float32 (4, 2) in the order TL, TR, BR, BL (clockwise on screen, starting
    at the corner nearest the top left)."""
    p = np.asarray(pts, np.float64).reshape(4, 2)
    c = p.mean(axis=0)
    ang = np.arctan2(p[:, 1] - c[1], p[:, 0] - c[0])
    p = p[np.argsort(ang)]  # clockwise on screen (y down)
    start = int(np.argmin(p[:, 0] + p[:, 1]))
    return np.roll(p, -start, axis=0).astype(np.float32)


def landscape(corners: np.ndarray) -> np.ndarray:
    """Re-start ordered corners so the first edge (TL -> TR) is a long edge."""
    c = np.asarray(corners, np.float32)
    top = np.linalg.norm(c[1] - c[0]) + np.linalg.norm(c[2] - c[3])
    side = np.linalg.norm(c[3] - c[0]) + np.linalg.norm(c[2] - c[1])
    return c if top >= side else np.roll(c, 1, axis=0)


def side_lengths(c: np.ndarray) -> np.ndarray:
    return np.array([np.linalg.norm(c[(i + 1) % 4] - c[i]) for i in range(4)])


def quad_aspect(c: np.ndarray) -> float:
    s = side_lengths(c)
    a, b = (s[0] + s[2]) / 2, (s[1] + s[3]) / 2
    return float(max(a, b) / max(1e-6, min(a, b)))


def corner_angles(c: np.ndarray) -> np.ndarray:
    out = []
    for i in range(4):
        a, b, d = c[i - 1], c[i], c[(i + 1) % 4]
        u, v = a - b, d - b
        cosv = float(np.dot(u, v) / max(1e-9, np.linalg.norm(u) * np.linalg.norm(v)))
        out.append(math.degrees(math.acos(max(-1.0, min(1.0, cosv)))))
    return np.array(out)


def warp(image: np.ndarray, corners, size: tuple[int, int], interpolation=cv2.INTER_LINEAR) -> np.ndarray:
    """The quadrilateral ``corners`` (TL, TR, BR, BL) of ``image`` as an upright ``size`` picture."""
    w, h = size
    dst = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    m = cv2.getPerspectiveTransform(np.asarray(corners, np.float32), dst)
    return cv2.warpPerspective(image, m, (w, h), flags=interpolation, borderMode=cv2.BORDER_REPLICATE)


def _approx_quad(contour: np.ndarray) -> np.ndarray | None:
    hull = cv2.convexHull(contour)
    peri = cv2.arcLength(hull, True)
    for eps in (0.01, 0.02, 0.03, 0.045, 0.06, 0.08, 0.1):
        q = cv2.approxPolyDP(hull, eps * peri, True)
        if len(q) == 4:
            return q.reshape(4, 2).astype(np.float32)
        if len(q) < 4:
            return None
    return None


def _line_intersection(l1, l2) -> np.ndarray | None:
    (vx1, vy1, x1, y1), (vx2, vy2, x2, y2) = l1, l2
    det = vx1 * (-vy2) - vy1 * (-vx2)
    if abs(det) < 1e-9:
        return None
    t = ((x2 - x1) * (-vy2) - (y2 - y1) * (-vx2)) / det
    return np.array([x1 + t * vx1, y1 + t * vy1], np.float64)


def refine_quad(quad: np.ndarray, edge_pts: np.ndarray, band: float) -> np.ndarray:
    """Re-fit each side of ``quad`` to the edge pixels ``edge_pts`` (N x 2) lying within ``band``
    px of it along its middle 70 %, and intersect the fitted lines. Sides with too few pixels keep
    their original line; a result that moves a corner by more than a tenth of a side is refused."""
    q = order_corners(quad).astype(np.float64)
    lo, hi = q.min(axis=0) - band - 1, q.max(axis=0) + band + 1  # only the edge pixels near the quad
    edge_pts = edge_pts[np.all((edge_pts >= lo) & (edge_pts <= hi), axis=1)]
    lines = []
    for i in range(4):
        a, b = q[i], q[(i + 1) % 4]
        d = b - a
        length = float(np.linalg.norm(d))
        u = d / max(1e-9, length)
        n = np.array([-u[1], u[0]])
        rel = edge_pts - a
        t = rel @ u / max(1e-9, length)
        dist = np.abs(rel @ n)
        sel = edge_pts[(t > 0.15) & (t < 0.85) & (dist < band)]
        if len(sel) >= max(8, 0.2 * length):
            vx, vy, x0, y0 = cv2.fitLine(sel.astype(np.float32), cv2.DIST_HUBER, 0, 0.01, 0.01).ravel()
            lines.append((float(vx), float(vy), float(x0), float(y0)))
        else:
            lines.append((u[0], u[1], a[0], a[1]))
    out = []
    for i in range(4):
        p = _line_intersection(lines[i - 1], lines[i])
        if p is None:
            return q.astype(np.float32)
        out.append(p)
    found = np.array(out)
    limit = 0.1 * float(side_lengths(q).min())
    if np.any(np.linalg.norm(found - q, axis=1) > limit):
        return q.astype(np.float32)
    return found.astype(np.float32)


def edge_support(quad: np.ndarray, near_edge: np.ndarray, margin: float = 3.0) -> float:
    """The least share, over the quad's sides, of points along the side's middle 80 % that lie on
    an edge pixel (``near_edge``: a dilated edge map). A side lying on the frame's border (a card
    cut off by the frame) is not counted. Texture blobs and shadows score low; a card's outline
    scores near 1."""
    h, w = near_edge.shape[:2]
    shares = []
    for i in range(4):
        a, b = quad[i].astype(np.float64), quad[(i + 1) % 4].astype(np.float64)
        on_border = all(p[0] < margin or p[1] < margin or p[0] > w - 1 - margin or p[1] > h - 1 - margin
                        for p in (a, b))
        if on_border:
            continue
        n = max(8, int(np.linalg.norm(b - a) / 2))
        t = np.linspace(0.1, 0.9, n)[:, None]
        pts = np.rint(a + (b - a) * t).astype(int)
        pts[:, 0] = np.clip(pts[:, 0], 0, w - 1)
        pts[:, 1] = np.clip(pts[:, 1], 0, h - 1)
        shares.append(float(np.count_nonzero(near_edge[pts[:, 1], pts[:, 0]])) / n)
    return min(shares) if shares else 0.0


@dataclass
class Quad:
    corners: np.ndarray  # TL, TR, BR, BL in frame pixels
    area_share: float
    solidity: float
    aspect: float
    score: float
    method: str


def desk_likeness(small: np.ndarray) -> np.ndarray:
    """How common each pixel's colour is on the frame's rim (the desk), after the texture is
    smoothed away: histogram back-projection of the rim's 8 x 8 x 8 CIELAB bins, uint8, where
    20 is 0.16 % of the rim. Below 20: a colour rare on the desk (the card, a finger)."""
    smooth = cv2.cvtColor(cv2.GaussianBlur(small, (0, 0), 5), cv2.COLOR_BGR2LAB)
    rim = np.zeros(smooth.shape[:2], np.uint8)
    b = max(4, smooth.shape[0] // 40)
    rim[:b], rim[-b:], rim[:, :b], rim[:, -b:] = 255, 255, 255, 255
    bins = (smooth // 32).astype(np.int32)  # 8 x 8 x 8 colour bins
    index = (bins[:, :, 0] * 8 + bins[:, :, 1]) * 8 + bins[:, :, 2]
    hist = np.bincount(index[rim > 0], minlength=512).astype(np.float32) / max(1, int(np.count_nonzero(rim)))
    like = (hist[index] * 255.0 * 50).clip(0, 255).astype(np.uint8)
    out: np.ndarray = cv2.GaussianBlur(like, (0, 0), 3)
    return out


def _candidate_masks(small: np.ndarray, grey: np.ndarray, edges: np.ndarray,
                     like: np.ndarray) -> list[tuple[str, np.ndarray]]:
    masks = []
    k = cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5))
    masks.append(("edges", cv2.dilate(edges, k)))
    _, otsu = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    k2 = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (7, 7))
    for name, m in (("bright", otsu), ("dark", 255 - otsu)):
        m = cv2.morphologyEx(m, cv2.MORPH_OPEN, k2)
        m = cv2.morphologyEx(m, cv2.MORPH_CLOSE, k2)
        masks.append((name, m))
    # colour distance to the frame's border (the desk), for a card as bright as the desk
    lab = cv2.cvtColor(cv2.GaussianBlur(small, (0, 0), 2), cv2.COLOR_BGR2LAB).astype(np.float32)
    border = np.concatenate([lab[:4].reshape(-1, 3), lab[-4:].reshape(-1, 3), lab[:, :4].reshape(-1, 3),
                             lab[:, -4:].reshape(-1, 3)])
    dist = np.linalg.norm(lab - np.median(border, axis=0), axis=2)
    dist = np.clip(dist * (255.0 / max(1.0, float(np.percentile(dist, 99)))), 0, 255).astype(np.uint8)
    _, cm = cv2.threshold(dist, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    cm = cv2.morphologyEx(cv2.morphologyEx(cm, cv2.MORPH_OPEN, k2), cv2.MORPH_CLOSE, k2)
    masks.append(("colour", cm))
    # a textured desk (granite, gravel, patterned cloth): what is unlike the desk's own colours,
    # after the texture is smoothed away (``desk_likeness``)
    unlike: np.ndarray = np.where(like < 20, 255, 0).astype(np.uint8)  # a colour rare on the desk's rim
    k3 = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (11, 11))
    unlike = cv2.morphologyEx(cv2.morphologyEx(unlike, cv2.MORPH_OPEN, k3), cv2.MORPH_CLOSE, k3)
    masks.append(("unlike-desk", unlike))
    # a thumb or finger over the edge joins the card's region: opened with a kernel wider than
    # a finger, the region is the card alone (its rounded corners are re-found from its sides)
    # (at half size: the same opening for a quarter of the work)
    k4 = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (15, 15))
    sh, sw = small.shape[:2]
    for name, m in list(masks[1:]):
        half = cv2.resize(m, (sw // 2, sh // 2), interpolation=cv2.INTER_AREA)
        opened = cv2.morphologyEx(half, cv2.MORPH_OPEN, k4)
        opened = cv2.resize(opened, (sw, sh), interpolation=cv2.INTER_LINEAR)
        masks.append((name + "-opened", np.where(opened >= 128, 255, 0).astype(np.uint8)))
    return masks


def colour_edges(small: np.ndarray) -> np.ndarray:
    """Canny edges of the lightness and of the two colour axes (a card's coloured band on a desk
    of the same brightness still differs in hue), OR-ed."""
    lab = cv2.cvtColor(cv2.GaussianBlur(small, (5, 5), 0), cv2.COLOR_BGR2LAB)
    edges: np.ndarray = np.zeros(small.shape[:2], np.uint8)
    for i, gain in ((0, 1.0), (1, 3.0), (2, 3.0)):
        ch = lab[:, :, i]
        if gain != 1.0:
            ch = cv2.convertScaleAbs(ch, alpha=gain, beta=-128 * (gain - 1))
        e = cv2.Canny(ch, 40, 100)
        edges = cv2.bitwise_or(edges, e)
    return edges


def _hugs_frame(quad: np.ndarray, w: int, h: int, margin: float = 0.02) -> bool:
    """Three or more corners on the frame's border, or two on the frame's own corners: the outline
    of the frame (a textured desk segmented as one region), not of a card. A card really cut off
    by one edge of the frame has two corners on that edge, not in the frame's corners."""
    m = margin * min(w, h)
    near_x = (quad[:, 0] < m) | (quad[:, 0] > w - 1 - m)
    near_y = (quad[:, 1] < m) | (quad[:, 1] > h - 1 - m)
    # two corners on the frame's own corners: a band of the desk along the frame's edge
    return int(np.count_nonzero(near_x | near_y)) >= 3 or int(np.count_nonzero(near_x & near_y)) >= 2


def _side_support(a: np.ndarray, b: np.ndarray, near_edge: np.ndarray) -> float:
    """Share of points along the middle 80 % of the segment a-b lying on ``near_edge``."""
    h, w = near_edge.shape[:2]
    n = max(8, int(np.linalg.norm(b - a) / 2))
    t = np.linspace(0.1, 0.9, n)[:, None]
    pts = np.rint(a + (b - a) * t).astype(int)
    inside = (pts[:, 0] >= 0) & (pts[:, 0] < w) & (pts[:, 1] >= 0) & (pts[:, 1] < h)
    if not inside.all():
        return 0.0
    return float(np.count_nonzero(near_edge[pts[:, 1], pts[:, 0]])) / n


def _poly_mask(poly: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    m = np.zeros(shape[:2], np.uint8)
    cv2.fillConvexPoly(m, np.rint(poly).astype(np.int32), 255)
    return m > 0


def _supports(a: np.ndarray, b: np.ndarray, near_edge: np.ndarray) -> np.ndarray:
    """``_side_support`` of many segments at once: ``a``, ``b`` (k, 2) -> (k,) shares."""
    h, w = near_edge.shape[:2]
    n = max(8, int(np.linalg.norm(b - a, axis=1).max() / 2))
    t = np.linspace(0.1, 0.9, n)[None, :, None]
    pts = np.rint(a[:, None, :] + (b - a)[:, None, :] * t).astype(int)  # k x n x 2
    inside = (pts[..., 0] >= 0) & (pts[..., 0] < w) & (pts[..., 1] >= 0) & (pts[..., 1] < h)
    x, y = pts[..., 0].clip(0, w - 1), pts[..., 1].clip(0, h - 1)
    share = np.count_nonzero(near_edge[y, x] > 0, axis=1) / n
    return np.where(inside.all(axis=1), share, 0.0)


def _grow_to_aspect(quad: np.ndarray, aspect: float, near_edge: np.ndarray, like: np.ndarray,
                    lab: np.ndarray, grey: np.ndarray) -> np.ndarray:
    """A card segmented without its coloured band (header or footer) of a colour the segmentation
    gave to the desk: move one long side outwards (along the short sides, so perspective is kept)
    to the nearest place where it lies on an unbroken edge, when the band in between is the
    card's: of colours rare on the desk (``like``: ``desk_likeness``), or of one printed colour
    (robust spread of ``grey``) unlike the desk just beyond it (CIELAB ``lab``). A band of desk
    texture between the card and a straight line of the desk is not the card's. The result may
    not be shorter than ID-1 / 1.25 (perspective included). Tried on every candidate (perspective
    hides how long a headerless card looks). Returns ``quad`` unchanged when no growth fits."""
    q = landscape(order_corners(quad)).astype(np.float64)
    best, best_score = quad, 0.0
    for top in (True, False):
        a, b = (0, 1) if top else (3, 2)  # the long side to move
        c, d = (3, 2) if top else (0, 1)  # the opposite long side
        ts = np.arange(0.06, 0.5, 0.01)[:, None]
        ga, gb = q[a] + (q[a] - q[c]) * ts, q[b] + (q[b] - q[d]) * ts  # the moved side's ends, per t
        ends = {a: ga, b: gb, c: np.broadcast_to(q[c], ga.shape), d: np.broadcast_to(q[d], ga.shape)}
        long_side = np.linalg.norm(ends[1] - ends[0], axis=1) + np.linalg.norm(ends[2] - ends[3], axis=1)
        short_side = np.linalg.norm(ends[3] - ends[0], axis=1) + np.linalg.norm(ends[2] - ends[1], axis=1)
        fits = long_side / np.maximum(1e-9, short_side) >= aspect / 1.25  # (q is landscape-ordered)
        fits = np.logical_and.accumulate(fits)  # growing further only shortens it
        # the card's own border is unbroken (a header's title is not): the nearest such edge outwards
        sups = _supports(ga, gb, near_edge)
        idx = np.flatnonzero(fits & (sups >= 0.9))
        if not idx.size:
            continue
        i = int(idx[0])
        t, support = float(ts[i, 0]), float(sups[i])
        grown = q.copy()
        grown[a], grown[b] = ga[i], gb[i]
        far = grown.copy()  # a strip of the same width just outside: the desk beyond the grown side
        far[a] = q[a] + (q[a] - q[c]) * 2 * t
        far[b] = q[b] + (q[b] - q[d]) * 2 * t
        band_m = _poly_mask(np.array([q[a], q[b], grown[b], grown[a]]), like.shape)
        out_m = _poly_mask(np.array([grown[a], grown[b], far[b], far[a]]), like.shape)
        if np.count_nonzero(band_m) < 20 or np.count_nonzero(out_m) < 20:
            continue
        # the band is the card's when its colours are rare on the desk, or when it is plain
        # (one printed colour, not desk texture) and unlike the desk just beyond it
        rare = float(np.count_nonzero(like[band_m] < 20)) / np.count_nonzero(band_m)
        g = grey[band_m].astype(np.float32)  # robust spread: a title printed on the band is a minority
        plain = max(0.0, 1.0 - 1.4826 * float(np.median(np.abs(g - np.median(g)))) / 30.0)
        contrast = float(np.linalg.norm(np.median(lab[band_m], axis=0) - np.median(lab[out_m], axis=0)))
        if rare < 0.8 and (plain < 0.8 or contrast < 20.0):  # the band is desk: this side is the card's own
            continue
        if support * max(rare, plain) > best_score:
            best, best_score = order_corners(grown.astype(np.float32)), support * max(rare, plain)
    return best


def _snap_outwards(quad: np.ndarray, near_edge: np.ndarray, max_t: float = 0.12) -> np.ndarray:
    """Move each side outwards (along its neighbours, so perspective is kept) to the first
    unbroken edge within ``max_t`` of the quad's size, when it does not lie on one already: a
    segmentation that left out the card's margin or rounded corners (a desk of the card's
    colour) gives a quad a little inside the card."""
    q = order_corners(quad).astype(np.float64)
    for a, b, c, d in ((0, 1, 3, 2), (3, 2, 0, 1), (0, 3, 1, 2), (1, 2, 0, 3)):
        if _side_support(q[a], q[b], near_edge) >= 0.75:  # on the edge (a thumb may break it)
            continue
        for t in np.arange(0.01, max_t, 0.005):
            pa, pb = q[a] + (q[a] - q[c]) * t, q[b] + (q[b] - q[d]) * t
            if _side_support(pa, pb, near_edge) >= 0.9:
                q[a], q[b] = pa, pb
                break
    return q.astype(np.float32)


def _slide_sides(quad: np.ndarray, thin_edge: np.ndarray, reach: int = 12,
                 good: float = 0.9) -> np.ndarray:
    """Each side not lying on an edge (support on ``thin_edge``, edges widened by one pixel, under
    ``good``: a thumb or the desk's texture bent the segmented outline) is moved, each end up to
    ``reach`` px across the side, to where it lies best on ``thin_edge`` (the card's side is one
    straight, unbroken edge; a textured desk's edges are short and scattered), and kept there only
    when that is ``good``; the corners are the intersections of the four lines."""
    q = order_corners(quad).astype(np.float64)
    lines, moved = [], False
    offsets = np.arange(-reach, reach + 1, 2, dtype=np.float64)
    for i in range(4):
        a, b = q[i], q[(i + 1) % 4]
        d = b - a
        u = d / max(1e-9, float(np.linalg.norm(d)))
        n = np.array([-u[1], u[0]])
        best = (a, b)
        if _side_support(a, b, thin_edge) < good:
            da, db = (g.ravel() for g in np.meshgrid(offsets, offsets, indexing="ij"))
            pa, pb = a + n * da[:, None], b + n * db[:, None]
            sup = _supports(pa, pb, thin_edge)
            k = int(np.argmax(sup - 1e-4 * (np.abs(da) + np.abs(db))))  # of the best, the smallest move
            if sup[k] >= good:
                best = (pa[k], pb[k])
                moved = True
        pa, pb = best
        v = (pb - pa) / max(1e-9, float(np.linalg.norm(pb - pa)))
        lines.append((v[0], v[1], pa[0], pa[1]))
    if not moved:
        return quad
    out = []
    for i in range(4):
        p = _line_intersection(lines[i - 1], lines[i])
        if p is None:
            return quad
        out.append(p)
    return np.array(out, np.float32)


def find_quads(image, *, aspect: float | None = ID1_ASPECT, min_aspect: float = 1.2, max_aspect: float = 2.2,
               min_area: float = 0.03, prefer: str = "area", min_support: float = 0.6) -> list[Quad]:
    """Quadrilateral outlines in ``image`` (best first). With ``aspect`` the side ratio must be
    within ``min_aspect``-``max_aspect`` and a ratio near ``aspect`` scores higher; ``None``
    accepts any ratio (a sheet of paper). ``prefer="bright"`` also weighs the region's mean
    brightness (a white sheet)."""
    bgr = to_bgr8(image)
    h, w = bgr.shape[:2]
    scale = min(1.0, WORK_SIDE / max(h, w))
    small = cv2.resize(bgr, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA) if scale < 1 else bgr
    sh, sw = small.shape[:2]
    grey = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
    edges = colour_edges(small)
    edge_pts = np.column_stack(np.nonzero(edges)[::-1]).astype(np.float64)
    near_edge = cv2.dilate(edges, np.ones((5, 5), np.uint8))
    thin_edge = cv2.dilate(edges, np.ones((3, 3), np.uint8))
    frame_area = float(sh * sw)
    found: list[Quad] = []
    smooth_grey = None
    like = desk_likeness(small)
    lab = cv2.cvtColor(cv2.GaussianBlur(small, (0, 0), 2), cv2.COLOR_BGR2LAB).astype(np.float32)
    for method, mask in _candidate_masks(small, grey, edges, like):
        contours, _ = cv2.findContours(mask, cv2.RETR_LIST if method == "edges" else cv2.RETR_EXTERNAL,
                                       cv2.CHAIN_APPROX_SIMPLE)
        for cnt in contours:
            area = cv2.contourArea(cnt)
            if area < min_area * frame_area:
                continue
            quad = _approx_quad(cnt)
            if quad is None or not cv2.isContourConvex(quad.reshape(-1, 1, 2)):
                continue
            qarea = cv2.contourArea(quad)
            if qarea <= 0 or qarea > 0.995 * frame_area:
                continue
            solidity = min(area, qarea) / max(area, qarea)
            if solidity < 0.8:
                continue
            quad = order_corners(quad)
            if _hugs_frame(quad, sw, sh):  # the frame's own border (a textured desk), not a card
                continue
            if aspect is not None:
                if smooth_grey is None:
                    smooth_grey = cv2.medianBlur(grey, 5)
                quad = _grow_to_aspect(quad, aspect, near_edge, like, lab, smooth_grey)
            asp = quad_aspect(quad)
            if aspect is not None and not (min_aspect <= asp <= max_aspect):
                continue
            if corner_angles(quad).min() < 45:
                continue
            quad = _snap_outwards(quad, near_edge)
            band = max(4.0, 0.02 * float(side_lengths(quad).min()))
            quad = order_corners(refine_quad(quad, edge_pts, band))
            segmented = edge_support(quad, near_edge)
            quad = order_corners(_slide_sides(quad, thin_edge))
            support = edge_support(quad, near_edge)
            if support < min_support or _hugs_frame(quad, sw, sh):
                continue
            # ranked by how well the outline lay on edges before sliding: sliding rescues a card
            # whose outline a thumb bent, it must not lift a quad of the desk's straight lines
            support = min(support, max(segmented, min_support))
            score = qarea / frame_area * solidity * support
            if aspect is not None:
                score *= math.exp(-abs(math.log(asp / aspect)) * 2)
            if prefer == "bright":
                m = np.zeros(grey.shape, np.uint8)
                cv2.fillConvexPoly(m, quad.astype(np.int32), 255)
                score *= (cv2.mean(grey, m)[0] / 255.0) ** 2
            found.append(Quad(quad, qarea / frame_area, solidity, asp, score, method))
    found.sort(key=lambda q: -q.score)
    # drop near-duplicates, refine the survivors, back to frame pixels
    out: list[Quad] = []
    for q in found:
        if any(np.abs(q.corners - o.corners * scale).max() < 0.03 * max(sh, sw) for o in out):  # noqa: B023
            continue
        out.append(Quad(q.corners / scale, q.area_share, q.solidity, q.aspect, q.score, q.method))
        if len(out) >= 3:
            break
    return out


# -- face on the card ----------------------------------------------------------------------------
class CardFaceFinder:
    """mediapipe FaceDetector (the shipped short-range model) for the photo on a card.

    ``finder(card_bgr) -> list[(x0, y0, x1, y1, score)]``: run on the whole card and on its left
    and right squares, one box per face (a card photo is small for a 128 x 128 detector). Upside-down faces (eyes
    below the mouth keypoint) are not counted, so a card held upside down is turned. Close it
    (``with``)."""

    def __init__(self, min_confidence: float = 0.5):
        from kiosk.quality.models import DETECTOR, model_bytes  # noqa: PLC0415 - models are read only when a finder is made

        import mediapipe as mp  # noqa: PLC0415 - heavy (mediapipe)
        from mediapipe.tasks.python import BaseOptions, vision  # noqa: PLC0415 - heavy (mediapipe)

        self._mp = mp
        opts = vision.FaceDetectorOptions(base_options=BaseOptions(model_asset_buffer=model_bytes(DETECTOR)),
                                          running_mode=vision.RunningMode.IMAGE,
                                          min_detection_confidence=min_confidence)
        self._task = vision.FaceDetector.create_from_options(opts)
        self._lock = threading.Lock()

    def __enter__(self) -> CardFaceFinder:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        with self._lock:
            if self._task is not None:
                self._task.close()
                self._task = None

    def _detect(self, bgr: np.ndarray) -> list[tuple[float, float, float, float, float]]:
        img = self._mp.Image(image_format=self._mp.ImageFormat.SRGB,
                             data=np.ascontiguousarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)))
        res = self._task.detect(img)
        out = []
        for d in res.detections:
            b = d.bounding_box
            kp = d.keypoints or []
            if len(kp) >= 4 and (kp[0].y + kp[1].y) / 2 > kp[3].y:
                continue  # eyes below the mouth: an upside-down face (the card is turned)
            s = d.categories[0].score if d.categories else 0.0
            out.append((float(b.origin_x), float(b.origin_y), float(b.origin_x + b.width),
                        float(b.origin_y + b.height), float(s)))
        return out

    def __call__(self, card_bgr: np.ndarray) -> list[tuple[float, float, float, float, float]]:
        with self._lock:
            if self._task is None:
                raise RuntimeError("CardFaceFinder is closed")
            h, w = card_bgr.shape[:2]
            boxes = self._detect(card_bgr)
            for x0 in (0, max(0, w - h)):
                for b in self._detect(np.ascontiguousarray(card_bgr[:, x0:x0 + h])):
                    boxes.append((b[0] + x0, b[1], b[2] + x0, b[3], b[4]))
            kept: list[tuple[float, float, float, float, float]] = []
            for b in sorted(boxes, key=lambda b: -b[4]):  # one box per face: the most certain
                if all(_iou(b, k) < 0.3 for k in kept):
                    kept.append(b)
            return kept


def _iou(a, b) -> float:
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def _faces_on(card: np.ndarray, detector) -> list[tuple[float, float, float, float, float]]:
    if hasattr(detector, "analyze"):  # a kiosk.quality.face.FaceAnalyzer
        rep = detector.analyze(card)
        if rep.faces and rep.face_box is not None:
            x0, y0, x1, y1 = (float(v) for v in rep.face_box)
            return [(x0, y0, x1, y1, 1.0)]
        return [(0.0, 0.0, 0.0, 0.0, 0.0)] * int(rep.faces or 0)
    return list(detector(card))


# -- the report ----------------------------------------------------------------------------------
@dataclass
class CardReport:
    ok: bool
    corners: np.ndarray | None  # TL, TR, BR, BL of the card in the frame (card's top edge first)
    failures: list[str]
    instruction_key: str | None
    png: bytes | None
    values: dict[str, Any] = field(default_factory=dict)
    side: str = "front"
    card: np.ndarray | None = None  # the warped card, BGR CARD_SIZE

    def instruction(self, lang: str = "fa") -> str | None:
        return sentence(self.instruction_key, lang)

    @property
    def sharpness(self) -> float:
        return float(self.values.get("sharpness") or 0.0)

    def to_dict(self) -> dict:
        return {"ok": self.ok, "side": self.side, "failures": list(self.failures),
                "instruction_key": self.instruction_key,
                "corners": None if self.corners is None else [[round(float(x), 1), round(float(y), 1)]
                                                              for x, y in self.corners],
                "png_bytes": len(self.png) if self.png else None, **self.values}


def card_sharpness(image: np.ndarray, corners: np.ndarray) -> float:
    """Laplacian variance of the card warped at its own resolution and reduced to SHARPNESS_SIZE."""
    s = side_lengths(corners)
    nw = int(max(SHARPNESS_SIZE[0], round((s[0] + s[2]) / 2)))
    nh = int(max(SHARPNESS_SIZE[1], round((s[1] + s[3]) / 2)))
    native = warp(image, corners, (nw, nh))
    g = cv2.cvtColor(native, cv2.COLOR_BGR2GRAY)
    g = cv2.resize(g, SHARPNESS_SIZE, interpolation=cv2.INTER_AREA)
    return float(cv2.Laplacian(g, cv2.CV_32F, ksize=1).var())


# -- fingers over the card ------------------------------------------------------------------------
INTRUSION_SIZE = (428, 270)  # the card is examined at this size
INTRUSION_MARGIN = 16  # px of the frame kept around it (the outside of its edge)


def finger_intrusion(image: np.ndarray, corners: np.ndarray, corner_zone: float = 0.12) -> dict[str, Any]:
    """How far something that crosses the card's edge (a finger, a thumb) reaches into it.

    The card and a margin around it are warped to ``INTRUSION_SIZE``. Walking round the edge,
    a point is a *crossing* when the card's edge is not seen there (no edge pixel) and just
    inside it the colour is unlike the card's own edge colour a little further along the edge
    (a finger is unlike the card; a printed band running along the edge is like its
    neighbours). From each run of crossings, the region of the crossing's colour (CIELAB
    distance < 22, connected) is the intruder. Returns ``{"depth": deepest reach as a share of
    the card height, "corner": whether it reaches into a corner zone, "crossings": count}``."""
    cw, ch = INTRUSION_SIZE
    m = INTRUSION_MARGIN
    dst = np.array([[m, m], [m + cw, m], [m + cw, m + ch], [m, m + ch]], np.float32)
    hmat = cv2.getPerspectiveTransform(np.asarray(corners, np.float32), dst)
    big = cv2.warpPerspective(image, hmat, (cw + 2 * m, ch + 2 * m), flags=cv2.INTER_AREA,
                              borderMode=cv2.BORDER_REPLICATE)
    lab = cv2.cvtColor(cv2.GaussianBlur(big, (0, 0), 1.5), cv2.COLOR_BGR2LAB).astype(np.float32)
    grey_big = cv2.GaussianBlur(cv2.cvtColor(big, cv2.COLOR_BGR2GRAY), (0, 0), 1.2)
    canny = cv2.Canny(grey_big, 30, 90) > 0
    # the card's edge runs along the side: an edge pixel counts for a side only when its gradient
    # is mostly across that side (a finger's outline or nail crossing the side does not)
    gx = np.abs(cv2.Sobel(grey_big, cv2.CV_32F, 1, 0, ksize=3))
    gy = np.abs(cv2.Sobel(grey_big, cv2.CV_32F, 0, 1, ksize=3))
    k3 = np.ones((3, 3), np.uint8)
    edges_h = cv2.dilate((canny & (gy > 1.5 * gx)).astype(np.uint8), k3)  # along the top and bottom
    edges_v = cv2.dilate((canny & (gx > 1.5 * gy)).astype(np.uint8), k3)  # along the left and right
    # the edge walked clockwise, one sample every 2 px: (edge point, inward normal)
    step = 2
    pts, normals = [], []
    for (x0, y0), (x1, y1), inward in (((m, m), (m + cw, m), (0, 1)), ((m + cw, m), (m + cw, m + ch), (-1, 0)),
                                       ((m + cw, m + ch), (m, m + ch), (0, -1)), ((m, m + ch), (m, m), (1, 0))):
        length = int(max(abs(x1 - x0), abs(y1 - y0)))
        for i in range(0, length, step):
            t = i / length
            pts.append((x0 + (x1 - x0) * t, y0 + (y1 - y0) * t))
            normals.append(inward)
    p = np.array(pts, np.float64)
    nv = np.array(normals, np.float64)
    inside = np.rint(p + nv * 5).astype(int)
    outside = np.rint(p - nv * 5).astype(int)
    ins = lab[inside[:, 1], inside[:, 0]]
    outs = lab[outside[:, 1], outside[:, 0]]
    on_edge = np.zeros(len(p), bool)
    for off in range(-6, 7, 2):  # the found outline may be a few px off the true edge
        q = np.rint(p + nv * off).astype(int)
        qx, qy = q[:, 0].clip(0, big.shape[1] - 1), q[:, 1].clip(0, big.shape[0] - 1)
        on_edge |= np.where(nv[:, 1] != 0, edges_h[qy, qx], edges_v[qy, qx]) > 0
    n = len(p)
    k1, k2 = 25 // step, 70 // step  # neighbours along the edge, beyond a finger's width
    # unlike the card further along the edge, on either side (medians over k1..k2 samples away;
    # sliding windows over the edge walked three times round: no Python loop)
    windows = np.lib.stride_tricks.sliding_window_view(np.concatenate([ins, ins, ins]), k2 - k1, axis=0)
    med = np.median(windows, axis=2)  # med[j] = median of samples j .. j + k2 - k1 - 1
    idx = np.arange(n) + n
    before = med[idx - k2]
    after = med[idx + k1]
    foreign = np.maximum(np.linalg.norm(ins - before, axis=1), np.linalg.norm(ins - after, axis=1)) > 20.0
    # ... and the same thing just outside the edge: it crosses the edge (a printed band ends there)
    # (a finger crosses the edge at a slant: what is outside may be a little further along)
    tangent = np.stack([np.abs(nv[:, 1]), np.abs(nv[:, 0])], axis=1)
    across = np.linalg.norm(ins - outs, axis=1)
    for shift in (-8, -4, 4, 8):
        o = np.rint(p - nv * 5 + tangent * shift).astype(int)
        o[:, 0] = o[:, 0].clip(0, big.shape[1] - 1)
        o[:, 1] = o[:, 1].clip(0, big.shape[0] - 1)
        across = np.minimum(across, np.linalg.norm(ins - lab[o[:, 1], o[:, 0]], axis=1))
    foreign &= across < 25.0
    # the rounded corners (3.18 mm of 54: 6 % of the height) show the desk inside the rectangle
    r = 0.05 * ch
    near_corner = np.zeros(n, bool)
    for cx, cy in ((m, m), (m + cw, m), (m + cw, m + ch), (m, m + ch)):
        near_corner |= np.hypot(p[:, 0] - cx, p[:, 1] - cy) < r
    crossing = foreign & ~on_edge & ~near_corner
    out: dict[str, Any] = {"depth": 0.0, "corner": False, "print": 0.0, "crossings": int(np.count_nonzero(crossing))}
    if not crossing.any():
        return out
    grey_card = cv2.cvtColor(big[m:m + ch, m:m + cw], cv2.COLOR_BGR2GRAY)
    printed = cv2.Canny(grey_card, 60, 150) > 0  # text strokes, the photo's detail (not the guilloche)
    card_mask = np.zeros(big.shape[:2], np.uint8)
    card_mask[m:m + ch, m:m + cw] = 1
    dist_in = cv2.distanceTransform(np.pad(np.ones((ch, cw), np.uint8), 1), cv2.DIST_L2, 3)[1:-1, 1:-1]
    zone = np.zeros((ch, cw), bool)
    zx, zy = int(corner_zone * cw), int(corner_zone * cw)
    zone[:zy, :zx] = zone[:zy, -zx:] = zone[-zy:, :zx] = zone[-zy:, -zx:] = True
    # runs of crossings (a run may wrap round the start)
    runs, start = [], None
    for i in range(n + 1):
        c = crossing[i % n] if i < n else False
        if c and start is None:
            start = i
        elif not c and start is not None:
            runs.append((start, i))
            start = None
    for a, b in runs:
        if b - a < 3:  # shorter than 6 px: a nick in the edge, not a finger
            continue
        seeds = inside[a:b]
        colour = np.median(ins[a:b], axis=0)
        like = (np.linalg.norm(lab - colour, axis=2) < 22.0).astype(np.uint8) * card_mask
        _, labels = cv2.connectedComponents(like, connectivity=8)
        ids = {int(labels[y, x]) for x, y in seeds if labels[y, x] > 0}
        if not ids:
            continue
        region = np.isin(labels[m:m + ch, m:m + cw], list(ids))
        if not region.any():
            continue
        ys, xs = np.nonzero(region)
        if xs.max() - xs.min() >= 0.9 * cw or ys.max() - ys.min() >= 0.9 * ch:
            continue  # from one side of the card to the other: a printed band (a header), not a finger
        out["depth"] = max(out["depth"], float(dist_in[region].max()) / ch)
        out["corner"] = out["corner"] or bool((region & zone).any())
        # what is printed around it: a finger on text or on the photo is ringed by print
        # (a ring 5-10 px beyond the region: the finger's own shaded outline is not print)
        r8 = region.astype(np.uint8)
        ring = cv2.dilate(r8, np.ones((21, 21), np.uint8)) > 0
        ring &= ~(cv2.dilate(r8, np.ones((11, 11), np.uint8)) > 0) & (dist_in > 0.04 * ch)
        if np.count_nonzero(ring) >= 30:
            out["print"] = max(out["print"], float(np.count_nonzero(printed[ring])) / np.count_nonzero(ring))
    return out


def analyze_card(image, side: str = "front", detector=None, thresholds: CardThresholds | None = None,
                 encode: bool = True) -> CardReport:
    """Find, straighten and check one side ("front" or "back") of the national card in a BGR frame.

    ``detector``: a ``CardFaceFinder`` (or FaceAnalyzer, or callable ``bgr -> boxes``) kept open by
    the caller for live use; None opens one for this call (slower: ~50 ms). ``encode=False`` skips
    the PNG (live preview); the PNG is made only when every check passed."""
    if side not in ("front", "back"):
        raise ValueError(f"side must be 'front' or 'back', not {side!r}")
    t = thresholds or CardThresholds()
    bgr = to_bgr8(image)
    h, w = bgr.shape[:2]
    values: dict[str, Any] = {"width": w, "height": h}
    quads = find_quads(bgr, aspect=ID1_ASPECT, min_aspect=t.min_aspect, max_aspect=t.max_aspect)
    if not quads:
        return CardReport(False, None, ["no_card"], first_instruction(["no_card"]), None, values, side)
    q = quads[0]
    corners = landscape(order_corners(q.corners))
    failures: list[str] = []
    margin = BORDER_MARGIN * min(h, w)
    touching = bool(np.any((corners[:, 0] < margin) | (corners[:, 1] < margin) | (corners[:, 0] > w - 1 - margin)
                           | (corners[:, 1] > h - 1 - margin)))
    area = float(cv2.contourArea(corners.reshape(-1, 1, 2))) / (w * h)
    angle_dev = float(np.abs(corner_angles(corners) - 90).max())
    values.update(area_share=round(area, 4), corner_angle_dev=round(angle_dev, 1), aspect=round(q.aspect, 3),
                  solidity=round(q.solidity, 3), method=q.method)
    if touching:
        failures.append("cut_off")
    if area < t.min_area:
        failures.append("too_far")
    if angle_dev > t.max_corner_angle:
        failures.append("tilted")
    if not touching:  # a card cut off by the frame is told first; its edge cannot be walked
        fingers = finger_intrusion(bgr, corners, t.corner_zone)
        values.update(intrusion=round(fingers["depth"], 3), intrusion_corner=fingers["corner"],
                      intrusion_print=round(fingers["print"], 3))
        if fingers["corner"] or fingers["print"] > t.max_print_around or fingers["depth"] > t.max_intrusion:
            failures.append("covered")
    sharp = card_sharpness(bgr, corners)
    card = warp(bgr, corners, CARD_SIZE)
    grey = cv2.cvtColor(card, cv2.COLOR_BGR2GRAY)
    glare = float(np.count_nonzero(grey >= GLARE_LEVEL)) / grey.size
    values.update(sharpness=round(sharp, 1), glare=round(glare, 4))
    if sharp < t.min_sharpness:
        failures.append("blurred")
    if glare > t.max_glare:
        failures.append("glare")
    own = None
    if detector is None:
        own = detector = CardFaceFinder()
    try:
        boxes = list(_faces_on(card, detector))
        if side == "front":  # which way up: the orientation whose face is the most certain
            turned = cv2.rotate(card, cv2.ROTATE_180)
            boxes_turned = list(_faces_on(turned, detector))
            best = max((b[4] for b in boxes), default=-1.0)
            if max((b[4] for b in boxes_turned), default=-1.0) > best:
                card, corners, boxes = turned, np.roll(corners, 2, axis=0), boxes_turned
    finally:
        if own is not None:
            own.close()
    big = [b for b in boxes if (b[3] - b[1]) >= t.min_face_height * CARD_SIZE[1]]
    values.update(faces=len(boxes), face_box=[round(v) for v in boxes[0][:4]] if boxes else None)
    if side == "front" and not boxes:
        failures.append("no_photo")
    if side == "back" and big:
        failures.append("wrong_side")
    ok = not failures
    png = encode_png(card) if ok and encode else None
    return CardReport(ok, corners, failures, first_instruction(failures), png, values, side, card)


def prepare_card(frame: np.ndarray, side: str) -> bytes:
    """PNG for the broker: the straightened card when it is found, else the frame as it is (the
    wizard has already checked the frame with ``analyze_card``)."""
    bgr = to_bgr8(frame)
    quads = find_quads(bgr)
    if not quads:
        return encode_png(bgr)
    corners = landscape(order_corners(quads[0].corners))
    return encode_png(warp(bgr, corners, CARD_SIZE))


# -- auto-capture ------------------------------------------------------------------------------
@dataclass
class DocumentCapture:
    png: bytes
    report: Any  # CardReport or SignatureReport of the kept frame
    frame: Any  # the Frame (or image) it came from
    sharpness: float
    frames: int  # good, still frames in the run


class AutoCaptureDocument:
    """Fires when ``steady_frames`` consecutive reports passed and the corners moved less than
    ``max_motion`` (share of the frame's larger side) from one frame to the next; keeps the
    sharpest frame of the run. ``instruction_key`` is the report's, or "hold still" while the
    document moves. ``encode`` turns the kept frame into PNG at the end (e.g.
    ``lambda image: analyze_card(image, side, finder).png``); default: the report's own PNG."""

    def __init__(self, steady_frames: int = 8, max_motion: float = 0.01,
                 encode: Callable[[Any, Any], bytes | None] | None = None,
                 hold_still_key: str = "document.card.hold_still"):
        self.steady_frames = int(steady_frames)
        self.max_motion = float(max_motion)
        self.encode = encode
        self.hold_still_key = hold_still_key
        self.reset()

    def reset(self) -> None:
        self.run = 0
        self.best: tuple[float, Any, Any] | None = None
        self.last_corners: np.ndarray | None = None
        self.fired: DocumentCapture | None = None
        self.instruction_key: str | None = None

    @property
    def progress(self) -> float:
        return min(1.0, self.run / max(1, self.steady_frames))

    def feed(self, frame, report) -> DocumentCapture | None:
        if self.fired is not None:
            return None
        image = getattr(frame, "image", frame)
        corners = getattr(report, "corners", None)
        size = max(np.asarray(image).shape[:2]) if image is not None else 1
        moving = False
        if corners is not None and self.last_corners is not None:
            moving = float(np.abs(np.asarray(corners) - self.last_corners).max()) > self.max_motion * size
        self.last_corners = None if corners is None else np.asarray(corners, np.float32).copy()
        if not report.ok or moving:
            self.run = 0
            self.best = None
            self.instruction_key = self.hold_still_key if (report.ok and moving) else report.instruction_key
            return None
        self.instruction_key = None
        self.run += 1
        sharp = float(getattr(report, "sharpness", 0.0) or report.values.get("sharpness") or 0.0)
        if self.best is None or sharp > self.best[0]:
            self.best = (sharp, frame, report)
        if self.run >= self.steady_frames:
            sharp, best_frame, best_report = self.best
            png = self.encode(best_frame, best_report) if self.encode else best_report.png
            if png is None:
                kept = getattr(best_report, "card", None)
                png = encode_png(kept if kept is not None else getattr(best_frame, "image", best_frame))
            self.fired = DocumentCapture(png, best_report, best_frame, sharp, self.run)
            return self.fired
        return None


__all__ = ["ID1_ASPECT", "CARD_SIZE", "CardThresholds", "CardReport", "CardFaceFinder", "Quad", "SENTENCES",
           "CARD_PRIORITY", "AutoCaptureDocument", "DocumentCapture", "analyze_card", "card_sharpness",
           "corner_angles", "encode_png", "find_quads", "first_instruction", "landscape", "order_corners",
           "prepare_card", "refine_quad", "sentence", "warp", "ImageError"]
