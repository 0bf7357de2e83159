"""Selfie video (GetRandomText) and admittance video (GetAdmittanceText): the sentence shown
LARGE, a visible 3-2-1 countdown, recording with a level meter and a progress bar while the face
checks continue, the speech pre-check before sending (a local retake spends no broker try), the
WebM sent with the sentence, the verdict, retries up to VideoTryCount (a new sentence each time
for the selfie video)."""
from __future__ import annotations

import logging
import uuid
from pathlib import Path

from PySide6.QtCore import QCoreApplication as Q
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar

from kiosk.ui.i18n import fmt_number
from kiosk.ui.instructions import icon_pixmap
from kiosk.ui.pages.capture_base import CapturePage, sending_text
from kiosk.ui.texts import key_sentence, outcome_reason
from kiosk.ui.widgets import CameraView, LevelMeter

log = logging.getLogger(__name__)


class VideoPage(CapturePage):
    """``kind`` is "selfie_video" or "admittance_video"."""

    kind = "selfie_video"
    guide = CameraView.GUIDE_OVAL
    mirror = True
    face_checks = True
    microphone = True

    @property
    def name(self) -> str:  # type: ignore[override]  # a step page is named by its kind, given per instance
        return self.kind

    def build(self) -> None:
        self.build_capture()
        self.phase = "loading"
        self.text = ""
        self.count = 0
        self.local_key: str | None = None
        self.reason: int | None = None  # the broker's status for a refused video
        self.warning_key: str | None = None
        self.sentence = self.label("sentence", center=True)
        self.countdown = self.label("countdown", center=True)
        self.countdown.setVisible(False)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.meter = LevelMeter()
        self.mic_icon = QLabel()
        self.mic_icon.setPixmap(icon_pixmap("microphone", 32))
        self.tries = self.label("stepLabel", center=True)
        self.start_button = self.button(primary=True)
        self.start_button.clicked.connect(self.start_countdown)
        self.again = self.button(primary=True)
        self.again.clicked.connect(self.try_again)
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self._tick)
        self.body.addWidget(self.sentence)
        mid = QHBoxLayout()
        mid.addWidget(self.view, 3)
        mid.addWidget(self.countdown, 1)
        self.body.addLayout(mid, 1)
        meters = QHBoxLayout()
        meters.addWidget(self.mic_icon)
        meters.addWidget(self.meter, 1)
        meters.addWidget(self.progress, 3)
        self.body.addLayout(meters)
        self.body.addWidget(self.status)
        row = QHBoxLayout()
        row.addWidget(self.staff_panel, 1)
        row.addWidget(self.tries)
        row.addWidget(self.start_button)
        row.addWidget(self.again)
        self.body.addLayout(row)
        self._sync()

    # -- life
    def enter(self, **kw) -> None:
        self.set_step(self.ctx.session.step_index())
        self.text = ""
        self.reason = None
        self.local_key = None
        capture = self.start_devices()
        capture.level.connect(self.meter.set_level)
        capture.recording_progress.connect(self._on_progress)
        capture.recording_done.connect(self._on_recorded)
        self.fetch_sentence()

    def leave(self) -> None:
        self.timer.stop()
        self.countdown.setVisible(False)
        super().leave()

    def fetch_sentence(self) -> None:
        self.phase = "loading"
        self.clear_status(Q.translate("Video", "Getting the sentence to read…"))
        self._sync()
        self.ctx.session.get_sentence(self.kind, self._got_sentence, self._failed)

    def _got_sentence(self, text: str) -> None:
        self.text = text or ""
        self.phase = "ready"
        self.clear_status(Q.translate("Video", "When you are ready, press Start and read the sentence aloud."))
        self._sync()

    def start_countdown(self) -> None:
        if self.phase not in ("ready", "retake"):
            return
        self.phase = "countdown"
        self.count = 3
        self.timer.setInterval(int(getattr(self.ctx, "countdown_ms", 1000)))
        self.local_key = None
        self.countdown.setVisible(True)
        self.countdown.setText(fmt_number(self.count, self.lang))
        self.clear_status(Q.translate("Video", "Get ready…"))
        self.timer.start()
        self._sync()

    def _tick(self) -> None:
        self.count -= 1
        if self.count > 0:
            self.countdown.setText(fmt_number(self.count, self.lang))
            return
        self.timer.stop()
        self.countdown.setVisible(False)
        self.phase = "recording"
        self.progress.setValue(0)
        self.clear_status(Q.translate("Video", "Recording: read the sentence aloud now."))
        self._sync()
        self.out_path = self.ctx.recording_path()
        store, kind = self.ctx.session.store, self.kind
        keep = (lambda path: store.put_file(kind, path, "webm")) if store is not None else None
        if self.capture is None:  # the screen was left meanwhile
            return
        self.capture.record(self.ctx.settings["recording.seconds"], self.out_path, keep)

    def _on_progress(self, p) -> None:
        if self.phase != "recording":
            return
        self.progress.setValue(int(p.fraction * 1000))
        if p.warning_key != self.warning_key:
            self.warning_key = p.warning_key
            self.status.setText(key_sentence(p.warning_key, self.lang) if p.warning_key else
                                Q.translate("Video", "Recording: read the sentence aloud now."))

    def _on_recorded(self, result) -> None:
        ref = getattr(result, "ref", None)
        if self.phase != "recording":
            _unlink(getattr(result, "path", None))
            self.ctx.session.discard_media(ref)
            return
        self.progress.setValue(1000)
        self.warning_key = None
        if result.stopped or (result.path is None and ref is None):
            _unlink(result.path)
            self.ctx.session.discard_media(ref)
            self.phase = "ready"
            self._sync()
            return
        if ref is None:  # no session store (not expected): the file as it is
            try:
                data = Path(result.path).read_bytes()
            finally:
                _unlink(result.path)
        else:
            data = ref  # encrypted in the store; the upload streams it from there
        if result.retake_reason:
            self.ctx.session.discard_media(ref)
            # the local pre-check caught it: no broker try spent
            self.ctx.session.local_retake(self.kind, result.retake_reason)
            self.phase = "retake"
            self.local_key = result.instruction_key or "speech.not_heard"
            self.status.setStyleSheet("color: #b5161d;")
            self.status.setText(key_sentence(self.local_key, self.lang))
            self._sync()
            return
        self.phase = "sending"
        self.clear_status(sending_text())
        self._sync()
        self.ctx.session.send_video(self.kind, data, self.text, self._outcome, self._failed)

    def _outcome(self, outcome) -> None:
        if outcome.passed:
            self.phase = "done"
            self.clear_status(Q.translate("Video", "Thank you, your video was accepted."))
            self._sync()
            QTimer.singleShot(800, lambda: self.phase == "done" and self.ctx.session.step_passed(self.kind))
            return
        self.reason = outcome.status
        if self.ctx.session.step_failed(self.kind, reason=lambda _lang, st=outcome.status: outcome_reason(st)):
            self.phase = "failed"
            self.status.setStyleSheet("color: #b5161d;")
            self.status.setText(outcome_reason(self.reason))
            self._sync()

    def _failed(self, exc) -> None:
        if getattr(exc, "staff_action", "") == "retake":
            if not self.ctx.session.step_failed(self.kind, reason=exc.sentence):
                return
        self.phase = "failed"
        self.show_error(exc)
        self._sync()

    def try_again(self) -> None:
        """After a broker refusal: the selfie video gets a new sentence; the admittance sentence
        stays the provider's."""
        self.reason = None
        if self.kind == "selfie_video" or not self.text:
            self.fetch_sentence()
        else:
            self._got_sentence(self.text)

    # -- texts
    def _sync(self) -> None:
        self.sentence.setText(self.text or "…")
        self.start_button.setVisible(self.phase in ("ready", "retake"))
        self.again.setVisible(self.phase == "failed")
        session = self.ctx.session
        left = session.tries_left(self.kind) if session.active else 0
        total = session.tries_total(self.kind) if session.active else 0
        self.tries.setText(Q.translate("Video", "Tries left: {n} of {total}").format(
            n=fmt_number(left, self.lang), total=fmt_number(total, self.lang)) if total else "")
        self.start_button.setText(Q.translate("Video", "Record again") if self.phase == "retake"
                                  else Q.translate("Video", "Start"))

    def title(self) -> str:
        if self.kind == "admittance_video":
            return Q.translate("Video", "Video: read the declaration")
        return Q.translate("Video", "Video: read the sentence")

    def retranslate(self) -> None:
        super().retranslate()
        if not hasattr(self, "again"):
            return
        self.again.setText(Q.translate("Video", "Try again"))
        texts = {
            "loading": Q.translate("Video", "Getting the sentence to read…"),
            "ready": Q.translate("Video", "When you are ready, press Start and read the sentence aloud."),
            "countdown": Q.translate("Video", "Get ready…"),
            "recording": Q.translate("Video", "Recording: read the sentence aloud now."),
            "sending": sending_text(),
            "done": Q.translate("Video", "Thank you, your video was accepted."),
        }
        if self.status_error is not None:
            pass
        elif self.phase == "retake" and self.local_key:
            self.status.setText(key_sentence(self.local_key, self.lang))
        elif self.phase == "failed" and self.reason is not None:
            self.status.setText(outcome_reason(self.reason))
        elif self.phase in texts:
            self.status.setText(texts[self.phase])
        if self.phase == "countdown":
            self.countdown.setText(fmt_number(self.count, self.lang))
        self._sync()


def _unlink(path) -> None:
    if path:
        try:
            Path(path).unlink(missing_ok=True)
        except OSError as exc:
            log.warning("could not delete a recording: %s", type(exc).__name__)


def new_recording_name() -> str:
    return f"rec-{uuid.uuid4().hex}.webm"
