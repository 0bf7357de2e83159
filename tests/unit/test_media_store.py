"""The encrypted media store: round trips, encryption on disk, tampering, streaming, wiping,
orphan recovery."""
from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
import tracemalloc
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from kiosk import paths
from kiosk.core import media_store as ms
from kiosk.core.media_store import MediaStore, MediaStoreError, recover_orphans

MARKER = b"PLAINTEXT-MARKER-0123456789"


@pytest.fixture
def store():
    s = MediaStore(chunk_size=64)
    try:
        yield s
    finally:
        s.wipe()


def all_bytes_under(root: Path) -> bytes:
    return b"".join(p.read_bytes() for p in root.rglob("*") if p.is_file())


@pytest.mark.parametrize("n", [0, 1, 63, 64, 65, 128, 129, 1000])
def test_round_trip_at_chunk_boundaries(store, n):
    data = os.urandom(n)
    ref = store.put("selfie", data, "jpeg")
    assert ref.size == n and ref.step == "selfie" and ref.kind == "jpeg"
    assert store.get(ref) == data
    assert b"".join(store.iter_chunks(ref)) == data
    with store.open(ref) as fh:
        assert fh.read() == data
        fh.seek(max(0, n - 70))
        assert fh.read(10) == data[max(0, n - 70):max(0, n - 70) + 10]
        assert fh.seek(0, os.SEEK_END) == n


def test_streaming_writer_equals_put(store):
    data = os.urandom(5000)
    with store.writer("selfie_video", "webm") as w:
        for i in range(0, len(data), 7):
            w.write(data[i:i + 7])
    ref = w.ref
    assert store.get(ref) == data
    big = store.writer("x", "bin")
    big.write(data)  # one write of many chunks
    assert store.get(big.close()) == data


def test_files_are_encrypted_private_and_in_the_media_dir(store):
    data = MARKER * 200
    ref = store.put("id_front", data, "png")
    assert ref.path.parent.parent == paths.media_dir()
    raw = ref.path.read_bytes()
    assert MARKER not in raw and MARKER[:12] not in raw
    assert stat.S_IMODE(ref.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(ref.path.parent.stat().st_mode) == 0o700
    # the key is nowhere on disk
    assert store._key not in all_bytes_under(paths.home())


def test_wrong_key_fails(store):
    ref = store.put("selfie", MARKER, "jpeg")
    store._key = AESGCM.generate_key(bit_length=256)  # what a restarted process would have
    with pytest.raises(MediaStoreError) as ei:
        store.get(ref)
    assert ei.value.message_key == "media.unreadable" and ei.value.sentence("en") != ei.value.sentence("fa")
    with pytest.raises(MediaStoreError):
        store.open(ref).read()


def test_other_session_refs_are_refused(store):
    ref = store.put("selfie", MARKER, "jpeg")
    with MediaStore(session_id="other-session") as other:
        with pytest.raises(MediaStoreError):
            other.get(ref)


def _frames(path: Path, chunk: int) -> tuple[bytes, list[bytes]]:
    raw = path.read_bytes()
    head, body = raw[:ms.HEADER.size], raw[ms.HEADER.size:]
    size = ms.NONCE + chunk + ms.TAG
    return head, [body[i:i + size] for i in range(0, len(body), size)]


def test_tampering_is_detected(store):
    data = os.urandom(64 * 3 + 10)
    ref = store.put("selfie_video", data, "webm")
    original = ref.path.read_bytes()
    head, frames = _frames(ref.path, 64)
    assert len(frames) == 4

    def fails(blob: bytes) -> None:
        ref.path.write_bytes(blob)
        with pytest.raises(MediaStoreError):
            store.get(ref)

    flipped = bytearray(original)
    flipped[ms.HEADER.size + 20] ^= 1
    fails(bytes(flipped))
    fails(head + frames[1] + frames[0] + frames[2] + frames[3])      # reordered
    fails(head + b"".join(frames[:3]))                               # cut at a frame boundary
    fails(original[:-5])                                             # cut inside a frame
    with MediaStore(session_id="other", chunk_size=64) as other:     # a frame from another file
        alien = other.put("x", os.urandom(len(data)), "webm")
        _, alien_frames = _frames(alien.path, 64)
        fails(head + frames[0] + alien_frames[1] + frames[2] + frames[3])
    ref.path.write_bytes(original)
    assert store.get(ref) == data


def test_confirm_discard_pending(store):
    a = store.put("signature", b"a" * 10, "png")
    b = store.put("selfie", b"b" * 10, "jpeg")
    c = store.put("selfie", b"c" * 10, "jpeg")
    assert store.pending() == [a, b, c]
    store.confirm(a)
    store.discard(b)
    assert store.pending() == [c]
    assert not a.path.exists() and not b.path.exists() and c.path.exists()
    with pytest.raises(MediaStoreError):
        store.get(a)


def test_wipe_leaves_nothing_and_forgets_the_key():
    s = MediaStore()
    refs = [s.put("selfie", MARKER * 10, "jpeg") for _ in range(3)]
    folder = s.folder
    assert s.wipe() == 3
    assert not folder.exists()
    assert list(paths.media_dir().iterdir()) == []
    assert s.closed and s.wipe() == 0
    with pytest.raises(MediaStoreError):
        s.put("selfie", b"x", "jpeg")
    with pytest.raises(MediaStoreError):
        s.get(refs[0])


def test_overwrite_before_unlink(tmp_path, monkeypatch):
    seen = {}
    real_unlink = Path.unlink

    def spy(self, *a, **kw):
        if self.suffix == ".kms":
            seen[self.name] = self.read_bytes()
        return real_unlink(self, *a, **kw)

    monkeypatch.setattr(Path, "unlink", spy)
    with MediaStore() as s:
        s.put("selfie", MARKER * 50, "jpeg")
    assert seen and all(set(blob) == {0} for blob in seen.values())


def test_failed_writer_leaves_no_partial_file(store):
    with pytest.raises(RuntimeError):
        with store.writer("selfie_video", "webm") as w:
            w.write(b"x" * 500)
            raise RuntimeError("recording failed")
    assert [p.name for p in store.folder.iterdir()] == [ms.OWNER]
    assert store.pending() == []


def test_put_file_encrypts_and_removes_the_plaintext(store, tmp_path):
    src = tmp_path / "clip.webm"
    src.write_bytes(MARKER * 100)
    ref = store.put_file("selfie_video", src, "webm")
    assert not src.exists()
    assert store.get(ref) == MARKER * 100


def test_reader_feeds_the_broker_client_upload(store):
    from kiosk.broker.client import MediaSource

    data = os.urandom(300_000)
    ref = store.put("selfie_video", data, "webm")
    with store.open(ref) as fh:
        src = MediaSource(fh)
        assert src.size == len(data)
        assert b"".join(src.chunks()) == data


def test_20_mb_video_is_streamed_not_held(tmp_path):
    size = 20 * 1024 * 1024
    src = tmp_path / "big.webm"
    block = os.urandom(1024 * 1024)
    with open(src, "wb") as fh:
        for _ in range(20):
            fh.write(block)
    with MediaStore() as s:
        tracemalloc.start()
        try:
            ref = s.put_file("selfie_video", src, "webm")
            _, peak_put = tracemalloc.get_traced_memory()
            tracemalloc.reset_peak()
            total = 0
            with s.open(ref) as fh:
                while chunk := fh.read(192 * 1024):
                    total += len(chunk)
            _, peak_read = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert total == size and ref.size == size
        # a few chunks (1 MiB) at a time (about 4 MiB measured), never the 20 MB
        assert peak_put < 8 * 1024 * 1024, peak_put
        assert peak_read < 8 * 1024 * 1024, peak_read


# ------------------------------------------------------------------ orphans
CRASH = textwrap.dedent("""
    import os, sys
    from kiosk.core.media_store import MediaStore
    s = MediaStore()
    s.put("selfie", b"secret face" * 100, "jpeg")
    print(s.session_id, flush=True)
    os._exit(3)  # dies without wiping: the key dies with it
""")


def test_recover_orphans_after_a_crash(store):
    live = store.put("selfie", MARKER, "jpeg")
    proc = subprocess.run([sys.executable, "-c", CRASH], capture_output=True, text=True, timeout=60,
                          env=dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2])))
    assert proc.returncode == 3, proc.stderr
    dead = proc.stdout.strip()
    dead_folder = paths.media_dir() / dead
    assert any(p.suffix == ".kms" for p in dead_folder.iterdir())
    stray = paths.media_dir() / "stray.bin"
    stray.write_bytes(b"x")
    # a session owned by another running process is left alone
    busy = paths.media_dir() / "busy-session"
    busy.mkdir()
    (busy / ms.OWNER).write_text(str(os.getppid()))
    (busy / "a.kms").write_bytes(b"y")
    try:
        wiped = recover_orphans()
        assert wiped == [dead]
        assert not dead_folder.exists() and not stray.exists()
        assert store.get(live) == MARKER  # this process's live session is untouched
        assert busy.exists()
    finally:
        ms._wipe_dir(busy)
    assert recover_orphans() == []


def test_recover_orphans_on_a_missing_root(tmp_path):
    assert recover_orphans(tmp_path / "nope") == []


def test_bad_session_ids_are_refused():
    for bad in ("../x", "a/b", "a b", "x" * 65):
        with pytest.raises(ValueError):
            MediaStore(session_id=bad)
    assert list(paths.media_dir().iterdir()) == []
