"""The sandbox's injected faults, per method and per request count, from a test and from the
``kiosk sandbox --faults FILE.json`` command line."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import httpx
import pytest

from kiosk.broker.client import BrokerClient
from kiosk.broker.errors import TransportError, UploadUncertain
from kiosk.config.settings import Settings
from kiosk.sandbox.config import Faults, load_faults

FAST = Settings({"broker.retries": 0, "broker.timeout": 3.0})


def test_skip_then_fail_n_times_per_method(sandbox):
    sandbox.set_faults([{"status": 503, "methods": ["GetRandomText"], "skip": 1, "times": 2},
                        {"non_json": True, "methods": ["CheckToken"], "times": 1}])
    with BrokerClient(sandbox.url, sandbox.credentials, FAST) as c:
        assert c.get_random_text()  # skipped
        for _ in range(2):
            with pytest.raises(TransportError) as info:
                c.get_random_text()
            assert info.value.http_status == 503
        assert c.get_random_text()  # the rule is used up
        c.get_token_provider_properties()  # no rule for it
        with pytest.raises(Exception) as info:
            c.check_token("a.b.c")
        assert info.value.kind == "html"


def test_reset_mid_upload_reads_part_of_the_body_then_drops(sandbox):
    sandbox.set_faults({"reset_after_bytes": 100, "methods": ["SaveSignature"], "times": 1})
    body = json.dumps({"tokenValue": "a.b.c", "fileData": {"content": "A" * 2_000_000}}).encode()
    from kiosk.broker.endpoints import resolve_paths

    url = sandbox.url + resolve_paths({})["SaveSignature"]
    with pytest.raises(httpx.TransportError):
        httpx.post(url, content=body, headers={"Content-Type": "application/json"}, timeout=5)
    # the server is still up, and the next upload is not touched
    r = httpx.post(url, content=body, headers={"Content-Type": "application/json"}, timeout=5)
    assert r.status_code in (200, 400) and "ResponseCode" in r.text


def test_upload_through_the_client_mid_body_reset_is_a_typed_error(sandbox):
    sandbox.set_faults({"reset_after_bytes": 1000, "methods": ["SendProbImageByToken"]})
    with BrokerClient(sandbox.url, sandbox.credentials, FAST) as c:
        with pytest.raises((TransportError, UploadUncertain)):
            c.send_prob_image("a.b.c", os.urandom(3_000_000))


def test_unknown_or_bad_faults_are_refused(tmp_path):
    with pytest.raises(ValueError):
        Faults.from_value({"explode": True})
    bad = tmp_path / "f.json"
    bad.write_text("[1, 2]")
    with pytest.raises((ValueError, TypeError)):
        load_faults(bad)
    bad.write_text("{not json")
    with pytest.raises(ValueError):
        load_faults(bad)
    good = tmp_path / "g.json"
    good.write_text(json.dumps([{"reset": True, "methods": ["SetToken"], "times": 2}, {"delay": 0.1}]))
    rules = load_faults(good)
    assert [r.times for r in rules] == [2, None] and rules[0].methods == ("SetToken",)


def test_cli_faults_file(tmp_path):
    faults = tmp_path / "faults.json"
    faults.write_text(json.dumps([{"status": 503, "methods": ["GetRandomText"], "times": 1}]))
    env = dict(os.environ, KIOSK_HOME=str(tmp_path / "home"))
    proc = subprocess.Popen([sys.executable, "-m", "kiosk", "sandbox", "--port", "0", "--faults", str(faults),
                             "--credentials", str(tmp_path / "creds")], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env, text=True)
    try:
        line = proc.stdout.readline()
        info = json.loads(line)
        from kiosk.broker.credentials import load_dir

        creds = load_dir(tmp_path / "creds")
        with BrokerClient(info["url"], creds, FAST) as c:
            with pytest.raises(TransportError):
                c.get_random_text()
            assert c.get_random_text()
    finally:
        proc.terminate()
        proc.communicate(timeout=10)
    assert proc.returncode == 0
