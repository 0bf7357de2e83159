"""The open-token journal: which verification tokens this kiosk registered and has not yet
closed (VerifyToken) or cancelled (AbortToken), so that after a crash or power cut the next start
can abort them instead of leaving them open at the broker until they expire.

One JSON file, ``<state_dir>/open-tokens.json`` (0600), rewritten atomically. Each entry holds
the order id, the session id, when the token was made and when it expires, a SHA-256 of the
token (to match entries without decrypting) and the token itself encrypted with AES-GCM under a
key read from a machine secret file ``<state_dir>/machine.key`` (32 random bytes, 0600, made on
first use). No national code, name or other detail is written (the token carries them, hence
the encryption).

Trade-off: AbortToken needs the token itself, so a hash alone is not enough. The machine secret
lives on the same disk as the journal: the encryption protects against the journal being copied
on its own (a support bundle, a backup of the state folder, a file sent by mistake), not against
someone who can read the kiosk user's whole disk; they could equally read the secret. A token is
only good until its ``exp`` (``broker.token_lifetime``, minutes), expired entries are dropped
without a broker call, and entries are removed as soon as the token is closed, so what an
attacker could gain is small and short-lived. An OS key store (DPAPI, Secret Service) would be
stronger but is not available on a headless kiosk account without extra packages.
"""
from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from kiosk.errors import KioskError
from kiosk.broker.tokens import unverified_claims
from kiosk.paths import state_dir

log = logging.getLogger(__name__)

JOURNAL_NAME = "open-tokens.json"
SECRET_NAME = "machine.key"
SECRET_BYTES = 32
VERSION = 1
#: Broker answers to AbortToken meaning the token is closed anyway: drop the entry.
CLOSED_CODES = frozenset({1209, 1211, 1212, 1222, 1223})


class JournalError(KioskError, RuntimeError):
    message_key = "journal.unreadable"


@dataclass(frozen=True)
class JournalEntry:
    """One open token, without the token."""

    order_id: str
    session_id: str
    created: float
    expires: float | None
    token_sha256: str

    def expired(self, now: float) -> bool:
        return self.expires is not None and now >= self.expires


@dataclass
class RecoveryReport:
    aborted: list[str] = field(default_factory=list)   # order ids the broker aborted (or had closed)
    expired: list[str] = field(default_factory=list)   # dropped without a call: past exp
    unreadable: list[str] = field(default_factory=list)  # token could not be decrypted: dropped
    kept: list[str] = field(default_factory=list)      # broker unreachable: try again next start

    def to_dict(self) -> dict[str, list[str]]:
        return asdict(self)


def _write_private(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            tmp.unlink()
        except FileNotFoundError:
            pass
        raise


def load_machine_secret(path: Path | None = None) -> bytes:
    """The machine secret (made on first use, 0600). Refuses a file others can read."""
    if path is None:
        path = state_dir() / SECRET_NAME
    path = Path(path)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "wb") as fh:
            fh.write(os.urandom(SECRET_BYTES))
            fh.flush()
            os.fsync(fh.fileno())
    if os.name == "posix" and path.stat().st_mode & 0o077:
        raise JournalError(f"{path} can be read by other users; make it 0600")
    secret = path.read_bytes()
    if len(secret) < 16:
        raise JournalError(f"{path} is too short to be a machine secret")
    return secret


class TokenJournal:
    """The open-token journal. Thread-safe within one process."""

    def __init__(self, path: Path | str | None = None, secret_path: Path | str | None = None,
                 clock: Callable[[], float] = time.time):
        if path is None or secret_path is None:
            folder = state_dir()
            path = folder / JOURNAL_NAME if path is None else path
            secret_path = folder / SECRET_NAME if secret_path is None else secret_path
        self.path = Path(path)
        self.secret_path = Path(secret_path)
        self.clock = clock
        self._lock = threading.RLock()
        self._key: bytes | None = None
        self.load_error: str | None = None

    # -- internals
    def _cipher(self) -> AESGCM:
        if self._key is None:
            secret = load_machine_secret(self.secret_path)
            self._key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                             info=b"kiosk open-token journal v1").derive(secret)
        return AESGCM(self._key)

    @staticmethod
    def _aad(order_id: str, session_id: str) -> bytes:
        return json.dumps([VERSION, order_id, session_id]).encode()

    def _read(self) -> list[dict[str, Any]]:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return []
        try:
            data = json.loads(raw.decode("utf-8"))
            entries = data["entries"]
            if not isinstance(entries, list):
                raise TypeError("entries is not a list")
            return [e for e in entries if isinstance(e, dict) and "order_id" in e and "session_id" in e]
        except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
            self.load_error = type(exc).__name__
            log.warning("token journal unreadable (%s); starting a new one", type(exc).__name__)
            return []

    def _write(self, entries: list[dict[str, Any]]) -> None:
        if not entries:
            try:
                self.path.unlink()
            except FileNotFoundError:
                pass
            return
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        _write_private(self.path, json.dumps({"version": VERSION, "entries": entries}, indent=1).encode())

    @staticmethod
    def _entry(d: dict[str, Any]) -> JournalEntry:
        exp = d.get("expires")
        return JournalEntry(str(d["order_id"]), str(d["session_id"]), float(d.get("created") or 0.0),
                            float(exp) if isinstance(exp, (int, float)) else None, str(d.get("token_sha256", "")))

    # -- API
    def add(self, order_id: str, session_id: str, token: str, expires_at: float | None = None,
            created: float | None = None) -> JournalEntry:
        """Record an open token (call right after SetToken succeeded, before anything else).
        ``expires_at`` defaults to the token's own ``exp`` claim."""
        order_id, session_id = str(order_id), str(session_id)
        if expires_at is None:
            try:
                exp = unverified_claims(token).get("exp")
                expires_at = float(exp) if isinstance(exp, (int, float)) else None
            except Exception:  # noqa: BLE001 - not a JWT: keep it without an expiry
                expires_at = None
        nonce = os.urandom(12)
        sealed = self._cipher().encrypt(nonce, token.encode("utf-8"), self._aad(order_id, session_id))
        record = {
            "order_id": order_id,
            "session_id": session_id,
            "created": float(self.clock() if created is None else created),
            "expires": expires_at,
            "token_sha256": hashlib.sha256(token.encode("utf-8")).hexdigest(),
            "token": base64.b64encode(nonce + sealed).decode("ascii"),
        }
        with self._lock:
            entries = [e for e in self._read() if e.get("order_id") != order_id]
            entries.append(record)
            self._write(entries)
        return self._entry(record)

    def remove(self, order_id: str | None = None, session_id: str | None = None,
               token: str | None = None) -> int:
        """Forget the entries matching any of the given keys (the token was verified or aborted).
        Returns how many were removed."""
        digest = hashlib.sha256(token.encode("utf-8")).hexdigest() if token else None

        def match(e: dict[str, Any]) -> bool:
            return ((order_id is not None and e.get("order_id") == str(order_id))
                    or (session_id is not None and e.get("session_id") == str(session_id))
                    or (digest is not None and e.get("token_sha256") == digest))

        with self._lock:
            entries = self._read()
            keep = [e for e in entries if not match(e)]
            if len(keep) != len(entries):
                self._write(keep)
            return len(entries) - len(keep)

    def entries(self) -> list[JournalEntry]:
        with self._lock:
            return [self._entry(e) for e in self._read()]

    def token_for(self, entry: JournalEntry) -> str | None:
        """The decrypted token of an entry, or None when it cannot be decrypted (another
        machine secret, a damaged file)."""
        with self._lock:
            for e in self._read():
                if e.get("order_id") == entry.order_id and e.get("session_id") == entry.session_id:
                    return self._decrypt(e)
        return None

    def _decrypt(self, e: dict[str, Any]) -> str | None:
        try:
            blob = base64.b64decode(str(e.get("token", "")), validate=True)
            plain = self._cipher().decrypt(blob[:12], blob[12:], self._aad(str(e["order_id"]), str(e["session_id"])))
            return plain.decode("utf-8")
        except (InvalidTag, ValueError, UnicodeDecodeError, KeyError):
            return None

    def recover(self, abort: Callable[[str], Any], now: float | None = None) -> RecoveryReport:
        """At start: abort every open token still valid. ``abort(token)`` calls AbortToken; an
        exception with ``.code`` in ``CLOSED_CODES`` means the token is closed anyway; any other
        exception keeps the entry for the next start. Expired entries are dropped without a
        call (the broker has timed them out). Never raises for a single entry."""
        now = self.clock() if now is None else now
        report = RecoveryReport()
        with self._lock:
            entries = self._read()
            keep: list[dict[str, Any]] = []
            for e in entries:
                entry = self._entry(e)
                if entry.expired(now):
                    report.expired.append(entry.order_id)
                    continue
                token = self._decrypt(e)
                if token is None:
                    report.unreadable.append(entry.order_id)
                    continue
                try:
                    abort(token)
                except Exception as exc:  # noqa: BLE001 - one bad entry must not stop the others
                    if isinstance(exc, KioskError) and exc.code in CLOSED_CODES:
                        report.aborted.append(entry.order_id)
                    else:
                        log.warning("journal: AbortToken failed at start (%s); kept for later",
                                    type(exc).__name__)
                        report.kept.append(entry.order_id)
                        keep.append(e)
                    continue
                report.aborted.append(entry.order_id)
            self._write(keep)
        return report
