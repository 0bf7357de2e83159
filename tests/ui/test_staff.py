"""pytest-qt tests of the staff console (offscreen): the generated settings screen, the
self-test screen, today's sessions and the signed result lookup, against the sandbox broker."""
from __future__ import annotations

import csv
import tomllib
import uuid

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit

from kiosk.broker.client import BrokerClient
from kiosk.config.settings import DEFINITIONS, Settings
from kiosk.core.sessions_log import SessionsLog
from kiosk.core.staff_pin import verify_pin
from kiosk.ui.staff import StaffConsole
from kiosk.ui.staff.lookup_page import LookupPage
from kiosk.ui.staff.selftest_page import SelftestPage
from kiosk.ui.staff.sessions_page import SessionsPage
from kiosk.ui.staff.settings_page import SettingsPage

DETAILS = {"national_code": "0012345679", "birth_date": "1370/01/01", "mobile": "09123456789",
           "card_serial": "1A23456789"}


@pytest.fixture
def settings(tmp_path):
    return Settings(path=tmp_path / "settings.toml")


# ----------------------------------------------------------------------------- settings

def test_settings_screen_is_generated_from_the_definitions(qtbot, settings):
    page = SettingsPage(settings, "en")
    qtbot.addWidget(page)
    assert set(page.fields) == {s.key for s in DEFINITIONS}
    assert isinstance(page.fields["broker.verify_tls"], QCheckBox)
    assert isinstance(page.fields["ui.language"], QComboBox)
    assert page.fields["broker.provider_key_file"].echoMode() == QLineEdit.EchoMode.Password  # secret masked
    assert page.fields["broker.url"].echoMode() == QLineEdit.EchoMode.Normal
    assert ">Requested camera frame rate.<" in page.helps["camera.fps"].text()
    page.set_language("fa")
    assert ">نرخ فریم درخواستی دوربین.<" in page.helps["camera.fps"].text()


def test_bad_values_are_shown_at_the_field_and_nothing_is_saved(qtbot, settings):
    page = SettingsPage(settings, "fa")
    qtbot.addWidget(page)
    page.fields["camera.fps"].setText("0")
    page.fields["broker.url"].setText("ftp://broker")
    page.fields["ui.language"].setCurrentIndex(page.fields["ui.language"].findData("en"))
    with qtbot.assertNotEmitted(page.settings_changed):
        assert page.save() is None
    assert "۱" in page.field_error("camera.fps")
    assert "http://" in page.field_error("broker.url")
    assert page.field_error("ui.language") == ""
    assert not settings.path.exists() and settings["ui.language"] == "fa"
    page.set_language("en")
    assert page.field_error("camera.fps") == "must be at least 1, got 0.0"


def test_save_writes_the_file_applies_and_signals(qtbot, settings):
    page = SettingsPage(settings, "en")
    qtbot.addWidget(page)
    page.fields["camera.fps"].setText("25")
    page.fields["ui.language"].setCurrentIndex(page.fields["ui.language"].findData("en"))
    with qtbot.waitSignal(page.settings_changed) as sig:
        page.save()
    assert sig.args[0] == {"camera.fps": 25.0, "ui.language": "en"}
    assert settings["camera.fps"] == 25.0  # the live object the kiosk uses
    data = tomllib.loads(settings.path.read_text("utf-8"))
    assert data["camera"]["fps"] == 25.0 and data["ui"]["language"] == "en"
    assert Settings.load(settings.path, environ={})["camera.fps"] == 25.0


def test_staff_pin_is_stored_only_as_a_hash(qtbot, settings):
    page = SettingsPage(settings, "en")
    qtbot.addWidget(page)
    page.pin_new.setText("135792")
    page.pin_repeat.setText("135793")
    assert page.save() is None and page.field_error("staff.pin_hash") == "The two PINs differ."
    page.pin_new.setText("12")
    page.pin_repeat.setText("12")
    assert page.save() is None and "6 to 12" in page.field_error("staff.pin_hash")
    page.pin_new.setText("123456")
    page.pin_repeat.setText("123456")
    assert page.save() is None and "easily guessed" in page.field_error("staff.pin_hash")
    page.pin_new.setText("۱۳۵۷۹۲")
    page.pin_repeat.setText("۱۳۵۷۹۲")
    changed = page.save()
    assert set(changed) == {"staff.pin_hash"}
    assert verify_pin("135792", settings["staff.pin_hash"])
    text = settings.path.read_text("utf-8")
    assert "135792" not in text and "scrypt-hmac$" in text
    assert page.pin_new.text() == ""


def test_tls_off_shows_a_loud_warning(qtbot, settings):
    page = SettingsPage(settings, "en")
    qtbot.addWidget(page)
    page.show()
    assert page.warning.isHidden()
    page.fields["broker.verify_tls"].setChecked(False)
    assert page.warning.isVisible() and "TLS" in page.warning.text()
    page.fields["broker.verify_tls"].setChecked(True)
    assert page.warning.isHidden()


def test_environment_set_fields_are_read_only(qtbot, tmp_path):
    s = Settings.load(tmp_path / "s.toml", environ={"KIOSK_CAMERA__FPS": "12"})
    page = SettingsPage(s, "en")
    qtbot.addWidget(page)
    assert not page.fields["camera.fps"].isEnabled()
    assert "KIOSK_CAMERA__FPS" in page.helps["camera.fps"].text()
    assert "camera.fps" not in page.form_values()


# ----------------------------------------------------------------------------- self-test

def test_selftest_screen_shows_each_line(qtbot, sandbox, settings):
    page = SelftestPage(settings, "en", broker_url=sandbox.url, credentials=sandbox.credentials,
                        camera_spec="97", mic_spec="simulated", seconds=0.3)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.finished, timeout=180000) as sig:  # nine checks: generous on a busy machine
        page.run_button.click()
        assert page.running and not page.run_button.isEnabled()
    results = {r.name: r for r in sig.args[0]}
    assert len(results) == 9 and results["recovery"].ok
    assert results["camera"].failed and "camera.source" in results["camera"].fix
    assert all(r.ok for name, r in results.items() if name != "camera"), [r.text("en") for r in results.values()]
    assert "1 check(s) failed" in page.summary.text()
    html = page.lines.toPlainText()
    assert "Camera" in html and "camera.source" in html and "Broker access" in html and "Recovery after a crash" in html
    page.set_language("fa")
    assert "دوربین" in page.lines.toPlainText()
    assert page.run_button.isEnabled()


# ----------------------------------------------------------------------------- sessions

def test_sessions_table_and_export(qtbot, tmp_path):
    log = SessionsLog(tmp_path / "s.db")
    log.start("KSKA1")
    log.step_done("KSKA1", "selfie")
    log.finish("KSKA1", "verified")
    log.start("KSKB2")
    log.add_error("KSKB2", 1602)
    page = SessionsPage(log, "en")
    qtbot.addWidget(page)
    assert page.table.rowCount() == 2
    order, verdict, errors = page.column("order_id"), page.column("verdict"), page.column("error_codes")
    assert page.table.item(0, order).text() == "KSKA1" and page.table.item(0, verdict).text() == "Verified"
    assert page.table.item(0, verdict).data(Qt.ItemDataRole.UserRole) == "verified"  # the raw key kept
    assert page.table.item(1, errors).text() == "1602"
    log.start("KSKC3")
    page.refresh()
    assert page.table.rowCount() == 3 and "3 session(s)" in page.count.text()
    out = tmp_path / "today.csv"
    assert page.export_to(out) == 3
    assert [r["order_id"] for r in csv.DictReader(out.open(encoding="utf-8-sig"))] == ["KSKA1", "KSKB2", "KSKC3"]
    log.close()


# ----------------------------------------------------------------------------- lookup

@pytest.fixture
def order(sandbox):
    from kiosk.cvcompat import cv2
    from skimage import data

    ok, buf = cv2.imencode(".jpg", cv2.cvtColor(cv2.resize(data.astronaut(), (480, 480)), cv2.COLOR_RGB2BGR))
    oid = "U" + uuid.uuid4().hex[:10].upper()
    with BrokerClient(sandbox.url, sandbox.credentials, Settings()) as c:
        token, sig = c.new_verification_token(DETAILS, oid)
        c.set_token(token, sig)
        assert c.send_prob_image(token, buf.tobytes()).passed
    return oid


def _lookup(qtbot, page, button):
    button.click()
    qtbot.waitUntil(lambda: not page.busy and page.go_button.isEnabled(), timeout=15000)


def test_lookup_shows_status_scores_and_media_on_request(qtbot, sandbox, order, tmp_path):
    page = LookupPage(lambda: BrokerClient(sandbox.url, sandbox.credentials, Settings()), "en")
    qtbot.addWidget(page)
    page.show()
    page.order_edit.setText(order)
    _lookup(qtbot, page, page.go_button)
    assert page.result.ok, page.message.text()
    assert "signature verified" in page.message.text()
    assert "Status: Draft (ProbImageReceived)" in page.status_label.text()
    assert "0012345679" not in page.status_label.text()
    assert page.scores.rowCount() >= 1 and page.scores.item(0, 1).text() == "Matched"
    assert page.media == {} and not page.media_box.isVisible()  # nothing fetched until asked
    assert page.media_button.isEnabled()
    _lookup(qtbot, page, page.media_button)
    assert page.media_box.isVisible()
    assert page.pictures["selfie"].pixmap() is not None and not page.pictures["selfie"].pixmap().isNull()
    assert page.save_buttons["selfie"].isVisible()
    assert not page.save_buttons["video"].isVisible()  # the broker has no video for this order
    (tmp_path / "selfie.jpg").write_bytes(b"old")
    (tmp_path / "selfie.jpg").chmod(0o644)
    saved = page.save_media("selfie", tmp_path / "selfie.jpg")
    assert saved.read_bytes()[:3] == b"\xff\xd8\xff"
    assert saved.stat().st_mode & 0o777 == 0o600  # biometric media: this account only, even over a 0644 file
    assert "will not wipe it" in page.message.text()  # the staff member is told
    page.stop()
    assert page.media == {} and page.result is None


def test_lookup_reports_a_bad_signature_and_shows_nothing(qtbot, sandbox, order):
    sandbox.set_faults({"bad_signature": True})
    page = LookupPage(lambda: BrokerClient(sandbox.url, sandbox.credentials, Settings()), "fa")
    qtbot.addWidget(page)
    page.order_edit.setText(order)
    _lookup(qtbot, page, page.go_button)
    assert not page.result.ok and page.result.error_kind == "signature"
    assert "امضای پاسخ سامانهٔ احراز هویت نامعتبر است" in page.message.text()
    assert page.status_label.text() == "" and page.scores.isHidden()
    assert not page.media_button.isEnabled()


def test_lookup_needs_an_order_id(qtbot):
    page = LookupPage(lambda: pytest.fail("no broker call without an order id"), "en")
    qtbot.addWidget(page)
    page.go_button.click()
    assert page.message.text() == "Type the tracking code."


# ----------------------------------------------------------------------------- the console

def test_console_has_four_tabs_and_follows_language(qtbot, sandbox, settings, tmp_path):
    log = SessionsLog(tmp_path / "s.db")
    console = StaffConsole(settings, lang="fa", broker_url=sandbox.url, credentials=sandbox.credentials,
                           sessions_log=log)
    qtbot.addWidget(console)
    assert [console.tabs.tabText(i) for i in range(4)] == ["تنظیمات", "آزمون دستگاه", "جلسه‌های امروز", "پیگیری نتیجه"]
    page = console.settings_page
    page.fields["ui.language"].setCurrentIndex(page.fields["ui.language"].findData("en"))
    with qtbot.waitSignal(console.settings_changed) as sig:
        page.save()
    assert sig.args[0] == {"ui.language": "en"}
    assert console.lang == "en" and console.tabs.tabText(0) == "Settings"
    with console.make_client() as client:  # the lookup's client reaches the sandbox
        assert client.get_token_provider_properties().selfie_permission
    console.shutdown()
    log.close()
