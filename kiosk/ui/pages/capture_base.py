"""Shared by the capture pages: the capture thread's life (devices open only while the page is
shown), the preview, the staff panel, one instruction line, a status line and the preparation
view.

The preparation view is a state of the page, not a page of its own (the flow and the step counter
do not know it): before a photo is taken the applicant sees a picture, at most two short
instructions and one big Start button ("I'm ready"). The camera may already run behind it, but
nothing is captured and no steady frame counts until Start is pressed; after a failed try the page
goes straight back to the live view."""
from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication as Q
from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from kiosk.ui.instructions import icon_pixmap
from kiosk.ui.pages.base import Page
from kiosk.ui.texts import error_sentence
from kiosk.ui.widgets import CameraView, StaffPanel
from kiosk.workers.capture import CaptureThread

log = logging.getLogger(__name__)


class PrepareView(QWidget):
    """A picture, at most two short instructions and one big Start button."""

    started = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("prepareView")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(22)
        self.picture = QLabel()
        self.picture.setObjectName("preparePicture")
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.lines = [QLabel(), QLabel()]
        self.start = QPushButton()
        self.start.setObjectName("bigPrimary")
        self.start.clicked.connect(self.started)
        layout.addStretch(1)
        layout.addWidget(self.picture)
        for line in self.lines:
            line.setObjectName("prepareLine")
            line.setWordWrap(True)
            line.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(line)
        layout.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.start, 2)
        row.addStretch(1)
        layout.addLayout(row)

    def set_texts(self, icon: str, lines: list[str], start: str) -> None:
        self.picture.setPixmap(icon_pixmap(icon, 160))
        for label, text in zip(self.lines, [*lines[:2], "", ""], strict=False):
            label.setText(text)
            label.setVisible(bool(text))
        self.start.setText(start)


class CapturePage(Page):
    guide = CameraView.GUIDE_NONE
    mirror = False
    face_checks = False
    microphone = False

    def build_capture(self) -> None:
        self.capture: CaptureThread | None = None
        self.view = CameraView(guide=self.guide, mirror=self.mirror)
        self.staff_panel = StaffPanel()  # measurements: only when the staff turned them on
        self.staff_panel.setVisible(False)
        self.status = self.label("lead", center=True)
        self.status_error: BaseException | None = None  # shown in the status line (re-translated)
        # the preparation view and the live view share the body; the page builds the live view
        # into ``self.body`` as before
        self.preparing = False
        self.prepare_view = PrepareView()
        self.prepare_view.started.connect(self.start_capture)
        self.live_view = QWidget()
        live = QVBoxLayout(self.live_view)
        live.setContentsMargins(0, 0, 0, 0)
        live.setSpacing(self.body.spacing())
        self.views = QStackedWidget()
        self.views.addWidget(self.live_view)
        self.views.addWidget(self.prepare_view)
        self.body.addWidget(self.views, 1)
        self.body = live

    # -- the preparation view
    def preparation(self) -> tuple[str, list[str]]:
        """The picture (an icon of resources/icons) and the two instructions of this step."""
        return "face", []

    def offer_preparation(self) -> None:
        """Show the preparation view: nothing is captured until ``start_capture``."""
        self.preparing = True
        self.view.set_hold(0)
        self._show_prepare_texts()
        self.views.setCurrentWidget(self.prepare_view)
        self.sync_measurements()

    def start_capture(self) -> None:
        """The applicant pressed Start: the live view, and captures count from now on."""
        if not self.preparing:
            return
        self.preparing = False
        self.views.setCurrentWidget(self.live_view)
        self.sync_measurements()
        self.on_start()

    def on_start(self) -> None:
        pass

    def end_preparation(self) -> None:
        """Back to the live view without the Start hook (a new session, or a step with nothing
        to prepare)."""
        self.preparing = False
        self.views.setCurrentWidget(self.live_view)

    def _show_prepare_texts(self) -> None:
        icon, lines = self.preparation()
        self.prepare_view.set_texts(icon, lines, Q.translate("Capture", "I'm ready"))

    # -- devices
    def capture_options(self) -> dict:
        """Keywords for ``ctx.open_capture`` besides face_checks and microphone."""
        return {}

    def measurements_apply(self) -> bool:
        """Whether this screen has measurements to show now."""
        return True

    def sync_measurements(self) -> None:
        """The measurements (sharpness, pose, the failed checks' keys) are for the staff: shown
        only while the staff menu's "measurements overlay" is on."""
        on = bool(getattr(self.ctx, "show_measurements", False))
        self.staff_panel.setVisible(on and not self.preparing and self.measurements_apply())

    def start_devices(self) -> CaptureThread:
        self.sync_measurements()
        self.stop_devices()
        self.capture = capture = self.ctx.open_capture(face_checks=self.face_checks, microphone=self.microphone,
                                                       **self.capture_options())
        capture.frame_ready.connect(self._on_frame)
        capture.report_ready.connect(self._on_report)
        capture.captured.connect(self._on_captured)
        capture.steady_progress.connect(self._on_steady)
        capture.error.connect(self._on_device_failed)
        capture.start()
        return capture

    def stop_devices(self) -> None:
        cap, self.capture = self.capture, None
        if cap is not None:
            cap.stop()
            try:
                cap.frame_ready.disconnect(self._on_frame)
                cap.report_ready.disconnect(self._on_report)
                cap.captured.disconnect(self._on_captured)
                cap.steady_progress.disconnect(self._on_steady)
                cap.error.disconnect(self._on_device_failed)
            except (RuntimeError, TypeError):
                pass

    def leave(self) -> None:
        self.stop_devices()

    def reset(self) -> None:
        """No picture, measurement or sentence of the last session stays on the screen."""
        self.view.set_frame(None)
        self.view.set_guide_ok(False)
        self.view.set_hold(0)
        self.staff_panel.show_report(None)
        self.clear_status("")
        self.end_preparation()

    def _on_frame(self, frame) -> None:
        if self.capture is None:
            return
        if self.live():
            self.view.set_frame(frame.image)
        self.capture.frame_shown()

    def live(self) -> bool:
        """Whether the preview shows the camera (False while a still is shown)."""
        return True

    def _on_report(self, frame, report) -> None:
        if self.face_checks and (getattr(report, "faces", 0) or 0) >= 1:
            self.ctx.session.touch()  # a face in front of the camera: someone is there (being coached)
        self.staff_panel.show_report(report)
        self.on_report(frame, report)

    def on_report(self, frame, report) -> None:
        pass

    def _on_steady(self, progress: float) -> None:
        """The "hold still" ring of an autocapture run in the checker thread (documents)."""
        if self.capture is not None:
            self.view.set_hold(progress if self.live() and not self.preparing else 0)

    def _on_captured(self, capture) -> None:
        if self.capture is not None:  # not a late one from a screen already left
            self.on_captured(capture)

    def on_captured(self, capture) -> None:
        pass

    def _on_device_failed(self, exc) -> None:
        log.error("capture device failed on %s: %s", self.name, type(exc).__name__)
        self.show_error(exc)

    def show_error(self, exc) -> None:
        self.status_error = exc
        self.status.setText(error_sentence(exc, self.lang))
        self.status.setStyleSheet("color: #b5161d;")

    def clear_status(self, text: str = "") -> None:
        self.status_error = None
        self.status.setStyleSheet("")
        self.status.setText(text)

    def fit_instruction(self) -> None:
        """The instruction keeps the height of all its lines at its own width (the camera view
        gives way); recomputed when its text or its width changes."""
        instruction = getattr(self, "instruction", None)
        if instruction is None:
            return
        if not getattr(self, "_fitting", False):
            self._fitting = True
            instruction.installEventFilter(self)
        if instruction.width() > 0:
            instruction.ensurePolished()
            two_lines = instruction.fontMetrics().lineSpacing() * 2 + 24  # at most: the camera needs room
            instruction.setMinimumHeight(0)  # a label's height-for-width counts its minimum in
            instruction.setMinimumHeight(min(instruction.heightForWidth(instruction.width()), two_lines))

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt name
        if obj is getattr(self, "instruction", None) and event.type() == QEvent.Type.Resize \
                and event.size().width() != event.oldSize().width():
            self.fit_instruction()
        return False

    def retranslate(self) -> None:
        super().retranslate()
        self.fit_instruction()
        if hasattr(self, "prepare_view"):
            self._show_prepare_texts()
        error = getattr(self, "status_error", None)
        if error is not None:
            self.status.setText(error_sentence(error, self.lang))
        if hasattr(self, "staff_panel"):
            self.staff_panel.show_report(self.staff_panel.values or None)


def sending_text() -> str:
    return Q.translate("Capture", "Sending…")


ALIGN_CENTER = Qt.AlignmentFlag.AlignCenter
