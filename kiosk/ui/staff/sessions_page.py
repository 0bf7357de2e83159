"""Today's sessions (order id, times, steps, verdict, error codes, retries; no personal data),
with an export to CSV."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.sessions_log import SessionsLog
from kiosk.ui.staff.texts import fa_digits, num, staff_text

COLUMNS = ("order_id", "started", "ended", "steps", "verdict", "error_codes", "retries")


class SessionsPage(QWidget):
    def __init__(self, sessions_log=None, lang: str = "fa", settings=None, parent=None):
        super().__init__(parent)
        self.lang = lang
        self.settings = settings
        self._own_log = sessions_log is None
        self._log = sessions_log
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.count = QLabel()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.refresh_button = QPushButton()
        self.export_button = QPushButton()
        self.refresh_button.clicked.connect(self.refresh)
        self.export_button.clicked.connect(self.export)
        row = QHBoxLayout()
        row.addWidget(self.count, 1)
        row.addWidget(self.refresh_button)
        row.addWidget(self.export_button)
        lay = QVBoxLayout(self)
        lay.addLayout(row)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.status)
        self.retranslate()
        self.refresh()

    def set_language(self, lang: str) -> None:
        self.lang = lang
        self.retranslate()
        self.refresh()

    def retranslate(self) -> None:
        self.setLayoutDirection(Qt.LayoutDirection.RightToLeft if self.lang == "fa" else Qt.LayoutDirection.LeftToRight)
        self.table.setHorizontalHeaderLabels([staff_text(f"col.{c}", self.lang) for c in COLUMNS])
        self.refresh_button.setText(staff_text("sessions.refresh", self.lang))
        self.export_button.setText(staff_text("sessions.export", self.lang))

    def refresh(self) -> None:
        rows = self.log.today()
        self.table.setRowCount(len(rows))
        for i, rec in enumerate(rows):
            d = rec.to_dict()
            cells = [d["order_id"], _time(rec.started, self.lang), _time(rec.ended, self.lang),
                     " ".join(d["steps"]), d["verdict"], " ".join(d["error_codes"]), num(d["retries"], self.lang)]
            for j, text in enumerate(cells):
                self.table.setItem(i, j, QTableWidgetItem(str(text)))
        n = fa_digits(len(rows)) if self.lang == "fa" else len(rows)
        self.count.setText(staff_text("sessions.count", self.lang, n=n))

    def export(self) -> None:
        name = f"sessions-{dt.date.today().isoformat()}.csv"
        path, _ = QFileDialog.getSaveFileName(self, staff_text("sessions.export", self.lang), str(Path.home() / name),
                                              "CSV (*.csv)")
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> int | None:
        try:
            n = self.log.export_csv(path)
        except OSError as exc:
            self.status.setText(staff_text("sessions.export_failed", self.lang, error=exc.strerror or exc))
            return None
        shown = fa_digits(n) if self.lang == "fa" else n
        self.status.setText(staff_text("sessions.exported", self.lang, n=shown, path=str(path)))
        return n

    @property
    def log(self):
        """The sessions database (opened on first use when none was given; purges old rows)."""
        if self._log is None:
            self._log = SessionsLog.open(self.settings)
        return self._log

    def close_log(self) -> None:
        if self._own_log and self._log is not None:
            self._log.close()
            self._log = None


def _time(ts, lang: str) -> str:
    if ts is None:
        return "—"
    text = dt.datetime.fromtimestamp(ts).strftime("%H:%M:%S")
    return fa_digits(text) if lang == "fa" else text
