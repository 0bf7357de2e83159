"""The sandbox broker's media checks, over a real socket: faces found for real with mediapipe,
WebM tracks read with PyAV, formats judged from the bytes, deterministic scores."""
from __future__ import annotations

import base64

import pytest

from kiosk.sandbox import media as mediamod
from kiosk.sandbox.config import SandboxConfig
from sandbox_fakes import (NC, Api, bearer, face_jpeg, file_data, no_face_jpeg, other_face_jpeg, signature_png,
                           two_faces_jpeg, webm)


def selfie(api, token, content, threshold=-1):
    return api.call("SendProbImageByToken", {"tokenValue": token, "faceThreshold": threshold,
                                             "fileData": file_data(content, "ProbImage.jpg")})


def video(api, token, content, text="بوق ماشین ما خراب شده است", method="SendProbVideoByToken"):
    return api.call(method, {"tokenValue": token, "randomText": text, "faceThreshold": -1, "voiceThreshold": -1,
                             "fileData": file_data(content, "ProbVideo.webm")})


def citizen(api, token, method, key):
    from kiosk.broker import tokens

    order = tokens.unverified_claims(token)["orderId"]
    r = api.call(method, {"OrderId": order, "FlowId": api.broker.flow_id}, headers=bearer(api.broker))
    assert r.code == 0, r.text
    return r.result[key]


# ----------------------------------------------------------------------------- selfie

def test_selfie_with_one_face_passes(api):
    token = api.register()
    r = selfie(api, token, face_jpeg())
    assert r.code == 0 and r.failure is None
    assert r.result["AuthenticationStatus"] == 1 and "matched" in r.result["AuthenticationResult"]
    fields = citizen(api, token, "GetCitizenSelfieData", "SelfiePicture")
    assert fields["VerificationStatus"] == 1 and fields["LivenessResult"] == 4
    assert 60 <= fields["FaceVerificationScore"] <= 95 and 0.8 <= fields["FaceLivenessScore"] <= 1
    assert fields["AverageSharpness"] > 40 and 0.2 < fields["AverageIllumination"] < 0.9
    assert abs(fields["AverageRoll"]) < 20 and abs(fields["AverageYaw"]) < 30


def test_selfie_without_face_is_a_failure_result(api):
    token = api.register()
    r = selfie(api, token, no_face_jpeg())
    assert r.code == 2 and r.result is None and r.error is None
    assert r.failure["AuthenticationStatus"] == 4 and "no face" in r.failure["AuthenticationResult"]
    assert citizen(api, token, "GetCitizenSelfieData", "SelfiePicture")["Data"] is None  # nothing approved


def test_selfie_with_two_faces_is_refused(api):
    token = api.register()
    r = selfie(api, token, two_faces_jpeg())
    assert r.code == 2 and r.failure["AuthenticationStatus"] == 2
    assert "more than one face" in r.failure["AuthenticationResult"]


def test_selfie_format_is_judged_from_bytes(api):
    token = api.register()
    png_named_jpg = selfie(api, token, signature_png())
    assert png_named_jpg.code == 1 and png_named_jpg.error == 1101
    broken = selfie(api, token, face_jpeg()[:200])
    assert broken.error == 1101
    not_b64 = api.call("SendProbImageByToken", {"tokenValue": token, "fileData": {"name": "FileData",
                                                "fileName": "P.jpg", "content": "%%%not base64%%%"}})
    assert not_b64.error == 1101
    assert api.call("SendProbImageByToken", {"tokenValue": token}).error == 1101


def test_file_data_shapes_are_tolerated_when_lenient(make_broker):
    with Api(make_broker(SandboxConfig(strict=False))) as api:
        token = api.register()
        b64 = base64.b64encode(face_jpeg()).decode()
        urlsafe = base64.urlsafe_b64encode(face_jpeg()).decode().rstrip("=")
        for fd in ({"Name": "FileData", "FileName": "ProbImage.jpg", "Content": b64},
                   {"fileName": "x.bin", "content": "data:image/jpeg;base64," + b64},
                   {"content": "\n".join(urlsafe[i:i + 76] for i in range(0, len(urlsafe), 76))},
                   b64):
            r = api.call("SendProbImageByToken", {"tokenValue": token, "fileData": fd})
            assert r.code == 0, r.text


def test_file_data_strict_takes_the_originals_shape_only(api):
    token = api.register()
    b64 = base64.b64encode(face_jpeg()).decode()
    wrapped = "\r\n".join(b64[i:i + 76] for i in range(0, len(b64), 76))  # .NET reads line breaks
    for fd in ({"Name": "FileData", "FileName": "ProbImage.jpg", "Content": b64},
               {"name": "FileData", "fileName": "ProbImage.jpg", "content": wrapped}):
        assert api.call("SendProbImageByToken", {"tokenValue": token, "fileData": fd}).code == 0
    urlsafe = base64.urlsafe_b64encode(face_jpeg()).decode()
    for fd in ({"name": "FileData", "fileName": "x.jpg", "content": "data:image/jpeg;base64," + b64},
               {"name": "FileData", "fileName": "x.jpg", "content": urlsafe.rstrip("=")},
               {"name": "FileData", "fileName": "x.jpg", "content": b64.rstrip("=")} if b64.endswith("=") else b64,
               b64):
        r = api.call("SendProbImageByToken", {"tokenValue": token, "fileData": fd})
        assert r.error == 1101, r.text


def test_mismatch_and_spoof_rules(make_broker):
    b = make_broker(SandboxConfig(mismatch_national_codes={NC}))
    with Api(b) as api:
        r = selfie(api, api.register(), face_jpeg())
        assert r.code == 2 and r.failure["AuthenticationStatus"] == 3
    b2 = make_broker(SandboxConfig(spoof_national_codes={NC}))
    with Api(b2) as api:
        r = selfie(api, api.register(), face_jpeg())
        assert r.code == 2 and r.failure["AuthenticationStatus"] == 2 and "spoof" in r.failure["AuthenticationResult"]


def test_scores_are_deterministic(make_broker):
    a, b = make_broker(), make_broker()
    results = []
    for br in (a, b):
        with Api(br) as api:
            t1, t2 = api.register(), api.register()
            selfie(api, t1, face_jpeg())
            selfie(api, t2, other_face_jpeg())
            results.append((citizen(api, t1, "GetCitizenSelfieData", "SelfiePicture"),
                            citizen(api, t2, "GetCitizenSelfieData", "SelfiePicture")))
    drop = ("InsertDateTime",)
    same = [{k: v for k, v in f.items() if k not in drop} for f in results[0]]
    again = [{k: v for k, v in f.items() if k not in drop} for f in results[1]]
    assert same == again
    astro, camera = same
    assert astro["FaceVerificationScore"] != camera["FaceVerificationScore"]
    assert astro["AverageIllumination"] != camera["AverageIllumination"]


def test_threshold_from_the_request(api):
    token = api.register()
    assert selfie(api, token, face_jpeg(), threshold=99.5).failure["AuthenticationStatus"] == 3
    assert selfie(api, token, face_jpeg(), threshold=10).code == 0
    assert selfie(api, token, face_jpeg(), threshold="abc").error == 1101


# ----------------------------------------------------------------------------- video

def test_good_webm_with_audio_is_accepted(api):
    token = api.register()
    r = video(api, token, webm())
    assert r.code == 0 and r.result["AuthenticationStatus"] == 1, r.text
    v = citizen(api, token, "GetCitizenVideoData", "Video")
    assert base64.b64decode(v["Data"])[:4] == mediamod.EBML_MAGIC and v["VerificationStatus"] == 1


def test_webm_without_audio_is_a_speech_error(api):
    token = api.register()
    r = video(api, token, webm(audio=None))
    assert r.code == 1 and r.error == 1605


def test_webm_with_silence_is_speech_not_matched(api):
    token = api.register()
    r = video(api, token, webm(audio="silent"))
    assert r.code == 2 and r.failure["AuthenticationStatus"] == 6


def test_video_without_face(api):
    token = api.register()
    r = video(api, token, webm(picture="none"))
    assert r.code == 2 and r.failure["AuthenticationStatus"] == 4


@pytest.mark.parametrize("content", [b"RIFF\x00\x00\x00\x00WAVEfmt ", mediamod.EBML_MAGIC + b"\x00" * 64,
                                     b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 32])
def test_not_webm_is_a_video_error(api, content):
    token = api.register()
    r = video(api, token, content)
    assert r.code == 1 and r.error == 1604


def test_random_text_is_required_for_the_selfie_video(api):
    token = api.register()
    assert video(api, token, webm(), text="").error == 1606
    adm = video(api, token, webm(), text="", method="SendAdmittanceVideoByToken")
    assert adm.code == 0


def test_media_unit_parse_and_speech():
    fd = mediamod.parse_file_data({"NAME": "FileData", "FILENAME": "a.png", "DATA": base64.b64encode(b"abc").decode()})
    assert fd.content == b"abc" and fd.file_name == "a.png"
    with pytest.raises(mediamod.MediaError) as e:
        mediamod.parse_file_data({"content": ""})
    assert e.value.code == 1101
    wav, seconds, peak = mediamod.extract_speech(webm())
    assert wav[:4] == b"RIFF" and 0.8 < seconds < 1.3 and -20 < peak < 0
    _, _, quiet = mediamod.extract_speech(webm(audio="silent"))
    assert quiet < -60
