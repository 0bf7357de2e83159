"""Verdict: the broker's VerifyToken answer; a clear outcome for the applicant and the details
the staff needs (order id, which step failed and why)."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication as Q
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout

from kiosk.ui.i18n import localize_digits, tracking_code
from kiosk.ui.pages.base import Page
from kiosk.ui.pages.problem import step_title


class VerdictPage(Page):
    name = "verdict"
    cancellable = False
    finished = Signal()
    resume = Signal()  # the staff takes the missing steps (after "not complete")

    def build(self) -> None:
        self.verified: bool | None = None
        self.order_id = ""
        self.steps: list[dict] = []
        self.broker_message = ""
        self.icon = self.label("instructionIcon", center=True)
        self.outcome = self.label("outcomeOk", center=True)
        self.applicant = self.label("lead", center=True)
        self.staff = self.label("staffDetails")
        self.incomplete = False
        self.missing: list[str] = []
        self.finish = self.button(primary=True)
        self.finish.clicked.connect(self.finished)
        self.take_missing = self.button()
        self.take_missing.clicked.connect(self.resume)
        self.body.addStretch(1)
        for w in (self.icon, self.outcome, self.applicant):
            self.body.addWidget(w)
        self.body.addStretch(1)
        self.body.addWidget(self.staff)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.take_missing)
        row.addWidget(self.finish)
        self.body.addLayout(row)

    def enter(self, verified: bool = False, order_id: str = "", steps=None, broker_message: str = "",
              incomplete: bool = False, missing=None, **kw) -> None:
        self.verified = bool(verified)
        self.incomplete = bool(incomplete) and not self.verified
        self.missing = list(missing or [])
        self.order_id = order_id
        self.steps = list(steps or [])
        self.broker_message = broker_message or ""
        self.retranslate()

    def reset(self) -> None:
        self.enter()

    def title(self) -> str:
        return Q.translate("Verdict", "Result")

    def outcome_text(self) -> str:
        if self.verified:
            return Q.translate("Verdict", "Your identity is verified")
        if self.incomplete:
            return Q.translate("Verdict", "The verification is not complete yet")
        return Q.translate("Verdict", "Your identity could not be verified")

    def retranslate(self) -> None:
        super().retranslate()
        if not hasattr(self, "finish"):
            return
        ok = bool(self.verified)
        self.icon.setText("✔" if ok else "✖")
        self.icon.setStyleSheet("color: %s;" % ("#1b6e3a" if ok else "#b5161d"))
        self.outcome.setObjectName("outcomeOk" if ok else "outcomeBad")
        self.outcome.style().unpolish(self.outcome)
        self.outcome.style().polish(self.outcome)
        self.outcome.setText(self.outcome_text())
        self.applicant.setText(
            Q.translate("Verdict", "Thank you. The staff member will tell you what happens next.") if ok else
            Q.translate("Verdict", "The staff member will explain why and what you can do."))
        lines = [Q.translate("Verdict", "For the staff member") + "  ·  "
                 + Q.translate("Verdict", "Tracking code: {id}").format(id=tracking_code(self.order_id, self.lang) or "—")]
        passed_line = []
        for s in self.steps:
            if s.get("ok"):
                status = Q.translate("Verdict", "passed")
            elif not s.get("tries"):
                status = Q.translate("Verdict", "not done")
            else:
                status = Q.translate("Verdict", "failed")
            tries = s.get("tries")
            line = f"{step_title(s.get('step', ''))}: {status}"
            if tries:
                line += " (" + Q.translate("Verdict", "tries: {n}").format(n=localize_digits(str(tries), self.lang)) + ")"
            reason = s.get("reason")
            if callable(reason):
                reason = reason(self.lang)
            if reason and not s.get("ok"):
                line += f" — {reason}"
            if s.get("ok"):
                passed_line.append(line)  # passed steps share lines, failures get their own
            else:
                lines.append("• " + line)
        for i in range(0, len(passed_line), 3):
            lines.insert(1 + i // 3, "✓ " + "   ·   ".join(passed_line[i:i + 3]))
        if self.broker_message:
            lines.append(Q.translate("Verdict", "Identity service: {msg}").format(msg="\u2068" + self.broker_message + "\u2069"))
        if ok:
            lines.append(Q.translate("Verdict", "Next: press Finish. The bank can use the tracking code above."))
        elif not self.incomplete:
            lines.append(Q.translate("Verdict", "Next: explain the failed step (marked •) to the applicant and "
                                     "press Finish. To try again, start a new session; after a face mismatch, "
                                     "ask them to remove glasses or hat and to face the light."))
        self.staff.setText("\n".join(lines))
        if self.incomplete:
            names = "، ".join(step_title(s) for s in self.missing) if self.lang == "fa" else ", ".join(
                step_title(s) for s in self.missing)
            lines.append(Q.translate("Verdict", "The identity service has not received: {steps}. Take them again while the request "
                                     "is open, or finish (the request is then cancelled).").format(steps=names or "—")
                         if self.missing else Q.translate("Verdict", "No step can be taken again: finish, and "
                                                          "start a new session if the applicant wishes."))
            self.staff.setText("\n".join(lines))
            self.applicant.setText(Q.translate("Verdict", "A step is missing. The staff member will help you "
                                               "take it again."))
        self.take_missing.setVisible(self.incomplete and bool(self.missing))
        self.take_missing.setText(Q.translate("Verdict", "Take the missing steps"))
        self.finish.setText(Q.translate("Verdict", "Finish"))
