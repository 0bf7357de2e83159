"""``kiosk set-pin``: the PIN typed twice on standard input, stored peppered, the lockout lifted."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from kiosk import paths
from kiosk.config.settings import Settings
from kiosk.core.staff_pin import PinGate, lockout_path, verify_pin


def _set_pin(tmp_path, text: str) -> tuple[int, dict]:
    env = {**os.environ, "KIOSK_SETTINGS": str(tmp_path / "settings.toml")}
    proc = subprocess.run([sys.executable, "-m", "kiosk", "set-pin", "--lang", "en"], input=text.encode(),
                          capture_output=True, env=env, timeout=120, check=False)
    return proc.returncode, json.loads(proc.stdout.decode().strip().splitlines()[-1])


def test_set_pin_from_stdin(tmp_path):
    path = tmp_path / "settings.toml"
    Settings({"broker.url": "https://broker.example"}).save(path)
    code, out = _set_pin(tmp_path, "۷۳۹۱۵۲\n739152\n")
    assert code == 0 and out["ok"], out
    stored = Settings.load(path, environ={}, check_files=False)["staff.pin_hash"]
    assert stored.startswith("scrypt-hmac$") and "739152" not in path.read_text()
    assert verify_pin("739152", stored) and path.stat().st_mode & 0o777 == 0o600
    assert (paths.state_dir() / "pin-pepper.key").stat().st_mode & 0o777 == 0o600
    # a locked prompt is unlocked by a new PIN
    gate = PinGate(stored, free_tries=1)
    assert gate.attempt("000000") == (False, "pin.locked")
    code, out = _set_pin(tmp_path, "582014\n582014\n")
    assert code == 0 and json.loads(lockout_path().read_text())["failures"] == 0


def test_set_pin_refuses_and_changes_nothing(tmp_path):
    path = tmp_path / "settings.toml"
    for text, words in (("1234\n1234\n", "6 to 12"), ("739152\n739153\n", "differ"), ("739152\n", "twice"),
                        ("111111\n111111\n", "easily guessed")):
        code, out = _set_pin(tmp_path, text)
        assert code == 1 and words in out["en"] and out["fa"], out
        assert not path.exists()
