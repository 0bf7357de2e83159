"""How long a text takes to read aloud, and how large to show it (no Qt).

A recording must be long enough for the sentence it asks for: the random sentence reads in the
``recording.seconds`` the staff set, a 45-word commitment text does not. ``reading_seconds``
gives the length of the recording for a text: at ``WORDS_PER_SECOND`` (careful reading aloud,
slower than conversation, as an elderly applicant reading from a screen does) plus a start
``MARGIN``, never shorter than the setting and never longer than ``MAX_SECONDS`` (the broker's
largest video at the highest bit rate the settings allow). ``text_size`` picks the size the
text is shown at, so a long text fits the screen without being clipped.
"""
from __future__ import annotations

WORDS_PER_SECOND = 1.6
MARGIN = 2.0
MAX_SECONDS = 30.0


def word_count(text: str) -> int:
    return len(text.split())


def reading_seconds(text: str, minimum: float, maximum: float = MAX_SECONDS) -> float:
    """Seconds of recording for reading ``text`` aloud (``minimum``: the ``recording.seconds`` setting)."""
    need = word_count(text) / WORDS_PER_SECOND + MARGIN
    return float(min(max(float(minimum), need), max(float(maximum), float(minimum))))


def text_size(text: str) -> str:
    """"short" (one large line or two), "medium" or "long" (a paragraph: smaller type, scrolled)."""
    words = word_count(text)
    if words <= 14:
        return "short"
    if words <= 30:
        return "medium"
    return "long"
