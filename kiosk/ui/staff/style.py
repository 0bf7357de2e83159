"""The staff console's own look: compact rows for a desk screen (the kiosk's style sheet is for
an applicant's finger: 56 px fields and 64 px buttons, which left one or two settings on a
screen). Set on the console, it wins over the application's style for everything inside it."""
from __future__ import annotations

from PySide6.QtWidgets import QWidget

from kiosk.ui.i18n import PERSIAN_SCALE, scale_font_sizes

STAFF_QSS = """
QWidget { font-size: 15px; }
QLineEdit, QComboBox { font-size: 15px; min-height: 0; padding: 3px 6px; background: #ffffff;
    font-family: "DejaVu Sans", "Noto Sans Arabic";
    border: 1px solid #9fb3c2; border-radius: 4px; }
QLineEdit:focus, QComboBox:focus { border: 2px solid #0b6e99; }
QLineEdit:disabled { background: #eef2f5; color: #5a6a76; }
QPushButton { font-size: 15px; min-height: 34px; min-width: 90px; padding: 3px 14px; border-radius: 8px;
    background: #dfe7ed; color: #10202c; border: 1px solid #9fb3c2; }
QPushButton:pressed { background: #c9d6df; }
QPushButton:disabled { color: #8a9aa6; background: #eef2f5; border-color: #d3dde4; }
QPushButton#staffClose { font-weight: bold; min-width: 120px; }
QCheckBox { font-size: 15px; spacing: 8px; }
QCheckBox::indicator { width: 20px; height: 20px; }
QLabel#settingTitle { font-size: 15px; }
QLabel#settingHelp { font-size: 13px; color: #4a5a66; }
QLabel#settingError { font-size: 13px; color: #b00020; font-weight: bold; }
QLabel#settingsGroup { font-size: 18px; font-weight: bold; color: #0b3954; padding: 10px 0 2px 0;
    border-bottom: 2px solid #c9d6df; }
QWidget#settingRow { background: transparent; }
QListWidget { font-size: 15px; background: #ffffff; border: 1px solid #c9d6df; }
QListWidget::item { padding: 5px 4px; }
QListWidget::item:selected { background: #0b6e99; color: #ffffff; }
QTableWidget { font-size: 14px; background: #ffffff; }
QHeaderView::section { font-size: 14px; font-weight: bold; padding: 3px 6px; }
QTabBar::tab { font-size: 16px; padding: 6px 14px; }
QTextEdit, QTextBrowser { font-size: 14px; background: #ffffff; }
"""


def apply_staff_style(widget: QWidget, lang: str) -> None:
    """The compact staff style on ``widget`` (Persian at the same optical size as English)."""
    widget.setStyleSheet(scale_font_sizes(STAFF_QSS, PERSIAN_SCALE if lang == "fa" else 1.0))
