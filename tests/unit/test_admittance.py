"""The provider's admittance sentence: written into the token, checked before registration,
and the recording's length from it; against the strict sandbox (which answers 1217 for a token
without one)."""
from __future__ import annotations

import uuid

import pytest

from kiosk.broker import admittance, tokens
from kiosk.broker.client import BrokerClient
from kiosk.broker.errors import AdmittanceTextUnusable, BrokerRefused
from kiosk.config.settings import Settings, SettingsError

DETAILS = {"national_code": "0499370899", "birth_date": "1370/01/01", "mobile": "09121234567",
           "card_serial": "0A12345678", "first_name": "سارا", "last_name": "محمدی"}


def test_render_fills_names_and_leaves_no_gap():
    t = "اینجانب {first_name} {last_name} با آگاهی کامل تأیید می‌کنم."
    assert admittance.render_admittance_text(t, "سارا", "محمدی") == "اینجانب سارا محمدی با آگاهی کامل تأیید می‌کنم."
    assert admittance.render_admittance_text(t) == "اینجانب با آگاهی کامل تأیید می‌کنم."


def test_the_default_sentence_is_persian_and_usable():
    s = Settings()
    text = admittance.admittance_for_token(s, "سارا", "محمدی", required=True)
    assert "سارا محمدی" in text and admittance.admittance_problem(text, s) is None
    assert "{" not in text


@pytest.mark.parametrize("template", ["{first_name} {nick}", "hello {0}", "{"])
def test_unknown_placeholders_are_refused_by_the_setting(template):
    with pytest.raises(SettingsError) as info:
        Settings({"broker.admittance_text": template})
    assert info.value.key == "broker.admittance_text" and info.value.fa


def test_recording_length_follows_the_sentence():
    s = Settings()
    assert admittance.recording_seconds("بوق ماشین ما خراب شده است", s) == s["recording.seconds"]
    long45 = " ".join(["واژه"] * 45)
    secs = admittance.recording_seconds(long45, s)
    assert secs >= 45 * 60 / s["recording.words_per_minute"] and secs <= s["recording.max_seconds"]
    fast = Settings({"recording.words_per_minute": 200})
    assert admittance.recording_seconds(long45, fast) < secs
    capped = Settings({"recording.max_seconds": 10})
    assert admittance.recording_seconds(long45, capped) == 10
    assert admittance.admittance_problem(long45, capped) is not None  # cannot be read within the cap


@pytest.mark.parametrize("text", ["", "   ", "تأیید"])
def test_unusable_sentence_raises_a_staff_error_when_required(text):
    s = Settings({"broker.admittance_text": text})
    with pytest.raises(AdmittanceTextUnusable) as info:
        admittance.admittance_for_token(s, required=True)
    err = info.value
    assert "broker.admittance_text" in err.sentence("fa") and "broker.admittance_text" in err.sentence("en")
    assert not err.retryable and err.staff_action
    assert admittance.admittance_for_token(s, required=False) == text.strip()  # no permission: not needed


def test_registration_writes_the_sentence_and_the_strict_sandbox_returns_it(sandbox):
    with BrokerClient(sandbox.url, sandbox.credentials) as c:
        props = c.get_token_provider_properties()
        assert props.admittance_permission
        token, sig = c.new_verification_token(DETAILS, tokens.new_order_id())
        claims = tokens.unverified_claims(token)
        assert "سارا محمدی" in claims["admittanceText"] and claims["CallerCode"] == sandbox.flow_id
        c.set_token(token, sig)
        assert c.get_admittance_text(token) == claims["admittanceText"]


def test_permission_and_no_sentence_refused_before_sending(sandbox):
    with BrokerClient(sandbox.url, sandbox.credentials, Settings({"broker.admittance_text": ""})) as c:
        c.get_token_provider_properties()  # AdmittancePermission: true
        with pytest.raises(AdmittanceTextUnusable):
            c.new_verification_token(DETAILS, tokens.new_order_id())
        # what the strict sandbox would have said at the admittance step: 1217
        token, sig = c.new_verification_token(DETAILS, uuid.uuid4().hex[:12], admittance_required=False)
        c.set_token(token, sig)
        with pytest.raises(BrokerRefused) as info:
            c.get_admittance_text(token)
        assert info.value.code == 1217
