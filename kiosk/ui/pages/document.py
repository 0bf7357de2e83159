"""Wet signature and national card (front, back), guided like the selfie: live preview, the
document checked in the checker thread on the newest frame only (``kiosk.workers.capture``:
``analyze_card`` with one ``CardFaceFinder`` for the screen, ``analyze_signature``), ONE
instruction at a time, auto-capture (``AutoCaptureDocument``: the straightened card or the cleaned
signature is sent), a "take it now" button for the staff as a fallback and, when
``signature.touch_pad`` is on, signing on the touch screen instead of paper.

Every photo is looked at before it is sent: the review shows the straightened card or the cleaned
signature big with "Retake" and "Send" (the big button). Nothing goes to the broker before Send;
Retake goes back to the camera (the camera stays open, a fresh auto-capture) and spends no try.
"""
from __future__ import annotations

import logging

import numpy as np
from PySide6.QtCore import QCoreApplication as Q
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from kiosk.cvcompat import cv2
from kiosk.quality.documents import prepare_card
from kiosk.quality.signature import prepare_signature
from kiosk.ui.pages.capture_base import CapturePage, sending_text
from kiosk.ui.signature_pad import SignaturePadWidget, pad_png
from kiosk.ui.texts import key_sentence
from kiosk.ui.widgets import CameraView
from kiosk.workers.capture import ArmedAutoCapture, document_autocapture

log = logging.getLogger(__name__)

CARD_KEYS = (("sharpness", "sharpness", 0), ("glare", "glare", 3), ("area_share", "area", 2),
             ("corner_angle_dev", "angle", 1), ("faces", "faces", None))
SIGNATURE_KEYS = (("sharpness", "sharpness", 0), ("ink_share", "ink", 4), ("extent_px", "ink px", 0),
                  ("paper_share", "paper", 2))


class DocumentPage(CapturePage):
    """``kind`` is "signature", "id_front" or "id_back"."""

    kind = "signature"

    @property
    def name(self) -> str:  # type: ignore[override]  # a step page is named by its kind, given per instance
        return self.kind

    def build(self) -> None:
        self.guide = CameraView.GUIDE_SHEET if self.kind == "signature" else CameraView.GUIDE_CARD
        self.build_capture()
        self.staff_panel.KEYS = SIGNATURE_KEYS if self.kind == "signature" else CARD_KEYS
        self.staff_panel.setWordWrap(False)  # one line: a wrapped label in a row can push the window taller
        self.phase = "live"  # live -> sending -> done (back to live after a refusal)
        self._gate: ArmedAutoCapture | None = None  # the autocapture of the running capture thread
        self.mode = "camera"  # or "pad" (signature on the touch screen)
        self.report = None
        self.instruction = self.label("bigInstruction", center=True)
        self.pad = SignaturePadWidget()
        self.pad.changed.connect(self._sync)
        self.pad.setVisible(False)
        self.take = self.button()  # the staff's fallback: the newest frame as it is; small, in a corner,
        self.take.setObjectName("staffSmall")  # never where the applicant's buttons are
        self.take.clicked.connect(self.take_now)
        self.switch = self.button()
        self.switch.clicked.connect(self.toggle_mode)
        self.clear_pad = self.button()
        self.clear_pad.clicked.connect(self.pad.clear)
        self.send = self.button(primary=True)
        self.send.clicked.connect(self.send_pad)
        self.body.addWidget(self.instruction)
        self.body.addWidget(self.view, 1)
        self.body.addWidget(self.pad, 1)
        self.body.addWidget(self.status)
        row = QHBoxLayout()
        row.addWidget(self.take)
        row.addWidget(self.staff_panel, 1)
        row.addStretch(1)
        row.addWidget(self.switch)
        row.addWidget(self.clear_pad)
        row.addWidget(self.send)
        self.body.addLayout(row)
        self.build_review()
        self._sync()

    def build_review(self) -> None:
        """The captured card side, straightened, big, with "Retake" and "Send"."""
        self.review = QWidget()
        self.review.setObjectName("cardReview")
        lay = QVBoxLayout(self.review)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(16)
        self.review_question = self.label("bigInstruction", center=True)
        self.review_view = CameraView(guide=CameraView.GUIDE_NONE)
        self.retake = QPushButton()
        self.retake.clicked.connect(self.retake_card)
        self.send_card = QPushButton()
        self.send_card.setObjectName("bigPrimary")
        self.send_card.clicked.connect(self.send_reviewed)
        lay.addWidget(self.review_question)
        lay.addWidget(self.review_view, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.retake, 1, Qt.AlignmentFlag.AlignVCenter)
        buttons.addSpacing(40)  # apart: a double tap on Send never lands on Retake
        buttons.addWidget(self.send_card, 2)
        lay.addLayout(buttons)
        self.views.addWidget(self.review)
        self._review_png: bytes | None = None

    # -- life of the screen
    def enter(self, **kw) -> None:
        self.reset()
        pad = self.kind == "signature" and bool(self.ctx.settings["signature.touch_pad"])
        if not pad:  # the pad waits for Send by itself: nothing to prepare for
            self.offer_preparation()
        self._set_mode("pad" if pad else "camera")

    def preparation(self) -> tuple[str, list[str]]:
        if self.kind == "signature":
            return "signature", [Q.translate("Document", "Sign on white paper."),
                                 Q.translate("Document", "Hold the paper flat, inside the frame.")]
        if self.kind == "id_back":  # the same card again: what changes is the side
            return "card", [Q.translate("Document", "Turn the card over: the back side up."),
                            Q.translate("Document", "Place it flat inside the frame, fingers off the card.")]
        return "card", [Q.translate("Document", "Place the card flat on the desk, inside the frame."),
                        Q.translate("Document", "Keep your fingers off the card.")]

    def on_start(self) -> None:
        """Captures count from now on (the camera already runs behind the preparation view)."""
        gate = self._gate
        if gate is not None:
            gate.arm()
        self._sync()

    def reset(self) -> None:
        super().reset()
        self.phase = "live"
        self.report = None
        self.pad.clear()
        self._review_png = None
        self.review_view.set_frame(None)
        self._sync()

    def measurements_apply(self) -> bool:
        return self.mode == "camera" and self.phase != "review"

    def capture_options(self) -> dict:
        # armed at once unless the preparation view is up (then on Start)
        self._gate = ArmedAutoCapture(document_autocapture(self.kind, self.ctx.settings), armed=not self.preparing)
        return {"document": self.kind, "autocapture": self._gate}

    def _set_mode(self, mode: str) -> None:
        self.mode = mode
        shown, hidden = (self.view, self.pad) if mode == "camera" else (self.pad, self.view)
        hidden.setVisible(False)  # first: both shown at once would make the page (and window) taller
        shown.setVisible(True)
        self.staff_panel.show_report(None)
        if mode == "camera":
            self.start_devices()
        else:
            self.stop_devices()
        self._sync()

    def toggle_mode(self) -> None:
        if self.phase != "live":
            return
        self.clear_status("")
        self.report = None
        self._set_mode("camera" if self.mode == "pad" else "pad")

    def live(self) -> bool:
        return self.phase == "live"

    # -- live guidance (reports come from the checker thread, newest frame only)
    def on_report(self, frame, report) -> None:
        if self.phase != "live" or self.mode != "camera":
            return
        self.report = report
        self.view.set_guide_ok(bool(getattr(report, "ok", False)))
        self._show_instruction()

    def on_captured(self, capture) -> None:
        if self.phase != "live" or self.mode != "camera" or self.preparing:
            return
        report = capture.report
        picture = getattr(report, "card", None)
        if picture is None:
            picture = getattr(report, "cleaned", None)
        if picture is not None:
            self.show_review(capture.png, picture)
            return
        self._send(capture.png, picture)

    def take_now(self) -> None:
        """The staff's fallback: the newest frame, straightened or cleaned, then reviewed."""
        frame = self.capture.latest if self.capture is not None else None
        if frame is None or self.phase != "live" or self.preparing:
            return
        still, kind = frame.image.copy(), self.kind
        # looked at before it is sent, whoever took it (prepared here: 25-30 ms for a signature,
        # about 0.2 s for a card)
        png = prepare_signature(still) if kind == "signature" else \
            prepare_card(still, "front" if kind == "id_front" else "back")
        picture = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_COLOR)
        if picture is not None:
            self.show_review(png, picture)
            return
        self._send(png, still)  # a picture that cannot be shown is still the staff's choice

    # -- the review
    def show_review(self, png: bytes, picture: np.ndarray) -> None:
        """The straightened card or the cleaned signature, big, with "Retake" and "Send": nothing
        is sent yet."""
        self.phase = "review"
        log.info("screen: %s_review", self.kind)  # the state's name only (support, the frozen soak)
        self._review_png = png
        self.view.set_hold(0)
        self.review_view.set_frame(_bgr(picture))
        self.views.setCurrentWidget(self.review)
        self.sync_measurements()
        self._sync()

    def retake_card(self) -> None:
        """Back to the camera: the picture is dropped, the broker never sees it, no try spent."""
        if self.phase != "review":
            return
        self._review_png = None
        self.review_view.set_frame(None)
        self.phase = "live"
        self.report = None
        self.views.setCurrentWidget(self.live_view)
        self.view.set_guide_ok(False)
        self.clear_status("")
        self._gate = ArmedAutoCapture(document_autocapture(self.kind, self.ctx.settings))
        if self.capture is not None:
            self.capture.replace_autocapture(self._gate)  # the camera stays open
        else:
            self.start_devices()
        self.sync_measurements()
        self._sync()

    def send_reviewed(self) -> None:
        png = self._review_png
        if self.phase != "review" or png is None:
            return
        self._review_png = None
        self._send(png, None)

    def send_pad(self) -> None:
        if self.phase != "live" or self.mode != "pad" or self.pad.empty:
            return
        strokes, size = [list(s) for s in self.pad.strokes], self.pad.pad_size()
        self._send(lambda: pad_png(strokes, size), None)

    def _send(self, png, picture) -> None:
        self.phase = "sending"
        self.view.set_hold(0)
        if picture is not None and self.mode == "camera":
            self.view.set_guide_ok(True)
            self.view.set_frame(_bgr(picture))
        self.clear_status(sending_text())
        self._sync()
        self.ctx.session.send_document(self.kind, png, self._sent, self._failed)

    def _sent(self, result) -> None:
        self.phase = "done"
        self.clear_status(Q.translate("Document", "Thank you, received."))
        self._sync()
        QTimer.singleShot(500, lambda: self.phase == "done" and self.ctx.session.step_passed(self.kind))

    def _failed(self, exc) -> None:
        self.end_preparation()  # straight back to the live view (from the review too): no second preparation
        self.phase = "live"
        self.report = None
        if self.mode == "camera":
            self.start_devices()  # a fresh auto-capture (and the camera again)
        self.show_error(exc)
        self._sync()

    # -- texts
    def _show_instruction(self) -> None:
        if self.phase == "sending":
            text = Q.translate("Document", "Picture taken")
        elif self.phase == "done":
            text = Q.translate("Document", "Received")
        elif self.mode == "pad":
            text = Q.translate("Document", "Sign in the white box with your finger, then press Send.")
        elif self.report is not None and self.report.ok:
            text = key_sentence("document.ok", self.lang)
        elif self.report is not None and self.report.instruction_key:
            text = self.report.instruction(self.lang) or key_sentence(self.report.instruction_key, self.lang)
        else:
            text = {
                "signature": Q.translate("Document", "Sign the paper with the pen, then hold it flat inside the frame."),
                "id_front": Q.translate("Document", "Hold the FRONT of your national card inside the frame."),
                "id_back": Q.translate("Document", "Now turn the card: hold the BACK inside the frame."),
            }.get(self.kind, "")
        if text != self.instruction.text():
            self.instruction.setText(text)
            self.fit_instruction()

    def _sync(self) -> None:
        live = self.phase == "live"
        pad_offered = self.kind == "signature" and bool(self.ctx.settings["signature.touch_pad"])
        self.switch.setVisible(pad_offered)
        self.switch.setText(Q.translate("Document", "Sign on paper instead") if self.mode == "pad"
                            else Q.translate("Document", "Sign on the screen instead"))
        self.switch.setEnabled(live)
        self.take.setVisible(self.mode == "camera")
        self.take.setEnabled(live)
        reviewing = self.phase == "review"
        self.retake.setEnabled(reviewing)
        self.send_card.setEnabled(reviewing)
        self.review_question.setText(
            (Q.translate("Document", "Is your whole signature clear?") if self.kind == "signature"
             else Q.translate("Document", "Is the whole card sharp and easy to read?")) if reviewing
            else sending_text() if self.phase == "sending" else Q.translate("Document", "Thank you, received."))
        self.clear_pad.setVisible(self.mode == "pad")
        self.send.setVisible(self.mode == "pad")
        self.send.setEnabled(live and not self.pad.empty)
        self.clear_pad.setEnabled(live and not self.pad.empty)
        self.sync_measurements()
        self._show_instruction()

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
        self.take.setText(Q.translate("Document", "Take it now (staff)"))
        self.clear_pad.setText(Q.translate("Document", "Clear"))
        self.send.setText(Q.translate("Document", "Send"))
        self.retake.setText(Q.translate("Document", "Retake"))
        self.send_card.setText(Q.translate("Document", "Send"))
        if self.phase == "sending" and self.status_error is None:
            self.status.setText(sending_text())
        elif self.phase == "done":
            self.status.setText(Q.translate("Document", "Thank you, received."))
        self._sync()


def _bgr(picture: np.ndarray) -> np.ndarray:
    return np.repeat(picture[:, :, None], 3, axis=2) if picture.ndim == 2 else picture


__all__ = ["DocumentPage"]
