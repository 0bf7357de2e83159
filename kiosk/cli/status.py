"""``kiosk status ORDER_ID``: the broker's signed verdict on an earlier order."""
from __future__ import annotations

import json
import logging
from pathlib import Path

from kiosk.cli import print_json
from kiosk.config.settings import Settings, SettingsError

HELP = ("Ask the broker for an order's KYC status and scores (GetCitizenKYCStatus, GetCitizenData; the answer's "
        "signature is verified). Prints JSON; exits 3 on a bad signature, 1 on any other error.")

EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_BAD_SIGNATURE = 3


def add_arguments(parser) -> None:
    parser.add_argument("order_id", metavar="ORDER_ID", help="The provider's order id of the session.")
    parser.add_argument("--national-code", default=None, help="The applicant's national code (optional).")
    parser.add_argument("--broker", metavar="URL", default=None, help="Broker base URL (default: broker.url).")
    parser.add_argument("--credentials", metavar="DIR", type=Path, default=None,
                        help="Credentials folder (default: the broker.* settings).")
    parser.add_argument("--sandbox-credentials", metavar="DIR", type=Path, default=None,
                        help="A running 'kiosk sandbox' credentials folder: its base_url and keys are used.")


def run(args) -> int:
    from kiosk.broker.client import BrokerClient  # noqa: PLC0415 - heavy, deferred: `kiosk --help` loads every command
    from kiosk.broker.credentials import CredentialsError  # noqa: PLC0415 - heavy, deferred: `kiosk --help` loads every command
    from kiosk.core.lookup import lookup_order  # noqa: PLC0415 - heavy, deferred: `kiosk --help` loads every command
    from kiosk.selftest import resolve_credentials  # noqa: PLC0415 - heavy, deferred: `kiosk --help` loads every command

    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    try:
        settings = Settings.load()
    except SettingsError as exc:
        print_json({"ok": False, "error": {"kind": "settings", "en": str(exc), "fa": exc.sentence("fa")}})
        return EXIT_ERROR
    url = args.broker
    folder = args.credentials
    if args.sandbox_credentials is not None:
        folder = args.sandbox_credentials
        try:
            info = json.loads((folder / "credentials.json").read_text("utf-8"))
        except (OSError, ValueError) as exc:
            print_json({"ok": False, "error": {"kind": "credentials", "en": f"cannot read {folder}: {exc}",
                                               "fa": f"پوشهٔ {folder} خوانده نشد."}})
            return EXIT_ERROR
        url = url or info.get("base_url") or ""
    url = url if url is not None else settings["broker.url"]
    if not url:
        print_json({"ok": False, "error": {"kind": "usage", "en": "no broker: give --broker URL or set broker.url "
                                           "(or --sandbox-credentials DIR of a running 'kiosk sandbox')",
                                           "fa": "سامانهٔ احراز هویتی تعیین نشده: --broker یا broker.url را بدهید."}})
        return EXIT_USAGE
    try:
        creds = resolve_credentials(settings, folder, url)
        client = BrokerClient(url, creds, settings)
    except (CredentialsError, ValueError) as exc:
        print_json({"ok": False, "error": {"kind": "credentials", "en": str(exc), "fa": "اطلاعات ورود خوانده نشد."}})
        return EXIT_ERROR
    with client:
        result = lookup_order(client, args.order_id, args.national_code)
    print_json(result.summary())
    if result.ok:
        return 0
    return EXIT_BAD_SIGNATURE if result.error_kind == "signature" else EXIT_ERROR
