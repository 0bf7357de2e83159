"""Bounded inputs: image size read from the header before decoding (the 30000x30000 PNG bomb,
peak memory of ``kiosk check`` under 1 GB), ``kiosk inspect`` on a cut WebM, a FIFO, a huge
file; non-finite settings refused."""
from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import numpy as np
import pytest

from kiosk.config.settings import Settings, SettingsError
from kiosk.quality.image_limits import ImageRefused, check_image_bytes, decode_image, image_size
from kiosk.cvcompat import cv2
from kiosk.sandbox.media import MediaError
from kiosk.sandbox.media import decode_image as sandbox_decode


def png_bomb(path: Path, side: int = 30000) -> Path:
    """A valid ``side``x``side`` 8-bit grey PNG of zeros, written row by row (never in memory)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    z = zlib.compressobj(9)
    row = bytes(side + 1)
    with open(path, "wb") as fh:
        fh.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)))
        out = bytearray()
        for _ in range(side):
            out += z.compress(row)
            if len(out) > 1 << 20:
                fh.write(chunk(b"IDAT", bytes(out)))
                out.clear()
        out += z.flush()
        fh.write(chunk(b"IDAT", bytes(out)) + chunk(b"IEND", b""))
    return path


@pytest.mark.parametrize("ext,shape", [(".png", (40, 30, 3)), (".jpg", (41, 33, 3)), (".bmp", (20, 10, 3)),
                                       (".webp", (24, 16, 3)), (".tiff", (12, 9, 3)), (".pgm", (7, 5))])
def test_header_sizes_match_what_opencv_decodes(ext, shape):
    ok, buf = cv2.imencode(ext, np.full(shape, 90, np.uint8))
    assert ok
    assert image_size(buf.tobytes()) == (shape[1], shape[0])
    assert decode_image(buf.tobytes()).shape[:2] == shape[:2]


def test_bomb_and_garbage_are_refused_before_decoding(tmp_path):
    head = png_bomb(tmp_path / "bomb.png", side=30000).read_bytes()[:4096]
    with pytest.raises(ImageRefused) as info:
        check_image_bytes(head)
    assert info.value.key == "image.too_large" and "30000" in info.value.sentence("en")
    assert "۳۰۰۰۰" in info.value.sentence("fa") or "30000" in info.value.sentence("fa")
    for junk in (b"", b"not a picture", b"\x89PNG\r\n\x1a\n" + b"\0" * 40, b"\xff\xd8\xff\xe0\x00\x10JFIF"):
        with pytest.raises(ImageRefused) as info:
            decode_image(junk)
        assert info.value.key == "image.unreadable"
    with pytest.raises(MediaError) as err:
        sandbox_decode((tmp_path / "bomb.png").read_bytes(), "png")
    assert err.value.code == 1101 and "too large" in str(err.value)


def test_kiosk_check_on_a_30000x30000_png_stays_under_1_gb(tmp_path):
    bomb = png_bomb(tmp_path / "bomb.png")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    # the process's own high-water mark (VmHWM of its memory after exec), printed at exit: the
    # rusage of a child also counts the memory of the parent it was forked from (pytest's)
    code = ("import atexit, runpy, sys\n"
            "def hwm():\n"
            "    for line in open('/proc/self/status'):\n"
            "        if line.startswith('VmHWM:'):\n"
            "            print('VmHWM', line.split()[1], file=sys.stderr)\n"
            "atexit.register(hwm)\n"
            f"sys.argv = ['kiosk', 'check', {str(bomb)!r}]\n"
            "runpy.run_module('kiosk', run_name='__main__')\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
    peak_mb = int(next(line.split()[1] for line in proc.stderr.splitlines() if line.startswith("VmHWM"))) / 1024
    line = json.loads(proc.stdout.strip().splitlines()[-1])
    assert proc.returncode == 2 and line["failures"] == ["unreadable"] and "30000x30000" in line["error"]
    assert peak_mb < 1024, f"peak RSS {peak_mb:.0f} MB"


def test_non_finite_settings_are_refused():
    for bad in ("nan", "inf", "-inf", float("nan")):
        with pytest.raises(SettingsError) as info:
            Settings({"broker.timeout": bad})
        assert "finite" in str(info.value) and info.value.sentence("fa")


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    from capture_fakes import ScriptedCamera, ScriptedMicrophone, Sync, beep
    from kiosk.capture.recorder import record_clip

    path = tmp_path_factory.mktemp("clip") / "clip.webm"
    sync = Sync(at=0.5)
    with ScriptedCamera(sync=sync) as cam, ScriptedMicrophone(beep(), sync) as mic:
        record_clip(cam, mic, 3.0, path)
    yield path
    path.unlink()


def _inspect(*argv: str) -> tuple[int, dict]:
    proc = subprocess.run([sys.executable, "-m", "kiosk", "inspect", *argv], capture_output=True, timeout=120,
                          check=False)
    return proc.returncode, json.loads(proc.stdout.decode().strip().splitlines()[-1])


def test_a_webm_cut_in_half_is_invalid(clip, tmp_path):
    from kiosk.capture.media_info import inspect_media

    assert inspect_media(clip)["valid_webm"]
    cut = tmp_path / "cut.webm"
    data = clip.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    info = inspect_media(cut)
    assert not info["valid_webm"]
    assert any("before the declared duration" in p or "decoded" in p for p in info["problems"]), info["problems"]


def test_inspect_refuses_a_fifo_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.webm"
    os.mkfifo(fifo)
    code, info = _inspect(str(fifo))  # no writer ever opens it: reading it would block for ever
    assert code == 1 and "not a regular file" in info["problems"][0]


def test_inspect_caps_size_and_packets(clip, tmp_path):
    from kiosk.capture.media_info import inspect_media

    big = tmp_path / "big.webm"
    with open(big, "wb") as fh:  # sparse: 5 GB that take no disk
        fh.truncate(5 * 1024 ** 3)
    code, info = _inspect(str(big))
    assert code == 1 and "more than" in info["problems"][0]
    info = inspect_media(clip, max_packets=20)
    assert not info["valid_webm"] and any("packets" in p for p in info["problems"])


def test_a_fresh_demo_install_passes_its_own_selftest():
    from kiosk import paths
    from kiosk.selftest import passed, run_selftest

    assert not (paths.sandbox_dir() / "credentials.json").exists()  # the wizard never ran
    results = run_selftest(Settings({}), checks=("settings", "keys", "broker", "recovery"))
    assert passed(results), [r.text("en") for r in results if r.failed]
    assert {r.name for r in results if r.ok} == {"settings", "keys", "recovery"}
