"""The document screens guided like the selfie: checks off the UI thread on the newest frame, one
instruction at a time, auto-capture of the straightened card / cleaned signature, the staff's
"take it now", and the touch-pad signature."""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from kiosk.cvcompat import cv2
from kiosk.i18n.messages import MESSAGES
from ui_helpers import click, finish_photo, start_to_consent, wait_page, wait_photo

DOC_SENTENCES = {v[lang] for k, v in MESSAGES.items() if k.startswith("document.") for lang in ("fa", "en")}


def decode(png: bytes) -> np.ndarray:
    return cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_UNCHANGED)


def test_documents_are_checked_live_and_captured_by_themselves(qtbot, make_window, sandbox):
    window = make_window("en")
    click(qtbot, start_to_consent(qtbot, window).agree)
    page = wait_photo(qtbot, window, "signature")  # "I'm ready" on the preparation view
    seen = []
    page.capture.report_ready.connect(lambda _f, r: seen.append((r, page.instruction.text())))
    rec = sandbox._orders[window.session.data.order_id]
    qtbot.waitUntil(lambda: page.phase == "review", timeout=60000)  # captured by itself, then shown back
    assert page.review_question.text() == "Is your whole signature clear?" and rec.signature is None
    click(qtbot, page.send_card)  # the one button the applicant presses on the signature
    id_front = wait_photo(qtbot, window, "id_front", timeout=30000)
    assert seen and all(r.ok for r, _ in seen[-2:])  # the signed sheet, checked frame by frame
    assert any(text in DOC_SENTENCES for _, text in seen)  # one catalogue sentence, not a list
    sig = decode(rec.signature.data)
    assert sig.ndim == 2 and sig.shape[1] <= 800  # the cleaned signature (grey), not the camera frame
    assert sig.shape != (480, 640) and np.median(sig) == 255  # white paper, cropped to the ink
    card_seen = []
    id_front.capture.report_ready.connect(lambda _f, r: card_seen.append(r))
    finish_photo(qtbot, window, id_front)  # the card side is looked at, then sent
    finish_photo(qtbot, window, wait_photo(qtbot, window, "id_back", timeout=30000))
    assert card_seen and card_seen[-1].side == "front"
    card = decode(rec.documents[101].data)
    assert card.shape[:2] == (540, 856)  # straightened to ID-1 at 10 px/mm
    wait_page(qtbot, window, "selfie", timeout=30000)
    assert decode(rec.documents[102].data).shape[:2] == (540, 856)


def test_no_document_no_capture_until_the_staff_takes_it(qtbot, make_window, sandbox):
    window = make_window("fa", camera__source="simulated:dark")  # no sheet in sight (a dim room)
    click(qtbot, start_to_consent(qtbot, window).agree)
    page = wait_photo(qtbot, window, "signature")
    reports = []
    page.capture.report_ready.connect(lambda _f, r: reports.append(r))
    qtbot.waitUntil(lambda: len(reports) >= 20, timeout=30000)  # frames checked, counted not timed
    assert window.current is page and page.phase == "live"  # nothing sent by itself
    assert page.report.instruction_key == "document.signature.show"
    assert page.instruction.text() == MESSAGES["document.signature.show"]["fa"]
    click(qtbot, page.take)
    assert page.phase == "review"  # the staff's picture is looked at before it is sent
    click(qtbot, page.send_card)
    wait_page(qtbot, window, "id_front", timeout=20000)
    assert sandbox._orders[window.session.data.order_id].signature is not None


def _draw(widget, points) -> None:
    app = QApplication.instance()
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    kinds = [QEvent.Type.MouseButtonPress] + [QEvent.Type.MouseMove] * (len(points) - 2) + [
        QEvent.Type.MouseButtonRelease]
    for kind, (x, y) in zip(kinds, points, strict=False):
        pos = QPointF(x, y)
        button = none if kind == QEvent.Type.MouseMove else left
        buttons = none if kind == QEvent.Type.MouseButtonRelease else left
        app.sendEvent(widget, QMouseEvent(kind, pos, widget.mapToGlobal(pos), button, buttons,
                                          Qt.KeyboardModifier.NoModifier))


def test_touch_pad_signature(qtbot, make_window, sandbox):
    window = make_window("en", signature__touch_pad=True)
    click(qtbot, start_to_consent(qtbot, window).agree)
    page = wait_page(qtbot, window, "signature")
    assert page.mode == "pad" and page.capture is None  # no camera for the pad
    assert page.pad.isVisible() and not page.send.isEnabled()
    _draw(page.pad, [(100, 100), (104, 102), (106, 100)])  # a dot: too small to be a signature
    assert page.send.isEnabled()
    click(qtbot, page.send)
    qtbot.waitUntil(lambda: page.status_error is not None, timeout=10000)
    assert page.status.text() == MESSAGES[page.status_error.message_key]["en"]
    assert window.current is page and sandbox._orders[window.session.data.order_id].signature is None
    click(qtbot, page.clear_pad)
    w, h = page.pad.width(), page.pad.height()
    zigzag = [(w * (0.1 + 0.8 * i / 30), h * (0.3 + 0.4 * (i % 2))) for i in range(31)]
    _draw(page.pad, zigzag)
    click(qtbot, page.send)
    wait_page(qtbot, window, "id_front", timeout=20000)
    png = decode(sandbox._orders[window.session.data.order_id].signature.data)
    assert png.ndim == 2 and png.min() < 60 and png.max() == 255  # black ink on white
    assert window.current.capture is not None  # the card screens use the camera
