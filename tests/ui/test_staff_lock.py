"""The staff screens lock themselves: the PIN prompt, the staff menu and the console close after
``staff.idle_timeout`` without input, so a screen left open is not left to the next applicant;
opening it again asks for the PIN."""
from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDialog, QWidget

from kiosk.config.settings import Settings
from kiosk.ui.shell import IdleLock
from kiosk.ui.widgets import PinDialog


def test_the_idle_lock_closes_a_dialog_nobody_touches(qtbot):
    dialog = QDialog()
    qtbot.addWidget(dialog)
    lock = IdleLock(dialog, 0.3)
    with qtbot.waitSignal(dialog.rejected, timeout=20000):
        dialog.open()
    assert lock.fired
    lock.stop()


def test_input_keeps_the_dialog_open(qtbot):
    dialog = QDialog()
    qtbot.addWidget(dialog)
    lock = IdleLock(dialog, 60.0)
    dialog.open()
    lock.timer.setInterval(50)  # about to fire...
    lock.timer.start()
    qtbot.keyClick(dialog, "a")  # ...a key restarts it at once
    assert lock.timer.isActive() and not lock.fired
    lock.stop()
    dialog.close()


def test_the_pin_prompt_closes_by_itself_and_asks_again(qtbot, make_window, monkeypatch):
    window = make_window("en")
    assert Settings()["staff.idle_timeout"] == 120  # the default
    monkeypatch.setattr(window, "settings", {"staff.idle_timeout": 0.3})  # seconds, for the test
    dialog = PinDialog(window._check_pin, window)
    result: list[int] = []
    QTimer.singleShot(0, lambda: result.append(window._exec_locked(dialog)))
    qtbot.waitUntil(lambda: bool(result), timeout=20000)
    assert result == [QDialog.DialogCode.Rejected]  # nobody typed: closed, no staff screen opened


def test_the_page_behind_a_staff_dialog_is_shaded_and_the_shade_goes_with_it(qtbot, make_window):
    window = make_window("fa")
    dialog = PinDialog(window._check_pin, window)
    seen: list[tuple[bool, bool]] = []

    def look_and_close() -> None:
        shade = window.shade
        seen.append((shade is not None and shade.isVisible(), shade is not None and shade.geometry() == window.rect()))
        dialog.reject()

    QTimer.singleShot(0, look_and_close)
    window._exec_locked(dialog)
    assert seen == [(True, True)]  # the whole page shaded while the PIN is asked
    assert window.shade is None  # and nothing left over the page after
    qtbot.waitUntil(lambda: not [w for w in window.findChildren(QWidget, "overlay") if w.isVisible()], timeout=20000)
