"""A broker refusal or a failure the staff must act on: the broker error's own sentence (what
happened and what to do), the code and order id, and only the buttons that make sense."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication as Q
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout

from kiosk.errors import KioskError
from kiosk.ui.i18n import localize_digits
from kiosk.ui.pages.base import Page
from kiosk.ui.texts import error_sentence

FIX_INPUT, RETRY, END = "fix_input", "retry", "end"


def actions_for(staff_action: str | None) -> list[str]:
    """The buttons offered for a ``kiosk.broker.errors`` staff action."""
    if staff_action == "fix_input":
        return [FIX_INPUT, END]
    if staff_action in ("retry", "check_state"):
        return [RETRY, END]
    return [END]


class ProblemPage(Page):
    name = "problem"
    cancellable = False
    action = Signal(str)

    def build(self) -> None:
        self.error = None
        self.order_id = ""
        self.step_name = ""
        self.headline = self.label("outcomeBad")
        self.sentence = self.label("problem")
        self.details = self.label("staffDetails")
        self.fix = self.button(primary=True)
        self.fix.clicked.connect(lambda: self.action.emit(FIX_INPUT))
        self.retry = self.button(primary=True)
        self.retry.clicked.connect(lambda: self.action.emit(RETRY))
        self.end = self.button(danger=True)
        self.end.clicked.connect(lambda: self.action.emit(END))
        self.body.addWidget(self.headline)
        self.body.addWidget(self.sentence)
        self.body.addWidget(self.details)
        self.body.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.end)
        row.addStretch(1)
        row.addWidget(self.retry)
        row.addWidget(self.fix)
        self.body.addLayout(row)

    def enter(self, error=None, order_id: str = "", step: str = "", **kw) -> None:
        self.error = error
        self.order_id = order_id or ""
        self.step_name = step
        allowed = actions_for(error.staff_action if isinstance(error, KioskError) else None)
        self.fix.setVisible(FIX_INPUT in allowed)
        self.retry.setVisible(RETRY in allowed)
        self.retranslate()

    def reset(self) -> None:
        self.enter()

    def title(self) -> str:
        return Q.translate("Problem", "The session cannot continue as it is")

    def message(self) -> str:
        err = getattr(self, "error", None)
        if err is None:
            return ""
        return error_sentence(err, self.lang)

    def retranslate(self) -> None:
        super().retranslate()
        if not hasattr(self, "fix"):
            return
        self.headline.setText(Q.translate("Problem", "For the staff member"))
        self.sentence.setText(self.message())
        code = self.error.code if isinstance(self.error, KioskError) else None
        lines = []
        if self.order_id:
            lines.append(Q.translate("Problem", "Order id: {id}").format(id=self.order_id))
        if self.step_name:
            lines.append(Q.translate("Problem", "Step: {step}").format(step=step_title(self.step_name)))
        if code is not None:
            lines.append(Q.translate("Problem", "Broker code: {code}").format(code=localize_digits(str(code), self.lang)))
        self.details.setText("\n".join(lines))
        self.details.setVisible(bool(lines))
        self.fix.setText(Q.translate("Problem", "Correct the details"))
        self.retry.setText(Q.translate("Problem", "Try again"))
        self.end.setText(Q.translate("Problem", "End the session"))


def step_title(step: str) -> str:
    """A step's name as the staff reads it."""
    names = {
        "registration": Q.translate("Steps", "Registration"),
        "signature": Q.translate("Steps", "Signature"),
        "id_front": Q.translate("Steps", "National card, front"),
        "id_back": Q.translate("Steps", "National card, back"),
        "selfie": Q.translate("Steps", "Photo of the face"),
        "selfie_video": Q.translate("Steps", "Video reading a sentence"),
        "admittance_video": Q.translate("Steps", "Admittance video"),
        "verify": Q.translate("Steps", "Final verification"),
    }
    return names.get(step, step)
