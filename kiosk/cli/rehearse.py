"""``kiosk rehearse``: a whole session by the simulated applicant against a broker, no window."""
from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path
from typing import Any

from kiosk.broker.client import BrokerClient
from kiosk.broker.credentials import CredentialsError, load_dir, load_from_settings
from kiosk.cli import print_json
from kiosk.config.settings import Settings, SettingsError
from kiosk.core.rehearsal import rehearse
from kiosk.errors import KioskError

HELP = ("Run one whole session by a simulated applicant (simulated camera and microphone, the real session "
        "code, no window) through every step the provider allows, then VerifyToken. One JSON line per broker "
        "call and a last line with the verdict; exit 0 only when verified, 1 otherwise, 2 on a usage error.")

log = logging.getLogger(__name__)

EXIT_VERIFIED, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--broker", metavar="URL", default=None,
                        help="broker base URL (default: broker.url; none set: the built-in sandbox broker)")
    parser.add_argument("--credentials", metavar="DIR", type=Path, default=None,
                        help="credentials folder as 'kiosk sandbox' writes it (default: the broker.* settings)")


def _usage(en: str, fa: str) -> int:
    print_json({"verdict": "error", "error": {"kind": "usage", "en": en, "fa": fa}})
    return EXIT_USAGE


def run(args: Any) -> int:
    try:
        settings = Settings.load()
    except SettingsError as exc:
        return _usage(str(exc), exc.sentence("fa"))
    url = args.broker if args.broker is not None else settings["broker.url"]
    sandbox = None
    try:
        if args.credentials is not None:
            creds = load_dir(args.credentials)
            url = url or creds_url(args.credentials)
            if not url:
                return _usage("no broker URL: give --broker URL (the credentials folder names none)",
                              "نشانی سامانهٔ احراز هویت داده نشده: --broker URL را بدهید.")
        elif url:
            creds = load_from_settings(settings)
        else:  # the demo installation: the built-in sandbox broker, as the wizard uses it
            from kiosk import paths  # noqa: PLC0415 - only the demo path needs the data folders
            from kiosk.sandbox.server import SandboxBroker  # noqa: PLC0415 - the sandbox only for the demo

            sandbox = SandboxBroker(credentials_dir=paths.sandbox_dir(), port=0).start()
            url, creds = sandbox.url, sandbox.credentials
    except (CredentialsError, OSError, ValueError) as exc:
        return _usage(f"the credentials could not be read: {exc}",
                      "پرونده‌های کلید خوانده نشد؛ --credentials یا تنظیمات broker.* را بررسی کنید.")
    try:
        out = rehearse(settings, lambda: BrokerClient(url, creds, settings), print_json)
    except KioskError as exc:
        out = {"verdict": "error", "error": {"kind": type(exc).__name__, "code": exc.code,
                                             "en": exc.sentence("en"), "fa": exc.sentence("fa")}}
    finally:
        if sandbox is not None:
            sandbox.stop()
    out["broker"] = url
    print_json(out)
    return EXIT_VERIFIED if out.get("verdict") == "verified" else EXIT_FAILED


def creds_url(folder: Path) -> str:
    """The ``base_url`` a 'kiosk sandbox' credentials folder names, or ""."""
    try:
        info = json.loads((folder / "credentials.json").read_text("utf-8"))
    except (OSError, ValueError):
        return ""
    return str(info.get("base_url") or "")
