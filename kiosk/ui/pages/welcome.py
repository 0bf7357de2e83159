"""Welcome / idle: the kiosk waits; the staff member starts a session."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication as Q
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton

from kiosk.ui.i18n import tracking_code
from kiosk.ui.pages.base import Page


class WelcomePage(Page):
    name = "welcome"
    cancellable = False
    start_requested = Signal()
    staff_requested = Signal()

    def build(self) -> None:
        self.notice_why = ""
        self.notice_order_id = ""
        # what happened to the last session, for the staff, until they dismiss it
        self.notice = QFrame()
        self.notice.setObjectName("staffNotice")
        box = QHBoxLayout(self.notice)
        self.notice_text = self.label()
        self.notice_ok = self.button()
        self.notice_ok.clicked.connect(self.dismiss_notice)
        box.addWidget(self.notice_text, 1)
        box.addWidget(self.notice_ok)
        self.notice.setVisible(False)
        self.body.addWidget(self.notice)
        self.headline = self.label("outcomeOk", center=True)
        self.headline.setStyleSheet("color: #0b3954;")
        self.lead = self.label("lead", center=True)
        self.demo = self.label("stepLabel", center=True)
        self.start = self.button(primary=True)
        self.start.setMinimumHeight(96)
        self.start.clicked.connect(self.start_requested)
        self.body.addStretch(2)
        self.body.addWidget(self.headline)
        self.body.addWidget(self.lead)
        self.body.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.start, 2)
        row.addStretch(1)
        self.body.addLayout(row)
        self.body.addStretch(2)
        foot = QHBoxLayout()
        foot.addWidget(self.demo, 1)
        # discreet staff button (Ctrl+Alt+S does the same)
        self.staff = QPushButton("⚙")
        self.staff.setObjectName("staffButton")
        self.staff.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.staff.clicked.connect(self.staff_requested)
        foot.addWidget(self.staff)
        self.body.addLayout(foot)

    def show_notice(self, why: str, order_id: str = "") -> None:
        self.notice_why, self.notice_order_id = why, order_id or ""
        self.retranslate()
        self.notice.setVisible(True)

    def dismiss_notice(self) -> None:
        self.notice_why = self.notice_order_id = ""
        self.notice.setVisible(False)

    def notice_sentence(self) -> str:
        texts = {
            "cancelled": Q.translate("Welcome", "The last session was cancelled. Everything captured was erased."),
            "idle": Q.translate("Welcome", "The last session ended because nobody used the kiosk for a while. "
                                "Everything captured was erased."),
            "failsafe": Q.translate("Welcome", "The last session stopped after an unexpected error. Everything "
                                    "captured was erased. If it happens again, call technical support."),
            "refused": Q.translate("Welcome", "The last session ended: the applicant did not give consent."),
        }
        text = texts.get(self.notice_why, "")
        if text and self.notice_order_id:
            text += "\n" + Q.translate("Welcome", "Tracking code: {id}").format(id=tracking_code(self.notice_order_id, self.lang))
        return text

    def title(self) -> str:
        return Q.translate("Welcome", "Welcome")

    def retranslate(self) -> None:
        super().retranslate()
        self.headline.setText(Q.translate("Welcome", "Identity verification"))
        self.lead.setText(Q.translate(
            "Welcome", "A staff member will start your session. You will be asked for your details, "
            "your signature, your national card, a photo of your face and short videos of you reading aloud."))
        self.start.setText(Q.translate("Welcome", "Start a new session"))
        self.notice_text.setText(self.notice_sentence())
        self.notice_ok.setText(Q.translate("Welcome", "Dismiss"))
        demo = getattr(self.ctx, "demo_mode", False)
        self.demo.setText(Q.translate("Welcome", "Demo mode: built-in sandbox broker, simulated devices")
                          if demo else "")
