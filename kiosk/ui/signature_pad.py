"""The touch-screen signature pad: records strokes (mouse, touch through Qt's synthesized mouse
events, or a pen tablet with pressure) and paints them; ``kiosk.capture.signature_pad`` turns the
strokes into the wet signature's PNG form."""
from __future__ import annotations

import time

from PySide6.QtCore import QPointF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.quality.documents import sentence
from kiosk.quality.pad import analyze_strokes


class SignaturePadWidget(QWidget):
    """``strokes``: a list of strokes, each a list of ``(x, y, pressure or None, t)`` in the
    widget's pixels; ``pad_size()`` is the (width, height) they are measured in."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("signaturePad")
        self.setAttribute(Qt.WidgetAttribute.WA_StaticContents)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(420, 180)
        self.strokes: list[list[tuple[float, float, float | None, float]]] = []
        self._drawing = False

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt name
        return QSize(900, 420)

    def pad_size(self) -> tuple[int, int]:
        return (max(1, self.width()), max(1, self.height()))

    def clear(self) -> None:
        self.strokes = []
        self._drawing = False
        self.update()
        self.changed.emit()

    @property
    def empty(self) -> bool:
        return not any(self.strokes)

    # -- input
    def _add(self, pos: QPointF, pressure: float | None, new: bool) -> None:
        point = (float(pos.x()), float(pos.y()), pressure, time.monotonic())
        if new or not self.strokes:
            self.strokes.append([point])
        else:
            self.strokes[-1].append(point)
        self.update()

    def mousePressEvent(self, event) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            self._drawing = True
            self._add(event.position(), None, True)

    def mouseMoveEvent(self, event) -> None:  # noqa: N802
        if self._drawing:
            self._add(event.position(), None, False)

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802
        if self._drawing:
            self._drawing = False
            self.changed.emit()

    def tabletEvent(self, event) -> None:  # noqa: N802 - a pen with pressure
        kind = event.type()
        if kind == event.Type.TabletPress:
            self._drawing = True
            self._add(event.position(), float(event.pressure()), True)
        elif kind == event.Type.TabletMove and self._drawing:
            self._add(event.position(), float(event.pressure()), False)
        elif kind == event.Type.TabletRelease and self._drawing:
            self._drawing = False
            self.changed.emit()
        event.accept()

    # -- painting
    def paintEvent(self, event) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("#ffffff"))
        p.setPen(QPen(QColor("#9aa5b1"), 2, Qt.PenStyle.DashLine))
        base = self.height() * 0.78
        p.drawLine(QPointF(self.width() * 0.08, base), QPointF(self.width() * 0.92, base))
        p.setPen(QPen(QColor("#14213d"), 3.2, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                      Qt.PenJoinStyle.RoundJoin))
        for stroke in self.strokes:
            if len(stroke) == 1:
                x, y = stroke[0][:2]
                p.drawPoint(QPointF(x, y))
                continue
            path = QPainterPath(QPointF(*stroke[0][:2]))
            for x, y, *_ in stroke[1:]:
                path.lineTo(x, y)
            p.drawPath(path)
        p.end()


class PadRefused(Exception):
    """The drawing is not a usable signature (``report`` is its SignatureReport)."""

    staff_action = "retake"

    def __init__(self, report):
        super().__init__(report.instruction_key or "document.signature.pad_blank")
        self.report = report
        self.message_key = report.instruction_key or "document.signature.pad_blank"

    def sentence(self, lang: str = "fa") -> str:
        return sentence(self.message_key, lang) or self.message_key


def pad_png(strokes, size) -> bytes:
    """The PNG of a pad drawing, or ``PadRefused`` (run in the submission worker)."""

    report = analyze_strokes(strokes, size)
    if not report.ok or report.png is None:
        raise PadRefused(report)
    return report.png
