"""Every broker method in one table: number, name, path, the HTTP verbs the broker offers.

Paths marked ASSUMPTION in ``shared/spec/BROKER-API.md`` (methods 4 and 7) and any other path
can be overridden by the ``broker.endpoints`` setting, a mapping of method name to path, which
the client and the sandbox broker both read (``resolve_paths``).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Endpoint:
    number: int
    name: str
    path: str
    verbs: tuple[str, ...]  # the first is the one the client uses by default
    idempotent: bool  # safe to retry after a connection failure or a 502/503/504
    signed: bool = False  # answer carries DataToSign / E_Signature (methods 15-20)
    dual_auth: bool = False  # needs the dual-auth bearer token
    scope: str = ""


CITIZEN_SCOPE = "0300000"

ENDPOINTS: tuple[Endpoint, ...] = (
    # the original: GET with tempTokenValue in the query (its cURL sample also sends a body);
    # ``broker.temp_token_verb`` picks the verb, the strict sandbox takes only that one
    Endpoint(2, "GenerateTempToken", "/api/Inquiry/GenerateTempToken", ("GET", "POST"), True),
    Endpoint(3, "SetToken", "/api/Inquiry/SetToken", ("POST", "GET"), False),
    Endpoint(4, "CheckToken", "/api/Inquiry/CheckToken", ("POST", "GET"), True),  # ASSUMPTION
    Endpoint(5, "GetTokenProviderProperties", "/api/Inquiry/GetTokenProviderProperties", ("POST", "GET"), True),
    Endpoint(6, "SaveSignature", "/api/Inquiry/SaveSignature", ("POST",), False),
    Endpoint(7, "SendProbImageByToken", "/api/Inquiry/SendProbImageByToken", ("POST",), False),  # ASSUMPTION
    Endpoint(8, "GetRandomText", "/api/media/GetRandomText", ("POST", "GET"), True),
    Endpoint(9, "SendProbVideoByToken", "/api/Inquiry/SendProbVideoByToken", ("POST",), False),
    Endpoint(10, "GetAdmittanceText", "/api/Inquiry/GetAdmittanceText", ("POST", "GET"), True),
    Endpoint(11, "SendAdmittanceVideoByToken", "/api/Inquiry/SendAdmittanceVideoByToken", ("POST",), False),
    Endpoint(12, "SavePersonDocument", "/api/Inquiry/SavePersonDocument", ("POST",), False),
    Endpoint(13, "VerifyToken", "/api/Inquiry/VerifyToken", ("POST", "GET"), False),
    Endpoint(14, "AbortToken", "/api/Inquiry/AbortToken", ("POST", "GET"), True),
    Endpoint(15, "GetCitizenKYCStatus", "/api/citizen/GetCitizenKYCStatus", ("POST", "GET"), True, True, True, CITIZEN_SCOPE),
    Endpoint(16, "GetCitizenSignatureData", "/api/citizen/GetCitizenSignatureData", ("POST", "GET"), True, True, True, CITIZEN_SCOPE),
    Endpoint(17, "GetCitizenSelfieData", "/api/citizen/GetCitizenSelfieData", ("POST", "GET"), True, True, True, CITIZEN_SCOPE),
    Endpoint(18, "GetCitizenVideoData", "/api/citizen/GetCitizenVideoData", ("POST", "GET"), True, True, True, CITIZEN_SCOPE),
    Endpoint(19, "GetCitizenSpeechData", "/api/citizen/GetCitizenSpeechData", ("POST", "GET"), True, True, True, CITIZEN_SCOPE),
    Endpoint(20, "GetCitizenData", "/api/citizen/GetCitizenData", ("POST", "GET"), True, True, True, CITIZEN_SCOPE),
)

#: How the original's sample answers of each method spell the envelope's response-code key
#: (and the message key with it: ResponseMessage / RespnsMessage / RespenseMessage). Section 7
#: (SendProbImageByToken) is missing from the original: the base class's ``ResponseCode``.
ORIGINAL_CODE_KEY: dict[str, str] = {
    "GenerateTempToken": "ResponseCode",
    "SetToken": "RespnsCode",
    "CheckToken": "RespnsCode",
    "GetTokenProviderProperties": "ResponseCode",
    "SaveSignature": "ResponseCode",
    "SendProbImageByToken": "ResponseCode",
    "GetRandomText": "RespnsCode",
    "SendProbVideoByToken": "ResponseCode",
    "GetAdmittanceText": "ResponseCode",
    "SendAdmittanceVideoByToken": "RespenseCode",
    "SavePersonDocument": "RespnsCode",
    "VerifyToken": "RespnsCode",
    "AbortToken": "RespnsCode",
    "GetCitizenKYCStatus": "RespnsCode",
    "GetCitizenSignatureData": "RespnsCode",
    "GetCitizenSelfieData": "RespnsCode",
    "GetCitizenVideoData": "RespnsCode",
    "GetCitizenSpeechData": "RespnsCode",
    "GetCitizenData": "RespnsCode",
}

BY_NAME: dict[str, Endpoint] = {e.name: e for e in ENDPOINTS}
BY_NUMBER: dict[int, Endpoint] = {e.number: e for e in ENDPOINTS}


def resolve_paths(overrides: dict[str, str] | None = None) -> dict[str, str]:
    """Method name -> path, with the ``broker.endpoints`` overrides applied.

    Unknown method names in the overrides are refused, so a typo in the settings is seen."""
    paths = {e.name: e.path for e in ENDPOINTS}
    for name, path in (overrides or {}).items():
        if name not in paths:
            raise ValueError(f"unknown broker method in endpoint overrides: {name!r}")
        if not str(path).startswith("/"):
            raise ValueError(f"endpoint path for {name} must start with '/': {path!r}")
        paths[name] = str(path)
    return paths
