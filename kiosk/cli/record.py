"""``kiosk record``: record a video with audio from the configured (or simulated) devices."""
from __future__ import annotations

import argparse
import logging
import os
import uuid
from pathlib import Path

from kiosk.cli import print_json
from kiosk.core.media_store import STREAM_CHUNK, MediaStore, MediaStoreError, overwrite_and_unlink
from kiosk.config.settings import Settings
from kiosk.i18n.capture_sentences import sentence

HELP = ("Record a WebM video with audio (camera + microphone) and print a JSON summary. While recording, the "
        "video exists only encrypted (key in memory) in the kiosk's media folder; --out is written only when the "
        "recording is complete (via OUT.part, renamed); nothing playable is left if it fails or is killed. "
        "Exit 0: recorded and every check passed; 1: recorded but a retake is needed (face left, a second face, "
        "no speech); 2: the recording failed (devices, disk, a bad --out).")

log = logging.getLogger(__name__)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seconds", type=float, default=None, help="length in seconds (default: recording.seconds)")
    parser.add_argument("--out", required=True, type=Path, help="the .webm file to write")
    parser.add_argument("--camera", default=None, help="camera spec (default: camera.source; '' = simulated)")
    parser.add_argument("--microphone", default=None,
                        help="microphone spec (default: microphone.source; '' = simulated Persian voice)")
    parser.add_argument("--codec", choices=("vp8", "vp9"), default=None, help="video codec (default: recording.codec)")
    parser.add_argument("--no-checks", action="store_true", help="do not run the face checks while recording")


def _export(store: MediaStore, ref, out: Path) -> Path:
    """Decrypt the finished recording into ``OUT.part`` (0600), then rename it to ``out``; a
    failure overwrites and removes the part."""
    part = out.with_name(out.name + ".part")
    overwrite_and_unlink(part)
    try:
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            for chunk in store.iter_chunks(ref):
                fh.write(chunk)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(part, out)
    except BaseException:
        overwrite_and_unlink(part)
        raise
    return out


def run(args) -> int:
    """Exit codes: 0 recorded and every check passed, 1 recorded but a retake is needed
    (face left, second face, speech check failed), 2 the recording failed (devices, disk)."""
    from kiosk.capture.base import CaptureError  # noqa: PLC0415 - heavy (numpy), deferred: `kiosk --help` loads every command
    from kiosk.capture.media_info import inspect_media  # noqa: PLC0415 - heavy, deferred: `kiosk --help` loads every command
    from kiosk.capture.microphone import open_microphone  # noqa: PLC0415 - heavy, deferred: `kiosk --help` loads every command
    from kiosk.capture.recorder import record_clip  # noqa: PLC0415 - heavy, deferred: `kiosk --help` loads every command

    settings = Settings.load()
    if args.codec:
        settings.set("recording.codec", args.codec)
    seconds = float(args.seconds if args.seconds is not None else settings["recording.seconds"])
    camera_spec = settings["camera.source"] if args.camera is None else args.camera
    mic_spec = settings["microphone.source"] if args.microphone is None else args.microphone
    out = args.out
    if out.suffix.lower() != ".webm":
        print_json({"error": "the output file must end in .webm", "path": str(out)})
        return 2

    analyzer, checks = None, "off" if args.no_checks else "on"
    try:
        if not args.no_checks:
            try:
                from kiosk.quality.face import FaceAnalyzer  # noqa: PLC0415 - heavy, deferred: `kiosk --help` loads every command
            except ImportError as exc:
                checks = f"unavailable ({exc.name or exc})"
            else:
                analyzer = FaceAnalyzer(settings)
                analyzer.__enter__()
        from kiosk.capture.camera import open_camera  # noqa: PLC0415 - heavy, deferred: `kiosk --help` loads every command

        camera = open_camera(camera_spec, settings["camera.width"], settings["camera.height"], settings["camera.fps"])
        microphone = open_microphone(mic_spec, settings["microphone.sample_rate"])
        with microphone, camera, MediaStore(session_id=f"record-{uuid.uuid4().hex}") as store:
            writer = store.writer("record", "webm", chunk_size=STREAM_CHUNK)
            result = record_clip(camera, microphone, seconds, None, analyzer=analyzer, settings=settings, sink=writer)
            cam_info, mic_info = camera.info, microphone.info
            result.path = _export(store, writer.close(), out)  # the store is wiped when the block ends
    except CaptureError as exc:
        print_json({"error": str(exc), "message_key": exc.message_key,
                    "sentence": {"fa": sentence(exc.message_key, "fa"), "en": sentence(exc.message_key, "en")}})
        return 2
    except (OSError, MediaStoreError) as exc:
        print_json({"error": f"the recording could not be written: {type(exc).__name__}: {exc}",
                    "message_key": "recording.write_failed",
                    "sentence": {"fa": sentence("recording.write_failed", "fa"),
                                 "en": sentence("recording.write_failed", "en")}})
        return 2
    finally:
        if analyzer is not None:
            analyzer.__exit__(None, None, None)

    summary = result.to_dict()
    summary["face_checks_status"] = checks
    summary["camera"] = {"kind": cam_info.kind, "name": cam_info.name}
    summary["microphone"] = {"kind": mic_info.kind, "name": mic_info.name, "sample_rate": mic_info.sample_rate}
    if result.instruction_key:
        summary["sentence"] = {"fa": sentence(result.instruction_key, "fa"), "en": sentence(result.instruction_key, "en")}
    if result.path is None:  # record_clip keeps a path unless stopped, and nothing stops it here
        print_json({"error": "the recording left no file"})
        return 2
    media = inspect_media(result.path)
    summary["media"] = {k: media[k] for k in ("container", "valid_webm", "av_offset_ms", "audio_rms_dbfs", "problems")}
    summary["media"]["streams"] = [{k: s.get(k) for k in ("type", "codec", "duration", "start_time")}
                                   for s in media["streams"]]
    print_json(summary)
    return 0 if result.retake_reason is None and media["valid_webm"] else 1
