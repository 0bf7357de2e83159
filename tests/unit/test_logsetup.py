"""The log scrubber and the private rotating log file."""
from __future__ import annotations

import base64
import random
import logging
import os
import stat

import pytest

from kiosk.logsetup import RedactFilter, redact, setup_logging, teardown_logging

PEM = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----"
JWT = "eyJhbGciOiJIUzI1NiJ9.eyJuYXRpb25hbENvZGUiOiIwMDEyMzQ1Njc5In0.c2lnbmF0dXJlLWhlcmU"


@pytest.mark.parametrize("secret", [
    "0012345679", "۰۰۱۲۳۴۵۶۷۹", "٠٠١٢٣٤٥٦٧٩", "09123456789", "۰۹۱۲۳۴۵۶۷۸۹", "+989123456789", "00989123456789",
    "+98 9123456789", "6037991234567890", "001-234567-9", JWT, "Bearer abc.def-ghi_jkl", PEM,
    base64.b64encode(bytes(range(256))).decode(), "a3f1" * 16,
])
def test_redact_masks_personal_data_and_secrets(secret):
    out = redact(f"before {secret} after")
    assert secret not in out and out.startswith("before ") and out.endswith(" after")
    # no 4-character piece of a long secret survives
    if len(secret) > 40:
        assert not any(secret[i:i + 12] in out for i in range(0, len(secret) - 12, 6))


@pytest.mark.parametrize("text", [
    "broker SendProbImageByToken -> HTTP 200, 1234 bytes, 0.25 s", "ResponseCode 1, ErrorCode 1209",
    "birth date 1370/01/01", "session 3f2a9c1e", "/work/main/.venv/lib/python3.11/site-packages/x.py",
    "retry 2/3 in 1.50 s (reset)",
    'HTTP Request: POST http://127.0.0.1:45647/api/Inquiry/GetTokenProviderProperties "HTTP/1.1 200 OK"',
])
def test_redact_keeps_ordinary_lines(text):
    assert redact(text) == text


def test_filter_scrubs_message_args_and_exception():
    record = None

    class Keep(logging.Handler):
        def emit(self, r):
            nonlocal record
            record = r

    h = Keep()
    h.addFilter(RedactFilter())
    log = logging.getLogger("test.redact")
    log.addHandler(h)
    log.propagate = False
    try:
        try:
            raise ValueError("bad national code 0012345679 for 09123456789")
        except ValueError:
            log.exception("applicant %s token %s", "0012345679", JWT)
    finally:
        log.removeHandler(h)
        log.propagate = True
    text = logging.Formatter().format(record)
    assert "0012345679" not in text and "09123456789" not in text and "eyJ" not in text
    assert "ValueError" in text and "[10 digits]" in text and "[mobile]" in text


def test_log_file_is_private_rotated_and_scrubbed(kiosk_home, capsys):
    path = setup_logging(level="DEBUG", command=True)
    try:
        log = logging.getLogger("kiosk.test")
        log.debug("national %s", "0012345679")
        log.warning("mobile %s", "09123456789")
        handler = next(h for h in logging.getLogger().handlers if getattr(h, "_kiosk", False)
                       and isinstance(h, logging.FileHandler))
        handler.maxBytes = 300
        for i in range(6):
            log.info("filler line %d %s", i, "x" * 30)
        handler.flush()
    finally:
        teardown_logging()
    assert path.parent == kiosk_home / "logs"
    files = sorted(path.parent.glob("kiosk.log*"))
    assert len(files) >= 2  # rotated
    for f in files:
        assert stat.S_IMODE(os.stat(f).st_mode) == 0o600
        text = f.read_text("utf-8")
        assert "0012345679" not in text and "09123456789" not in text
    assert "[10 digits]" in path.with_name("kiosk.log").read_text("utf-8") or any(
        "[10 digits]" in f.read_text("utf-8") for f in files)
    err = capsys.readouterr().err
    assert "[mobile]" in err and "09123456789" not in err
    assert "filler" not in err  # commands: warnings only on stderr


def test_base64_blobs_are_redacted_whole_whatever_their_letters():
    # one 40-byte blob in ~4000 has no digit, and some hold "eyJ" inside: both once survived in part
    rng = random.Random(7)
    for _ in range(8000):
        blob = base64.b64encode(rng.randbytes(40)).decode()
        out = redact(f"data {blob} end")
        assert not any(blob[i:i + 12] in out for i in range(0, len(blob) - 12, 4)), (blob, out)
