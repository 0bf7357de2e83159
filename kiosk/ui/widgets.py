"""Small widgets shared by the pages: camera view with the oval guide, level meter, staff panel,
the staff PIN dialog."""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QCoreApplication as Q
from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QLabel, QLineEdit, QProgressBar, QSizePolicy,
                               QVBoxLayout, QWidget)

from kiosk.ui.i18n import current_language, fmt_number


def bgr_to_qimage(image: np.ndarray) -> QImage:
    """A BGR (or grey) uint8 numpy frame as a QImage that owns its pixels."""
    img = np.ascontiguousarray(image)
    if img.ndim == 2:
        h, w = img.shape
        return QImage(img.data, w, h, img.strides[0], QImage.Format.Format_Grayscale8).copy()
    h, w = img.shape[:2]
    if img.shape[2] == 4:
        return QImage(img.data, w, h, img.strides[0], QImage.Format.Format_ARGB32).copy()
    return QImage(img.data, w, h, img.strides[0], QImage.Format.Format_BGR888).copy()


def _mirror(img: QImage) -> QImage:
    if hasattr(img, "flipped"):  # Qt 6.9+
        return img.flipped(Qt.Orientation.Horizontal)
    return img.mirrored(True, False)


class CameraView(QWidget):
    """Paints the newest camera frame (scaled, aspect kept), optionally mirrored, with an oval face
    guide or a card/sheet frame drawn over it. Painting only keeps the newest frame: a slow paint
    never queues frames."""

    GUIDE_NONE, GUIDE_OVAL, GUIDE_CARD, GUIDE_SHEET = range(4)

    def __init__(self, parent: QWidget | None = None, guide: int = GUIDE_NONE, mirror: bool = False):
        super().__init__(parent)
        self.guide = guide
        self.mirror = mirror
        self.guide_ok = False
        self._image: QImage | None = None
        self.frames_shown = 0
        self.setMinimumSize(320, 240)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    def sizeHint(self) -> QSize:
        return QSize(640, 480)

    def set_frame(self, image: np.ndarray | None) -> None:
        if image is None:
            self._image = None
        else:
            qimg = bgr_to_qimage(image)
            self._image = _mirror(qimg) if self.mirror else qimg
            self.frames_shown += 1
        self.update()

    def set_guide_ok(self, ok: bool) -> None:
        if ok != self.guide_ok:
            self.guide_ok = ok
            self.update()

    def image_rect(self) -> QRectF:
        if self._image is None or self._image.isNull():
            w, h = 4, 3
        else:
            w, h = self._image.width(), self._image.height()
        scale = min(self.width() / w, self.height() / h)
        dw, dh = w * scale, h * scale
        return QRectF((self.width() - dw) / 2, (self.height() - dh) / 2, dw, dh)

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt name
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#1b2730"))
        target = self.image_rect()
        if self._image is not None:
            p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            p.drawImage(target, self._image)
        else:
            p.setPen(QColor("#c9d6df"))
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, Q.translate("CameraView", "Starting the camera…"))
        if self.guide != self.GUIDE_NONE:
            self._paint_guide(p, target)
        p.end()

    def _paint_guide(self, p: QPainter, r: QRectF) -> None:
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        colour = QColor("#3ccf6e") if self.guide_ok else QColor("#ffffff")
        if self.guide == self.GUIDE_OVAL:
            ow, oh = r.height() * 0.46, r.height() * 0.66
            shape = QRectF(r.center().x() - ow / 2, r.center().y() - oh / 2 - r.height() * 0.02, ow, oh)
            path = QPainterPath()
            path.addRect(r)
            hole = QPainterPath()
            hole.addEllipse(shape)
            p.fillPath(path.subtracted(hole), QColor(0, 0, 0, 110))
            p.setPen(QPen(colour, 6))
            p.drawEllipse(shape)
        else:
            ratio = 85.6 / 54.0 if self.guide == self.GUIDE_CARD else 1.6
            w = r.width() * 0.78
            h = w / ratio
            if h > r.height() * 0.85:
                h = r.height() * 0.85
                w = h * ratio
            shape = QRectF(r.center().x() - w / 2, r.center().y() - h / 2, w, h)
            p.setPen(QPen(colour, 5, Qt.PenStyle.DashLine))
            p.drawRoundedRect(shape, 14, 14)


class LevelMeter(QProgressBar):
    """Microphone level 0-1."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("level")
        self.setRange(0, 100)
        self.setTextVisible(False)
        self.setFixedHeight(28)

    def set_level(self, level: float) -> None:
        self.setValue(int(max(0.0, min(1.0, float(level))) * 100))


class StaffPanel(QLabel):
    """The measured values for the staff (small, out of the applicant's way)."""

    KEYS: tuple[tuple[str, str, int | None], ...] = (("yaw", "yaw", 1), ("pitch", "pitch", 1), ("roll", "roll", 1), ("sharpness", "sharpness", 0),
            ("illumination", "light", 2), ("inter_eye_px", "eyes px", 0), ("faces", "faces", None))

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("staffPanel")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.values: dict = {}
        self.show_report(None)

    def show_report(self, report) -> None:
        lang = current_language()
        if report is None:
            self.values = {}
            self.setText("—")
            return
        data = report.to_dict() if hasattr(report, "to_dict") else dict(report)
        self.values = data
        parts = []
        for key, label, decimals in self.KEYS:
            v = data.get(key)
            if v is None:
                text = "—"
            elif decimals is None:
                text = fmt_number(int(v), lang)
            else:
                text = fmt_number(float(v), lang, decimals)
            parts.append(f"{label} {text}")
        fails = data.get("failures") or []
        if fails:
            parts.append("✗ " + ",".join(str(f) for f in fails[:3]))
        self.setText("  ·  ".join(parts))


class PinDialog(QDialog):
    """Asks for the staff PIN; ``check`` is called with the digits typed."""

    def __init__(self, check, parent: QWidget | None = None):
        super().__init__(parent)
        self.check = check
        self.attempts = 0
        self.setModal(True)
        self.setWindowTitle(Q.translate("PinDialog", "Staff"))
        lay = QVBoxLayout(self)
        self.prompt = QLabel(Q.translate("PinDialog", "Staff PIN"))
        self.prompt.setObjectName("lead")
        self.edit = QLineEdit()
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
        self.edit.setMaxLength(8)
        self.error = QLabel("")
        self.error.setObjectName("fieldError")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._try)
        buttons.rejected.connect(self.reject)
        for w in (self.prompt, self.edit, self.error, buttons):
            lay.addWidget(w)

    def _try(self) -> None:
        self.attempts += 1
        if self.check(self.edit.text()):
            self.accept()
        else:
            self.edit.clear()
            self.error.setText(Q.translate("PinDialog", "Wrong PIN."))


class ClickableLabel(QLabel):
    clicked = Signal()

    def mousePressEvent(self, event) -> None:  # noqa: N802
        self.clicked.emit()
        super().mousePressEvent(event)
