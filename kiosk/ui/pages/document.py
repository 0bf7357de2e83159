"""Wet signature and national card (front, back): preview, take a still, check it, send it.

The still becomes the broker's PNG in ``kiosk.ui.capture_hooks`` (``prepare_signature`` /
``prepare_card``): the one place a documents helper will add sheet/card detection and cleaning.
"""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication as Q
from PySide6.QtWidgets import QHBoxLayout

from kiosk.ui import capture_hooks
from kiosk.ui.pages.capture_base import CapturePage, sending_text
from kiosk.ui.widgets import CameraView


class DocumentPage(CapturePage):
    """``kind`` is "signature", "id_front" or "id_back"."""

    kind = "signature"

    @property
    def name(self) -> str:  # noqa: D401 - page name = step name
        return self.kind

    def build(self) -> None:
        self.guide = CameraView.GUIDE_SHEET if self.kind == "signature" else CameraView.GUIDE_CARD
        self.build_capture()
        self.still = None
        self.sending = False
        self.instruction = self.label("bigInstruction", center=True)
        self.take = self.button(primary=True)
        self.take.clicked.connect(self.take_still)
        self.retake = self.button()
        self.retake.clicked.connect(self.back_to_live)
        self.send = self.button(primary=True)
        self.send.clicked.connect(self.send_still)
        self.body.addWidget(self.instruction)
        self.body.addWidget(self.view, 1)
        self.body.addWidget(self.status)
        row = QHBoxLayout()
        row.addWidget(self.retake)
        row.addStretch(1)
        row.addWidget(self.take)
        row.addWidget(self.send)
        self.body.addLayout(row)
        self._buttons()

    def enter(self, **kw) -> None:
        self.set_step(self.ctx.session.step_index())
        self.back_to_live()
        self.start_devices()

    def live(self) -> bool:
        return self.still is None

    def _buttons(self) -> None:
        has_still = self.still is not None
        self.take.setVisible(not has_still)
        self.take.setEnabled(not self.sending)
        self.retake.setVisible(has_still)
        self.send.setVisible(has_still)
        self.retake.setEnabled(not self.sending)
        self.send.setEnabled(not self.sending)

    def take_still(self) -> None:
        frame = self.capture.latest if self.capture is not None else None
        if frame is None:
            return
        self.still = frame.image.copy()
        self.view.set_frame(self.still)
        self.clear_status(Q.translate("Document", "Is the picture clear and complete? Send it, or take it again."))
        self._buttons()

    def back_to_live(self) -> None:
        self.still = None
        self.sending = False
        self.clear_status("")
        self._buttons()

    def send_still(self) -> None:
        if self.still is None or self.sending:
            return
        still, kind = self.still, self.kind
        if kind == "signature":
            def prepare():
                return capture_hooks.prepare_signature(still)
        else:
            def prepare():
                return capture_hooks.prepare_card(still, "front" if kind == "id_front" else "back")
        self.sending = True
        self._buttons()
        self.clear_status(sending_text())
        self.ctx.session.send_document(self.kind, prepare, self._sent, self._failed)

    def _sent(self, result) -> None:
        self.sending = False
        self.still = None
        self.ctx.session.step_passed(self.kind)

    def _failed(self, exc) -> None:
        self.sending = False
        self.show_error(exc)
        self._buttons()

    def title(self) -> str:
        return {
            "signature": Q.translate("Document", "Your signature"),
            "id_front": Q.translate("Document", "National card: front"),
            "id_back": Q.translate("Document", "National card: back"),
        }.get(self.kind, "")

    def retranslate(self) -> None:
        super().retranslate()
        if not hasattr(self, "take"):
            return
        self.instruction.setText({
            "signature": Q.translate("Document", "Sign the paper with the pen, then hold it flat inside the frame."),
            "id_front": Q.translate("Document", "Hold the FRONT of your national card inside the frame."),
            "id_back": Q.translate("Document", "Now turn the card: hold the BACK inside the frame."),
        }.get(self.kind, ""))
        self.take.setText(Q.translate("Document", "Take the picture"))
        self.retake.setText(Q.translate("Document", "Take it again"))
        self.send.setText(Q.translate("Document", "Send"))
        if self.still is not None and self.status_error is None and not self.sending:
            self.status.setText(Q.translate("Document", "Is the picture clear and complete? Send it, or take it again."))
        elif self.sending:
            self.status.setText(sending_text())
