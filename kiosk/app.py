"""The kiosk application: QApplication set-up, services (broker, devices, media), exception
hooks and clean shutdown.

* Languages: the shipped Noto Sans Arabic fonts, Qt's ``qtbase_fa.qm`` and our
  ``resources/i18n/kiosk_fa.qm``, right-to-left layout for Persian (``kiosk.ui.i18n``).
* Demo mode: an empty ``broker.url`` starts the sandbox broker in-process
  (``SandboxBroker(credentials_dir=kiosk.paths.sandbox_dir(), port=0)``) and uses its credentials;
  otherwise the credentials come from the settings.
* Exceptions anywhere (``sys.excepthook``, ``threading.excepthook``) are logged without personal
  data (type and stack, never the message) and send the shell to its failsafe screen.
* Shutdown stops the workers, releases the devices, aborts an open token and wipes the media.
"""
from __future__ import annotations

import logging
import os
import sys
import threading
import traceback
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from PySide6.QtWidgets import QApplication

from kiosk import paths
from kiosk.broker.client import BrokerClient
from kiosk.broker.credentials import load_from_settings
from kiosk.config.settings import Settings
from kiosk.core.media_store import MediaStore
from kiosk.core.recovery import quick_settings, recover
from kiosk.logsetup import setup_logging as _setup
from kiosk.resources import resource
from kiosk.ui.i18n import LanguageManager, set_manager
from kiosk.ui.shell import KioskWindow

log = logging.getLogger("kiosk.app")
_language: tuple[QApplication, LanguageManager] | None = None  # the application's language manager


class Services:
    """What the UI needs from the outside world; built once per run (tests build their own)."""

    def __init__(self, settings: Settings, broker_url: str | None = None, credentials=None,
                 sandbox=None, client_factory: Callable[[], Any] | None = None):
        self.settings = settings
        self.sandbox = sandbox
        self.broker_url = broker_url
        self.credentials = credentials
        self._client_factory = client_factory
        self._models: Any = None

    @property
    def demo_mode(self) -> bool:
        return self.sandbox is not None

    @classmethod
    def from_settings(cls, settings: Settings) -> Services:
        url = settings["broker.url"]
        if not url:
            from kiosk.sandbox.server import SandboxBroker  # noqa: PLC0415 - heavy (sandbox broker with its keys), only in demo mode

            sandbox = SandboxBroker(credentials_dir=paths.sandbox_dir(), port=0)
            sandbox.start()
            log.info("demo mode: built-in sandbox broker at %s", sandbox.url)
            return cls(settings, sandbox.url, sandbox.credentials, sandbox=sandbox)

        return cls(settings, url, load_from_settings(settings))

    def client_factory(self):
        if self._client_factory is not None:
            return self._client_factory()
        return BrokerClient(self.require_broker_url(), self.credentials, self.settings)

    def require_broker_url(self) -> str:
        if not self.broker_url:
            raise RuntimeError("no broker URL: these services were built without a broker")
        return self.broker_url

    def media_store(self, session_id: str):
        return MediaStore(paths.media_dir(), session_id)

    def recording_path(self) -> Path:
        """Where a recording is written before it goes (encrypted) into the media store."""
        return paths.media_dir() / f"rec-{uuid.uuid4().hex}.webm"

    def models(self) -> Any:
        """The face models every capture screen borrows (``kiosk.quality.pool.ModelPool``): loaded
        once, at the first screen that needs each, and kept until the application ends."""
        if self._models is None:
            from kiosk.quality.pool import ModelPool  # noqa: PLC0415 - mediapipe: only once a screen needs it

            self._models = ModelPool(self.settings)
        return self._models

    def close(self) -> None:
        if self._models is not None:
            self._models.close()
            self._models = None
        if self.sandbox is not None:
            self.sandbox.stop()
            self.sandbox = None


def create_application(argv: list[str] | None = None, lang: str = "fa"):
    """The QApplication (or the existing one), with styles, fonts and translators."""

    global _language
    # the kiosk only ever makes a QApplication (never a bare QCoreApplication)
    app = cast(QApplication, QApplication.instance() or QApplication(list(argv or sys.argv[:1])))
    app.setApplicationName("kiosk")
    app.setOrganizationName("kiosk")
    qss = resource("styles", "kiosk.qss")
    if _language is None or _language[0] is not app:
        manager = LanguageManager(app, lang)
        _language = (app, manager)  # kept alive with the app
    else:
        manager = _language[1]
        manager.switch(lang)
    if qss.exists():
        # Persian at the same optical size as English; url()s in a style sheet are relative to the
        # working directory, so the icons folder is put in as an absolute path
        manager.set_style(qss.read_text("utf-8").replace("@ICONS@", resource("icons").as_posix()))
    set_manager(manager)
    return app, manager


def format_exception(exc_type, exc, tb) -> str:
    """Type and stack only: an exception's message may hold personal data."""
    stack = "".join(traceback.format_tb(tb)) if tb is not None else ""
    return f"{exc_type.__name__} (message withheld)\n{stack}"


class ExceptionHooks:
    """Installs sys/threading exception hooks that log and call ``on_error`` (thread-safe: it
    must itself hand over to the UI thread, e.g. by emitting a signal)."""

    def __init__(self, on_error: Callable[[BaseException], None]):
        self.on_error = on_error
        self._old_sys = sys.excepthook
        self._old_threading = threading.excepthook

    def install(self) -> ExceptionHooks:
        sys.excepthook = self._sys_hook
        threading.excepthook = self._thread_hook
        return self

    def uninstall(self) -> None:
        sys.excepthook = self._old_sys
        threading.excepthook = self._old_threading

    def _sys_hook(self, exc_type, exc, tb) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            self._old_sys(exc_type, exc, tb)
            return
        log.error("unexpected error: %s", format_exception(exc_type, exc, tb))
        self._notify(exc)

    def _thread_hook(self, args) -> None:
        log.error("unexpected error in thread %s: %s", getattr(args.thread, "name", "?"),
                  format_exception(args.exc_type, args.exc_value, args.exc_traceback))
        self._notify(args.exc_value)

    def _notify(self, exc) -> None:
        try:
            self.on_error(exc)
        except Exception:  # noqa: BLE001 - the hook must never raise
            log.exception("the failsafe handler failed")


def setup_logging(settings: Settings) -> None:
    """The private rotating log file and stderr, scrubbed of personal data (``kiosk.logsetup``)."""

    _setup(settings)


def recover_last_run(settings: Settings, services: Services) -> list:
    """After a crash or power cut: abort the open tokens the last run journalled, wipe its
    media, log the sessions as "recovered" (``kiosk.core.recovery``). Never stops the start."""
    try:
        def factory():
            if services._client_factory is not None:
                return services._client_factory()

            return BrokerClient(services.require_broker_url(), services.credentials, quick_settings(settings))

        return recover(settings, factory)
    except Exception as exc:  # noqa: BLE001 - the kiosk must start; the next start tries again
        log.error("recovery of the last run failed: %s", type(exc).__name__)
        return []


def run(settings: Settings, windowed: bool = False, lang: str | None = None) -> int:
    """Start the wizard and run until the staff member quits it."""
    os.umask(0o077)  # whatever a library writes (Qt caches, FFmpeg, mediapipe) is private
    setup_logging(settings)
    app, language = create_application(lang=lang or settings["ui.language"])
    services = Services.from_settings(settings)
    recover_last_run(settings, services)

    window = KioskWindow(services, language, fullscreen=settings["ui.fullscreen"] and not windowed)
    hooks = ExceptionHooks(window.report_error).install()
    app.aboutToQuit.connect(window.shutdown)
    from kiosk.ui.signals import SignalBridge  # noqa: PLC0415 - Qt, like the shell above

    signals = SignalBridge(window.terminate, app)  # SIGTERM/SIGINT: session cancelled before exit
    window.show_start()
    try:
        return app.exec()
    finally:
        signals.uninstall()
        hooks.uninstall()
        window.shutdown()
        services.close()
