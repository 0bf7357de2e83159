"""Figures for the sandbox broker: how long its checks take per request, over a real socket.

    .venv/bin/python benchmarks/bench_sandbox.py [--rounds N]

Prints one JSON line per measure (median and 90th percentile in milliseconds)."""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "unit"))

from kiosk.sandbox.server import SandboxBroker  # noqa: E402
from sandbox_fakes import Api, bearer, face_jpeg, file_data, webm  # noqa: E402


def measure(name: str, fn, rounds: int) -> None:
    fn()  # warm up (model load, first connection)
    times = []
    for _ in range(rounds):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    print(json.dumps({"measure": name, "rounds": rounds, "median_ms": round(statistics.median(times), 2),
                      "p90_ms": round(times[int(0.9 * (len(times) - 1))], 2)}))


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--rounds", type=int, default=20)
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as d:
        t = time.perf_counter()
        broker = SandboxBroker(Path(d) / "c")
        print(json.dumps({"measure": "create credentials (2 RSA-2048 keys)",
                          "ms": round((time.perf_counter() - t) * 1000, 1)}))
        with broker, Api(broker) as api:
            token = api.register()
            order = __import__("kiosk.broker.tokens", fromlist=["x"]).unverified_claims(token)["orderId"]
            selfie = {"tokenValue": token, "fileData": file_data(face_jpeg(), "ProbImage.jpg")}
            clip = webm(frames=60, fps=10)  # 6 s at 320x240
            video = {"tokenValue": token, "randomText": "متن", "fileData": file_data(clip, "ProbVideo.webm")}
            measure("SetToken (signed token)", lambda: api.register(), args.rounds)
            measure("GetRandomText", lambda: api.call("GetRandomText", {"type": 1, "count": 1}), args.rounds)
            measure("SendProbImageByToken 512x512 JPEG (face detection)",
                    lambda: api.call("SendProbImageByToken", selfie), args.rounds)
            measure("SendProbVideoByToken 6 s 320x240 WebM (8 frames + audio)",
                    lambda: api.call("SendProbVideoByToken", video), max(3, args.rounds // 4))
            measure("GetCitizenData signed, with media",
                    lambda: api.call("GetCitizenData", {"OrderId": order, "FlowId": broker.flow_id,
                                                        "AuthResult": True, "SelfiePicture": True, "Video": True,
                                                        "Speech": True, "Signature": True,
                                                        "FilterBiometricData": True}, headers=bearer(broker)),
                    args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
