"""The screens as people use them (issue 16): the real window, driven with keys and clicks."""
from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QScrollArea

from kiosk.ui.i18n import tracking_code
from ui_helpers import (cancel_session, click, fill_details, finish_photo, press_ready, run_capture_steps, start_to_consent,
                        wait_page, wait_photo)


def _to_details(qtbot, window):
    click(qtbot, window.pages["welcome"].start)
    return wait_page(qtbot, window, "details")


def test_typing_into_a_red_field_stays_in_that_field(qtbot, make_window):
    window = make_window("en")
    page = _to_details(qtbot, window)
    fill_details(qtbot, window, {"national_code": "123", "birth_date": "1370/13/01", "mobile": "0912",
                                 "card_serial": "1A2"})
    assert all(page.edits[f].property("invalid") for f in ("national_code", "birth_date", "mobile", "card_serial"))
    mobile_box = page.edits["mobile"].geometry()
    # the person clicks into the red national code field, empties it and types the code
    edit = page.edits["national_code"]
    qtbot.mouseClick(edit, Qt.MouseButton.LeftButton)
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    qtbot.keyClicks(edit, "0012345679")
    assert edit.text() == "0012345679"
    assert window.focusWidget() is edit
    assert page.edits["birth_date"].text() == "1370/13/01"  # nothing leaked into the other fields
    assert page.edits["mobile"].text() == "0912"
    assert edit.property("invalid") is False
    assert page.edits["mobile"].property("invalid") is True  # the other red marks stay
    assert page.edits["mobile"].geometry() == mobile_box  # the form did not move
    # the next red field, clicked, takes its own typing too
    mobile = page.edits["mobile"]
    qtbot.mouseClick(mobile, Qt.MouseButton.LeftButton)
    mobile.end(False)
    qtbot.keyClicks(mobile, "3456789")
    assert mobile.text() == "09123456789" and window.focusWidget() is mobile
    assert page.edits["birth_date"].text() == "1370/13/01"


def test_fields_hold_only_their_content(qtbot, make_window):
    window = make_window("fa")
    page = _to_details(qtbot, window)
    code, mobile, date, serial = (page.edits[f] for f in ("national_code", "mobile", "birth_date", "card_serial"))
    qtbot.keyClicks(code, "00123456791234")
    assert code.text() == "۰۰۱۲۳۴۵۶۷۹"  # 10 digits, the rest refused (in the screen's digits)
    qtbot.keyClicks(code, "x")
    assert code.text() == "۰۰۱۲۳۴۵۶۷۹"
    qtbot.keyClicks(mobile, "0912345678999")
    assert mobile.text() == "۰۹۱۲۳۴۵۶۷۸۹"
    qtbot.keyClicks(date, "13761113")
    assert date.text() == "۱۳۷۶/۱۱/۱۳"  # the separators come as the digits do
    qtbot.keyClick(date, Qt.Key.Key_Backspace)
    qtbot.keyClick(date, Qt.Key.Key_Backspace)
    qtbot.keyClick(date, Qt.Key.Key_Backspace)
    qtbot.keyClick(date, Qt.Key.Key_Backspace)
    assert date.text() == "۱۳۷۶/۱"  # deleting is never fought
    qtbot.keyClicks(serial, "1a23456789xyz")
    assert serial.text() == "1A23456789"
    # Persian digits count like Latin ones (an input method inserts them)
    code.clear()
    code.insert("۰۰۱۲۳۴۵۶۷۹۹۹")
    assert code.text() == ""  # too long as a whole: refused
    code.insert("۰۰۱۲۳۴۵۶۷۹")
    assert code.text() == "۰۰۱۲۳۴۵۶۷۹"
    # Enter in a field with content submits the form (the errors show)
    qtbot.keyClick(serial, Qt.Key.Key_Return)
    assert page.edits["birth_date"].property("invalid") is True
    # each field is about as wide as what it holds
    assert code.width() < page.width() / 2.5


def _walk_to(qtbot, window, target):
    while True:
        qtbot.waitUntil(lambda: window.current is not None and window.current.name not in (
            "busy", "details", "consent"), timeout=30000)
        page = window.current
        if page.name == target or page.name in ("verdict", "problem"):
            return page
        press_ready(qtbot, page)  # a photo step starts with "I'm ready"
        if page.name in ("selfie_video", "admittance_video"):  # a video starts with its button
            qtbot.waitUntil(lambda page=page: page.phase == "ready", timeout=20000)
            click(qtbot, page.start_button)
        finish_photo(qtbot, window, page)


def test_cancel_asks_first_and_the_staff_is_told_after(qtbot, make_window, sandbox):
    window = make_window("en")
    click(qtbot, start_to_consent(qtbot, window).agree)
    page = wait_page(qtbot, window, "signature")
    order_id = window.session.data.order_id
    click(qtbot, page.cancel_button)
    confirm = window.cancel_confirm
    assert confirm.isVisible() and window.current is page and window.session.active
    assert confirm.title.text() == "End the session?"
    assert confirm.text.text() == "Everything captured will be erased."
    assert confirm.primary.height() > confirm.secondary.height()  # keeping on is the big button
    click(qtbot, confirm.primary)  # "No, continue the session"
    assert not confirm.isVisible() and window.current is page and window.session.active
    click(qtbot, page.cancel_button)
    qtbot.keyClick(confirm, Qt.Key.Key_Return)  # Enter keeps going too
    assert not confirm.isVisible() and window.session.active
    click(qtbot, page.cancel_button)
    click(qtbot, confirm.secondary)
    welcome = wait_page(qtbot, window, "welcome")
    assert not window.session.active
    assert welcome.notice.isVisible()
    assert "cancelled" in welcome.notice_text.text() and order_id in welcome.notice_text.text()
    click(qtbot, welcome.lang_button)  # the notice follows the language
    qtbot.waitUntil(lambda: "لغو" in welcome.notice_text.text())
    click(qtbot, welcome.notice_ok)
    assert not welcome.notice.isVisible()


def test_idle_warns_with_a_countdown_and_im_still_here_keeps_the_session(qtbot, make_window):
    window = make_window("en", session__idle_timeout=60)
    page = _to_details(qtbot, window)
    qtbot.keyClicks(page.edits["national_code"], "0012345679")
    flow = window.session.flow
    flow.last_activity = flow.clock() - 50  # ten seconds left: nobody touched anything for a while
    qtbot.waitUntil(lambda: window.idle_warning.isVisible(), timeout=30000)
    warning = window.idle_warning
    assert warning.primary.text() == "I'm still here"
    assert warning.count.isVisible() and warning.count.text().endswith(" s")
    assert window.current is page and window.session.active
    click(qtbot, warning.primary)
    assert not warning.isVisible()
    assert flow.idle_remaining() > 50
    assert page.edits["national_code"].text() == "0012345679"  # nothing lost
    flow.last_activity = flow.clock() - 60  # this time nobody answers
    welcome = wait_page(qtbot, window, "welcome", timeout=30000)
    assert not warning.isVisible()
    assert welcome.notice.isVisible() and "nobody used the kiosk" in welcome.notice_text.text()


def test_a_face_in_front_of_the_camera_counts_as_presence(qtbot, make_window):
    window = make_window("en", session__idle_timeout=60)
    click(qtbot, start_to_consent(qtbot, window).agree)
    assert _walk_to(qtbot, window, "id_back").name == "id_back"
    # from the selfie on, a face the selfie never takes (too far), as an applicant being coached
    window.settings.set("camera.source", "simulated:far")
    page = press_ready(qtbot, _walk_to(qtbot, window, "selfie"))
    assert page.name == "selfie"
    qtbot.waitUntil(lambda: page.report is not None, timeout=20000)
    flow = window.session.flow
    flow.last_activity = flow.clock() - 55  # nobody touched the screen for 55 s
    qtbot.waitUntil(lambda: flow.idle_remaining() > 50, timeout=10000)  # the face keeps the session
    assert window.current is page and window.session.active


def test_nothing_of_one_session_survives_into_the_next(qtbot, make_window, sandbox):
    window = make_window("en")
    click(qtbot, start_to_consent(qtbot, window).agree)
    verdict = run_capture_steps(qtbot, window)
    assert verdict.name == "verdict" and verdict.verified
    pages = window.pages
    assert pages["signature"].view._image is not None  # the first applicant's pictures were shown
    assert pages["admittance_video"].progress.value() == 1000
    click(qtbot, verdict.finish)
    wait_page(qtbot, window, "welcome")
    # the second applicant: every page is as new
    click(qtbot, pages["welcome"].start)
    wait_page(qtbot, window, "details")
    assert all(not e.text() for e in pages["details"].edits.values())
    for name in ("signature", "id_front", "id_back", "selfie", "selfie_video", "admittance_video"):
        page = pages[name]
        assert page.view._image is None, name
        assert page.staff_panel.values == {}, name
        assert page.status.text() == "", name
    for name in ("selfie_video", "admittance_video"):
        assert pages[name].progress.value() == 0 and pages[name].sentence.text() == "…"
        assert pages[name].meter.value() == 0
    assert pages["signature"].pad.empty
    assert not pages["consent"].check.isChecked()
    assert pages["verdict"].order_id == "" and pages["verdict"].steps == []
    fill_details(qtbot, window)
    consent = wait_page(qtbot, window, "consent")
    consent.check.setChecked(True)
    click(qtbot, consent.agree)
    page = wait_page(qtbot, window, "signature")
    assert page.phase == "live" and page.status.text() == ""
    assert page.preparing and page.prepare_view.isVisible()  # prepared again, as the first applicant was
    cancel_session(qtbot, window)


def test_measurements_are_for_the_staff_only(qtbot, make_window):
    from kiosk.ui.shell import StaffMenu

    window = make_window("fa")
    click(qtbot, start_to_consent(qtbot, window).agree)
    page = wait_photo(qtbot, window, "signature")
    qtbot.waitUntil(lambda: page.staff_panel.values != {}, timeout=20000)  # measured...
    assert not page.staff_panel.isVisible()  # ...but not shown to the applicant
    menu = StaffMenu(window, measurements=window.show_measurements)
    click(qtbot, menu.measurements_box)  # the staff turns the overlay on
    assert menu.measurements is True
    window.set_measurements(menu.measurements)
    assert page.staff_panel.isVisible() and page.staff_panel.text() != "—"
    window.set_measurements(False)
    assert not page.staff_panel.isVisible()
    menu.deleteLater()
    cancel_session(qtbot, window)


def test_quit_in_the_staff_menu_asks_first(qtbot, make_window):
    from kiosk.ui.shell import StaffMenu

    window = make_window("en")
    menu = StaffMenu(window)
    qtbot.addWidget(menu)
    menu.show()
    quit_at = menu.buttons["quit"].mapTo(menu, menu.buttons["quit"].rect().center())
    click(qtbot, menu.buttons["quit"])  # one tap: a question, not the end of the kiosk
    assert menu.choice is None and menu.isVisible()
    confirm = menu.buttons["confirm_quit"]
    assert "Quit the kiosk?" in menu.heading.text() and confirm.isVisible() and confirm.text() == "Yes, quit the kiosk"
    QApplication.processEvents()
    # a second tap where Quit was lands on no button: the answer is elsewhere
    assert not confirm.geometry().contains(confirm.parentWidget().mapFrom(menu, quit_at))
    assert menu.childAt(quit_at) is None or not isinstance(menu.childAt(quit_at), type(confirm))
    for label in (menu.heading,):  # the question is read whole
        assert label.height() >= label.heightForWidth(label.width())
    assert confirm.width() >= confirm.sizeHint().width()  # "Yes, quit the kiosk" not cut
    click(qtbot, confirm)
    assert menu.choice == "quit" and menu.result() == QDialog.DialogCode.Accepted
    other = StaffMenu(window)
    qtbot.addWidget(other)
    other.show()
    click(qtbot, other.buttons["quit"])
    click(qtbot, other.buttons["back"])  # changed their mind
    assert other.choice == "back"


def test_a_failure_stays_for_the_staff_until_dismissed(qtbot, make_window):
    from PySide6.QtCore import QTimer

    window = make_window("en")
    _to_details(qtbot, window)
    window.report_error(RuntimeError("boom"))
    page = wait_page(qtbot, window, "failsafe")
    assert not window.session.active
    assert not [t for t in page.findChildren(QTimer) if t.isActive()]  # nothing takes it away
    assert "technical support" in page.staff.text()
    click(qtbot, page.back)
    welcome = wait_page(qtbot, window, "welcome")
    assert welcome.notice.isVisible() and "unexpected error" in welcome.notice_text.text()


def test_a_broker_failure_tells_the_staff_what_to_do_and_not_the_applicant(qtbot, make_window, sandbox):
    sandbox.set_faults({"status": 503, "methods": ["SetToken"], "times": 5})
    window = make_window("en", broker__retries=0)
    click(qtbot, start_to_consent(qtbot, window).agree)
    page = wait_page(qtbot, window, "problem")
    sandbox.set_faults(None)
    assert "staff member" in page.applicant.text() and "cable" not in page.applicant.text()
    assert page.todo.text().startswith("Next:")
    assert "Tracking code: " in page.details.text() and window.session.data.order_id in page.details.text()
    click(qtbot, page.lang_button)
    qtbot.waitUntil(lambda: page.todo.text().startswith("گام بعد"))
    assert "کد پیگیری" in page.details.text()
    from kiosk.i18n.digits import to_persian_digits

    # the staff reads the tracking code out in Persian digits; the lookup takes them back
    assert to_persian_digits(window.session.data.order_id) in page.details.text()
    click(qtbot, page.end)


def _wheel(widget, steps=-3):
    from PySide6.QtCore import QPoint, QPointF
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    pos = QPointF(widget.width() / 2, widget.height() / 2)
    event = QWheelEvent(pos, QPointF(widget.mapToGlobal(pos.toPoint())), QPoint(0, 0), QPoint(0, 120 * steps),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def test_staff_settings_a_wheel_never_changes_a_value_nobody_clicked(qtbot, make_window, tmp_path):
    from kiosk.config.settings import Settings
    from kiosk.ui.staff import StaffConsole

    settings = Settings(path=tmp_path / "settings.toml")
    console = StaffConsole(settings, lang="fa")
    qtbot.addWidget(console)
    console.resize(1100, 720)
    console.show()
    qtbot.waitExposed(console)
    page = console.settings_page
    combo = page.fields["tokens.jwt_algorithm"]
    before = combo.currentData()
    page.scroll_area.ensureWidgetVisible(combo)
    _wheel(combo)  # the staff member scrolls the page and the pointer passes over the drop-down
    assert combo.currentData() == before == "HS256"
    # (the page scrolling instead was checked with a real wheel under Xvfb: a sent event does not
    # propagate to the scroll area as a real one does)
    assert page.save() == {}  # and Save writes nothing
    combo.setFocus()  # clicked: now the wheel is the person's choice
    # human labels with the raw key beneath, both languages
    label = page.labels["broker.url"].text()
    assert "نشانی سامانهٔ احراز هویت" in label and "broker.url" in label
    console.set_language("en")
    assert "Identity service address" in page.labels["broker.url"].text()
    assert "\u2066" in page.file_label.text()  # the path isolated inside right-to-left text
    console.set_language("fa")
    # values (-19 dBFS, paths) are typed and read left to right; runs in the help are isolated
    assert page.fields["recording.min_speech_dbfs"].layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert page.fields["recording.min_speech_dbfs"].text().startswith("-")
    assert "\u2066" in page.helps["quality.max_yaw"].text()
    # a Close button, not only Esc
    holder = console.window()
    click(qtbot, console.close_button)
    assert not holder.isVisible()
    console.shutdown()


def test_progress_on_every_step_and_a_rec_dot_while_recording(qtbot, make_window, sandbox):
    window = make_window("en")
    details = _to_details(qtbot, window)
    assert details.step_label.isVisible() and details.step_label.text() == "Step 1 of 8"
    fill_details(qtbot, window)
    consent = wait_page(qtbot, window, "consent")
    assert consent.step_label.text() == "Step 2 of 8"
    consent.check.setChecked(True)
    click(qtbot, consent.agree)
    signature = wait_page(qtbot, window, "signature")
    assert signature.step_label.text() == "Step 3 of 8"
    page = _walk_to(qtbot, window, "selfie_video")
    assert page.step_label.text() == "Step 7 of 8"
    qtbot.waitUntil(lambda: page.phase == "ready", timeout=20000)
    assert not page.rec.isVisible()
    click(qtbot, page.start_button)
    qtbot.waitUntil(lambda: page.phase == "recording" and page.rec.isVisible(), timeout=20000)
    assert page.rec.text().startswith("● REC ") and page.rec.text().endswith(" s")
    # the sentence stays whole on screen while it is read (the camera view gives way)
    box = page.sentence_box
    assert box.height() >= min(page.sentence.heightForWidth(box.viewport().width()), box.maximumHeight())
    qtbot.waitUntil(lambda: page.phase != "recording", timeout=20000)
    assert not page.rec.isVisible()
    cancel_session(qtbot, window)


def test_persian_text_is_set_larger_to_read_at_the_same_size(qtbot, make_window):
    window = make_window("en")
    welcome = window.pages["welcome"]
    en = welcome.title_label.fontInfo().pixelSize()
    click(qtbot, welcome.lang_button)
    qtbot.waitUntil(lambda: welcome.title_label.text() == "خوش آمدید")
    fa = welcome.title_label.fontInfo().pixelSize()
    assert fa > en * 1.05


def test_a_long_commitment_text_is_readable_whole_and_gets_its_time(qtbot, make_window, sandbox):
    from admittance_sample import ADMITTANCE

    # the provider's sentence travels in the token (broker.admittance_text); the broker reads it back
    window = make_window("fa", broker__admittance_text=ADMITTANCE)
    click(qtbot, start_to_consent(qtbot, window).agree)
    page = _walk_to(qtbot, window, "admittance_video")
    assert page.name == "admittance_video"
    qtbot.waitUntil(lambda: page.phase == "ready", timeout=20000)
    label = page.sentence
    assert label.text() == ADMITTANCE and label.property("length") == "long"
    # the label has all the height its lines need (nothing clipped); the box scrolls to the end
    qtbot.waitUntil(lambda: label.height() >= label.heightForWidth(label.width()), timeout=30000)  # laid out
    bar = page.sentence_box.verticalScrollBar()
    assert bar.maximum() == 0 or bar.maximum() >= label.height() - page.sentence_box.viewport().height() - 2
    assert page.record_seconds > float(window.settings["recording.seconds"])  # the recording follows the text
    cancel_session(qtbot, window)


def test_the_keypad_types_persian_digits_where_the_focus_is(qtbot, make_window):
    window = make_window("fa")
    page = _to_details(qtbot, window)
    date = page.edits["birth_date"]
    qtbot.mouseClick(date, Qt.MouseButton.LeftButton)
    for key in "13700101":
        click(qtbot, page.keypad.keys[key])
    assert date.text() == "۱۳۷۰/۰۱/۰۱"  # Persian digits, the separators put in as for a keyboard
    assert window.focusWidget() is date  # the keys never take the focus
    click(qtbot, page.keypad.keys["⌫"])
    assert date.text() == "۱۳۷۰/۰۱/۰"
    assert page.keypad.keys["5"].text() == "۵"


def test_the_pin_can_be_typed_on_the_keypad(qtbot, make_window):
    from kiosk.ui.widgets import PinDialog

    window = make_window("fa")
    typed = []
    dialog = PinDialog(lambda pin: typed.append(pin) or pin == "1234", window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.edit.setFocus()
    qtbot.waitUntil(lambda: dialog.focusWidget() is dialog.edit, timeout=20000)
    for key in "1234":
        click(qtbot, dialog.keypad.keys[key])
    assert dialog.edit.text() == "1234"
    dialog._try()
    assert typed == ["1234"] and dialog.result() == QDialog.DialogCode.Accepted


def test_after_a_wrong_pin_the_keypad_still_types_and_an_empty_ok_is_no_try(qtbot, make_window):
    from PySide6.QtWidgets import QDialogButtonBox

    from kiosk.ui.widgets import PinDialog

    window = make_window("fa")
    typed = []
    dialog = PinDialog(lambda pin: typed.append(pin) or pin == "1234", window)
    qtbot.addWidget(dialog)
    dialog.show()
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    click(qtbot, ok)  # nothing typed yet: no try spent
    assert typed == [] and dialog.attempts == 0 and dialog.error.text()
    for key in "99":
        click(qtbot, dialog.keypad.keys[key])
    click(qtbot, ok)  # a wrong PIN, with the OK button taking the focus as a touch does
    assert typed == ["99"] and dialog.edit.text() == ""
    for key in "1234":
        click(qtbot, dialog.keypad.keys[key])
    assert dialog.edit.text() == "1234"  # the keypad still types into the PIN field
    click(qtbot, ok)
    assert typed == ["99", "1234"] and dialog.result() == QDialog.DialogCode.Accepted


def test_tracking_code_digits_follow_the_reader_but_letters_keep_latin_digits():
    assert "۵۱۰۹۰۴۲۱" in tracking_code("51090421", "fa")
    assert "51090421" in tracking_code("51090421", "en")
    # a code with letters read with Persian digits («KSK۳F۹A») is neither Persian nor Latin
    assert "KSK3F9A27C1D0B44E21" in tracking_code("KSK3F9A27C1D0B44E21", "fa")


def test_the_details_scroll_bar_can_be_seen_and_grabbed(qtbot, make_window):
    window = make_window("fa")
    page = _to_details(qtbot, window)
    bar = page.findChild(QScrollArea).verticalScrollBar()
    qtbot.waitUntil(bar.isVisible, timeout=5000)  # more fields below than the screen shows
    assert bar.width() >= 20  # a finger-wide bar, not Qt's faint line


def test_every_picture_the_style_sheet_names_exists(qtbot, make_window):
    make_window("fa")
    qss = QApplication.instance().styleSheet()
    urls = re.findall(r"url\(([^)]+)\)", qss)
    assert urls  # the ticked check box's mark at least
    for url in urls:  # a url() relative to the working directory would draw nothing when started elsewhere
        assert Path(url).is_absolute() and Path(url).is_file(), url
