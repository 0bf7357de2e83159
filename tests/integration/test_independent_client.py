"""A client written from the Persian original alone (``independent_client.py``, no kiosk code)
passes a whole session against the strict sandbox; its base64url variant is refused (1213)."""
from __future__ import annotations

import json

import numpy as np
import pytest
from independent_client import IndependentClient, Refused

pytest.importorskip("kiosk.sandbox.server")

PERSON = {"nationalCode": "0012345679", "cardSerialNo": "1A23456789", "mobileNumber": "09123456789",
          "birthDate": "1370/01/01", "firstName": "علی", "lastName": "رضایی"}
ADMITTANCE = "اینجانب علی رضایی با آگاهی کامل درخواست احراز هویت خود را تأیید می‌کنم."


def independent(sandbox, flavour: str = "base64") -> IndependentClient:
    d = sandbox.credentials_dir  # the files a broker hands a provider
    info = json.loads((d / "credentials.json").read_text("utf-8"))
    return IndependentClient(sandbox.url, info["flow_id"], info["token_secret"], (d / "provider_private.pem").read_bytes(),
                             (d / "broker_public.pem").read_bytes(), signature_flavour=flavour)


@pytest.fixture(scope="module")
def media() -> dict[str, bytes]:
    from mediafiles import encode_webm
    from skimage import data

    from kiosk.cvcompat import cv2

    face = cv2.resize(data.astronaut(), (480, 480))
    ok, jpeg = cv2.imencode(".jpg", cv2.cvtColor(face, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 90])
    paper = np.full((200, 400, 3), 240, np.uint8)
    cv2.line(paper, (40, 150), (360, 60), (20, 20, 20), 4)
    ok2, png = cv2.imencode(".png", paper)
    assert ok and ok2
    video = encode_webm(cv2.resize(face, (320, 320)), 2.0, 10, "speech-like")
    return {"selfie": jpeg.tobytes(), "signature": png.tobytes(), "document": png.tobytes(), "video": video}


def test_a_whole_session_from_the_original_passes_the_strict_sandbox(sandbox, media):
    assert sandbox.config.strict
    seen = independent(sandbox).session(PERSON, media, ADMITTANCE)
    assert seen["set_token"]["RespnsCode"] == 0
    assert seen["admittance"] == [ADMITTANCE]
    assert seen["verify"]["RespnsCode"] == 0
    assert seen["status"]["OrderId"] == seen["order_id"] and seen["status"]["CallerCode"] == sandbox.flow_id
    assert seen["status"]["AuthResult"]["KYCStatus"] == 2  # Approved


def test_set_token_by_get_with_a_percent_encoded_signature(sandbox):
    c = independent(sandbox)
    for n in range(8):  # until the signature holds '+' or '/', which a bare query would spoil
        token = c.token(f"77{n}", PERSON, ADMITTANCE)
        if any(ch in c.signature(token) for ch in "+/"):
            break
    assert c.set_token(token, verb="GET")["RespnsCode"] == 0


@pytest.mark.parametrize("verb", ["POST", "GET"])
def test_the_base64url_variant_is_refused_with_1213(sandbox, verb):
    c = independent(sandbox, "base64url")
    with pytest.raises(Refused) as info:
        c.set_token(c.token("991" + verb[0].replace("P", "1").replace("G", "2"), PERSON, ADMITTANCE), verb=verb)
    assert info.value.code == 1 and info.value.error_code == 1213
