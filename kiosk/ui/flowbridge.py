"""The controller's view of the flow: ``kiosk.core.flow.Flow`` (Qt-free) is the state machine;
this bridge maps its states to pages and keeps the controller's calls short.

The steps offered are exactly those the provider's permissions allow (``flow.steps_for``), with
no more broker tries than SelfieTryCount / VideoTryCount (``Flow.tries_left``).
"""
from __future__ import annotations

from kiosk.core.flow import Effect, Flow, State

PAGE_OF = {
    State.WELCOME: "welcome", State.DETAILS: "details", State.CONSENT: "consent",
    State.REGISTRATION: "busy", State.VERIFYING: "verify", State.VERDICT: "verdict",
    State.FAILSAFE: "problem",
}


class FlowBridge:
    def __init__(self, settings=None):
        self.flow = Flow(settings)

    # -- queries
    @property
    def state(self) -> str:
        return self.flow.state.value

    @property
    def steps(self) -> list[str]:
        return [s.value for s in self.flow.steps]

    @property
    def token_open(self) -> bool:
        return self.flow.token_open

    @property
    def passed(self) -> bool | None:
        return self.flow.passed

    def tries_left(self, step: str) -> int:
        return self.flow.tries_left(step)

    def tries_total(self, step: str) -> int:
        return self.flow.tries_total(step)

    def step_index(self) -> tuple[int, int] | None:
        return self.flow.progress()

    def page(self) -> str:
        return PAGE_OF.get(self.flow.state, self.flow.state.value)

    # -- events
    def start(self) -> None:
        if self.flow.state != State.WELCOME:
            self.flow.reset()
        self.flow.start()

    def details_ok(self) -> None:
        self.flow.details_ok()

    def consent_given(self) -> None:
        self.flow.consent_given()

    def consent_refused(self) -> None:
        self.flow.consent_refused()

    def registered(self, props, token: str | None = None) -> None:
        self.flow.registered(props, token=token)

    def registration_failed(self, code=None) -> None:
        if self.flow.state == State.REGISTRATION:
            self.flow.registration_failed(code)

    def back_to_details(self) -> None:
        """After a refused detail the flow is back at DETAILS already; from anywhere else (a
        staff decision), start over with the form."""
        if self.flow.state != State.DETAILS:
            self.flow.reset()
            self.flow.start()

    def step_passed(self, step: str) -> None:
        self.flow.step_passed(step)

    def step_failed(self, step: str, reason=None) -> bool:
        """One broker try spent; True when the step may be tried again."""
        tr = self.flow.step_failed(None if reason is None or callable(reason) else str(reason), step)
        return Effect.RETRY_STEP in tr.effects

    def local_retake(self, step: str, reason: str | None = None) -> None:
        self.flow.local_retake(reason, step)

    def verified(self, result) -> None:
        self.flow.verified(result)

    def expire_if_due(self) -> bool:
        """The token's ``exp`` (less the flow's margin) has passed on a capture step: the flow goes
        to FAILSAFE (``Flow.token_expired``: no AbortToken is possible). Only the expiry part of
        ``Flow.poll``: the shell's own idle timer handles inactivity."""
        from kiosk.core.flow import CAPTURE_STATES

        f = self.flow
        if f.state in CAPTURE_STATES and f.token_open and f.expiry_remaining() == 0.0:
            f.token_expired()
            return True
        return False

    def cancel(self) -> bool:
        """Returns whether the token must be aborted."""
        tr = self.flow.cancel()
        return Effect.ABORT_TOKEN in tr.effects

    def error(self, exc) -> bool:
        if self.flow.state == State.WELCOME:
            return False
        tr = self.flow.error(exc)
        return Effect.ABORT_TOKEN in tr.effects

    def reset(self) -> None:
        if self.flow.state != State.WELCOME or self.flow.token_open:
            self.flow.reset()
