"""``kiosk set-pin``: set the staff PIN from a shell (IT, at install time or after a lockout)."""
from __future__ import annotations

import getpass
import sys

from kiosk.cli import print_json
from kiosk.config.settings import Settings, SettingsError
from kiosk.core.staff_pin import PepperError, PinError, PinGate, hash_pin, pin_digits

HELP = ("Set the staff PIN: type it twice (6-12 digits, Persian digits accepted; not all one digit nor a "
        "straight run). Read from the terminal without echo, or two lines from standard input. Stores only a "
        "slow hash peppered with a secret kept in the state folder, and lifts the PIN lockout.")


def add_arguments(parser) -> None:
    parser.add_argument("--lang", choices=("fa", "en"), default=None,
                        help="Language of the messages (default: ui.language).")


def _read_twice(lang: str) -> tuple[str, str] | None:
    if sys.stdin.isatty():
        try:
            first = getpass.getpass("رمز تازهٔ کارکنان: " if lang == "fa" else "New staff PIN: ")
            second = getpass.getpass("تکرار رمز: " if lang == "fa" else "Repeat the PIN: ")
        except (EOFError, KeyboardInterrupt):
            return None
        return first, second
    lines = sys.stdin.read(4096).splitlines()
    if len(lines) < 2:
        return None
    return lines[0].strip(), lines[1].strip()


def _say(ok: bool, en: str, fa: str, lang: str) -> int:
    print_json({"ok": ok, "text": fa if lang == "fa" else en, "en": en, "fa": fa})
    return 0 if ok else 1


def run(args) -> int:
    try:
        settings = Settings.load()
    except SettingsError as exc:
        return _say(False, str(exc), exc.sentence("fa"), args.lang or "fa")
    lang = args.lang or settings["ui.language"]
    if "staff.pin_hash" in settings.from_environment:
        return _say(False, "staff.pin_hash is set by the environment variable KIOSK_STAFF__PIN_HASH; remove it first.",
                    "staff.pin_hash با متغیر محیطی KIOSK_STAFF__PIN_HASH تعیین شده است؛ نخست آن را بردارید.", lang)
    typed = _read_twice(lang)
    if typed is None:
        return _say(False, "The PIN must be typed twice; nothing was changed.",
                    "رمز باید دو بار وارد شود؛ چیزی تغییر نکرد.", lang)
    if pin_digits(typed[0]) != pin_digits(typed[1]):
        return _say(False, "The two PINs differ; nothing was changed.", "دو رمز یکسان نیست؛ چیزی تغییر نکرد.", lang)
    try:
        stored = hash_pin(typed[0])
    except (PinError, PepperError) as exc:
        return _say(False, exc.sentence("en") + " Nothing was changed.", exc.sentence("fa") + " چیزی تغییر نکرد.", lang)
    settings.set("staff.pin_hash", stored)
    try:
        path = settings.save()
    except OSError as exc:
        return _say(False, f"The settings file cannot be written: {exc.strerror}.",
                    f"پروندهٔ تنظیمات نوشته نشد: {exc.strerror}.", lang)
    PinGate(stored).reset()
    return _say(True, f"The staff PIN is set (its hash is in {path}); the PIN lockout is lifted.",
                f"رمز کارکنان تعیین شد (هش آن در {path} است)؛ قفل رمز برداشته شد.", lang)
