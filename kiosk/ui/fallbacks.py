"""Stand-in used only while ``kiosk.core.media_store`` is missing (``Services.media_store`` says
so in the log): ``MemoryMediaStore`` keeps the session's media in memory only (nothing on disk),
with the ``MediaStore`` interface (put/get/confirm/wipe/pending)."""
from __future__ import annotations

import itertools


class MemoryMediaStore:
    def __init__(self, session_id: str = ""):
        self.session_id = session_id
        self._items: dict[int, bytes] = {}
        self._ids = itertools.count(1)

    def put(self, step: str, data: bytes, kind: str = "") -> int:
        ref = next(self._ids)
        self._items[ref] = bytes(data)
        return ref

    def get(self, ref: int) -> bytes:
        return self._items[ref]

    def confirm(self, ref: int) -> None:
        self._items.pop(ref, None)

    def pending(self) -> list[int]:
        return list(self._items)

    def wipe(self) -> None:
        self._items.clear()
