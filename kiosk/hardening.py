"""Process and file hygiene, no Qt: core dumps off, private files and folders.

* ``no_core_dumps()``: ``RLIMIT_CORE`` 0 and, on Linux, ``prctl(PR_SET_DUMPABLE, 0)``: a native
  crash in Qt, FFmpeg or mediapipe must not write the process's memory (keys, frames, applicant
  details) to disk, and other processes of the same user cannot ptrace it or read its memory.
* ``private_dir(path)``: make the folder (parents too) and force it to ``0700`` even when it
  already existed with a looser mode.
* ``write_private(path, data)``: write a file ``0600`` (an existing file is made ``0600`` first).
"""
from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import sys
from pathlib import Path

log = logging.getLogger(__name__)

PR_SET_DUMPABLE = 4


def no_core_dumps() -> bool:
    """Switch core dumps off for this process (and its children); True when both steps held."""
    ok = True
    try:
        import resource  # noqa: PLC0415 - POSIX only

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ImportError, ValueError, OSError):
        ok = False
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            if libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0:
                ok = False
        except OSError:
            ok = False
    if not ok:
        log.warning("core dumps could not be switched off completely")
    return ok


def private_dir(path: Path) -> Path:
    """``path`` made (with parents) and forced to ``0700``."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    if os.name == "posix" and (path.stat().st_mode & 0o777) != 0o700:
        os.chmod(path, 0o700)
    return path


def write_private(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` readable by its owner only (``0600``, also when it existed)."""
    path = Path(path)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        if os.name == "posix":
            os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fd = -1
            fh.write(data)
    finally:
        if fd >= 0:
            os.close(fd)
    return path
