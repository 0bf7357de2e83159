"""Consent: what is captured, why, and for how long; agree or the session ends."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication as Q
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout

from kiosk.ui.pages.base import Page


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
        self.check = QCheckBox()
        self.check.toggled.connect(lambda on: self.agree.setEnabled(on))
        self.agree.clicked.connect(self.agreed)
        self.refuse = self.button(danger=True)
        self.refuse.clicked.connect(self.refused)
        for w in (self.what, self.why, self.keep):
            self.body.addWidget(w)
        self.body.addStretch(1)
        self.body.addWidget(self.check)
        row = QHBoxLayout()
        row.addWidget(self.refuse)
        row.addStretch(1)
        row.addWidget(self.agree)
        self.body.addLayout(row)

    def enter(self, **kw) -> None:
        self.reset()

    def reset(self) -> None:
        self.check.setChecked(False)

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
