"""Today's sessions, for the staff console: a small SQLite database with NO personal data.

One row per session: the provider's order id, start and end time, the steps done, the verdict,
the error codes met and the number of retries. Never a name, a national code, a phone number, a
token or any media: the API takes none of them, and every text that goes in is scrubbed of
anything that looks like a national code or a phone number (masked to its last digits), so a
careless caller cannot leak one either. Rows older than ``session.history_days`` are purged on
open, with SQLite's ``secure_delete`` so their bytes are overwritten.

The file is ``kiosk.paths.state_dir() / "sessions.sqlite3"`` (owner-only permissions).

    log = SessionsLog.open(settings)
    log.start(order_id)
    log.step_done(order_id, "selfie"); log.add_error(order_id, 1602); log.add_retry(order_id)
    log.finish(order_id, "verified")
    log.today(); log.export_csv(path)
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import os
import re
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from collections.abc import Iterable

from kiosk import paths
from kiosk.i18n.digits import to_ascii_digits

FILE_NAME = "sessions.sqlite3"
SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    order_id    TEXT PRIMARY KEY,
    started     REAL NOT NULL,
    ended       REAL,
    steps       TEXT NOT NULL DEFAULT '[]',
    verdict     TEXT NOT NULL DEFAULT '',
    error_codes TEXT NOT NULL DEFAULT '[]',
    retries     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS sessions_started ON sessions(started);
"""

CSV_COLUMNS = ("order_id", "started", "ended", "duration_s", "steps", "verdict", "error_codes", "retries")

# Runs of 8 or more digits (Latin, Persian or Arabic-Indic) in steps, verdicts and error codes may
# be national codes, phone or card numbers: they are masked to their last 4 digits. Order ids are
# the provider's own ids and are kept (the lookup needs them), but one that IS a national code or
# a mobile number is refused.
_LONG_DIGITS = re.compile(r"[0-9۰-۹٠-٩]{8,}")


def looks_personal(text: str) -> bool:
    """True when ``text`` holds a valid Iranian national code (10 digits, check digit right) or a
    mobile number (09 and 9 digits) as a run of its own."""
    for run in re.findall(r"[0-9۰-۹٠-٩]+", str(text)):
        d = to_ascii_digits(run)
        if len(d) == 11 and d.startswith("09"):
            return True
        if len(d) == 10 and len(set(d)) > 1:
            total = sum(int(d[i]) * (10 - i) for i in range(9)) % 11
            check = int(d[9])
            if (total < 2 and check == total) or (total >= 2 and check == 11 - total):
                return True
    return False


def _order_id(value: Any) -> str:
    text = str(value).strip()[:64]
    if not text:
        raise ValueError("an order id is needed")
    if looks_personal(text):
        raise ValueError("an order id must not be a national code or a phone number")
    return text
_SAFE_ITEM = re.compile(r"^[A-Za-z0-9_.:\-]{1,64}$")
_MAX_TEXT = 128


def mask_digits(text: str) -> str:
    """Mask every run of 8+ digits to its last 4 (``"0012345678"`` -> ``"******5678"``)."""
    return _LONG_DIGITS.sub(lambda m: "*" * (len(m.group()) - 4) + m.group()[-4:], str(text))


def _clean(text: Any) -> str:
    return mask_digits(str(text))[:_MAX_TEXT]


def _item(value: Any) -> str:
    """A step name or an error code: a short identifier, scrubbed."""
    text = _clean(value).strip()
    if not _SAFE_ITEM.match(text):
        text = re.sub(r"[^A-Za-z0-9_.:\-*]", "_", text)[:64] or "_"
    return text


@dataclass
class SessionRecord:
    order_id: str
    started: float  # epoch seconds
    ended: float | None = None
    steps: list[str] = field(default_factory=list)
    verdict: str = ""
    error_codes: list[str] = field(default_factory=list)
    retries: int = 0

    @property
    def duration(self) -> float | None:
        return None if self.ended is None else max(0.0, self.ended - self.started)

    def to_dict(self) -> dict[str, Any]:
        return {"order_id": self.order_id, "started": _iso(self.started),
                "ended": _iso(self.ended) if self.ended is not None else None,
                "duration_s": None if self.duration is None else round(self.duration, 1),
                "steps": list(self.steps), "verdict": self.verdict,
                "error_codes": list(self.error_codes), "retries": self.retries}


def _iso(ts: float) -> str:
    return dt.datetime.fromtimestamp(ts).astimezone().isoformat(timespec="seconds")


def day_bounds(day: dt.date | None = None) -> tuple[float, float]:
    """Epoch seconds of local midnight at the start and end of ``day`` (default: today)."""
    day = day or dt.date.today()
    start = dt.datetime.combine(day, dt.time()).astimezone()
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time()).astimezone()
    return start.timestamp(), end.timestamp()


class SessionsLog:
    """The sessions database. Thread-safe (one connection behind a lock)."""

    def __init__(self, path: Path | None = None, history_days: int = 30,
                 clock=time.time):
        self.path = Path(path) if path is not None else paths.state_dir() / FILE_NAME
        self.history_days = int(history_days)
        self.clock = clock
        self._lock = threading.Lock()
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not self.path.exists():
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o600)
            os.close(fd)
        self._db = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA secure_delete = ON")
        self._db.execute("PRAGMA journal_mode = DELETE")
        self._db.executescript(_SCHEMA)
        self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        self.purged = self.purge()

    @classmethod
    def open(cls, settings=None, path: Path | None = None, clock=time.time) -> SessionsLog:
        days = settings["session.history_days"] if settings is not None else 30
        return cls(path, days, clock)

    # -- lifetime
    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> SessionsLog:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- writing
    def purge(self, days: int | None = None) -> int:
        """Delete rows started more than ``days`` (default ``history_days``) ago; returns how many."""
        days = self.history_days if days is None else int(days)
        cutoff = self.clock() - days * 86400
        with self._lock:
            n = self._db.execute("DELETE FROM sessions WHERE started < ?", (cutoff,)).rowcount
            if n:
                self._db.execute("VACUUM")
        return n

    def start(self, order_id: str, started: float | None = None) -> None:
        oid = _order_id(order_id)
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO sessions(order_id, started) VALUES (?, ?)",
                             (oid, self.clock() if started is None else float(started)))

    def _update(self, order_id: str, fn) -> None:
        oid = _order_id(order_id)
        with self._lock:
            row = self._db.execute("SELECT steps, error_codes, retries FROM sessions WHERE order_id = ?",
                                   (oid,)).fetchone()
            if row is None:
                self._db.execute("INSERT INTO sessions(order_id, started) VALUES (?, ?)", (oid, self.clock()))
                row = ("[]", "[]", 0)
            steps, errors, retries = json.loads(row[0]), json.loads(row[1]), int(row[2])
            steps, errors, retries = fn(steps, errors, retries)
            self._db.execute("UPDATE sessions SET steps = ?, error_codes = ?, retries = ? WHERE order_id = ?",
                             (json.dumps(steps), json.dumps(errors), retries, oid))

    def step_done(self, order_id: str, step: str) -> None:
        s = _item(step)
        self._update(order_id, lambda st, er, r: (st + [s] if s not in st else st, er, r))

    def add_error(self, order_id: str, code: Any) -> None:
        c = _item(code)
        self._update(order_id, lambda st, er, r: (st, er + [c], r))

    def add_retry(self, order_id: str, count: int = 1) -> None:
        self._update(order_id, lambda st, er, r: (st, er, r + int(count)))

    def finish(self, order_id: str, verdict: str, ended: float | None = None) -> None:
        oid = _order_id(order_id)
        with self._lock:
            cur = self._db.execute("UPDATE sessions SET ended = ?, verdict = ? WHERE order_id = ?",
                                   (self.clock() if ended is None else float(ended), _item(verdict), oid))
            if cur.rowcount == 0:
                now = self.clock() if ended is None else float(ended)
                self._db.execute("INSERT INTO sessions(order_id, started, ended, verdict) VALUES (?, ?, ?, ?)",
                                 (oid, now, now, _item(verdict)))

    def record(self, rec: SessionRecord) -> None:
        """Write a whole record (insert or replace)."""
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO sessions(order_id, started, ended, steps, verdict, error_codes, retries) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (_order_id(rec.order_id), float(rec.started), None if rec.ended is None else float(rec.ended),
                 json.dumps([_item(s) for s in rec.steps]), _item(rec.verdict) if rec.verdict else "",
                 json.dumps([_item(c) for c in rec.error_codes]), int(rec.retries)))

    # -- reading
    def sessions(self, day: dt.date | None = None) -> list[SessionRecord]:
        """Sessions started on ``day`` (local time; default today), oldest first."""
        lo, hi = day_bounds(day)
        return self._select("WHERE started >= ? AND started < ? ORDER BY started", (lo, hi))

    def today(self) -> list[SessionRecord]:
        return self.sessions(None)

    def all(self) -> list[SessionRecord]:
        return self._select("ORDER BY started", ())

    def get(self, order_id: str) -> SessionRecord | None:
        rows = self._select("WHERE order_id = ?", (_order_id(order_id),))
        return rows[0] if rows else None

    def _select(self, where: str, args: Iterable[Any]) -> list[SessionRecord]:
        with self._lock:
            rows = self._db.execute(
                "SELECT order_id, started, ended, steps, verdict, error_codes, retries FROM sessions " + where,
                tuple(args)).fetchall()
        return [SessionRecord(r[0], r[1], r[2], json.loads(r[3]), r[4], json.loads(r[5]), int(r[6])) for r in rows]

    def export_csv(self, path: Path | str, day: dt.date | None = None) -> int:
        """Write the day's sessions (default today) as CSV (UTF-8 with BOM, so spreadsheet
        programs read it); returns the number of rows."""
        rows = self.sessions(day)
        path = Path(path)
        with path.open("w", newline="", encoding="utf-8-sig") as fh:
            w = csv.writer(fh)
            w.writerow(CSV_COLUMNS)
            for rec in rows:
                d = rec.to_dict()
                w.writerow([d["order_id"], d["started"], d["ended"] or "", "" if d["duration_s"] is None
                            else d["duration_s"], " ".join(d["steps"]), d["verdict"], " ".join(d["error_codes"]),
                            d["retries"]])
        return len(rows)

    def summary(self, day: dt.date | None = None) -> dict[str, Any]:
        rows = self.sessions(day)
        verdicts: dict[str, int] = {}
        for r in rows:
            verdicts[r.verdict or "open"] = verdicts.get(r.verdict or "open", 0) + 1
        return {"sessions": len(rows), "verdicts": verdicts, "retries": sum(r.retries for r in rows)}
