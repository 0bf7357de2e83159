"""The broker profile: each reading the original leaves open is a setting that the client and the
strict sandbox both read, so changing it on both sides keeps them talking, and changing it on one
side only shows up as the broker's refusal."""
from __future__ import annotations

import pytest
from sandbox_fakes import NC, Api, file_data, make_token, signature_png, webm

from kiosk.broker import tokens
from kiosk.broker.client import BrokerClient
from kiosk.broker.errors import BrokerRefused
from kiosk.config.settings import Settings
from kiosk.sandbox.config import SandboxConfig

DETAILS = {"national_code": NC, "birth_date": "1376/11/13", "mobile": "09123456789", "card_serial": "0A12345678",
           "first_name": "سارا", "last_name": "محمدی"}


def test_caller_code_claim_name_is_read_on_both_sides(make_broker):
    camel = Settings({"broker.caller_code_claim": "callerCode"})
    b = make_broker(settings=camel)
    with BrokerClient(b.url, b.credentials, camel) as c:
        token, sig = c.new_verification_token(DETAILS, tokens.new_order_id())
        assert "callerCode" in tokens.unverified_claims(token) and "CallerCode" not in tokens.unverified_claims(token)
        c.set_token(token, sig)
    with BrokerClient(b.url, b.credentials) as c:  # the default CallerCode, which this broker does not read
        token, sig = c.new_verification_token(DETAILS, tokens.new_order_id())
        with pytest.raises(BrokerRefused) as info:
            c.set_token(token, sig)
        assert info.value.code == 1221


def test_a_broker_storing_order_ids_as_numbers(make_broker):
    b = make_broker(SandboxConfig(numeric_order_ids=True))
    with Api(b) as api:
        token, sig = make_token(b, order_id="KSK3F9A27C1")
        assert api.call("SetToken", {"tokenValue": token, "tokenSignature": sig}).error == 1205
        token, sig = make_token(b, order_id=tokens.new_order_id("digits"))
        assert api.call("SetToken", {"tokenValue": token, "tokenSignature": sig}).code == 0


def test_signature_encoding_base64url_on_both_sides(make_broker):
    url = Settings({"broker.signature_encoding": "base64url"})
    b = make_broker(settings=url)
    with BrokerClient(b.url, b.credentials, url) as c:
        token, sig = c.new_verification_token(DETAILS, tokens.new_order_id())
        assert sig and "=" not in sig and "+" not in sig and "/" not in sig
        c.set_token(token, sig, verb="GET")
    with BrokerClient(b.url, b.credentials) as c:  # standard Base64 to a base64url broker: 1213
        token, sig = c.new_verification_token(DETAILS, tokens.new_order_id())
        with pytest.raises(BrokerRefused) as info:
            c.set_token(token, sig)
        assert info.value.code == 1213


@pytest.mark.parametrize("tries, code", [("per_step", None), ("shared", 1220)])
def test_video_tries_counted_per_step_or_shared(make_broker, tries, code):
    props = {"VideoTryCount": 1}
    b = make_broker(SandboxConfig(provider_properties=props), settings=Settings({"broker.video_tries": tries}))
    with Api(b) as api:
        token = api.register()
        failed = api.call("SendProbVideoByToken", {"tokenValue": token, "randomText": "بوق ماشین ما خراب شده است",
                                                   "fileData": file_data(webm(picture="none"), "ProbVideo.webm")})
        assert failed.code == 2
        adm = api.call("SendAdmittanceVideoByToken", {"tokenValue": token, "randomText": "",
                                                      "fileData": file_data(webm(picture="none"), "Adm.webm")})
        assert adm.error == code and (code is not None or adm.code == 2)


@pytest.mark.parametrize("means", ["include_media", "omit_media"])
def test_filter_biometric_data_polarity_on_both_sides(make_broker, means):
    s = Settings({"broker.filter_biometric_data_means": means})
    b = make_broker(settings=s)
    with BrokerClient(b.url, b.credentials, s) as c:
        order = tokens.new_order_id()
        token, sig = c.new_verification_token(DETAILS, order)
        c.set_token(token, sig)
        c.save_signature(token, signature_png())
        with_media = c.get_citizen_data(order, signature=True, filter_biometric_data=True)
        without = c.get_citizen_data(order, signature=True, filter_biometric_data=False)
    assert with_media.signature is not None and with_media.signature.data
    assert without.signature is not None and not without.signature.data
