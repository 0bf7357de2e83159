"""The screens as people use them (issue 16): the real window, driven with keys and clicks."""
from __future__ import annotations

from PySide6.QtCore import Qt
from ui_helpers import click, fill_details, wait_page


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
    assert code.text() == "0012345679"  # 10 digits, the rest refused
    qtbot.keyClicks(code, "x")
    assert code.text() == "0012345679"
    qtbot.keyClicks(mobile, "0912345678999")
    assert mobile.text() == "09123456789"
    qtbot.keyClicks(date, "13761113")
    assert date.text() == "1376/11/13"  # the separators come as the digits do
    qtbot.keyClick(date, Qt.Key.Key_Backspace)
    qtbot.keyClick(date, Qt.Key.Key_Backspace)
    qtbot.keyClick(date, Qt.Key.Key_Backspace)
    qtbot.keyClick(date, Qt.Key.Key_Backspace)
    assert date.text() == "1376/1"  # deleting is never fought
    qtbot.keyClicks(serial, "1a23456789xyz")
    assert serial.text() == "1A23456789"
    # Persian digits count like Latin ones (an input method inserts them)
    code.clear()
    code.insert("۰۰۱۲۳۴۵۶۷۹۹۹")
    assert code.text() == ""  # too long as a whole: refused
    code.insert("۰۰۱۲۳۴۵۶۷۹")
    assert code.text() == "۰۰۱۲۳۴۵۶۷۹"
    # each field is about as wide as what it holds
    assert code.width() < page.width() / 2.5
