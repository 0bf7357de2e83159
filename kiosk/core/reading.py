"""How large to show a text the applicant reads aloud (no Qt).

How long its recording lasts is ``kiosk.broker.admittance.recording_seconds`` (the words at
``recording.words_per_minute``, between ``recording.seconds`` and ``recording.max_seconds``):
one rule for the random sentence, the admittance text, the wizard and ``kiosk rehearse``.
``text_size`` picks the size the text is shown at, so a long text fits the screen without being
clipped.
"""
from __future__ import annotations

from kiosk.broker.admittance import word_count


def text_size(text: str) -> str:
    """"short" (one large line or two), "medium" or "long" (a paragraph: smaller type, scrolled)."""
    words = word_count(text)
    if words <= 14:
        return "short"
    if words <= 30:
        return "medium"
    return "long"
