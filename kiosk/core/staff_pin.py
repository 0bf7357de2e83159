"""The staff PIN: kept only as a slow salted hash (scrypt), checked in constant time.

* ``hash_pin(pin) -> str``: ``"scrypt$<n>$<r>$<p>$<salt b64>$<hash b64>"`` with a random 16-byte
  salt. The PIN is 4-8 digits; Persian (۰-۹) and Arabic-Indic (٠-٩) digits are accepted and
  normalised first, so a PIN typed on a Persian keyboard matches the same PIN typed in ASCII.
* ``verify_pin(pin, stored) -> bool``: False for a wrong PIN, a malformed PIN or a malformed or
  empty stored hash (never raises); the comparison is ``hmac.compare_digest``.
* ``PinGate``: counts failed tries and locks the PIN entry for a growing time after
  ``free_tries`` wrong PINs in a row (a 4-digit PIN must not be guessable at the kiosk).

No Qt here; the settings screen stores ``hash_pin(...)`` in ``staff.pin_hash``.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import os
import time
from collections.abc import Callable

from kiosk.config.pin_hash import PIN_HASH_FORMAT, SCHEME, is_pin_hash

# scrypt cost: N=2**14, r=8 (16 MiB, ~50 ms here): slow enough against offline guessing of a
# stolen settings file, fast enough for a staff member typing a PIN.
DEFAULT_N = 2 ** 14
DEFAULT_R = 8
DEFAULT_P = 1
SALT_BYTES = 16
HASH_BYTES = 32
MIN_DIGITS = 4
MAX_DIGITS = 8

_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")

MESSAGES = {
    "pin.format": ("رمز کارکنان باید ۴ تا ۸ رقم باشد و فقط عدد داشته باشد.",
                   "The staff PIN must be 4 to 8 digits, numbers only."),
    "pin.wrong": ("رمز نادرست است.", "Wrong PIN."),
    "pin.locked": ("چند بار رمز نادرست وارد شد. {seconds} ثانیه دیگر دوباره امتحان کنید.",
                   "Too many wrong PINs. Try again in {seconds} seconds."),
    "pin.not_set": ("رمز کارکنان تعیین نشده است؛ در صفحه تنظیمات آن را تعیین کنید.",
                    "No staff PIN is set; set one on the settings screen."),
}


def message(key: str, lang: str = "fa", **kw) -> str:
    fa, en = MESSAGES[key]
    text = fa if lang == "fa" else en
    if kw and lang == "fa":
        kw = {k: str(v).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")) for k, v in kw.items()}
    return text.format(**kw)


class PinError(ValueError):
    """A PIN that is not 4-8 digits. ``sentence(lang)`` says so in fa/en."""

    key = "pin.format"

    def sentence(self, lang: str = "fa") -> str:
        return message(self.key, lang)


def normalize_pin(pin: str) -> str:
    """ASCII digits of ``pin`` (Persian/Arabic digits converted, spaces dropped); raises
    ``PinError`` unless it is 4-8 digits."""
    text = str(pin or "").translate(_DIGITS).replace(" ", "").replace("\u200c", "")
    if not (MIN_DIGITS <= len(text) <= MAX_DIGITS) or not text.isascii() or not text.isdigit():
        raise PinError("the PIN must be 4-8 digits")
    return text


def _scrypt(pin: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(pin.encode("ascii"), salt=salt, n=n, r=r, p=p, dklen=HASH_BYTES,
                          maxmem=max(64 * 1024 * 1024, 256 * n * r))


def hash_pin(pin: str, *, n: int = DEFAULT_N, r: int = DEFAULT_R, p: int = DEFAULT_P) -> str:
    digits = normalize_pin(pin)
    salt = os.urandom(SALT_BYTES)
    digest = _scrypt(digits, salt, n, r, p)
    return "$".join((SCHEME, str(n), str(r), str(p), base64.b64encode(salt).decode("ascii"),
                     base64.b64encode(digest).decode("ascii")))


def verify_pin(pin: str, stored: str) -> bool:
    if not is_pin_hash(stored):
        return False
    try:
        digits = normalize_pin(pin)
    except PinError:
        return False
    m = PIN_HASH_FORMAT.match(stored)
    if m is None:
        return False
    n, r, p = (int(m.group(i)) for i in (1, 2, 3))
    try:
        salt = base64.b64decode(m.group(4), validate=True)
        expected = base64.b64decode(m.group(5), validate=True)
        digest = _scrypt(digits, salt, n, r, p)
    except (ValueError, MemoryError):
        return False
    return hmac.compare_digest(digest, expected)


class PinGate:
    """Wrong-PIN throttling for the staff console's PIN prompt.

    ``free_tries`` wrong PINs in a row are allowed; each further wrong PIN locks the prompt for
    ``lock_seconds * 2**k`` seconds (capped at ``max_lock``). A right PIN resets the count.
    """

    def __init__(self, stored_hash: str, free_tries: int = 3, lock_seconds: float = 30.0,
                 max_lock: float = 600.0, clock: Callable[[], float] = time.monotonic):
        self.stored_hash = stored_hash
        self.free_tries = free_tries
        self.lock_seconds = lock_seconds
        self.max_lock = max_lock
        self.clock = clock
        self.failures = 0
        self.locked_until = 0.0

    @property
    def is_set(self) -> bool:
        return is_pin_hash(self.stored_hash)

    def seconds_locked(self) -> int:
        left = self.locked_until - self.clock()
        return int(left + 0.999) if left > 0 else 0

    def attempt(self, pin: str) -> tuple[bool, str | None]:
        """(accepted, message key or None). While locked, nothing is checked."""
        if not self.is_set:
            return False, "pin.not_set"
        if self.seconds_locked():
            return False, "pin.locked"
        if verify_pin(pin, self.stored_hash):
            self.failures = 0
            return True, None
        self.failures += 1
        if self.failures >= self.free_tries:
            k = self.failures - self.free_tries
            self.locked_until = self.clock() + min(self.max_lock, self.lock_seconds * (2 ** k))
            return False, "pin.locked"
        return False, "pin.wrong"
