"""The sandbox broker's methods 2-20: one ``m_<MethodName>`` per broker method, with the token
guards, the media verdicts and the citizen answers they share. ``BrokerMethods`` is mixed into
``SandboxBroker`` (``kiosk.sandbox.server``), which holds the state, the keys and the envelope."""
from __future__ import annotations

import random
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

import jwt

from kiosk.broker import tokens
from kiosk.broker.codes import (AuthenticationStatus, KYCRequestStatus, KYCStatus, LivenessResult,
                                VerificationStatus)
from kiosk.broker.endpoints import CITIZEN_SCOPE
from kiosk.sandbox import media as mediamod
from kiosk.sandbox import rules, texts
from kiosk.sandbox.config import LANGUAGE_CODES, SandboxConfig
from kiosk.sandbox.model import (Answer, BrokerFault, Capture, Request, TokenRecord, b64, dotnet_local, jalali,
                                 now_tehran)


class BrokerMethods:
    """The methods; the state they use is ``SandboxBroker``'s."""

    config: SandboxConfig
    settings: Any
    algorithms: tokens.TokenAlgorithms
    flow_id: str
    token_secret: str
    _lock: threading.RLock
    _tokens: dict[str, TokenRecord]
    _orders: dict[str, TokenRecord]
    _seen_jti: set[str]
    _rng: random.Random
    _faces: mediamod.FaceCounter
    _provider_key: Any
    _provider_public_key: Any

    @property
    def lang(self) -> str:
        raise NotImplementedError

    def ok(self, key_or_text: str, result: Any = ..., *, code: int = 0, failure: Any = ..., **fmt: Any) -> Answer:
        raise NotImplementedError

    def signed(self, req: Request, result: dict[str, Any]) -> Answer:
        raise NotImplementedError

    # -- token guards
    def _record(self, req: Request, key: str = "tokenValue") -> TokenRecord:
        token = req.text(key)
        with self._lock:
            rec = self._tokens.get(token)
            if rec is None:
                raise BrokerFault(1211)
            if req.faults is not None and req.faults.expire_token:
                rec.forced_expired = True
            if rec.expired():
                if not rec.closed and not rec.aborted:
                    rec.status = KYCRequestStatus.Timeout
                raise BrokerFault(1209)
            return rec

    @staticmethod
    def _open(rec: TokenRecord) -> None:
        """Refuse changes to a cancelled or closed token (call with the lock held)."""
        if rec.aborted:
            raise BrokerFault(1222)
        if rec.closed:
            if rec.status == KYCRequestStatus.AuthDone:
                raise BrokerFault(1223)
            raise BrokerFault(1212, "Token is closed!")

    def _permission(self, name: str, code: int) -> None:
        if not self.config.provider_properties.get(name):
            raise BrokerFault(code)

    def _tries(self, rec: TokenRecord, step: str, key: str) -> None:
        allowed = int(self.config.provider_properties.get(key) or 0)
        if allowed > 0 and rec.failures[step] >= allowed:
            rec.status = KYCRequestStatus.MaxTryCountReached
            raise BrokerFault(1220)

    def _threshold(self, req: Request, key: str, default: float) -> float:
        value = req.number(key, default=-1.0)
        if value == -1:
            return default
        if not 0 <= value <= 100:
            raise BrokerFault(req.missing_code, f"'{key}' must be -1 or between 0 and 100")
        return float(value)

    # ------------------------------------------------------------------ 2 GenerateTempToken
    def m_GenerateTempToken(self, req: Request) -> Answer:
        temp = req.get("tempTokenValue")
        if not isinstance(temp, str) or not temp.strip():
            raise BrokerFault(0, "IDX10000: The parameter 'token' cannot be a 'null' or an empty object. "
                                 "Parameter name: token", http_status=400)
        try:
            claims = tokens.unverified_claims(temp.strip())
        except tokens.TokenError:
            raise BrokerFault(0, "IDX12741: JWT is not well formed.", http_status=400) from None
        if not isinstance(claims, dict):
            raise BrokerFault(0, "IDX12741: JWT is not well formed.", http_status=400)
        lifetime = self.config.temp_token_lifetime
        iat, exp = claims.get("iat"), claims.get("exp")
        if (isinstance(iat, (int, float)) and isinstance(exp, (int, float)) and not isinstance(iat, bool)
                and 0 < exp - iat <= 86400):
            lifetime = int(exp - iat)
        issued = int(time.time())
        ordered = {k: claims[k] for k in tokens.CLAIM_ORDER if k in claims and k not in ("iat", "exp")}
        ordered.update({k: v for k, v in claims.items() if k not in ordered and k not in ("iat", "exp")})
        ordered["iat"] = issued
        ordered["exp"] = issued + lifetime
        token = tokens.encode_verification_token(ordered, self.token_secret, self.algorithms)
        # the original's sample answers "TokenSignature": null (the provider signs its own tokens)
        signature = None if self.config.strict else tokens.sign_token(token, self._provider_key, self.algorithms)
        return self.ok("temp_token", {"TokenValue": token, "TokenSignature": signature, "IsEncrypted": False})

    # ------------------------------------------------------------------ 3 SetToken
    def m_SetToken(self, req: Request) -> Answer:
        token = req.text("tokenValue")
        raw_signature = req.get("tokenSignature")
        if self.config.strict:
            # the original's broker reads the text as sent: no trimming, no repair
            if raw_signature is not None and not isinstance(raw_signature, str):
                raise BrokerFault(1213, "tokenSignature must be text")
            signature = raw_signature or None
        else:
            signature = req.text("tokenSignature", required=False)
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise BrokerFault(1211, "Token is not a JWT!") from None
        if header.get("alg") != self.algorithms.jwt_algorithm:
            raise BrokerFault(1215, f"Token algorithm must be {self.algorithms.jwt_algorithm}!")
        try:
            claims = tokens.decode_verification_token(token, self.token_secret, self.algorithms, verify_exp=False)
        except tokens.TokenError:
            raise BrokerFault(1211, "Token is not valid (signature or claims)!") from None
        caller = self._claim(claims, self.algorithms.caller_code_claim)
        if not isinstance(caller, str) or not caller.strip():
            raise BrokerFault(1221)
        if caller.strip() != self.flow_id:
            raise BrokerFault(1202)
        cfg = self.config
        if cfg.provider_expired:
            raise BrokerFault(1219)
        if cfg.no_credit:
            raise BrokerFault(2101)
        self._check_signature(token, signature)
        exp = claims.get("exp")
        if not isinstance(exp, (int, float)) or time.time() > exp:
            raise BrokerFault(1209)
        order_id, national = self._check_claims(claims)
        now = time.time()
        expires = float(exp)
        if cfg.token_lifetime is not None:
            expires = min(expires, now + float(cfg.token_lifetime))
        with self._lock:
            if token in self._tokens:
                raise BrokerFault(1201)
            if order_id in self._orders:
                raise BrokerFault(1201, "Duplicate order id!")
            rec = TokenRecord(token=token, claims=claims, order_id=order_id, national_code=national,
                              registered=now, expires=expires, inserted=now_tehran())
            self._tokens[token] = rec
            self._orders[order_id] = rec
            self._drop_old_media()
        return self.ok("token_registered")

    def _drop_old_media(self) -> None:
        """Only the newest ``keep_media_orders`` orders keep their media bytes (under the lock)."""
        keep = max(0, int(self.config.keep_media_orders))
        older = list(self._orders.values())[:-keep] if keep else list(self._orders.values())
        for old in older:
            for cap in old.captures():
                if not cap.dropped:
                    cap.drop()

    def _check_signature(self, token: str, signature: str | None) -> None:
        """The provider's tokenSignature: 1213 when it does not verify (strict: in any other
        Base64 flavour than the configured one), 1214 when this provider sends none."""
        cfg = self.config
        if signature is not None:
            if cfg.signature == "not_requested":
                raise BrokerFault(1214)
            try:
                if cfg.strict:  # exactly the configured flavour (standard Base64 with padding by default)
                    tokens.verify_token_signature(token, signature, self._provider_public_key, self.algorithms)
                else:  # any flavour, and a '+' that arrived as a space
                    tokens.verify_token_signature(token, signature.replace(" ", "+"), self._provider_public_key,
                                                  self.algorithms, strict=False)
            except tokens.TokenError:
                raise BrokerFault(1213) from None
        elif cfg.signature == "required":
            raise BrokerFault(1213, "Service Provider's signature is missing!")

    def _check_claims(self, claims: dict[str, Any]) -> tuple[str, str]:
        """The applicant's claims, in the broker's order of checks: (order id, national code)."""
        cfg = self.config
        order_id = rules.digits(self._claim(claims, self.algorithms.order_id_claim))
        if not rules.order_id_ok(order_id) or (cfg.numeric_order_ids and not order_id.isdigit()):
            raise BrokerFault(1205)
        inquiry = claims.get("inquiryType", 0)
        if isinstance(inquiry, bool) or not isinstance(inquiry, int) or inquiry not in cfg.inquiry_types:
            raise BrokerFault(1208)
        national = rules.digits(claims.get("nationalCode"))
        if not rules.national_code_ok(national):
            raise BrokerFault(1203)
        if not rules.mobile_ok(claims.get("mobileNumber")):
            raise BrokerFault(1204)
        if not rules.callback_ok(claims.get("callbackUrl"), cfg.callback_placeholders):
            raise BrokerFault(1206)
        if not rules.birth_date_ok(claims.get("birthDate")):
            raise BrokerFault(1207)
        if not rules.card_serial_ok(claims.get("cardSerialNo")):
            raise BrokerFault(1216)
        if national in cfg.unknown_national_codes:
            raise BrokerFault(1224)
        return order_id, national

    def _claim(self, claims: dict[str, Any], name: str) -> Any:
        """A claim by its configured name; lenient: in any case (callerCode / CallerCode)."""
        if name in claims or self.config.strict:
            return claims.get(name)
        for key, value in claims.items():
            if key.lower() == name.lower():
                return value
        return None

    # ------------------------------------------------------------------ 4 CheckToken
    def m_CheckToken(self, req: Request) -> Answer:
        rec = self._record(req)
        if rec.aborted or rec.closed:
            raise BrokerFault(1211)
        return self.ok("token_valid_until", when=jalali(rec.expires, original=self.config.strict))

    # ------------------------------------------------------------------ 5 GetTokenProviderProperties
    def m_GetTokenProviderProperties(self, req: Request) -> Answer:
        ids = {v.strip() for v in (req.get("flowId"), req.get("callerCode")) if isinstance(v, str) and v.strip()}
        if not ids:
            raise BrokerFault(1202)
        if ids != {self.flow_id}:
            raise BrokerFault(1202)
        return self.ok("provider", self.provider_result())

    def provider_result(self) -> dict[str, Any]:
        props = dict(self.config.provider_properties)
        result: dict[str, Any] = {"CallerCode": self.flow_id}
        result.update({k: v for k, v in props.items() if k != "CallerCode"})
        result["ProviderLanguage"] = LANGUAGE_CODES[self.config.language]
        return result

    # ------------------------------------------------------------------ 6 SaveSignature
    def m_SaveSignature(self, req: Request) -> Answer:
        rec = self._record(req)
        with self._lock:
            self._open(rec)
        self._permission("SignaturePermission", 1504)
        data = mediamod.parse_file_data(req.get("fileData"), self.config.strict).content
        mediamod.decode_image(data, "png")
        with self._lock:
            self._open(rec)
            rec.signature = Capture(data, now_tehran())
        return self.ok("signature", f"Signature inserted into DB successfully with ID: {uuid.uuid4()}")

    # ------------------------------------------------------------------ 7 SendProbImageByToken
    def m_SendProbImageByToken(self, req: Request) -> Answer:
        rec = self._record(req)
        with self._lock:
            self._open(rec)
            self._permission("SelfiePermission", 1505)
            self._tries(rec, "selfie", "SelfieTryCount")
        threshold = self._threshold(req, "faceThreshold", self.config.face_threshold)
        data = mediamod.parse_file_data(req.get("fileData"), self.config.strict).content
        image = mediamod.decode_image(data, "jpeg")
        faces = self._faces.faces(image)
        liveness = bool(self.config.provider_properties.get("SelfieLivenessPermission"))
        verdict = self._judge(rec, data, faces, len(faces) > 1, threshold, liveness, "Image", "selfie")
        return self._upload_answer(rec, "selfie", verdict, data, "selfie", KYCRequestStatus.ProbImageReceived)

    # ------------------------------------------------------------------ 8 GetRandomText
    def m_GetRandomText(self, req: Request) -> Answer:
        kind = req.integer("type", default=1)
        count = req.integer("count", default=1)
        if kind not in (0, 1):
            raise BrokerFault(req.missing_code, "'type' must be 0 (words) or 1 (sentences)")
        if not 1 <= count <= 20:
            raise BrokerFault(req.missing_code, "'count' must be between 1 and 20")
        pool = texts.WORDS if kind == 0 else texts.SENTENCES
        with self._lock:
            picked = [pool[self._rng.randrange(len(pool))] for _ in range(count)]
        return self.ok("done", picked)

    # ------------------------------------------------------------------ 9 SendProbVideoByToken
    def m_SendProbVideoByToken(self, req: Request) -> Answer:
        return self._video(req, admittance=False)

    # ------------------------------------------------------------------ 10 GetAdmittanceText
    def m_GetAdmittanceText(self, req: Request) -> Answer:
        rec = self._record(req)
        with self._lock:
            self._open(rec)
        self._permission("AdmittancePermission", 1506)
        return self.ok("done", [self._admittance_text(rec)])

    def _admittance_text(self, rec: TokenRecord) -> str:
        """The sentence the provider stored with the token (section 10). Strict: none is 1217
        InvalidAdmittance; lenient: the config's default sentence."""
        text = rec.claims.get("admittanceText")
        if isinstance(text, str) and text.strip():
            return text.strip()
        if self.config.strict:
            raise BrokerFault(1217, "The token has no admittance text!")
        return self.config.admittance_text

    # ------------------------------------------------------------------ 11 SendAdmittanceVideoByToken
    def m_SendAdmittanceVideoByToken(self, req: Request) -> Answer:
        return self._video(req, admittance=True)

    def _video(self, req: Request, admittance: bool) -> Answer:
        step = "admittance" if admittance else "video"
        rec = self._record(req)
        with self._lock:
            self._open(rec)
            if admittance:
                self._permission("AdmittancePermission", 1506)
            else:
                self._permission("VideoPermission", 1502)
            self._tries(rec, self._try_step(step), "VideoTryCount")
        if admittance:
            challenged = self._admittance_text(rec)
        else:
            challenged = req.get("randomText")
            if not isinstance(challenged, str) or not challenged.strip():
                raise BrokerFault(1606, "randomText is missing!")
            challenged = challenged.strip()
        face_threshold = self._threshold(req, "faceThreshold", self.config.face_threshold)
        voice_threshold = self._threshold(req, "voiceThreshold", self.config.voice_threshold)
        data = mediamod.parse_file_data(req.get("fileData"), self.config.strict).content
        report = mediamod.inspect_video(data, self._faces, self.config.video_sample_frames)
        checked = max(1, report.frames_checked)
        one_ratio = report.frames_one_face / checked
        many = report.frames_many_faces > report.frames_one_face
        faces = report.faces if one_ratio >= self.config.video_min_face_ratio else []
        liveness = bool(self.config.provider_properties.get("VideoLivenessPermission"))
        verdict = self._judge(rec, data, faces, many, face_threshold, liveness, "Video", step)
        speech = None
        if verdict["passed"] and self.config.provider_properties.get("SpeechPermission", True):
            speech = self._judge_speech(report, voice_threshold, challenged)
            if not speech["passed"]:
                verdict.update(passed=False, status=AuthenticationStatus.SpeechNotMatched,
                               text=speech["text"])
        if speech is None:
            speech = {"fields": {"SpeechVerificationScore": None,
                                 "SpeechVerificationThreshold": voice_threshold, "ChallengedText": challenged}}
        answer = self._upload_answer(rec, step, verdict, data, step, KYCRequestStatus.ProbVideoReceived)
        if verdict["passed"]:
            with self._lock:
                if not admittance:
                    rec.speech = Capture(report.speech_wav, now_tehran(), speech["fields"])
                rec.status = KYCRequestStatus.SpeechReceived
        return answer

    def _judge_speech(self, report: mediamod.VideoReport, threshold: float, challenged: str) -> dict[str, Any]:
        fields = {"SpeechVerificationThreshold": threshold, "ChallengedText": challenged}
        if report.speech_seconds <= 0 or report.speech_peak_dbfs < self.config.min_speech_dbfs:
            fields["SpeechVerificationScore"] = 0.0
            return {"passed": False, "fields": fields,
                    "text": "No speech was heard in the video! Speech verification failed."}
        score = round(55 + 40 * mediamod.unit_hash(report.speech_wav, "speech"), 2)
        fields["SpeechVerificationScore"] = score
        if score < threshold:
            return {"passed": False, "fields": fields,
                    "text": f"Speech did not match the text! Score: {score:.0f}%"}
        return {"passed": True, "fields": fields, "text": ""}

    def _judge(self, rec: TokenRecord, data: bytes, faces: list, many: bool, threshold: float,
               liveness: bool, kind: str, salt: str) -> dict[str, Any]:
        """The verdict on a selfie or video: AuthenticationStatus, text, quality fields."""
        u_match = mediamod.unit_hash(data, salt + "-match")
        u_live = mediamod.unit_hash(data, salt + "-live")
        fields: dict[str, Any] = {
            "FaceVerificationThreshold": float(threshold),
            "FaceVerificationLowerThreshold": -1.0,
            "LivenessIsActive": liveness,
            "FaceLivenessScore": None,
            "FaceVerificationScore": 0.0,
            "AverageTemplateQuality": 0.0,
            "AverageRoll": 0.0, "AveragePitch": 0.0, "AverageYaw": 0.0,
            "AverageSharpness": 0.0, "AverageIllumination": 0.0,
            "VerificationStatus": int(VerificationStatus.NotRequested),
            "LivenessResult": int(LivenessResult.NotRequested),
        }

        def verdict(passed: bool, status: AuthenticationStatus, text: str, live: LivenessResult,
                    ver: VerificationStatus) -> dict[str, Any]:
            fields["LivenessResult"] = int(live) if liveness or live in (
                LivenessResult.FaceNotDetected, LivenessResult.MultiFaceDetected) else int(LivenessResult.NotRequested)
            fields["VerificationStatus"] = int(ver)
            return {"passed": passed, "status": status, "text": text, "fields": fields}

        if many:
            return verdict(False, AuthenticationStatus.LivenessFailed, f"{kind}: more than one face was detected!",
                           LivenessResult.MultiFaceDetected, VerificationStatus.NotRequested)
        if not faces:
            return verdict(False, AuthenticationStatus.ExtractionFailed, f"{kind}: no face was detected! Extraction: 0%",
                           LivenessResult.FaceNotDetected, VerificationStatus.NotRequested)
        fields["AverageRoll"] = round(mediamod.average([f.roll for f in faces]), 4)
        fields["AveragePitch"] = round(mediamod.average([f.pitch for f in faces]), 4)
        fields["AverageYaw"] = round(mediamod.average([f.yaw for f in faces]), 4)
        sharp = mediamod.average([f.sharpness for f in faces])
        fields["AverageSharpness"] = round(sharp, 2)
        fields["AverageIllumination"] = round(mediamod.average([f.illumination for f in faces]), 2)
        fields["AverageTemplateQuality"] = round(min(100.0, 40.0 + 0.3 * min(sharp, 200.0)), 2)
        width = mediamod.average([f.width_ratio for f in faces])
        spoof = rec.national_code in self.config.spoof_national_codes
        if liveness:
            live_score = (0.05 + 0.3 * u_live) if spoof else (0.80 + 0.19 * u_live)
            fields["FaceLivenessScore"] = round(live_score, 4)
        mismatch = rec.national_code in self.config.mismatch_national_codes
        score = round((5 + 25 * u_match) if mismatch else (60 + 35 * u_match), 2)
        fields["FaceVerificationScore"] = score
        if width < 0.08:
            return verdict(False, AuthenticationStatus.LivenessFailed, f"{kind}: the face is too far!",
                           LivenessResult.FaceTooFar, VerificationStatus.NotRequested)
        if width > 0.9:
            return verdict(False, AuthenticationStatus.LivenessFailed, f"{kind}: the face is too near!",
                           LivenessResult.FaceTooNear, VerificationStatus.NotRequested)
        if liveness and spoof:
            return verdict(False, AuthenticationStatus.LivenessFailed, f"{kind} is spoof!",
                           LivenessResult.FaceIsSpoof, VerificationStatus.NotRequested)
        if score < threshold:
            return verdict(False, AuthenticationStatus.VerificationFailed,
                           f"{kind} was real but not matched with gallery! Score: {score:.0f}%",
                           LivenessResult.FaceIsReal, VerificationStatus.NotMatched)
        return verdict(True, AuthenticationStatus.AuthenticationSuccess,
                       f"{kind} was real matched with gallery! Extraction: 100%",
                       LivenessResult.FaceIsReal, VerificationStatus.Matched)

    def _upload_answer(self, rec: TokenRecord, step: str, verdict: dict[str, Any], data: bytes, slot: str,
                       state: KYCRequestStatus) -> Answer:
        body = {"AuthenticationStatus": int(verdict["status"]), "AuthenticationResult": verdict["text"]}
        ok_key, failed_key = ("selfie_ok", "selfie_failed") if step == "selfie" else ("video_ok", "video_failed")
        with self._lock:
            self._open(rec)
            if verdict["passed"]:
                setattr(rec, slot, Capture(data, now_tehran(), dict(verdict["fields"])))
                rec.passed.add(step)
                rec.status = state
            else:
                rec.failures[self._try_step(step)] += 1
        if verdict["passed"]:
            return self.ok(ok_key, body, failure=None)
        return self.ok(failed_key, None, code=2, failure=body)

    def _try_step(self, step: str) -> str:
        """The try counter a step spends: ``broker.video_tries = shared`` counts the admittance
        video's failures with the selfie video's."""
        if step == "admittance" and self.settings["broker.video_tries"] == "shared":
            return "video"
        return step

    # ------------------------------------------------------------------ 12 SavePersonDocument
    def m_SavePersonDocument(self, req: Request) -> Answer:
        rec = self._record(req)
        with self._lock:
            self._open(rec)
        doc_type = req.integer("documentType")
        allowed = self.config.provider_properties.get("PersonDocumentTypePermission") or []
        if doc_type not in [int(x) for x in allowed]:
            raise BrokerFault(1901, f"This provider hasn't permission to save document type {doc_type}!")
        data = mediamod.parse_file_data(req.get("fileData"), self.config.strict).content
        mediamod.decode_image(data, "png")
        with self._lock:
            self._open(rec)
            rec.documents[int(doc_type)] = Capture(data, now_tehran())
        return self.ok("document", f"Document inserted into DB successfully with ID: {uuid.uuid4()}")

    # ------------------------------------------------------------------ 13 VerifyToken
    def required_steps(self) -> list[tuple[str, int, str]]:
        """(step, code for its absence, English reason) for each step the permissions ask for."""
        p = self.config.provider_properties
        steps = []
        if p.get("SignaturePermission"):
            steps.append(("signature", 1504, "signature was not received"))
        if p.get("SelfiePermission"):
            steps.append(("selfie", 1002, "no selfie passed"))
        if p.get("VideoPermission"):
            steps.append(("video", 1003, "no selfie video passed"))
        if p.get("AdmittancePermission"):
            steps.append(("admittance", 1217, "no admittance video passed"))
        for doc in p.get("PersonDocumentTypePermission") or []:
            steps.append((f"document:{int(doc)}", 1901, f"document {int(doc)} was not received"))
        return steps

    def _missing(self, rec: TokenRecord) -> list[tuple[int, str]]:
        missing = []
        for step, code, reason in self.required_steps():
            if step == "signature":
                done = rec.signature is not None
            elif step.startswith("document:"):
                done = int(step.split(":")[1]) in rec.documents
            else:
                done = step in rec.passed
            if not done:
                missing.append((code, reason))
        return missing

    def m_VerifyToken(self, req: Request) -> Answer:
        rec = self._record(req)
        with self._lock:
            if rec.aborted:
                raise BrokerFault(1212, "Token Aborted before!", message=(texts.ERRORS[1222][0], texts.ERRORS[1222][1]))
            if not rec.closed:
                rec.errors = self._missing(rec)
                rec.status = KYCRequestStatus.NotComplete if rec.errors else KYCRequestStatus.AuthDone
                # the original: an incomplete token "is not verified" and stays open for the
                # missing data; only a verified one is closed (lenient: both are closed)
                rec.closed = not rec.errors or not self.config.strict
                rec.responded = now_tehran()
            done = rec.status == KYCRequestStatus.AuthDone
        if done:
            return self.ok("verified")
        return self.ok("not_complete", code=2)

    # ------------------------------------------------------------------ 14 AbortToken
    def m_AbortToken(self, req: Request) -> Answer:
        rec = self._record(req)
        with self._lock:
            if rec.closed and rec.status == KYCRequestStatus.AuthDone:
                raise BrokerFault(1223)
            if not rec.aborted:
                rec.aborted = True
                rec.status = KYCRequestStatus.UserAborted
                rec.errors = [(600, texts.ABORT_REASON[1])]
                rec.responded = now_tehran()
        return self.ok("aborted")

    # ------------------------------------------------------------------ 15-20 citizen data
    def _citizen(self, req: Request) -> TokenRecord:
        auth = req.headers.get("Authorization") or ""
        scheme, _, bearer = auth.strip().partition(" ")
        if scheme.lower() != "bearer" or not bearer.strip():
            raise BrokerFault(2001, "Authorization bearer is missing!", response_code=401)
        with self._lock:
            try:
                tokens.verify_bearer(bearer.strip(), self._provider_public_key, flow_id=self.flow_id,
                                     scope=CITIZEN_SCOPE, seen_jti=self._seen_jti, algorithms=self.algorithms)
            except tokens.TokenError as exc:
                raise BrokerFault(exc.code or 2001, str(exc), response_code=401) from None
        order_id = req.text("OrderId")
        flow_id = req.text("FlowId")
        national = req.get("NationalCode")
        not_found = BrokerFault(1211, texts.CITIZEN_NOT_FOUND[2], message=texts.CITIZEN_NOT_FOUND[:2])
        if flow_id != self.flow_id:
            raise not_found
        with self._lock:
            rec = self._orders.get(rules.digits(order_id))
            if rec is None:
                raise not_found
            if isinstance(national, str) and national.strip() and national.strip().lower() != "null":
                if rules.digits(national) != rec.national_code:
                    raise not_found
            if rec.expired() and not rec.closed and not rec.aborted:
                rec.status = KYCRequestStatus.Timeout
            return rec

    def _kyc_status(self, rec: TokenRecord) -> int:
        if rec.status == KYCRequestStatus.AuthDone:
            return int(KYCStatus.Approved)
        if rec.aborted or rec.closed or rec.status == KYCRequestStatus.Timeout:
            return int(KYCStatus.Reject)
        return int(KYCStatus.Draft)

    def _auth_result(self, rec: TokenRecord) -> dict[str, Any]:
        fa = {1002: "تصویر سلفی تایید نشد", 1003: "ویدئو سلفی تایید نشد", 1217: "ویدئو اقرار تایید نشد",
              1504: "امضا دریافت نشد", 1901: "مستند دریافت نشد", 600: texts.ABORT_REASON[0]}
        en = self.lang == "en"
        return {
            "KYCStatus": self._kyc_status(rec),
            "KYCRequestStatus": int(rec.status),
            "CitizenNationalCode": rec.national_code,
            "InsertDateTime": dotnet_local(rec.inserted),
            "ResponseDateTime": dotnet_local(rec.responded),
            "ErrorCode": [c for c, _ in rec.errors],
            "ErrorMessage": [(m if en else fa.get(c, m)) for c, m in rec.errors],
        }

    def _media_item(self, cap: Capture | None, include: bool, extra: dict[str, Any]) -> dict[str, Any]:
        item = {"InsertDateTime": dotnet_local(cap.inserted) if cap else None,
                "Data": (b64(cap.data) if cap and include and not cap.dropped else None)}
        item.update(extra)
        return item

    def _signature_item(self, rec: TokenRecord, include: bool) -> dict[str, Any]:
        p = self.config.provider_properties
        return self._media_item(rec.signature, include, {"IsActive": bool(p.get("SignaturePermission"))})

    def _face_item(self, cap: Capture | None, include: bool, active: bool, liveness: bool) -> dict[str, Any]:
        fields = dict(cap.fields) if cap else {
            "FaceVerificationThreshold": self.config.face_threshold, "FaceVerificationLowerThreshold": -1.0,
            "FaceLivenessScore": None, "FaceVerificationScore": None, "AverageTemplateQuality": None,
            "AverageRoll": None, "AveragePitch": None, "AverageYaw": None, "AverageSharpness": None,
            "AverageIllumination": None, "VerificationStatus": int(VerificationStatus.NotRequested),
            "LivenessResult": int(LivenessResult.NotRequested)}
        fields.pop("LivenessIsActive", None)
        out: dict[str, Any] = {"LivenessIsActive": liveness, "IsActive": active}
        order = ("FaceVerificationThreshold", "FaceVerificationLowerThreshold")
        out.update({k: fields.pop(k) for k in order})
        out.update(fields)
        return self._media_item(cap, include, out)

    def _selfie_item(self, rec: TokenRecord, include: bool) -> dict[str, Any]:
        p = self.config.provider_properties
        return self._face_item(rec.selfie, include, bool(p.get("SelfiePermission")),
                               bool(p.get("SelfieLivenessPermission")))

    def _video_item(self, rec: TokenRecord, include: bool) -> dict[str, Any]:
        p = self.config.provider_properties
        return self._face_item(rec.video, include, bool(p.get("VideoPermission")),
                               bool(p.get("VideoLivenessPermission")))

    def _speech_item(self, rec: TokenRecord, include: bool) -> dict[str, Any]:
        fields = dict(rec.speech.fields) if rec.speech else {
            "SpeechVerificationScore": None, "SpeechVerificationThreshold": self.config.voice_threshold,
            "ChallengedText": None}
        return self._media_item(rec.speech, include, {
            "SpeechVerificationScore": fields.get("SpeechVerificationScore"),
            "SpeechVerificationThreshold": fields.get("SpeechVerificationThreshold"),
            "ChallengedText": fields.get("ChallengedText")})

    def _citizen_answer(self, req: Request, build: Callable[[TokenRecord], dict[str, Any]]) -> Answer:
        rec = self._citizen(req)
        with self._lock:
            result = {"CallerCode": self.flow_id, "OrderId": rec.order_id}
            result.update(build(rec))
        return self.signed(req, result)

    def m_GetCitizenKYCStatus(self, req: Request) -> Answer:
        return self._citizen_answer(req, lambda r: {"AuthResult": self._auth_result(r)})

    def m_GetCitizenSignatureData(self, req: Request) -> Answer:
        return self._citizen_answer(req, lambda r: {"Signature": self._signature_item(r, True)})

    def m_GetCitizenSelfieData(self, req: Request) -> Answer:
        return self._citizen_answer(req, lambda r: {"SelfiePicture": self._selfie_item(r, True)})

    def m_GetCitizenVideoData(self, req: Request) -> Answer:
        return self._citizen_answer(req, lambda r: {"Video": self._video_item(r, True)})

    def m_GetCitizenSpeechData(self, req: Request) -> Answer:
        return self._citizen_answer(req, lambda r: {"Speech": self._speech_item(r, True)})

    def m_GetCitizenData(self, req: Request) -> Answer:
        include = req.flag("FilterBiometricData")  # the original: false leaves the base64 media out
        if self.settings["broker.filter_biometric_data_means"] == "omit_media":
            include = not include

        def build(rec: TokenRecord) -> dict[str, Any]:
            out: dict[str, Any] = {}
            if req.flag("AuthResult"):
                out["AuthResult"] = self._auth_result(rec)
            if req.flag("SelfiePicture"):
                out["SelfiePicture"] = self._selfie_item(rec, include)
            if req.flag("Video"):
                out["Video"] = self._video_item(rec, include)
            if req.flag("Speech"):
                out["Speech"] = self._speech_item(rec, include)
            if req.flag("Signature"):
                out["Signature"] = self._signature_item(rec, include)
            return out

        return self._citizen_answer(req, build)

