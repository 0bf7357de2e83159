"""Helpers for the sandbox broker's tests: real media (faces from scikit-image, WebM made with
PyAV), verification tokens, and a thin httpx caller that knows the endpoint table. The tests
talk to the sandbox over a real socket with plain httpx, not with the broker client."""
from __future__ import annotations

import base64
import functools
import json
import uuid
from typing import Any

import httpx
import numpy as np

from kiosk.broker import tokens
from kiosk.cvcompat import cv2

FLOW_RE = r"^[A-Z]{3}-[a-z]-\d{8}-\d{4}$"


def national_code(prefix9: str) -> str:
    s = sum(int(prefix9[i]) * (10 - i) for i in range(9)) % 11
    return prefix9 + str(s if s < 2 else 11 - s)


NC = national_code("001234567")  # 0012345679
NC2 = national_code("123456789")


# ----------------------------------------------------------------------------- media

def _jpeg(bgr: np.ndarray) -> bytes:
    ok, buf = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, 92])
    assert ok
    return buf.tobytes()


def _png(bgr: np.ndarray) -> bytes:
    ok, buf = cv2.imencode(".png", bgr)
    assert ok
    return buf.tobytes()


@functools.lru_cache(None)
def face_rgb() -> np.ndarray:
    from skimage import data

    return data.astronaut()


@functools.lru_cache(None)
def face_jpeg() -> bytes:
    return _jpeg(cv2.cvtColor(face_rgb(), cv2.COLOR_RGB2BGR))


@functools.lru_cache(None)
def other_face_jpeg() -> bytes:
    from skimage import data

    gray = data.camera()
    return _jpeg(cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR))


@functools.lru_cache(None)
def no_face_jpeg() -> bytes:
    from skimage import data

    return _jpeg(cv2.cvtColor(data.coffee(), cv2.COLOR_RGB2BGR))


@functools.lru_cache(None)
def two_faces_jpeg() -> bytes:
    crop = cv2.resize(face_rgb()[40:300, 120:330], (200, 250))
    canvas = np.full((400, 600, 3), 128, np.uint8)
    canvas[50:300, 50:250] = crop
    canvas[50:300, 350:550] = crop
    return _jpeg(cv2.cvtColor(canvas, cv2.COLOR_RGB2BGR))


@functools.lru_cache(None)
def signature_png() -> bytes:
    img = np.full((200, 600, 3), 255, np.uint8)
    pts = np.array([[40, 150], [120, 60], [200, 140], [300, 50], [420, 150], [560, 80]], np.int32)
    cv2.polylines(img, [pts], False, (0, 0, 0), 4)
    return _png(img)


@functools.lru_cache(None)
def webm(picture: str = "face", audio: str | None = "sine", frames: int = 10, fps: int = 10) -> bytes:
    """A small VP8 WebM: ``frames`` frames of the picture ("face": the astronaut, "none":
    coffee) and an Opus track ("sine": a 220 Hz tone with noise, "silent", None: no track)."""
    from skimage import data

    from mediafiles import encode_webm

    rgb = face_rgb()[0:384, 0:512] if picture == "face" else data.coffee()[0:300, 0:400]
    return encode_webm(cv2.resize(rgb, (320, 240)), frames / fps, fps, audio, fast=True)


def file_data(content: bytes, file_name: str) -> dict[str, str]:
    return {"name": "FileData", "fileName": file_name, "content": base64.b64encode(content).decode("ascii")}


# ----------------------------------------------------------------------------- tokens

def claims_for(broker, order_id: str | None = None, **overrides) -> dict[str, Any]:
    claims = tokens.build_verification_claims(
        flow_id=broker.flow_id, order_id=order_id or uuid.uuid4().hex[:16], national_code=NC,
        birth_date="1376/11/13", mobile_number="09123456789", card_serial_no="0A12345678",
        first_name="سارا", last_name="محمدی", admittance_text="",
        callback_url="https://provider.invalid/cb?t={tokenValue}&s={tokenSignature}", lifetime=1800)
    claims.update(overrides)
    return claims


@functools.lru_cache(None)
def _private_key(pem: bytes):
    return tokens.load_private_key(pem)


def provider_key(broker):
    return _private_key(broker.credentials.provider_private_pem)


def make_token(broker, order_id: str | None = None, sign: bool = True, secret: str | None = None,
               **overrides) -> tuple[str, str | None]:
    claims = claims_for(broker, order_id, **overrides)
    token = tokens.encode_verification_token(claims, secret or broker.token_secret)
    return token, (tokens.sign_token(token, provider_key(broker)) if sign else None)


def bearer(broker, scope: str = "0300000", **kw) -> dict[str, str]:
    return {"Authorization": "Bearer " + tokens.build_bearer(broker.flow_id, provider_key(broker),
                                                             scope, **kw)}


class Api:
    """Plain httpx calls by method name; answers as (status, parsed JSON or None, text)."""

    def __init__(self, broker):
        self.broker = broker
        self.http = httpx.Client(base_url=broker.url, timeout=30)

    def close(self) -> None:
        self.http.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def call(self, name: str, data: dict | None = None, verb: str = "POST",
             headers: dict | None = None, raw: bytes | None = None) -> Reply:
        path = self.broker.paths[name]
        if verb == "GET":
            r = self.http.get(path, params=data or {}, headers=headers)
        elif raw is not None:
            r = self.http.request(verb, path, content=raw, headers={"Content-Type": "application/json",
                                                                    **(headers or {})})
        else:
            r = self.http.request(verb, path, json=data or {}, headers=headers)
        return Reply(r)

    def register(self, order_id: str | None = None, **overrides) -> str:
        token, sig = make_token(self.broker, order_id, **overrides)
        r = self.call("SetToken", {"tokenValue": token, "tokenSignature": sig})
        assert r.code == 0, r.text
        return token


class Reply:
    def __init__(self, r: httpx.Response):
        self.status = r.status_code
        self.text = r.text
        self.headers = r.headers
        try:
            self.json = json.loads(r.text)
        except ValueError:
            self.json = None

    @property
    def code(self) -> int | None:
        if not isinstance(self.json, dict):
            return None
        for k in ("ResponseCode", "RespnsCode", "RespenseCode"):
            if k in self.json:
                return self.json[k]
        return None

    @property
    def message(self) -> str | None:
        for k in ("ResponseMessage", "RespnsMessage", "RespenseMessage"):
            if k in (self.json or {}):
                return self.json[k]
        return None

    @property
    def error(self) -> int | None:
        exc = (self.json or {}).get("Exception")
        return exc.get("ErrorCode") if exc else None

    @property
    def result(self) -> Any:
        return (self.json or {}).get("Result")

    @property
    def failure(self) -> Any:
        return (self.json or {}).get("FailureResult")

    def raw_result(self) -> str:
        """The Result value's text exactly as sent."""
        key = '"Result":'
        i = self.text.index(key) + len(key)
        while self.text[i] in " \t\r\n":
            i += 1
        _, end = json.JSONDecoder().raw_decode(self.text, i)
        return self.text[i:end]
