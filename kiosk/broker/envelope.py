"""Reading a broker answer: the envelope, and the ``Result`` text exactly as it was sent.

The broker's samples spell the envelope keys three ways (``ResponseCode``, ``RespnsCode``,
``RespenseCode``, and the same for ``*Message``); ASP.NET may also send them camelCase. All
of them are accepted (case-insensitively), unknown keys are ignored, and an answer without a
response code is a ``ProtocolError``: never a success.

Signed answers (methods 15-20) are checked over the ``Result`` text as received, so
``raw_top_level_values`` scans the JSON text itself and returns the exact substring of each
top-level value instead of re-serialising a parsed object.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from kiosk.broker.codes import ExceptionCode, ResponseCode
from kiosk.broker.errors import BrokerRefused, BrokerUnauthorized, ProtocolError

CODE_KEYS = ("responsecode", "respnscode", "respensecode")
MESSAGE_KEYS = ("responsemessage", "respnsmessage", "respensemessage")
UNAUTHORIZED_CODES = frozenset({ExceptionCode.DualAuthenticationInvalid, ExceptionCode.Unauthorized,
                                ExceptionCode.ScopeIsNullOrEmpty})

_WS = " \t\r\n"


class _ScanError(ValueError):
    pass


def _skip_ws(text: str, i: int) -> int:
    n = len(text)
    while i < n and text[i] in _WS:
        i += 1
    return i


def _scan_string(text: str, i: int) -> int:
    """``text[i]`` is the opening quote; return the index just after the closing quote."""
    n = len(text)
    i += 1
    while i < n:
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == '"':
            return i + 1
        i += 1
    raise _ScanError("unterminated string")


def _scan_value(text: str, i: int) -> int:
    """Return the index just after the JSON value starting at ``i``."""
    n = len(text)
    if i >= n:
        raise _ScanError("value expected")
    c = text[i]
    if c == '"':
        return _scan_string(text, i)
    if c in "{[":
        depth = 0
        while i < n:
            c = text[i]
            if c == '"':
                i = _scan_string(text, i)
                continue
            if c in "{[":
                depth += 1
            elif c in "}]":
                depth -= 1
                if depth == 0:
                    return i + 1
            i += 1
        raise _ScanError("unterminated object or array")
    j = i
    while j < n and text[j] not in ",}]" + _WS:
        j += 1
    if j == i:
        raise _ScanError(f"value expected at {i}")
    return j


def raw_top_level_values(text: str) -> dict[str, str]:
    """Map each top-level key of the JSON object ``text`` to the exact text of its value.

    A key that appears twice at the top level is refused (``ProtocolError``): a parser keeps
    one and a signature may cover the other. Validity of the JSON as a whole is checked by
    ``json.loads`` separately; this only locates values."""
    out: dict[str, str] = {}
    try:
        i = _skip_ws(text, 0)
        if i >= len(text) or text[i] != "{":
            raise _ScanError("not an object")
        i = _skip_ws(text, i + 1)
        if i < len(text) and text[i] == "}":
            return out
        while True:
            if i >= len(text) or text[i] != '"':
                raise _ScanError(f"key expected at {i}")
            end = _scan_string(text, i)
            key = json.loads(text[i:end])
            i = _skip_ws(text, end)
            if i >= len(text) or text[i] != ":":
                raise _ScanError(f"':' expected at {i}")
            i = _skip_ws(text, i + 1)
            end = _scan_value(text, i)
            if key in out:
                raise ProtocolError(f"the answer has the key {key!r} twice", kind="protocol")
            out[key] = text[i:end]
            i = _skip_ws(text, end)
            if i < len(text) and text[i] == ",":
                i = _skip_ws(text, i + 1)
                continue
            if i < len(text) and text[i] == "}":
                return out
            raise _ScanError(f"',' or '}}' expected at {i}")
    except (_ScanError, json.JSONDecodeError) as exc:
        raise ProtocolError(f"answer is not a JSON object: {exc}", kind="protocol") from exc


def raw_value(text: str, key: str, case_insensitive: bool = True) -> str | None:
    """The exact text of one top-level value, or None when the key is absent."""
    values = raw_top_level_values(text)
    if key in values:
        return values[key]
    if case_insensitive:
        matches = [v for k, v in values.items() if k.lower() == key.lower()]
        if len(matches) > 1:
            raise ProtocolError(f"the answer has the key {key!r} twice (different case)")
        if matches:
            return matches[0]
    return None


@dataclass
class BrokerException:
    """The broker's ``EkycException``, with the .NET noise dropped."""

    error_code: int | None
    error_message: str | None
    technical_message: str | None
    time_occurred: str | None

    @classmethod
    def from_json(cls, value: Any) -> BrokerException | None:
        if value is None:
            return None
        if isinstance(value, str):  # a bare message
            return cls(None, value, None, None)
        if not isinstance(value, dict):
            raise ProtocolError(f"Exception is a {type(value).__name__}, not an object")
        low = {k.lower(): v for k, v in value.items()}
        code = low.get("errorcode")
        if isinstance(code, str) and code.strip().lstrip("-").isdigit():
            code = int(code.strip())
        if code is not None and (isinstance(code, bool) or not isinstance(code, int)):
            raise ProtocolError(f"Exception.ErrorCode is not a number: {type(code).__name__}")

        def text(k: str) -> str | None:
            v = low.get(k)
            return v if isinstance(v, str) else None

        return cls(code, text("errormessage") or text("message"), text("technicalmessage"),
                   text("timeoccurred"))


@dataclass
class Envelope:
    response_code: int
    message: str | None
    exception: BrokerException | None
    result: Any = None
    result_raw: str | None = None  # the Result value's text exactly as received; None if absent
    failure: Any = None
    data_to_sign: str | None = None
    e_signature: str | None = None
    http_status: int = 200
    raw_keys: tuple[str, ...] = field(default_factory=tuple)

    @property
    def success(self) -> bool:
        return self.response_code == ResponseCode.Success

    @property
    def failed(self) -> bool:
        return self.response_code == ResponseCode.Failed


def decode_body(body: bytes | str, content_type: str = "") -> str:
    if isinstance(body, bytes):
        if not body.strip():
            raise ProtocolError("the broker's answer is empty")
        try:
            text = body.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ProtocolError(f"answer is not UTF-8 text: {exc}") from exc
    else:
        text = body[1:] if body.startswith("\ufeff") else body
        if not text.strip():
            raise ProtocolError("the broker's answer is empty")
    head = text.lstrip()[:200].lower()
    if "text/html" in content_type.lower() or head.startswith(("<!doctype", "<html", "<")):
        raise ProtocolError("the answer is an HTML page, not the broker's JSON", kind="html")
    return text


def parse_envelope(body: bytes | str, http_status: int = 200, content_type: str = "") -> Envelope:
    """Parse an answer into an ``Envelope``. Raises ``ProtocolError`` for anything that is not
    a JSON object carrying a numeric response code."""
    text = decode_body(body, content_type)
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except (json.JSONDecodeError, RecursionError, ValueError) as exc:
        raise ProtocolError(f"answer is not valid JSON (truncated?): {exc}") from exc
    if not isinstance(data, dict):
        raise ProtocolError(f"answer is a JSON {type(data).__name__}, not an object")
    raw = raw_top_level_values(text)
    low: dict[str, str] = {}
    for k in data:
        if k.lower() in low:
            raise ProtocolError(f"the answer has the key {k!r} twice (different case)")
        low[k.lower()] = k

    def get(*names: str) -> tuple[bool, Any, str | None]:
        found = [low[n] for n in names if n in low]
        if len(found) > 1:
            raise ProtocolError(f"the answer has more than one of {found}")
        if not found:
            return False, None, None
        return True, data[found[0]], found[0]

    has_code, code, _ = get(*CODE_KEYS)
    if not has_code:
        raise ProtocolError("the answer has no ResponseCode: not a broker envelope")
    if isinstance(code, str) and code.strip().lstrip("-").isdigit():
        code = int(code.strip())
    if isinstance(code, bool) or not isinstance(code, int):
        raise ProtocolError(f"ResponseCode is not a number: {type(code).__name__}")
    _, message, _ = get(*MESSAGE_KEYS)
    if message is not None and not isinstance(message, str):
        message = str(message)
    _, exc_value, _ = get("exception")
    _, result, result_key = get("result")
    _, failure, _ = get("failureresult")
    _, dts, _ = get("datatosign")
    _, esig, _ = get("e_signature")
    if dts is not None and not isinstance(dts, str):
        raise ProtocolError("DataToSign is not text")
    if esig is not None and not isinstance(esig, str):
        raise ProtocolError("E_Signature is not text")
    return Envelope(
        response_code=code,
        message=message.strip() if isinstance(message, str) else None,
        exception=BrokerException.from_json(exc_value),
        result=result,
        result_raw=raw[result_key] if result_key is not None else None,
        failure=failure,
        data_to_sign=dts,
        e_signature=esig,
        http_status=http_status,
        raw_keys=tuple(data.keys()),
    )


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def check_envelope(env: Envelope, *, failed_is_result: bool = False, method: str | None = None) -> Envelope:
    """Raise the typed error an envelope stands for, or return it when it is a result.

    ``failed_is_result``: ResponseCode 2 (Failed) is an answer, not an error (VerifyToken and
    the media uploads: the step ran and did not pass)."""
    code = env.response_code
    exc = env.exception
    two_xx = 200 <= env.http_status < 300
    if code == ResponseCode.Success:
        if not two_xx:  # e.g. a 307 or a 500 carrying ResponseCode 0 is not a success
            raise ProtocolError(f"HTTP {env.http_status} with ResponseCode 0", kind="http_status",
                                http_status=env.http_status, method=method)
        return env
    if code == ResponseCode.Failed and failed_is_result:
        if not two_xx:
            raise ProtocolError(f"HTTP {env.http_status} with ResponseCode 2", kind="http_status",
                                http_status=env.http_status, method=method)
        return env
    broker_message = (exc.error_message if exc else None) or env.message
    technical = (exc.technical_message if exc else None) or f"ResponseCode {code}"
    err_code = exc.error_code if exc else None
    if code == ResponseCode.Unauthorized or env.http_status == 401 or (
            err_code is not None and err_code in UNAUTHORIZED_CODES):
        raise BrokerUnauthorized(technical, code=err_code, http_status=env.http_status,
                                 broker_message=broker_message, method=method)
    if code in (ResponseCode.Exception, ResponseCode.Failed):
        raise BrokerRefused(technical, code=err_code, http_status=env.http_status,
                            broker_message=broker_message, method=method,
                            kind="failed" if code == ResponseCode.Failed else "refused")
    raise ProtocolError(f"unknown ResponseCode {code}", http_status=env.http_status, method=method,
                        broker_message=broker_message)
