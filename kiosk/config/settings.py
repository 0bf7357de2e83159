"""Settings: one definition (default, help, validation) for the file, the environment and the
settings screen.

* The file is TOML at ``settings_path()`` (the platform's application-settings folder, or the
  path in ``KIOSK_SETTINGS``).
* Every key can be overridden from the environment: ``broker.url`` -> ``KIOSK_BROKER__URL``.
* Values are validated on load and on ``set``; a bad value raises ``SettingsError`` naming the
  key and what is wrong.

Empty ``broker.url`` means: start the built-in sandbox broker in-process (demo mode). Empty
``camera.source`` / ``microphone.source`` mean: use the simulated devices.
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import platformdirs
import tomli_w


class SettingsError(ValueError):
    pass


@dataclass(frozen=True)
class Setting:
    key: str
    default: Any
    help: str
    kind: type = str
    choices: tuple | None = None
    minimum: float | None = None
    maximum: float | None = None
    check: Callable[[Any], str | None] | None = None  # returns an error sentence or None
    secret: bool = False  # never shown in logs or status output

    def convert(self, value: Any) -> Any:
        """Coerce ``value`` (from TOML, the environment or a form) to this setting's type."""
        try:
            if self.kind is bool:
                if isinstance(value, str):
                    low = value.strip().lower()
                    if low in ("1", "true", "yes", "on"):
                        value = True
                    elif low in ("0", "false", "no", "off", ""):
                        value = False
                    else:
                        raise ValueError(value)
                value = bool(value)
            elif self.kind is dict:
                if isinstance(value, str):
                    import json

                    value = json.loads(value) if value.strip() else {}
                if not isinstance(value, dict):
                    raise ValueError(value)
            elif self.kind is int:
                if isinstance(value, bool):
                    raise ValueError(value)
                value = int(str(value).strip()) if isinstance(value, str) else int(value)
            elif self.kind is float:
                value = float(value)
            else:
                value = str(value)
        except (TypeError, ValueError) as exc:
            raise SettingsError(f"{self.key}: expected {self.kind.__name__}, got {value!r}") from exc
        if self.choices is not None and value not in self.choices:
            raise SettingsError(f"{self.key}: must be one of {', '.join(map(str, self.choices))}, got {value!r}")
        if self.minimum is not None and value < self.minimum:
            raise SettingsError(f"{self.key}: must be at least {self.minimum}, got {value!r}")
        if self.maximum is not None and value > self.maximum:
            raise SettingsError(f"{self.key}: must be at most {self.maximum}, got {value!r}")
        if self.check is not None:
            problem = self.check(value)
            if problem:
                raise SettingsError(f"{self.key}: {problem}")
        return value


def _url(value: str) -> str | None:
    if value and not value.startswith(("http://", "https://")):
        return "must start with http:// or https:// (or be empty for the built-in sandbox)"
    return None


S = Setting
DEFINITIONS: tuple[Setting, ...] = (
    # broker
    S("broker.url", "", "Broker base URL (Base_URL). Empty: start the built-in sandbox broker.", check=_url),
    S("broker.ca_file", "", "PEM file of a CA to pin for the broker's TLS certificate; empty: system CAs."),
    S("broker.verify_tls", True, "Verify the broker's TLS certificate. Turning this off is insecure and logged loudly.", bool),
    S("broker.timeout", 20.0, "Seconds to wait for a broker answer (connect and read).", float, minimum=1, maximum=600),
    S("broker.upload_timeout", 120.0, "Seconds to wait for a media upload to be answered.", float, minimum=5, maximum=1800),
    S("broker.retries", 3, "Retries of idempotent calls after a connection failure or 502/503/504.", int, minimum=0, maximum=10),
    S("broker.max_response_bytes", 64 * 1024 * 1024, "Largest broker answer accepted, in bytes.", int, minimum=1024),
    S("broker.endpoints", {}, "Overrides of endpoint paths: method name -> path (e.g. CheckToken).", dict),
    S("broker.flow_id", "", "The provider's FlowId (= CallerCode), XXX-x-00000000-0000."),
    S("broker.token_secret_file", "", "File holding the HS256 secret the broker gave for verification tokens.", secret=True),
    S("broker.provider_key_file", "", "PEM private key of the provider (token signature, dual-auth bearer).", secret=True),
    S("broker.broker_public_key_file", "", "PEM public key of the broker, to check signed answers (methods 15-20)."),
    S("broker.sign_tokens", True, "Send tokenSignature with SetToken (RSA signature of the token).", bool),
    S("broker.callback_url", "https://provider.invalid/ekyc/callback?token={tokenValue}&sig={tokenSignature}",
      "callbackUrl claim of the verification token."),
    S("broker.token_lifetime", 1800, "Seconds a verification token is valid (exp - iat).", int, minimum=60, maximum=86400),
    # ASSUMPTIONs of the API reference, as settings (the sandbox reads the same ones)
    S("tokens.jwt_algorithm", "HS256", "Algorithm of the verification JWT.", choices=("HS256", "HS384", "HS512")),
    S("tokens.signature_hash", "SHA256", "Hash of the provider's RSA PKCS#1 v1.5 token signature.", choices=("SHA1", "SHA256", "SHA384", "SHA512")),
    S("tokens.result_digest", "SHA1", "Hash giving DataToSign from base64(Result).", choices=("SHA1", "SHA256", "SHA384", "SHA512")),
    S("tokens.result_signature_hash", "SHA256", "Hash of the broker's RSA signature over DataToSign.", choices=("SHA1", "SHA256", "SHA384", "SHA512")),
    S("tokens.bearer_algorithm", "RS256", "Algorithm of the dual-auth bearer JWT.", choices=("RS256", "RS384", "RS512")),
    S("tokens.bearer_lifetime", 300, "Seconds a dual-auth bearer token lives (the broker allows at most 300).", int, minimum=10, maximum=300),
    S("tokens.clock_skew", 60, "Seconds of clock difference tolerated with the broker.", int, minimum=0, maximum=600),
    # devices
    S("camera.source", "", "Camera: a device index (0), a device name, a video/image file, or empty/'simulated'."),
    S("camera.width", 640, "Requested camera width in pixels.", int, minimum=160, maximum=3840),
    S("camera.height", 480, "Requested camera height in pixels.", int, minimum=120, maximum=2160),
    S("camera.fps", 30.0, "Requested camera frame rate.", float, minimum=1, maximum=120),
    S("microphone.source", "", "Microphone: a device index or name, a WAV file, 'silent', or empty/'simulated'."),
    S("microphone.sample_rate", 48000, "Requested sample rate (Opus works at 48000).", int, choices=(8000, 16000, 24000, 44100, 48000)),
    # face quality thresholds (sources in kiosk/quality/README or docstrings)
    S("quality.max_yaw", 5.0, "Largest |yaw| in degrees (ISO/IEC 19794-5 frontal pose: 5).", float, minimum=1, maximum=45),
    S("quality.max_pitch", 5.0, "Largest |pitch| in degrees (ISO/IEC 19794-5 frontal pose: 5).", float, minimum=1, maximum=45),
    S("quality.max_roll", 8.0, "Largest |roll| in degrees (ISO/IEC 19794-5 frontal pose: 8).", float, minimum=1, maximum=45),
    S("quality.min_sharpness", 40.0, "Smallest sharpness on the broker's AverageSharpness scale (below 40 very blurred).", float, minimum=0),
    S("quality.min_illumination", 0.3, "Smallest mean face luminance 0-1 (broker: below 0.2 too dark; OFIQ best 0.3-0.7).", float, minimum=0, maximum=1),
    S("quality.max_illumination", 0.8, "Largest mean face luminance 0-1 (OFIQ best 0.3-0.7).", float, minimum=0, maximum=1),
    S("quality.max_overexposed", 0.05, "Largest share of face pixels at 247 or more (OFIQ over-exposure).", float, minimum=0, maximum=1),
    S("quality.min_inter_eye_px", 90.0, "Smallest distance between eye centres in pixels (ICAO: 90).", float, minimum=10),
    S("quality.max_face_width_ratio", 0.75, "Largest face width as a share of the frame width (too near).", float, minimum=0.1, maximum=1),
    S("quality.steady_seconds", 0.5, "How long every check must hold before the selfie is taken.", float, minimum=0, maximum=5),
    S("quality.jpeg_quality", 92, "JPEG quality of the selfie sent to the broker.", int, minimum=50, maximum=100),
    # recording
    S("recording.seconds", 6.0, "Length of a read-the-sentence video.", float, minimum=2, maximum=30),
    S("recording.max_bytes", 8 * 1024 * 1024, "Largest video the broker takes, in bytes.", int, minimum=100_000),
    S("recording.video_bitrate", 1_000_000, "Video bit rate (bits/s).", int, minimum=100_000, maximum=10_000_000),
    S("recording.codec", "vp8", "Video codec of the WebM.", choices=("vp8", "vp9")),
    S("recording.min_voiced_ratio", 0.2, "Smallest share of 20 ms frames with voice in a read-the-sentence video.", float, minimum=0, maximum=1),
    S("recording.min_voiced_seconds", 0.6, "Least seconds of voice in a read-the-sentence video.", float, minimum=0, maximum=30),
    S("recording.min_speech_dbfs", -35.0, "Quietest speech level (dBFS, 90th percentile of voiced frames) before 'speak louder'.", float, minimum=-90, maximum=0),
    S("recording.max_clipped_ratio", 0.001, "Largest share of clipped samples (|x| >= 0.99) before 'too loud'.", float, minimum=0, maximum=1),
    S("recording.vad_floor_dbfs", -55.0, "Frames quieter than this (dBFS) never count as voice.", float, minimum=-90, maximum=0),
    S("recording.max_face_absent_seconds", 0.5, "Longest time the face may leave the frame (or a second face appear) while recording.", float, minimum=0, maximum=10),
    # ui and session
    S("ui.language", "fa", "Language at start: fa (Persian) or en (English).", choices=("fa", "en")),
    S("ui.fullscreen", True, "Run full screen (kiosk mode).", bool),
    S("session.idle_timeout", 180, "Seconds without activity before a session is cancelled and wiped.", int, minimum=15, maximum=3600),
    S("session.history_days", 30, "Days the sessions log (no personal data) is kept.", int, minimum=1, maximum=3650),
    S("staff.pin_hash", "", "Slow hash of the staff PIN (scrypt); set with the settings screen.", secret=True),
    S("logging.level", "INFO", "Log level.", choices=("DEBUG", "INFO", "WARNING", "ERROR")),
)
BY_KEY: dict[str, Setting] = {s.key: s for s in DEFINITIONS}


def settings_path() -> Path:
    env = os.environ.get("KIOSK_SETTINGS")
    if env:
        return Path(env)
    return Path(platformdirs.user_config_dir("kiosk", appauthor=False)) / "settings.toml"


def env_name(key: str) -> str:
    return "KIOSK_" + key.upper().replace(".", "__")


class Settings:
    """Validated values: defaults, then the file, then the environment, then ``overrides``."""

    def __init__(self, values: dict[str, Any] | None = None, path: Path | None = None):
        self.path = path
        self._values = {s.key: s.default for s in DEFINITIONS}
        for key, value in (values or {}).items():
            self.set(key, value)

    @classmethod
    def load(cls, path: Path | None = None, environ: dict[str, str] | None = None,
             overrides: dict[str, Any] | None = None) -> "Settings":
        path = settings_path() if path is None else Path(path)
        flat: dict[str, Any] = {}
        if path.exists():
            try:
                data = tomllib.loads(path.read_text("utf-8"))
            except (OSError, tomllib.TOMLDecodeError) as exc:
                raise SettingsError(f"settings file {path} cannot be read: {exc}") from exc
            flat = _flatten(data)
        environ = os.environ if environ is None else environ
        for s in DEFINITIONS:
            name = env_name(s.key)
            if name in environ:
                flat[s.key] = environ[name]
        flat.update(overrides or {})
        unknown = sorted(k for k in flat if k not in BY_KEY)
        if unknown:
            raise SettingsError(f"unknown settings: {', '.join(unknown)}")
        return cls(flat, path)

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self._values.get(key, default)

    def set(self, key: str, value: Any) -> None:
        if key not in BY_KEY:
            raise SettingsError(f"unknown setting: {key}")
        self._values[key] = BY_KEY[key].convert(value)

    def as_dict(self, redact: bool = True) -> dict[str, Any]:
        return {k: ("***" if redact and BY_KEY[k].secret and v else v) for k, v in self._values.items()}

    def changed(self) -> dict[str, Any]:
        return {k: v for k, v in self._values.items() if v != BY_KEY[k].default}

    def save(self, path: Path | None = None) -> Path:
        """Write the values that differ from the defaults (owner-only permissions)."""
        path = Path(path or self.path or settings_path())
        nested: dict[str, Any] = {}
        for key, value in sorted(self.changed().items()):
            section, _, name = key.partition(".")
            nested.setdefault(section, {})[name] = value
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            tomli_w.dump(nested, fh)
        os.replace(tmp, path)
        self.path = path
        return path


def _flatten(data: dict, prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in data.items():
        full = f"{prefix}{key}"
        if isinstance(value, dict) and full not in BY_KEY:
            flat.update(_flatten(value, full + "."))
        else:
            flat[full] = value
    return flat
