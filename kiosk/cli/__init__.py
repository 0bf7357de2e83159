"""One module per ``kiosk`` command; see ``kiosk.__main__.COMMANDS``."""
import json
import sys


def print_json(obj) -> None:
    """Print one JSON line (UTF-8, Persian text kept readable) and flush."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()
