"""The kiosk's one error family.

Every error the applicant's session can meet (a broker's refusal, a dropped connection, a picture
that could not be prepared, a token that expired on the kiosk's clock) is a ``KioskError``, and
carries what the screens and the sessions log need, so that no caller probes an exception with
``getattr``:

* ``message_key``: the sentence in ``kiosk.i18n.messages`` (Persian and English) for the staff;
* ``staff_action``: what the staff can do next (``retry``, ``retake``, ``fix_input``,
  ``new_session``, ``end_session``, ``check_settings``, ``call_support``, ``skip_step``,
  ``check_state``);
* ``code``: the broker's ``ExceptionCode`` when the broker gave one, else None;
* ``try_spent``: whether the broker counted this as one of the step's tries.

``sentence(lang)`` gives the sentence itself. Subclasses with a sentence of their own (the
broker's code table) override it. This module imports nothing of the kiosk's but the catalogue,
so every layer may raise these.
"""
from __future__ import annotations

#: What the staff can be told to do next, in the order the problem screen offers them.
STAFF_ACTIONS = ("retry", "retake", "fix_input", "check_state", "skip_step", "new_session", "end_session",
                 "check_settings", "call_support")
#: After these the step cannot go on: the staff gets the problem screen.
FATAL_ACTIONS = frozenset({"new_session", "end_session", "check_settings", "call_support", "skip_step"})


class KioskError(Exception):
    """Base of every error the session shows to the staff."""

    message_key: str | None = "error.unexpected"
    default_action: str = "call_support"
    code: int | None = None
    try_spent: bool = False

    @property
    def staff_action(self) -> str:
        """What the staff can do next (one of ``STAFF_ACTIONS``)."""
        return self.default_action

    @property
    def fatal(self) -> bool:
        """True when the step cannot go on (the problem screen, not a retake)."""
        return self.staff_action in FATAL_ACTIONS

    @property
    def log_code(self) -> str:
        """What the sessions log keeps of it: the broker's code, else the message key or type."""
        if self.code is not None:
            return str(int(self.code))
        return self.message_key or type(self).__name__

    def sentence(self, lang: str = "fa") -> str:
        from kiosk.i18n.messages import t  # noqa: PLC0415 - kiosk.i18n imports this module's users

        return t(self.message_key or "error.unexpected", lang)


class PrepareError(KioskError):
    """A captured picture could not be turned into what the broker receives: take it again."""

    default_action = "retake"
    message_key = "capture.unusable"

    def __init__(self, cause: BaseException):
        super().__init__(type(cause).__name__)
        self.cause = cause
        if isinstance(cause, KioskError) and cause.message_key:
            self.message_key = cause.message_key

    def sentence(self, lang: str = "fa") -> str:
        if isinstance(self.cause, KioskError):
            return self.cause.sentence(lang)
        return super().sentence(lang)
