"""The one instruction the applicant is given at a time, in Persian and English.

``PRIORITY`` is the order in which failed checks are told: the first failure of a report decides
its ``instruction_key``. Keys are ``face.*`` so the i18n catalogue can merge ``SENTENCES``.
"""
from __future__ import annotations

from kiosk.i18n.messages import section, t

#: check name -> instruction key, in the order they are told to the applicant
PRIORITY: tuple[tuple[str, str], ...] = (
    ("no_face", "face.no_face"),
    ("multiple_faces", "face.multiple_faces"),
    ("too_far", "face.come_closer"),
    ("too_near", "face.move_back"),
    ("off_centre", "face.centre"),
    ("cut_off", "face.cut_off"),
    ("turn_left", "face.turn_left"),
    ("turn_right", "face.turn_right"),
    ("head_up", "face.head_up"),
    ("head_down", "face.head_down"),
    ("roll", "face.straighten"),
    ("too_dark", "face.too_dark"),
    ("too_bright", "face.too_bright"),
    ("overexposed", "face.too_bright"),
    ("covered", "face.uncover"),  # after light: in the dark the parts cannot be told apart
    ("blurred", "face.hold_still"),
    ("eyes_closed", "face.open_eyes"),
    # a measure that could not be taken fails closed (kiosk.quality.face.judge)
    *((f"unmeasured_{name}", "face.not_measured") for name in (
        "too_far", "too_near", "off_centre", "cut_off", "yaw", "pitch", "roll", "too_dark", "too_bright",
        "overexposed", "blurred", "motion", "detail", "eyes_closed", "covered")),
)
ORDER = {name: i for i, (name, _) in enumerate(PRIORITY)}
KEY_OF = dict(PRIORITY)

#: This module's sentences, kept in the one catalogue (``kiosk.i18n.messages``).
SENTENCES: dict[str, dict[str, str]] = section("face.", "quality.")


def sentence(key: str | None, lang: str = "fa") -> str | None:
    """The sentence of ``key`` in ``lang`` ("fa" or "en") from the one catalogue; None for no key."""
    return t(key, lang) if key else None


def first_instruction(failures: list[str]) -> str | None:
    """The instruction key of the highest-priority failure."""
    ranked = sorted((f for f in failures if f in ORDER), key=ORDER.__getitem__)
    return KEY_OF[ranked[0]] if ranked else None


__all__ = ["PRIORITY", "SENTENCES", "sentence", "first_instruction"]
