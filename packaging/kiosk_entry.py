"""Entry point of the frozen kiosk executable: the same ``kiosk`` command line as the console
script (``kiosk.__main__.main``).

``KIOSK_STARTUP_PROBE=FILE`` (packaging/benchmarks only) loads ``kiosk_probe`` first, which records
start-up times to FILE; see packaging/kiosk_probe.py. Without it nothing extra is imported.
"""
import os
import sys


def _main() -> int:
    if os.environ.get("KIOSK_STARTUP_PROBE"):
        import kiosk_probe

        kiosk_probe.install(os.environ["KIOSK_STARTUP_PROBE"])
    from kiosk.__main__ import main

    return main()


if __name__ == "__main__":
    sys.exit(_main())
