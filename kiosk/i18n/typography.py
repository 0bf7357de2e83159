"""Persian text as a reader expects to see it, for DISPLAY only.

The broker's sentences (GetRandomText) are written with plain spaces where Persian typesetting joins
with a zero-width non-joiner (U+200C): "می خوانند", "بچه ها", "نامه ای". An applicant reading aloud
from a screen stumbles on a verb prefix or a plural suffix that floats apart from its word, so the
screen shows "می‌خوانند", "بچه‌ها", "نامه‌ای". What is sent back to the broker (``randomText``) is
always the broker's own text, never this one.

Only the unambiguous joins are made: the verb prefixes "می"/"نمی" before a word, and the suffixes
"ها"/"های"/"هایی" and "ای"/"ی" (the latter only after a final "ه") after a word.
"""
from __future__ import annotations

import re

ZWNJ = "\u200c"
_LETTER = r"[\u0600-\u06ff]"
_PREFIX = re.compile(rf"(?<!\S)(ن?می) (?={_LETTER})")
_PLURAL = re.compile(rf"(?<={_LETTER}) (ها|های|هایی)(?!\S)")
_EZAFE = re.compile(r"(?<=ه) (ای|ی)(?!\S)")


def persian_display(text: str) -> str:
    """``text`` with the half-spaces a Persian reader expects (see the module's note)."""
    text = _PREFIX.sub(lambda m: m.group(1) + ZWNJ, text)
    text = _PLURAL.sub(lambda m: ZWNJ + m.group(1), text)
    return _EZAFE.sub(lambda m: ZWNJ + m.group(1), text)
