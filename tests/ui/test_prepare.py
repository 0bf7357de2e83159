"""Prepare, then capture: each photo step (signature, card front and back, selfie) first shows a
picture, two short instructions and "I'm ready"; nothing is captured before it is pressed, even
with a perfect face or card in front of the camera (the camera already runs behind the view)."""
from __future__ import annotations

from ui_helpers import cancel_session, click, finish_photo, press_ready, start_to_consent, wait_page, wait_photo

PASSING = 12  # checked frames that passed every check, seen on the preparation view (counted, not timed)


def _passing_reports(qtbot, page, n=PASSING):
    """Collect the checker's reports of the page's camera until ``n`` of them passed every check
    (far more than the steady run that makes an auto-capture)."""
    reports = []
    page.capture.report_ready.connect(lambda _f, r: reports.append(r))
    qtbot.waitUntil(lambda: sum(bool(getattr(r, "ok", False)) for r in reports) >= n, timeout=60000)
    return reports


def test_documents_wait_for_im_ready_and_the_staff_button_is_hidden(qtbot, make_window, sandbox):
    window = make_window("en")
    click(qtbot, start_to_consent(qtbot, window).agree)
    wait_page(qtbot, window, "signature")
    order = sandbox._orders[window.session.data.order_id]
    for name in ("signature", "id_front", "id_back"):
        page = wait_page(qtbot, window, name, timeout=30000)
        assert page.preparing and page.prepare_view.isVisible() and not page.view.isVisible()
        assert page.prepare_view.start.text() == "I'm ready"
        first_line = page.prepare_view.lines[0].text()
        assert first_line and ("Turn the card over" in first_line) == (name == "id_back")  # the back: turn it
        assert not page.take.isVisible()  # the staff's "take it now" is not there to be hit
        window.set_measurements(True)  # not even with the staff's measurements on
        assert not page.take.isVisible() and not page.staff_panel.isVisible()
        window.set_measurements(False)
        _passing_reports(qtbot, page)  # the document was there, good enough to be taken
        gate = page.capture.checker.autocapture
        assert not gate.armed and gate.inner.run == 0 and gate.inner.fired is None  # no frame counted
        assert window.current is page and page.phase == "live"
        assert (order.signature is not None) == (name != "signature")  # nothing of this step sent
        assert len(order.documents) == {"signature": 0, "id_front": 0, "id_back": 1}[name]
        press_ready(qtbot, page)
        assert page.view.isVisible() and page.take.isVisible()
        finish_photo(qtbot, window, page)  # captured after Start (a card side: sent from its review)
    assert order.signature is not None and len(order.documents) == 2
    selfie = wait_page(qtbot, window, "selfie", timeout=30000)
    assert selfie.preparing


def test_selfie_waits_for_im_ready_with_a_perfect_face_in_persian(qtbot, make_window, sandbox):
    window = make_window("fa")
    click(qtbot, start_to_consent(qtbot, window).agree)
    for name in ("signature", "id_front", "id_back"):
        finish_photo(qtbot, window, wait_photo(qtbot, window, name, timeout=30000))
    page = wait_page(qtbot, window, "selfie", timeout=30000)
    view = page.prepare_view
    assert page.preparing and view.isVisible() and not page.view.isVisible()
    assert view.start.text() == "آماده‌ام"
    assert [line.text() for line in view.lines] == ["عینک، کلاه یا ماسک را بردارید.",
                                                    "به دوربین نگاه کنید و تکان نخورید."]
    assert not view.picture.pixmap().isNull()
    _passing_reports(qtbot, page)  # a face the selfie would take at once
    assert page.auto is None and page.phase == "live" and window.current is page
    order = sandbox._orders[window.session.data.order_id]
    assert order.selfie is None  # nothing sent
    assert window.session.flow.idle_remaining() is not None  # the session is still on
    click(qtbot, view.start)
    assert page.view.isVisible() and not view.isVisible()
    wait_page(qtbot, window, "selfie_video", timeout=40000)
    assert order.selfie is not None


def test_preparation_follows_the_language_switch(qtbot, make_window):
    window = make_window("fa")
    click(qtbot, start_to_consent(qtbot, window).agree)
    page = wait_page(qtbot, window, "signature")
    view = page.prepare_view
    assert view.start.text() == "آماده‌ام"
    assert view.lines[0].text() == "روی یک کاغذ سفید امضا کنید."
    click(qtbot, page.lang_button)
    qtbot.waitUntil(lambda: view.start.text() == "I'm ready", timeout=20000)
    assert [line.text() for line in view.lines] == ["Sign on white paper.", "Hold the paper flat, inside the frame."]
    assert page.preparing and view.isVisible()  # switching the language started nothing
    click(qtbot, view.start)
    finish_photo(qtbot, window, page)  # the signature looked at, then sent
    page = wait_page(qtbot, window, "id_front", timeout=40000)
    assert [line.text() for line in page.prepare_view.lines] == [
        "Place the card flat on the desk, inside the frame.", "Keep your fingers off the card."]
    click(qtbot, page.lang_button)
    qtbot.waitUntil(lambda: page.prepare_view.lines[1].text() == "انگشت‌هایتان را روی کارت نگذارید.", timeout=20000)


def test_preparation_is_shown_again_in_the_next_session(qtbot, make_window, sandbox):
    window = make_window("en")
    for _session in range(2):
        click(qtbot, start_to_consent(qtbot, window).agree)
        page = wait_page(qtbot, window, "signature")
        assert page.preparing and page.prepare_view.isVisible()
        press_ready(qtbot, page)
        finish_photo(qtbot, window, page)
        page = wait_page(qtbot, window, "id_front", timeout=40000)
        assert page.preparing and page.prepare_view.isVisible()  # each step prepares its own
        cancel_session(qtbot, window)
        welcome = wait_page(qtbot, window, "welcome")
        if welcome.notice.isVisible():
            click(qtbot, welcome.notice_ok)
