"""What is in a media file, as plain data (PyAV; no Qt, no ffprobe needed). Used by
``kiosk inspect`` and by the sandbox broker to judge an uploaded video as the real broker would.

``inspect_media(path)`` returns a dict: container, size, duration, per-stream facts (type, codec,
width, height, fps, sample_rate, channels, duration, start_time), the A/V start offset in ms
(first decoded audio sample minus first decoded picture; Opus' encoder delay is already removed
by the decoder), the audio level (RMS and peak in dBFS), ``valid_webm`` (a WebM with exactly one
VP8/VP9 video and one Opus/Vorbis audio stream) and the ``problems`` that make it invalid.
"""
from __future__ import annotations

import math
import stat
from pathlib import Path
from typing import Any

import av
import numpy as np

MAX_BYTES = 64 * 1024 * 1024  # the kiosk's own videos are at most recording.max_bytes (8 MB)
MAX_PACKETS = 50_000  # about 10 minutes of 30 fps video with 20 ms audio packets
WEBM_VIDEO = {"vp8", "vp9", "av1"}
WEBM_AUDIO = {"opus", "vorbis"}
_NAMES = {"libvpx": "vp8", "libvpx-vp9": "vp9", "libopus": "opus", "libvorbis": "vorbis", "libdav1d": "av1",
          "libaom-av1": "av1"}


def _dbfs(x: float) -> float:
    return round(20 * math.log10(x), 2) if x > 1e-6 else -120.0


def _seconds(value, time_base) -> float | None:
    if value is None or time_base is None:
        return None
    return float(value * time_base)


def read_audio(path: str | Path, stream_index: int = 0, max_seconds: float | None = None
               ) -> tuple[np.ndarray, int, float | None]:
    """Decode an audio stream to mono float32. Returns (samples, rate, time of first sample)."""

    with av.open(str(path)) as container:
        if not container.streams.audio:
            return np.zeros(0, np.float32), 0, None
        stream = container.streams.audio[stream_index]
        rate = stream.codec_context.sample_rate or 48000
        resampler = av.AudioResampler(format="flt", layout="mono", rate=rate)
        parts, first, total = [], None, 0
        for frame in container.decode(stream):
            if first is None and frame.pts is not None and frame.time_base is not None:
                first = float(frame.pts * frame.time_base)
            for out in resampler.resample(frame):
                arr = out.to_ndarray().reshape(-1)
                parts.append(arr)
                total += arr.size
            if max_seconds is not None and total >= max_seconds * rate:
                break
        for out in resampler.resample(None):
            parts.append(out.to_ndarray().reshape(-1))
    samples = np.concatenate(parts).astype(np.float32) if parts else np.zeros(0, np.float32)
    return samples, int(rate), first


def ebml_doc_type(path: str | Path) -> str | None:
    """The EBML DocType of a Matroska file ("webm" or "matroska"), None when not EBML."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(64)
    except OSError:
        return None
    if not head.startswith(b"\x1a\x45\xdf\xa3"):
        return None
    at = head.find(b"\x42\x82")
    if at < 0 or at + 3 > len(head):
        return None
    size_byte = head[at + 2]
    if not size_byte & 0x80:  # only the one-byte size form occurs in practice
        return None
    size = size_byte & 0x7F
    return head[at + 3: at + 3 + size].decode("ascii", "replace")


def inspect_media(path: str | Path, decode_audio: bool = True, max_bytes: int = MAX_BYTES,  # noqa: C901 - one linear pass of independent probes, each adding to one report
                  max_packets: int = MAX_PACKETS) -> dict:
    """Facts about the media file at ``path`` (never raises for a bad file: see ``problems``).
    Bounded: a file that is not a regular file (FIFO, device) or larger than ``max_bytes`` is
    not opened; demuxing and decoding stop after ``max_packets``. A file whose streams end
    before its declared duration, or that does not decode to the end, is not valid."""
    import av  # noqa: PLC0415 - FFmpeg's libraries load only when a file is inspected

    path = Path(path)
    info: dict = {"path": str(path), "bytes": None, "container": None, "duration": None, "streams": [],
                  "has_video": False, "has_audio": False, "av_offset_ms": None,
                  "audio_rms_dbfs": None, "audio_peak_dbfs": None, "valid_webm": False, "problems": []}
    problems: list[str] = info["problems"]
    try:
        st = path.stat()
    except OSError as exc:
        problems.append(f"cannot read the file: {exc.strerror or exc}")
        return info
    if not stat.S_ISREG(st.st_mode):  # a FIFO or a device would block or never end
        problems.append("not a regular file (a FIFO, device or folder is not read)")
        return info
    info["bytes"] = st.st_size
    if st.st_size > max_bytes:
        problems.append(f"the file has {st.st_size} bytes, more than {max_bytes}: not read")
        return info
    try:
        container = av.open(str(path))
    except Exception as exc:  # noqa: BLE001 - any PyAV/FFmpeg error means not a media file: reported, not raised
        # FFmpeg's own words without its errno and the path again: "Invalid data found when
        # processing input" tells the IT person what they need
        reason = getattr(exc, "strerror", None) or str(exc)
        problems.append(f"not a media file ({reason})")
        return info
    first_video = first_audio = None
    with container:
        info["container"] = container.format.name
        if container.duration is not None:
            info["duration"] = round(container.duration / 1_000_000, 3)
        first_pts: dict[int, float] = {}
        last_end: dict[int, float] = {}
        frames: dict[int, int] = {}
        try:
            for count, packet in enumerate(container.demux()):
                if count >= max_packets:
                    problems.append(f"more than {max_packets} packets: not read to the end")
                    break
                if packet.pts is None or packet.stream.time_base is None:
                    continue
                i = packet.stream.index
                t = float(packet.pts * packet.stream.time_base)
                d = float((packet.duration or 0) * packet.stream.time_base)
                first_pts[i] = min(first_pts.get(i, t), t)
                last_end[i] = max(last_end.get(i, t + d), t + d)
                frames[i] = frames.get(i, 0) + 1
        except Exception as exc:  # noqa: BLE001 - a damaged file raises any FFmpeg error: reported in problems
            problems.append(f"damaged file: {exc}")
        for s in container.streams:
            cc = s.codec_context
            name = getattr(cc, "name", None) or "unknown"
            entry: dict[str, Any] = {"index": s.index, "type": s.type, "codec": _NAMES.get(name, name),
                     "start_time": None, "duration": None, "packets": frames.get(s.index, 0)}
            if s.index in first_pts:
                entry["start_time"] = round(first_pts[s.index], 4)
                entry["duration"] = round(last_end[s.index] - first_pts[s.index], 4)
            elif s.start_time is not None:
                entry["start_time"] = _seconds(s.start_time, s.time_base)
            tag = (s.metadata or {}).get("DURATION")
            if tag:
                entry["duration_tag"] = tag
            if s.type == "video" and isinstance(cc, av.VideoCodecContext):
                entry.update(width=cc.width, height=cc.height,
                             fps=round(float(s.average_rate), 3) if s.average_rate else None)
                if entry["duration"] and frames.get(s.index):
                    entry["measured_fps"] = round(frames[s.index] / entry["duration"], 3)
            elif s.type == "audio" and isinstance(cc, av.AudioCodecContext):
                entry.update(sample_rate=cc.sample_rate, channels=cc.channels)
            info["streams"].append(entry)
    videos = [s for s in info["streams"] if s["type"] == "video"]
    audios = [s for s in info["streams"] if s["type"] == "audio"]
    info["has_video"], info["has_audio"] = bool(videos), bool(audios)

    if videos:
        decoded = 0
        try:  # to the end (bounded): a file that stops decoding half-way is damaged
            with av.open(str(path)) as c:
                for frame in c.decode(video=0):
                    if decoded == 0:
                        first_video = (float(frame.pts * frame.time_base)
                                       if frame.pts is not None and frame.time_base is not None else None)
                    decoded += 1
                    if decoded >= max_packets:
                        break
        except Exception as exc:  # noqa: BLE001 - any decoder error is reported in problems
            problems.append(f"video cannot be decoded to the end: {exc}")
        if decoded == 0 and videos[0]["packets"]:
            problems.append("no video frame decodes")
    if audios and decode_audio:
        try:
            samples, _rate, first_audio = read_audio(path, max_seconds=600)
            if samples.size:
                info["audio_rms_dbfs"] = _dbfs(float(np.sqrt(np.mean(np.square(samples, dtype=np.float64)))))
                info["audio_peak_dbfs"] = _dbfs(float(np.max(np.abs(samples))))
                info["audio_seconds"] = round(samples.size / _rate, 3)
        except Exception as exc:  # noqa: BLE001 - any decoder error is reported in problems
            problems.append(f"audio cannot be decoded: {exc}")
    if first_video is not None and first_audio is not None:
        info["av_offset_ms"] = round((first_audio - first_video) * 1000, 1)
    elif videos and audios and videos[0]["start_time"] is not None and audios[0]["start_time"] is not None:
        info["av_offset_ms"] = round((audios[0]["start_time"] - videos[0]["start_time"]) * 1000, 1)

    declared = info["duration"]
    ends = [s["start_time"] + s["duration"] for s in videos + audios
            if s["start_time"] is not None and s["duration"] is not None]
    if declared and ends and min(ends) < declared - max(0.5, 0.05 * declared):
        problems.append(f"the streams end at {min(ends):.2f} s, before the declared duration {declared:.2f} s "
                        "(a cut or damaged file)")
    info["doc_type"] = ebml_doc_type(path)
    if info["container"] is None or "webm" not in info["container"] or info["doc_type"] != "webm":
        problems.append(f"not a WebM container ({info['container']}, doc type {info['doc_type']})")
    if len(videos) != 1:
        problems.append(f"{len(videos)} video streams (expected 1)")
    elif videos[0]["codec"] not in WEBM_VIDEO:
        problems.append(f"video codec {videos[0]['codec']} is not allowed in WebM")
    elif not videos[0]["packets"]:
        problems.append("the video stream is empty")
    if len(audios) != 1:
        problems.append(f"{len(audios)} audio streams (expected 1)")
    elif audios[0]["codec"] not in WEBM_AUDIO:
        problems.append(f"audio codec {audios[0]['codec']} is not allowed in WebM")
    elif not audios[0]["packets"]:
        problems.append("the audio stream is empty")
    info["valid_webm"] = not problems
    return info


def is_valid_webm(path: str | Path) -> bool:
    return inspect_media(path, decode_audio=False)["valid_webm"]


__all__ = ["inspect_media", "read_audio", "is_valid_webm"]
