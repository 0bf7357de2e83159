"""Resending an upload whose connection dropped, from the encrypted copy, within the token's life.

The broker client never retries a media upload on its own: when the connection dies after the
file went out it raises ``UploadUncertain`` (the broker may or may not have it), and a drop
before any answer is a ``TransportError``. The session layer decides, here: the applicant's
capture is still in the ``MediaStore`` (encrypted), so the same medium is sent again after a
back-off, without asking the applicant to repeat it, as long as

* the failure is one of a dropping network (``should_resend``): ``UploadUncertain``, a
  ``TransportError`` other than TLS (a certificate problem does not heal by waiting), an answer
  cut short or replaced by a proxy's HTML page, or an HTTP 5xx;
* attempts are left (``attempts`` in all, the first one included);
* the next try can start before ``deadline`` (the token's ``exp`` minus a margin, on the
  ``clock``'s scale: ``time.time``). A back-off that would end after the deadline is not slept:
  the last error is raised at once.

A broker's deliberate answer (a refusal with an ExceptionCode, a failed face match) is never
resent: it is the result. If the broker did get an "uncertain" upload, the resend is judged
again like any upload (a passed selfie passes again; SaveSignature and SavePersonDocument
replace the earlier file), so nothing is lost and no capture is repeated.

``resend_upload`` is the one resend path: the session engine (``kiosk.core.session``) calls it in
its upload jobs, with ``send_with_resend`` under it.
"""
from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass, field
from collections.abc import Callable
from typing import Any, TypeVar

from kiosk.broker.errors import BrokerError, ProtocolError, TransportError, UploadUncertain
from kiosk.broker.tokens import unverified_claims

log = logging.getLogger(__name__)

T = TypeVar("T")

#: Attempts in all (the first send included) unless told otherwise.
DEFAULT_ATTEMPTS = 4
#: First back-off in seconds; attempt k waits about ``base * 2**k`` (with jitter), at most ``cap``.
BACKOFF_BASE = 1.0
BACKOFF_CAP = 15.0
#: Seconds before the token's ``exp`` after which no new try starts (an upload takes time).
EXPIRY_MARGIN = 30.0

_TRANSIENT_PROTOCOL_KINDS = frozenset({"html", "truncated", "no_answer"})


@dataclass
class ResendStats:
    """What happened to one upload (for the sessions log and the soak benchmark)."""

    attempts: int = 0  # calls made (summed when one stats object serves several uploads)
    errors: list[str] = field(default_factory=list)  # exception class names, oldest first
    gave_up: str = ""  # "", "attempts", "deadline", "not_transient"

    @property
    def retries(self) -> int:
        return max(0, self.attempts - 1)


def should_resend(exc: BaseException) -> bool:
    """True for a failure of the connection (the same upload may well go through later)."""
    if isinstance(exc, UploadUncertain):
        return True
    if isinstance(exc, TransportError):
        return exc.kind != "tls"
    if isinstance(exc, ProtocolError):
        return exc.kind in _TRANSIENT_PROTOCOL_KINDS or (exc.http_status or 0) >= 500
    if isinstance(exc, BrokerError):
        # a refusal with a real ExceptionCode is the broker's answer; an HTTP 5xx is not
        return (exc.http_status or 0) >= 500 and not exc.code
    return False


def backoff(attempt: int, base: float = BACKOFF_BASE, cap: float = BACKOFF_CAP,
            rng: Callable[[], float] = random.random) -> float:
    """Seconds to wait before resend number ``attempt`` (0 = the first resend): half fixed,
    half random ("equal jitter"), so kiosks of a branch do not resend in step."""
    top = min(cap, base * (2 ** attempt))
    return top / 2 + rng() * top / 2


def token_deadline(token: str | None, margin: float = EXPIRY_MARGIN) -> float | None:
    """The latest time (epoch seconds) a resend of this token's uploads may start: its ``exp``
    minus ``margin``; None when the token carries no ``exp``."""
    if not token:
        return None
    try:
        exp = unverified_claims(token).get("exp")
    except Exception:  # noqa: BLE001 - not a JWT: no deadline known
        return None
    return float(exp) - margin if isinstance(exp, (int, float)) else None


def interruptible_sleep(cancelled: Callable[[], bool], step: float = 0.1) -> Callable[[float], None]:
    """A ``sleep`` that wakes up early once ``cancelled()`` is true (a cancelled session must not
    hold the submission worker, and the AbortToken queued behind it, for a whole back-off)."""

    def sleep(seconds: float) -> None:
        end = time.monotonic() + seconds
        while not cancelled():
            left = end - time.monotonic()
            if left <= 0:
                return
            time.sleep(min(step, left))

    return sleep


def send_with_resend(call: Callable[[], T], *, deadline: float | None = None,
                     clock: Callable[[], float] = time.time, sleep: Callable[[float], None] = time.sleep,
                     attempts: int = DEFAULT_ATTEMPTS, stats: ResendStats | None = None,
                     on_retry: Callable[[int, BaseException, float], None] | None = None,
                     cancelled: Callable[[], bool] | None = None,
                     rng: Callable[[], float] = random.random) -> T:
    """Run ``call()`` (one upload, reading the medium afresh each time) and resend it after a
    dropped connection; see the module docstring. ``on_retry(attempt, exc, delay)`` is called
    before each back-off; ``cancelled()`` (the session was cancelled) stops further tries.
    Raises the last error when it gives up."""
    if attempts < 1:
        raise ValueError("attempts must be at least 1")
    stats = stats if stats is not None else ResendStats()
    n = 0  # resends so far (this call)
    while True:
        stats.attempts += 1
        try:
            return call()
        except Exception as exc:  # noqa: BLE001 - classified below, re-raised when not resent
            stats.errors.append(type(exc).__name__)
            if not should_resend(exc):
                stats.gave_up = "not_transient"
                raise
            if n + 1 >= attempts:
                stats.gave_up = "attempts"
                log.warning("upload: giving up after %d attempt(s) (%s)", n + 1, type(exc).__name__)
                raise
            delay = backoff(n, rng=rng)
            if deadline is not None and clock() + delay >= deadline:
                stats.gave_up = "deadline"
                log.warning("upload: no time left in the token's life for another try (%s)", type(exc).__name__)
                raise
            if cancelled is not None and cancelled():
                stats.gave_up = "cancelled"
                raise
            log.info("upload: connection lost (%s); resend %d/%d in %.1f s", type(exc).__name__, n + 1,
                     attempts - 1, delay)
            if on_retry is not None:
                on_retry(n + 1, exc, delay)
            sleep(delay)
            if cancelled is not None and cancelled():
                stats.gave_up = "cancelled"
                raise
            n += 1


def resend_upload(store: Any, ref: Any, upload: Callable[[Any], T], *, token: str | None = None,
                  attempts: int = DEFAULT_ATTEMPTS, clock: Callable[[], float] = time.time,
                  sleep: Callable[[float], None] = time.sleep, stats: ResendStats | None = None,
                  cancelled: Callable[[], bool] | None = None, confirm: bool = True) -> T:
    """Upload a stored medium with resends: ``upload(source)`` gets a fresh decrypted view of
    ``ref`` on every attempt (``store.open``: a seekable file, decrypted chunk by chunk). When
    ``confirm`` and the answer is not a failed check (``passed`` false), the local copy is wiped
    (``store.confirm``): the broker has it."""

    def once() -> T:
        with store.open(ref) as source:
            return upload(source)

    result = send_with_resend(once, deadline=token_deadline(token), clock=clock, sleep=sleep,
                              attempts=attempts, stats=stats, cancelled=cancelled)
    if confirm and getattr(result, "passed", True):
        store.confirm(ref)
    return result
