"""The shape of the ``staff.pin_hash`` setting (``kiosk.core.staff_pin.hash_pin`` writes it).

Kept in the config layer so that the settings can validate the value without importing
``kiosk.core``, which sits above config: ``"scrypt-hmac$<n>$<r>$<p>$<salt b64>$<hash b64>"``
(peppered), or the older unpeppered ``"scrypt$..."`` that is still read.
"""
from __future__ import annotations

import re

SCHEME = "scrypt-hmac"  # peppered
LEGACY_SCHEME = "scrypt"  # before the pepper: verified, but the self-test asks for a new PIN
PIN_HASH_FORMAT = re.compile(r"^(scrypt|scrypt-hmac)\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$")


def is_pin_hash(stored: str) -> bool:
    """True when ``stored`` has the shape ``hash_pin`` writes (or the legacy unpeppered one)."""
    m = PIN_HASH_FORMAT.match(stored or "")
    if not m:
        return False
    n, r, p = (int(m.group(i)) for i in (2, 3, 4))
    return n >= 2 and n & (n - 1) == 0 and 1 <= r <= 64 and 1 <= p <= 16 and n <= 2 ** 20


def is_legacy_hash(stored: str) -> bool:
    return is_pin_hash(stored) and stored.startswith(LEGACY_SCHEME + "$")


def check_pin_setting(value: str) -> str | None:
    """Validation of the ``staff.pin_hash`` setting (empty means no PIN set)."""
    if value and not is_pin_hash(value):
        return "is not a PIN hash; set the PIN with 'kiosk set-pin' (never store the PIN itself)"
    return None


__all__ = ["SCHEME", "LEGACY_SCHEME", "PIN_HASH_FORMAT", "is_pin_hash", "is_legacy_hash", "check_pin_setting"]
