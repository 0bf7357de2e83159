"""The sandbox broker's data: a call (``Request``), a token's life (``TokenRecord``), an answer
(``Answer``), an error answer (``BrokerFault``), and the date and JSON helpers the answers use."""
from __future__ import annotations

import base64
import json
import math
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Literal, overload

from persiantools.jdatetime import JalaliDateTime

from kiosk.broker.codes import KYCRequestStatus
from kiosk.sandbox.faults import Faults

TEHRAN = timezone(timedelta(hours=3, minutes=30))
HRESULT = -2146233088
BAD_REQUEST_CODES = frozenset({3, 1101, 1102})


# ----------------------------------------------------------------------------- helpers

def now_tehran() -> datetime:
    return datetime.now(TEHRAN)


def dotnet_local(dt: datetime | None) -> str | None:
    """The samples' InsertDateTime: local time without offset, milliseconds."""
    if dt is None:
        return None
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}"


def jalali(ts: float, original: bool = False) -> str:
    """A Jalali date and time. ``original``: as the original's CheckToken sample writes it,
    day/month/year without leading zeros and the hour unpadded ("24/2/1402 - 2:32:35");
    otherwise "1402/02/24 - 02:32:35"."""
    dt = JalaliDateTime.fromtimestamp(ts, TEHRAN)
    if original:
        return f"{dt.day}/{dt.month}/{dt.year} - {dt.hour}:{dt.minute:02d}:{dt.second:02d}"
    return dt.strftime("%Y/%m/%d - %H:%M:%S")


class BrokerFault(Exception):
    """An error answer: ExceptionCode ``code``; the messages default to ``texts.ERRORS``."""

    def __init__(self, code: int, technical: str | None = None, *, http_status: int | None = None,
                 response_code: int = 1, message: tuple[str, str] | None = None):
        super().__init__(technical or f"code {code}")
        self.code = int(code)
        self.technical = technical
        self.http_status = http_status if http_status is not None else (400 if code in BAD_REQUEST_CODES else 200)
        self.response_code = response_code
        self.message = message  # (fa, en) ErrorMessage override


@dataclass
class Answer:
    body: str
    status: int = 200
    summary: str = ""  # for the log: "code 0", "error 1211"


@dataclass
class Capture:
    data: bytes
    inserted: datetime
    fields: dict[str, Any] = field(default_factory=dict)
    dropped: bool = False  # the bytes were let go (``SandboxConfig.keep_media_orders``)

    def drop(self) -> None:
        self.data = b""
        self.dropped = True


@dataclass
class TokenRecord:
    token: str
    claims: dict[str, Any]
    order_id: str
    national_code: str
    registered: float
    expires: float
    inserted: datetime
    status: KYCRequestStatus = KYCRequestStatus.WaitForData
    aborted: bool = False
    closed: bool = False
    forced_expired: bool = False
    failures: dict[str, int] = field(default_factory=lambda: {"selfie": 0, "video": 0, "admittance": 0})
    passed: set[str] = field(default_factory=set)
    signature: Capture | None = None
    selfie: Capture | None = None
    video: Capture | None = None
    admittance: Capture | None = None
    speech: Capture | None = None
    documents: dict[int, Capture] = field(default_factory=dict)
    errors: list[tuple[int, str]] = field(default_factory=list)
    responded: datetime | None = None

    def captures(self) -> list[Capture]:
        held = [self.signature, self.selfie, self.video, self.admittance, self.speech, *self.documents.values()]
        return [c for c in held if c is not None]

    def expired(self, at: float | None = None) -> bool:
        return self.forced_expired or (time.time() if at is None else at) > self.expires


class Request:
    """One call: the method name, the verb, its parameters (query or JSON body; names matched
    case-insensitively), its headers."""

    def __init__(self, name: str, verb: str, params: dict[str, Any], headers):
        self.name = name
        self.verb = verb
        self.params = params
        self.low = {str(k).lower(): v for k, v in params.items()}
        self.headers = headers
        self.faults: Faults | None = None

    @property
    def missing_code(self) -> int:
        return 1102 if self.verb == "GET" else 1101

    def get(self, key: str, default: Any = None) -> Any:
        if key in self.params:
            return self.params[key]
        return self.low.get(key.lower(), default)

    @overload
    def text(self, key: str, required: Literal[True] = True) -> str: ...

    @overload
    def text(self, key: str, required: bool) -> str | None: ...

    def text(self, key: str, required: bool = True) -> str | None:
        v = self.get(key)
        if v is None or (isinstance(v, str) and not v.strip()):
            if required:
                raise BrokerFault(self.missing_code, f"'{key}' is missing")
            return None
        if not isinstance(v, str):
            raise BrokerFault(self.missing_code, f"'{key}' must be text")
        return v.strip()

    def integer(self, key: str, default: int | None = None) -> int:
        """A whole number (``BrokerFault`` 1101/1102 when missing without a default, or not one)."""
        return int(self.number(key, default, integer=True))

    def number(self, key: str, default: float | None = None, integer: bool = False) -> float:
        v = self.get(key)
        if v is None or (isinstance(v, str) and not v.strip()):
            if default is None:
                raise BrokerFault(self.missing_code, f"'{key}' is missing")
            return default
        if isinstance(v, bool):
            raise BrokerFault(self.missing_code, f"'{key}' must be a number")
        try:
            n = float(v) if not isinstance(v, (int, float)) else v
        except (TypeError, ValueError):
            raise BrokerFault(self.missing_code, f"'{key}' must be a number") from None
        if isinstance(n, float) and not math.isfinite(n):
            raise BrokerFault(self.missing_code, f"'{key}' must be a finite number")
        if integer:
            if float(n) != int(n):
                raise BrokerFault(self.missing_code, f"'{key}' must be a whole number")
            return int(n)
        return float(n)

    def flag(self, key: str) -> bool:
        v = self.get(key)
        if isinstance(v, bool):
            return v
        if isinstance(v, str):
            return v.strip().lower() in ("true", "1", "yes")
        if isinstance(v, (int, float)):
            return bool(v)
        return False



def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def dumps(obj: Any) -> str:
    """JSON as the sandbox sends it: UTF-8 text, no spaces."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
