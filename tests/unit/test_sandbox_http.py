"""The sandbox broker's HTTP edges: bad requests, unknown paths, size limit, the faults hook,
clean stop, and the ``kiosk sandbox`` command."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from kiosk.sandbox.config import Faults, SandboxConfig
from sandbox_fakes import Api, file_data, make_token, signature_png

ROOT = Path(__file__).resolve().parents[2]


# ----------------------------------------------------------------------------- bad requests

def test_non_json_body(api):
    r = api.call("SetToken", raw=b"{not json")
    assert r.status == 400 and r.code == 1 and r.error == 1101
    assert "Traceback" not in r.text and "not JSON" in r.json["Exception"]["TechnicalMessage"]


def test_json_that_is_not_an_object(api):
    assert api.call("SetToken", raw=b"[1, 2]").error == 1101
    assert api.call("SetToken", raw=b"").error == 1101


def test_missing_fields_post_and_get(api):
    assert api.call("CheckToken", {}).error == 1101
    assert api.call("CheckToken", {}, verb="GET").error == 1102
    assert api.call("SetToken", {"tokenValue": 5}).error == 1101
    r = api.call("SavePersonDocument", {"tokenValue": api.register(), "documentType": "front"})
    assert r.error == 1101


def test_body_over_the_limit(make_broker):
    b = make_broker(SandboxConfig(max_body_bytes=2000))
    with Api(b) as api:
        token, _ = make_token(b)
        r = api.call("SaveSignature", {"tokenValue": token, "fileData": file_data(b"x" * 5000, "S.png")})
        assert r.status == 413 and r.error == 1101 and "limit" in r.json["Exception"]["TechnicalMessage"]
        assert api.call("GetRandomText", {"type": 1, "count": 1}).code == 0  # still serving


def test_chunked_body_is_read(api):
    token, sig = make_token(api.broker)
    body = json.dumps({"tokenValue": token, "tokenSignature": sig}).encode()
    r = api.http.post(api.broker.paths["SetToken"], content=iter([body[:50], body[50:]]),
                      headers={"Content-Type": "application/json"})
    assert r.status_code == 200 and r.json()["RespnsCode"] == 0  # SetToken's spelling in the original


def test_unknown_path_and_wrong_verb(api):
    r = api.http.get("/api/Inquiry/NoSuchMethod")
    assert r.status_code == 404 and r.json()["Exception"]["ErrorCode"] == 3 and r.json()["ResponseCode"] == 1
    w = api.http.get(api.broker.paths["SaveSignature"], params={"tokenValue": "x"})
    assert w.status_code == 405 and w.json()["Exception"]["ErrorCode"] == 3 and w.headers["Allow"] == "POST"
    # paths are matched without regard to case, as ASP.NET routes are
    ok = api.http.get(api.broker.paths["GetRandomText"].lower(), params={"type": 1, "count": 1})
    assert ok.status_code == 200 and ok.json()["RespnsCode"] == 0


def test_internal_error_is_an_envelope_without_traceback(broker, api, monkeypatch):
    def boom(req):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(broker, "m_GetRandomText", boom)
    r = api.call("GetRandomText", {"type": 1, "count": 1})
    assert r.status == 500 and r.code == 1 and r.error == 0
    assert "Traceback" not in r.text and "secret internals" not in r.text
    assert "RuntimeError" in r.json["Exception"]["TechnicalMessage"]


# ----------------------------------------------------------------------------- faults

def test_fault_delay(broker, api):
    broker.set_faults(Faults(delay=0.4, methods=("GetRandomText",)))
    t = time.monotonic()
    assert api.call("GetRandomText", {"type": 1}).code == 0
    assert time.monotonic() - t >= 0.4  # a lower bound: a slow machine only adds to it
    # other methods are not slowed: were the delay applied to them, this call would outlast
    # the client's 30 s timeout (Api) and fail
    broker.set_faults(Faults(delay=300, methods=("GetRandomText",)))
    assert api.call("GetTokenProviderProperties", {"flowId": broker.flow_id}).code == 0


@pytest.mark.parametrize("status", [500, 502, 503])
def test_fault_status(broker, api, status):
    broker.set_faults({"status": status, "times": 1})
    r = api.call("GetRandomText", {"type": 1})
    assert r.status == status and r.code == 1 and r.error == 0
    assert api.call("GetRandomText", {"type": 1}).status == 200  # times=1: the next one is normal


def test_fault_non_json(broker, api):
    broker.set_faults({"non_json": True, "times": 1})
    r = api.call("GetRandomText", {"type": 1})
    assert r.status == 200 and r.json is None and r.headers["Content-Type"] == "text/html"


def test_fault_truncated(broker, api):
    broker.set_faults({"truncate": True, "times": 1})
    with pytest.raises(httpx.RemoteProtocolError):
        api.call("GetRandomText", {"type": 1})
    assert api.call("GetRandomText", {"type": 1}).code == 0


def test_fault_reset_before_and_after_processing(broker, api):
    token, sig = make_token(broker)
    broker.set_faults({"reset": True, "times": 1, "methods": ["SetToken"]})
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        api.call("SetToken", {"tokenValue": token, "tokenSignature": sig})
    assert api.call("CheckToken", {"tokenValue": token}).error == 1211  # never registered
    broker.set_faults({"reset": True, "process": True, "times": 1, "methods": ["SetToken"]})
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        api.call("SetToken", {"tokenValue": token, "tokenSignature": sig})
    assert api.call("CheckToken", {"tokenValue": token}).code == 0  # registered, answer lost
    assert api.call("SetToken", {"tokenValue": token, "tokenSignature": sig}).error == 1201


def test_fault_hook_callable(broker, api):
    seen = []

    def hook(method):
        seen.append(method)
        return {"status": 503} if method == "SaveSignature" else None

    broker.set_faults(hook)
    token = api.register()
    r = api.call("SaveSignature", {"tokenValue": token, "fileData": file_data(signature_png(), "S.png")})
    assert r.status == 503 and seen == ["SetToken", "SaveSignature"]
    with pytest.raises(ValueError):
        Faults.from_value({"explode": True})


def test_stop_closes_open_connections(make_broker):
    b = make_broker()
    client = httpx.Client(base_url=b.url)
    try:
        assert client.get(b.paths["GetRandomText"], params={"type": 1}).status_code == 200  # keep-alive open
        stopper = threading.Thread(target=b.stop)
        stopper.start()
        stopper.join(60)  # generous: a stop that waited on the idle keep-alive connection never returns
        assert not stopper.is_alive()
        with pytest.raises(httpx.TransportError):
            client.get(b.paths["GetRandomText"], params={"type": 1})
    finally:
        client.close()


# ----------------------------------------------------------------------------- CLI

def test_cli_help():
    out = subprocess.run([sys.executable, "-m", "kiosk", "sandbox", "--help"], capture_output=True, text=True,
                         cwd=ROOT, timeout=60)
    assert out.returncode == 0 and "--port" in out.stdout and "--credentials" in out.stdout


@pytest.mark.parametrize("extra, key", [([], "RespnsCode"), (["--lenient"], "ResponseCode")])
def test_cli_serves_until_sigterm(tmp_path, extra, key):
    """Strict by default (GetRandomText spelled as the original's sample); --lenient: ResponseCode."""
    creds = tmp_path / "creds"
    env = dict(os.environ)
    proc = subprocess.Popen([sys.executable, "-m", "kiosk", "sandbox", "--port", "0", "--credentials", str(creds),
                             *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env)
    try:
        line = proc.stdout.readline()
        info = json.loads(line)
        assert info["url"].startswith("http://127.0.0.1:") and Path(info["credentials"]) == creds.resolve()
        assert info["flow_id"] == json.loads((creds / "credentials.json").read_text())["flow_id"]
        r = httpx.get(info["url"] + "/api/media/GetRandomText", params={"type": 1, "count": 1}, timeout=10)
        assert r.json()[key] == 0
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=15) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()


def test_http_layer_refusals_are_envelopes(api):
    r = api.http.request("OPTIONS", api.broker.paths["SetToken"])
    assert r.status_code == 501 and r.json()["Exception"]["ErrorCode"] == 3
    import socket
    from urllib.parse import urlsplit

    u = urlsplit(api.broker.url)
    with socket.create_connection((u.hostname, u.port), timeout=10) as s:
        s.sendall(b"GET /api/Inquiry/CheckToken?tokenValue=" + b"x" * 70000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 414") and json.loads(body)["Exception"]["ErrorCode"] == 3
    assert b"xxxx" not in data
