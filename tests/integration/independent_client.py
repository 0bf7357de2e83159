"""An eKYC client written from the broker's Persian document alone ("سند ۳: پیاده سازی eKYC مبتنی بر
API", version 1.20), NOT from the kiosk's code: it imports nothing from ``kiosk``. It uses plain
urllib (GET queries), httpx (POST bodies), PyJWT and cryptography, and builds its own token and
signature from the document's words. If the kiosk's client and sandbox share a misreading, this
client, which does not share it, fails against the sandbox.

What it takes from the document, section by section:

* introduction: ``ResponseCode`` 0 Success, 1 Exception (then ``Exception.ErrorCode``), 2 Failed;
* 3 SetToken: POST body ``{"tokenValue": "Base64 string of JWT Token", "tokenSignature":
  "Base64 string of signature"}`` (standard Base64 as .NET's Convert.FromBase64String reads it:
  ``+/`` and ``=`` padding); GET ``tokenSignature="Base64 url-encoded string of signature"``:
  that same string percent-encoded in the query;
* the sample token's claims (callbackUrl ... admittanceText, customValue, exp, iat) and section
  5's "FlowId ... must be recorded in every token as **CallerCode** in its own claim";
* 5: POST ``{"flowId", "callerCode"}``; 6, 9, 11, 12: ``fileData {name: "FileData", fileName,
  content}``; 8: ``type=1&count=1``; 10: the sentence the provider stored with the token;
  13: 0 verified, 2 not complete; 14: abort; 15: ``OrderId``, ``FlowId``, ``NationalCode``,
  ``DataToSign`` = the hash of the Base64 of ``Result``, ``E_Signature`` by the broker's key;
* each method's code key spelled as that method's sample answer spells it (``SPELLING``).

What the document does not say (document 1's appendices are not part of it), so this client
must assume, as every integrator would: the token is HS256 with the secret the broker gives; the
provider's signature is RSA PKCS#1 v1.5 SHA-256 over the token's ASCII; the dual-auth bearer of
15-20 is an RS256 JWT (iss = FlowId, scope, iat, exp, jti); DataToSign uses SHA-1 (its samples
are 28 Base64 characters, 20 bytes) and E_Signature RSA SHA-256; section 7 (the selfie) is
missing, so its path is taken by analogy with section 9 (SendProbImageByToken); the order id
claim is ``orderId`` (the sample's camelCase; the document never names it).
"""
from __future__ import annotations

import base64
import hashlib
import json
import time
import urllib.parse
import urllib.request
import uuid
from typing import Any

import httpx
import jwt
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

# the key each method's sample answer uses for the response code (and "...Message" with it)
SPELLING = {
    "GetTokenProviderProperties": "ResponseCode", "SetToken": "RespnsCode", "SaveSignature": "ResponseCode",
    "SendProbImageByToken": "ResponseCode", "GetRandomText": "RespnsCode", "SendProbVideoByToken": "ResponseCode",
    "GetAdmittanceText": "ResponseCode", "SendAdmittanceVideoByToken": "RespenseCode",
    "SavePersonDocument": "RespnsCode", "VerifyToken": "RespnsCode", "AbortToken": "RespnsCode",
    "GetCitizenKYCStatus": "RespnsCode",
}
INQUIRY = "/api/Inquiry/"


class Refused(Exception):
    def __init__(self, method: str, answer: dict[str, Any]):
        self.answer = answer
        exc = answer.get("Exception") or {}
        self.error_code = exc.get("ErrorCode")
        self.code = answer.get(SPELLING.get(method, "ResponseCode"))
        super().__init__(f"{method}: code {self.code}, ErrorCode {self.error_code}")


class IndependentClient:
    def __init__(self, base_url: str, flow_id: str, token_secret: str, provider_private_pem: bytes,
                 broker_public_pem: bytes, signature_flavour: str = "base64"):
        self.base = base_url.rstrip("/")
        self.flow_id = flow_id
        self.secret = token_secret
        self.key = serialization.load_pem_private_key(provider_private_pem, password=None)
        self.broker_key = serialization.load_pem_public_key(broker_public_pem)
        self.flavour = signature_flavour  # "base64" (the document) or "base64url" (to see it refused)

    # -- plumbing
    def _read(self, method: str, status: int, body: bytes, ok_codes: tuple[int, ...] = (0,)) -> dict[str, Any]:
        answer = json.loads(body.decode("utf-8"))
        key = SPELLING[method]
        if key not in answer:
            raise AssertionError(f"{method}: the answer has no {key} (keys: {sorted(answer)})")
        if status // 100 != 2 or answer[key] not in ok_codes:
            raise Refused(method, answer)
        return answer

    def post(self, method: str, path: str, body: dict[str, Any], headers: dict[str, str] | None = None,
             ok_codes: tuple[int, ...] = (0,)) -> dict[str, Any]:
        r = httpx.post(self.base + path, content=json.dumps(body, ensure_ascii=False).encode("utf-8"),
                       headers={"Content-Type": "application/json", **(headers or {})}, timeout=60)
        return self._read(method, r.status_code, r.content, ok_codes)

    def get(self, method: str, path: str, query: dict[str, str]) -> dict[str, Any]:
        url = self.base + path + "?" + urllib.parse.urlencode(query)  # '+' -> %2B, '/' -> %2F, '=' -> %3D
        try:
            with urllib.request.urlopen(url, timeout=30) as resp:  # noqa: S310 - a test against a local server
                return self._read(method, resp.status, resp.read())
        except urllib.error.HTTPError as exc:
            return self._read(method, exc.code, exc.read())

    # -- the token (the sample's claims, section 5's CallerCode)
    def token(self, order_id: str, person: dict[str, str], admittance: str) -> str:
        now = int(time.time())
        claims = {
            "callbackUrl": "https://provider.example/callback?tokenValue={tokenValue}&tokenSignature={tokenSignature}",
            "callbackType": 0, "CallerCode": self.flow_id, "orderId": order_id,
            "nationalCode": person["nationalCode"], "cardSerialNo": person["cardSerialNo"],
            "mobileNumber": person["mobileNumber"], "birthDate": person["birthDate"],
            "firstName": person.get("firstName", ""), "lastName": person.get("lastName", ""), "fatherName": "",
            "gender": 0, "cardExpDate": "", "admittanceText": admittance, "customValue": None,
            "exp": now + 1800, "iat": now,
        }
        return jwt.encode(claims, self.secret, algorithm="HS256", headers={"typ": "JWT"})

    def signature(self, token: str) -> str:
        raw = self.key.sign(token.encode("ascii"), padding.PKCS1v15(), hashes.SHA256())
        if self.flavour == "base64url":
            return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")
        return base64.b64encode(raw).decode("ascii")

    @staticmethod
    def file_data(name: str, content: bytes) -> dict[str, str]:
        return {"name": "FileData", "fileName": name, "content": base64.b64encode(content).decode("ascii")}

    # -- the methods
    def properties(self) -> dict[str, Any]:
        return self.post("GetTokenProviderProperties", INQUIRY + "GetTokenProviderProperties",
                         {"flowId": self.flow_id, "callerCode": self.flow_id})["Result"]

    def set_token(self, token: str, verb: str = "POST") -> dict[str, Any]:
        data = {"tokenValue": token, "tokenSignature": self.signature(token)}
        if verb == "GET":
            return self.get("SetToken", INQUIRY + "SetToken", data)
        return self.post("SetToken", INQUIRY + "SetToken", data)

    def bearer(self) -> str:
        now = int(time.time())
        claims = {"iss": self.flow_id, "scope": "0300000", "iat": now, "exp": now + 300, "jti": uuid.uuid4().hex}
        return jwt.encode(claims, self.key, algorithm="RS256")

    def kyc_status(self, order_id: str) -> dict[str, Any]:
        answer = self.post("GetCitizenKYCStatus", "/api/citizen/GetCitizenKYCStatus",
                           {"OrderId": order_id, "FlowId": self.flow_id, "NationalCode": None},
                           headers={"Authorization": "Bearer " + self.bearer()})
        result_text = json.dumps(answer["Result"], ensure_ascii=False, separators=(",", ":"))
        digest = base64.b64encode(hashlib.sha1(base64.b64encode(result_text.encode("utf-8"))).digest()).decode()
        if answer["DataToSign"] != digest:
            raise AssertionError("DataToSign is not the hash of the Base64 of Result")
        self.broker_key.verify(base64.b64decode(answer["E_Signature"]), answer["DataToSign"].encode("utf-8"),
                               padding.PKCS1v15(), hashes.SHA256())
        return answer["Result"]

    def session(self, person: dict[str, str], media: dict[str, bytes], admittance: str) -> dict[str, Any]:
        """A whole session, every step the provider's properties allow; returns what was seen."""
        seen: dict[str, Any] = {}
        props = self.properties()
        order_id = str(int(time.time() * 1000))[-12:]
        token = self.token(order_id, person, admittance if props.get("AdmittancePermission") else "")
        seen["set_token"] = self.set_token(token)
        tv = {"tokenValue": token}
        if props.get("SignaturePermission"):
            self.post("SaveSignature", INQUIRY + "SaveSignature",
                      {**tv, "fileData": self.file_data("Signature.png", media["signature"])})
        if props.get("SelfiePermission"):
            self.post("SendProbImageByToken", INQUIRY + "SendProbImageByToken",
                      {**tv, "faceThreshold": -1, "fileData": self.file_data("ProbImage.jpg", media["selfie"])})
        if props.get("VideoPermission"):
            sentence = self.get("GetRandomText", "/api/media/GetRandomText", {"type": "1", "count": "1"})["Result"][0]
            self.post("SendProbVideoByToken", INQUIRY + "SendProbVideoByToken",
                      {**tv, "randomText": sentence, "faceThreshold": -1, "voiceThreshold": -1,
                       "fileData": self.file_data("ProbVideo.webm", media["video"])})
        if props.get("AdmittancePermission"):
            seen["admittance"] = self.get("GetAdmittanceText", INQUIRY + "GetAdmittanceText", tv)["Result"]
            self.post("SendAdmittanceVideoByToken", INQUIRY + "SendAdmittanceVideoByToken",
                      {**tv, "randomText": "", "faceThreshold": -1, "voiceThreshold": -1,
                       "fileData": self.file_data("AdmittanceVideo.webm", media["video"])})
        for doc in props.get("PersonDocumentTypePermission") or []:
            name = "IdCardFront.png" if int(doc) == 101 else "IdCardBack.png"
            self.post("SavePersonDocument", INQUIRY + "SavePersonDocument",
                      {**tv, "documentType": int(doc), "fileData": self.file_data(name, media["document"])})
        seen["verify"] = self.post("VerifyToken", INQUIRY + "VerifyToken", tv)
        seen["status"] = self.kyc_status(order_id)
        seen["order_id"] = order_id
        return seen
