"""The consent, details, PIN, verdict and step screens as a first-time applicant or a busy staff
member uses them (issue 16, a new user's trial): the real window, driven with taps and keys."""
from __future__ import annotations

from PySide6.QtCore import Qt
from ui_helpers import click, fill_details, wait_page


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
    assert page.confirm.isVisible() and "چیزی" in page.confirm.text.text()
    click(qtbot, page.confirm.primary)
