"""The applicant's session as an engine with no Qt: one home for what a session decides.

``kiosk.core.flow.Flow`` is the state machine (which screen, which tries are left, which effects
an event has). ``SessionEngine`` owns one ``Flow`` and carries out every effect the flow emits,
in order (as pibooth's states carry out their entry and exit actions), with the jobs that talk to
the broker handed to a ``Runner`` (as Anki hands its Qt-free operations to a thin background
runner):

==================  ==========================================================================
effect              carried out by
==================  ==========================================================================
``register``        ``_register``: GetTokenProviderProperties (the token carries the
                    admittance sentence when the provider asks for one), the token built and
                    written to the open-token journal *before* SetToken is sent (a lost
                    answer is aborted), SetToken; then ``Flow.registered`` or
                    ``Flow.registration_failed``
``start_step``      the listener shows the step's page
``retry_step``      the page that reported the failure takes the step again (``step_failed``
                    returns True to it)
``verify_token``    ``_verify``: VerifyToken, journal entry dropped
``abort_token``     ``_abort``: AbortToken, journal entry dropped once the broker has answered
``release_devices`` the listener closes camera and microphone (``release_devices``)
``wipe_media``      ``MediaStore.wipe`` of the session
``clear_details``   the applicant's details and the token forgotten; the listener clears its
                    forms (``session_ended``)
``notify_staff``    the problem screen with the error, for the staff
==================  ==========================================================================

Events in: ``start``, ``details_entered``, ``back``, ``consent_given``/``consent_refused``, the
capture results (``send_*``, ``step_passed``, ``step_failed``, ``local_retake``), ``cancel``,
``problem_action`` (the staff's choice on the problem screen), ``finish``, and ``tick`` (the one
clock: idle time-out and token expiry, both decided by the flow) with ``touch`` (presence).

Uploads: the medium goes into the encrypted ``MediaStore`` first, then out through
``kiosk.core.resend.resend_upload`` (a dropped connection is resent from the encrypted copy
while the token lives); once the broker has it and did not refuse it, the engine deletes the
local copy (``MediaStore.confirm``). The rest is wiped at the end of the session.

The listener (the UI, the rehearsal driver, tests) is told ``show_page(name, kw)``,
``release_devices()``, ``session_ended(why)`` and ``token_aborted(order_id)``. Runner callbacks
must come back on the thread that sends the events (the Qt worker does this with queued
signals; ``QueueRunner`` here runs them on the caller's thread).
"""
from __future__ import annotations

import logging
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from kiosk.broker.codes import DocumentType, ExceptionCode, ResponseCode
from kiosk.broker.errors import BrokerError, TransportError, UploadUncertain
from kiosk.broker.tokens import new_order_id
from kiosk.core.flow import CAPTURE_STATES, Effect, Flow, State, Transition
from kiosk.core.journal import CLOSED_CODES
from kiosk.core.media_store import MediaRef
from kiosk.core.resend import interruptible_sleep, resend_upload
from kiosk.errors import KioskError, PrepareError

log = logging.getLogger(__name__)

CAPTURE_STEPS = tuple(s.value for s in CAPTURE_STATES)
#: The page that shows each non-capture state.
PAGE_OF = {
    State.WELCOME: "welcome", State.DETAILS: "details", State.CONSENT: "consent",
    State.REGISTRATION: "busy", State.VERIFYING: "busy", State.VERDICT: "verdict",
    State.FAILSAFE: "problem",
}
#: Staff actions after which a registration is simply tried again (same details).
RETRY_ACTIONS = ("retry", "check_state")


class Runner(Protocol):
    """Runs jobs ``fn(client, *args)`` one at a time, off the thread that sends events, and
    calls ``on_done(result)`` / ``on_error(exc)`` back on that thread."""

    @property
    def busy(self) -> bool: ...

    def submit(self, name: str, fn: Callable[..., Any], *args: Any,
               on_done: Callable[[Any], None] | None = None,
               on_error: Callable[[BaseException], None] | None = None) -> int: ...

    def cancel(self) -> int: ...

    def wait_idle(self, timeout: float = 10.0) -> bool: ...

    def stop(self, timeout: float = 15.0) -> bool: ...


class Listener(Protocol):
    def show_page(self, name: str, kw: dict[str, Any]) -> None: ...

    def release_devices(self) -> None: ...

    def session_ended(self, why: str) -> None: ...

    def token_aborted(self, order_id: str) -> None: ...


@dataclass
class StepRecord:
    step: str
    ok: bool = False
    tries: int = 0
    reason: Any = None  # str or callable(lang) -> str

    def as_dict(self) -> dict[str, Any]:
        return {"step": self.step, "ok": self.ok, "tries": self.tries, "reason": self.reason}


@dataclass
class SessionData:
    session_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    order_id: str = ""
    details: Any = None
    token: str | None = None
    properties: Any = None
    order_spent: bool = False  # a token was (or may have been) sent for order_id: never register it again
    records: dict[str, StepRecord] = field(default_factory=dict)
    logged: set[str] = field(default_factory=set)  # order ids started in the sessions log, not finished


#: Each capture step's upload: (broker method, media kind, call(client, token, medium, sentence)).
UPLOADS: dict[str, tuple[str, str, Callable[[Any, str, Any, str], Any]]] = {
    "signature": ("SaveSignature", "png", lambda c, t, m, _s: c.save_signature(t, m)),
    "id_front": ("SavePersonDocument", "png",
                 lambda c, t, m, _s: c.save_person_document(t, m, int(DocumentType.IdCardFront))),
    "id_back": ("SavePersonDocument", "png",
                lambda c, t, m, _s: c.save_person_document(t, m, int(DocumentType.IdCardBack))),
    "selfie": ("SendProbImageByToken", "jpeg", lambda c, t, m, _s: c.send_prob_image(t, m)),
    "selfie_video": ("SendProbVideoByToken", "webm", lambda c, t, m, s: c.send_prob_video(t, m, s)),
    "admittance_video": ("SendAdmittanceVideoByToken", "webm", lambda c, t, m, _s: c.send_admittance_video(t, m)),
}


class TokenExpired(KioskError):
    """The token's lifetime ran out before the capture was done (seen by the kiosk's own clock)."""

    code = int(ExceptionCode.TokenExpired)
    default_action = "new_session"
    message_key = "flow.token_expired"

    def __init__(self) -> None:
        super().__init__("token expired")


class SessionEngine:
    """One applicant's session at a time, on one kiosk; re-used across sessions."""

    def __init__(self, settings: Any, runner: Runner, media_store: Callable[[str], Any], listener: Listener, *,
                 journal: Callable[[], Any] | None = None, sessions_log: Callable[[], Any] | None = None,
                 clock: Callable[[], float] = time.time):
        self.settings = settings
        self.runner = runner
        self.media_store = media_store
        self.listener = listener
        self.flow = Flow(settings, clock=clock)
        self.data: SessionData | None = None
        self.store: Any = None
        self._journal_factory = journal or _default_journal
        self._sessions_log_factory = sessions_log or (lambda: _default_sessions_log(settings))
        self._sessions_log: Any = None
        self._problem: KioskError | None = None  # shown on the problem screen now
        self.last_order_id = ""  # the tracking code of the session that ended last (for the staff's notice)

    # -- queries
    @property
    def active(self) -> bool:
        return self.data is not None

    @property
    def steps(self) -> list[str]:
        return [s.value for s in self.flow.steps]

    def step_index(self) -> tuple[int, int] | None:
        return self.flow.progress()

    def tries_left(self, step: str) -> int:
        return self.flow.tries_left(step)

    def tries_total(self, step: str) -> int:
        return self.flow.tries_total(step)

    # -- the staff's sessions log (no personal data); a log that cannot be written never stops a session
    def sessions_log(self) -> Any:
        if self._sessions_log is None:
            self._sessions_log = self._sessions_log_factory()
        return self._sessions_log

    def _log(self, action: str, *args: Any) -> None:
        data = self.data
        if data is None or not data.order_id:
            return
        order_id = data.order_id
        if action != "start" and order_id not in data.logged:
            return
        try:
            getattr(self.sessions_log(), action)(order_id, *args)
        except Exception as exc:  # noqa: BLE001 - the log is for the staff; the session goes on
            log.warning("sessions log: %s failed (%s)", action, type(exc).__name__)
            return
        if action == "start":
            data.logged.add(order_id)
        elif action == "finish":
            data.logged.discard(order_id)

    def _journal(self, action: str, order_id: str, session_id: str = "", token: str = "") -> None:
        """Record (``add``) or forget (``remove``) an open token in the crash-recovery journal.
        The journal is a safety net: a failure to write it never stops the session."""
        try:
            if action == "add":
                self._journal_factory().add(order_id, session_id, token)
            else:
                self._journal_factory().remove(order_id=order_id)
        except Exception as exc:  # noqa: BLE001 - the journal is a safety net
            log.warning("open-token journal: %s failed (%s)", action, type(exc).__name__)

    # -- carrying out the flow's effects
    def _apply(self, tr: Transition, *, show: bool = True) -> None:
        for effect in tr.effects:
            if effect == Effect.REGISTER:
                self._register()
            elif effect == Effect.VERIFY_TOKEN:
                self._verify()
            elif effect == Effect.ABORT_TOKEN:
                self._abort()
            elif effect == Effect.RELEASE_DEVICES:
                self.listener.release_devices()
            elif effect == Effect.WIPE_MEDIA:
                self._wipe()
            elif effect == Effect.CLEAR_DETAILS:
                if self.data is not None:
                    self.data.details = None
            elif effect == Effect.NOTIFY_STAFF:
                log.warning("session failed: %s (code %s)", tr.reason, tr.code)  # a key and a code only
            # START_STEP: the page shown below; RETRY_STEP: the page that reported the failure
        if show:
            self._show_state()

    def _show_state(self) -> None:
        state = self.flow.state
        if state == State.WELCOME:
            return  # the session's end shows the welcome page
        if state in CAPTURE_STATES:
            self._show(state.value, {"step": state.value})
        elif state == State.REGISTRATION:
            self._show("busy", {"stage": "register"})
        elif state == State.VERIFYING:
            self._show("busy", {"stage": "verify"})
        else:
            self._show(PAGE_OF[state], {})

    def _show(self, page: str, kw: dict[str, Any]) -> None:
        self._problem = kw.get("error") if page == "problem" else None
        self.listener.show_page(page, kw)

    def _show_problem(self, exc: KioskError, step: str) -> None:
        order_id = self.data.order_id if self.data is not None else ""
        self._show("problem", {"error": exc, "order_id": order_id, "step": step})

    def _job_error(self, data: SessionData, error: BaseException) -> KioskError | None:
        """A broker job's error, for the session it was started for: None once that session is
        over (stale); anything that is not a ``KioskError`` is a bug, re-raised for the failsafe."""
        if self.data is not data:
            return None
        if not isinstance(error, KioskError):
            raise error
        return error

    def _wipe(self) -> None:
        if self.store is not None:
            try:
                self.store.wipe()
            except Exception as exc:  # noqa: BLE001 - logged; the end of the session wipes again
                log.error("wiping the session's media failed: %s", type(exc).__name__)

    # -- life of a session
    def start(self) -> None:
        if self.data is not None:
            self.cancel("restart", show=False)
        self.data = SessionData()
        self.store = self.media_store(self.data.session_id)
        if self.flow.state != State.WELCOME:
            self.flow.reset()
        self._apply(self.flow.start())

    def details_entered(self, details: Any) -> None:
        assert self.data is not None, "no session"
        self.data.details = details
        self._apply(self.flow.details_ok())

    def back(self) -> None:
        """From the consent page back to the details form."""
        self._apply(self.flow.back())

    def consent_given(self) -> None:
        self._apply(self.flow.consent_given())

    def consent_refused(self) -> None:
        self._apply(self.flow.consent_refused(), show=False)
        self.end_session("refused")

    def _register(self) -> None:
        data = self.data
        assert data is not None, "no session"
        if not data.order_id or data.order_spent:
            self._log("finish", "aborted")  # the order replaced (its token aborted) is over
            # a fresh order id in the broker's form: one whose token was sent is never registered again
            data.order_id = new_order_id(self.settings["broker.order_id_format"])
            data.order_spent = False
            self._log("start")
        details, order_id, session_id = data.details, data.order_id, data.session_id
        journal = self._journal

        def job(client: Any) -> tuple[str, Any]:
            # the provider's permissions first: the token carries the admittance sentence when the
            # provider asks for one (an unusable sentence is refused before anything is sent)
            properties = client.get_token_provider_properties()
            token, signature = client.new_verification_token(details, order_id)
            # written ahead: if SetToken's answer is lost, the token may be open at the broker
            journal("add", order_id, session_id, token)
            data.order_spent = True
            try:
                client.set_token(token, signature)
            except BrokerError as exc:
                never_arrived = isinstance(exc, TransportError) and not exc.sent
                refused = exc.code is not None and not isinstance(exc, (TransportError, UploadUncertain))
                if never_arrived or refused:
                    journal("remove", order_id)  # nothing was opened at the broker
                else:  # the answer was lost: the token may be open
                    _abort_quietly(client, token, order_id, journal)
                raise
            return token, properties

        def done(result: tuple[str, Any]) -> None:
            if self.data is not data:
                return
            data.token, data.properties = result
            tr = self.flow.registered(data.properties, token=data.token)
            for step in self.flow.steps:
                data.records.setdefault(step.value, StepRecord(step.value))
            self._apply(tr)

        def failed(error: BaseException) -> None:
            exc = self._job_error(data, error)
            if exc is None:
                return
            self._log("add_error", exc.log_code)
            # a retryable failure keeps the flow in REGISTRATION so "Try again" can register
            if exc.staff_action not in RETRY_ACTIONS:
                self._apply(self.flow.registration_failed(exc.code), show=False)
            self._show_problem(exc, "registration")

        self.runner.submit("GetTokenProviderProperties+SetToken", job, on_done=done, on_error=failed)

    def problem_action(self, action: str) -> None:
        """The staff's choice on the problem screen."""
        data = self.data
        if data is None:
            self.listener.show_page("welcome", {})
            return
        if action == "fix_input":
            self._log("finish", "failed")
            data.order_id = ""  # a new token for corrected details
            self._apply(self.flow.back_to_details(), show=False)
            self._show("details", {"keep": True})
        elif action == "retry":
            if data.token is None:
                self._apply(self.flow.retry_registration())
            else:
                self._show_state()
        else:
            self.cancel("cancelled")

    # -- capture steps
    def _record(self, step: str) -> StepRecord:
        assert self.data is not None, "no session"
        return self.data.records.setdefault(step, StepRecord(step))

    def _upload(self, step: str, name: str, media: Any, kind: str, call: Callable[[Any, str, Any], Any],
                on_result: Callable[[Any], None], on_error: Callable[[BaseException], None]) -> None:
        data, store = self.data, self.store
        assert data is not None and store is not None, "no session"
        token = data.token or ""  # none only in a bug: the broker then refuses the upload
        self._record(step).tries += 1
        refs: list[MediaRef] = []

        def gone() -> bool:
            return self.data is not data

        def job(client: Any) -> Any:
            # in the worker: preparing a picture or encrypting it must not stall the UI
            if isinstance(media, MediaRef):  # already in the store (a recording)
                ref = media
            else:
                try:
                    content = media() if callable(media) else media
                except Exception as exc:  # noqa: BLE001 - a picture that cannot be prepared: retake
                    raise PrepareError(exc) from exc
                ref = store.put(step, content, kind)
            refs.append(ref)

            def upload(source: Any) -> Any:  # a video streams from the store; a picture is small
                return call(client, token, source if kind == "webm" else source.read())

            return resend_upload(store, ref, upload, token=token, cancelled=gone,
                                 sleep=interruptible_sleep(gone), confirm=False)

        def done(result: Any) -> None:
            if gone():
                return
            if getattr(result, "passed", True) and refs:
                store.confirm(refs[0])  # the broker has it: the local copy goes
            on_result(result)

        def failed(error: BaseException) -> None:
            exc = self._job_error(data, error)
            if exc is None:
                return
            self._log("add_error", exc.log_code)
            if exc.fatal:
                self._show_problem(exc, step)
                return
            on_error(exc)

        self.runner.submit(name, job, on_done=done, on_error=failed)

    def send_document(self, step: str, png: Any, on_ok: Callable[[Any], None],
                      on_error: Callable[[BaseException], None]) -> None:
        """``png``: the bytes, or a function making them (run in the worker)."""
        self._send(step, png, "", on_ok, on_error)

    def send_selfie(self, jpeg: Any, on_outcome: Callable[[Any], None],
                    on_error: Callable[[BaseException], None]) -> None:
        self._send("selfie", jpeg, "", on_outcome, on_error)

    def send_video(self, step: str, webm: Any, sentence: str, on_outcome: Callable[[Any], None],
                   on_error: Callable[[BaseException], None]) -> None:
        """``webm``: the bytes, or the ``MediaRef`` of the recording already in the store."""
        self._send(step, webm, sentence, on_outcome, on_error)

    def _send(self, step: str, media: Any, sentence: str, on_result: Callable[[Any], None],
              on_error: Callable[[BaseException], None]) -> None:
        name, kind, call = UPLOADS[step]
        self._upload(step, name, media, kind, lambda client, token, m: call(client, token, m, sentence),
                     on_result, on_error)

    def get_sentence(self, step: str, on_text: Callable[[str], None],
                     on_error: Callable[[BaseException], None]) -> None:
        data = self.data
        assert data is not None, "no session"
        token = data.token or ""

        def job(client: Any) -> str:
            if step == "admittance_video":
                return str(client.get_admittance_text(token))
            texts = client.get_random_text()
            return str(texts[0]) if texts else ""

        def done(text: str) -> None:
            if self.data is data:
                on_text(text)

        def failed(error: BaseException) -> None:
            exc = self._job_error(data, error)
            if exc is not None:
                on_error(exc)

        self.runner.submit("GetAdmittanceText" if step == "admittance_video" else "GetRandomText", job,
                           on_done=done, on_error=failed)

    def discard_media(self, ref: MediaRef | None) -> None:
        """A recording not sent (a local retake, a screen left): its encrypted copy goes."""
        if self.store is not None and ref is not None:
            try:
                self.store.discard(ref)
            except Exception as exc:  # noqa: BLE001 - wiped at the end of the session anyway
                log.warning("discarding a recording failed: %s", type(exc).__name__)

    def step_passed(self, step: str) -> None:
        rec = self._record(step)
        rec.ok, rec.reason = True, None
        self._log("step_done", step)
        self._apply(self.flow.step_passed(step))

    def step_failed(self, step: str, reason: Any = None) -> bool:
        """A broker try failed; True when another try is allowed (the page stays and takes the
        step again: the flow's ``retry_step``)."""
        rec = self._record(step)
        rec.ok, rec.reason = False, reason
        tr = self.flow.step_failed(None if reason is None or callable(reason) else str(reason), step)
        self._log("add_error", f"{step}:refused")
        again = Effect.RETRY_STEP in tr.effects
        if again:
            self._log("add_retry")
            return True
        self._apply(tr)
        return False

    def local_retake(self, step: str, reason: str | None = None) -> None:
        """The kiosk's own check refused the capture: no broker try spent; the page retakes."""
        self._log("add_retry")
        self.flow.local_retake(reason, step)

    # -- the one clock
    def touch(self) -> None:
        """Someone is there (a key, a tap, a face in front of the camera)."""
        self.flow.touch()

    def tick(self) -> str | None:
        """Called about once a second: the idle time-out and the token's expiry, as the flow
        decides them. Returns "idle" or "expired" when the session ended because of one."""
        data = self.data
        if data is None:
            return None
        tr = self.flow.poll(broker_busy=self.runner.busy)
        if tr is None:
            return None
        if tr.event == "token_expired":
            log.warning("the verification token expired during the capture")
            self.runner.cancel()
            self._journal("remove", data.order_id)  # closed by the broker itself: nothing to abort
            self._log("add_error", str(TokenExpired.code))
            self._log("finish", "failed")
            self._apply(tr, show=False)
            self._show_problem(TokenExpired(), "expired")
            return "expired"
        log.info("idle time-out: session cancelled")
        self.runner.cancel()
        self._apply(tr, show=False)
        self.end_session("idle")
        return "idle"

    # -- the end
    def _verify(self) -> None:
        data = self.data
        assert data is not None, "no session"
        token, order_id, journal = data.token, data.order_id, self._journal

        def job(client: Any) -> Any:
            result = client.verify_token(token)
            if getattr(result, "response_code", None) != ResponseCode.Failed:  # "not complete" leaves it open
                journal("remove", order_id)  # closed at the broker: nothing to recover
            return result

        def done(result: Any) -> None:
            if self.data is not data:
                return
            tr = self.flow.verified(result)
            if not self.flow.token_open:  # "not complete" keeps the token (and the order) open
                self._log("finish", "verified" if self.flow.passed else "failed")
            self._apply(tr, show=False)
            self._show_verdict(getattr(result, "message", "") or "")

        def failed(error: BaseException) -> None:
            exc = self._job_error(data, error)
            if exc is None:
                return
            self._log("add_error", exc.log_code)
            self._show_problem(exc, "verify")

        self.runner.submit("VerifyToken", job, on_done=done, on_error=failed)

    def _show_verdict(self, broker_message: str) -> None:
        data = self.data
        assert data is not None, "no session"
        self._show("verdict", {
            "verified": bool(self.flow.passed), "order_id": data.order_id,
            "incomplete": self.flow.verdict_key == "flow.verdict.incomplete",
            "missing": [s.value for s in self.flow.missing_steps],
            "steps": [rec.as_dict() for rec in data.records.values()],
            "broker_message": broker_message})

    def resume_missing(self) -> None:
        """The staff's "take the missing steps" after a "not complete" verdict."""
        tr = self.flow.resume_missing()
        assert self.data is not None, "no session"
        self.store = self.media_store(self.data.session_id)  # the verdict wiped the last one, key and all
        self._apply(tr)

    def _abort(self) -> None:
        data = self.data
        if data is None or not data.token:
            return
        token, order_id, journal, listener = data.token, data.order_id, self._journal, self.listener

        def job(client: Any) -> Any:
            try:
                answer = client.abort_token(token)
            except KioskError as exc:
                if exc.code in CLOSED_CODES:
                    journal("remove", order_id)
                raise  # otherwise the entry stays: the next start aborts the token
            journal("remove", order_id)
            return answer

        def failed(exc: BaseException) -> None:
            log.warning("AbortToken failed: %s", type(exc).__name__)

        self.runner.submit("AbortToken", job, on_done=lambda _r: listener.token_aborted(order_id), on_error=failed)

    def finish(self) -> None:
        """The verdict was read: the session is over."""
        if self.flow.state in (State.VERDICT, State.FAILSAFE):
            self._apply(self.flow.finish(), show=False)
        self.end_session("verdict")

    def cancel(self, why: str = "cancelled", show: bool = True) -> None:
        """Cancel from any screen: queued uploads dropped, AbortToken when a token is open, the
        devices released, the media wiped, the details forgotten, back to the welcome page."""
        if self.data is None:
            if show:
                self.listener.show_page("welcome", {})
            return
        self.runner.cancel()
        self._apply(self.flow.cancel(), show=False)
        self.end_session(why, show=show)

    def end_session(self, why: str, show: bool = True) -> None:
        if self.data is not None:
            self._log("finish", "aborted" if why != "refused" else "failed")  # verified/failed are written already
        self._wipe()
        self.store = None
        was_active = self.data is not None
        if was_active:
            self.last_order_id = self.data.order_id if self.data is not None else ""
        self.data = None
        self._problem = None
        if self.flow.state != State.WELCOME:
            self.flow.reset()  # nothing left to carry out: the media is wiped, the data gone
        if show:
            self.listener.show_page("welcome", {})
        if was_active:
            self.listener.session_ended(why)

    def shutdown(self) -> None:
        if self.data is not None:
            self.cancel("shutdown")
        self.runner.wait_idle(5)
        self.runner.stop()
        if self._sessions_log is not None:
            self._sessions_log.close()
            self._sessions_log = None


def _abort_quietly(client: Any, token: str, order_id: str, journal: Callable[..., None]) -> None:
    """AbortToken for a token the session will not use; the journal keeps it when that fails."""
    try:
        client.abort_token(token)
    except KioskError as exc:
        if exc.code in CLOSED_CODES:  # closed already, or it never arrived (1211)
            journal("remove", order_id)
        log.warning("AbortToken after a failed registration: %s", type(exc).__name__)
        return
    except Exception as exc:  # noqa: BLE001 - the journal keeps the token for the next start
        log.warning("AbortToken after a failed registration: %s", type(exc).__name__)
        return
    journal("remove", order_id)


def _default_journal() -> Any:
    from kiosk.core.recovery import journal  # noqa: PLC0415 - the journal's key is read on first use

    return journal()


def _default_sessions_log(settings: Any) -> Any:
    from kiosk.core.sessions_log import SessionsLog  # noqa: PLC0415 - opens a file; only when a session logs

    return SessionsLog.open(settings)


class QueueRunner:
    """A ``Runner`` without threads: jobs queue up and ``drain()`` runs them, and their callbacks,
    on the caller's thread. For ``kiosk rehearse``, the soak benchmark and tests."""

    def __init__(self, client_factory: Callable[[], Any]):
        self.client_factory = client_factory
        self.client: Any = None
        self._jobs: deque[tuple[int, int, str, Callable[..., Any], tuple[Any, ...], Any, Any]] = deque()
        self._generation = 0
        self._ids = 0
        self.calls: list[str] = []  # the names of the jobs run, in order

    @property
    def busy(self) -> bool:
        return bool(self._jobs)

    def submit(self, name: str, fn: Callable[..., Any], *args: Any,
               on_done: Callable[[Any], None] | None = None,
               on_error: Callable[[BaseException], None] | None = None) -> int:
        self._ids += 1
        self._jobs.append((self._ids, self._generation, name, fn, args, on_done, on_error))
        return self._ids

    def cancel(self) -> int:
        dropped = len(self._jobs)
        self._generation += 1
        self._jobs.clear()
        return dropped

    def drain(self, limit: int = 1000) -> int:
        """Run queued jobs (and the jobs their callbacks queue) until none is left."""
        ran = 0
        while self._jobs and ran < limit:
            _id, generation, name, fn, args, on_done, on_error = self._jobs.popleft()
            if generation < self._generation:
                continue
            ran += 1
            self.calls.append(name)
            if self.client is None:
                self.client = self.client_factory()
            try:
                result = fn(self.client, *args)
            except Exception as exc:  # noqa: BLE001 - handed to the job's error callback
                if on_error is None:
                    raise
                on_error(exc)
            else:
                if on_done is not None:
                    on_done(result)
        return ran

    def wait_idle(self, timeout: float = 10.0) -> bool:
        self.drain()
        return not self._jobs

    def stop(self, timeout: float = 15.0) -> bool:
        self.drain()
        client, self.client = self.client, None
        if client is not None and hasattr(client, "close"):
            client.close()
        return True
