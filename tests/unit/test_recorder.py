"""The WebM recorder: streams, codecs, durations, A/V sync, sizes, and no half-written files."""
from __future__ import annotations

import errno
import json
import shutil
import subprocess
import threading

import av
import numpy as np
import pytest

from capture_fakes import (FakeAnalyzer, ScriptedCamera, ScriptedMicrophone, Sync, VirtualMicrophone, beep)
from kiosk.capture.base import AudioChunk, CaptureError, Frame
from kiosk.capture.media_info import inspect_media, read_audio
from kiosk.capture.microphone import load_wav
from kiosk.capture.recorder import Recorder, bad_streaks, record_clip
from kiosk.config.settings import Settings
from kiosk.resources import resource


def ffprobe(path):
    if not shutil.which("ffprobe"):
        pytest.skip("ffprobe is not installed")
    out = subprocess.run(["ffprobe", "-v", "error", "-show_streams", "-show_format", "-of", "json", str(path)],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def video_frames(path):
    with av.open(str(path)) as c:
        return [(float(f.pts * f.time_base), float(f.to_ndarray(format="gray").mean())) for f in c.decode(video=0)]


def rms_dbfs(x):
    return 20 * np.log10(max(float(np.sqrt(np.mean(np.square(x, dtype=np.float64)))), 1e-9))


def test_recording_has_vp8_and_opus_in_sync(tmp_path):
    """A white flash and a beep at the same monotonic moment land within 40 ms of each other."""
    sync = Sync(at=1.0)
    out = tmp_path / "clip.webm"
    with ScriptedCamera(sync=sync) as cam, ScriptedMicrophone(beep(), sync) as mic:
        result = record_clip(cam, mic, 2.0, out)
    assert result.path == out and out.exists() and result.bytes == out.stat().st_size
    assert [p.name for p in tmp_path.iterdir()] == ["clip.webm"]  # no temp file left
    assert abs(result.duration - 2.0) < 0.05 and result.dropped_frames == 0
    assert abs(result.audio_seconds - result.duration) < 0.005

    # PyAV
    with av.open(str(out)) as c:
        assert [s.type for s in c.streams] == ["video", "audio"]
        v, a = c.streams.video[0], c.streams.audio[0]
        assert (v.codec_context.name, a.codec_context.name) == ("vp8", "opus")
        assert (v.codec_context.width, v.codec_context.height) == (640, 480)
        assert a.codec_context.sample_rate == 48000
    # ffprobe
    probe = ffprobe(out)
    assert "webm" in probe["format"]["format_name"]
    streams = {s["codec_type"]: s for s in probe["streams"]}
    assert len(probe["streams"]) == 2
    assert streams["video"]["codec_name"] == "vp8" and streams["audio"]["codec_name"] == "opus"
    assert abs(float(probe["format"]["duration"]) - 2.0) < 0.1
    starts = [float(s["start_time"]) for s in probe["streams"]]
    assert abs(starts[0] - starts[1]) < 0.040

    # the flash in the picture and the beep in the sound
    frames = video_frames(out)
    flash_v = next(t for t, mean in frames if mean > 200)
    samples, rate, first = read_audio(out)
    onset = int(np.argmax(np.abs(samples) > 0.1))
    flash_a = first + onset / rate
    assert abs(flash_v - 1.0) < 0.05
    assert abs(flash_a - flash_v) < 0.040, (flash_a, flash_v)
    # silence where nothing was played, energy where the beep was
    assert rms_dbfs(samples[int(0.2 * rate): int(0.8 * rate)]) < -60
    assert rms_dbfs(samples[int((flash_a + 0.03) * rate): int((flash_a + 0.17) * rate)]) > -15
    assert rms_dbfs(samples[int((flash_a + 0.4) * rate):]) < -60

    info = inspect_media(out)
    assert info["valid_webm"] and info["problems"] == []
    assert abs(info["av_offset_ms"]) < 40


def test_speech_is_heard_where_it_was_played(tmp_path):
    speech = load_wav(resource("sounds", "speech_fa.wav"), 48000)[: 48000 * 3]

    def signal(t):
        idx = np.round(t * 48000).astype(int)
        ok = (idx >= 0) & (idx < 48000)  # one second of speech from the sync moment
        out = np.zeros(t.shape, np.float32)
        out[ok] = speech[idx[ok] + 67200]  # 1.4-2.4 s of the file: one long voiced stretch
        return out

    sync = Sync(at=0.5)
    out = tmp_path / "speech.webm"
    with ScriptedCamera(sync=sync, flash=0.0) as cam, ScriptedMicrophone(signal, sync) as mic:
        result = record_clip(cam, mic, 2.5, out)
    samples, rate, first = read_audio(out)
    start = 0.5 - first
    assert rms_dbfs(samples[: int((start - 0.05) * rate)]) < -60  # before: silence
    assert rms_dbfs(samples[int((start + 0.05) * rate): int((start + 0.95) * rate)]) > -35  # speech
    assert rms_dbfs(samples[int((start + 1.1) * rate):]) < -60  # after: silence
    assert result.speech is not None and result.speech.voiced_seconds > 0.6
    # the voice activity of the decoded file lies where the speech was played
    from kiosk.capture.speech import FRAME_SECONDS, voice_activity
    voiced = np.flatnonzero(voice_activity(samples, rate)) * FRAME_SECONDS
    assert voiced.size and voiced.min() >= start - 0.03 and voiced.max() <= start + 1.03


def test_vp9_recording(tmp_path):
    out = tmp_path / "v9.webm"
    rec = Recorder(out, 320, 240, 30, codec="vp9")
    rec.start(100.0)
    for i in range(15):
        rec.add_frame(Frame(np.full((240, 320, 3), i * 10, np.uint8), 100.0 + i / 30, i))
        rec.add_audio(AudioChunk(np.full((1600, 1), 0.1, np.float32), 100.0 + i / 30, 48000))
    rec.finish()
    info = inspect_media(out)
    assert info["valid_webm"]
    assert [s["codec"] for s in info["streams"]] == ["vp9", "opus"]


def test_variable_frame_timing_and_duplicates(tmp_path):
    """pts follow the timestamps (gaps kept, not squeezed); a frame that does not advance is dropped."""
    out = tmp_path / "vfr.webm"
    rec = Recorder(out, 160, 120, 30)
    stamps = [10.0, 10.033, 10.033, 10.2, 10.233]
    for i, ts in enumerate(stamps):
        rec.add_frame(Frame(np.full((120, 160, 3), 50, np.uint8), ts, i))
    assert rec.frames == 4 and rec.dropped_frames == 1
    rec.finish()
    pts = [round(t, 3) for t, _ in video_frames(out)]
    assert pts == [0.0, 0.033, 0.2, 0.233]


def test_audio_anchored_trimmed_and_gap_filled(tmp_path):
    rec = Recorder(tmp_path / "a.webm", 160, 120, 30)
    rec.start(50.0)
    ramp = np.arange(4800, dtype=np.float32).reshape(-1, 1) / 48000
    rec.add_audio(AudioChunk(ramp, 49.95, 48000))  # starts 50 ms before t0: first 2400 cut
    rec.add_audio(AudioChunk(np.full((960, 1), 0.5, np.float32), 50.15, 48000))  # 100 ms gap: silence
    rec.add_audio(AudioChunk(np.full((960, 1), 0.25, np.float32), 50.155, 48000))  # overlaps 15 ms: jitter, kept
    audio = rec.audio()
    assert audio[0] == pytest.approx(2400 / 48000)
    assert audio[2399] == pytest.approx(4799 / 48000)
    assert np.all(audio[2400:7200] == 0)  # 50.05 .. 50.15
    assert np.all(audio[7200:8160] == 0.5) and np.all(audio[8160:9120] == 0.25)
    rec.abort()
    assert list(tmp_path.iterdir()) == []


def test_audio_stereo_and_44100_converted(tmp_path):
    rec = Recorder(tmp_path / "s.webm", 160, 120, 30)
    rec.start(0.0)
    rec.add_audio(AudioChunk(np.full((4410, 2), 0.2, np.float32), 0.0, 44100))
    assert rec.audio().size == pytest.approx(4800, abs=2)
    rec.abort()


def test_abort_and_exceptions_leave_no_file(tmp_path):
    rec = Recorder(tmp_path / "x.webm", 160, 120, 30)
    rec.add_frame(Frame(np.zeros((120, 160, 3), np.uint8), 1.0))
    assert len(list(tmp_path.iterdir())) == 1  # the hidden temp file while recording
    rec.abort()
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(RuntimeError):
        with Recorder(tmp_path / "y.webm", 160, 120, 30) as rec2:
            rec2.add_frame(Frame(np.zeros((120, 160, 3), np.uint8), 1.0))
            raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []


def test_unwritable_folder_gives_capture_error(tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    with pytest.raises(CaptureError) as err:
        Recorder(blocker / "clip.webm", 160, 120, 30)
    assert err.value.message_key == "recording.write_failed"
    with pytest.raises(CaptureError):
        Recorder(tmp_path / "missing" / "clip.webm", 160, 120, 30)
    assert [p.name for p in tmp_path.iterdir()] == ["not-a-dir"]


class _FullDisk:
    """Wraps the PyAV container: every mux fails as on a full disk."""

    def __init__(self, real):
        self.real = real

    def mux(self, packet):
        raise OSError(errno.ENOSPC, "No space left on device")

    def close(self):
        self.real.close()


def test_disk_full_mid_recording_removes_partial_file(tmp_path):
    rec = Recorder(tmp_path / "full.webm", 160, 120, 30)
    rec._container = _FullDisk(rec._container)
    with pytest.raises(CaptureError) as err:
        for i in range(30):
            rec.add_frame(Frame(np.random.default_rng(i).integers(0, 255, (120, 160, 3), np.uint8), 1 + i / 30, i))
    assert err.value.message_key == "recording.disk_full"
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(CaptureError):
        rec.finish()


def test_size_kept_within_max_bytes(tmp_path):
    out = tmp_path / "big.webm"
    rec = Recorder(out, 640, 480, 30, video_bitrate=8_000_000, max_bytes=1_000_000)
    rng = np.random.default_rng(0)
    accepted = 0
    for i in range(60):
        accepted += rec.add_frame(Frame(rng.integers(0, 255, (480, 640, 3), np.uint8), i / 30, i))
    assert rec.full and accepted < 60
    rec.finish()
    assert accepted >= 2 and out.stat().st_size <= 1_000_000


def test_bitrate_capped_by_planned_length(tmp_path):
    rec = Recorder(tmp_path / "c.webm", 640, 480, 30, video_bitrate=5_000_000, max_bytes=1_000_000, seconds=10)
    assert rec.video_bitrate <= 1_000_000 * 8 * 0.85 / 10
    rec.abort()


def test_bad_streaks():
    obs = [(0.0, 1), (0.1, 0), (0.2, 0), (0.7, 1), (0.8, 2), (0.9, 1), (1.0, 0)]
    s = bad_streaks(obs, end_time=1.3)
    assert s["face_left"] == pytest.approx(0.6)
    assert s["second_face"] == pytest.approx(0.1)


def _faces_schedule(spans):
    def faces(t):
        for a, b, n in spans:
            if a <= t < b:
                return n
        return 1
    return faces


@pytest.mark.parametrize("spans, reason", [
    ([(1.0, 2.0, 0)], "face_left"),
    ([(1.0, 1.9, 2)], "second_face"),
    ([(1.0, 1.2, 0), (2.0, 2.2, 2)], None),  # short moments are tolerated
])
def test_face_checks_during_recording(tmp_path, spans, reason):
    cam = ScriptedCamera(realtime=False, sleep=0.004, faces=_faces_schedule(spans), width=320, height=240)
    mic = VirtualMicrophone(cam)
    analyzer = FakeAnalyzer()
    progress = []
    result = record_clip(cam, mic, 3.0, tmp_path / "f.webm", analyzer=analyzer, on_progress=progress.append)
    assert result.face_checks >= 30 and analyzer.calls == result.face_checks
    speech_failure = None if result.speech.ok else result.speech.failures[0]
    assert result.retake_reason == (reason or speech_failure)
    if reason:
        assert result.instruction_key == f"recording.{reason}"
    assert progress[-1].fraction > 0.95
    assert all(b.elapsed >= a.elapsed for a, b in zip(progress, progress[1:], strict=False))
    if reason == "face_left":
        assert any(p.warning_key == "recording.face_left" for p in progress)
    result.path.unlink()


def test_stop_on_demand_deletes_the_clip(tmp_path):
    cam = ScriptedCamera(realtime=False, width=320, height=240)
    stop = threading.Event()

    def on_progress(p):
        if p.elapsed >= 0.5:
            stop.set()

    result = record_clip(cam, VirtualMicrophone(cam), 3.0, tmp_path / "s.webm", on_progress=on_progress,
                         stop_event=stop)
    assert result.stopped and result.path is None
    assert list(tmp_path.iterdir()) == []


def test_microphone_lost_mid_recording(tmp_path):
    cam = ScriptedCamera(realtime=False, width=320, height=240)
    with pytest.raises(CaptureError) as err:
        record_clip(cam, VirtualMicrophone(cam, fail_after=20), 2.0, tmp_path / "m.webm")
    assert err.value.message_key == "microphone.lost"
    assert list(tmp_path.iterdir()) == []


def test_settings_codec_and_size_used_by_record_clip(tmp_path):
    cam = ScriptedCamera(realtime=False, width=320, height=240)
    settings = Settings({"recording.codec": "vp9"})
    result = record_clip(cam, VirtualMicrophone(cam), 1.0, tmp_path / "v.webm", settings=settings)
    assert inspect_media(result.path)["streams"][0]["codec"] == "vp9"
    assert abs(result.duration - 1.0) < 0.05
