"""``kiosk status`` and ``kiosk selftest`` end to end against the sandbox broker, and the
lookup refusing a tampered signature (sandbox fault and an httpx transport flipping a byte)."""
from __future__ import annotations

import json
import uuid

import httpx
import pytest

from kiosk.__main__ import main
from kiosk.broker.client import BrokerClient
from kiosk.config.settings import Settings
from kiosk.core.lookup import lookup_order

pytest.importorskip("kiosk.sandbox.server")
NATIONAL = "0012345679"
DETAILS = {"national_code": NATIONAL, "birth_date": "1370/01/01", "mobile": "09123456789",
           "card_serial": "1A23456789"}


@pytest.fixture(scope="module")
def selfie_jpeg() -> bytes:
    from skimage import data

    from kiosk.cvcompat import cv2

    ok, buf = cv2.imencode(".jpg", cv2.cvtColor(cv2.resize(data.astronaut(), (480, 480)), cv2.COLOR_RGB2BGR))
    assert ok
    return buf.tobytes()


@pytest.fixture
def order(sandbox, selfie_jpeg) -> str:
    """A registered order with a selfie at the sandbox."""
    oid = "T" + uuid.uuid4().hex[:10].upper()
    with BrokerClient(sandbox.url, sandbox.credentials, Settings()) as c:
        token, sig = c.new_verification_token(DETAILS, oid)
        c.set_token(token, sig)
        assert c.send_prob_image(token, selfie_jpeg).passed
    return oid


def run_cli(capsys, *argv) -> tuple[int, list[dict]]:
    code = main(list(argv))
    out = capsys.readouterr().out
    return code, [json.loads(line) for line in out.splitlines() if line.strip()]


def test_status_prints_signed_status_and_scores(sandbox, order, capsys):
    code, lines = run_cli(capsys, "status", order, "--sandbox-credentials", str(sandbox.credentials_dir))
    assert code == 0, lines
    doc = lines[0]
    assert doc["ok"] and doc["signature_verified"] and doc["order_id"] == order
    assert doc["request_status"]["name"] == "ProbImageReceived"
    assert doc["selfie"]["verification_status"] == "Matched"
    assert doc["selfie"]["face_verification_score"] > doc["selfie"]["face_verification_threshold"]
    assert doc["selfie"]["media_bytes"] is None  # no media asked for
    assert NATIONAL not in json.dumps(doc)  # masked
    assert doc["national_code"].endswith(NATIONAL[-3:])


def test_status_with_broker_and_credentials(sandbox, order, capsys):
    code, lines = run_cli(capsys, "status", order, "--broker", sandbox.url, "--credentials",
                          str(sandbox.credentials_dir), "--national-code", NATIONAL)
    assert code == 0 and lines[0]["ok"]
    code, lines = run_cli(capsys, "status", order, "--broker", sandbox.url, "--credentials",
                          str(sandbox.credentials_dir), "--national-code", "0000000000")
    assert code == 1 and lines[0]["error"]["kind"] == "not_found"


def test_status_bad_signature_exits_non_zero_and_shows_no_data(sandbox, order, capsys):
    sandbox.set_faults({"bad_signature": True})
    code, lines = run_cli(capsys, "status", order, "--sandbox-credentials", str(sandbox.credentials_dir))
    assert code == 3
    doc = lines[0]
    assert doc["ok"] is False and doc["error"]["kind"] == "signature"
    assert "kyc_status" not in doc and "selfie" not in doc
    assert "signature" in doc["error"]["en"] and "امضا" in doc["error"]["fa"]


class FlipSignature(httpx.BaseTransport):
    """Pass everything through, but change one character of E_Signature in the answer."""

    def __init__(self):
        self.inner = httpx.HTTPTransport()
        self.flipped = 0

    def handle_request(self, request):
        response = self.inner.handle_request(request)
        body = response.read()
        key = b'"E_Signature": "'
        i = body.find(key)
        if i < 0:
            key = b'"E_Signature":"'
            i = body.find(key)
        if i >= 0:
            j = i + len(key) + 5
            body = body[:j] + (b"A" if body[j:j + 1] != b"A" else b"B") + body[j + 1:]
            self.flipped += 1
        headers = [(k, v) for k, v in response.headers.items() if k.lower() not in ("content-length", "content-encoding")]
        return httpx.Response(response.status_code, headers=headers, content=body)

    def close(self):
        self.inner.close()


def test_lookup_refuses_a_flipped_signature_byte(sandbox, order):
    with BrokerClient(sandbox.url, sandbox.credentials, Settings()) as good:
        ok = lookup_order(good, order, media=True)
    assert ok.ok and ok.signature_verified and "selfie" in ok.media
    assert ok.media["selfie"][:3] == b"\xff\xd8\xff"
    assert ok.summary()["media"]["selfie"]["bytes"] == len(ok.media["selfie"])
    from kiosk.i18n.digits import to_persian_digits

    with BrokerClient(sandbox.url, sandbox.credentials, Settings()) as good:  # read off a Persian screen
        persian = lookup_order(good, to_persian_digits(order))
    assert persian.ok and persian.order_id == order
    flip = FlipSignature()
    with BrokerClient(sandbox.url, sandbox.credentials, Settings(), transport=flip) as bad:
        refused = lookup_order(bad, order, media=True)
    assert flip.flipped >= 1
    assert not refused.ok and refused.error_kind == "signature"
    assert refused.status is None and refused.data is None and refused.media == {}
    assert set(refused.summary()) == {"order_id", "ok", "signature_verified", "error"}


def test_selftest_command_against_an_in_process_sandbox(capsys):
    code, lines = run_cli(capsys, "selftest", "--sandbox", "--json", "--only", "keys", "--only", "broker",
                          "--only", "broker_access", "--only", "clock")
    assert code == 0, lines
    doc = lines[0]
    assert doc["ok"] and [c["name"] for c in doc["checks"]] == ["keys", "broker", "broker_access", "clock"]


def test_selftest_command_fails_on_a_closed_port(sandbox, capsys):
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    code, lines = run_cli(capsys, "selftest", "--broker", f"http://127.0.0.1:{port}", "--credentials",
                          str(sandbox.credentials_dir), "--only", "broker", "--lang", "en")
    assert code == 1
    assert lines[0]["name"] == "broker" and not lines[0]["ok"] and "broker.url" in lines[0]["fix"]
    assert lines[0]["text"].startswith("Broker: FAIL")
