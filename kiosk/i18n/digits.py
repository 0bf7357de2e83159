"""Persian digits and number formatting for the Qt-free layers (no Qt, no locale database).

Persian text shows Extended Arabic-Indic digits (U+06F0-U+06F9), the Arabic thousands separator
U+066C and the Arabic decimal separator U+066B; English uses ASCII digits, "," and ".".
"""
from __future__ import annotations

from numbers import Real

PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
ASCII_DIGITS = "0123456789"
FA_THOUSANDS = "\u066c"  # ٬
FA_DECIMAL = "\u066b"  # ٫

_TO_PERSIAN = str.maketrans(ASCII_DIGITS + ARABIC_DIGITS, PERSIAN_DIGITS * 2)
_TO_ASCII = str.maketrans(PERSIAN_DIGITS + ARABIC_DIGITS, ASCII_DIGITS * 2)


def to_persian_digits(s: object) -> str:
    """``s`` as text with ASCII and Arabic-Indic digits replaced by Persian ones."""
    return str(s).translate(_TO_PERSIAN)


def to_ascii_digits(s: object) -> str:
    """``s`` as text with Persian and Arabic-Indic digits replaced by ASCII ones."""
    return str(s).translate(_TO_ASCII)


def localize_digits(s: object, lang: str) -> str:
    """Persian digits for ``fa``, the text unchanged otherwise."""
    return to_persian_digits(s) if lang == "fa" else str(s)


def format_number(n: float | Real | str, lang: str = "fa", decimals: int | None = None,
                  grouping: bool = True) -> str:
    """``n`` with thousands grouping, in the digits and separators of ``lang``.

    ``decimals`` fixes the number of decimals (rounded); None shows integers without decimals
    and other numbers as Python's shortest ``repr`` would. Booleans are refused (TypeError).
    """
    if isinstance(n, bool):
        raise TypeError("format_number expects a number, not a bool")
    if isinstance(n, str):
        n = float(to_ascii_digits(n).replace(",", "")) if "." in n else int(to_ascii_digits(n).replace(",", ""))
    if decimals is not None:
        text = f"{n:{',' if grouping else ''}.{int(decimals)}f}"
    elif isinstance(n, int) or (isinstance(n, float) and n.is_integer() and abs(n) < 1e16):
        text = f"{int(n):{',' if grouping else ''}d}"
    else:
        text = f"{n:{',' if grouping else ''}}"
    if lang != "fa":
        return text
    text = text.replace(",", "\0").replace(".", FA_DECIMAL).replace("\0", FA_THOUSANDS)
    return to_persian_digits(text)
