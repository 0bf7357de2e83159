"""Typed results: tolerant parsing, and every sample answer of the broker's document."""
import json
from pathlib import Path

import pytest

from kiosk.broker.codes import (AuthenticationStatus, KYCRequestStatus, KYCStatus, LivenessResult,
                                VerificationStatus)
from kiosk.broker.envelope import check_envelope, parse_envelope
from kiosk.broker.errors import BrokerRefused, ProtocolError
from kiosk.broker.models import (AuthenticationOutcome, CitizenData, CitizenKYCStatus, ProviderProperties,
                                 SavedItem, SelfiePicture, SignatureData, SpeechData, TempToken, TokenStatus,
                                 VerifyResult, VideoData, text_list)

SAMPLES = Path(__file__).parents[1] / "fixtures" / "broker_samples"


def sample(name):
    return (SAMPLES / name).read_bytes()


def env_of(name, **kw):
    return check_envelope(parse_envelope(sample(name)), **kw)


def test_all_samples_present_and_json():
    files = sorted(SAMPLES.glob("*.json"))
    assert len(files) >= 30
    for f in files:
        json.loads(f.read_text("utf-8"))


@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLES.glob("*_failure.json")))
def test_every_failure_sample_is_a_typed_refusal(name):
    with pytest.raises(BrokerRefused) as info:
        env_of(name)
    e = info.value
    assert e.sentence("fa") and e.sentence("en")
    assert e.broker_message  # the broker's own words are kept


def test_failure_sample_codes():
    expected = {"m03_set_token_failure.json": 1213, "m04_check_token_failure.json": 1211,
                "m05_provider_properties_failure.json": 1202, "m09_send_video_failure.json": 1209,
                "m12_person_document_failure.json": 1901, "m13_verify_token_failure.json": 1212,
                "m02_generate_temp_token_failure.json": 0, "m11_admittance_video_failure.json": None}
    for name, code in expected.items():
        with pytest.raises(BrokerRefused) as info:
            env_of(name)
        assert info.value.code == code, name


def test_temp_token_sample_has_no_envelope_but_its_result_parses():
    with pytest.raises(ProtocolError):
        parse_envelope(sample("m02_generate_temp_token_success.json"))
    t = TempToken.from_result(json.loads(sample("m02_generate_temp_token_success.json"))["Result"])
    assert t.token_value.startswith("eyJ") and t.token_signature is None
    assert "eyJ" not in repr(t)


def test_check_token_sample():
    s = TokenStatus.from_envelope(env_of("m04_check_token_success.json"))
    assert s.valid and s.valid_until == "24/2/1402 - 2:32:35"


def test_provider_properties_sample():
    p = ProviderProperties.from_result(env_of("m05_provider_properties_success.json").result)
    assert p.caller_code == "XXX-x-00000000-0000"
    assert (p.selfie_try_count, p.video_try_count) == (3, 3)
    assert p.selfie_permission and p.signature_permission and p.video_permission and p.video_liveness_permission
    assert not p.admittance_permission and not p.speech_permission
    assert p.person_document_type_permission is None and p.document_types == []
    assert p.provider_language == 1 and p.inquiry_customer_type == 9


def test_provider_properties_tolerance():
    p = ProviderProperties.from_result({"callerCode": "A", "personDocumentTypePermission": [101, 102],
                                        "selfieTryCount": 2, "Unknown": {"x": 1}})
    assert p.caller_code == "A" and p.document_types == [101, 102] and p.selfie_try_count == 2
    assert not p.video_permission and p.provider_language is None
    assert ProviderProperties.from_result({"PersonDocumentTypePermission": "101,102"}).document_types == [101, 102]
    for bad in ({"SelfiePermission": "yes"}, {"SelfieTryCount": "3"}, {"SelfieTryCount": -1},
                {"PersonDocumentTypePermission": {"a": 1}}, {"PersonDocumentTypePermission": ["x"]}):
        with pytest.raises(ProtocolError) as info:
            ProviderProperties.from_result(bad)
        assert list(bad)[0] in str(info.value)
    with pytest.raises(ProtocolError):
        ProviderProperties.from_result([1, 2])


def test_saved_items():
    s = SavedItem.from_envelope(env_of("m06_save_signature_success.json"))
    assert s.record_id == "f5261b8a-20f2-ed11-9dc0-005056b0b706"
    d = SavedItem.from_envelope(env_of("m12_person_document_success.json"))
    assert d.record_id == "f5261b8a-20f2-ed11-9dc0-005056b0b706" and "Document" in d.message


def test_text_samples():
    assert text_list(env_of("m08_random_text_success.json").result) == ["بوق ماشین ما خراب شده است"]
    assert "اساسنامه" in text_list(env_of("m10_admittance_text_success.json").result)[0]
    for bad in ([], [""], [1], {"a": 1}, None):
        with pytest.raises(ProtocolError):
            text_list(bad)


@pytest.mark.parametrize("name", ["m09_send_video_success.json", "m11_admittance_video_success.json"])
def test_video_outcome_samples(name):
    o = AuthenticationOutcome.from_envelope(env_of(name, failed_is_result=True))
    assert o.passed and o.status is AuthenticationStatus.AuthenticationSuccess
    assert "matched" in o.message and o.failure is None


def test_failed_upload_outcome_is_not_passed():
    env = check_envelope(parse_envelope(json.dumps({
        "RespnsCode": 2, "Result": None,
        "FailureResult": {"AuthenticationStatus": 2, "AuthenticationResult": "spoof"}}).encode()),
        failed_is_result=True)
    o = AuthenticationOutcome.from_envelope(env)
    assert not o.passed and o.status is AuthenticationStatus.LivenessFailed and o.message == "spoof"
    # success code but a non-success status is still not passed
    env = parse_envelope(b'{"ResponseCode": 0, "Result": {"AuthenticationStatus": 3}}')
    assert not AuthenticationOutcome.from_envelope(env).passed
    # an unknown status from a newer broker is kept as a number and not passed
    env = parse_envelope(b'{"ResponseCode": 0, "Result": {"AuthenticationStatus": 42}}')
    o = AuthenticationOutcome.from_envelope(env)
    assert o.status == 42 and not o.passed
    # success without a Result cannot be a pass
    with pytest.raises(ProtocolError):
        AuthenticationOutcome.from_envelope(parse_envelope(b'{"ResponseCode": 0}'))
    with pytest.raises(ProtocolError):
        AuthenticationOutcome.from_envelope(parse_envelope(b'{"ResponseCode": 0, "Result": {"AuthenticationStatus": "1"}}'))


def test_verify_samples():
    ok = VerifyResult.from_envelope(env_of("m13_verify_token_success.json", failed_is_result=True))
    assert ok.verified and ok.complete
    nc = VerifyResult.from_envelope(env_of("m13_verify_token_not_complete.json", failed_is_result=True))
    assert not nc.verified and nc.response_code == 2 and "کامل" in nc.message


def test_abort_sample():
    assert "لغو" in env_of("m14_abort_token_success.json").message


def test_kyc_status_sample():
    k = CitizenKYCStatus.from_result(env_of("m15_kyc_status_success.json").result)
    assert k.kyc_status is KYCStatus.Reject and k.kyc_request_status is KYCRequestStatus.UserAborted
    assert k.error_codes == [600] and "600" in k.error_messages[0] and k.order_id == "11111111"
    assert "111111111" not in repr(k)  # the national code stays out of logs


def test_signature_sample():
    s = SignatureData.from_result(env_of("m16_signature_data_success.json").result)
    assert s.data is None and s.is_active is False and s.image_bytes() is None


def test_selfie_and_video_samples():
    s = SelfiePicture.from_result(env_of("m17_selfie_data_success.json").result)
    assert s.face_verification_score == 63.0 and s.average_sharpness == 278.0 and s.average_illumination == 0.56
    assert s.verification_status is VerificationStatus.Matched and s.liveness_result is LivenessResult.NotRequested
    assert s.face_liveness_score is None and s.average_yaw == pytest.approx(7.96458054) and s.matched
    assert s.data.startswith("/9j/") and "/9j/" not in repr(s)
    v = VideoData.from_result(env_of("m18_video_data_success.json").result)
    assert v.face_verification_lower_threshold is None and v.face_liveness_score == pytest.approx(0.9536666)
    assert v.verification_status is VerificationStatus.NotMatched and v.liveness_result is LivenessResult.FaceIsReal
    assert not v.matched and v.data.startswith("GkXf")
    with pytest.raises(ProtocolError):  # the sample's base64 is elided with "...": not decodable
        v.media_bytes()
    with pytest.raises(ProtocolError):
        VideoData.from_result(env_of("m17_selfie_data_success.json").result)


def test_speech_sample():
    s = SpeechData.from_result(env_of("m19_speech_data_success.json").result)
    assert s.speech_verification_score == 61.22 and s.speech_verification_threshold == 50.0
    assert s.challenged_text == "این کشاورز وانت دارد" and s.data.startswith("UklGR")


def test_citizen_data_sample():
    c = CitizenData.from_result(env_of("m20_citizen_data_success.json").result)
    assert c.auth_result.kyc_status is KYCStatus.Reject and c.selfie.face_verification_score == 63.0
    assert c.selfie.data is None and c.video is None and c.speech is None and c.signature is None


def test_wrong_types_name_the_field():
    with pytest.raises(ProtocolError) as info:
        SelfiePicture.from_result({"SelfiePicture": {"AverageSharpness": "high"}})
    assert "AverageSharpness" in str(info.value)
    with pytest.raises(ProtocolError):
        CitizenKYCStatus.from_result({"AuthResult": {"ErrorCode": ["x"]}})
    with pytest.raises(ProtocolError):
        CitizenKYCStatus.from_result({"CallerCode": "A"})
    with pytest.raises(ProtocolError):
        SignatureData.from_result({"Signature": {"IsActive": 1}})
    with pytest.raises(ProtocolError):
        SpeechData.from_result({"Speech": "x"})
