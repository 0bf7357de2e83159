"""Real inspection of the media the sandbox broker receives.

``fileData`` shape (tolerant, documented): the broker's samples send
``{"name": "FileData", "fileName": "ProbImage.jpg", "content": "<base64>"}``. The sandbox also
accepts the keys in any letter case, ``data``/``base64`` for ``content``, a bare base64 string
instead of the object, a ``data:...;base64,`` prefix, url-safe base64, missing padding and
line breaks. The format is judged from the bytes (magic numbers, then a real decode), never
from the file name.

* Selfie: JPEG, decoded with OpenCV; faces found with mediapipe's FaceDetector (the shipped
  ``face_detection_short_range.tflite``).
* Signature and ID card: PNG, decoded with OpenCV.
* Videos: WebM (EBML magic), demuxed and decoded with PyAV; it must have a video and an audio
  track; a few frames spread over the clip are searched for a face; the audio is resampled to
  16 kHz mono and kept as a WAV (method 19).

Scores are deterministic: the quality fields of the main face are measured on the media with
the kiosk's own checks (``kiosk.quality.face``: pose from the landmarker's transformation
matrix, sharpness and illumination on the broker's scales), so the kiosk's pre-check and the
broker's report agree; other faces keep the detector's rough figures; and the match and liveness scores come from a hash of
the bytes, placed in a passing or failing band by the sandbox's rules.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import io
import logging
import math
import re
import threading
import wave
from dataclasses import dataclass, field
from typing import Any
from collections.abc import Mapping

import numpy as np

from kiosk.quality.image_limits import ImageRefused
from kiosk.quality.image_limits import decode_image as bounded_decode
from kiosk.cvcompat import cv2

log = logging.getLogger(__name__)

JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
EBML_MAGIC = b"\x1a\x45\xdf\xa3"
MAX_VIDEO_FRAMES = 30 * 120  # never decode more than two minutes at 30 fps
SPEECH_RATE = 16000


class MediaError(ValueError):
    """The media cannot be used at all: ``code`` is the broker ExceptionCode (1101, 1604,
    1605) and the message says why (never the media itself)."""

    def __init__(self, message: str, code: int):
        super().__init__(message)
        self.code = code


@dataclass
class FileData:
    name: str
    file_name: str
    content: bytes


def parse_file_data(value: Any, strict: bool = False) -> FileData:
    """Decode a ``fileData`` field (see the module docstring); ``MediaError`` 1101 if absent
    or not base64. ``strict`` (the strict sandbox): only the original's shape, an object
    ``{"name", "fileName", "content"}`` whose content is standard Base64 (line breaks allowed,
    as .NET's Convert.FromBase64String allows them): no bare string, no ``data:`` prefix, no
    base64url, no missing padding."""
    if value is None:
        raise MediaError("fileData is missing", 1101)
    if strict:
        return _parse_file_data_strict(value)
    name = "FileData"
    file_name = ""
    if isinstance(value, Mapping):
        low = {str(k).lower(): v for k, v in value.items()}
        name = str(low.get("name") or "FileData")
        file_name = str(low.get("filename") or low.get("file_name") or "")
        content = None
        for key in ("content", "data", "base64", "filecontent"):
            if low.get(key) is not None:
                content = low[key]
                break
    else:
        content = value
    if not isinstance(content, str) or not content.strip():
        raise MediaError("fileData.content is missing or empty", 1101)
    text = content.strip()
    if text.startswith("data:") and "," in text[:200]:
        text = text.split(",", 1)[1]
    text = "".join(text.split()).replace("-", "+").replace("_", "/")
    text += "=" * (-len(text) % 4)
    raw = _b64_content(text)
    return FileData(name, file_name, raw)


def _b64_content(text: str) -> bytes:
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise MediaError(f"fileData.content is not base64: {exc}", 1101) from exc
    if not raw:
        raise MediaError("fileData.content is empty", 1101)
    return raw


def _parse_file_data_strict(value: Any) -> FileData:
    if not isinstance(value, Mapping):
        raise MediaError("fileData must be an object {name, fileName, content}", 1101)
    low = {str(k).lower(): v for k, v in value.items()}
    content = low.get("content")
    if not isinstance(content, str) or not content.strip():
        raise MediaError("fileData.content is missing or empty", 1101)
    text = "".join(content.split())
    if len(text) % 4 or not re.fullmatch(r"[A-Za-z0-9+/]*={0,2}", text):
        raise MediaError("fileData.content is not standard Base64", 1101)
    raw = _b64_content(text)
    return FileData(str(low.get("name") or "FileData"), str(low.get("filename") or ""), raw)


def unit_hash(data: bytes, salt: str) -> float:
    """A number in [0, 1) fixed by the bytes and the salt."""
    digest = hashlib.sha256(salt.encode() + b"\0" + data).digest()
    return int.from_bytes(digest[:8], "big") / 2.0 ** 64


# ----------------------------------------------------------------------------- faces

@dataclass
class FaceMeasure:
    box: tuple[int, int, int, int]  # x, y, w, h in pixels
    score: float
    roll: float
    yaw: float
    pitch: float
    sharpness: float
    illumination: float
    width_ratio: float


class FaceCounter:
    """mediapipe's FaceDetector, loaded on first use and closed by ``close()``; one image at a
    time (a lock), as the task object is not meant for concurrent calls."""

    def __init__(self, model_path: str | None = None, min_confidence: float = 0.5):
        self._model_path = model_path
        self._min_confidence = min_confidence
        self._detector: Any = None
        self._analyzer: Any = None
        self._lock = threading.Lock()
        self._closed = False

    def _load(self) -> Any:
        from mediapipe.tasks.python import BaseOptions, vision  # noqa: PLC0415 - heavy (mediapipe), loaded on first use

        from kiosk.resources import resource  # noqa: PLC0415 - only with mediapipe

        path = self._model_path or str(resource("models", "face_detection_short_range.tflite"))
        options = vision.FaceDetectorOptions(base_options=BaseOptions(model_asset_path=path),
                                             running_mode=vision.RunningMode.IMAGE,
                                             min_detection_confidence=self._min_confidence)
        return vision.FaceDetector.create_from_options(options)

    def faces(self, image_bgr: np.ndarray) -> list[FaceMeasure]:
        import mediapipe as mp  # noqa: PLC0415 - heavy (mediapipe), loaded on first use

        rgb = np.ascontiguousarray(cv2.cvtColor(image_bgr, cv2.COLOR_BGR2RGB))
        with self._lock:
            if self._closed:
                raise RuntimeError("the face detector is closed")
            if self._detector is None:
                self._detector = self._load()
            result = self._detector.detect(mp.Image(image_format=mp.ImageFormat.SRGB, data=rgb))
            measures = [_measure(image_bgr, d) for d in result.detections]
            if measures:
                measures = self._kiosk_scales(image_bgr, measures)
        return measures

    def _kiosk_scales(self, image_bgr: np.ndarray, measures: list[FaceMeasure]) -> list[FaceMeasure]:
        """Pose, sharpness and light of the main face as the kiosk's own checks measure them
        (``kiosk.quality.face``), so that what the kiosk saw and what the broker reports are on
        one scale. The detector's rough figures stay for the other faces."""
        if self._analyzer is None:
            from kiosk.quality.face import FaceAnalyzer  # noqa: PLC0415 - heavy (mediapipe models)

            self._analyzer = FaceAnalyzer()
        try:
            report = self._analyzer.analyze(image_bgr)
        except Exception:  # an image the analyzer refuses keeps the detector's figures
            log.debug("kiosk face analyzer refused an image", exc_info=True)
            return measures
        if not report.faces:  # fail closed: a detection without landmarks is not a usable face
            return []
        if report.yaw is None or report.sharpness is None:
            return measures
        main = max(range(len(measures)), key=lambda i: measures[i].box[2] * measures[i].box[3])
        m = measures[main]
        measures[main] = FaceMeasure(m.box, m.score, round(report.roll or 0.0, 4), round(report.yaw, 4),
                                     round(report.pitch or 0.0, 4), round(report.sharpness, 2),
                                     round(report.illumination if report.illumination is not None else m.illumination, 4),
                                     m.width_ratio)
        return measures

    def close(self) -> None:
        with self._lock:
            self._closed = True
            if self._detector is not None:
                self._detector.close()
                self._detector = None
            if self._analyzer is not None:
                self._analyzer.close()
                self._analyzer = None


def _measure(image_bgr: np.ndarray, detection) -> FaceMeasure:
    h, w = image_bgr.shape[:2]
    b = detection.bounding_box
    x0, y0 = max(0, int(b.origin_x)), max(0, int(b.origin_y))
    x1, y1 = min(w, int(b.origin_x + b.width)), min(h, int(b.origin_y + b.height))
    gray = cv2.cvtColor(image_bgr, cv2.COLOR_BGR2GRAY)
    roi = gray[y0:y1, x0:x1] if x1 > x0 and y1 > y0 else gray
    sharpness = float(cv2.Laplacian(roi, cv2.CV_64F).var())
    illumination = float(roi.mean()) / 255.0
    kp = [(p.x * w, p.y * h) for p in (detection.keypoints or [])]
    roll = yaw = pitch = 0.0
    if len(kp) >= 6:
        (rex, rey), (lex, ley), (nx, ny), (mx, my), (rtx, _), (ltx, _) = kp[:6]
        roll = math.degrees(math.atan2(ley - rey, lex - rex))
        d_r, d_l = abs(nx - rtx), abs(ltx - nx)
        if d_r + d_l > 0:
            yaw = math.degrees(math.asin(max(-1.0, min(1.0, (d_r - d_l) / (d_r + d_l)))))
        eye_y = (rey + ley) / 2
        if my - eye_y > 1e-6:
            t = (ny - eye_y) / (my - eye_y)
            pitch = max(-90.0, min(90.0, (t - 0.55) * 150.0))
    score = float(detection.categories[0].score) if detection.categories else 0.0
    return FaceMeasure((x0, y0, x1 - x0, y1 - y0), score, round(roll, 4), round(yaw, 4), round(pitch, 4),
                       round(sharpness, 2), round(illumination, 4), (x1 - x0) / max(1, w))


# ----------------------------------------------------------------------------- images

def decode_image(data: bytes, kind: str) -> np.ndarray:
    """Decode a JPEG or PNG; ``MediaError`` 1101 if the bytes are not that format."""
    magic = JPEG_MAGIC if kind == "jpeg" else PNG_MAGIC
    if not data.startswith(magic):
        raise MediaError(f"the file is not a {kind.upper()} image", 1101)
    try:  # header first: a decompression bomb is refused before it is decoded
        return bounded_decode(data, cv2.IMREAD_COLOR)
    except ImageRefused as exc:
        raise MediaError(f"the {kind.upper()} image cannot be used: {exc}", 1101) from None


# ----------------------------------------------------------------------------- video

@dataclass
class VideoReport:
    width: int = 0
    height: int = 0
    duration: float = 0.0
    frames_checked: int = 0
    frames_one_face: int = 0
    frames_many_faces: int = 0
    faces: list[FaceMeasure] = field(default_factory=list)
    speech_wav: bytes = b""
    speech_seconds: float = 0.0
    speech_peak_dbfs: float = -math.inf


def inspect_video(data: bytes, counter: FaceCounter, sample_frames: int = 8) -> VideoReport:
    """Open a WebM with PyAV, check its tracks, look for faces in ``sample_frames`` frames and
    extract its sound as a 16 kHz mono WAV. ``MediaError`` 1604 (not a WebM with video) or
    1605 (no audio track, or undecodable audio)."""
    import av  # noqa: PLC0415 - heavy (FFmpeg), only for videos

    if not data.startswith(EBML_MAGIC):
        raise MediaError("the file is not a WebM video (no EBML header)", 1604)
    report = VideoReport()
    try:
        container = av.open(io.BytesIO(data), mode="r")
    except (av.FFmpegError, ValueError, OSError) as exc:
        raise MediaError(f"the WebM cannot be opened: {type(exc).__name__}", 1604) from exc
    with container:
        fmt = container.format.name or ""
        if "webm" not in fmt and "matroska" not in fmt:
            raise MediaError(f"the container is {fmt}, not WebM", 1604)
        if not container.streams.video:
            raise MediaError("the WebM has no video track", 1604)
        if not container.streams.audio:
            raise MediaError("the WebM has no audio track: the broker takes the speech from it", 1605)
        vstream = container.streams.video[0]
        report.width = vstream.codec_context.width
        report.height = vstream.codec_context.height
        if container.duration:
            report.duration = container.duration / 1e6
        estimate = vstream.frames or 0
        if not estimate and report.duration and vstream.average_rate:
            estimate = int(report.duration * float(vstream.average_rate))
        step = max(1, (estimate or sample_frames * 10) // max(1, sample_frames))
        try:
            for index, frame in enumerate(container.decode(vstream)):
                if index >= MAX_VIDEO_FRAMES:
                    break
                if index % step or report.frames_checked >= sample_frames:
                    continue
                image = frame.to_ndarray(format="bgr24")
                found = counter.faces(image)
                report.frames_checked += 1
                if len(found) == 1:
                    report.frames_one_face += 1
                    report.faces.append(found[0])
                elif len(found) > 1:
                    report.frames_many_faces += 1
        except (av.FFmpegError, ValueError) as exc:
            raise MediaError(f"the video track cannot be decoded: {type(exc).__name__}", 1604) from exc
        if report.frames_checked == 0:
            raise MediaError("the video track has no frames", 1604)
    report.speech_wav, report.speech_seconds, report.speech_peak_dbfs = extract_speech(data)
    return report


def extract_speech(data: bytes) -> tuple[bytes, float, float]:
    """(WAV bytes 16 kHz mono 16-bit, seconds, loudest 20 ms frame in dBFS) of the first audio
    track. ``MediaError`` 1605 when the audio cannot be decoded."""
    import av  # noqa: PLC0415 - heavy (FFmpeg), only for videos

    chunks: list[np.ndarray] = []
    try:
        with av.open(io.BytesIO(data), mode="r") as container:
            stream = container.streams.audio[0]
            resampler = av.AudioResampler(format="s16", layout="mono", rate=SPEECH_RATE)
            for frame in container.decode(stream):
                for out in resampler.resample(frame):
                    chunks.append(out.to_ndarray().reshape(-1))
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray().reshape(-1))
    except (av.FFmpegError, ValueError, IndexError) as exc:
        raise MediaError(f"the audio track cannot be decoded: {type(exc).__name__}", 1605) from exc
    pcm = np.concatenate(chunks).astype(np.int16) if chunks else np.zeros(0, np.int16)
    buf = io.BytesIO()
    with wave.open(buf, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(SPEECH_RATE)
        wav.writeframes(pcm.tobytes())
    peak = -math.inf
    frame_len = SPEECH_RATE // 50
    if pcm.size >= frame_len:
        n = pcm.size // frame_len
        frames = pcm[: n * frame_len].astype(np.float64).reshape(n, frame_len) / 32768.0
        rms = np.sqrt((frames ** 2).mean(axis=1)).max()
        if rms > 0:
            peak = 20 * math.log10(rms)
    return buf.getvalue(), pcm.size / SPEECH_RATE, peak


def average(values: list[float]) -> float:
    return float(sum(values) / len(values)) if values else 0.0
