"""Captured media of one session, encrypted on disk with a key that lives only in memory.

Each ``MediaStore`` draws a random 256-bit AES-GCM key when it is made; the key is never written
anywhere. Media files sit in ``<media_dir>/<session_id>/`` (folder 0700, files 0600) until the
broker has them (``confirm``) or the session ends (``wipe``). If the process dies, the key dies
with it and the files are unreadable noise: ``recover_orphans`` at the next start overwrites and
removes them and reports which sessions they belonged to.

File format (``.kms``), made for streaming so a 20 MB video is never held in memory whole and
never three times::

    header  = b"KIOSKMS1" | u32 chunk size | 16-byte file id            (28 bytes)
    frame i = 12-byte random nonce | AES-GCM(plaintext chunk i) with 16-byte tag

Every frame but the last holds exactly ``chunk size`` plaintext bytes, so frame ``i`` starts at
``28 + i * (12 + chunk + 16)`` and a reader can seek. The associated data of frame ``i`` is
``file id | u64 i | u8 last``: frames cannot be swapped between files or reordered, and a file
cut at a frame boundary fails (its new last frame was not sealed as the last). Empty media is
one empty last frame.

Wiping overwrites each file with zeros before unlinking it. On SSDs and journalling or
copy-on-write file systems an overwrite is not guaranteed to reach the old blocks: the real
protection is the encryption with a key that was never on disk.
"""
from __future__ import annotations

import io
import logging
import os
import re
import struct
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from kiosk.errors import KioskError
from kiosk.paths import overwrite_and_unlink
from kiosk.paths import media_dir

log = logging.getLogger(__name__)

MAGIC = b"KIOSKMS1"
HEADER = struct.Struct(">8sI16s")
NONCE = 12
TAG = 16
DEFAULT_CHUNK = 1024 * 1024
STREAM_CHUNK = 64 * 1024  # for media muxed straight into the store (recordings)
SUFFIX = ".kms"
OWNER = ".owner"
_SESSION_RE = re.compile(r"^[0-9A-Za-z_-]{1,64}$")

# Sessions with a live store in this process (never treated as orphans).
_LIVE: set[str] = set()
_LIVE_LOCK = threading.Lock()


def _sealed(writer: MediaWriter) -> MediaRef:
    """The reference of a writer closed without an error (it always has one then)."""
    if writer.ref is None:
        raise MediaStoreError("the medium was not sealed")
    return writer.ref


class MediaStoreError(KioskError, RuntimeError):
    """A medium cannot be stored or read. ``message_key`` names a sentence in
    ``kiosk.i18n.messages``."""

    def __init__(self, message: str, message_key: str = "media.unreadable"):
        super().__init__(message)
        self.message_key = message_key


@dataclass(frozen=True)
class MediaRef:
    """A stored medium. ``size`` is the plaintext size in bytes; ``kind`` a format label such
    as "png", "jpeg", "webm"."""

    session_id: str
    media_id: str
    step: str
    kind: str
    size: int
    path: Path = field(compare=False)
    created: float = field(default=0.0, compare=False)


def _aad(file_id: bytes, index: int, last: bool) -> bytes:
    return file_id + struct.pack(">QB", index, 1 if last else 0)


def _private_file(path: Path, read: bool = False) -> BinaryIO:
    flags = (os.O_RDWR if read else os.O_WRONLY) | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    # a read-write medium is written unbuffered: each sealed frame goes to disk at once, so what
    # a crash leaves is whole frames (and no ciphertext waits in a user-space buffer)
    if read:
        return os.fdopen(os.open(path, flags, 0o600), "w+b", buffering=0)
    return os.fdopen(os.open(path, flags, 0o600), "wb")


def len_last(size: int, chunk: int) -> int:
    """Plaintext bytes in the last chunk of a medium of ``size`` bytes."""
    return size - (max(1, -(-size // chunk)) - 1) * chunk



def _wipe_dir(folder: Path) -> int:
    """Overwrite and remove every file under ``folder`` and the folder itself; files removed."""
    count = 0
    if not folder.exists():
        return 0
    for p in sorted(folder.rglob("*"), key=lambda q: len(q.parts), reverse=True):
        if p.is_symlink() or p.is_file():
            if p.is_symlink():
                p.unlink()
            else:
                overwrite_and_unlink(p)
            count += 1
        elif p.is_dir():
            try:
                p.rmdir()
            except OSError:
                pass
    try:
        folder.rmdir()
    except OSError:
        pass
    return count


class MediaWriter:
    """Streams one medium into the store: ``write`` any number of times, then ``close`` for
    the ``MediaRef``. Holds at most one chunk of plaintext. Used as a context manager, an
    exception discards the partial file.

    It is also a seekable binary file (``seek``/``tell``), so a muxer can write straight into
    the store and go back to patch its headers (PyAV's WebM muxer does, at close): a write into
    a chunk already sealed decrypts that chunk, patches it and seals it again under a fresh
    nonce in the same place. No plaintext ever reaches the disk."""

    def __init__(self, store: MediaStore, step: str, kind: str, chunk_size: int | None = None):
        self._store = store
        self.step, self.kind = step, kind
        self.media_id = uuid.uuid4().hex
        self._final = store.folder / f"{_safe(step)}-{self.media_id}{SUFFIX}"
        self._part = self._final.with_suffix(SUFFIX + ".part")
        self._file_id = os.urandom(16)
        self._aead = store._aead()
        self._chunk = int(chunk_size or store.chunk_size)
        if self._chunk <= 0:
            raise ValueError("chunk size must be positive")
        self._buf = bytearray()
        self._index = 0  # index of the chunk in _buf (all before it are sealed, not last)
        self._pos = 0  # plaintext position of the next write
        self._fh: BinaryIO | None = _private_file(self._part, read=True)
        self._fh.write(HEADER.pack(MAGIC, self._chunk, self._file_id))
        self.ref: MediaRef | None = None

    def _frame_offset(self, i: int) -> int:
        return HEADER.size + i * (NONCE + self._chunk + TAG)

    def _open_fh(self) -> BinaryIO:
        if self._fh is None:
            raise ValueError("the media writer is closed")
        return self._fh

    def _seal(self, data: bytes | bytearray | memoryview, last: bool) -> None:
        fh = self._open_fh()
        nonce = os.urandom(NONCE)
        fh.seek(self._frame_offset(self._index))
        fh.write(nonce + self._aead.encrypt(nonce, bytes(data), _aad(self._file_id, self._index, last)))
        self._index += 1

    def _patch(self, i: int, offset: int, data: memoryview) -> None:
        """Write ``data`` at ``offset`` inside the sealed (full, not last) chunk ``i``."""
        fh = self._open_fh()
        fh.flush()
        fh.seek(self._frame_offset(i))
        frame = fh.read(NONCE + self._chunk + TAG)
        try:
            plain = bytearray(self._aead.decrypt(frame[:NONCE], frame[NONCE:], _aad(self._file_id, i, False)))
        except InvalidTag as exc:
            raise MediaStoreError("a stored chunk does not authenticate") from exc
        plain[offset:offset + len(data)] = data
        nonce = os.urandom(NONCE)
        fh.seek(self._frame_offset(i))
        fh.write(nonce + self._aead.encrypt(nonce, bytes(plain), _aad(self._file_id, i, False)))

    @property
    def size(self) -> int:
        """Plaintext bytes so far."""
        return self._index * self._chunk + len(self._buf)

    def write(self, data: bytes | bytearray | memoryview) -> int:
        self._open_fh()
        view = memoryview(data).cast("B")
        n, done = len(view), 0
        while done < n:
            base = self._index * self._chunk
            if self._pos < base:  # back into a sealed chunk (a muxer patching its header)
                i, offset = divmod(self._pos, self._chunk)
                take = min(self._chunk - offset, n - done)
                self._patch(i, offset, view[done:done + take])
            else:
                rel = self._pos - base
                if rel >= self._chunk:  # the tail chunk is full and more follows: seal it
                    self._buf += bytes(self._chunk - len(self._buf))
                    self._seal(self._buf, last=False)
                    self._buf.clear()
                    continue
                if rel > len(self._buf):  # a seek past the end: zeros in between
                    self._buf += bytes(rel - len(self._buf))
                take = min(self._chunk - rel, n - done)
                self._buf[rel:rel + take] = view[done:done + take]
            self._pos += take
            done += take
        return n

    def seekable(self) -> bool:
        return True

    def writable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self.size}[whence]
        if base + offset < 0:
            raise ValueError("negative seek position")
        self._pos = base + offset
        return self._pos

    def flush(self) -> None:
        return None

    def close(self) -> MediaRef:
        if self.ref is not None:
            return self.ref
        if self._fh is None:
            raise ValueError("the media writer was discarded")
        try:
            size = self.size
            self._seal(self._buf, last=True)
            self._buf.clear()
            fh = self._open_fh()
            fh.truncate(self._frame_offset(self._index - 1) + NONCE + len_last(size, self._chunk) + TAG)
            fh.flush()
            fh.close()
            self._fh = None
            os.replace(self._part, self._final)
        except OSError as exc:
            self.discard()
            key = "media.disk_full" if getattr(exc, "errno", None) == 28 else "media.unreadable"
            raise MediaStoreError(f"cannot store the medium: {type(exc).__name__}", key) from exc
        self.ref = MediaRef(self._store.session_id, self.media_id, self.step, self.kind, size,
                            self._final, time.time())
        self._store._add(self.ref)
        return self.ref

    def discard(self) -> None:
        if self._fh is not None:
            try:
                self._fh.close()
            except OSError:
                pass
            self._fh = None
        self._buf = bytearray()
        overwrite_and_unlink(self._part)

    def __enter__(self) -> MediaWriter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()
        else:
            self.discard()


class MediaReader(io.RawIOBase):
    """A read-only, seekable view of the plaintext of a stored medium; decrypts one frame at a
    time. Raises ``MediaStoreError`` when a frame does not authenticate."""

    def __init__(self, store: MediaStore, ref: MediaRef):
        super().__init__()
        self._aead = store._aead()
        self._fh = open(ref.path, "rb")
        try:
            head = self._fh.read(HEADER.size)
            if len(head) != HEADER.size:
                raise MediaStoreError("stored medium is truncated")
            magic, chunk, file_id = HEADER.unpack(head)
            if magic != MAGIC or chunk <= 0:
                raise MediaStoreError("stored medium has no valid header")
            self._chunk, self._file_id = chunk, file_id
            disk = os.fstat(self._fh.fileno()).st_size - HEADER.size
            frame = NONCE + chunk + TAG
            self._frames = max(1, -(-disk // frame))
            last_len = disk - (self._frames - 1) * frame - NONCE - TAG
            if last_len < 0 or last_len > chunk:
                raise MediaStoreError("stored medium is truncated")
            self.size = (self._frames - 1) * chunk + last_len
        except BaseException:
            self._fh.close()
            raise
        self._pos = 0
        self._cached: tuple[int, bytes] | None = None

    def _frame(self, i: int) -> bytes:
        if self._cached is not None and self._cached[0] == i:
            return self._cached[1]
        frame = NONCE + self._chunk + TAG
        self._fh.seek(HEADER.size + i * frame)
        blob = self._fh.read(frame)
        last = i == self._frames - 1
        try:
            plain = self._aead.decrypt(blob[:NONCE], blob[NONCE:], _aad(self._file_id, i, last))
        except (InvalidTag, ValueError) as exc:
            raise MediaStoreError("stored medium does not authenticate (wrong key or damaged)") from exc
        self._cached = (i, plain)
        return plain

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self.size}[whence]
        pos = base + offset
        if pos < 0:
            raise ValueError("negative seek position")
        self._pos = pos
        return pos

    def readinto(self, b) -> int:
        if self._pos >= self.size:
            if self.size == 0 and self._cached is None:
                self._frame(0)  # authenticate even empty media
            return 0
        i, off = divmod(self._pos, self._chunk)
        plain = self._frame(i)
        n = min(len(b), len(plain) - off)
        b[:n] = plain[off:off + n]
        self._pos += n
        return n

    def read_all_checked(self) -> bytes:
        out = bytearray()
        for i in range(self._frames):
            out += self._frame(i)
        self._pos = self.size
        return bytes(out)

    def close(self) -> None:
        try:
            self._fh.close()
        finally:
            self._cached = None
            super().close()


def _safe(step: str) -> str:
    s = re.sub(r"[^0-9A-Za-z_]", "_", str(step))[:32]
    return s or "media"


class MediaStore:
    """The encrypted media of one session. Thread-safe; use ``with`` (or call ``wipe``) so
    nothing outlives the session."""

    def __init__(self, root: Path | str | None = None, session_id: str | None = None,
                 chunk_size: int = DEFAULT_CHUNK):
        if root is None:
            root = media_dir()
        self.root = Path(root)
        self.session_id = session_id or uuid.uuid4().hex
        if not _SESSION_RE.match(self.session_id):
            raise ValueError("session id must be 1-64 letters, digits, '-' or '_'")
        if chunk_size <= 0:
            raise ValueError("chunk size must be positive")
        self.chunk_size = int(chunk_size)
        self._key: bytes | None = AESGCM.generate_key(bit_length=256)
        self._lock = threading.RLock()
        self._refs: dict[str, MediaRef] = {}
        self.folder = self.root / self.session_id
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.folder.mkdir(exist_ok=True, mode=0o700)
        os.chmod(self.folder, 0o700)
        fd = os.open(self.folder / OWNER, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:  # only a process id: lets recover_orphans skip live sessions
            fh.write(str(os.getpid()).encode())
        with _LIVE_LOCK:
            _LIVE.add(self.session_id)

    # -- internals
    def _aead(self) -> AESGCM:
        key = self._key
        if key is None:
            raise MediaStoreError("the media store was wiped; its key is gone")
        return AESGCM(key)

    def _add(self, ref: MediaRef) -> None:
        with self._lock:
            self._refs[ref.media_id] = ref

    def _check(self, ref: MediaRef) -> MediaRef:
        if ref.session_id != self.session_id:
            raise MediaStoreError("this medium belongs to another session")
        with self._lock:
            known = self._refs.get(ref.media_id)
        if known is None:
            raise MediaStoreError("this medium is not (or no longer) in the store")
        return known

    @property
    def closed(self) -> bool:
        return self._key is None

    # -- API
    def writer(self, step: str, kind: str, chunk_size: int | None = None) -> MediaWriter:
        """A streaming writer (for media made piece by piece). ``chunk_size``: plaintext bytes
        per sealed frame for this medium (default the store's); a recorder uses a small one
        (``STREAM_CHUNK``) so little plaintext waits in memory and a crash leaves only sealed
        frames on disk."""
        self._aead()
        return MediaWriter(self, step, kind, chunk_size)

    def put(self, step: str, data: bytes | bytearray | memoryview, kind: str) -> MediaRef:
        """Encrypt and keep ``data`` as the medium of ``step``."""
        with self.writer(step, kind) as w:
            w.write(data)
        return _sealed(w)

    def put_stream(self, step: str, source: BinaryIO, kind: str) -> MediaRef:
        """Encrypt what ``source`` yields, one chunk at a time."""
        with self.writer(step, kind) as w:
            while True:
                block = source.read(self.chunk_size)
                if not block:
                    break
                w.write(block)
        return _sealed(w)

    def put_file(self, step: str, path: Path | str, kind: str, remove_source: bool = True) -> MediaRef:
        """Encrypt a plaintext file (e.g. the recorder's finished WebM) chunk by chunk, then
        overwrite and remove the plaintext unless ``remove_source`` is false."""
        path = Path(path)
        with open(path, "rb") as src:
            ref = self.put_stream(step, src, kind)
        if remove_source:
            overwrite_and_unlink(path)
        return ref

    def open(self, ref: MediaRef) -> io.BufferedReader:
        """A seekable binary file of the plaintext (decrypted one chunk at a time): pass it to
        the broker client as the upload source."""
        ref = self._check(ref)
        return io.BufferedReader(MediaReader(self, ref), buffer_size=min(self.chunk_size, 256 * 1024))

    def get(self, ref: MediaRef) -> bytes:
        """The whole plaintext (small media: images)."""
        ref = self._check(ref)
        reader = MediaReader(self, ref)
        try:
            return reader.read_all_checked()
        finally:
            reader.close()

    def iter_chunks(self, ref: MediaRef) -> Iterator[bytes]:
        ref = self._check(ref)
        reader = MediaReader(self, ref)
        try:
            for i in range(reader._frames):
                chunk = reader._frame(i)
                if chunk:
                    yield chunk
        finally:
            reader.close()

    def _forget(self, ref: MediaRef) -> None:
        ref = self._check(ref)
        with self._lock:
            self._refs.pop(ref.media_id, None)
        overwrite_and_unlink(ref.path)

    def confirm(self, ref: MediaRef) -> None:
        """The broker has this medium: wipe the local copy."""
        self._forget(ref)

    def discard(self, ref: MediaRef) -> None:
        """Drop a medium that will not be sent (a retake replaced it)."""
        self._forget(ref)

    def pending(self) -> list[MediaRef]:
        """Media stored and not yet confirmed or discarded, oldest first."""
        with self._lock:
            return sorted(self._refs.values(), key=lambda r: r.created)

    def wipe(self) -> int:
        """End of the session: overwrite and remove every file, forget the key. Returns the
        number of media files removed. Safe to call twice."""
        with self._lock:
            count = len(self._refs)
            self._refs.clear()
            self._key = None
            _wipe_dir(self.folder)
        with _LIVE_LOCK:
            _LIVE.discard(self.session_id)
        return count

    close = wipe

    def __enter__(self) -> MediaStore:
        return self

    def __exit__(self, *exc) -> None:
        self.wipe()

    def __repr__(self) -> str:
        return f"MediaStore(session={self.session_id}, pending={len(self._refs)}, closed={self.closed})"


def _owner_alive(folder: Path) -> bool:
    try:
        pid = int((folder / OWNER).read_text().strip())
    except (OSError, ValueError):
        return False
    if pid == os.getpid():
        return False  # same process: only the _LIVE registry counts
    if sys.platform.startswith("win"):
        return False  # no safe liveness probe without extra packages; one kiosk process per machine
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def recover_orphans(root: Path | str | None = None) -> list[str]:
    """Wipe media left by a process that died (its key died with it, so the files are
    unreadable). Skips sessions of live stores in this process and of other running processes.
    Returns the session ids wiped; stray files directly in ``root`` are wiped too."""
    if root is None:
        root = media_dir()
    root = Path(root)
    if not root.exists():
        return []
    with _LIVE_LOCK:
        live = set(_LIVE)
    wiped: list[str] = []
    for entry in sorted(root.iterdir()):
        if entry.is_dir() and not entry.is_symlink():
            if entry.name in live or _owner_alive(entry):
                continue
            _wipe_dir(entry)
            wiped.append(entry.name)
        elif entry.is_file() or entry.is_symlink():
            if entry.is_symlink():
                entry.unlink()
            else:
                overwrite_and_unlink(entry)
    if wiped:
        log.info("media: wiped %d orphaned session folder(s)", len(wiped))
    return wiped
