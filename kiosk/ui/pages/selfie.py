"""Selfie: live preview at the camera's rate with an oval guide, ONE instruction at a time in
large type with its icon, auto-capture when every check has held for a steady moment, JPEG sent,
the verdict, and retries up to SelfieTryCount, each with a reason the applicant understands."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication as Q
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel

from kiosk.errors import KioskError
from kiosk.quality.autocapture import AutoCapture
from kiosk.ui.i18n import fmt_number
from kiosk.ui.instructions import icon_name, icon_pixmap, instruction_text
from kiosk.ui.pages.capture_base import CapturePage, sending_text
from kiosk.ui.texts import outcome_reason
from kiosk.ui.widgets import CameraView


def make_autocapture(settings):
    """Fires when every check held for ``quality.steady_seconds`` over at least 3 checked frames
    (the "hold still" ring fills meanwhile), with the best of those frames."""
    return AutoCapture(settings=settings, min_frames=3)


class SelfiePage(CapturePage):
    name = "selfie"
    guide = CameraView.GUIDE_OVAL
    mirror = True
    face_checks = True

    def build(self) -> None:
        self.build_capture()
        self.phase = "live"  # live -> sending -> failed | done
        self.report = None
        self.reason = None
        self.auto = None
        self.icon = QLabel()
        self.icon.setObjectName("instructionIcon")
        self.icon.setFixedSize(84, 84)
        self.instruction = self.label("bigInstruction", center=True)
        self.tries = self.label("stepLabel", center=True)
        self.again = self.button(primary=True)
        self.again.clicked.connect(self.try_again)
        top = QHBoxLayout()
        top.addWidget(self.icon)
        top.addWidget(self.instruction, 1)
        self.body.addLayout(top)
        self.body.addWidget(self.view, 1)
        row = QHBoxLayout()
        row.addWidget(self.staff_panel, 1)
        row.addWidget(self.tries)
        row.addWidget(self.again)
        self.body.addWidget(self.status)
        self.body.addLayout(row)
        self._sync()

    def enter(self, **kw) -> None:
        self.reset()
        self.auto = None  # made on Start: no frame before it counts towards the capture
        self.offer_preparation()
        self.start_devices()  # the camera warms up behind the preparation view
        self._sync()

    def preparation(self) -> tuple[str, list[str]]:
        return "face", [Q.translate("Selfie", "Take off glasses, hat or mask."),
                        Q.translate("Selfie", "Look at the camera and keep still.")]

    def on_start(self) -> None:
        self.auto = make_autocapture(self.ctx.settings)
        self._sync()

    def reset(self) -> None:
        super().reset()
        self.phase = "live"
        self.reason = None
        self.report = None
        self._sync()

    def leave(self) -> None:
        super().leave()
        self.auto = None

    def live(self) -> bool:
        return self.phase == "live"

    def on_report(self, frame, report) -> None:
        if self.phase != "live" or self.preparing:
            return
        self.report = report
        self.view.set_guide_ok(bool(getattr(report, "ok", False)))
        self._show_instruction()
        shot = self.auto.feed(frame, report) if self.auto is not None else None
        self.view.set_hold(self.auto.progress if self.auto is not None and shot is None else 0)
        if shot is not None:
            self._captured(shot)

    def _captured(self, shot) -> None:
        self.phase = "sending"
        jpeg = shot.jpeg
        self.view.set_frame(shot.frame.image)
        self.clear_status(sending_text())
        self._sync()
        self.ctx.session.send_selfie(jpeg, self._outcome, self._failed)

    def _outcome(self, outcome) -> None:
        if outcome.passed:
            self.phase = "done"
            self.clear_status(Q.translate("Selfie", "Thank you, your photo was accepted."))
            self._sync()
            QTimer.singleShot(800, lambda: self.phase == "done" and self.ctx.session.step_passed(self.name))
            return
        self.reason = outcome.status
        again = self.ctx.session.step_failed(self.name, reason=lambda _lang, st=outcome.status: outcome_reason(st))
        if again:
            self.phase = "failed"
            self.status_error = None
            self.status.setStyleSheet("color: #b5161d;")
            self.status.setText(outcome_reason(self.reason))
            self._sync()

    def _failed(self, exc) -> None:
        """A retake-type refusal costs a try; a network problem does not (the page stays)."""
        if isinstance(exc, KioskError) and exc.staff_action == "retake":
            if not self.ctx.session.step_failed(self.name, reason=exc.sentence):
                return  # no try left: the controller moved on
        self.phase = "failed"
        self.show_error(exc)
        self._sync()

    def try_again(self) -> None:
        """Straight back to the live view (the applicant was prepared once)."""
        self.end_preparation()
        self.phase = "live"
        self.reason = None
        self.view.set_hold(0)
        self.auto = make_autocapture(self.ctx.settings)
        self.clear_status("")
        self._sync()

    def _show_instruction(self) -> None:
        report = self.report
        if self.phase == "live" and report is not None:
            key = getattr(report, "instruction_key", None)
            text = instruction_text(report, self.lang) if key else Q.translate("Selfie", "Hold still…")
            self.instruction.setText(text)
            self.icon.setPixmap(icon_pixmap(icon_name(key)))
        elif self.phase == "live":
            self.instruction.setText(Q.translate("Selfie", "Look at the camera and put your face inside the oval."))
            self.icon.setPixmap(icon_pixmap("face"))
        elif self.phase == "sending":
            self.instruction.setText(Q.translate("Selfie", "Photo taken"))
            self.icon.setPixmap(icon_pixmap("ok"))
        elif self.phase == "done":
            self.instruction.setText(Q.translate("Selfie", "Photo accepted"))
            self.icon.setPixmap(icon_pixmap("ok"))
        else:
            self.instruction.setText(Q.translate("Selfie", "Let's try once more"))
            self.icon.setPixmap(icon_pixmap("face"))
        self.fit_instruction()

    def _sync(self) -> None:
        self.again.setVisible(self.phase == "failed")
        left = self.ctx.session.tries_left(self.name) if self.ctx.session.active else 0
        total = self.ctx.session.tries_total(self.name) if self.ctx.session.active else 0
        self.tries.setText(Q.translate("Selfie", "Tries left: {n} of {total}").format(
            n=fmt_number(left, self.lang), total=fmt_number(total, self.lang)) if total else "")
        self._show_instruction()

    def title(self) -> str:
        return Q.translate("Selfie", "A photo of your face")

    def retranslate(self) -> None:
        super().retranslate()
        if not hasattr(self, "again"):
            return
        self.again.setText(Q.translate("Selfie", "Try again"))
        if self.phase == "failed" and self.reason is not None and self.status_error is None:
            self.status.setText(outcome_reason(self.reason))
        elif self.phase == "sending":
            self.status.setText(sending_text())
        elif self.phase == "done":
            self.status.setText(Q.translate("Selfie", "Thank you, your photo was accepted."))
        self._sync()

