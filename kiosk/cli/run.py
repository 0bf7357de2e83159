"""``kiosk run`` (also plain ``kiosk``): the wizard."""
from __future__ import annotations

import argparse
import sys

from kiosk.cli import print_json
from kiosk.config.settings import Settings, SettingsError

HELP = "Start the identity-capture wizard (full screen; --windowed for development)."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--windowed", action="store_true", help="a normal window instead of full screen")
    parser.add_argument("--lang", choices=("fa", "en"), help="language at start (default: ui.language)")
    parser.add_argument("--camera", help="camera spec (overrides camera.source; '' or 'simulated' = simulated)")
    parser.add_argument("--microphone", help="microphone spec (overrides microphone.source)")
    parser.add_argument("--screenshots", metavar="DIR",
                        help="render every screen in both languages to PNG files in DIR and exit")


def run(args) -> int:
    overrides = {}
    if args.camera is not None:
        overrides["camera.source"] = args.camera
    if args.microphone is not None:
        overrides["microphone.source"] = args.microphone
    try:
        settings = Settings.load(overrides=overrides)
    except SettingsError as exc:

        fa, en = exc.sentence("fa"), exc.sentence("en")
        # the staff reads stderr (or the journal of the service); scripts read the JSON
        print(f"تنظیمات کیوسک پذیرفته نشد: {fa}\nThe kiosk's settings were refused: {en}", file=sys.stderr)
        print_json({"error": str(exc), "key": exc.key, "fa": fa, "en": en})
        return 2
    if args.screenshots:
        from kiosk.ui.screenshots import render_all  # noqa: PLC0415 - heavy, deferred: `kiosk --help` loads every command

        files = render_all(args.screenshots, settings)
        print_json({"screenshots": [str(f) for f in files]})
        return 0
    from kiosk.app import run as run_app  # noqa: PLC0415 - heavy, deferred: `kiosk --help` loads every command

    return run_app(settings, windowed=args.windowed, lang=args.lang)
