"""The self-test screen: runs ``kiosk.selftest.run_selftest`` in a worker thread and shows
each line as it arrives (green: passed; red: failed, with what to fix; grey: not checked)."""
from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from kiosk.selftest import run_selftest
from kiosk.ui.staff.texts import fa_digits, staff_text
from kiosk.ui.staff.worker import Job

COLOURS = {"ok": "#1b7f3b", "fail": "#b00020", "skip": "#666666"}


class SelftestPage(QWidget):
    finished = Signal(list)  # the CheckResults, when a run ends

    def __init__(self, settings, lang: str = "fa", broker_url: str | None = None, credentials=None,
                 camera_spec: str | None = None, mic_spec: str | None = None, seconds: float = 1.0, parent=None):
        super().__init__(parent)
        self.settings = settings
        self.lang = lang
        self.broker_url = broker_url
        self.credentials = credentials
        self.camera_spec = camera_spec
        self.mic_spec = mic_spec
        self.seconds = seconds
        self.results: list = []
        self.job: Job | None = None

        self.run_button = QPushButton()
        self.cancel_button = QPushButton()
        self.cancel_button.setEnabled(False)
        self.run_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.lines = QTextBrowser()
        row = QHBoxLayout()
        row.addWidget(self.run_button)
        row.addWidget(self.cancel_button)
        row.addWidget(self.summary, 1)
        lay = QVBoxLayout(self)
        lay.addLayout(row)
        lay.addWidget(self.lines, 1)
        self.retranslate()

    def set_language(self, lang: str) -> None:
        self.lang = lang
        self.retranslate()
        self._render()

    def retranslate(self) -> None:
        self.setLayoutDirection(Qt.LayoutDirection.RightToLeft if self.lang == "fa" else Qt.LayoutDirection.LeftToRight)
        self.run_button.setText(staff_text("selftest.run", self.lang))
        self.cancel_button.setText(staff_text("selftest.cancel", self.lang))

    @property
    def running(self) -> bool:
        return self.job is not None and self.job.isRunning()

    def start(self) -> None:
        if self.running:
            return

        self.results = []
        self._render()
        self.summary.setText(staff_text("selftest.running", self.lang))
        settings, url, creds = self.settings, self.broker_url, self.credentials
        cam, mic, seconds = self.camera_spec, self.mic_spec, self.seconds

        def work(report, cancel):
            return run_selftest(settings, url, creds, cam, mic, seconds=seconds, on_result=report, cancel=cancel)

        self.job = Job(work, self)
        self.job.progress.connect(self._on_result)
        self.job.done.connect(self._on_done)
        self.job.failed.connect(self._on_failed)
        self.run_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.job.start()

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel.set()

    def closeEvent(self, event) -> None:  # noqa: N802
        self.stop()  # a running job must end before the page can go
        super().closeEvent(event)

    def stop(self) -> None:
        """Wait for a running test to end (before the console closes)."""
        if self.job is not None:
            self.job.stop()

    def _on_result(self, result) -> None:
        self.results.append(result)
        self._render()

    def _on_done(self, results) -> None:
        self.results = list(results)
        self._finish()

    def _on_failed(self, exc) -> None:
        self.summary.setText(staff_text("selftest.crashed", self.lang, error=f"{type(exc).__name__}: {exc}"))
        self._buttons_idle()
        self.finished.emit(list(self.results))

    def _finish(self) -> None:
        self._render()
        failed = [r for r in self.results if r.failed]
        n = fa_digits(len(failed)) if self.lang == "fa" else len(failed)
        self.summary.setText(staff_text("selftest.failed", self.lang, n=n) if failed else staff_text("selftest.passed", self.lang))
        self.summary.setStyleSheet(f"color: {COLOURS['fail'] if failed else COLOURS['ok']}; font-weight: bold;")
        self._buttons_idle()
        self.finished.emit(list(self.results))

    def _buttons_idle(self) -> None:
        self.run_button.setEnabled(True)
        self.cancel_button.setEnabled(False)

    def line_texts(self) -> list[str]:
        return [r.text(self.lang) for r in self.results]

    def _render(self) -> None:
        parts = []
        align = "right" if self.lang == "fa" else "left"
        for r in self.results:
            colour = COLOURS["ok" if r.ok else ("skip" if r.skipped else "fail")]
            mark = "✔" if r.ok else ("–" if r.skipped else "✘")
            parts.append(f'<p dir="{"rtl" if self.lang == "fa" else "ltr"}" align="{align}" style="color:{colour}">'
                         f"<b>{mark} {html.escape(r.title(self.lang))}</b>: {html.escape(r.text(self.lang).split(': ', 1)[-1])}</p>")
        self.lines.setHtml("".join(parts))
