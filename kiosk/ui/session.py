"""The session controller: the glue between the flow state machine (``kiosk.core.flow``, no
Qt), the pages, the submission worker and the media store.

Pages call the controller (``send_selfie(jpeg, ...)``...); the controller queues broker calls on
the ``SubmissionWorker`` and advances the flow with what comes back; the flow's state decides the
page the shell shows; the flow's effects (abort the token, wipe the media, release the devices,
verify) are carried out here.

Each order is also written to the staff's sessions log (``kiosk.core.sessions_log``: order id,
steps done, error codes, retries, verdict; never personal data): ``start`` when an order is
registered, ``step_done``, ``add_error``, ``add_retry``, and ``finish`` with "verified", "failed"
or "aborted". A log that cannot be written never stops the session.
"""
from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable

from PySide6.QtCore import QObject, Signal

from kiosk.ui.flowbridge import FlowBridge
from kiosk.workers.session import SubmissionWorker

log = logging.getLogger(__name__)

# broker errors after which the step cannot go on: the staff gets the problem screen
FATAL_ACTIONS = ("new_session", "end_session", "check_settings", "call_support", "skip_step")
CAPTURE_STEPS = ("signature", "id_front", "id_back", "selfie", "selfie_video", "admittance_video")


@dataclass
class StepRecord:
    step: str
    ok: bool = False
    tries: int = 0
    reason: Any = None  # str or callable(lang) -> str

    def as_dict(self) -> dict:
        return {"step": self.step, "ok": self.ok, "tries": self.tries, "reason": self.reason}


@dataclass
class SessionData:
    session_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    order_id: str = ""
    details: Any = None
    token: str | None = None
    properties: Any = None
    records: dict[str, StepRecord] = field(default_factory=dict)
    logged: set[str] = field(default_factory=set)  # order ids started in the sessions log, not finished


class SessionController(QObject):
    """One applicant's session at a time."""

    page_requested = Signal(str, dict)  # page name, enter() keywords
    session_ended = Signal(str)  # why: "verdict", "cancelled", "idle", "failsafe", "refused"
    aborted = Signal(str)  # order id whose token AbortToken was sent for

    def __init__(self, services, parent: QObject | None = None):
        super().__init__(parent)
        self.services = services
        self.settings = services.settings
        self.worker = SubmissionWorker(services.client_factory, self)
        self.data: SessionData | None = None
        self.store = None
        self.flow = FlowBridge(self.settings)
        self._sessions_log = None

    # -- the staff's sessions log (no personal data)
    def sessions_log(self):
        if self._sessions_log is None:
            from kiosk.core.sessions_log import SessionsLog

            self._sessions_log = SessionsLog.open(self.settings)
        return self._sessions_log

    def _log(self, action: str, *args) -> None:
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

    # -- life of a session
    @property
    def active(self) -> bool:
        return self.data is not None

    def start(self) -> None:
        self.end_session("restart", show=False)
        self.data = SessionData()
        self.store = self.services.media_store(self.data.session_id)
        self.flow.start()
        self._show_state()

    def details_entered(self, details) -> None:
        self.data.details = details
        self.flow.details_ok()
        self._show_state()

    def consent_given(self) -> None:
        self.flow.consent_given()
        self._show_state()
        self.register()

    def consent_refused(self) -> None:
        self.flow.consent_refused()
        self.end_session("refused")

    def register(self) -> None:
        data = self.data
        if not data.order_id or getattr(data, "order_spent", False):
            self._log("finish", "aborted")  # the order replaced (its token aborted) is over
            data.order_id = new_order_id()  # an order whose token was aborted cannot be registered again
            data.order_spent = False
            self._log("start")
        details, order_id = data.details, data.order_id

        def job(client):
            token, signature = client.new_verification_token(details, order_id)
            client.set_token(token, signature)
            _journal("add", order_id, data.session_id, token)  # a crash now: the next start aborts it
            try:
                properties = client.get_token_provider_properties()
            except Exception:
                # the token is open at the broker but the flow never saw it: close it now (the
                # journal keeps it for the next start if the broker cannot be reached either)
                data.order_spent = True
                try:
                    client.abort_token(token)
                    _journal("remove", order_id)
                except Exception as exc:  # noqa: BLE001
                    log.warning("AbortToken after a failed registration: %s", type(exc).__name__)
                raise
            return token, properties

        def done(result):
            if self.data is not data:
                return
            data.token, data.properties = result
            self.flow.registered(data.properties, token=data.token)
            for step in self.flow.steps:
                data.records.setdefault(step, StepRecord(step))
            self._show_state()

        def failed(exc):
            if self.data is not data:
                return
            if not _is_broker_error(exc):
                raise exc
            self._log("add_error", _error_code(exc))
            # a retryable failure keeps the flow in REGISTRATION so "Try again" can register
            if getattr(exc, "staff_action", "") not in ("retry", "check_state"):
                self.flow.registration_failed(getattr(exc, "code", None))
            self.page_requested.emit("problem", {"error": exc, "order_id": data.order_id, "step": "registration"})

        self.page_requested.emit("busy", {"stage": "register"})
        self.worker.submit("SetToken+GetTokenProviderProperties", job, on_done=done, on_error=failed)

    def problem_action(self, action: str) -> None:
        if action == "fix_input":
            self._log("finish", "failed")
            self.data.order_id = ""  # a new token for corrected details
            self.flow.back_to_details()
            self.page_requested.emit("details", {"keep": True})
        elif action == "retry":
            if self.data.token is None:
                self.register()
            else:
                self._show_state()
        else:
            self.cancel("cancelled")

    # -- capture steps
    def step_index(self) -> tuple[int, int] | None:
        return self.flow.step_index()

    def tries_left(self, step: str) -> int:
        return self.flow.tries_left(step)

    def tries_total(self, step: str) -> int:
        return self.flow.tries_total(step)

    def _record(self, step: str) -> StepRecord:
        return self.data.records.setdefault(step, StepRecord(step))

    def _upload(self, step: str, name: str, media: bytes, kind: str, call: Callable, on_result, on_error,
                counts_try: bool = True) -> None:
        data = self.data
        store = self.store
        if counts_try:
            self._record(step).tries += 1
        refs = []

        def job(client):
            # in the worker: preparing a picture or encrypting a video must not stall the UI
            if _is_ref(media):  # already in the store (a recording): streamed from it
                ref = media
            else:
                data_bytes = media
                if callable(media):
                    try:
                        data_bytes = media()
                    except Exception as exc:  # noqa: BLE001
                        raise PrepareError(exc) from exc
                ref = store.put(step, data_bytes, kind)
            refs.append(ref)
            # a dropped connection: resent from the encrypted copy while the token lives
            # (kiosk.core.resend); the applicant does not capture again
            from kiosk.core.resend import interruptible_sleep, send_with_resend, token_deadline

            def gone() -> bool:
                return self.data is not data

            def send():
                if kind != "webm":
                    return call(client, data.token, store.get(ref))
                with store.open(ref) as source:  # a video: read one chunk at a time
                    return call(client, data.token, source)

            return send_with_resend(send,
                                    deadline=token_deadline(data.token), cancelled=gone,
                                    sleep=interruptible_sleep(gone))

        def done(result):
            if self.data is not data:
                return
            passed = getattr(result, "passed", True)
            if passed and refs:
                store.confirm(refs[0])  # the broker has it: the local copy goes
            on_result(result)

        def failed(exc):
            if self.data is not data:
                return
            if not _is_broker_error(exc) and not isinstance(exc, PrepareError):
                raise exc
            self._log("add_error", _error_code(exc))
            if getattr(exc, "staff_action", "") in FATAL_ACTIONS:
                self.page_requested.emit("problem", {"error": exc, "order_id": data.order_id, "step": step})
                return
            on_error(exc)

        self.worker.submit(name, job, on_done=done, on_error=failed)

    def send_document(self, step: str, png, on_ok, on_error) -> None:
        """``png``: the bytes, or a function making them (run in the worker)."""
        if step == "signature":
            def call(client, token, media):
                return client.save_signature(token, media)
        else:
            doc_type = 101 if step == "id_front" else 102

            def call(client, token, media):
                return client.save_person_document(token, media, doc_type)
        self._upload(step, "SaveSignature" if step == "signature" else "SavePersonDocument", png, "png", call,
                     on_ok, on_error)

    def send_selfie(self, jpeg: bytes, on_outcome, on_error) -> None:
        self._upload("selfie", "SendProbImageByToken", jpeg, "jpeg",
                     lambda client, token, media: client.send_prob_image(token, media), on_outcome, on_error)

    def get_sentence(self, step: str, on_text, on_error) -> None:
        data = self.data

        def job(client):
            if step == "admittance_video":
                return client.get_admittance_text(data.token)
            texts = client.get_random_text()
            return texts[0] if texts else ""

        def failed(exc):
            if self.data is data:
                if not _is_broker_error(exc):
                    raise exc
                on_error(exc)

        self.worker.submit("GetAdmittanceText" if step == "admittance_video" else "GetRandomText", job,
                           on_done=lambda t: self.data is data and on_text(t), on_error=failed)

    def discard_media(self, ref) -> None:
        """A recording not sent (a local retake, a screen left): its encrypted copy goes."""
        if self.store is not None and ref is not None:
            try:
                self.store.discard(ref)
            except Exception as exc:  # noqa: BLE001
                log.warning("discarding a recording failed: %s", type(exc).__name__)

    def send_video(self, step: str, webm, sentence: str, on_outcome, on_error) -> None:
        """``webm``: the bytes, or the ``MediaRef`` of the recording already in the store."""
        if step == "admittance_video":
            def call(client, token, media):
                return client.send_admittance_video(token, media)
            name = "SendAdmittanceVideoByToken"
        else:
            def call(client, token, media):
                return client.send_prob_video(token, media, sentence)
            name = "SendProbVideoByToken"
        self._upload(step, name, webm, "webm", call, on_outcome, on_error)

    def step_passed(self, step: str) -> None:
        rec = self._record(step)
        rec.ok, rec.reason = True, None
        self._log("step_done", step)
        self.flow.step_passed(step)
        self._show_state()

    def step_failed(self, step: str, reason=None) -> bool:
        """A broker try failed; returns True when another try is allowed (the page stays)."""
        rec = self._record(step)
        rec.ok, rec.reason = False, reason
        again = self.flow.step_failed(step, reason)
        self._log("add_error", f"{step}:refused")
        if again:
            self._log("add_retry")
        if not again:
            self._show_state()
        return again

    def local_retake(self, step: str, reason: str | None = None) -> None:
        self._log("add_retry")
        self.flow.local_retake(step, reason)

    def check_expiry(self) -> bool:
        """Called by the shell's timer: a token past its ``exp`` ends the capture at once (the
        broker would answer 1209 to everything), with a sentence for the staff. True when it did."""
        data = self.data
        if data is None or not self.flow.expire_if_due():
            return False
        log.warning("the verification token expired during the capture")
        self.worker.cancel()
        _journal("remove", data.order_id)  # closed by the broker itself: nothing to abort
        self._log("add_error", "1209")
        self._log("finish", "failed")
        if self.store is not None:
            self.store.wipe()
        self.page_requested.emit("problem", {"error": TokenExpired(), "order_id": data.order_id,
                                             "step": "expired"})
        return True

    # -- the end
    def verify(self) -> None:
        data = self.data

        def job(client):
            result = client.verify_token(data.token)
            _journal("remove", data.order_id)  # closed at the broker: nothing to recover
            return result

        def done(result):
            if self.data is not data:
                return
            self.flow.verified(result)
            self._log("finish", "verified" if self.flow.passed else "failed")
            self.store.wipe()
            self.page_requested.emit("verdict", {
                "verified": bool(self.flow.passed), "order_id": data.order_id,
                "steps": [data.records[s].as_dict() for s in self.flow.steps if s in data.records],
                "broker_message": result.message or ""})

        def failed(exc):
            if self.data is not data:
                return
            if not _is_broker_error(exc):
                raise exc
            self._log("add_error", _error_code(exc))
            self.page_requested.emit("problem", {"error": exc, "order_id": data.order_id, "step": "verify"})

        self.page_requested.emit("busy", {"stage": "verify"})
        self.worker.submit("VerifyToken", job, on_done=done, on_error=failed)

    def finish(self) -> None:
        """The verdict was read: the session is over."""
        self.end_session("verdict")

    def cancel(self, why: str = "cancelled") -> None:
        """Cancel from any screen: AbortToken (when a token is open), wipe, back to welcome."""
        data = self.data
        if data is None:
            self.page_requested.emit("welcome", {})
            return
        abort = self.flow.cancel()
        self.worker.cancel()
        if data.token and abort:
            token, order_id = data.token, data.order_id

            def job(client):
                try:
                    answer = client.abort_token(token)
                except Exception as exc:
                    from kiosk.core.journal import CLOSED_CODES

                    if getattr(exc, "code", None) in CLOSED_CODES:
                        _journal("remove", order_id)
                    raise  # otherwise the entry stays: the next start aborts the token
                _journal("remove", order_id)
                return answer

            self.worker.submit("AbortToken", job, on_done=lambda _r: self.aborted.emit(order_id),
                               on_error=lambda exc: log.warning("AbortToken failed: %s", type(exc).__name__))
        self.end_session(why)

    def end_session(self, why: str, show: bool = True) -> None:
        if self.data is not None:
            self._log("finish", "aborted" if why != "refused" else "failed")  # verified/failed are written already
        if self.store is not None:
            try:
                self.store.wipe()
            except Exception as exc:  # noqa: BLE001
                log.error("wiping the session's media failed: %s", type(exc).__name__)
        self.store = None
        was_active = self.data is not None
        self.data = None
        self.flow.reset()
        if show:
            self.page_requested.emit("welcome", {})
        if was_active:
            self.session_ended.emit(why)

    def shutdown(self) -> None:
        if self.data is not None:
            self.cancel("shutdown")
        self.worker.wait_idle(5)
        self.worker.stop()
        if self._sessions_log is not None:
            self._sessions_log.close()
            self._sessions_log = None

    # -- which page
    def _show_state(self) -> None:
        state = self.flow.page()
        if state == "verify":
            self.verify()
            return
        if state in CAPTURE_STEPS:
            self.page_requested.emit(state, {"step": state})
        else:
            self.page_requested.emit(state, {})


class TokenExpired(Exception):
    """The token's lifetime ran out before the capture was done (seen by the kiosk's own clock)."""

    code = 1209
    staff_action = "new_session"
    message_key = "flow.token_expired"

    def __init__(self):
        super().__init__("token expired")

    def sentence(self, lang: str = "fa") -> str:
        from kiosk.i18n.messages import t

        return t(self.message_key, lang)


class PrepareError(Exception):
    """A captured picture could not be turned into what the broker receives."""

    staff_action = "retake"

    def __init__(self, cause: BaseException):
        super().__init__(type(cause).__name__)
        self.cause = cause
        self.message_key = getattr(cause, "message_key", None)

    def sentence(self, lang: str = "fa") -> str:
        from PySide6.QtCore import QCoreApplication as Q

        if hasattr(self.cause, "sentence"):
            try:
                return self.cause.sentence(lang)
            except Exception:  # noqa: BLE001
                pass
        return Q.translate("Capture", "The picture could not be used. Please take it again.")


def new_order_id() -> str:
    return "KSK" + uuid.uuid4().hex[:16].upper()


def _journal(action: str, order_id: str, session_id: str = "", token: str = "") -> None:
    """Record (``add``) or forget (``remove``) an open token in the crash-recovery journal
    (``kiosk.core.recovery.journal``). Never stops the session."""
    try:
        from kiosk.core.recovery import journal

        if action == "add":
            journal().add(order_id, session_id, token)
        else:
            journal().remove(order_id=order_id)
    except Exception as exc:  # noqa: BLE001 - the journal is a safety net
        log.warning("open-token journal: %s failed (%s)", action, type(exc).__name__)


def _is_ref(media) -> bool:
    from kiosk.core.media_store import MediaRef

    return isinstance(media, MediaRef)


def _error_code(exc: BaseException) -> str:
    """What the sessions log keeps of an error: the broker's code, else a message key or the type."""
    code = getattr(exc, "code", None)
    if code is not None:
        return str(int(code)) if isinstance(code, int) else str(code)
    return str(getattr(exc, "message_key", None) or type(exc).__name__)


def _is_broker_error(exc: BaseException) -> bool:
    from kiosk.broker.errors import BrokerError

    return isinstance(exc, BrokerError)
