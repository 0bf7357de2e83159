"""The HTTP layer under the broker client: one deadline per exchange, bounded decompression and
the trust store.

* **One deadline for the whole exchange.** httpx's timeouts are per socket operation, so a
  broker (or anything in between) sending its status line and headers one byte a second holds a
  call for as long as it likes. ``DeadlineBackend`` wraps httpcore's socket streams: every
  connect, read and write gets at most the time left before the deadline that the client set
  for the current exchange on this thread (``DeadlineBackend.deadline``), and none once it has
  passed.
* **No decompression bomb.** The client asks for ``Accept-Encoding: identity`` and reads the
  raw body; a broker that compresses anyway is decoded here (gzip, deflate, any number of
  layers), each layer's output counted against ``broker.max_response_bytes`` as it is produced
  (``BoundedDecoder``), never inflated whole first. Unknown codings are refused.
* **Trust.** ``tls_context``: the operating system's trust store (``ssl.create_default_context``
  loads it: a bank's internal CA installed on the kiosk works), or exactly one pinned CA from
  ``broker.ca_file`` (then only that CA is trusted).
"""
from __future__ import annotations

import ssl
import threading
import time
import zlib
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx

from kiosk.broker.errors import ProtocolError


# ----------------------------------------------------------------------------- deadline

class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream, backend: DeadlineBackend):
        self._inner = inner
        self._backend = backend

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, self._backend.left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._backend.left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        inner = self._inner.start_tls(ssl_context, server_hostname,
                                      self._backend.left(timeout, httpcore.ConnectTimeout))
        return _DeadlineStream(inner, self._backend)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's synchronous socket backend, bounded by a per-thread deadline
    (``time.monotonic()`` seconds; None: only the per-operation timeouts)."""

    def __init__(self) -> None:
        self._inner = httpcore.SyncBackend()
        self._local = threading.local()

    @property
    def deadline(self) -> float | None:
        return getattr(self._local, "deadline", None)

    @deadline.setter
    def deadline(self, value: float | None) -> None:
        self._local.deadline = value

    def left(self, timeout: float | None, error: type[Exception]) -> float | None:
        deadline = self.deadline
        if deadline is None:
            return timeout
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise error("the broker's answer did not arrive within the deadline")
        return remaining if timeout is None else min(timeout, remaining)

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        stream = self._inner.connect_tcp(host, port, self.left(timeout, httpcore.ConnectTimeout), local_address,
                                         socket_options)
        return _DeadlineStream(stream, self)

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        stream = self._inner.connect_unix_socket(path, self.left(timeout, httpcore.ConnectTimeout), socket_options)
        return _DeadlineStream(stream, self)

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def tls_context(verify_tls: bool, ca_file: str) -> ssl.SSLContext | bool:
    """What httpx verifies the broker's certificate with: False (verification off), the system
    trust store, or one pinned CA (``ca_file``). Raises OSError / ssl.SSLError for a ca_file that
    cannot be loaded."""
    if not verify_tls:
        return False
    if ca_file:
        return ssl.create_default_context(cafile=ca_file)  # only this CA: loads no system certificates
    return ssl.create_default_context()  # the operating system's trust store


def deadline_transport(verify: ssl.SSLContext | bool) -> tuple[httpx.HTTPTransport, DeadlineBackend]:
    """An httpx transport whose sockets obey the returned backend's deadline."""
    transport = httpx.HTTPTransport(verify=verify, retries=0)
    backend = DeadlineBackend()
    pool = transport._pool
    if not hasattr(pool, "_network_backend"):  # httpcore changed: fail loudly rather than run unbounded
        raise RuntimeError("httpcore's connection pool has no _network_backend; update kiosk.broker.transport")
    pool._network_backend = backend
    return transport, backend


# ----------------------------------------------------------------------------- decompression

class BoundedDecoder:
    """Undo a Content-Encoding (``codings`` in the order they were applied) chunk by chunk,
    refusing (``ProtocolError`` kind ``too_large``) as soon as any layer has produced more than
    ``cap`` bytes."""

    def __init__(self, content_encoding: str, cap: int, http_status: int | None = None):
        codings = [c.strip().lower() for c in (content_encoding or "").split(",") if c.strip()]
        codings = [c for c in codings if c != "identity"]
        self.cap = cap
        self.http_status = http_status
        self._layers: list[Any] = []
        self._produced: list[int] = []
        for coding in reversed(codings):
            if coding in ("gzip", "x-gzip"):
                self._layers.append(zlib.decompressobj(16 + zlib.MAX_WBITS))
            elif coding == "deflate":
                self._layers.append(zlib.decompressobj())
            else:
                raise ProtocolError(f"the answer is encoded with {coding!r}, which the kiosk does not read",
                                    http_status=http_status)
            self._produced.append(0)

    @property
    def layers(self) -> int:
        return len(self._layers)

    def _too_large(self) -> ProtocolError:
        return ProtocolError(f"the answer decompresses to more than the {self.cap}-byte limit", kind="too_large",
                             http_status=self.http_status)

    def feed(self, data: bytes) -> bytes:
        for i, layer in enumerate(self._layers):
            if not data:
                return b""
            try:
                data = layer.decompress(data, self.cap + 1 - self._produced[i])
            except zlib.error as exc:
                raise ProtocolError(f"the answer's compression is broken: {exc}",
                                    http_status=self.http_status) from exc
            self._produced[i] += len(data)
            if self._produced[i] > self.cap or layer.unconsumed_tail:
                raise self._too_large()
        return data

    def finish(self) -> bytes:
        out = b""
        for i, layer in enumerate(self._layers):
            try:
                data = (layer.decompress(out, self.cap + 1 - self._produced[i]) if out else b"") + layer.flush()
            except zlib.error as exc:
                raise ProtocolError(f"the answer's compression is broken: {exc}",
                                    http_status=self.http_status) from exc
            self._produced[i] += len(data)
            if self._produced[i] > self.cap:
                raise self._too_large()
            if not layer.eof:
                raise ProtocolError("the compressed answer is truncated", http_status=self.http_status)
            out = data
        return out
