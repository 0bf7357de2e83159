"""Small widgets shared by the pages: camera view with the oval guide, level meter, staff panel,
the staff PIN dialog."""
from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QCoreApplication as Q
from PySide6.QtCore import QEvent, QObject, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFrame, QLabel, QLineEdit, QProgressBar, QPushButton,
                               QSizePolicy, QVBoxLayout, QWidget)

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
    never queues frames.

    The "hold still" ring (``set_hold``): while every check passes, a thick ring around the guide
    fills clockwise from the top as the steady moment passes (0: no ring; it empties at once when
    a check fails). ``add_overlay(widget)`` keeps a child (the video's countdown) centred over the
    picture, so showing it never moves the preview."""

    GUIDE_NONE, GUIDE_OVAL, GUIDE_CARD, GUIDE_SHEET = range(4)
    RING = QColor("#4fc3f7")  # not the guide's green: the ring reads as its own sign
    hold_changed = Signal(float)

    def __init__(self, parent: QWidget | None = None, guide: int = GUIDE_NONE, mirror: bool = False):
        super().__init__(parent)
        self.guide = guide
        self.mirror = mirror
        self.guide_ok = False
        self.hold_progress = 0.0
        self._image: QImage | None = None
        self._overlays: list[QWidget] = []
        self.frames_shown = 0
        self.setMinimumSize(320, 200)
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

    def set_hold(self, progress: float | None) -> None:
        """The "hold still" ring's fill, 0-1 (None or 0: no ring)."""
        value = max(0.0, min(1.0, float(progress or 0.0)))
        if value != self.hold_progress:
            self.hold_progress = value
            self.update()
            self.hold_changed.emit(value)

    def add_overlay(self, widget: QWidget) -> None:
        """Show ``widget`` centred over the picture (its own size hint), never in a layout."""
        widget.setParent(self)
        self._overlays.append(widget)
        self.place_overlays()

    def place_overlays(self) -> None:
        for w in self._overlays:
            w.ensurePolished()  # its style's font decides its size
            hint = w.sizeHint()
            ww, hh = min(self.width(), hint.width()), min(self.height(), hint.height())
            w.setGeometry((self.width() - ww) // 2, (self.height() - hh) // 2, ww, hh)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt name
        super().resizeEvent(event)
        self.place_overlays()

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
            if self.hold_progress > 0:
                self._paint_ring(p, shape.adjusted(-14, -14, 14, 14), oval=True)
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
            if self.hold_progress > 0:
                self._paint_ring(p, shape.adjusted(-14, -14, 14, 14), oval=False)

    def _paint_ring(self, p: QPainter, r: QRectF, oval: bool) -> None:
        """A faint whole track and, over it, the part already held still: clockwise from the top."""
        track, fill = QPainterPath(), QPainterPath()
        steps = 120
        for path, share in ((track, 1.0), (fill, self.hold_progress)):
            n = max(2, int(steps * share) + 1)
            for i in range(n):
                x, y = _around(r, share * i / (n - 1), oval)
                if i == 0:
                    path.moveTo(x, y)
                else:
                    path.lineTo(x, y)
        pen = QPen(QColor(255, 255, 255, 90), 12)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        p.setPen(pen)
        p.drawPath(track)
        pen = QPen(self.RING, 12)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        p.setPen(pen)
        p.drawPath(fill)


def _around(r: QRectF, share: float, oval: bool) -> tuple[float, float]:
    """The point ``share`` (0-1) of the way round ``r`` clockwise from its top middle: on the
    ellipse it bounds (``oval``) or on its outline."""
    cx, cy, a, b = r.center().x(), r.center().y(), r.width() / 2, r.height() / 2
    if oval:
        angle = 2 * math.pi * share
        return cx + a * math.sin(angle), cy - b * math.cos(angle)
    w, h = r.width(), r.height()
    d = share * 2 * (w + h)
    for length, start, step in ((w / 2, (cx, r.top()), (1, 0)), (h, (r.right(), r.top()), (0, 1)),
                                (w, (r.right(), r.bottom()), (-1, 0)), (h, (r.left(), r.bottom()), (0, -1)),
                                (w / 2, (r.left(), r.top()), (1, 0))):
        if d <= length:
            return start[0] + step[0] * d, start[1] + step[1] * d
        d -= length
    return cx, r.top()


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
    """Asks for the staff PIN; ``check`` is called with the digits typed; ``explain()`` (when
    set) gives the sentence shown after a refusal (wrong, not set). With ``tries_left()`` (wrong
    PINs left before a lock, None when the refusal was not a wrong PIN) a wrong PIN says
    "Wrong PIN. 2 tries left."; with ``locked_for()`` (the seconds the gate stays locked) a lock
    shows the seconds left, counted down each second, and OK comes back when it ends (also when
    the prompt opens while a lock is running)."""

    def __init__(self, check, parent: QWidget | None = None):
        super().__init__(parent)
        self.check = check
        self.explain: Callable[[], str] | None = None
        self.tries_left: Callable[[], int | None] | None = None
        self.locked_for: Callable[[], int] | None = None
        self.attempts = 0
        self.setModal(True)
        self.setWindowTitle(Q.translate("PinDialog", "Staff"))
        lay = QVBoxLayout(self)
        self.prompt = QLabel(Q.translate("PinDialog", "Staff PIN"))
        self.prompt.setObjectName("lead")
        self.edit = QLineEdit()
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
        self.edit.setMaxLength(12)
        self.error = QLabel("")
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        # the PIN on a touch screen with no keyboard: the keys always type into the PIN field, even
        # after OK took the focus (a wrong PIN once left the keypad typing nowhere)
        self.keypad = Keypad(columns=3, slash=False, latin=True, target=self.edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._try)
        buttons.rejected.connect(self.reject)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        # while locked: the seconds left, once a second (read from the gate's clock each time)
        self.countdown = QTimer(self)
        self.countdown.setInterval(1000)
        self.countdown.timeout.connect(self.tick)
        for w in (self.prompt, self.edit, self.error, self.keypad, buttons):
            lay.addWidget(w)

    def _say(self, text: str) -> None:
        """The line under the PIN; the dialog grows to it (a two-line lock message squeezed the
        keys together and cut the last row off)."""
        self.error.setText(text)
        if self.isVisible():
            self.adjustSize()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt name
        super().showEvent(event)
        if self.locked_for is not None and self.locked_for() > 0:
            self.tick()  # opened during a lock: the seconds left, and OK waits

    def _try(self) -> None:
        if not self.ok.isEnabled():  # locked: nothing is tried
            return
        if not self.edit.text():  # an empty OK is not a try: it never counts towards a lock
            self._say(Q.translate("PinDialog", "Type the PIN first."))
            self.edit.setFocus()
            return
        self.attempts += 1
        if self.check(self.edit.text()):
            self.accept()
            return
        self.edit.clear()
        self.edit.setFocus()
        if self.locked_for is not None and self.locked_for() > 0:
            self.tick()
            return
        left = self.tries_left() if self.tries_left is not None else None
        if left is not None and left > 0:
            self._say(self.wrong_sentence(left))
            return
        text = self.explain() if self.explain is not None else ""
        self._say(text or Q.translate("PinDialog", "Wrong PIN."))

    @staticmethod
    def wrong_sentence(left: int) -> str:
        if left == 1:
            return Q.translate("PinDialog", "Wrong PIN. 1 try left.")
        return Q.translate("PinDialog", "Wrong PIN. {n} tries left.").format(n=fmt_number(left, current_language()))

    def tick(self) -> None:
        """The lock's seconds left; when it ends, OK again and a sentence that says so."""
        left = self.locked_for() if self.locked_for is not None else 0
        if left > 0:
            self.ok.setEnabled(False)
            self._say(Q.translate("PinDialog", "Too many wrong PINs. Locked: try again in {n} s.").format(
                n=fmt_number(left, current_language())))
            if not self.countdown.isActive():
                self.countdown.start()
            return
        self.countdown.stop()
        if not self.ok.isEnabled():
            self.ok.setEnabled(True)
            self._say(Q.translate("PinDialog", "You can type the PIN again."))
            self.edit.setFocus()

    def done(self, result: int) -> None:  # noqa: D102 - Qt's contract
        self.countdown.stop()
        super().done(result)


class ClickableLabel(QLabel):
    clicked = Signal()

    def mousePressEvent(self, event) -> None:  # noqa: N802
        self.clicked.emit()
        super().mousePressEvent(event)


class Overlay(QWidget):
    """A question or a warning drawn over the whole window: a child widget that covers its parent
    (no separate window, so it shows the same with or without a window manager), a card with a
    title, a sentence, an optional big count, the big button that keeps going (``primary``) and
    a small one (``secondary``, hidden when it has no text)."""

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.setObjectName("overlay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        card = QFrame()
        card.setObjectName("overlayCard")
        card.setMaximumWidth(820)
        self.card = card
        lay = QVBoxLayout(card)
        lay.setContentsMargins(40, 32, 40, 32)
        lay.setSpacing(18)
        self.title = QLabel()
        self.title.setObjectName("overlayTitle")
        self.title.setWordWrap(True)
        self.text = QLabel()
        self.text.setObjectName("lead")
        self.text.setWordWrap(True)
        self.count = QLabel()
        self.count.setObjectName("overlayCount")
        self.count.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.count.setVisible(False)
        self.primary = QPushButton()
        self.primary.setObjectName("bigPrimary")
        self.secondary = QPushButton()
        self.secondary.setObjectName("quiet")
        for w in (self.title, self.text, self.count, self.primary, self.secondary):
            lay.addWidget(w)
        lay.setAlignment(self.secondary, Qt.AlignmentFlag.AlignHCenter)
        row = QVBoxLayout()
        row.addWidget(card, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addLayout(row)
        outer.addStretch(1)
        parent.installEventFilter(self)
        self.hide()

    def set_texts(self, title: str, text: str, primary: str, secondary: str = "", count: str = "") -> None:
        self.title.setText(title)
        self.text.setText(text)
        self.primary.setText(primary)
        self.secondary.setText(secondary)
        self.secondary.setVisible(bool(secondary))
        self.count.setText(count)
        self.count.setVisible(bool(count))
        if self.isVisible():
            self._fit()

    def _fit(self) -> None:
        """The card at a fixed width, as tall as its wrapped texts need: at the card's hint size
        a two-line sentence pushed the big button onto the small one."""
        parent = self.parentWidget()
        if parent is None:
            return
        width = min(820, max(320, parent.width() - 80))
        self.card.setFixedWidth(width)
        lay = self.card.layout()
        if lay is not None and lay.hasHeightForWidth():
            self.card.setMinimumHeight(lay.totalHeightForWidth(width))

    def open(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self._fit()
        self.raise_()
        self.show()
        self.primary.setFocus()

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt name
        """Enter, Return and Esc all choose the big button (keeping going is the safe choice)."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape):
            self.primary.click()
            return
        super().keyPressEvent(event)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt name
        parent = self.parentWidget()
        if event.type() == QEvent.Type.Resize and parent is not None and obj is parent:
            self.setGeometry(parent.rect())
        return False


class Keypad(QWidget):
    """An on-screen keypad for touch kiosks with no keyboard: Persian digits (or Latin ones),
    a slash for the date and a backspace. A key types into the field that has the focus, as a
    key on a keyboard would (the field's validator and its reactions apply); the keys never take
    the focus themselves."""

    LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

    def __init__(self, parent: QWidget | None = None, columns: int = 12, slash: bool = True,
                 latin: bool = False, target: QLineEdit | None = None, letters: bool = False):
        super().__init__(parent)
        self.latin = latin  # type Latin digits whatever the labels (the PIN goes to the gate as typed)
        self.target = target  # the one field it types into; None: the field that has the focus
        from PySide6.QtWidgets import QGridLayout  # noqa: PLC0415 - only the keypad lays out a grid

        self.setObjectName("keypad")
        self.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # digits in a keypad's order in both languages
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(6)
        grid = QGridLayout()
        grid.setSpacing(6)
        self.keys: dict[str, QPushButton] = {}
        labels = list("1234567890") + (["/"] if slash else []) + ["⌫"]
        for i, key in enumerate(labels):
            grid.addWidget(self._key(key), i // columns, i % columns)
        # Latin letters (the card serial's one letter, as on the card), shown only while a field
        # that takes letters has the focus (``show_letters``), *above* the digits: the keypad
        # sits on the screen's bottom edge, so the digits stay where the finger knows them
        self.letter_panel = QWidget()
        self.letter_panel.setObjectName("letterPanel")
        letter_grid = QGridLayout(self.letter_panel)
        letter_grid.setContentsMargins(0, 0, 0, 0)
        letter_grid.setSpacing(6)
        if letters:
            for i, key in enumerate(self.LETTERS):
                letter_grid.addWidget(self._key(key), i // 13, i % 13)
        self.letter_panel.setVisible(False)
        outer.addWidget(self.letter_panel)
        outer.addLayout(grid)
        self.retranslate()

    def _key(self, key: str) -> QPushButton:
        b = QPushButton()
        b.setObjectName("key")
        b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        b.setAutoRepeat(key == "⌫")
        b.clicked.connect(lambda _=False, k=key: self.press(k))
        self.keys[key] = b
        return b

    def show_letters(self, on: bool) -> None:
        """The letter keys for a field that takes letters (nothing when the keypad has none)."""
        self.letter_panel.setVisible(bool(on) and "A" in self.keys)

    def allow_slash(self, on: bool) -> None:
        """The slash only where it can go (the date): greyed, not hidden, so no key moves."""
        if "/" in self.keys:
            self.keys["/"].setEnabled(bool(on))

    def retranslate(self) -> None:
        lang = current_language()
        for key, b in self.keys.items():
            b.setText(fmt_number(key, lang) if key.isdigit() else key)

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt name
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def press(self, key: str) -> None:
        from PySide6.QtGui import QKeyEvent  # noqa: PLC0415 - keeps the module's imports for the pages small
        from PySide6.QtWidgets import QApplication  # noqa: PLC0415 - as above

        target = self.target or self.window().focusWidget() or QApplication.focusWidget()  # the field of its own window
        if not isinstance(target, QLineEdit):
            return
        # a keypad types at the end and takes back the last character, whatever a tap on the
        # field did to the cursor: keyed after a tap at its start, "09123456789" became
        # "09123456788" over the old digits, with nothing to see
        target.end(False)
        if key == "⌫":
            code, text = Qt.Key.Key_Backspace, ""
        else:
            text = fmt_number(key, "en" if self.latin else current_language()) if key.isdigit() else key
            code = Qt.Key.Key_unknown
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(target, QKeyEvent(kind, code, Qt.KeyboardModifier.NoModifier, text))
