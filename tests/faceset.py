"""The face evaluation set, MADE at test time from real photographs (sources and licences in
``tests/fixtures/faces/SOURCES.md``): webcam-like 640x480 frames of frontal people, and defects
made from them (motion blur, Gaussian blur, a hand / phone / mask / scarf over the face) next to
clean variants that must pass (a headscarf or hair down to the brows, other sizes, places,
light, mirrored).

``webcam_frame(person, ...)`` puts a person's face in a 640x480 frame (the photograph scaled
and moved with ``cv2.warpAffine``, its edges reflected), with sensor noise and a JPEG round trip.
Drawing an occluder needs the face's landmarks: ``FaceAnalyzer.analyze(frame).landmarks``.
Everything is seeded: the set is the same on every run.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from kiosk.cvcompat import cv2

ROOT = Path(__file__).resolve().parents[1]
W, H = 640, 480

#: person -> (file, face box x0, y0, x1, y1 in that file as the landmarker sees it)
PEOPLE: dict[str, tuple[Path, tuple[int, int, int, int]]] = {
    "collins": (ROOT / "resources" / "sim" / "astronaut.jpg", (181, 72, 270, 178)),
    "hopper": (ROOT / "resources" / "sim" / "grace_hopper.jpg", (170, 132, 355, 335)),
    "obama": (ROOT / "tests" / "fixtures" / "faces" / "obama.jpg", (176, 65, 410, 357)),
}
#: real people photographed turned or tilted (they must be refused as they are)
TURNED: dict[str, tuple[Path, tuple[int, int, int, int]]] = {
    "biden": (ROOT / "tests" / "fixtures" / "faces" / "biden.jpg", (211, 94, 497, 424)),
    "obama_left": (ROOT / "tests" / "fixtures" / "faces" / "obama2.jpg", (195, 83, 483, 435)),
    "obama_speech": (ROOT / "tests" / "fixtures" / "faces" / "obama3.jpg", (207, 100, 477, 404)),
}

# mediapipe face-mesh indices used to place occluders
FACE_OVAL = (10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377, 152,
             148, 176, 149, 150, 136, 172, 58, 132, 93, 234, 127, 162, 21, 54, 103, 67, 109)
NOSE_BRIDGE, NOSE_TIP, CHIN, MOUTH_L, MOUTH_R = 168, 1, 152, 61, 291
EYE_L, EYE_R = 468, 473
BROW_L, BROW_R = (70, 63, 105, 66, 107), (336, 296, 334, 293, 300)
CHEEK_L, CHEEK_R = 234, 454


@lru_cache(maxsize=8)
def photo(person: str) -> np.ndarray:
    path = (PEOPLE.get(person) or TURNED[person])[0]
    img = cv2.imread(str(path))
    assert img is not None, path
    return img


def webcam_frame(person: str, face_width: float = 215.0, dx: float = 0.0, dy: float = 0.0, gain: float = 1.0,
                 mirror: bool = False, seed: int = 0) -> np.ndarray:
    """``person``'s face ``face_width`` px wide in a 640x480 frame, its centre at the frame's
    centre moved by (dx, dy); light times ``gain``; sensor noise; JPEG quality 88."""
    src = photo(person)
    x0, y0, x1, y1 = (PEOPLE.get(person) or TURNED[person])[1]
    s = face_width / (x1 - x0)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    m = np.array([[s, 0, W / 2 + dx - s * cx], [0, s, H / 2 + dy - s * cy]], np.float64)
    out = cv2.warpAffine(src, m, (W, H), flags=cv2.INTER_AREA if s < 1 else cv2.INTER_CUBIC,
                         borderMode=cv2.BORDER_REFLECT)
    if mirror:
        out = cv2.flip(out, 1)
    rng = np.random.default_rng(seed)
    f = out.astype(np.float32) * gain + rng.normal(0, 2.0, out.shape).astype(np.float32)
    return jpeg(np.clip(f, 0, 255).astype(np.uint8))


def jpeg(img: np.ndarray, quality: int = 88) -> np.ndarray:
    ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    return cv2.imdecode(buf, cv2.IMREAD_COLOR)


# -- blur ---------------------------------------------------------------------------------------
def motion_blur(img: np.ndarray, length: int, angle_deg: float) -> np.ndarray:
    """A straight smear ``length`` px long at ``angle_deg`` (the camera or the head moved)."""
    k = np.zeros((length, length), np.float32)
    c = (length - 1) / 2
    a = math.radians(angle_deg)
    for t in np.linspace(-c, c, 4 * length):
        x, y = c + t * math.cos(a), c - t * math.sin(a)
        k[int(round(y)), int(round(x))] = 1.0
    k /= k.sum()
    return _sensor(cv2.filter2D(img, -1, k, borderType=cv2.BORDER_REFLECT), length)


def gaussian_blur(img: np.ndarray, sigma: float) -> np.ndarray:
    return _sensor(cv2.GaussianBlur(img, (0, 0), sigma), int(sigma * 10))


def _sensor(img: np.ndarray, seed: int) -> np.ndarray:
    """The sensor's noise and the JPEG encoder come after the blur, as in a camera."""
    rng = np.random.default_rng(seed)
    return jpeg(np.clip(img.astype(np.float32) + rng.normal(0, 2.0, img.shape).astype(np.float32), 0, 255).astype(np.uint8))


# -- occluders ------------------------------------------------------------------------------------
def _skin(img: np.ndarray, pts: np.ndarray) -> np.ndarray:
    """The median colour of the cheeks (a hand of the same person's skin)."""
    samples = []
    for a, b in ((CHEEK_L, NOSE_TIP), (CHEEK_R, NOSE_TIP)):
        p = (pts[a] * 0.6 + pts[b] * 0.4).astype(int)
        samples.append(img[p[1] - 4:p[1] + 5, p[0] - 4:p[0] + 5].reshape(-1, 3))
    return np.median(np.concatenate(samples), axis=0)


def _paste(img: np.ndarray, mask: np.ndarray, layer: np.ndarray, soft: float = 1.2) -> np.ndarray:
    m = cv2.GaussianBlur(mask.astype(np.float32), (0, 0), soft)[:, :, None]
    return np.clip(img * (1 - m) + layer * m, 0, 255).astype(np.uint8)


def hand(img: np.ndarray, pts: np.ndarray, over: str = "mouth", seed: int = 0) -> np.ndarray:
    """A hand (palm and four fingers, the person's own skin tone, shaded, creases between the
    fingers) over the ``mouth`` (and chin), the ``eyes`` or the ``chin``."""
    rng = np.random.default_rng(seed)
    fw = float(np.linalg.norm(pts[CHEEK_L] - pts[CHEEK_R]))
    tone = _skin(img, pts) * rng.uniform(0.85, 1.12) * rng.uniform(0.97, 1.03, 3)
    mask = np.zeros(img.shape[:2], np.uint8)
    creases = np.zeros(img.shape[:2], np.uint8)
    if over == "eyes":
        centre = (pts[EYE_L] + pts[EYE_R]) / 2
        angle = rng.uniform(-15, 15)  # fingers across both eyes, palm to one side
        length, span = 1.25 * fw, 0.42 * fw
    elif over == "chin":
        centre = pts[CHIN] * 0.8 + pts[NOSE_TIP] * 0.2 + np.array([0, 0.08 * fw])
        angle = rng.uniform(-20, 20)
        length, span = 1.1 * fw, 0.42 * fw
    else:  # mouth
        centre = (pts[MOUTH_L] + pts[MOUTH_R]) / 2 * 0.7 + pts[CHIN] * 0.3
        angle = rng.uniform(-25, 25)
        length, span = 1.2 * fw, 0.55 * fw
    a = math.radians(angle)
    u, v = np.array([math.cos(a), math.sin(a)]), np.array([-math.sin(a), math.cos(a)])
    side = 1 if rng.random() < 0.5 else -1
    base = centre - side * u * length * 0.25
    fingers = 4
    for i in range(fingers):
        off = (i - (fingers - 1) / 2) * span / fingers
        flen = length * (0.55 + 0.1 * (1 - abs(i - 1.5) / 1.5))
        p0 = base + v * off
        p1 = p0 + side * u * flen
        thick = int(span / fingers * 1.05)
        cv2.line(mask, tuple(int(x) for x in p0), tuple(int(x) for x in p1), 255, thick)
        cv2.circle(mask, tuple(int(x) for x in p1), thick // 2, 255, -1)
        if i:
            q0 = base + v * (off - span / fingers / 2)
            cv2.line(creases, tuple(int(x) for x in q0), tuple(int(x) for x in q0 + side * u * flen * 0.9), 255, 2)
    palm = base - side * u * length * 0.2
    cv2.ellipse(mask, tuple(int(x) for x in palm), (int(length * 0.32), int(span * 0.62)), angle, 0, 360, 255, -1)
    layer = np.empty(img.shape, np.float32)
    yy, xx = np.mgrid[0:img.shape[0], 0:img.shape[1]].astype(np.float32)
    shade = 0.9 + 0.2 * ((xx - centre[0]) * v[0] + (yy - centre[1]) * v[1]) / max(span, 1.0)
    shade = np.clip(shade, 0.7, 1.15)
    for c in range(3):
        layer[:, :, c] = tone[c] * shade
    layer += rng.normal(0, 3.0, layer.shape).astype(np.float32)
    layer[creases > 0] *= 0.7
    out = _paste(img, (mask > 0).astype(np.float32), layer)
    return jpeg(out)


def phone(img: np.ndarray, pts: np.ndarray, over: str = "mouth", seed: int = 0) -> np.ndarray:
    """A dark phone held in front of the mouth and chin (or one eye)."""
    rng = np.random.default_rng(seed)
    fw = float(np.linalg.norm(pts[CHEEK_L] - pts[CHEEK_R]))
    if over == "eye":
        centre = pts[EYE_L if rng.random() < 0.5 else EYE_R] + np.array([0, 0.2 * fw])
    else:
        centre = (pts[MOUTH_L] + pts[MOUTH_R]) / 2 * 0.6 + pts[CHIN] * 0.4
    size = (0.5 * fw, 0.95 * fw)
    angle = rng.uniform(-20, 20)
    box = cv2.boxPoints(((float(centre[0]), float(centre[1])), size, angle)).astype(np.int32)
    mask = np.zeros(img.shape[:2], np.uint8)
    cv2.fillConvexPoly(mask, box, 255)
    colour = np.array(rng.choice([(25, 25, 28), (200, 200, 205), (60, 40, 30)]), np.float32)
    layer = np.empty(img.shape, np.float32)
    yy = np.mgrid[0:img.shape[0], 0:img.shape[1]][0].astype(np.float32)
    for c in range(3):
        layer[:, :, c] = colour[c] + 25 * np.sin(yy / 17.0)
    return jpeg(_paste(img, (mask > 0).astype(np.float32), layer))


def _oval(pts: np.ndarray) -> np.ndarray:
    return pts[list(FACE_OVAL)].astype(np.int32)


def mask(img: np.ndarray, pts: np.ndarray, seed: int = 0) -> np.ndarray:
    """A surgical mask over the nose, mouth and chin (light blue or white, pleats)."""
    rng = np.random.default_rng(seed)
    oval = _oval(pts)
    top = pts[NOSE_BRIDGE] * 0.45 + pts[NOSE_TIP] * 0.55
    fw = float(np.linalg.norm(pts[CHEEK_L] - pts[CHEEK_R]))
    lower = oval[oval[:, 1] > top[1]]
    poly = np.vstack([lower, [[int(pts[CHEEK_R][0] + 0.03 * fw), int(top[1])],
                              [int(top[0]), int(top[1] - 0.04 * fw)],
                              [int(pts[CHEEK_L][0] - 0.03 * fw), int(top[1])]]])
    hull = cv2.convexHull(poly.astype(np.int32))
    m = np.zeros(img.shape[:2], np.uint8)
    cv2.fillConvexPoly(m, hull, 255)
    colour = np.array(rng.choice([(215, 190, 150), (235, 235, 235), (40, 40, 40)]), np.float32)
    layer = np.empty(img.shape, np.float32)
    yy = np.mgrid[0:img.shape[0], 0:img.shape[1]][0].astype(np.float32)
    for c in range(3):
        layer[:, :, c] = colour[c] * (0.92 + 0.08 * np.sin(yy / 6.0))
    return jpeg(_paste(img, (m > 0).astype(np.float32), layer))


def cloth(shape: tuple[int, int], seed: int = 0) -> np.ndarray:
    """Patterned cloth: a base colour with stripes or dots."""
    rng = np.random.default_rng(seed)
    h, w = shape
    base = rng.uniform(20, 200, 3)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    period = rng.uniform(8, 22)
    a = rng.uniform(0, math.pi)
    pattern = np.sin((xx * math.cos(a) + yy * math.sin(a)) / period * 2 * math.pi)
    out = np.empty((h, w, 3), np.float32)
    second = rng.uniform(20, 220, 3)
    for c in range(3):
        out[:, :, c] = np.where(pattern > 0.3, second[c], base[c])
    return out + rng.normal(0, 4, out.shape).astype(np.float32)


def scarf_over_mouth(img: np.ndarray, pts: np.ndarray, seed: int = 0) -> np.ndarray:
    """A scarf pulled up over the mouth and chin (up to the nose tip)."""
    oval = _oval(pts)
    top_y = pts[NOSE_TIP][1] * 0.6 + pts[MOUTH_L][1] * 0.4
    m = np.zeros(img.shape[:2], np.uint8)
    lower = oval[oval[:, 1] > top_y]
    fw = float(np.linalg.norm(pts[CHEEK_L] - pts[CHEEK_R]))
    poly = np.vstack([lower, [[int(pts[CHEEK_R][0] + 0.1 * fw), int(top_y)], [int(pts[CHEEK_L][0] - 0.1 * fw), int(top_y)],
                              [int(pts[CHEEK_L][0] - 0.1 * fw), img.shape[0]], [int(pts[CHEEK_R][0] + 0.1 * fw), img.shape[0]]]])
    cv2.fillPoly(m, [cv2.convexHull(poly.astype(np.int32))], 255)
    return jpeg(_paste(img, (m > 0).astype(np.float32), cloth(img.shape[:2], seed)))


def headscarf(img: np.ndarray, pts: np.ndarray, seed: int = 0, plain: bool = False) -> np.ndarray:
    """A headscarf (hijab) that covers the hair, the forehead down to just above the brows and
    the sides of the face, leaving the face visible from brows to chin: must pass."""
    oval = _oval(pts).astype(np.float32)
    centre = oval.mean(axis=0)
    fw = float(np.linalg.norm(pts[CHEEK_L] - pts[CHEEK_R]))
    brow_y = min(pts[list(BROW_L + BROW_R)][:, 1]) - 0.04 * fw
    # the face opening: the oval pulled in 3 % at the sides, cut at the brows
    opening = centre + (oval - centre) * np.array([0.97, 1.0])
    opening[:, 1] = np.maximum(opening[:, 1], brow_y)
    face = np.zeros(img.shape[:2], np.uint8)
    cv2.fillPoly(face, [opening.astype(np.int32)], 255)
    scarf = np.zeros(img.shape[:2], np.uint8)
    x0, x1 = int(centre[0] - 1.0 * fw), int(centre[0] + 1.0 * fw)
    cv2.ellipse(scarf, (int(centre[0]), int(brow_y)), (int(0.85 * fw), int(0.9 * fw)), 0, 180, 360, 255, -1)
    cv2.rectangle(scarf, (x0 + int(0.12 * fw), int(brow_y)), (x1 - int(0.12 * fw), img.shape[0]), 255, -1)
    scarf[face > 0] = 0
    layer = cloth(img.shape[:2], seed)
    if plain:
        layer[:] = layer.reshape(-1, 3).mean(axis=0)
    return jpeg(_paste(img, (scarf > 0).astype(np.float32), layer, soft=1.5))


def fringe(img: np.ndarray, pts: np.ndarray, seed: int = 0) -> np.ndarray:
    """Dark hair combed down over the forehead to the brows (not over the eyes): must pass."""
    rng = np.random.default_rng(seed)
    fw = float(np.linalg.norm(pts[CHEEK_L] - pts[CHEEK_R]))
    brow_y = min(pts[list(BROW_L + BROW_R)][:, 1]) - 0.03 * fw
    m = np.zeros(img.shape[:2], np.uint8)
    cx = (pts[CHEEK_L][0] + pts[CHEEK_R][0]) / 2
    for _ in range(160):
        x = cx + rng.uniform(-0.55, 0.55) * fw
        y1 = brow_y - rng.uniform(0, 0.08) * fw
        cv2.line(m, (int(x + rng.uniform(-0.1, 0.1) * fw), int(brow_y - 0.7 * fw)), (int(x), int(y1)), 255, 3)
    colour = np.array(rng.choice([(20, 25, 35), (30, 50, 90), (60, 80, 110)]), np.float32)
    layer = np.empty(img.shape, np.float32)
    layer[:] = colour
    layer += rng.normal(0, 8, layer.shape).astype(np.float32)
    return jpeg(_paste(img, (m > 0).astype(np.float32), layer, soft=0.8))


# -- a head turned about the horizontal axis (known pitch) ---------------------------------------
def turn_head(img: np.ndarray, pts: np.ndarray, depth: np.ndarray, degrees: float, supersample: int = 3) -> np.ndarray:
    """``img`` re-rendered with the head pitched by ``degrees`` (> 0: chin down), the ground truth of
    the pitch calibration (kiosk/quality/README.md, "Pitch zero").

    The photograph is texture-mapped onto the landmarker's own 3-D mesh of it (``pts`` (478, 2)
    and ``depth`` (478,) in pixels, as ``FaceReport.landmarks`` / ``landmark_depth``): the depth
    is interpolated linearly between the 468 mesh points; outside the mesh it falls off smoothly
    to the depth of the head's centre (hair, ears and neck turn with the head, the far background
    hardly moves). Every point is turned about a horizontal axis through the middle of the face at
    the head's centre depth and projected orthographically: each column of the picture maps onto
    itself, so the render is a per-column splat (``supersample`` samples per row, the nearest
    wins) and the few holes are inpainted. Sensor noise and JPEG come after, as in a camera."""
    from scipy.interpolate import LinearNDInterpolator  # noqa: PLC0415 - heavy, only for this render

    h, w = img.shape[:2]
    xy, z = pts[:468].astype(np.float64), depth[:468].astype(np.float64)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float64)
    inside = LinearNDInterpolator(xy, z)(xx, yy)
    mesh = np.isfinite(inside)
    fw = float(np.ptp(xy[:, 0]))
    centre_z = float(np.median(z[[234, 454, 127, 356, 93, 323]])) + 0.15 * fw  # behind the face's sides
    zin = np.where(mesh, inside, 0).astype(np.float32)
    m = mesh.astype(np.float32)
    sigma = 0.1 * fw
    near = cv2.GaussianBlur(zin, (0, 0), sigma) / np.maximum(cv2.GaussianBlur(m, (0, 0), sigma), 1e-6)
    reach = cv2.GaussianBlur(m, (0, 0), sigma)
    near = np.where(reach > 1e-4, near, centre_z)
    dist = cv2.distanceTransform((~mesh).astype(np.uint8), cv2.DIST_L2, 5)
    fall = np.exp(-dist / (0.25 * fw))
    dmap = np.where(mesh, inside, near * fall + centre_z * (1 - fall)).astype(np.float32)
    dmap = cv2.GaussianBlur(dmap, (0, 0), 1.0)
    dmap[mesh] = inside[mesh]
    y0 = float(np.mean(xy[:, 1]))
    t = math.radians(degrees)
    c, s = math.cos(t), math.sin(t)
    rows = np.arange(0, h, 1.0 / supersample, dtype=np.float32)
    mx = np.repeat(np.arange(w, dtype=np.float32)[None], len(rows), 0)
    my = np.repeat(rows[:, None], w, 1)
    colour = cv2.remap(img, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
    dz = cv2.remap(dmap, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE) - centre_z
    dy = my - y0
    y2 = np.round(dy * c - dz * s + y0).astype(np.int64)
    z2 = dy * s + dz * c
    ok = (y2 >= 0) & (y2 < h)
    index = (y2 * w + mx.astype(np.int64))[ok]
    order = np.argsort(-z2[ok], kind="stable")  # far first: the nearest is written last
    out = img.reshape(-1, 3).copy()
    hit = np.zeros(h * w, bool)
    out[index[order]] = colour[ok][order]
    hit[index] = True
    holes = (~hit).reshape(h, w).astype(np.uint8)
    frame = cv2.inpaint(out.reshape(h, w, 3), holes, 3, cv2.INPAINT_TELEA) if holes.any() else out.reshape(h, w, 3)
    return _sensor(frame, int(degrees * 10) % 1000)


# -- the set -----------------------------------------------------------------------------------------
@dataclass
class Case:
    category: str
    name: str
    clean: bool  # True: must pass; False: a defect that must be caught
    make: Callable[[Callable[[np.ndarray], np.ndarray]], np.ndarray]  # landmarks_of -> frame


def _variants() -> Iterator[tuple[str, dict]]:
    for person in PEOPLE:
        yield f"{person}", {"person": person}
        yield f"{person}-mirror", {"person": person, "mirror": True}
        yield f"{person}-near", {"person": person, "face_width": 245, "seed": 1}
        yield f"{person}-far", {"person": person, "face_width": 205, "seed": 2}
        yield f"{person}-left", {"person": person, "dx": -25, "seed": 3}
        yield f"{person}-high", {"person": person, "dy": -20, "seed": 4}
        yield f"{person}-dim", {"person": person, "gain": 0.8, "seed": 5}
        yield f"{person}-bright", {"person": person, "gain": 1.12, "seed": 6}


def cases() -> list[Case]:
    """Every case of the set, in a fixed order."""
    out: list[Case] = []
    variants = list(_variants())
    for name, kw in variants:
        out.append(Case("clean", name, True, lambda lm, kw=kw: webcam_frame(**kw)))
    for i, (name, kw) in enumerate(variants[::2]):
        out.append(Case("clean: headscarf", name, True,
                        lambda lm, kw=kw, i=i: headscarf(f := webcam_frame(**kw), lm(f), seed=i, plain=i % 2 == 0)))
        out.append(Case("clean: hair to the brows", name, True, lambda lm, kw=kw, i=i: fringe(f := webcam_frame(**kw), lm(f), seed=i)))
    for i, (name, kw) in enumerate(variants):
        length = (9, 13, 17, 21, 25, 31)[i % 6]
        angle = (0, 30, 60, 90, 120, 150, 15, 105)[i % 8]
        out.append(Case("motion blur 9-31 px", f"{name} {length}px {angle}deg", False,
                        lambda lm, kw=kw, n=length, a=angle: motion_blur(webcam_frame(**kw), n, a)))
        out.append(Case("gaussian blur sigma 2.5", name, False, lambda lm, kw=kw: gaussian_blur(webcam_frame(**kw), 2.5)))
    for i, (name, kw) in enumerate(variants):
        out.append(Case("hand over mouth and chin", name, False, lambda lm, kw=kw, i=i: hand(f := webcam_frame(**kw), lm(f), "mouth", i)))
        out.append(Case("hand over the eyes", name, False, lambda lm, kw=kw, i=i: hand(f := webcam_frame(**kw), lm(f), "eyes", i)))
        out.append(Case("hand over the chin", name, False, lambda lm, kw=kw, i=i: hand(f := webcam_frame(**kw), lm(f), "chin", i)))
        out.append(Case("phone over mouth", name, False, lambda lm, kw=kw, i=i: phone(f := webcam_frame(**kw), lm(f), "mouth", i)))
        out.append(Case("mask", name, False, lambda lm, kw=kw, i=i: mask(f := webcam_frame(**kw), lm(f), i)))
        out.append(Case("scarf over mouth", name, False,
                        lambda lm, kw=kw, i=i: scarf_over_mouth(f := webcam_frame(**kw), lm(f), i)))
    for person in TURNED:
        out.append(Case("turned or tilted (real)", person, False, lambda lm, p=person: webcam_frame(p)))
    return out


def cat_frame() -> np.ndarray:
    """scikit-image's cat (Chelsea) in a 640x480 frame: not a face the broker can use."""
    import skimage.data as skdata  # noqa: PLC0415 - test extra, imported only when asked for

    cat = cv2.cvtColor(skdata.chelsea(), cv2.COLOR_RGB2BGR)
    return cv2.resize(cat, (W, H), interpolation=cv2.INTER_CUBIC)
