"""The one sentence catalogue (``kiosk.i18n.messages``): every key the code names has a sentence
in Persian and English, the two take the same placeholders, and a key with no sentence shows the
"unexpected error" sentence, never the raw key."""
from __future__ import annotations

import ast
import logging
import re
import string
from pathlib import Path

from kiosk.config.settings import BY_KEY
from kiosk.i18n.messages import FALLBACK_KEY, MESSAGES, section, t

ROOT = Path(__file__).resolve().parents[2]
PERSIAN = re.compile("[\u0600-\u06ff]")
SECTIONS = sorted({k.split(".")[0] for k in MESSAGES})
FILE_ENDINGS = (".wav", ".webm", ".png", ".jpg", ".json", ".toml", ".pem", ".bin", ".csv")
KEY_LIKE = re.compile(r"^({})\.[a-z0-9_]+(\.[a-z0-9_]+)*$".format("|".join(SECTIONS)))


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_every_sentence_in_both_languages_with_the_same_placeholders():
    bad = []
    for key, entry in MESSAGES.items():
        fa, en = entry.get("fa", ""), entry.get("en", "")
        if not fa.strip() or not en.strip() or not PERSIAN.search(fa) or PERSIAN.search(en):
            bad.append((key, "languages"))
        elif _fields(fa) != _fields(en):
            bad.append((key, "placeholders"))
    assert not bad, bad


def _named_keys() -> dict[str, list[str]]:
    """Every string literal in kiosk/ that has the shape of a catalogue key (``section.name``,
    with a section the catalogue has) and is not a setting's name."""
    found: dict[str, list[str]] = {}
    for path in sorted((ROOT / "kiosk").rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and KEY_LIKE.match(node.value):
                if node.value in BY_KEY or node.value.endswith(FILE_ENDINGS):
                    continue  # a setting's name, a file's name
                found.setdefault(node.value, []).append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_every_key_the_code_names_has_a_sentence():
    named = _named_keys()
    assert len(named) > 40  # the scan really finds the keys
    # staff_text(key) reads "staff." + key
    missing = {k: where for k, where in named.items() if k not in MESSAGES and "staff." + k not in MESSAGES}
    assert not missing, f"keys with no sentence in kiosk.i18n.messages: {missing}"


def test_a_key_with_no_sentence_is_never_shown_raw(caplog):
    with caplog.at_level(logging.ERROR, logger="kiosk.i18n.messages"):
        fa, en = t("camera.no_such_thing", "fa"), t("camera.no_such_thing", "en")
    assert "no_such_thing" not in fa + en
    assert (fa, en) == (MESSAGES[FALLBACK_KEY]["fa"], MESSAGES[FALLBACK_KEY]["en"])
    assert "camera.no_such_thing" in caplog.text  # the bug is logged for whoever reads the log


def test_numbers_are_written_in_the_language_of_the_sentence():
    values = {"index": 3, "total": 12}
    assert t("flow.progress", "en", **values).count("12") == 1
    fa = t("flow.progress", "fa", **values)
    assert "۱۲" in fa and "۳" in fa and "12" not in fa


def test_sections_are_views_of_the_catalogue():
    from kiosk.capture.camera import SENTENCES as CAMERA
    from kiosk.i18n.capture_sentences import SENTENCES as CAPTURE

    assert CAMERA and all(k.startswith("camera.") and MESSAGES[k] is v for k, v in CAMERA.items())
    assert CAPTURE == section("microphone.", "recording.", "speech.")
