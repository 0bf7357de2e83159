"""The staff PIN: slow salted scrypt hash, constant-time check, 4-8 digits, Persian digits."""
from __future__ import annotations

import pytest

from kiosk.core.staff_pin import PinError, PinGate, hash_pin, is_pin_hash, normalize_pin, verify_pin


@pytest.fixture(scope="module")
def stored():
    return hash_pin("4821")


def test_hash_verifies_and_is_salted(stored):
    assert verify_pin("4821", stored)
    assert not verify_pin("4822", stored)
    assert not verify_pin("48210", stored)
    other = hash_pin("4821")
    assert other != stored  # random salt
    assert verify_pin("4821", other)
    assert "4821" not in stored
    n = int(stored.split("$")[1])
    assert n >= 2 ** 14  # slow enough


def test_persian_and_arabic_digits(stored):
    assert verify_pin("۴۸۲۱", stored)
    assert verify_pin("٤٨٢١", stored)
    assert normalize_pin("۱۲۳۴۵") == "12345"


@pytest.mark.parametrize("bad", ["123", "123456789", "12a4", "", "12 3", "١٢٣"])
def test_pin_must_be_4_to_8_digits(bad):
    with pytest.raises(PinError) as info:
        hash_pin(bad)
    assert "4" in info.value.sentence("en") and "۴" in info.value.sentence("fa")


@pytest.mark.parametrize("stored_bad", ["", "1234", "scrypt$16384$8$1$@@$@@", "bcrypt$x", "scrypt$3$8$1$AA==$AA=="])
def test_malformed_hash_never_verifies(stored_bad):
    assert not is_pin_hash(stored_bad) or stored_bad.startswith("scrypt$16384")
    assert verify_pin("1234", stored_bad) is False


def test_gate_locks_after_wrong_pins(stored):
    now = [1000.0]
    gate = PinGate(stored, free_tries=3, lock_seconds=30, clock=lambda: now[0])
    assert gate.attempt("0000") == (False, "pin.wrong")
    assert gate.attempt("0000") == (False, "pin.wrong")
    assert gate.attempt("0000") == (False, "pin.locked")
    assert gate.seconds_locked() == 30
    assert gate.attempt("4821") == (False, "pin.locked")  # even the right PIN waits
    now[0] += 31
    assert gate.attempt("0000") == (False, "pin.locked")  # next lock is longer
    assert gate.seconds_locked() == 60
    now[0] += 61
    assert gate.attempt("4821") == (True, None)
    assert gate.failures == 0


def test_gate_without_pin():
    assert PinGate("").attempt("1234") == (False, "pin.not_set")
