"""The ``kiosk`` console script.

``kiosk`` alone starts the wizard; ``kiosk COMMAND --help`` describes each command. Each command
lives in its own module ``kiosk.cli.<name>`` exposing ``HELP``, ``add_arguments(parser)`` and
``run(args) -> int`` (the exit code).
"""
from __future__ import annotations

import argparse
import importlib
import sys

from kiosk.memory import bound_arenas
from kiosk.hardening import no_core_dumps
from kiosk.logsetup import command_logging

# command name -> module under kiosk.cli
COMMANDS: dict[str, str] = {
    "run": "run",
    "sandbox": "sandbox",
    "check": "check",
    "record": "record",
    "inspect": "inspect_media",
    "selftest": "selftest",
    "status": "status",
    "rehearse": "rehearse",
    "set-pin": "set_pin",
}


def _load(name: str):
    return importlib.import_module(f"kiosk.cli.{COMMANDS[name]}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kiosk",
        description="Assisted identity-capture kiosk. Without a command, starts the wizard.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        try:
            module = _load(name)
        except ModuleNotFoundError as exc:  # a command whose module is not built yet
            if exc.name != f"kiosk.cli.{COMMANDS[name]}":
                raise
            continue
        p = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(p)
        p.set_defaults(_module=module)
    return parser


def main(argv: list[str] | None = None) -> int:
    bound_arenas()  # before any thread starts (kiosk.memory)
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help")):
        argv = ["run", *argv]
    args = parser.parse_args(argv)
    no_core_dumps()  # keys, frames and applicant details never go to a core file
    if getattr(args, "_module", None) is None:
        parser.print_help()
        return 2

    with command_logging(args):
        return int(args._module.run(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
