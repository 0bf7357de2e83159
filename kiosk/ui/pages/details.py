"""Applicant details: national code, Jalali birth date, mobile, card serial, optional names.

Persian (۰-۹) and Arabic-Indic (٠-٩) digits are accepted (``kiosk.core.validation`` normalises
them). Invalid input is marked AT the field (red frame, a sentence under it in the current
language, from ``ValidationError.sentence(lang)``), and focus goes to the first bad field."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication as Q
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QLineEdit, QScrollArea, QWidget

from kiosk.core.validation import ApplicantDetails, DetailsInvalid
from kiosk.ui.pages.base import Page

FIELDS = ("national_code", "birth_date", "mobile", "card_serial", "first_name", "last_name", "father_name")
REQUIRED = FIELDS[:4]


class DetailsPage(Page):
    name = "details"
    submitted = Signal(object)  # ApplicantDetails

    def build(self) -> None:
        self.edits: dict[str, QLineEdit] = {}
        self.captions: dict[str, QLabel] = {}
        self.errors: dict[str, QLabel] = {}
        self.current_errors: dict = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(4)
        for i, field in enumerate(FIELDS):
            cap = QLabel()
            edit = QLineEdit()
            edit.setObjectName(f"field_{field}")
            edit.setProperty("invalid", False)
            edit.textEdited.connect(lambda _t, f=field: self._clear_error(f))
            edit.returnPressed.connect(self._submit)
            if field in ("national_code", "mobile", "birth_date"):
                edit.setInputMethodHints(Qt.InputMethodHint.ImhPreferNumbers)
                # numbers read left to right even in a right-to-left form
                edit.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
                edit.setAlignment(Qt.AlignmentFlag.AlignLeft)
            err = QLabel()
            err.setObjectName("fieldError")
            err.setWordWrap(True)
            err.setVisible(False)
            row, col = divmod(i, 2)
            grid.addWidget(cap, row * 3, col)
            grid.addWidget(edit, row * 3 + 1, col)
            grid.addWidget(err, row * 3 + 2, col)
            self.edits[field], self.captions[field], self.errors[field] = edit, cap, err
        box = QWidget()
        box.setLayout(grid)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(box)
        self.hint = self.label("stepLabel")
        self.next = self.button(primary=True)
        self.next.clicked.connect(self._submit)
        self.body.addWidget(self.hint)
        self.body.addWidget(scroll, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.next)
        self.body.addLayout(buttons)

    def enter(self, keep: bool = False, errors: dict | None = None, **kw) -> None:
        if not keep:
            for e in self.edits.values():
                e.clear()
            self._show_errors({})
        if errors:
            self._show_errors(errors)
        self.edits["national_code"].setFocus()

    def clear(self) -> None:
        for e in self.edits.values():
            e.clear()
        self._show_errors({})

    def raw(self) -> dict[str, str]:
        return {f: e.text() for f, e in self.edits.items()}

    def _submit(self) -> None:
        try:
            details = ApplicantDetails.parse(self.raw())
        except DetailsInvalid as exc:
            self._show_errors(dict(exc.errors))
            return
        self._show_errors({})
        self.submitted.emit(details)

    def _clear_error(self, field: str) -> None:
        if field in self.current_errors:
            errors = dict(self.current_errors)
            errors.pop(field)
            self._show_errors(errors)

    def _show_errors(self, errors: dict, focus: bool = True) -> None:
        self.current_errors = errors
        first = None
        for field in FIELDS:
            err = errors.get(field)
            edit, lab = self.edits[field], self.errors[field]
            edit.setProperty("invalid", err is not None)
            edit.style().unpolish(edit)
            edit.style().polish(edit)
            lab.setVisible(err is not None)
            lab.setText(err.sentence(self.lang) if err is not None else "")
            edit.setAccessibleDescription(lab.text())
            if err is not None and first is None:
                first = edit
        if first is not None and focus:
            first.setFocus()

    def title(self) -> str:
        return Q.translate("Details", "Applicant details")

    def retranslate(self) -> None:
        super().retranslate()
        if not hasattr(self, "next"):
            return
        captions = {
            "national_code": Q.translate("Details", "National code (10 digits)"),
            "birth_date": Q.translate("Details", "Birth date (Jalali, e.g. 1376/11/13)"),
            "mobile": Q.translate("Details", "Mobile number (09xxxxxxxxx)"),
            "card_serial": Q.translate("Details", "National card serial (back of the card)"),
            "first_name": Q.translate("Details", "First name (optional)"),
            "last_name": Q.translate("Details", "Last name (optional)"),
            "father_name": Q.translate("Details", "Father's name (optional)"),
        }
        for field, text in captions.items():
            self.captions[field].setText(text)
        placeholders = {"national_code": "0012345679", "birth_date": "1376/11/13", "mobile": "09123456789"}
        for field, text in placeholders.items():
            self.edits[field].setPlaceholderText(text)
        self.hint.setText(Q.translate("Details", "Persian or English digits are both fine."))
        self.next.setText(Q.translate("Details", "Continue"))
        self._show_errors(self.current_errors, focus=False)  # the error sentences in the new language
