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


def start_to_consent(qtbot, window):
    click(qtbot, window.pages["welcome"].start)
    wait_page(qtbot, window, "details")
    fill_details(qtbot, window)
    page = wait_page(qtbot, window, "consent")
    page.check.setChecked(True)
    return page
