"""Nothing leaked: a whole applicant session against the sandbox, at DEBUG, with dropped
connections and resends, and the lookup of the signed citizen data afterwards. Every log record
(as made, before any scrubbing) and every log file must be free of the applicant's national
code, mobile number, names, the token and its signature, key material and media bytes."""
from __future__ import annotations

import base64
import logging
import uuid

import numpy as np

from kiosk.broker.client import BrokerClient
from kiosk.config.settings import Settings
from kiosk.core.media_store import MediaStore
from kiosk.core.recovery import journal
from kiosk.core.resend import ResendStats, resend_upload
from kiosk.core.validation import ApplicantDetails
from kiosk.logsetup import setup_logging, teardown_logging
from kiosk.paths import media_dir

NATIONAL = "0012345679"
MOBILE = "09127654321"
FIRST, LAST, FATHER = "کیانوش", "پرتوی", "بهمنیار"


def _face(size):
    from skimage import data

    from kiosk.cvcompat import cv2

    return cv2.resize(data.astronaut(), (size, size))


def _jpeg() -> bytes:
    from kiosk.cvcompat import cv2

    ok, buf = cv2.imencode(".jpg", cv2.cvtColor(_face(480), cv2.COLOR_RGB2BGR))
    return buf.tobytes()


def _png() -> bytes:
    from kiosk.cvcompat import cv2

    card = np.full((300, 480, 3), 235, np.uint8)
    cv2.rectangle(card, (20, 20), (460, 280), (40, 40, 40), 3)
    ok, buf = cv2.imencode(".png", card)
    return buf.tobytes()


def _webm(seconds: float = 1.5) -> bytes:
    from mediafiles import encode_webm

    return encode_webm(_face(320), seconds)


class RawRecords(logging.Handler):
    """Every record as made (first handler on the root: runs before any scrubbing)."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record):
        text = f"{record.name} {record.msg} {record.args!r}"
        if record.exc_info:
            text += logging.Formatter().formatException(record.exc_info)
        self.lines.append(text)


def _needles(token: str, signature: str | None, creds, media: list[bytes]) -> dict[str, str]:
    out = {"national code": NATIONAL, "national code (fa digits)": "۰۰۱۲۳۴۵۶۷۹", "mobile": MOBILE,
           "mobile +98": "9127654321", "first name": FIRST, "last name": LAST, "father name": FATHER,
           "token": token, "token payload": token.split(".")[1][:24], "token secret": creds.token_secret}
    if signature:
        out["token signature"] = signature[:24]
    for label, pem in (("provider key", creds.provider_private_pem),):
        body = [ln for ln in pem.decode().splitlines() if ln and not ln.startswith("-----")]
        out[label] = body[1][:32]
    for i, m in enumerate(media):
        b64 = base64.b64encode(m[1000:1300]).decode()
        out[f"media {i} base64"] = b64[4:40]
        out[f"media {i} bytes"] = m[2000:2040].hex()
    return out


def test_a_whole_session_leaves_no_personal_data_in_the_logs(sandbox, kiosk_home, capsys):
    raw = RawRecords()
    root = logging.getLogger()
    root.handlers.insert(0, raw)
    old_level = root.level
    log_file = setup_logging(level="DEBUG", stderr_level="DEBUG")
    token = signature = None
    jpeg, png, webm = _jpeg(), _png(), _webm()
    try:
        details = ApplicantDetails.parse({"national_code": NATIONAL, "birth_date": "1370/01/01", "mobile": MOBILE,
                                          "card_serial": "1A23456789", "first_name": FIRST, "last_name": LAST,
                                          "father_name": FATHER})
        order = "LOG" + uuid.uuid4().hex[:10].upper()
        settings = Settings({"broker.retries": 2, "logging.level": "DEBUG"})
        with BrokerClient(sandbox.url, sandbox.credentials, settings) as client, MediaStore(media_dir()) as store:
            client.sleep = lambda s: None
            token, signature = client.new_verification_token(details, order)
            # a dropped connection on the way: retried by the client (idempotent) or resent by us
            sandbox.set_faults([{"status": 503, "methods": ["GetRandomText"], "times": 1},
                                {"reset_after_bytes": 3000, "methods": ["SendProbImageByToken"], "times": 1},
                                {"status": 503, "methods": ["SaveSignature"], "times": 1}])
            client.set_token(token, signature)
            journal().add(order, store.session_id, token)
            client.get_token_provider_properties()
            client.check_token(token)
            stats = ResendStats()

            def up(step, data, kind, fn):
                ref = store.put(step, data, kind)
                return resend_upload(store, ref, fn, token=token, sleep=lambda s: None, stats=stats)

            up("signature", png, "png", lambda src: client.save_signature(token, src))
            up("id_front", png, "png", lambda src: client.save_person_document(token, src, 101))
            assert up("selfie", jpeg, "jpeg", lambda src: client.send_prob_image(token, src)).passed
            sentence = client.get_random_text()[0]
            up("selfie_video", webm, "webm", lambda src: client.send_prob_video(token, src, sentence))
            client.get_admittance_text(token)
            up("admittance_video", webm, "webm", lambda src: client.send_admittance_video(token, src))
            client.verify_token(token)
            journal().remove(order_id=order)
            assert stats.retries >= 2  # the faults did happen
            # the staff lookup fetches the signed data, media included
            client.get_citizen_data(order, NATIONAL, filter_biometric_data=True)
            client.get_citizen_kyc_status(order, NATIONAL)
            # a refusal carrying the details back (an expired token) and a careless exception log
            try:
                client.abort_token(token)
            except Exception:  # noqa: BLE001
                logging.getLogger("kiosk.test").debug("abort after verify", exc_info=True)
            try:
                raise ValueError(f"details {NATIONAL} {MOBILE} token {token}")
            except ValueError:
                logging.getLogger("kiosk.test").exception("careless caller: %s", details)
        for h in root.handlers:
            h.flush()
    finally:
        teardown_logging()
        root.handlers.remove(raw)
        root.setLevel(old_level)
    err = capsys.readouterr().err
    files = {p.name: p.read_text("utf-8") for p in log_file.parent.glob("kiosk.log*")}
    assert files and sum(len(t) for t in files.values()) > 2000  # DEBUG really logged a lot
    assert any("SendProbImageByToken" in t for t in files.values())
    needles = _needles(token, signature, sandbox.credentials, [jpeg, png, webm])
    careless = [ln for ln in raw.lines if ln.startswith("kiosk.test ")]
    made = [ln for ln in raw.lines if not ln.startswith("kiosk.test ")]
    assert careless and made
    for label, needle in needles.items():
        for name, text in files.items():
            assert needle not in text, f"{label} in log file {name}"
        assert needle not in err, f"{label} on stderr"
        leaks = [ln[:200] for ln in made if needle in ln]
        assert not leaks, f"{label} in a log record as made by the kiosk: {leaks[:2]}"
    # the careless record did hold them; only the scrubber kept them out of the file
    assert any(NATIONAL in ln for ln in careless)
