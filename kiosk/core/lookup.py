"""Look up an earlier order at the broker (methods 15 and 20), for the staff console and
``kiosk status``. No Qt here.

``lookup_order(client, order_id, national_code=None, media=False) -> LookupResult``: the KYC
status (``get_citizen_kyc_status``) and the scores (``get_citizen_data``; with ``media=True`` the
broker is asked to include the selfie, signature, video and speech). The client verifies every
answer's signature before it returns anything; a bad signature gives ``error_kind ==
"signature"`` and NO data at all: nothing from an unverified answer is ever shown.

``LookupResult.summary()`` is what may be printed or logged: scores and statuses, the national
code masked, media only as sizes.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from kiosk.broker.codes import KYCRequestStatus, KYCStatus, LivenessResult, VerificationStatus
from kiosk.broker.errors import BrokerError, SignatureInvalid
from kiosk.i18n.digits import to_ascii_digits

KYC_STATUS_TEXT = {
    KYCStatus.Draft: ("پیش‌نویس", "Draft"),
    KYCStatus.InProgress: ("در حال بررسی", "In progress"),
    KYCStatus.Approved: ("تأیید شد", "Approved"),
    KYCStatus.Reject: ("رد شد", "Rejected"),
}
VERIFICATION_TEXT = {
    VerificationStatus.NotRequested: ("درخواست نشده", "Not requested"),
    VerificationStatus.Matched: ("مطابق است", "Matched"),
    VerificationStatus.NotMatched: ("مطابق نیست", "Not matched"),
    VerificationStatus.UnknownError: ("خطای نامشخص", "Unknown error"),
    VerificationStatus.NotSure: ("نامطمئن", "Not sure"),
}
LIVENESS_TEXT = {
    LivenessResult.NotRequested: ("درخواست نشده", "Not requested"),
    LivenessResult.NotSure: ("نامطمئن", "Not sure"),
    LivenessResult.FaceNotDetected: ("چهره پیدا نشد", "Face not detected"),
    LivenessResult.FaceTooFar: ("چهره خیلی دور", "Face too far"),
    LivenessResult.FaceTooNear: ("چهره خیلی نزدیک", "Face too near"),
    LivenessResult.FaceIsReal: ("چهرهٔ واقعی", "Real face"),
    LivenessResult.FaceIsSpoof: ("جعلی", "Spoof"),
    LivenessResult.MultiFaceDetected: ("چند چهره", "Several faces"),
}
MEDIA_FILES = {"selfie": "selfie.jpg", "signature": "signature.png", "video": "video.webm", "speech": "speech.wav"}


def enum_text(table: dict, value: Any, lang: str = "fa") -> str:
    """A status in words (falls back to the number for codes a newer broker adds)."""
    if value is None:
        return "—"
    for key, (fa, en) in table.items():
        if int(key) == int(value):
            return fa if lang == "fa" else en
    return str(int(value))


def request_status_text(value: Any) -> str:
    if value is None:
        return "—"
    try:
        return KYCRequestStatus(int(value)).name
    except ValueError:
        return str(int(value))


def mask_national_code(code: str | None) -> str | None:
    if not code:
        return None
    code = str(code)
    return "*" * max(0, len(code) - 3) + code[-3:] if len(code) > 3 else "***"


def _name(value: Any) -> Any:
    if value is None:
        return None
    return getattr(value, "name", value)


def _face_summary(face) -> dict[str, Any] | None:
    if face is None:
        return None
    data = face.media_bytes() if face.data else None
    return {
        "inserted": face.insert_datetime,
        "verification_status": _name(face.verification_status),
        "face_verification_score": face.face_verification_score,
        "face_verification_threshold": face.face_verification_threshold,
        "face_verification_lower_threshold": face.face_verification_lower_threshold,
        "liveness_result": _name(face.liveness_result),
        "face_liveness_score": face.face_liveness_score,
        "average_template_quality": face.average_template_quality,
        "average_sharpness": face.average_sharpness,
        "average_illumination": face.average_illumination,
        "average_yaw": face.average_yaw, "average_pitch": face.average_pitch, "average_roll": face.average_roll,
        "is_active": face.is_active,
        "media_bytes": len(data) if data else None,
    }


@dataclass
class LookupResult:
    order_id: str
    ok: bool
    error_kind: str | None = None  # "signature", "not_found", "unauthorized", "connect", ...
    error_code: int | None = None
    error_en: str = ""
    error_fa: str = ""
    status: Any = None  # CitizenKYCStatus
    data: Any = None  # CitizenData
    media_requested: bool = False
    signature_verified: bool = False
    media: dict[str, bytes] = field(default_factory=dict, repr=False)

    def error(self, lang: str = "fa") -> str:
        return self.error_fa if lang == "fa" else self.error_en

    def summary(self) -> dict[str, Any]:
        """Printable: no full national code, no media bytes."""
        out: dict[str, Any] = {"order_id": self.order_id, "ok": self.ok, "signature_verified": self.signature_verified}
        if not self.ok:
            out["error"] = {"kind": self.error_kind, "code": self.error_code, "en": self.error_en, "fa": self.error_fa}
            return out
        st = self.status
        if st is not None:
            out["kyc_status"] = {"code": None if st.kyc_status is None else int(st.kyc_status),
                                 "name": _name(st.kyc_status), "fa": enum_text(KYC_STATUS_TEXT, st.kyc_status, "fa"),
                                 "en": enum_text(KYC_STATUS_TEXT, st.kyc_status, "en")}
            out["request_status"] = {"code": None if st.kyc_request_status is None else int(st.kyc_request_status),
                                     "name": request_status_text(st.kyc_request_status)}
            out["national_code"] = mask_national_code(st.citizen_national_code)
            out["inserted"] = st.insert_datetime
            out["responded"] = st.response_datetime
            out["errors"] = [{"code": c, "message": m} for c, m in
                             zip(st.error_codes, st.error_messages + [""] * len(st.error_codes), strict=False)]
        d = self.data
        if d is not None:
            out["selfie"] = _face_summary(d.selfie)
            out["video"] = _face_summary(d.video)
            if d.speech is not None:
                audio = d.speech.audio_bytes() if d.speech.data else None
                out["speech"] = {"inserted": d.speech.insert_datetime,
                                 "speech_verification_score": d.speech.speech_verification_score,
                                 "speech_verification_threshold": d.speech.speech_verification_threshold,
                                 "challenged_text": d.speech.challenged_text,
                                 "media_bytes": len(audio) if audio else None}
            else:
                out["speech"] = None
            if d.signature is not None:
                img = d.signature.image_bytes() if d.signature.data else None
                out["signature"] = {"inserted": d.signature.insert_datetime, "is_active": d.signature.is_active,
                                    "media_bytes": len(img) if img else None}
            else:
                out["signature"] = None
        out["media"] = {k: {"bytes": len(v), "sha256": hashlib.sha256(v).hexdigest()} for k, v in self.media.items()}
        return out


def _failure(order_id: str, exc: Exception, media: bool) -> LookupResult:
    if isinstance(exc, SignatureInvalid):
        return LookupResult(order_id, False, "signature", None,
                            "The broker's answer has an invalid signature: it was refused and nothing from it is "
                            "shown. Check broker.broker_public_key_file and tell the broker's support.",
                            "امضای پاسخ سامانهٔ احراز هویت نامعتبر است: پاسخ کنار گذاشته شد و هیچ چیز از آن نمایش داده نمی‌شود. "
                            "کلید عمومی سامانهٔ احراز هویت (broker.broker_public_key_file) را بررسی کنید و به پشتیبانی سامانهٔ احراز هویت اطلاع دهید.",
                            media_requested=media)
    if isinstance(exc, BrokerError):
        kind = "not_found" if exc.code == 1211 else exc.kind
        return LookupResult(order_id, False, kind, exc.code, exc.sentence("en"), exc.sentence("fa"),
                            media_requested=media)
    return LookupResult(order_id, False, "error", None, f"{type(exc).__name__}: {exc}",
                        "خطای نامنتظره هنگام پرسش از سامانهٔ احراز هویت.", media_requested=media)


def lookup_order(client, order_id: str, national_code: str | None = None, media: bool = False) -> LookupResult:
    """Ask the broker about ``order_id``; see the module docstring."""
    order_id = to_ascii_digits(str(order_id).strip())  # read off a Persian screen or typed in Persian
    national_code = to_ascii_digits(national_code.strip()) if national_code else None
    try:
        status = client.get_citizen_kyc_status(order_id, national_code or None)
        data = client.get_citizen_data(order_id, national_code or None, filter_biometric_data=bool(media))
    except Exception as exc:  # noqa: BLE001 - every failure becomes a sentence
        return _failure(order_id, exc, media)
    result = LookupResult(order_id, True, status=status, data=data, media_requested=media, signature_verified=True)
    if media:
        result.media = media_of(data)
    return result


def media_of(data) -> dict[str, bytes]:
    """The decoded media of a CitizenData (only the parts the broker sent)."""
    out: dict[str, bytes] = {}
    parts = (("selfie", data.selfie, "media_bytes"), ("video", data.video, "media_bytes"),
             ("speech", data.speech, "audio_bytes"), ("signature", data.signature, "image_bytes"))
    for name, part, getter in parts:
        if part is not None and part.data:
            try:
                blob = getattr(part, getter)()
            except Exception:  # noqa: BLE001 - undecodable base64 is left out
                blob = None
            if blob:
                out[name] = blob
    return out


__all__ = ["LookupResult", "lookup_order", "media_of", "mask_national_code", "enum_text", "KYC_STATUS_TEXT",
           "VERIFICATION_TEXT", "LIVENESS_TEXT", "MEDIA_FILES"]
