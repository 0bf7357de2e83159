"""Typed results of the broker's methods, parsed tolerantly: unknown keys are ignored, missing
optional keys become ``None``, and a value of the wrong type is a ``ProtocolError`` naming the
field. Keys are matched case-insensitively (ASP.NET may answer camelCase).

Fields holding personal data (national code, media) are left out of ``repr`` so that a logged
object does not leak them.
"""
from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any, TypeVar
from typing import Literal, overload
from collections.abc import Mapping

from kiosk.broker.codes import (AuthenticationStatus, KYCRequestStatus, KYCStatus, LivenessResult,
                                ResponseCode, VerificationStatus)
from kiosk.broker.errors import ProtocolError

E = TypeVar("E", bound=IntEnum)
_MISSING = object()


class _Fields:
    """Case-insensitive typed access to one JSON object, naming ``where`` in errors.

    ``text``, ``integer``, ``number``, ``flag``, ``enum`` and ``list_of`` read one key as that
    type (``None`` when it is absent, unless ``required``)."""

    def __init__(self, data: Any, where: str):
        if not isinstance(data, Mapping):
            raise ProtocolError(f"{where} is a {type(data).__name__}, not an object")
        self.where = where
        self.data = data
        self.low = {str(k).lower(): v for k, v in data.items()}

    def raw(self, key: str) -> Any:
        if key in self.data:
            return self.data[key]
        return self.low.get(key.lower(), _MISSING)

    def _bad(self, key: str, want: str, value: Any) -> ProtocolError:
        return ProtocolError(f"{self.where}.{key}: expected {want}, got {type(value).__name__}")

    def _required(self, key: str, value: Any, required: bool) -> None:
        if required and (value is _MISSING or value is None):
            raise ProtocolError(f"{self.where}.{key} is missing")

    @overload
    def text(self, key: str, required: Literal[True]) -> str: ...
    @overload
    def text(self, key: str, required: bool = False) -> str | None: ...

    def text(self, key: str, required: bool = False) -> str | None:
        v = self.raw(key)
        self._required(key, v, required)
        if v is _MISSING or v is None:
            return None
        if not isinstance(v, str):
            raise self._bad(key, "text", v)
        return v

    @overload
    def integer(self, key: str, required: Literal[True]) -> int: ...
    @overload
    def integer(self, key: str, required: bool = False) -> int | None: ...

    def integer(self, key: str, required: bool = False) -> int | None:
        v = self.raw(key)
        self._required(key, v, required)
        if v is _MISSING or v is None:
            return None
        if isinstance(v, bool):
            raise self._bad(key, "a whole number", v)
        if isinstance(v, float) and v.is_integer():
            return int(v)
        if not isinstance(v, int):
            raise self._bad(key, "a whole number", v)
        return v

    @overload
    def number(self, key: str, required: Literal[True]) -> float: ...
    @overload
    def number(self, key: str, required: bool = False) -> float | None: ...

    def number(self, key: str, required: bool = False) -> float | None:
        v = self.raw(key)
        self._required(key, v, required)
        if v is _MISSING or v is None:
            return None
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise self._bad(key, "a number", v)
        return float(v)

    @overload
    def flag(self, key: str, required: Literal[True]) -> bool: ...
    @overload
    def flag(self, key: str, required: bool = False) -> bool | None: ...

    def flag(self, key: str, required: bool = False) -> bool | None:
        v = self.raw(key)
        self._required(key, v, required)
        if v is _MISSING or v is None:
            return None
        if not isinstance(v, bool):
            raise self._bad(key, "true or false", v)
        return v

    @overload
    def enum(self, key: str, cls: type[E], required: Literal[True]) -> E | int: ...
    @overload
    def enum(self, key: str, cls: type[E], required: bool = False) -> E | int | None: ...

    def enum(self, key: str, cls: type[E], required: bool = False) -> E | int | None:
        """The enum member, or the bare number for a value a newer broker added."""
        v = self.integer(key, required)
        if v is None:
            return None
        try:
            return cls(v)
        except ValueError:
            return v

    def obj(self, key: str) -> _Fields | None:
        v = self.raw(key)
        if v is _MISSING or v is None:
            return None
        return _Fields(v, f"{self.where}.{key}")

    def list_of(self, key: str, item: type) -> list[Any] | None:
        v = self.raw(key)
        if v is _MISSING or v is None:
            return None
        if not isinstance(v, list):
            raise self._bad(key, "a list", v)
        for x in v:
            if item is int and (isinstance(x, bool) or not isinstance(x, int)):
                raise self._bad(key, "a list of numbers", x)
            if item is str and not isinstance(x, str):
                raise self._bad(key, "a list of texts", x)
        return list(v)


def _b64(data: str | None, what: str) -> bytes | None:
    if data is None:
        return None
    try:
        return base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ProtocolError(f"{what} is not base64: {exc}") from exc


# ----------------------------------------------------------------------------- methods 2-14

@dataclass(frozen=True)
class TempToken:
    """Method 2."""
    token_value: str = field(repr=False)
    token_signature: str | None = field(default=None, repr=False)
    is_encrypted: bool | None = None

    @classmethod
    def from_result(cls, result: Any) -> TempToken:
        f = _Fields(result, "Result")
        return cls(f.text("TokenValue", required=True), f.text("TokenSignature"), f.flag("IsEncrypted"))


@dataclass(frozen=True)
class ProviderProperties:
    """Method 5: what this provider may do. The wizard offers exactly these steps."""
    caller_code: str | None
    inquiry_customer_type: int | None = None
    operation_type: int | None = None
    payment_permission: bool = False
    gallery_inquiry_permission: bool = False
    selfie_permission: bool = False
    signature_permission: bool = False
    person_document_type_permission: list[int] | None = None
    video_permission: bool = False
    speech_permission: bool = False
    selfie_liveness_permission: bool = False
    video_liveness_permission: bool = False
    gesture_permission: bool = False
    selfie_try_count: int = 0
    video_try_count: int = 0
    otp_server_permission: bool = False
    admittance_permission: bool = False
    phone_ownership_inquiry_type: int | None = None
    provider_language: int | str | None = None  # the sample sends 1; a number or a code such as "fa"

    @classmethod
    def from_result(cls, result: Any) -> ProviderProperties:
        f = _Fields(result, "Result")
        docs = f.raw("PersonDocumentTypePermission")
        if docs is _MISSING or docs is None:
            doc_list = None
        elif isinstance(docs, list):
            doc_list = f.list_of("PersonDocumentTypePermission", int)
        elif isinstance(docs, int) and not isinstance(docs, bool):
            doc_list = [docs]
        elif isinstance(docs, str):  # "101,102"
            try:
                doc_list = [int(x) for x in re.split(r"[,\s;]+", docs.strip()) if x]
            except ValueError as exc:
                raise ProtocolError(f"Result.PersonDocumentTypePermission is not a list of numbers: {exc}") from exc
        else:
            raise ProtocolError("Result.PersonDocumentTypePermission: expected null or a list, got "
                                f"{type(docs).__name__}")

        def b(key: str) -> bool:
            return bool(f.flag(key))

        def count(key: str) -> int:
            v = f.integer(key)
            if v is not None and v < 0:
                raise ProtocolError(f"Result.{key} is negative")
            return v or 0

        return cls(
            caller_code=f.text("CallerCode"),
            inquiry_customer_type=f.integer("InquiryCustomerType"),
            operation_type=f.integer("OperationType"),
            payment_permission=b("PaymentPermission"),
            gallery_inquiry_permission=b("GalleryInquiryPermission"),
            selfie_permission=b("SelfiePermission"),
            signature_permission=b("SignaturePermission"),
            person_document_type_permission=doc_list,
            video_permission=b("VideoPermission"),
            speech_permission=b("SpeechPermission"),
            selfie_liveness_permission=b("SelfieLivenessPermission"),
            video_liveness_permission=b("VideoLivenessPermission"),
            gesture_permission=b("GesturePermission"),
            selfie_try_count=count("SelfieTryCount"),
            video_try_count=count("VideoTryCount"),
            otp_server_permission=b("OTPServerPermission"),
            admittance_permission=b("AdmittancePermission"),
            phone_ownership_inquiry_type=f.integer("PhoneOwnershipInquiryType"),
            provider_language=(f.text("ProviderLanguage") if isinstance(f.raw("ProviderLanguage"), str)
                               else f.integer("ProviderLanguage")),
        )

    @property
    def document_types(self) -> list[int]:
        return list(self.person_document_type_permission or [])


@dataclass(frozen=True)
class AuthenticationOutcome:
    """Methods 7, 9, 11: the step ran; ``passed`` only when the broker said success and
    AuthenticationSuccess."""
    status: AuthenticationStatus | int
    passed: bool
    message: str | None  # AuthenticationResult text
    result: dict | None
    failure: dict | None
    response_code: int = 0
    response_message: str | None = None

    @classmethod
    def from_envelope(cls, env) -> AuthenticationOutcome:
        result = env.result if env.result is not None else None
        failure = env.failure if env.failure is not None else None
        if result is not None and not isinstance(result, dict):
            raise ProtocolError(f"Result is a {type(result).__name__}, not an object")
        if failure is not None and not isinstance(failure, dict):
            raise ProtocolError(f"FailureResult is a {type(failure).__name__}, not an object")
        source = failure if failure is not None else result
        if env.response_code == ResponseCode.Success and result is not None:
            source = result
        if source is None:
            if env.response_code == ResponseCode.Success:
                raise ProtocolError("success without a Result: cannot tell whether the step passed")
            status: AuthenticationStatus | int = AuthenticationStatus.NotRequested
            message = None
        else:
            f = _Fields(source, "FailureResult" if source is failure else "Result")
            status = f.enum("AuthenticationStatus", AuthenticationStatus, required=True)
            message = f.text("AuthenticationResult")
        passed = (env.response_code == ResponseCode.Success and failure is None
                  and status == AuthenticationStatus.AuthenticationSuccess)
        return cls(status, passed, message, result, failure, env.response_code, env.message)


@dataclass(frozen=True)
class SavedItem:
    """Methods 6 and 12: "... inserted into DB successfully with ID: <guid>"."""
    message: str
    record_id: str | None
    response_message: str | None = None

    _ID = re.compile(r"ID:\s*([0-9A-Fa-f-]{8,})")

    @classmethod
    def from_envelope(cls, env) -> SavedItem:
        if env.result is not None and not isinstance(env.result, str):
            raise ProtocolError(f"Result is a {type(env.result).__name__}, not a text")
        text = env.result or env.message or ""
        m = cls._ID.search(text)
        return cls(text, m.group(1) if m else None, env.message)


@dataclass(frozen=True)
class TokenStatus:
    """Method 4: the token is valid (until ``valid_until``, a Jalali date and time text)."""
    valid: bool
    message: str | None
    valid_until: str | None

    _UNTIL = re.compile(r"(\d{1,4}/\d{1,2}/\d{1,4}\s*-?\s*\d{1,2}:\d{2}(?::\d{2})?)")

    @classmethod
    def from_envelope(cls, env) -> TokenStatus:
        m = cls._UNTIL.search(env.message or "")
        return cls(env.response_code == ResponseCode.Success, env.message, m.group(1) if m else None)


@dataclass(frozen=True)
class VerifyResult:
    """Method 13: ``verified`` (ResponseCode 0) or not complete (ResponseCode 2)."""
    verified: bool
    complete: bool
    message: str | None
    response_code: int

    @classmethod
    def from_envelope(cls, env) -> VerifyResult:
        ok = env.response_code == ResponseCode.Success
        return cls(ok, ok, env.message, env.response_code)


def text_list(result: Any, what: str = "Result") -> list[str]:
    """Methods 8 and 10: ``Result: ["..."]`` (a bare string is accepted too)."""
    if isinstance(result, str):
        result = [result]
    if not isinstance(result, list) or not all(isinstance(x, str) for x in result):
        raise ProtocolError(f"{what} is not a list of texts")
    texts = [x.strip() for x in result if x.strip()]
    if not texts:
        raise ProtocolError(f"{what} has no text")
    return texts


# ----------------------------------------------------------------------------- methods 15-20

@dataclass(frozen=True)
class CitizenKYCStatus:
    """Method 15 (and ``AuthResult`` of method 20)."""
    caller_code: str | None
    order_id: str | None
    kyc_status: KYCStatus | int | None
    kyc_request_status: KYCRequestStatus | int | None
    citizen_national_code: str | None = field(default=None, repr=False)
    insert_datetime: str | None = None
    response_datetime: str | None = None
    error_codes: list[int] = field(default_factory=list)
    error_messages: list[str] = field(default_factory=list)

    @classmethod
    def from_auth(cls, f: _Fields, caller_code: str | None, order_id: str | None) -> CitizenKYCStatus:
        return cls(caller_code, order_id,
                   f.enum("KYCStatus", KYCStatus), f.enum("KYCRequestStatus", KYCRequestStatus),
                   f.text("CitizenNationalCode"), f.text("InsertDateTime"), f.text("ResponseDateTime"),
                   f.list_of("ErrorCode", int) or [], f.list_of("ErrorMessage", str) or [])

    @classmethod
    def from_result(cls, result: Any) -> CitizenKYCStatus:
        f = _Fields(result, "Result")
        auth = f.obj("AuthResult")
        if auth is None:
            raise ProtocolError("Result.AuthResult is missing")
        return cls.from_auth(auth, f.text("CallerCode"), f.text("OrderId"))


@dataclass(frozen=True)
class SignatureData:
    """Method 16."""
    insert_datetime: str | None
    data: str | None = field(repr=False)  # base64 PNG, None when filtered or absent
    is_active: bool = False
    caller_code: str | None = None
    order_id: str | None = None

    @classmethod
    def from_fields(cls, f: _Fields, caller_code=None, order_id=None) -> SignatureData:
        return cls(f.text("InsertDateTime"), f.text("Data"), bool(f.flag("IsActive")), caller_code, order_id)
        return cls(f.text("InsertDateTime"), f.text("Data"), bool(f.flag("IsActive")), caller_code, order_id)

    @classmethod
    def from_result(cls, result: Any) -> SignatureData:
        f = _Fields(result, "Result")
        sig = f.obj("Signature")
        if sig is None:
            raise ProtocolError("Result.Signature is missing")
        return cls.from_fields(sig, f.text("CallerCode"), f.text("OrderId"))

    def image_bytes(self) -> bytes | None:
        return _b64(self.data, "Signature.Data")


@dataclass(frozen=True)
class FaceMediaData:
    """Selfie (method 17) or video (method 18) with the broker's quality figures."""
    insert_datetime: str | None
    data: str | None = field(repr=False)
    face_verification_threshold: float | None = None
    face_verification_lower_threshold: float | None = None
    liveness_is_active: bool | None = None
    is_active: bool | None = None
    face_liveness_score: float | None = None
    face_verification_score: float | None = None
    average_template_quality: float | None = None
    average_roll: float | None = None
    average_pitch: float | None = None
    average_yaw: float | None = None
    average_sharpness: float | None = None
    average_illumination: float | None = None
    verification_status: VerificationStatus | int | None = None
    liveness_result: LivenessResult | int | None = None
    caller_code: str | None = None
    order_id: str | None = None

    KEY = "SelfiePicture"

    @classmethod
    def from_fields(cls, f: _Fields, caller_code=None, order_id=None):
        return cls(
            insert_datetime=f.text("InsertDateTime"), data=f.text("Data"),
            face_verification_threshold=f.number("FaceVerificationThreshold"),
            face_verification_lower_threshold=f.number("FaceVerificationLowerThreshold"),
            liveness_is_active=f.flag("LivenessIsActive"), is_active=f.flag("IsActive"),
            face_liveness_score=f.number("FaceLivenessScore"),
            face_verification_score=f.number("FaceVerificationScore"),
            average_template_quality=f.number("AverageTemplateQuality"),
            average_roll=f.number("AverageRoll"), average_pitch=f.number("AveragePitch"),
            average_yaw=f.number("AverageYaw"), average_sharpness=f.number("AverageSharpness"),
            average_illumination=f.number("AverageIllumination"),
            verification_status=f.enum("VerificationStatus", VerificationStatus),
            liveness_result=f.enum("LivenessResult", LivenessResult),
            caller_code=caller_code, order_id=order_id,
        )

    @classmethod
    def from_result(cls, result: Any):
        f = _Fields(result, "Result")
        inner = f.obj(cls.KEY)
        if inner is None:
            raise ProtocolError(f"Result.{cls.KEY} is missing")
        return cls.from_fields(inner, f.text("CallerCode"), f.text("OrderId"))

    def media_bytes(self) -> bytes | None:
        return _b64(self.data, f"{self.KEY}.Data")

    @property
    def matched(self) -> bool:
        return self.verification_status == VerificationStatus.Matched


@dataclass(frozen=True)
class SelfiePicture(FaceMediaData):
    KEY = "SelfiePicture"


@dataclass(frozen=True)
class VideoData(FaceMediaData):
    KEY = "Video"


@dataclass(frozen=True)
class SpeechData:
    """Method 19."""
    insert_datetime: str | None
    data: str | None = field(repr=False)  # base64 WAV
    speech_verification_score: float | None = None
    speech_verification_threshold: float | None = None
    challenged_text: str | None = None
    caller_code: str | None = None
    order_id: str | None = None

    @classmethod
    def from_fields(cls, f: _Fields, caller_code=None, order_id=None) -> SpeechData:
        return cls(f.text("InsertDateTime"), f.text("Data"), f.number("SpeechVerificationScore"),
                   f.number("SpeechVerificationThreshold"), f.text("ChallengedText"), caller_code, order_id)
        return cls(f.text("InsertDateTime"), f.text("Data"), f.number("SpeechVerificationScore"),
                   f.number("SpeechVerificationThreshold"), f.text("ChallengedText"), caller_code, order_id)

    @classmethod
    def from_result(cls, result: Any) -> SpeechData:
        f = _Fields(result, "Result")
        inner = f.obj("Speech")
        if inner is None:
            raise ProtocolError("Result.Speech is missing")
        return cls.from_fields(inner, f.text("CallerCode"), f.text("OrderId"))

    def audio_bytes(self) -> bytes | None:
        return _b64(self.data, "Speech.Data")


@dataclass(frozen=True)
class CitizenData:
    """Method 20: whichever parts were asked for (absent parts are None)."""
    caller_code: str | None
    order_id: str | None
    auth_result: CitizenKYCStatus | None = None
    selfie: SelfiePicture | None = None
    video: VideoData | None = None
    speech: SpeechData | None = None
    signature: SignatureData | None = None

    @classmethod
    def from_result(cls, result: Any) -> CitizenData:
        f = _Fields(result, "Result")
        cc, oid = f.text("CallerCode"), f.text("OrderId")
        auth, selfie, video, speech, sig = (f.obj(k) for k in ("AuthResult", "SelfiePicture", "Video",
                                                                 "Speech", "Signature"))
        return cls(
            cc, oid,
            CitizenKYCStatus.from_auth(auth, cc, oid) if auth else None,
            SelfiePicture.from_fields(selfie, cc, oid) if selfie else None,
            VideoData.from_fields(video, cc, oid) if video else None,
            SpeechData.from_fields(speech, cc, oid) if speech else None,
            SignatureData.from_fields(sig, cc, oid) if sig else None,
        )
