"""Recording benchmark: WebM (VP8 + Opus) at 640x480@30 with audio, while a preview + face-check
loop runs, as in the kiosk's video step.

Prints (JSON, one line per part):
* ``offline``: how fast the recorder encodes (multiple of real time) when fed as fast as it takes
  frames, with a side thread doing what the preview and the checks do (resize for display + face
  analysis of the newest frame);
* ``realtime``: ``record_clip`` with a camera paced at 30 fps, the simulated Persian voice and
  the face checks: dropped camera frames, CPU share, bytes per second, peak memory.

Usage: .venv/bin/python benchmarks/bench_recording.py [--seconds 6] [--codec vp8]
"""
from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kiosk.capture.base import AudioChunk, CameraSource, Frame, SourceInfo, now  # noqa: E402
from kiosk.capture.microphone import load_wav, open_microphone  # noqa: E402
from kiosk.capture.recorder import Recorder, record_clip  # noqa: E402
from kiosk.config.settings import Settings  # noqa: E402
from kiosk.cvcompat import cv2  # noqa: E402
from kiosk.resources import resource as res  # noqa: E402

W, H, FPS = 640, 480, 30.0


def face_frames(n: int) -> list[np.ndarray]:
    """A real face (scikit-image's astronaut) moving slowly over a textured background."""
    from skimage import data

    face = cv2.cvtColor(cv2.resize(data.astronaut(), (440, 440)), cv2.COLOR_RGB2BGR)
    rng = np.random.default_rng(0)
    background = cv2.GaussianBlur(rng.integers(60, 200, (H, W, 3), np.uint8), (0, 0), 3)
    frames = []
    for i in range(n):
        img = background.copy()
        x = int(100 + 30 * np.sin(i / 20))
        y = int(20 + 10 * np.cos(i / 25))
        img[y:y + 440, x:x + 440] = face
        noise = rng.normal(0, 2, (H, W, 1)).astype(np.int16)  # sensor noise
        frames.append(np.clip(img.astype(np.int16) + noise, 0, 255).astype(np.uint8))
    return frames


def make_analyzer():
    try:
        from kiosk.quality.face import FaceAnalyzer
    except ImportError as exc:
        return None, f"FaceAnalyzer not available ({exc}); checks replaced by a Laplacian sharpness pass"
    analyzer = FaceAnalyzer()
    analyzer.__enter__()
    return analyzer, "FaceAnalyzer"


class _Fallback:
    """Stands in for the face checks when kiosk.quality.face is not there yet."""

    def analyze(self, image, timestamp_ms=None):
        gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
        cv2.Laplacian(gray, cv2.CV_64F).var()
        return type("R", (), {"faces": 1})()


class PreviewAndChecks(threading.Thread):
    """The preview + checks loop: always the newest frame, never a queue."""

    def __init__(self, analyzer):
        super().__init__(daemon=True, name="preview-checks")
        self.analyzer, self.newest, self.stop_flag, self.checked = analyzer, None, False, 0
        self.seen = None

    def run(self):
        while not self.stop_flag:
            frame = self.newest
            if frame is None or frame is self.seen:
                time.sleep(0.002)
                continue
            self.seen = frame
            cv2.resize(frame.image, (480, 360))  # the preview widget's scaling
            self.analyzer.analyze(frame.image, timestamp_ms=int(frame.timestamp * 1000))
            self.checked += 1


def offline(seconds: float, codec: str, analyzer, images) -> dict:
    speech = load_wav(res("sounds", "speech_fa.wav"), 48000)
    checks = PreviewAndChecks(analyzer)
    checks.start()
    n = int(seconds * FPS)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "bench.webm"
        t_wall, r0 = time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF)
        rec = Recorder(out, W, H, FPS, codec=codec, seconds=seconds)
        base = 1000.0
        rec.start(base)
        for i in range(n):
            ts = base + i / FPS
            frame = Frame(images[i % len(images)], ts, i)
            rec.add_frame(frame)
            checks.newest = frame
            a = i * 1600
            rec.add_audio(AudioChunk(speech[a % (speech.size - 1600):][:1600].reshape(-1, 1), ts, 48000))
        rec.finish()
        wall = time.perf_counter() - t_wall
        r1 = resource.getrusage(resource.RUSAGE_SELF)
        size = out.stat().st_size
    checks.stop_flag = True
    checks.join()
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    return {"part": "offline", "codec": codec, "seconds": seconds, "wall_s": round(wall, 3),
            "speed_x_realtime": round(seconds / wall, 2), "checks_done": checks.checked,
            "cpu_s": round(cpu, 2), "bytes": size, "bytes_per_s": int(size / seconds)}


class PacedCamera(CameraSource):
    def __init__(self, images):
        self.images, self.info, self.start, self.i = images, SourceInfo("simulated", "bench", W, H, FPS), None, 0
        self.late = 0

    def open(self):
        return self.info

    def read(self):
        if self.start is None:
            self.start = now()
        due = self.start + self.i / FPS
        wait = due - now()
        if wait > 0:
            time.sleep(wait)
        elif wait < -1.0 / FPS:  # the loop came back too late: a real camera would have dropped it
            self.late += 1
        f = Frame(self.images[self.i % len(self.images)], now(), self.i)
        self.i += 1
        return f

    def close(self):
        pass


def realtime(seconds: float, codec: str, analyzer, images) -> dict:
    settings = Settings({"recording.codec": codec})
    cam = PacedCamera(images)
    levels = []
    with tempfile.TemporaryDirectory() as tmp, open_microphone("simulated") as mic:
        r0, t0 = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
        result = record_clip(cam, mic, seconds, Path(tmp) / "rt.webm", analyzer=analyzer, settings=settings,
                             on_progress=lambda p: levels.append(p.level))
        wall = time.perf_counter() - t0
        r1 = resource.getrusage(resource.RUSAGE_SELF)
        size = result.bytes
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    return {"part": "realtime", "codec": codec, "seconds": seconds, "wall_s": round(wall, 3),
            "frames": result.frames, "expected_frames": int(round(seconds * FPS)),
            "dropped_frames": result.dropped_frames, "late_camera_reads": cam.late,
            "face_checks": result.face_checks, "cpu_share_of_one_core": round(cpu / wall, 3),
            "bytes": size, "bytes_per_s": int(size / result.duration), "speech_ok": result.speech.ok,
            "retake_reason": result.retake_reason, "max_level": round(max(levels), 3)}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=6.0)
    ap.add_argument("--codec", default="vp8", choices=("vp8", "vp9"))
    args = ap.parse_args()
    images = face_frames(90)
    analyzer, note = make_analyzer()
    try:
        checker = analyzer or _Fallback()
        for i in range(5):  # warm-up: model graphs, first allocations
            checker.analyze(images[i], timestamp_ms=i + 1)
        offline(1.0, args.codec, _Fallback(), images)
        results = [offline(args.seconds, args.codec, checker, images),
                   realtime(args.seconds, args.codec, checker, images)]
    finally:
        if analyzer is not None:
            analyzer.__exit__(None, None, None)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for r in results:
        r["checks"] = note
        print(json.dumps(r))
    print(json.dumps({"part": "process", "peak_rss_mb": round(peak_mb, 1),
                      "target": ">= 1.5x real time with checks, no dropped frame",
                      "met": results[0]["speed_x_realtime"] >= 1.5 and results[1]["dropped_frames"] == 0}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
