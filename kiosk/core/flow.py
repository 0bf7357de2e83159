"""The applicant flow as a state machine: no Qt, no I/O, a clock injected.

Screens (``State``): WELCOME -> DETAILS -> CONSENT -> REGISTRATION -> the capture steps the
provider's permissions allow (SIGNATURE, ID_FRONT, ID_BACK, SELFIE, SELFIE_VIDEO,
ADMITTANCE_VIDEO, in that order) -> VERIFYING -> VERDICT, plus FAILSAFE when something broke.
Cancel goes back to WELCOME from every state (the ``cancel`` event; there is no resting
CANCELLED state, ``Flow.end_reason`` says "cancelled").

Each event method returns a ``Transition`` whose ``effects`` the UI/worker layer must carry out,
in order (the flow never does I/O itself):

* ``register``: build and sign the token, SetToken, GetTokenProviderProperties, write the
  open-token journal; then call ``registered(properties, ...)`` or ``registration_failed(code)``.
* ``start_step``: prepare the step named in ``Transition.step`` (open the camera/microphone,
  GetRandomText / GetAdmittanceText for the videos).
* ``retry_step``: the same step again (a new random sentence for the selfie video).
* ``verify_token``: VerifyToken; then ``verified(outcome)`` or ``error(exc)``.
* ``abort_token``: AbortToken; drop the journal entry once the broker has answered (0, or
  1209/1212/1222/1223: already closed). If the broker cannot be reached, keep the entry: the
  next start aborts it (``kiosk.core.journal``).
* ``release_devices``: close camera and microphone.
* ``wipe_media``: ``MediaStore.wipe()`` of the session.
* ``clear_details``: forget the applicant's details (form fields, the token in memory).
* ``notify_staff``: show the failsafe page's staff notice / log the failure (no personal data).

Try counts. The broker counts failed tries per step: the selfie allows ``SelfieTryCount`` tries,
the selfie video ``VideoTryCount`` and the admittance video, separately, ``VideoTryCount`` too
(the sandbox broker counts them the same way). A count missing or <= 0 means "the broker sets
no limit": the kiosk then allows ``fallback_tries`` (3) so an applicant is never in an endless
loop. Signature and ID card uploads have no broker count: ``document_tries`` (3) applies.
``step_failed`` spends a try (a media check the broker refused); ``local_retake`` (the kiosk's
own pre-check, or a format error that the broker does not count) spends none. When a step has
no try left, the remaining steps are skipped and the flow goes to VERIFYING: VerifyToken closes
the token as NotComplete and the verdict page shows which step failed and why
(``Flow.failed_step``, ``Flow.failure_reason``).

Time-outs, from the injected clock (seconds, the same scale as the token's ``exp``, by
default ``time.time``): ``session.idle_timeout`` seconds without an event or ``touch()`` cancel
the session in an applicant-facing state (not while REGISTRATION/VERIFYING wait for a broker
call under way, which has its own time-outs); a registered token whose ``exp`` has passed moves a
capture step to FAILSAFE (``token_expired``: no AbortToken, the broker answers 1209 to
everything and closes the token itself). ``poll()`` checks both; the UI calls it from a timer.

Invalid events in a state raise ``FlowError``; the state is then unchanged.
"""
from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from kiosk.broker.codes import ExceptionCode, ResponseCode
from kiosk.broker.tokens import unverified_claims
from kiosk.config.settings import Settings
from kiosk.errors import KioskError


class State(str, Enum):
    WELCOME = "welcome"
    DETAILS = "details"
    CONSENT = "consent"
    REGISTRATION = "registration"
    SIGNATURE = "signature"
    ID_FRONT = "id_front"
    ID_BACK = "id_back"
    SELFIE = "selfie"
    SELFIE_VIDEO = "selfie_video"
    ADMITTANCE_VIDEO = "admittance_video"
    VERIFYING = "verifying"
    VERDICT = "verdict"
    FAILSAFE = "failsafe"

    def __str__(self) -> str:
        return self.value


class Effect(str, Enum):
    REGISTER = "register"
    START_STEP = "start_step"
    RETRY_STEP = "retry_step"
    VERIFY_TOKEN = "verify_token"
    ABORT_TOKEN = "abort_token"
    RELEASE_DEVICES = "release_devices"
    WIPE_MEDIA = "wipe_media"
    CLEAR_DETAILS = "clear_details"
    NOTIFY_STAFF = "notify_staff"

    def __str__(self) -> str:
        return self.value


#: Capture steps in the order the applicant meets them.
STEP_ORDER: tuple[State, ...] = (State.SIGNATURE, State.ID_FRONT, State.ID_BACK, State.SELFIE,
                                 State.SELFIE_VIDEO, State.ADMITTANCE_VIDEO)
CAPTURE_STATES = frozenset(STEP_ORDER)
#: States where the applicant (or staff) is expected to act: the idle time-out applies.
IDLE_STATES = frozenset({State.DETAILS, State.CONSENT, State.VERDICT, State.FAILSAFE} | CAPTURE_STATES)
#: The idle warning (a countdown and "I'm still here") shows this long before the time-out.
IDLE_WARNING_SECONDS = 20.0
#: States that wait for a broker call (the idle time-out applies once no call is under way).
WAIT_STATES = frozenset({State.REGISTRATION, State.VERIFYING})
#: States where a registered token may still be open.
TOKEN_STATES = frozenset({State.REGISTRATION, State.VERIFYING} | CAPTURE_STATES)

#: SetToken refusals that are about a detail the staff member can correct: back to DETAILS.
DETAIL_CODES: dict[int, str] = {
    int(ExceptionCode.InvalidNationalCode): "national_code",
    int(ExceptionCode.NationalCodeNotExists): "national_code",
    int(ExceptionCode.InvalidPhoneNumber): "mobile",
    int(ExceptionCode.InvalidBirthDate): "birth_date",
    int(ExceptionCode.InvalidCardSerialNo): "card_serial",
}


class FlowError(RuntimeError):
    """An event that is not valid in the current state (a bug in the caller)."""

    def __init__(self, event: str, state: State, why: str = ""):
        super().__init__(f"flow: {event!r} is not valid in state {state.value}" + (f" ({why})" if why else ""))
        self.event = event
        self.state = state


@dataclass(frozen=True)
class Transition:
    """One event handled. Holds no personal data: safe to log and keep in the session history."""

    event: str
    source: State
    target: State
    effects: tuple[Effect, ...] = ()
    at: float = 0.0
    step: str | None = None          # the capture step concerned
    reason: str | None = None        # a message key or short code (never a value typed)
    code: int | None = None          # a broker ExceptionCode, when one caused it
    field: str | None = None         # the detail field a broker refusal points at
    tries_left: int | None = None    # for step events

    @property
    def changed(self) -> bool:
        return self.source != self.target

    def to_dict(self) -> dict[str, Any]:
        d = {"event": self.event, "from": self.source.value, "to": self.target.value,
             "effects": [e.value for e in self.effects], "at": self.at}
        for k in ("step", "reason", "code", "field", "tries_left"):
            v = getattr(self, k)
            if v is not None:
                d[k] = v
        return d


# -- reading provider properties (a dict keyed as method 5's answer, snake_case keys, or an object)
def _prop(props: Any, pascal: str, default: Any = None) -> Any:
    snake = "".join("_" + c.lower() if c.isupper() else c for c in pascal).lstrip("_")
    if props is None:
        return default
    if isinstance(props, dict):
        if pascal in props:
            return props[pascal]
        return props.get(snake, default)
    if hasattr(props, snake):
        return getattr(props, snake)
    return getattr(props, pascal, default)


def _flag(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes")
    return bool(value)


def _document_types(value: Any) -> set[int]:
    if value is None or value is False:
        return set()
    if isinstance(value, (int, str)) and not isinstance(value, bool):
        value = str(value).replace(";", ",").replace(" ", ",").split(",")
    out = set()
    for v in value if isinstance(value, Iterable) else ():
        try:
            out.add(int(v))
        except (TypeError, ValueError):
            continue
    return out


def steps_for(properties: Any) -> tuple[State, ...]:
    """The capture steps a provider's permissions allow, in order."""
    docs = _document_types(_prop(properties, "PersonDocumentTypePermission"))
    wanted = {
        State.SIGNATURE: _flag(_prop(properties, "SignaturePermission", False)),
        State.ID_FRONT: 101 in docs,
        State.ID_BACK: 102 in docs,
        State.SELFIE: _flag(_prop(properties, "SelfiePermission", False)),
        State.SELFIE_VIDEO: _flag(_prop(properties, "VideoPermission", False)),
        State.ADMITTANCE_VIDEO: _flag(_prop(properties, "AdmittancePermission", False)),
    }
    return tuple(s for s in STEP_ORDER if wanted[s])


def _count(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _as_state(step: Any) -> State:
    try:
        return step if isinstance(step, State) else State(str(step))
    except ValueError:
        raise FlowError("step", State.WELCOME, f"unknown step {step!r}") from None


class Flow:
    """One kiosk's applicant flow. Re-used across sessions: ``start()`` begins a new one."""

    def __init__(self, settings: Any = None, clock: Callable[[], float] = time.time,
                 idle_timeout: float | None = None, fallback_tries: int = 3, document_tries: int = 3,
                 expiry_margin: float = 0.0):
        if idle_timeout is None:
            if settings is None:
                settings = Settings()
            idle_timeout = float(settings["session.idle_timeout"])
        self.clock = clock
        self.idle_seconds = float(idle_timeout)
        self.fallback_tries = max(1, int(fallback_tries))
        self.document_tries = max(1, int(document_tries))
        self.expiry_margin = float(expiry_margin)
        self.state = State.WELCOME
        self.history: list[Transition] = []
        self.session_id: str | None = None
        self._clear_session()
        self.last_activity = self.clock()

    # -- session bookkeeping
    def _clear_session(self) -> None:
        self.steps: tuple[State, ...] = ()
        self.limits: dict[State, int] = {}
        self.used: dict[State, int] = {}
        self.retakes: dict[State, int] = {}
        self.passed_steps: list[State] = []
        self.token_open = False
        self.token_expires_at: float | None = None
        self.failed_step: State | None = None
        self.failure_reason: str | None = None
        self.failure_code: int | None = None
        self.outcome: Any = None
        self.passed: bool | None = None
        self.end_reason: str | None = None

    def _go(self, event: str, target: State, effects: Iterable[Effect] = (), **info: Any) -> Transition:
        now = self.clock()
        tr = Transition(event=event, source=self.state, target=target, effects=tuple(effects), at=now, **info)
        self.state = target
        self.last_activity = now
        self.history.append(tr)
        return tr

    def _expect(self, event: str, *states: State) -> None:
        if self.state not in states:
            raise FlowError(event, self.state)

    def _capture_step(self, event: str, step: Any) -> State:
        if self.state not in CAPTURE_STATES:
            raise FlowError(event, self.state)
        if step is not None and _as_state(step) != self.state:
            raise FlowError(event, self.state, f"the current step is {self.state.value}, not {step}")
        return self.state

    def _ending(self, abort: bool) -> list[Effect]:
        effects = [Effect.ABORT_TOKEN] if abort else []
        effects += [Effect.RELEASE_DEVICES, Effect.WIPE_MEDIA, Effect.CLEAR_DETAILS]
        return effects

    def _next_after(self, step: State | None) -> tuple[State, list[Effect]]:
        idx = -1 if step is None else self.steps.index(step)
        if idx + 1 < len(self.steps):
            return self.steps[idx + 1], [Effect.START_STEP]
        return State.VERIFYING, [Effect.RELEASE_DEVICES, Effect.VERIFY_TOKEN]

    # -- queries
    @property
    def current_step(self) -> State | None:
        return self.state if self.state in CAPTURE_STATES else None

    def tries_total(self, step: Any) -> int:
        return self.limits.get(_as_state(step), 0)

    def tries_used(self, step: Any) -> int:
        """Failed tries spent at the broker (as the broker counts them: passes are not counted)."""
        return self.used.get(_as_state(step), 0)

    def tries_left(self, step: Any) -> int:
        s = _as_state(step)
        return max(0, self.limits.get(s, 0) - self.used.get(s, 0))

    def retake_count(self, step: Any) -> int:
        return self.retakes.get(_as_state(step), 0)

    def progress(self) -> tuple[int, int] | None:
        """(1-based index, number of steps) while in a capture step."""
        if self.state in self.steps:
            return self.steps.index(self.state) + 1, len(self.steps)
        return None

    def journey(self) -> tuple[int, int] | None:
        """(1-based step, number of steps) of the applicant's whole way: the details form, the
        consent, then each capture step (all of them until the provider's permissions are known);
        None on the screens that are no step (waiting, verdict, problem)."""
        steps = self.steps or tuple(STEP_ORDER)
        total = 2 + len(steps)
        if self.state == State.DETAILS:
            return 1, total
        if self.state == State.CONSENT:
            return 2, total
        if self.state in steps:
            return 3 + steps.index(self.state), total
        return None

    def idle_remaining(self) -> float | None:
        """Seconds before the idle time-out, or None where it does not apply."""
        if self.state not in IDLE_STATES:
            return None
        return max(0.0, self.last_activity + self.idle_seconds - self.clock())

    def idle_warning(self) -> float | None:
        """Seconds before the idle time-out while the applicant should be warned (the last
        ``IDLE_WARNING_SECONDS``, at most a third of the time-out), else None."""
        left = self.idle_remaining()
        if left is None:
            return None
        return left if left <= min(IDLE_WARNING_SECONDS, self.idle_seconds / 3) else None

    def expiry_remaining(self) -> float | None:
        """Seconds before the open token expires, or None."""
        if not self.token_open or self.token_expires_at is None:
            return None
        return max(0.0, self.token_expires_at - self.expiry_margin - self.clock())

    @property
    def verdict_key(self) -> str | None:
        if self.state != State.VERDICT:
            return None
        if self.passed:
            return "flow.verdict.passed"
        if self.failed_step is None and _response_code(self.outcome) == ResponseCode.Failed:
            return "flow.verdict.incomplete"
        return "flow.verdict.failed"

    # -- events
    def touch(self) -> None:
        """Activity from the applicant or staff (a key, a tap, a face in front of the camera)."""
        self.last_activity = self.clock()

    def start(self) -> Transition:
        """Staff starts a session: a new session id, the details form."""
        self._expect("start", State.WELCOME)
        self._clear_session()
        self.history = []
        self.session_id = uuid.uuid4().hex
        return self._go("start", State.DETAILS)

    def details_ok(self) -> Transition:
        self._expect("details_ok", State.DETAILS)
        return self._go("details_ok", State.CONSENT)

    def back(self) -> Transition:
        """From the consent page back to the details (to correct them)."""
        self._expect("back", State.CONSENT)
        return self._go("back", State.DETAILS)

    def consent_given(self) -> Transition:
        self._expect("consent_given", State.CONSENT)
        return self._go("consent_given", State.REGISTRATION, [Effect.REGISTER])

    def consent_refused(self) -> Transition:
        self._expect("consent_refused", State.CONSENT)
        self.end_reason = "consent_refused"
        return self._go("consent_refused", State.WELCOME, self._ending(abort=False),
                        reason="flow.consent_refused")

    def registered(self, properties: Any, expires_at: float | None = None, token: str | None = None) -> Transition:
        """SetToken and GetTokenProviderProperties succeeded. ``expires_at``: the token's ``exp``
        (clock seconds); read from ``token`` (unverified) when not given."""
        self._expect("registered", State.REGISTRATION)
        if expires_at is None and token:
            exp = unverified_claims(token).get("exp")
            expires_at = float(exp) if isinstance(exp, (int, float)) else None
        self.steps = steps_for(properties)
        selfie = _count(_prop(properties, "SelfieTryCount"))
        video = _count(_prop(properties, "VideoTryCount"))
        for s in self.steps:
            if s == State.SELFIE:
                self.limits[s] = selfie if selfie > 0 else self.fallback_tries
            elif s in (State.SELFIE_VIDEO, State.ADMITTANCE_VIDEO):
                self.limits[s] = video if video > 0 else self.fallback_tries
            else:
                self.limits[s] = self.document_tries
        self.token_open = True
        self.token_expires_at = expires_at
        target, effects = self._next_after(None)
        return self._go("registered", target, effects, step=target.value if target in CAPTURE_STATES else None)

    def registration_failed(self, code: int | None = None, token_set: bool = False) -> Transition:
        """Registration did not succeed. A refusal about a detail (1203, 1204, 1207, 1216, 1224)
        goes back to DETAILS with ``field`` set; anything else to FAILSAFE. ``token_set``: SetToken
        had succeeded (the properties call failed), so the token must be aborted."""
        self._expect("registration_failed", State.REGISTRATION)
        code = None if code is None else int(code)
        abort = [Effect.ABORT_TOKEN] if token_set else []
        if code in DETAIL_CODES:
            return self._go("registration_failed", State.DETAILS, abort, reason="flow.details_refused",
                            code=code, field=DETAIL_CODES[code])
        self.failure_reason, self.failure_code = "flow.registration_failed", code
        self.end_reason = "failsafe"
        return self._go("registration_failed", State.FAILSAFE,
                        abort + [Effect.RELEASE_DEVICES, Effect.WIPE_MEDIA, Effect.NOTIFY_STAFF],
                        reason="flow.registration_failed", code=code)

    def retry_registration(self) -> Transition:
        """The staff's "Try again" after a registration that did not go through: register again
        (a new order id when a token was sent for the old one). From REGISTRATION (a retryable
        failure left the flow there) or FAILSAFE with no token open."""
        if self.state != State.REGISTRATION and not (self.state == State.FAILSAFE and not self.token_open):
            raise FlowError("retry_registration", self.state)
        self.failure_reason = self.failure_code = self.end_reason = None
        return self._go("retry_registration", State.REGISTRATION, [Effect.REGISTER])

    def back_to_details(self) -> Transition:
        """The staff corrects the applicant's details (a detail the broker refused): back to the
        form, which keeps what was typed. A token still open is aborted and its media wiped."""
        if self.state == State.WELCOME:
            raise FlowError("back_to_details", self.state)
        effects = [Effect.ABORT_TOKEN, Effect.RELEASE_DEVICES, Effect.WIPE_MEDIA] if self.token_open else []
        keep_id = self.session_id
        self._clear_session()
        self.session_id = keep_id
        return self._go("back_to_details", State.DETAILS, effects)

    def step_passed(self, step: Any = None) -> Transition:
        s = self._capture_step("step_passed", step)
        self.passed_steps.append(s)
        target, effects = self._next_after(s)
        return self._go("step_passed", target, effects,
                        step=target.value if target in CAPTURE_STATES else s.value)

    def step_failed(self, reason: str | None = None, step: Any = None) -> Transition:
        """The broker refused the medium: one try spent. Stays on the step while tries are left
        (``retry_step``), else skips to VERIFYING with the failure recorded."""
        s = self._capture_step("step_failed", step)
        self.used[s] = self.used.get(s, 0) + 1
        left = self.tries_left(s)
        reason = None if reason is None else str(reason)
        if left > 0:
            return self._go("step_failed", s, [Effect.RETRY_STEP], step=s.value, reason=reason, tries_left=left)
        self.failed_step, self.failure_reason = s, reason or "flow.no_tries_left"
        return self._go("step_failed", State.VERIFYING, [Effect.RELEASE_DEVICES, Effect.VERIFY_TOKEN],
                        step=s.value, reason=self.failure_reason, tries_left=0)

    def local_retake(self, reason: str | None = None, step: Any = None) -> Transition:
        """Take the step again because of the kiosk's own check: no broker try spent."""
        s = self._capture_step("local_retake", step)
        self.retakes[s] = self.retakes.get(s, 0) + 1
        return self._go("local_retake", s, [Effect.RETRY_STEP], step=s.value,
                        reason=None if reason is None else str(reason), tries_left=self.tries_left(s))

    def verified(self, outcome: Any) -> Transition:
        """VerifyToken answered. ``outcome``: True/False, the broker's response code (0 verified,
        2 not complete), or an object with a boolean ``verified``/``passed``/``ok``."""
        self._expect("verified", State.VERIFYING)
        self.outcome = outcome
        self.passed = _passed(outcome) and self.failed_step is None
        # "not complete" (code 2): the broker keeps the token open; the staff may take the
        # missing steps while it lives, and a session that ends so aborts it
        self.token_open = not self.passed and _response_code(outcome) == ResponseCode.Failed
        self.end_reason = "verified" if self.passed else "not_verified"
        return self._go("verified", State.VERDICT, [Effect.RELEASE_DEVICES, Effect.WIPE_MEDIA],
                        reason="flow.verdict.passed" if self.passed else "flow.verdict.failed")

    @property
    def missing_steps(self) -> tuple[State, ...]:
        """After a "not complete" verdict: the steps the staff can go back to while the token
        lives: those the kiosk did not see pass, with tries left; when the kiosk saw every step
        pass (the broker lost one), every step with tries left (the answer does not say which)."""
        if self.state != State.VERDICT or not self.token_open:
            return ()
        open_steps = [s for s in self.steps if self.tries_left(s) > 0]
        not_passed = [s for s in open_steps if s not in self.passed_steps]
        return tuple(not_passed or open_steps)

    def resume_missing(self) -> Transition:
        """Back to exactly the missing steps (``missing_steps``), then VerifyToken again."""
        missing = self.missing_steps
        if not missing:
            raise FlowError("resume_missing", self.state, "no missing step can be taken")
        if self.token_expires_at is not None and self.clock() >= self.token_expires_at - self.expiry_margin:
            raise FlowError("resume_missing", self.state, "the token has expired")
        self.steps = missing
        self.passed_steps = []
        self.outcome, self.passed, self.end_reason = None, None, None
        return self._go("resume_missing", missing[0], [Effect.START_STEP], step=missing[0].value)

    def finish(self) -> Transition:
        """Staff closes the verdict or failsafe page: back to WELCOME, everything wiped."""
        self._expect("finish", State.VERDICT, State.FAILSAFE)
        abort = self.token_open
        self.token_open = False
        return self._go("finish", State.WELCOME, self._ending(abort))

    def cancel(self) -> Transition:
        """Cancel from any screen: AbortToken if a token is open, wipe, back to WELCOME."""
        if self.state == State.WELCOME:
            return self._go("cancel", State.WELCOME)
        abort = self.token_open
        self.token_open = False
        self.end_reason = "cancelled"
        return self._go("cancel", State.WELCOME, self._ending(abort), reason="flow.cancelled")

    def idle_timeout(self, broker_busy: bool = True) -> Transition:
        if not self._idle_applies(broker_busy):
            raise FlowError("idle_timeout", self.state)
        abort = self.token_open
        self.token_open = False
        self.end_reason = "idle_timeout"
        return self._go("idle_timeout", State.WELCOME, self._ending(abort), reason="flow.idle_timeout")

    def token_expired(self) -> Transition:
        """The token's ``exp`` passed (or the broker answered 1209): no AbortToken is possible."""
        if self.state not in TOKEN_STATES:
            raise FlowError("token_expired", self.state)
        self.token_open = False
        self.failure_reason, self.failure_code = "flow.token_expired", int(ExceptionCode.TokenExpired)
        self.end_reason = "token_expired"
        return self._go("token_expired", State.FAILSAFE,
                        [Effect.RELEASE_DEVICES, Effect.WIPE_MEDIA, Effect.NOTIFY_STAFF],
                        reason="flow.token_expired", code=int(ExceptionCode.TokenExpired),
                        step=self.current_step.value if self.current_step else None)

    def error(self, exc: BaseException | None = None) -> Transition:
        """Anything unexpected: FAILSAFE, AbortToken if a token is open, wipe. Keeps only the
        error's type, broker code and message key (never its text, which may hold data)."""
        known = exc if isinstance(exc, KioskError) else None
        code = int(known.code) if known is not None and known.code is not None else None
        if code == int(ExceptionCode.TokenExpired) and self.state in TOKEN_STATES:
            return self.token_expired()
        reason = (known.message_key if known is not None else None) or (type(exc).__name__ if exc is not None else "error")
        abort = self.token_open
        self.token_open = False
        self.failure_reason, self.failure_code = str(reason), code
        self.end_reason = "failsafe"
        step = self.current_step.value if self.current_step else None
        effects = ([Effect.ABORT_TOKEN] if abort else []) + [Effect.RELEASE_DEVICES, Effect.WIPE_MEDIA,
                                                             Effect.NOTIFY_STAFF]
        return self._go("error", State.FAILSAFE, effects, reason=str(reason), code=code, step=step)

    def reset(self) -> Transition:
        """Back to WELCOME from anywhere (staff's hard reset, application shutdown)."""
        abort = self.token_open
        effects = self._ending(abort) if self.state != State.WELCOME or abort else []
        self.token_open = False
        if self.state != State.WELCOME:
            self.end_reason = self.end_reason or "reset"
        return self._go("reset", State.WELCOME, effects)

    def poll(self, broker_busy: bool = True) -> Transition | None:
        """Check the time-outs against the clock; the transition made, if any. ``broker_busy``:
        a broker call is under way. REGISTRATION and VERIFYING wait for the broker (which has
        its own time-outs) only while one is: a registration that failed and waits for the
        staff's "Try again" is idle like any other screen."""
        now = self.clock()
        if (self.token_open and self.token_expires_at is not None and self.state in CAPTURE_STATES
                and now >= self.token_expires_at - self.expiry_margin):
            return self.token_expired()
        if self._idle_applies(broker_busy) and now - self.last_activity >= self.idle_seconds:
            return self.idle_timeout(broker_busy)
        return None

    def _idle_applies(self, broker_busy: bool = True) -> bool:
        return self.state in IDLE_STATES or (not broker_busy and self.state in WAIT_STATES)


def _response_code(outcome: Any) -> int | None:
    if isinstance(outcome, int) and not isinstance(outcome, bool):
        return outcome
    code = getattr(outcome, "code", getattr(outcome, "response_code", None))
    return code if isinstance(code, int) and not isinstance(code, bool) else None


def _passed(outcome: Any) -> bool:
    if isinstance(outcome, bool):
        return outcome
    for name in ("verified", "passed", "ok"):
        value = getattr(outcome, name, None)
        if isinstance(value, bool):
            return value
    return _response_code(outcome) == ResponseCode.Success
