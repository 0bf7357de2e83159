"""The log scrubber finds national codes and mobile numbers in every writing: Latin, Persian,
Arabic-Indic and fullwidth digits, split by ZWNJ, ZWJ, NBSP, thin spaces, dots, slashes,
underscores, dashes or spaces, and as JSON ``\\uXXXX`` or URL ``%XX`` escapes; httpx/httpcore
never log below INFO in the log file."""
from __future__ import annotations

import json
import logging
import re
import urllib.parse

from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.logsetup import normalise, redact, setup_logging, teardown_logging
from kiosk.core.validation import national_code_check_digit

DIGIT_SETS = ["0123456789", "۰۱۲۳۴۵۶۷۸۹", "٠١٢٣٤٥٦٧٨٩", "０１２３４５６７８９"]
SEPARATORS = ["", " ", "\u200c", "\u200d", "\u00a0", "\u2009", "\u202f", ".", "/", "_", "-", " - ", "\u066b"]


@st.composite
def national_code(draw) -> str:
    body = "".join(str(draw(st.integers(0, 9))) for _ in range(9))
    return body + str(national_code_check_digit(body))


@st.composite
def mobile(draw) -> str:
    return "09" + "".join(str(draw(st.integers(0, 9))) for _ in range(9))


@st.composite
def written(draw, number) -> tuple[str, str]:
    """(the number as ASCII digits, the number as someone might write it)."""
    digits = draw(number)
    table = str.maketrans("0123456789", draw(st.sampled_from(DIGIT_SETS)))
    text = ""
    for i, d in enumerate(digits):
        if i:
            text += draw(st.sampled_from(SEPARATORS)) if draw(st.integers(0, 2)) == 0 else ""
        text += d.translate(table)
    escape = draw(st.sampled_from(["none", "json", "url", "json-in-url"]))
    if escape == "json":
        text = json.dumps(text)[1:-1]  # \\u06f0 escapes for non-ASCII
    elif escape == "url":
        text = urllib.parse.quote(text)
    elif escape == "json-in-url":
        text = urllib.parse.quote(json.dumps({"nc": text}))
    return digits, text


def _digits_left(out: str) -> str:
    return re.sub(r"\D", "", normalise(out).translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")))


@settings(max_examples=400, deadline=None)
@given(item=st.one_of(written(national_code()), written(mobile())),
       before=st.sampled_from(["کد ملی ", "code=", "", "{\"mobile\": \"", "GET /x?q="]),
       after=st.sampled_from(["", " ok", "\"}", "&y=1", " تأیید شد"]))
def test_every_writing_is_scrubbed(item, before, after):
    digits, text = item
    out = redact(before + text + after)
    assert digits not in _digits_left(out), (text, out)
    assert digits[-7:] not in _digits_left(out), (text, out)  # no long tail of it either


def test_ordinary_numbers_survive():
    for line in ("ErrorCode 1209, 1210, 1211", "HTTP 200, 1234 bytes, 0.25 s", "birth date 1370/01/01",
                 "broker at 127.0.0.1:8443", "retry 2/3 in 1.50 s"):
        assert redact(line) == line


def test_httpx_and_httpcore_never_below_info(tmp_path):
    try:
        path = setup_logging(level="DEBUG", log_dir=tmp_path)
        logging.getLogger("httpcore.http11").debug("send_request_headers.complete headers=[(b'Authorization', ...)]")
        logging.getLogger("httpx").debug("httpx debug line")
        logging.getLogger("kiosk.test").debug("kiosk debug line")
        for handler in logging.getLogger().handlers:
            handler.flush()
        text = path.read_text("utf-8")
        assert "kiosk debug line" in text
        assert "send_request_headers" not in text and "httpx debug line" not in text
        assert logging.getLogger("httpcore").getEffectiveLevel() >= logging.INFO
    finally:
        teardown_logging()
