"""A broker refusal or a failure the staff must act on. The applicant reads one calm line (the
staff will help); the staff reads, in their own box, what happened (the error's own sentence),
what to do next (``next_step``: which button, which setting, whom to call), the tracking code,
the step and the broker's code, and only the buttons that make sense. The screen stays until
the staff choose."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication as Q
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout

from kiosk.errors import KioskError
from kiosk.ui.i18n import localize_digits, tracking_code
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
        self.applicant = self.label("lead", center=True)
        self.headline = self.label("outcomeBad")
        self.sentence = self.label("problem")
        self.todo = self.label("lead")
        self.details = self.label("staffDetails")
        self.fix = self.button(primary=True)
        self.fix.clicked.connect(lambda: self.action.emit(FIX_INPUT))
        self.retry = self.button(primary=True)
        self.retry.clicked.connect(lambda: self.action.emit(RETRY))
        self.end = self.button(danger=True)
        self.end.clicked.connect(lambda: self.action.emit(END))
        self.body.addWidget(self.applicant)
        self.body.addWidget(self.headline)
        self.body.addWidget(self.sentence)
        self.body.addWidget(self.todo)
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
        self.applicant.setText(Q.translate("Problem", "Please wait: the staff member will take care of this."))
        self.headline.setText(Q.translate("Problem", "For the staff member"))
        self.sentence.setText(self.message())
        action = self.error.staff_action if isinstance(self.error, KioskError) else None
        self.todo.setText(next_step(action) if self.error is not None else "")
        code = self.error.code if isinstance(self.error, KioskError) else None
        lines = []
        if self.order_id:
            lines.append(Q.translate("Problem", "Tracking code: {id}").format(id=tracking_code(self.order_id, self.lang)))
        if self.step_name:
            lines.append(Q.translate("Problem", "Step: {step}").format(step=step_title(self.step_name)))
        if code is not None:
            lines.append(Q.translate("Problem", "Identity service code: {code}").format(
                code=localize_digits(str(code), self.lang)))
        self.details.setText("\n".join(lines))
        self.details.setVisible(bool(lines))
        self.fix.setText(Q.translate("Problem", "Correct the details"))
        self.retry.setText(Q.translate("Problem", "Try again"))
        self.end.setText(Q.translate("Problem", "End the session"))


def next_step(action: str | None) -> str:
    """What the staff member does next, for a ``kiosk.broker.errors`` staff action."""
    texts = {
        "fix_input": Q.translate("Problem", "Next: compare the details with the applicant's national card, press "
                                 "\"Correct the details\" and fix the field marked in red."),
        "retry": Q.translate("Problem", "Next: press \"Try again\". If it fails again, check the kiosk's network "
                             "and the setting broker.url in the staff console, then call technical support with "
                             "the codes below."),
        "check_state": Q.translate("Problem", "Next: press \"Try again\": the kiosk first asks the identity "
                                   "service what it already received."),
        "retake": Q.translate("Problem", "Next: ask the applicant to take this step again."),
        "new_session": Q.translate("Problem", "Next: end this session and start a new one with the same "
                                   "applicant; their details must be typed again."),
        "end_session": Q.translate("Problem", "Next: end the session. The applicant cannot be verified at this "
                                   "kiosk today; tell them which code below to quote to the bank."),
        "skip_step": Q.translate("Problem", "Next: end the session and ask the bank's IT department to check "
                                 "what this kiosk's provider account may do."),
        "check_settings": Q.translate("Problem", "Next: end the session. The kiosk's identity service settings or "
                                      "keys are wrong: call the bank's IT department with the codes below."),
    }
    return texts.get(action or "", Q.translate(
        "Problem", "Next: end the session and call technical support with the tracking code and the codes below."))


def step_title(step: str) -> str:
    """A step's name as the staff reads it."""
    names = {
        "registration": Q.translate("Steps", "Registration"),
        "signature": Q.translate("Steps", "Signature"),
        "id_front": Q.translate("Steps", "National card, front"),
        "id_back": Q.translate("Steps", "National card, back"),
        "selfie": Q.translate("Steps", "Photo of the face"),
        "selfie_video": Q.translate("Steps", "Video reading a sentence"),
        "admittance_video": Q.translate("Steps", "Video reading the declaration"),
        "verify": Q.translate("Steps", "Final verification"),
    }
    return names.get(step, step)
