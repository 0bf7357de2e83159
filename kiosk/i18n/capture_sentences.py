"""The capture keys' sentences (``CaptureError.message_key``, recording retake reasons, speech
pre-check instructions): their section of the one catalogue, ``kiosk.i18n.messages``."""
from __future__ import annotations

from kiosk.i18n.messages import section, t

#: This module's sentences, kept in the one catalogue (``kiosk.i18n.messages``).
SENTENCES: dict[str, dict[str, str]] = section("microphone.", "recording.", "speech.")


def sentence(key: str | None, lang: str = "fa") -> str | None:
    """The sentence of ``key`` (None for no key), from the one catalogue."""
    return t(key, lang) if key else None
