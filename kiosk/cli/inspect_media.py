"""``kiosk inspect FILE``: streams, codecs, durations and A/V offset of a media file, as JSON."""
from __future__ import annotations

import argparse
from pathlib import Path

from kiosk.cli import print_json

HELP = ("Describe a media file as JSON (container, streams, A/V start offset, audio level); "
        "exit 1 unless it is a WebM with one video and one audio stream.")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help="the media file")
    parser.add_argument("--no-audio-decode", action="store_true", help="skip decoding the audio (no RMS)")


def run(args) -> int:
    from kiosk.capture.media_info import inspect_media  # noqa: PLC0415 - heavy, deferred: `kiosk --help` loads every command

    info = inspect_media(args.file, decode_audio=not args.no_audio_decode)
    print_json(info)
    return 0 if info["valid_webm"] else 1
