"""The speech pre-check: voice (not just loudness), level, clipping, thresholds from settings."""
from __future__ import annotations

import numpy as np
import pytest

from kiosk.capture.microphone import load_wav
from kiosk.i18n.capture_sentences import SENTENCES as CAPTURE_SENTENCES
from kiosk.capture.speech import SENTENCES, check_speech, voice_activity
from kiosk.config.settings import Settings
from kiosk.resources import resource

RATE = 48000


@pytest.fixture(scope="module")
def speech():
    return load_wav(resource("sounds", "speech_fa.wav"), RATE)


def test_speech_passes(speech):
    c = check_speech(speech, RATE)
    assert c.ok and c.failures == [] and c.instruction_key is None
    assert 0.4 < c.voiced_ratio < 0.9 and c.clipped_ratio == 0
    assert -6 < c.peak_dbfs < 0


def test_speech_passes_at_16k_and_with_some_noise(speech):
    from kiosk.capture.microphone import resample
    low = resample(speech, RATE, 16000)
    assert check_speech(low, 16000).ok
    noisy = speech + np.random.default_rng(1).normal(0, 0.01, speech.size).astype(np.float32)
    assert check_speech(noisy, RATE).ok


@pytest.mark.parametrize("name, make", [
    ("silence", lambda n: np.zeros(n, np.float32)),
    ("hiss", lambda n: np.random.default_rng(0).normal(0, 0.001, n)),
    ("loud white noise", lambda n: np.random.default_rng(0).normal(0, 0.1, n)),
    ("1 kHz tone", lambda n: 0.3 * np.sin(2 * np.pi * 1000 * np.arange(n) / RATE)),
    ("mains hum", lambda n: 0.3 * np.sin(2 * np.pi * 50 * np.arange(n) / RATE)),
])
def test_no_voice_is_not_heard(name, make):
    c = check_speech(make(RATE * 3).astype(np.float32), RATE)
    assert not c.ok
    assert c.failures == ["not_heard"], name
    assert c.instruction_key == "speech.not_heard" and c.voiced_ratio < 0.05


def test_clipped_speech_is_too_loud(speech):
    c = check_speech(np.clip(speech * 4, -1, 1), RATE)
    assert not c.ok and "too_loud" in c.failures and c.instruction_key == "speech.too_loud"
    assert c.clipped_ratio > 0.001 and c.peak_dbfs == pytest.approx(0, abs=0.01)


def test_quiet_speech_asks_to_speak_louder(speech):
    c = check_speech(speech * 0.02, RATE)
    assert not c.ok and c.failures[0] == "too_quiet" and c.instruction_key == "speech.too_quiet"
    assert c.speech_dbfs < -35 and c.voiced_ratio > 0.1  # heard, but quiet


def test_a_word_in_silence_is_too_short(speech):
    clip = np.zeros(RATE * 6, np.float32)
    clip[RATE: RATE + RATE // 3] = speech[67200: 67200 + RATE // 3]
    c = check_speech(clip, RATE)
    assert not c.ok and c.failures == ["too_short"]


def test_voiced_frames_follow_the_speech(speech):
    clip = np.zeros(RATE * 4, np.float32)
    clip[RATE: 2 * RATE] = speech[67200: 67200 + RATE]
    v = voice_activity(clip, RATE)
    assert v[:45].sum() == 0 and v[105:].sum() == 0 and v[50:100].mean() > 0.8


def test_thresholds_come_from_settings(speech):
    strict = Settings({"recording.min_voiced_ratio": 0.95})
    assert check_speech(speech, RATE).ok
    c = check_speech(speech, RATE, settings=strict)
    assert not c.ok and c.failures == ["too_short"]
    lenient = Settings({"recording.min_speech_dbfs": -60.0})
    assert check_speech(speech * 0.02, RATE, settings=lenient).ok


def test_stereo_input_and_empty_input(speech):
    stereo = np.stack([speech, speech], axis=1)
    assert check_speech(stereo, RATE).ok
    assert check_speech(np.zeros(0, np.float32), RATE).failures == ["not_heard"]


def test_every_instruction_has_persian_and_english():
    for key, entry in {**SENTENCES, **CAPTURE_SENTENCES}.items():
        assert entry["fa"] and entry["en"] and entry["fa"] != entry["en"], key
        assert any("\u0600" <= ch <= "\u06ff" for ch in entry["fa"]), key
    c = check_speech(np.zeros(RATE, np.float32), RATE)
    assert c.sentence("fa") == SENTENCES["speech.not_heard"]["fa"]
    assert c.sentence("en") == "We did not hear you. Please read the sentence aloud."
    assert set(c.to_dict()) >= {"ok", "voiced_ratio", "clipped_ratio", "peak_dbfs", "failures", "instruction_key"}
