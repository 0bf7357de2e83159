"""Speech pre-check of a recorded clip: was a voice heard, loud enough, not clipped?

Voice activity is decided per 20 ms frame from more than loudness (a fan or a hum is loud too):

* energy: the frame's RMS must be above an adaptive floor (the quietest tenth of the clip plus
  6 dB, but at most -35 dBFS and at least ``recording.vad_floor_dbfs``);
* speech band: at least 50 % of the frame's power between 300 and 3400 Hz (telephone band);
* spectral flatness in that band below 0.45 (hiss and white noise are flat, voice is not);
* not a pure tone: no single FFT bin holds more than 50 % of the band's power;
* zero-crossing rate below 0.35 (broadband noise crosses zero on every other sample).

A frame also counts when it sits between two voiced frames less than 100 ms apart (the short
gaps inside words). Over the clip this gives the share of voiced frames, the speech level (the
90th percentile RMS of the voiced frames), the peak and the share of clipped samples. Thresholds
are settings (``recording.min_voiced_ratio`` ...).
"""
from __future__ import annotations

from dataclasses import dataclass, field, asdict

import numpy as np

from kiosk.i18n.messages import section, t

FRAME_SECONDS = 0.02
CLIP_LEVEL = 0.99

#: This module's sentences, kept in the one catalogue (``kiosk.i18n.messages``).
SENTENCES: dict[str, dict[str, str]] = section("speech.")


def sentence(key: str | None, lang: str = "fa") -> str | None:
    """The sentence of ``key`` (None for no key), from the one catalogue."""
    return t(key, lang) if key else None


@dataclass
class SpeechCheck:
    ok: bool
    voiced_ratio: float  # share of 20 ms frames with voice
    clipped_ratio: float  # share of samples at |x| >= 0.99
    peak_dbfs: float
    speech_dbfs: float  # level of the voiced frames (90th percentile RMS), -120 when none
    voiced_seconds: float
    failures: list[str] = field(default_factory=list)  # "not_heard", "too_quiet", "too_loud", "too_short"
    instruction_key: str | None = None

    def sentence(self, lang: str = "fa") -> str | None:
        return sentence(self.instruction_key, lang) if self.instruction_key else None

    def to_dict(self) -> dict:
        d = asdict(self)
        for k in ("voiced_ratio", "clipped_ratio", "peak_dbfs", "speech_dbfs", "voiced_seconds"):
            d[k] = round(float(d[k]), 4)
        return d


@dataclass(frozen=True)
class SpeechThresholds:
    min_voiced_ratio: float = 0.2
    min_voiced_seconds: float = 0.6
    min_speech_dbfs: float = -35.0
    max_clipped_ratio: float = 0.001
    vad_floor_dbfs: float = -55.0

    @classmethod
    def from_settings(cls, settings=None) -> SpeechThresholds:
        if settings is None:
            return cls()
        return cls(
            min_voiced_ratio=float(settings.get("recording.min_voiced_ratio", cls.min_voiced_ratio)),
            min_voiced_seconds=float(settings.get("recording.min_voiced_seconds", cls.min_voiced_seconds)),
            min_speech_dbfs=float(settings.get("recording.min_speech_dbfs", cls.min_speech_dbfs)),
            max_clipped_ratio=float(settings.get("recording.max_clipped_ratio", cls.max_clipped_ratio)),
            vad_floor_dbfs=float(settings.get("recording.vad_floor_dbfs", cls.vad_floor_dbfs)),
        )


def _to_db(power: np.ndarray) -> np.ndarray:
    return 10.0 * np.log10(np.maximum(power, 1e-12))


def frame_features(samples: np.ndarray, rate: int) -> dict[str, np.ndarray]:
    """Per-20 ms-frame features of a mono signal: rms_dbfs, band_ratio, flatness, tonality, zcr."""
    x = np.asarray(samples, dtype=np.float64)
    if x.ndim > 1:
        x = x.mean(axis=1)
    n = max(1, int(round(rate * FRAME_SECONDS)))
    count = x.size // n
    if count == 0:
        empty = np.zeros(0)
        return {"rms_dbfs": empty, "band_ratio": empty, "flatness": empty, "tonality": empty, "zcr": empty}
    frames = x[: count * n].reshape(count, n)
    power = np.mean(frames ** 2, axis=1)
    rms_dbfs = _to_db(power)
    centred = frames - frames.mean(axis=1, keepdims=True)
    spec = np.abs(np.fft.rfft(centred * np.hanning(n), axis=1)) ** 2
    freqs = np.fft.rfftfreq(n, 1.0 / rate)
    band = (freqs >= 300) & (freqs <= 3400)
    total = spec[:, 1:].sum(axis=1) + 1e-20
    band_spec = spec[:, band] + 1e-20
    band_power = band_spec.sum(axis=1)
    band_ratio = band_power / total
    flatness = np.exp(np.mean(np.log(band_spec), axis=1)) / np.mean(band_spec, axis=1)
    tonality = band_spec.max(axis=1) / band_power
    signs = np.signbit(centred)
    zcr = np.mean(signs[:, 1:] != signs[:, :-1], axis=1)
    return {"rms_dbfs": rms_dbfs, "band_ratio": band_ratio, "flatness": flatness,
            "tonality": tonality, "zcr": zcr}


def voice_activity(samples: np.ndarray, rate: int, thresholds: SpeechThresholds | None = None) -> np.ndarray:
    """Boolean voice decision per 20 ms frame (see the module docstring)."""
    th = thresholds or SpeechThresholds()
    f = frame_features(samples, rate)
    rms = f["rms_dbfs"]
    if rms.size == 0:
        return np.zeros(0, bool)
    floor = float(np.percentile(rms, 10))
    energy_threshold = max(th.vad_floor_dbfs, min(floor + 6.0, -35.0))
    voiced = ((rms > energy_threshold) & (f["band_ratio"] >= 0.5) & (f["flatness"] <= 0.45)
              & (f["tonality"] <= 0.5) & (f["zcr"] <= 0.35))
    # fill gaps of up to 100 ms between voiced frames (stops inside words)
    idx = np.flatnonzero(voiced)
    if idx.size > 1:
        max_gap = int(round(0.1 / FRAME_SECONDS))
        for a, b in zip(idx[:-1], idx[1:], strict=False):
            if 1 < b - a <= max_gap + 1:
                voiced[a:b] = True
    return voiced


def check_speech(samples: np.ndarray, rate: int, settings=None,
                 thresholds: SpeechThresholds | None = None) -> SpeechCheck:
    """The speech pre-check of a clip (mono or (n, channels) float samples in [-1, 1])."""
    th = thresholds or SpeechThresholds.from_settings(settings)
    x = np.asarray(samples, dtype=np.float32)
    if x.ndim > 1:
        x = x.mean(axis=1) if x.shape[1] > 1 else x[:, 0]
    if x.size == 0:
        return SpeechCheck(False, 0.0, 0.0, -120.0, -120.0, 0.0, ["not_heard"], "speech.not_heard")
    absx = np.abs(x)
    peak = float(absx.max())
    peak_dbfs = 20 * np.log10(peak) if peak > 1e-6 else -120.0
    clipped_ratio = float(np.mean(absx >= CLIP_LEVEL))
    voiced = voice_activity(x, rate, th)
    voiced_ratio = float(voiced.mean()) if voiced.size else 0.0
    voiced_seconds = float(voiced.sum() * FRAME_SECONDS)
    rms = frame_features(x, rate)["rms_dbfs"]
    speech_dbfs = float(np.percentile(rms[voiced], 90)) if voiced.any() else -120.0

    failures: list[str] = []
    if clipped_ratio > th.max_clipped_ratio:
        failures.append("too_loud")
    if voiced_seconds < min(th.min_voiced_seconds, 0.1) or not voiced.any():
        failures.append("not_heard")
    else:
        if speech_dbfs < th.min_speech_dbfs:
            failures.append("too_quiet")
        if voiced_ratio < th.min_voiced_ratio or voiced_seconds < th.min_voiced_seconds:
            failures.append("too_short")
    order = ("not_heard", "too_loud", "too_quiet", "too_short")
    key = next((f"speech.{f}" for f in order if f in failures), None)
    return SpeechCheck(not failures, voiced_ratio, clipped_ratio, float(peak_dbfs), speech_dbfs,
                       voiced_seconds, failures, key)


__all__ = ["SpeechCheck", "SpeechThresholds", "check_speech", "voice_activity", "frame_features",
           "sentence", "SENTENCES"]
