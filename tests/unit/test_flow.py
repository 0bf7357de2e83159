"""The applicant flow state machine on every path."""
from __future__ import annotations

import itertools
import json

import jwt
import pytest

from kiosk.errors import KioskError
from kiosk.broker.models import ProviderProperties
from kiosk.config.settings import Settings
from kiosk.core.flow import (CAPTURE_STATES, Effect, Flow, FlowError, State, steps_for)

ALL = {"SignaturePermission": True, "PersonDocumentTypePermission": [101, 102], "SelfiePermission": True,
       "VideoPermission": True, "AdmittancePermission": True, "SelfieTryCount": 3, "VideoTryCount": 2}
EXP = 10_000.0


class Clock:
    def __init__(self, t: float = 1000.0):
        self.t = t

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def clock():
    return Clock()


def make(clock, idle=60.0, **kw) -> Flow:
    return Flow(clock=clock, idle_timeout=idle, **kw)


def to_registration(f: Flow) -> None:
    f.start()
    f.details_ok()
    f.consent_given()


def registered(f: Flow, props=ALL, exp=EXP):
    to_registration(f)
    return f.registered(props, expires_at=exp)


# ------------------------------------------------------------------ permissions -> steps
DOCS = [None, [], [101], [102], [101, 102], "101,102", 101]


def expected_steps(sig, docs, selfie, video, adm):
    d = {101, 102} if docs == "101,102" else ({docs} if isinstance(docs, int) else set(docs or []))
    out = []
    if sig:
        out.append("signature")
    if 101 in d:
        out.append("id_front")
    if 102 in d:
        out.append("id_back")
    if selfie:
        out.append("selfie")
    if video:
        out.append("selfie_video")
    if adm:
        out.append("admittance_video")
    return out


@pytest.mark.parametrize("sig,docs,selfie,video,adm",
                         list(itertools.product([False, True], DOCS, [False, True], [False, True], [False, True])))
def test_every_permission_combination_walks_to_verifying(clock, sig, docs, selfie, video, adm):
    props = {"SignaturePermission": sig, "PersonDocumentTypePermission": docs, "SelfiePermission": selfie,
             "VideoPermission": video, "AdmittancePermission": adm, "SelfieTryCount": 2, "VideoTryCount": 2}
    want = expected_steps(sig, docs, selfie, video, adm)
    f = make(clock)
    to_registration(f)
    tr = f.registered(props, expires_at=EXP)
    assert [s.value for s in f.steps] == want
    seen = []
    while f.state in CAPTURE_STATES:
        assert tr.effects == (Effect.START_STEP,) and tr.step == f.state.value
        assert f.progress() == (len(seen) + 1, len(want))
        seen.append(f.state.value)
        tr = f.step_passed(f.state)
    assert seen == want
    assert f.state == State.VERIFYING
    assert tr.effects == (Effect.RELEASE_DEVICES, Effect.VERIFY_TOKEN)
    tr = f.verified(True)
    assert f.state == State.VERDICT and f.passed is True
    assert Effect.WIPE_MEDIA in tr.effects and Effect.ABORT_TOKEN not in tr.effects


def test_properties_as_object_and_snake_case_dict():
    obj = ProviderProperties(caller_code="x", signature_permission=True, person_document_type_permission=[102],
                             video_permission=True, selfie_try_count=1, video_try_count=4)
    assert [s.value for s in steps_for(obj)] == ["signature", "id_back", "selfie_video"]
    snake = {"selfie_permission": True, "admittance_permission": "true", "person_document_type_permission": ["101"]}
    assert [s.value for s in steps_for(snake)] == ["id_front", "selfie", "admittance_video"]
    assert steps_for({}) == () and steps_for(None) == ()


def test_try_counts_from_object(clock):
    f = make(clock)
    to_registration(f)
    f.registered(ProviderProperties(caller_code="x", selfie_permission=True, video_permission=True,
                                    admittance_permission=True, selfie_try_count=1, video_try_count=4))
    assert f.tries_total("selfie") == 1
    assert f.tries_total("selfie_video") == 4 and f.tries_total(State.ADMITTANCE_VIDEO) == 4
    assert f.tries_total("signature") == 0 and f.tries_left("signature") == 0  # not a step


def test_no_steps_goes_straight_to_verifying(clock):
    f = make(clock)
    to_registration(f)
    tr = f.registered({"SelfiePermission": False}, expires_at=EXP)
    assert f.state == State.VERIFYING and tr.effects == (Effect.RELEASE_DEVICES, Effect.VERIFY_TOKEN)


# ------------------------------------------------------------------ tries
def go_to(f: Flow, step: State) -> None:
    while f.state != step:
        f.step_passed()


@pytest.mark.parametrize("step,limit", [(State.SELFIE, 3), (State.SELFIE_VIDEO, 2), (State.ADMITTANCE_VIDEO, 2),
                                        (State.SIGNATURE, 3), (State.ID_FRONT, 3), (State.ID_BACK, 3)])
def test_each_step_failing_until_no_try_is_left(clock, step, limit):
    f = make(clock)
    registered(f)
    go_to(f, step)
    assert f.tries_left(step) == limit
    for i in range(limit - 1):
        tr = f.step_failed("liveness", step=step)
        assert f.state == step and tr.effects == (Effect.RETRY_STEP,)
        assert tr.tries_left == f.tries_left(step) == limit - 1 - i
    tr = f.step_failed("liveness")
    assert f.state == State.VERIFYING
    assert tr.effects == (Effect.RELEASE_DEVICES, Effect.VERIFY_TOKEN)
    assert f.failed_step == step and f.failure_reason == "liveness" and f.tries_left(step) == 0
    assert f.tries_used(step) == limit
    later = [s for s in f.steps if f.steps.index(s) > f.steps.index(step)]
    assert all(f.tries_used(s) == 0 for s in later)  # remaining steps skipped
    f.verified(2)
    assert f.passed is False and f.verdict_key == "flow.verdict.failed"


def test_video_try_counts_are_per_step(clock):
    f = make(clock)
    registered(f)
    go_to(f, State.SELFIE_VIDEO)
    f.step_failed("speech")
    f.step_passed()
    assert f.state == State.ADMITTANCE_VIDEO
    assert f.tries_left(State.ADMITTANCE_VIDEO) == 2 and f.tries_left(State.SELFIE_VIDEO) == 1


def test_local_retake_never_spends_a_try(clock):
    f = make(clock)
    registered(f)
    go_to(f, State.SELFIE)
    for _ in range(25):
        tr = f.local_retake("face.too_far")
        assert tr.effects == (Effect.RETRY_STEP,) and tr.tries_left == 3
    assert f.state == State.SELFIE and f.tries_left("selfie") == 3 and f.retake_count("selfie") == 25
    f.step_failed()
    f.local_retake()
    assert f.tries_left("selfie") == 2


@pytest.mark.parametrize("count", [0, None, -1, "x"])
def test_missing_try_count_uses_fallback(clock, count):
    f = make(clock, fallback_tries=4)
    to_registration(f)
    f.registered({"SelfiePermission": True, "SelfieTryCount": count})
    assert f.tries_total("selfie") == 4


def test_failing_with_one_try_ends_at_once(clock):
    f = make(clock)
    to_registration(f)
    f.registered({"SelfiePermission": True, "VideoPermission": True, "SelfieTryCount": 1, "VideoTryCount": 1})
    f.step_failed("verification")
    assert f.state == State.VERIFYING and f.failed_step == State.SELFIE


def test_step_argument_must_match_the_current_step(clock):
    f = make(clock)
    registered(f)
    with pytest.raises(FlowError):
        f.step_passed("selfie")
    with pytest.raises(FlowError):
        f.step_failed(step="no-such-step")
    assert f.state == State.SIGNATURE and f.tries_used("signature") == 0
    f.step_passed("signature")
    assert f.state == State.ID_FRONT


# ------------------------------------------------------------------ cancel, consent, registration
def reach(f: Flow, target: State) -> None:
    """Drive a fresh flow to ``target`` with every permission on."""
    if target == State.WELCOME:
        return
    f.start()
    if target == State.DETAILS:
        return
    f.details_ok()
    if target == State.CONSENT:
        return
    f.consent_given()
    if target == State.REGISTRATION:
        return
    if target == State.FAILSAFE:
        f.registration_failed(1218)
        return
    f.registered(ALL, expires_at=EXP)
    if target in CAPTURE_STATES:
        go_to(f, target)
        return
    go_to(f, State.ADMITTANCE_VIDEO)
    f.step_passed()
    if target == State.VERDICT:
        f.verified(True)


TOKEN_OPEN = {State.SIGNATURE, State.ID_FRONT, State.ID_BACK, State.SELFIE, State.SELFIE_VIDEO,
              State.ADMITTANCE_VIDEO, State.VERIFYING}


@pytest.mark.parametrize("state", list(State))
def test_cancel_from_every_state(clock, state):
    f = make(clock)
    reach(f, state)
    assert f.state == state
    tr = f.cancel()
    assert f.state == State.WELCOME
    if state == State.WELCOME:
        assert tr.effects == ()
        return
    assert (Effect.ABORT_TOKEN in tr.effects) == (state in TOKEN_OPEN)
    assert tr.effects[-3:] == (Effect.RELEASE_DEVICES, Effect.WIPE_MEDIA, Effect.CLEAR_DETAILS)
    assert f.end_reason == "cancelled" and tr.reason == "flow.cancelled"
    assert f.token_open is False
    assert f.cancel().effects == ()  # a second cancel does nothing more
    f.start()  # and a new session can begin
    assert f.state == State.DETAILS


@pytest.mark.parametrize("state", list(State))
def test_reset_from_every_state(clock, state):
    f = make(clock)
    reach(f, state)
    tr = f.reset()
    assert f.state == State.WELCOME
    assert (Effect.ABORT_TOKEN in tr.effects) == (state in TOKEN_OPEN)
    assert (Effect.WIPE_MEDIA in tr.effects) == (state != State.WELCOME)


def test_consent_refused_and_back(clock):
    f = make(clock)
    reach(f, State.CONSENT)
    f.back()
    assert f.state == State.DETAILS
    f.details_ok()
    tr = f.consent_refused()
    assert f.state == State.WELCOME and Effect.ABORT_TOKEN not in tr.effects
    assert Effect.WIPE_MEDIA in tr.effects and Effect.CLEAR_DETAILS in tr.effects
    assert f.end_reason == "consent_refused"


def test_consent_given_asks_for_registration(clock):
    f = make(clock)
    reach(f, State.CONSENT)
    assert f.consent_given().effects == (Effect.REGISTER,)


@pytest.mark.parametrize("code,field", [(1203, "national_code"), (1224, "national_code"), (1204, "mobile"),
                                        (1207, "birth_date"), (1216, "card_serial")])
def test_registration_refusing_a_detail_goes_back_to_details(clock, code, field):
    f = make(clock)
    reach(f, State.REGISTRATION)
    tr = f.registration_failed(code)
    assert f.state == State.DETAILS and tr.field == field and tr.code == code
    assert tr.effects == ()
    f.details_ok()
    f.consent_given()
    f.registered(ALL, expires_at=EXP)
    assert f.state == State.SIGNATURE


@pytest.mark.parametrize("code,token_set", [(None, False), (1201, False), (1213, False), (2101, True)])
def test_registration_failing_otherwise_is_failsafe(clock, code, token_set):
    f = make(clock)
    reach(f, State.REGISTRATION)
    tr = f.registration_failed(code, token_set=token_set)
    assert f.state == State.FAILSAFE and tr.code == code
    assert (Effect.ABORT_TOKEN in tr.effects) == token_set
    assert Effect.NOTIFY_STAFF in tr.effects and Effect.WIPE_MEDIA in tr.effects
    tr = f.finish()
    assert f.state == State.WELCOME and Effect.ABORT_TOKEN not in tr.effects


# ------------------------------------------------------------------ invalid events
EVENTS = {
    "start": lambda f: f.start(),
    "details_ok": lambda f: f.details_ok(),
    "back": lambda f: f.back(),
    "consent_given": lambda f: f.consent_given(),
    "consent_refused": lambda f: f.consent_refused(),
    "registered": lambda f: f.registered(ALL),
    "registration_failed": lambda f: f.registration_failed(1218),
    "step_passed": lambda f: f.step_passed(),
    "step_failed": lambda f: f.step_failed(),
    "local_retake": lambda f: f.local_retake(),
    "verified": lambda f: f.verified(True),
    "finish": lambda f: f.finish(),
    "idle_timeout": lambda f: f.idle_timeout(),
    "token_expired": lambda f: f.token_expired(),
}
ALLOWED = {
    "start": {State.WELCOME},
    "details_ok": {State.DETAILS},
    "back": {State.CONSENT},
    "consent_given": {State.CONSENT},
    "consent_refused": {State.CONSENT},
    "registered": {State.REGISTRATION},
    "registration_failed": {State.REGISTRATION},
    "step_passed": set(CAPTURE_STATES),
    "step_failed": set(CAPTURE_STATES),
    "local_retake": set(CAPTURE_STATES),
    "verified": {State.VERIFYING},
    "finish": {State.VERDICT, State.FAILSAFE},
    "idle_timeout": {State.DETAILS, State.CONSENT, State.VERDICT, State.FAILSAFE} | set(CAPTURE_STATES),
    "token_expired": {State.REGISTRATION, State.VERIFYING} | set(CAPTURE_STATES),
}


@pytest.mark.parametrize("state", list(State))
@pytest.mark.parametrize("event", list(EVENTS))
def test_events_outside_their_states_raise(clock, state, event):
    f = make(clock)
    reach(f, state)
    if state in ALLOWED[event]:
        EVENTS[event](f)
        return
    before = (f.state, len(f.history))
    with pytest.raises(FlowError):
        EVENTS[event](f)
    assert (f.state, len(f.history)) == before


# ------------------------------------------------------------------ time-outs
def test_idle_timeout_by_poll(clock):
    f = make(clock, idle=60)
    reach(f, State.SELFIE)
    clock.t += 59
    assert f.poll() is None and f.idle_remaining() == pytest.approx(1)
    f.touch()
    clock.t += 59
    assert f.poll() is None
    f.local_retake()  # events count as activity too
    clock.t += 59.5
    assert f.poll() is None
    clock.t += 1
    tr = f.poll()
    assert tr is not None and tr.event == "idle_timeout" and f.state == State.WELCOME
    assert tr.effects == (Effect.ABORT_TOKEN, Effect.RELEASE_DEVICES, Effect.WIPE_MEDIA, Effect.CLEAR_DETAILS)
    assert f.end_reason == "idle_timeout"


@pytest.mark.parametrize("state", [State.DETAILS, State.CONSENT, State.VERDICT, State.FAILSAFE])
def test_idle_timeout_in_other_screens(clock, state):
    f = make(clock, idle=30)
    reach(f, state)
    clock.t += 31
    tr = f.poll()
    assert f.state == State.WELCOME and Effect.ABORT_TOKEN not in tr.effects
    assert Effect.WIPE_MEDIA in tr.effects


@pytest.mark.parametrize("state", [State.WELCOME, State.REGISTRATION, State.VERIFYING])
def test_no_idle_timeout_while_waiting_for_the_broker(clock, state):
    f = make(clock, idle=30)
    reach(f, state)
    clock.t += 3000
    assert f.poll() is None and f.state == state and f.idle_remaining() is None


def test_idle_timeout_comes_from_settings(clock):
    s = Settings({"session.idle_timeout": 45})
    f = Flow(settings=s, clock=clock)
    assert f.idle_seconds == 45
    assert Flow(clock=clock).idle_seconds == Settings()["session.idle_timeout"]


def test_token_expiry_by_poll(clock):
    f = make(clock, idle=10_000)
    reach(f, State.CONSENT)
    f.consent_given()
    f.registered(ALL, expires_at=clock.t + 300)
    assert f.expiry_remaining() == pytest.approx(300)
    clock.t += 299
    assert f.poll() is None
    clock.t += 1
    tr = f.poll()
    assert f.state == State.FAILSAFE and tr.event == "token_expired" and tr.code == 1209
    assert Effect.ABORT_TOKEN not in tr.effects  # an expired token cannot be aborted
    assert Effect.WIPE_MEDIA in tr.effects and Effect.RELEASE_DEVICES in tr.effects
    assert f.failure_reason == "flow.token_expired" and f.token_open is False
    assert f.cancel().effects.count(Effect.ABORT_TOKEN) == 0


def test_expiry_margin(clock):
    f = make(clock, idle=10_000, expiry_margin=20)
    to_registration(f)
    f.registered(ALL, expires_at=clock.t + 100)
    clock.t += 79
    assert f.poll() is None
    clock.t += 1
    assert f.poll().event == "token_expired"


def test_expiry_read_from_the_token(clock):
    token = jwt.encode({"exp": int(clock.t) + 120, "nationalCode": "0012345679"}, "s" * 32, algorithm="HS256")
    f = make(clock, idle=10_000)
    to_registration(f)
    f.registered(ALL, token=token)
    assert f.token_expires_at == int(clock.t) + 120
    clock.t += 121
    assert f.poll().event == "token_expired"


def test_expiry_does_not_preempt_verification(clock):
    f = make(clock, idle=10_000)
    reach(f, State.VERIFYING)
    clock.t = EXP + 1
    assert f.poll() is None
    f.token_expired()  # but the worker may report 1209
    assert f.state == State.FAILSAFE


# ------------------------------------------------------------------ errors and verdict
class FakeBrokerError(KioskError):  # the one error family
    def __init__(self, code, key="broker.x"):
        super().__init__("national code 0012345679 refused")
        self.code = code
        self.message_key = key


def test_error_goes_to_failsafe_and_aborts_an_open_token(clock):
    f = make(clock)
    reach(f, State.SELFIE_VIDEO)
    tr = f.error(FakeBrokerError(1101, "capture.failed"))
    assert f.state == State.FAILSAFE
    assert tr.effects == (Effect.ABORT_TOKEN, Effect.RELEASE_DEVICES, Effect.WIPE_MEDIA, Effect.NOTIFY_STAFF)
    assert tr.code == 1101 and tr.reason == "capture.failed" and tr.step == "selfie_video"
    assert "0012345679" not in json.dumps([t.to_dict() for t in f.history])
    f.error(RuntimeError("again"))  # an error in FAILSAFE stays there
    assert f.state == State.FAILSAFE


def test_error_with_code_1209_is_an_expiry(clock):
    f = make(clock)
    reach(f, State.SELFIE)
    tr = f.error(FakeBrokerError(1209))
    assert tr.event == "token_expired" and Effect.ABORT_TOKEN not in tr.effects


def test_error_before_registration_does_not_abort(clock):
    f = make(clock)
    reach(f, State.DETAILS)
    tr = f.error(ValueError("x"))
    assert f.state == State.FAILSAFE and Effect.ABORT_TOKEN not in tr.effects and tr.reason == "ValueError"


class Outcome:
    def __init__(self, verified):
        self.verified = verified


@pytest.mark.parametrize("outcome,passed,key", [
    (True, True, "flow.verdict.passed"), (0, True, "flow.verdict.passed"),
    (Outcome(True), True, "flow.verdict.passed"), (False, False, "flow.verdict.failed"),
    (2, False, "flow.verdict.incomplete"), (Outcome(False), False, "flow.verdict.failed"),
    (object(), False, "flow.verdict.failed"),
])
def test_verdicts(clock, outcome, passed, key):
    f = make(clock)
    reach(f, State.VERIFYING)
    tr = f.verified(outcome)
    assert f.passed is passed and f.verdict_key == key
    assert tr.effects == (Effect.RELEASE_DEVICES, Effect.WIPE_MEDIA)
    incomplete = key == "flow.verdict.incomplete"
    assert f.token_open is incomplete  # "not complete": the broker keeps the token open
    tr = f.finish()
    # a session that ends without a verified verdict closes what it left open at the broker
    assert f.state == State.WELCOME and (Effect.ABORT_TOKEN in tr.effects) is incomplete


def test_not_complete_goes_back_to_the_missing_steps_then_verifies(clock):
    f = make(clock)
    reach(f, State.VERIFYING)
    f.verified(2)
    # every step passed in the kiosk's eyes (the broker lost one): every step with tries left
    assert f.missing_steps == f.steps and f.token_open
    tr = f.resume_missing()
    assert tr.effects == (Effect.START_STEP,) and f.state == f.steps[0] == State.SIGNATURE
    for _ in range(len(f.steps)):
        f.step_passed()
    assert f.state == State.VERIFYING
    f.verified(0)
    assert f.passed and not f.token_open and f.missing_steps == ()


def test_no_going_back_once_verified_or_expired(clock):
    f = make(clock)
    reach(f, State.VERIFYING)
    f.verified(0)
    with pytest.raises(FlowError):
        f.resume_missing()  # verified: nothing to take again
    g = make(clock)
    reach(g, State.VERIFYING)
    g.verified(2)
    clock.t = EXP + 1
    with pytest.raises(FlowError):
        g.resume_missing()  # the token has expired: a new session


def test_history_and_new_session(clock):
    f = make(clock)
    reach(f, State.ID_FRONT)
    first = f.session_id
    events = [t.event for t in f.history]
    assert events == ["start", "details_ok", "consent_given", "registered", "step_passed"]
    assert [t.target.value for t in f.history][-1] == "id_front"
    assert all(isinstance(t.to_dict(), dict) for t in f.history)
    json.dumps([t.to_dict() for t in f.history])
    f.cancel()
    f.start()
    assert f.session_id != first and len(f.history) == 1
    assert f.steps == () and f.tries_left("selfie") == 0


def test_idle_warning_comes_before_the_time_out_and_goes_with_a_touch(clock):
    from kiosk.core.flow import IDLE_WARNING_SECONDS

    f = make(clock, idle=60)
    assert f.idle_warning() is None  # welcome: no idle time-out, no warning
    f.start()
    assert f.idle_warning() is None  # just touched
    clock.t += 60 - IDLE_WARNING_SECONDS - 1
    assert f.idle_warning() is None
    clock.t += 2
    assert f.idle_warning() == pytest.approx(IDLE_WARNING_SECONDS - 1)
    f.touch()  # "I'm still here", a key, a face in front of the camera
    assert f.idle_warning() is None
    short = make(clock, idle=30)  # a short time-out warns for its last third only
    short.start()
    clock.t += 19
    assert short.idle_warning() is None
    clock.t += 2
    assert short.idle_warning() == pytest.approx(9)


def test_journey_counts_the_details_the_consent_and_each_capture_step(clock):
    f = make(clock)
    assert f.journey() is None  # the welcome screen is no step
    f.start()
    assert f.journey() == (1, 8)  # all six capture steps until the provider's permissions are known
    f.details_ok()
    assert f.journey() == (2, 8)
    f.consent_given()
    assert f.journey() is None  # registering: no step
    f.registered({**ALL, "SignaturePermission": False, "PersonDocumentTypePermission": []}, expires_at=EXP)
    assert f.journey() == (3, 5)  # selfie, selfie video, admittance video
    f.step_passed(f.state)
    assert f.journey() == (4, 5)
