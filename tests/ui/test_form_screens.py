"""The consent, details, PIN, verdict and step screens as a first-time applicant or a busy staff
member uses them (issue 16, a new user's trial): the real window, driven with taps and keys."""
from __future__ import annotations

import pytest

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from ui_helpers import GOOD, cancel_session, click, fill_details, wait_page


def _to_consent(qtbot, window):
    click(qtbot, window.pages["welcome"].start)
    wait_page(qtbot, window, "details")
    fill_details(qtbot, window)
    return wait_page(qtbot, window, "consent")


def test_i_do_not_agree_asks_first_and_says_nothing_was_captured(qtbot, make_window):
    window = make_window("en")
    page = _to_consent(qtbot, window)
    click(qtbot, page.refuse)
    confirm = page.confirm
    assert confirm.isVisible() and window.current is page and window.session.active  # asked, not ended
    assert "Nothing has been captured or sent yet" in confirm.text.text()
    assert confirm.primary.height() > confirm.secondary.height()  # going back is the big button
    click(qtbot, confirm.primary)  # "No, go back to the consent"
    assert not confirm.isVisible() and window.current is page and window.session.active
    click(qtbot, page.refuse)
    qtbot.keyClick(confirm, Qt.Key.Key_Escape)  # Esc keeps going too
    assert not confirm.isVisible() and window.session.active
    click(qtbot, page.refuse)
    click(qtbot, confirm.secondary)  # "Yes, end the session"
    welcome = wait_page(qtbot, window, "welcome")
    assert not window.session.active and welcome.notice.isVisible()
    assert "consent" in welcome.notice_text.text()


def test_the_greyed_agree_says_tick_the_box(qtbot, make_window):
    window = make_window("en")
    page = _to_consent(qtbot, window)
    assert not page.agree.isEnabled()
    assert page.tick_hint.isVisible() and page.tick_hint.text() == "Tick the box above to agree"
    assert page.tick_hint.geometry().top() >= page.agree.geometry().bottom()  # under the button
    agreed = []
    page.agreed.connect(lambda: agreed.append(1))
    click(qtbot, page.agree)  # a tap on the grey button
    assert agreed == [] and window.current is page
    assert page.tick_hint.property("alert") is True  # the line stands out now
    click(qtbot, page.check)
    assert page.agree.isEnabled() and not page.tick_hint.isVisible()
    click(qtbot, page.agree)
    assert agreed == [1]


def test_the_consent_question_is_persian_on_a_persian_screen(qtbot, make_window):
    window = make_window("fa")
    page = _to_consent(qtbot, window)
    assert "تیک" in page.tick_hint.text()
    click(qtbot, page.refuse)
    confirm = page.confirm
    assert confirm.isVisible() and "چیزی" in confirm.text.text()
    # the two-line Persian sentence takes its real height: nothing in the card overlaps
    QApplication.processEvents()
    parts = [w.geometry() for w in (confirm.title, confirm.text, confirm.primary, confirm.secondary)]
    for upper, lower in zip(parts, parts[1:], strict=False):
        assert upper.bottom() < lower.top(), (upper, lower)
    assert confirm.text.height() >= confirm.text.heightForWidth(confirm.text.width())
    click(qtbot, page.confirm.primary)


# -- the details form


def _to_details(qtbot, window):
    click(qtbot, window.pages["welcome"].start)
    page = wait_page(qtbot, window, "details")
    window.activateWindow()  # as the kiosk's one window is: focus changes are sent to it
    qtbot.waitUntil(window.isActiveWindow)
    return page


def _in_view(page, widget) -> bool:
    """``widget`` lies wholly inside the details form's visible area."""
    viewport = page.form_scroll.viewport()
    top_left = widget.mapTo(viewport, widget.rect().topLeft())
    bottom_right = widget.mapTo(viewport, widget.rect().bottomRight())
    return viewport.rect().contains(top_left) and viewport.rect().contains(bottom_right)


def test_the_optional_names_below_the_fold_are_announced_and_scrolled_to(qtbot, make_window):
    window = make_window("en")
    page = _to_details(qtbot, window)
    father = page.edits["father_name"]
    assert not _in_view(page, father)  # the window shows the required fields; the names wait below
    bar = page.form_scroll.verticalScrollBar()
    assert bar.isVisible() and bar.width() >= 20  # a scroll bar plain to see
    assert page.more.isVisible() and "More fields below" in page.more.text()
    click(qtbot, page.more)  # a tap on the cue scrolls down
    assert _in_view(page, father) and not page.more.isVisible()
    bar.setValue(0)  # back up (the wheel, a drag)
    assert page.more.isVisible()
    # Tab from the card serial walks into the names: each field that gets the focus is in view
    serial = page.edits["card_serial"]
    qtbot.mouseClick(serial, Qt.MouseButton.LeftButton)
    for field in ("first_name", "last_name", "father_name"):
        qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Tab)
        assert window.focusWidget() is page.edits[field]
        qtbot.waitUntil(lambda f=field: _in_view(page, page.edits[f]) and _in_view(page, page.captions[f]))
    bar.setValue(0)
    page.edits["last_name"].setFocus()  # the focus set by the program (after Continue) scrolls too
    qtbot.waitUntil(lambda: _in_view(page, page.edits["last_name"]))


def test_the_keypad_gives_letters_for_the_card_serial(qtbot, make_window):
    window = make_window("fa")
    page = _to_details(qtbot, window)
    assert not page.keypad.letter_panel.isVisible()  # digits only for the national code
    serial = page.edits["card_serial"]
    QApplication.processEvents()
    digits_at = {k: page.keypad.keys[k].mapTo(window, page.keypad.keys[k].rect().center()) for k in "1234567890⌫"}
    qtbot.mouseClick(serial, Qt.MouseButton.LeftButton)
    assert page.keypad.letter_panel.isVisible()
    QApplication.sendPostedEvents()
    QApplication.processEvents()
    # the letters came above the digits: every digit key is where the finger left it
    assert {k: page.keypad.keys[k].mapTo(window, page.keypad.keys[k].rect().center()) for k in digits_at} == digits_at
    assert not page.keypad.keys["/"].isEnabled()  # no slash in a serial (greyed, not moved)
    for key in "1A23456789":
        click(qtbot, page.keypad.keys[key])
    assert serial.text() == "1A23456789"  # the serial as printed on the card: Latin, on a Persian screen
    assert window.focusWidget() is serial
    qtbot.waitUntil(lambda: _in_view(page, serial))  # the taller keypad did not hide the field
    qtbot.mouseClick(page.edits["mobile"], Qt.MouseButton.LeftButton)
    assert not page.keypad.letter_panel.isVisible()


def test_the_examples_in_the_fields_say_they_are_examples(qtbot, make_window):
    window = make_window("en")
    page = _to_details(qtbot, window)
    code = page.edits["national_code"]
    assert code.placeholderText() == "e.g. 0012345679"
    assert all(page.edits[f].placeholderText().startswith("e.g. ") for f in
               ("national_code", "birth_date", "mobile", "card_serial"))
    click(qtbot, page.lang_button)
    qtbot.waitUntil(lambda: "مثلاً" in code.placeholderText())
    assert code.placeholderText() == "مثلاً ۰۰۱۲۳۴۵۶۷۹"
    assert code.palette().color(code.palette().ColorRole.PlaceholderText) != code.palette().color(
        code.palette().ColorRole.Text)


def test_a_failed_continue_scrolls_to_the_first_bad_field(qtbot, make_window):
    window = make_window("en")
    page = _to_details(qtbot, window)
    for field, value in {**GOOD, "father_name": "Ali"}.items():  # a Latin name: not accepted
        qtbot.keyClicks(page.edits[field], value)
    page.form_scroll.verticalScrollBar().setValue(0)
    qtbot.mouseClick(page.edits["national_code"], Qt.MouseButton.LeftButton)
    assert not _in_view(page, page.edits["father_name"])
    click(qtbot, page.next)
    father = page.edits["father_name"]
    assert window.current is page and father.property("invalid") is True
    assert window.focusWidget() is father
    qtbot.waitUntil(lambda: _in_view(page, father) and _in_view(page, page.errors["father_name"]))
    assert page.errors["father_name"].text()


def test_an_error_stays_until_the_value_is_valid(qtbot, make_window):
    window = make_window("en")
    page = _to_details(qtbot, window)
    fill_details(qtbot, window, {**GOOD, "national_code": "001234"})
    code, err = page.edits["national_code"], page.errors["national_code"]
    assert code.property("invalid") is True and err.isVisible()
    box = page.edits["mobile"].geometry()
    qtbot.keyClicks(code, "5")  # still too short: still red
    assert code.property("invalid") is True and err.isVisible() and err.text()
    assert window.focusWidget() is code
    qtbot.keyClicks(code, "67")
    assert code.property("invalid") is True
    qtbot.keyClicks(code, "9")  # 0012345679: valid now
    assert code.property("invalid") is False and not err.isVisible()
    assert page.edits["mobile"].geometry() == box  # the form did not move
    click(qtbot, page.next)
    wait_page(qtbot, window, "consent")


def test_digits_keep_one_script_in_a_field(qtbot, make_window):
    window = make_window("fa")
    page = _to_details(qtbot, window)
    code = page.edits["national_code"]
    qtbot.mouseClick(code, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(code, "0012")  # a keyboard's Latin digits...
    for key in "345679":  # ...then the keypad's Persian ones
        click(qtbot, page.keypad.keys[key])
    assert code.text() == "۰۰۱۲۳۴۵۶۷۹"  # all Persian on a Persian screen
    for field, value in GOOD.items():
        if field != "national_code":
            qtbot.keyClicks(page.edits[field], value)
    assert page.edits["birth_date"].text() == "۱۳۷۰/۰۱/۰۱"
    click(qtbot, page.next)
    wait_page(qtbot, window, "consent")
    details = window.session.data.details
    assert details.national_code == "0012345679" and details.birth_date.isascii()  # ASCII for the broker


def test_digits_are_latin_on_an_english_screen(qtbot, make_window):
    window = make_window("en")
    page = _to_details(qtbot, window)
    mobile = page.edits["mobile"]
    mobile.insert("۰۹۱۲")  # an input method's Persian digits...
    qtbot.keyClicks(mobile, "3456789")  # ...then the keyboard's
    assert mobile.text() == "09123456789"


# -- the language of the next applicant


def test_the_next_applicant_starts_in_the_kiosks_language(qtbot, make_window):
    window = make_window("fa")
    page = _to_details(qtbot, window)
    click(qtbot, page.lang_button)  # this applicant reads English
    qtbot.waitUntil(lambda: page.title_label.text() == "Applicant details")
    cancel_session(qtbot, window)
    welcome = wait_page(qtbot, window, "welcome")
    assert window.language.current == "fa"  # the next one starts in Persian
    qtbot.waitUntil(lambda: welcome.title_label.text() == "خوش آمدید")
    assert "لغو" in welcome.notice_text.text()  # the staff's notice in the kiosk's language too
    # a session ended by refusing consent does the same
    consent = _to_consent(qtbot, window)
    click(qtbot, consent.lang_button)
    qtbot.waitUntil(lambda: window.language.current == "en")
    click(qtbot, consent.refuse)
    click(qtbot, consent.confirm.secondary)
    wait_page(qtbot, window, "welcome")
    assert window.language.current == "fa"
    details = _to_details(qtbot, window)
    qtbot.waitUntil(lambda: details.next.text() == "ادامه")


def test_an_english_kiosk_returns_to_english(qtbot, make_window):
    window = make_window("en")
    page = _to_details(qtbot, window)
    click(qtbot, page.lang_button)
    qtbot.waitUntil(lambda: window.language.current == "fa")
    cancel_session(qtbot, window)
    wait_page(qtbot, window, "welcome")
    assert window.language.current == "en"


# -- the staff PIN


def test_the_pin_says_tries_left_and_counts_the_lock_down(qtbot, make_window):
    from kiosk.core.staff_pin import hash_pin

    window = make_window("en", staff__pin_hash=hash_pin("271828", n=2 ** 10))
    now = [window.pin_gate.clock()]
    window.pin_gate.clock = lambda: now[0]  # the gate's clock, moved by the test: no waiting
    dialog = window.pin_dialog()
    qtbot.addWidget(dialog)
    dialog.show()

    def type_and_ok(pin):
        for key in pin:
            click(qtbot, dialog.keypad.keys[key])
        click(qtbot, dialog.ok)

    type_and_ok("000000")
    assert dialog.error.text() == "Wrong PIN. 2 tries left."
    type_and_ok("111111")
    assert dialog.error.text() == "Wrong PIN. 1 try left."
    type_and_ok("222222")
    assert dialog.error.text() == "Too many wrong PINs. Locked: try again in 30 s."
    assert not dialog.ok.isEnabled() and dialog.countdown.isActive()
    QApplication.processEvents()
    # the longer message takes its lines and the keys keep their size: none squeezed or cut
    assert dialog.error.height() >= dialog.error.heightForWidth(dialog.error.width())
    for key in dialog.keypad.keys.values():
        assert key.height() >= key.minimumSizeHint().height() and dialog.rect().contains(key.mapTo(dialog, key.rect().bottomRight()))
    now[0] += 1
    dialog.tick()  # what the one-second timer does
    assert dialog.error.text() == "Too many wrong PINs. Locked: try again in 29 s."
    now[0] += 17.5
    dialog.tick()
    assert dialog.error.text().endswith("in 12 s.")
    now[0] += 11.5
    dialog.tick()
    assert dialog.ok.isEnabled() and not dialog.countdown.isActive()
    assert dialog.error.text() == "You can type the PIN again."
    type_and_ok("271828")
    assert dialog.result() == dialog.DialogCode.Accepted


def test_a_pin_prompt_opened_during_a_lock_counts_down_in_persian(qtbot, make_window):
    from kiosk.core.staff_pin import hash_pin

    window = make_window("fa", staff__pin_hash=hash_pin("271828", n=2 ** 10))
    now = [window.pin_gate.clock()]
    window.pin_gate.clock = lambda: now[0]
    for _ in range(3):
        assert window._check_pin("000000") is False
    dialog = window.pin_dialog()
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.ok.isEnabled() and "۳۰" in dialog.error.text()
    now[0] += 30
    dialog.tick()
    assert dialog.ok.isEnabled() and "۳۰" not in dialog.error.text()


# -- the verdict


def test_the_identity_services_persian_sentence_stands_on_its_own_line(qtbot, make_window, sandbox):
    from ui_helpers import run_capture_steps, start_to_consent

    window = make_window("en")
    click(qtbot, start_to_consent(qtbot, window).agree)
    page = run_capture_steps(qtbot, window)
    assert page.name == "verdict"
    message = page.broker_message
    assert message and any("\u0600" <= ch <= "\u06ff" for ch in message)  # the service answered in Persian
    assert page.broker_caption.isVisible() and page.broker_caption.text() == "The identity service said:"
    assert page.broker_text.isVisible()
    assert page.broker_text.text() == "\u2067" + message.strip() + "\u2069"  # a right-to-left run of its own
    assert page.broker_text.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert page.broker_text.geometry().top() > page.staff.geometry().bottom()  # a line of its own, after the steps
    assert page.next_step.geometry().top() > page.broker_text.geometry().bottom()
    assert message not in page.staff.text()  # not run into an English line
    assert page.next_step.text().startswith("Next:")
    click(qtbot, page.finish)
    wait_page(qtbot, window, "welcome")


def test_an_english_broker_sentence_reads_left_to_right(qtbot, make_window):
    window = make_window("fa")
    page = window.pages["verdict"]
    page.enter(verified=False, order_id="KSK1", broker_message="Face mismatch.")
    assert page.broker_text.text() == "\u2068Face mismatch.\u2069"
    assert page.broker_text.layoutDirection() == Qt.LayoutDirection.LeftToRight
    page.enter(verified=True, order_id="KSK1")
    assert page.broker_text.isHidden() and page.broker_caption.isHidden()  # no sentence: no caption


# -- the step badge


def _share_of_colour(widget, rgb) -> float:
    """The share of ``widget``'s painted pixels in colour ``rgb`` (a filled box paints most)."""
    image = widget.grab().toImage()
    hits = total = 0
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            c = image.pixelColor(x, y)
            total += 1
            hits += (c.red(), c.green(), c.blue()) == rgb
    return hits / max(1, total)


def test_the_step_reads_as_a_label_with_a_progress_line(qtbot, make_window):
    for lang, text in (("fa", "مرحلهٔ ۱ از ۸"), ("en", "Step 1 of 8")):
        window = make_window(lang)
        page = _to_details(qtbot, window)
        assert page.step_label.isVisible() and page.step_label.text() == text
        assert _share_of_colour(page.step_label, (0x0B, 0x6E, 0x99)) < 0.05  # no filled box behind it
        edge = page.step_label.grab().toImage()
        edge_colour = edge.pixelColor(2, edge.height() // 2)
        assert edge_colour.alpha() == 0  # nothing drawn round the words: plainly a label, not a button
        assert page.step_progress.isVisible()
        assert (page.step_progress.value(), page.step_progress.maximum()) == (1, 8)
        assert page.step_progress.height() <= 8  # a thin line
        fill_details(qtbot, window)
        consent = wait_page(qtbot, window, "consent")
        assert consent.step_progress.value() == 2
        cancel_session(qtbot, window)
        welcome = wait_page(qtbot, window, "welcome")
        assert not welcome.step_label.isVisible() and not welcome.step_progress.isVisible()


def test_cancel_before_the_consent_says_nothing_was_captured(qtbot, make_window):
    window = make_window("en")
    page = _to_consent(qtbot, window)
    click(qtbot, page.cancel_button)
    assert window.cancel_confirm.isVisible()
    assert window.cancel_confirm.text.text().startswith("Nothing has been captured or sent yet.")
    click(qtbot, window.cancel_confirm.primary)
    assert window.session.active and window.current is page


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_a_tapped_field_already_in_sight_stays_under_the_finger(qtbot, make_window, lang):
    window = make_window(lang)
    page = _to_details(qtbot, window)
    QApplication.processEvents()
    bar = page.form_scroll.verticalScrollBar()
    # the lowest field wholly in sight whose (empty) error room is not: the case that made the form jump
    in_sight = [f for f, e in page.edits.items() if _in_view(page, e) and not _in_view(page, page.errors[f])]
    assert in_sight, "no field at the fold at this size"
    field = max(in_sight, key=lambda f: page.edits[f].mapTo(page, page.edits[f].rect().topLeft()).y())
    before = bar.value()
    click(qtbot, page.edits[field])
    QApplication.processEvents()
    assert page.edits[field].hasFocus()
    assert bar.value() == before  # nothing moved under the finger


def test_the_keypad_types_at_the_end_whatever_the_cursor(qtbot, make_window):
    # a tap at the start of a full field, eleven backspaces and the number again once left
    # "09123456788": the keys worked at the cursor, and the last digit was dropped unseen
    window = make_window("en")
    page = _to_details(qtbot, window)
    mobile = page.edits["mobile"]
    qtbot.mouseClick(mobile, Qt.MouseButton.LeftButton)
    for key in "09123456780":
        click(qtbot, page.keypad.keys[key])
    mobile.setCursorPosition(0)  # a tap near the field's start puts the cursor there
    for _ in range(11):
        click(qtbot, page.keypad.keys["⌫"])
    assert mobile.text() == ""
    for key in "09123456789":
        click(qtbot, page.keypad.keys[key])
    mobile.setCursorPosition(3)
    click(qtbot, page.keypad.keys["⌫"])
    click(qtbot, page.keypad.keys["9"])
    assert mobile.text() == "09123456789"
    assert page.keypad.keys["/"].isEnabled() is False  # and no slash in a phone number
    qtbot.mouseClick(page.edits["birth_date"], Qt.MouseButton.LeftButton)
    assert page.keypad.keys["/"].isEnabled()


def test_the_consent_question_fits_its_card_in_english(qtbot, make_window):
    window = make_window("en")
    page = _to_consent(qtbot, window)
    click(qtbot, page.refuse)
    confirm = page.confirm
    QApplication.processEvents()
    parts = [w.geometry() for w in (confirm.title, confirm.text, confirm.primary, confirm.secondary)]
    for upper, lower in zip(parts, parts[1:], strict=False):
        assert upper.bottom() < lower.top(), (upper, lower)
    for label in (confirm.title, confirm.text):
        assert label.height() >= label.heightForWidth(label.width())  # no line cut off
    click(qtbot, confirm.primary)
