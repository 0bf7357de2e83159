"""Selfie video (GetRandomText) and admittance video (GetAdmittanceText): the sentence shown
LARGE, a visible 3-2-1 countdown, recording with a level meter and a progress bar while the face
checks continue, the speech pre-check before sending (a local retake spends no broker try), the
WebM sent with the sentence, the verdict, retries up to VideoTryCount (a new sentence each time
for the selfie video).

A long text (a 45-word commitment text) is always readable: smaller type by its length
(``kiosk.core.reading.text_size``), in a box that scrolls, and while recording it scrolls by
itself at the reading pace (a teleprompter); the recording lasts as long as the text needs
(``kiosk.broker.admittance.recording_seconds``).

The preview never moves: the 3-2-1 is drawn over the picture (``CameraView.add_overlay``), the
text box keeps one height for a text and the buttons' row keeps its room when they hide. The
microphone's level and the recording's bar are labelled ("Microphone", "Recording length: 6 s";
"● REC 4 s" counts the seconds left). The sentences the broker gives are Persian: in English a
short note above the text says to read it aloud in Persian."""
from __future__ import annotations

import logging
import uuid
from pathlib import Path

from PySide6.QtCore import QCoreApplication as Q
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QProgressBar, QScrollArea, QVBoxLayout, QWidget

from kiosk.broker.admittance import recording_seconds
from kiosk.core.reading import text_size

from kiosk.core.media_store import STREAM_CHUNK, overwrite_and_unlink
from kiosk.errors import KioskError
from kiosk.ui.i18n import fmt_number
from kiosk.ui.instructions import icon_pixmap
from kiosk.ui.pages.capture_base import CapturePage, sending_text
from kiosk.i18n.typography import persian_display
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
        self.read_note = self.label("readNote", center=True)  # English only: the text is Persian
        self.read_note.setVisible(False)
        self.sentence = self.label("sentence", center=True)
        self.sentence.setProperty("length", "short")
        self.sentence_box = QScrollArea()
        self.sentence_box.setObjectName("sentenceBox")
        self.sentence_box.setWidgetResizable(True)
        self.sentence_box.setFrameShape(QFrame.Shape.NoFrame)
        self.sentence_box.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        holder = QWidget()  # a layout gives the scroll area the wrapped text's full height
        holder_lay = QVBoxLayout(holder)
        holder_lay.setContentsMargins(0, 0, 0, 0)
        holder_lay.addWidget(self.sentence)
        self.sentence_box.setWidget(holder)
        self.sentence_box.setMaximumHeight(260)
        self.record_seconds = 0.0
        self.countdown = self.label("countdown", center=True)
        self.countdown.setVisible(False)
        self.view.add_overlay(self.countdown)  # over the picture: the preview never moves for it
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.progress.setFixedHeight(28)  # as the level meter beside it
        self.meter = LevelMeter()
        self.rec = QLabel()  # "● REC 4 s" while recording
        self.rec.setObjectName("recDot")
        self.rec.setVisible(False)
        self.seconds_left = 0
        self.mic_icon = QLabel()
        self.mic_icon.setPixmap(icon_pixmap("microphone", 32))
        self.mic_label = self.label("meterLabel", wrap=False)  # "Microphone"
        self.time_label = self.label("meterLabel", wrap=False)  # "Recording length: 6 s"
        self.tries = self.label("stepLabel", center=True)
        self.start_button = self.button(primary=True)
        self.start_button.clicked.connect(self.start_countdown)
        self.again = self.button(primary=True)
        self.again.clicked.connect(self.try_again)
        for b in (self.start_button, self.again):  # hidden, they keep their room: the preview stays put
            policy = b.sizePolicy()
            policy.setRetainSizeWhenHidden(True)
            b.setSizePolicy(policy)
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self._tick)
        self.body.addWidget(self.read_note)
        self.body.addWidget(self.sentence_box)
        self.body.addWidget(self.view, 1)
        meters = QHBoxLayout()
        meters.addWidget(self.mic_icon)
        meters.addWidget(self.mic_label)
        meters.addWidget(self.meter, 1)
        meters.addSpacing(24)
        meters.addWidget(self.time_label)
        meters.addWidget(self.progress, 3)
        meters.addWidget(self.rec)
        policy = self.rec.sizePolicy()
        policy.setRetainSizeWhenHidden(True)  # the bar does not jump when REC shows
        self.rec.setSizePolicy(policy)
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
        self.reset()
        capture = self.start_devices()
        capture.level.connect(self.meter.set_level)
        capture.recording_progress.connect(self._on_progress)
        capture.recording_done.connect(self._on_recorded)
        self.fetch_sentence()

    def reset(self) -> None:
        super().reset()
        self.timer.stop()
        self.phase = "loading"
        self.text = ""
        self.record_seconds = 0.0
        self.reason = None
        self.local_key = None
        self.warning_key = None
        self.progress.setValue(0)
        self.meter.set_level(0.0)
        self.countdown.setVisible(False)
        self.rec.setVisible(False)
        self._sync()

    def fit_sentence(self) -> None:
        """The text box keeps the height of all the text's lines, up to a limit by its length
        (a paragraph then scrolls); the camera view gives way, in every phase."""
        limit = {"short": 180, "medium": 200, "long": 200}.get(str(self.sentence.property("length")), 200)
        width = self.sentence_box.viewport().width()
        if width <= 0:
            return
        self.sentence.ensurePolished()
        need = self.sentence.heightForWidth(width)
        self.sentence_box.setFixedHeight(min(max(need, 0) + 4, limit))  # one height per text: the preview stays put

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt name
        super().resizeEvent(event)
        self.fit_sentence()

    def _show_rec(self, left: float) -> None:
        self.seconds_left = max(0, int(left + 0.999))
        self.rec.setText("● " + Q.translate("Video", "REC {n} s").format(n=fmt_number(self.seconds_left, self.lang)))
        self.rec.setVisible(self.phase == "recording")

    def _show_labels(self) -> None:
        self.mic_label.setText(Q.translate("Video", "Microphone"))
        seconds = self.record_seconds or float(self.ctx.settings["recording.seconds"])
        self.time_label.setText(Q.translate("Video", "Recording length: {n} s").format(
            n=fmt_number(int(seconds + 0.5), self.lang)))
        persian = any("\u0600" <= ch <= "\u06ff" for ch in self.text)
        self.read_note.setVisible(self.lang == "en" and persian)  # the text is Persian, the screen English
        self.read_note.setText(Q.translate("Video", "Read this text aloud in Persian.") if self.kind == "admittance_video"
                               else Q.translate("Video", "Read this sentence aloud in Persian."))

    def leave(self) -> None:
        self.timer.stop()
        self.countdown.setVisible(False)
        super().leave()

    def fetch_sentence(self) -> None:
        self.phase = "loading"
        self.clear_status(self.phase_text("loading"))
        self._sync()
        self.ctx.session.get_sentence(self.kind, self._got_sentence, self._failed)

    def _got_sentence(self, text: str) -> None:
        self.text = text or ""
        self.record_seconds = recording_seconds(self.text, self.ctx.settings)
        size = text_size(self.text)
        if self.sentence.property("length") != size:
            self.sentence.setProperty("length", size)
            self.sentence.style().unpolish(self.sentence)
            self.sentence.style().polish(self.sentence)
        self.sentence_box.verticalScrollBar().setValue(0)
        self.phase = "ready"
        self.clear_status(self.phase_text("ready"))
        self._sync()

    def start_countdown(self) -> None:
        if self.phase not in ("ready", "retake"):
            return
        self.phase = "countdown"
        self.count = 3
        self.timer.setInterval(int(getattr(self.ctx, "countdown_ms", 1000)))
        self.local_key = None
        self.countdown.setText(fmt_number(self.count, self.lang))
        self.view.place_overlays()
        self.countdown.setVisible(True)
        self.countdown.raise_()
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
        seconds = self.record_seconds or float(self.ctx.settings["recording.seconds"])
        self._show_rec(seconds)
        self.sentence_box.verticalScrollBar().setValue(0)
        self.clear_status(self.phase_text("recording"))
        self._sync()
        self.out_path = self.ctx.recording_path()
        store, kind = self.ctx.session.store, self.kind
        # into the encrypted store as it is muxed: never plaintext on disk
        writer = (lambda: store.writer(kind, "webm", chunk_size=STREAM_CHUNK)) if store is not None else None
        if self.capture is not None:
            self.capture.record(seconds, self.out_path, writer=writer)

    def _on_progress(self, p) -> None:
        if self.phase != "recording":
            return
        self.progress.setValue(int(p.fraction * 1000))
        seconds = self.record_seconds or float(self.ctx.settings["recording.seconds"])
        self._show_rec(seconds * (1.0 - float(p.fraction)))
        bar = self.sentence_box.verticalScrollBar()  # the teleprompter: the text moves with the time
        if bar.maximum() > 0:
            bar.setValue(int(bar.maximum() * min(1.0, float(p.fraction) * 1.15)))
        if p.warning_key != self.warning_key:
            self.warning_key = p.warning_key
            self.status.setText(key_sentence(p.warning_key, self.lang) if p.warning_key else
                                self.phase_text("recording"))

    def _on_recorded(self, result) -> None:
        ref = getattr(result, "ref", None)
        if self.phase != "recording":
            _unlink(getattr(result, "path", None))
            self.ctx.session.discard_media(ref)
            return
        self.progress.setValue(1000)
        self.rec.setVisible(False)
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
        if isinstance(exc, KioskError) and exc.staff_action == "retake":
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
        if self.capture is not None:  # before Start a few checks a second show the oval; full rate from the countdown
            self.capture.set_check_interval(0.0 if self.phase in ("countdown", "recording") else IDLE_CHECK_SECONDS)
        shown = persian_display(self.text) if self.text else "…"  # half-spaces on screen only
        if self.sentence.text() != shown:
            self.sentence.setText(shown)
            self.fit_sentence()
        self._show_labels()
        self.start_button.setVisible(self.phase in ("ready", "retake"))
        self.again.setVisible(self.phase == "failed")
        session = self.ctx.session
        left = session.tries_left(self.kind) if session.active else 0
        total = session.tries_total(self.kind) if session.active else 0
        self.tries.setText(Q.translate("Video", "Tries left: {n} of {total}").format(
            n=fmt_number(left, self.lang), total=fmt_number(total, self.lang)) if total else "")
        self.start_button.setText(Q.translate("Video", "Record again") if self.phase == "retake"
                                  else Q.translate("Video", "Start"))

    def on_report(self, frame, report) -> None:
        # the oval turns green while the face would pass, as on the selfie: the applicant sees
        # they are placed well before pressing Start (it stayed white on the video screens)
        self.view.set_guide_ok(bool(getattr(report, "ok", False)))

    def phase_text(self, phase: str) -> str:
        """The status line of a phase, naming what is read: the sentence, or the declaration."""
        if self.kind == "admittance_video":
            return {
                "loading": Q.translate("Video", "Getting the text to read…"),
                "ready": Q.translate("Video", "When you are ready, press Start and read the text aloud."),
                "countdown": Q.translate("Video", "Get ready…"),
                "recording": Q.translate("Video", "Recording: read the text aloud now."),
            }[phase]
        return {
            "loading": Q.translate("Video", "Getting the sentence to read…"),
            "ready": Q.translate("Video", "When you are ready, press Start and read the sentence aloud."),
            "countdown": Q.translate("Video", "Get ready…"),
            "recording": Q.translate("Video", "Recording: read the sentence aloud now."),
        }[phase]

    def title(self) -> str:
        if self.kind == "admittance_video":
            return Q.translate("Video", "Video: read the declaration")
        return Q.translate("Video", "Video: read the sentence")

    def retranslate(self) -> None:
        super().retranslate()
        if not hasattr(self, "again"):
            return
        self.again.setText(Q.translate("Video", "Try again"))
        texts = {phase: self.phase_text(phase) for phase in ("loading", "ready", "countdown", "recording")}
        texts.update(sending=sending_text(), done=Q.translate("Video", "Thank you, your video was accepted."))
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


#: Seconds between face checks while the applicant reads the instructions (before Start).
IDLE_CHECK_SECONDS = 0.3


def _unlink(path) -> None:
    """Overwrite and remove a plaintext recording (only made when there is no session store)."""
    if path:
        overwrite_and_unlink(Path(path))


def new_recording_name() -> str:
    return f"rec-{uuid.uuid4().hex}.webm"
