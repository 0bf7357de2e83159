"""The kiosk's main window: full screen, a stack of pages, no way out without the staff PIN, an
idle timer, and a failsafe screen after any unexpected error (as pibooth's failsafe state)."""
from __future__ import annotations

import importlib
import logging
from typing import Any, cast

from PySide6.QtCore import QCoreApplication as Q
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QApplication, QCheckBox, QDialog, QHBoxLayout, QLabel, QMainWindow, QPushButton,
                               QStackedWidget, QVBoxLayout, QWidget)

from kiosk import memory
from kiosk.capture import sources
from kiosk.core.staff_pin import PinGate, gate_for
from kiosk.ui.pages.base import Page
from kiosk.ui.pages.busy import BusyPage
from kiosk.ui.pages.consent import ConsentPage
from kiosk.ui.pages.details import DetailsPage
from kiosk.ui.pages.document import DocumentPage
from kiosk.ui.pages.failsafe import FailsafePage
from kiosk.ui.pages.problem import ProblemPage
from kiosk.ui.pages.selfie import SelfiePage
from kiosk.ui.pages.verdict import VerdictPage
from kiosk.ui.pages.video import VideoPage
from kiosk.ui.pages.welcome import WelcomePage
from kiosk.ui.session import SessionController
from kiosk.ui.staff import StaffConsole
from kiosk.ui.staff.console import ConsoleDialog
from kiosk.ui.i18n import fmt_number
from kiosk.ui.widgets import Overlay, PinDialog
from kiosk.workers.capture import CaptureThread

log = logging.getLogger(__name__)

# Session endings the staff is told about on the welcome screen (until dismissed).
NOTICE_REASONS = ("cancelled", "idle", "failsafe", "refused")
DEMO_PIN = "1234"  # demo mode only (built-in sandbox broker), while no staff.pin_hash is set
USER_INPUT = {QEvent.Type.MouseButtonPress, QEvent.Type.KeyPress, QEvent.Type.TouchBegin,
              QEvent.Type.TouchUpdate, QEvent.Type.Wheel, QEvent.Type.MouseMove}


class KioskWindow(QMainWindow):
    error_reported = Signal(object)  # from any thread: the exception hooks emit it

    def __init__(self, services, language, fullscreen: bool = True, parent: QWidget | None = None):
        super().__init__(parent)
        self.services = services
        self.settings = services.settings
        self.language = language
        # the kiosk's own language (``ui.language``, or ``kiosk run --lang``): each new applicant
        # starts in it, whatever the last one chose
        self.home_language = language.current
        self.fullscreen = fullscreen
        self.shade: QWidget | None = None  # over the page while a staff dialog is open
        self._allow_close = False
        self._shut_down = False
        self.setObjectName("kioskWindow")
        self.session_qt = SessionController(services, self)  # signals; the engine decides:
        self.session = self.session_qt.engine
        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self.pages: dict[str, Page] = {}
        for page in (WelcomePage(self), DetailsPage(self), ConsentPage(self), BusyPage(self), ProblemPage(self),
                     DocumentPage(self, kind="signature"), DocumentPage(self, kind="id_front"),
                     DocumentPage(self, kind="id_back"), SelfiePage(self),
                     VideoPage(self, kind="selfie_video"), VideoPage(self, kind="admittance_video"),
                     VerdictPage(self), FailsafePage(self)):
            self.add_page(page)
        self.current: Page | None = None
        self.welcome = cast(WelcomePage, self.pages["welcome"])
        p: dict[str, Any] = self.pages  # each page's own signals
        p["welcome"].start_requested.connect(self.start_session)
        p["welcome"].staff_requested.connect(self.open_staff)
        p["details"].submitted.connect(self.session.details_entered)
        p["consent"].agreed.connect(self.session.consent_given)
        p["consent"].refused.connect(self.session.consent_refused)
        p["problem"].action.connect(self.session.problem_action)
        p["verdict"].finished.connect(self.session.finish)
        p["verdict"].resume.connect(self.session.resume_missing)
        p["failsafe"].done.connect(lambda: self.show_page("welcome"))
        self.session_qt.page_requested.connect(self.show_page)
        self.session_qt.devices_released.connect(self.release_devices)
        self.error_reported.connect(self.failsafe, Qt.ConnectionType.QueuedConnection)
        # the engine's one clock (idle time-out and token expiry, both decided by the flow) ticks
        # every second; any user input tells the engine someone is there
        self.clock_timer = QTimer(self)
        self.clock_timer.setInterval(1000)
        self.clock_timer.timeout.connect(self.clock)
        self.clock_timer.start()
        # questions and warnings drawn over the page (child widgets: no window manager needed)
        self.cancel_confirm = Overlay(self)
        self.cancel_confirm.setObjectName("overlay")
        self.cancel_confirm.primary.clicked.connect(self.cancel_confirm.hide)
        self.cancel_confirm.secondary.clicked.connect(self._cancel_confirmed)
        self.idle_warning = Overlay(self)
        self.idle_warning.primary.clicked.connect(self._still_here)
        self._filter = _InputFilter(self.session.touch, self)
        _app().installEventFilter(self._filter)
        self.session_qt.ended.connect(self._session_ended)
        QShortcut(QKeySequence("Ctrl+Alt+S"), self, self.open_staff)
        self.pin_gate = _pin_gate(self.settings, _demo(services))
        self._pin_key: str | None = None
        _preload_device_modules()
        self.show_measurements = False  # the staff's measurements overlay (staff menu)
        self.countdown_ms = 1000  # the 3-2-1 before a recording (tests shorten it)
        self.setWindowTitle("kiosk")
        self.resize(1280, 800)

    # -- context for the pages
    @property
    def demo_mode(self) -> bool:
        return self.services.demo_mode

    def open_capture(self, face_checks: bool = False, microphone: bool = False, document: str | None = None,
                     autocapture=None):
        """The capture thread of one screen (``document``: the step whose document is checked,
        with its ``autocapture``)."""
        s = self.settings
        return CaptureThread(s, camera_spec=sources.camera_source(s),
                             microphone_spec=sources.microphone_source(s) if microphone else None,
                             face_checks=face_checks, document=document, autocapture=autocapture,
                             camera_factory=getattr(self.services, "camera_factory", None),
                             microphone_factory=getattr(self.services, "microphone_factory", None),
                             analyzer_factory=getattr(self.services, "analyzer_factory", None)
                             or self.services.models().face,
                             finder_factory=self.services.models().card_finder)

    def recording_path(self):
        return self.services.recording_path()

    # -- pages
    def add_page(self, page: Page) -> None:
        self.pages[page.name] = page
        self.stack.addWidget(page)
        page.cancel_requested.connect(self.ask_cancel)
        page.language_requested.connect(self.language.toggle)

    def show_page(self, name: str, kw: dict | None = None) -> None:
        page = self.pages[name]
        if self.current is not None and self.current is not page:
            self.current.leave()
        self.current = page
        self.stack.setCurrentWidget(page)
        log.info("screen: %s", name)  # the screen's name only: support reads the way a session went
        self.session.touch()
        # "step x of n" of the applicant's whole way, on every screen that is a step
        page.set_step(self.session.flow.journey() if self.session.active else None)
        try:
            page.enter(**(kw or {}))
        except Exception as exc:  # noqa: BLE001 - a page that cannot start is a failsafe case
            log.error("page %s failed to start: %s", name, type(exc).__name__)
            self.failsafe(exc)

    def show_start(self) -> None:
        self.show_page("welcome")
        if self.fullscreen:
            self.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
            self.showFullScreen()
        else:
            self.show()

    def release_devices(self) -> None:
        """The flow's ``release_devices``: the current page closes its camera and microphone."""
        if self.current is not None:
            self.current.leave()

    def start_session(self) -> None:
        """The staff starts a session: every page forgets the last one first."""
        self.welcome.dismiss_notice()
        self.reset_pages()
        self.session.start()

    def reset_pages(self) -> None:
        for page in self.pages.values():
            page.reset()

    def _session_ended(self, why: str) -> None:
        """Nothing of the applicant stays on any page; the staff learns why a session ended early."""
        self.cancel_confirm.hide()
        self.idle_warning.hide()
        if why != "restart" and self.language.current != self.home_language:
            self.language.switch(self.home_language)  # the next applicant starts in the kiosk's language
        self.reset_pages()
        if why in NOTICE_REASONS:
            self.welcome.show_notice(why, self.session.last_order_id)
        log.info("session ended: %s", why)
        memory.release()  # what the session's screens freed goes back to the system

    # -- cancel asks first; idle warns first
    def ask_cancel(self) -> None:
        if not self.session.active:
            self.session.cancel("cancelled")
            return
        before_capture = self.current is not None and self.current.name in ("details", "consent")
        self.cancel_confirm.set_texts(
            Q.translate("Shell", "End the session?"),
            # before the consent nothing was captured: say so, plainly
            Q.translate("Consent", "Nothing has been captured or sent yet. If you end now, the details you typed "
                        "are erased.") if before_capture else
            Q.translate("Shell", "Everything captured will be erased."),
            Q.translate("Shell", "No, continue the session"),
            Q.translate("Shell", "Yes, end the session"))
        self.cancel_confirm.open()

    def _cancel_confirmed(self) -> None:
        self.cancel_confirm.hide()
        self.session.cancel("cancelled")

    def clock(self) -> None:
        """Every second: the engine's clock (idle time-out, token expiry), then the idle warning."""
        self.session.tick()
        left = self.session.flow.idle_warning() if self.session.active else None
        if left is None:
            if self.idle_warning.isVisible():
                self.idle_warning.hide()
            return
        lang = self.language.current
        self.idle_warning.set_texts(
            Q.translate("Shell", "Are you still there?"),
            Q.translate("Shell", "The session will end and everything captured will be erased in:"),
            Q.translate("Shell", "I'm still here"),
            count=Q.translate("Shell", "{n} s").format(n=fmt_number(int(left + 0.999), lang)))
        if not self.idle_warning.isVisible():
            self.idle_warning.open()

    def _still_here(self) -> None:
        self.session.touch()
        self.idle_warning.hide()

    # -- failsafe, staff

    def report_error(self, exc: BaseException) -> None:
        """Thread-safe: the exception hooks call this from any thread."""
        self.error_reported.emit(exc)

    def failsafe(self, exc: BaseException | None = None) -> None:
        if self._shut_down:
            return
        log.error("failsafe: %s", type(exc).__name__ if exc is not None else "?")
        if self.current is not None:
            try:
                self.current.leave()
            except Exception:  # noqa: BLE001
                log.exception("leaving the page failed")
            self.current = None
        try:
            if self.session.active:
                self.session.cancel("failsafe")
        except Exception:  # noqa: BLE001
            log.exception("cancelling the session failed")
        self.show_page("failsafe")

    def open_staff(self) -> bool:
        """PIN first; then the staff menu (console, quit)."""
        dialog = self.pin_dialog()
        if self._exec_locked(dialog) != QDialog.DialogCode.Accepted:
            return False
        menu = StaffMenu(self, measurements=self.show_measurements)
        if self._exec_locked(menu) != QDialog.DialogCode.Accepted and menu.choice is None:
            return True  # left open: closed by the idle lock, the PIN is asked again next time
        self.set_measurements(menu.measurements)
        if menu.choice == "quit":
            self.quit_kiosk()
        elif menu.choice == "console":
            self.open_console()
        return True

    def pin_dialog(self) -> PinDialog:
        """The staff PIN prompt over this window: tries left after a wrong PIN, the lock's
        seconds counted down (from the gate, so a restart or another prompt agree)."""
        dialog = PinDialog(self._check_pin, self)
        dialog.explain = lambda: self.pin_gate.explain(self._pin_key, self.language.current)
        dialog.tries_left = self._pin_tries_left
        dialog.locked_for = lambda: self.pin_gate.seconds_locked()
        if self.pin_gate.demo_pin_in_use:
            dialog.error.setText(self.pin_gate.explain("pin.demo", self.language.current))
        return dialog

    def _pin_tries_left(self) -> int | None:
        """Wrong PINs left before the gate locks (None when the last refusal was no wrong PIN)."""
        if self._pin_key != "pin.wrong":
            return None
        return max(0, self.pin_gate.free_tries - self.pin_gate.failures)

    def set_measurements(self, on: bool) -> None:
        self.show_measurements = bool(on)
        for page in self.pages.values():
            sync = getattr(page, "sync_measurements", None)
            if sync is not None:
                sync()

    def _check_pin(self, pin: str) -> bool:
        ok, self._pin_key = self.pin_gate.attempt(pin)
        return ok

    def open_console(self) -> None:
        console = StaffConsole(self.settings, lang=self.language.current, broker_url=self.services.broker_url,
                               credentials=self.services.credentials)
        console.settings_changed.connect(self.apply_settings)
        dialog = ConsoleDialog(console, self)  # sized and placed inside the screen
        self._exec_locked(dialog)

    def _exec_locked(self, dialog: QDialog) -> int:
        """``dialog.exec()``, closed (rejected) after ``staff.idle_timeout`` seconds without a key,
        a click or a touch: a staff screen left open is not left to the next applicant."""
        lock = IdleLock(dialog, float(self.settings["staff.idle_timeout"]))
        # the page behind is shaded: with no window manager a dialog has no shadow of its own, and
        # its text would run on into the page's
        shade = QWidget(self)
        shade.setObjectName("overlay")
        shade.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        shade.setGeometry(self.rect())
        shade.show()
        self.shade = shade
        try:
            return dialog.exec()
        finally:
            self.shade = None
            shade.hide()
            shade.deleteLater()
            lock.stop()
            if lock.fired:
                log.info("staff screen closed after %.0f s without input", lock.seconds)

    def apply_settings(self, changed: dict) -> None:
        """Settings saved in the staff console take effect now: a new PIN gate, the language, the
        idle time-out; ``quality.*``, ``camera.*``, ``signature.*`` and the rest are read when the
        next capture screen opens (the console updates this same ``Settings`` object)."""
        if "staff.pin_hash" in changed:
            self.pin_gate = _pin_gate(self.settings, _demo(self.services))
        if "ui.language" in changed:
            self.home_language = changed["ui.language"]
            if changed["ui.language"] != self.language.current:
                self.language.switch(changed["ui.language"])
        if "session.idle_timeout" in changed:
            self.session.flow.idle_seconds = float(self.settings["session.idle_timeout"])
        log.info("settings applied: %s", ", ".join(sorted(changed)))  # keys only

    def terminate(self, _signum: int | None = None) -> None:
        """SIGTERM/SIGINT (``kiosk.ui.signals``): end the session cleanly (token aborted, media
        wiped) and quit, as the staff's quit does, without asking for the PIN."""
        self.quit_kiosk()

    def quit_kiosk(self) -> None:
        self._allow_close = True
        self.shutdown()
        self.close()
        _app().quit()

    def closeEvent(self, event) -> None:  # noqa: N802
        if self._allow_close:
            event.accept()
        else:
            event.ignore()  # no way out without the staff PIN

    def shutdown(self) -> None:
        """Stop the workers, release the devices, abort an open token, wipe the media."""
        if self._shut_down:
            return
        self._shut_down = True
        self.clock_timer.stop()
        _app().removeEventFilter(self._filter)
        if self.current is not None:
            self.current.leave()
            self.current = None
        for page in self.pages.values():
            page.leave()
        self.session.shutdown()


class IdleLock(QObject):
    """Rejects ``dialog`` after ``seconds`` without user input anywhere in the application."""

    def __init__(self, dialog: QDialog, seconds: float):
        super().__init__(dialog)
        self.dialog, self.seconds, self.fired = dialog, seconds, False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(int(seconds * 1000))
        self.timer.timeout.connect(self._fire)
        _app().installEventFilter(self)
        self.timer.start()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        if event.type() in USER_INPUT and self.timer.isActive():
            self.timer.start()
        return False

    def _fire(self) -> None:
        self.fired = True
        self.dialog.reject()

    def stop(self) -> None:
        self.timer.stop()
        _app().removeEventFilter(self)


class _InputFilter(QObject):
    """Any key, tap, click or wheel anywhere in the application counts as presence."""

    def __init__(self, touch, parent: QObject):
        super().__init__(parent)
        self.touch = touch

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        if event.type() in USER_INPUT:
            self.touch()
        return False


class StaffMenu(QDialog):
    def __init__(self, parent: QWidget | None = None, measurements: bool = False):
        super().__init__(parent)
        self.choice: str | None = None
        self.measurements = measurements
        self.setWindowTitle(Q.translate("Staff", "Staff"))
        lay = QVBoxLayout(self)
        self.heading = QLabel(Q.translate("Staff", "Staff menu"))
        self.heading.setWordWrap(True)
        lay.addWidget(self.heading)
        row = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        # Quit last and apart, and it asks first: one stray tap must not close the branch's kiosk
        for key, text in (("console", Q.translate("Staff", "Staff console")),
                          ("back", Q.translate("Staff", "Back")),
                          ("quit", Q.translate("Staff", "Quit the kiosk"))):
            b = QPushButton(text)
            b.clicked.connect(lambda _=False, k=key: self._choose(k))
            if key == "quit":
                row.addStretch(1)
            row.addWidget(b)
            self.buttons[key] = b
        self.quit_armed = False
        lay.addLayout(row)
        # the answer to "Quit the kiosk?" sits on a row of its own at the other end: a double tap
        # on Quit must not land on it
        self.confirm_quit = QPushButton(Q.translate("Staff", "Yes, quit the kiosk"))
        self.confirm_quit.clicked.connect(lambda _=False: self._choose("quit"))
        self.confirm_quit.setVisible(False)
        self.buttons["confirm_quit"] = self.confirm_quit
        confirm_row = QHBoxLayout()
        confirm_row.addWidget(self.confirm_quit)
        confirm_row.addStretch(1)
        lay.addLayout(confirm_row)
        # the capture screens' measurements (sharpness, pose, failed checks) for the staff
        self.measurements_box = QCheckBox(Q.translate("Staff", "Measurements overlay on the capture screens"))
        self.measurements_box.setChecked(measurements)
        self.measurements_box.toggled.connect(self._measurements)
        lay.addWidget(self.measurements_box)

    def _measurements(self, on: bool) -> None:
        self.measurements = on

    def _choose(self, key: str) -> None:
        if key == "quit" and not self.quit_armed:
            self.quit_armed = True
            self.heading.setText(Q.translate("Staff", "Quit the kiosk? It stays closed until someone starts it "
                                                      "again. A session under way is cancelled and erased."))
            self.buttons["quit"].setVisible(False)
            self.confirm_quit.setVisible(True)
            self.buttons["back"].setFocus()
            self.adjustSize()  # the question's two lines and the new row, nothing clipped
            return
        self.choice = key
        self.accept()


def _preload_device_modules() -> None:
    """Import the capture modules now, not on the first capture screen: a first import runs in a
    capture thread while holding the import lock, and the UI thread would wait for it."""
    for name in ("kiosk.capture.camera", "kiosk.capture.microphone", "kiosk.capture.recorder",
                 "kiosk.capture.speech", "kiosk.capture.simdocs", "kiosk.capture.signature_pad",
                 "kiosk.quality.autocapture", "kiosk.quality.face", "kiosk.quality.documents",
                 "kiosk.quality.signature"):
        importlib.import_module(name)


def _demo(services) -> bool:
    """Demo mode: the built-in sandbox broker (an empty ``broker.url`` starts it)."""
    return bool(services.demo_mode or not services.settings["broker.url"])


def _pin_gate(settings, demo: bool) -> PinGate:
    """The staff PIN's gate (``kiosk.core.staff_pin``): the demo PIN only in demo mode, the
    lockout kept in the state folder."""
    return gate_for(settings, demo)


def _app() -> QApplication:
    app = QApplication.instance()
    assert isinstance(app, QApplication), "the kiosk window needs its QApplication"
    return app
