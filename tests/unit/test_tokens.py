"""Tokens, provider signatures, the dual-auth bearer and signed answers (kiosk.broker.tokens)."""
import base64
import json
import time

import jwt
import pytest

from kiosk.broker import tokens as t

FLOW = "ABC-x-00000000-0000"
SECRET = "s" * 32


@pytest.fixture(scope="module")
def keys():
    priv, pub = t.generate_rsa_keypair(2048)
    other_priv, other_pub = t.generate_rsa_keypair(2048)
    return priv, pub, other_priv, other_pub


def claims(**kw):
    base = dict(flow_id=FLOW, order_id="42", national_code="0012345679", birth_date="1376/11/13",
                mobile_number="09123456789", card_serial_no="1A23456789", first_name="علی", last_name="رضایی")
    base.update(kw)
    return t.build_verification_claims(**base)


def test_claims_have_the_sample_names_and_lifetime():
    c = claims(lifetime=600, now=1_700_000_000)
    assert set(c) == set(t.CLAIM_ORDER)
    assert c["CallerCode"] == FLOW and c["orderId"] == "42" and c["exp"] - c["iat"] == 600
    assert c["customValue"] is None and c["callbackType"] == 0 and isinstance(c["gender"], int)


def test_jwt_round_trip_both_ways():
    c = claims()
    token = t.encode_verification_token(c, SECRET)
    header = jwt.get_unverified_header(token)
    assert header["alg"] == "HS256" and header["typ"] == "JWT"
    assert t.decode_verification_token(token, SECRET) == c
    # a token made by another JWT library (here PyJWT directly, as the broker would) decodes too
    foreign = jwt.encode(c, SECRET, algorithm="HS256")
    assert t.decode_verification_token(foreign, SECRET)["firstName"] == "علی"
    assert t.unverified_claims(token)["nationalCode"] == "0012345679"


def test_jwt_wrong_secret_tampered_and_expired():
    token = t.encode_verification_token(claims(), SECRET)
    with pytest.raises(t.TokenError) as info:
        t.decode_verification_token(token, "x" * 32)
    assert info.value.code == 1211
    head, body, sig = token.split(".")
    payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    payload["nationalCode"] = "0000000000"
    forged = head + "." + base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode() + "." + sig
    with pytest.raises(t.TokenError):
        t.decode_verification_token(forged, SECRET)
    old = t.encode_verification_token(claims(now=time.time() - 4000, lifetime=600), SECRET)
    with pytest.raises(t.TokenError) as info:
        t.decode_verification_token(old, SECRET)
    assert info.value.code == 1209
    assert t.decode_verification_token(old, SECRET, verify_exp=False)["orderId"] == "42"
    with pytest.raises(t.TokenError):
        t.encode_verification_token(claims(), "")


def test_jwt_clock_skew_is_tolerated_both_ways():
    """Regression: PyJWT checked iat against the real clock with no leeway, so a kiosk clock a
    few seconds ahead of the broker's made every token 'not yet valid'."""
    ahead = t.encode_verification_token(claims(now=time.time() + 20), SECRET)
    assert t.decode_verification_token(ahead, SECRET)["orderId"] == "42"
    future = t.encode_verification_token(claims(now=time.time() + 3600), SECRET)
    with pytest.raises(t.TokenError):
        t.decode_verification_token(future, SECRET)
    # an explicit ``now`` is honoured for iat too
    assert t.decode_verification_token(future, SECRET, now=time.time() + 3600)["orderId"] == "42"


def test_token_signature_good_and_tampered(keys):
    priv, pub, _, other_pub = keys
    token = t.encode_verification_token(claims(), SECRET)
    sig = t.sign_token(token, priv)
    assert sig == base64.b64encode(base64.b64decode(sig, validate=True)).decode()  # standard Base64, padded
    t.verify_token_signature(token, sig, pub)
    url = base64.urlsafe_b64encode(base64.b64decode(sig)).decode().rstrip("=")
    t.verify_token_signature(token, url, pub, strict=False)  # the lenient sandbox reads either
    raw = bytearray(base64.b64decode(sig))
    raw[10] ^= 0x01
    bad = base64.b64encode(bytes(raw)).decode()
    for token_, sig_, key in ((token, bad, pub), (token[:-1] + ("A" if token[-1] != "A" else "B"), sig, pub),
                              (token, sig, other_pub), (token, "", pub), (token, "not base64!!", pub)):
        with pytest.raises(t.TokenError) as info:
            t.verify_token_signature(token_, sig_, key)
        assert info.value.code == 1213


def test_signature_encodings_are_strict(keys):
    """The original's broker reads exactly one flavour: standard Base64 with its padding (the
    POST body's "Base64 string of signature"); base64url only when the profile says so."""
    priv, pub, _, _ = keys
    token = t.encode_verification_token(claims(), SECRET)
    raw = None
    for _ in range(20):  # a signature whose Base64 holds + or / (so the flavours differ)
        raw = base64.b64decode(t.sign_token(token, priv))
        if any(c in base64.b64encode(raw).decode() for c in "+/"):
            break
        token = t.encode_verification_token(claims(), SECRET)
    std = base64.b64encode(raw).decode()
    url = base64.urlsafe_b64encode(raw).decode()
    t.verify_token_signature(token, std, pub)
    for wrong in (url, url.rstrip("="), std.rstrip("="), std.replace("+", " "), " " + std):
        if wrong == std:
            continue
        with pytest.raises(t.TokenError):
            t.verify_token_signature(token, wrong, pub)
    as_url = t.TokenAlgorithms(signature_encoding="base64url")
    assert t.sign_token(token, priv, as_url) == url.rstrip("=")
    t.verify_token_signature(token, url.rstrip("="), pub, as_url)
    with pytest.raises(t.TokenError):
        t.verify_token_signature(token, std, pub, as_url)


def test_new_order_ids_fit_their_format():
    ids = {t.new_order_id("digits") for _ in range(200)}
    assert len(ids) == 200 and all(i.isdigit() and len(i) == 18 and int(i) < 2 ** 63 for i in ids)
    assert all(t.order_id_fits(i, "digits") for i in ids)
    assert not t.order_id_fits("KSK12", "digits") and t.order_id_fits("KSK12", "alphanumeric")
    assert t.new_order_id("alphanumeric").startswith("KSK")


def test_bearer_good_and_bad(keys):
    priv, pub, other_priv, _ = keys
    seen = set()
    b = t.build_bearer(FLOW, priv, "0300000")
    c = t.verify_bearer(b, pub, flow_id=FLOW, scope="0300000", seen_jti=seen)
    assert c["iss"] == FLOW and c["exp"] - c["iat"] <= 300 and len(c["jti"]) >= 16
    with pytest.raises(t.TokenError) as info:  # one-time jti
        t.verify_bearer(b, pub, flow_id=FLOW, scope="0300000", seen_jti=seen)
    assert info.value.code == 2001
    assert t.build_bearer(FLOW, priv, "0300000") != b  # a fresh jti each time
    cases = [
        (t.build_bearer(FLOW, other_priv, "0300000"), FLOW, "0300000", 2001),
        (t.build_bearer(FLOW, priv, ""), FLOW, "", 2003),
        (t.build_bearer("OTHER", priv, "0300000"), FLOW, "0300000", 2002),
        (t.build_bearer(FLOW, priv, "0100000"), FLOW, "0300000", 2002),
        (t.build_bearer(FLOW, priv, "0300000", now=time.time() - 1000), FLOW, "0300000", 2001),
        (t.build_bearer(FLOW, priv, "0300000", now=time.time() + 1000), FLOW, "0300000", 2001),
    ]
    for token, flow, scope, code in cases:
        with pytest.raises(t.TokenError) as info:
            t.verify_bearer(token, pub, flow_id=flow, scope=scope)
        assert info.value.code == code
    # a few seconds of clock difference is fine
    t.verify_bearer(t.build_bearer(FLOW, priv, "0300000", now=time.time() + 20), pub, flow_id=FLOW, scope="0300000")
    with pytest.raises(t.TokenError):
        t.build_bearer("", priv, "0300000")


def test_bearer_lifetime_capped_at_five_minutes(keys):
    priv, pub, _, _ = keys
    alg = t.TokenAlgorithms(bearer_lifetime=3600)
    c = jwt.decode(t.build_bearer(FLOW, priv, "0300000", alg), options={"verify_signature": False})
    assert c["exp"] - c["iat"] == 300


def test_signed_answer_good_and_tampered(keys):
    priv, pub, other_priv, _ = keys
    result = '{"CallerCode": "X", "OrderId": "1", "Speech": {"ChallengedText": "این کشاورز وانت دارد", "S": 61.22}}'
    dts, esig = t.sign_result(result, priv)
    assert len(dts) == 28  # base64 of a SHA-1 digest, as in the samples
    t.verify_result_signature(result, dts, esig, pub)
    # the same data re-serialised differently is NOT what was signed
    reserialised = json.dumps(json.loads(result), ensure_ascii=False, separators=(",", ":"))
    with pytest.raises(t.TokenError):
        t.verify_result_signature(reserialised, dts, esig, pub)
    tampered = result.replace("61.22", "91.22")
    with pytest.raises(t.TokenError):
        t.verify_result_signature(tampered, dts, esig, pub)
    raw = bytearray(base64.b64decode(esig))
    raw[5] ^= 0x80
    with pytest.raises(t.TokenError):
        t.verify_result_signature(result, dts, base64.b64encode(bytes(raw)).decode(), pub)
    # DataToSign recomputed for a tampered Result, but signed with another key
    dts2, esig2 = t.sign_result(tampered, other_priv)
    with pytest.raises(t.TokenError):
        t.verify_result_signature(tampered, dts2, esig2, pub)
    for missing in ((None, esig), (dts, None), (dts, "")):
        with pytest.raises(t.TokenError):
            t.verify_result_signature(result, *missing, pub)


def test_signed_answer_with_a_1024_bit_broker_key():
    priv, pub = t.generate_rsa_keypair(1024)
    dts, esig = t.sign_result("null", priv)
    assert len(esig) == 172  # the samples' E_Signature length
    t.verify_result_signature("null", dts, esig, pub)


def test_settings_choose_the_hashes(keys):
    priv, pub, _, _ = keys
    alg = t.TokenAlgorithms(result_digest="SHA256", result_signature_hash="SHA1")
    dts, esig = t.sign_result("{}", priv, alg)
    assert len(dts) == 44
    t.verify_result_signature("{}", dts, esig, pub, alg)
    with pytest.raises(t.TokenError):
        t.verify_result_signature("{}", dts, esig, pub)


def test_key_helpers(keys):
    priv, pub, other_priv, other_pub = keys
    assert t.keys_match(priv, pub) and not t.keys_match(priv, other_pub)
    with pytest.raises(t.TokenError):
        t.load_private_key(b"not a key")
    with pytest.raises(t.TokenError):
        t.load_public_key("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")
    assert t.load_public_key(t.load_private_key(priv)).public_numbers() == t.load_public_key(pub).public_numbers()
