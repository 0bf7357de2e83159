"""Consent: what is captured, why, and for how long; agree or the session ends.

"I do not agree (end)" asks first (an ``Overlay`` over the page, keeping going as the big button)
and says plainly that nothing was captured. While the box is unticked, a line under the greyed
"I agree, continue" says what to do; a tap on the greyed button (or beside it) makes that line
stand out."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication as Q
from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QCheckBox, QFrame, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.ui.pages.base import Page
from kiosk.ui.widgets import Overlay


class ConsentPage(Page):
    name = "consent"
    agreed = Signal()
    refused = Signal()

    def build(self) -> None:
        self.what = self.label("lead")
        self.why = self.label("lead")
        self.keep = self.label("lead")
        self.agree = self.button(primary=True)
        self.agree.setEnabled(False)
        # a big, framed box: the one thing to do before "I agree" works
        self.check_frame = QFrame()
        self.check_frame.setObjectName("consentCheck")
        self.check = _WideCheckBox()
        self.check.setObjectName("consentBox")
        QHBoxLayout(self.check_frame).addWidget(self.check)
        self.check.toggled.connect(self._ticked)
        self.agree.clicked.connect(self.agreed)
        # why "I agree" is grey, under it; a tap on the grey button (a disabled button passes the
        # tap on to its parent) or beside it makes the line stand out
        self.tick_hint = self.label("tickHint")
        self.tick_hint.setProperty("alert", False)
        self.refuse = self.button(danger=True)
        self.refuse.clicked.connect(self.ask_refuse)
        for w in (self.what, self.why, self.keep):
            self.body.addWidget(w)
        self.body.addStretch(1)
        self.body.addWidget(self.check_frame)
        row = QHBoxLayout()
        row.addWidget(self.refuse, 0, Qt.AlignmentFlag.AlignBottom)
        row.addStretch(1)
        self.agree_box = QWidget()
        col = QVBoxLayout(self.agree_box)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(self.agree)
        col.addWidget(self.tick_hint)
        policy = self.tick_hint.sizePolicy()
        policy.setRetainSizeWhenHidden(True)  # the buttons never move as the hint comes and goes
        self.tick_hint.setSizePolicy(policy)
        row.addWidget(self.agree_box)
        self.body.addLayout(row)
        self._taps = _TapWatcher(self._tapped_grey, self)
        self.agree.installEventFilter(self._taps)
        self.agree_box.installEventFilter(self._taps)
        # "End without consent?" over the page; keeping going is the big button
        self.confirm = Overlay(self)
        self.confirm.setObjectName("overlay")
        self.confirm.primary.clicked.connect(self.confirm.hide)
        self.confirm.secondary.clicked.connect(self._refuse_confirmed)

    def enter(self, **kw) -> None:
        self.reset()

    def leave(self) -> None:
        self.confirm.hide()

    def reset(self) -> None:
        self.check.setChecked(False)
        self.confirm.hide()
        self._ticked(False)

    def _ticked(self, on: bool) -> None:
        self.agree.setEnabled(on)
        self.tick_hint.setVisible(not on)
        self._alert(False)

    def _alert(self, on: bool) -> None:
        self.tick_hint.setProperty("alert", on)
        self.tick_hint.style().unpolish(self.tick_hint)
        self.tick_hint.style().polish(self.tick_hint)

    def _tapped_grey(self) -> None:
        if not self.check.isChecked():
            self.tick_hint.setVisible(True)
            self._alert(True)
            self.check.setFocus()

    def ask_refuse(self) -> None:
        self.confirm.set_texts(
            Q.translate("Consent", "End the session without your consent?"),
            Q.translate("Consent", "Nothing has been captured or sent yet. If you end now, the details you typed are erased."),
            Q.translate("Consent", "No, go back to the consent"),
            Q.translate("Consent", "Yes, end the session"))
        self.confirm.open()

    def _refuse_confirmed(self) -> None:
        self.confirm.hide()
        self.refused.emit()

    def title(self) -> str:
        return Q.translate("Consent", "Your consent")

    def retranslate(self) -> None:
        super().retranslate()
        self.what.setText(Q.translate(
            "Consent", "What is captured: your details as typed, a photo of your signature, photos of both "
            "sides of your national card, a photo of your face and short videos of you reading a sentence aloud."))
        self.why.setText(Q.translate(
            "Consent", "Why: they are sent to the identity-verification service, which compares your face with "
            "your photo at the civil registry and checks that you are present in person."))
        self.keep.setText(Q.translate(
            "Consent", "For how long: this kiosk keeps them encrypted only until they are sent, and erases them "
            "when the session ends. The verification service keeps them as the law on identity "
            "verification requires."))
        self.check.setText(Q.translate("Consent", "I have read this and I agree"))
        self.agree.setText(Q.translate("Consent", "I agree, continue"))
        self.refuse.setText(Q.translate("Consent", "I do not agree (end)"))
        self.tick_hint.setText(Q.translate("Consent", "Tick the box above to agree"))
        if self.confirm.isVisible():
            self.ask_refuse()  # the question in the new language


class _WideCheckBox(QCheckBox):
    """A tap anywhere on the box's row ticks it, not only on the small square or its words."""

    def hitButton(self, pos) -> bool:  # noqa: N802 - Qt name
        return self.rect().contains(pos)


class _TapWatcher(QObject):
    """Calls ``tapped`` on a press on the watched widgets (the greyed button passes its taps on)."""

    def __init__(self, tapped, parent: QObject):
        super().__init__(parent)
        self.tapped = tapped

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt name
        if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin):
            self.tapped()
        return False
