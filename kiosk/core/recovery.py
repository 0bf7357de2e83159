"""Crash and power-cut recovery at start: close what the last run left open.

A session that was under way when the process died leaves two things behind:

* its verification token, still open at the broker (until its ``exp``), recorded in the
  open-token journal (``kiosk.core.journal``) since SetToken succeeded;
* its captured media, encrypted on disk with a key that died with the process
  (``kiosk.core.media_store``).

``recover(settings, client_factory)`` (called at app start and by ``kiosk selftest``) aborts every
journalled token still valid at the broker (AbortToken), wipes the orphaned media, and writes each
such session into the sessions log with the verdict ``"recovered"``. It returns one
``RecoveryReport`` per session found. Sessions of a store alive in this process or of another
running kiosk process are left alone (the staff console's self-test may run beside the kiosk).

A broker that cannot be reached keeps the journal entry (outcome ``"kept"``): the next start
tries again, and the token expires at the broker anyway. Nothing here raises for one bad entry.

``journal()`` is the process-wide ``TokenJournal`` the session controller writes to (one
instance, so its lock orders every read-modify-write of the journal file within the process).
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from kiosk.config.settings import Settings
from kiosk.core import media_store
from kiosk.core.journal import CLOSED_CODES, JOURNAL_NAME, JournalEntry, TokenJournal
from kiosk.core.media_store import recover_orphans
from kiosk.core.sessions_log import SessionsLog
from kiosk.errors import KioskError
from kiosk.paths import media_dir, state_dir

log = logging.getLogger(__name__)

#: Outcomes of one recovered session.
ABORTED = "aborted"  # AbortToken succeeded (or the broker had closed the token already)
EXPIRED = "expired"  # past its exp: dropped without a call
UNREADABLE = "unreadable"  # the journal entry could not be decrypted: dropped
KEPT = "kept"  # the broker could not be reached: tried again at the next start
MEDIA_ONLY = "media_only"  # media left without a journalled token (crash before SetToken)

_JOURNAL: TokenJournal | None = None
_JOURNAL_LOCK = threading.Lock()


def journal() -> TokenJournal:
    """The process-wide open-token journal (``state_dir()/open-tokens.json``); a new one when
    ``KIOSK_HOME`` moved (tests)."""
    global _JOURNAL

    path = state_dir() / JOURNAL_NAME
    with _JOURNAL_LOCK:
        if _JOURNAL is None or _JOURNAL.path != path:
            _JOURNAL = TokenJournal(path)
        return _JOURNAL


@dataclass
class RecoveryReport:
    """One session the last run left behind. ``order_id`` is empty for media without a token."""

    session_id: str
    order_id: str
    outcome: str
    media_wiped: bool = False
    error: str = ""  # exception class name when AbortToken failed

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _live(session_id: str, media_root: Path) -> bool:
    """A session of a store alive in this process or in another running process."""

    with media_store._LIVE_LOCK:
        if session_id in media_store._LIVE:
            return True
    folder = media_root / session_id
    return folder.is_dir() and media_store._owner_alive(folder)


def recover(settings=None, client_factory: Callable[[], Any] | None = None, *,
            tokens: TokenJournal | None = None, media_root: Path | None = None, sessions_log=None,
            now: float | None = None) -> list[RecoveryReport]:
    """See the module docstring. ``client_factory()`` makes a broker client (closed here); None
    when no broker is configured (entries still valid are then kept). ``tokens``,
    ``media_root`` and ``sessions_log`` default to the kiosk's own."""

    tokens = tokens if tokens is not None else journal()
    media_root = Path(media_root) if media_root is not None else media_dir()
    now = time.time() if now is None else now
    reports: list[RecoveryReport] = []
    client = None
    client_error = ""

    try:
        entries: list[JournalEntry] = tokens.entries()
    except Exception as exc:  # noqa: BLE001 - e.g. machine secret refused: media are still wiped
        log.error("recovery: the open-token journal cannot be used (%s)", type(exc).__name__)
        entries = []

    try:
        for entry in entries:
            if _live(entry.session_id, media_root):
                continue
            report = RecoveryReport(entry.session_id, entry.order_id, KEPT)
            reports.append(report)
            if entry.expired(now):
                report.outcome = EXPIRED
                tokens.remove(order_id=entry.order_id)
                continue
            token = tokens.token_for(entry)
            if token is None:
                report.outcome = UNREADABLE
                tokens.remove(order_id=entry.order_id)
                continue
            if client is None and not client_error:
                if client_factory is None:
                    client_error = "no broker"
                else:
                    try:
                        client = client_factory()
                    except Exception as exc:  # noqa: BLE001 - kept for the next start
                        client_error = type(exc).__name__
            if client is None:
                report.error = client_error
                continue
            try:
                client.abort_token(token)
            except Exception as exc:  # noqa: BLE001 - one bad entry must not stop the others
                if isinstance(exc, KioskError) and exc.code in CLOSED_CODES:
                    report.outcome = ABORTED
                    tokens.remove(order_id=entry.order_id)
                else:
                    report.error = type(exc).__name__
                    log.warning("recovery: AbortToken failed (%s); kept for the next start", type(exc).__name__)
                continue
            report.outcome = ABORTED
            tokens.remove(order_id=entry.order_id)
    finally:
        if client is not None and hasattr(client, "close"):
            try:
                client.close()
            except Exception:  # noqa: BLE001
                pass

    wiped = set(recover_orphans(media_root))
    by_session = {r.session_id: r for r in reports}
    for sid in sorted(wiped):
        if sid in by_session:
            by_session[sid].media_wiped = True
        else:
            reports.append(RecoveryReport(sid, "", MEDIA_ONLY, media_wiped=True))

    _log_sessions(reports, settings, sessions_log)
    if reports:
        counts: dict[str, int] = {}
        for r in reports:
            counts[r.outcome] = counts.get(r.outcome, 0) + 1
        log.info("recovery: %d session(s) left by the last run: %s; %d media folder(s) wiped",
                 len(reports), ", ".join(f"{k}={v}" for k, v in sorted(counts.items())), len(wiped))
    return reports


def _log_sessions(reports: list[RecoveryReport], settings, sessions_log) -> None:
    rows = [r for r in reports if r.order_id]
    if not rows:
        return
    own = sessions_log is None
    try:
        if own:
            sessions_log = SessionsLog.open(settings)
        for r in rows:
            try:
                if r.outcome == KEPT:
                    sessions_log.add_error(r.order_id, "abort_pending")
                else:
                    sessions_log.add_error(r.order_id, f"recovery_{r.outcome}")
                    sessions_log.finish(r.order_id, "recovered")
            except ValueError:  # an order id the log refuses (looks personal): skip it
                continue
    except Exception as exc:  # noqa: BLE001 - the log is for the staff; recovery itself is done
        log.warning("recovery: the sessions log could not be written (%s)", type(exc).__name__)
    finally:
        if own and sessions_log is not None:
            sessions_log.close()


def quick_settings(settings):
    """A copy of ``settings`` for start-up calls: no retries and a short time-out, so a broker
    that is down does not hold the kiosk's start for minutes."""

    quick = (settings or Settings()).copy()
    quick.set("broker.retries", 0)
    quick.set("broker.timeout", min(5.0, float(quick["broker.timeout"])))
    return quick
