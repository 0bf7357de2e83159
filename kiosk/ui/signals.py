"""SIGTERM and SIGINT end the kiosk cleanly: the session under way is cancelled (its token
aborted at the broker, its media wiped) before the process exits.

A Python signal handler only runs when the interpreter gets control, and Qt's event loop runs in
C++; so the handler only notes the signal and ``signal.set_wakeup_fd`` wakes the Qt loop through
a socket pair watched by a ``QSocketNotifier``. Then, in the UI thread, ``on_signal`` runs (the
shell's ``terminate``: the staff quit path without the PIN: ``KioskWindow.shutdown`` →
``SessionController.shutdown`` → AbortToken and wipe, then ``QApplication.quit``).
"""
from __future__ import annotations

import logging
import signal
import socket
from collections.abc import Callable

from PySide6.QtCore import QObject, QSocketNotifier

log = logging.getLogger(__name__)

SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


class SignalBridge(QObject):
    """Installs the handlers; ``uninstall()`` puts the previous ones back."""

    def __init__(self, on_signal: Callable[[int], None], parent: QObject | None = None):
        super().__init__(parent)
        self.on_signal = on_signal
        self.received: list[int] = []
        self._read, self._write = socket.socketpair()
        self._read.setblocking(False)
        self._write.setblocking(False)
        self._old_fd = signal.set_wakeup_fd(self._write.fileno(), warn_on_full_buffer=False)
        self._old = {sig: signal.signal(sig, self._note) for sig in SIGNALS}
        self._notifier: QSocketNotifier | None = QSocketNotifier(self._read.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._drain)
        self._pending: list[int] = []

    def _note(self, signum: int, _frame) -> None:  # in the main thread, between bytecodes
        self._pending.append(signum)

    def _drain(self, *_args) -> None:
        try:
            while self._read.recv(64):
                pass
        except (BlockingIOError, InterruptedError):
            pass
        pending, self._pending = self._pending, []
        for signum in pending:
            if signum in self.received:
                continue
            self.received.append(signum)
            log.warning("signal %s: ending the session and quitting", signal.Signals(signum).name)
            try:
                self.on_signal(signum)
            except Exception:  # noqa: BLE001 - the process still has to end
                log.exception("clean shutdown on a signal failed")

    def uninstall(self) -> None:
        if self._notifier is None:
            return
        self._notifier.setEnabled(False)
        self._notifier.deleteLater()
        self._notifier = None
        for sig, old in self._old.items():
            signal.signal(sig, old)
        signal.set_wakeup_fd(self._old_fd)
        self._read.close()
        self._write.close()
