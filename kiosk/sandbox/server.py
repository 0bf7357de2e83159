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
import random
import secrets
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kiosk.broker import credentials as creds
from kiosk.broker import tokens
from kiosk.broker.codes import KYCRequestStatus
from kiosk.broker.endpoints import BY_NAME, ORIGINAL_CODE_KEY, resolve_paths
from kiosk.config.settings import Settings
from kiosk.sandbox import media as mediamod
from kiosk.sandbox import texts
from kiosk.sandbox.config import ENVELOPE_SPELLINGS, Faults, SandboxConfig
from kiosk.sandbox.handlers import BrokerMethods
from kiosk.sandbox.model import (HRESULT, TEHRAN, Answer, BrokerFault, Request, TokenRecord, dumps, jalali,
                                 now_tehran)
from kiosk.sandbox.plumbing import Server, SandboxHandler

__all__ = ["TEHRAN", "Answer", "BrokerFault", "Request", "SandboxBroker", "TokenRecord", "jalali", "now_tehran"]

log = logging.getLogger("kiosk.sandbox")


# ----------------------------------------------------------------------------- the broker

class SandboxBroker(BrokerMethods):
    """The sandbox broker. ``start()`` returns once it listens (serving in a daemon thread);
    ``stop()`` closes every connection and joins every thread. A context manager."""

    def __init__(self, credentials_dir: Path, port: int = 0, host: str = "127.0.0.1",
                 config: SandboxConfig | None = None, settings=None):
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
        self._server: Server | None = None
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
    def start(self) -> SandboxBroker:
        if self._server is not None:
            return self
        server = Server((self.host, self.port), SandboxHandler)
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

    def __enter__(self) -> SandboxBroker:
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

    def answering(self, method: str | None) -> None:
        """The method this thread is answering (its envelope spelling), or None."""
        self._current.method = method

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
        return Answer(dumps(self.exception_body(fault)), status, f"error {fault.code}")

    def ok(self, key_or_text: str, result: Any = ..., *, code: int = 0, failure: Any = ..., **fmt) -> Answer:
        text = texts.message(key_or_text, self.lang, **fmt) if key_or_text in texts.MESSAGES else key_or_text
        return Answer(dumps(self.envelope(code=code, message=text, result=result, failure=failure)), 200,
                      f"code {code}")

    def signed(self, req: Request, result: dict[str, Any]) -> Answer:
        """A signed answer (15-20): the Result text is serialised once and the body is built
        around that exact text."""
        result_text = dumps(result)
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
        self.answering(req.name)  # cleared by the HTTP layer once the answer is sent
        try:
            return method(req)
        except BrokerFault as fault:
            return self.error_answer(fault)
        except mediamod.MediaError as exc:
            return self.error_answer(BrokerFault(exc.code, str(exc)))



@functools.lru_cache(maxsize=16)
def _private_key(pem: bytes) -> Any:
    """Parsed private keys, by their PEM (brokers started on one credentials folder share them)."""
    return tokens.load_private_key(pem)
