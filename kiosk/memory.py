"""Memory that comes back: the C allocator's arenas bounded for the kiosk process, and freed
memory handed back to the system at the end of each applicant's session.

glibc gives each thread that allocates its own arena (up to 8 per core) and keeps what it freed
in them. The capture screens start many short-lived threads (camera, checker, encoder, and the
threads of mediapipe and FFmpeg), so a kiosk that never restarts saw its idle memory grow with
every session. ``bound_arenas()`` (called first thing by ``kiosk.__main__``, before any thread
starts; ``MALLOC_ARENA_MAX`` in the environment wins) caps them; ``release()`` returns what is
free now. Elsewhere than glibc both do nothing.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging
import os

log = logging.getLogger(__name__)

M_ARENA_MAX = -8  # mallopt parameter (malloc.h)
DEFAULT_ARENAS = 2


def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    if not name:
        return None
    try:
        libc = ctypes.CDLL(name)
    except OSError:
        return None
    return libc if hasattr(libc, "mallopt") and hasattr(libc, "malloc_trim") else None


def bound_arenas(arenas: int | None = None) -> int | None:
    """Cap glibc's malloc arenas for this process; returns the cap set, or None."""
    if arenas is None:
        if os.environ.get("MALLOC_ARENA_MAX"):
            return None  # glibc read it at start
        arenas = DEFAULT_ARENAS
    libc = _libc()
    if libc is None or libc.mallopt(M_ARENA_MAX, int(arenas)) != 1:
        return None
    return int(arenas)


def release() -> None:
    """Collect Python's garbage and hand the C allocator's free memory back to the system."""
    gc.collect()
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)
