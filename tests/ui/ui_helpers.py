"""Helpers of the wizard tests (driving the window as a staff member and applicant would)."""
from __future__ import annotations

from PySide6.QtCore import Qt

GOOD = {"national_code": "0012345679", "birth_date": "1370/01/01", "mobile": "09123456789",
        "card_serial": "1A23456789"}


def fill_details(qtbot, window, values=None):
    page = window.pages["details"]
    for field, value in (values or GOOD).items():
        edit = page.edits[field]
        edit.clear()
        if value.isascii():
            qtbot.keyClicks(edit, value)
        else:  # QTest cannot type non-ASCII keys: paste them as an input method would
            edit.insert(value)
    qtbot.mouseClick(page.next, _left())


def _left():
    return Qt.MouseButton.LeftButton


def click(qtbot, button):
    qtbot.mouseClick(button, _left())


def wait_page(qtbot, window, name, timeout=20000):
    qtbot.waitUntil(lambda: window.current is window.pages[name], timeout=timeout)
    return window.pages[name]


PHOTO_STEPS = ("signature", "id_front", "id_back", "selfie")


def press_ready(qtbot, page):
    """The applicant reads a photo step's preparation view and presses "I'm ready" (nothing to do
    on a page without one, or once it was pressed)."""
    if getattr(page, "preparing", False):
        assert page.prepare_view.isVisible() and page.prepare_view.start.isVisible()
        click(qtbot, page.prepare_view.start)
        assert not page.preparing and not page.prepare_view.isVisible()
    return page


def wait_photo(qtbot, window, name, timeout=20000):
    """Wait for a photo step and press "I'm ready" on its preparation view."""
    return press_ready(qtbot, wait_page(qtbot, window, name, timeout=timeout))


def finish_photo(qtbot, window, page, timeout=40000):
    """Wait until a photo step (its "I'm ready" pressed) is done: a card side stops on its review
    (the straightened card, "Retake" and "Send"), where the applicant presses Send."""
    qtbot.waitUntil(lambda: window.current is not page or getattr(page, "phase", "") == "review", timeout=timeout)
    if window.current is page and page.phase == "review":
        assert page.review.isVisible() and page.send_card.isVisible()
        click(qtbot, page.send_card)
    qtbot.waitUntil(lambda: window.current is not page, timeout=timeout)


def start_to_consent(qtbot, window):
    click(qtbot, window.pages["welcome"].start)
    wait_page(qtbot, window, "details")
    fill_details(qtbot, window)
    page = wait_page(qtbot, window, "consent")
    page.check.setChecked(True)
    return page


def run_capture_steps(qtbot, window):
    """Walk every capture step the provider allows, as an applicant would: the documents and the
    selfie capture by themselves once the applicant pressed "I'm ready" on their preparation view
    (the simulated camera shows each step's document; a card side is then sent from its review),
    the videos are started with their button.
    Returns the verdict or problem page."""
    while True:
        qtbot.waitUntil(lambda: window.current is not None and window.current.name in (
            "signature", "id_front", "id_back", "selfie", "selfie_video", "admittance_video", "verdict",
            "problem"), timeout=30000)
        page = window.current
        if page.name in ("verdict", "problem"):
            return page
        if page.name in PHOTO_STEPS:  # every photo step prepares the applicant first, every session
            assert page.preparing, page.name
        press_ready(qtbot, page)
        if page.name in ("selfie_video", "admittance_video"):
            qtbot.waitUntil(lambda page=page: page.phase == "ready" or window.current is not page, timeout=20000)
            if window.current is page:
                click(qtbot, page.start_button)
        finish_photo(qtbot, window, page)


def cancel_session(qtbot, window):
    """Cancel as the staff does: the Cancel button, then "Yes, end the session" in the question."""
    click(qtbot, window.current.cancel_button)
    assert window.cancel_confirm.isVisible()
    click(qtbot, window.cancel_confirm.secondary)
