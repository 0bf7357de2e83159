"""Face pre-check cost: the kiosk's pipeline against a naive baseline, in one run.

* per-frame cost on a stream of simulated-camera frames (real faces) at 640x480 and 1280x720:
  median, p95 and mean, and how often the landmark network ran;
  - ``pipeline``: ``FaceAnalyzer`` as the kiosk uses it (VIDEO-mode tracking, detector on a
    downscaled frame, landmarks refreshed at most every 0.1 s unless the face moves, checks on
    the face crop only);
  - ``pipeline-every-frame``: the same with the landmark network on every frame;
  - ``baseline``: ``FaceLandmarker`` in IMAGE mode on every full frame (num_faces=2, to count)
    + Laplacian variance and luminance of the full frame.
* live: the camera worker at 30 fps feeding the checker worker (newest frame only) for a few
  seconds in a Qt event loop: frames checked per second and the largest gap between preview
  frames delivered to the GUI thread (the preview must never stall).

Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_face_checks.py [--seconds 5]``
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from kiosk.capture.camera import SimulatedCamera  # noqa: E402
from kiosk.cvcompat import cv2  # noqa: E402
from kiosk.quality.face import FaceAnalyzer  # noqa: E402
from kiosk.quality.cover import covered_parts  # noqa: E402
from kiosk.quality.face import inner_face  # noqa: E402
from kiosk.quality.measures import blur_measures, face_region, full_frame_sharpness, sharpness  # noqa: E402
from kiosk.quality.models import LANDMARKER, model_bytes  # noqa: E402


class BaselineAnalyzer:
    """FaceLandmarker IMAGE mode on every full frame + full-frame Laplacian and luminance."""

    def __init__(self):
        import mediapipe as mp
        from mediapipe.tasks.python import BaseOptions, vision

        self.mp = mp
        self.task = vision.FaceLandmarker.create_from_options(vision.FaceLandmarkerOptions(
            base_options=BaseOptions(model_asset_buffer=model_bytes(LANDMARKER)),
            running_mode=vision.RunningMode.IMAGE, num_faces=2, output_face_blendshapes=True,
            output_facial_transformation_matrixes=True))
        self.landmark_runs = 0

    def analyze(self, image, timestamp_ms=None):
        rgb = cv2.cvtColor(image, cv2.COLOR_BGR2RGB)
        result = self.task.detect(self.mp.Image(image_format=self.mp.ImageFormat.SRGB, data=rgb))
        self.landmark_runs += 1
        sharp = full_frame_sharpness(image)
        light = float(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY).mean()) / 255
        return {"faces": len(result.face_landmarks), "sharpness": sharp, "illumination": light}

    def close(self):
        self.task.close()


def stream(width, height, n, scenario="good"):
    with SimulatedCamera(scenario, width, height, 30, paced=False) as cam:
        return [cam.read() for _ in range(n)]


def per_frame(make, frames, video=True):
    analyzer = make()
    try:
        for f in frames[:5]:  # warm up
            analyzer.analyze(f.image, timestamp_ms=int(f.index * 33.3) if video else None)
        runs0 = analyzer.landmark_runs
        times = []
        for f in frames[5:]:
            t = time.perf_counter()
            analyzer.analyze(f.image, timestamp_ms=int(f.index * 33.3) if video else None)
            times.append((time.perf_counter() - t) * 1000)
        runs = analyzer.landmark_runs - runs0
    finally:
        analyzer.close()
    return {"median_ms": statistics.median(times), "p95_ms": float(np.percentile(times, 95)),
            "mean_ms": statistics.fmean(times), "landmark_share": runs / len(times)}


def live(make, seconds):
    from PySide6.QtCore import QCoreApplication

    from kiosk.workers.camera import CameraWorker, CheckerWorker

    app = QCoreApplication.instance() or QCoreApplication([])
    camera = CameraWorker("simulated", 640, 480, 30)
    checker = CheckerWorker(analyzer_factory=make)
    camera.add_sink(checker.submit)
    preview: list[float] = []
    checked: list[float] = []
    camera.frame_ready.connect(lambda f: preview.append(time.monotonic()))
    checker.report_ready.connect(lambda f, r: checked.append(time.monotonic()))
    ready = []
    checker.ready.connect(lambda: ready.append(1))
    checker.start()
    while not ready:
        app.processEvents()
        time.sleep(0.005)
    camera.start()
    t0 = time.monotonic()
    while time.monotonic() - t0 < seconds + 0.5:
        app.processEvents()
        time.sleep(0.002)
    camera.stop()
    checker.stop()
    app.processEvents()
    preview = [t for t in preview if t >= t0 + 0.5]  # skip start-up
    checked = [t for t in checked if t >= t0 + 0.5]
    span = (preview[-1] - preview[0]) if len(preview) > 1 else 1.0
    gaps = np.diff(preview) * 1000 if len(preview) > 1 else np.array([0.0])
    return {"preview_fps": (len(preview) - 1) / span, "checked_fps": len(checked) / span,
            "max_preview_gap_ms": float(gaps.max()), "p99_preview_gap_ms": float(np.percentile(gaps, 99)),
            "dropped_by_checker": checker.dropped, "checked": checker.analysed}


def measure_costs(frames: list, repeat: int = 100) -> None:
    """What each measure added by issue 15 costs on one face of the stream (median of ``repeat``)."""
    with FaceAnalyzer() as analyzer:
        image = frames[0].image
        report = analyzer.analyze(image)
        pts = report.landmarks
        if pts is None:
            print("  (no face in the first frame: per-measure costs skipped)")
            return
        inner = inner_face(image, pts)
        region = face_region(image, report.face_box or (0, 0, 1, 1))
        costs = {
            "sharpness (broker scale)": lambda: sharpness(region),
            "blur measures (motion, anisotropy, detail)": lambda: blur_measures(inner),
            "covered eyes / mouth / chin": lambda: covered_parts(image, pts),
        }
        for name, fn in costs.items():
            times = []
            for _ in range(repeat):
                t = time.perf_counter()
                fn()
                times.append((time.perf_counter() - t) * 1000)
            print(f"  measure {name:44s} median {statistics.median(times):5.2f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--frames", type=int, default=150)
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} CPUs; frames per run: {args.frames}")
    variants = {
        "pipeline": lambda: FaceAnalyzer(),
        "pipeline-every-frame": lambda: FaceAnalyzer(landmark_interval=0.0),
        "baseline": BaselineAnalyzer,
    }
    for w, h in ((640, 480), (1280, 720)):
        frames = stream(w, h, args.frames)
        print(f"\nper-frame cost at {w}x{h} (simulated camera, real face)")
        results = {name: per_frame(make, frames) for name, make in variants.items()}
        for name, r in results.items():
            print(f"  {name:22s} median {r['median_ms']:6.2f} ms  p95 {r['p95_ms']:6.2f} ms  "
                  f"mean {r['mean_ms']:6.2f} ms  landmark network on {100 * r['landmark_share']:5.1f}% of frames")
        b, p = results["baseline"], results["pipeline"]
        print(f"  speed-up vs baseline: median x{b['median_ms'] / p['median_ms']:.2f}, "
              f"mean x{b['mean_ms'] / p['mean_ms']:.2f}")
        if (w, h) == (640, 480):
            measure_costs(frames)
    print(f"\nlive, camera at 30 fps for {args.seconds:.0f} s (camera and checker threads, Qt event loop)")
    for name in ("pipeline", "baseline"):
        r = live(variants[name], args.seconds)
        print(f"  {name:22s} preview {r['preview_fps']:5.1f} fps, max preview gap {r['max_preview_gap_ms']:5.1f} ms "
              f"(p99 {r['p99_preview_gap_ms']:5.1f}), checked {r['checked_fps']:5.1f} fps, "
              f"frames dropped by the checker {r['dropped_by_checker']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
