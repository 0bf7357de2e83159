"""Verdict: the broker's VerifyToken answer; a clear outcome for the applicant and the details
the staff needs (order id, which step failed and why).

The identity service's own sentence (its ``ErrorMessage``, often Persian whatever the screen's
language) stands on its own line under "The identity service said:", in a label of its own laid
out in the sentence's direction and isolated (RLI ... PDI), so an English screen never reorders
its words or moves its full stop."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication as Q
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout

from kiosk.ui.i18n import is_rtl, isolate_message, localize_digits, tracking_code
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
        # for the staff: the steps, then the identity service's own sentence on its own line(s),
        # then what to do next
        self.staff_box = QFrame()
        self.staff_box.setObjectName("staffBox")
        box = QVBoxLayout(self.staff_box)
        box.setContentsMargins(14, 8, 14, 8)
        box.setSpacing(4)
        self.staff = self.label("staffText")
        self.broker_caption = self.label("staffCaption")
        self.broker_text = self.label("brokerText")
        self.broker_text.setTextFormat(Qt.TextFormat.PlainText)  # the broker's words, never markup
        self.next_step = self.label("staffText")
        said = QHBoxLayout()  # "The identity service said:" then the sentence, on a line of their own
        said.setSpacing(10)
        self.broker_caption.setWordWrap(False)
        said.addWidget(self.broker_caption, 0, Qt.AlignmentFlag.AlignVCenter)
        said.addWidget(self.broker_text, 1)
        box.addWidget(self.staff)
        box.addLayout(said)
        box.addWidget(self.next_step)
        self.incomplete = False
        self.missing: list[str] = []
        self.finish = self.button(primary=True)
        self.finish.clicked.connect(self.finished)
        self.take_missing = self.button()
        self.take_missing.clicked.connect(self.resume)
        self.body.addStretch(1)
        # the mark beside the outcome, not above it: the staff's lines (longer in Persian) get the room
        head = QHBoxLayout()
        head.addStretch(1)
        head.addWidget(self.icon)
        self.outcome.setWordWrap(False)
        head.addWidget(self.outcome)
        head.addStretch(1)
        self.body.addLayout(head)
        self.body.addWidget(self.applicant)
        self.body.addStretch(1)
        self.body.addWidget(self.staff_box)
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
        self.staff.setText("\n".join(lines))
        message = self.broker_message.strip()
        self.broker_caption.setText(Q.translate("Verdict", "The identity service said:"))
        self.broker_text.setText(isolate_message(message))
        # laid out in the sentence's own direction: a Persian sentence reads from the right, its
        # full stop at its end, on an English screen too
        self.broker_text.setLayoutDirection(Qt.LayoutDirection.RightToLeft if is_rtl(message)
                                            else Qt.LayoutDirection.LeftToRight)
        self.broker_text.setAlignment(Qt.AlignmentFlag.AlignAbsolute | Qt.AlignmentFlag.AlignVCenter | (
            Qt.AlignmentFlag.AlignRight if is_rtl(message) else Qt.AlignmentFlag.AlignLeft))
        self.broker_caption.setVisible(bool(message))
        self.broker_text.setVisible(bool(message))
        todo = []
        if ok:
            todo.append(Q.translate("Verdict", "Next: press Finish. The bank can use the tracking code above."))
        elif not self.incomplete:
            todo.append(Q.translate("Verdict", "Next: explain the failed step (marked •) to the applicant and "
                                    "press Finish. To try again, start a new session; after a face mismatch, "
                                    "ask them to remove glasses or hat and to face the light."))
        if self.incomplete:
            names = "، ".join(step_title(s) for s in self.missing) if self.lang == "fa" else ", ".join(
                step_title(s) for s in self.missing)
            todo.append(Q.translate("Verdict", "The identity service has not received: {steps}. Take them again while the request "
                                    "is open, or finish (the request is then cancelled).").format(steps=names or "—")
                        if self.missing else Q.translate("Verdict", "No step can be taken again: finish, and "
                                                         "start a new session if the applicant wishes."))
            self.applicant.setText(Q.translate("Verdict", "A step is missing. The staff member will help you "
                                               "take it again."))
        self.next_step.setText("\n".join(todo))
        self.next_step.setVisible(bool(todo))
        self.take_missing.setVisible(self.incomplete and bool(self.missing))
        self.take_missing.setText(Q.translate("Verdict", "Take the missing steps"))
        self.finish.setText(Q.translate("Verdict", "Finish"))
