"""The broker client against the real sandbox broker over a loopback socket: every method 2-20,
success and failure, and the sandbox's faults (lost answers, 503, slow answers, HTML, bad
signatures, expired tokens) each ending in a typed error, never a false success."""
from __future__ import annotations

import uuid

import numpy as np
import pytest

from kiosk.broker import tokens
from kiosk.broker.client import BrokerClient
from kiosk.broker.codes import AuthenticationStatus, KYCRequestStatus, KYCStatus
from kiosk.broker.errors import (BrokerError, ProtocolError, SignatureInvalid, TransportError,
                                 UploadUncertain)
from kiosk.config.settings import Settings

pytest.importorskip("kiosk.sandbox.server")

NATIONAL = "0012345679"  # valid check digit
DETAILS = {"national_code": NATIONAL, "birth_date": "1370/01/01", "mobile": "09123456789",
           "card_serial": "1A23456789", "first_name": "علی", "last_name": "رضایی", "father_name": "محمد"}


# ----------------------------------------------------------------------------- real media, in memory

def _face_rgb(size: int) -> np.ndarray:
    from skimage import data

    from kiosk.cvcompat import cv2

    return cv2.resize(data.astronaut(), (size, size))


@pytest.fixture(scope="module")
def selfie_jpeg() -> bytes:
    from kiosk.cvcompat import cv2

    ok, buf = cv2.imencode(".jpg", cv2.cvtColor(_face_rgb(480), cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 90])
    assert ok
    return buf.tobytes()


@pytest.fixture(scope="module")
def card_png() -> bytes:
    from kiosk.cvcompat import cv2

    card = np.full((300, 480, 3), 235, np.uint8)
    cv2.rectangle(card, (20, 20), (460, 280), (40, 40, 40), 3)
    ok, buf = cv2.imencode(".png", card)
    return buf.tobytes()


def _webm(face: bool = True, sound: bool = True, seconds: float = 2.0) -> bytes:
    from mediafiles import encode_webm

    img = _face_rgb(320) if face else np.full((320, 320, 3), 90, np.uint8)
    return encode_webm(img, seconds, 10, "speech-like" if sound else "silent")


@pytest.fixture(scope="module")
def video_webm() -> bytes:
    return _webm()


@pytest.fixture(scope="module")
def silent_webm() -> bytes:
    return _webm(sound=False)


# ----------------------------------------------------------------------------- helpers

@pytest.fixture
def client(sandbox):
    c = BrokerClient(sandbox.url, sandbox.credentials, Settings({"broker.retries": 2, "broker.timeout": 5.0}))
    c.sleep = lambda _s: None
    try:
        yield c
    finally:
        c.close()


def register(client, **details) -> tuple[str, str]:
    order = uuid.uuid4().hex[:12]
    token, sig = client.new_verification_token(dict(DETAILS, **details), order)
    client.set_token(token, sig)
    return token, order


def verified_order(client, selfie_jpeg, video_webm, card_png) -> tuple[str, str]:
    """Every step the provider's permissions ask for, as the wizard does, then VerifyToken."""
    token, order = register(client)
    props = client.get_token_provider_properties()
    if props.signature_permission:
        assert client.save_signature(token, card_png).record_id
    for doc in props.document_types:
        client.save_person_document(token, card_png, doc)
    if props.selfie_permission:
        assert client.send_prob_image(token, selfie_jpeg).passed
    if props.video_permission:
        sentence = client.get_random_text()[0]
        assert client.send_prob_video(token, video_webm, sentence).passed
    if props.admittance_permission:
        client.get_admittance_text(token)
        assert client.send_admittance_video(token, video_webm).passed
    result = client.verify_token(token)
    assert result.verified, result
    return token, order


def refused(call, code=None):
    with pytest.raises(BrokerError) as info:
        call()
    if code is not None:
        assert info.value.code == code, (info.value, info.value.broker_message)
    assert info.value.sentence("fa") and info.value.sentence("en")
    return info.value


# ----------------------------------------------------------------------------- methods 2-14

def test_m02_generate_temp_token(client, sandbox):
    token, _ = client.new_verification_token(DETAILS, "t-1")
    temp = client.generate_temp_token(token)
    assert temp.token_value.count(".") == 2
    refused(lambda: client.generate_temp_token("not-a-jwt"))


def test_m03_set_token(client):
    token, sig = client.new_verification_token(DETAILS, uuid.uuid4().hex)
    assert client.set_token(token, sig)
    refused(lambda: client.set_token(token, sig), 1201)
    token2, sig2 = client.new_verification_token(DETAILS, uuid.uuid4().hex)
    bad = sig2[:-2] + ("AA" if not sig2.endswith("AA") else "BB")
    refused(lambda: client.set_token(token2, bad), 1213)
    token3, sig3 = client.new_verification_token(DETAILS, uuid.uuid4().hex)
    assert client.set_token(token3, sig3, verb="GET")


def test_m03_bad_details_are_refused(client):
    for details, code in (({"national_code": "0012345678"}, 1203), ({"mobile": "0912"}, 1204),
                          ({"birth_date": "1370/13/40"}, 1207)):
        token, sig = client.new_verification_token(dict(DETAILS, **details), uuid.uuid4().hex)
        refused(lambda token=token, sig=sig: client.set_token(token, sig), code)


def test_m03_wrong_token_secret(sandbox):
    from dataclasses import replace

    creds = replace(sandbox.credentials, token_secret="w" * 40)
    with BrokerClient(sandbox.url, creds) as c:
        token, sig = c.new_verification_token(DETAILS, uuid.uuid4().hex)
        refused(lambda: c.set_token(token, sig))


def test_m04_check_token(client):
    token, _ = register(client)
    for verb in ("POST", "GET"):
        status = client.check_token(token, verb=verb)
        assert status.valid and status.message
    other, _ = client.new_verification_token(DETAILS, uuid.uuid4().hex)
    refused(lambda: client.check_token(other), 1211)


def test_m05_provider_properties(client, sandbox):
    for verb in ("POST", "GET"):
        props = client.get_token_provider_properties(verb=verb)
        assert props.caller_code == sandbox.credentials.flow_id
        assert props.selfie_try_count >= 1 and props.video_try_count >= 1
    refused(lambda: client.get_token_provider_properties("NOP-x-00000000-0000"), 1202)


def test_m06_save_signature(client, card_png):
    token, _ = register(client)
    saved = client.save_signature(token, card_png)
    assert saved.message
    stranger, _ = client.new_verification_token(DETAILS, uuid.uuid4().hex)
    refused(lambda: client.save_signature(stranger, card_png), 1211)


def test_m07_send_prob_image(client, sandbox, selfie_jpeg):
    token, _ = register(client)
    out = client.send_prob_image(token, selfie_jpeg)
    assert out.passed and out.status is AuthenticationStatus.AuthenticationSuccess
    blank = _blank_jpeg()
    out = client.send_prob_image(token, blank)
    assert not out.passed and out.status is not AuthenticationStatus.AuthenticationSuccess
    sandbox.config.mismatch_national_codes = frozenset({NATIONAL})
    token2, _ = register(client)
    out = client.send_prob_image(token2, selfie_jpeg)
    assert not out.passed and out.status is AuthenticationStatus.VerificationFailed


def _blank_jpeg() -> bytes:
    from kiosk.cvcompat import cv2

    ok, buf = cv2.imencode(".jpg", np.full((480, 480, 3), 128, np.uint8))
    return buf.tobytes()


def test_m07_try_count_is_enforced(client, sandbox):
    token, _ = register(client)
    tries = client.get_token_provider_properties().selfie_try_count
    for _ in range(tries):
        assert not client.send_prob_image(token, _blank_jpeg()).passed
    refused(lambda: client.send_prob_image(token, _blank_jpeg()), 1220)


def test_m08_random_text(client):
    for verb in ("POST", "GET"):
        texts = client.get_random_text(verb=verb)
        assert texts and all(any("\u0600" <= ch <= "\u06ff" for ch in t) for t in texts)
    refused(lambda: client.get_random_text(type=9))


def test_m09_send_prob_video(client, video_webm, silent_webm):
    token, _ = register(client)
    sentence = client.get_random_text()[0]
    out = client.send_prob_video(token, video_webm, sentence)
    assert out.passed, out
    out = client.send_prob_video(token, silent_webm, sentence)
    assert not out.passed and out.status is AuthenticationStatus.SpeechNotMatched


def test_m10_admittance_text(client):
    token, _ = register(client, admittance_text="این قرارداد را تایید می‌کنم.")
    assert "قرارداد" in client.get_admittance_text(token)
    assert client.get_admittance_text(token, verb="GET")
    stranger, _ = client.new_verification_token(DETAILS, uuid.uuid4().hex)
    refused(lambda: client.get_admittance_text(stranger), 1211)


def test_m11_admittance_video(client, sandbox, video_webm):
    token, _ = register(client)
    assert client.send_admittance_video(token, video_webm).passed
    sandbox.config.provider_properties["AdmittancePermission"] = False
    token2, _ = register(client)
    refused(lambda: client.send_admittance_video(token2, video_webm), 1506)


def test_m12_person_document(client, sandbox, card_png):
    token, _ = register(client)
    assert client.save_person_document(token, card_png, 101).message
    assert client.save_person_document(token, card_png, 102).message
    sandbox.config.provider_properties["PersonDocumentTypePermission"] = None
    token2, _ = register(client)
    refused(lambda: client.save_person_document(token2, card_png, 101), 1901)


def test_m13_verify_token(client, selfie_jpeg, video_webm, card_png):
    verified_order(client, selfie_jpeg, video_webm, card_png)
    token, _ = register(client)
    result = client.verify_token(token)
    assert not result.verified and result.response_code == 2
    token2, _ = register(client)
    client.abort_token(token2)
    refused(lambda: client.verify_token(token2), 1212)


def test_m14_abort_token(client, card_png):
    token, _ = register(client)
    assert client.abort_token(token, verb="GET")
    refused(lambda: client.save_signature(token, card_png), 1222)
    stranger, _ = client.new_verification_token(DETAILS, uuid.uuid4().hex)
    refused(lambda: client.abort_token(stranger), 1211)


# ----------------------------------------------------------------------------- methods 15-20

def test_m15_to_m20_citizen_data(client, selfie_jpeg, video_webm, card_png):
    _, order = verified_order(client, selfie_jpeg, video_webm, card_png)
    for verb in ("POST", "GET"):
        kyc = client.get_citizen_kyc_status(order, verb=verb)
        assert kyc.order_id == order and kyc.kyc_status in (KYCStatus.Approved, KYCStatus.InProgress)
        assert kyc.kyc_request_status in (KYCRequestStatus.AuthDone, KYCRequestStatus.Close)
    sig = client.get_citizen_signature_data(order, national_code=NATIONAL)
    assert sig.image_bytes().startswith(b"\x89PNG")
    selfie = client.get_citizen_selfie_data(order)
    assert selfie.media_bytes().startswith(b"\xff\xd8") and selfie.face_verification_score is not None
    assert selfie.average_sharpness is not None and selfie.average_illumination is not None
    video = client.get_citizen_video_data(order)
    assert video.media_bytes().startswith(b"\x1a\x45\xdf\xa3")
    speech = client.get_citizen_speech_data(order)
    assert speech.challenged_text and speech.audio_bytes()[:4] == b"RIFF"
    everything = client.get_citizen_data(order, video=False, speech=False)
    assert everything.auth_result is not None and everything.selfie is not None and everything.video is None


@pytest.mark.parametrize("method", ["get_citizen_kyc_status", "get_citizen_signature_data", "get_citizen_selfie_data",
                                    "get_citizen_video_data", "get_citizen_speech_data", "get_citizen_data"])
def test_m15_to_m20_unknown_order(client, method):
    refused(lambda: getattr(client, method)("no-such-order"), 1211)


def test_citizen_answer_with_a_bad_signature_is_refused(client, sandbox, selfie_jpeg, video_webm, card_png):
    _, order = verified_order(client, selfie_jpeg, video_webm, card_png)
    sandbox.config.faults = {"bad_signature": True}
    with pytest.raises(SignatureInvalid):
        client.get_citizen_kyc_status(order)


def test_citizen_with_a_wrong_broker_key(sandbox, client, selfie_jpeg, video_webm, card_png):
    from dataclasses import replace

    _, order = verified_order(client, selfie_jpeg, video_webm, card_png)
    _, stranger = tokens.generate_rsa_keypair(2048)
    with BrokerClient(sandbox.url, replace(sandbox.credentials, broker_public_pem=stranger)) as c:
        with pytest.raises(SignatureInvalid):
            c.get_citizen_selfie_data(order)


def test_citizen_with_a_wrong_provider_key_is_unauthorized(sandbox):
    from dataclasses import replace

    from kiosk.broker.errors import BrokerUnauthorized

    priv, _ = tokens.generate_rsa_keypair(2048)
    with BrokerClient(sandbox.url, replace(sandbox.credentials, provider_private_pem=priv)) as c:
        with pytest.raises(BrokerUnauthorized):
            c.get_citizen_kyc_status("any")


# ----------------------------------------------------------------------------- faults

def test_503_on_an_idempotent_call_is_retried(client, sandbox):
    sandbox.config.faults = {"status": 503, "times": 2, "methods": ["GetRandomText"]}
    assert client.get_random_text()
    assert client.attempts["GetRandomText"] == 3


def test_lost_answer_of_an_upload_is_uncertain_not_retried(client, sandbox, selfie_jpeg):
    token, _ = register(client)
    sandbox.config.faults = {"reset": True, "process": True, "methods": ["SendProbImageByToken"]}
    with pytest.raises(UploadUncertain):
        client.send_prob_image(token, selfie_jpeg)
    assert client.attempts["SendProbImageByToken"] == 1


def test_503_on_an_upload_is_not_retried(client, sandbox, selfie_jpeg):
    token, _ = register(client)
    sandbox.config.faults = {"status": 503, "methods": ["SendProbImageByToken"]}
    with pytest.raises(UploadUncertain):
        client.send_prob_image(token, selfie_jpeg)
    assert client.attempts["SendProbImageByToken"] == 1


@pytest.mark.parametrize("fault,exc", [({"non_json": True}, ProtocolError), ({"truncate": True}, BrokerError),
                                       ({"status": 500}, BrokerError)])
def test_broken_answers(client, sandbox, fault, exc):
    sandbox.config.faults = dict(fault, methods=["GetTokenProviderProperties"])
    with pytest.raises(exc) as info:
        client.get_token_provider_properties()
    assert info.value.sentence("fa") and info.value.sentence("en")


def test_slow_answer_times_out(sandbox):
    sandbox.config.faults = {"delay": 2.5, "methods": ["CheckToken"]}
    with BrokerClient(sandbox.url, sandbox.credentials, Settings({"broker.timeout": 1.0, "broker.retries": 0})) as c:
        with pytest.raises(TransportError) as info:
            c.check_token("x.y.z")
    assert info.value.kind == "timeout"


def test_expired_token(client, sandbox, selfie_jpeg):
    token, _ = register(client)
    sandbox.config.faults = {"expire_token": True}
    refused(lambda: client.send_prob_image(token, selfie_jpeg), 1209)
