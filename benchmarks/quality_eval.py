"""Evaluation of the pre-checks on the project's own set: per category, clean frames passed and
defects caught, for faces (``tests/faceset.py``) and ID cards (``tests/cardset.py``).

The sets are made at run time from real photographs the project ships or its test extras
carry (sources and licences: ``tests/fixtures/faces/SOURCES.md``); nothing is downloaded.
Goal (issue 15): 100 % of clean frames pass, at least 98 % of defects caught.

Run: ``.venv/bin/python benchmarks/quality_eval.py [--faces-only|--cards-only] [--verbose]``
(``--verbose`` prints every frame's measures; ``--markdown`` prints the table for the README).
Exit code 0 when the goal is met.
"""
from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from kiosk.config.settings import Settings  # noqa: E402
from kiosk.quality.face import FaceAnalyzer  # noqa: E402


def _face_rows(verbose: bool) -> dict[str, list[bool]]:
    import faceset  # noqa: PLC0415 - the tests' set generator, on sys.path only here

    rows: dict[str, list[bool]] = defaultdict(list)
    with FaceAnalyzer(Settings()) as analyzer:
        def landmarks(frame: Any) -> Any:
            r = analyzer.analyze(frame)
            assert r.landmarks is not None, "the clean frame has no face"
            return r.landmarks

        for case in faceset.cases():
            frame = case.make(landmarks)
            r = analyzer.analyze(frame)
            good = r.ok if case.clean else not r.ok
            rows[f"face: {case.category}"].append(good)
            if verbose or not good:
                d = r.to_dict()
                print(f"{'ok  ' if good else 'MISS'} {case.category:28s} {case.name:28s} pass={r.ok!s:5s} "
                      f"sharp={d['sharpness']} motion={d['motion_sharpness']} pitch={d['pitch']} yaw={d['yaw']} "
                      f"covered={d['covered']} failures={d['failures']}", file=sys.stderr)
        r = analyzer.analyze(faceset.cat_frame())
        rows["face: a cat (no landmarks)"].append(not r.ok)
    return rows


def _card_rows(verbose: bool) -> dict[str, list[bool]]:
    try:
        import cardset  # noqa: PLC0415 - the tests' set generator, on sys.path only here
    except ImportError:
        return {}
    from kiosk.quality.documents import CardFaceFinder, analyze_card  # noqa: PLC0415 - only for cards

    rows: dict[str, list[bool]] = defaultdict(list)
    with CardFaceFinder() as finder:
        for case in cardset.cases():
            r = analyze_card(case.image, case.side, detector=finder)
            good = r.ok if case.clean else not r.ok
            rows[f"card: {case.category}"].append(good)
            if verbose or not good:
                print(f"{'ok  ' if good else 'MISS'} {case.category:28s} {case.name:28s} pass={r.ok!s:5s} "
                      f"failures={r.failures}", file=sys.stderr)
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--faces-only", action="store_true")
    ap.add_argument("--cards-only", action="store_true")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args(argv)
    rows: dict[str, list[bool]] = {}
    if not args.cards_only:
        rows.update(_face_rows(args.verbose))
    if not args.faces_only:
        rows.update(_card_rows(args.verbose))
    clean_n = clean_ok = bad_n = bad_ok = 0
    lines = ["| category | frames | right | share |", "|---|---|---|---|"]
    for cat, goods in rows.items():
        n, k = len(goods), sum(goods)
        is_clean = "clean" in cat
        if is_clean:
            clean_n, clean_ok = clean_n + n, clean_ok + k
        else:
            bad_n, bad_ok = bad_n + n, bad_ok + k
        verb = "passed" if is_clean else "caught"
        lines.append(f"| {cat} | {n} | {k} {verb} | {100 * k / n:.0f} % |")
    lines.append(f"| **clean frames passed** | {clean_n} | {clean_ok} | "
                 f"{100 * clean_ok / max(1, clean_n):.1f} % |")
    lines.append(f"| **defects caught** | {bad_n} | {bad_ok} | {100 * bad_ok / max(1, bad_n):.1f} % |")
    if args.markdown:
        print("\n".join(lines))
    else:
        for line in lines[2:]:
            print(" ".join(cell.strip() for cell in line.strip("|").split("|")))
    met = clean_ok == clean_n and bad_ok >= 0.98 * bad_n
    print(f"goal (100 % clean passed, >= 98 % defects caught): {'met' if met else 'NOT met'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
