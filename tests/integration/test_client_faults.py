"""The broker client against answers it must not trust: served with ``httpx.MockTransport``
(and a real slow socket server for time-outs). Each case must end in a typed ``BrokerError``
with a sentence in both languages, never in a false success."""
from __future__ import annotations

import base64
import io
import json
import logging
import socket
import threading
import time
from pathlib import Path

import httpx
import pytest

from kiosk.broker import tokens
from kiosk.broker.client import CHUNK, BrokerClient
from kiosk.broker.codes import AuthenticationStatus
from kiosk.broker.credentials import ProviderCredentials
from kiosk.broker.errors import (BrokerError, BrokerRefused, BrokerUnauthorized, ProtocolError, SignatureInvalid,
                                 TransportError, UploadUncertain)
from kiosk.config.settings import Settings

FLOW = "KSK-x-00000001-0001"
SAMPLES = Path(__file__).parents[1] / "fixtures" / "broker_samples"
TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzZWNyZXQiOiJ0b2tlbiJ9.c2lnbmF0dXJlLXNlY3JldA"
NATIONAL = "0012345679"


@pytest.fixture(scope="module")
def keys():
    provider = tokens.generate_rsa_keypair(2048)
    broker = tokens.generate_rsa_keypair(2048)
    return provider, broker


@pytest.fixture
def creds(keys):
    (ppriv, ppub), (_, bpub) = keys
    return ProviderCredentials(FLOW, "k" * 32, ppriv, bpub, ppub)


class Recorder:
    """A MockTransport handler: answers from a list (or a function) and records requests."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []
        self.bodies: list[bytes] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        self.bodies.append(request.read())
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if callable(answer):
            answer = answer(request)
        if isinstance(answer, Exception):
            raise answer
        if isinstance(answer, httpx.Response):
            return answer
        if isinstance(answer, (bytes, str)):
            return httpx.Response(200, content=answer, headers={"Content-Type": "application/json"})
        return httpx.Response(200, json=answer)


def make(creds, handler, **settings) -> BrokerClient:
    values = {"broker.retries": 3}
    values.update(settings)
    c = BrokerClient("https://broker.invalid", creds, Settings(values), transport=httpx.MockTransport(handler))
    c.sleeps = []
    c.sleep = c.sleeps.append
    return c


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def signed(result_text: str, broker_priv, **extra) -> bytes:
    dts, esig = tokens.sign_result(result_text, broker_priv)
    tail = "".join(f', "{k}": {json.dumps(v, ensure_ascii=False)}' for k, v in extra.items())
    return ('{"Result": %s, "DataToSign": "%s", "E_Signature": "%s", "RespnsCode": 0, '  # noqa: UP031 - JSON text, its braces would need doubling
            '"RespnsMessage": "ok", "Exception": null%s}' % (result_text, dts, esig, tail)).encode("utf-8")


def assert_sentences(err: BrokerError):
    fa, en = err.sentence("fa"), err.sentence("en")
    assert fa and en and fa != en
    assert any("\u0600" <= ch <= "\u06ff" for ch in fa)


# ----------------------------------------------------------------------------- samples through the client

SUCCESS_CALLS = {
    "m04_check_token_success.json": lambda c: c.check_token(TOKEN),
    "m05_provider_properties_success.json": lambda c: c.get_token_provider_properties(),
    "m06_save_signature_success.json": lambda c: c.save_signature(TOKEN, b"\x89PNG\r\n\x1a\n"),
    "m08_random_text_success.json": lambda c: c.get_random_text(),
    "m09_send_video_success.json": lambda c: c.send_prob_video(TOKEN, b"\x1a\x45\xdf\xa3", "متن"),
    "m10_admittance_text_success.json": lambda c: c.get_admittance_text(TOKEN),
    "m11_admittance_video_success.json": lambda c: c.send_admittance_video(TOKEN, b"\x1a\x45\xdf\xa3"),
    "m12_person_document_success.json": lambda c: c.save_person_document(TOKEN, b"\x89PNG"),
    "m13_verify_token_success.json": lambda c: c.verify_token(TOKEN),
    "m13_verify_token_not_complete.json": lambda c: c.verify_token(TOKEN),
    "m14_abort_token_success.json": lambda c: c.abort_token(TOKEN),
}


@pytest.mark.parametrize("name", sorted(SUCCESS_CALLS))
def test_sample_success_answers_through_the_client(creds, name):
    with make(creds, Recorder(sample(name))) as c:
        out = SUCCESS_CALLS[name](c)
    assert out is not None
    if name == "m13_verify_token_not_complete.json":
        assert out.verified is False and out.response_code == 2
    if name == "m09_send_video_success.json":
        assert out.passed and out.status is AuthenticationStatus.AuthenticationSuccess
    if name == "m05_provider_properties_success.json":
        assert out.selfie_try_count == 3


FAILURE_CALLS = {
    "m03_set_token_failure.json": (lambda c: c.set_token(TOKEN, "sig"), 1213),
    "m04_check_token_failure.json": (lambda c: c.check_token(TOKEN), 1211),
    "m05_provider_properties_failure.json": (lambda c: c.get_token_provider_properties(), 1202),
    "m06_save_signature_failure.json": (lambda c: c.save_signature(TOKEN, b"x"), 1211),
    "m09_send_video_failure.json": (lambda c: c.send_prob_video(TOKEN, b"x", "t"), 1209),
    "m10_admittance_text_failure.json": (lambda c: c.get_admittance_text(TOKEN), 1209),
    "m11_admittance_video_failure.json": (lambda c: c.send_admittance_video(TOKEN, b"x"), None),
    "m12_person_document_failure.json": (lambda c: c.save_person_document(TOKEN, b"x"), 1901),
    "m13_verify_token_failure.json": (lambda c: c.verify_token(TOKEN), 1212),
    "m15_kyc_status_failure.json": (lambda c: c.get_citizen_kyc_status("1"), 1212),
    "m16_signature_data_failure.json": (lambda c: c.get_citizen_signature_data("1"), 1211),
    "m20_citizen_data_failure.json": (lambda c: c.get_citizen_data("1"), 1211),
}


@pytest.mark.parametrize("name", sorted(FAILURE_CALLS))
def test_sample_failure_answers_through_the_client(creds, name):
    call, code = FAILURE_CALLS[name]
    with make(creds, Recorder(sample(name))) as c, pytest.raises(BrokerRefused) as info:
        call(c)
    assert info.value.code == code
    assert_sentences(info.value)


@pytest.mark.parametrize("name,call", [
    ("m15_kyc_status_success.json", lambda c: c.get_citizen_kyc_status("11111111")),
    ("m16_signature_data_success.json", lambda c: c.get_citizen_signature_data("11111111")),
    ("m17_selfie_data_success.json", lambda c: c.get_citizen_selfie_data("11111111")),
    ("m18_video_data_success.json", lambda c: c.get_citizen_video_data("11111111")),
    ("m19_speech_data_success.json", lambda c: c.get_citizen_speech_data("11111111")),
    ("m20_citizen_data_success.json", lambda c: c.get_citizen_data("11111111")),
])
def test_sample_signed_answers_are_refused_for_their_fake_signatures(creds, name, call):
    with make(creds, Recorder(sample(name))) as c, pytest.raises(SignatureInvalid) as info:
        call(c)
    assert_sentences(info.value)


def test_temp_token_sample_without_envelope_is_a_protocol_error(creds):
    with make(creds, Recorder(sample("m02_generate_temp_token_success.json"))) as c, pytest.raises(ProtocolError):
        c.generate_temp_token(TOKEN)


# ----------------------------------------------------------------------------- signed answers

def test_signed_answer_verified_over_the_exact_text(creds, keys):
    (_, _), (bpriv, _) = keys
    # odd spacing, key order and a \u escape: any re-serialisation would break the signature
    result = ('{ "OrderId":"77" ,"CallerCode": "%s", "Speech" : {"ChallengedText": "\\u0627\\u06cc\\u0646 '  # noqa: UP031 - JSON text, its braces would need doubling
              'متن", "SpeechVerificationScore": 61.220, "Data": null}}' % FLOW)
    rec = Recorder(signed(result, bpriv))
    with make(creds, rec) as c:
        speech = c.get_citizen_speech_data("77")
    assert speech.challenged_text == "این متن" and speech.speech_verification_score == pytest.approx(61.22)
    assert speech.order_id == "77"


def test_tampered_signed_answer_is_refused(creds, keys):
    (_, _), (bpriv, _) = keys
    result = '{"CallerCode": "%s", "OrderId": "77", "AuthResult": {"KYCStatus": 2, "KYCRequestStatus": 5}}' % FLOW  # noqa: UP031 - JSON text, its braces would need doubling
    body = signed(result, bpriv).replace(b'"KYCStatus": 2', b'"KYCStatus": 3')
    with make(creds, Recorder(body)) as c, pytest.raises(SignatureInvalid):
        c.get_citizen_kyc_status("77")
    good = signed(result, bpriv)
    with make(creds, Recorder(good)) as c:
        assert c.get_citizen_kyc_status("77").kyc_status == 2


def test_wrong_broker_key_is_refused(keys):
    (ppriv, ppub), (bpriv, _) = keys
    _, stranger_pub = tokens.generate_rsa_keypair(1024)
    creds = ProviderCredentials(FLOW, "k" * 32, ppriv, stranger_pub, ppub)
    body = signed('{"CallerCode": "X", "OrderId": "1", "Signature": {"IsActive": true, "Data": null}}', bpriv)
    with make(creds, Recorder(body)) as c, pytest.raises(SignatureInvalid) as info:
        c.get_citizen_signature_data("1")
    assert "signature" in info.value.sentence("en").lower()


@pytest.mark.parametrize("body", [
    b'{"Result": {"OrderId": "1"}, "RespnsCode": 0}',  # unsigned
    b'{"Result": null, "RespnsCode": 0, "DataToSign": "x", "E_Signature": "y"}',  # nothing signed
])
def test_unsigned_or_empty_citizen_answers_are_refused(creds, body):
    with make(creds, Recorder(body)) as c, pytest.raises((SignatureInvalid, ProtocolError)):
        c.get_citizen_kyc_status("1")


def test_citizen_calls_carry_a_fresh_bearer_and_the_ids(creds, keys):
    (_, ppub), (bpriv, _) = keys
    result = '{"CallerCode": "%s", "OrderId": "9", "AuthResult": {"KYCStatus": 1}}' % FLOW  # noqa: UP031 - JSON text, its braces would need doubling
    rec = Recorder(signed(result, bpriv))
    with make(creds, rec) as c:
        c.get_citizen_kyc_status("9", national_code=NATIONAL)
        c.get_citizen_kyc_status("9", verb="GET")
        c.get_citizen_data("9", video=False, verb="GET")
    seen: set[str] = set()
    for req in rec.requests:
        auth = req.headers["Authorization"]
        assert auth.startswith("Bearer ")
        tokens.verify_bearer(auth[7:], ppub, flow_id=FLOW, scope="0300000", seen_jti=seen)
    assert len(seen) == 3
    post = json.loads(rec.bodies[0])
    assert post == {"OrderId": "9", "FlowId": FLOW, "NationalCode": NATIONAL}
    assert rec.requests[1].method == "GET" and rec.requests[1].url.params["OrderId"] == "9"
    assert "NationalCode" not in rec.requests[1].url.params
    assert rec.requests[2].url.params["video"] == "false" and rec.requests[2].url.params["authResult"] == "true"


# ----------------------------------------------------------------------------- malformed answers

BAD_BODIES = {
    "truncated": (b'{"ResponseCode": 0, "Result": {"CallerCode": "X", "Selfie', "protocol"),
    "not json": (b"Internal error, see log", "protocol"),
    "empty": (b"", "protocol"),
    "html": (b"<!DOCTYPE html><html><head><title>Login</title></head><body>Wi-Fi login</body></html>", "html"),
    "no envelope": (b'{"Result": {"CallerCode": "X"}}', "protocol"),
    "array": (b"[1, 2, 3]", "protocol"),
    "wrong types": (b'{"ResponseCode": 0, "Result": {"SelfieTryCount": "three"}}', "protocol"),
    "result is a string": (b'{"ResponseCode": 0, "Result": "ok"}', "protocol"),
    "code is text": (b'{"ResponseCode": "ok", "Result": {}}', "protocol"),
    "unknown code": (b'{"ResponseCode": 5, "Result": {}}', "protocol"),
}


@pytest.mark.parametrize("case", sorted(BAD_BODIES))
def test_malformed_answers_are_typed_errors(creds, case):
    body, kind = BAD_BODIES[case]
    with make(creds, Recorder(body)) as c, pytest.raises(ProtocolError) as info:
        c.get_token_provider_properties()
    assert info.value.kind == kind and info.value.method == "GetTokenProviderProperties"
    assert_sentences(info.value)


def test_upload_answers_must_say_whether_the_step_passed(creds):
    for body in (b'{"ResponseCode": 0}', b'{"ResponseCode": 0, "Result": "saved"}',
                 b'{"ResponseCode": 0, "Result": {"AuthenticationResult": "ok"}}'):
        with make(creds, Recorder(body)) as c, pytest.raises(ProtocolError):
            c.send_prob_image(TOKEN, b"\xff\xd8\xff")


def test_failed_upload_is_a_result_not_an_error(creds):
    body = json.dumps({"Result": None, "FailureResult": {"AuthenticationStatus": 3, "AuthenticationResult": "no match"},
                       "RespnsCode": 2, "RespnsMessage": "failed", "Exception": None}).encode()
    with make(creds, Recorder(body)) as c:
        out = c.send_prob_image(TOKEN, b"\xff\xd8\xff")
    assert not out.passed and out.status is AuthenticationStatus.VerificationFailed and out.message == "no match"


def test_failed_is_an_error_where_it_is_not_a_result(creds):
    with make(creds, Recorder(b'{"RespnsCode": 2, "RespnsMessage": "x"}')) as c, pytest.raises(BrokerRefused):
        c.set_token(TOKEN)


def test_huge_answers_are_cut_off(creds):
    big = b'{"ResponseCode": 0, "Result": "' + b"a" * 5000 + b'"}'
    declared = httpx.Response(200, content=big)
    with make(creds, Recorder(declared), **{"broker.max_response_bytes": 1024}) as c, \
            pytest.raises(ProtocolError) as info:
        c.get_random_text()
    assert info.value.kind == "too_large"

    def stream(_req):  # no Content-Length: cut while streaming
        return httpx.Response(200, content=iter([big[i:i + 100] for i in range(0, len(big), 100)]))

    with make(creds, Recorder(stream), **{"broker.max_response_bytes": 1024}) as c, \
            pytest.raises(ProtocolError) as info:
        c.get_random_text()
    assert info.value.kind == "too_large"
    assert_sentences(info.value)


@pytest.mark.parametrize("status,body,exc,kind", [
    (401, b"", BrokerUnauthorized, "unauthorized"),
    (401, b'{"ResponseCode": 401, "ResponseMessage": "Unauthorized"}', BrokerUnauthorized, "unauthorized"),
    (404, b"Not Found", ProtocolError, "http_status"),
    (500, b"<html><body>Server Error</body></html>", ProtocolError, "html"),
    (500, b'{"ResponseCode": 1, "Exception": {"ErrorCode": 1218, "ErrorMessage": "db"}}', BrokerRefused, "refused"),
    (200, b'{"ResponseCode": 1, "Exception": {"ErrorCode": 2001}}', BrokerUnauthorized, "unauthorized"),
])
def test_http_errors(creds, status, body, exc, kind):
    with make(creds, Recorder(httpx.Response(status, content=body))) as c, pytest.raises(exc) as info:
        c.check_token(TOKEN)
    assert info.value.kind == kind
    assert_sentences(info.value)


def test_expired_token_answer(creds):
    body = b'{"ResponseCode": 1, "ResponseMessage": "x", "Exception": {"ErrorCode": 1209, "TechnicalMessage": "Token expired!"}}'
    with make(creds, Recorder(body)) as c, pytest.raises(BrokerRefused) as info:
        c.send_prob_image(TOKEN, b"\xff\xd8")
    assert info.value.code == 1209 and "expired" in info.value.sentence("en")
    assert info.value.staff_action == "new_session"


# ----------------------------------------------------------------------------- retries

def test_idempotent_call_is_retried_on_503_then_succeeds(creds):
    rec = Recorder(httpx.Response(503), httpx.Response(502), sample("m08_random_text_success.json"))
    with make(creds, rec) as c:
        assert c.get_random_text() == ["بوق ماشین ما خراب شده است"]
        assert c.attempts["GetRandomText"] == 3 and len(c.sleeps) == 2
        assert all(0 <= s <= c.backoff_cap for s in c.sleeps)


def test_retry_after_of_the_broker_is_obeyed_and_a_long_one_fails_at_once(creds):
    import email.utils

    from kiosk.broker.client import RETRY_AFTER_CAP, retry_after_seconds

    # seconds, and an HTTP date 7 s ahead
    date = email.utils.formatdate(time.time() + 7, usegmt=True)
    rec = Recorder(httpx.Response(503, headers={"Retry-After": "3"}),
                   httpx.Response(503, headers={"Retry-After": date}), sample("m08_random_text_success.json"))
    with make(creds, rec) as c:
        assert c.get_random_text()
        assert c.sleeps[0] == 3.0 and 5.5 <= c.sleeps[1] <= 7.0
    assert retry_after_seconds("soon") is None and retry_after_seconds("") is None
    # a wait longer than the cap: no retry, the staff hears "unavailable" now
    rec = Recorder(httpx.Response(503, headers={"Retry-After": str(int(RETRY_AFTER_CAP) + 100)}))
    with make(creds, rec) as c, pytest.raises(TransportError) as info:
        c.get_random_text()
    assert len(rec.requests) == 1 and c.sleeps == [] and info.value.kind == "unavailable"
    assert_sentences(info.value)


def test_idempotent_call_gives_up_after_the_retries(creds):
    rec = Recorder(httpx.Response(503))
    with make(creds, rec, **{"broker.retries": 2}) as c, pytest.raises(TransportError) as info:
        c.get_token_provider_properties()
    assert len(rec.requests) == 3 and info.value.kind == "unavailable" and info.value.http_status == 503


def test_connection_refused_is_retried_for_idempotent_calls(creds):
    rec = Recorder(httpx.ConnectError("refused"), httpx.RemoteProtocolError("Server disconnected without sending a response."),
                   sample("m14_abort_token_success.json"))
    with make(creds, rec) as c:
        assert "لغو" in c.abort_token(TOKEN)
    assert len(rec.requests) == 3


@pytest.mark.parametrize("call", [
    lambda c: c.send_prob_video(TOKEN, b"\x1a\x45\xdf\xa3" * 100, "t"),
    lambda c: c.save_signature(TOKEN, b"\x89PNG"),
    lambda c: c.send_prob_image(TOKEN, b"\xff\xd8"),
])
def test_upload_is_never_retried_on_503(creds, call):
    rec = Recorder(httpx.Response(503), sample("m09_send_video_success.json"))
    with make(creds, rec) as c, pytest.raises(UploadUncertain) as info:
        call(c)
    assert len(rec.requests) == 1 and c.sleeps == []
    assert not info.value.retryable
    assert_sentences(info.value)


def test_upload_connection_dropped_after_sending_is_uncertain(creds):
    rec = Recorder(httpx.RemoteProtocolError("Server disconnected without sending a response."))
    with make(creds, rec) as c, pytest.raises(UploadUncertain):
        c.send_prob_video(TOKEN, b"video", "t")
    assert len(rec.requests) == 1


def test_upload_connect_failure_is_a_transport_error_nothing_sent(creds):
    rec = Recorder(httpx.ConnectError("refused"))
    with make(creds, rec) as c, pytest.raises(TransportError) as info:
        c.save_person_document(TOKEN, b"png")
    assert len(rec.requests) == 1 and info.value.sent is False and info.value.kind == "connect"


def test_non_idempotent_set_token_is_not_retried(creds):
    rec = Recorder(httpx.ReadTimeout("slow"))
    with make(creds, rec) as c, pytest.raises(TransportError) as info:
        c.set_token(TOKEN)
    assert len(rec.requests) == 1 and info.value.sent and info.value.kind == "timeout"
    rec = Recorder(httpx.Response(503))
    with make(creds, rec) as c, pytest.raises(TransportError):
        c.verify_token(TOKEN)
    assert len(rec.requests) == 1


def test_read_timeout_is_not_retried_even_when_idempotent(creds):
    rec = Recorder(httpx.ReadTimeout("slow"))
    with make(creds, rec) as c, pytest.raises(TransportError) as info:
        c.check_token(TOKEN)
    assert len(rec.requests) == 1 and info.value.kind == "timeout"


# ----------------------------------------------------------------------------- a real slow socket server

class SlowServer:
    """Accepts one connection at a time and answers slowly: ``mode`` "silent" never answers,
    "trickle" sends headers then one byte every 0.2 s."""

    def __init__(self, mode: str):
        self.mode = mode
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(4)
        self.sock.settimeout(0.2)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name="slow-server", daemon=True)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(5)
        self.sock.close()

    def _run(self):
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(0.2)
                try:
                    conn.recv(65536)
                except OSError:
                    pass
                if self.mode == "trickle":
                    try:
                        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n")
                    except OSError:
                        continue
                while not self.stop.is_set():
                    if self.mode == "trickle":
                        try:
                            conn.sendall(b" ")
                        except OSError:
                            break
                    time.sleep(0.2)


@pytest.mark.parametrize("mode", ["silent", "trickle"])
def test_slow_broker_times_out_over_a_real_socket(creds, mode):
    with SlowServer(mode) as srv:
        c = BrokerClient(srv.url, creds, Settings({"broker.timeout": 1.0, "broker.retries": 0}))
        errors: list[BaseException] = []

        def call() -> None:
            try:
                c.get_random_text(verb="GET")
            except TransportError as exc:
                errors.append(exc)

        started = time.monotonic()
        with c:
            caller = threading.Thread(target=call)
            caller.start()
            caller.join(60)  # generous: a client without its own deadline would wait for ever
            took = time.monotonic() - started
            assert not caller.is_alive(), "the client never gave up on the slow broker"
    assert len(errors) == 1 and errors[0].kind == "timeout"
    assert took >= 0.9  # not before its timeout (a lower bound: a slow machine only adds to it)
    assert_sentences(errors[0])


def test_connection_refused_over_a_real_socket(creds):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    with BrokerClient(f"http://127.0.0.1:{port}", creds, Settings({"broker.retries": 1})) as c:
        c.sleep = lambda _s: None
        with pytest.raises(TransportError) as info:
            c.check_token(TOKEN)
        assert c.attempts["CheckToken"] == 2
    assert info.value.kind == "connect" and not info.value.sent


# ----------------------------------------------------------------------------- requests the client sends

def test_get_and_post_forms(creds):
    rec = Recorder(b'{"RespnsCode": 0, "RespnsMessage": "ok"}')
    with make(creds, rec) as c:
        c.set_token(TOKEN, "S+G/==")
        c.set_token(TOKEN, "S+G/==", verb="GET")
        with pytest.raises(ValueError):  # GenerateTempToken takes GET (the original) or POST (a profile)
            c.generate_temp_token(TOKEN, verb="PUT")
    post, get = rec.requests
    assert post.method == "POST" and post.url.path == "/api/Inquiry/SetToken"
    assert json.loads(rec.bodies[0]) == {"tokenValue": TOKEN, "tokenSignature": "S+G/=="}
    assert get.method == "GET" and get.url.params["tokenValue"] == TOKEN and get.url.params["tokenSignature"] == "S+G/=="
    # standard Base64 percent-encoded in the query: a '+' left bare would arrive as a space
    assert b"tokenSignature=S%2BG%2F%3D%3D" in get.url.raw_path


def test_endpoint_overrides_from_settings(creds):
    rec = Recorder(b'{"RespnsCode": 0, "RespnsMessage": "ok"}')
    with make(creds, rec, **{"broker.endpoints": {"CheckToken": "/api/Inquiry/IsTokenValid"}}) as c:
        c.check_token(TOKEN, verb="GET")
    assert rec.requests[0].url.path == "/api/Inquiry/IsTokenValid"


def test_provider_properties_request(creds):
    rec = Recorder(sample("m05_provider_properties_success.json"))
    with make(creds, rec) as c:
        c.get_token_provider_properties()
        c.get_token_provider_properties(verb="GET")
    assert json.loads(rec.bodies[0]) == {"flowId": FLOW, "callerCode": FLOW}
    assert rec.requests[1].url.params["flowId"] == FLOW


@pytest.mark.parametrize("size", [0, 1, 2, 3, 4, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK + 2])
@pytest.mark.parametrize("form", ["bytes", "path", "file"])
def test_streamed_upload_body_is_exact_json(creds, tmp_path, size, form):
    data = bytes((i * 7 + 3) % 256 for i in range(size))
    media = data
    fh = None
    if form == "path":
        media = tmp_path / "clip.webm"
        media.write_bytes(data)
    elif form == "file":
        media = fh = io.BytesIO(data)
    rec = Recorder(sample("m09_send_video_success.json"))
    with make(creds, rec) as c:
        c.send_prob_video(TOKEN, media, "آزاده نامه‌ای به من داد")
    req, body = rec.requests[0], rec.bodies[0]
    assert int(req.headers["Content-Length"]) == len(body)
    assert "chunked" not in req.headers.get("Transfer-Encoding", "")
    sent = json.loads(body)
    assert sent["tokenValue"] == TOKEN and sent["randomText"] == "آزاده نامه‌ای به من داد"
    assert sent["faceThreshold"] == -1 and sent["voiceThreshold"] == -1
    assert set(sent["fileData"]) == {"name", "fileName", "content"}
    assert sent["fileData"]["name"] == "FileData" and sent["fileData"]["fileName"] == "ProbVideo.webm"
    assert base64.b64decode(sent["fileData"]["content"], validate=True) == data
    if fh is not None:
        fh.close()


def test_upload_file_names_and_fields(creds):
    rec = Recorder(b'{"RespnsCode": 0, "Result": "Document inserted into DB successfully with ID: ab12cd34-0000"}')
    with make(creds, rec) as c:
        item = c.save_person_document(TOKEN, b"png", document_type=102)
        c.save_signature(TOKEN, b"png")
    assert item.record_id == "ab12cd34-0000"
    doc, sig = (json.loads(b) for b in rec.bodies)
    assert doc["documentType"] == 102 and doc["fileData"]["fileName"] == "IdCardBack.png"
    assert sig["fileData"]["fileName"] == "Signature.png" and set(sig) == {"tokenValue", "fileData"}
    rec = Recorder(b'{"RespnsCode": 0, "Result": {"AuthenticationStatus": 1}}')
    with make(creds, rec) as c:
        c.send_prob_image(TOKEN, b"\xff\xd8")
        c.send_admittance_video(TOKEN, b"v")
    img, adm = (json.loads(b) for b in rec.bodies)
    assert img["fileData"]["fileName"] == "ProbImage.jpg" and img["faceThreshold"] == -1
    assert adm["fileData"]["fileName"] == "AdmittanceVideo.webm" and adm["randomText"] == ""


def test_new_verification_token(creds, keys):
    (_, ppub), _ = keys
    details = {"national_code": NATIONAL, "birth_date": "1376/11/13", "mobile": "09123456789",
               "card_serial": "1A23456789", "first_name": "علی"}
    with make(creds, Recorder(b"{}")) as c:
        token, sig = c.new_verification_token(details, "order-7")
        claims = tokens.decode_verification_token(token, creds.token_secret)
        tokens.verify_token_signature(token, sig, ppub)
        assert claims["nationalCode"] == NATIONAL and claims["orderId"] == "order-7"
        assert claims["CallerCode"] == FLOW and claims["mobileNumber"] == "09123456789"
        assert claims["exp"] - claims["iat"] == 1800 and "{tokenValue}" in claims["callbackUrl"]
    with make(creds, Recorder(b"{}"), **{"broker.sign_tokens": False, "broker.token_lifetime": 600}) as c:
        token, sig = c.new_verification_token(details, "order-8")
        assert sig is None
        assert tokens.unverified_claims(token)["exp"] - tokens.unverified_claims(token)["iat"] == 600


def test_nothing_personal_is_logged(creds, keys, caplog):
    (_, _), (bpriv, _) = keys
    result = '{"CallerCode": "%s", "OrderId": "9", "AuthResult": {"KYCStatus": 1, "CitizenNationalCode": "%s"}}' % (  # noqa: UP031 - JSON text, its braces would need doubling
        FLOW, NATIONAL)
    def answer(req):
        if "citizen" in req.url.path:
            return httpx.Response(200, content=signed(result, bpriv))
        if "Video" in req.url.path:
            return httpx.Response(200, content=sample("m09_send_video_success.json"))
        return httpx.Response(200, content=sample("m14_abort_token_success.json"))

    rec = Recorder(answer)
    caplog.set_level(logging.DEBUG)
    with make(creds, rec) as c:
        c.abort_token(TOKEN, verb="GET")
        c.get_citizen_kyc_status("9", national_code=NATIONAL, verb="GET")
        c.send_prob_video(TOKEN, b"SECRETMEDIA", "t")
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "AbortToken" in text  # something was logged
    for secret in (TOKEN, NATIONAL, "SECRETMEDIA", base64.b64encode(b"SECRETMEDIA").decode(), "Bearer"):
        assert secret not in text


def test_tls_settings(creds, caplog, tmp_path):
    with caplog.at_level(logging.WARNING):
        BrokerClient("https://broker.invalid", creds, Settings({"broker.verify_tls": False})).close()
    assert any("INSECURE" in r.getMessage() for r in caplog.records)
    with pytest.raises(TransportError) as info:
        BrokerClient("https://broker.invalid", creds, Settings({"broker.ca_file": str(tmp_path / "missing.pem")}))
    assert info.value.kind == "tls"
    with pytest.raises(ValueError):
        BrokerClient("broker.invalid", creds)


def test_new_verification_token_from_applicant_details(creds):
    from kiosk.core.validation import ApplicantDetails

    details = ApplicantDetails(national_code=NATIONAL, birth_date="1376/11/13", mobile="09123456789",
                               card_serial="1A23456789", first_name="علی", last_name="رضایی", father_name="محمد")
    with make(creds, Recorder(b"{}")) as c:
        token, _ = c.new_verification_token(details, "o-1")
    claims = tokens.decode_verification_token(token, creds.token_secret)
    assert (claims["nationalCode"], claims["birthDate"], claims["mobileNumber"], claims["cardSerialNo"],
            claims["fatherName"]) == (NATIONAL, "1376/11/13", "09123456789", "1A23456789", "محمد")
