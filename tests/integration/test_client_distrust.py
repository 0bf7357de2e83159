"""Trust nothing that comes back (issue 14 point 5), over real sockets: a broker that sends its
headers one byte at a time, a doubly gzipped answer (and a bomb), a replayed signed answer about
another order, a 307 carrying ResponseCode 0, Retry-After waits beyond the call's budget, and the
trust store."""
from __future__ import annotations

import datetime
import gzip
import json
import socket
import ssl
import threading
import zlib
from collections.abc import Callable

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from kiosk.broker import tokens
from kiosk.broker import transport as transportmod
from kiosk.broker.client import BrokerClient
from kiosk.broker.endpoints import CITIZEN_SCOPE
from kiosk.broker.errors import AnswerMismatch, ProtocolError, TransportError
from kiosk.config.settings import Settings

DETAILS = {"national_code": "0499370899", "birth_date": "1370/01/01", "mobile": "09121234567",
           "card_serial": "0A12345678", "first_name": "سارا", "last_name": "محمدی"}
OK_BODY = json.dumps({"RespnsCode": 0, "RespnsMessage": "توکن با موفقیت ثبت شد", "Exception": None},
                     ensure_ascii=False).encode("utf-8")


class RawServer:
    """A one-connection-at-a-time TCP server: ``handler(conn, request_head)`` writes whatever it
    likes. Stops (and joins its thread) on exit."""

    def __init__(self, handler: Callable[[socket.socket, bytes, threading.Event], None]):
        self.handler = handler
        self.stop = threading.Event()
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.1)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.thread = threading.Thread(target=self._serve, name="raw-broker", daemon=True)

    def __enter__(self) -> RawServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(10)
        self.sock.close()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(5)
                head = b""
                try:
                    while b"\r\n\r\n" not in head:
                        block = conn.recv(65536)
                        if not block:
                            break
                        head += block
                    length = 0
                    for line in head.split(b"\r\n"):
                        if line.lower().startswith(b"content-length:"):
                            length = int(line.split(b":")[1])
                    body = head.split(b"\r\n\r\n", 1)[1] if b"\r\n\r\n" in head else b""
                    while len(body) < length:
                        block = conn.recv(65536)
                        if not block:
                            break
                        body += block
                    self.handler(conn, head, self.stop)
                except OSError:
                    pass


def answer(status: str, body: bytes, extra: str = "") -> bytes:
    return (f"HTTP/1.1 {status}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {len(body)}\r\n"
            f"Connection: close\r\n{extra}\r\n").encode("ascii") + body


def client(url: str, creds, **values) -> BrokerClient:
    settings = {"broker.retries": 0}
    settings.update(values)
    c = BrokerClient(url, creds, Settings(settings))
    c.sleeps = []
    c.sleep = c.sleeps.append
    return c


def test_headers_one_byte_at_a_time_are_cut_at_the_deadline(sandbox):
    """Each byte comes well within the read timeout, so only a deadline for the whole exchange
    stops it; without one the call would succeed after the drip (and the test would fail)."""
    reply = answer("200 OK", OK_BODY)

    def drip(conn, head, stop):
        for i in range(len(reply)):
            if stop.wait(0.4):
                return
            conn.sendall(reply[i:i + 1])

    with RawServer(drip) as server, client(server.url, sandbox.credentials, **{"broker.timeout": 1.0}) as c:
        with pytest.raises(TransportError) as info:
            c.set_token("a.b.c", None)
    assert info.value.kind in ("timeout", "no_answer")
    assert info.value.sentence("fa") and info.value.sentence("en")


def test_a_doubly_gzipped_answer_is_read_and_a_bomb_is_refused(sandbox):
    small = gzip.compress(gzip.compress(OK_BODY))
    comp = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    inner = b"".join(comp.compress(b" " * (1 << 20)) for _ in range(64)) + comp.flush()  # 64 MB of blanks
    bomb = gzip.compress(inner)
    seen: list[bytes] = []

    def serve(body):
        def handler(conn, head, stop):
            seen.append(head)
            conn.sendall(answer("200 OK", body, "Content-Encoding: gzip, gzip\r\n"))
        return handler

    with RawServer(serve(small)) as server, client(server.url, sandbox.credentials) as c:
        assert "ثبت" in c.set_token("a.b.c", None)
    assert b"accept-encoding: identity" in seen[0].lower()
    assert len(bomb) < 100_000
    with RawServer(serve(bomb)) as server, client(server.url, sandbox.credentials,
                                                  **{"broker.max_response_bytes": 1 << 20}) as c:
        with pytest.raises(ProtocolError) as info:
            c.set_token("a.b.c", None)
    assert info.value.kind == "too_large"


def test_bounded_decoder_counts_every_layer():
    dec = transportmod.BoundedDecoder("gzip, gzip", 1000)
    with pytest.raises(ProtocolError):
        dec.feed(gzip.compress(gzip.compress(b"x" * 5000)))
    with pytest.raises(ProtocolError):
        transportmod.BoundedDecoder("br", 1000)
    ok = transportmod.BoundedDecoder("gzip", 1000)
    data = gzip.compress(b"y" * 900)
    assert ok.feed(data[:10]) + ok.feed(data[10:]) + ok.finish() == b"y" * 900


def test_a_307_carrying_code_0_is_not_success(sandbox):
    def redirect(conn, head, stop):
        conn.sendall(answer("307 Temporary Redirect", OK_BODY, "Location: http://elsewhere.invalid/\r\n"))

    with RawServer(redirect) as server, client(server.url, sandbox.credentials) as c:
        with pytest.raises(ProtocolError) as info:
            c.set_token("a.b.c", None)
    assert info.value.http_status == 307 and info.value.kind == "http_status"


def test_retry_after_beyond_the_call_budget_is_not_waited_for(sandbox):
    calls: list[int] = []

    def busy(conn, head, stop):
        calls.append(1)
        body = b'{"ResponseCode": 1, "ResponseMessage": "busy", "Exception": null}'
        conn.sendall(answer("503 Service Unavailable", body, "Retry-After: 8\r\n"))

    with RawServer(busy) as server:
        with client(server.url, sandbox.credentials, **{"broker.retries": 3, "broker.call_budget": 5.0}) as c:
            with pytest.raises(TransportError):
                c.check_token("a.b.c")
            assert c.sleeps == [] and len(calls) == 1  # 8 s does not fit in 5: the staff hear now
        with client(server.url, sandbox.credentials, **{"broker.retries": 2, "broker.call_budget": 60.0}) as c:
            with pytest.raises(TransportError):
                c.check_token("a.b.c")
            assert c.sleeps == [8.0, 8.0] and len(calls) == 4


def _signed_body(sandbox, order_id: str) -> bytes:
    creds = sandbox.credentials
    bearer = tokens.build_bearer(creds.flow_id, creds.provider_private_pem, CITIZEN_SCOPE)
    r = httpx.post(sandbox.url + "/api/citizen/GetCitizenKYCStatus", headers={"Authorization": "Bearer " + bearer},
                   json={"OrderId": order_id, "FlowId": creds.flow_id, "NationalCode": None})
    assert r.status_code == 200
    return r.content


def test_a_replayed_signed_answer_about_another_order_is_refused(sandbox):
    with BrokerClient(sandbox.url, sandbox.credentials) as real:
        order_a = tokens.new_order_id()
        token, sig = real.new_verification_token(DETAILS, order_a)
        real.set_token(token, sig)
        assert real.get_citizen_kyc_status(order_a).order_id == order_a  # bound: accepted
    replay = _signed_body(sandbox, order_a)

    def replayer(conn, head, stop):
        conn.sendall(answer("200 OK", replay))

    with RawServer(replayer) as server, client(server.url, sandbox.credentials) as c:
        assert c.get_citizen_kyc_status(order_a).order_id == order_a  # the signature itself is good
        with pytest.raises(AnswerMismatch) as info:
            c.get_citizen_kyc_status(tokens.new_order_id())  # asked about B, answered about A
        assert info.value.kind == "mismatch" and "کد پیگیری" in info.value.sentence("fa")
        with pytest.raises(AnswerMismatch):
            c.get_citizen_kyc_status(order_a, national_code="0012345679")  # another applicant
    other = type(sandbox.credentials)(**{**sandbox.credentials.__dict__, "flow_id": "ZZZ-x-00000000-0009"})
    with RawServer(replayer) as server, client(server.url, other) as c:
        with pytest.raises(AnswerMismatch):
            c.get_citizen_kyc_status(order_a)  # another provider's answer


def _ca(tmp_path):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Bank internal CA")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now)
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    path = tmp_path / "ca.pem"
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return path


def test_trust_store_is_the_systems_and_ca_file_pins_one(tmp_path):
    system = transportmod.tls_context(True, "")
    assert isinstance(system, ssl.SSLContext)
    assert system.cert_store_stats() == ssl.create_default_context().cert_store_stats()
    assert system.verify_mode == ssl.CERT_REQUIRED and system.check_hostname
    pinned = transportmod.tls_context(True, str(_ca(tmp_path)))
    assert isinstance(pinned, ssl.SSLContext) and pinned.cert_store_stats()["x509_ca"] == 1
    assert [c["subject"] for c in pinned.get_ca_certs()] == [((("commonName", "Bank internal CA"),),)]
    assert transportmod.tls_context(False, str(tmp_path / "ca.pem")) is False
