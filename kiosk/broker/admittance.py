"""The provider's own sentence (admittance, sections 10 and 11 of the original).

GetAdmittanceText returns the sentence *the provider stored with the token*: the kiosk writes it
into the token's ``admittanceText`` claim when it builds the token (``BrokerClient.
new_verification_token`` calls ``admittance_for_token``). The sentence is the
``broker.admittance_text`` setting, with ``{first_name}`` / ``{last_name}`` filled from the
applicant's details. A provider with AdmittancePermission and no usable sentence cannot finish a
session (the broker answers 1217 at GetAdmittanceText), so registration refuses it up front
with ``AdmittanceTextUnusable`` and the self-test's broker line fails with the fix.

``recording_seconds`` gives the length of a read-the-sentence video from the sentence itself
(``recording.words_per_minute``, at least ``recording.seconds``, at most
``recording.max_seconds``): a 45-word declaration cannot be read in 6 s.

Pure functions of a settings mapping (``settings["key"]``): no I/O, no Qt.
"""
from __future__ import annotations

import math
import re
from typing import Any

from kiosk.broker.errors import AdmittanceTextUnusable

#: seconds before the applicant starts reading (the sentence appears, they look at it)
LEAD_IN_SECONDS = 1.5
#: fewer words than this is not a declaration a broker can match speech against
MIN_WORDS = 3

_WS = re.compile(r"\s+")


def render_admittance_text(template: str, first_name: str = "", last_name: str = "") -> str:
    """The sentence with ``{first_name}`` / ``{last_name}`` filled (an empty name leaves no
    double space behind). Other text is kept as written."""
    text = (template or "").replace("{first_name}", (first_name or "").strip())
    text = text.replace("{last_name}", (last_name or "").strip())
    text = _WS.sub(" ", text).strip()
    return re.sub(r" ([،,.:;!؟?])", r"\1", text)


def word_count(sentence: str) -> int:
    """Words read aloud: runs of letters or digits (a zero-width non-joiner keeps a Persian
    word whole)."""
    return len(re.findall(r"[\w\u200c]+", sentence or ""))


def recording_seconds(sentence: str, settings: Any) -> float:
    """Seconds to record an applicant reading ``sentence`` aloud: a lead-in plus the words at
    ``recording.words_per_minute``, never less than ``recording.seconds`` and never more than
    ``recording.max_seconds``. The engine calls this for both the random sentence and the
    admittance sentence."""
    wpm = float(settings["recording.words_per_minute"])
    needed = LEAD_IN_SECONDS + word_count(sentence) * 60.0 / wpm
    shortest = float(settings["recording.seconds"])
    longest = float(settings["recording.max_seconds"])
    return round(min(longest, max(shortest, math.ceil(needed * 2) / 2)), 1)


def max_words(settings: Any) -> int:
    """The most words that can be read within ``recording.max_seconds``."""
    wpm = float(settings["recording.words_per_minute"])
    return max(0, int((float(settings["recording.max_seconds"]) - LEAD_IN_SECONDS) * wpm / 60.0))


def admittance_problem(sentence: str, settings: Any) -> tuple[str, str] | None:
    """Why ``sentence`` cannot be the admittance sentence, as (English, Persian), or None."""
    words = word_count(sentence)
    if not sentence.strip():
        return ("the provider's admittance sentence (broker.admittance_text) is empty",
                "متن تعهد بهره‌بردار (broker.admittance_text) خالی است")
    if words < MIN_WORDS:
        return (f"the provider's admittance sentence (broker.admittance_text) has {words} word(s), fewer than {MIN_WORDS}",
                f"متن تعهد بهره‌بردار (broker.admittance_text) کمتر از {MIN_WORDS} واژه دارد")
    most = max_words(settings)
    if words > most:
        return (f"the provider's admittance sentence has {words} words; at "
                f"{settings['recording.words_per_minute']:g} words a minute only {most} fit in "
                f"recording.max_seconds ({settings['recording.max_seconds']:g} s)",
                f"متن تعهد بهره‌بردار {words} واژه دارد و در بیشترین مدت ضبط (recording.max_seconds) "
                f"فقط {most} واژه خوانده می‌شود")
    return None


def admittance_for_token(settings: Any, first_name: str = "", last_name: str = "", *,
                         required: bool = False) -> str:
    """The ``admittanceText`` claim for a new token. ``required`` (the provider has
    AdmittancePermission): a sentence that is empty, too short or too long to read raises
    ``AdmittanceTextUnusable`` (its ``sentence(lang)`` tells the staff what to do). Without the
    permission the rendered sentence (possibly empty) is returned as it is."""
    text = render_admittance_text(str(settings["broker.admittance_text"]), first_name, last_name)
    if required:
        problem = admittance_problem(text, settings)
        if problem is not None:
            raise AdmittanceTextUnusable(problem[0], method="SetToken")
    return text


def selftest_problem(settings: Any, permissions: Any) -> tuple[str, str, str, str] | None:
    """For the self-test's broker line: (detail en, detail fa, fix en, fix fa) when the provider
    has AdmittancePermission (``permissions``: a ``ProviderProperties`` or its ``asdict``) and
    ``broker.admittance_text`` gives no usable sentence; None otherwise."""
    if isinstance(permissions, dict):
        allowed = bool(permissions.get("admittance_permission"))
    else:
        allowed = bool(getattr(permissions, "admittance_permission", False))
    if not allowed:
        return None
    # with sample names, so that a template made only of placeholders is judged as read
    problem = admittance_problem(render_admittance_text(str(settings["broker.admittance_text"]), "نام", "خانوادگی"),
                                 settings)
    if problem is None:
        return None
    return (f"The provider has AdmittancePermission but {problem[0]}: every session would stop at the admittance step "
            "(broker code 1217).",
            f"بهره‌بردار مجوز ویدئوی تعهد دارد ولی {problem[1]}؛ هر جلسه در مرحلهٔ اقرار می‌ماند (کد ۱۲۱۷ سامانهٔ احراز هویت).",
            "Set broker.admittance_text to the provider's sentence (it may hold {first_name} and {last_name}), "
            f"{MIN_WORDS} to {max_words(settings)} words.",
            "broker.admittance_text را متن تعهد بهره‌بردار بگذارید (می‌تواند {first_name} و {last_name} داشته باشد)، "
            f"میان {MIN_WORDS} تا {max_words(settings)} واژه.")
