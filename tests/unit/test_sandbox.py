"""The sandbox broker over a real socket: credentials, envelope, tokens and their life,
permissions, the citizen methods with their signatures and bearer."""
from __future__ import annotations

import json
import re
import stat
import threading
import time
import uuid

import pytest
from persiantools.jdatetime import JalaliDateTime

from kiosk.broker import credentials as creds
from kiosk.broker import tokens
from kiosk.broker.codes import KYCRequestStatus
from kiosk.config.settings import Settings
from kiosk.sandbox.config import SandboxConfig
from kiosk.sandbox.server import TEHRAN, SandboxBroker
from sandbox_fakes import (FLOW_RE, NC, NC2, Api, bearer, claims_for, face_jpeg, file_data, make_token,
                           no_face_jpeg, signature_png, webm)


def order_of(token: str) -> str:
    return tokens.unverified_claims(token)["orderId"]


# ----------------------------------------------------------------------------- credentials

def test_credentials_folder_written_then_reused(tmp_path):
    d = tmp_path / "creds"
    with SandboxBroker(d) as b:
        names = sorted(p.name for p in d.iterdir())
        assert names == ["broker_private.pem", "broker_public.pem", "credentials.json", "provider_private.pem",
                         "provider_public.pem"]
        for n in ("broker_private.pem", "provider_private.pem", "credentials.json"):
            assert stat.S_IMODE((d / n).stat().st_mode) == 0o600
        info = json.loads((d / "credentials.json").read_text())
        assert re.match(FLOW_RE, info["flow_id"]) and info["base_url"] == b.url
        loaded = creds.load_dir(d)
        loaded.validate()
        assert loaded.flow_id == b.credentials.flow_id and loaded.token_secret == b.token_secret
        assert tokens.keys_match(loaded.provider_private_pem, b.credentials.provider_public_pem)
        first_secret, first_key = b.token_secret, (d / "broker_public.pem").read_bytes()
    with SandboxBroker(d) as again:
        assert again.token_secret == first_secret
        assert (d / "broker_public.pem").read_bytes() == first_key
        assert json.loads((d / "credentials.json").read_text())["base_url"] == again.url


def test_conftest_sandbox_fixture_serves(sandbox):
    with Api(sandbox) as api:
        r = api.call("GetTokenProviderProperties", {"flowId": sandbox.flow_id}, verb="GET")
    assert r.status == 200 and r.code == 0 and r.result["CallerCode"] == sandbox.flow_id


# ----------------------------------------------------------------------------- envelope

@pytest.mark.parametrize("spelling", ["ResponseCode", "RespnsCode", "RespenseCode"])
def test_envelope_spelling(make_broker, spelling):
    b = make_broker(SandboxConfig(envelope_spelling=spelling))
    msg_key = spelling.replace("Code", "Message")
    with Api(b) as api:
        ok = api.call("GetRandomText", {"type": 1, "count": 1})
        bad = api.call("CheckToken", {"tokenValue": "nope"})
    for r in (ok, bad):
        others = {"ResponseCode", "RespnsCode", "RespenseCode"} - {spelling}
        assert spelling in r.json and msg_key in r.json and not others & set(r.json)
    assert ok.json[spelling] == 0 and bad.json[spelling] == 1
    exc = bad.json["Exception"]
    assert exc["ErrorCode"] == 1211 and exc["Source"] == "EKYC_Service" and exc["HResult"] == -2146233088
    assert exc["TimeOccurred"].endswith("+03:30") and exc["TechnicalMessage"] == "Token is not valid!"


def test_error_message_follows_provider_language(make_broker):
    fa = make_broker()
    en = make_broker(SandboxConfig(provider_properties={"ProviderLanguage": "en"}))
    with Api(fa) as a, Api(en) as b:
        r_fa = a.call("CheckToken", {"tokenValue": "x"})
        r_en = b.call("CheckToken", {"tokenValue": "x"})
        props_en = b.call("GetTokenProviderProperties", {"flowId": en.flow_id})
    assert re.search("[\u0600-\u06ff]", r_fa.json["Exception"]["ErrorMessage"])
    assert r_en.json["Exception"]["ErrorMessage"] == "The token is not valid"
    assert r_en.message == "Operation failed"
    assert props_en.result["ProviderLanguage"] == 2


# ----------------------------------------------------------------------------- 2 GenerateTempToken

def test_generate_temp_token_normalises_and_signs(broker, api):
    import jwt

    claims = claims_for(broker, "temp-1")
    claims["iat"], claims["exp"] = 1000, 1600  # old times, 600 s lifetime
    messy = jwt.encode(claims, "any-other-key-" * 8, algorithm="HS512", headers={"kid": "x"})
    before = int(time.time())
    r = api.call("GenerateTempToken", {"tempTokenValue": messy}, verb="GET")
    assert r.code == 0, r.text
    res = r.result
    assert res["IsEncrypted"] is False
    assert jwt.get_unverified_header(res["TokenValue"]) == {"alg": "HS256", "typ": "JWT"}
    new = tokens.decode_verification_token(res["TokenValue"], broker.token_secret)
    assert new["iat"] >= before and new["exp"] - new["iat"] == 600
    assert new["nationalCode"] == NC and new["orderId"] == "temp-1"
    # the original's sample: TokenSignature null (the provider signs its own tokens), ResponseCode spelled so
    assert res["TokenSignature"] is None and "ResponseCode" in r.json
    sig = tokens.sign_token(res["TokenValue"], broker.credentials.provider_private_pem)
    reg = api.call("SetToken", {"tokenValue": res["TokenValue"], "tokenSignature": sig})
    assert reg.code == 0 and "RespnsCode" in reg.json


def test_generate_temp_token_signs_when_lenient(make_broker):
    b = make_broker(SandboxConfig(strict=False))
    with Api(b) as api:
        token, _ = make_token(b, sign=False)
        res = api.call("GenerateTempToken", {"tempTokenValue": token}, verb="GET").result
        tokens.verify_token_signature(res["TokenValue"], res["TokenSignature"], b.credentials.provider_public_pem)
        # strict: only the verb the original names (GET); lenient: POST too
        assert api.call("GenerateTempToken", {"tempTokenValue": token}, verb="POST").code == 0


def test_generate_temp_token_strict_takes_only_get(api, broker):
    token, _ = make_token(broker, sign=False)
    r = api.call("GenerateTempToken", {"tempTokenValue": token}, verb="POST")
    assert r.status == 405 and r.error == 3


@pytest.mark.parametrize("value", ["", "not-a-jwt"])
def test_generate_temp_token_refuses_garbage(api, value):
    r = api.call("GenerateTempToken", {"tempTokenValue": value}, verb="GET")
    assert r.code == 1 and r.error == 0 and "IDX" in r.json["Exception"]["TechnicalMessage"]


# ----------------------------------------------------------------------------- 3/4 SetToken, CheckToken

@pytest.mark.parametrize("verb", ["POST", "GET"])
def test_set_token_then_check_token(broker, api, verb):
    token, sig = make_token(broker)
    r = api.call("SetToken", {"tokenValue": token, "tokenSignature": sig}, verb=verb)
    assert r.code == 0 and r.error is None and "Result" not in r.json
    assert broker.token_state(token) == KYCRequestStatus.WaitForData
    c = api.call("CheckToken", {"tokenValue": token}, verb=verb)
    exp = tokens.unverified_claims(token)["exp"]
    j = JalaliDateTime.fromtimestamp(exp, TEHRAN)
    when = f"{j.day}/{j.month}/{j.year} - {j.hour}:{j.minute:02d}:{j.second:02d}"  # as the original's sample
    assert c.code == 0 and when in c.message and "معتبر" in c.message
    assert "RespnsCode" in c.json and "RespnsCode" in r.json


def test_errors_are_spelled_as_the_methods_answers(api):
    r = api.call("SetToken", {"tokenValue": "not-a-jwt", "tokenSignature": "AAAA"})
    assert r.error == 1211 and "RespnsCode" in r.json and "RespnsMessage" in r.json
    bad = api.call("VerifyToken", raw=b"{not json")
    assert bad.error == 1101 and "RespnsCode" in bad.json


def test_set_token_without_signature_is_accepted_when_only_requested(broker, api):
    token, _ = make_token(broker, sign=False)
    assert api.call("SetToken", {"tokenValue": token}).code == 0


def test_duplicate_token_and_duplicate_order(broker, api):
    token = api.register("order-dup")
    again = api.call("SetToken", {"tokenValue": token})
    assert again.error == 1201
    other, sig = make_token(broker, "order-dup", mobile_number="09350000000")
    assert other != token
    assert api.call("SetToken", {"tokenValue": other, "tokenSignature": sig}).error == 1201


def test_same_order_raced_from_threads_registers_once(broker, api):
    toks = [make_token(broker, "race", mobile_number=f"0912000000{i}") for i in range(8)]
    codes: list[int | None] = []

    def go(t):
        with Api(broker) as a:
            r = a.call("SetToken", {"tokenValue": t[0], "tokenSignature": t[1]})
            codes.append(r.error if r.code else 0)

    threads = [threading.Thread(target=go, args=(t,)) for t in toks]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(codes) == [0] + [1201] * 7


@pytest.mark.parametrize("overrides, code", [
    ({"nationalCode": "0012345678"}, 1203),
    ({"nationalCode": "1111111111"}, 1203),
    ({"mobileNumber": "9123456789"}, 1204),
    ({"orderId": ""}, 1205),
    ({"callbackUrl": "https://provider.invalid/cb"}, 1206),
    ({"callbackUrl": "not a url {tokenValue}{tokenSignature}"}, 1206),
    ({"birthDate": "1376/13/40"}, 1207),
    ({"birthDate": "1999-01-01x"}, 1207),
    ({"cardSerialNo": "x"}, 1216),
    ({"inquiryType": 99}, 1208),
    ({"CallerCode": "ABC-x-99999999-9999"}, 1202),
    ({"CallerCode": ""}, 1221),
    ({"exp": 1000, "iat": 500}, 1209),
])
def test_set_token_claim_checks(broker, api, overrides, code):
    token, sig = make_token(broker, **overrides)
    r = api.call("SetToken", {"tokenValue": token, "tokenSignature": sig})
    assert r.code == 1 and r.error == code, r.text
    assert api.call("CheckToken", {"tokenValue": token}).error == 1211  # nothing was registered


def test_persian_digits_in_claims_are_read(broker, api):
    fa = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
    token, sig = make_token(broker, nationalCode=NC.translate(fa), mobileNumber="09123456789".translate(fa),
                            birthDate="۱۳۷۶/۱۱/۱۳")
    assert api.call("SetToken", {"tokenValue": token, "tokenSignature": sig}).code == 0


def test_set_token_signature_and_key_checks(broker, api):
    token, sig = make_token(broker)
    bad_sig = ("A" if sig[0] != "A" else "B") + sig[1:]
    assert api.call("SetToken", {"tokenValue": token, "tokenSignature": bad_sig}).error == 1213
    wrong_secret, s2 = make_token(broker, secret="someone-else-" * 8)
    assert api.call("SetToken", {"tokenValue": wrong_secret, "tokenSignature": s2}).error == 1211
    import jwt

    hs512 = jwt.encode(claims_for(broker), broker.token_secret * 2, algorithm="HS512")
    assert api.call("SetToken", {"tokenValue": hs512}).error == 1215
    assert api.call("SetToken", {"tokenValue": token, "tokenSignature": sig}).code == 0


@pytest.mark.parametrize("config, sign, code", [
    (dict(signature="required"), False, 1213),
    (dict(signature="not_requested"), True, 1214),
    (dict(provider_expired=True), True, 1219),
    (dict(no_credit=True), True, 2101),
    (dict(unknown_national_codes={NC}), True, 1224),
])
def test_set_token_provider_rules(make_broker, config, sign, code):
    b = make_broker(SandboxConfig(**config))
    token, sig = make_token(b, sign=sign)
    with Api(b) as api:
        data = {"tokenValue": token}
        if sig:
            data["tokenSignature"] = sig
        assert api.call("SetToken", data).error == code


def test_national_code_registry_is_per_code(make_broker):
    b = make_broker(SandboxConfig(unknown_national_codes={NC2}))
    with Api(b) as api:
        api.register()  # NC is known
        token, sig = make_token(b, nationalCode=NC2)
        assert api.call("SetToken", {"tokenValue": token, "tokenSignature": sig}).error == 1224


# ----------------------------------------------------------------------------- 5 provider properties

def test_provider_properties_get_and_post(broker, api):
    g = api.call("GetTokenProviderProperties", {"flowId": broker.flow_id}, verb="GET")
    p = api.call("GetTokenProviderProperties", {"callerCode": broker.flow_id})
    assert g.code == 0 and g.result == p.result
    res = g.result
    assert res["CallerCode"] == broker.flow_id and res["SelfieTryCount"] == 3 and res["VideoTryCount"] == 3
    assert res["PersonDocumentTypePermission"] == [101, 102] and res["ProviderLanguage"] == 1
    assert all(v is True for k, v in res.items() if k.endswith("Permission") and k != "PersonDocumentTypePermission")
    assert api.call("GetTokenProviderProperties", {"flowId": "ABC-x-00000000-0000"}).error == 1202
    assert api.call("GetTokenProviderProperties", {"flowId": broker.flow_id, "callerCode": "other"}).error == 1202
    assert api.call("GetTokenProviderProperties", {}, verb="GET").error == 1202


def test_provider_config_file(make_broker, tmp_path):
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"SelfiePermission": False, "VideoTryCount": 1,
                                "PersonDocumentTypePermission": None}), "utf-8")
    b = make_broker(SandboxConfig.from_file(path))
    with Api(b) as api:
        res = api.call("GetTokenProviderProperties", {"flowId": b.flow_id}).result
        assert res["SelfiePermission"] is False and res["VideoTryCount"] == 1
        assert res["PersonDocumentTypePermission"] is None and res["SignaturePermission"] is True
        token = api.register()
        r = api.call("SendProbImageByToken", {"tokenValue": token, "fileData": file_data(face_jpeg(), "P.jpg")})
        assert r.error == 1505
        r = api.call("SavePersonDocument", {"tokenValue": token, "documentType": 101,
                                            "fileData": file_data(signature_png(), "IdCardFront.png")})
        assert r.error == 1901


def test_shipped_provider_example_loads():
    from kiosk.resources import resource

    cfg = SandboxConfig.from_file(resource("sandbox", "provider.json"))
    assert cfg.provider_properties["SelfieTryCount"] == 3 and cfg.language == "fa"
    with pytest.raises(ValueError):
        SandboxConfig.from_mapping({"no_such_option": 1})


# ----------------------------------------------------------------------------- permissions

@pytest.mark.parametrize("perm, method, code", [
    ("SignaturePermission", "SaveSignature", 1504),
    ("SelfiePermission", "SendProbImageByToken", 1505),
    ("VideoPermission", "SendProbVideoByToken", 1502),
    ("AdmittancePermission", "SendAdmittanceVideoByToken", 1506),
    ("AdmittancePermission", "GetAdmittanceText", 1506),
])
def test_uploads_without_permission(make_broker, perm, method, code):
    b = make_broker(SandboxConfig(provider_properties={perm: False}))
    media = {"SaveSignature": (signature_png(), "Signature.png"),
             "SendProbImageByToken": (face_jpeg(), "ProbImage.jpg")}.get(method, (webm(), "ProbVideo.webm"))
    with Api(b) as api:
        token = api.register()
        r = api.call(method, {"tokenValue": token, "randomText": "متن", "fileData": file_data(*media)})
    assert r.code == 1 and r.error == code


def test_document_types(make_broker):
    b = make_broker(SandboxConfig(provider_properties={"PersonDocumentTypePermission": [101]}))
    with Api(b) as api:
        token = api.register()

        def send(t):
            return api.call("SavePersonDocument", {"tokenValue": token, "documentType": t,
                                                   "fileData": file_data(signature_png(), "IdCardFront.png")})

        ok = send(101)
        assert ok.code == 0 and re.match(r"Document inserted into DB successfully with ID: [0-9a-f-]{36}$", ok.result)
        assert send(102).error == 1901 and send(103).error == 1901
        not_png = api.call("SavePersonDocument", {"tokenValue": token, "documentType": 101,
                                                  "fileData": file_data(face_jpeg(), "IdCardFront.png")})
        assert not_png.error == 1101


# ----------------------------------------------------------------------------- 8 random text, 10 admittance

def test_random_text_is_deterministic_per_seed(make_broker):
    from kiosk.sandbox import texts

    a, b, c = make_broker(SandboxConfig(seed=5)), make_broker(SandboxConfig(seed=5)), make_broker(SandboxConfig(seed=6))
    seqs = []
    for br in (a, b, c):
        with Api(br) as api:
            seqs.append([api.call("GetRandomText", {"type": 1, "count": 2}, verb=v).result for v in ("GET", "POST", "GET")])
    assert seqs[0] == seqs[1] and seqs[0] != seqs[2]
    assert all(len(x) == 2 and set(x) <= set(texts.SENTENCES) for x in seqs[0])
    with Api(a) as api:
        words = api.call("GetRandomText", {"type": 0, "count": 3}, verb="GET").result
        assert len(words) == 3 and set(words) <= set(texts.WORDS)
        assert api.call("GetRandomText", {"type": 7, "count": 1}, verb="GET").error == 1102
        assert api.call("GetRandomText", {"type": 1, "count": 0}).error == 1101
        assert api.call("GetRandomText", {"type": "abc"}, verb="GET").error == 1102


def test_admittance_text_from_claim_or_1217(broker, api):
    mine = api.register(admittanceText="مفاد قرارداد را تایید می‌کنم")
    empty = api.register(admittanceText="")
    r = api.call("GetAdmittanceText", {"tokenValue": mine}, verb="GET")
    assert r.result == ["مفاد قرارداد را تایید می‌کنم"] and "ResponseCode" in r.json
    assert api.call("GetAdmittanceText", {"tokenValue": empty}).error == 1217  # section 10: only what the token holds
    video = file_data(webm(), "AdmittanceVideo.webm")
    r = api.call("SendAdmittanceVideoByToken", {"tokenValue": empty, "randomText": "", "fileData": video})
    assert r.error == 1217 and "RespenseCode" in r.json


def test_admittance_text_default_when_lenient(make_broker):
    b = make_broker(SandboxConfig(strict=False))
    with Api(b) as api:
        default = api.register(admittanceText="")
        assert api.call("GetAdmittanceText", {"tokenValue": default}).result == [b.config.admittance_text]


# ----------------------------------------------------------------------------- token life

def full_flow(api: Api, token: str) -> None:
    sig = file_data(signature_png(), "Signature.png")
    assert api.call("SaveSignature", {"tokenValue": token, "fileData": sig}).code == 0
    assert api.call("SendProbImageByToken", {"tokenValue": token, "faceThreshold": -1,
                                             "fileData": file_data(face_jpeg(), "ProbImage.jpg")}).code == 0
    assert api.broker.token_state(token) == KYCRequestStatus.ProbImageReceived
    video = file_data(webm(), "ProbVideo.webm")
    r = api.call("SendProbVideoByToken", {"tokenValue": token, "randomText": "این کشاورز وانت دارد",
                                          "faceThreshold": -1, "voiceThreshold": -1, "fileData": video})
    assert r.code == 0, r.text
    assert api.broker.token_state(token) == KYCRequestStatus.SpeechReceived
    assert api.call("SendAdmittanceVideoByToken", {"tokenValue": token, "randomText": "", "fileData": video}).code == 0
    for t in (101, 102):
        assert api.call("SavePersonDocument", {"tokenValue": token, "documentType": t, "fileData": sig}).code == 0


def test_complete_flow_verifies_and_closes(broker, api):
    token = api.register()
    full_flow(api, token)
    v = api.call("VerifyToken", {"tokenValue": token})
    assert v.code == 0 and broker.token_state(token) == KYCRequestStatus.AuthDone
    assert api.call("VerifyToken", {"tokenValue": token}, verb="GET").code == 0  # a retry gets the same
    r = api.call("SaveSignature", {"tokenValue": token, "fileData": file_data(signature_png(), "S.png")})
    assert r.error == 1223
    assert api.call("AbortToken", {"tokenValue": token}).error == 1223
    assert api.call("CheckToken", {"tokenValue": token}).error == 1211


def test_incomplete_flow_is_not_complete(broker, api):
    token = api.register()
    assert api.call("SendProbImageByToken", {"tokenValue": token,
                                             "fileData": file_data(face_jpeg(), "ProbImage.jpg")}).code == 0
    v = api.call("VerifyToken", {"tokenValue": token}, verb="GET")
    assert v.code == 2 and v.error is None and broker.token_state(token) == KYCRequestStatus.NotComplete
    assert "RespnsCode" in v.json
    # the original: not verified, and still open for the missing data
    assert api.call("CheckToken", {"tokenValue": token}).code == 0
    full_flow(api, token)
    assert api.call("VerifyToken", {"tokenValue": token}).code == 0
    assert broker.token_state(token) == KYCRequestStatus.AuthDone


def test_incomplete_then_abort_closes(broker, api):
    token = api.register()
    assert api.call("VerifyToken", {"tokenValue": token}).code == 2
    assert api.call("AbortToken", {"tokenValue": token}).code == 0
    assert broker.token_state(token) == KYCRequestStatus.UserAborted


def test_incomplete_flow_closes_when_lenient(make_broker):
    b = make_broker(SandboxConfig(strict=False))
    with Api(b) as api:
        token = api.register()
        assert api.call("VerifyToken", {"tokenValue": token}).code == 2
        r = api.call("SendProbImageByToken", {"tokenValue": token, "fileData": file_data(face_jpeg(), "P.jpg")})
        assert r.error == 1212 and "ResponseCode" in r.json


def test_verify_requires_only_permitted_steps(make_broker):
    props = {k: False for k in ("SignaturePermission", "VideoPermission", "AdmittancePermission")}
    props["PersonDocumentTypePermission"] = None
    b = make_broker(SandboxConfig(provider_properties=props))
    with Api(b) as api:
        token = api.register()
        assert api.call("VerifyToken", {"tokenValue": token}).code == 2  # the selfie is still needed
        token2 = api.register()
        assert api.call("SendProbImageByToken", {"tokenValue": token2,
                                                 "fileData": file_data(face_jpeg(), "P.jpg")}).code == 0
        assert api.call("VerifyToken", {"tokenValue": token2}).code == 0


def test_abort_then_everything_refused(broker, api):
    token = api.register()
    a = api.call("AbortToken", {"tokenValue": token}, verb="GET")
    assert a.code == 0 and broker.token_state(token) == KYCRequestStatus.UserAborted
    assert api.call("AbortToken", {"tokenValue": token}).code == 0  # idempotent
    v = api.call("VerifyToken", {"tokenValue": token})
    assert v.error == 1212 and v.json["Exception"]["TechnicalMessage"] == "Token Aborted before!"
    for method, extra in (("SaveSignature", {"fileData": file_data(signature_png(), "S.png")}),
                          ("SendProbImageByToken", {"fileData": file_data(face_jpeg(), "P.jpg")}),
                          ("SendProbVideoByToken", {"randomText": "x", "fileData": file_data(webm(), "V.webm")}),
                          ("GetAdmittanceText", {})):
        assert api.call(method, {"tokenValue": token, **extra}).error == 1222, method
    assert api.call("CheckToken", {"tokenValue": token}).error == 1211


@pytest.mark.parametrize("method", ["CheckToken", "SaveSignature", "SendProbImageByToken", "SendProbVideoByToken",
                                    "GetAdmittanceText", "SendAdmittanceVideoByToken", "SavePersonDocument",
                                    "VerifyToken", "AbortToken"])
def test_unknown_token_is_1211(api, method):
    r = api.call(method, {"tokenValue": "eyJ.unknown.token", "documentType": 101, "randomText": "x",
                          "fileData": file_data(b"\x89PNG\r\n\x1a\n", "x.png")})
    assert r.code == 1 and r.error == 1211


def test_expiry_by_short_lifetime(make_broker):
    b = make_broker(SandboxConfig(token_lifetime=3))
    with Api(b) as api:
        token = api.register()
        assert api.call("CheckToken", {"tokenValue": token}).code == 0
        deadline = time.monotonic() + 60  # wait for the expiry itself (3 s on the broker's clock)
        while not b._tokens[token].expired() and time.monotonic() < deadline:
            time.sleep(0.1)
        for method in ("CheckToken", "SaveSignature", "VerifyToken", "AbortToken", "GetAdmittanceText"):
            assert api.call(method, {"tokenValue": token,
                                     "fileData": file_data(signature_png(), "S.png")}).error == 1209, method
        assert b.token_state(token) == KYCRequestStatus.Timeout
        r = api.call("GetCitizenKYCStatus", {"OrderId": order_of(token), "FlowId": b.flow_id}, headers=bearer(b))
        assert r.code == 0 and r.result["AuthResult"]["KYCRequestStatus"] == KYCRequestStatus.Timeout
        assert r.result["AuthResult"]["KYCStatus"] == 3


def test_expire_token_fault(broker, api):
    token = api.register()
    broker.set_faults({"expire_token": True, "methods": ["CheckToken"], "times": 1})
    assert api.call("CheckToken", {"tokenValue": token}).error == 1209
    assert api.call("SaveSignature", {"tokenValue": token,
                                      "fileData": file_data(signature_png(), "S.png")}).error == 1209


def test_selfie_tries_run_out(make_broker):
    b = make_broker(SandboxConfig(provider_properties={"SelfieTryCount": 2}))
    with Api(b) as api:
        token = api.register()
        bad = {"tokenValue": token, "fileData": file_data(no_face_jpeg(), "ProbImage.jpg")}
        for _ in range(2):
            r = api.call("SendProbImageByToken", bad)
            assert r.code == 2 and r.failure["AuthenticationStatus"] == 4
        good = {"tokenValue": token, "fileData": file_data(face_jpeg(), "ProbImage.jpg")}
        r = api.call("SendProbImageByToken", good)
        assert r.code == 1 and r.error == 1220
        assert b.token_state(token) == KYCRequestStatus.MaxTryCountReached


def test_video_tries_run_out_and_high_threshold_fails(make_broker):
    b = make_broker(SandboxConfig(provider_properties={"VideoTryCount": 1}))
    with Api(b) as api:
        token = api.register()
        data = {"tokenValue": token, "randomText": "متن", "faceThreshold": 99.9, "fileData": file_data(webm(), "V.webm")}
        r = api.call("SendProbVideoByToken", data)
        assert r.code == 2 and r.failure["AuthenticationStatus"] == 3  # VerificationFailed
        assert api.call("SendProbVideoByToken", dict(data, faceThreshold=-1)).error == 1220
        assert api.call("SendProbVideoByToken", dict(data, faceThreshold=150)).error == 1220
        token2 = api.register()
        assert api.call("SendProbVideoByToken", dict(data, tokenValue=token2, faceThreshold=150)).error == 1101


# ----------------------------------------------------------------------------- 15-20 citizen data

def test_citizen_answers_are_signed_and_verify(broker, api):
    token = api.register()
    full_flow(api, token)
    api.call("VerifyToken", {"tokenValue": token})
    pub = broker.credentials.broker_public_pem
    ids = {"OrderId": order_of(token), "FlowId": broker.flow_id}
    for method, key in (("GetCitizenKYCStatus", "AuthResult"), ("GetCitizenSignatureData", "Signature"),
                        ("GetCitizenSelfieData", "SelfiePicture"), ("GetCitizenVideoData", "Video"),
                        ("GetCitizenSpeechData", "Speech")):
        for verb in ("GET", "POST"):
            r = api.call(method, ids, verb=verb, headers=bearer(broker))
            assert r.code == 0 and r.status == 200, (method, r.text[:300])
            raw = r.raw_result()
            assert json.loads(raw) == r.result and set(r.result) == {"CallerCode", "OrderId", key}
            tokens.verify_result_signature(raw, r.json["DataToSign"], r.json["E_Signature"], pub)
            tampered = raw.replace(broker.flow_id, broker.flow_id[:-1] + "9", 1)
            with pytest.raises(tokens.TokenError):
                tokens.verify_result_signature(tampered, r.json["DataToSign"], r.json["E_Signature"], pub)
    auth = api.call("GetCitizenKYCStatus", ids, headers=bearer(broker)).result["AuthResult"]
    assert auth["KYCStatus"] == 2 and auth["KYCRequestStatus"] == 5 and auth["CitizenNationalCode"] == NC
    assert auth["ErrorCode"] == []


def test_citizen_media_round_trip(broker, api):
    import base64
    import io
    import wave

    token = api.register()
    full_flow(api, token)
    ids = {"OrderId": order_of(token), "FlowId": broker.flow_id}
    sig = api.call("GetCitizenSignatureData", ids, headers=bearer(broker)).result["Signature"]
    assert base64.b64decode(sig["Data"]) == signature_png() and sig["IsActive"] is True
    selfie = api.call("GetCitizenSelfieData", ids, headers=bearer(broker)).result["SelfiePicture"]
    assert base64.b64decode(selfie["Data"]) == face_jpeg()
    assert selfie["VerificationStatus"] == 1 and selfie["LivenessResult"] == 4
    video = api.call("GetCitizenVideoData", ids, headers=bearer(broker)).result["Video"]
    assert base64.b64decode(video["Data"]) == webm()
    speech = api.call("GetCitizenSpeechData", ids, headers=bearer(broker)).result["Speech"]
    assert speech["Data"].startswith("UklGR") and speech["ChallengedText"] == "این کشاورز وانت دارد"
    assert speech["SpeechVerificationScore"] >= speech["SpeechVerificationThreshold"] == 50.0
    with wave.open(io.BytesIO(base64.b64decode(speech["Data"]))) as w:
        assert w.getnchannels() == 1 and w.getframerate() == 16000
        assert 0.8 < w.getnframes() / 16000 < 1.3


def test_citizen_data_honours_flags(broker, api):
    token = api.register()
    full_flow(api, token)
    ids = {"OrderId": order_of(token), "FlowId": broker.flow_id}
    only = api.call("GetCitizenData", dict(ids, AuthResult=True), headers=bearer(broker))
    assert set(only.result) == {"CallerCode", "OrderId", "AuthResult"}
    everything = dict(ids, AuthResult=True, SelfiePicture=True, Video=True, Speech=True, Signature=True)
    lean = api.call("GetCitizenData", dict(everything, FilterBiometricData=False), headers=bearer(broker)).result
    full = api.call("GetCitizenData", dict(everything, FilterBiometricData=True), headers=bearer(broker)).result
    media_keys = ("SelfiePicture", "Video", "Speech", "Signature")
    assert all(lean[k]["Data"] is None for k in media_keys)
    assert all(isinstance(full[k]["Data"], str) and len(full[k]["Data"]) > 100 for k in media_keys)
    assert lean["SelfiePicture"]["FaceVerificationScore"] == full["SelfiePicture"]["FaceVerificationScore"]
    get = api.call("GetCitizenData", {"orderId": ids["OrderId"], "flowId": broker.flow_id, "video": "true",
                                      "filterBiometricData": "false"}, verb="GET", headers=bearer(broker))
    assert set(get.result) == {"CallerCode", "OrderId", "Video"} and get.result["Video"]["Data"] is None


def test_a_sandbox_that_runs_all_day_keeps_only_the_newest_orders_media(make_broker):
    broker = make_broker(SandboxConfig(keep_media_orders=2))
    with Api(broker) as api:
        orders = []
        for _ in range(3):
            token = api.register()
            full_flow(api, token)
            orders.append(order_of(token))
        media_keys = ("SelfiePicture", "Video", "Speech", "Signature")
        asked = dict(AuthResult=True, SelfiePicture=True, Video=True, Speech=True, Signature=True,
                     FilterBiometricData=True)
        # a 3rd order came: the first's bytes are gone, its verdict and the times stay
        first = api.call("GetCitizenData", dict(asked, OrderId=orders[0], FlowId=broker.flow_id),
                         headers=bearer(broker)).result
        assert all(first[k]["Data"] is None and first[k]["InsertDateTime"] for k in media_keys)
        assert first["AuthResult"]["CitizenNationalCode"] == NC
        assert all(c.data == b"" for c in broker._orders[orders[0]].captures())
        for order in orders[1:]:
            kept = api.call("GetCitizenData", dict(asked, OrderId=order, FlowId=broker.flow_id),
                            headers=bearer(broker)).result
            assert all(isinstance(kept[k]["Data"], str) and len(kept[k]["Data"]) > 100 for k in media_keys)


def test_citizen_before_any_upload_and_after_abort(broker, api):
    token = api.register()
    ids = {"OrderId": order_of(token), "FlowId": broker.flow_id}
    sig = api.call("GetCitizenSignatureData", ids, headers=bearer(broker)).result["Signature"]
    assert sig == {"InsertDateTime": None, "Data": None, "IsActive": True}
    auth = api.call("GetCitizenKYCStatus", ids, headers=bearer(broker)).result["AuthResult"]
    assert auth["KYCStatus"] == 0 and auth["KYCRequestStatus"] == KYCRequestStatus.WaitForData
    api.call("AbortToken", {"tokenValue": token})
    auth = api.call("GetCitizenKYCStatus", ids, headers=bearer(broker)).result["AuthResult"]
    assert (auth["KYCStatus"], auth["KYCRequestStatus"], auth["ErrorCode"]) == (3, 15, [600])
    assert auth["ErrorMessage"][0].endswith("-600")


def test_citizen_lookup_failures(broker, api):
    token = api.register()
    order = order_of(token)
    for ids in ({"OrderId": "no-such-order", "FlowId": broker.flow_id},
                {"OrderId": order, "FlowId": "ABC-x-00000000-0000"},
                {"OrderId": order, "FlowId": broker.flow_id, "NationalCode": NC2}):
        r = api.call("GetCitizenKYCStatus", ids, headers=bearer(broker))
        assert r.code == 1 and r.error == 1211 and r.json["Exception"]["TechnicalMessage"] == \
            "Token or caller code not exists!"
    ok = api.call("GetCitizenKYCStatus", {"OrderId": order, "FlowId": broker.flow_id, "NationalCode": NC},
                  headers=bearer(broker))
    assert ok.code == 0
    assert api.call("GetCitizenKYCStatus", {"FlowId": broker.flow_id}, headers=bearer(broker)).error == 1101


def test_bearer_rules(broker, api):
    token = api.register()
    ids = {"OrderId": order_of(token), "FlowId": broker.flow_id}
    missing = api.call("GetCitizenKYCStatus", ids)
    assert missing.status == 401 and missing.code == 401 and missing.error == 2001
    once = bearer(broker)
    assert api.call("GetCitizenKYCStatus", ids, headers=once).code == 0
    reused = api.call("GetCitizenKYCStatus", ids, headers=once)
    assert reused.status == 401 and reused.error == 2001
    assert api.call("GetCitizenKYCStatus", ids, headers=bearer(broker, scope="0100000")).error == 2002
    assert api.call("GetCitizenKYCStatus", ids, headers=bearer(broker, scope="")).error == 2003
    old = bearer(broker, now=time.time() - 3600)
    assert api.call("GetCitizenKYCStatus", ids, headers=old).error == 2001
    other_key = (broker.credentials_dir / "broker_private.pem").read_bytes()  # not the provider's key
    forged = {"Authorization": "Bearer " + tokens.build_bearer(broker.flow_id, other_key, "0300000")}
    assert api.call("GetCitizenKYCStatus", ids, headers=forged).error == 2001


def test_bad_signature_fault_is_caught_by_verification(broker, api):
    token = api.register()
    ids = {"OrderId": order_of(token), "FlowId": broker.flow_id}
    broker.set_faults({"bad_signature": True, "times": 1})
    r = api.call("GetCitizenKYCStatus", ids, headers=bearer(broker))
    with pytest.raises(tokens.TokenError):
        tokens.verify_result_signature(r.raw_result(), r.json["DataToSign"], r.json["E_Signature"],
                                       broker.credentials.broker_public_pem)
    r2 = api.call("GetCitizenKYCStatus", ids, headers=bearer(broker))
    tokens.verify_result_signature(r2.raw_result(), r2.json["DataToSign"], r2.json["E_Signature"],
                                   broker.credentials.broker_public_pem)


def test_logs_hold_no_personal_data(broker, api, caplog):
    caplog.set_level("DEBUG", logger="kiosk.sandbox")
    token = api.register(order_id="order-private-77")
    api.call("SendProbImageByToken", {"tokenValue": token, "fileData": file_data(face_jpeg(), "P.jpg")})
    api.call("GetCitizenKYCStatus", {"OrderId": "order-private-77", "FlowId": broker.flow_id}, headers=bearer(broker))
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "SetToken" in text and "SendProbImageByToken" in text and "ms)" in text
    for secret in (token, NC, "09123456789", "order-private-77", broker.token_secret, token[:20]):
        assert secret not in text


def test_endpoint_overrides_apply_to_the_sandbox(make_broker):
    s = Settings({"broker.endpoints": {"CheckToken": "/api/Inquiry/IsTokenValid"}})
    b = make_broker(settings=s)
    assert b.paths["CheckToken"] == "/api/Inquiry/IsTokenValid"
    with Api(b) as api:
        token = api.register()
        assert api.call("CheckToken", {"tokenValue": token}).code == 0
        old = api.http.post("/api/Inquiry/CheckToken", json={"tokenValue": token})
        assert old.status_code == 404 and old.json()["Exception"]["ErrorCode"] == 3


def test_unique_ids_and_order_ids_are_kept_apart(broker, api):
    t1, t2 = api.register(), api.register()
    assert order_of(t1) != order_of(t2)
    api.call("AbortToken", {"tokenValue": t1})
    assert broker.token_state(t2) == KYCRequestStatus.WaitForData
    assert broker.token_state(order_of(t1)) == KYCRequestStatus.UserAborted
    assert broker.token_state(uuid.uuid4().hex) is None


def test_save_signature_success_and_format(broker, api):
    token = api.register()
    ok = api.call("SaveSignature", {"tokenValue": token, "fileData": file_data(signature_png(), "Signature.png")})
    assert ok.code == 0 and re.match(r"Signature inserted into DB successfully with ID: [0-9a-f-]{36}$", ok.result)
    jpeg = api.call("SaveSignature", {"tokenValue": token, "fileData": file_data(face_jpeg(), "Signature.png")})
    assert jpeg.code == 1 and jpeg.error == 1101
    assert api.call("SaveSignature", {"tokenValue": token}).error == 1101
