"""Fuzzing the sandbox broker over a real socket: random paths, verbs, query strings and bodies
(random bytes, random JSON, real method names with wrong fields, broken media) always get an
envelope answer, never a 500 with a traceback, and the server stays up."""
from __future__ import annotations

import base64
import json
import socket

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from kiosk.broker.endpoints import BY_NAME, resolve_paths

PATHS = resolve_paths({})
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                      HealthCheck.too_slow])
FIELDS = ["tokenValue", "tokenSignature", "flowId", "callerCode", "type", "count", "faceThreshold",
          "voiceThreshold", "randomText", "documentType", "fileData", "tempTokenValue", "OrderId", "FlowId",
          "NationalCode"]
leaf = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=False),
                 st.text(max_size=30))
media = st.one_of(st.binary(max_size=300).map(lambda b: base64.b64encode(b).decode()), st.text(max_size=50),
                  st.just(base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * 40).decode()),
                  st.just(base64.b64encode(b"\xff\xd8\xff\xe0" + b"\0" * 40).decode()),
                  st.just(base64.b64encode(b"\x1aE\xdf\xa3" + b"\0" * 60).decode()))
file_data = st.one_of(leaf, st.fixed_dictionaries({"name": leaf, "fileName": leaf, "content": media}))
body_json = st.dictionaries(st.sampled_from(FIELDS), st.one_of(leaf, file_data), max_size=6)


def _exchange(url: str, raw: bytes) -> tuple[int, bytes]:
    host, port = url.split("//")[1].split(":")
    with socket.create_connection((host, int(port)), timeout=10) as s:
        s.sendall(raw)
        s.shutdown(socket.SHUT_WR)  # the request is all there is: a short body ends here
        chunks = []
        while True:
            try:
                b = s.recv(65536)
            except ConnectionResetError:
                break
            if not b:
                break
            chunks.append(b)
    data = b"".join(chunks)
    if not data:
        return 0, b""
    if not data.startswith(b"HTTP/"):  # an HTTP/0.9-style request gets the body alone
        return -1, data
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


def _request(verb: str, target: str, body: bytes) -> bytes:
    return (f"{verb} {target} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode("latin-1") + body


def _assert_envelope(status: int, body: bytes) -> None:
    assert status != 0, "no answer"
    assert status != 500, body[:300]
    assert b"Traceback" not in body
    data = json.loads(body.decode("utf-8"))
    assert isinstance(data, dict)
    assert any(k in data for k in ("ResponseCode", "RespnsCode", "RespenseCode")), data


def _alive(sandbox) -> None:
    status, body = _exchange(sandbox.url, _request("POST", PATHS["GetRandomText"], b'{"type": 1, "count": 1}'))
    assert status == 200 and b"Result" in body


@FAST
@given(name=st.sampled_from(sorted(BY_NAME)), verb=st.sampled_from(["GET", "POST", "PUT"]),
       query=st.text(alphabet="abcdefgtokenValue=&%0123456789+", max_size=40), body=body_json)
def test_known_methods_with_random_fields(sandbox, name, verb, query, body):
    target = PATHS[name] + ("?" + query if query else "")
    status, answer = _exchange(sandbox.url, _request(verb, target, json.dumps(body).encode()))
    _assert_envelope(status, answer)


@FAST
@given(path=st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126), max_size=60),
       body=st.binary(max_size=200))
def test_random_paths_and_bytes(sandbox, path, body):
    status, answer = _exchange(sandbox.url, _request("POST", "/" + path.lstrip("/"), body))
    _assert_envelope(status, answer)


@FAST
@given(name=st.sampled_from(["SaveSignature", "SendProbImageByToken", "SendProbVideoByToken",
                             "SavePersonDocument", "SetToken", "VerifyToken"]), body=st.binary(max_size=300))
def test_methods_with_random_bytes(sandbox, name, body):
    status, answer = _exchange(sandbox.url, _request("POST", PATHS[name], body))
    _assert_envelope(status, answer)


def test_server_still_up_after_garbage(sandbox):
    for raw in (b"\x00\x01\x02garbage\r\n\r\n", b"GET / HTTP/9.9\r\n\r\n", b"POST " + b"/x" * 5000 + b" HTTP/1.1\r\n\r\n",
                _request("POST", PATHS["SetToken"], b"{")[:-1], b"POST /a HTTP/1.1\r\nContent-Length: -5\r\n\r\n"):
        status, body = _exchange(sandbox.url, raw)
        if status:
            assert status != 500 and b"Traceback" not in body
    _alive(sandbox)


@pytest.fixture(autouse=True)
def _up_after(sandbox):
    yield
    _alive(sandbox)
