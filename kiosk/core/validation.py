"""Applicant details: normalisation and validation (no Qt, no I/O).

Every validator takes what a person typed (Persian ۰-۹, Arabic-Indic ٠-٩ or ASCII digits, stray
spaces, dashes and invisible direction marks) and returns the normalised value the broker expects,
or raises ``ValidationError(field, message_key)`` whose ``sentence(lang)`` is the Persian or
English sentence shown at the field. ``ApplicantDetails.parse`` checks all fields at once and
raises ``DetailsInvalid`` with every field error.

What is accepted (and why):

* national code: exactly 10 digits after normalisation (separators such as ``001-234567-9``
  are dropped); the Iranian check digit (weights 10..2 over the first nine digits, ``r = sum %
  11``, check digit ``r`` when ``r < 2`` else ``11 - r``); a code made of one repeated digit and
  a code whose middle six digits are all zero are refused (common practice: they pass the
  check digit but are never issued). Shorter codes are NOT left-padded with zeros: at the kiosk a
  missing leading zero is a typing mistake the staff member should see.
* birth date: Jalali ``YYYY/MM/DD`` with ``/``, ``-`` or ``.`` between the parts (or 8 digits
  ``YYYYMMDD``), months and days of one or two digits; it must be a real day of the Jalali
  calendar (Esfand 30 only in leap years, by ``persiantools.jdatetime``), not in the future and
  at most ``MAX_AGE_YEARS`` (120) years ago. A year that looks Gregorian (1900-2100 and after
  this Jalali year) gets its own sentence. Returns ``"1376/11/13"``.
* mobile: ``09xxxxxxxxx``; ``+989...``, ``00989...``, ``989...`` and ``9xxxxxxxxx`` are
  accepted and normalised to ``09xxxxxxxxx``; spaces, dashes and brackets are dropped.
* national card serial: the serial printed on the back of the national card (the broker's
  ``cardSerialNo``). Smart cards print 10 characters mixing digits and Latin capital letters;
  older cards 9 or 10. We accept 9 or 10 characters of ``0-9A-Z`` after normalising digits,
  dropping spaces and dashes and upper-casing, with at least 6 digits and not one character
  repeated; the broker (code 1216) is the final judge, this only catches typing mistakes.
* names (optional): Persian letters, spaces and the zero-width non-joiner, 2-40 letters; Arabic
  ``ي``/``ك`` become Persian ``ی``/``ک``, tatweel is dropped, spaces collapsed.
"""
from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from dataclasses import asdict, dataclass
from typing import Any
from collections.abc import Mapping

from persiantools import jdatetime

from kiosk.errors import KioskError

MAX_AGE_YEARS = 120
NAME_MIN, NAME_MAX = 2, 40

REQUIRED_FIELDS = ("national_code", "birth_date", "mobile", "card_serial")
NAME_FIELDS = ("first_name", "last_name", "father_name")
FIELDS = REQUIRED_FIELDS + NAME_FIELDS

# Invisible marks people paste or keyboards insert: ZWNJ, ZWJ, LRM, RLM, ALM, bidi embeddings
# and isolates, word joiner, BOM, soft hyphen.
_INVISIBLE = dict.fromkeys(map(ord, "\u200c\u200d\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e"
                                    "\u2066\u2067\u2068\u2069\u2060\ufeff\u00ad"), None)
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d\u0640"  # incl. tatweel
_SPACES_RE = re.compile(r"\s+")
_DASH_RE = re.compile("[" + re.escape(_DASHES) + "]")


class ValidationError(KioskError, ValueError):
    """One field is not valid. ``message_key`` names a sentence in ``kiosk.i18n.messages``.
    The message never holds the value typed (it may be personal data)."""

    def __init__(self, field: str, message_key: str):
        super().__init__(f"{field}: {message_key}")
        self.field = field
        self.message_key = message_key

    default_action = "fix_input"

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, ValidationError) and other.field == self.field
                and other.message_key == self.message_key)

    def __hash__(self) -> int:
        return hash((self.field, self.message_key))


class DetailsInvalid(KioskError, ValueError):
    """Some applicant details are not valid; ``errors`` maps each bad field to its error."""

    message_key = "validation.details_invalid"
    default_action = "fix_input"

    def __init__(self, errors: Mapping[str, ValidationError]):
        self.errors: dict[str, ValidationError] = dict(errors)
        super().__init__("invalid details: " + ", ".join(f"{f}={e.message_key}" for f, e in self.errors.items()))


# -- normalisation
def _ascii_digit(ch: str) -> str:
    if ch.isascii() or unicodedata.category(ch) != "Nd":
        return ch
    return str(unicodedata.decimal(ch))


def normalize_digits(s: Any) -> str:
    """Text with every Unicode decimal digit (Persian ۰-۹, Arabic-Indic ٠-٩, full-width...)
    turned into ASCII, invisible marks (ZWNJ, direction marks, BOM) removed, every kind of dash
    made ``-``, runs of white space made one space, and the ends trimmed. ``None`` gives "".
    Idempotent."""
    if s is None:
        return ""
    text = "".join(_ascii_digit(ch) for ch in str(s)).translate(_INVISIBLE)
    text = _DASH_RE.sub("-", text)
    return _SPACES_RE.sub(" ", text).strip()


def compact_digits(s: Any) -> str:
    """``normalize_digits`` with spaces and dashes dropped (codes, phone numbers, serials)."""
    return re.sub(r"[\s\-]", "", normalize_digits(s))


# -- validators
def _check_digit_ok(code: str) -> bool:
    total = sum(int(code[i]) * (10 - i) for i in range(9))
    r = total % 11
    return int(code[9]) == (r if r < 2 else 11 - r)


def national_code_check_digit(first_nine: str) -> int:
    """The check digit for the first nine digits of a national code (used by tests and the
    sandbox's demo data)."""
    if not re.fullmatch(r"\d{9}", first_nine):
        raise ValueError("nine ASCII digits expected")
    r = sum(int(first_nine[i]) * (10 - i) for i in range(9)) % 11
    return r if r < 2 else 11 - r


def validate_national_code(s: Any) -> str:
    field = "national_code"
    code = compact_digits(s)
    if not code:
        raise ValidationError(field, "validation.national_code.required")
    if not re.fullmatch(r"[0-9]{10}", code):
        raise ValidationError(field, "validation.national_code.format")
    if len(set(code)) == 1:
        raise ValidationError(field, "validation.national_code.repeated")
    if code[3:9] == "000000" or not _check_digit_ok(code):
        raise ValidationError(field, "validation.national_code.checksum")
    return code


def _to_jalali(today: Any) -> jdatetime.JalaliDate:
    if today is None:
        return jdatetime.JalaliDate.today()
    if isinstance(today, jdatetime.JalaliDate):
        return today
    if isinstance(today, _dt.datetime):
        today = today.date()
    if isinstance(today, _dt.date):
        return jdatetime.JalaliDate.to_jalali(today)
    raise TypeError("today must be a JalaliDate, a datetime.date or None")


_DATE_RE = re.compile(r"([0-9]{4})\s*[/\-.]\s*([0-9]{1,2})\s*[/\-.]\s*([0-9]{1,2})")


def validate_birth_date(s: Any, today: Any = None, max_age: int = MAX_AGE_YEARS) -> str:
    """A Jalali birth date as ``YYYY/MM/DD``; ``today`` (JalaliDate or Gregorian date) is the
    reference day, by default the real today."""
    field = "birth_date"
    text = normalize_digits(s).replace("\u066b", ".").replace("\u060c", "/")  # ٫ and ، typed as separators
    if not text:
        raise ValidationError(field, "validation.birth_date.required")
    m = _DATE_RE.fullmatch(text)
    if m is None and re.fullmatch(r"[0-9]{8}", text):
        m = re.fullmatch(r"([0-9]{4})([0-9]{2})([0-9]{2})", text)
    if m is None:
        raise ValidationError(field, "validation.birth_date.format")
    y, mo, d = (int(g) for g in m.groups())
    ref = _to_jalali(today)
    if y < 1000:
        raise ValidationError(field, "validation.birth_date.format")
    if 1900 <= y <= 2100 and y > ref.year:
        raise ValidationError(field, "validation.birth_date.gregorian")
    try:
        born = jdatetime.JalaliDate(y, mo, d)
    except (ValueError, OverflowError):
        raise ValidationError(field, "validation.birth_date.not_a_day") from None
    if born > ref:
        raise ValidationError(field, "validation.birth_date.future")
    age = ref.year - y - ((ref.month, ref.day) < (mo, d))
    if age > max_age:
        raise ValidationError(field, "validation.birth_date.too_old")
    return f"{y:04d}/{mo:02d}/{d:02d}"


def validate_mobile(s: Any) -> str:
    field = "mobile"
    text = re.sub(r"[()]", "", compact_digits(s))
    if not text:
        raise ValidationError(field, "validation.mobile.required")
    if text.startswith("+"):
        text = text[1:]
        if not text.startswith("98"):
            raise ValidationError(field, "validation.mobile.format")
    for prefix in ("0098", "98", "0"):
        if text.startswith(prefix) and len(text) - len(prefix) == 10:
            text = text[len(prefix):]
            break
    if not re.fullmatch(r"9[0-9]{9}", text):
        raise ValidationError(field, "validation.mobile.format")
    return "0" + text


def validate_card_serial(s: Any) -> str:
    field = "card_serial"
    text = compact_digits(s).upper()
    if not text:
        raise ValidationError(field, "validation.card_serial.required")
    if (not re.fullmatch(r"[0-9A-Z]{9,10}", text) or sum(c.isdigit() for c in text) < 6
            or len(set(text)) == 1):
        raise ValidationError(field, "validation.card_serial.format")
    return text


_PERSIAN_LETTER_RE = re.compile(
    "[\u0621-\u063a\u0641-\u064a\u067e\u0686\u0698\u06a9\u06af\u06cc\u0654\u064b-\u0652\u0670]")
_NAME_MAP = str.maketrans({"\u064a": "\u06cc", "\u0649": "\u06cc", "\u0643": "\u06a9", "\u0640": None,
                           "\u200d": None, "\u200e": None, "\u200f": None, "\ufeff": None})


def validate_name(s: Any, field: str = "first_name") -> str:
    """An optional Persian name: "" when empty, else normalised letters."""
    if s is None:
        return ""
    text = unicodedata.normalize("NFC", str(s)).translate(_NAME_MAP)
    text = _SPACES_RE.sub(" ", text).strip()
    text = re.sub(r"[ \u200c]* [ \u200c]*", " ", text)  # ZWNJ beside a space means nothing
    text = re.sub(r"\u200c+", "\u200c", text).strip("\u200c ")
    if not text:
        return ""
    if any(not (ch in " \u200c" or _PERSIAN_LETTER_RE.match(ch)) for ch in text):
        raise ValidationError(field, "validation.name.letters")
    letters = sum(1 for ch in text if ch not in " \u200c")
    if not NAME_MIN <= letters <= NAME_MAX:
        raise ValidationError(field, "validation.name.length")
    return text


# -- masking for logs
def _mask(value: str, head: int, tail: int) -> str:
    if not value:
        return ""
    if len(value) <= head + tail:
        return "*" * len(value)
    return value[:head] + "*" * (len(value) - head - tail) + value[len(value) - tail:]


_ALIASES = {
    "national_code": ("national_code", "nationalCode"),
    "birth_date": ("birth_date", "birthDate"),
    "mobile": ("mobile", "mobile_number", "mobileNumber"),
    "card_serial": ("card_serial", "card_serial_no", "cardSerialNo"),
    "first_name": ("first_name", "firstName"),
    "last_name": ("last_name", "lastName"),
    "father_name": ("father_name", "fatherName"),
}


@dataclass(frozen=True, repr=False)
class ApplicantDetails:
    """Validated applicant details, normalised as the broker expects them. ``repr`` and ``str``
    show only masked values, so a stray log line does not leak them."""

    national_code: str
    birth_date: str
    mobile: str
    card_serial: str
    first_name: str = ""
    last_name: str = ""
    father_name: str = ""

    @classmethod
    def parse(cls, raw: Mapping[str, Any], today: Any = None) -> ApplicantDetails:
        """Validate every field of ``raw`` (keys as the dataclass fields, or the token's camelCase
        claim names) and raise ``DetailsInvalid`` with all the errors found."""
        values: dict[str, str] = {}
        errors: dict[str, ValidationError] = {}

        def get(field: str) -> Any:
            for key in _ALIASES[field]:
                if key in raw:
                    return raw[key]
            return None

        checks = {
            "national_code": validate_national_code,
            "birth_date": lambda v: validate_birth_date(v, today=today),
            "mobile": validate_mobile,
            "card_serial": validate_card_serial,
            "first_name": lambda v: validate_name(v, "first_name"),
            "last_name": lambda v: validate_name(v, "last_name"),
            "father_name": lambda v: validate_name(v, "father_name"),
        }
        for field, check in checks.items():
            try:
                values[field] = check(get(field))
            except ValidationError as exc:
                errors[field] = exc
        if errors:
            raise DetailsInvalid(errors)
        return cls(**values)

    def masked(self) -> dict[str, str]:
        """The details with most characters hidden, for logs and the staff's session list."""
        return {
            "national_code": _mask(self.national_code, 2, 2),
            "birth_date": (self.birth_date[:2] + "**/**/**") if self.birth_date else "",
            "mobile": _mask(self.mobile, 4, 2),
            "card_serial": _mask(self.card_serial, 2, 2),
            "first_name": _mask(self.first_name, 1, 0),
            "last_name": _mask(self.last_name, 1, 0),
            "father_name": _mask(self.father_name, 1, 0),
        }

    def to_dict(self) -> dict[str, str]:
        """The plain values (personal data: never log this)."""
        return asdict(self)

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v!r}" for k, v in self.masked().items() if v)
        return f"ApplicantDetails({inner})"

    __str__ = __repr__
