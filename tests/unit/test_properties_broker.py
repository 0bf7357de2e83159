"""Property tests: whatever bytes or JSON the broker (or an attacker on the wire) sends, the
envelope and result parsers give a result or a typed ``BrokerError``, never anything else; and
random tokens, signatures and keys give ``TokenError``, never anything else."""
from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from kiosk.broker import models, tokens
from kiosk.broker.envelope import check_envelope, parse_envelope, raw_top_level_values
from kiosk.broker.errors import BrokerError

FAST = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_leaf = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=20))
json_value = st.recursive(json_leaf, lambda kids: st.one_of(st.lists(kids, max_size=4),
                                                            st.dictionaries(st.text(max_size=12), kids, max_size=4)),
                          max_leaves=15)
KEYS = ["ResponseCode", "RespnsCode", "RespenseCode", "ResponseMessage", "Result", "FailureResult", "Exception",
        "ErrorCode", "ErrorMessage", "DataToSign", "E_Signature", "AuthenticationStatus", "AuthenticationResult",
        "SelfiePermission", "PersonDocumentTypePermission", "VideoTryCount", "TokenStatus", "RecordId", "Data"]
envelope_like = st.dictionaries(st.sampled_from(KEYS), st.one_of(json_value, st.dictionaries(
    st.sampled_from(KEYS), json_value, max_size=5)), max_size=7)

MODELS_FROM_RESULT = [models.TempToken, models.ProviderProperties, models.CitizenKYCStatus, models.SignatureData,
                      models.SelfiePicture, models.VideoData, models.SpeechData, models.CitizenData]
MODELS_FROM_ENV = [models.AuthenticationOutcome, models.SavedItem, models.TokenStatus, models.VerifyResult]


def _parse_all(body, status=200, ctype="application/json"):
    try:
        env = parse_envelope(body, http_status=status, content_type=ctype)
    except BrokerError:
        return None
    for failed in (False, True):
        try:
            env2 = check_envelope(env, failed_is_result=failed, method="X")
        except BrokerError:
            continue
        for cls in MODELS_FROM_ENV:
            try:
                cls.from_envelope(env2)
            except BrokerError:
                pass
    for cls in MODELS_FROM_RESULT:
        try:
            cls.from_result(env.result)
        except BrokerError:
            pass
    try:
        models.text_list(env.result)
    except BrokerError:
        pass
    return env


@FAST
@given(st.binary(max_size=400), st.sampled_from([200, 400, 401, 500, 503]),
       st.sampled_from(["application/json", "text/html", "", "application/json; charset=latin-1"]))
def test_arbitrary_bytes_never_crash_the_parsers(body, status, ctype):
    _parse_all(body, status, ctype)


@FAST
@given(envelope_like, st.sampled_from([200, 400, 500]))
def test_arbitrary_envelopes_give_a_result_or_a_typed_error(data, status):
    body = json.dumps(data, ensure_ascii=bool(len(data) % 2))
    _parse_all(body.encode(), status)
    _parse_all(body[: len(body) // 2].encode(), status)  # truncated


@FAST
@given(st.text(max_size=300))
def test_raw_scanner_on_any_text(text):
    try:
        raw_top_level_values(text)
    except BrokerError:
        pass


@FAST
@given(json_value)
def test_models_from_any_result(result):
    for cls in MODELS_FROM_RESULT:
        try:
            cls.from_result(result)
        except BrokerError:
            pass


# ----------------------------------------------------------------------------- tokens

@pytest.fixture(scope="module")
def keys():
    return tokens.generate_rsa_keypair(1024)


text_or_bytes = st.one_of(st.text(max_size=200), st.binary(max_size=200).map(lambda b: b.decode("latin-1")),
                          st.from_regex(r"eyJ[A-Za-z0-9_-]{0,40}\.[A-Za-z0-9_-]{0,40}\.[A-Za-z0-9_-]{0,40}",
                                        fullmatch=True))


def _token_error_only(fn, *args, **kw):
    try:
        fn(*args, **kw)
    except tokens.TokenError:
        pass


@FAST
@given(token=text_or_bytes, secret=st.one_of(st.text(max_size=40), st.binary(max_size=40)))
def test_random_tokens_and_secrets(token, secret):
    _token_error_only(tokens.unverified_claims, token)
    _token_error_only(tokens.decode_verification_token, token, secret)


@FAST
@given(token=text_or_bytes, signature=text_or_bytes)
def test_random_signatures(keys, token, signature):
    _, public = keys
    _token_error_only(tokens.verify_token_signature, token, signature, public)
    _token_error_only(tokens.verify_result_signature, token, signature, signature, public)
    _token_error_only(tokens.verify_bearer, token, public, flow_id="KSK-d-00000001-0001", scope="x")


@FAST
@given(pem=st.one_of(st.text(max_size=300), st.binary(max_size=300),
                     st.builds(lambda b: "-----BEGIN PUBLIC KEY-----\n" + b + "\n-----END PUBLIC KEY-----",
                               st.text(alphabet="ABCDEFabcdef0123456789+/=", max_size=200))))
def test_random_keys(pem):
    _token_error_only(tokens.load_public_key, pem)
    _token_error_only(tokens.load_private_key, pem)
    _token_error_only(tokens.sign_token, "a.b.c", pem)
    _token_error_only(tokens.verify_token_signature, "a.b.c", "c2ln", pem)
