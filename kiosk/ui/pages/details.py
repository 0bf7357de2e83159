"""Applicant details: national code, Jalali birth date, mobile, card serial, optional names.

Persian (۰-۹) and Arabic-Indic (٠-٩) digits are accepted (``kiosk.core.validation`` normalises
them). Each field takes only what its content can hold (``FieldValidator``: the national code 10
digits, the mobile 11, the Jalali date with its separators, inserted as the person types, the
card serial 10 letters and digits) and is as wide as that content. Invalid input is marked AT the
field (red frame, a sentence under it in the current language, from
``ValidationError.sentence(lang)``); the space for that sentence is always kept, so the form
never moves as errors come and go. An error stays until the field's value is valid (each edit
checks the field again). After Continue the focus goes to the first bad field, scrolled into
view; typing then stays in the field typed into (clearing one field's error never moves the
focus).

A touch kiosk may have no keyboard: the on-screen keypad types into the focused field and shows
Latin letter keys while the card serial has the focus. A field's digits are kept in one script as
they are typed (Persian on Persian screens, Latin on English ones; the card serial always Latin,
as printed on the card); the values given on are ASCII (``ApplicantDetails.parse``). The field
that gets the focus is scrolled into view; the scroll bar is plain to see, and "More fields
below" says that the optional names wait under the fold. The examples in the fields read
"e.g. ..." so nobody takes them for data already filled in."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication as Q
from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor, QPalette, QValidator
from PySide6.QtWidgets import (QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QScrollArea, QSizePolicy,
                               QWidget)

from kiosk.core.validation import ApplicantDetails, DetailsInvalid
from kiosk.i18n.digits import to_persian_digits  # digits only (a date's "." stays a ".")
from kiosk.ui.i18n import fmt_number
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


def one_script(text: str, lang: str, field: str) -> str:
    """The field's digits all in the screen's script (Persian in fa, Latin in en; the card serial
    always Latin, as printed on the card): a keypad after a keyboard never mixes them."""
    plain = ascii_digits(text)
    return plain if lang != "fa" or field == "card_serial" else to_persian_digits(plain)


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
            # an example, not data: lighter than any typed value (and it says "e.g.")
            palette = edit.palette()
            palette.setColor(QPalette.ColorRole.PlaceholderText, QColor("#a3b1bc"))
            edit.setPalette(palette)
            edit.installEventFilter(self)  # the focus coming: scroll it into view, letters for the serial
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
        self.form_scroll = scroll
        # the optional names wait below the fold: say so, and a tap there scrolls down
        self.more = QPushButton()
        self.more.setObjectName("moreBelow")
        self.more.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.more.clicked.connect(self._scroll_down)
        policy = self.more.sizePolicy()
        policy.setRetainSizeWhenHidden(True)  # the form never moves as the cue comes and goes
        self.more.setSizePolicy(policy)
        bar = scroll.verticalScrollBar()
        bar.valueChanged.connect(self._update_more)
        bar.rangeChanged.connect(self._update_more)
        self.hint = self.label("stepLabel")
        self.next = self.button(primary=True)
        self.next.clicked.connect(self._submit)
        self.body.addWidget(self.hint)
        self.body.addWidget(scroll, 1)
        self.body.addWidget(self.more, 0, Qt.AlignmentFlag.AlignHCenter)
        # for touch kiosks with no keyboard: types into the focused field; letters for the serial
        self.keypad = Keypad(letters=True)
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
        self.form_scroll.verticalScrollBar().setValue(0)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt name
        if event.type() == QEvent.Type.FocusIn:
            for field, edit in self.edits.items():
                if obj is edit:
                    self._focused(field)
        return super().eventFilter(obj, event)

    def _focused(self, field: str) -> None:
        """A field got the focus (a tap, Tab, after Continue): letters on the keypad for the
        serial, and the field with its caption and error scrolled into view (``ensure_visible``
        lays the page out first, with the keypad at its new height)."""
        self.keypad.show_letters(field == "card_serial")
        self.keypad.allow_slash(field == "birth_date")
        self.ensure_visible(field)

    def ensure_visible(self, field: str) -> None:
        if not hasattr(self, "form_scroll"):
            return
        # the keypad's letters may just have come or gone: lay out first, so the visible area is
        # the one the applicant will see
        Q.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        # only as far as needed: a tapped field already in sight stays under the finger (the form
        # jumped by a row when the empty room for a field's error was below the fold, and the
        # next tap landed where the next field had been)
        if self.errors[field].text():
            self.form_scroll.ensureWidgetVisible(self.errors[field], 8, 8)  # the sentence under it...
        # the whole field (ensureWidgetVisible on a line edit with the focus only brings its cursor)
        edit, form = self.edits[field], self.form_scroll.widget()
        if form is not None:
            centre = edit.mapTo(form, edit.rect().center())
            self.form_scroll.ensureVisible(centre.x(), centre.y(), 8, edit.height() // 2 + 8)
        self.form_scroll.ensureWidgetVisible(self.captions[field], 8, 8)  # ...and above all its caption

    def _scroll_down(self) -> None:
        bar = self.form_scroll.verticalScrollBar()
        bar.setValue(bar.maximum())

    def _update_more(self, *_args) -> None:
        bar = self.form_scroll.verticalScrollBar()
        self.more.setVisible(bar.maximum() > 0 and bar.value() < bar.maximum())

    reset = clear

    def _edited(self, field: str, text: str) -> None:
        """The person typed into ``field``: its digits in one script; a Jalali date gets its
        separators as the digits come (1376 -> 1376/); its error goes once the value is valid
        (the focus stays where they typed)."""
        if field in LIMITS:
            same = one_script(text, self.lang, field)
            if same != text:  # digit for digit: the cursor stays where it was
                edit = self.edits[field]
                pos = edit.cursorPosition()
                edit.setText(same)
                edit.setCursorPosition(pos)
                text = same
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
        self._recheck(field)

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

    def _recheck(self, field: str) -> None:
        """A red field is checked again at each edit: its error stays (its sentence follows the
        value) until the value is valid. The focus never moves (the next key goes where this
        one went), nor does the form (the sentence's room is kept)."""
        if field not in self.current_errors:
            return
        try:
            ApplicantDetails.parse(self.raw())
            now = None
        except DetailsInvalid as exc:
            now = exc.errors.get(field)
        errors = dict(self.current_errors)
        if now is None:
            errors.pop(field)
        else:
            errors[field] = now
        self._show_errors(errors, focus=False)

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
            # scrolled into view with its sentence, even when it had the focus already
            self.ensure_visible(next(f for f, e in self.edits.items() if e is first))

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
        for field, (_x, _d, _c, sample) in LIMITS.items():
            if field != "card_serial":
                sample = fmt_number(sample, self.lang)
            self.edits[field].setPlaceholderText(Q.translate("Details", "e.g. {example}").format(example=sample))
            edit = self.edits[field]
            if edit.text() and one_script(edit.text(), self.lang, field) != edit.text():
                edit.setText(one_script(edit.text(), self.lang, field))  # the new screen's digits
                self.previous[field] = edit.text()
        self.hint.setText(Q.translate("Details", "Persian or English digits are both fine."))
        self.next.setText(Q.translate("Details", "Continue"))
        self.more.setText(Q.translate("Details", "▼  More fields below (optional names)"))
        self._show_errors(self.current_errors, focus=False)  # the error sentences in the new language
