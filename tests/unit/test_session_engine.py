"""The session engine (``kiosk.core.session``, no Qt) against a real sandbox broker over a real
socket, its jobs run by the thread-less ``QueueRunner``: every effect the flow emits is carried
out, the local copy of a medium goes once the broker has it, and what a session opened at the
broker is closed however it ends."""
from __future__ import annotations

import sys

import numpy as np
import pytest

from kiosk.broker.client import BrokerClient
from kiosk.config.settings import Settings
from kiosk.core.flow import State
from kiosk.core.journal import TokenJournal
from kiosk.core.media_store import MediaStore
from kiosk.core.session import QueueRunner, SessionEngine, TokenExpired
from kiosk.cvcompat import cv2
from kiosk.errors import KioskError

DETAILS = {"national_code": "0012345679", "birth_date": "1370/01/01", "mobile": "09123456789",
           "card_serial": "1A23456789", "first_name": "علی", "last_name": "رضایی", "father_name": "محمد"}


def _face_bgr(size: int) -> np.ndarray:
    from skimage import data

    return cv2.cvtColor(cv2.resize(data.astronaut(), (size, size)), cv2.COLOR_RGB2BGR)


@pytest.fixture(scope="module")
def media():
    from mediafiles import encode_webm

    ok, jpg = cv2.imencode(".jpg", _face_bgr(480), [cv2.IMWRITE_JPEG_QUALITY, 90])
    card = np.full((300, 480, 3), 235, np.uint8)
    cv2.rectangle(card, (20, 20), (460, 280), (40, 40, 40), 3)
    ok2, png = cv2.imencode(".png", card)
    assert ok and ok2
    webm = encode_webm(cv2.cvtColor(_face_bgr(320), cv2.COLOR_BGR2RGB), 2.0, 10, "speech-like")
    return {"jpeg": jpg.tobytes(), "png": png.tobytes(), "webm": webm}


class Listener:
    def __init__(self):
        self.pages: list[tuple[str, dict]] = []
        self.released = 0
        self.ended: list[str] = []
        self.aborted: list[str] = []

    def show_page(self, name, kw):
        self.pages.append((name, kw))

    def release_devices(self):
        self.released += 1

    def session_ended(self, why):
        self.ended.append(why)

    def token_aborted(self, order_id):
        self.aborted.append(order_id)

    @property
    def page(self) -> str:
        return self.pages[-1][0]


class Clock:
    def __init__(self):
        import time

        self.now = time.time()

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def rig(sandbox, kiosk_home, tmp_path):
    settings = Settings({"broker.retries": 2, "broker.timeout": 10.0, "session.idle_timeout": 60})
    clients = []

    def client_factory():
        c = BrokerClient(sandbox.url, sandbox.credentials, settings)
        c.sleep = lambda _s: None
        clients.append(c)
        return c

    runner = QueueRunner(client_factory)
    listener = Listener()
    journal = TokenJournal(tmp_path / "journal.bin", secret_path=tmp_path / "journal.key")
    clock = Clock()
    engine = SessionEngine(settings, runner, lambda sid: MediaStore(kiosk_home / "media", sid), listener,
                           journal=lambda: journal, clock=clock)
    yield engine, runner, listener, journal, clock
    engine.shutdown()


def _to_capture(engine, runner, listener):
    engine.start()
    assert listener.page == "details"
    engine.details_entered(DETAILS)
    assert listener.page == "consent"
    engine.consent_given()
    assert listener.page == "busy"  # REGISTRATION waits for the broker
    runner.drain()
    assert engine.flow.state in (State.SIGNATURE, State.ID_FRONT, State.SELFIE), listener.pages[-1]


def _send(engine, runner, step, media, results):
    errors: list[BaseException] = []
    if step in ("signature", "id_front", "id_back"):
        engine.send_document(step, media["png"], results.append, errors.append)
    elif step == "selfie":
        engine.send_selfie(media["jpeg"], results.append, errors.append)
    else:
        sentence: list[str] = []
        engine.get_sentence(step, sentence.append, errors.append)
        runner.drain()
        assert sentence, errors
        engine.send_video(step, media["webm"], sentence[0], results.append, errors.append)
    runner.drain()
    assert not errors, errors


def test_a_whole_session_is_verified_and_each_local_copy_goes_once_the_broker_has_it(rig, sandbox, media):
    engine, runner, listener, journal, _clock = rig
    _to_capture(engine, runner, listener)
    order_id = engine.data.order_id
    assert [e.order_id for e in journal.entries()] == [order_id]  # written before SetToken went out
    steps = list(engine.steps)
    assert steps == ["signature", "id_front", "id_back", "selfie", "selfie_video", "admittance_video"]
    store = engine.store
    for step in steps:
        assert listener.page == step
        results: list = []
        _send(engine, runner, step, media, results)
        assert results and getattr(results[0], "passed", True)
        # the broker has it: the encrypted local copy is gone before the next step
        assert store.pending() == [], step
        engine.step_passed(step)
    runner.drain()
    assert listener.page == "verdict" and listener.pages[-1][1]["verified"] is True
    assert engine.flow.state == State.VERDICT
    assert journal.entries() == []  # closed at the broker: nothing to recover
    assert listener.released >= 1  # the flow's release_devices was carried out
    assert runner.calls[0] == "GetTokenProviderProperties+SetToken" and runner.calls[-1] == "VerifyToken"
    assert order_id.isdigit() and len(order_id) == 18  # broker.order_id_format "digits" (the samples')
    engine.finish()
    assert listener.page == "welcome" and listener.ended == ["verdict"] and not engine.active
    assert sandbox._orders[order_id].closed


def test_cancel_mid_capture_aborts_the_token_wipes_the_media_and_forgets_the_details(rig, sandbox, media, kiosk_home):
    engine, runner, listener, journal, _clock = rig
    _to_capture(engine, runner, listener)
    order_id, data = engine.data.order_id, engine.data
    engine.send_document("signature", lambda: (_ for _ in ()).throw(RuntimeError("camera gone")),
                         lambda r: None, lambda e: None)  # a picture that cannot be prepared
    engine.cancel("cancelled")
    assert data.details is None  # clear_details
    assert runner.calls[-1] == "GetTokenProviderProperties+SetToken"  # the queued upload was dropped
    runner.drain()
    assert runner.calls[-1] == "AbortToken" and listener.aborted == [order_id]
    assert sandbox._orders[order_id].aborted
    assert journal.entries() == []
    assert listener.page == "welcome" and listener.ended == ["cancelled"]
    assert engine.store is None and not [p for p in (kiosk_home / "media").rglob("*") if p.is_file()]


def test_a_picture_that_cannot_be_prepared_is_a_retake_not_a_crash(rig, media):
    engine, runner, listener, _journal, _clock = rig
    _to_capture(engine, runner, listener)
    errors: list[BaseException] = []
    engine.send_document("signature", lambda: (_ for _ in ()).throw(ValueError("bad")), lambda r: None,
                         errors.append)
    runner.drain()
    assert len(errors) == 1 and isinstance(errors[0], KioskError) and errors[0].staff_action == "retake"
    assert errors[0].sentence("en") and errors[0].sentence("fa") != errors[0].sentence("en")


def test_idle_on_the_engine_clock_cancels_and_aborts(rig, sandbox):
    engine, runner, listener, journal, clock = rig
    _to_capture(engine, runner, listener)
    order_id = engine.data.order_id
    clock.now += 59
    assert engine.tick() is None  # not yet
    engine.touch()  # someone is there
    clock.now += 59
    assert engine.tick() is None
    clock.now += 61
    assert engine.tick() == "idle"
    runner.drain()
    assert listener.ended == ["idle"] and listener.page == "welcome"
    assert sandbox._orders[order_id].aborted and journal.entries() == []


def test_idle_after_a_failed_registration_is_not_forever(rig, sandbox):
    """A registration that failed (the broker down) leaves the problem page waiting for the
    staff: nobody comes back, the session still ends."""
    engine, runner, listener, _journal, clock = rig
    sandbox.set_faults({"status": 503, "methods": ["SetToken"]})
    engine.start()
    engine.details_entered(DETAILS)
    engine.consent_given()
    runner.drain()
    assert listener.page == "problem" and engine.flow.state == State.REGISTRATION
    clock.now += 61
    assert engine.tick() == "idle" and listener.ended == ["idle"]


def test_token_expiry_on_the_engine_clock(rig, sandbox, media):
    engine, runner, listener, journal, clock = rig
    _to_capture(engine, runner, listener)
    clock.now = engine.flow.token_expires_at + 1
    assert engine.tick() == "expired"
    name, kw = listener.pages[-1]
    assert name == "problem" and isinstance(kw["error"], TokenExpired) and kw["error"].code == 1209
    assert journal.entries() == [] and engine.flow.state == State.FAILSAFE
    engine.problem_action("new_session")
    assert listener.page == "welcome" and not engine.active


def test_a_lost_settoken_answer_is_aborted_and_try_again_registers_a_new_order(rig, sandbox):
    engine, runner, listener, journal, _clock = rig
    sandbox.set_faults({"reset": True, "process": True, "methods": ["SetToken"], "times": 1})
    engine.start()
    engine.details_entered(DETAILS)
    engine.consent_given()
    runner.drain()
    first = engine.data.order_id
    assert listener.page == "problem"
    assert sandbox._orders[first].aborted  # the broker had it; the kiosk closed it
    assert journal.entries() == []
    engine.problem_action("retry")
    runner.drain()
    second = engine.data.order_id
    assert second != first and engine.flow.state == State.SIGNATURE
    assert [e.order_id for e in journal.entries()] == [second]


def test_a_refused_detail_goes_back_to_the_form_with_what_was_typed(rig, sandbox):
    engine, runner, listener, journal, _clock = rig
    sandbox.config.unknown_national_codes = frozenset({"0012345679"})
    engine.start()
    engine.details_entered(DETAILS)
    engine.consent_given()
    runner.drain()
    name, kw = listener.pages[-1]
    assert name == "problem" and kw["error"].code == 1224 and kw["error"].staff_action == "fix_input"
    assert journal.entries() == []  # refused: nothing open
    engine.problem_action("fix_input")
    assert listener.pages[-1] == ("details", {"keep": True}) and engine.flow.state == State.DETAILS
    assert engine.data.details == DETAILS and engine.data.order_id == ""


def test_the_engine_imports_without_qt():
    import subprocess

    code = ("import sys\nsys.modules['PySide6'] = None\nimport kiosk.core.session\n"
            "print(sorted(m for m in sys.modules if m.startswith('PySide6') and sys.modules[m]))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "[]"


def test_a_retried_registration_never_reuses_an_order_id_in_the_alphanumeric_form(rig, sandbox):
    engine, runner, listener, _journal, _clock = rig
    engine.settings.set("broker.order_id_format", "alphanumeric")
    sandbox.set_faults({"status": 503, "methods": ["SetToken"], "times": 1})
    engine.start()
    engine.details_entered(DETAILS)
    engine.consent_given()
    runner.drain()
    first = engine.data.order_id
    engine.problem_action("retry")
    runner.drain()
    assert engine.flow.state == State.SIGNATURE
    assert engine.data.order_id != first and engine.data.order_id.startswith("KSK")


def test_a_session_that_ends_on_not_complete_aborts_the_token(rig, sandbox, media):
    engine, runner, listener, journal, _clock = rig
    _to_capture(engine, runner, listener)
    order_id = engine.data.order_id
    for step in list(engine.steps):
        engine.step_passed(step)  # nothing reached the broker
    runner.drain()
    assert listener.pages[-1][1]["incomplete"] is True
    engine.finish()
    runner.drain()
    assert listener.aborted == [order_id] and journal.entries() == []
    assert sandbox._orders[order_id].aborted


def test_not_complete_is_not_failed_the_staff_takes_the_missing_steps_then_verified(rig, sandbox, media):
    """VerifyToken answers "not complete" (code 2) when the broker lacks a medium (here the
    signature, which the kiosk believed sent): the token stays open, the staff goes back to the
    steps, and the second VerifyToken verifies."""
    engine, runner, listener, journal, _clock = rig
    _to_capture(engine, runner, listener)
    order_id = engine.data.order_id
    engine.step_passed("signature")  # as if its upload had been lost at the broker
    for step in list(engine.steps)[1:]:
        _send(engine, runner, step, media, [])
        engine.step_passed(step)
    runner.drain()
    name, kw = listener.pages[-1]
    assert name == "verdict" and kw["verified"] is False and kw["incomplete"] is True
    assert kw["missing"] == list(engine.steps)  # the answer does not say which: every step with tries left
    assert engine.flow.token_open and [e.order_id for e in journal.entries()] == [order_id]
    engine.resume_missing()
    for step in list(engine.steps):
        assert listener.page == step
        results: list = []
        _send(engine, runner, step, media, results)
        assert results and getattr(results[0], "passed", True), (step, listener.pages[-1], sandbox._orders[order_id].errors)
        engine.step_passed(step)
    runner.drain()
    name, kw = listener.pages[-1]
    assert name == "verdict" and kw["verified"] is True, sandbox._orders[order_id].errors
    assert journal.entries() == []
