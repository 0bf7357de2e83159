"""The shape of the ``staff.pin_hash`` setting (``kiosk.core.staff_pin.hash_pin`` writes it).

Kept in the config layer so that the settings can validate the value without importing
``kiosk.core``, which sits above config: ``"scrypt$<n>$<r>$<p>$<salt b64>$<hash b64>"``.
"""
from __future__ import annotations

import re

SCHEME = "scrypt"
PIN_HASH_FORMAT = re.compile(r"^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$")


def is_pin_hash(stored: str) -> bool:
    """True when ``stored`` has the shape ``hash_pin`` writes (used to validate the setting)."""
    m = PIN_HASH_FORMAT.match(stored or "")
    if not m:
        return False
    n, r, p = (int(m.group(i)) for i in (1, 2, 3))
    return n >= 2 and n & (n - 1) == 0 and 1 <= r <= 64 and 1 <= p <= 16 and n <= 2 ** 20


def check_pin_setting(value: str) -> str | None:
    """Validation of the ``staff.pin_hash`` setting (empty means no PIN set)."""
    if value and not is_pin_hash(value):
        return "is not a PIN hash; set the PIN on the settings screen (never store the PIN itself)"
    return None


__all__ = ["SCHEME", "PIN_HASH_FORMAT", "is_pin_hash", "check_pin_setting"]
