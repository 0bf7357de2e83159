"""A step running at the broker (registration, verification): progress, no input."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication as Q
from PySide6.QtWidgets import QProgressBar

from kiosk.ui.pages.base import Page

class BusyPage(Page):
    name = "busy"

    def build(self) -> None:
        self.stage = "register"
        self.message = self.label("lead", center=True)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)  # busy
        self.bar.setTextVisible(False)
        self.body.addStretch(1)
        self.body.addWidget(self.message)
        self.body.addWidget(self.bar)
        self.body.addStretch(2)

    def enter(self, stage: str = "register", **kw) -> None:
        self.set_stage(stage)

    def set_stage(self, stage: str) -> None:
        self.stage = stage
        self.retranslate()

    def title(self) -> str:
        return Q.translate("Busy", "Please wait")

    def retranslate(self) -> None:
        super().retranslate()
        stage = getattr(self, "stage", "register")
        texts = {
            "register": Q.translate("Busy", "Registering the session with the verification service…"),
            "properties": Q.translate("Busy", "Reading what this kiosk may do…"),
            "verify": Q.translate("Busy", "Asking for the final verdict…"),
            "abort": Q.translate("Busy", "Cancelling the session…"),
        }
        self.message.setText(texts.get(stage, texts["register"]))
