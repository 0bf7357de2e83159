"""``kiosk selftest``: check camera, microphone, models, keys, broker and clock, close what a crash left
open; say what to fix."""
from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from kiosk.cli import print_json
from kiosk.config.settings import Settings, SettingsError

HELP = ("Self-test of the kiosk: camera frame rate, microphone level, face models, keys, the broker's answer "
        "and permissions for this FlowId, clock skew, and what a crash left open (closed). Prints one JSON line per check (or one JSON "
        "document with --json); exits 1 when a check fails.")


def add_arguments(parser) -> None:
    parser.add_argument("--json", action="store_true", help="Print one JSON document instead of JSON lines.")
    parser.add_argument("--broker", metavar="URL", default=None, help="Broker base URL (default: broker.url).")
    parser.add_argument("--credentials", metavar="DIR", type=Path, default=None,
                        help="Credentials folder (as written by 'kiosk sandbox'); default: the broker.* settings.")
    parser.add_argument("--camera", metavar="SPEC", default=None, help="Camera to test (default: camera.source).")
    parser.add_argument("--microphone", metavar="SPEC", default=None,
                        help="Microphone to test (default: microphone.source).")
    parser.add_argument("--sandbox", action="store_true",
                        help="Start an in-process sandbox broker and test against it.")
    parser.add_argument("--only", metavar="CHECK", action="append", default=None,
                        help="Run only this check (repeatable): settings, models, camera, microphone, keys, "
                             "broker, broker_access, clock, recovery.")
    parser.add_argument("--seconds", type=float, default=1.0, help="Seconds to measure camera and microphone.")
    parser.add_argument("--lang", choices=("fa", "en"), default=None,
                        help="Language of the 'text' field (default: ui.language).")


def run(args) -> int:
    from kiosk.selftest import CHECK_NAMES, run_selftest  # noqa: PLC0415 - heavy, deferred: `kiosk --help` loads every command

    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    try:
        settings = Settings.load()
    except SettingsError as exc:
        print_json({"name": "settings", "ok": False, "detail": str(exc), "detail_fa": exc.sentence("fa"),
                    "fix": "Correct the settings file or the KIOSK_* environment variables.",
                    "fix_fa": "پروندهٔ تنظیمات یا متغیرهای محیطی KIOSK_* را درست کنید."})
        return 1
    lang = args.lang or settings["ui.language"]
    unknown = [c for c in (args.only or []) if c not in CHECK_NAMES]
    if unknown:
        print_json({"error": f"unknown check(s): {', '.join(unknown)}; known: {', '.join(CHECK_NAMES)}"})
        return 2

    def line(result) -> dict:
        d = result.to_dict()
        d["text"] = result.text(lang)
        return d

    def go(url, credentials) -> list:
        on_result = None if args.json else (lambda r: print_json(line(r)))
        return run_selftest(settings, url, credentials, args.camera, args.microphone,
                            checks=tuple(args.only) if args.only else None, seconds=args.seconds,
                            on_result=on_result)

    if args.sandbox:
        from kiosk.sandbox.server import SandboxBroker  # noqa: PLC0415 - heavy, deferred: `kiosk --help` loads every command

        with tempfile.TemporaryDirectory(prefix="kiosk-selftest-") as tmp:
            directory = args.credentials or Path(tmp) / "sandbox"
            with SandboxBroker(directory, settings=settings) as broker:
                results = go(broker.url, broker.credentials)
    else:
        results = go(args.broker, args.credentials)
    failed = [r.name for r in results if r.failed]
    if args.json:
        print_json({"ok": not failed, "failed": failed, "checks": [line(r) for r in results]})
    return 1 if failed else 0
