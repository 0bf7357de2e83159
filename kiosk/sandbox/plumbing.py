"""The sandbox broker's HTTP plumbing: a threading HTTP server that can close every connection
it holds, and the request handler that routes a path to a broker method, reads the query or JSON
body into a ``Request``, and writes the ``Answer`` (faults applied by ``kiosk.sandbox.faults``).
It never sends an HTML page or a traceback, and never logs a path (GET paths carry tokens)."""
from __future__ import annotations

import json
import logging
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from kiosk.sandbox import faults as faultsmod
from kiosk.sandbox import texts
from kiosk.sandbox.faults import Faults
from kiosk.sandbox.model import Answer, BrokerFault, Request, dumps

if TYPE_CHECKING:  # the broker imports this module to serve
    from kiosk.sandbox.server import SandboxBroker

log = logging.getLogger("kiosk.sandbox")


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    broker: SandboxBroker

    def __init__(self, *args, **kwargs):
        self._conn_lock = threading.Lock()
        self._conns: dict[threading.Thread, socket.socket] = {}
        super().__init__(*args, **kwargs)

    def process_request(self, request, client_address):
        t = threading.Thread(target=self._run, args=(request, client_address), daemon=True,
                             name="sandbox-broker-conn")
        with self._conn_lock:
            self._conns[t] = request
        t.start()

    def _run(self, request, client_address):
        try:
            self.finish_request(request, client_address)
        except Exception:  # noqa: BLE001 - a broken connection must not kill the server
            log.debug("sandbox connection ended with an error", exc_info=True)
        finally:
            self.shutdown_request(request)
            with self._conn_lock:
                self._conns.pop(threading.current_thread(), None)

    def close_all(self) -> None:
        with self._conn_lock:
            items = list(self._conns.items())
        for _, sock in items:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        for t, _ in items:
            t.join(5)


class SandboxHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out at once (no 40 ms delayed-ACK stall)
    server_version = "kiosk-sandbox-broker/1"
    timeout = 60
    server: Server

    def log_message(self, format, *args):  # noqa: A002 - the default prints paths (tokens) to stderr
        return

    def send_error(self, code, message=None, explain=None):
        """http.server's own refusals (bad request line, URI too long, unknown verb) as an
        envelope too, never its HTML page (which would echo the path and its token)."""
        broker = self.server.broker
        body = dumps(broker.exception_body(BrokerFault(3, f"HTTP {code}: {message or ''}".strip(),
                                                        http_status=code))).encode("utf-8")
        self.close_connection = True
        try:
            self.send_response(code, message)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD" and code >= 200 and code not in (204, 304):
                self.wfile.write(body)
        except OSError:
            pass
        log.info("sandbox %s -> %d (refused by the HTTP layer)", self.command or "?", code)

    def do_GET(self):
        self._handle("GET")

    def do_POST(self):
        self._handle("POST")

    def do_PUT(self):
        self._handle("PUT")

    def do_DELETE(self):
        self._handle("DELETE")

    def do_PATCH(self):
        self._handle("PATCH")

    # -- plumbing
    def _read_body(self, limit: int) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            out = bytearray()
            while True:
                line = self.rfile.readline(1024)
                try:
                    size = int(line.split(b";")[0].strip() or b"0", 16)
                except ValueError:
                    raise BrokerFault(1101, "bad chunked encoding") from None
                if size == 0:
                    while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                        pass
                    return bytes(out)
                if len(out) + size > limit:
                    raise _TooLarge()
                out += self.rfile.read(size)
                self.rfile.readline(1024)
        length = self.headers.get("Content-Length")
        if not length:
            return b""
        try:
            n = int(length)
        except ValueError:
            raise BrokerFault(1101, "Content-Length is not a number") from None
        if n < 0:
            raise BrokerFault(1101, "Content-Length is negative")
        if n > limit:
            raise _TooLarge()
        return self.rfile.read(n)

    def _handle(self, verb: str) -> None:
        start = time.monotonic()
        broker = self.server.broker
        parts = urlsplit(self.path)
        name = broker.routes.get(parts.path.rstrip("/").lower() or "/")
        label = name or "unknown"
        answer: Answer | None = None
        faults = None
        try:
            if name is None:
                self._drain(broker)
                answer = broker.error_answer(BrokerFault(3, f"no broker method at {parts.path}", http_status=404,
                                                         message=texts.MESSAGES["not_found"]))
                return
            if verb not in broker.verbs(name):
                self._drain(broker)
                answer = broker.error_answer(BrokerFault(3, f"{name} does not take {verb}", http_status=405))
                return
            broker.answering(name)  # its errors, too, are spelled as the method's answers
            faults = broker.config.faults_for(name)
            if faults is not None and faults.reset_after_bytes is not None:
                self._reset_mid_body(int(faults.reset_after_bytes))
                answer = Answer("", 0, "fault: reset mid-body")
                return
            try:
                params = self._params(verb, parts.query, broker.config.max_body_bytes)
            except _TooLarge:
                self.close_connection = True
                answer = broker.error_answer(BrokerFault(
                    1101, f"request body is over the {broker.config.max_body_bytes}-byte limit", http_status=413))
                return
            except BrokerFault as fault:
                answer = broker.error_answer(fault)
                return
            if faults is not None:
                if faults.delay:
                    time.sleep(float(faults.delay))
                if not faults.process and (faults.reset or faults.status or faults.non_json):
                    answer = Answer("", 0, "fault")
                    return
            req = Request(name, verb, params, self.headers)
            req.faults = faults
            answer = broker.handle(req)
        except Exception as exc:  # noqa: BLE001 - never a traceback in the body
            log.exception("sandbox broker: %s failed", label)
            answer = broker.error_answer(BrokerFault(0, f"internal sandbox error: {type(exc).__name__}",
                                                     http_status=500))
        finally:
            self._send(broker, answer, faults)
            broker.answering(None)
            log.info("sandbox %s %s -> %s %s (%.1f ms)", verb, label, answer.status if answer else "-",
                     answer.summary if answer else "no answer", (time.monotonic() - start) * 1000)

    def _reset_mid_body(self, limit: int) -> None:
        faultsmod.read_then_reset(self.rfile, self.headers.get("Content-Length"), limit, self.connection)
        self.close_connection = True

    def _drain(self, broker: SandboxBroker) -> None:
        try:
            self._read_body(broker.config.max_body_bytes)
        except (BrokerFault, _TooLarge):
            self.close_connection = True

    def _params(self, verb: str, query: str, limit: int) -> dict[str, Any]:
        params: dict[str, Any] = {k: v[-1] for k, v in parse_qs(query, keep_blank_values=True).items()}
        if verb == "GET":
            self._read_body(limit)  # ignore (but consume) a body sent with GET
            return params
        raw = self._read_body(limit)
        if not raw.strip():
            if params:
                return params
            raise BrokerFault(1101, "the request body is empty")
        try:
            data = json.loads(raw.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
            raise BrokerFault(1101, f"the request body is not JSON: {type(exc).__name__}") from None
        if not isinstance(data, dict):
            raise BrokerFault(1101, "the request body must be a JSON object")
        params.update(data)
        return params

    def _send(self, broker: SandboxBroker, answer: Answer | None, faults: Faults | None) -> None:
        if answer is None:
            answer = broker.error_answer(BrokerFault(0, "no answer", http_status=500))
        try:
            if faults is not None and faults.reset_after_bytes is not None:
                return
            if faults is not None and faults.reset:
                self.close_connection = True
                faultsmod.reset_on_close(self.connection)
                answer.summary = "fault: reset"
                return
            body = answer.body.encode("utf-8")
            status = answer.status or 200
            ctype = "application/json; charset=utf-8"
            if faults is not None and faults.status:
                status = int(faults.status)
                fault = BrokerFault(0, f"simulated HTTP {status}", http_status=status,
                                    message=texts.MESSAGES["sandbox_fault"])
                body = dumps(broker.exception_body(fault)).encode("utf-8")
                answer.summary = f"fault: HTTP {status}"
            if faults is not None and faults.non_json:
                body = faultsmod.HTML_PAGE
                ctype = "text/html"
                answer.summary = "fault: non-JSON"
            answer.status = status
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            if status == 405:
                name = broker.routes.get(urlsplit(self.path).path.rstrip("/").lower())
                if name:
                    self.send_header("Allow", ", ".join(broker.verbs(name)))
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            if faults is not None and faults.truncate:
                self.wfile.write(body[: max(1, len(body) // 2)])
                self.wfile.flush()
                self.close_connection = True
                answer.summary = "fault: truncated"
                return
            self.wfile.write(body)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True


class _TooLarge(Exception):
    pass

