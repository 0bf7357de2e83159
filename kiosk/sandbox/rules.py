"""The sandbox broker's checks of a verification token's claims (SetToken).

Each check returns the broker's ExceptionCode or None. They are deliberately local (the
sandbox plays the remote broker and must not share the kiosk's own validation code: a bug
there would then hide on both sides)."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from persiantools.jdatetime import JalaliDate

_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")


def digits(value) -> str:
    return str(value if value is not None else "").strip().translate(_DIGITS)


def national_code_ok(value) -> bool:
    """The Iranian national code: 10 digits, not all the same, with its check digit
    (sum of d[i] * (10 - i) for the first nine, mod 11: r < 2 -> check == r, else 11 - r)."""
    code = digits(value)
    if not re.fullmatch(r"\d{10}", code) or len(set(code)) == 1:
        return False
    s = sum(int(code[i]) * (10 - i) for i in range(9)) % 11
    check = int(code[9])
    return check == s if s < 2 else check == 11 - s


def mobile_ok(value) -> bool:
    return bool(re.fullmatch(r"09\d{9}", digits(value)))


def birth_date_ok(value) -> bool:
    """A Jalali date yyyy/mm/dd (or with '-'), a real day, not in the future, after 1300."""
    m = re.fullmatch(r"(\d{4})[/-](\d{1,2})[/-](\d{1,2})", digits(value))
    if not m:
        return False
    y, mo, d = (int(x) for x in m.groups())
    try:
        date = JalaliDate(y, mo, d)
    except (ValueError, TypeError):
        return False
    return 1300 <= y and date <= JalaliDate.today()


def card_serial_ok(value) -> bool:
    """The national card's serial: 8 to 12 letters and digits (the smart card's is 10, e.g.
    "0A12345678"); deliberately tolerant."""
    return bool(re.fullmatch(r"[0-9A-Za-z]{8,12}", digits(value)))


def order_id_ok(value) -> bool:
    text = digits(value)
    return bool(text) and len(text) <= 64 and bool(re.fullmatch(r"[0-9A-Za-z_.:-]+", text))


def callback_ok(value, placeholders: tuple[str, ...]) -> bool:
    if not isinstance(value, str) or not value:
        return False
    if any(p not in value for p in placeholders):
        return False
    probe = value
    for p in placeholders:
        probe = probe.replace(p, "x")
    try:
        parts = urlsplit(probe)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)
