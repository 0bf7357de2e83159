"""Face pre-checks on the broker's scales (no Qt): faces, head pose, position, sharpness, light
and eyes, each with a pass/fail and one instruction for the applicant.

``FaceAnalyzer`` loads the shipped mediapipe models once and must be closed (``close()`` or
``with``): mediapipe task objects that are left to their destructors raise at interpreter exit.

* Stills (``analyze(image)`` without a timestamp, ``analyze_file``): ``FaceLandmarker`` in IMAGE
  mode with up to four faces, plus ``FaceDetector`` for the count.
* Streams (``analyze(frame, timestamp_ms)``): ``FaceDetector`` on a downscaled frame on every
  frame (count and box, ~1.5 ms) and ``FaceLandmarker`` in VIDEO mode with ``num_faces=1`` (it
  tracks the face from the previous landmarks instead of running its detector: with
  ``num_faces=2`` it re-runs detection on every frame that has one face, which is every frame).
  The landmark network (~6 ms here) is re-run when its last result is older than
  ``landmark_interval`` seconds, the face moved or changed size by more than
  ``landmark_motion`` of its width, or the face count changed; in between, the last landmarks are
  shifted with the detector's box and pose and eyes are carried over. Sharpness, light, position
  and count are measured on every frame, on the face crop only.

Thresholds come from ``Settings`` (``quality.*``). Pose is measured against the line of sight
(see ``measures.pose_from_matrix``).
"""
from __future__ import annotations

import math
import threading
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from kiosk.quality.image_limits import MAX_BYTES as MAX_IMAGE_BYTES
from kiosk.quality.image_limits import ImageRefused, decode_image
from kiosk.cvcompat import cv2
from kiosk.quality import measures
from kiosk.quality.cover import covered_parts
from kiosk.quality.instructions import ORDER, first_instruction, sentence
from kiosk.quality.measures import ImageError, to_bgr8
from kiosk.quality.models import DETECTOR, LANDMARKER, model_bytes

MIN_SIDE = 32  # smaller pictures are reported as "no face" without running the models
EYES_CLOSED_BLINK = 0.55  # blendshape eyeBlinkLeft/Right above this: the eye is closed
EYES_CLOSED_EAR = 0.15  # eye aspect ratio below this: the eye is closed (when there are no blendshapes)
CUT_OFF_MARGIN = 0.03  # landmarks this close to the edge (share of the face width) count as cut off

#: every check a frame must have measured and passed to be ``ok`` (see ``judge``)
REQUIRED = ("faces", "too_far", "too_near", "off_centre", "cut_off", "yaw", "pitch", "roll", "too_dark",
            "too_bright", "overexposed", "blurred", "motion", "detail", "eyes_closed", "covered")
MIN_MOTION_SHARPNESS = 7.0  # weakest-direction sharpness (motion blur); kiosk/quality/README.md
MIN_ANISOTROPY = 0.045  # weakest / strongest direction (short smear on a wrinkled face)
MIN_DETAIL = 1.8  # fine-detail ratio (soft or smeared); kiosk/quality/README.md
# pitch = PITCH_GAIN * (the matrix's pitch) - PITCH_OFFSET, in degrees; both measured, see "Pitch zero"
# in kiosk/quality/README.md and benchmarks/pitch_calibration.py
PITCH_GAIN = 1.27  # 1 / the slope measured on re-rendered known turns (0.74-0.81)
PITCH_OFFSET = 2.7  # the mean reading of the three frontal portraits (LFW median: +4.8)

# mediapipe face mesh indices
IRIS_A, IRIS_B = 468, 473
EYE_A = (33, 133, 159, 145)  # corners, upper lid, lower lid
EYE_B = (362, 263, 386, 374)
BROWS = (70, 63, 105, 66, 107, 336, 296, 334, 293, 300)
CHIN = 152


@dataclass
class Check:
    name: str
    value: Any
    ok: bool
    instruction_key: str | None = None

    def to_dict(self) -> dict:
        v = round(self.value, 3) if isinstance(self.value, float) else self.value
        return {"value": v, "ok": self.ok, "instruction_key": self.instruction_key}


@dataclass
class FaceReport:
    faces: int = 0
    yaw: float | None = None
    pitch: float | None = None
    roll: float | None = None
    sharpness: float | None = None
    illumination: float | None = None
    overexposed: float | None = None
    inter_eye_px: float | None = None
    face_box: tuple[int, int, int, int] | None = None  # x0, y0, x1, y1 in pixels
    eyes_open: bool | None = None
    motion_sharpness: float | None = None  # the weakest direction's sharpness (motion blur)
    anisotropy: float | None = None  # weakest / strongest direction (a smear along one direction)
    detail: float | None = None  # fine-detail ratio (soft or smeared picture), measures.blur_measures
    covered: list[str] | None = None  # face parts found covered ([] when none); None: not measured
    detections: int = 0  # face detector boxes (a box without landmarks is not a face)
    landmarks: np.ndarray | None = field(default=None, repr=False)  # (478, 2) pixels of the main face
    #: (478,) the landmarker's depth of each landmark in pixels (the scale of x; smaller is nearer)
    landmark_depth: np.ndarray | None = field(default=None, repr=False)
    transform: np.ndarray | None = field(default=None, repr=False)  # mediapipe's 4x4 facial transformation matrix
    failures: list[str] = field(default_factory=list)
    checks: dict[str, Check] = field(default_factory=dict)
    instruction_key: str | None = None
    width: int = 0
    height: int = 0
    timestamp_ms: int | None = None
    landmarks_fresh: bool = True  # False when pose/eyes were carried over from an earlier frame
    error: str | None = None

    @property
    def ok(self) -> bool:
        """True only when every required check was measured and passed (fail closed)."""
        if self.failures or self.error is not None:
            return False
        return all(name in self.checks and self.checks[name].ok for name in REQUIRED)

    def instruction(self, lang: str = "fa") -> str | None:
        return sentence(self.instruction_key, lang)

    @property
    def frontalness(self) -> float:
        """Sum of |yaw|, |pitch|, |roll| (smaller is more frontal); inf without a face."""
        if self.yaw is None:
            return math.inf
        return abs(self.yaw) + abs(self.pitch or 0) + abs(self.roll or 0)

    def to_dict(self) -> dict:
        def r(v, n=2):
            return None if v is None else round(float(v), n)

        return {
            "ok": self.ok, "faces": self.faces, "yaw": r(self.yaw, 1), "pitch": r(self.pitch, 1),
            "roll": r(self.roll, 1), "sharpness": r(self.sharpness, 1), "illumination": r(self.illumination, 3),
            "overexposed": r(self.overexposed, 4), "inter_eye_px": r(self.inter_eye_px, 1),
            "face_box": list(self.face_box) if self.face_box else None, "eyes_open": self.eyes_open,
            "motion_sharpness": r(self.motion_sharpness, 1), "detail": r(self.detail, 2),
            "anisotropy": r(self.anisotropy, 3),
            "covered": list(self.covered) if self.covered is not None else None, "detections": self.detections,
            "failures": list(self.failures), "instruction_key": self.instruction_key,
            "instruction": {"fa": sentence(self.instruction_key, "fa"), "en": sentence(self.instruction_key, "en")}
            if self.instruction_key else None,
            "width": self.width, "height": self.height, "error": self.error,
            "checks": {k: c.to_dict() for k, c in self.checks.items()},
        }


@dataclass
class _Face:
    """Measurements of the main face before thresholds are applied."""

    landmarks: np.ndarray  # (478, 2) pixels
    matrix: np.ndarray | None
    blink: tuple[float, float] | None
    depth: np.ndarray | None = None  # (478,) pixels, the scale of x (smaller is nearer)


def thresholds(settings) -> dict[str, float]:
    s = settings
    return {
        "max_yaw": float(s["quality.max_yaw"]), "max_pitch": float(s["quality.max_pitch"]),
        "max_roll": float(s["quality.max_roll"]), "min_sharpness": float(s["quality.min_sharpness"]),
        "min_illumination": float(s["quality.min_illumination"]),
        "max_illumination": float(s["quality.max_illumination"]),
        "max_overexposed": float(s["quality.max_overexposed"]),
        "min_inter_eye_px": float(s["quality.min_inter_eye_px"]),
        "max_face_width_ratio": float(s["quality.max_face_width_ratio"]),
        "max_off_centre": float(s["quality.max_off_centre"]),
        # calibrated on the evaluation set (kiosk/quality/README.md), not site settings
        "min_motion_sharpness": MIN_MOTION_SHARPNESS, "min_detail": MIN_DETAIL,
        "min_anisotropy": MIN_ANISOTROPY,
    }


def judge(report: FaceReport, t: dict[str, float], cut_off: bool = False) -> FaceReport:
    """Fill ``checks``, ``failures`` (priority order) and ``instruction_key`` from the measured
    values of ``report`` and the thresholds ``t``. Pure: no models.

    Fail closed: with one face, every check of ``REQUIRED`` is made; a measure that could not be
    taken (``None``) fails as ``unmeasured_<check>`` ("we could not see your face clearly").
    A detection without landmarks is not a face (``faces`` 0, the detector's count is in
    ``detections``)."""
    checks: dict[str, Check] = {}
    fails: list[str] = []

    def add(name: str, value: Any, ok: bool, failure: str | None = None) -> None:
        failure = failure or name
        checks[name] = Check(name, value, ok, None if ok else first_instruction([failure]))
        if not ok:
            fails.append(failure)

    def unmeasured(name: str) -> None:
        add(name, None, False, f"unmeasured_{name}")

    add("faces", report.faces, report.faces == 1, "no_face" if report.faces == 0 else "multiple_faces")
    if report.faces == 1:
        if report.face_box is not None and report.width and report.height:
            x0, y0, x1, y1 = report.face_box
            if report.inter_eye_px is None:
                unmeasured("too_far")
            else:
                add("too_far", report.inter_eye_px, report.inter_eye_px >= t["min_inter_eye_px"])
            ratio = (x1 - x0) / report.width
            add("too_near", ratio, ratio <= t["max_face_width_ratio"])
            dx = ((x0 + x1) / 2 - report.width / 2) / report.width
            dy = ((y0 + y1) / 2 - report.height / 2) / report.height
            off = max(abs(dx), abs(dy))
            add("off_centre", off, off <= t["max_off_centre"])
            add("cut_off", cut_off, not cut_off)
        else:
            for name in ("too_far", "too_near", "off_centre", "cut_off"):
                unmeasured(name)
        if report.yaw is None or report.pitch is None or report.roll is None:
            for name in ("yaw", "pitch", "roll"):
                unmeasured(name)
        else:
            # yaw > 0: the face turned to the picture's right = the applicant's own left -> turn right
            add("yaw", report.yaw, abs(report.yaw) <= t["max_yaw"], "turn_left" if report.yaw < 0 else "turn_right")
            add("pitch", report.pitch, abs(report.pitch) <= t["max_pitch"],
                "head_up" if report.pitch > 0 else "head_down")
            add("roll", report.roll, abs(report.roll) <= t["max_roll"])
        if report.illumination is None or report.overexposed is None:
            for name in ("too_dark", "too_bright", "overexposed"):
                unmeasured(name)
        else:
            add("too_dark", report.illumination, report.illumination >= t["min_illumination"])
            add("too_bright", report.illumination, report.illumination <= t["max_illumination"])
            add("overexposed", report.overexposed, report.overexposed <= t["max_overexposed"])
        if report.sharpness is None:
            unmeasured("blurred")
        else:
            add("blurred", report.sharpness, report.sharpness >= t["min_sharpness"])
        if report.motion_sharpness is None or report.anisotropy is None:
            unmeasured("motion")
        else:
            add("motion", round(report.motion_sharpness, 2), report.motion_sharpness >= t["min_motion_sharpness"]
                and report.anisotropy >= t["min_anisotropy"], "blurred")
        if report.detail is None:
            unmeasured("detail")
        else:
            add("detail", report.detail, report.detail >= t["min_detail"], "blurred")
        if report.eyes_open is None:
            unmeasured("eyes_closed")
        else:
            add("eyes_closed", report.eyes_open, bool(report.eyes_open))
        if report.covered is None:
            unmeasured("covered")
        else:
            add("covered", list(report.covered), not report.covered)
    failures = sorted(set(fails), key=lambda f: ORDER.get(f, 99))
    report.checks = checks
    report.failures = failures
    report.instruction_key = first_instruction(failures)
    return report


def inner_face(bgr: np.ndarray, pts: np.ndarray) -> np.ndarray | None:
    """The face from the brows to the chin, between the outer eye corners (and a tenth more):
    the part a headscarf, a fringe or the background never covers, for the blur measures."""
    h, w = bgr.shape[:2]
    xa, xb = float(pts[EYE_A[0], 0]), float(pts[EYE_B[1], 0])
    xa, xb = min(xa, xb), max(xa, xb)
    pad = 0.1 * (xb - xa)
    ya = float(pts[list(BROWS), 1].min())
    yb = float(pts[CHIN, 1])
    x0, x1 = int(max(0, math.floor(xa - pad))), int(min(w, math.ceil(xb + pad)))
    y0, y1 = int(max(0, math.floor(ya))), int(min(h, math.ceil(yb)))
    if x1 - x0 < 8 or y1 - y0 < 8:
        return None
    return bgr[y0:y1, x0:x1]


def _eye_aspect(pts: np.ndarray, idx: tuple[int, int, int, int]) -> float:
    a, b, up, down = (pts[i] for i in idx)
    width = float(np.linalg.norm(a - b))
    return float(np.linalg.norm(up - down)) / width if width > 1e-6 else 0.0


def _close_tasks(tasks: list) -> None:
    for task in tasks:
        try:
            task.close()
        except Exception:  # noqa: BLE001 - closing at exit must not raise
            pass
    tasks.clear()


class FaceAnalyzer:
    """Face checks on stills and streams; see the module docstring. Thread-safe (one call at a
    time). ``analyze`` never raises for a picture with a bad face; it raises ``ImageError`` for
    something that is not a picture."""

    def __init__(self, settings=None, *, landmark_interval: float = 0.1, landmark_motion: float = 0.04,
                 detect_width: int = 320, max_faces: int = 4, min_detection_confidence: float = 0.5,
                 lazy: bool = False):
        if settings is None:
            from kiosk.config.settings import Settings  # noqa: PLC0415 - import cycle with kiosk.config

            settings = Settings()
        self.settings = settings
        self.t = thresholds(settings)
        self.landmark_interval = float(landmark_interval)
        self.landmark_motion = float(landmark_motion)
        self.detect_width = int(detect_width)
        self.max_faces = int(max_faces)
        self.min_detection_confidence = float(min_detection_confidence)
        self._lock = threading.RLock()
        self._tasks: list = []  # every created mediapipe task, closed by close()
        self._finalizer = weakref.finalize(self, _close_tasks, self._tasks)
        # model bytes are checked (sha256) and read once
        self._landmarker_model = model_bytes(LANDMARKER)
        self._detector_model = model_bytes(DETECTOR)
        self._mp: Any = None
        self._detector: Any = None
        self._still: Any = None
        self._video: Any = None
        self._last_ts = -1
        self._track: dict | None = None  # last landmark result in VIDEO mode
        self.landmark_runs = 0
        self.frames = 0
        self._closed = False
        # each task starts mediapipe's threads. ``lazy``: each landmarker at its first use (a
        # video screen never loads the still-image one); the application keeps one lazy analyzer
        # for all its screens (kiosk.quality.pool.ModelPool). Otherwise all of them now.
        self._detector = self._make_detector()
        if not lazy:
            self._still = self._make_landmarker(video=False)
            self._video = self._make_landmarker(video=True)

    # -- lifecycle ---------------------------------------------------------------------------
    def __enter__(self) -> FaceAnalyzer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._finalizer()
            self._detector = self._still = self._video = None

    # -- model set-up ------------------------------------------------------------------------
    def _vision(self):
        if self._mp is None:
            import mediapipe as mp  # noqa: PLC0415 - heavy (mediapipe)
            from mediapipe.tasks.python import BaseOptions, vision  # noqa: PLC0415 - heavy (mediapipe)

            self._mp = (mp, BaseOptions, vision)
        return self._mp

    def _make_detector(self):
        mp, BaseOptions, vision = self._vision()
        opts = vision.FaceDetectorOptions(
            base_options=BaseOptions(model_asset_buffer=self._detector_model),
            running_mode=vision.RunningMode.IMAGE, min_detection_confidence=self.min_detection_confidence)
        task = vision.FaceDetector.create_from_options(opts)
        self._tasks.append(task)
        return task

    def _make_landmarker(self, video: bool):
        mp, BaseOptions, vision = self._vision()
        opts = vision.FaceLandmarkerOptions(
            base_options=BaseOptions(model_asset_buffer=self._landmarker_model),
            running_mode=vision.RunningMode.VIDEO if video else vision.RunningMode.IMAGE,
            num_faces=1 if video else self.max_faces,
            output_face_blendshapes=True, output_facial_transformation_matrixes=True)
        task = vision.FaceLandmarker.create_from_options(opts)
        self._tasks.append(task)
        return task

    def _mp_image(self, bgr: np.ndarray):
        mp = self._vision()[0]
        return mp.Image(image_format=mp.ImageFormat.SRGB, data=np.ascontiguousarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)))

    # -- public ------------------------------------------------------------------------------
    def analyze(self, image, timestamp_ms: int | None = None) -> FaceReport:
        """Check one picture. With ``timestamp_ms`` (monotonic, from the frame) it is a frame of
        a stream (VIDEO mode, tracking); without, a still (IMAGE mode)."""
        bgr = to_bgr8(image)
        h, w = bgr.shape[:2]
        with self._lock:
            if self._closed:
                raise RuntimeError("FaceAnalyzer is closed")
            self.frames += 1
            report = FaceReport(width=w, height=h, timestamp_ms=timestamp_ms)
            if min(h, w) < MIN_SIDE:  # too small to hold a face the broker could use
                return judge(report, self.t)
            if timestamp_ms is None:
                face, count = self._still_face(bgr)
                fresh = True
            else:
                face, count, fresh = self._video_face(bgr, int(timestamp_ms))
            # a detection without landmarks (a cat, a poster, a blurred smear) is not a face
            report.detections = count
            report.faces = count if face is not None else 0
            report.landmarks_fresh = fresh
            cut = False
            if face is not None:
                cut = self._measure(bgr, face, report)
            return judge(report, self.t, cut_off=cut)

    def analyze_file(self, path: str | Path) -> FaceReport:
        """Check an image file; raises ``ImageError`` when it cannot be read as a picture."""
        p = Path(path)
        try:
            if p.stat().st_size > MAX_IMAGE_BYTES:
                raise ImageError(f"{p.name}: the file is larger than {MAX_IMAGE_BYTES} bytes")
            data = np.fromfile(str(p), dtype=np.uint8)
        except (FileNotFoundError, IsADirectoryError, PermissionError, OSError) as exc:
            raise ImageError(f"cannot read {p.name}: {exc.strerror or exc}") from None
        try:  # the size is read from the header first: no decompression bomb is decoded
            image = decode_image(data, cv2.IMREAD_UNCHANGED)
        except ImageRefused as exc:
            raise ImageError(f"{p.name}: {exc}") from None
        return self.analyze(image)

    def configure(self, settings) -> None:
        """Read the thresholds again (the staff may have changed ``quality.*``)."""
        with self._lock:
            self.settings = settings
            self.t = thresholds(settings)

    def reset(self) -> None:
        """Forget the tracked face (a new applicant / a new stream)."""
        with self._lock:
            self._track = None

    # -- detection ---------------------------------------------------------------------------
    def _detect(self, bgr: np.ndarray, width: int) -> list[tuple[float, float, float, float]]:
        h, w = bgr.shape[:2]
        scale = min(1.0, width / w)
        small = bgr if scale >= 1.0 else cv2.resize(bgr, (int(round(w * scale)), max(1, int(round(h * scale)))),
                                                     interpolation=cv2.INTER_AREA)
        result = self._detector.detect(self._mp_image(small))
        boxes = []
        for d in result.detections:
            b = d.bounding_box
            boxes.append((b.origin_x / scale, b.origin_y / scale, (b.origin_x + b.width) / scale,
                          (b.origin_y + b.height) / scale))
        return boxes

    def _faces_from(self, result, w: int, h: int) -> list[_Face]:
        faces = []
        for i, lms in enumerate(result.face_landmarks):
            pts = np.array([(p.x * w, p.y * h) for p in lms], dtype=np.float64)
            depth = np.array([p.z * w for p in lms], dtype=np.float64)
            matrix = None
            if result.facial_transformation_matrixes and i < len(result.facial_transformation_matrixes):
                matrix = np.asarray(result.facial_transformation_matrixes[i], dtype=np.float64)
            blink = None
            if result.face_blendshapes and i < len(result.face_blendshapes):
                bs = {c.category_name: c.score for c in result.face_blendshapes[i]}
                if "eyeBlinkLeft" in bs and "eyeBlinkRight" in bs:
                    blink = (float(bs["eyeBlinkLeft"]), float(bs["eyeBlinkRight"]))
            faces.append(_Face(pts, matrix, blink, depth))
        return faces

    def _still_face(self, bgr: np.ndarray) -> tuple[_Face | None, int]:
        if self._still is None:
            self._still = self._make_landmarker(video=False)
        h, w = bgr.shape[:2]
        faces = self._faces_from(self._still.detect(self._mp_image(bgr)), w, h)
        boxes = self._detect(bgr, max(self.detect_width, 640))
        count = max(len(faces), len(boxes))
        if not faces:
            return None, count
        main = max(faces, key=lambda f: np.ptp(f.landmarks[:, 0]) * np.ptp(f.landmarks[:, 1]))
        return main, count

    def _video_face(self, bgr: np.ndarray, ts: int) -> tuple[_Face | None, int, bool]:
        if self._video is None:
            self._video = self._make_landmarker(video=True)
        ts = max(ts, self._last_ts + 1)  # VIDEO mode needs strictly increasing timestamps
        self._last_ts = ts
        h, w = bgr.shape[:2]
        boxes = self._detect(bgr, self.detect_width)
        track = self._track
        if track is not None and len(boxes) == track["count"] and boxes and ts - track["ts"] <= self.landmark_interval * 1000:
            box = max(boxes, key=lambda b: (b[2] - b[0]) * (b[3] - b[1]))
            ob = track["box"]
            bw = max(1.0, ob[2] - ob[0])
            dx = ((box[0] + box[2]) - (ob[0] + ob[2])) / 2
            dy = ((box[1] + box[3]) - (ob[1] + ob[3])) / 2
            dsize = abs((box[2] - box[0]) - bw) / bw
            if abs(dx) / bw <= self.landmark_motion and abs(dy) / bw <= self.landmark_motion and dsize <= self.landmark_motion:
                f = track["face"]
                return _Face(f.landmarks + np.array([dx, dy]), f.matrix, f.blink, f.depth), len(boxes), False
        result = self._video.detect_for_video(self._mp_image(bgr), ts)
        self.landmark_runs += 1
        faces = self._faces_from(result, w, h)
        count = len(boxes)
        if faces and count == 0:
            count = 1  # the tracker still holds a face the detector missed (dim, blurred)
        if faces and boxes:
            self._track = {"ts": ts, "count": len(boxes), "face": faces[0],
                           "box": max(boxes, key=lambda b: (b[2] - b[0]) * (b[3] - b[1]))}
        else:
            self._track = None
        return (faces[0] if faces else None), count, True

    # -- measurements ------------------------------------------------------------------------
    def _measure(self, bgr: np.ndarray, face: _Face, report: FaceReport) -> bool:
        h, w = bgr.shape[:2]
        pts = face.landmarks
        x0, y0 = pts.min(axis=0)
        x1, y1 = pts.max(axis=0)
        report.face_box = (int(round(x0)), int(round(y0)), int(round(x1)), int(round(y1)))
        report.landmarks = pts
        report.landmark_depth = face.depth
        margin = CUT_OFF_MARGIN * (x1 - x0)
        cut = bool(x0 < -margin or y0 < -margin or x1 > w + margin or y1 > h + margin)
        if pts.shape[0] > IRIS_B:
            a, b = pts[IRIS_A], pts[IRIS_B]
        else:  # no iris points: eye centres from the corners
            a = (pts[EYE_A[0]] + pts[EYE_A[1]]) / 2
            b = (pts[EYE_B[0]] + pts[EYE_B[1]]) / 2
        report.inter_eye_px = float(np.linalg.norm(a - b))
        if face.matrix is not None:
            report.transform = face.matrix
            yaw, pitch, roll = measures.pose_from_matrix(face.matrix)
            report.yaw, report.pitch, report.roll = yaw, PITCH_GAIN * pitch - PITCH_OFFSET, roll
        if face.blink is not None:
            report.eyes_open = max(face.blink) < EYES_CLOSED_BLINK
        else:
            ear = min(_eye_aspect(pts, EYE_A), _eye_aspect(pts, EYE_B))
            report.eyes_open = ear > EYES_CLOSED_EAR
        region = measures.face_region(bgr, (x0, y0, x1, y1))
        if region is not None:
            report.sharpness = measures.sharpness(region)
            report.illumination, report.overexposed = measures.light(region)
        inner = inner_face(bgr, pts)  # brows to chin, eye corner to eye corner: no hair, no scarf
        if inner is not None:
            report.motion_sharpness, report.detail, report.anisotropy = measures.blur_measures(inner)
        report.covered = covered_parts(bgr, pts)
        return cut


def analyze_image(image, settings=None) -> FaceReport:
    """One-off check of a still (loads the models for this call only)."""
    with FaceAnalyzer(settings) as analyzer:
        return analyzer.analyze(image)


__all__ = ["FaceAnalyzer", "FaceReport", "Check", "ImageError", "judge", "thresholds", "analyze_image", "inner_face",
           "REQUIRED"]
