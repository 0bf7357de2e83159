"""Peak memory of ``kiosk check`` on a 30000x30000 PNG (a decompression bomb: ~1 MB on disk,
2.7 GB decoded). The image's size is read from its header and the picture refused before
OpenCV decodes anything. Prints one JSON line.

    .venv/bin/python benchmarks/bench_check_bomb.py [--side 30000]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "unit"))
from test_bounded_inputs import png_bomb  # noqa: E402 - the test's bomb maker, after the path is set


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--side", type=int, default=30000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        bomb = png_bomb(Path(tmp) / "bomb.png", args.side)
        started = time.monotonic()
        proc = subprocess.Popen([sys.executable, "-m", "kiosk", "check", str(bomb)], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, env={**os.environ, "KIOSK_HOME": tmp})
        _pid, status, usage = os.wait4(proc.pid, 0)
        print(json.dumps({"side": args.side, "png_bytes": bomb.stat().st_size,
                          "exit": os.waitstatus_to_exitcode(status), "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
                          "seconds": round(time.monotonic() - started, 2)}))


if __name__ == "__main__":
    main()
