"""The kiosk's self-test: camera, microphone, models, keys, broker, clock. No Qt here.

``run_selftest(settings, broker_url=None, credentials=None, camera_spec=None, mic_spec=None)``
returns one ``CheckResult`` per check, in this order:

* ``settings``: the settings are safe (TLS verification on, https to a remote broker; with a
  real broker, a staff PIN of 6+ digits set with ``kiosk set-pin``, its pepper in place).
* ``models``: the shipped face models are there, unchanged (sha256) and load; inference runs.
* ``camera``: the camera opens and gives frames at the expected rate (measured over ~1 s), not
  black.
* ``microphone``: the microphone delivers sound in real time (once started: a sound server may
  take up to ``MIC_START_ALLOWANCE`` s to deliver its first sound) and hears something above the
  noise floor (the simulated microphone counts).
* ``keys``: the provider's key parses and matches its public half (when present), the broker's
  public key parses, FlowId and token secret are set, key files are private.
* ``broker``: the broker answers GetTokenProviderProperties for this FlowId; the permissions
  are listed.
* ``broker_access``: the broker accepts the kiosk's dual-auth bearer (a status query for an
  order that does not exist must be refused as "not found", not as "unauthorised").
* ``clock``: the kiosk's clock is within ``tokens.clock_skew`` of the broker's ``Date`` header.
* ``recovery``: what a crash or power cut left behind is closed (``kiosk.core.recovery``):
  verification tokens still open at the broker are aborted, orphaned encrypted media wiped.
  It fails only when open tokens had to be kept because no broker could be reached or used.

Every line either passes or says exactly what to fix, in Persian and English
(``CheckResult.text(lang)``). A check that cannot run because an earlier one failed is
``skipped`` (not a pass, not counted as a failure of its own).
"""
from __future__ import annotations

import email.utils
import logging
import ssl
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx
import numpy as np

from kiosk.capture import sources
from kiosk.broker import admittance
from kiosk.core.staff_pin import pin_note, pin_problem
from kiosk import paths
from kiosk.broker import credentials as creds
from kiosk.broker import tokens
from kiosk.broker.client import BrokerClient
from kiosk.broker.credentials import CredentialsError
from kiosk.broker.errors import BrokerError, BrokerRefused, BrokerUnauthorized, ProtocolError, SignatureInvalid, TransportError
from kiosk.core.recovery import KEPT, recover

log = logging.getLogger(__name__)

CHECK_NAMES = ("settings", "models", "camera", "microphone", "keys", "broker", "broker_access", "clock", "recovery")
TITLES = {
    "settings": ("تنظیمات", "Settings"),
    "models": ("مدل‌های چهره", "Face models"),
    "camera": ("دوربین", "Camera"),
    "microphone": ("میکروفون", "Microphone"),
    "keys": ("کلیدها", "Keys"),
    "broker": ("سامانهٔ احراز هویت", "Broker"),
    "broker_access": ("دسترسی به سامانهٔ احراز هویت", "Broker access"),
    "clock": ("ساعت", "Clock"),
    "recovery": ("بازیابی پس از قطع ناگهانی", "Recovery after a crash"),
}
MIN_FPS_RATIO = 0.75  # a camera giving less than 75 % of camera.fps fails
BLACK_LEVEL = 4.0  # mean pixel value under which frames count as black
MIN_AUDIO_RATIO = 0.6  # share of the expected samples that must arrive in real time
NOISE_MARGIN_DB = 6.0  # loudest frames must stand this far above the quietest ones
MIC_START_ALLOWANCE = 3.0  # s a microphone may take to deliver its first sound (not counted in the rate)


@dataclass
class CheckResult:
    """One line of the self-test. ``detail``/``fix`` in English, ``detail_fa``/``fix_fa`` in
    Persian; ``fix`` is empty when ``ok``. ``data``: figures (fps, dBFS, permissions...)."""

    name: str
    ok: bool
    detail: str
    fix: str = ""
    detail_fa: str = ""
    fix_fa: str = ""
    skipped: bool = False
    data: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def failed(self) -> bool:
        return not self.ok and not self.skipped

    def title(self, lang: str = "fa") -> str:
        fa, en = TITLES.get(self.name, (self.name, self.name))
        return fa if lang == "fa" else en

    def text(self, lang: str = "fa") -> str:
        """One line: the title, the outcome, and what to fix."""
        if lang == "fa":
            mark = "درست" if self.ok else ("بررسی نشد" if self.skipped else "نادرست")
            line = f"{self.title('fa')}: {mark} — {self.detail_fa or self.detail}"
            fix = self.fix_fa or self.fix
            return line + (f" راه حل: {fix}" if fix else "")
        mark = "OK" if self.ok else ("SKIPPED" if self.skipped else "FAIL")
        return f"{self.title('en')}: {mark} - {self.detail}" + (f" Fix: {self.fix}" if self.fix else "")

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["seconds"] = round(self.seconds, 3)
        return d


def _ok(name: str, en: str, fa: str, **data) -> CheckResult:
    return CheckResult(name, True, en, "", fa, "", False, data)


def _fail(name: str, en: str, fa: str, fix_en: str, fix_fa: str, **data) -> CheckResult:
    return CheckResult(name, False, en, fix_en, fa, fix_fa, False, data)


def _skip(name: str, en: str, fa: str) -> CheckResult:
    return CheckResult(name, False, en, "", fa, "", True, {})


def _fa(value: Any) -> str:
    return str(value).translate(str.maketrans("0123456789.", "۰۱۲۳۴۵۶۷۸۹٫"))


# ----------------------------------------------------------------------------- settings

def check_settings(settings) -> CheckResult:
    pin = pin_problem(settings)
    if pin is not None:
        return _fail("settings", "Staff PIN: " + pin[0], "رمز کارکنان: " + pin[1], pin[2], pin[3])
    warnings_en, warnings_fa = settings.warnings("en"), settings.warnings("fa")
    if warnings_en:
        return _fail("settings", " ".join(warnings_en), " ".join(warnings_fa),
                     "Set broker.verify_tls = true and use an https:// broker.url (give broker.ca_file for a private CA).",
                     "broker.verify_tls را روشن کنید و برای broker.url نشانی https:// بدهید (برای مرجع گواهی خصوصی، broker.ca_file را تعیین کنید).")
    note = pin_note(settings) or ("", "")
    return _ok("settings", "The settings are safe (TLS verification on)." + note[0],
               "تنظیمات امن است (بررسی گواهی TLS روشن است)." + note[1])


# ----------------------------------------------------------------------------- models

def check_models(settings) -> CheckResult:
    try:
        from kiosk.quality import models  # noqa: PLC0415 - inside the check: a broken install is reported as this check's line, not a crash
    except ImportError as exc:
        return _fail("models", f"The face-check module is missing ({exc}).", "بخش بررسی چهره در نرم‌افزار نیست.",
                     "Reinstall the kiosk.", "کیوسک را دوباره نصب کنید.")
    try:
        found = models.verify_all()
    except Exception as exc:  # noqa: BLE001 - ModelError and anything odd: a line of the self-test
        return _fail("models", str(exc), "پروندهٔ مدل چهره پیدا نشد یا خراب است.",
                     "Reinstall the kiosk (the models ship in resources/models; nothing is downloaded).",
                     "کیوسک را دوباره نصب کنید (مدل‌ها همراه نرم‌افزار در resources/models است و چیزی دانلود نمی‌شود).")
    try:
        from kiosk.quality.face import FaceAnalyzer  # noqa: PLC0415 - inside the check: mediapipe failing to load is reported as this check's line

        with FaceAnalyzer(settings) as analyzer:
            report = analyzer.analyze(np.full((240, 320, 3), 128, np.uint8))
        faces = int(getattr(report, "faces", 0) or 0)
    except Exception as exc:  # noqa: BLE001 - the self-test reports any failure to load as a line, never crashes
        return _fail("models", f"The face models did not load: {type(exc).__name__}: {exc}",
                     "مدل‌های چهره بارگذاری نشد.",
                     "Reinstall the kiosk; if it persists, the graphics libraries (libegl1, libgles2) are missing.",
                     "کیوسک را دوباره نصب کنید؛ اگر تکرار شد، کتابخانه‌های گرافیکی (libegl1 و libgles2) نصب نیست.")
    if faces:
        return _fail("models", f"The face model found {faces} face(s) in a blank picture.",
                     "مدل چهره در تصویر خالی چهره پیدا کرد.",
                     "Reinstall the kiosk: a model file is wrong.", "کیوسک را دوباره نصب کنید: پروندهٔ مدل نادرست است.")
    names = ", ".join(sorted(found))
    return _ok("models", f"Face models present, unchanged (sha256) and working: {names}.",
               f"مدل‌های چهره سالم (sha256) و آماده است: {names}.", models=sorted(found))


# ----------------------------------------------------------------------------- camera

def check_camera(settings, spec: str | None = None, seconds: float = 1.0,
                 cancel: threading.Event | None = None) -> CheckResult:
    spec = sources.camera_source(settings) if spec is None else spec
    if sources.real_broker(settings) and sources.is_simulated(spec):
        return _fail("camera", f"The simulated camera ({spec or 'simulated'!r}) is set with a real broker: applicants' "
                     "pictures would be a stock face.",
                     "دوربین شبیه‌سازی‌شده با سامانهٔ احراز هویت واقعی تنظیم شده است: تصویر متقاضیان چهرهٔ آماده خواهد بود.",
                     "Set camera.source to the kiosk's webcam (a device index such as 0, or its name).",
                     "camera.source را دوربین کیوسک بگذارید (شمارهٔ دستگاه مانند ۰ یا نام آن).")
    want = float(settings["camera.fps"])
    width, height = int(settings["camera.width"]), int(settings["camera.height"])
    shown = spec or "simulated"
    fix_spec_en = (f"Check the camera is plugged in and not used by another program, and that camera.source "
                   f"(now {shown!r}) names it: a device index such as 0, a device name or a video file.")
    fix_spec_fa = (f"مطمئن شوید دوربین وصل است و برنامهٔ دیگری از آن استفاده نمی‌کند و camera.source "
                   f"(اکنون {shown!r}) به آن اشاره می‌کند: شمارهٔ دستگاه مانند ۰، نام دستگاه یا پروندهٔ ویدئو.")
    try:
        from kiosk.capture.camera import open_camera  # noqa: PLC0415 - inside the check: a broken install is reported as this check's line, not a crash
    except ImportError as exc:
        return _fail("camera", f"The camera module is missing ({exc}).", "بخش دوربین در نرم‌افزار نیست.",
                     "Reinstall the kiosk.", "کیوسک را دوباره نصب کنید.")
    try:
        cam = open_camera(spec or "", width=width, height=height, fps=want)
        cam.open()
    except Exception as exc:  # noqa: BLE001 - the self-test reports any failure to open as a line, never crashes
        return _fail("camera", f"The camera {shown!r} does not open: {exc}", f"دوربین {shown!r} باز نشد.",
                     fix_spec_en, fix_spec_fa, source=shown)
    stamps: list[float] = []
    means: list[float] = []
    size = (0, 0)
    try:
        deadline = time.monotonic() + seconds + 1.0 / max(want, 1.0)
        while time.monotonic() < deadline and not (cancel and cancel.is_set()):
            frame = cam.read()
            if frame is None:
                break
            stamps.append(frame.timestamp)
            if len(means) < 10:
                means.append(float(np.mean(frame.image)))
            size = frame.size
    except Exception as exc:  # noqa: BLE001 - any camera failure is a line of the self-test
        return _fail("camera", f"The camera {shown!r} stopped giving pictures: {exc}",
                     f"دوربین {shown!r} از دادن تصویر باز ایستاد.", fix_spec_en, fix_spec_fa, source=shown)
    finally:
        try:
            cam.close()
        except Exception:  # noqa: BLE001
            log.exception("closing the camera failed")
    if len(stamps) < 2:
        return _fail("camera", f"The camera {shown!r} opened but gave {len(stamps)} picture(s) in {seconds:.1f} s.",
                     f"دوربین {shown!r} باز شد ولی در {_fa(round(seconds, 1))} ثانیه {_fa(len(stamps))} تصویر داد.",
                     fix_spec_en, fix_spec_fa, source=shown, frames=len(stamps))
    span = stamps[-1] - stamps[0]
    fps = (len(stamps) - 1) / span if span > 0 else float("inf")
    data = {"source": shown, "fps": round(fps, 1), "expected_fps": want, "width": size[0], "height": size[1],
            "frames": len(stamps)}
    if fps < MIN_FPS_RATIO * want:
        return _fail("camera", f"The camera gives {fps:.1f} frames/s; {want:g} are expected.",
                     f"دوربین {_fa(round(fps, 1))} تصویر در ثانیه می‌دهد؛ {_fa(f'{want:g}')} لازم است.",
                     f"Light the scene better (cameras slow down in the dark), use a USB 2/3 port of its own, or set "
                     f"camera.fps to {max(1, int(fps))}.",
                     f"نور محل را بیشتر کنید (دوربین در تاریکی کند می‌شود)، دوربین را به درگاه USB جداگانه وصل کنید، یا "
                     f"camera.fps را {_fa(max(1, int(fps)))} بگذارید.", **data)
    if means and max(means) < BLACK_LEVEL:
        return _fail("camera", "The camera gives black pictures.", "دوربین تصویر سیاه می‌دهد.",
                     "Open the lens cover or privacy shutter and turn on the light.",
                     "درپوش یا پردهٔ حریم خصوصی دوربین را باز کنید و چراغ را روشن کنید.", **data)
    return _ok("camera", f"Camera {shown!r}: {size[0]}x{size[1]} at {fps:.1f} frames/s.",
               f"دوربین {shown!r}: {_fa(size[0])}×{_fa(size[1])} با {_fa(round(fps, 1))} تصویر در ثانیه.", **data)


# ----------------------------------------------------------------------------- microphone

def _frame_dbfs(samples: np.ndarray, rate: int, frame_s: float = 0.02) -> np.ndarray:
    if samples.size == 0:
        return np.array([-120.0])
    mono = samples.reshape(len(samples), -1).mean(axis=1) if samples.ndim > 1 else samples
    n = max(1, int(rate * frame_s))
    k = len(mono) // n
    if k == 0:
        return np.array([-120.0])
    frames = mono[: k * n].reshape(k, n).astype(np.float64)
    rms = np.sqrt(np.mean(frames * frames, axis=1))
    return 20 * np.log10(np.maximum(rms, 1e-6))


def check_microphone(settings, spec: str | None = None, seconds: float = 1.0,
                     cancel: threading.Event | None = None) -> CheckResult:
    spec = sources.microphone_source(settings) if spec is None else spec
    if sources.real_broker(settings) and sources.is_simulated(spec):
        return _fail("microphone", f"The simulated microphone ({spec or 'simulated'!r}) is set with a real broker: "
                     "applicants' videos would carry a recorded voice.",
                     "میکروفون شبیه‌سازی‌شده با سامانهٔ احراز هویت واقعی تنظیم شده است: ویدئوی متقاضیان صدای ضبط‌شده خواهد داشت.",
                     "Set microphone.source to the kiosk's microphone ('default', a device index or a part of its name).",
                     "microphone.source را میکروفون کیوسک بگذارید (default، شمارهٔ دستگاه یا بخشی از نام آن).")
    rate = int(settings["microphone.sample_rate"])
    floor = float(settings["recording.vad_floor_dbfs"])
    shown = spec or "simulated"
    fix_spec_en = (f"Check the microphone is plugged in and not muted, and that microphone.source (now {shown!r}) "
                   f"names it (a device index or a part of its name, or 'default').")
    fix_spec_fa = (f"مطمئن شوید میکروفون وصل است و بی‌صدا نیست و microphone.source (اکنون {shown!r}) به آن اشاره "
                   f"می‌کند (شمارهٔ دستگاه، بخشی از نام آن، یا default).")
    try:
        from kiosk.capture.microphone import open_microphone  # noqa: PLC0415 - inside the check: a broken install is reported as this check's line, not a crash
    except ImportError as exc:
        return _fail("microphone", f"The microphone module is missing ({exc}).", "بخش میکروفون در نرم‌افزار نیست.",
                     "Reinstall the kiosk.", "کیوسک را دوباره نصب کنید.")
    try:
        mic = open_microphone(spec or "", sample_rate=rate)
        mic.open()
    except Exception as exc:  # noqa: BLE001 - the self-test reports any failure to open as a line, never crashes
        return _fail("microphone", f"The microphone {shown!r} does not open: {exc}",
                     f"میکروفون {shown!r} باز نشد.", fix_spec_en, fix_spec_fa, source=shown)
    chunks: list[np.ndarray] = []
    opened = time.monotonic()
    first: float | None = None  # when the first sound began: a sound server takes a moment to start
    try:
        while not (cancel and cancel.is_set()):
            t = time.monotonic()
            if t - (opened + MIC_START_ALLOWANCE if first is None else first) >= seconds:
                break
            chunk = mic.read(timeout=0.25)
            if chunk is not None:
                if first is None:
                    first = time.monotonic() - len(chunk.samples) / max(1, rate)
                chunks.append(np.asarray(chunk.samples, np.float32))
    except Exception as exc:  # noqa: BLE001 - any microphone failure is a line of the self-test
        return _fail("microphone", f"The microphone {shown!r} stopped: {exc}", f"میکروفون {shown!r} از کار افتاد.",
                     fix_spec_en, fix_spec_fa, source=shown)
    finally:
        try:
            mic.close()
        except Exception:  # noqa: BLE001
            log.exception("closing the microphone failed")
    elapsed = max(1e-6, time.monotonic() - (opened if first is None else first))
    samples = np.concatenate(chunks) if chunks else np.zeros((0, 1), np.float32)
    got = len(samples) / rate
    if first is None and not (cancel and cancel.is_set()):
        return _fail("microphone", f"The microphone {shown!r} gave no sound in {elapsed:.1f} s.",
                     f"میکروفون {shown!r} در {_fa(round(elapsed, 1))} ثانیه هیچ صدایی نداد.",
                     fix_spec_en + " Another program may be holding it; close it.",
                     fix_spec_fa + " شاید برنامهٔ دیگری آن را در اختیار دارد؛ آن را ببندید.", source=shown)
    levels = _frame_dbfs(samples, rate)
    loud, quiet = float(np.percentile(levels, 90)), float(np.percentile(levels, 10))
    data = {"source": shown, "seconds": round(got, 2), "loudest_dbfs": round(loud, 1), "noise_dbfs": round(quiet, 1),
            "floor_dbfs": floor}
    if got < MIN_AUDIO_RATIO * elapsed:
        return _fail("microphone", f"The microphone gave {got:.2f} s of sound in {elapsed:.2f} s.",
                     f"میکروفون در {_fa(round(elapsed, 2))} ثانیه فقط {_fa(round(got, 2))} ثانیه صدا داد.",
                     fix_spec_en + " Another program may be holding it; close it.",
                     fix_spec_fa + " شاید برنامهٔ دیگری آن را در اختیار دارد؛ آن را ببندید.", **data)
    if loud <= floor or loud - quiet < NOISE_MARGIN_DB and loud <= floor + NOISE_MARGIN_DB:
        return _fail("microphone", f"The microphone hears nothing (loudest {loud:.0f} dBFS, needed above {floor:.0f}).",
                     f"میکروفون صدایی نمی‌شنود (بلندترین {_fa(round(loud))} dBFS؛ باید بیش از {_fa(round(floor))} باشد).",
                     fix_spec_en + " Speak near it during the test; raise its input level in the system's sound settings.",
                     fix_spec_fa + " هنگام آزمون نزدیک آن صحبت کنید؛ بلندی ورودی آن را در تنظیمات صدای سیستم بالا ببرید.",
                     **data)
    return _ok("microphone", f"Microphone {shown!r} hears sound: loudest {loud:.0f} dBFS, noise {quiet:.0f} dBFS.",
               f"میکروفون {shown!r} صدا را می‌شنود: بلندترین {_fa(round(loud))} dBFS، نوفه {_fa(round(quiet))} dBFS.",
               **data)


# ----------------------------------------------------------------------------- keys

def resolve_credentials(settings, credentials=None, broker_url: str | None = None):
    """ProviderCredentials from an object, a credentials folder, or the settings. Raises
    ``CredentialsError``."""

    if isinstance(credentials, creds.ProviderCredentials):
        return credentials
    if credentials is not None:
        return creds.load_dir(Path(credentials))
    url = settings["broker.url"] if broker_url is None else broker_url
    if not url and not settings["broker.flow_id"]:
        return _demo_credentials(settings)
    return creds.load_from_settings(settings)


def _demo_credentials(settings):
    """Demo mode: the built-in sandbox's credentials, made now when the wizard never ran (a
    fresh demo install passes its own self-test)."""
    from kiosk.broker import credentials as creds  # noqa: PLC0415 - as resolve_credentials

    folder = paths.sandbox_dir()
    if not (folder / "credentials.json").exists():
        from kiosk.sandbox.server import SandboxBroker  # noqa: PLC0415 - heavy (face models), demo only

        SandboxBroker(folder, settings=settings)  # writes the demo keys; not started
    return creds.load_dir(folder)


_KEYS_FIX_EN = ("Put the files the broker gave into broker.provider_key_file, broker.token_secret_file and "
                "broker.broker_public_key_file, and the FlowId into broker.flow_id (or pass --credentials DIR).")
_KEYS_FIX_FA = ("پرونده‌هایی را که سامانهٔ احراز هویت داده در broker.provider_key_file و broker.token_secret_file و "
                "broker.broker_public_key_file و شناسهٔ جریان را در broker.flow_id بگذارید (یا --credentials DIR بدهید).")


def check_keys(settings, credentials=None, broker_url: str | None = None):
    """(CheckResult, credentials or None)."""

    try:
        c = resolve_credentials(settings, credentials, broker_url)
    except CredentialsError as exc:
        text = str(exc)
        if "chmod" in text:
            return _fail("keys", f"A key file is readable by other users: {text}",
                         "کاربران دیگر می‌توانند یک پروندهٔ کلید را بخوانند.",
                         text.split("; ", 1)[-1] + " (only the kiosk's user may read key files).",
                         text.split("; ", 1)[-1] + " (فقط کاربر کیوسک باید بتواند پروندهٔ کلید را بخواند)."), None
        return _fail("keys", f"The credentials cannot be read: {text}", f"اطلاعات ورود خوانده نشد: {text}",
                     _KEYS_FIX_EN, _KEYS_FIX_FA), None
    problems: list[tuple[str, str, str, str]] = []
    if not c.flow_id:
        problems.append(("The FlowId is empty.", "شناسهٔ جریان (FlowId) خالی است.",
                         "Set broker.flow_id to the FlowId the broker gave.", "broker.flow_id را برابر شناسهٔ جریانی بگذارید که سامانهٔ احراز هویت داده است."))
    if not c.token_secret:
        problems.append(("The token secret is empty.", "کلید توکن خالی است.",
                         "Put the secret the broker gave into the file named by broker.token_secret_file.",
                         "کلیدی را که سامانهٔ احراز هویت داده در پرونده‌ای بگذارید که broker.token_secret_file نام می‌برد."))
    private_ok = True
    try:
        tokens.load_private_key(c.provider_private_pem)
    except tokens.TokenError:
        private_ok = False
        problems.append(("The provider's private key is not a readable PEM RSA key.",
                         "کلید خصوصی بهره‌بردار کلید RSA خوانا در قالب PEM نیست.",
                         "Point broker.provider_key_file at the unencrypted PEM private key (PKCS#8 or PKCS#1).",
                         "broker.provider_key_file را به کلید خصوصی PEM رمزنگاری‌نشده (PKCS#8 یا PKCS#1) اشاره دهید."))
    try:
        tokens.load_public_key(c.broker_public_pem)
    except tokens.TokenError:
        problems.append(("The broker's public key is not a readable PEM RSA key.",
                         "کلید عمومی سامانهٔ احراز هویت کلید RSA خوانا در قالب PEM نیست.",
                         "Point broker.broker_public_key_file at the broker's PEM public key.",
                         "broker.broker_public_key_file را به کلید عمومی PEM سامانهٔ احراز هویت اشاره دهید."))
    matched = None
    if private_ok and c.provider_public_pem:
        try:
            matched = tokens.keys_match(c.provider_private_pem, c.provider_public_pem)
        except tokens.TokenError:
            matched = False
        if not matched:
            problems.append(("The provider's private key does not match its public key (the one the broker holds).",
                             "کلید خصوصی بهره‌بردار با کلید عمومی آن (که نزد سامانهٔ احراز هویت است) جور نیست.",
                             "Install the private key that belongs to the public key registered with the broker, or "
                             "register the new public key with the broker.",
                             "کلید خصوصیِ همان کلید عمومی ثبت‌شده نزد سامانهٔ احراز هویت را نصب کنید، یا کلید عمومی تازه را نزد سامانهٔ احراز هویت ثبت کنید."))
    if problems:
        return CheckResult("keys", False, " ".join(p[0] for p in problems), " ".join(p[2] for p in problems),
                           " ".join(p[1] for p in problems), " ".join(p[3] for p in problems),
                           data={"flow_id": c.flow_id}), c
    extra_en = " Private and public halves match." if matched else ""
    extra_fa = " دو نیمهٔ خصوصی و عمومی با هم جورند." if matched else ""
    return _ok("keys", f"Keys parse (FlowId {c.flow_id}).{extra_en}",
               f"کلیدها خوانا هستند (شناسهٔ جریان {c.flow_id}).{extra_fa}", flow_id=c.flow_id), c


# ----------------------------------------------------------------------------- broker

class _DateRecorder(httpx.BaseTransport):
    """An httpx transport wrapper remembering the broker's ``Date`` headers."""

    def __init__(self, inner: httpx.BaseTransport, clock: Callable[[], float]):
        self.inner = inner
        self.clock = clock
        self.dates: list[tuple[float, float]] = []  # (broker time, local time)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        local = self.clock()
        header = response.headers.get("Date")
        if header:
            try:
                self.dates.append((email.utils.parsedate_to_datetime(header).timestamp(), local))
            except (TypeError, ValueError, IndexError, OverflowError):
                pass
        return response

    def close(self) -> None:
        self.inner.close()


def _make_transport(settings, transport: httpx.BaseTransport | None, clock) -> _DateRecorder:
    if transport is None:
        verify: Any = True
        if not settings["broker.verify_tls"]:
            verify = False
        elif settings["broker.ca_file"]:
            verify = ssl.create_default_context(cafile=settings["broker.ca_file"])
        transport = httpx.HTTPTransport(verify=verify, retries=0)
    return _DateRecorder(transport, clock)


def _permissions(props) -> tuple[str, str]:
    items = [("selfie", "سلفی", props.selfie_permission), ("signature", "امضا", props.signature_permission),
             ("video", "ویدئو", props.video_permission), ("admittance video", "ویدئوی تعهد", props.admittance_permission),
             ("speech", "گفتار", props.speech_permission)]
    en = [e for e, _f, on in items if on]
    fa = [f for _e, f, on in items if on]
    docs = props.person_document_type_permission or []
    if docs:
        en.append("ID card " + "/".join(str(d) for d in docs))
        fa.append("کارت ملی " + "/".join(_fa(d) for d in docs))
    en_text = (", ".join(en) or "no capture steps") + f"; tries: selfie {props.selfie_try_count}, video {props.video_try_count}"
    fa_text = ("، ".join(fa) or "هیچ مرحلهٔ ضبطی") + f"؛ نوبت‌ها: سلفی {_fa(props.selfie_try_count)}، ویدئو {_fa(props.video_try_count)}"
    return en_text, fa_text


def _transport_fix(exc, url: str) -> tuple[str, str, str, str]:
    kind = getattr(exc, "kind", "")
    if kind == "tls":
        return (f"The broker's TLS certificate at {url} was not accepted: {exc}.",
                f"گواهی TLS سامانهٔ احراز هویت در {url} پذیرفته نشد.",
                "Check the kiosk's date and time; give broker.ca_file if the broker uses a private CA.",
                "تاریخ و ساعت کیوسک را بررسی کنید؛ اگر سامانهٔ احراز هویت از مرجع گواهی خصوصی استفاده می‌کند broker.ca_file را تعیین کنید.")
    if kind == "dns":
        return (f"The broker's name in {url} cannot be resolved.", f"نام سامانهٔ احراز هویت در {url} پیدا نشد.",
                "Check broker.url for typing mistakes and the kiosk's network (DNS).",
                "broker.url را از نظر غلط تایپی و شبکهٔ کیوسک (DNS) را بررسی کنید.")
    if kind == "timeout":
        return (f"The broker at {url} did not answer in time.", f"سامانهٔ احراز هویت در {url} به‌موقع پاسخ نداد.",
                "Check the network and firewall between the kiosk and the broker; raise broker.timeout on a slow line.",
                "شبکه و دیوارهٔ آتش میان کیوسک و سامانهٔ احراز هویت را بررسی کنید؛ در خط کند broker.timeout را بیشتر کنید.")
    return (f"Nothing answers at {url} ({kind or type(exc).__name__}).", f"هیچ سرویسی در {url} پاسخ نمی‌دهد.",
            "Check broker.url (address and port), that the kiosk is on the network, and that a firewall or proxy "
            "lets it through.",
            "broker.url (نشانی و درگاه)، اتصال کیوسک به شبکه، و اینکه دیوارهٔ آتش یا پراکسی راه را باز گذاشته باشد را بررسی کنید.")


def check_broker(client, url: str, flow_id: str) -> CheckResult:
    try:
        props = client.get_token_provider_properties(flow_id)
    except TransportError as exc:
        en, fa, fen, ffa = _transport_fix(exc, url)
        return _fail("broker", en, fa, fen, ffa, url=url)
    except BrokerUnauthorized as exc:
        return _fail("broker", f"The broker refused the kiosk: {exc}", "سامانهٔ احراز هویت کیوسک را نپذیرفت.",
                     "Check broker.flow_id and the keys with the broker's support.",
                     "شناسهٔ جریان و کلیدها را با پشتیبانی سامانهٔ احراز هویت بررسی کنید.", url=url)
    except BrokerRefused as exc:
        if exc.code in (1202, 1221, 1219):
            expired = exc.code == 1219
            return _fail("broker",
                         (f"The broker does not know FlowId {flow_id!r}" + (" any more (contract ended)." if expired else "."))
                         + f" (code {exc.code})",
                         f"سامانهٔ احراز هویت شناسهٔ جریان {flow_id!r} را نمی‌شناسد" + (" (قرارداد پایان یافته است)." if expired else ".")
                         + f" (کد {_fa(exc.code)})",
                         "Set broker.flow_id (or credentials.json's flow_id) to exactly the FlowId the broker gave, "
                         "shaped XXX-x-00000000-0000." if not expired else "Call the broker to renew the provider contract.",
                         "broker.flow_id (یا flow_id در credentials.json) را دقیقاً برابر شناسهٔ جریانی بگذارید که سامانهٔ احراز هویت داده "
                         "است، به شکل XXX-x-00000000-0000." if not expired else "برای تمدید قرارداد بهره‌بردار با سامانهٔ احراز هویت تماس بگیرید.",
                         url=url, code=exc.code)
        return _fail("broker", f"The broker refused GetTokenProviderProperties: {exc}", exc.sentence("fa"),
                     exc.sentence("en"), exc.sentence("fa"), url=url, code=exc.code)
    except ProtocolError as exc:
        return _fail("broker", f"Something answers at {url} but it is not the broker's API: {exc}",
                     f"در {url} سرویسی پاسخ می‌دهد ولی رابط سامانهٔ احراز هویت نیست.",
                     "Check broker.url (the Base_URL, without /api/...) and broker.endpoints; a proxy or captive portal "
                     "may be in the way.",
                     "broker.url (همان Base_URL، بدون /api/...) و broker.endpoints را بررسی کنید؛ شاید پراکسی یا صفحهٔ ورود شبکه در میان است.",
                     url=url)
    en, fa = _permissions(props)
    data = {"url": url, "permissions": asdict(props)}
    if props.caller_code and props.caller_code != flow_id:
        return _fail("broker", f"The broker answered for CallerCode {props.caller_code!r}, not {flow_id!r}.",
                     f"سامانهٔ احراز هویت برای شناسهٔ {props.caller_code!r} پاسخ داد، نه {flow_id!r}.",
                     "Set broker.flow_id to the FlowId the broker gave.", "broker.flow_id را برابر شناسهٔ جریان سامانهٔ احراز هویت بگذارید.",
                     **data)
    return _ok("broker", f"The broker at {url} knows FlowId {flow_id}. Permissions: {en}.",
               f"سامانهٔ احراز هویت در {url} شناسهٔ جریان {flow_id} را می‌شناسد. مجوزها: {fa}.", **data)


def _with_admittance(result: CheckResult, settings) -> CheckResult:
    """The broker line fails when the provider has AdmittancePermission but
    ``broker.admittance_text`` gives no usable sentence (every session would stop at 1217)."""
    problem = admittance.selftest_problem(settings, result.data.get("permissions"))
    return _fail("broker", *problem, **result.data) if result.ok and problem is not None else result


def check_broker_access(client) -> CheckResult:
    """A status query for an order that cannot exist: "not found" means the bearer was accepted."""

    probe = "SELFTEST-" + uuid.uuid4().hex[:12].upper()
    fix_key_en = ("The broker does not accept the kiosk's key: install the provider private key whose public half the "
                  "broker holds (broker.provider_key_file), and check broker.flow_id and the kiosk's clock.")
    fix_key_fa = ("سامانهٔ احراز هویت کلید کیوسک را نمی‌پذیرد: کلید خصوصی بهره‌بردار را که نیمهٔ عمومی آن نزد سامانهٔ احراز هویت است نصب کنید "
                  "(broker.provider_key_file) و شناسهٔ جریان و ساعت کیوسک را بررسی کنید.")
    try:
        client.get_citizen_kyc_status(probe)
    except BrokerUnauthorized as exc:
        return _fail("broker_access", f"The broker refused the kiosk's signed bearer ({exc.code or exc.http_status}).",
                     "سامانهٔ احراز هویت توکن امضاشدهٔ کیوسک را نپذیرفت.", fix_key_en, fix_key_fa, code=exc.code)
    except SignatureInvalid:
        return _fail("broker_access", "The broker's signed answer does not verify with the broker's public key.",
                     "امضای پاسخ سامانهٔ احراز هویت با کلید عمومی سامانهٔ احراز هویت تأیید نشد.",
                     "Install the broker's current public key (broker.broker_public_key_file).",
                     "کلید عمومی فعلی سامانهٔ احراز هویت را نصب کنید (broker.broker_public_key_file).")
    except BrokerRefused as exc:
        if exc.code in (2001, 2002, 2003):
            return _fail("broker_access", f"The broker refused the kiosk's signed bearer (code {exc.code}).",
                         "سامانهٔ احراز هویت توکن امضاشدهٔ کیوسک را نپذیرفت.", fix_key_en, fix_key_fa, code=exc.code)
        return _ok("broker_access", f"The broker accepts the kiosk's signed bearer (a test query was refused only as "
                   f"not found, code {exc.code}).",
                   "سامانهٔ احراز هویت توکن امضاشدهٔ کیوسک را می‌پذیرد (پرسش آزمایشی فقط به دلیل «یافت نشد» رد شد).", code=exc.code)
    except TransportError as exc:
        return _fail("broker_access", f"No answer: {exc}", "پاسخی نرسید.", exc.sentence("en"), exc.sentence("fa"))
    except BrokerError as exc:
        return _fail("broker_access", f"Unexpected answer: {exc}", "پاسخ نامنتظره.", exc.sentence("en"), exc.sentence("fa"))
    return _ok("broker_access", "The broker accepts the kiosk's signed bearer and its answer's signature verifies.",
               "سامانهٔ احراز هویت توکن امضاشدهٔ کیوسک را می‌پذیرد و امضای پاسخ آن تأیید شد.")


def check_clock(recorder: _DateRecorder, skew_allowed: int) -> CheckResult:
    if not recorder.dates:
        return _skip("clock", "The broker sent no Date header; the clock difference was not measured.",
                     "سامانهٔ احراز هویت سرآیند Date نفرستاد؛ اختلاف ساعت اندازه‌گیری نشد.")
    broker_time, local = recorder.dates[-1]
    skew = broker_time - local  # positive: the kiosk is behind
    data = {"skew_seconds": round(skew, 1), "allowed_seconds": skew_allowed}
    if abs(skew) > skew_allowed + 1:  # the Date header has whole seconds
        way_en = "behind" if skew > 0 else "ahead of"
        way_fa = "عقب‌تر از" if skew > 0 else "جلوتر از"
        return _fail("clock", f"The kiosk's clock is {abs(skew):.0f} s {way_en} the broker's (allowed {skew_allowed} s).",
                     f"ساعت کیوسک {_fa(round(abs(skew)))} ثانیه {way_fa} ساعت سامانهٔ احراز هویت است (مجاز {_fa(skew_allowed)} ثانیه).",
                     "Set the kiosk's date, time and time zone right and turn on automatic time (NTP).",
                     "تاریخ، ساعت و منطقهٔ زمانی کیوسک را درست کنید و تنظیم خودکار ساعت (NTP) را روشن کنید.", **data)
    return _ok("clock", f"The kiosk's clock is within {abs(skew):.0f} s of the broker's.",
               f"اختلاف ساعت کیوسک با سامانهٔ احراز هویت {_fa(round(abs(skew)))} ثانیه است.", **data)


# ----------------------------------------------------------------------------- all together

def check_recovery(settings, client_factory: Callable[[], Any] | None) -> CheckResult:
    """Close what an earlier run left open (``kiosk.core.recovery.recover``) and say what was found."""

    try:
        reports = recover(settings, client_factory)
    except Exception as exc:  # noqa: BLE001 - a journal or folder that cannot be used
        return _fail("recovery", f"The crash-recovery records cannot be read ({type(exc).__name__}).",
                     "سوابق بازیابی پس از قطع ناگهانی خوانده نشد.",
                     "Check that the kiosk's data folder (KIOSK_HOME) belongs to the kiosk's user.",
                     "بررسی کنید پوشهٔ داده‌های کیوسک (KIOSK_HOME) متعلق به کاربر کیوسک باشد.")
    counts: dict[str, int] = {}
    for r in reports:
        counts[r.outcome] = counts.get(r.outcome, 0) + 1
    wiped = sum(1 for r in reports if r.media_wiped)
    kept = counts.get(KEPT, 0)
    if kept:
        if client_factory is None:
            why_en = "no broker can be used from here (demo mode, or the keys or broker lines above failed)"
            why_fa = "از اینجا به سامانهٔ احراز هویتی دسترسی نیست (حالت نمایشی، یا خطای کلیدها یا سامانهٔ احراز هویت در بالا)"
        else:
            why_en, why_fa = "the broker was not reached", "سامانهٔ احراز هویت در دسترس نبود"
        return _fail("recovery", f"{kept} verification token(s) an earlier run left open were not cancelled: {why_en}.",
                     f"{_fa(kept)} توکن احراز هویت که از اجرای قبلی باز مانده لغو نشد: {why_fa}.",
                     "Fix the broker line; the kiosk also cancels them at its next start, and they expire anyway.",
                     "ارتباط با سامانهٔ احراز هویت را درست کنید؛ کیوسک در شروع بعدی هم آن‌ها را لغو می‌کند و به هر حال منقضی "
                     "می‌شوند.", outcomes=counts, media_wiped=wiped)
    if not reports:
        return _ok("recovery", "No session of an earlier run was left open.",
                   "هیچ جلسه‌ای از اجرای قبلی باز نمانده است.", outcomes={}, media_wiped=0)
    return _ok("recovery", f"{len(reports)} session(s) an earlier run left open were closed "
                           f"({wiped} with captured media, now wiped).",
               f"{_fa(len(reports))} جلسه که از اجرای قبلی باز مانده بود بسته شد "
               f"(رسانه‌های {_fa(wiped)} جلسه پاک شد).", outcomes=counts, media_wiped=wiped)


def run_selftest(settings, broker_url: str | None = None, credentials=None, camera_spec: str | None = None,
                 mic_spec: str | None = None, *, checks: tuple[str, ...] | None = None, seconds: float = 1.0,
                 transport=None, clock: Callable[[], float] = time.time,
                 on_result: Callable[[CheckResult], None] | None = None,
                 cancel: threading.Event | None = None) -> list[CheckResult]:
    """Run the checks (all, or those named in ``checks``) and return their results.

    ``broker_url`` / ``credentials`` (a ``ProviderCredentials`` or a credentials folder) /
    ``camera_spec`` / ``mic_spec`` override the settings. ``on_result`` is called after each
    check (from the calling thread); ``cancel`` stops between checks. ``transport`` and ``clock``
    are for tests."""
    wanted = tuple(checks) if checks else CHECK_NAMES
    results: list[CheckResult] = []

    def add(result: CheckResult, started: float) -> None:
        result.seconds = time.monotonic() - started
        results.append(result)
        log.info("self-test %s: %s", result.name, "ok" if result.ok else ("skipped" if result.skipped else "FAILED"))
        if on_result is not None:
            on_result(result)

    def cancelled() -> bool:
        return bool(cancel and cancel.is_set())

    t = time.monotonic()
    if "settings" in wanted:
        add(check_settings(settings), t)
    for name, fn in (("models", lambda: check_models(settings)),
                     ("camera", lambda: check_camera(settings, camera_spec, seconds, cancel)),
                     ("microphone", lambda: check_microphone(settings, mic_spec, seconds, cancel))):
        if name in wanted and not cancelled():
            t = time.monotonic()
            add(fn(), t)

    factory = _broker_checks(settings, wanted, add, cancelled, broker_url, credentials, transport, clock)
    if "recovery" in wanted and not cancelled():
        t = time.monotonic()
        add(check_recovery(settings, factory), t)
    return results


def _broker_checks(settings, wanted, add, cancelled, broker_url, credentials, transport, clock):  # noqa: C901 - the broker checks one after another, each one early line
    """The keys, broker, broker_access and clock checks; returns a factory of broker clients for
    the recovery check (None when the broker cannot be used)."""
    broker_names = {"keys", "broker", "broker_access", "clock", "recovery"} & set(wanted)
    if not broker_names or cancelled():
        return None
    url = settings["broker.url"] if broker_url is None else broker_url
    t = time.monotonic()
    keys_result, creds_obj = check_keys(settings, credentials, url)
    if "keys" in wanted:
        add(keys_result, t)
    if not url:
        for name in ("broker", "broker_access", "clock"):
            if name in wanted:
                add(_skip(name, "broker.url is empty: demo mode with the built-in sandbox broker. Run "
                                "'kiosk selftest --sandbox' to test against it, or set broker.url.",
                          "broker.url خالی است: حالت نمایشی با سامانهٔ احراز هویت آزمایشی داخلی. برای آزمون آن "
                          "'kiosk selftest --sandbox' را اجرا کنید یا broker.url را تعیین کنید."), time.monotonic())
        return None
    if creds_obj is None or not creds_obj.flow_id:
        for name in ("broker", "broker_access", "clock"):
            if name in wanted:
                # not measured is not passed (fail closed): the keys' line says what to fix
                add(_fail(name, "Not checked: the provider's keys could not be loaded.",
                          "بررسی نشد: کلیدهای بهره‌بردار خوانده نشد.",
                          "Fix the keys line first, then run the self-test again.",
                          "نخست مشکل خط کلیدها را برطرف کنید و آزمون را دوباره اجرا کنید."), time.monotonic())
        return None

    quick = settings.copy()
    quick.set("broker.retries", 0)
    quick.set("broker.timeout", min(float(settings["broker.timeout"]), 10.0))
    try:
        recorder = _make_transport(settings, transport, clock)
        client = BrokerClient(url, creds_obj, quick, transport=recorder)
    except Exception as exc:  # noqa: BLE001 - a bad ca_file, a bad URL: a line of the self-test
        for name in ("broker", "broker_access", "clock"):
            if name in wanted:
                add(_fail(name, f"The broker client cannot start: {exc}", "ارتباط با سامانهٔ احراز هویت راه‌اندازی نشد.",
                          "Check broker.url and broker.ca_file.", "broker.url و broker.ca_file را بررسی کنید."),
                    time.monotonic())
        return None

    def factory():  # for the recovery line: a client of its own, made only when there is a token to abort
        return BrokerClient(url, creds_obj, quick, transport=transport)

    with client:
        if not {"broker", "broker_access", "clock"} & set(wanted):
            return factory
        t = time.monotonic()
        broker_result = _with_admittance(check_broker(client, url, creds_obj.flow_id), settings)
        if "broker" in wanted:
            add(broker_result, t)
        reached = broker_result.ok or "code" in broker_result.data
        if "broker_access" in wanted and not cancelled():
            t = time.monotonic()
            if broker_result.ok:
                add(check_broker_access(client), t)
            else:
                add(_fail("broker_access", "Not checked: the broker line failed.",
                          "بررسی نشد: خط سامانهٔ احراز هویت نادرست بود.",
                          "Fix the broker line first, then run the self-test again.",
                          "نخست مشکل خط سامانهٔ احراز هویت را برطرف کنید و آزمون را دوباره اجرا کنید."), t)
        if "clock" in wanted and not cancelled():
            t = time.monotonic()
            if reached or recorder.dates:
                add(check_clock(recorder, int(settings["tokens.clock_skew"])), t)
            else:
                add(_fail("clock", "Not checked: the broker did not answer, so the clocks could not be compared.",
                          "بررسی نشد: سامانهٔ احراز هویت پاسخ نداد و ساعت‌ها مقایسه نشد.",
                          "Fix the broker line first, then run the self-test again.",
                          "نخست مشکل خط سامانهٔ احراز هویت را برطرف کنید و آزمون را دوباره اجرا کنید."), t)
    return factory


def passed(results: list[CheckResult]) -> bool:
    return not any(r.failed for r in results)


__all__ = ["CheckResult", "run_selftest", "passed", "CHECK_NAMES", "check_settings", "check_models", "check_camera",
           "check_microphone", "check_keys", "check_broker", "check_broker_access", "check_clock", "check_recovery",
           "resolve_credentials"]
