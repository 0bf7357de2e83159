"""The real wizard window driven through whole sessions against the sandbox broker."""
from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import Qt, QTimer

from kiosk import paths
from kiosk.broker.client import BrokerClient
from kiosk.broker.codes import KYCRequestStatus
from kiosk.i18n.digits import localize_digits
from ui_helpers import (cancel_session, click, fill_details, finish_photo, press_ready, run_capture_steps, start_to_consent, wait_page,
                        wait_photo)

def media_files():
    return [p for p in paths.media_dir().rglob("*") if p.is_file()]


def _has_webm_header(path) -> bool:
    try:
        return b"\x1a\x45\xdf\xa3" in path.read_bytes()
    except FileNotFoundError:  # an uploaded medium wiped meanwhile
        return False


VERIFIED = {"fa": "هویت شما تأیید شد", "en": "Your identity is verified"}


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_whole_session_is_verified(qtbot, make_window, sandbox, lang):
    window = make_window(lang)
    consent = start_to_consent(qtbot, window)
    click(qtbot, consent.agree)
    page = run_capture_steps(qtbot, window)
    assert page.name == "verdict", getattr(page, "message", lambda: "")()
    assert page.outcome.text() == VERIFIED[lang]
    order_id = page.order_id
    assert order_id and localize_digits(order_id, lang) in page.staff.text()  # in the reader's digits
    assert sandbox.token_state(order_id) in (KYCRequestStatus.AuthDone, KYCRequestStatus.Close)
    # every step the demo provider allows was offered, and passed
    assert window.session.steps == ["signature", "id_front", "id_back", "selfie", "selfie_video",
                                         "admittance_video"]
    assert not media_files()  # media wiped once the broker had it
    click(qtbot, page.finish)
    wait_page(qtbot, window, "welcome")
    assert not window.session.active
    # the staff's sessions log: one row for the order, its verdict and steps, nothing personal
    from kiosk.core.sessions_log import SessionsLog
    from ui_helpers import GOOD

    with SessionsLog.open() as sessions:
        rows = sessions.all()
    assert [r.order_id for r in rows] == [order_id]
    assert rows[0].verdict == "verified" and rows[0].ended is not None
    assert rows[0].steps == ["signature", "id_front", "id_back", "selfie", "selfie_video", "admittance_video"]
    raw = sessions.path.read_bytes()
    for value in GOOD.values():
        assert value.encode() not in raw and value not in repr(rows[0].to_dict())


def test_details_form_marks_bad_input_at_the_field(qtbot, make_window):
    from kiosk.core.validation import ApplicantDetails, DetailsInvalid

    window = make_window("fa")
    click(qtbot, window.pages["welcome"].start)
    page = wait_page(qtbot, window, "details")
    bad = {"national_code": "۰۰۱۲۳۴۵۶۷۸", "birth_date": "1370/13/01", "mobile": "0912", "card_serial": "1A23456789"}
    fill_details(qtbot, window, bad)
    assert window.current is page  # refused: still on the form
    with pytest.raises(DetailsInvalid) as info:
        ApplicantDetails.parse(bad)
    for field in ("national_code", "birth_date", "mobile"):
        assert page.edits[field].property("invalid") is True
        assert page.errors[field].isVisibleTo(page)
        assert page.errors[field].text() == info.value.errors[field].sentence("fa")
    assert page.edits["card_serial"].property("invalid") is False
    assert not page.errors["card_serial"].isVisibleTo(page)
    # the same errors, in English, after a language switch
    click(qtbot, page.lang_button)
    qtbot.waitUntil(lambda: page.errors["mobile"].text() == info.value.errors["mobile"].sentence("en"), timeout=20000)
    # Persian digits in a correct code are accepted
    fill_details(qtbot, window, {**bad, "national_code": "۰۰۱۲۳۴۵۶۷۹", "birth_date": "۱۳۷۰/۰۱/۰۱",
                                 "mobile": "۰۹۱۲۳۴۵۶۷۸۹"})
    wait_page(qtbot, window, "consent")
    assert window.session.data.details.national_code == "0012345679"


def test_language_switch_mid_session(qtbot, make_window):
    window = make_window("fa")
    page = start_to_consent(qtbot, window)
    fa_title = page.title_label.text()
    assert fa_title == "رضایت شما"
    assert window.layoutDirection() == Qt.LayoutDirection.RightToLeft
    click(qtbot, page.lang_button)
    qtbot.waitUntil(lambda: page.title_label.text() == "Your consent", timeout=20000)
    assert window.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert page.agree.text() == "I agree, continue"
    assert window.pages["welcome"].start.text() == "Start a new session"  # hidden pages too
    click(qtbot, page.lang_button)
    qtbot.waitUntil(lambda: page.title_label.text() == fa_title, timeout=20000)
    assert window.layoutDirection() == Qt.LayoutDirection.RightToLeft


def test_cancel_on_a_capture_screen_aborts_the_token_and_wipes(qtbot, make_window, sandbox):
    window = make_window("en")
    click(qtbot, start_to_consent(qtbot, window).agree)
    page = wait_page(qtbot, window, "signature")
    qtbot.waitUntil(lambda: page.report is not None, timeout=20000)  # the sheet is being checked
    order_id = window.session.data.order_id
    assert window.session.store is not None
    with qtbot.waitSignal(window.session_qt.aborted, timeout=10000) as blocker:
        cancel_session(qtbot, window)
        assert window.current is window.pages["welcome"]
    assert blocker.args == [order_id]
    assert sandbox.token_state(order_id) == KYCRequestStatus.UserAborted
    from kiosk.core.sessions_log import SessionsLog

    with SessionsLog.open() as sessions:
        row = sessions.get(order_id)
    assert row is not None and row.verdict == "aborted" and row.steps == []
    assert page.capture is None  # camera released
    assert not window.session.active
    assert not media_files()


def test_idle_timeout_returns_to_welcome_and_wipes(qtbot, make_window):
    window = make_window("fa")
    click(qtbot, window.pages["welcome"].start)
    wait_page(qtbot, window, "details")
    window.pages["details"].edits["national_code"].setText("0012345679")
    window.session.flow.last_activity -= window.session.flow.idle_seconds  # as if nobody came for that long
    wait_page(qtbot, window, "welcome", timeout=20000)  # the engine's clock ticks every second
    assert not window.session.active
    assert window.pages["details"].edits["national_code"].text() == ""  # nothing of the applicant left
    click(qtbot, window.pages["welcome"].start)
    assert window.pages["details"].edits["national_code"].text() == ""


def test_ui_thread_processes_events_while_the_broker_is_called(qtbot, make_window, monkeypatch):
    """Order, not durations (the figure is benchmarks/ui_responsiveness.py's): every broker call
    runs off the UI thread, and each one is held until the UI thread has handled three timer
    events during it. Were a call made on the UI thread, the timer could not fire and the call
    would report that it waited in vain."""
    window = make_window("en", camera__source="simulated:dark")  # no sheet: the staff takes it by hand
    ui_thread = threading.current_thread()
    calls: list[tuple[str, bool, bool]] = []  # (broker method, on the UI thread, UI ticked during it)

    class Hold:  # the call in flight, and the UI timer events seen during it
        on = True  # off once the checked part is over (shutting down joins the worker)
        event: threading.Event | None = None
        ticks = 0

    original = BrokerClient._request

    def held_request(self, name, *args, **kwargs):
        on_ui = threading.current_thread() is ui_thread
        ticked = False
        if Hold.on and not on_ui:
            Hold.ticks, Hold.event = 0, threading.Event()
            ticked = Hold.event.wait(30)  # generous: only a UI thread that never runs leaves it unset
            Hold.event = None
            calls.append((name, on_ui, ticked))
        elif Hold.on:
            calls.append((name, on_ui, ticked))
        return original(self, name, *args, **kwargs)

    def beat():
        event = Hold.event
        if event is not None:
            Hold.ticks += 1
            if Hold.ticks >= 3:
                event.set()

    monkeypatch.setattr(BrokerClient, "_request", held_request)
    heart = QTimer()
    heart.setInterval(10)
    heart.timeout.connect(beat)
    consent = start_to_consent(qtbot, window)
    heart.start()
    try:
        consent.agree.click()  # SetToken + GetTokenProviderProperties, queued for the worker
        assert window.session.runner.busy  # the click returned with the calls still to be made
        page = wait_photo(qtbot, window, "signature")
        qtbot.waitUntil(lambda: page.capture is not None and page.capture.latest is not None, timeout=10000)
        before = len(calls)
        # QAbstractButton.click(): the app's own slots, without QTest's synthetic-event machinery
        page.take.click()  # picture prepared and shown back: nothing sent yet
        assert page.phase == "review" and len(calls) == before
        page.send_card.click()  # encrypted and sent by SaveSignature, in the worker
        assert window.session.runner.busy and len(calls) == before  # the upload had not run when the click returned
        wait_page(qtbot, window, "id_front")
    finally:
        Hold.on = False
        heart.stop()
    names = [name for name, _, _ in calls]
    assert "SaveSignature" in names and len(names) >= 3, names
    assert not [name for name, on_ui, _ in calls if on_ui], f"broker calls made on the UI thread: {calls}"
    assert all(ticked for _, _, ticked in calls), f"the UI thread handled no events during: {calls}"


def test_broker_refusal_lands_on_problem_screen_with_fix(qtbot, make_window, sandbox):
    sandbox.config.unknown_national_codes = frozenset({"0012345679"})
    window = make_window("fa")
    click(qtbot, start_to_consent(qtbot, window).agree)
    page = wait_page(qtbot, window, "problem")
    from kiosk.broker.errors import describe

    assert page.sentence.text() == describe(1224, None, "fa")
    assert page.fix.isVisibleTo(page) and not page.retry.isVisibleTo(page)
    click(qtbot, page.fix)
    details = wait_page(qtbot, window, "details")
    assert details.edits["national_code"].text() == "۰۰۱۲۳۴۵۶۷۹"  # kept for correction (in the screen's digits)


def test_close_is_refused_without_the_staff_pin(qtbot, make_window):
    window = make_window("fa")
    window.close()
    assert window.isVisible()
    assert window._check_pin("0000") is False
    assert window._check_pin("1234") is True  # demo PIN when none is set


def walk_to(qtbot, window, target):
    """Pass the steps before ``target`` (documents and the selfie capture by themselves)."""
    while True:
        qtbot.waitUntil(lambda: window.current is not None and window.current.name not in ("busy", "details",
                                                                                            "consent"),
                        timeout=30000)
        page = window.current
        if page.name == target or page.name in ("verdict", "problem"):
            return page
        press_ready(qtbot, page)
        finish_photo(qtbot, window, page)  # a card side is sent from its review


def test_selfie_refused_until_tries_run_out(qtbot, make_window, sandbox):
    from ui_helpers import GOOD

    sandbox.config.mismatch_national_codes = frozenset({GOOD["national_code"]})
    window = make_window("en")
    click(qtbot, start_to_consent(qtbot, window).agree)
    page = press_ready(qtbot, walk_to(qtbot, window, "selfie"))
    assert page.name == "selfie"
    total = window.session.tries_total("selfie")
    assert total == 3  # the demo provider's SelfieTryCount
    for attempt in range(1, total):
        qtbot.waitUntil(lambda: page.phase == "failed", timeout=30000)
        assert "did not match" in page.status.text()  # a reason the applicant understands
        assert page.again.isVisibleTo(page)
        assert window.session.tries_left("selfie") == total - attempt
        click(qtbot, page.again)
        assert not page.preparing and page.view.isVisible()  # straight back to the camera, no second preparation
    verdict = wait_page(qtbot, window, "verdict", timeout=40000)
    assert verdict.outcome.text() == "Your identity could not be verified"
    assert "• Photo of the face: failed (tries: 3)" in verdict.staff.text()
    assert "Video reading a sentence: not done" in verdict.staff.text()  # skipped after the failure


def test_video_local_retake_spends_no_broker_try(qtbot, make_window, sandbox):
    window = make_window("fa", **{"microphone.source": "silent"})
    click(qtbot, start_to_consent(qtbot, window).agree)
    page = walk_to(qtbot, window, "selfie_video")
    assert page.name == "selfie_video"
    qtbot.waitUntil(lambda: page.phase == "ready", timeout=20000)
    assert page.sentence.text() and page.sentence.text() != "…"  # GetRandomText's sentence, shown large
    from kiosk.i18n.typography import persian_display
    from kiosk.sandbox.texts import SENTENCES

    assert page.text in SENTENCES  # the broker's own words are what goes back as randomText
    assert page.sentence.text() == persian_display(page.text)  # with Persian half-spaces on screen
    click(qtbot, page.start_button)
    qtbot.waitUntil(lambda: page.phase == "retake", timeout=20000)
    from kiosk.capture.speech import sentence

    assert page.status.text() == sentence("speech.not_heard", "fa")
    assert window.session.tries_left("selfie_video") == window.session.tries_total("selfie_video") == 3
    assert window.session.flow.retake_count("selfie_video") == 1
    assert page.start_button.text() == "ضبط دوباره"
    assert not [p for p in media_files() if p.suffix == ".webm"]  # the local recording is gone


def test_recording_is_encrypted_as_soon_as_it_is_encoded(qtbot, make_window, sandbox):
    window = make_window("en")
    click(qtbot, start_to_consent(qtbot, window).agree)
    page = walk_to(qtbot, window, "selfie_video")
    qtbot.waitUntil(lambda: page.phase == "ready", timeout=20000)
    at_done = {}

    def done(result):  # queued from the capture thread, right after the encode
        at_done["plain"] = [p for p in media_files() if p.name.startswith("rec-") or p.suffix in (".webm", ".part")]
        at_done["ref"], at_done["path"] = getattr(result, "ref", None), result.path
        at_done["pending"] = list(window.session.store.pending())

    during: list[list] = []

    def progress(p):  # while recording: only the encrypted part file, never a WebM header
        if p.elapsed > 1.0 and not during:
            during.append([f.name for f in media_files() if f.name.startswith("rec-") or _has_webm_header(f)])

    page.capture.recording_done.connect(done)
    page.capture.recording_progress.connect(progress)
    click(qtbot, page.start_button)
    qtbot.waitUntil(lambda: "ref" in at_done, timeout=30000)
    assert during == [[]]  # no plaintext while the muxer writes
    assert at_done["plain"] == [] and at_done["path"] is None  # no plaintext WebM on disk
    assert at_done["ref"] is not None and at_done["ref"] in at_done["pending"]  # encrypted in the store
    qtbot.waitUntil(lambda: window.current is not page, timeout=40000)
    video = sandbox._orders[window.session.data.order_id].video
    assert video is not None and video.data[:4] == b"\x1a\x45\xdf\xa3"  # the WebM, streamed from the store
    assert not media_files() or window.session.store.pending() == []


def test_expired_token_is_noticed_on_the_kiosk_clock(qtbot, make_window, sandbox):
    window = make_window("en", camera__source="simulated:dark")  # nothing captured by itself
    click(qtbot, start_to_consent(qtbot, window).agree)
    page = wait_page(qtbot, window, "signature")
    order_id = window.session.data.order_id
    assert window.session.flow.token_expires_at > time.time() + 60  # the sandbox's exp
    window.session.flow.token_expires_at = time.time() - 1  # as if the applicant took too long
    problem = wait_page(qtbot, window, "problem", timeout=20000)  # the engine's 1 s clock, no broker call
    assert problem.sentence.text() == "This verification request has expired. Please start a new session."
    assert not problem.retry.isVisible() and not problem.fix.isVisible()
    assert page.capture is None and not media_files()  # camera released, media wiped
    assert sandbox.token_state(order_id) == KYCRequestStatus.WaitForData  # no AbortToken sent
    from kiosk.core.recovery import journal
    from kiosk.core.sessions_log import SessionsLog

    assert order_id not in [e.order_id for e in journal().entries()]
    with SessionsLog.open() as sessions:
        row = sessions.get(order_id)
    assert row.verdict == "failed" and "1209" in row.error_codes


def test_a_real_broker_refuses_the_demo_pin_and_says_why(qtbot, make_window):
    from kiosk.ui.widgets import PinDialog

    window = make_window("en", broker__url="https://broker.example")
    assert window._check_pin("1234") is False
    dialog = PinDialog(window._check_pin, window)
    dialog.explain = lambda: window.pin_gate.explain(window._pin_key, "en")
    qtbot.addWidget(dialog)
    dialog.edit.setText("1234")
    dialog._try()
    assert "kiosk set-pin" in dialog.error.text() and dialog.result() != dialog.DialogCode.Accepted


def test_the_pin_prompt_says_locked_try_again_in_n_s(qtbot, make_window):
    from kiosk.core.staff_pin import hash_pin

    window = make_window("en", staff__pin_hash=hash_pin("271828", n=2 ** 10))
    for _ in range(3):
        assert window._check_pin("000000") is False
    assert window.pin_gate.explain(window._pin_key, "en") == "Too many wrong PINs: locked, try again in 30 s."
    assert window._check_pin("271828") is False  # locked: even the right PIN waits
