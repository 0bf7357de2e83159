"""Recordings are encrypted as they are written: the muxer writes into the media store through a
seekable writer, so no playable plaintext is ever on disk (wizard and ``kiosk record``), and a
``kiosk record`` killed half-way leaves nothing ffprobe can read."""
from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from capture_fakes import ScriptedCamera, ScriptedMicrophone, Sync, beep
from kiosk import paths
from kiosk.capture.base import Frame
from kiosk.capture.media_info import inspect_media
from kiosk.capture.recorder import Recorder, record_clip
from kiosk.core.media_store import MediaStore, recover_orphans

EBML = bytes.fromhex("1a45dfa3")


def _playable(path: Path) -> bool:
    """Whether FFmpeg finds the applicant's recording in ``path``: a WebM/Matroska container or a
    VP8/VP9/Opus stream (what the kiosk writes). FFmpeg's raw-stream probes take random bytes for
    a damaged stream now and then (an encrypted part once probed as raw H.263, "header damaged"),
    which is not a recording anyone can play back."""
    if not shutil.which("ffprobe"):
        pytest.skip("ffprobe is not installed")
    proc = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=format_name:stream=codec_name",
                           "-of", "compact", str(path)], capture_output=True, timeout=60, check=False)
    out = proc.stdout.decode("utf-8", "replace")
    return proc.returncode == 0 and ("matroska" in out or "webm" in out
                                     or any(f"codec_name={c}" in out for c in ("vp8", "vp9", "opus", "vorbis")))


# The first 32 bytes of that part: MAGIC, the chunk size 00 01 00 00 and a random file id whose
# first byte is 0x81, so "00 00 81" reads as an H.263 picture start code (1 file id in 64 does)
RAW_H263_CIPHERTEXT_HEAD = "4b494f534b4d533100010000810ac7aa1b5e75df70cbc98ce3e1e63b1dfeed37"


def test_playable_tells_a_recording_from_ciphertext_that_probes_as_a_raw_stream(tmp_path):
    """The check above against what it must tell apart: a real WebM, and the encrypted part a
    loaded CI run kept (FFmpeg probed it as raw H.263)."""
    clip = tmp_path / "clip.webm"
    made = subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=10", "-t",
                           "0.5", "-c:v", "libvpx", str(clip)], capture_output=True, check=False)
    if made.returncode != 0:
        pytest.skip("ffmpeg with libvpx is not available")
    assert _playable(clip)
    ciphertext = tmp_path / "record-x.kms.part"
    ciphertext.write_bytes(bytes.fromhex(RAW_H263_CIPHERTEXT_HEAD) + b"\0" * 1000)
    assert not _playable(ciphertext)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def test_writer_is_seekable_and_patches_sealed_chunks():
    with MediaStore(chunk_size=64) as store:
        rng = np.random.default_rng(1)
        for _ in range(50):
            writer, model = store.writer("x", "bin"), io.BytesIO()
            for _ in range(int(rng.integers(0, 25))):
                if rng.random() < 0.3:
                    pos = int(rng.integers(0, model.seek(0, io.SEEK_END) + 10))
                    writer.seek(pos)
                    model.seek(pos)
                data = rng.bytes(int(rng.integers(0, 200)))
                writer.write(data)
                model.write(data)
            assert store.get(writer.close()) == model.getvalue()


def test_recording_into_the_store_is_never_plaintext(tmp_path):
    sync = Sync(at=0.5)
    with MediaStore() as store:
        writer = store.writer("selfie_video", "webm", chunk_size=4096)  # 1.5 s of video is ~60 kB
        with ScriptedCamera(sync=sync) as cam, ScriptedMicrophone(beep(), sync) as mic:
            result = record_clip(cam, mic, 1.5, None, sink=writer)
        assert result.path is None and result.bytes > 10_000
        # on disk so far: the encrypted part file only, no WebM header anywhere in it
        on_disk = [p for p in store.folder.iterdir() if p.name != ".owner"]
        assert len(on_disk) == 1 and on_disk[0].name.endswith(".kms.part")
        assert on_disk[0].stat().st_size > 2 * 4096  # sealed frames are on disk before the end
        assert EBML not in on_disk[0].read_bytes() and not _playable(on_disk[0])
        ref = writer.close()
        assert EBML not in ref.path.read_bytes()
        clear = tmp_path / "clear.webm"
        clear.write_bytes(store.get(ref))
        info = inspect_media(clear)  # the muxer's seek back (duration, cues) reached the store
        assert info["valid_webm"] and abs(info["duration"] - 1.5) < 0.1, info
        clear.unlink()


def test_an_aborted_recording_into_the_store_leaves_nothing():
    with MediaStore() as store:
        writer = store.writer("selfie_video", "webm")
        rec = Recorder(None, 160, 120, 30, sink=writer)
        rec.start(1.0)
        for i in range(10):
            rec.add_frame(Frame(np.full((120, 160, 3), 40, np.uint8), 1.0 + i / 30))
        rec.abort()
        assert [p.name for p in store.folder.iterdir()] == [".owner"]


def test_record_killed_half_way_leaves_nothing_playable(tmp_path):
    out = tmp_path / "clip.webm"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    errors = open(tmp_path / "record.err", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen([sys.executable, "-m", "kiosk", "record", "--seconds", "20", "--out", str(out),
                             "--camera", "", "--microphone", "", "--no-checks"],
                            stdout=subprocess.DEVNULL, stderr=errors, env=env)
    try:
        media = paths.media_dir()
        deadline = time.monotonic() + 300  # a bound on a condition (a loaded machine), not a wait for time
        parts: list[Path] = []
        while time.monotonic() < deadline and proc.poll() is None:
            # 64 KiB chunks are sealed as the muxer writes: a few seconds in, a few are on disk
            parts = [p for p in media.rglob("*.kms.part") if _size(p) > 200_000]
            if parts:
                break
            time.sleep(0.05)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        errors.close()
    assert parts, f"the recording never reached 200 kB: {(tmp_path / 'record.err').read_text('utf-8', 'replace')[-2000:]}"
    left = [p for p in list(tmp_path.rglob("*")) + list(paths.home().rglob("*"))
            if p.is_file() and p.name != "record.err"]
    assert not out.exists() and not out.with_name(out.name + ".part").exists()
    assert any(p.name.endswith(".kms.part") for p in left)
    for p in left:
        assert not _playable(p), p
        assert EBML not in p.read_bytes(), p
    # the next start wipes what the killed process left (its key died with it)
    assert recover_orphans(media)
    assert not list(media.rglob("*.kms*"))
