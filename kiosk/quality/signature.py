"""The wet signature held to the camera: sheet found, straightened, cleaned to dark ink on white,
checked, PNG (no Qt).

``analyze_signature(image) -> SignatureReport``

1. **Sheet.** The largest bright quadrilateral (``documents.find_quads`` with any side ratio,
   weighted by brightness: a white sheet); none found means the sheet fills the frame (or the
   picture is already a scan) and the whole frame is used, provided it looks like paper: mostly
   bright after the light is flattened, and lit smoothly (``light_steps``: a wall, a face or a desk
   has sharp steps of light that a sheet, even half in shadow, does not). The sheet is warped
   upright at about its own resolution (at most ``MAX_SHEET`` px wide) and its outer 2 % trimmed.
2. **Shadow removal.** The paper's light is estimated by a grey dilation wider than any stroke
   followed by a median blur (ink disappears from it) and the sheet is divided by it: paper
   becomes ~255 whatever shadow or gradient fell on it, ink stays dark.
3. **Ink.** Pixels darker than ``INK_LEVEL`` of the paper's light AND darker than their
   neighbourhood (adaptive Gaussian threshold) are ink; connected components smaller than
   ``MIN_SPECK`` of the sheet (dust, paper fibre, noise) are dropped.
4. **Checks** (told in this order, one at a time): ``no_sheet`` (no sheet found and the frame
   itself is not mostly paper: at least ``MIN_FRAME_PAPER`` of it, a bare desk is less),
   ``outside`` (the sheet's outline reaches the frame's edge: part of the sheet, maybe of the
   signature, is outside the picture; a corner within ``BORDER_MARGIN`` of the edge), ``blank`` (ink share of the sheet < ``min_ink``; when ink is
   there but too faint to count, i.e. smeared by a strong blur, ``blurred`` instead), ``printed`` (see below),
   ``too_much_ink`` (> ``max_ink``), ``too_small`` (the ink's box < ``min_extent`` px, or
   less ink than ``min_signature_ink`` of the sheet: bring the sheet closer; judged only when
   the picture is sharp), ``blurred`` (variance of the 3x3 Laplacian on the ink's edge band, i.e. pixels
   within 2 px of an ink border, below ``min_sharpness``).
5. **PNG**: the ink's bounding box plus a margin of 6 % (at least 12 px), as 8-bit grey: paper
   pure white, ink its own darkness stretched to black (anti-aliased edges kept, "1-bit-like"),
   at most ``MAX_WIDTH`` = 800 px wide.

**Printed page heuristic** (``printed_score``): printed text is many small glyph components of a
similar height standing in rows; a signature is a few large, irregular strokes. Components are
grouped into rows (y-centres closer than 0.7 x the median height join a row); the page counts as
printed when it has at least ``PRINT_MIN_COMPONENTS`` (30) components, at least 70 % of them have
a height within 0.5-1.6 x the median, at least 3 rows hold 5 or more components each, and those
rows hold at least 60 % of the components. A signature with a long name written under it still
passes (it makes one row, not three); a page of handwriting lines is refused like print, which is
what we want: the broker asks for a signature.

``prepare_signature(frame) -> bytes`` is the hook the wizard calls (PNG of the cleaned signature, or
the frame cleaned as a whole when no ink is found).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from kiosk.cvcompat import cv2
from kiosk.quality.documents import (BORDER_MARGIN, SENTENCES, encode_png, find_quads, first_instruction,
                                     order_corners, sentence, side_lengths, warp)
from kiosk.quality.measures import to_bgr8

MAX_SHEET = 1000  # px, width of the warped sheet at most
MAX_WIDTH = 800  # px, width of the PNG at most
INK_LEVEL = 0.72  # ink is darker than this share of the paper's light
MIN_SPECK = 2e-5  # components smaller than this share of the sheet are noise
PRINT_MIN_COMPONENTS = 30
MAX_LIGHT_STEPS = 0.01  # no sheet outline found: a frame whose light jumps on more of it is not paper
MIN_FRAME_PAPER = 0.75  # no sheet outline found: a frame with less paper-white than this is not a sheet

SIGNATURE_PRIORITY: tuple[tuple[str, str], ...] = (
    ("no_sheet", "document.signature.show"),
    ("outside", "document.signature.outside"),
    ("blank", "document.signature.blank"),
    ("printed", "document.signature.printed"),
    ("too_much_ink", "document.signature.too_much_ink"),
    ("too_small", "document.signature.too_small"),
    ("moving", "document.signature.hold_still"),
    ("blurred", "document.signature.hold_still"),
)


@dataclass
class SignatureThresholds:
    min_ink: float = 0.0003  # share of the sheet: less is a blank sheet
    min_signature_ink: float = 0.002  # share of the sheet: less is a signature too small to use
    max_ink: float = 0.12
    min_extent: int = 100  # px, the ink's box (longer side) in the frame's own pixels
    min_sharpness: float = 300.0  # Laplacian variance on the ink's edge band


@dataclass
class SignatureReport:
    ok: bool
    failures: list[str]
    instruction_key: str | None
    png: bytes | None
    values: dict[str, Any] = field(default_factory=dict)
    corners: np.ndarray | None = None  # the sheet's corners in the frame (None: whole frame)
    cleaned: np.ndarray | None = None  # the grey picture the PNG holds

    def instruction(self, lang: str = "fa") -> str | None:
        return sentence(self.instruction_key, lang)

    @property
    def sharpness(self) -> float:
        return float(self.values.get("sharpness") or 0.0)

    def to_dict(self) -> dict:
        return {"ok": self.ok, "failures": list(self.failures), "instruction_key": self.instruction_key,
                "corners": None if self.corners is None else [[round(float(x), 1), round(float(y), 1)]
                                                              for x, y in self.corners],
                "png_bytes": len(self.png) if self.png else None, **self.values}


def find_sheet(bgr: np.ndarray) -> np.ndarray | None:
    """Corners (TL, TR, BR, BL) of the largest bright quadrilateral, or None."""
    quads = find_quads(bgr, aspect=None, min_area=0.12, prefer="bright", min_support=0.5)
    if not quads:
        return None
    q = order_corners(quads[0].corners)
    grey = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
    m = np.zeros(grey.shape, np.uint8)
    cv2.fillConvexPoly(m, np.rint(q).astype(np.int32), 255)
    inside = cv2.mean(grey, m)[0]
    outside = cv2.mean(grey, 255 - m)[0] if np.count_nonzero(m) < m.size else 0.0
    return q if inside > max(100.0, outside + 15.0) else None


def sheet_cut(corners: np.ndarray, width: int, height: int) -> bool:
    """Whether a sheet's outline reaches the frame's edge (a corner within ``BORDER_MARGIN`` of
    the smaller side): the frame's edge then stands for a side of the sheet, and what lies
    beyond it, maybe part of the signature, is not in the picture."""
    margin = max(2.0, BORDER_MARGIN * min(width, height))
    c = np.asarray(corners, np.float64)
    return bool(np.any((c[:, 0] < margin) | (c[:, 1] < margin) | (c[:, 0] > width - 1 - margin)
                       | (c[:, 1] > height - 1 - margin)))


def paper_light(grey: np.ndarray) -> np.ndarray:
    """The paper's light under the ink: a grey dilation wider than a stroke, then a median (uint8)."""
    h, w = grey.shape
    k = max(7, (min(h, w) // 40) | 1)
    bg = cv2.dilate(grey, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
    return cv2.medianBlur(bg, min(255, (k * 3) | 1) if k * 3 < 256 else 255)


def flatten_light(grey: np.ndarray) -> np.ndarray:
    """Divide by the paper's light (``paper_light``): float 0-255."""
    bg = np.maximum(paper_light(grey).astype(np.float32), 1.0)
    return np.clip(grey.astype(np.float32) * 255.0 / bg, 0, 255)


def light_steps(grey: np.ndarray) -> float:
    """Share of a 320-px-wide copy of ``grey`` where the paper's light jumps (more than 4 % of the
    brightest light per pixel). Light on a sheet changes smoothly, however deep a shadow; a wall
    with a door frame or a poster, a face, a desk's edge make steps that ``flatten_light`` would
    otherwise turn into "ink"."""
    h, w = grey.shape
    if w > 320:
        grey = cv2.resize(grey, (320, max(8, round(h * 320 / w))), interpolation=cv2.INTER_AREA)
    light = paper_light(grey).astype(np.float32)
    light /= max(1.0, float(np.percentile(light, 99)))
    gx = cv2.Sobel(light, cv2.CV_32F, 1, 0, ksize=3) / 8.0
    gy = cv2.Sobel(light, cv2.CV_32F, 0, 1, ksize=3) / 8.0
    return float(np.mean(np.hypot(gx, gy) > 0.04))


def ink_mask(flat: np.ndarray) -> np.ndarray:
    h, w = flat.shape
    f8 = flat.astype(np.uint8)
    block = max(15, (min(h, w) // 15) | 1)
    adaptive = cv2.adaptiveThreshold(f8, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY_INV, block, 12)
    ink = ((flat < INK_LEVEL * 255) & (adaptive > 0)).astype(np.uint8) * 255
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    min_area = max(6, int(MIN_SPECK * h * w))
    keep = np.zeros(n, bool)
    keep[1:] = stats[1:, cv2.CC_STAT_AREA] >= min_area
    return (keep[labels]).astype(np.uint8) * 255


def printed_score(ink: np.ndarray) -> dict[str, float]:
    """Measures of how much ``ink`` looks like printed text (see the module doc)."""
    n, _, stats, cent = cv2.connectedComponentsWithStats(ink, connectivity=8)
    hs = stats[1:, cv2.CC_STAT_HEIGHT].astype(np.float64)
    ys = cent[1:, 1]
    count = len(hs)
    if count == 0:
        return {"components": 0, "regular": 0.0, "rows": 0, "in_rows": 0.0, "printed": False}
    med = float(np.median(hs))
    regular = float(np.mean((hs >= 0.5 * med) & (hs <= 1.6 * med)))
    order = np.argsort(ys)
    rows, current = [], [order[0]]
    for a, b in zip(order[:-1], order[1:], strict=True):
        if ys[b] - ys[a] <= 0.7 * med:
            current.append(b)
        else:
            rows.append(current)
            current = [b]
    rows.append(current)
    full = [r for r in rows if len(r) >= 5]
    in_rows = sum(len(r) for r in full) / count
    printed = count >= PRINT_MIN_COMPONENTS and regular >= 0.7 and len(full) >= 3 and in_rows >= 0.6
    return {"components": count, "regular": round(regular, 3), "rows": len(full), "in_rows": round(in_rows, 3),
            "printed": bool(printed)}


def edge_sharpness(flat: np.ndarray, ink: np.ndarray) -> float:
    """Laplacian variance on the band within 2 px of the ink's borders."""
    k = np.ones((5, 5), np.uint8)
    band = cv2.bitwise_and(cv2.dilate(ink, k), cv2.bitwise_not(cv2.erode(ink, k)))
    if np.count_nonzero(band) < 20:
        return 0.0
    lap = cv2.Laplacian(flat, cv2.CV_32F, ksize=1)
    return float(lap[band > 0].var())


def clean_crop(flat: np.ndarray, ink: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray:
    """Grey picture of the ink in ``box`` (x, y, w, h): white paper, ink stretched to black."""
    x, y, w, h = box
    f = flat[y:y + h, x:x + w]
    m = cv2.dilate(ink[y:y + h, x:x + w], np.ones((3, 3), np.uint8)) > 0
    inked = f[ink[y:y + h, x:x + w] > 0]
    lo = float(np.percentile(inked, 5)) if inked.size else 0.0
    hi = INK_LEVEL * 255 + 0.5 * (255 - INK_LEVEL * 255)
    out = np.clip((f - lo) * 255.0 / max(1.0, hi - lo), 0, 255)
    out[~m] = 255
    return out.astype(np.uint8)


def _fit_width(img: np.ndarray, width: int = MAX_WIDTH) -> np.ndarray:
    h, w = img.shape[:2]
    if w <= width:
        return img
    return cv2.resize(img, (width, max(1, round(h * width / w))), interpolation=cv2.INTER_AREA)


def analyze_signature(image, thresholds: SignatureThresholds | None = None, encode: bool = True) -> SignatureReport:
    """Find the signed sheet in a BGR frame, clean the signature and check it (see the module doc)."""
    t = thresholds or SignatureThresholds()
    bgr = to_bgr8(image)
    fh, fw = bgr.shape[:2]
    values: dict[str, Any] = {"width": fw, "height": fh}
    corners = find_sheet(bgr)
    grey = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
    if corners is not None:
        s = side_lengths(corners)
        sw, sh = max(s[0], s[2]), max(s[1], s[3])
        k = min(1.0, MAX_SHEET / sw)
        size = (max(32, int(sw * k)), max(32, int(sh * k)))
        sheet = warp(grey, corners, size)
        px_scale = 1.0 / k  # frame px per sheet px
    else:
        k = min(1.0, MAX_SHEET / fw)
        sheet = cv2.resize(grey, (int(fw * k), int(fh * k)), interpolation=cv2.INTER_AREA) if k < 1 else grey
        px_scale = 1.0 / k
    h, w = sheet.shape
    trim_y, trim_x = int(0.02 * h), int(0.02 * w)
    sheet = sheet[trim_y:h - trim_y, trim_x:w - trim_x]
    h, w = sheet.shape
    flat = flatten_light(sheet)
    ink = ink_mask(flat)
    share = float(np.count_nonzero(ink)) / ink.size
    values.update(sheet_found=corners is not None, ink_share=round(share, 5))
    paper_share = float(np.count_nonzero(flat > 0.85 * 255)) / flat.size
    values["paper_share"] = round(paper_share, 3)
    failures: list[str] = []
    box = None
    steps = light_steps(sheet) if corners is None else 0.0
    values["light_steps"] = round(steps, 4)
    cut = corners is not None and sheet_cut(corners, fw, fh)
    values["sheet_cut"] = cut
    if corners is None and (float(np.median(sheet)) < 120 or paper_share < MIN_FRAME_PAPER
                            or steps > MAX_LIGHT_STEPS):
        failures.append("no_sheet")  # no sheet found and the frame is not paper either
    elif share < t.min_ink:
        if cut:
            failures.append("outside")
        # ink too faint to count: a blur spreads strokes into grey (tell "hold still"), else blank
        faint = float(np.count_nonzero(flat < 0.88 * 255)) / flat.size
        values["faint_share"] = round(faint, 5)
        failures.append("blurred" if faint >= t.min_ink else "blank")
    else:
        if cut:
            failures.append("outside")
        pr = printed_score(ink)
        values.update(components=pr["components"], row_regularity=pr["regular"], text_rows=pr["rows"],
                      in_rows=pr["in_rows"])
        if pr["printed"]:
            failures.append("printed")
        if share > t.max_ink:
            failures.append("too_much_ink")
        ys, xs = np.nonzero(ink)
        x0, x1, y0, y1 = int(xs.min()), int(xs.max()) + 1, int(ys.min()), int(ys.max()) + 1
        extent = max(x1 - x0, y1 - y0) * px_scale
        values["extent_px"] = round(extent, 1)
        sharp = edge_sharpness(flat, ink)
        values["sharpness"] = round(sharp, 1)
        # a blur thins and breaks the ink that counts: size is judged on a sharp picture only
        if sharp >= t.min_sharpness and (extent < t.min_extent or share < t.min_signature_ink):
            failures.append("too_small")
        if sharp < t.min_sharpness:
            failures.append("blurred")
        pad = max(12, int(0.06 * max(x1 - x0, y1 - y0)))
        x0, y0 = max(0, x0 - pad), max(0, y0 - pad)
        x1, y1 = min(w, x1 + pad), min(h, y1 + pad)
        box = (x0, y0, x1 - x0, y1 - y0)
    ok = not failures
    cleaned = png = None
    if box is not None:
        cleaned = _fit_width(clean_crop(flat, ink, box))
        values["png_size"] = [int(cleaned.shape[1]), int(cleaned.shape[0])]
        if ok and encode:
            png = encode_png(cleaned, 6)
    return SignatureReport(ok, failures, first_instruction(failures, SIGNATURE_PRIORITY), png, values, corners,
                           cleaned)


def prepare_signature(frame: np.ndarray) -> bytes:
    """PNG for the broker: the cleaned signature (its report's picture), or the whole frame
    cleaned to black on white when no ink was found."""
    report = analyze_signature(frame, encode=False)
    if report.cleaned is not None:
        return encode_png(report.cleaned, 6)
    grey = cv2.cvtColor(to_bgr8(frame), cv2.COLOR_BGR2GRAY)
    return encode_png(_fit_width(flatten_light(grey).astype(np.uint8)), 6)


__all__ = ["SignatureReport", "SignatureThresholds", "SIGNATURE_PRIORITY", "SENTENCES", "analyze_signature",
           "find_sheet", "sheet_cut", "flatten_light", "light_steps", "paper_light", "ink_mask", "printed_score", "edge_sharpness",
           "prepare_signature",
           "MAX_WIDTH"]
