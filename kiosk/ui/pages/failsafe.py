"""The failsafe screen (as pibooth's failsafe state): after any unexpected error the session is
wiped and, after a few seconds, the kiosk is back at the welcome screen."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication as Q
from PySide6.QtCore import QTimer, Signal

from kiosk.ui.i18n import fmt_number
from kiosk.ui.pages.base import Page


class FailsafePage(Page):
    name = "failsafe"
    cancellable = False
    done = Signal()
    SECONDS = 6

    def build(self) -> None:
        self.remaining = self.SECONDS
        self.headline = self.label("outcomeBad", center=True)
        self.message = self.label("lead", center=True)
        self.counter = self.label("stepLabel", center=True)
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self._tick)
        self.body.addStretch(1)
        for w in (self.headline, self.message, self.counter):
            self.body.addWidget(w)
        self.body.addStretch(2)

    def enter(self, seconds: int | None = None, **kw) -> None:
        self.remaining = self.SECONDS if seconds is None else seconds
        self.retranslate()
        self.timer.start()

    def leave(self) -> None:
        self.timer.stop()

    def _tick(self) -> None:
        self.remaining -= 1
        self.retranslate()
        if self.remaining <= 0:
            self.timer.stop()
            self.done.emit()

    def title(self) -> str:
        return Q.translate("Failsafe", "Sorry")

    def retranslate(self) -> None:
        super().retranslate()
        self.headline.setText(Q.translate("Failsafe", "Something went wrong"))
        self.message.setText(Q.translate(
            "Failsafe", "The session was stopped and everything captured was erased. Please ask the staff "
            "member to start again."))
        self.counter.setText(Q.translate("Failsafe", "Back to the start in {n} s").format(
            n=fmt_number(max(0, self.remaining), self.lang)))
