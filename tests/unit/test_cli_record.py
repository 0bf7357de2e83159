"""``kiosk record`` and ``kiosk inspect`` end to end (in-process, and one real subprocess)."""
from __future__ import annotations

import json
import subprocess
import sys
import types

import pytest
import soundfile as sf
import numpy as np

from capture_fakes import ScriptedCamera
from kiosk.__main__ import main


@pytest.fixture
def scripted_camera(monkeypatch):
    """``open_camera`` gives a paced scripted camera (the real camera module may not exist yet)."""
    def open_camera(spec="", width=640, height=480, fps=30.0):
        return ScriptedCamera(fps=fps, width=width, height=height)

    try:
        import kiosk.capture.camera as real
        monkeypatch.setattr(real, "open_camera", open_camera)
    except ImportError:
        fake = types.ModuleType("kiosk.capture.camera")
        fake.open_camera = open_camera
        monkeypatch.setitem(sys.modules, "kiosk.capture.camera", fake)


def run_cli(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr().out.strip().splitlines()
    return code, json.loads(out[-1])


def test_record_prints_summary_and_inspect_agrees(tmp_path, capsys, scripted_camera):
    out = tmp_path / "clip.webm"
    code, summary = run_cli(capsys, "record", "--seconds", "1.5", "--out", str(out), "--camera", "simulated",
                            "--microphone", "simulated", "--no-checks")
    assert code == 0, summary
    assert summary["path"] == str(out) and summary["bytes"] == out.stat().st_size
    assert abs(summary["duration"] - 1.5) < 0.06
    assert summary["speech"]["ok"] is True and summary["retake_reason"] is None
    assert summary["microphone"]["kind"] == "simulated"
    assert summary["media"]["valid_webm"] is True
    assert [s["codec"] for s in summary["media"]["streams"]] == ["vp8", "opus"]

    code, info = run_cli(capsys, "inspect", str(out))
    assert code == 0
    assert info["container"] == "matroska,webm" and info["doc_type"] == "webm"
    kinds = {s["type"]: s for s in info["streams"]}
    assert kinds["video"]["width"] == 640 and kinds["video"]["fps"] == 30
    assert kinds["audio"]["sample_rate"] == 48000 and kinds["audio"]["channels"] == 1
    assert abs(kinds["video"]["duration"] - 1.5) < 0.06 and abs(kinds["audio"]["duration"] - 1.5) < 0.06
    assert abs(info["av_offset_ms"]) < 40 and info["has_audio"]
    assert -40 < info["audio_rms_dbfs"] < -6


def test_record_with_silent_microphone_asks_for_a_retake(tmp_path, capsys, scripted_camera):
    out = tmp_path / "quiet.webm"
    code, summary = run_cli(capsys, "record", "--seconds", "1", "--out", str(out), "--microphone", "silent",
                            "--no-checks", "--codec", "vp9")
    assert code == 1
    assert summary["retake_reason"] == "not_heard" and summary["speech"]["ok"] is False
    assert summary["sentence"]["en"].startswith("We did not hear you")
    assert [s["codec"] for s in summary["media"]["streams"]] == ["vp9", "opus"]
    out.unlink()


def test_record_into_a_bad_folder_fails_cleanly(tmp_path, capsys, scripted_camera):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, summary = run_cli(capsys, "record", "--seconds", "1", "--out", str(blocker / "c.webm"),
                            "--microphone", "silent", "--no-checks")
    assert code == 2 and summary["message_key"] == "recording.write_failed"
    assert summary["sentence"]["fa"] and summary["sentence"]["en"]
    assert [p.name for p in tmp_path.iterdir()] == ["file"]


def test_inspect_rejects_what_is_not_a_webm_with_audio(tmp_path, capsys):
    wav = tmp_path / "a.wav"
    sf.write(wav, np.zeros(4800, np.float32), 48000)
    code, info = run_cli(capsys, "inspect", str(wav))
    assert code == 1 and info["valid_webm"] is False and info["problems"]
    code, info = run_cli(capsys, "inspect", str(tmp_path / "missing.webm"))
    assert code == 1 and "cannot read" in info["problems"][0]
    junk = tmp_path / "junk.webm"
    junk.write_bytes(bytes(range(256)) * 8)
    code, info = run_cli(capsys, "inspect", str(junk))
    # FFmpeg's sentence, not its raw errno and the path again
    assert code == 1 and info["problems"] == ["not a media file (Invalid data found when processing input)"]
    # a WebM with video only, made with ffmpeg, fails as a real subprocess too
    ffmpeg = subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=10",
                             "-t", "0.5", "-c:v", "libvpx", str(tmp_path / "v.webm")], capture_output=True)
    if ffmpeg.returncode != 0:
        pytest.skip("ffmpeg with libvpx is not available")
    proc = subprocess.run([sys.executable, "-m", "kiosk", "inspect", str(tmp_path / "v.webm")],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    info = json.loads(proc.stdout)
    assert info["has_video"] and not info["has_audio"]
    assert "0 audio streams (expected 1)" in info["problems"]


def test_record_with_the_real_simulated_camera_and_face_checks(tmp_path, capsys):
    pytest.importorskip("kiosk.capture.camera")
    out = tmp_path / "real.webm"
    code, summary = run_cli(capsys, "record", "--seconds", "2", "--out", str(out))
    assert summary.get("path") == str(out), summary
    assert summary["media"]["valid_webm"] and summary["speech"]["ok"]
    if summary["face_checks_status"] == "on":
        assert summary["face_checks"] > 10
        assert summary["retake_reason"] is None and code == 0
    out.unlink()
