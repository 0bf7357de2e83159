"""The staff PIN: a slow salted hash (scrypt) of the PIN peppered with a secret kept outside the
settings file, checked in constant time, behind a lockout that survives restarts.

* ``hash_pin(pin) -> str``: ``"scrypt-hmac$<n>$<r>$<p>$<salt b64>$<hash b64>"``: scrypt with a
  random 16-byte salt over HMAC-SHA256(pepper, PIN). The pepper is 32 random bytes in
  ``state/pin-pepper.key`` (``0600``, made on first use): a copy of the settings file alone does
  not allow guessing the PIN offline. A new PIN has 6-12 digits and is not a trivial one (all
  the same digit, a straight run); Persian (۰-۹) and Arabic-Indic (٠-٩) digits are accepted and
  normalised first.
* ``verify_pin(pin, stored) -> bool``: False for a wrong PIN, a malformed PIN, a malformed or
  empty stored hash, or a missing pepper (never raises); ``hmac.compare_digest``. Hashes written
  before the pepper (``"scrypt$..."``, 4-8 digits) still verify, but the self-test fails on them.
* ``PinGate``: counts wrong PINs in ``state/pin-lockout.json`` (so a restart does not reset
  it) and locks the prompt for ``lock_seconds * 2**k`` (capped) after ``free_tries`` of them.
  With a real broker and no PIN set nothing opens the console; the demo PIN ``1234`` works only
  in demo mode (the built-in sandbox broker) and only while no PIN is set.
* ``pin_problem(settings)``: the self-test's sentence about the PIN (None when fine).

No Qt here; the settings screen and ``kiosk set-pin`` store ``hash_pin(...)`` in ``staff.pin_hash``.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import os
import stat
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kiosk.i18n.messages import t
from kiosk.config.pin_hash import (LEGACY_SCHEME, PIN_HASH_FORMAT, SCHEME, is_legacy_hash,
                                   is_pin_hash)

log = logging.getLogger(__name__)

# scrypt cost: N=2**14, r=8 (16 MiB, ~50 ms here): slow enough against offline guessing of a
# stolen settings file (which needs the pepper besides), fast enough for staff typing a PIN.
DEFAULT_N = 2 ** 14
DEFAULT_R = 8
DEFAULT_P = 1
SALT_BYTES = 16
HASH_BYTES = 32
PEPPER_BYTES = 32
MIN_DIGITS = 6
MAX_DIGITS = 12
LEGACY_MIN_DIGITS = 4
DEMO_PIN = "1234"  # demo mode only (built-in sandbox broker) and only while no PIN is set
PEPPER_FILE = "pin-pepper.key"
LOCKOUT_FILE = "pin-lockout.json"
MAX_FAILURES_KEPT = 10_000  # the count is capped (it only grows the lock up to max_lock)

_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
_FORMAT = PIN_HASH_FORMAT



def message(key: str, lang: str = "fa", **kw: Any) -> str:
    """The PIN's sentences are the ``pin.`` section of the one catalogue (numbers in Persian digits)."""
    return t(key, lang, **kw)


class PinError(ValueError):
    """A PIN that cannot be set. ``sentence(lang)`` says why in fa/en."""

    def __init__(self, text: str = "the PIN must be 6-12 digits", key: str = "pin.format"):
        super().__init__(text)
        self.key = key

    def sentence(self, lang: str = "fa") -> str:
        return message(self.key, lang)


class PepperError(OSError):
    """The pepper file cannot be made, read, or is readable by others."""

    def sentence(self, lang: str = "fa") -> str:
        if lang == "fa":
            return ("پروندهٔ چاشنی رمز (state/pin-pepper.key) ساخته یا خوانده نمی‌شود یا دیگران می‌توانند آن را "
                    "بخوانند: " + str(self))
        return str(self)


def pin_digits(pin: str) -> str:
    """The PIN with Persian/Arabic digits made ASCII and spaces and ZWNJ dropped (not checked)."""
    return str(pin or "").translate(_DIGITS).replace(" ", "").replace("\u200c", "")


def normalize_pin(pin: str, min_digits: int = MIN_DIGITS, max_digits: int = MAX_DIGITS) -> str:
    """ASCII digits of ``pin`` (Persian/Arabic digits converted, spaces dropped); raises
    ``PinError`` unless it is ``min_digits``-``max_digits`` digits."""
    text = pin_digits(pin)
    if not (min_digits <= len(text) <= max_digits) or not text.isascii() or not text.isdigit():
        raise PinError(f"the PIN must be {min_digits}-{max_digits} digits")
    return text


def is_trivial(digits: str) -> bool:
    """All one digit, or a straight run up or down (123456, 987654, 890123)."""
    steps = {(int(b) - int(a)) % 10 for a, b in zip(digits, digits[1:], strict=False)}
    return len(steps) == 1 and steps <= {0, 1, 9}


def new_pin(pin: str) -> str:
    """The digits of a PIN fit to be set (6-12 digits, not trivial); raises ``PinError``."""
    digits = normalize_pin(pin)
    if is_trivial(digits):
        raise PinError("the PIN is trivial", "pin.weak")
    return digits


# ----------------------------------------------------------------------------- pepper

def pepper_path() -> Path:
    from kiosk import paths  # noqa: PLC0415 - kiosk.paths makes folders when called; keep it lazy

    return paths.state_dir() / PEPPER_FILE


def load_pepper(create: bool = False, path: Path | None = None) -> bytes:
    """The pepper's bytes; ``create`` makes the file (``0600``) when missing. Raises
    ``PepperError`` when it is missing (and not created), unreadable, malformed, or readable by
    group or others."""
    path = pepper_path() if path is None else path
    if create and not path.exists():
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        except OSError as exc:
            raise PepperError(f"the PIN pepper {path} cannot be made: {exc.strerror}") from exc
        else:
            with os.fdopen(fd, "wb") as fh:
                fh.write(os.urandom(PEPPER_BYTES))
    try:
        st = path.stat()
        if os.name == "posix" and st.st_mode & 0o077:
            raise PepperError(f"the PIN pepper {path} can be read by other users; run: chmod 600 {path}")
        if not stat.S_ISREG(st.st_mode):
            raise PepperError(f"the PIN pepper {path} is not a regular file")
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise PepperError(f"the PIN pepper {path} is missing; set the PIN again with 'kiosk set-pin'") from exc
    except PepperError:
        raise
    except OSError as exc:
        raise PepperError(f"the PIN pepper {path} cannot be read: {exc.strerror}") from exc
    if len(data) != PEPPER_BYTES:
        raise PepperError(f"the PIN pepper {path} is damaged; set the PIN again with 'kiosk set-pin'")
    return data


# ----------------------------------------------------------------------------- hashing

def _scrypt(secret: bytes, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(secret, salt=salt, n=n, r=r, p=p, dklen=HASH_BYTES,
                          maxmem=max(64 * 1024 * 1024, 256 * n * r))


def _peppered(digits: str, pepper: bytes) -> bytes:
    return hmac.new(pepper, digits.encode("ascii"), hashlib.sha256).digest()


def hash_pin(pin: str, *, pepper: bytes | None = None, n: int = DEFAULT_N, r: int = DEFAULT_R,
             p: int = DEFAULT_P) -> str:
    """The stored form of a new PIN (raises ``PinError`` for a PIN that may not be set, and
    ``PepperError`` when the pepper file cannot be made or read)."""
    digits = new_pin(pin)
    if pepper is None:
        pepper = load_pepper(create=True)
    salt = os.urandom(SALT_BYTES)
    digest = _scrypt(_peppered(digits, pepper), salt, n, r, p)
    return "$".join((SCHEME, str(n), str(r), str(p), base64.b64encode(salt).decode("ascii"),
                     base64.b64encode(digest).decode("ascii")))




def verify_pin(pin: str, stored: str, *, pepper: bytes | None = None) -> bool:
    m = _FORMAT.match(stored or "")
    if m is None or not is_pin_hash(stored):
        return False
    legacy = m.group(1) == LEGACY_SCHEME
    try:
        digits = normalize_pin(pin, LEGACY_MIN_DIGITS if legacy else MIN_DIGITS,
                               8 if legacy else MAX_DIGITS)
    except PinError:
        return False
    n, r, p = (int(m.group(i)) for i in (2, 3, 4))
    try:
        salt = base64.b64decode(m.group(5), validate=True)
        expected = base64.b64decode(m.group(6), validate=True)
        if legacy:
            secret = digits.encode("ascii")
        else:
            secret = _peppered(digits, load_pepper() if pepper is None else pepper)
        digest = _scrypt(secret, salt, n, r, p)
    except PepperError as exc:
        log.error("staff PIN cannot be checked: %s", exc)
        return False
    except (ValueError, MemoryError):
        return False
    return hmac.compare_digest(digest, expected)



def pin_problem(settings) -> tuple[str, str, str, str] | None:
    """(problem en, problem fa, fix en, fix fa) about the staff PIN for the self-test, or None.
    Demo mode (empty ``broker.url``) may use the demo PIN; a real broker needs a peppered PIN."""
    stored = settings["staff.pin_hash"]
    if not settings["broker.url"]:
        return None
    fix_en = "Run 'kiosk set-pin' on this computer (as the kiosk's user) and type a PIN of 6 or more digits twice."
    fix_fa = "دستور «kiosk set-pin» را روی این رایانه (با کاربر کیوسک) اجرا کنید و رمزی ۶ رقمی یا بلندتر را دو بار وارد کنید."
    if not stored:
        return ("No staff PIN is set: with a real broker the staff console cannot be opened (the demo PIN works "
                "only in demo mode).",
                "رمز کارکنان تعیین نشده است: با سامانهٔ احراز هویت واقعی کنسول کارکنان باز نمی‌شود (رمز نمایشی فقط در حالت "
                "نمایشی کار می‌کند).", fix_en, fix_fa)
    if is_legacy_hash(stored):
        return ("The staff PIN was set by an older version (not peppered, maybe under 6 digits).",
                "رمز کارکنان با نسخهٔ قدیمی تعیین شده است (بدون چاشنی، شاید کوتاه‌تر از ۶ رقم).", fix_en, fix_fa)
    try:
        load_pepper()
    except PepperError as exc:
        return (f"The staff PIN cannot be checked: {exc}.", "رمز کارکنان بررسی‌شدنی نیست: پروندهٔ چاشنی رمز "
                "(pin-pepper.key) گم شده، خراب است یا دیگران می‌توانند آن را بخوانند.", fix_en, fix_fa)
    return None


def pin_note(settings) -> tuple[str, str] | None:
    """(en, fa) the self-test adds to a passing settings line in demo mode with no PIN set."""
    if settings["broker.url"] or settings["staff.pin_hash"]:
        return None
    return (" Demo mode: the staff PIN is 1234 until one is set ('kiosk set-pin').",
            " حالت نمایشی: رمز کارکنان تا تعیین رمز دیگری ۱۲۳۴ است («kiosk set-pin»).")


# ----------------------------------------------------------------------------- lockout

def lockout_path() -> Path:
    from kiosk import paths  # noqa: PLC0415 - kiosk.paths makes folders when called; keep it lazy

    return paths.state_dir() / LOCKOUT_FILE


class PinGate:
    """Wrong-PIN throttling for the staff PIN prompt, persisted in ``state_file``.

    ``free_tries`` wrong PINs in a row are allowed; each further one locks the prompt for
    ``lock_seconds * 2**k`` seconds (capped at ``max_lock``). A right PIN resets the count. The
    lock is kept on the wall clock in the state file (0600), so a restart of the kiosk does not
    lift it; a clock set back cannot make it longer than ``max_lock``. ``demo``: the built-in
    sandbox broker is in use, so the demo PIN opens the console while no PIN is set.
    ``state_file=None``: ``state/pin-lockout.json``; ``False``: in memory only (tools).
    """

    def __init__(self, stored_hash: str, free_tries: int = 3, lock_seconds: float = 30.0,
                 max_lock: float = 900.0, clock: Callable[[], float] = time.time, *, demo: bool = False,
                 state_file: Path | None | bool = None):
        self.stored_hash = stored_hash
        self.free_tries = free_tries
        self.lock_seconds = lock_seconds
        self.max_lock = max_lock
        self.clock = clock
        self.demo = demo
        self.state_file: Path | None = (lockout_path() if state_file is None
                                        else None if state_file is False else Path(str(state_file)))
        self.failures = 0
        self.locked_until = 0.0
        self._load()

    @property
    def is_set(self) -> bool:
        return is_pin_hash(self.stored_hash)

    @property
    def demo_pin_in_use(self) -> bool:
        return self.demo and not self.stored_hash

    # persisted state
    def _load(self) -> None:
        if self.state_file is None or not self.state_file.exists():
            return
        try:
            data = json.loads(self.state_file.read_text("utf-8"))
            failures, until = int(data["failures"]), float(data["locked_until"])
            if failures < 0 or until != until:  # noqa: PLR0124 - NaN check
                raise ValueError("bad lockout state")
        except (OSError, ValueError, KeyError, TypeError) as exc:
            # fail closed: a damaged lockout file counts as a lock of the base time
            log.warning("staff PIN lockout state unreadable (%s): locked", type(exc).__name__)
            failures, until = self.free_tries, self.clock() + self.lock_seconds
        self.failures = min(failures, MAX_FAILURES_KEPT)
        self.locked_until = min(until, self.clock() + self.max_lock)

    def _save(self) -> None:
        if self.state_file is None:
            return
        tmp = self.state_file.with_suffix(".tmp")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump({"failures": self.failures, "locked_until": self.locked_until}, fh)
            os.replace(tmp, self.state_file)
        except OSError as exc:
            log.error("staff PIN lockout state cannot be saved: %s", exc.strerror)

    def seconds_locked(self) -> int:
        left = self.locked_until - self.clock()
        return int(left + 0.999) if left > 0 else 0

    def _verify(self, pin: str) -> str | None:
        """None when accepted, else the message key."""
        if self.demo_pin_in_use:
            try:
                return None if hmac.compare_digest(normalize_pin(pin, 4, MAX_DIGITS), DEMO_PIN) else "pin.wrong"
            except PinError:
                return "pin.wrong"
        if not self.demo and len(pin_digits(pin)) < MIN_DIGITS:
            # a legacy 4-digit PIN with a real broker is refused without being checked
            return "pin.too_short" if is_legacy_hash(self.stored_hash) else "pin.wrong"
        return None if verify_pin(pin, self.stored_hash) else "pin.wrong"

    def attempt(self, pin: str) -> tuple[bool, str | None]:
        """(accepted, message key or None). While locked, nothing is checked."""
        if not self.is_set and not self.demo_pin_in_use:
            return False, "pin.not_set"
        self._load()  # another window or a restart may have counted failures
        if self.seconds_locked():
            return False, "pin.locked"
        problem = self._verify(pin)
        if problem is None:
            self.failures, self.locked_until = 0, 0.0
            self._save()
            return True, None
        self.failures = min(self.failures + 1, MAX_FAILURES_KEPT)
        key = problem
        if self.failures >= self.free_tries:
            k = min(self.failures - self.free_tries, 30)  # 2**30 * any lock_seconds is past max_lock
            self.locked_until = self.clock() + min(self.max_lock, self.lock_seconds * float(2 ** k))
            key = "pin.locked"
        self._save()
        return False, key

    def explain(self, key: str | None, lang: str = "fa") -> str:
        """The sentence for ``attempt``'s message key (with the seconds left when locked)."""
        if key is None:
            return ""
        if key == "pin.locked":
            return message(key, lang, seconds=max(1, self.seconds_locked()))
        return message(key, lang)

    def reset(self) -> None:
        """Forget the failures (``kiosk set-pin`` does, after a new PIN is set)."""
        self.failures, self.locked_until = 0, 0.0
        self._save()


def gate_for(settings, demo: bool) -> PinGate:
    """The PIN gate of the kiosk's staff prompt for these settings."""
    gate = PinGate(settings["staff.pin_hash"] or "", demo=demo)
    if gate.demo_pin_in_use:
        log.warning("demo mode and no staff PIN set: the demo PIN 1234 opens the staff console")
    elif not gate.is_set:
        log.error("no staff PIN set with a real broker: the staff console cannot be opened; run 'kiosk set-pin'")
    return gate
