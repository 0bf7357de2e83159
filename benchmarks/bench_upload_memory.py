"""Peak memory of a 20 MB media upload: the client's streamed JSON body vs a naive
``json.dumps`` of the whole body.

Each approach runs in its own child process (so peak RSS is its own); a counting transport
consumes the request body chunk by chunk like a socket would, so only the client's own
buffers are measured. Prints one JSON line per approach and a summary.

    .venv/bin/python benchmarks/bench_upload_memory.py [--mb 20]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

CHILD = r'''
import base64, json, resource, sys, time, tracemalloc
import httpx
from kiosk.broker import tokens
from kiosk.broker.client import BrokerClient
from kiosk.broker.credentials import ProviderCredentials

mode, path = sys.argv[1], sys.argv[2]
ANSWER = b'{"ResponseCode": 0, "Result": {"AuthenticationStatus": 1, "AuthenticationResult": "ok"}}'

class Counting(httpx.BaseTransport):
    """Reads the request body like a socket (chunk by chunk, nothing kept)."""
    def __init__(self):
        self.sent = 0
        self.chunks = 0
    def handle_request(self, request):
        for chunk in request.stream:
            self.sent += len(chunk)
            self.chunks += 1
        return httpx.Response(200, content=ANSWER)

priv, pub = tokens.generate_rsa_keypair(2048)
creds = ProviderCredentials("BEN-x-00000000-0000", "k" * 32, priv, pub, pub)
transport = Counting()
client = BrokerClient("http://bench.invalid", creds, transport=transport)
rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
tracemalloc.start()
t0 = time.perf_counter()
if mode == "streamed":
    out = client.send_prob_video("token", path, "sentence")
    ok = out.passed
else:  # naive: the whole file, its base64 and the JSON text all in memory at once
    with open(path, "rb") as fh:
        raw = fh.read()
    body = json.dumps({"tokenValue": "token", "randomText": "sentence", "faceThreshold": -1, "voiceThreshold": -1,
                       "fileData": {"name": "FileData", "fileName": "ProbVideo.webm",
                                    "content": base64.b64encode(raw).decode("ascii")}}).encode()
    r = client._http.post("/api/Inquiry/SendProbVideoByToken", content=body,
                          headers={"Content-Type": "application/json"})
    ok = r.status_code == 200
elapsed = time.perf_counter() - t0
_, peak = tracemalloc.get_traced_memory()
tracemalloc.stop()
rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
client.close()
print(json.dumps({"mode": mode, "ok": ok, "bytes_sent": transport.sent, "chunks": transport.chunks,
                  "tracemalloc_peak_mb": round(peak / 2**20, 2),
                  "peak_rss_growth_mb": round((rss1 - rss0) / 1024, 2),
                  "seconds": round(elapsed, 3)}))
'''


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=20.0, help="size of the media file in MB")
    args = ap.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    fd, path = tempfile.mkstemp(suffix=".webm")
    try:
        with os.fdopen(fd, "wb") as fh:
            remaining = int(args.mb * 2**20)
            while remaining:
                n = min(remaining, 2**20)
                fh.write(os.urandom(n))
                remaining -= n
        results = {}
        for mode in ("streamed", "naive"):
            t = time.perf_counter()
            proc = subprocess.run([sys.executable, "-c", CHILD, mode, path], cwd=root, capture_output=True, text=True,
                                  env=dict(os.environ, PYTHONPATH=root))
            if proc.returncode:
                print(proc.stderr, file=sys.stderr)
                return 1
            res = json.loads(proc.stdout.strip().splitlines()[-1])
            res["wall_seconds"] = round(time.perf_counter() - t, 2)
            results[mode] = res
            print(json.dumps(res))
        s, n = results["streamed"], results["naive"]
        print(json.dumps({"file_mb": args.mb,
                          "tracemalloc_ratio_naive_over_streamed": round(n["tracemalloc_peak_mb"] / max(s["tracemalloc_peak_mb"], 0.01), 1),
                          "rss_growth_streamed_mb": s["peak_rss_growth_mb"], "rss_growth_naive_mb": n["peak_rss_growth_mb"],
                          "same_length": s["bytes_sent"] > n["bytes_sent"] - 64}))
    finally:
        os.unlink(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
