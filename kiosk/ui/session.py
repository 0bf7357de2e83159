"""The session on the Qt side: ``kiosk.core.session.SessionEngine`` (no Qt) decides everything;
this adapter runs its broker jobs on the ``SubmissionWorker`` (off the UI thread, results back on
it) and turns what the engine tells its listener into Qt signals for the shell.

The shell keeps both: ``window.session`` is the engine (the pages send their events to it:
``send_selfie``, ``cancel``, ``tick``...), ``window.session_qt`` this adapter (its signals).
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal

from kiosk.core.session import SessionEngine
from kiosk.workers.session import SubmissionWorker


class SessionController(QObject):
    """One applicant's session at a time (the engine), with Qt signals for the shell."""

    page_requested = Signal(str, dict)  # page name, enter() keywords
    devices_released = Signal()
    ended = Signal(str)  # why: "verdict", "cancelled", "idle", "failsafe", "refused", ...
    aborted = Signal(str)  # order id whose token AbortToken was sent for

    def __init__(self, services: Any, parent: QObject | None = None):
        super().__init__(parent)
        self.services = services
        self.worker = SubmissionWorker(services.client_factory, self)
        self.engine = SessionEngine(services.settings, self.worker, services.media_store, self)

    # -- the engine's listener
    def show_page(self, name: str, kw: dict[str, Any]) -> None:
        self.page_requested.emit(name, kw)

    def release_devices(self) -> None:
        self.devices_released.emit()

    def session_ended(self, why: str) -> None:
        self.ended.emit(why)

    def token_aborted(self, order_id: str) -> None:
        self.aborted.emit(order_id)
