"""The sandbox eKYC broker: a real HTTP server that plays the remote broker for demos and tests.

It implements methods 2-20 of ``shared/spec/BROKER-API.md`` at the paths of
``kiosk.broker.endpoints`` (with the ``broker.endpoints`` overrides), keeps every token's life
in memory (thread-safe), inspects the media it receives for real (``kiosk.sandbox.media``) and
signs the citizen answers with its own key. Its behaviour is set by ``SandboxConfig``.

Choices where the reference leaves room (each documented in ``kiosk/sandbox/README.md``):

* Envelope: ``Result`` (when the method has one), ``FailureResult`` (uploads 7, 9, 11),
  the response code and message keys (spelling from the config), ``Exception``.
* HTTP status: 200 for every answer of the broker's own rules; 400 for a request it cannot
  read (codes 3, 1101, 1102), 413 for a body over the limit, 404/405 for an unknown path or
  verb, 401 (with ResponseCode 401) for a refused dual-auth bearer, 500 for a sandbox bug
  (never a traceback in the body).
* A failed media check is an answer, not an exception: ResponseCode 2 with ``FailureResult``
  ``{AuthenticationStatus, AuthenticationResult}``, and it spends one try. A file that is not
  the right format is 1101 (images) or 1604 (video); a WebM without an audio track is 1605
  SpeechError; a track with no sound above ``min_speech_dbfs`` is a FailureResult
  SpeechNotMatched. These do not spend a try, except the last.
"""
from __future__ import annotations

import functools
import json
import logging
import math
import random
import secrets
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable
from urllib.parse import parse_qs, urlsplit

import jwt
from persiantools.jdatetime import JalaliDateTime

from kiosk.broker import credentials as creds
from kiosk.broker import tokens
from kiosk.broker.codes import (AuthenticationStatus, KYCRequestStatus, KYCStatus, LivenessResult,
                                VerificationStatus)
from kiosk.broker.endpoints import BY_NAME, CITIZEN_SCOPE, ORIGINAL_CODE_KEY, resolve_paths
from kiosk.sandbox import media as mediamod
from kiosk.sandbox import rules, texts
from kiosk.sandbox.config import ENVELOPE_SPELLINGS, LANGUAGE_CODES, Faults, SandboxConfig

log = logging.getLogger("kiosk.sandbox")

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

    def text(self, key: str, required: bool = True) -> str | None:
        v = self.get(key)
        if v is None or (isinstance(v, str) and not v.strip()):
            if required:
                raise BrokerFault(self.missing_code, f"'{key}' is missing")
            return None
        if not isinstance(v, str):
            raise BrokerFault(self.missing_code, f"'{key}' must be text")
        return v.strip()

    def number(self, key: str, default: float | None = None, integer: bool = False) -> float | int | None:
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


# ----------------------------------------------------------------------------- the broker

class SandboxBroker:
    """The sandbox broker. ``start()`` returns once it listens (serving in a daemon thread);
    ``stop()`` closes every connection and joins every thread. A context manager."""

    def __init__(self, credentials_dir: Path, port: int = 0, host: str = "127.0.0.1",
                 config: SandboxConfig | None = None, settings=None):
        from kiosk.config.settings import Settings

        self.credentials_dir = Path(credentials_dir)
        self.host = host
        self.port = int(port)
        self.config = config or SandboxConfig()
        self.settings = settings if settings is not None else Settings.load()
        self.algorithms = tokens.TokenAlgorithms.from_settings(self.settings)
        paths = resolve_paths(self.settings["broker.endpoints"])
        self.routes: dict[str, str] = {path.lower(): name for name, path in paths.items()}
        self.paths = paths
        self._lock = threading.RLock()
        self._current = threading.local()  # .method: the method being answered on this thread
        self._tokens: dict[str, TokenRecord] = {}
        self._orders: dict[str, TokenRecord] = {}
        self._seen_jti: set[str] = set()
        self._rng = random.Random(self.config.seed)
        self._faces = mediamod.FaceCounter()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._load_or_create_credentials()

    # -- credentials
    def _load_or_create_credentials(self) -> None:
        d = self.credentials_dir
        names = ("credentials.json", "provider_private.pem", "provider_public.pem", "broker_public.pem",
                 "broker_private.pem")
        if all((d / n).exists() for n in names):
            info = json.loads((d / "credentials.json").read_text("utf-8"))
            self.flow_id = str(info["flow_id"])
            self.token_secret = str(info["token_secret"])
            self._provider_private = (d / "provider_private.pem").read_bytes()
            self._provider_public = (d / "provider_public.pem").read_bytes()
            self._broker_private = (d / "broker_private.pem").read_bytes()
            self._broker_public = (d / "broker_public.pem").read_bytes()
            self._load_keys()
            if (self._broker_key.public_key().public_numbers() != self._broker_public_key.public_numbers()
                    or self._provider_key.public_key().public_numbers() != self._provider_public_key.public_numbers()):
                raise creds.CredentialsError(f"the key pairs in {d} do not match")
            return
        d.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.flow_id = self.config.flow_id
        self.token_secret = secrets.token_urlsafe(32)
        self._provider_private, self._provider_public = tokens.generate_rsa_keypair()
        self._broker_private, self._broker_public = tokens.generate_rsa_keypair()
        creds.write_private(d / "provider_private.pem", self._provider_private)
        (d / "provider_public.pem").write_bytes(self._provider_public)
        creds.write_private(d / "broker_private.pem", self._broker_private)
        (d / "broker_public.pem").write_bytes(self._broker_public)
        self._write_info("")
        self._load_keys()

    def _load_keys(self) -> None:
        """Parse the keys once (parsing a private key costs tens of milliseconds)."""
        try:
            self._broker_key = _private_key(self._broker_private)
            self._provider_key = _private_key(self._provider_private)
            self._broker_public_key = tokens.load_public_key(self._broker_public)
            self._provider_public_key = tokens.load_public_key(self._provider_public)
        except tokens.TokenError as exc:
            raise creds.CredentialsError(f"{self.credentials_dir}: {exc}") from exc

    def _write_info(self, base_url: str) -> None:
        info = {"flow_id": self.flow_id, "token_secret": self.token_secret, "base_url": base_url}
        creds.write_private(self.credentials_dir / "credentials.json",
                            json.dumps(info, indent=2).encode("utf-8"))

    @property
    def credentials(self) -> creds.ProviderCredentials:
        return creds.ProviderCredentials(flow_id=self.flow_id, token_secret=self.token_secret,
                                         provider_private_pem=self._provider_private,
                                         broker_public_pem=self._broker_public,
                                         provider_public_pem=self._provider_public)

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the sandbox broker is not started")
        host = self.host if ":" not in self.host else f"[{self.host}]"
        return f"http://{host}:{self.port}"

    # -- life
    def start(self) -> "SandboxBroker":
        if self._server is not None:
            return self
        server = _Server((self.host, self.port), _Handler)
        server.broker = self
        self._server = server
        self.port = server.server_address[1]
        self._write_info(self.url)
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"sandbox-broker:{self.port}", daemon=True)
        self._thread.start()
        log.info("sandbox broker listening on %s", self.url)
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.close_all()
            server.server_close()
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None
        self._faces.close()
        self._faces = mediamod.FaceCounter()

    def __enter__(self) -> "SandboxBroker":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def serve_until(self, stop: threading.Event) -> None:
        """Run until ``stop`` is set (the CLI)."""
        self.start()
        try:
            while not stop.wait(0.2):
                pass
        finally:
            self.stop()

    # -- for tests and demos
    def set_faults(self, faults: Faults | dict | Callable | None) -> None:
        self.config.faults = faults

    def token_state(self, token_or_order: str) -> KYCRequestStatus | None:
        with self._lock:
            rec = self._tokens.get(token_or_order) or self._orders.get(token_or_order)
            return rec.status if rec else None

    def verbs(self, name: str) -> tuple[str, ...]:
        """The HTTP verbs a method takes: the original's (strict: GenerateTempToken only with
        ``broker.temp_token_verb``, GET as the original says)."""
        verbs = BY_NAME[name].verbs
        if name == "GenerateTempToken" and self.config.strict:
            return (self.settings["broker.temp_token_verb"],)
        return verbs

    # -- envelope
    @property
    def lang(self) -> str:
        return self.config.language

    def _keys(self) -> tuple[str, str]:
        spelling = self.config.envelope_spelling
        if spelling == "original":
            method = getattr(self._current, "method", None)
            spelling = ORIGINAL_CODE_KEY.get(method or "", "ResponseCode") if self.config.strict else "ResponseCode"
        return ENVELOPE_SPELLINGS[spelling]

    def envelope(self, *, code: int = 0, message: str = "", result: Any = ..., failure: Any = ...,
                 exception: dict | None = None) -> dict[str, Any]:
        code_key, msg_key = self._keys()
        out: dict[str, Any] = {}
        if failure is not ...:
            out["FailureResult"] = failure
        if result is not ...:
            out["Result"] = result
        out[code_key] = code
        out[msg_key] = message
        out["Exception"] = exception
        return out

    def exception_body(self, fault: BrokerFault) -> dict[str, Any]:
        lang = self.lang
        user, technical = texts.error_texts(fault.code, lang)
        if fault.message:
            user = fault.message[1] if lang == "en" else fault.message[0]
        if fault.technical:
            technical = fault.technical
        exc = {
            "ErrorMessage": user,
            "ErrorCode": fault.code,
            "TechnicalMessage": technical,
            "Exception": None,
            "TimeOccurred": now_tehran().isoformat(timespec="microseconds"),
            "Message": user,
            "Data": {},
            "StackTrace": "",
            "HelpLink": None,
            "Source": "EKYC_Service",
            "HResult": HRESULT,
        }
        env = self.envelope(code=fault.response_code, message=texts.OPERATION_FAILED[lang],
                            result=None, exception=exc)
        return env

    def error_answer(self, fault: BrokerFault) -> Answer:
        status = 401 if fault.response_code == 401 else fault.http_status
        return Answer(_dumps(self.exception_body(fault)), status, f"error {fault.code}")

    def ok(self, key_or_text: str, result: Any = ..., *, code: int = 0, failure: Any = ..., **fmt) -> Answer:
        text = texts.message(key_or_text, self.lang, **fmt) if key_or_text in texts.MESSAGES else key_or_text
        return Answer(_dumps(self.envelope(code=code, message=text, result=result, failure=failure)), 200,
                      f"code {code}")

    def signed(self, req: Request, result: dict[str, Any]) -> Answer:
        """A signed answer (15-20): the Result text is serialised once and the body is built
        around that exact text."""
        result_text = _dumps(result)
        dts, sig = tokens.sign_result(result_text, self._broker_key, self.algorithms)
        if req.faults is not None and req.faults.bad_signature:
            sig = ("A" if sig[0] != "A" else "B") + sig[1:]
        code_key, msg_key = self._keys()
        body = ('{"Result":' + result_text
                + ',"DataToSign":' + json.dumps(dts)
                + ',"E_Signature":' + json.dumps(sig)
                + ',' + json.dumps(code_key) + ':0'
                + ',' + json.dumps(msg_key) + ':' + json.dumps(texts.message("done", self.lang), ensure_ascii=False)
                + ',"Exception":null}')
        return Answer(body, 200, "code 0 signed")

    # -- dispatch
    def handle(self, req: Request) -> Answer:
        method = getattr(self, "m_" + req.name)
        self._current.method = req.name
        try:
            return method(req)
        except BrokerFault as fault:
            return self.error_answer(fault)
        except mediamod.MediaError as exc:
            return self.error_answer(BrokerFault(exc.code, str(exc)))
        finally:
            self._current.method = None

    # -- token guards
    def _record(self, req: Request, key: str = "tokenValue") -> TokenRecord:
        token = req.text(key)
        with self._lock:
            rec = self._tokens.get(token)
            if rec is None:
                raise BrokerFault(1211)
            if req.faults is not None and req.faults.expire_token:
                rec.forced_expired = True
            if rec.expired():
                if not rec.closed and not rec.aborted:
                    rec.status = KYCRequestStatus.Timeout
                raise BrokerFault(1209)
            return rec

    @staticmethod
    def _open(rec: TokenRecord) -> None:
        """Refuse changes to a cancelled or closed token (call with the lock held)."""
        if rec.aborted:
            raise BrokerFault(1222)
        if rec.closed:
            if rec.status == KYCRequestStatus.AuthDone:
                raise BrokerFault(1223)
            raise BrokerFault(1212, "Token is closed!")

    def _permission(self, name: str, code: int) -> None:
        if not self.config.provider_properties.get(name):
            raise BrokerFault(code)

    def _tries(self, rec: TokenRecord, step: str, key: str) -> None:
        allowed = int(self.config.provider_properties.get(key) or 0)
        if allowed > 0 and rec.failures[step] >= allowed:
            rec.status = KYCRequestStatus.MaxTryCountReached
            raise BrokerFault(1220)

    def _threshold(self, req: Request, key: str, default: float) -> float:
        value = req.number(key, default=-1.0)
        if value == -1:
            return default
        if not 0 <= value <= 100:
            raise BrokerFault(req.missing_code, f"'{key}' must be -1 or between 0 and 100")
        return float(value)

    # ------------------------------------------------------------------ 2 GenerateTempToken
    def m_GenerateTempToken(self, req: Request) -> Answer:
        temp = req.get("tempTokenValue")
        if not isinstance(temp, str) or not temp.strip():
            raise BrokerFault(0, "IDX10000: The parameter 'token' cannot be a 'null' or an empty object. "
                                 "Parameter name: token", http_status=400)
        try:
            claims = tokens.unverified_claims(temp.strip())
        except tokens.TokenError:
            raise BrokerFault(0, "IDX12741: JWT is not well formed.", http_status=400) from None
        if not isinstance(claims, dict):
            raise BrokerFault(0, "IDX12741: JWT is not well formed.", http_status=400)
        lifetime = self.config.temp_token_lifetime
        iat, exp = claims.get("iat"), claims.get("exp")
        if (isinstance(iat, (int, float)) and isinstance(exp, (int, float)) and not isinstance(iat, bool)
                and 0 < exp - iat <= 86400):
            lifetime = int(exp - iat)
        issued = int(time.time())
        ordered = {k: claims[k] for k in tokens.CLAIM_ORDER if k in claims and k not in ("iat", "exp")}
        ordered.update({k: v for k, v in claims.items() if k not in ordered and k not in ("iat", "exp")})
        ordered["iat"] = issued
        ordered["exp"] = issued + lifetime
        token = tokens.encode_verification_token(ordered, self.token_secret, self.algorithms)
        # the original's sample answers "TokenSignature": null (the provider signs its own tokens)
        signature = None if self.config.strict else tokens.sign_token(token, self._provider_key, self.algorithms)
        return self.ok("temp_token", {"TokenValue": token, "TokenSignature": signature, "IsEncrypted": False})

    # ------------------------------------------------------------------ 3 SetToken
    def m_SetToken(self, req: Request) -> Answer:
        token = req.text("tokenValue")
        raw_signature = req.get("tokenSignature")
        if self.config.strict:
            # the original's broker reads the text as sent: no trimming, no repair
            if raw_signature is not None and not isinstance(raw_signature, str):
                raise BrokerFault(1213, "tokenSignature must be text")
            signature = raw_signature or None
        else:
            signature = req.text("tokenSignature", required=False)
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise BrokerFault(1211, "Token is not a JWT!") from None
        if header.get("alg") != self.algorithms.jwt_algorithm:
            raise BrokerFault(1215, f"Token algorithm must be {self.algorithms.jwt_algorithm}!")
        try:
            claims = tokens.decode_verification_token(token, self.token_secret, self.algorithms, verify_exp=False)
        except tokens.TokenError:
            raise BrokerFault(1211, "Token is not valid (signature or claims)!") from None
        caller = self._claim(claims, self.algorithms.caller_code_claim)
        if not isinstance(caller, str) or not caller.strip():
            raise BrokerFault(1221)
        if caller.strip() != self.flow_id:
            raise BrokerFault(1202)
        cfg = self.config
        if cfg.provider_expired:
            raise BrokerFault(1219)
        if cfg.no_credit:
            raise BrokerFault(2101)
        if signature is not None:
            if cfg.signature == "not_requested":
                raise BrokerFault(1214)
            try:
                if cfg.strict:  # exactly the configured flavour (standard Base64 with padding by default)
                    tokens.verify_token_signature(token, signature, self._provider_public_key, self.algorithms)
                else:  # any flavour, and a '+' that arrived as a space
                    tokens.verify_token_signature(token, signature.replace(" ", "+"), self._provider_public_key,
                                                  self.algorithms, strict=False)
            except tokens.TokenError:
                raise BrokerFault(1213) from None
        elif cfg.signature == "required":
            raise BrokerFault(1213, "Service Provider's signature is missing!")
        exp = claims.get("exp")
        if not isinstance(exp, (int, float)) or time.time() > exp:
            raise BrokerFault(1209)
        order_id = rules.digits(self._claim(claims, self.algorithms.order_id_claim))
        if not rules.order_id_ok(order_id) or (cfg.numeric_order_ids and not order_id.isdigit()):
            raise BrokerFault(1205)
        inquiry = claims.get("inquiryType", 0)
        if isinstance(inquiry, bool) or not isinstance(inquiry, int) or inquiry not in cfg.inquiry_types:
            raise BrokerFault(1208)
        national = rules.digits(claims.get("nationalCode"))
        if not rules.national_code_ok(national):
            raise BrokerFault(1203)
        if not rules.mobile_ok(claims.get("mobileNumber")):
            raise BrokerFault(1204)
        if not rules.callback_ok(claims.get("callbackUrl"), cfg.callback_placeholders):
            raise BrokerFault(1206)
        if not rules.birth_date_ok(claims.get("birthDate")):
            raise BrokerFault(1207)
        if not rules.card_serial_ok(claims.get("cardSerialNo")):
            raise BrokerFault(1216)
        if national in cfg.unknown_national_codes:
            raise BrokerFault(1224)
        now = time.time()
        expires = float(exp)
        if cfg.token_lifetime is not None:
            expires = min(expires, now + float(cfg.token_lifetime))
        with self._lock:
            if token in self._tokens:
                raise BrokerFault(1201)
            if order_id in self._orders:
                raise BrokerFault(1201, "Duplicate order id!")
            rec = TokenRecord(token=token, claims=claims, order_id=order_id, national_code=national,
                              registered=now, expires=expires, inserted=now_tehran())
            self._tokens[token] = rec
            self._orders[order_id] = rec
        return self.ok("token_registered")

    def _claim(self, claims: dict[str, Any], name: str) -> Any:
        """A claim by its configured name; lenient: in any case (callerCode / CallerCode)."""
        if name in claims or self.config.strict:
            return claims.get(name)
        for key, value in claims.items():
            if key.lower() == name.lower():
                return value
        return None

    # ------------------------------------------------------------------ 4 CheckToken
    def m_CheckToken(self, req: Request) -> Answer:
        rec = self._record(req)
        if rec.aborted or rec.closed:
            raise BrokerFault(1211)
        return self.ok("token_valid_until", when=jalali(rec.expires, original=self.config.strict))

    # ------------------------------------------------------------------ 5 GetTokenProviderProperties
    def m_GetTokenProviderProperties(self, req: Request) -> Answer:
        ids = {v.strip() for v in (req.get("flowId"), req.get("callerCode")) if isinstance(v, str) and v.strip()}
        if not ids:
            raise BrokerFault(1202)
        if ids != {self.flow_id}:
            raise BrokerFault(1202)
        return self.ok("provider", self.provider_result())

    def provider_result(self) -> dict[str, Any]:
        props = dict(self.config.provider_properties)
        result: dict[str, Any] = {"CallerCode": self.flow_id}
        result.update({k: v for k, v in props.items() if k != "CallerCode"})
        result["ProviderLanguage"] = LANGUAGE_CODES[self.config.language]
        return result

    # ------------------------------------------------------------------ 6 SaveSignature
    def m_SaveSignature(self, req: Request) -> Answer:
        rec = self._record(req)
        with self._lock:
            self._open(rec)
        self._permission("SignaturePermission", 1504)
        data = mediamod.parse_file_data(req.get("fileData")).content
        mediamod.decode_image(data, "png")
        with self._lock:
            self._open(rec)
            rec.signature = Capture(data, now_tehran())
        return self.ok("signature", f"Signature inserted into DB successfully with ID: {uuid.uuid4()}")

    # ------------------------------------------------------------------ 7 SendProbImageByToken
    def m_SendProbImageByToken(self, req: Request) -> Answer:
        rec = self._record(req)
        with self._lock:
            self._open(rec)
            self._permission("SelfiePermission", 1505)
            self._tries(rec, "selfie", "SelfieTryCount")
        threshold = self._threshold(req, "faceThreshold", self.config.face_threshold)
        data = mediamod.parse_file_data(req.get("fileData")).content
        image = mediamod.decode_image(data, "jpeg")
        faces = self._faces.faces(image)
        liveness = bool(self.config.provider_properties.get("SelfieLivenessPermission"))
        verdict = self._judge(rec, data, faces, len(faces) > 1, threshold, liveness, "Image", "selfie")
        return self._upload_answer(rec, "selfie", verdict, data, "selfie", KYCRequestStatus.ProbImageReceived)

    # ------------------------------------------------------------------ 8 GetRandomText
    def m_GetRandomText(self, req: Request) -> Answer:
        kind = req.number("type", default=1, integer=True)
        count = req.number("count", default=1, integer=True)
        if kind not in (0, 1):
            raise BrokerFault(req.missing_code, "'type' must be 0 (words) or 1 (sentences)")
        if not 1 <= count <= 20:
            raise BrokerFault(req.missing_code, "'count' must be between 1 and 20")
        pool = texts.WORDS if kind == 0 else texts.SENTENCES
        with self._lock:
            picked = [pool[self._rng.randrange(len(pool))] for _ in range(count)]
        return self.ok("done", picked)

    # ------------------------------------------------------------------ 9 SendProbVideoByToken
    def m_SendProbVideoByToken(self, req: Request) -> Answer:
        return self._video(req, admittance=False)

    # ------------------------------------------------------------------ 10 GetAdmittanceText
    def m_GetAdmittanceText(self, req: Request) -> Answer:
        rec = self._record(req)
        with self._lock:
            self._open(rec)
        self._permission("AdmittancePermission", 1506)
        return self.ok("done", [self._admittance_text(rec)])

    def _admittance_text(self, rec: TokenRecord) -> str:
        """The sentence the provider stored with the token (section 10). Strict: none is 1217
        InvalidAdmittance; lenient: the config's default sentence."""
        text = rec.claims.get("admittanceText")
        if isinstance(text, str) and text.strip():
            return text.strip()
        if self.config.strict:
            raise BrokerFault(1217, "The token has no admittance text!")
        return self.config.admittance_text

    # ------------------------------------------------------------------ 11 SendAdmittanceVideoByToken
    def m_SendAdmittanceVideoByToken(self, req: Request) -> Answer:
        return self._video(req, admittance=True)

    def _video(self, req: Request, admittance: bool) -> Answer:
        step = "admittance" if admittance else "video"
        rec = self._record(req)
        with self._lock:
            self._open(rec)
            if admittance:
                self._permission("AdmittancePermission", 1506)
            else:
                self._permission("VideoPermission", 1502)
            self._tries(rec, self._try_step(step), "VideoTryCount")
        if admittance:
            challenged = self._admittance_text(rec)
        else:
            challenged = req.get("randomText")
            if not isinstance(challenged, str) or not challenged.strip():
                raise BrokerFault(1606, "randomText is missing!")
            challenged = challenged.strip()
        face_threshold = self._threshold(req, "faceThreshold", self.config.face_threshold)
        voice_threshold = self._threshold(req, "voiceThreshold", self.config.voice_threshold)
        data = mediamod.parse_file_data(req.get("fileData")).content
        report = mediamod.inspect_video(data, self._faces, self.config.video_sample_frames)
        checked = max(1, report.frames_checked)
        one_ratio = report.frames_one_face / checked
        many = report.frames_many_faces > report.frames_one_face
        faces = report.faces if one_ratio >= self.config.video_min_face_ratio else []
        liveness = bool(self.config.provider_properties.get("VideoLivenessPermission"))
        verdict = self._judge(rec, data, faces, many, face_threshold, liveness, "Video", step)
        speech = None
        if verdict["passed"] and self.config.provider_properties.get("SpeechPermission", True):
            speech = self._judge_speech(report, voice_threshold, challenged)
            if not speech["passed"]:
                verdict.update(passed=False, status=AuthenticationStatus.SpeechNotMatched,
                               text=speech["text"])
        if speech is None:
            speech = {"fields": {"SpeechVerificationScore": None,
                                 "SpeechVerificationThreshold": voice_threshold, "ChallengedText": challenged}}
        answer = self._upload_answer(rec, step, verdict, data, step, KYCRequestStatus.ProbVideoReceived)
        if verdict["passed"]:
            with self._lock:
                if not admittance:
                    rec.speech = Capture(report.speech_wav, now_tehran(), speech["fields"])
                rec.status = KYCRequestStatus.SpeechReceived
        return answer

    def _judge_speech(self, report: mediamod.VideoReport, threshold: float, challenged: str) -> dict[str, Any]:
        fields = {"SpeechVerificationThreshold": threshold, "ChallengedText": challenged}
        if report.speech_seconds <= 0 or report.speech_peak_dbfs < self.config.min_speech_dbfs:
            fields["SpeechVerificationScore"] = 0.0
            return {"passed": False, "fields": fields,
                    "text": "No speech was heard in the video! Speech verification failed."}
        score = round(55 + 40 * mediamod.unit_hash(report.speech_wav, "speech"), 2)
        fields["SpeechVerificationScore"] = score
        if score < threshold:
            return {"passed": False, "fields": fields,
                    "text": f"Speech did not match the text! Score: {score:.0f}%"}
        return {"passed": True, "fields": fields, "text": ""}

    def _judge(self, rec: TokenRecord, data: bytes, faces: list, many: bool, threshold: float,
               liveness: bool, kind: str, salt: str) -> dict[str, Any]:
        """The verdict on a selfie or video: AuthenticationStatus, text, quality fields."""
        u_match = mediamod.unit_hash(data, salt + "-match")
        u_live = mediamod.unit_hash(data, salt + "-live")
        fields: dict[str, Any] = {
            "FaceVerificationThreshold": float(threshold),
            "FaceVerificationLowerThreshold": -1.0,
            "LivenessIsActive": liveness,
            "FaceLivenessScore": None,
            "FaceVerificationScore": 0.0,
            "AverageTemplateQuality": 0.0,
            "AverageRoll": 0.0, "AveragePitch": 0.0, "AverageYaw": 0.0,
            "AverageSharpness": 0.0, "AverageIllumination": 0.0,
            "VerificationStatus": int(VerificationStatus.NotRequested),
            "LivenessResult": int(LivenessResult.NotRequested),
        }

        def verdict(passed: bool, status: AuthenticationStatus, text: str, live: LivenessResult,
                    ver: VerificationStatus) -> dict[str, Any]:
            fields["LivenessResult"] = int(live) if liveness or live in (
                LivenessResult.FaceNotDetected, LivenessResult.MultiFaceDetected) else int(LivenessResult.NotRequested)
            fields["VerificationStatus"] = int(ver)
            return {"passed": passed, "status": status, "text": text, "fields": fields}

        if many:
            return verdict(False, AuthenticationStatus.LivenessFailed, f"{kind}: more than one face was detected!",
                           LivenessResult.MultiFaceDetected, VerificationStatus.NotRequested)
        if not faces:
            return verdict(False, AuthenticationStatus.ExtractionFailed, f"{kind}: no face was detected! Extraction: 0%",
                           LivenessResult.FaceNotDetected, VerificationStatus.NotRequested)
        fields["AverageRoll"] = round(mediamod.average([f.roll for f in faces]), 4)
        fields["AveragePitch"] = round(mediamod.average([f.pitch for f in faces]), 4)
        fields["AverageYaw"] = round(mediamod.average([f.yaw for f in faces]), 4)
        sharp = mediamod.average([f.sharpness for f in faces])
        fields["AverageSharpness"] = round(sharp, 2)
        fields["AverageIllumination"] = round(mediamod.average([f.illumination for f in faces]), 2)
        fields["AverageTemplateQuality"] = round(min(100.0, 40.0 + 0.3 * min(sharp, 200.0)), 2)
        width = mediamod.average([f.width_ratio for f in faces])
        spoof = rec.national_code in self.config.spoof_national_codes
        if liveness:
            live_score = (0.05 + 0.3 * u_live) if spoof else (0.80 + 0.19 * u_live)
            fields["FaceLivenessScore"] = round(live_score, 4)
        mismatch = rec.national_code in self.config.mismatch_national_codes
        score = round((5 + 25 * u_match) if mismatch else (60 + 35 * u_match), 2)
        fields["FaceVerificationScore"] = score
        if width < 0.08:
            return verdict(False, AuthenticationStatus.LivenessFailed, f"{kind}: the face is too far!",
                           LivenessResult.FaceTooFar, VerificationStatus.NotRequested)
        if width > 0.9:
            return verdict(False, AuthenticationStatus.LivenessFailed, f"{kind}: the face is too near!",
                           LivenessResult.FaceTooNear, VerificationStatus.NotRequested)
        if liveness and spoof:
            return verdict(False, AuthenticationStatus.LivenessFailed, f"{kind} is spoof!",
                           LivenessResult.FaceIsSpoof, VerificationStatus.NotRequested)
        if score < threshold:
            return verdict(False, AuthenticationStatus.VerificationFailed,
                           f"{kind} was real but not matched with gallery! Score: {score:.0f}%",
                           LivenessResult.FaceIsReal, VerificationStatus.NotMatched)
        return verdict(True, AuthenticationStatus.AuthenticationSuccess,
                       f"{kind} was real matched with gallery! Extraction: 100%",
                       LivenessResult.FaceIsReal, VerificationStatus.Matched)

    def _upload_answer(self, rec: TokenRecord, step: str, verdict: dict[str, Any], data: bytes, slot: str,
                       state: KYCRequestStatus) -> Answer:
        body = {"AuthenticationStatus": int(verdict["status"]), "AuthenticationResult": verdict["text"]}
        ok_key, failed_key = ("selfie_ok", "selfie_failed") if step == "selfie" else ("video_ok", "video_failed")
        with self._lock:
            self._open(rec)
            if verdict["passed"]:
                setattr(rec, slot, Capture(data, now_tehran(), dict(verdict["fields"])))
                rec.passed.add(step)
                rec.status = state
            else:
                rec.failures[self._try_step(step)] += 1
        if verdict["passed"]:
            return self.ok(ok_key, body, failure=None)
        return self.ok(failed_key, None, code=2, failure=body)

    def _try_step(self, step: str) -> str:
        """The try counter a step spends: ``broker.video_tries = shared`` counts the admittance
        video's failures with the selfie video's."""
        if step == "admittance" and self.settings["broker.video_tries"] == "shared":
            return "video"
        return step

    # ------------------------------------------------------------------ 12 SavePersonDocument
    def m_SavePersonDocument(self, req: Request) -> Answer:
        rec = self._record(req)
        with self._lock:
            self._open(rec)
        doc_type = req.number("documentType", integer=True)
        allowed = self.config.provider_properties.get("PersonDocumentTypePermission") or []
        if doc_type not in [int(x) for x in allowed]:
            raise BrokerFault(1901, f"This provider hasn't permission to save document type {doc_type}!")
        data = mediamod.parse_file_data(req.get("fileData")).content
        mediamod.decode_image(data, "png")
        with self._lock:
            self._open(rec)
            rec.documents[int(doc_type)] = Capture(data, now_tehran())
        return self.ok("document", f"Document inserted into DB successfully with ID: {uuid.uuid4()}")

    # ------------------------------------------------------------------ 13 VerifyToken
    def required_steps(self) -> list[tuple[str, int, str]]:
        """(step, code for its absence, English reason) for each step the permissions ask for."""
        p = self.config.provider_properties
        steps = []
        if p.get("SignaturePermission"):
            steps.append(("signature", 1504, "signature was not received"))
        if p.get("SelfiePermission"):
            steps.append(("selfie", 1002, "no selfie passed"))
        if p.get("VideoPermission"):
            steps.append(("video", 1003, "no selfie video passed"))
        if p.get("AdmittancePermission"):
            steps.append(("admittance", 1217, "no admittance video passed"))
        for doc in p.get("PersonDocumentTypePermission") or []:
            steps.append((f"document:{int(doc)}", 1901, f"document {int(doc)} was not received"))
        return steps

    def _missing(self, rec: TokenRecord) -> list[tuple[int, str]]:
        missing = []
        for step, code, reason in self.required_steps():
            if step == "signature":
                done = rec.signature is not None
            elif step.startswith("document:"):
                done = int(step.split(":")[1]) in rec.documents
            else:
                done = step in rec.passed
            if not done:
                missing.append((code, reason))
        return missing

    def m_VerifyToken(self, req: Request) -> Answer:
        rec = self._record(req)
        with self._lock:
            if rec.aborted:
                raise BrokerFault(1212, "Token Aborted before!", message=(texts.ERRORS[1222][0], texts.ERRORS[1222][1]))
            if not rec.closed:
                rec.errors = self._missing(rec)
                rec.status = KYCRequestStatus.NotComplete if rec.errors else KYCRequestStatus.AuthDone
                # the original: an incomplete token "is not verified" and stays open for the
                # missing data; only a verified one is closed (lenient: both are closed)
                rec.closed = not rec.errors or not self.config.strict
                rec.responded = now_tehran()
            done = rec.status == KYCRequestStatus.AuthDone
        if done:
            return self.ok("verified")
        return self.ok("not_complete", code=2)

    # ------------------------------------------------------------------ 14 AbortToken
    def m_AbortToken(self, req: Request) -> Answer:
        rec = self._record(req)
        with self._lock:
            if rec.closed and rec.status == KYCRequestStatus.AuthDone:
                raise BrokerFault(1223)
            if not rec.aborted:
                rec.aborted = True
                rec.status = KYCRequestStatus.UserAborted
                rec.errors = [(600, texts.ABORT_REASON[1])]
                rec.responded = now_tehran()
        return self.ok("aborted")

    # ------------------------------------------------------------------ 15-20 citizen data
    def _citizen(self, req: Request) -> TokenRecord:
        auth = req.headers.get("Authorization") or ""
        scheme, _, bearer = auth.strip().partition(" ")
        if scheme.lower() != "bearer" or not bearer.strip():
            raise BrokerFault(2001, "Authorization bearer is missing!", response_code=401)
        with self._lock:
            try:
                tokens.verify_bearer(bearer.strip(), self._provider_public_key, flow_id=self.flow_id,
                                     scope=CITIZEN_SCOPE, seen_jti=self._seen_jti, algorithms=self.algorithms)
            except tokens.TokenError as exc:
                raise BrokerFault(exc.code or 2001, str(exc), response_code=401) from None
        order_id = req.text("OrderId")
        flow_id = req.text("FlowId")
        national = req.get("NationalCode")
        not_found = BrokerFault(1211, texts.CITIZEN_NOT_FOUND[2], message=texts.CITIZEN_NOT_FOUND[:2])
        if flow_id != self.flow_id:
            raise not_found
        with self._lock:
            rec = self._orders.get(rules.digits(order_id))
            if rec is None:
                raise not_found
            if isinstance(national, str) and national.strip() and national.strip().lower() != "null":
                if rules.digits(national) != rec.national_code:
                    raise not_found
            if rec.expired() and not rec.closed and not rec.aborted:
                rec.status = KYCRequestStatus.Timeout
            return rec

    def _kyc_status(self, rec: TokenRecord) -> int:
        if rec.status == KYCRequestStatus.AuthDone:
            return int(KYCStatus.Approved)
        if rec.aborted or rec.closed or rec.status == KYCRequestStatus.Timeout:
            return int(KYCStatus.Reject)
        return int(KYCStatus.Draft)

    def _auth_result(self, rec: TokenRecord) -> dict[str, Any]:
        fa = {1002: "تصویر سلفی تایید نشد", 1003: "ویدئو سلفی تایید نشد", 1217: "ویدئو اقرار تایید نشد",
              1504: "امضا دریافت نشد", 1901: "مستند دریافت نشد", 600: texts.ABORT_REASON[0]}
        en = self.lang == "en"
        return {
            "KYCStatus": self._kyc_status(rec),
            "KYCRequestStatus": int(rec.status),
            "CitizenNationalCode": rec.national_code,
            "InsertDateTime": dotnet_local(rec.inserted),
            "ResponseDateTime": dotnet_local(rec.responded),
            "ErrorCode": [c for c, _ in rec.errors],
            "ErrorMessage": [(m if en else fa.get(c, m)) for c, m in rec.errors],
        }

    def _media_item(self, cap: Capture | None, include: bool, extra: dict[str, Any]) -> dict[str, Any]:
        item = {"InsertDateTime": dotnet_local(cap.inserted) if cap else None,
                "Data": (mediamod_b64(cap.data) if cap and include else None)}
        item.update(extra)
        return item

    def _signature_item(self, rec: TokenRecord, include: bool) -> dict[str, Any]:
        p = self.config.provider_properties
        return self._media_item(rec.signature, include, {"IsActive": bool(p.get("SignaturePermission"))})

    def _face_item(self, cap: Capture | None, include: bool, active: bool, liveness: bool) -> dict[str, Any]:
        fields = dict(cap.fields) if cap else {
            "FaceVerificationThreshold": self.config.face_threshold, "FaceVerificationLowerThreshold": -1.0,
            "FaceLivenessScore": None, "FaceVerificationScore": None, "AverageTemplateQuality": None,
            "AverageRoll": None, "AveragePitch": None, "AverageYaw": None, "AverageSharpness": None,
            "AverageIllumination": None, "VerificationStatus": int(VerificationStatus.NotRequested),
            "LivenessResult": int(LivenessResult.NotRequested)}
        fields.pop("LivenessIsActive", None)
        out = {"LivenessIsActive": liveness, "IsActive": active}
        order = ("FaceVerificationThreshold", "FaceVerificationLowerThreshold")
        out.update({k: fields.pop(k) for k in order})
        out.update(fields)
        return self._media_item(cap, include, out)

    def _selfie_item(self, rec: TokenRecord, include: bool) -> dict[str, Any]:
        p = self.config.provider_properties
        return self._face_item(rec.selfie, include, bool(p.get("SelfiePermission")),
                               bool(p.get("SelfieLivenessPermission")))

    def _video_item(self, rec: TokenRecord, include: bool) -> dict[str, Any]:
        p = self.config.provider_properties
        return self._face_item(rec.video, include, bool(p.get("VideoPermission")),
                               bool(p.get("VideoLivenessPermission")))

    def _speech_item(self, rec: TokenRecord, include: bool) -> dict[str, Any]:
        fields = dict(rec.speech.fields) if rec.speech else {
            "SpeechVerificationScore": None, "SpeechVerificationThreshold": self.config.voice_threshold,
            "ChallengedText": None}
        return self._media_item(rec.speech, include, {
            "SpeechVerificationScore": fields.get("SpeechVerificationScore"),
            "SpeechVerificationThreshold": fields.get("SpeechVerificationThreshold"),
            "ChallengedText": fields.get("ChallengedText")})

    def _citizen_answer(self, req: Request, build: Callable[[TokenRecord], dict[str, Any]]) -> Answer:
        rec = self._citizen(req)
        with self._lock:
            result = {"CallerCode": self.flow_id, "OrderId": rec.order_id}
            result.update(build(rec))
        return self.signed(req, result)

    def m_GetCitizenKYCStatus(self, req: Request) -> Answer:
        return self._citizen_answer(req, lambda r: {"AuthResult": self._auth_result(r)})

    def m_GetCitizenSignatureData(self, req: Request) -> Answer:
        return self._citizen_answer(req, lambda r: {"Signature": self._signature_item(r, True)})

    def m_GetCitizenSelfieData(self, req: Request) -> Answer:
        return self._citizen_answer(req, lambda r: {"SelfiePicture": self._selfie_item(r, True)})

    def m_GetCitizenVideoData(self, req: Request) -> Answer:
        return self._citizen_answer(req, lambda r: {"Video": self._video_item(r, True)})

    def m_GetCitizenSpeechData(self, req: Request) -> Answer:
        return self._citizen_answer(req, lambda r: {"Speech": self._speech_item(r, True)})

    def m_GetCitizenData(self, req: Request) -> Answer:
        include = req.flag("FilterBiometricData")  # the original: false leaves the base64 media out
        if self.settings["broker.filter_biometric_data_means"] == "omit_media":
            include = not include

        def build(rec: TokenRecord) -> dict[str, Any]:
            out: dict[str, Any] = {}
            if req.flag("AuthResult"):
                out["AuthResult"] = self._auth_result(rec)
            if req.flag("SelfiePicture"):
                out["SelfiePicture"] = self._selfie_item(rec, include)
            if req.flag("Video"):
                out["Video"] = self._video_item(rec, include)
            if req.flag("Speech"):
                out["Speech"] = self._speech_item(rec, include)
            if req.flag("Signature"):
                out["Signature"] = self._signature_item(rec, include)
            return out

        return self._citizen_answer(req, build)


@functools.lru_cache(maxsize=16)
def _private_key(pem: bytes):
    """Parsed private keys, by their PEM (brokers started on one credentials folder share them)."""
    return tokens.load_private_key(pem)


def mediamod_b64(data: bytes) -> str:
    import base64

    return base64.b64encode(data).decode("ascii")


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


# ----------------------------------------------------------------------------- HTTP

class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    broker: SandboxBroker

    def __init__(self, *args, **kwargs):
        self._conn_lock = threading.Lock()
        self._conns: dict[threading.Thread, socket.socket] = {}
        super().__init__(*args, **kwargs)

    def process_request(self, request, client_address):
        t = threading.Thread(target=self._run, args=(request, client_address), daemon=True,
                             name="sandbox-broker-conn")
        with self._conn_lock:
            self._conns[t] = request
        t.start()

    def _run(self, request, client_address):
        try:
            self.finish_request(request, client_address)
        except Exception:  # noqa: BLE001 - a broken connection must not kill the server
            log.debug("sandbox connection ended with an error", exc_info=True)
        finally:
            self.shutdown_request(request)
            with self._conn_lock:
                self._conns.pop(threading.current_thread(), None)

    def close_all(self) -> None:
        with self._conn_lock:
            items = list(self._conns.items())
        for _, sock in items:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        for t, _ in items:
            t.join(5)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out at once (no 40 ms delayed-ACK stall)
    server_version = "kiosk-sandbox-broker/1"
    timeout = 60
    server: _Server

    def log_message(self, format, *args):  # noqa: A002 - the default prints paths (tokens) to stderr
        return

    def send_error(self, code, message=None, explain=None):
        """http.server's own refusals (bad request line, URI too long, unknown verb) as an
        envelope too, never its HTML page (which would echo the path and its token)."""
        broker = self.server.broker
        body = _dumps(broker.exception_body(BrokerFault(3, f"HTTP {code}: {message or ''}".strip(),
                                                        http_status=code))).encode("utf-8")
        self.close_connection = True
        try:
            self.send_response(code, message)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD" and code >= 200 and code not in (204, 304):
                self.wfile.write(body)
        except OSError:
            pass
        log.info("sandbox %s -> %d (refused by the HTTP layer)", self.command or "?", code)

    def do_GET(self):
        self._handle("GET")

    def do_POST(self):
        self._handle("POST")

    def do_PUT(self):
        self._handle("PUT")

    def do_DELETE(self):
        self._handle("DELETE")

    def do_PATCH(self):
        self._handle("PATCH")

    # -- plumbing
    def _read_body(self, limit: int) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            out = bytearray()
            while True:
                line = self.rfile.readline(1024)
                try:
                    size = int(line.split(b";")[0].strip() or b"0", 16)
                except ValueError:
                    raise BrokerFault(1101, "bad chunked encoding") from None
                if size == 0:
                    while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                        pass
                    return bytes(out)
                if len(out) + size > limit:
                    raise _TooLarge()
                out += self.rfile.read(size)
                self.rfile.readline(1024)
        length = self.headers.get("Content-Length")
        if not length:
            return b""
        try:
            n = int(length)
        except ValueError:
            raise BrokerFault(1101, "Content-Length is not a number") from None
        if n < 0:
            raise BrokerFault(1101, "Content-Length is negative")
        if n > limit:
            raise _TooLarge()
        return self.rfile.read(n)

    def _handle(self, verb: str) -> None:
        start = time.monotonic()
        broker = self.server.broker
        parts = urlsplit(self.path)
        name = broker.routes.get(parts.path.rstrip("/").lower() or "/")
        label = name or "unknown"
        answer: Answer | None = None
        faults = None
        try:
            if name is None:
                self._drain(broker)
                answer = broker.error_answer(BrokerFault(3, f"no broker method at {parts.path}", http_status=404,
                                                         message=texts.MESSAGES["not_found"]))
                return
            if verb not in broker.verbs(name):
                self._drain(broker)
                answer = broker.error_answer(BrokerFault(3, f"{name} does not take {verb}", http_status=405))
                return
            faults = broker.config.faults_for(name)
            if faults is not None and faults.reset_after_bytes is not None:
                self._reset_mid_body(int(faults.reset_after_bytes))
                answer = Answer("", 0, "fault: reset mid-body")
                return
            try:
                params = self._params(verb, parts.query, broker.config.max_body_bytes)
            except _TooLarge:
                self.close_connection = True
                answer = broker.error_answer(BrokerFault(
                    1101, f"request body is over the {broker.config.max_body_bytes}-byte limit", http_status=413))
                return
            except BrokerFault as fault:
                answer = broker.error_answer(fault)
                return
            if faults is not None:
                if faults.delay:
                    time.sleep(float(faults.delay))
                if not faults.process and (faults.reset or faults.status or faults.non_json):
                    answer = Answer("", 0, "fault")
                    return
            req = Request(name, verb, params, self.headers)
            req.faults = faults
            answer = broker.handle(req)
        except Exception as exc:  # noqa: BLE001 - never a traceback in the body
            log.exception("sandbox broker: %s failed", label)
            answer = broker.error_answer(BrokerFault(0, f"internal sandbox error: {type(exc).__name__}",
                                                     http_status=500))
        finally:
            self._send(broker, answer, faults)
            log.info("sandbox %s %s -> %s %s (%.1f ms)", verb, label, answer.status if answer else "-",
                     answer.summary if answer else "no answer", (time.monotonic() - start) * 1000)

    def _reset_mid_body(self, limit: int) -> None:
        """Read at most ``limit`` bytes of the body, then drop the connection (RST on close)."""
        try:
            declared = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            declared = 0
        left = max(0, min(limit, declared))
        while left > 0:
            block = self.rfile.read(min(left, 64 * 1024))
            if not block:
                break
            left -= len(block)
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        except OSError:
            pass

    def _drain(self, broker: SandboxBroker) -> None:
        try:
            self._read_body(broker.config.max_body_bytes)
        except (BrokerFault, _TooLarge):
            self.close_connection = True

    def _params(self, verb: str, query: str, limit: int) -> dict[str, Any]:
        params: dict[str, Any] = {k: v[-1] for k, v in parse_qs(query, keep_blank_values=True).items()}
        if verb == "GET":
            self._read_body(limit)  # ignore (but consume) a body sent with GET
            return params
        raw = self._read_body(limit)
        if not raw.strip():
            if params:
                return params
            raise BrokerFault(1101, "the request body is empty")
        try:
            data = json.loads(raw.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
            raise BrokerFault(1101, f"the request body is not JSON: {type(exc).__name__}") from None
        if not isinstance(data, dict):
            raise BrokerFault(1101, "the request body must be a JSON object")
        params.update(data)
        return params

    def _send(self, broker: SandboxBroker, answer: Answer | None, faults: Faults | None) -> None:
        if answer is None:
            answer = broker.error_answer(BrokerFault(0, "no answer", http_status=500))
        try:
            if faults is not None and faults.reset_after_bytes is not None:
                return
            if faults is not None and faults.reset:
                self.close_connection = True
                try:
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                except OSError:
                    pass
                answer.summary = "fault: reset"
                return
            body = answer.body.encode("utf-8")
            status = answer.status or 200
            ctype = "application/json; charset=utf-8"
            if faults is not None and faults.status:
                status = int(faults.status)
                fault = BrokerFault(0, f"simulated HTTP {status}", http_status=status,
                                    message=texts.MESSAGES["sandbox_fault"])
                body = _dumps(broker.exception_body(fault)).encode("utf-8")
                answer.summary = f"fault: HTTP {status}"
            if faults is not None and faults.non_json:
                body = b"<html><body><h1>Service Unavailable</h1></body></html>"
                ctype = "text/html"
                answer.summary = "fault: non-JSON"
            answer.status = status
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            if status == 405:
                name = broker.routes.get(urlsplit(self.path).path.rstrip("/").lower())
                if name:
                    self.send_header("Allow", ", ".join(broker.verbs(name)))
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            if faults is not None and faults.truncate:
                self.wfile.write(body[: max(1, len(body) // 2)])
                self.wfile.flush()
                self.close_connection = True
                answer.summary = "fault: truncated"
                return
            self.wfile.write(body)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True


class _TooLarge(Exception):
    pass
