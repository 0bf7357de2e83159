"""Pitch calibration (issue 15, "Pitch zero"): what each candidate pitch estimator reads for real
faces turned by a KNOWN angle, where a face looking into the lens sits, and how the reading moves
when the same face is elsewhere in the frame. The figures and the choice are in
``kiosk/quality/README.md`` ("Pitch zero").

* Ground truth: each frontal photograph of the face set (``tests/faceset.py``) in a 640x480
  webcam frame is texture-mapped onto the landmarker's own 3-D mesh of it and re-rendered with
  the head pitched by -20..+20 degrees (``faceset.turn_head``). Per person and estimator: the
  reading at 0 (the photograph as it is), the slope (degrees read per degree turned, a line
  fitted to the 9 renders) and the largest distance of a render from that line.
* Candidates: mediapipe's facial transformation matrix (Euler angles against the optical axis,
  against the line of sight as before, and with the share of the line of sight the kiosk now
  removes), a Frankfurt-like line (the side of the face at ear level, mesh points 234/454, to
  the lower orbit, 118/347 or 230/450) in the landmarker's 3-D space, the plane of the rigid
  points (eye corners, brows, nose bridge, forehead), a Procrustes fit of mediapipe's canonical
  face (read from the shipped ``face_landmarker.task``) to the rigid points, and ``solvePnP`` of
  the canonical face's Procrustes points (mediapipe's own weighted set) on the 2-D landmarks.
* Position: the same photograph moved up/down by up to 80 px and sideways by up to 100 px (the
  off-centre check allows 96 / 128 px): how pitch and yaw drift with the share of the line of
  sight removed (0, the kiosk's ``VIEW_SHARE``, 1).
* Population: the median reading of the frontal faces (|yaw| <= 10) of scikit-image's LFW subset
  (100 faces of news photographs, 25x25 px enlarged) and of the three frontal portraits.

Run: ``.venv/bin/python benchmarks/pitch_calibration.py`` (about a minute; no timing figures).
"""
from __future__ import annotations

import math
import statistics
import struct
import sys
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import faceset  # noqa: E402 - the tests' set generator
from kiosk.config.settings import Settings  # noqa: E402
from kiosk.cvcompat import cv2  # noqa: E402
from kiosk.quality import face as facemod  # noqa: E402
from kiosk.quality import measures  # noqa: E402
from kiosk.quality.face import FaceAnalyzer, FaceReport  # noqa: E402
from kiosk.quality.models import LANDMARKER, model_bytes  # noqa: E402

TURNS = tuple(range(-20, 21, 5))
RIGID = (33, 133, 362, 263, 168, 6, 197, 9, 151, 10, 8, 107, 336, 55, 285)  # eye corners, bridge, brows, forehead
FLIP = np.diag([1.0, -1.0, -1.0])  # picture axes (x right, y down, z away) -> mediapipe's (y up, z towards the camera)


# -- mediapipe's canonical face, from the shipped model bundle ----------------------------------------
def _varint(b: bytes, i: int) -> tuple[int, int]:
    r = s = 0
    while True:
        c = b[i]
        i += 1
        r |= (c & 0x7F) << s
        s += 7
        if c < 0x80:
            return r, i


def _fields(b: bytes) -> Iterator[tuple[int, int, object]]:
    i = 0
    while i < len(b):
        key, i = _varint(b, i)
        f, t = key >> 3, key & 7
        v: object
        if t == 0:
            v, i = _varint(b, i)
        elif t == 1:
            v, i = b[i:i + 8], i + 8
        elif t == 2:
            n, i = _varint(b, i)
            v, i = b[i:i + n], i + n
        elif t == 5:
            v, i = b[i:i + 4], i + 4
        else:
            raise ValueError(f"protobuf wire type {t}")
        yield f, t, v


def canonical_face() -> tuple[np.ndarray, dict[int, float]]:
    """(468, 3) vertices of mediapipe's canonical face (cm, y up, z towards the camera) and its
    Procrustes landmark weights, from ``geometry_pipeline_metadata_landmarks.binarypb``."""
    data = zipfile.ZipFile(ROOT / "resources" / "models" / LANDMARKER).read("geometry_pipeline_metadata_landmarks.binarypb")
    assert model_bytes(LANDMARKER)  # the bundle the kiosk checks and loads
    verts: list[float] = []
    basis: dict[int, float] = {}
    for f, _t, v in _fields(data):
        if f == 1 and isinstance(v, bytes):  # canonical_mesh
            for f2, t2, v2 in _fields(v):
                if f2 == 3 and isinstance(v2, bytes):  # vertex_buffer: x, y, z, u, v per vertex
                    verts.extend(np.frombuffer(v2, "<f4").tolist() if t2 == 2 else [struct.unpack("<f", v2)[0]])
        elif f == 2 and isinstance(v, bytes):  # procrustes_landmark_basis
            d = {f2: v2 for f2, _t2, v2 in _fields(v)}
            w = d[2]
            index = d.get(1, 0)  # landmark_id (a varint; absent when 0)
            basis[index if isinstance(index, int) else 0] = struct.unpack("<f", w)[0] if isinstance(w, bytes) else 0.0
    return np.array(verts, np.float64).reshape(-1, 5)[:468, :3], basis


CANON, BASIS = canonical_face()


# -- the candidates -------------------------------------------------------------------------------------
def _mesh(r: FaceReport) -> np.ndarray:
    assert r.landmarks is not None and r.landmark_depth is not None
    return np.column_stack([r.landmarks[:468], r.landmark_depth[:468]])


def _pitch_of_rotation(rot: np.ndarray) -> float:
    return float(cv2.RQDecomp3x3(rot)[0][0])


def _procrustes(ids: list[int] | tuple[int, ...], weights: np.ndarray | None = None) -> Callable[[FaceReport], float]:
    def est(r: FaceReport) -> float:
        q = _mesh(r) @ FLIP
        w = np.zeros(468)
        w[list(ids)] = 1.0 if weights is None else weights
        w /= w.sum()
        pm, qm = (w[:, None] * CANON).sum(0), (w[:, None] * q).sum(0)
        u, _s, vt = np.linalg.svd(((CANON - pm) * w[:, None]).T @ (q - qm))
        d = np.sign(np.linalg.det(vt.T @ u.T))
        return _pitch_of_rotation(vt.T @ np.diag([1, 1, d]) @ u.T)
    return est


def _frankfurt(orbit: tuple[int, int]) -> Callable[[FaceReport], float]:
    def est(r: FaceReport) -> float:
        p = _mesh(r)
        ear, low = (p[234] + p[454]) / 2, (p[orbit[0]] + p[orbit[1]]) / 2
        return math.degrees(math.atan2(low[1] - ear[1], ear[2] - low[2]))  # > 0: the orbit below the ear line
    return est


def _plane(r: FaceReport) -> float:
    p = _mesh(r)[list(RIGID)]
    n = np.linalg.svd(p - p.mean(0))[2][2]
    if n[2] > 0:
        n = -n
    return math.degrees(math.atan2(n[1], -n[2]))


def _pnp(r: FaceReport) -> float:
    ids = sorted(BASIS)
    assert r.landmarks is not None
    f = r.height / 2 / math.tan(math.radians(63 / 2))  # mediapipe's camera: 63 degrees vertical
    k = np.array([[f, 0, r.width / 2], [0, f, r.height / 2], [0, 0, 1.0]])
    _ok, rv, tv = cv2.solvePnP(CANON[ids] @ FLIP, r.landmarks[ids], k, None)
    m = np.eye(4)
    m[:3, :3] = FLIP @ cv2.Rodrigues(rv)[0] @ FLIP
    m[:3, 3] = FLIP @ tv.ravel()
    return measures.pose_from_matrix(m)[1]


def _matrix(share: float) -> Callable[[FaceReport], float]:
    def est(r: FaceReport) -> float:
        assert r.transform is not None
        return measures.pose_from_matrix(r.transform, view_share=share)[1]
    return est


CANDIDATES: dict[str, Callable[[FaceReport], float]] = {
    "matrix, line of sight (before)": _matrix(1.0),
    "matrix, optical axis": _matrix(0.0),
    f"matrix, view share {measures.VIEW_SHARE}": _matrix(measures.VIEW_SHARE),
    "kiosk pitch (gain, offset)": lambda r: float(r.pitch) if r.pitch is not None else math.nan,
    "Frankfurt-like 234/454 -> 118/347": _frankfurt((118, 347)),
    "Frankfurt-like 234/454 -> 230/450": _frankfurt((230, 450)),
    "rigid plane": _plane,
    "Procrustes, rigid points": _procrustes(RIGID),
    "Procrustes, mediapipe's weights": _procrustes(sorted(BASIS), np.array([BASIS[i] for i in sorted(BASIS)])),
    "solvePnP, mediapipe's points": _pnp,
}


def _fmt(x: float) -> str:
    return f"{x:+.1f}"


def main() -> int:
    with FaceAnalyzer(Settings()) as analyzer:
        # -- ground truth: known turns ----------------------------------------------------------------
        reads: dict[str, dict[str, list[float]]] = {name: {} for name in CANDIDATES}
        for person in faceset.PEOPLE:
            frame = faceset.webcam_frame(person)
            base = analyzer.analyze(frame)
            assert base.landmarks is not None and base.landmark_depth is not None
            for deg in TURNS:
                r = base if deg == 0 else analyzer.analyze(faceset.turn_head(frame, base.landmarks, base.landmark_depth, deg))
                for name, est in CANDIDATES.items():
                    reads[name].setdefault(person, []).append(est(r) if r.transform is not None else math.nan)
        print("## Known turns (re-rendered -20..+20 degrees): reading at 0 / slope / largest miss from the line\n")
        print("| estimator | " + " | ".join(faceset.PEOPLE) + " | spread at 0 | spread / slope |")
        print("|---|" + "---|" * (len(faceset.PEOPLE) + 2))
        slopes_kiosk: list[float] = []
        for name, per in reads.items():
            cells, zeros, slopes = [], [], []
            for person in faceset.PEOPLE:
                ys = np.array(per[person])
                good = np.isfinite(ys)
                fit = np.polyfit(np.array(TURNS)[good], ys[good], 1)
                miss = float(np.abs(ys[good] - np.polyval(fit, np.array(TURNS)[good])).max())
                zeros.append(ys[TURNS.index(0)])
                slopes.append(fit[0])
                cells.append(f"{_fmt(zeros[-1])} / {fit[0]:.2f} / {miss:.1f}")
            if name.startswith("matrix, view share"):
                slopes_kiosk = slopes
            spread = float(np.ptp(zeros))
            print(f"| {name} | " + " | ".join(cells) + f" | {spread:.1f} | {spread / max(1e-6, abs(float(np.mean(slopes)))):.1f} |")
        print("\nKiosk pitch at each turn:")
        for person in faceset.PEOPLE:
            print(f"  {person:8s} " + " ".join(f"{d:+d}:{_fmt(v)}" for d, v in zip(TURNS, reads['kiosk pitch (gain, offset)'][person], strict=True)))
        gain = 1 / float(np.mean(slopes_kiosk))
        print(f"\nslope of the matrix (view share {measures.VIEW_SHARE}): "
              + ", ".join(f"{s:.2f}" for s in slopes_kiosk) + f"; gain = 1 / mean slope = {gain:.2f}"
              f" (kiosk: PITCH_GAIN {facemod.PITCH_GAIN})")

        # -- position ----------------------------------------------------------------------------------
        print("\n## The same face elsewhere in the frame (pitch for dy -80..+80 px, yaw for dx -100..+100 px)\n")
        print("| view share | person | pitch | yaw |")
        print("|---|---|---|---|")
        shifted = {p: ([analyzer.analyze(faceset.webcam_frame(p, dy=dy)).transform for dy in (-80, -40, 0, 40, 80)],
                       [analyzer.analyze(faceset.webcam_frame(p, dx=dx)).transform for dx in (-100, -50, 0, 50, 100)])
                   for p in faceset.PEOPLE}
        for share in (0.0, measures.VIEW_SHARE, 1.0):
            for p, (up_down, aside) in shifted.items():
                pitch = [measures.pose_from_matrix(m, view_share=share)[1] for m in up_down if m is not None]
                yaw = [measures.pose_from_matrix(m, view_share=share)[0] for m in aside if m is not None]
                print(f"| {share} | {p} | {' '.join(_fmt(v) for v in pitch)} (range {np.ptp(pitch):.1f}) | "
                      f"{' '.join(_fmt(v) for v in yaw)} (range {np.ptp(yaw):.1f}) |")

        # -- population ------------------------------------------------------------------------------------
        import skimage.data as skdata  # noqa: PLC0415 - test extra, only here

        lfw = skdata.lfw_subset()
        raw: list[float] = []
        for i in range(len(lfw)):
            f = cv2.resize((lfw[i] * 255).astype(np.uint8), (200, 200), interpolation=cv2.INTER_CUBIC)
            frame = np.full((faceset.H, faceset.W), int(np.median(f)), np.uint8)
            frame[140:340, 220:420] = f
            r = analyzer.analyze(cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR))
            if r.transform is not None and r.yaw is not None and abs(r.yaw) <= 10:
                raw.append(facemod.PITCH_GAIN * measures.pose_from_matrix(r.transform)[1])
        portraits = [facemod.PITCH_GAIN * measures.pose_from_matrix(analyzer.analyze(faceset.webcam_frame(p)).transform)[1]
                     for p in faceset.PEOPLE]
        q1, q3 = np.percentile(raw, [25, 75])
        print(f"\n## Where a frontal face reads (PITCH_GAIN x matrix pitch, before PITCH_OFFSET {facemod.PITCH_OFFSET})\n")
        print(f"LFW subset, |yaw| <= 10: n={len(raw)}, median {_fmt(statistics.median(raw))}, IQR {_fmt(q1)}..{_fmt(q3)}")
        print("frontal portraits: " + ", ".join(f"{p} {_fmt(v)}" for p, v in zip(faceset.PEOPLE, portraits, strict=True))
              + f"; mean {_fmt(float(np.mean(portraits)))}")

        # -- real turned or tilted faces, and the clean set ----------------------------------------------
        print("\n## Real turned or tilted faces (kiosk yaw / pitch / roll, failures)\n")
        for p in faceset.TURNED:
            r = analyzer.analyze(faceset.webcam_frame(p))
            print(f"  {p:13s} {r.yaw and _fmt(r.yaw)} / {r.pitch and _fmt(r.pitch)} / {r.roll and _fmt(r.roll)} {r.failures}")
        clean: dict[str, list[float]] = {}
        for case in faceset.cases():
            if case.clean:
                r = analyzer.analyze(case.make(lambda f: analyzer.analyze(f).landmarks))
                clean.setdefault(f"{case.name.split('-')[0]} ({case.category})", []).append(float(r.pitch or math.nan))
        print("\n## Kiosk pitch of the clean frames of the evaluation set\n")
        for k, v in clean.items():
            print(f"  {k:40s} {_fmt(min(v))}..{_fmt(max(v))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
