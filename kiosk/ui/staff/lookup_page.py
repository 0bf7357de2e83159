"""Result lookup: an earlier order's signed status and scores from the broker.

The staff member types the order id (and, optionally, the national code); the page asks the
broker off the UI thread (``kiosk.core.lookup.lookup_order``). The client verifies each answer's
signature first: a bad signature is reported as such and nothing of the answer is shown.

Pictures and sound are NOT fetched with the lookup: only when the staff member presses "Show
pictures and sound" are they asked for (``FilterBiometricData``), and only the parts the broker
actually sends (what the provider is allowed to receive) get a picture, a save button, or, for
the speech, a play button. They stay in memory; nothing is written unless the staff member
saves a file, and ``clear()`` drops them.
"""
from __future__ import annotations

import io
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import av
import soundfile as sf
from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QAbstractScrollArea,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QHeaderView,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.lookup import LIVENESS_TEXT, MEDIA_FILES, VERIFICATION_TEXT, LookupResult, enum_text
from kiosk.hardening import write_private
from kiosk.core.lookup import lookup_order
from kiosk.ui.staff.texts import num, staff_text
from kiosk.ui.staff.worker import Job
from kiosk.ui.texts import error_sentence

log = logging.getLogger(__name__)
ERROR_STYLE = "color: #b00020; font-weight: bold;"
OK_STYLE = "color: #1b7f3b;"


class ScaledPicture(QLabel):
    """A picture scaled to the room it is given (whole, its proportions kept), never asking for
    more than a small minimum: on an 800 px tall screen the pictures shrink, the window does not
    grow past the screen."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.source: QPixmap | None = None
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumSize(120, 90)
        self.setMaximumHeight(320)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_picture(self, image: QImage) -> None:
        self.source = QPixmap.fromImage(image)
        self._fit()

    def clear(self) -> None:
        self.source = None
        super().clear()

    def sizeHint(self):  # noqa: N802 - Qt name
        return QSize(240, 200)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt name
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        if self.source is not None and self.width() > 0 and self.height() > 0:
            self.setPixmap(self.source.scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                              Qt.TransformationMode.SmoothTransformation))


class LookupPage(QWidget):
    def __init__(self, client_factory: Callable[[], Any] | None, lang: str = "fa", parent=None):
        super().__init__(parent)
        self.client_factory = client_factory
        self.lang = lang
        self.result: LookupResult | None = None
        self.job: Job | None = None
        self.media: dict[str, bytes] = {}

        self.order_edit = QLineEdit()
        self.national_edit = QLineEdit()
        self.national_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.national_edit.setMaxLength(10)
        self.go_button = QPushButton()
        self.media_button = QPushButton()
        self.media_button.setEnabled(False)
        self.go_button.clicked.connect(self.lookup)
        self.order_edit.returnPressed.connect(self.lookup)
        self.media_button.clicked.connect(self.show_media)
        self.form = QFormLayout()
        self.order_label, self.national_label = QLabel(), QLabel()
        self.form.addRow(self.order_label, self.order_edit)
        self.form.addRow(self.national_label, self.national_edit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.go_button)
        buttons.addWidget(self.media_button)
        buttons.addStretch(1)

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.scores = QTableWidget(0, 5)
        self.scores.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.scores.verticalHeader().setVisible(False)
        self.scores.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.scores.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scores.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scores.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)  # all rows, no scroll
        self.scores.setWordWrap(True)
        self.scores.hide()

        self.media_box = QWidget()
        grid = QGridLayout(self.media_box)
        self.pictures: dict[str, ScaledPicture] = {}
        self.save_buttons: dict[str, QPushButton] = {}
        for col, part in enumerate(("selfie", "signature", "video", "speech")):
            pic = ScaledPicture()
            save = QPushButton()
            save.clicked.connect(lambda _=False, p=part: self.save_media(p))
            self.pictures[part] = pic
            self.save_buttons[part] = save
            grid.addWidget(pic, 0, col)
            grid.addWidget(save, 1, col)
        self.play_button = QPushButton()
        self.play_button.clicked.connect(self.play_speech)
        grid.addWidget(self.play_button, 2, 3)
        self.media_note = QLabel()
        self.media_note.setWordWrap(True)
        grid.addWidget(self.media_note, 3, 0, 1, 4)

        # the answer (status, scores, pictures) scrolls within the page; the page never grows
        results = QWidget()
        inner = QVBoxLayout(results)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addWidget(self.status_label)
        inner.addWidget(self.scores)
        inner.addWidget(self.media_box, 1)
        inner.addStretch(0)
        self.results_area = QScrollArea()
        self.results_area.setWidgetResizable(True)
        self.results_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results_area.setFrameShape(QScrollArea.Shape.NoFrame)
        self.results_area.setWidget(results)

        lay = QVBoxLayout(self)
        lay.addLayout(self.form)
        lay.addLayout(buttons)
        lay.addWidget(self.message)
        lay.addWidget(self.results_area, 1)
        self._hide_media()
        self.retranslate()

    # -- language
    def set_language(self, lang: str) -> None:
        self.lang = lang
        self.retranslate()
        if self.result is not None:
            self._show(self.result)

    def retranslate(self) -> None:
        lang = self.lang
        self.setLayoutDirection(Qt.LayoutDirection.RightToLeft if lang == "fa" else Qt.LayoutDirection.LeftToRight)
        self.order_label.setText(staff_text("lookup.order", lang))
        self.national_label.setText(staff_text("lookup.national", lang))
        self.go_button.setText(staff_text("lookup.go", lang))
        self.media_button.setText(staff_text("lookup.media", lang))
        self.play_button.setText(staff_text("lookup.play", lang))
        for part, button in self.save_buttons.items():
            button.setText(staff_text("lookup.save", lang, what=staff_text(f"media.{part}", lang)))
        self.scores.setHorizontalHeaderLabels([staff_text(k, lang) for k in ("score.part", "score.verification", "score.score",
                                                                     "score.liveness", "score.quality")])

    # -- asking the broker
    @property
    def busy(self) -> bool:
        return self.job is not None and self.job.isRunning()

    def lookup(self) -> None:
        order = self.order_edit.text().strip()
        if not order:
            self._message(staff_text("lookup.need_order", self.lang), error=True)
            return
        self._run(order, self.national_edit.text().strip() or None, media=False)

    def show_media(self) -> None:
        if self.result is None or not self.result.ok:
            return
        self._run(self.result.order_id, self.national_edit.text().strip() or None, media=True)

    def _run(self, order: str, national: str | None, media: bool) -> None:
        if self.busy or self.client_factory is None:
            return

        if not media:
            self.clear()
        factory = self.client_factory

        def work(_report, _cancel):
            with factory() as client:
                return lookup_order(client, order, national, media=media)

        self.job = Job(work, self)
        self.job.done.connect(self._on_done)
        self.job.failed.connect(self._on_failed)
        self.go_button.setEnabled(False)
        self.media_button.setEnabled(False)
        self._message(staff_text("lookup.busy", self.lang))
        self.job.start()

    def _on_done(self, result: LookupResult) -> None:
        self.go_button.setEnabled(True)
        self.result = result
        self._show(result)

    def _on_failed(self, exc) -> None:
        self.go_button.setEnabled(True)
        text = error_sentence(exc, self.lang)
        self._message(text, error=True)

    # -- showing
    def _message(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(ERROR_STYLE if error else OK_STYLE)

    def _show(self, r: LookupResult) -> None:
        lang = self.lang
        if not r.ok:
            self.status_label.clear()
            self.scores.hide()
            self._hide_media()
            self.media_button.setEnabled(False)
            self._message(r.error(lang), error=True)
            return
        self._message(staff_text("lookup.verified", lang))
        s = r.summary()
        lines = []
        if "kyc_status" in s:
            lines.append(staff_text("lookup.status", lang, status=s["kyc_status"][lang], request=s["request_status"]["name"]))
            if s.get("national_code"):
                lines.append(staff_text("lookup.national_shown", lang, code=s["national_code"]))
            if s.get("errors"):
                lines.append(staff_text("lookup.errors", lang, errors="; ".join(
                    f"{e['code']} {e['message']}".strip() for e in s["errors"])))
        self.status_label.setText("\n".join(lines))
        self._fill_scores(r)
        self.media_button.setEnabled(not r.media_requested)
        if r.media_requested:
            self._fill_media(r.media)

    def _fill_scores(self, r: LookupResult) -> None:
        lang, d = self.lang, r.data
        rows = []
        for part, face in (("selfie", d.selfie if d else None), ("video", d.video if d else None)):
            if face is None:
                continue
            rows.append([staff_text(f"part.{part}", lang), enum_text(VERIFICATION_TEXT, face.verification_status, lang),
                         f"{num(face.face_verification_score, lang, 1)} / {num(face.face_verification_threshold, lang, 0)}",
                         f"{enum_text(LIVENESS_TEXT, face.liveness_result, lang)} ({num(face.face_liveness_score, lang, 2)})",
                         f"{num(face.average_sharpness, lang, 0)} / {num(face.average_illumination, lang, 2)}"])
        if d is not None and d.speech is not None:
            rows.append([staff_text("part.speech", lang), "—",
                         f"{num(d.speech.speech_verification_score, lang, 1)} / "
                         f"{num(d.speech.speech_verification_threshold, lang, 0)}", "—", "—"])
        self.scores.setRowCount(len(rows))
        for i, row in enumerate(rows):
            for j, text in enumerate(row):
                self.scores.setItem(i, j, QTableWidgetItem(text))
        self.scores.setVisible(bool(rows))

    def _fill_media(self, media: dict[str, bytes]) -> None:
        self.media = dict(media)
        self.media_box.setVisible(True)
        for part, pic in self.pictures.items():
            blob = self.media.get(part)
            pic.clear()
            if blob and part in ("selfie", "signature"):
                image = QImage.fromData(blob)
                if not image.isNull():
                    pic.set_picture(image)
            elif blob and part == "video":
                frame = _first_frame(blob)
                if frame is not None:
                    pic.set_picture(frame)
            pic.setVisible(bool(blob) and part != "speech")  # the speech has a play button, no picture
            self.save_buttons[part].setVisible(bool(blob))
        self.play_button.setVisible("speech" in self.media)
        self.media_note.setText("" if self.media else staff_text("lookup.no_media", self.lang))
        self.media_note.setVisible(not self.media)
        if self.media:  # asked for: the pictures come into view (the scores stay a scroll away)
            QTimer.singleShot(0, self, lambda: self.results_area.ensureWidgetVisible(self.media_box, 0, 0))

    def _hide_media(self) -> None:
        self.media_box.setVisible(False)
        for part in self.pictures:
            self.pictures[part].clear()
            self.save_buttons[part].setVisible(False)
        self.play_button.setVisible(False)

    # -- media on request
    def save_media(self, part: str, path: Path | None = None) -> Path | None:
        blob = self.media.get(part)
        if not blob:
            return None
        if path is None:
            name, _ = QFileDialog.getSaveFileName(self, staff_text("lookup.save", self.lang, what=staff_text(f"media.{part}", self.lang)),
                                                  str(Path.home() / f"{self.result.order_id if self.result else 'order'}-{MEDIA_FILES[part]}"))
            if not name:
                return None
            path = Path(name)
        write_private(path, blob)  # 0600: biometric media readable by this account only
        log.info("staff saved the %s of an order", part)  # no order id or path in the log
        self._message(staff_text("lookup.saved", self.lang, path=str(path)))
        return path

    def play_speech(self) -> None:
        blob = self.media.get("speech")
        if not blob:
            return
        try:
            import sounddevice as sd  # noqa: PLC0415 - PortAudio may be missing (OSError on import); only playing the speech needs it

            data, rate = sf.read(io.BytesIO(blob), dtype="float32")
            sd.play(data, rate)
        except Exception as exc:  # noqa: BLE001 - no sound card, bad WAV
            self._message(f"{type(exc).__name__}: {exc}", error=True)

    def clear(self) -> None:
        """Forget the last answer and its media."""
        self.result = None
        self.media = {}
        self.status_label.clear()
        self.scores.setRowCount(0)
        self.scores.hide()
        self._hide_media()
        self.message.clear()

    def closeEvent(self, event) -> None:  # noqa: N802
        self.stop()  # a running job must end before the page can go
        super().closeEvent(event)

    def stop(self) -> None:
        if self.job is not None:
            self.job.stop()
        try:
            import sounddevice as sd  # noqa: PLC0415 - PortAudio may be missing (OSError on import); only playing the speech needs it

            sd.stop()
        except Exception:  # noqa: BLE001
            pass
        self.clear()


def _first_frame(blob: bytes) -> QImage | None:
    """The first picture of a WebM, for a preview (None when it cannot be decoded)."""
    try:
        with av.open(io.BytesIO(blob), mode="r") as container:
            for frame in container.decode(video=0):
                rgb = frame.to_ndarray(format="rgb24")
                h, w, _ = rgb.shape
                return QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()
    except Exception:  # noqa: BLE001
        return None
    return None
