"""Applicant details: national code, Jalali birth date, mobile, card serial, optional names.

Persian (۰-۹) and Arabic-Indic (٠-٩) digits are accepted (``kiosk.core.validation`` normalises
them). Each field takes only what its content can hold (``FieldValidator``: the national code 10
digits, the mobile 11, the Jalali date with its separators, inserted as the person types, the
card serial 10 letters and digits) and is as wide as that content. Invalid input is marked AT the
field (red frame, a sentence under it in the current language, from
``ValidationError.sentence(lang)``); the space for that sentence is always kept, so the form
never moves as errors come and go. After Continue the focus goes to the first bad field; typing
then stays in the field typed into (clearing one field's error never moves the focus)."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication as Q
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QLineEdit, QScrollArea, QSizePolicy, QWidget

from kiosk.core.validation import ApplicantDetails, DetailsInvalid
from kiosk.ui.pages.base import Page
from kiosk.ui.widgets import Keypad

FIELDS = ("national_code", "birth_date", "mobile", "card_serial", "first_name", "last_name", "father_name")
REQUIRED = FIELDS[:4]

_DIGITS = "0123456789۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩"
_TO_ASCII = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
_LATIN = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# field: (characters allowed besides digits, most digits (and letters), most characters, sample for
# the width)
LIMITS = {
    "national_code": ("- ", 10, 12, "0012345679"),
    "birth_date": ("/-.", 8, 10, "1376/11/13"),
    "mobile": ("+ ", 12, 14, "09123456789"),
    "card_serial": (_LATIN + _LATIN.lower() + "- ", 10, 12, "1A23456789"),
}
NAME_MAX = 40


def ascii_digits(text: str) -> str:
    return text.translate(_TO_ASCII)


class FieldValidator(QValidator):
    """Refuses a key that the field's content cannot hold: a character it never contains, or a
    digit beyond its length (Persian, Arabic-Indic and Latin digits count alike). The mobile
    takes 11 digits (12 after a leading "+", as in +989...)."""

    def __init__(self, field: str, parent=None):
        super().__init__(parent)
        self.field = field

    def validate(self, text: str, pos: int):  # noqa: D102 - Qt's contract
        extra, most_digits, most_chars, _sample = LIMITS[self.field]
        if self.field == "card_serial":
            text = text.upper()
        digits = sum(ch in _DIGITS or ch in _LATIN for ch in text)  # what the field holds, less separators
        if any(ch not in _DIGITS and ch not in extra for ch in text):
            return QValidator.State.Invalid, text, pos
        if self.field == "mobile" and not text.lstrip().startswith("+"):
            most_digits = 11
        if digits > most_digits or len(text) > most_chars:
            return QValidator.State.Invalid, text, pos
        # Acceptable, not Intermediate: Enter must still submit (QLineEdit sends returnPressed only
        # for acceptable text); whether the value is right is the form's question, asked on Continue
        return QValidator.State.Acceptable, text, pos


class DetailsPage(Page):
    name = "details"
    submitted = Signal(object)  # ApplicantDetails

    def build(self) -> None:
        self.edits: dict[str, QLineEdit] = {}
        self.captions: dict[str, QLabel] = {}
        self.errors: dict[str, QLabel] = {}
        self.current_errors: dict = {}
        self.previous: dict[str, str] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(4)
        for i, field in enumerate(FIELDS):
            cap = QLabel()
            edit = QLineEdit()
            edit.setObjectName(f"field_{field}")
            edit.setProperty("invalid", False)
            edit.textEdited.connect(lambda text, f=field: self._edited(f, text))
            edit.returnPressed.connect(self._submit)
            if field in LIMITS:
                edit.setValidator(FieldValidator(field, edit))
                edit.setMaxLength(LIMITS[field][2])
                # numbers and serials read left to right even in a right-to-left form
                edit.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
                edit.setAlignment(Qt.AlignmentFlag.AlignLeft)
                if field != "card_serial":
                    edit.setInputMethodHints(Qt.InputMethodHint.ImhPreferNumbers)
                # as wide as its content (and room for the frame), not the whole column
                width = edit.fontMetrics().horizontalAdvance(LIMITS[field][3] + "00") + 40
                edit.setMaximumWidth(max(width, 260))
            else:
                edit.setMaxLength(NAME_MAX)
                edit.setMaximumWidth(460)
            edit.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            err = QLabel()
            err.setObjectName("fieldError")
            err.setWordWrap(True)
            err.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeading)
            # the sentence's room is always kept: errors coming and going never move the form
            err.setMinimumHeight(err.fontMetrics().lineSpacing() * 2 + 4)
            policy = err.sizePolicy()
            policy.setRetainSizeWhenHidden(True)
            err.setSizePolicy(policy)
            err.setVisible(False)
            self.previous[field] = ""
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
        self.keypad = Keypad()  # for touch kiosks with no keyboard: types into the focused field
        self.body.addWidget(self.keypad)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.next)
        self.body.addLayout(buttons)

    def enter(self, keep: bool = False, errors: dict | None = None, **kw) -> None:
        if not keep:
            self.clear()
        if errors:
            self._show_errors(errors)  # the focus goes to the first bad field
        else:
            self.edits["national_code"].setFocus()

    def clear(self) -> None:
        for e in self.edits.values():
            e.clear()
        self.previous = dict.fromkeys(self.edits, "")
        self._show_errors({}, focus=False)

    reset = clear

    def _edited(self, field: str, text: str) -> None:
        """The person typed into ``field``: its error goes (the focus stays where they typed);
        a Jalali date gets its separators as the digits come (1376 -> 1376/)."""
        grew = len(text) > len(self.previous.get(field, ""))
        if field == "birth_date" and grew:
            edit = self.edits[field]
            plain = ascii_digits(text)
            if len(plain) >= 2 and plain[-1] in "/-." and plain[-2] == "/":  # typed over the one we put
                edit.setText(text[:-1])
                text = edit.text()
            elif edit.cursorPosition() == len(text) and (
                    (len(plain) == 4 and plain.isdigit()) or
                    (len(plain) == 7 and plain[:4].isdigit() and plain[4] == "/" and plain[5:].isdigit())):
                edit.setText(text + "/")
                text = edit.text()
        self.previous[field] = text
        self._clear_error(field)

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
            self._show_errors(errors, focus=False)  # the next key goes where this one went

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
        placeholders = {f: sample for f, (_x, _d, _c, sample) in LIMITS.items()}
        for field, text in placeholders.items():
            self.edits[field].setPlaceholderText(text)
        self.hint.setText(Q.translate("Details", "Persian or English digits are both fine."))
        self.next.setText(Q.translate("Details", "Continue"))
        self._show_errors(self.current_errors, focus=False)  # the error sentences in the new language
