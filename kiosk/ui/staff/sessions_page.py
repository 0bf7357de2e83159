"""Today's sessions (order id, times, steps, verdict, error codes, retries; no personal data),
with an export to CSV.

The table is read by branch staff: the outcome first, in words of the console's language
(verified, failed, ended early...), the steps by their names, the tracking code as it is read
out; the columns fit the width (the steps wrap, nothing needs a horizontal scroll). The CSV
keeps the raw keys, for tools."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
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
from kiosk.i18n.messages import has, t
from kiosk.ui.i18n import tracking_code
from kiosk.ui.staff.texts import fa_digits, has_staff_text, num, staff_text

#: the columns as shown (the outcome first; the steps last, taking the width that is left)
COLUMNS = ("verdict", "order_id", "started", "ended", "retries", "error_codes", "steps")
OUTCOME_COLOURS = {"verified": "#1b6e3a", "failed": "#b5161d", "error": "#b5161d"}


def step_name(step: str, lang: str) -> str:
    """A step's name as the applicant's screens call it (the raw key if it has none)."""
    return t(f"flow.step.{step}", lang) if has(f"flow.step.{step}") else step


def outcome_text(verdict: str, lang: str) -> str:
    """A session's outcome in words ("" is a session still open)."""
    key = f"outcome.{verdict or 'open'}"
    return staff_text(key, lang) if has_staff_text(key) else verdict


def error_text(code: str, lang: str) -> str:
    """An error code as logged: a broker's number stays; ``step:refused`` names the step."""
    short = f"outcome.{code.rpartition('.')[2]}"
    if "." in code and has_staff_text(short):  # a sentence's key (error.unexpected): its short name
        return staff_text(short, lang)
    if has(code):
        return t(code, lang)
    step, _, what = code.partition(":")
    if what and has_staff_text(f"outcome.{what}"):
        return f"{step_name(step, lang)}: {staff_text(f'outcome.{what}', lang)}"
    return fa_digits(code) if lang == "fa" and code.isdigit() else code


class SessionsPage(QWidget):
    def __init__(self, sessions_log=None, lang: str = "fa", settings=None, parent=None):
        super().__init__(parent)
        self.lang = lang
        self.settings = settings
        self._own_log = sessions_log is None
        self._log = sessions_log
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # the columns fit instead
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setMinimumSectionSize(40)
        for i, name in enumerate(COLUMNS):
            header.setSectionResizeMode(i, QHeaderView.ResizeMode.Stretch if name == "steps"
                                        else QHeaderView.ResizeMode.Interactive if name == "error_codes"
                                        else QHeaderView.ResizeMode.ResizeToContents)
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

    def column(self, name: str) -> int:
        return COLUMNS.index(name)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt name
        super().resizeEvent(event)
        self._fit_columns()

    def _fit_columns(self) -> None:
        """The errors take what they need up to a quarter of the width; the steps the rest, wrapped."""
        col = self.column("error_codes")
        header = self.table.horizontalHeader()
        want = max(self.table.sizeHintForColumn(col), header.sectionSizeHint(col))
        header.resizeSection(col, max(header.sectionSizeHint(col), min(want, self.table.viewport().width() // 4)))
        self.table.resizeRowsToContents()

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
        lang = self.lang
        comma = "؛ " if lang == "fa" else "; "  # the step names hold commas
        for i, rec in enumerate(rows):
            d = rec.to_dict()
            cells = {"verdict": outcome_text(d["verdict"], lang), "order_id": tracking_code(d["order_id"], lang) if lang == "fa" else d["order_id"],
                     "started": _time(rec.started, lang), "ended": _time(rec.ended, lang),
                     "steps": comma.join(step_name(s, lang) for s in d["steps"]),
                     "error_codes": comma.join(error_text(c, lang) for c in d["error_codes"]),
                     "retries": num(d["retries"], lang)}
            raw = {"verdict": d["verdict"], "order_id": d["order_id"], "steps": " ".join(d["steps"]),
                   "error_codes": " ".join(d["error_codes"])}
            for j, name in enumerate(COLUMNS):
                item = QTableWidgetItem(str(cells[name]))
                item.setData(Qt.ItemDataRole.UserRole, raw.get(name, cells[name]))  # the raw key, for tools
                item.setToolTip(str(cells[name]))
                if name == "verdict" and d["verdict"] in OUTCOME_COLOURS:
                    item.setForeground(QColor(OUTCOME_COLOURS[d["verdict"]]))
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(i, j, item)
        self._fit_columns()
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
