"""``kiosk rehearse``: a whole session by the simulated applicant (simulated camera and
microphone, the real session engine, no window) against a real broker over a real socket."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

import pytest

from kiosk.broker.client import BrokerClient
from kiosk.config.settings import Settings
from kiosk.core.rehearsal import rehearse
from kiosk.sandbox.config import SandboxConfig
from kiosk.sandbox.server import SandboxBroker

pytestmark = pytest.mark.slow

FAST = {"recording.seconds": 2.0}


def _env(kiosk_home) -> dict[str, str]:
    env = dict(os.environ, KIOSK_HOME=str(kiosk_home), KIOSK_SETTINGS=str(kiosk_home / "settings.toml"),
               KIOSK_RECORDING__SECONDS="2")
    env.pop("KIOSK_BROKER__URL", None)
    return env


def _lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.strip().startswith("{")]


def test_rehearse_against_kiosk_sandbox_ends_verified(tmp_path, kiosk_home):
    creds = tmp_path / "creds"
    env = _env(kiosk_home)
    broker = subprocess.Popen([sys.executable, "-m", "kiosk", "sandbox", "--port", "0", "--credentials", str(creds)],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    try:
        first = json.loads(broker.stdout.readline())
        url = first["url"]
        proc = subprocess.run([sys.executable, "-m", "kiosk", "rehearse", "--credentials", str(creds)],
                              capture_output=True, text=True, env=env, timeout=600)
    finally:
        broker.terminate()
        broker.wait(30)
    lines = _lines(proc.stdout)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    calls, last = lines[:-1], lines[-1]
    assert last["verdict"] == "verified" and last["broker"] == url
    methods = [c["method"] for c in calls]
    assert methods[:2] == ["GetTokenProviderProperties", "SetToken"] and methods[-1] == "VerifyToken"
    assert {"SaveSignature", "SavePersonDocument", "SendProbImageByToken", "SendProbVideoByToken",
            "SendAdmittanceVideoByToken"} <= set(methods)
    assert all(c["code"] == 0 and c["seconds"] >= 0 for c in calls)
    assert [s["step"] for s in last["steps"]] == ["signature", "id_front", "id_back", "selfie", "selfie_video",
                                                  "admittance_video"]


def test_rehearse_skips_what_the_provider_may_not_ask(tmp_path, kiosk_home):
    config = SandboxConfig()
    config.provider_properties = dict(config.provider_properties, AdmittancePermission=False)
    broker = SandboxBroker(tmp_path / "creds", config=config, port=0).start()
    settings = Settings(FAST)
    calls: list[dict] = []
    try:
        out = rehearse(settings, lambda: BrokerClient(broker.url, broker.credentials, settings), calls.append)
    finally:
        broker.stop()
    assert out["verdict"] == "verified", out
    assert "admittance_video" not in [s["step"] for s in out["steps"]]
    assert "GetAdmittanceText" not in [c["method"] for c in calls]
    assert "SendProbVideoByToken" in [c["method"] for c in calls]


def test_rehearse_against_a_closed_port_fails_with_a_sentence(tmp_path, kiosk_home):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    SandboxBroker(tmp_path / "creds")  # writes a credentials folder, serves nothing
    proc = subprocess.run([sys.executable, "-m", "kiosk", "rehearse", "--broker", f"http://127.0.0.1:{port}",
                           "--credentials", str(tmp_path / "creds")],
                          capture_output=True, text=True, env=_env(kiosk_home), timeout=300)
    assert proc.returncode == 1
    last = _lines(proc.stdout)[-1]
    assert last["verdict"] == "error" and last["step"] == "registration"
    assert "broker" in last["sentence"]["en"].lower() and last["sentence"]["fa"]
    assert "AbortToken" not in proc.stdout  # the token never reached anyone: nothing to abort


def test_rehearse_usage_errors_exit_2(tmp_path, kiosk_home):
    proc = subprocess.run([sys.executable, "-m", "kiosk", "rehearse", "--credentials", str(tmp_path / "none")],
                          capture_output=True, text=True, env=_env(kiosk_home), timeout=120)
    assert proc.returncode == 2
    assert _lines(proc.stdout)[-1]["error"]["kind"] == "usage"


def test_a_rehearsal_stays_out_of_the_branch_sessions_log(tmp_path, kiosk_home):
    from kiosk.core.sessions_log import SessionsLog

    broker = SandboxBroker(tmp_path / "creds", port=0).start()
    settings = Settings(FAST)
    try:
        out = rehearse(settings, lambda: BrokerClient(broker.url, broker.credentials, settings), lambda _c: None)
    finally:
        broker.stop()
    assert out["verdict"] == "verified"
    log = SessionsLog.open(settings)
    try:
        assert log.get(out["order_id"]) is None  # IT's rehearsal is not one of today's applicants
    finally:
        log.close()
