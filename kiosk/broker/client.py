"""The broker client: one method per API method 2-20 (see ``docs/BROKER.md``).

* Paths come from ``endpoints.resolve_paths(settings["broker.endpoints"])``; each method takes
  ``verb=`` ("GET"/"POST") where the broker offers both, default the endpoint table's first.
* Every answer goes through ``envelope.parse_envelope`` / ``check_envelope``: a missing
  envelope, an HTML page, truncated JSON or a body over ``broker.max_response_bytes`` is a
  ``ProtocolError``, never a success.
* Retries (exponential back-off with full jitter, ``broker.retries``) only for idempotent
  endpoints, and only on connection failures before any answer byte and on 502/503/504; a
  ``Retry-After`` on those answers replaces the back-off (one over ``RETRY_AFTER_CAP`` ends the
  call at once). A media upload is never retried: if the connection dies after the file was sent,
  ``UploadUncertain``.
* Media goes as a streamed JSON body: the base64 of the file is produced chunk by chunk while
  sending, with the Content-Length computed up front (a 20 MB video is not held three times).
* Citizen methods 15-20 send a fresh dual-auth bearer and verify ``DataToSign``/``E_Signature``
  over the ``Result`` text as received, then that the answer is about the question (OrderId,
  CallerCode, CitizenNationalCode: ``AnswerMismatch``) before anything is returned.
* Success needs code 0 **and** HTTP 2xx. One deadline covers a whole exchange (headers
  included, ``kiosk.broker.transport.DeadlineBackend``) and ``broker.call_budget`` covers every
  attempt and wait of a call. ``Accept-Encoding: identity``; a compressed answer anyway is
  decoded with its output counted against ``broker.max_response_bytes``. TLS: the system trust
  store, or the one CA of ``broker.ca_file``.
* Nothing personal is logged: no tokens, national codes, bodies or media (and httpx's own
  request log has its query strings removed).
"""
from __future__ import annotations

import base64
import email.utils
import io
import json
import logging
import os
import random
import ssl
import time
from pathlib import Path
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, BinaryIO

import httpx

from kiosk.broker import admittance, tokens
from kiosk.broker import transport as transportmod
from kiosk.broker.codes import DocumentType, RandomTextType
from kiosk.broker.credentials import ProviderCredentials
from kiosk.broker.endpoints import BY_NAME, Endpoint, resolve_paths
from kiosk.broker.envelope import Envelope, check_envelope, parse_envelope
from kiosk.broker.errors import (AdmittanceTextUnusable, AnswerMismatch, BrokerError, BrokerUnauthorized,
                                 ProtocolError, SignatureInvalid, TransportError, UploadUncertain)
from kiosk.broker.models import (AuthenticationOutcome, CitizenData, CitizenKYCStatus, ProviderProperties,
                                 SavedItem, SelfiePicture, SignatureData, SpeechData, TempToken, TokenStatus,
                                 VerifyResult, VideoData, text_list)
from kiosk.config.settings import Settings

log = logging.getLogger(__name__)

UPLOAD_ENDPOINTS = frozenset({"SaveSignature", "SendProbImageByToken", "SendProbVideoByToken",
                              "SendAdmittanceVideoByToken", "SavePersonDocument"})
RETRY_STATUSES = frozenset({502, 503, 504})
#: a broker's Retry-After is obeyed up to this many seconds (a longer one: the call fails now, with
#: the "broker unavailable" sentence, rather than freezing the applicant's screen)
RETRY_AFTER_CAP = 20.0


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Seconds asked for by a Retry-After header (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None or when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


CHUNK = 3 * 64 * 1024  # raw bytes per base64 chunk: a multiple of 3, so chunks join cleanly

Media = bytes | bytearray | memoryview | str | os.PathLike | BinaryIO


# ----------------------------------------------------------------------------- logging hygiene

class _RedactQuery(logging.Filter):
    """httpx logs "HTTP Request: GET <url>" at INFO; GET calls carry tokens in the query."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            if record.args and isinstance(record.args, tuple):
                record.args = tuple(_strip_query(a) for a in record.args)
            if isinstance(record.msg, str) and "?" in record.msg:
                record.msg = _strip_query(record.msg)
        except Exception:  # noqa: BLE001 - a log filter must never break logging
            pass
        return True


def _strip_query(value: Any) -> Any:
    if isinstance(value, httpx.URL):
        return value.copy_with(query=None) if value.query else value
    if isinstance(value, str) and "?" in value and "://" in value:
        head, _, rest = value.partition("?")
        tail = rest.split(" ", 1)
        return head + "?<redacted>" + (" " + tail[1] if len(tail) > 1 else "")
    return value


_REDACT = _RedactQuery()
for _name in ("httpx", "httpcore"):
    _lg = logging.getLogger(_name)
    if not any(isinstance(f, _RedactQuery) for f in _lg.filters):
        _lg.addFilter(_REDACT)


# ----------------------------------------------------------------------------- streamed media body

class MediaSource:
    """A file to upload: bytes, a path or a binary file object; knows its size up front."""

    def __init__(self, media: Media):
        self._bytes: bytes | memoryview | None = None
        self._path: Path | None = None
        self._fh: BinaryIO | None = None
        if isinstance(media, (bytes, bytearray, memoryview)):
            self._bytes = memoryview(media)
            self.size = len(self._bytes)
        elif isinstance(media, (str, os.PathLike)):
            self._path = Path(media)
            self.size = self._path.stat().st_size
        elif hasattr(media, "read"):
            self._fh = media
            try:
                start = media.tell()
                media.seek(0, io.SEEK_END)
                self.size = media.tell() - start
                media.seek(start)
            except (OSError, AttributeError, ValueError):  # not seekable: read it once
                self._bytes = memoryview(media.read())
                self._fh = None
                self.size = len(self._bytes)
        else:
            raise TypeError(f"media must be bytes, a path or a binary file, not {type(media).__name__}")

    def chunks(self) -> Iterator[bytes]:
        """Raw chunks of exactly ``CHUNK`` bytes (the last may be shorter)."""
        if self._bytes is not None:
            for i in range(0, self.size, CHUNK):
                yield bytes(self._bytes[i:i + CHUNK])
            return
        fh = self._path.open("rb") if self._path is not None else self._fh
        assert fh is not None  # bytes were handled above
        try:
            carry = b""
            while True:
                block = fh.read(CHUNK - len(carry))
                if not block:
                    break
                carry += block
                if len(carry) == CHUNK:
                    yield carry
                    carry = b""
            if carry:
                yield carry
        finally:
            if self._path is not None:
                fh.close()


def b64_length(n: int) -> int:
    return 4 * ((n + 2) // 3)


def streamed_json_body(fields: Mapping[str, Any], file_name: str, media: MediaSource) -> tuple[Iterator[bytes], int]:
    """The upload body as (byte chunk iterator, Content-Length): ``fields`` then
    ``"fileData": {"name": "FileData", "fileName": ..., "content": "<base64>"}``."""
    head = json.dumps(dict(fields), ensure_ascii=False)[:-1]
    sep = ", " if fields else ""
    prefix = (head + sep + '"fileData": {"name": "FileData", "fileName": '
              + json.dumps(file_name, ensure_ascii=False) + ', "content": "').encode("utf-8")
    suffix = b'"}}'
    length = len(prefix) + b64_length(media.size) + len(suffix)

    def gen() -> Iterator[bytes]:
        yield prefix
        sent = 0
        for chunk in media.chunks():
            sent += len(chunk)
            if sent > media.size:
                raise ValueError("the media file grew while it was being sent")
            yield base64.b64encode(chunk)
        if sent != media.size:
            raise ValueError("the media file shrank while it was being sent")
        yield suffix

    return gen(), length


# ----------------------------------------------------------------------------- the client

def _attr(details: Any, *names: str, default: Any = "") -> Any:
    for n in names:
        if isinstance(details, Mapping) and n in details:
            v = details[n]
        else:
            v = getattr(details, n, None)
        if v is not None:
            return v
    return default


class BrokerClient:
    """See the module docstring. Use as a context manager or call ``close()``."""

    #: seconds of the first back-off; attempt k waits uniform(0, min(cap, base * 2**k))
    backoff_base = 0.5
    backoff_cap = 8.0

    def __init__(self, base_url: str, credentials: ProviderCredentials, settings: Settings | None = None,
                 transport: httpx.BaseTransport | None = None):
        self.settings = settings if settings is not None else Settings()
        self.credentials = credentials
        self.algorithms = tokens.TokenAlgorithms.from_settings(self.settings)
        self.paths = resolve_paths(self.settings["broker.endpoints"])
        self.timeout = float(self.settings["broker.timeout"])
        self.upload_timeout = float(self.settings["broker.upload_timeout"])
        self.retries = int(self.settings["broker.retries"])
        self.max_response_bytes = int(self.settings["broker.max_response_bytes"])
        self.sleep: Callable[[float], None] = time.sleep  # tests may replace it
        self.attempts: dict[str, int] = {}  # method name -> attempts made by the last call
        #: the provider properties last read for this client's FlowId (None: not read yet)
        self.provider_properties: ProviderProperties | None = None
        if not base_url or not base_url.startswith(("http://", "https://")):
            raise ValueError("base_url must start with http:// or https://")
        self.call_budget = float(self.settings["broker.call_budget"])
        if not self.settings["broker.verify_tls"]:
            log.warning("!!! INSECURE: TLS certificate verification of the broker is OFF "
                        "(broker.verify_tls = false). Anyone on the network can read and forge answers. !!!")
        try:
            verify = transportmod.tls_context(bool(self.settings["broker.verify_tls"]), self.settings["broker.ca_file"])
        except (OSError, ssl.SSLError) as exc:
            raise TransportError(f"broker.ca_file cannot be loaded: {exc}", kind="tls") from exc
        self._deadline: transportmod.DeadlineBackend | None = None
        if transport is None:
            transport, self._deadline = transportmod.deadline_transport(verify)
        self._http = httpx.Client(
            base_url=base_url.rstrip("/"), transport=transport,
            timeout=httpx.Timeout(self.timeout), follow_redirects=False,
            # identity: a compressed answer could inflate far beyond broker.max_response_bytes
            headers={"Accept": "application/json", "Accept-Encoding": "identity", "User-Agent": "kiosk-ekyc/0.1"},
        )

    # -- lifetime
    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> BrokerClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- plumbing
    def _verb(self, ep: Endpoint, verb: str | None) -> str:
        v = (verb or ep.verbs[0]).upper()
        if v not in ep.verbs:
            raise ValueError(f"{ep.name} takes {' or '.join(ep.verbs)}, not {v}")
        return v

    def _backoff(self, attempt: int) -> float:
        return random.uniform(0, min(self.backoff_cap, self.backoff_base * (2 ** attempt)))

    def _request(self, name: str, *, verb: str | None = None, params: Mapping[str, Any] | None = None,
                 body: Mapping[str, Any] | None = None, upload: tuple[Mapping[str, Any], str, Media] | None = None,
                 failed_is_result: bool = False) -> Envelope:
        ep = BY_NAME[name]
        method = self._verb(ep, verb)
        path = self.paths[name]
        is_upload = upload is not None
        timeout = self.upload_timeout if is_upload else self.timeout
        headers: dict[str, str] = {}
        attempts = (self.retries + 1) if ep.idempotent else 1
        self.attempts[name] = 0
        last: BrokerError | None = None
        asked: float | None = None  # the broker's Retry-After on the last answer
        # the whole call (every attempt and every wait between them) fits in one budget
        # (an upload, never retried, has at least broker.upload_timeout)
        call_deadline = time.monotonic() + (max(self.call_budget, timeout) if is_upload else self.call_budget)
        for attempt in range(attempts):
            if attempt:
                delay = self._backoff(attempt - 1) if asked is None else asked
                if time.monotonic() + delay >= call_deadline:
                    log.info("broker %s: a retry in %.2f s would not fit broker.call_budget; stopping", name, delay)
                    assert last is not None
                    raise last
                log.info("broker %s: retry %d/%d in %.2f s (%s)", name, attempt, attempts - 1, delay,
                         last.kind if last else "")
                self.sleep(delay)
            self.attempts[name] = attempt + 1
            if ep.dual_auth:  # a fresh jti on every attempt
                headers["Authorization"] = "Bearer " + tokens.build_bearer(
                    self.credentials.flow_id, self.credentials.provider_private_pem, ep.scope, self.algorithms)
            kwargs: dict[str, Any] = {"headers": dict(headers), "timeout": httpx.Timeout(timeout)}
            if method == "GET":
                kwargs["params"] = {k: _param(v) for k, v in (params or {}).items() if v is not None}
            elif upload is not None:
                fields, file_name, media = upload
                stream, length = streamed_json_body(fields, file_name, MediaSource(media))
                kwargs["content"] = stream
                kwargs["headers"].update({"Content-Type": "application/json; charset=utf-8",
                                          "Content-Length": str(length)})
            else:
                kwargs["content"] = json.dumps(dict(body or {}), ensure_ascii=False).encode("utf-8")
                kwargs["headers"]["Content-Type"] = "application/json; charset=utf-8"
            started = time.monotonic()
            try:
                status, ctype, data, retry_after = self._send(method, path, kwargs,
                                                              min(started + timeout, call_deadline))
            except _NoAnswer as exc:
                err = exc.to_error(name, is_upload)
                if exc.retry_safe and ep.idempotent and attempt + 1 < attempts:
                    last = err
                    continue
                raise err from exc.cause
            log.info("broker %s %s -> HTTP %d, %d bytes, %.2f s", method, name, status, len(data),
                     time.monotonic() - started)
            if status in RETRY_STATUSES:
                last = TransportError(f"HTTP {status} from the broker", kind="unavailable", http_status=status,
                                      method=name, sent=True)
                asked = retry_after_seconds(retry_after)
                if asked is not None and asked > RETRY_AFTER_CAP:
                    log.info("broker %s: HTTP %d asks to come back in %.0f s; not waiting", name, status, asked)
                    attempts = attempt + 1  # no retry: tell the staff now
                if ep.idempotent and attempt + 1 < attempts:
                    continue
                if is_upload:
                    raise UploadUncertain(f"HTTP {status} after the upload was sent", http_status=status,
                                          method=name)
                raise last
            return self._envelope(name, status, ctype, data, failed_is_result)
        assert last is not None
        raise last

    def _send(self, method: str, path: str, kwargs: dict, deadline: float) -> tuple[int, str, bytes, str | None]:
        """One HTTP exchange, connect, status line, headers and body all before ``deadline``
        (``time.monotonic()``), reading at most ``max_response_bytes`` after any decompression:
        (status, Content-Type, body, Retry-After)."""
        got_response = False
        if self._deadline is not None:
            self._deadline.deadline = deadline
        try:
            with self._http.stream(method, path, **kwargs) as resp:
                got_response = True
                cap = self.max_response_bytes
                declared = resp.headers.get("Content-Length")
                if declared and declared.isdigit() and int(declared) > cap:
                    raise ProtocolError(f"answer of {declared} bytes is over the {cap}-byte limit",
                                        kind="too_large", http_status=resp.status_code)
                decoder = transportmod.BoundedDecoder(resp.headers.get("Content-Encoding", ""), cap, resp.status_code)
                buf = bytearray()
                raw_size = 0
                # raw bytes, decoded here and counted as they inflate (an answer made in memory,
                # as a test transport gives, already holds its raw content)
                chunks: Iterable[bytes] = (resp.content,) if hasattr(resp, "_content") else resp.iter_raw()
                for chunk in chunks:
                    raw_size += len(chunk)
                    if raw_size > cap:
                        raise ProtocolError(f"answer is over the {cap}-byte limit", kind="too_large",
                                            http_status=resp.status_code)
                    buf += decoder.feed(chunk)
                    if len(buf) > cap:
                        raise ProtocolError(f"answer is over the {cap}-byte limit", kind="too_large",
                                            http_status=resp.status_code)
                    if time.monotonic() > deadline:
                        raise httpx.ReadTimeout("the answer is arriving too slowly")
                buf += decoder.finish()
                if len(buf) > cap:
                    raise ProtocolError(f"answer is over the {cap}-byte limit", kind="too_large",
                                        http_status=resp.status_code)
                return (resp.status_code, resp.headers.get("Content-Type", ""), bytes(buf),
                        resp.headers.get("Retry-After"))
        except ProtocolError:
            raise
        except httpx.ConnectTimeout as exc:
            raise _NoAnswer("timeout", "connecting to the broker timed out", exc, sent=False) from exc
        except httpx.ConnectError as exc:
            text = str(exc).lower()
            kind = ("tls" if ("ssl" in text or "certificate" in text) else
                    "dns" if ("name or service" in text or "nodename" in text or "getaddrinfo" in text
                              or "name resolution" in text) else "connect")
            raise _NoAnswer(kind, f"cannot connect to the broker: {type(exc).__name__}", exc, sent=False,
                            retry_safe=kind != "tls") from exc
        except (httpx.ReadTimeout, httpx.WriteTimeout, httpx.PoolTimeout) as exc:
            raise _NoAnswer("timeout", f"the broker did not answer in time ({type(exc).__name__})", exc,
                            sent=not isinstance(exc, httpx.PoolTimeout), retry_safe=False) from exc
        except httpx.WriteError as exc:
            raise _NoAnswer("reset", "the connection broke while sending", exc, sent=True,
                            retry_safe=False, partial=True) from exc
        except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
            # Closed or reset before any answer byte: safe to retry an idempotent call.
            raise _NoAnswer("reset", f"the connection broke ({type(exc).__name__})", exc, sent=True,
                            retry_safe=not got_response) from exc
        except httpx.TransportError as exc:
            raise _NoAnswer("connect", f"transport failure ({type(exc).__name__})", exc, sent=False,
                            retry_safe=False) from exc
        finally:
            if self._deadline is not None:
                self._deadline.deadline = None

    def _envelope(self, name: str, status: int, ctype: str, data: bytes, failed_is_result: bool) -> Envelope:
        try:
            env = parse_envelope(data, http_status=status, content_type=ctype)
        except ProtocolError as exc:
            exc.method = name
            exc.http_status = status
            if status == 401:
                raise BrokerUnauthorized("HTTP 401 from the broker", http_status=401, method=name) from exc
            if status >= 400 and exc.kind != "html":
                raise ProtocolError(f"HTTP {status} without a broker envelope", kind="http_status",
                                    http_status=status, method=name) from exc
            raise
        if env.exception is not None and env.exception.error_code is not None:
            log.info("broker %s: ResponseCode %d, ErrorCode %s", name, env.response_code, env.exception.error_code)
        return check_envelope(env, failed_is_result=failed_is_result, method=name)

    def _signed(self, name: str, env: Envelope) -> str:
        """Verify a citizen answer's signature over the raw Result; return the raw Result."""
        if env.result_raw is None or env.result is None:
            raise ProtocolError("a signed answer without a Result", method=name)
        try:
            tokens.verify_result_signature(env.result_raw, env.data_to_sign or "", env.e_signature or "",
                                           self.credentials.broker_public_pem, self.algorithms)
        except tokens.TokenError as exc:
            log.warning("broker %s: signed answer refused: %s", name, exc)
            raise SignatureInvalid(str(exc), method=name) from exc
        return env.result_raw

    @staticmethod
    def _parse(name: str, fn: Callable[[], Any]) -> Any:
        try:
            return fn()
        except ProtocolError as exc:
            exc.method = name
            raise

    # -- verification token
    def new_verification_token(self, details: Any, order_id: str, *, admittance_text: str | None = None,
                               admittance_required: bool | None = None,
                               custom_value: str | None = None) -> tuple[str, str | None]:
        """(tokenValue, tokenSignature) for an applicant. ``details`` is an ``ApplicantDetails``
        (or a mapping) with national_code, birth_date, mobile, card_serial and optional names.
        The signature is None when ``broker.sign_tokens`` is off; otherwise it is written as
        ``broker.signature_encoding`` says (standard Base64 by default, as the original).

        ``admittanceText`` is the provider's sentence (``broker.admittance_text`` with the
        applicant's names filled, see ``kiosk.broker.admittance``) unless ``admittance_text`` is
        given. ``admittance_required`` (default: the AdmittancePermission of the provider
        properties this client last read): a sentence the applicant cannot read raises
        ``AdmittanceTextUnusable`` before anything is sent."""
        s = self.settings
        if admittance_required is None:
            admittance_required = bool(self.provider_properties and self.provider_properties.admittance_permission)
        first = str(_attr(details, "first_name", "firstName"))
        last = str(_attr(details, "last_name", "lastName"))
        if admittance_text is None:
            admittance_text = str(_attr(details, "admittance_text", "admittanceText", default="")) or None
        if admittance_text is None:
            admittance_text = admittance.admittance_for_token(s, first, last, required=admittance_required)
        elif admittance_required:
            problem = admittance.admittance_problem(admittance_text, s)
            if problem is not None:
                raise AdmittanceTextUnusable(problem[0], method="SetToken")
        claims = tokens.build_verification_claims(
            flow_id=self.credentials.flow_id,
            order_id=str(order_id),
            national_code=str(_attr(details, "national_code", "nationalCode")),
            birth_date=str(_attr(details, "birth_date", "birthDate")),
            mobile_number=str(_attr(details, "mobile", "mobile_number", "mobileNumber")),
            card_serial_no=str(_attr(details, "card_serial", "card_serial_no", "cardSerialNo")),
            first_name=first,
            last_name=last,
            father_name=str(_attr(details, "father_name", "fatherName")),
            gender=int(_attr(details, "gender", default=0) or 0),
            card_exp_date=str(_attr(details, "card_exp_date", "cardExpDate")),
            admittance_text=admittance_text,
            custom_value=custom_value,
            callback_url=s["broker.callback_url"],
            lifetime=s["broker.token_lifetime"],
            caller_code_claim=self.algorithms.caller_code_claim,
            order_id_claim=self.algorithms.order_id_claim,
        )
        token = tokens.encode_verification_token(claims, self.credentials.token_secret, self.algorithms)
        signature = (tokens.sign_token(token, self.credentials.provider_private_pem, self.algorithms)
                     if s["broker.sign_tokens"] else None)
        return token, signature

    # -- methods 2-14
    def new_order_id(self) -> str:
        """A fresh order id in the form ``broker.order_id_format`` asks for."""
        return tokens.new_order_id(self.settings["broker.order_id_format"])

    def generate_temp_token(self, temp_token: str, verb: str | None = None) -> TempToken:
        verb = verb or self.settings["broker.temp_token_verb"]
        env = self._request("GenerateTempToken", verb=verb, params={"tempTokenValue": temp_token},
                            body={"tempTokenValue": temp_token})
        return self._parse("GenerateTempToken", lambda: TempToken.from_result(env.result))

    def set_token(self, token: str, signature: str | None = None, verb: str | None = None) -> str:
        data = {"tokenValue": token}
        if signature:
            data["tokenSignature"] = signature
        env = self._request("SetToken", verb=verb, params=data, body=data)
        return env.message or ""

    def check_token(self, token: str, verb: str | None = None) -> TokenStatus:
        env = self._request("CheckToken", verb=verb, params={"tokenValue": token}, body={"tokenValue": token})
        return TokenStatus.from_envelope(env)

    def get_token_provider_properties(self, flow_id: str | None = None, verb: str | None = None) -> ProviderProperties:
        fid = flow_id or self.credentials.flow_id
        env = self._request("GetTokenProviderProperties", verb=verb, params={"flowId": fid},
                            body={"flowId": fid, "callerCode": fid})
        if env.result is None:
            raise ProtocolError("provider properties answer has no Result", method="GetTokenProviderProperties")
        props: ProviderProperties = self._parse("GetTokenProviderProperties",
                                                lambda: ProviderProperties.from_result(env.result))
        if fid == self.credentials.flow_id:
            self.provider_properties = props
        return props

    def save_signature(self, token: str, image: Media, file_name: str = "Signature.png") -> SavedItem:
        env = self._request("SaveSignature", upload=({"tokenValue": token}, file_name, image))
        return self._parse("SaveSignature", lambda: SavedItem.from_envelope(env))

    def send_prob_image(self, token: str, image: Media, face_threshold: float = -1,
                        file_name: str = "ProbImage.jpg") -> AuthenticationOutcome:
        env = self._request("SendProbImageByToken", failed_is_result=True, upload=(
            {"tokenValue": token, "faceThreshold": face_threshold}, file_name, image))
        return self._parse("SendProbImageByToken", lambda: AuthenticationOutcome.from_envelope(env))

    def get_random_text(self, type: int = RandomTextType.Sentences, count: int = 1,  # noqa: A002 - the broker\'s own parameter name
                        verb: str | None = None) -> list[str]:
        data = {"type": int(type), "count": int(count)}
        env = self._request("GetRandomText", verb=verb, params=data, body=data)
        return self._parse("GetRandomText", lambda: text_list(env.result))

    def send_prob_video(self, token: str, video: Media, random_text: str, face_threshold: float = -1,
                        voice_threshold: float = -1, file_name: str = "ProbVideo.webm") -> AuthenticationOutcome:
        env = self._request("SendProbVideoByToken", failed_is_result=True, upload=(
            {"tokenValue": token, "randomText": random_text, "faceThreshold": face_threshold,
             "voiceThreshold": voice_threshold}, file_name, video))
        return self._parse("SendProbVideoByToken", lambda: AuthenticationOutcome.from_envelope(env))

    def get_admittance_text(self, token: str, verb: str | None = None) -> str:
        env = self._request("GetAdmittanceText", verb=verb, params={"tokenValue": token},
                            body={"tokenValue": token})
        return self._parse("GetAdmittanceText", lambda: " ".join(text_list(env.result)))

    def send_admittance_video(self, token: str, video: Media, face_threshold: float = -1,
                              voice_threshold: float = -1, random_text: str = "",
                              file_name: str = "AdmittanceVideo.webm") -> AuthenticationOutcome:
        env = self._request("SendAdmittanceVideoByToken", failed_is_result=True, upload=(
            {"tokenValue": token, "randomText": random_text, "faceThreshold": face_threshold,
             "voiceThreshold": voice_threshold}, file_name, video))
        return self._parse("SendAdmittanceVideoByToken", lambda: AuthenticationOutcome.from_envelope(env))

    def save_person_document(self, token: str, image: Media, document_type: int = DocumentType.IdCardFront,
                             file_name: str | None = None) -> SavedItem:
        if file_name is None:
            file_name = "IdCardBack.png" if int(document_type) == DocumentType.IdCardBack else "IdCardFront.png"
        env = self._request("SavePersonDocument", upload=(
            {"tokenValue": token, "documentType": int(document_type)}, file_name, image))
        return self._parse("SavePersonDocument", lambda: SavedItem.from_envelope(env))

    def verify_token(self, token: str, verb: str | None = None) -> VerifyResult:
        env = self._request("VerifyToken", verb=verb, params={"tokenValue": token}, body={"tokenValue": token},
                            failed_is_result=True)
        return VerifyResult.from_envelope(env)

    def abort_token(self, token: str, verb: str | None = None) -> str:
        env = self._request("AbortToken", verb=verb, params={"tokenValue": token}, body={"tokenValue": token})
        return env.message or ""

    # -- methods 15-20 (dual-auth bearer, signed answers)
    def _citizen(self, name: str, order_id: str, national_code: str | None, verb: str | None,
                 extra: Mapping[str, bool] | None = None) -> Any:
        ids = {"OrderId": str(order_id), "FlowId": self.credentials.flow_id}
        body: dict[str, Any] = dict(ids, NationalCode=national_code)
        params: dict[str, Any] = dict(ids)
        if national_code:
            params["NationalCode"] = national_code
        for key, value in (extra or {}).items():
            body[key] = bool(value)
            params[key[0].lower() + key[1:]] = bool(value)
        env = self._request(name, verb=verb, params=params, body=body)
        self._signed(name, env)
        self._bound(name, env.result, str(order_id), national_code)
        return env.result

    def _bound(self, name: str, result: Any, order_id: str, national_code: str | None) -> None:
        """A signed answer proves who wrote it, not which question it answers: its OrderId must
        be the order asked about, its CallerCode this kiosk's FlowId, and the AuthResult's
        CitizenNationalCode the national code asked about (when one was given)."""
        if not isinstance(result, Mapping):
            raise ProtocolError("a signed answer whose Result is not an object", method=name)
        low = {str(k).lower(): v for k, v in result.items()}

        def same(value: Any, wanted: str) -> bool:
            return isinstance(value, (str, int)) and not isinstance(value, bool) and str(value).strip() == wanted

        if not same(low.get("orderid"), order_id):
            raise AnswerMismatch("the signed answer is about another order", method=name)
        if not same(low.get("callercode"), self.credentials.flow_id):
            raise AnswerMismatch("the signed answer is for another provider (CallerCode)", method=name)
        auth = low.get("authresult")
        if national_code and isinstance(auth, Mapping):
            cited = {str(k).lower(): v for k, v in auth.items()}.get("citizennationalcode")
            if cited is not None and not same(cited, str(national_code).strip()):
                raise AnswerMismatch("the signed answer is about another national code", method=name)

    def get_citizen_kyc_status(self, order_id: str, national_code: str | None = None,
                               verb: str | None = None) -> CitizenKYCStatus:
        r = self._citizen("GetCitizenKYCStatus", order_id, national_code, verb)
        return self._parse("GetCitizenKYCStatus", lambda: CitizenKYCStatus.from_result(r))

    def get_citizen_signature_data(self, order_id: str, national_code: str | None = None,
                                   verb: str | None = None) -> SignatureData:
        r = self._citizen("GetCitizenSignatureData", order_id, national_code, verb)
        return self._parse("GetCitizenSignatureData", lambda: SignatureData.from_result(r))

    def get_citizen_selfie_data(self, order_id: str, national_code: str | None = None,
                                verb: str | None = None) -> SelfiePicture:
        r = self._citizen("GetCitizenSelfieData", order_id, national_code, verb)
        return self._parse("GetCitizenSelfieData", lambda: SelfiePicture.from_result(r))

    def get_citizen_video_data(self, order_id: str, national_code: str | None = None,
                               verb: str | None = None) -> VideoData:
        r = self._citizen("GetCitizenVideoData", order_id, national_code, verb)
        return self._parse("GetCitizenVideoData", lambda: VideoData.from_result(r))

    def get_citizen_speech_data(self, order_id: str, national_code: str | None = None,
                                verb: str | None = None) -> SpeechData:
        r = self._citizen("GetCitizenSpeechData", order_id, national_code, verb)
        return self._parse("GetCitizenSpeechData", lambda: SpeechData.from_result(r))

    def get_citizen_data(self, order_id: str, national_code: str | None = None, *, auth_result: bool = True,
                         selfie_picture: bool = True, video: bool = True, speech: bool = True,
                         signature: bool = True, filter_biometric_data: bool = True,
                         verb: str | None = None) -> CitizenData:
        """``filter_biometric_data``: whether the base64 media is wanted. The wire flag
        ``FilterBiometricData`` is set as ``broker.filter_biometric_data_means`` reads it
        (default ``include_media``: the original says media is left out when it is false)."""
        flag = filter_biometric_data if self.settings["broker.filter_biometric_data_means"] == "include_media" \
            else not filter_biometric_data
        extra = {"AuthResult": auth_result, "SelfiePicture": selfie_picture, "Video": video,
                 "Speech": speech, "Signature": signature, "FilterBiometricData": flag}
        r = self._citizen("GetCitizenData", order_id, national_code, verb, extra)
        return self._parse("GetCitizenData", lambda: CitizenData.from_result(r))


def _param(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


class _NoAnswer(Exception):
    def __init__(self, kind: str, message: str, cause: BaseException, *, sent: bool, retry_safe: bool = True,
                 partial: bool = False):
        super().__init__(message)
        self.kind = kind
        self.cause = cause
        self.sent = sent
        self.retry_safe = retry_safe
        self.partial = partial

    def to_error(self, method: str, is_upload: bool) -> BrokerError:
        if is_upload and self.sent and not self.partial:
            return UploadUncertain(f"{self} after the upload was sent", method=method)
        if self.sent and not self.retry_safe and self.kind in ("timeout", "reset") and not self.partial:
            return TransportError(str(self), kind="no_answer" if self.kind == "reset" else "timeout",
                                  sent=True, method=method)
        return TransportError(str(self), kind=self.kind, sent=self.sent, method=method)
