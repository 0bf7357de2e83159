"""Encrypted media store: time and peak Python memory for a 20 MB video, against a naive baseline.

* ``store``: ``MediaStore.put_file`` (chunked AES-GCM, 1 MiB frames, plaintext overwritten and
  removed), then reading it back through ``MediaStore.open`` in 192 KiB reads as the broker
  client's upload does, then ``wipe`` (overwrite + unlink);
* ``naive``: read the whole file, one AES-GCM ``encrypt`` of all of it, write; read it all and
  one ``decrypt``.

Peak memory is tracemalloc's (Python allocations, which include every bytes object made).
Everything happens in a temporary KIOSK_HOME that is removed at the end.

Run: ``.venv/bin/python benchmarks/bench_media_store.py [--mb 20] [--repeat 3]``
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # noqa: E402


def measure(fn):
    tracemalloc.start()
    t = time.perf_counter()
    out = fn()
    elapsed = time.perf_counter() - t
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return out, elapsed, peak


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=int, default=20)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    home = Path(tempfile.mkdtemp(prefix="bench-media-"))
    os.environ["KIOSK_HOME"] = str(home)
    from kiosk.core.media_store import MediaStore

    size = args.mb * 1024 * 1024
    block = os.urandom(1024 * 1024)
    rows = []
    try:
        for _ in range(args.repeat):
            src = home / "clip.webm"
            with open(src, "wb") as fh:
                for _ in range(args.mb):
                    fh.write(block)
            store = MediaStore()
            ref, t_put, p_put = measure(lambda store=store, src=src: store.put_file("selfie_video", src, "webm"))

            def read_all(store=store, ref=ref):
                n = 0
                with store.open(ref) as fh:
                    while chunk := fh.read(192 * 1024):
                        n += len(chunk)
                return n

            n, t_read, p_read = measure(read_all)
            assert n == size
            _, t_wipe, _ = measure(store.wipe)
            rows.append(("store", t_put, p_put, t_read, p_read, t_wipe))

            with open(src, "wb") as fh:
                for _ in range(args.mb):
                    fh.write(block)
            key = AESGCM.generate_key(bit_length=256)
            enc_path = home / "naive.bin"

            def naive_put(src=src, enc_path=enc_path, key=key):
                data = src.read_bytes()
                nonce = os.urandom(12)
                enc_path.write_bytes(nonce + AESGCM(key).encrypt(nonce, data, None))

            def naive_read(enc_path=enc_path, key=key):
                blob = enc_path.read_bytes()
                return len(AESGCM(key).decrypt(blob[:12], blob[12:], None))

            _, t_nput, p_nput = measure(naive_put)
            _, t_nread, p_nread = measure(naive_read)
            src.unlink()
            enc_path.unlink()
            rows.append(("naive", t_nput, p_nput, t_nread, p_nread, float("nan")))
    finally:
        shutil.rmtree(home, ignore_errors=True)

    print(f"{args.mb} MB video, {args.repeat} runs (best time, worst peak)")
    print(f"{'method':8} {'put s':>8} {'put peak MB':>12} {'read s':>8} {'read peak MB':>13} {'wipe s':>8}")
    for name in ("store", "naive"):
        r = [x for x in rows if x[0] == name]
        print(f"{name:8} {min(x[1] for x in r):8.3f} {max(x[2] for x in r) / 2**20:12.1f} "
              f"{min(x[3] for x in r):8.3f} {max(x[4] for x in r) / 2**20:13.1f} {min(x[5] for x in r):8.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
