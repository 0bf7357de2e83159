"""The sessions log: what it keeps, what it never keeps, purging and CSV export."""
from __future__ import annotations

import csv
import datetime as dt
import time

import pytest

from kiosk import paths
from kiosk.config.settings import Settings
from kiosk.core.sessions_log import SessionRecord, SessionsLog, looks_personal, mask_digits

NATIONAL = "0012345679"  # valid check digit
MOBILE = "09123456789"


def test_records_a_session(tmp_path):
    with SessionsLog(tmp_path / "s.db") as log:
        log.start("KSK1")
        log.step_done("KSK1", "selfie")
        log.step_done("KSK1", "selfie")  # once
        log.step_done("KSK1", "video")
        log.add_error("KSK1", 1602)
        log.add_retry("KSK1")
        log.finish("KSK1", "verified")
        rec = log.get("KSK1")
    assert rec.steps == ["selfie", "video"]
    assert rec.error_codes == ["1602"]
    assert rec.retries == 1 and rec.verdict == "verified"
    assert rec.ended is not None and rec.duration >= 0


def test_default_location_is_state_dir():
    with SessionsLog() as log:
        log.start("A1")
    assert (paths.state_dir() / "sessions.sqlite3").exists()
    assert (paths.state_dir() / "sessions.sqlite3").stat().st_mode & 0o077 == 0


def test_never_holds_a_national_code_or_a_picture(tmp_path):
    db = tmp_path / "s.db"
    jpeg = b"\xff\xd8\xff\xe0" + b"JFIF" + bytes(range(256)) * 4
    with SessionsLog(db) as log:
        log.start("KSK2")
        # a careless caller passes personal data where only codes belong
        log.add_error("KSK2", f"InvalidNationalCode:{NATIONAL}")
        log.step_done("KSK2", f"mobile {MOBILE}")
        log.step_done("KSK2", "۰۰۱۲۳۴۵۶۷۹")  # Persian digits
        log.finish("KSK2", f"rejected for {NATIONAL}")
        log.add_error("KSK2", jpeg.decode("latin-1"))  # bytes of a picture
        with pytest.raises(ValueError):
            log.start(NATIONAL)  # an order id that is a national code
        with pytest.raises(ValueError):
            log.start(MOBILE)
        assert log.get("KSK2").error_codes[0].endswith("5679")
    raw = db.read_bytes()
    for secret in (NATIONAL.encode(), MOBILE.encode(), "۰۰۱۲۳۴۵۶۷۹".encode(), b"\xff\xd8\xff"):
        assert secret not in raw, secret
    latin = jpeg.decode("latin-1").encode("utf-8")
    assert not any(latin[i:i + 12] in raw for i in range(0, len(latin) - 12)), "picture bytes stored"
    for p in tmp_path.iterdir():  # no journal or side file holds them either
        assert NATIONAL.encode() not in p.read_bytes()


def test_mask_and_detect():
    assert mask_digits(f"x{NATIONAL}y") == "x******5679y"
    assert looks_personal(NATIONAL) and looks_personal("۰۰۱۲۳۴۵۶۷۹") and looks_personal(MOBILE)
    assert not looks_personal("0012345678")  # bad check digit
    assert not looks_personal("KSK3F2A19B0C7D4E11")


def test_old_rows_are_purged_on_open(tmp_path):
    db = tmp_path / "s.db"
    now = time.time()
    with SessionsLog(db) as log:
        log.record(SessionRecord("OLD", now - 40 * 86400, now - 40 * 86400, ["selfie"], "verified"))
        log.record(SessionRecord("RECENT", now - 2 * 86400))
        log.start("TODAY")
    settings = Settings({"session.history_days": 30})
    with SessionsLog.open(settings, db) as log:
        assert log.purged == 1
        assert [r.order_id for r in log.all()] == ["RECENT", "TODAY"]
        assert [r.order_id for r in log.today()] == ["TODAY"]
    assert b"OLD" not in db.read_bytes()  # secure_delete + vacuum: the bytes are gone


def test_export_csv(tmp_path):
    yesterday = dt.date.today() - dt.timedelta(days=1)
    with SessionsLog(tmp_path / "s.db") as log:
        log.start("A1")
        log.step_done("A1", "selfie")
        log.finish("A1", "verified")
        log.start("B2")
        log.add_error("B2", "capture.failed")
        log.record(SessionRecord("Y1", time.mktime(yesterday.timetuple()) + 3600))
        n = log.export_csv(tmp_path / "today.csv")
        m = log.export_csv(tmp_path / "y.csv", day=yesterday)
    assert n == 2 and m == 1
    rows = list(csv.DictReader((tmp_path / "today.csv").open(encoding="utf-8-sig")))
    assert [r["order_id"] for r in rows] == ["A1", "B2"]
    assert rows[0]["steps"] == "selfie" and rows[0]["verdict"] == "verified"
    assert rows[1]["error_codes"] == "capture.failed" and rows[1]["ended"] == ""
    assert [r["order_id"] for r in csv.DictReader((tmp_path / "y.csv").open(encoding="utf-8-sig"))] == ["Y1"]
