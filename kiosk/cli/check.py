"""``kiosk check``: the face pre-checks on image files or on a live camera, as JSON lines.

``kiosk check IMAGE...`` prints one line per image; the exit code is 0 when every image passed,
1 when one failed a check, 2 when one could not be read (its line has an ``error``).
``kiosk check --camera SPEC --seconds N`` checks a camera (e.g. ``simulated:tour``) for N seconds
and prints a line per analysed frame (``--summary``: only the summary) and the frames analysed
per second.
"""
from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

from kiosk.cli import print_json
from kiosk.config.settings import Settings

HELP = ("Run the face pre-checks on images or a camera and print JSON lines (--document: the ID card or a "
        "signature). Exit 0: every image (or some camera frame) passed; 1: a check failed or no frame could "
        "be analysed; 2: an image or the camera could not be read, or no input was given.")

_FIELDS = ("ok", "faces", "detections", "yaw", "pitch", "roll", "sharpness", "motion_sharpness", "anisotropy", "detail",
           "illumination", "overexposed", "inter_eye_px", "eyes_open", "covered", "face_box", "failures",
           "instruction_key", "instruction")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("images", nargs="*", type=Path, help="image files to check")
    parser.add_argument("--camera", default=None, metavar="SPEC",
                        help="check a camera instead: '' or simulated, simulated:<scenario>, an index, a name or a file")
    parser.add_argument("--seconds", type=float, default=5.0, help="how long to check the camera (default 5)")
    parser.add_argument("--summary", action="store_true", help="with --camera: print only the summary line")
    parser.add_argument("--document", choices=("card", "signature"), default=None,
                        help="check pictures of a document instead of a face: the ID card or a wet signature")
    parser.add_argument("--side", choices=("front", "back"), default="front", help="with --document card: which side")
    parser.add_argument("--save", type=Path, default=None, metavar="DIR",
                        help="with --document: write the PNG of each image that passed into DIR")


def _line(path: Path, report) -> dict:
    d = report.to_dict()
    return {"file": str(path), **{k: d.get(k) for k in _FIELDS}}


def _check_images(paths: list[Path], settings) -> int:
    from kiosk.quality.face import FaceAnalyzer, ImageError  # noqa: PLC0415 - heavy (mediapipe), only when checking

    worst = 0
    with FaceAnalyzer(settings) as analyzer:
        for path in paths:
            try:
                report = analyzer.analyze_file(path)
            except ImageError as exc:
                print_json({"file": str(path), "ok": False, "error": str(exc), "faces": None, "yaw": None,
                            "pitch": None, "roll": None, "sharpness": None, "illumination": None,
                            "inter_eye_px": None, "failures": ["unreadable"]})
                worst = 2
                continue
            print_json(_line(path, report))
            if not report.ok:
                worst = max(worst, 1)
    return worst


def _check_camera(spec: str, seconds: float, summary: bool, settings) -> int:
    from kiosk.capture.base import CaptureError  # noqa: PLC0415 - camera stack only for --camera
    from kiosk.capture.camera import SENTENCES, open_camera  # noqa: PLC0415 - camera stack only for --camera
    from kiosk.quality.face import FaceAnalyzer  # noqa: PLC0415 - heavy (mediapipe), only when checking

    failures: Counter = Counter()
    frames = analysed = ok = 0
    try:
        camera = open_camera(spec, settings["camera.width"], settings["camera.height"], settings["camera.fps"])
        with FaceAnalyzer(settings) as analyzer, camera:
            info = camera.info
            start = time.monotonic()
            busy = 0.0
            while time.monotonic() - start < seconds:
                frame = camera.read()
                if frame is None:
                    break
                frames += 1
                t = time.perf_counter()
                report = analyzer.analyze(frame.image, timestamp_ms=int(frame.timestamp * 1000))
                busy += time.perf_counter() - t
                analysed += 1
                ok += report.ok
                failures.update(report.failures)
                if not summary:
                    d = report.to_dict()
                    print_json({"frame": frame.index, "t": round(frame.timestamp - start, 3),
                                **{k: d.get(k) for k in _FIELDS if k != "instruction"}})
            elapsed = max(1e-6, time.monotonic() - start)
    except CaptureError as exc:
        print_json({"camera": spec, "error": str(exc), "message_key": exc.message_key,
                    "sentence": SENTENCES.get(exc.message_key or "")})
        return 2
    print_json({"camera": spec or "simulated", "kind": info.kind, "width": info.width, "height": info.height,
                "fps": info.fps, "seconds": round(elapsed, 2), "frames": frames, "analysed": analysed,
                "analysed_per_second": round(analysed / elapsed, 1),
                "ms_per_check": round(1000 * busy / analysed, 2) if analysed else None,
                "ok_frames": ok, "failures": dict(failures.most_common())})
    return 0 if analysed and ok else 1


def run(args) -> int:

    if args.document:
        from kiosk.cli.check_documents import document_check_main  # noqa: PLC0415 - document checks only with --document

        return document_check_main(args)
    settings = Settings.load()
    if args.camera is not None:
        return _check_camera(args.camera, args.seconds, args.summary, settings)
    if not args.images:
        print_json({"error": "give one or more image files, or --camera SPEC"})
        return 2
    return _check_images(list(args.images), settings)
