"""Settings: one definition (default, help, validation) for the file, the environment and the
settings screen.

* The file is TOML at ``settings_path()`` (the platform's application-settings folder, or the
  path in ``KIOSK_SETTINGS``).
* Every key can be overridden from the environment: ``broker.url`` -> ``KIOSK_BROKER__URL``.
* Values are validated on load and on ``set``; a bad value raises ``SettingsError`` naming the
  key and what is wrong (``str()`` in English for the log, ``.sentence(lang)`` in fa/en for the
  settings screen, ``.key`` for the field to mark).
* Key files (``private_file`` settings) are checked on load with
  ``kiosk.paths.check_private_file``: one that other users can read is refused.
* TLS verification off (``broker.verify_tls = false``) is logged loudly on load and listed by
  ``Settings.warnings(lang)`` for the settings screen.
* Every setting has its help in English (``help``) and Persian (``kiosk/config/help_fa.py``);
  ``Setting.help_text(lang)`` picks one. The settings screen is generated from ``DEFINITIONS``.

Empty ``broker.url`` means: start the built-in sandbox broker in-process (demo mode). Empty
``camera.source`` / ``microphone.source`` mean: use the simulated devices.
"""
from __future__ import annotations

import json
import logging
import math
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from typing import Any
from collections.abc import Callable

import platformdirs
import tomli_w

from kiosk.config.help_fa import HELP_FA
from kiosk.i18n.digits import to_persian_digits
from kiosk.hardening import private_dir
from kiosk.config.pin_hash import check_pin_setting
from kiosk.paths import PrivateFileError, check_private_file

log = logging.getLogger(__name__)


class SettingsError(ValueError):
    """A bad setting. ``key``: the setting (None for the file as a whole); ``fa``: the problem
    in Persian (``str(exc)`` is the English one, prefixed with the key)."""

    def __init__(self, message: str, key: str | None = None, fa: str | None = None,
                 problem: str | None = None):
        super().__init__(message)
        self.key = key
        self.problem = problem if problem is not None else message
        self.fa = fa

    def sentence(self, lang: str = "fa") -> str:
        """The problem without the key (shown at the field), in ``lang``."""
        if lang == "fa":
            return self.fa or f"مقدار نادرست است ({self.problem})"
        return self.problem


class SettingsErrors(SettingsError):
    """Several bad values at once (``Settings.update``); ``errors`` maps key -> SettingsError."""

    def __init__(self, errors: dict[str, SettingsError]):
        self.errors = dict(errors)
        super().__init__("; ".join(str(e) for e in self.errors.values()), None,
                         "؛ ".join(e.sentence("fa") for e in self.errors.values()))


def _fa_digits(value: Any) -> str:
    return to_persian_digits(value)


@dataclass(frozen=True)
class Setting:
    key: str
    default: Any
    help: str
    kind: type = str
    choices: tuple | None = None
    minimum: float | None = None
    maximum: float | None = None
    check: Callable[[Any], str | tuple[str, str] | None] | None = None  # error (en or (en, fa)) or None
    secret: bool = False  # never shown in logs or status output
    private_file: bool = False  # a path to a key file: must not be readable by other users

    def help_text(self, lang: str = "en") -> str:
        if lang == "fa":
            return HELP_FA.get(self.key) or self.help
        return self.help

    def _error(self, en: str, fa: str) -> SettingsError:
        return SettingsError(f"{self.key}: {en}", self.key, fa, en)

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
            kinds_fa = {bool: "بله/خیر", dict: "یک شیء JSON", int: "یک عدد صحیح", float: "یک عدد", str: "متن"}
            kinds_en = {bool: "yes or no", dict: "a JSON object", int: "a whole number", float: "a number",
                        str: "text"}
            raise self._error(f"must be {kinds_en.get(self.kind, self.kind.__name__)}, got {value!r}",
                              f"باید {kinds_fa.get(self.kind, self.kind.__name__)} باشد") from exc
        if self.kind is float and not math.isfinite(value):
            raise self._error(f"must be a finite number, got {value!r}", "باید عددی متناهی باشد (نه nan یا inf)")
        if self.choices is not None and value not in self.choices:
            options = ", ".join(map(str, self.choices))
            raise self._error(f"must be one of {options}, got {value!r}", f"باید یکی از این‌ها باشد: {options}")
        if self.minimum is not None and value < self.minimum:
            raise self._error(f"must be at least {self.minimum}, got {value!r}",
                              f"باید دست‌کم {_fa_digits(self.minimum)} باشد")
        if self.maximum is not None and value > self.maximum:
            raise self._error(f"must be at most {self.maximum}, got {value!r}",
                              f"باید حداکثر {_fa_digits(self.maximum)} باشد")
        if self.check is not None:
            problem = self.check(value)
            if problem:
                en, fa = problem if isinstance(problem, tuple) else (problem, None)
                raise self._error(en, fa or f"مقدار نادرست است ({en})")
        return value


def _url(value: str) -> str | tuple[str, str] | None:
    if value and not value.startswith(("http://", "https://")):
        return ("must start with http:// or https:// (or be empty for the built-in sandbox)",
                "باید با http:// یا https:// شروع شود (یا خالی بماند تا سامانهٔ احراز هویت آزمایشی داخلی به کار رود)")
    return None


def _pin_hash(value: str) -> tuple[str, str] | None:
    problem = check_pin_setting(value)
    if problem:
        return problem, "هش رمز نیست؛ رمز را در صفحهٔ تنظیمات تعیین کنید (هرگز خود رمز را ذخیره نکنید)"
    return None


def _claim_name(value: str) -> tuple[str, str] | None:
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,63}", value or ""):
        return ("must be a claim name: letters, digits and _, not starting with a digit",
                "باید نام یک ادعای توکن باشد: حروف لاتین، رقم و _ و بدون رقم در آغاز")
    return None


ADMITTANCE_PLACEHOLDERS = ("{first_name}", "{last_name}")


def _admittance_template(value: str) -> tuple[str, str] | None:
    rest = value
    for p in ADMITTANCE_PLACEHOLDERS:
        rest = rest.replace(p, "")
    if "{" in rest or "}" in rest:
        return ("may hold only the placeholders {first_name} and {last_name}",
                "فقط جای‌نگه‌دارهای {first_name} و {last_name} مجاز است")
    return None


S = Setting
DEFINITIONS: tuple[Setting, ...] = (
    # broker
    S("broker.url", "", "Broker base URL (Base_URL). Empty: start the built-in sandbox broker.", check=_url),
    S("broker.ca_file", "", "PEM file of one CA to pin for the broker's TLS certificate (only that CA is trusted); "
      "empty: the operating system's trust store (a bank CA installed on the kiosk works)."),
    S("broker.verify_tls", True, "Verify the broker's TLS certificate. Turning this off is insecure and logged loudly.", bool),
    S("broker.timeout", 20.0, "Seconds one exchange with the broker may take in all: connecting, the status line and "
      "headers, and the whole answer.", float, minimum=1, maximum=600),
    S("broker.upload_timeout", 120.0, "Seconds to wait for a media upload to be answered.", float, minimum=5, maximum=1800),
    S("broker.retries", 3, "Retries of idempotent calls after a connection failure or 502/503/504.", int, minimum=0, maximum=10),
    S("broker.max_response_bytes", 64 * 1024 * 1024, "Largest broker answer accepted, in bytes, counted after any "
      "decompression.", int, minimum=1024),
    S("broker.call_budget", 60.0, "Seconds one broker call may take in all: every attempt, its headers and body, and "
      "the waits between attempts (Retry-After included).", float, minimum=1, maximum=3600),
    S("broker.endpoints", {}, "Overrides of endpoint paths: method name -> path (e.g. CheckToken).", dict),
    S("broker.flow_id", "", "The provider's FlowId (= CallerCode), XXX-x-00000000-0000."),
    S("broker.token_secret_file", "", "File holding the HS256 secret the broker gave for verification tokens.", secret=True,
      private_file=True),
    S("broker.provider_key_file", "", "PEM private key of the provider (token signature, dual-auth bearer).", secret=True,
      private_file=True),
    S("broker.broker_public_key_file", "", "PEM public key of the broker, to check signed answers (methods 15-20)."),
    S("broker.sign_tokens", True, "Send tokenSignature with SetToken (RSA signature of the token).", bool),
    S("broker.callback_url", "https://provider.invalid/ekyc/callback?token={tokenValue}&sig={tokenSignature}",
      "callbackUrl claim of the verification token."),
    S("broker.token_lifetime", 1800, "Seconds a verification token is valid (exp - iat).", int, minimum=60, maximum=86400),
    # the broker profile: readings the original document leaves open (docs/BROKER.md)
    S("broker.signature_encoding", "base64", "Text form of tokenSignature: base64 (standard alphabet with = padding, "
      "as the original's POST body says; percent-encoded in a GET query) or base64url (a broker that differs).",
      choices=("base64", "base64url")),
    S("broker.caller_code_claim", "CallerCode", "Name of the token claim holding the FlowId (section 5 spells "
      "CallerCode; some brokers read callerCode).", check=_claim_name),
    S("broker.order_id_claim", "orderId", "Name of the token claim holding the order id (the original never names it).",
      check=_claim_name),
    S("broker.order_id_format", "digits", "Form of new order ids: digits (as in the original's samples; works with a "
      "broker that stores it as a number) or alphanumeric.", choices=("digits", "alphanumeric")),
    S("broker.filter_biometric_data_means", "include_media", "What FilterBiometricData=true asks of GetCitizenData: "
      "include_media (the original: false leaves the base64 media out) or omit_media.",
      choices=("include_media", "omit_media")),
    S("broker.temp_token_verb", "GET", "HTTP verb of GenerateTempToken (the original: GET with tempTokenValue in the "
      "query).", choices=("GET", "POST")),
    S("broker.video_tries", "per_step", "How VideoTryCount counts: per_step (the selfie video and the admittance video "
      "each have VideoTryCount tries) or shared (one count for both).", choices=("per_step", "shared")),
    S("broker.admittance_text", "اینجانب {first_name} {last_name} با آگاهی کامل و به اختیار خود، درخواست احراز هویت "
      "خود را تأیید می‌کنم.", "The provider's own sentence (admittance), written into every token's admittanceText; "
      "the applicant reads it aloud when the provider has AdmittancePermission. May hold {first_name} and {last_name}.",
      check=_admittance_template),
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
    S("quality.max_pitch", 8.0, "Largest |pitch| in degrees (ISO/IEC 19794-5 frontal pose: 5; 8 allows for the measured "
      "per-person spread of frontal faces, see kiosk/quality/README.md, Pitch zero).", float, minimum=1, maximum=45),
    S("quality.max_roll", 8.0, "Largest |roll| in degrees (ISO/IEC 19794-5 frontal pose: 8).", float, minimum=1, maximum=45),
    S("quality.min_sharpness", 40.0, "Smallest sharpness on the broker's AverageSharpness scale (below 40 very blurred).", float, minimum=0),
    S("quality.min_illumination", 0.3, "Smallest mean face luminance 0-1 (broker: below 0.2 too dark; OFIQ best 0.3-0.7).", float, minimum=0, maximum=1),
    S("quality.max_illumination", 0.8, "Largest mean face luminance 0-1 (OFIQ best 0.3-0.7).", float, minimum=0, maximum=1),
    S("quality.max_overexposed", 0.05, "Largest share of face pixels at 247 or more (OFIQ over-exposure).", float, minimum=0, maximum=1),
    S("quality.min_inter_eye_px", 90.0, "Smallest distance between eye centres in pixels (ICAO: 90).", float, minimum=10),
    S("quality.max_face_width_ratio", 0.75, "Largest face width as a share of the frame width (too near).", float, minimum=0.1, maximum=1),
    S("quality.max_off_centre", 0.2, "Largest distance of the face centre from the frame centre, as a share of the frame size.", float, minimum=0.05, maximum=0.5),
    S("quality.steady_seconds", 1.0, "How long every check must hold before a photo is taken (the \"hold still\" ring).", float, minimum=0, maximum=5),
    S("quality.jpeg_quality", 92, "JPEG quality of the selfie sent to the broker.", int, minimum=50, maximum=100),
    S("signature.touch_pad", False, "Offer signing on the touch screen instead of a wet signature on paper.", bool),
    # recording
    S("recording.seconds", 6.0, "Length of a read-the-sentence video (the least, for a longer sentence it grows).",
      float, minimum=2, maximum=30),
    S("recording.words_per_minute", 100.0, "Reading-aloud speed assumed for a sentence's recording length (an unpractised "
      "reader of Persian: about 100 words a minute).", float, minimum=30, maximum=300),
    S("recording.max_seconds", 45.0, "Longest read-the-sentence video; a sentence that needs longer is refused.", float,
      minimum=5, maximum=120),
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
    S("staff.pin_hash", "", "Slow hash of the staff PIN (scrypt); set with the settings screen.", secret=True,
      check=_pin_hash),
    S("staff.idle_timeout", 120, "Seconds without a key or a touch before the staff menu, console or PIN prompt "
      "closes by itself; opening it again asks for the PIN.", int, minimum=15, maximum=3600),
    S("logging.level", "INFO", "Log level.", choices=("DEBUG", "INFO", "WARNING", "ERROR")),
)
BY_KEY: dict[str, Setting] = {s.key: s for s in DEFINITIONS}


def settings_path() -> Path:
    env = os.environ.get("KIOSK_SETTINGS")
    if env:
        return Path(env)
    return Path(platformdirs.user_config_dir("kiosk", appauthor=False)) / "settings.toml"


def _private_config_dir(path: Path) -> bool:
    """The platform's settings folder (``~/.config/kiosk``) is made or forced ``0700`` (a folder
    named by ``KIOSK_SETTINGS`` is left as IT made it). True when ``path`` is in it."""
    if "KIOSK_SETTINGS" in os.environ or path.parent != settings_path().parent:
        return False
    private_dir(path.parent)
    return True


def env_name(key: str) -> str:
    return "KIOSK_" + key.upper().replace(".", "__")


class Settings:
    """Validated values: defaults, then the file, then the environment, then ``overrides``."""

    def __init__(self, values: dict[str, Any] | None = None, path: Path | None = None):
        self.path = path
        self.from_environment: frozenset[str] = frozenset()  # keys overridden by KIOSK_* variables
        self._values = {s.key: s.default for s in DEFINITIONS}
        for key, value in (values or {}).items():
            self.set(key, value)

    @classmethod
    def load(cls, path: Path | None = None, environ: Mapping[str, str] | None = None,
             overrides: dict[str, Any] | None = None, check_files: bool = True) -> Settings:
        """Defaults < the file < ``KIOSK_*`` environment variables < ``overrides``.
        ``check_files``: refuse key files other users can read (``check_private_file``)."""
        path = settings_path() if path is None else Path(path)
        if path.parent.exists():
            _private_config_dir(path)
        flat: dict[str, Any] = {}
        if path.exists():
            try:
                data = tomllib.loads(path.read_text("utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
                raise SettingsError(f"settings file {path} cannot be read: {exc}", None,
                                    f"پروندهٔ تنظیمات {path} خوانده نمی‌شود: {exc}") from exc
            flat = _flatten(data)
            if check_files:
                _check_settings_file(path, flat)
        env: Mapping[str, str] = os.environ if environ is None else environ
        env_keys: set[str] = set()
        for s in DEFINITIONS:
            name = env_name(s.key)
            if name in env:
                flat[s.key] = env[name]
                env_keys.add(s.key)
        flat.update(overrides or {})
        unknown = sorted(k for k in flat if k not in BY_KEY)
        if unknown:
            raise SettingsError(f"unknown settings: {', '.join(unknown)}", None,
                                f"تنظیمات ناشناخته: {', '.join(unknown)}")
        settings = cls(flat, path)
        settings.from_environment = frozenset(env_keys)
        if check_files:
            settings.check_files()
        if not settings["broker.verify_tls"]:
            log.warning("!!! INSECURE: broker.verify_tls is false: the broker's TLS certificate is NOT checked; "
                        "anyone on the network can read and forge broker answers. Turn it back on. !!!")
        return settings

    def check_files(self) -> None:
        """Refuse a key file that other users can read (files not there yet are left to the
        self-test, which says which one is missing)."""
        for s in DEFINITIONS:
            value = self._values.get(s.key)
            if not s.private_file or not value:
                continue
            p = Path(value).expanduser()
            if not p.exists():
                continue
            try:
                check_private_file(p)
            except PrivateFileError as exc:
                raise SettingsError(f"{s.key}: {exc}", s.key,
                                    f"کاربران دیگر می‌توانند این پرونده را بخوانند؛ دستور chmod 600 {p} را اجرا کنید",
                                    str(exc)) from exc

    def warnings(self, lang: str = "en") -> list[str]:
        """Loud warnings for the settings screen (insecure choices)."""
        out: list[str] = []
        if not self["broker.verify_tls"]:
            out.append("هشدار امنیتی: بررسی گواهی TLS سامانهٔ احراز هویت خاموش است؛ هر کسی در شبکه می‌تواند پاسخ‌های سامانهٔ احراز هویت را بخواند "
                       "و جعل کند. broker.verify_tls را روشن کنید."
                       if lang == "fa" else
                       "SECURITY WARNING: the broker's TLS certificate is not verified; anyone on the network can read "
                       "and forge broker answers. Turn broker.verify_tls back on.")
        url = self["broker.url"]
        if url.startswith("http://") and not _is_loopback_url(url):
            out.append("هشدار امنیتی: نشانی سامانهٔ احراز هویت با http:// است و رمزنگاری نمی‌شود؛ از https:// استفاده کنید."
                       if lang == "fa" else
                       "SECURITY WARNING: the broker URL uses http:// without encryption; use https://.")
        return out

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self._values.get(key, default)

    def set(self, key: str, value: Any) -> None:
        if key not in BY_KEY:
            raise SettingsError(f"unknown setting: {key}")
        self._values[key] = BY_KEY[key].convert(value)

    def update(self, values: dict[str, Any]) -> dict[str, Any]:
        """Validate every value first, then apply them all (or none): returns the keys whose
        value changed, with their new values. Raises ``SettingsErrors`` (one per bad key)."""
        converted: dict[str, Any] = {}
        errors: dict[str, SettingsError] = {}
        for key, value in values.items():
            if key not in BY_KEY:
                errors[key] = SettingsError(f"unknown setting: {key}", key, f"تنظیم ناشناخته: {key}", "unknown setting")
                continue
            try:
                converted[key] = BY_KEY[key].convert(value)
            except SettingsError as exc:
                errors[key] = exc
        if errors:
            raise SettingsErrors(errors)
        changed = {k: v for k, v in converted.items() if v != self._values[k]}
        self._values.update(converted)
        if "broker.verify_tls" in changed and not changed["broker.verify_tls"]:
            log.warning("!!! INSECURE: broker.verify_tls was turned off: the broker's TLS certificate is NOT "
                        "checked. !!!")
        return changed

    def copy(self) -> Settings:
        other = Settings(path=self.path)
        other._values = dict(self._values)
        other.from_environment = self.from_environment
        return other

    def as_dict(self, redact: bool = True) -> dict[str, Any]:
        return {k: ("***" if redact and BY_KEY[k].secret and v else v) for k, v in self._values.items()}

    def changed(self) -> dict[str, Any]:
        return {k: v for k, v in self._values.items() if v != BY_KEY[k].default}

    def save(self, path: Path | None = None) -> Path:
        """Write the values that differ from the defaults (owner-only permissions)."""
        path = Path(path or self.path or settings_path())
        values = self.changed()
        if self.from_environment:  # an environment override is not written into the file
            previous: dict[str, Any] = {}
            if path.exists():
                try:
                    previous = _flatten(tomllib.loads(path.read_text("utf-8")))
                except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                    previous = {}
            for key in self.from_environment:
                values.pop(key, None)
                if key in previous and key in BY_KEY:
                    values[key] = BY_KEY[key].convert(previous[key])
        nested: dict[str, Any] = {}
        for key, value in sorted(values.items()):
            section, _, name = key.partition(".")
            nested.setdefault(section, {})[name] = value
        if not _private_config_dir(path):
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            tomli_w.dump(nested, fh)
        os.replace(tmp, path)
        self.path = path
        return path


def _check_settings_file(path: Path, flat: dict[str, Any]) -> None:
    """Refuse a settings file other users can change (they could point the kiosk at another
    broker or turn TLS checks off), or read when it holds the staff PIN's hash (a short PIN is
    quickly guessed from its hash)."""
    if os.name != "posix":
        return
    mode = path.stat().st_mode & 0o777
    if mode & 0o022 or (mode & 0o044 and flat.get("staff.pin_hash")):
        raise SettingsError(
            f"settings file {path} can be {'changed' if mode & 0o022 else 'read'} by other users "
            f"(mode {mode:o}); run: chmod 600 {path}", None,
            f"کاربران دیگر می‌توانند پروندهٔ تنظیمات {path} را {'تغییر دهند' if mode & 0o022 else 'بخوانند'}؛ "
            f"دستور chmod 600 {path} را اجرا کنید")


def _is_loopback_url(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return host in ("localhost", "::1") or host.startswith("127.")


def _flatten(data: dict, prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in data.items():
        full = f"{prefix}{key}"
        if isinstance(value, dict) and full not in BY_KEY:
            flat.update(_flatten(value, full + "."))
        else:
            flat[full] = value
    return flat
