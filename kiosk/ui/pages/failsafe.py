"""The failsafe screen (as pibooth's failsafe state): after any unexpected error the session is
wiped and this screen stays, for the staff, until they dismiss it (no count-down: a busy staff
member must be able to read it and note the time)."""
from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication as Q
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout

from kiosk.ui.i18n import isolate_ltr, localize_digits
from kiosk.ui.pages.base import Page


class FailsafePage(Page):
    name = "failsafe"
    cancellable = False
    done = Signal()

    def build(self) -> None:
        self.when = ""
        self.headline = self.label("outcomeBad", center=True)
        self.message = self.label("lead", center=True)
        self.staff = self.label("problem")
        self.back = self.button(primary=True)
        self.back.clicked.connect(self.done)
        self.body.addStretch(1)
        for w in (self.headline, self.message, self.staff):
            self.body.addWidget(w)
        self.body.addStretch(2)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.back)
        self.body.addLayout(row)

    def enter(self, **kw) -> None:
        self.when = time.strftime("%H:%M")
        self.retranslate()

    def title(self) -> str:
        return Q.translate("Failsafe", "Sorry")

    def retranslate(self) -> None:
        super().retranslate()
        if not hasattr(self, "back"):
            return
        self.headline.setText(Q.translate("Failsafe", "Something went wrong"))
        self.message.setText(Q.translate(
            "Failsafe", "The session was stopped and everything captured was erased."))
        self.staff.setText(Q.translate(
            "Failsafe", "For the staff member: an unexpected error stopped the kiosk at {time}. Start a new "
            "session for the applicant. If it happens again, call technical support and tell them the time; "
            "the kiosk's log has the details.").format(time=isolate_ltr(localize_digits(self.when, self.lang))))
        self.back.setText(Q.translate("Failsafe", "Back to the start"))
