"""The page contract (after Qt for Python's ``licensewizard``): each page is a widget in the
shell's stack with a header (title, step, language switch, cancel) and a body.

* ``retranslate()`` sets every visible text; it runs at construction and on every
  ``LanguageChange`` event (sent by Qt when the translators change), so a language switch at any
  moment re-translates the page in place.
* ``enter(**kw)`` is called by the shell when the page is shown, ``leave()`` when it is hidden:
  a page starts its devices and timers in ``enter`` and stops them in ``leave``.
"""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication as Q
from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from kiosk.ui.i18n import current_language, fmt_number


class Page(QWidget):
    name = "page"
    cancellable = True  # shows the Cancel button

    cancel_requested = Signal()
    language_requested = Signal()

    def __init__(self, ctx, parent: QWidget | None = None, **options):
        super().__init__(parent)
        self.ctx = ctx
        for key, value in options.items():  # e.g. kind="id_front", before build() reads it
            setattr(self, key, value)
        self.setObjectName(f"page_{self.name}")
        self.step_index: tuple[int, int] | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(28, 16, 28, 20)
        outer.setSpacing(14)
        header = QHBoxLayout()
        self.title_label = QLabel()
        self.title_label.setObjectName("pageTitle")
        # where am I, how much is left: bold words over a thin progress line, plainly a label
        # (no filled box, no border: nothing that looks like a button to tap)
        self.step_label = QLabel()
        self.step_label.setObjectName("stepBadge")
        self.step_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.step_label.setVisible(False)
        self.step_progress = QProgressBar()
        self.step_progress.setObjectName("stepProgress")
        self.step_progress.setTextVisible(False)
        self.step_progress.setFixedHeight(6)
        self.step_progress.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.step_progress.setVisible(False)
        step_box = QVBoxLayout()
        step_box.setSpacing(6)
        step_box.addStretch(1)
        step_box.addWidget(self.step_label)
        step_box.addWidget(self.step_progress)
        step_box.addStretch(1)
        self.lang_button = QPushButton()
        self.lang_button.setObjectName("langButton")
        self.lang_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.lang_button.clicked.connect(self.language_requested)
        self.cancel_button = QPushButton()
        self.cancel_button.setObjectName("cancelButton")
        self.cancel_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.cancel_button.clicked.connect(self.cancel_requested)
        self.cancel_button.setVisible(self.cancellable)
        header.addWidget(self.title_label)
        header.addStretch(1)
        header.addLayout(step_box)
        header.addSpacing(12)
        header.addWidget(self.lang_button)
        header.addWidget(self.cancel_button)
        outer.addLayout(header)
        self.body = QVBoxLayout()
        self.body.setSpacing(14)
        outer.addLayout(self.body, 1)
        self.build()
        self.retranslate()

    # -- contract
    def build(self) -> None:
        """Subclasses create their widgets here (called once, then ``retranslate``)."""

    def title(self) -> str:
        return ""

    def retranslate(self) -> None:
        lang = current_language()
        self.title_label.setText(self.title())
        # each language's name in its own script, so the applicant finds theirs
        self.lang_button.setText("English" if lang == "fa" else "فارسی")
        self.cancel_button.setText(Q.translate("Page", "Cancel"))
        if self.step_index:
            i, n = self.step_index
            self.step_label.setText(Q.translate("Page", "Step {i} of {n}").format(
                i=fmt_number(i, lang), n=fmt_number(n, lang)))
            self.step_progress.setRange(0, max(1, n))
            self.step_progress.setValue(max(0, min(i, n)))
        else:
            self.step_label.setText("")
        self.step_label.setVisible(bool(self.step_index))
        self.step_progress.setVisible(bool(self.step_index))

    def enter(self, **kw) -> None:
        pass

    def leave(self) -> None:
        pass

    def reset(self) -> None:
        """Forget everything of the last session (its texts, pictures, progress): called on every
        page when a session starts and when one ends."""

    def set_step(self, index: tuple[int, int] | None) -> None:
        self.step_index = index
        self.retranslate()

    @property
    def lang(self) -> str:
        return current_language()

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    @staticmethod
    def button(text: str = "", primary: bool = False, danger: bool = False) -> QPushButton:
        b = QPushButton(text)
        if primary:
            b.setObjectName("primary")
        elif danger:
            b.setObjectName("danger")
        return b

    @staticmethod
    def label(name: str = "", wrap: bool = True, center: bool = False) -> QLabel:
        lab = QLabel()
        if name:
            lab.setObjectName(name)
        lab.setWordWrap(wrap)
        if center:
            lab.setAlignment(Qt.AlignmentFlag.AlignCenter)
        return lab
