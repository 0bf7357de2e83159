"""The staff console's sentences, in Persian and English (the console is for branch staff and IT,
and follows the kiosk's current language): the ``staff.`` section of the one catalogue,
``kiosk.i18n.messages``."""
from __future__ import annotations

from typing import Any

from kiosk.i18n.digits import format_number, to_persian_digits
from kiosk.i18n.messages import has, t


def staff_text(key: str, lang: str = "fa", **kw: Any) -> str:
    return t("staff." + key, lang, **kw)


def has_staff_text(key: str) -> bool:
    return has("staff." + key)


def fa_digits(text: object) -> str:
    return to_persian_digits(text)


def num(value: float | int | None, lang: str, decimals: int | None = None) -> str:
    if value is None:
        return "—"
    return format_number(float(value) if decimals is not None else value, lang, decimals=decimals, grouping=False)
