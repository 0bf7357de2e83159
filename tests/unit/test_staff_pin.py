"""The staff PIN: slow salted scrypt hash peppered with a secret outside the settings, 6-12
digits, Persian digits, a lockout kept in the state folder and capped, no demo PIN with a real
broker, and the self-test's line about it."""
from __future__ import annotations

import base64
import hashlib
import json
import os

import pytest

from kiosk import paths
from kiosk.config.settings import Settings
from kiosk.selftest import check_settings
from kiosk.core.staff_pin import (
    MAX_FAILURES_KEPT,
    PepperError,
    PinError,
    PinGate,
    gate_for,
    hash_pin,
    is_pin_hash,
    load_pepper,
    lockout_path,
    message,
    normalize_pin,
    pepper_path,
    verify_pin,
)

PIN = "482193"


@pytest.fixture
def stored():
    return hash_pin(PIN, n=2 ** 10)


def _legacy_hash(pin: str) -> str:
    salt = os.urandom(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=2 ** 10, r=8, p=1, dklen=32)
    return f"scrypt$1024$8$1${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


def test_hash_verifies_is_salted_and_peppered(stored):
    assert verify_pin(PIN, stored)
    assert not verify_pin("482194", stored)
    assert not verify_pin(PIN + "0", stored)
    other = hash_pin(PIN, n=2 ** 10)
    assert other != stored and verify_pin(PIN, other)  # random salt
    assert PIN not in stored and stored.startswith("scrypt-hmac$")
    assert int(hash_pin(PIN).split("$")[1]) >= 2 ** 14  # slow enough by default
    # the pepper lives in the state folder, private; without it the hash does not verify
    pepper = pepper_path()
    assert pepper.parent == paths.state_dir() and pepper.stat().st_mode & 0o777 == 0o600
    assert not verify_pin(PIN, stored, pepper=os.urandom(32))
    pepper.unlink()
    assert verify_pin(PIN, stored) is False
    with pytest.raises(PepperError):
        load_pepper()


def test_a_pepper_others_can_read_is_refused(stored):
    pepper_path().chmod(0o644)
    with pytest.raises(PepperError, match="chmod 600"):
        load_pepper()
    assert verify_pin(PIN, stored) is False


def test_persian_and_arabic_digits(stored):
    assert verify_pin("۴۸۲۱۹۳", stored)
    assert verify_pin("٤٨٢١٩٣", stored)
    assert normalize_pin("۱۲۳۴۵۶۷") == "1234567"


@pytest.mark.parametrize("bad", ["1234", "12345", "1234567890123", "12a456", "", "١٢٣"])
def test_new_pin_must_be_6_to_12_digits(bad):
    with pytest.raises(PinError) as info:
        hash_pin(bad)
    assert "6" in info.value.sentence("en") and "۶" in info.value.sentence("fa")


@pytest.mark.parametrize("weak", ["111111", "123456", "987654", "890123", "۰۰۰۰۰۰"])
def test_trivial_pins_are_refused(weak):
    with pytest.raises(PinError) as info:
        hash_pin(weak)
    assert info.value.key == "pin.weak"


@pytest.mark.parametrize("stored_bad", ["", "1234", "scrypt$16384$8$1$@@$@@", "bcrypt$x", "scrypt$3$8$1$AA==$AA=="])
def test_malformed_hash_never_verifies(stored_bad):
    assert not is_pin_hash(stored_bad) or stored_bad.startswith("scrypt$16384")
    assert verify_pin("1234", stored_bad) is False


def test_gate_locks_persists_and_caps(stored):
    now = [1000.0]
    gate = PinGate(stored, free_tries=3, lock_seconds=30, max_lock=900, clock=lambda: now[0])
    assert gate.attempt("000000") == (False, "pin.wrong")
    assert gate.attempt("000000") == (False, "pin.wrong")
    assert gate.attempt("000000") == (False, "pin.locked")
    assert gate.seconds_locked() == 30
    assert gate.explain("pin.locked", "en") == "Too many wrong PINs: locked, try again in 30 s."
    assert "۳۰" in gate.explain("pin.locked", "fa")
    assert gate.attempt(PIN) == (False, "pin.locked")  # even the right PIN waits
    # a restart (a new gate) keeps the lock: it is in the state folder, private
    assert lockout_path().stat().st_mode & 0o777 == 0o600
    again = PinGate(stored, free_tries=3, lock_seconds=30, max_lock=900, clock=lambda: now[0])
    assert again.seconds_locked() == 30 and again.attempt(PIN) == (False, "pin.locked")
    now[0] += 31
    assert again.attempt("000000") == (False, "pin.locked")  # next lock is longer
    assert again.seconds_locked() == 60
    now[0] += 61
    assert again.attempt(PIN) == (True, None)
    assert again.failures == 0 and json.loads(lockout_path().read_text())["failures"] == 0


def test_lockout_never_overflows_and_a_clock_set_back_is_capped(stored):
    now = [1000.0]
    lockout_path().write_text(json.dumps({"failures": 10 ** 9, "locked_until": 0.0}))
    gate = PinGate(stored, lock_seconds=30, max_lock=900, clock=lambda: now[0])
    assert gate.failures == MAX_FAILURES_KEPT
    assert gate.attempt("000000") == (False, "pin.locked")  # no OverflowError
    assert gate.seconds_locked() == 900
    lockout_path().write_text(json.dumps({"failures": 5, "locked_until": now[0] + 10 ** 9}))
    assert PinGate(stored, max_lock=900, clock=lambda: now[0]).seconds_locked() == 900
    lockout_path().write_text("{not json")  # a damaged state file locks (fail closed)
    assert PinGate(stored, lock_seconds=30, clock=lambda: now[0]).seconds_locked() == 30


def test_no_demo_pin_with_a_real_broker():
    real = Settings({"broker.url": "https://broker.example"})
    gate = gate_for(real, demo=False)
    assert gate.attempt("1234") == (False, "pin.not_set")
    assert gate.attempt("123456") == (False, "pin.not_set")
    assert "kiosk set-pin" in message("pin.not_set", "en")
    demo = gate_for(Settings({}), demo=True)
    assert demo.demo_pin_in_use and demo.attempt("۱۲۳۴") == (True, None)
    assert demo.attempt("4321") == (False, "pin.wrong")


def test_a_legacy_short_pin_is_refused_with_a_real_broker():
    legacy = _legacy_hash("2468")
    gate = PinGate(legacy, demo=False)
    assert gate.attempt("2468") == (False, "pin.too_short")
    assert PinGate(legacy, demo=True, state_file=False).attempt("2468") == (True, None)


def test_selftest_names_the_pin_and_the_fix(stored):
    real = {"broker.url": "https://broker.example"}
    line = check_settings(Settings(real))
    assert line.failed and "Staff PIN" in line.detail and "kiosk set-pin" in line.fix
    assert "رمز کارکنان" in line.detail_fa and "kiosk set-pin" in line.fix_fa
    line = check_settings(Settings({**real, "staff.pin_hash": _legacy_hash("2468")}))
    assert line.failed and "older version" in line.detail
    assert check_settings(Settings({**real, "staff.pin_hash": stored})).ok
    demo = check_settings(Settings({}))
    assert demo.ok and "staff PIN is 1234" in demo.detail and "۱۲۳۴" in demo.detail_fa  # demo mode says so
