"""The sandbox broker's faults: misbehaviour a test (or ``kiosk sandbox --faults FILE``) asks
for, and how the HTTP layer (``kiosk.sandbox.plumbing``) carries it out: a connection reset in
the middle of the request body or instead of the answer, an HTTP status without running the
method, an HTML page, half an answer. ``Faults`` is read per request from
``SandboxConfig.faults`` (``SandboxConfig.faults_for``)."""
from __future__ import annotations

import io
import json
import socket
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, BinaryIO

@dataclass
class Faults:
    """Misbehaviour for the next requests (client tests). All off by default.

    * ``delay``: seconds to wait before answering.
    * ``status``: answer with this HTTP status (e.g. 500, 502, 503) and an envelope with
      ResponseCode 1 (ErrorCode 0), without running the method.
    * ``reset``: close the connection without any answer.
    * ``truncate``: send the headers and only the first half of the body, then close.
    * ``non_json``: answer 200 with an HTML page instead of JSON.
    * ``bad_signature``: flip a character of ``E_Signature`` in signed answers (15-20).
    * ``expire_token``: the request's token counts as expired (1209) from now on.
    * ``process``: with reset/truncate/non_json/status, run the method first (its state
      changes happen) and lose only the answer: an upload that the broker did receive.
    * ``reset_after_bytes``: read only this many bytes of the request body, then close the
      connection with a reset (a network that drops in the middle of an upload).
    * ``methods``: method names the faults apply to (empty: all).
    * ``skip``: let this many matching requests through untouched first (e.g. skip 2: the third
      call fails).
    * ``times``: how many requests the faults apply to before they switch off (None: forever).

    A hook may also be a list of these (dicts or ``Faults``): the first rule that applies to a
    request is used, so "reset the first 2 SendProbImageByToken, then 503 once on VerifyToken"
    is ``[{"reset_after_bytes": 1000, "methods": ["SendProbImageByToken"], "times": 2},
    {"status": 503, "methods": ["VerifyToken"], "times": 1}]``.
    """

    delay: float = 0.0
    status: int | None = None
    reset: bool = False
    truncate: bool = False
    non_json: bool = False
    bad_signature: bool = False
    expire_token: bool = False
    process: bool = False
    reset_after_bytes: int | None = None
    methods: tuple[str, ...] = ()
    skip: int = 0
    times: int | None = None

    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    @classmethod
    def from_value(cls, value: Faults | Mapping[str, Any] | None) -> Faults | None:
        if value is None or isinstance(value, Faults):
            return value
        if isinstance(value, Mapping):
            known = {f.name for f in fields(cls) if not f.name.startswith("_")}
            unknown = set(value) - known
            if unknown:
                raise ValueError(f"unknown fault(s): {', '.join(sorted(unknown))}")
            data = dict(value)
            if "methods" in data:
                data["methods"] = tuple(data["methods"] or ())
            return cls(**data)
        raise TypeError(f"faults must be a Faults, a dict or a callable, not {type(value).__name__}")

    def take(self, method: str) -> bool:
        """True when the faults apply to this request (and count it)."""
        if self.methods and method not in self.methods:
            return False
        with self._lock:
            if self.skip > 0:
                self.skip -= 1
                return False
            if self.times is not None:
                if self.times <= 0:
                    return False
                self.times -= 1
        return True

    @property
    def any(self) -> bool:
        return bool(self.delay or self.status or self.reset or self.truncate or self.non_json
                    or self.bad_signature or self.expire_token or self.reset_after_bytes is not None)


FaultsHook = ("Faults | Mapping[str, Any] | list[Faults | Mapping[str, Any]] "
              "| Callable[[str], Faults | Mapping[str, Any] | None] | None")


def load_faults(path: Path | str) -> Faults | list[Faults]:
    """A faults file (``kiosk sandbox --faults FILE.json``): one object of ``Faults`` fields or a
    list of them (rules, first match wins). Raises ValueError for an unreadable or unknown one."""
    path = Path(path)
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"cannot read faults file {path}: {exc}") from exc
    try:
        if isinstance(data, list):
            return [f for f in (Faults.from_value(item) for item in data) if f is not None]
        if isinstance(data, dict):
            one = Faults.from_value(data)
            if one is not None:
                return one
    except TypeError as exc:
        raise ValueError(f"faults file {path}: {exc}") from exc
    raise ValueError(f"faults file {path} must hold a JSON object or a list of objects")


# ----------------------------------------------------------------------------- carrying them out

#: SO_LINGER on, 0 s: close() sends a TCP reset instead of a clean end
_LINGER_RESET = b"\x01\x00\x00\x00\x00\x00\x00\x00"


def reset_on_close(conn: socket.socket) -> None:
    """Make the coming close of ``conn`` a connection reset (RST), as a network drop looks."""
    try:
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, _LINGER_RESET)
    except OSError:
        pass


def read_then_reset(rfile: BinaryIO | io.BufferedIOBase, declared_length: str | None, limit: int, conn: socket.socket) -> None:
    """Read at most ``limit`` bytes of a request body of ``declared_length``, then arrange a reset
    (a network that drops in the middle of an upload)."""
    try:
        declared = int(declared_length or 0)
    except ValueError:
        declared = 0
    left = max(0, min(limit, declared))
    while left > 0:
        block = rfile.read(min(left, 64 * 1024))
        if not block:
            break
        left -= len(block)
    reset_on_close(conn)


HTML_PAGE = b"<html><body><h1>Service Unavailable</h1></body></html>"
