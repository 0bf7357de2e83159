"""The submission worker: broker calls run one at a time, off the UI thread.

As in Anki's ``aqt/taskman.py``: the UI thread hands a job (a function of the broker client) to
``SubmissionWorker.submit`` with callbacks; one background ``QThread`` runs the jobs in order and
hands each result back through a queued signal, so the callbacks run on the UI thread and no
widget is ever touched from the worker. ``cancel()`` drops the queued jobs and makes the result
of the running one stale (its callbacks are never called); jobs submitted after a cancel (e.g.
``AbortToken``) run normally. The broker client is created inside the worker thread by the
factory given, and closed there by ``stop()``.
"""
from __future__ import annotations

import itertools
import logging
import queue
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal, Slot

log = logging.getLogger(__name__)


@dataclass
class Job:
    id: int
    name: str  # a method name for the log (never personal data)
    fn: Callable[..., Any]  # fn(client, *args)
    args: tuple = ()
    generation: int = 0
    on_done: Callable[[Any], None] | None = None
    on_error: Callable[[BaseException], None] | None = None
    submitted: float = field(default_factory=time.monotonic)


class _Runner(QThread):
    started_job = Signal(int, str)
    done = Signal(int, object)
    failed = Signal(int, object)

    def __init__(self, owner: SubmissionWorker, client_factory: Callable[[], Any]):
        super().__init__()
        self.setObjectName("kiosk-submission")
        self.owner = owner
        self.client_factory = client_factory
        self.jobs: queue.Queue[Job | None] = queue.Queue()
        self.client = None

    def run(self) -> None:  # the worker thread
        try:
            # made now, not at the first job: building the TLS context holds the GIL for tens
            # of milliseconds, which would stall the UI thread in the middle of a session
            try:
                self.client = self.client_factory()
            except Exception as exc:  # noqa: BLE001 - retried (and reported) at the first job
                log.warning("broker client not created yet: %s", type(exc).__name__)
            while True:
                job = self.jobs.get()
                if job is None:
                    break
                if job.generation < self.owner._generation:
                    continue  # cancelled while queued
                self.started_job.emit(job.id, job.name)
                t0 = time.monotonic()
                try:
                    if self.client is None:
                        self.client = self.client_factory()
                    result = job.fn(self.client, *job.args)
                except BaseException as exc:  # noqa: BLE001 - handed to the UI thread
                    log.info("job %s failed after %.0f ms: %s", job.name, (time.monotonic() - t0) * 1000,
                             type(exc).__name__)
                    self.failed.emit(job.id, exc)
                else:
                    log.info("job %s done in %.0f ms", job.name, (time.monotonic() - t0) * 1000)
                    self.done.emit(job.id, result)
        finally:
            client, self.client = self.client, None
            if client is not None and hasattr(client, "close"):
                try:
                    client.close()
                except Exception as exc:  # noqa: BLE001 - best effort: the worker is ending anyway
                    log.warning("closing the broker client failed: %s", type(exc).__name__)


class SubmissionWorker(QObject):
    """One queue of broker calls. ``submit`` returns a job id; callbacks run on the UI thread."""

    busy_changed = Signal(bool)
    job_started = Signal(int, str)
    job_finished = Signal(int, str, bool)  # id, name, ok

    def __init__(self, client_factory: Callable[[], Any], parent: QObject | None = None):
        super().__init__(parent)
        self._ids = itertools.count(1)
        self._generation = 0
        self._pending: dict[int, Job] = {}
        self._lock = threading.Lock()
        self._runner = _Runner(self, client_factory)
        self._runner.started_job.connect(self._on_started)
        self._runner.done.connect(self._on_done)
        self._runner.failed.connect(self._on_failed)
        self._runner.start()
        self._running_job: int | None = None

    # -- UI thread API
    def submit(self, name: str, fn: Callable[..., Any], *args, on_done=None, on_error=None) -> int:
        if not self._runner.isRunning():
            raise RuntimeError("the submission worker is stopped")
        job = Job(next(self._ids), name, fn, args, self._generation, on_done, on_error)
        self._pending[job.id] = job
        was_idle = len(self._pending) == 1
        self._runner.jobs.put(job)
        if was_idle:
            self.busy_changed.emit(True)
        return job.id

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def cancel(self) -> int:
        """Drop every queued job and ignore the running one's result. Returns how many."""
        self._generation += 1
        dropped = len(self._pending)
        self._pending.clear()
        if dropped:
            self.busy_changed.emit(False)
        return dropped

    def stop(self, timeout: float = 15.0) -> bool:
        """Cancel everything, close the client and end the thread (joins it)."""
        if not self._runner.isRunning():
            return True
        self.cancel()
        self._runner.jobs.put(None)
        ok = self._runner.wait(int(timeout * 1000))
        if not ok:
            log.error("the submission worker did not stop within %.0f s", timeout)
        return ok

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """For tests and shutdown: process events until no job is pending."""
        deadline = time.monotonic() + timeout
        while self._pending and time.monotonic() < deadline:
            QCoreApplication.processEvents()
            time.sleep(0.005)
        return not self._pending

    # -- results, on the UI thread
    @Slot(int, str)
    def _on_started(self, job_id: int, name: str) -> None:
        if job_id in self._pending:
            self._running_job = job_id
            self.job_started.emit(job_id, name)

    def _finish(self, job_id: int) -> Job | None:
        job = self._pending.pop(job_id, None)
        if self._running_job == job_id:
            self._running_job = None
        if job is not None and not self._pending:
            self.busy_changed.emit(False)
        return job

    @Slot(int, object)
    def _on_done(self, job_id: int, result: Any) -> None:
        job = self._finish(job_id)
        if job is None:
            return  # cancelled: stale result
        self.job_finished.emit(job_id, job.name, True)
        if job.on_done is not None:
            job.on_done(result)

    @Slot(int, object)
    def _on_failed(self, job_id: int, exc: BaseException) -> None:
        job = self._finish(job_id)
        if job is None:
            return
        self.job_finished.emit(job_id, job.name, False)
        if job.on_error is not None:
            job.on_error(exc)
        else:
            raise exc  # the application's exception hook sends the shell to the failsafe screen
