"""The self-test against the real sandbox broker: a clean run, then one fault at a time (wrong
FlowId, wrong key, broker down, no camera, silent microphone, clock skew, TLS off); every failing
line says what to fix, in Persian and English."""
from __future__ import annotations

import re

import dataclasses
import socket
import time

import pytest

from kiosk.broker import tokens
from kiosk.broker.client import BrokerClient
from kiosk.config.settings import Settings
from kiosk.selftest import CheckResult, check_camera, check_microphone, passed, run_selftest

pytest.importorskip("kiosk.sandbox.server")
BROKER_CHECKS = ("keys", "broker", "broker_access", "clock")


def by_name(results: list[CheckResult]) -> dict[str, CheckResult]:
    return {r.name: r for r in results}


def assert_says_fix(result: CheckResult, *words: str) -> None:
    assert result.failed, result
    assert result.fix and result.fix_fa, result
    assert any("\u0600" <= ch <= "\u06ff" for ch in result.fix_fa)
    for w in words:
        assert w in result.fix, (w, result.fix)
    assert "FAIL" in result.text("en") and "نادرست" in result.text("fa")


def closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def test_clean_run_against_the_sandbox(sandbox):
    seen = []
    results = run_selftest(Settings(), sandbox.url, sandbox.credentials, checks=("settings",) + BROKER_CHECKS,
                           on_result=seen.append)
    assert [r.name for r in results] == ["settings", *BROKER_CHECKS] and seen == results
    assert passed(results), [r.text("en") for r in results]
    r = by_name(results)
    assert r["broker"].data["permissions"]["selfie_permission"] is True
    assert "selfie" in r["broker"].detail and "سلفی" in r["broker"].detail_fa
    assert abs(r["clock"].data["skew_seconds"]) <= 2


def test_wrong_flow_id(sandbox):
    creds = dataclasses.replace(sandbox.credentials, flow_id="XYZ-x-99999999-9999")
    r = by_name(run_selftest(Settings(), sandbox.url, creds, checks=BROKER_CHECKS))
    assert r["keys"].ok
    assert_says_fix(r["broker"], "broker.flow_id")
    assert "XYZ-x-99999999-9999" in r["broker"].detail
    # not measured is not passed: the line fails and points at the broker line
    assert r["broker_access"].failed and "broker line" in r["broker_access"].fix


def test_wrong_key(sandbox):
    private, _public = tokens.generate_rsa_keypair()
    creds = dataclasses.replace(sandbox.credentials, provider_private_pem=private)
    results = run_selftest(Settings(), sandbox.url, creds, checks=BROKER_CHECKS)
    r = by_name(results)
    assert_says_fix(r["keys"], "private key")  # local check: private vs public half
    assert r["broker"].ok  # method 5 needs no key
    assert_says_fix(r["broker_access"], "broker.provider_key_file")  # the broker refuses the bearer
    assert not passed(results)
    # without the public half locally, the broker still catches it
    creds = dataclasses.replace(creds, provider_public_pem=b"")
    r = by_name(run_selftest(Settings(), sandbox.url, creds, checks=BROKER_CHECKS))
    assert r["keys"].ok and r["broker_access"].failed


def test_admittance_sentence_missing_fails_the_broker_line_with_the_fix(sandbox):
    """The sandbox's provider has AdmittancePermission: with no sentence every session would stop
    at the admittance step (1217), so the broker line fails and names the setting."""
    r = by_name(run_selftest(Settings({"broker.admittance_text": ""}), sandbox.url, sandbox.credentials,
                             checks=("broker",)))
    assert r["broker"].failed and "broker.admittance_text" in r["broker"].fix
    assert "broker.admittance_text" in r["broker"].fix_fa and "1217" in r["broker"].detail
    assert by_name(run_selftest(Settings(), sandbox.url, sandbox.credentials, checks=("broker",)))["broker"].ok


def test_broker_down(sandbox, monkeypatch):
    url = f"http://127.0.0.1:{closed_port()}"
    sent: list[str] = []  # every attempt goes through BrokerClient._send
    original = BrokerClient._send

    def counted(self, method, path, *args, **kwargs):
        sent.append(path)
        return original(self, method, path, *args, **kwargs)

    monkeypatch.setattr(BrokerClient, "_send", counted)
    r = by_name(run_selftest(Settings(), url, sandbox.credentials, checks=BROKER_CHECKS))
    assert sent and len(sent) == len(set(sent)), sent  # each call tried once: no retries with back-off
    assert_says_fix(r["broker"], "broker.url")
    assert url in r["broker"].detail
    assert r["broker_access"].failed and r["clock"].failed and "broker line" in r["clock"].fix


def test_clock_skew(sandbox):
    r = by_name(run_selftest(Settings({"tokens.clock_skew": 30}), sandbox.url, sandbox.credentials,
                             checks=("broker", "clock"), clock=lambda: time.time() - 600))
    assert r["broker"].ok
    assert_says_fix(r["clock"], "NTP")
    assert r["clock"].data["skew_seconds"] == pytest.approx(600, abs=3)
    assert "behind" in r["clock"].detail


def test_tls_off_fails_the_settings_line():
    r = by_name(run_selftest(Settings({"broker.verify_tls": False}), checks=("settings",)))
    assert_says_fix(r["settings"], "broker.verify_tls")


def test_no_camera():
    result = check_camera(Settings(), "97", seconds=0.3)  # no such device
    assert_says_fix(result, "camera.source")
    assert "'97'" in result.fix


def test_camera_rate_is_measured():
    result = check_camera(Settings({"camera.fps": 15}), "simulated", seconds=0.6)
    assert result.ok, result.text("en")
    assert result.data["fps"] == pytest.approx(15, rel=0.2)
    assert result.data["width"] == 640


def test_microphone_hears_simulated_speech_but_not_silence():
    settings = Settings()
    good = check_microphone(settings, "simulated", seconds=0.8)
    assert good.ok, good.text("en")
    assert good.data["loudest_dbfs"] > settings["recording.vad_floor_dbfs"]
    silent = check_microphone(settings, "silent", seconds=0.5)
    assert_says_fix(silent, "microphone.source")
    assert silent.data["seconds"] > 0.3  # sound came in real time, just silence


def test_models_check():
    from kiosk.selftest import check_models

    result = check_models(Settings())
    assert result.ok, result.text("en")
    assert "face_landmarker.task" in result.data["models"]


def test_cli_help_names_every_check(capsys):
    from kiosk.__main__ import main
    from kiosk.selftest import CHECK_NAMES

    with pytest.raises(SystemExit) as info:
        main(["selftest", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert info.value.code == 0
    assert all(name in out for name in CHECK_NAMES), out


@pytest.mark.parametrize("command", ["check", "record", "inspect", "selftest", "status", "rehearse"])
def test_every_checking_command_says_what_its_exit_codes_mean(capsys, command):
    """An IT person scripting 300 kiosks reads the exit codes in --help, not in the source."""
    from kiosk.__main__ import main

    with pytest.raises(SystemExit) as info:
        main([command, "--help"])
    out = " ".join(capsys.readouterr().out.split()).lower()
    assert info.value.code == 0
    assert re.search(r"\bexits? [0-3]\b", out), out  # not argparse's own "show this help message and exit"
