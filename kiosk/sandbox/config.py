"""The sandbox broker's configuration: the demo provider, its rules, and the faults hook.

``SandboxConfig`` is a plain dataclass; ``SandboxConfig.from_file(path)`` reads the same
fields from JSON (``resources/sandbox/provider.json`` is the documented example). Everything a
test may want to change at run time (``faults``, ``provider_properties``, the flags) is read
per request, so it can be changed on a running ``SandboxBroker.config``.

Provider language on the wire: the broker's sample answers ``"ProviderLanguage": 1`` with
Persian messages, and the client parses it as a number, so the sandbox sends a number:
**ASSUMPTION** 1 = Persian, 2 = English (``LANGUAGE_CODES``). The config accepts "fa"/"en" or
those numbers.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from kiosk.sandbox.faults import Faults, FaultsHook, load_faults

__all__ = ["DEMO_PROVIDER", "ENVELOPE_SPELLINGS", "LANGUAGE_CODES", "Faults", "FaultsHook", "SandboxConfig",
           "language_of", "load_faults"]

LANGUAGE_CODES: dict[str, int] = {"fa": 1, "en": 2}
ENVELOPE_SPELLINGS: dict[str, tuple[str, str]] = {
    "ResponseCode": ("ResponseCode", "ResponseMessage"),
    "RespnsCode": ("RespnsCode", "RespnsMessage"),
    "RespenseCode": ("RespenseCode", "RespenseMessage"),
}
SIGNATURE_MODES = ("requested", "required", "not_requested")

#: The demo provider (method 5's answer, without CallerCode, which is the FlowId).
DEMO_PROVIDER: dict[str, Any] = {
    "InquiryCustomerType": 9,
    "OperationType": 2,
    "PaymentPermission": True,
    "GalleryInquiryPermission": True,
    "SelfiePermission": True,
    "SignaturePermission": True,
    "PersonDocumentTypePermission": [101, 102],
    "VideoPermission": True,
    "SpeechPermission": True,
    "SelfieLivenessPermission": True,
    "VideoLivenessPermission": True,
    "GesturePermission": True,
    "SelfieTryCount": 3,
    "VideoTryCount": 3,
    "OTPServerPermission": True,
    "AdmittancePermission": True,
    "PhoneOwnershipInquiryType": 0,
    "ProviderLanguage": "fa",
}

DEFAULT_ADMITTANCE_TEXT = "اینجانب مفاد قرارداد را مطالعه کرده و با آگاهی کامل آن را تایید می‌کنم."


def language_of(value: Any) -> str:
    """"fa" or "en" from a ProviderLanguage value ("fa", "en", 1, 2; anything else: fa)."""
    if isinstance(value, str):
        low = value.strip().lower()
        if low in LANGUAGE_CODES:
            return low
        if low.isdigit():
            value = int(low)
    if isinstance(value, int) and not isinstance(value, bool):
        for name, code in LANGUAGE_CODES.items():
            if code == value:
                return name
    return "fa"


@dataclass
class SandboxConfig:
    """How the sandbox broker behaves. See ``resources/sandbox/provider.json``."""

    #: Method 5's answer for the demo provider (CallerCode is added: the FlowId).
    provider_properties: dict[str, Any] = field(default_factory=lambda: dict(DEMO_PROVIDER))
    #: FlowId written into a new credentials folder (an existing one keeps its own).
    flow_id: str = "KSK-d-00000001-0001"
    #: "requested": a tokenSignature is checked when sent (1213) and may be left out;
    #: "required": leaving it out is 1213; "not_requested": sending one is 1214.
    signature: str = "requested"
    #: Strict (the default): accept exactly what the original allows and answer as its samples
    #: do: standard Base64 signatures only (base64url is 1213), an empty admittanceText is 1217
    #: at GetAdmittanceText, each method's own envelope spelling, GenerateTempToken's
    #: TokenSignature null, CheckToken's date as the sample writes it, VerifyToken with data
    #: missing keeps the token open (NotComplete), claims only under their configured names.
    #: False (``kiosk sandbox --lenient``): the earlier tolerant behaviour (any Base64 flavour, a
    #: default admittance sentence, ResponseCode everywhere, VerifyToken closes the token).
    strict: bool = True
    #: Envelope spelling: "original" (each method as the original's sample for it; lenient:
    #: ResponseCode everywhere), or one of "ResponseCode", "RespnsCode", "RespenseCode" for all.
    envelope_spelling: str = "original"
    #: Play a broker that stores the order id as a number: letters in it are 1205.
    numeric_order_ids: bool = False
    #: Seconds a registered token lives at most (the earlier of this and the JWT's exp);
    #: None: the JWT's exp alone.
    token_lifetime: float | None = None
    #: Lifetime given to tokens re-issued by GenerateTempToken when the JWT has none.
    temp_token_lifetime: int = 1800
    #: National codes the registry does not know (SetToken answers 1224).
    unknown_national_codes: frozenset[str] = frozenset()
    #: National codes whose face never matches the registry photo (VerificationFailed).
    mismatch_national_codes: frozenset[str] = frozenset()
    #: National codes whose captures are judged spoofs (LivenessFailed, FaceIsSpoof).
    spoof_national_codes: frozenset[str] = frozenset()
    #: The provider's contract has ended (SetToken answers 1219).
    provider_expired: bool = False
    #: The provider has no credit left (SetToken answers 2101).
    no_credit: bool = False
    #: inquiryType claim values accepted (1208 otherwise).
    inquiry_types: frozenset[int] = frozenset({0, 1, 2})
    #: Placeholders the callbackUrl must hold (1206 otherwise).
    callback_placeholders: tuple[str, ...] = ("{tokenValue}", "{tokenSignature}")
    #: Lenient only: sentence of GetAdmittanceText when the token has no admittanceText claim.
    admittance_text: str = DEFAULT_ADMITTANCE_TEXT
    #: Broker thresholds used when a request says -1.
    face_threshold: float = 40.0
    voice_threshold: float = 50.0
    #: Peak level (dBFS) under which a video's sound counts as no speech (SpeechNotMatched).
    min_speech_dbfs: float = -45.0
    #: Video frames inspected for a face (evenly spread).
    video_sample_frames: int = 8
    #: Share of inspected frames that must hold exactly one face.
    video_min_face_ratio: float = 0.5
    #: Largest request body in bytes (413 and 1101 above it).
    max_body_bytes: int = 50 * 1024 * 1024
    #: Orders whose media (signature, photos, documents, videos) the sandbox keeps in memory: a
    #: demo installation runs the built-in sandbox all day, so the media of older orders is
    #: dropped (their status and verdict stay; GetCitizenData then gives their media as null).
    keep_media_orders: int = 10
    #: Seed of the random-text sequence (GetRandomText is deterministic per seed).
    seed: int = 1403
    #: Faults hook, read on every request: a ``Faults``, a dict of its fields, or a callable
    #: ``(method_name) -> Faults | dict | None``.
    faults: Any = None

    def __post_init__(self) -> None:
        if self.envelope_spelling != "original" and self.envelope_spelling not in ENVELOPE_SPELLINGS:
            raise ValueError(f"envelope_spelling must be 'original' or one of {', '.join(ENVELOPE_SPELLINGS)}")
        if self.signature not in SIGNATURE_MODES:
            raise ValueError(f"signature must be one of {', '.join(SIGNATURE_MODES)}")
        self.unknown_national_codes = frozenset(self.unknown_national_codes)
        self.mismatch_national_codes = frozenset(self.mismatch_national_codes)
        self.spoof_national_codes = frozenset(self.spoof_national_codes)
        self.inquiry_types = frozenset(int(x) for x in self.inquiry_types)
        self.callback_placeholders = tuple(self.callback_placeholders)
        props = dict(DEMO_PROVIDER)
        props.update(self.provider_properties or {})
        self.provider_properties = props

    @property
    def language(self) -> str:
        return language_of(self.provider_properties.get("ProviderLanguage"))

    def faults_for(self, method: str) -> Faults | None:
        hook = self.faults
        if hook is None:
            return None
        if isinstance(hook, (list, tuple)):
            rules = [Faults.from_value(r) for r in hook]
            if any(a is not b for a, b in zip(rules, hook, strict=True)):
                self.faults = rules  # keep counting across requests
            for rule in rules:
                if rule is not None and rule.any and rule.take(method):
                    return rule
            return None
        if callable(hook) and not isinstance(hook, (Faults, Mapping)):
            hook = hook(method)
        faults = Faults.from_value(hook)
        if isinstance(self.faults, Mapping):  # keep counting across requests
            self.faults = faults
        if faults is None or not faults.any or not faults.take(method):
            return None
        return faults

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> SandboxConfig:
        known = {f.name for f in fields(cls)}
        unknown = sorted(k for k in data if k not in known and not k.startswith("_"))
        if unknown:
            raise ValueError(f"unknown sandbox config key(s): {', '.join(unknown)}")
        return cls(**{k: v for k, v in data.items() if k in known})

    @classmethod
    def from_file(cls, path: Path | str) -> SandboxConfig:
        """Read a JSON file: either the config's fields, or just method 5's answer (a file
        with ``SelfiePermission`` and the like at the top level)."""
        path = Path(path)
        try:
            data = json.loads(path.read_text("utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise ValueError(f"cannot read sandbox config {path}: {exc}") from exc
        if not isinstance(data, dict):
            raise ValueError(f"sandbox config {path} must be a JSON object")
        if "provider_properties" not in data and any(k[:1].isupper() for k in data):
            data = {"provider_properties": data}
        return cls.from_mapping(data)
