"""Run one blocking job (self-test, broker lookup) off the UI thread.

``Job(fn)`` is a ``QThread``: ``fn(report)`` runs in the thread, ``report(obj)`` sends progress
to the UI thread (signal ``progress``), its return value arrives as ``done(object)``, an
exception as ``failed(object)``. Widgets are only touched in slots on the UI thread. The owner
calls ``stop()`` (sets ``cancel`` and waits for the end) before it goes away, also when it is
closed: a QThread destroyed while it runs aborts the whole process, and on a busy machine a job
can outlast any fixed wait.
"""
from __future__ import annotations

import threading
from typing import Any
from collections.abc import Callable

from PySide6.QtCore import QThread, Signal


class Job(QThread):
    progress = Signal(object)
    done = Signal(object)
    failed = Signal(object)

    def __init__(self, fn: Callable[[Callable[[Any], None], threading.Event], Any], parent=None):
        super().__init__(parent)
        self.fn = fn
        self.cancel = threading.Event()

    def run(self) -> None:  # in the thread
        try:
            result = self.fn(self.progress.emit, self.cancel)
        except BaseException as exc:  # noqa: BLE001 - handed to the UI thread
            self.failed.emit(exc)
        else:
            self.done.emit(result)

    def stop(self) -> None:
        """Ask the job to stop and wait until it has (the self-test stops between checks, a
        broker call at its time-out): never leave a running thread to be destroyed."""
        self.cancel.set()
        if self.isRunning():
            self.wait()
