"""The WebM recorder (VP8/VP9 video, Opus audio, PyAV) and the recording loop. No Qt here.

One clock: frames and audio chunks carry ``time.monotonic()`` stamps, and both streams are
timed relative to the recording start ``t0`` (the first frame's time unless given):

* video pts are milliseconds since ``t0`` (time base 1/1000, the Matroska resolution), so a
  camera that drops or repeats frames gives a variable frame rate, never a drift; a frame whose
  pts would not advance is dropped and counted;
* audio pts count samples. The first chunk anchors the audio: samples from before ``t0`` are
  cut, a late start is padded with silence; later chunks are appended back to back unless their
  stamps say audio was lost (a gap > 30 ms is filled with silence) or overlaps (cut).
  At ``finish()`` the audio is padded or cut to end with the last frame.

Where the WebM goes: with ``sink`` (a seekable binary writer such as
``kiosk.core.media_store.MediaWriter``), the muxer writes straight into it, so a recording of a
person is never plaintext on disk, not even half-written; the caller closes or discards the
sink. Without one, the file is written to a hidden temp file in the target folder and renamed on
a successful ``finish()``; ``abort()`` (also on any error, and on leaving a ``with`` block with
an exception) overwrites and deletes it, so no half-written video is ever left behind.
"""
from __future__ import annotations

import errno
import logging
import os
import queue
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Protocol, cast

import av
import numpy as np

from kiosk.capture.base import AudioChunk, CameraSource, CaptureError, Frame, Microphone, now
from kiosk.paths import overwrite_and_unlink as _overwrite_and_unlink
from kiosk.capture.microphone import level_of, resample
from kiosk.capture.speech import SpeechCheck, check_speech
from kiosk.config.settings import Settings
from kiosk.cvcompat import cv2

log = logging.getLogger(__name__)

OPUS_RATE = 48000
OPUS_FRAME = 960  # 20 ms
AUDIO_GAP_SECONDS = 0.03  # audio stamps further off than this are corrected (gap filled / overlap cut)
CODECS = {"vp8": "libvpx", "vp9": "libvpx-vp9"}


def _error_key(exc: BaseException) -> str:
    code = getattr(exc, "errno", None)
    if code in (errno.ENOSPC, errno.EDQUOT) or "No space left" in str(exc):
        return "recording.disk_full"
    if isinstance(exc, (PermissionError, FileNotFoundError, NotADirectoryError)) or code in (
            errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOENT):
        return "recording.write_failed"
    if isinstance(exc, OSError):
        return "recording.write_failed"
    return "recording.encoder_failed"


class Sink(Protocol):
    """A seekable binary writer (``kiosk.core.media_store.MediaWriter``)."""

    def write(self, data: bytes, /) -> int: ...

    def seek(self, offset: int, whence: int = ..., /) -> int: ...

    def tell(self) -> int: ...


class _SinkIO:
    """What PyAV sees of a sink: write, seek and tell, and no ``close`` (PyAV calls a file
    object's close when the container closes; the sink's owner decides whether to keep it)."""

    def __init__(self, sink: Sink | None):
        if sink is None:
            raise ValueError("no sink")
        self._sink = sink

    def write(self, data: bytes) -> int:
        return self._sink.write(data)

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        return self._sink.seek(offset, whence)

    def tell(self) -> int:
        return self._sink.tell()

    def seekable(self) -> bool:
        return True

    def writable(self) -> bool:
        return True


class Recorder:
    """Writes one WebM with one video and one mono Opus audio stream. Not thread-safe: call
    ``add_frame``/``add_audio`` from one thread.

    ``seconds`` (the planned length), when given, caps the video bit rate so the file fits in
    ``max_bytes``; while writing, ``full`` turns true before ``max_bytes`` would be passed and
    further frames are refused (``add_frame`` returns False).
    """

    def __init__(self, out_path: str | Path | None, width: int = 640, height: int = 480, fps: float = 30.0,
                 sample_rate: int = OPUS_RATE, codec: str = "vp8", video_bitrate: int = 1_000_000,
                 max_bytes: int = 8 * 1024 * 1024, audio_bitrate: int = 48_000,
                 seconds: float | None = None, keep_audio: bool = True, sink: Sink | None = None):
        import av  # noqa: PLC0415 - FFmpeg's libraries load only when a recording starts

        if codec not in CODECS:
            raise ValueError(f"codec must be one of {', '.join(CODECS)}")
        if (out_path is None) == (sink is None):
            raise ValueError("give either out_path or sink")
        self.out_path = Path(out_path) if out_path is not None else None
        self.sink = sink
        self.width, self.height = int(width) // 2 * 2, int(height) // 2 * 2
        self.fps = float(fps)
        self.sample_rate = int(sample_rate)  # rate of the chunks put in; the stream is 48 kHz Opus
        self.codec = codec
        self.max_bytes = int(max_bytes)
        self.audio_bitrate = int(audio_bitrate)
        if seconds:
            budget = int(self.max_bytes * 8 * 0.85 / float(seconds)) - self.audio_bitrate
            video_bitrate = max(100_000, min(int(video_bitrate), budget))
        self.video_bitrate = int(video_bitrate)
        self.keep_audio = keep_audio

        self.t0: float | None = None
        self.frames = 0
        self.dropped_frames = 0
        self.bytes_written = 0
        self.finished = False
        self.aborted = False
        self._last_pts = -1
        self._last_frame_ts: float | None = None
        self._pending_audio: list[AudioChunk] = []
        self._audio_next: int | None = None  # next sample position (48 kHz) relative to t0
        self._audio_buf = np.zeros(0, np.float32)
        self._audio_pts = 0  # pts of the first sample in _audio_buf
        self._kept_audio: list[np.ndarray] = []
        self._reserve = max(32 * 1024, self.max_bytes // 50)
        self._max_packet = 0

        self.tmp_path: Path | None = None
        if self.out_path is not None:
            try:
                fd, tmp = tempfile.mkstemp(prefix=f".{self.out_path.stem}.", suffix=".webm.part",
                                           dir=str(self.out_path.parent))
                os.close(fd)
            except OSError as exc:
                raise CaptureError(f"cannot write in {self.out_path.parent}: {exc}", _error_key(exc)) from exc
            self.tmp_path = Path(tmp)
        try:
            target = str(self.tmp_path) if self.tmp_path is not None else _SinkIO(sink)
            self._container = av.open(target, mode="w", format="webm")
            # add_stream's type depends on the codec name: a video codec gives a VideoStream
            v = cast(av.VideoStream, self._container.add_stream(CODECS[codec], rate=Fraction(self.fps).limit_denominator(1001)))
            v.width, v.height, v.pix_fmt = self.width, self.height, "yuv420p"
            v.bit_rate = self.video_bitrate
            v.codec_context.time_base = Fraction(1, 1000)
            opts: dict[str, object] = {"deadline": "realtime", "cpu-used": "8", "lag-in-frames": "0"}
            if codec == "vp9":
                opts["row-mt"] = "1"
            v.options = opts
            a = self._container.add_stream("libopus", rate=OPUS_RATE, layout="mono")
            a.bit_rate = self.audio_bitrate
            a.codec_context.format = "flt"
            self._video, self._audio = v, a
        except Exception as exc:
            self._cleanup()
            raise CaptureError(f"cannot start the recording: {exc}", _error_key(exc)) from exc

    # -- state ---------------------------------------------------------------------------
    @property
    def full(self) -> bool:
        """True when one more frame (as large as the largest so far) might pass ``max_bytes``."""
        return self.bytes_written + self._reserve + 2 * self._max_packet >= self.max_bytes

    @property
    def duration(self) -> float:
        """Seconds of video so far (last frame's time + one frame)."""
        if self.t0 is None or self._last_frame_ts is None:
            return 0.0
        return self._last_frame_ts - self.t0 + 1.0 / self.fps

    @property
    def audio_end_time(self) -> float | None:
        """Monotonic time up to which audio has been put in."""
        if self.t0 is None or self._audio_next is None:
            return None
        return self.t0 + self._audio_next / OPUS_RATE

    def start(self, t0: float | None = None) -> float:
        """Fix the recording start (monotonic seconds; default: now) and return it."""
        if self.t0 is not None:
            return self.t0
        self.t0 = start = now() if t0 is None else float(t0)
        pending, self._pending_audio = self._pending_audio, []
        for chunk in pending:
            self.add_audio(chunk)
        return start

    # -- input ---------------------------------------------------------------------------
    def add_frame(self, frame: Frame) -> bool:
        """Encode one camera frame. Returns False when it was dropped (before the start, not
        advancing, or the file is full)."""

        self._check_open()
        t0 = self.t0 if self.t0 is not None else self.start(frame.timestamp)
        pts = int(round((frame.timestamp - t0) * 1000))
        if pts < 0 or pts <= self._last_pts or self.full:
            self.dropped_frames += 1
            return False
        img = frame.image
        if img.shape[1] != self.width or img.shape[0] != self.height:
            img = cv2.resize(img, (self.width, self.height), interpolation=cv2.INTER_AREA)
        try:
            vf = av.VideoFrame.from_ndarray(np.ascontiguousarray(img), format="bgr24")
            vf.pts = pts
            vf.time_base = Fraction(1, 1000)
            self._mux(self._video.encode(vf))
        except CaptureError:
            raise
        except Exception as exc:  # noqa: BLE001 - any encoder error becomes the recording's CaptureError (_fail)
            self._fail(exc)
        self._last_pts = pts
        self._last_frame_ts = frame.timestamp
        self.frames += 1
        if self._audio_buf.size >= OPUS_FRAME:
            self._encode_ready_audio()
        return True

    def add_audio(self, chunk: AudioChunk) -> None:
        """Append one microphone chunk (placed by its timestamp, see the module docstring)."""
        self._check_open()
        if self.t0 is None:
            self._pending_audio.append(chunk)
            return
        x = np.asarray(chunk.samples, dtype=np.float32)
        if x.ndim > 1:
            x = x.mean(axis=1) if x.shape[1] > 1 else x[:, 0]
        if chunk.rate != OPUS_RATE:
            x = resample(x, chunk.rate, OPUS_RATE)
        start = int(round((chunk.timestamp - self.t0) * OPUS_RATE))
        if self._audio_next is None:
            self._audio_next = 0
            self._audio_pts = 0
            drift = start
        else:
            drift = start - self._audio_next
            if abs(drift) <= AUDIO_GAP_SECONDS * OPUS_RATE:
                drift = 0
        if drift > 0:  # audio missing (or the first chunk starts after t0): silence
            self._append_audio(np.zeros(drift, np.float32))
        elif drift < 0:  # before t0, or overlapping what we have
            x = x[-drift:]
        if x.size:
            self._append_audio(x)

    def _append_audio(self, x: np.ndarray) -> None:
        self._audio_next = (self._audio_next or 0) + x.size
        if self.keep_audio:
            self._kept_audio.append(x.copy())
        self._audio_buf = np.concatenate([self._audio_buf, x]) if self._audio_buf.size else x.copy()
        self._encode_ready_audio()

    def _encode_ready_audio(self) -> None:
        """Encode whole Opus frames that end before the video does so far; what lies beyond
        stays buffered, so ``finish()`` can end the audio exactly with the last frame."""
        video_end = int(round(self.duration * OPUS_RATE)) if self._last_frame_ts is not None else 0
        ready = min(self._audio_buf.size, max(0, video_end - self._audio_pts))
        n = (ready // OPUS_FRAME) * OPUS_FRAME
        if n == 0:
            return
        buf = self._audio_buf
        try:
            for i in range(0, n, OPUS_FRAME):
                self._encode_audio(buf[i:i + OPUS_FRAME])
        except CaptureError:
            raise
        except Exception as exc:  # noqa: BLE001 - any encoder error becomes the recording's CaptureError (_fail)
            self._fail(exc)
        self._audio_buf = buf[n:].copy()

    def _encode_audio(self, samples: np.ndarray) -> None:
        af = av.AudioFrame.from_ndarray(np.ascontiguousarray(samples, np.float32).reshape(1, -1),
                                        format="flt", layout="mono")
        af.sample_rate = OPUS_RATE
        af.pts = self._audio_pts
        af.time_base = Fraction(1, OPUS_RATE)
        self._audio_pts += samples.size
        self._mux(self._audio.encode(af))

    def audio(self) -> np.ndarray:
        """The mono audio put in so far (48 kHz float32, sample 0 = ``t0``)."""
        if not self._kept_audio:
            return np.zeros(0, np.float32)
        return np.concatenate(self._kept_audio)

    # -- output --------------------------------------------------------------------------
    def _mux(self, packets) -> None:
        for p in packets:
            self.bytes_written += p.size
            self._max_packet = max(self._max_packet, p.size)
            try:
                self._container.mux(p)
            except Exception as exc:  # noqa: BLE001 - any muxer error becomes the recording's CaptureError (_fail)
                self._fail(exc)

    def _check_open(self) -> None:
        if self.finished or self.aborted:
            raise CaptureError("the recording is already closed", "recording.encoder_failed")

    def _fail(self, exc: BaseException):
        key = _error_key(exc)
        self.abort()
        raise CaptureError(f"recording failed: {exc}", key) from exc

    def finish(self) -> Path | None:
        """Flush, close, and move the file into place. Returns the final path (None when
        writing into a ``sink``, which the caller then closes)."""
        self._check_open()
        try:
            if self.frames == 0:
                raise CaptureError("no video frame was recorded", "recording.camera_ended")
            end = int(round(self.duration * OPUS_RATE))
            have = self._audio_next or 0
            if have < end:
                if self._audio_next is None:
                    self._audio_next = 0
                self._append_audio(np.zeros(end - have, np.float32))
            elif have > end:  # cut what lies beyond the last frame (still buffered)
                cut = min(have - end, self._audio_buf.size)
                self._audio_buf = self._audio_buf[: self._audio_buf.size - cut]
                self._audio_next = (self._audio_next or 0) - cut
                if self._kept_audio:
                    self._kept_audio = [self.audio()[:end]]
            self._encode_ready_audio()
            if self._audio_buf.size:  # the last, shorter Opus frame
                self._encode_audio(self._audio_buf)
                self._audio_buf = np.zeros(0, np.float32)
            self._mux(self._video.encode(None))
            self._mux(self._audio.encode(None))
            self._container.close()
            if self.tmp_path is not None:
                with open(self.tmp_path, "rb+") as fh:
                    os.fsync(fh.fileno())
                size = self.tmp_path.stat().st_size
            else:
                size = int(self.sink.seek(0, os.SEEK_END)) if self.sink is not None else 0
            if size > self.max_bytes:
                raise CaptureError(f"the video is {size} bytes, more than {self.max_bytes}",
                                   "recording.encoder_failed")
            if self.tmp_path is not None and self.out_path is not None:
                os.replace(self.tmp_path, self.out_path)
        except CaptureError:
            self.abort()
            raise
        except Exception as exc:  # noqa: BLE001 - any muxer error becomes the recording's CaptureError (_fail)
            self._fail(exc)
        self.finished = True
        self.bytes_written = size
        return self.out_path

    def abort(self) -> None:
        """Stop and delete the partial file (safe to call more than once)."""
        if self.finished or self.aborted:
            return
        self.aborted = True
        self._cleanup()

    def _cleanup(self) -> None:
        container = getattr(self, "_container", None)
        if container is not None:
            try:
                container.close()
            except Exception:  # noqa: BLE001 - abort cleans up whatever state the container is in
                pass
        if self.tmp_path is not None:
            _overwrite_and_unlink(self.tmp_path)
        elif self.sink is not None and hasattr(self.sink, "discard"):
            self.sink.discard()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None or not self.finished:
            self.abort()


# -- the recording loop --------------------------------------------------------------------
@dataclass
class RecordingProgress:
    elapsed: float
    seconds: float
    level: float  # microphone level meter 0-1
    faces: int | None  # faces in the newest checked frame (None: no checks yet / no analyzer)
    warning_key: str | None  # "recording.face_left" / "recording.second_face" while it lasts

    @property
    def fraction(self) -> float:
        return min(1.0, max(0.0, self.elapsed / self.seconds)) if self.seconds > 0 else 1.0


@dataclass
class RecordingResult:
    path: Path | None
    bytes: int = 0
    duration: float = 0.0
    frames: int = 0
    dropped_frames: int = 0
    audio_seconds: float = 0.0
    speech: SpeechCheck | None = None
    retake_reason: str | None = None  # "face_left", "second_face", or a speech failure
    instruction_key: str | None = None
    stopped: bool = False
    truncated: bool = False
    face_checks: int = 0
    face_absent_seconds: float = 0.0
    multiple_faces_seconds: float = 0.0
    extra: dict = field(default_factory=dict)
    # what the capture worker's keep() made of the clip (a MediaRef in the encrypted store); path is then None
    ref: object | None = None

    def to_dict(self) -> dict:
        return {
            "path": str(self.path) if self.path else None, "bytes": self.bytes,
            "duration": round(self.duration, 3), "frames": self.frames,
            "dropped_frames": self.dropped_frames, "audio_seconds": round(self.audio_seconds, 3),
            "speech": self.speech.to_dict() if self.speech is not None else None,
            "retake_reason": self.retake_reason, "instruction_key": self.instruction_key,
            "stopped": self.stopped, "truncated": self.truncated, "face_checks": self.face_checks,
            "face_absent_seconds": round(self.face_absent_seconds, 3),
            "multiple_faces_seconds": round(self.multiple_faces_seconds, 3), **self.extra,
        }


def _face_count(report) -> int:
    faces = getattr(report, "faces", 0)
    if isinstance(faces, (int, np.integer)):
        return int(faces)
    try:
        return len(faces)
    except TypeError:
        return int(bool(faces))


class FaceWatcher:
    """Runs the face analyzer on a side thread, always on the newest frame only (older ones are
    replaced, never queued), and keeps (timestamp, face count) observations."""

    def __init__(self, analyzer):
        self.analyzer = analyzer
        self.observations: list[tuple[float, int]] = []
        self.errors = 0
        self._cond = threading.Condition()
        self._pending: Frame | None = None
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="record-face-checks", daemon=True)
        self._thread.start()

    def submit(self, frame: Frame) -> None:
        with self._cond:
            self._pending = frame
            self._cond.notify()

    def latest(self) -> int | None:
        return self.observations[-1][1] if self.observations else None

    def _run(self) -> None:
        while True:
            with self._cond:
                while self._pending is None and not self._stopping:
                    self._cond.wait()
                frame, self._pending = self._pending, None
                if frame is None:
                    return
            try:
                report = self.analyzer.analyze(frame.image, timestamp_ms=int(frame.timestamp * 1000))
                self.observations.append((frame.timestamp, _face_count(report)))
            except Exception:
                self.errors += 1
                if self.errors == 1:
                    log.exception("face check failed during recording")

    def stop(self) -> None:
        """Finish the frame in hand (and the last one submitted), then end the thread."""
        with self._cond:
            self._stopping = True
            self._cond.notify()
        self._thread.join(timeout=5.0)


class _EncoderThread:
    """Feeds the recorder from a worker thread, in order, so an encoder hiccup (a key frame, a
    busy core) never delays the camera loop. The queue holds up to ~3 s; beyond that ``put``
    waits (back-pressure). An encoder error is raised by the next ``put`` or by ``close``."""

    def __init__(self, recorder: Recorder, max_items: int = 256):
        self.recorder = recorder
        self.full = False
        self.error: BaseException | None = None
        self._queue: queue.Queue = queue.Queue(max_items)
        self._thread = threading.Thread(target=self._run, name="record-encoder", daemon=True)
        self._thread.start()

    def put(self, item) -> None:
        if self.error is not None:
            raise self.error
        self._queue.put(item)

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            if self.error is not None:
                continue
            try:
                if isinstance(item, Frame):
                    if not self.recorder.add_frame(item) and self.recorder.full:
                        self.full = True
                else:
                    self.recorder.add_audio(item)
            except BaseException as exc:  # noqa: BLE001 - handed to the recording thread, which raises it
                self.error = exc

    def close(self, raise_error: bool = True) -> None:
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()
        if raise_error and self.error is not None:
            raise self.error


def bad_streaks(observations: list[tuple[float, int]], end_time: float) -> dict[str, float]:
    """Longest time with no face ("face_left") and with 2+ faces ("second_face"). A streak runs
    from its first bad observation to the next observation that is not of that kind (or the end)."""
    longest = {"face_left": 0.0, "second_face": 0.0}
    obs = sorted(observations)
    for kind, bad in (("face_left", lambda n: n == 0), ("second_face", lambda n: n >= 2)):
        start = None
        for ts, n in obs:
            if bad(n):
                if start is None:
                    start = ts
            elif start is not None:
                longest[kind] = max(longest[kind], ts - start)
                start = None
        if start is not None:
            longest[kind] = max(longest[kind], end_time - start)
    return longest


def record_clip(camera: CameraSource, microphone: Microphone, seconds: float, out_path: str | Path | None,  # noqa: C901 - the recording loop in one place
                analyzer=None, on_progress: Callable[[RecordingProgress], None] | None = None,
                stop_event: threading.Event | None = None, settings=None,
                keep_on_stop: bool = False, sink: Sink | None = None) -> RecordingResult:
    """Record ``seconds`` of the (already open) camera and microphone into ``out_path``, or into
    ``sink`` (a seekable writer such as ``MediaWriter``: nothing in clear on disk; the caller
    closes it when ``result.path`` is None and the recording was not stopped or failed, and
    discards it otherwise; ``abort`` already discards a sink that has ``discard``).

    Camera frames are read and encoded in the calling thread; audio is drained from the
    microphone's queue between frames. With an ``analyzer`` (``FaceAnalyzer``) the face checks
    run on the newest frame on a side thread; when the face is gone, or a second face is in the
    picture, for longer than ``recording.max_face_absent_seconds``, the result carries a
    ``retake_reason``. The speech pre-check runs on the recorded audio at the end. Setting
    ``stop_event`` ends the recording early: the file is deleted (``stopped=True``) unless
    ``keep_on_stop``. Raises ``CaptureError`` (no file left) when a device or the disk fails.
    """

    settings = settings or Settings()
    max_absent = float(settings.get("recording.max_face_absent_seconds", 0.5))
    info = getattr(camera, "info", None)
    fps = float(getattr(info, "fps", 0) or settings["camera.fps"])
    width = int(getattr(info, "width", 0) or settings["camera.width"])
    height = int(getattr(info, "height", 0) or settings["camera.height"])

    def make_recorder(w: int, h: int) -> Recorder:
        return Recorder(out_path, w, h, fps, codec=settings["recording.codec"],
                        video_bitrate=settings["recording.video_bitrate"],
                        max_bytes=settings["recording.max_bytes"], seconds=seconds, sink=sink)

    # set the encoder up before the first frame is read, so no frame waits for it
    known = bool(getattr(info, "width", 0) and getattr(info, "height", 0))
    recorder = make_recorder(width, height) if known else None
    try:
        first = camera.read()
        if first is None:
            raise CaptureError("the camera gave no picture", "recording.camera_ended")
    except BaseException:
        if recorder is not None:
            recorder.abort()
        raise
    if recorder is None:
        recorder = make_recorder(*first.size)
    watcher = FaceWatcher(analyzer) if analyzer is not None else None
    encoder = _EncoderThread(recorder)
    result = RecordingResult(path=None)
    level = 0.0
    prev_ts = None
    audio_end = None
    try:
        recorder.start(first.timestamp)
        t0 = first.timestamp
        end_time = t0 + float(seconds)
        frame = first
        while True:
            if prev_ts is not None and frame.timestamp - prev_ts > 1.5 / fps:
                result.dropped_frames += int(round((frame.timestamp - prev_ts) * fps)) - 1
            prev_ts = frame.timestamp
            if encoder.full:
                result.truncated = True
                break
            encoder.put(frame)
            if watcher is not None:
                watcher.submit(frame)
            while True:
                chunk = microphone.read(timeout=0)
                if chunk is None:
                    break
                encoder.put(chunk)
                audio_end = chunk.timestamp + chunk.samples.shape[0] / chunk.rate
                level = level_of(chunk.samples)
            if on_progress is not None:
                n = watcher.latest() if watcher is not None else None
                warning = ("recording.face_left" if n == 0 else
                           "recording.second_face" if n is not None and n >= 2 else None)
                on_progress(RecordingProgress(frame.timestamp - t0, float(seconds), level, n, warning))
            if stop_event is not None and stop_event.is_set():
                result.stopped = True
                break
            if frame.timestamp + 1.0 / fps >= end_time - 0.5 / fps:
                break
            following = camera.read()
            if following is None:
                raise CaptureError("the camera stopped during the recording", "recording.camera_ended")
            frame = following
        if result.stopped and not keep_on_stop:
            encoder.close(raise_error=False)
            recorder.abort()
            if watcher is not None:
                watcher.stop()
            return result
        # the audio of the last frame is still in the microphone's buffers: wait for it
        video_end = prev_ts + 1.0 / fps
        deadline = now() + 1.0
        while (audio_end or t0) < video_end - 0.005 and now() < deadline:
            chunk = microphone.read(timeout=0.05)
            if chunk is not None:
                encoder.put(chunk)
                audio_end = chunk.timestamp + chunk.samples.shape[0] / chunk.rate
        encoder.close()
        if watcher is not None:
            watcher.stop()
        path = recorder.finish()
    except BaseException:
        encoder.close(raise_error=False)
        recorder.abort()
        if watcher is not None:
            watcher.stop()
        raise

    result.path = path
    result.bytes = recorder.bytes_written
    result.duration = recorder.duration
    result.frames = recorder.frames
    result.dropped_frames += recorder.dropped_frames
    audio = recorder.audio()
    result.audio_seconds = audio.size / OPUS_RATE
    result.speech = check_speech(audio, OPUS_RATE, settings)
    if watcher is not None:
        streaks = bad_streaks(watcher.observations, t0 + recorder.duration)
        result.face_checks = len(watcher.observations)
        result.face_absent_seconds = streaks["face_left"]
        result.multiple_faces_seconds = streaks["second_face"]
        result.extra["face_check_errors"] = watcher.errors
        if streaks["face_left"] > max_absent:
            result.retake_reason = "face_left"
        elif streaks["second_face"] > max_absent:
            result.retake_reason = "second_face"
        if result.retake_reason:
            result.instruction_key = f"recording.{result.retake_reason}"
    if result.retake_reason is None and not result.speech.ok:
        result.retake_reason = result.speech.failures[0]
        result.instruction_key = result.speech.instruction_key
    return result


__all__ = ["Recorder", "record_clip", "RecordingResult", "RecordingProgress", "FaceWatcher", "bad_streaks"]
