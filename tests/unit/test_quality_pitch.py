"""Pitch zero and scale (issue 15): real faces re-rendered at a KNOWN pitch read that pitch, a
frontal face reads the same wherever it is in the frame, the frontal portraits are centred on 0
and pass, and clearly tilted faces are refused. Calibration: kiosk/quality/README.md, "Pitch zero"
(figures from benchmarks/pitch_calibration.py)."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from kiosk.config.settings import Settings
from kiosk.quality.face import FaceAnalyzer, FaceReport

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import faceset  # noqa: E402 - the evaluation set's generator (tests/faceset.py)

PEOPLE = list(faceset.PEOPLE)


@pytest.fixture(scope="module")
def analyzer():
    with FaceAnalyzer(Settings()) as a:
        yield a


@pytest.fixture(scope="module")
def frontal(analyzer) -> dict[str, tuple[np.ndarray, FaceReport]]:
    out = {}
    for person in PEOPLE:
        frame = faceset.webcam_frame(person)
        report = analyzer.analyze(frame)
        assert report.landmarks is not None and report.landmark_depth is not None and report.pitch is not None
        out[person] = (frame, report)
    return out


def _turned(analyzer, frontal, person: str, degrees: float) -> FaceReport:
    frame, base = frontal[person]
    assert base.landmarks is not None and base.landmark_depth is not None
    return analyzer.analyze(faceset.turn_head(frame, base.landmarks, base.landmark_depth, degrees))


@pytest.mark.parametrize("person", PEOPLE)
def test_a_known_turn_reads_its_angle(analyzer, frontal, person):
    """Turned -20..+20 degrees, the pitch follows with a slope of 1 (within 0.15), and a turn of
    10 degrees either way moves it by 10 within 2.5 (the renders are not perfectly linear)."""
    zero = frontal[person][1].pitch
    assert zero is not None
    turns = (-20, -10, 10, 20)
    moved = {}
    for degrees in turns:
        r = _turned(analyzer, frontal, person, degrees)
        assert r.pitch is not None, f"{person} turned {degrees}: no pitch"
        moved[degrees] = r.pitch - zero
    slope = float(np.polyfit([0, *turns], [0.0, *(moved[d] for d in turns)], 1)[0])
    assert abs(slope - 1) <= 0.15, f"{person}: slope {slope:.2f} ({moved})"
    for degrees in (-10, 10):
        assert abs(moved[degrees] - degrees) <= 2.5, f"{person} turned {degrees} degrees: the pitch moved {moved[degrees]:+.1f}"


def test_the_renderer_turns_the_head_the_right_way(analyzer, frontal):
    """Chin down reads > 0 and chin up < 0 for everyone (the sign the instructions rely on)."""
    for person in PEOPLE:
        zero = frontal[person][1].pitch
        assert zero is not None
        down, up = _turned(analyzer, frontal, person, 15).pitch, _turned(analyzer, frontal, person, -15).pitch
        assert down is not None and up is not None
        assert down > zero + 10 and up < zero - 10, (person, up, zero, down)


@pytest.mark.parametrize("person", PEOPLE)
def test_the_same_face_reads_the_same_anywhere_in_the_frame(analyzer, frontal, person):
    """A face looking into the lens 60 px above or below the centre, or 100 px aside (the off-centre
    check allows 96 / 128 px), reads the pitch and yaw of the centred face within 2 degrees (all
    of the line-of-sight angle taken off made it 5 degrees of pitch and 10 of yaw)."""
    centre = frontal[person][1]
    assert centre.pitch is not None and centre.yaw is not None
    for dy in (-60, 60):
        r = analyzer.analyze(faceset.webcam_frame(person, dy=dy))
        assert r.pitch is not None and abs(r.pitch - centre.pitch) <= 2.0, (person, dy, r.pitch, centre.pitch)
    for dx in (-100, 100):
        r = analyzer.analyze(faceset.webcam_frame(person, dx=dx))
        assert r.yaw is not None and abs(r.yaw - centre.yaw) <= 2.0, (person, dx, r.yaw, centre.yaw)


def test_frontal_portraits_are_centred_on_zero_and_pass(frontal):
    """The three frontal portraits (who look into the lens) average 0 within 1 degree, and each
    passes the pitch check with a margin of a degree (their spread, 12 degrees, is the person's,
    not the offset's: see the README)."""
    limit = float(Settings()["quality.max_pitch"])
    pitches = [frontal[p][1].pitch for p in PEOPLE]
    assert all(p is not None for p in pitches)
    values = [float(p) for p in pitches if p is not None]
    assert abs(float(np.mean(values))) <= 1.0, values
    for person, pitch in zip(PEOPLE, values, strict=True):
        assert abs(pitch) <= limit - 1.0, f"{person} reads {pitch:+.1f}"
        assert frontal[person][1].checks["pitch"].ok


@pytest.mark.parametrize("person", PEOPLE)
def test_a_head_tilted_15_degrees_is_refused(analyzer, frontal, person):
    for degrees, key in ((15, "head_up"), (-15, "head_down")):
        r = _turned(analyzer, frontal, person, degrees)
        assert not r.ok and key in r.failures, f"{person} turned {degrees}: {r.failures} pitch {r.pitch}"
