"""``kiosk check --document card|signature [--side front|back] IMAGE...``: the document checks on
image files, one JSON line per image (keys ``file``, ``ok``, ``failures``, ``instruction_key``,
``instruction``, then the measured values). Exit code 0 when every image passed, 1 when one failed
a check, 2 when one could not be read (its line has an ``error``) or no image was given.

Called from ``kiosk.cli.check`` (``document_check_main(args)``); ``args`` needs ``document``,
``images`` and optionally ``side`` (default front) and ``save`` (a folder for the PNGs made).
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from kiosk.cli import print_json

if TYPE_CHECKING:  # types only: the modules themselves are heavy and loaded when a check runs
    from kiosk.quality.documents import CardReport
    from kiosk.quality.signature import SignatureReport


def _read(path: Path) -> np.ndarray | None:
    from kiosk.cvcompat import cv2  # noqa: PLC0415 - heavy, deferred: `kiosk --help` loads every command

    try:
        data = np.fromfile(str(path), dtype=np.uint8)
    except OSError:
        return None
    if data.size == 0:
        return None
    return cv2.imdecode(data, cv2.IMREAD_COLOR)


def document_check_main(args) -> int:
    document = getattr(args, "document", None)
    side = getattr(args, "side", None) or "front"
    paths = [Path(p) for p in (getattr(args, "images", None) or [])]
    if document not in ("card", "signature"):
        print_json({"error": f"unknown document {document!r}; use card or signature"})
        return 2
    if not paths:
        print_json({"error": "give one or more image files"})
        return 2
    save = getattr(args, "save", None)
    worst = 0
    finder = None
    try:
        if document == "card":
            from kiosk.quality.documents import CardFaceFinder, analyze_card  # noqa: PLC0415 - heavy, deferred: `kiosk --help` loads every command

            finder = CardFaceFinder()
        else:
            from kiosk.quality.signature import analyze_signature  # noqa: PLC0415 - heavy, deferred: `kiosk --help` loads every command
        for path in paths:
            image = _read(path)
            if image is None:
                print_json({"file": str(path), "ok": False, "failures": ["unreadable"], "error": "not a readable image"})
                worst = 2
                continue
            report: CardReport | SignatureReport = (analyze_card(image, side, finder) if document == "card"
                                                     else analyze_signature(image))
            d = report.to_dict()
            line = {"file": str(path), "ok": report.ok, "failures": report.failures,
                    "instruction_key": report.instruction_key, "instruction": report.instruction("en")}
            line.update({k: v for k, v in d.items() if k not in line})
            if document == "card":
                line["side"] = side
            if save and report.png:
                out = Path(save) / f"{path.stem}.{document}.png"
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(report.png)
                line["saved"] = str(out)
            print_json(line)
            if not report.ok:
                worst = max(worst, 1)
    finally:
        if finder is not None:
            finder.close()
    return worst


__all__ = ["document_check_main"]
