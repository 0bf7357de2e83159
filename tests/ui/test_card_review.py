"""The card is looked at before it is sent: after a card side is captured the straightened card is
shown big with "Retake" and "Send"; nothing reaches the broker before Send, Retake goes back to
the camera without spending a try, and Send sends it once."""
from __future__ import annotations

import numpy as np

from kiosk.cvcompat import cv2
from ui_helpers import click, finish_photo, start_to_consent, wait_page, wait_photo


def test_card_review_retake_sends_nothing_then_send_sends_once(qtbot, make_window, sandbox):
    saved: list[int] = []
    real_save = sandbox.m_SavePersonDocument

    def counting(req):  # every SavePersonDocument the broker receives
        answer = real_save(req)
        saved.append(req.integer("documentType"))
        return answer

    sandbox.m_SavePersonDocument = counting
    window = make_window("en")
    click(qtbot, start_to_consent(qtbot, window).agree)
    finish_photo(qtbot, window, wait_photo(qtbot, window, "signature"))  # looked at, then sent
    page = wait_photo(qtbot, window, "id_front", timeout=40000)
    order = sandbox._orders[window.session.data.order_id]
    tries = window.session.tries_left("id_front")
    qtbot.waitUntil(lambda: page.phase == "review", timeout=60000)  # captured by itself after "I'm ready"
    assert page.review.isVisible() and not page.view.isVisible() and not page.take.isVisible()
    assert page.send_card.isVisible() and page.retake.isVisible()
    assert page.send_card.text() == "Send" and page.retake.text() == "Retake"
    assert page.send_card.objectName() == "bigPrimary"  # Send is the big button
    shown = page.review_view._image
    assert (shown.width(), shown.height()) == (856, 540)  # the straightened card, not the camera frame
    assert page.review_view.width() > page.width() * 0.5  # big
    assert saved == [] and 101 not in order.documents  # nothing sent yet
    click(qtbot, page.retake)
    assert page.phase == "live" and page.view.isVisible() and not page.review.isVisible()
    assert not page.preparing  # straight back to the camera
    assert saved == [] and 101 not in order.documents  # the broker never saw the retaken picture
    assert window.session.tries_left("id_front") == tries  # no try spent
    qtbot.waitUntil(lambda: page.phase == "review", timeout=60000)  # taken again, looked at again
    assert saved == []
    click(qtbot, page.send_card)
    wait_page(qtbot, window, "id_back", timeout=40000)
    assert saved == [101]  # sent once
    card = cv2.imdecode(np.frombuffer(order.documents[101].data, np.uint8), cv2.IMREAD_COLOR)
    assert card.shape[:2] == (540, 856)


def test_staff_take_now_on_a_card_is_reviewed_too_in_persian(qtbot, make_window, sandbox):
    window = make_window("fa", camera__source="simulated:dark")  # no card in sight: only the staff can take it
    click(qtbot, start_to_consent(qtbot, window).agree)
    page = wait_photo(qtbot, window, "signature")
    qtbot.waitUntil(lambda: page.capture is not None and page.capture.latest is not None, timeout=30000)
    click(qtbot, page.take)  # the staff's take-now on the signature is looked at too
    assert page.phase == "review" and page.review.isVisible()
    assert page.review_question.text() == "آیا همهٔ امضای شما واضح است؟"
    assert sandbox._orders[window.session.data.order_id].signature is None  # nothing sent before Send
    click(qtbot, page.send_card)
    page = wait_photo(qtbot, window, "id_front", timeout=40000)
    qtbot.waitUntil(lambda: page.capture is not None and page.capture.latest is not None, timeout=30000)
    click(qtbot, page.take)
    assert page.phase == "review" and page.review.isVisible()
    assert page.retake.text() == "دوباره عکس بگیرید" and page.send_card.text() == "ارسال"
    order = sandbox._orders[window.session.data.order_id]
    assert 101 not in order.documents
    click(qtbot, page.retake)
    assert page.phase == "live" and 101 not in order.documents
