"""Files others can read or change are refused; TLS checks off is loud in the log file."""
from __future__ import annotations

import logging
import os

import pytest

from kiosk.broker.credentials import CredentialsError, check_private_file
from kiosk.config.settings import Settings, SettingsError, env_name
from kiosk.core.journal import JournalError, load_machine_secret
from kiosk.core.staff_pin import hash_pin
from kiosk.logsetup import setup_logging, teardown_logging

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")


def test_settings_file_others_can_change_is_refused(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text('[broker]\nurl = "https://broker.example"\n')
    os.chmod(path, 0o666)
    with pytest.raises(SettingsError) as info:
        Settings.load(path, environ={})
    assert "chmod 600" in str(info.value) and "chmod 600" in info.value.sentence("fa")
    os.chmod(path, 0o644)  # readable is fine while it holds no secret
    assert Settings.load(path, environ={})["broker.url"] == "https://broker.example"


def test_settings_file_with_the_pin_hash_must_be_private(tmp_path):
    s = Settings({"staff.pin_hash": hash_pin("246813", n=2 ** 10)})
    path = s.save(tmp_path / "settings.toml")
    assert os.stat(path).st_mode & 0o777 == 0o600  # save() writes it private
    assert Settings.load(path, environ={})["staff.pin_hash"]
    os.chmod(path, 0o640)
    with pytest.raises(SettingsError, match="read by other users"):
        Settings.load(path, environ={})


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660])
def test_key_files_others_can_read_are_refused(tmp_path, mode):
    key = tmp_path / "provider.pem"
    key.write_text("secret")
    os.chmod(key, mode)
    with pytest.raises(CredentialsError):
        check_private_file(key)
    with pytest.raises(SettingsError):
        Settings.load(tmp_path / "s.toml", environ={env_name("broker.token_secret_file"): str(key)})
    secret = tmp_path / "machine.key"
    secret.write_bytes(os.urandom(32))
    os.chmod(secret, mode)
    with pytest.raises(JournalError):
        load_machine_secret(secret)
    os.chmod(secret, 0o600)
    assert len(load_machine_secret(secret)) == 32


def test_tls_off_is_loud_in_the_kiosk_log_file(tmp_path):
    from kiosk.broker.client import BrokerClient
    from kiosk.broker.credentials import ProviderCredentials

    path = setup_logging(level="INFO", command=True)
    try:
        s = Settings.load(tmp_path / "s.toml", environ={env_name("broker.verify_tls"): "false"})
        creds = ProviderCredentials("KSK-d-00000001-0001", "x", b"", b"")
        BrokerClient("https://broker.example", creds, s).close()
        for h in logging.getLogger().handlers:
            h.flush()
    finally:
        teardown_logging()
    text = path.read_text("utf-8")
    assert text.count("INSECURE") >= 2  # on load and when the client is made
    assert "WARNING" in text
    assert s.warnings("fa") and s.warnings("en")  # shown by the settings screen (tests/ui/test_staff.py)
