"""The Qt-free sentence catalogue and Persian digits."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from kiosk.i18n import messages
from kiosk.i18n.digits import format_number, localize_digits, to_ascii_digits, to_persian_digits
from kiosk.i18n.messages import MESSAGES, t

ROOT = Path(__file__).resolve().parents[2]
PERSIAN_LETTER = re.compile("[\u0600-\u06ff]")


def test_digits():
    assert to_persian_digits("1376/11/13") == "۱۳۷۶/۱۱/۱۳"
    assert to_persian_digits("٠١٢") == "۰۱۲"
    assert to_persian_digits(42) == "۴۲"
    assert to_ascii_digits("۱۲٣") == "123"
    assert localize_digits(7, "en") == "7" and localize_digits(7, "fa") == "۷"


@pytest.mark.parametrize("n,lang,out", [
    (1234567, "en", "1,234,567"), (1234567, "fa", "۱٬۲۳۴٬۵۶۷"), (0, "fa", "۰"), (-1500, "en", "-1,500"),
    (3.5, "en", "3.5"), (3.5, "fa", "۳٫۵"), (2.0, "fa", "۲"), (1234.5678, "fa", "۱٬۲۳۴٫۵۶۷۸"),
    ("1234", "en", "1,234"), ("۱۲۳۴", "fa", "۱٬۲۳۴"),
])
def test_format_number(n, lang, out):
    assert format_number(n, lang) == out


def test_format_number_decimals_and_grouping():
    assert format_number(0.456, "en", decimals=1) == "0.5"
    assert format_number(12345.678, "fa", decimals=2) == "۱۲٬۳۴۵٫۶۸"
    assert format_number(12345, "en", grouping=False) == "12345"
    with pytest.raises(TypeError):
        format_number(True, "fa")


@given(st.integers(min_value=-10**15, max_value=10**15))
def test_format_number_round_trips(n):
    fa = format_number(n, "fa")
    assert int(to_ascii_digits(fa).replace("\u066c", "")) == n
    assert int(format_number(n, "en").replace(",", "")) == n


def test_every_entry_has_both_languages_and_persian_is_persian():
    for key, entry in MESSAGES.items():
        assert set(entry) >= {"fa", "en"}, key
        assert entry["fa"].strip() and entry["en"].strip(), key
        assert PERSIAN_LETTER.search(entry["fa"]), key
        assert not PERSIAN_LETTER.search(entry["en"]), key
        assert not re.search(r"[0-9]", re.sub(r"\{[^}]*\}|VP8|Opus", "", entry["fa"])), \
            f"{key}: ASCII digits in Persian text"
        # same placeholders in both languages
        assert set(re.findall(r"\{(\w+)\}", entry["fa"])) == set(re.findall(r"\{(\w+)\}", entry["en"])), key


def test_t_formats_numbers_per_language():
    assert t("flow.progress", "en", index=2, total=5) == "Step 2 of 5"
    assert t("flow.progress", "fa", index=2, total=5) == "مرحلهٔ ۲ از ۵"
    assert t("media.orphans_wiped", "fa", n=1200).startswith("فایل‌های ۱٬۲۰۰")


def test_t_falls_back_quietly():
    assert t("no.such.key", "fa") == MESSAGES["error.unexpected"]["fa"]  # never the raw key
    assert t("flow.cancelled", "de") == MESSAGES["flow.cancelled"]["en"]
    assert t("flow.progress", "en") == MESSAGES["flow.progress"]["en"]  # missing kwargs: template
    assert t("flow.progress", "en", index=1) == MESSAGES["flow.progress"]["en"]


def test_capture_keys_exist():
    for key in ("capture.failed", "capture.no_camera", "capture.no_microphone", "capture.disk_full",
                "capture.encoder_missing"):
        assert messages.has(key)
        assert t(key, "fa") != t(key, "en") != key


def test_capture_sentences_are_reachable_through_t():
    from kiosk.i18n.capture_sentences import SENTENCES

    key = next(iter(SENTENCES))
    assert t(key, "en") == SENTENCES[key]["en"]


def _keys_used_by(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    return {node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and re.fullmatch(r"(validation|flow|media|journal)\.[a-z_.]+", node.value)}


def test_every_key_the_core_uses_has_a_sentence():
    used = set()
    for name in ("validation.py", "flow.py", "media_store.py", "journal.py"):
        used |= _keys_used_by(ROOT / "kiosk" / "core" / name)
    assert "validation.national_code.checksum" in used and "flow.token_expired" in used
    missing = {k for k in used if not messages.has(k)}
    assert not missing, missing
