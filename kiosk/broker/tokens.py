"""Verification tokens, provider signatures, the dual-auth bearer and signed answers.

Everything here follows the ASSUMPTIONs of ``shared/spec/BROKER-API.md``; the algorithms and
hashes come from ``TokenAlgorithms`` (built from the ``tokens.*`` settings), and the sandbox
broker uses these same functions for the other side, so one setting changes both.

* Verification token: a JWT (HS256 by default) with the broker-given secret.
* ``tokenSignature``: RSA PKCS#1 v1.5 over ASCII(tokenValue), SHA-256, provider key, written as
  the original's POST body says ("Base64 string of signature": standard alphabet, ``=`` padding),
  or base64url when ``broker.signature_encoding`` says so (``TokenAlgorithms.signature_encoding``).
* Claim names the original leaves open (``broker.caller_code_claim``, ``broker.order_id_claim``)
  and the order id's form (``broker.order_id_format``, ``new_order_id``) come from settings too.
* Dual-auth bearer: a JWT (RS256) signed with the provider key: ``iss`` = FlowId, ``scope``,
  ``iat``, ``exp`` (<= 5 min), one-time ``jti``.
* Signed answers: ``DataToSign = base64(SHA1(base64(utf8(Result text as received))))`` and
  ``E_Signature = base64(RSA PKCS#1 v1.5 over utf8(DataToSign), SHA-256)``.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import secrets
import time
import uuid
from dataclasses import dataclass
from typing import Any
from collections.abc import Callable, Mapping

import jwt
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa


class TokenError(ValueError):
    """A token, key or signature is malformed or does not verify. ``code`` is the broker's
    ExceptionCode that best describes it (e.g. 1213, 2001), when one does."""

    def __init__(self, message: str, code: int | None = None):
        super().__init__(message)
        self.code = code


_HASHES: dict[str, Callable[[], hashes.HashAlgorithm]] = {
    "SHA1": hashes.SHA1, "SHA256": hashes.SHA256, "SHA384": hashes.SHA384, "SHA512": hashes.SHA512}
_DIGESTS = {"SHA1": hashlib.sha1, "SHA256": hashlib.sha256, "SHA384": hashlib.sha384, "SHA512": hashlib.sha512}


@dataclass(frozen=True)
class TokenAlgorithms:
    jwt_algorithm: str = "HS256"
    signature_hash: str = "SHA256"
    result_digest: str = "SHA1"
    result_signature_hash: str = "SHA256"
    bearer_algorithm: str = "RS256"
    bearer_lifetime: int = 300
    clock_skew: int = 60
    signature_encoding: str = "base64"  # "base64" (the original) or "base64url"
    caller_code_claim: str = "CallerCode"  # section 5's spelling
    order_id_claim: str = "orderId"

    @classmethod
    def from_settings(cls, settings: Any) -> TokenAlgorithms:
        return cls(
            signature_encoding=settings["broker.signature_encoding"],
            caller_code_claim=settings["broker.caller_code_claim"],
            order_id_claim=settings["broker.order_id_claim"],
            jwt_algorithm=settings["tokens.jwt_algorithm"],
            signature_hash=settings["tokens.signature_hash"],
            result_digest=settings["tokens.result_digest"],
            result_signature_hash=settings["tokens.result_signature_hash"],
            bearer_algorithm=settings["tokens.bearer_algorithm"],
            bearer_lifetime=settings["tokens.bearer_lifetime"],
            clock_skew=settings["tokens.clock_skew"],
        )


# ----------------------------------------------------------------------------- keys

def generate_rsa_keypair(bits: int = 2048) -> tuple[bytes, bytes]:
    """(private PEM, public PEM)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    public = key.public_key().public_bytes(serialization.Encoding.PEM,
                                           serialization.PublicFormat.SubjectPublicKeyInfo)
    return private, public


def load_private_key(pem: bytes | str | rsa.RSAPrivateKey) -> rsa.RSAPrivateKey:
    if isinstance(pem, rsa.RSAPrivateKey):
        return pem
    try:
        key = serialization.load_pem_private_key(pem.encode() if isinstance(pem, str) else pem, password=None)
    except (ValueError, TypeError) as exc:
        raise TokenError(f"private key is not a readable PEM RSA key: {exc}") from exc
    if not isinstance(key, rsa.RSAPrivateKey):
        raise TokenError("private key is not an RSA key")
    return key


def load_public_key(pem: bytes | str | rsa.RSAPublicKey) -> rsa.RSAPublicKey:
    if isinstance(pem, rsa.RSAPublicKey):
        return pem
    if isinstance(pem, rsa.RSAPrivateKey):
        return pem.public_key()
    try:
        key = serialization.load_pem_public_key(pem.encode() if isinstance(pem, str) else pem)
    except (ValueError, TypeError) as exc:
        raise TokenError(f"public key is not a readable PEM RSA key: {exc}") from exc
    if not isinstance(key, rsa.RSAPublicKey):
        raise TokenError("public key is not an RSA key")
    return key


def keys_match(private_pem, public_pem) -> bool:
    priv = load_private_key(private_pem)
    pub = load_public_key(public_pem)
    return priv.public_key().public_numbers() == pub.public_numbers()


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


_STRICT_B64 = {
    "base64": re.compile(r"[A-Za-z0-9+/]*={0,2}"),
    "base64url": re.compile(r"[A-Za-z0-9_-]*={0,2}"),
}


def encode_signature(raw: bytes, encoding: str = "base64") -> str:
    """A signature's text: standard Base64 with padding (the original), or base64url without."""
    if encoding == "base64url":
        return _b64url(raw)
    if encoding != "base64":
        raise ValueError(f"unknown signature encoding {encoding!r}")
    return base64.b64encode(raw).decode("ascii")


def decode_signature_strict(text: str, encoding: str = "base64") -> bytes:
    """Decode exactly one Base64 flavour: ``base64`` is the standard alphabet with its ``=``
    padding (what .NET's ``Convert.FromBase64String`` reads); ``base64url`` is ``-_`` with the
    padding optional. Anything else (the other alphabet, spaces, missing padding) is refused."""
    if not isinstance(text, str) or not text:
        raise TokenError("signature is empty")
    pattern = _STRICT_B64.get(encoding)
    if pattern is None:
        raise TokenError(f"unknown signature encoding {encoding!r}")
    if not pattern.fullmatch(text):
        raise TokenError(f"signature is not {encoding} text")
    if encoding == "base64":
        if len(text) % 4:
            raise TokenError("signature's base64 is not padded to a multiple of 4")
        try:
            return base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise TokenError(f"signature is not base64: {exc}") from exc
    stripped = text.rstrip("=")
    try:
        return base64.urlsafe_b64decode(stripped + "=" * (-len(stripped) % 4))
    except (binascii.Error, ValueError) as exc:
        raise TokenError(f"signature is not base64url: {exc}") from exc


def _b64decode_any(text: str) -> bytes:
    """Decode standard or url-safe base64, with or without padding."""
    if not isinstance(text, str) or not text.strip():
        raise TokenError("signature is empty")
    s = text.strip().replace("-", "+").replace("_", "/")
    s += "=" * (-len(s) % 4)
    try:
        return base64.b64decode(s, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise TokenError(f"signature is not base64: {exc}") from exc


# ----------------------------------------------------------------------------- verification token

CLAIM_ORDER = (
    "callbackUrl", "callbackType", "CallerCode", "orderId", "inquiryType", "nationalCode",
    "cardSerialNo", "mobileNumber", "birthDate", "firstName", "lastName", "fatherName", "gender",
    "cardExpDate", "admittanceText", "customValue", "iat", "exp",
)


def build_verification_claims(
    *,
    flow_id: str,
    order_id: str,
    national_code: str,
    birth_date: str,
    mobile_number: str,
    card_serial_no: str = "",
    first_name: str = "",
    last_name: str = "",
    father_name: str = "",
    gender: int = 0,
    card_exp_date: str = "",
    admittance_text: str = "",
    custom_value: str | None = None,
    callback_url: str = "",
    callback_type: int = 0,
    inquiry_type: int = 0,
    lifetime: int = 1800,
    now: float | None = None,
    caller_code_claim: str = "CallerCode",
    order_id_claim: str = "orderId",
) -> dict[str, Any]:
    """The claims of the verification JWT, named as in the original's sample token; the FlowId
    and order id claims are named by ``broker.caller_code_claim`` / ``broker.order_id_claim``."""
    iat = int(now if now is not None else time.time())
    return {
        "callbackUrl": callback_url,
        "callbackType": int(callback_type),
        caller_code_claim: flow_id,
        order_id_claim: order_id,
        "inquiryType": int(inquiry_type),
        "nationalCode": national_code,
        "cardSerialNo": card_serial_no,
        "mobileNumber": mobile_number,
        "birthDate": birth_date,
        "firstName": first_name,
        "lastName": last_name,
        "fatherName": father_name,
        "gender": int(gender),
        "cardExpDate": card_exp_date,
        "admittanceText": admittance_text,
        "customValue": custom_value,
        "iat": iat,
        "exp": iat + int(lifetime),
    }


def encode_verification_token(claims: Mapping[str, Any], secret: bytes | str,
                              algorithms: TokenAlgorithms = TokenAlgorithms()) -> str:
    if not secret:
        raise TokenError("the token secret is empty")
    return jwt.encode(dict(claims), secret, algorithm=algorithms.jwt_algorithm,
                      headers={"typ": "JWT"})


def decode_verification_token(token: str, secret: bytes | str,
                              algorithms: TokenAlgorithms = TokenAlgorithms(),
                              verify_exp: bool = True, now: float | None = None) -> dict[str, Any]:
    """Check the HMAC and (optionally) ``exp``; raise ``TokenError`` with code 1211 (not a valid
    token) or 1209 (expired)."""
    # iat is checked here, not by PyJWT: PyJWT compares it with the real clock and no leeway,
    # so a provider clock one second ahead (or an explicit ``now``) made a good token invalid.
    options: Any = {"verify_exp": False, "verify_iat": False, "require": ["iat", "exp"]}
    try:
        claims = jwt.decode(token, secret, algorithms=[algorithms.jwt_algorithm], options=options,
                            leeway=algorithms.clock_skew)
    except jwt.PyJWTError as exc:
        raise TokenError(f"token is not valid: {exc}", code=1211) from exc
    t = time.time() if now is None else now
    if not isinstance(claims.get("iat"), (int, float)) or isinstance(claims.get("iat"), bool):
        raise TokenError("token's iat is not a number", code=1211)
    if claims["iat"] > t + algorithms.clock_skew:
        raise TokenError("token is issued in the future", code=1211)
    if verify_exp:
        if not isinstance(claims.get("exp"), (int, float)) or t > claims["exp"] + algorithms.clock_skew:
            raise TokenError("token has expired", code=1209)
    return claims


def unverified_claims(token: str) -> dict[str, Any]:
    try:
        return jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError as exc:
        raise TokenError(f"token is not a JWT: {exc}", code=1211) from exc


def new_order_id(order_id_format: str = "digits") -> str:
    """A fresh order id in the form ``broker.order_id_format`` asks for: ``digits`` gives 18
    digits, not starting with 0 (fits a .NET ``long``, as a broker storing it as a number needs;
    the original's samples are digits only), ``alphanumeric`` gives ``KSK`` and 16 hex letters."""
    if order_id_format == "alphanumeric":
        return "KSK" + secrets.token_hex(8).upper()
    if order_id_format != "digits":
        raise ValueError(f"unknown order id format {order_id_format!r}")
    return str(secrets.randbelow(9 * 10 ** 17) + 10 ** 17)


def order_id_fits(order_id: str, order_id_format: str = "digits") -> bool:
    """True when ``order_id`` has the form ``broker.order_id_format`` asks for."""
    if order_id_format == "digits":
        return bool(re.fullmatch(r"[0-9]{1,18}", order_id or ""))
    return bool(re.fullmatch(r"[0-9A-Za-z_.:-]{1,64}", order_id or ""))


def sign_token(token: str, private_key: Any, algorithms: TokenAlgorithms = TokenAlgorithms()) -> str:
    """``tokenSignature``: RSA PKCS#1 v1.5 over ASCII(tokenValue), as standard Base64 with
    padding (``algorithms.signature_encoding``: "base64url" for a broker that wants that)."""
    key = load_private_key(private_key)
    sig = key.sign(token.encode("ascii"), padding.PKCS1v15(), _HASHES[algorithms.signature_hash]())
    return encode_signature(sig, algorithms.signature_encoding)


def verify_token_signature(token: str, signature: str, public_key: Any,
                           algorithms: TokenAlgorithms = TokenAlgorithms(), *, strict: bool = True) -> None:
    """Raise ``TokenError`` (code 1213) unless ``signature`` is the provider's over ``token``.
    ``strict``: only ``algorithms.signature_encoding`` is read (what the original's broker
    does); otherwise any Base64 flavour, padded or not (the lenient sandbox)."""
    key = load_public_key(public_key)
    try:
        raw = (decode_signature_strict(signature, algorithms.signature_encoding) if strict
               else _b64decode_any(signature))
        key.verify(raw, token.encode("ascii"), padding.PKCS1v15(), _HASHES[algorithms.signature_hash]())
    except (InvalidSignature, TokenError, UnicodeEncodeError) as exc:
        raise TokenError("provider signature does not verify", code=1213) from exc


# ----------------------------------------------------------------------------- dual-auth bearer

def build_bearer(flow_id: str, private_key, scope: str,
                 algorithms: TokenAlgorithms = TokenAlgorithms(), now: float | None = None,
                 jti: str | None = None) -> str:
    if not flow_id:
        raise TokenError("FlowId is empty", code=2001)
    iat = int(time.time() if now is None else now)
    claims = {"iss": flow_id, "scope": scope, "iat": iat,
              "exp": iat + min(int(algorithms.bearer_lifetime), 300),
              "jti": jti or uuid.uuid4().hex}
    return jwt.encode(claims, load_private_key(private_key), algorithm=algorithms.bearer_algorithm)


def verify_bearer(token: str, public_key, *, flow_id: str, scope: str, seen_jti: set[str] | None = None,
                  algorithms: TokenAlgorithms = TokenAlgorithms(), now: float | None = None) -> dict[str, Any]:
    """The broker's side: 2001 for a bad or reused token, 2003 for a missing scope, 2002 for a
    token of another provider or scope."""
    try:
        claims = jwt.decode(token, load_public_key(public_key), algorithms=[algorithms.bearer_algorithm],
                            options={"verify_exp": False, "verify_iat": False,
                                     "require": ["iss", "iat", "exp", "jti"]},
                            leeway=algorithms.clock_skew)  # iat/exp are checked below, with ``now``
    except (jwt.PyJWTError, TokenError) as exc:
        raise TokenError(f"bearer token does not verify: {exc}", code=2001) from exc
    t = time.time() if now is None else now
    skew = algorithms.clock_skew
    if not isinstance(claims.get("exp"), (int, float)) or not isinstance(claims.get("iat"), (int, float)):
        raise TokenError("bearer token times are not numbers", code=2001)
    if t > claims["exp"] + skew or claims["iat"] > t + skew:
        raise TokenError("bearer token is expired or from the future", code=2001)
    if claims["exp"] - claims["iat"] > 300:
        raise TokenError("bearer token lives longer than 5 minutes", code=2001)
    if not claims.get("scope"):
        raise TokenError("bearer token has no scope", code=2003)
    if claims["iss"] != flow_id or claims["scope"] != scope:
        raise TokenError("bearer token is for another provider or scope", code=2002)
    if seen_jti is not None:
        if claims["jti"] in seen_jti:
            raise TokenError("bearer token was already used", code=2001)
        seen_jti.add(claims["jti"])
    return claims


# ----------------------------------------------------------------------------- signed answers

def data_to_sign(result_text: str, algorithms: TokenAlgorithms = TokenAlgorithms()) -> str:
    """``base64(HASH(base64(utf8(result_text))))`` over the Result text exactly as sent."""
    inner = base64.b64encode(result_text.encode("utf-8"))
    return base64.b64encode(_DIGESTS[algorithms.result_digest](inner).digest()).decode("ascii")


def sign_result(result_text: str, broker_private_key,
                algorithms: TokenAlgorithms = TokenAlgorithms()) -> tuple[str, str]:
    """(DataToSign, E_Signature) for a Result text: the broker's side."""
    dts = data_to_sign(result_text, algorithms)
    sig = load_private_key(broker_private_key).sign(
        dts.encode("utf-8"), padding.PKCS1v15(), _HASHES[algorithms.result_signature_hash]())
    return dts, base64.b64encode(sig).decode("ascii")


def verify_result_signature(result_text: str, data_to_sign_value: str, e_signature: str, broker_public_key,
                            algorithms: TokenAlgorithms = TokenAlgorithms()) -> None:
    """Raise ``TokenError`` unless DataToSign is the digest of ``result_text`` and E_Signature is
    the broker's signature of it."""
    if not isinstance(data_to_sign_value, str) or not isinstance(e_signature, str):
        raise TokenError("signed answer has no DataToSign or E_Signature")
    expected = data_to_sign(result_text, algorithms)
    if not _consteq(expected, data_to_sign_value.strip()):
        raise TokenError("DataToSign does not match the Result received")
    try:
        load_public_key(broker_public_key).verify(
            _b64decode_any(e_signature), data_to_sign_value.strip().encode("utf-8"), padding.PKCS1v15(),
            _HASHES[algorithms.result_signature_hash]())
    except InvalidSignature as exc:
        raise TokenError("E_Signature is not the broker's signature") from exc


def _consteq(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))
