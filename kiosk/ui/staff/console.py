"""The staff console: settings, self-test, today's sessions and result lookup, as tabs.

The shell opens it behind the staff PIN:

    console = StaffConsole(settings, services=services)   # services: kiosk.app.Services
    console.settings_changed.connect(shell.apply_settings)
    dialog = QDialog(shell); QVBoxLayout(dialog).addWidget(console); dialog.exec()

Without ``services`` it works from the settings alone (in demo mode it finds the running
sandbox broker through its credentials folder). It stops its worker threads and forgets any
looked-up media when it is hidden (the dialog closing) or ``shutdown()`` is called.
"""
from __future__ import annotations

import json
import logging
from typing import Any

from PySide6.QtCore import QRect, Qt, Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QPushButton, QTabWidget, QVBoxLayout, QWidget

from kiosk import paths
from kiosk.broker.client import BrokerClient
from kiosk.selftest import resolve_credentials
from kiosk.ui.staff.lookup_page import LookupPage
from kiosk.ui.staff.selftest_page import SelftestPage
from kiosk.ui.staff.sessions_page import SessionsPage
from kiosk.ui.staff.settings_page import SettingsPage
from kiosk.ui.staff.style import apply_staff_style
from kiosk.ui.staff.texts import staff_text

log = logging.getLogger(__name__)


def _current_language(settings) -> str:
    try:
        from kiosk.ui.i18n import current_language  # noqa: PLC0415 - optional: tools run the console without it

        lang = current_language()
        if lang in ("fa", "en"):
            return lang
    except Exception:  # noqa: BLE001 - no language manager (tests, tools)
        pass
    return settings["ui.language"]


def _sandbox_url() -> str:
    """The base_url a running built-in sandbox wrote into its credentials folder ("" if none)."""

    try:
        info = json.loads((paths.sandbox_dir() / "credentials.json").read_text("utf-8"))
        return str(info.get("base_url") or "")
    except (OSError, ValueError):
        return ""


class StaffConsole(QWidget):
    settings_changed = Signal(dict)  # keys that changed -> new values (after a save)
    language_changed = Signal(str)

    def __init__(self, settings=None, lang: str | None = None, services=None, broker_url: str | None = None,
                 credentials=None, sessions_log=None, parent=None):
        super().__init__(parent)
        if settings is None:
            settings = services.settings if services is not None else None
        if settings is None:
            from kiosk.config.settings import Settings  # noqa: PLC0415 - only without settings given

            settings = Settings.load()
        self.settings = settings
        self.services = services
        self.lang = lang or _current_language(settings)
        if services is not None:
            broker_url = broker_url or services.broker_url
            credentials = credentials or services.credentials
        self.broker_url = broker_url
        self.credentials = credentials

        self.tabs = QTabWidget()
        self.settings_page = SettingsPage(settings, self.lang)
        self.selftest_page = SelftestPage(settings, self.lang, broker_url=self._selftest_url(),
                                          credentials=credentials)
        self.sessions_page = SessionsPage(sessions_log, self.lang, settings)
        self.lookup_page = LookupPage(self.make_client, self.lang)
        self.pages: dict[str, SettingsPage | SelftestPage | SessionsPage | LookupPage] = {"settings": self.settings_page, "selftest": self.selftest_page,
                      "sessions": self.sessions_page, "lookup": self.lookup_page}
        for page in self.pages.values():
            self.tabs.addTab(page, "")
        self.tabs.currentChanged.connect(self._tab_changed)
        self.tabs.setUsesScrollButtons(True)  # narrow screens: the tabs scroll, the window does not grow
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.tabs)
        self.close_button = QPushButton()  # Esc works too, but a staff member looks for a button
        self.close_button.setObjectName("staffClose")
        self.close_button.clicked.connect(self.close_console)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.close_button)
        lay.addLayout(row)
        self.settings_page.settings_changed.connect(self._settings_saved)
        self.retranslate()

    # -- broker access
    def _selftest_url(self) -> str | None:
        if self.broker_url:
            return self.broker_url
        if not self.settings["broker.url"]:
            return _sandbox_url() or None
        return None

    def make_client(self):
        """A BrokerClient for the lookup (services' factory when given)."""
        if self.services is not None:
            return self.services.client_factory()

        url = self.broker_url or self.settings["broker.url"] or _sandbox_url()
        if not url:
            raise RuntimeError("no broker: set broker.url (or start the built-in sandbox)")
        creds = resolve_credentials(self.settings, self.credentials, self.settings["broker.url"])
        return BrokerClient(url, creds, self.settings)

    # -- language and settings
    def set_language(self, lang: str) -> None:
        if lang not in ("fa", "en"):
            return
        self.lang = lang
        for page in self.pages.values():
            page.set_language(lang)
        self.retranslate()

    def retranslate(self) -> None:
        apply_staff_style(self, self.lang)
        self.setLayoutDirection(Qt.LayoutDirection.RightToLeft if self.lang == "fa" else Qt.LayoutDirection.LeftToRight)
        self.setWindowTitle(staff_text("console.title", self.lang))
        self.close_button.setText(staff_text("console.close", self.lang))
        for i, name in enumerate(self.pages):
            self.tabs.setTabText(i, staff_text(f"tab.{name}", self.lang))

    def _settings_saved(self, changed: dict[str, Any]) -> None:
        if "ui.language" in changed:
            self.set_language(changed["ui.language"])
            self.language_changed.emit(changed["ui.language"])
        if "broker.url" in changed:
            self.selftest_page.broker_url = self._selftest_url()
        self.settings_changed.emit(changed)

    def _tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.sessions_page:
            self.sessions_page.refresh()

    def close_console(self) -> None:
        """The Close button: the window holding the console (the shell's dialog) closes."""
        self.window().close()

    # -- lifetime
    def shutdown(self) -> None:
        """Stop worker threads, forget looked-up media, close the sessions database."""
        self.selftest_page.stop()
        self.lookup_page.stop()
        self.sessions_page.close_log()

    def hideEvent(self, event) -> None:  # noqa: N802
        self.shutdown()
        super().hideEvent(event)

    def closeEvent(self, event) -> None:  # noqa: N802
        self.shutdown()
        super().closeEvent(event)


#: the size the console asks for; on a smaller screen it takes the screen's free area
CONSOLE_SIZE = (1100, 760)


class ConsoleDialog(QDialog):
    """The console in its own window, sized to the screen it opens on (the kiosk's screen is
    often 1024x768 or 800 px tall, and with no window manager nothing moves a window that is too
    big): never larger than the screen's free area, placed inside it, Close always on screen."""

    def __init__(self, console: StaffConsole, parent=None):
        super().__init__(parent)
        self.console = console
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(console)
        self.setWindowTitle(console.windowTitle())
        self._area: QRect | None = None
        self.fit()

    def fit(self, area: QRect | None = None) -> None:
        """Size and place the window, its frame included, inside ``area`` (default: the free area
        of its screen); again when shown, once the frame (if any) is known."""
        if area is None:
            screen = (self.parentWidget() or self).screen()
            area = screen.availableGeometry() if screen is not None else QRect(0, 0, *CONSOLE_SIZE)
        self._area = QRect(area)
        frame = self.frameGeometry().size() - self.geometry().size()  # none without a window manager
        room = area.size() - frame
        self.setMaximumSize(room)
        self.resize(min(CONSOLE_SIZE[0], room.width()), min(CONSOLE_SIZE[1], room.height()))
        outer = self.frameGeometry().size()
        self.move(area.x() + max(0, (area.width() - outer.width()) // 2),
                  area.y() + max(0, (area.height() - outer.height()) // 2))

    def showEvent(self, event) -> None:  # noqa: N802 - Qt name
        super().showEvent(event)
        self.fit(self._area)  # the frame is known now
