"""Settings: one definition for the file, the environment and the screen; round trip, overrides,
validation with sentences in fa/en, key-file permissions, TLS-off warnings."""
from __future__ import annotations

import logging
import os
import tomllib

import pytest

from kiosk.config.help_fa import HELP_FA
from kiosk.config.settings import (BY_KEY, DEFINITIONS, Settings, SettingsError, SettingsErrors, env_name,
                                   settings_path)
from kiosk.core.staff_pin import hash_pin


def test_settings_path_follows_kiosk_settings(monkeypatch, tmp_path):
    monkeypatch.setenv("KIOSK_SETTINGS", str(tmp_path / "x.toml"))
    assert settings_path() == tmp_path / "x.toml"
    monkeypatch.delenv("KIOSK_SETTINGS")
    p = settings_path()
    assert p.name == "settings.toml" and "kiosk" in p.parts  # the platform's config folder


def test_round_trip_save_load(tmp_path):
    path = tmp_path / "s.toml"
    s = Settings(path=path)
    s.set("camera.fps", "25")
    s.set("broker.endpoints", '{"CheckToken": "/api/x/Check"}')
    s.set("ui.language", "en")
    s.set("broker.verify_tls", "no")
    s.save()
    assert os.stat(path).st_mode & 0o077 == 0  # owner only
    data = tomllib.loads(path.read_text("utf-8"))
    assert data["camera"] == {"fps": 25.0}
    assert "url" not in data.get("broker", {})  # defaults are not written
    back = Settings.load(path, environ={})
    assert back["camera.fps"] == 25.0
    assert back["broker.endpoints"] == {"CheckToken": "/api/x/Check"}
    assert back["ui.language"] == "en" and back["broker.verify_tls"] is False
    assert back.changed() == s.changed()


def test_environment_overrides_file_and_is_not_saved(tmp_path):
    path = tmp_path / "s.toml"
    Settings({"camera.fps": 20}, path).save()
    env = {env_name("camera.fps"): "15", env_name("ui.language"): "en"}
    s = Settings.load(path, environ=env)
    assert s["camera.fps"] == 15.0 and s["ui.language"] == "en"
    assert s.from_environment == {"camera.fps", "ui.language"}
    s.set("camera.width", 800)
    s.save()
    data = tomllib.loads(path.read_text("utf-8"))
    assert data["camera"] == {"fps": 20.0, "width": 800}  # the file keeps its own fps
    assert "ui" not in data


def test_bad_values_name_the_key_in_both_languages():
    s = Settings()
    cases = {"camera.fps": 0, "broker.url": "ftp://x", "ui.language": "de", "broker.retries": "three",
             "staff.pin_hash": "1234"}
    for key, value in cases.items():
        with pytest.raises(SettingsError) as info:
            s.set(key, value)
        assert info.value.key == key
        assert str(info.value).startswith(key + ":")
        fa, en = info.value.sentence("fa"), info.value.sentence("en")
        assert fa and en and fa != en
        assert any("\u0600" <= ch <= "\u06ff" for ch in fa), fa


def test_update_is_all_or_nothing():
    s = Settings()
    with pytest.raises(SettingsErrors) as info:
        s.update({"camera.fps": 0, "ui.language": "en", "nope.key": 1})
    assert set(info.value.errors) == {"camera.fps", "nope.key"}
    assert s["ui.language"] == "fa"  # nothing applied
    changed = s.update({"camera.fps": "30", "ui.language": "en"})
    assert changed == {"ui.language": "en"}  # 30 is the default already


def test_unknown_key_in_file_is_refused(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text('[camera]\nfpss = 3\n', "utf-8")
    with pytest.raises(SettingsError, match="camera.fpss"):
        Settings.load(path, environ={})


def test_world_readable_key_file_is_refused_on_load(tmp_path):
    key = tmp_path / "provider.pem"
    key.write_text("x")
    os.chmod(key, 0o644)
    env = {env_name("broker.provider_key_file"): str(key)}
    with pytest.raises(SettingsError) as info:
        Settings.load(tmp_path / "s.toml", environ=env)
    assert info.value.key == "broker.provider_key_file"
    assert "chmod 600" in str(info.value) and "chmod 600" in info.value.sentence("fa")
    os.chmod(key, 0o600)
    assert Settings.load(tmp_path / "s.toml", environ=env)["broker.provider_key_file"] == str(key)
    # the broker's PUBLIC key may be readable by anyone
    pub = tmp_path / "broker.pem"
    pub.write_text("x")
    os.chmod(pub, 0o644)
    Settings.load(tmp_path / "s.toml", environ={env_name("broker.broker_public_key_file"): str(pub)})


def test_tls_off_is_warned_loudly(tmp_path, caplog):
    with caplog.at_level(logging.WARNING):
        s = Settings.load(tmp_path / "s.toml", environ={env_name("broker.verify_tls"): "false"})
    assert any("INSECURE" in r.getMessage() for r in caplog.records)
    assert s.warnings("en") and "TLS" in s.warnings("en")[0]
    assert s.warnings("fa") and "TLS" in s.warnings("fa")[0]
    assert Settings().warnings("en") == []
    assert Settings({"broker.url": "http://10.0.0.5"}).warnings("en")  # plain http to a remote host
    assert Settings({"broker.url": "http://127.0.0.1:8080"}).warnings("en") == []


def test_pin_hash_setting_accepts_only_hashes():
    s = Settings()
    s.set("staff.pin_hash", hash_pin("246813"))
    assert s.as_dict()["staff.pin_hash"] == "***"
    assert s.as_dict(redact=False)["staff.pin_hash"].startswith("scrypt-hmac$")


def test_every_setting_has_persian_help():
    missing = [s.key for s in DEFINITIONS if s.key not in HELP_FA]
    assert not missing, f"add Persian help to kiosk/config/help_fa.py for: {missing}"
    assert not set(HELP_FA) - set(BY_KEY), "help for settings that do not exist"
    assert BY_KEY["camera.fps"].help_text("fa") != BY_KEY["camera.fps"].help_text("en")


def test_a_value_of_the_wrong_kind_is_told_in_words_not_python_type_names():
    s = Settings()
    for key, value, words in (("broker.timeout", "abc", "a number"), ("broker.retries", "three", "a whole number"),
                              ("broker.verify_tls", "maybe", "yes or no")):
        with pytest.raises(SettingsError) as info:
            s.set(key, value)
        en = info.value.sentence("en")
        assert f"must be {words}" in en and not any(t in en for t in ("float", "int,", "bool")), en
