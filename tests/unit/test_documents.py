"""ID card checks on cards made at test time from real photographs (tests/docimages.py): a card
with a real face and real glyphs, put in perspective on desks from real textures, then given
glare, blur, a cut corner, distance and the wrong side. Corners are compared with the warp's."""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import numpy as np
import pytest

from kiosk.cvcompat import cv2
from kiosk.quality import documents as D
from kiosk.quality.documents import (CARD_PRIORITY, CARD_SIZE, AutoCaptureDocument, CardFaceFinder, ImageError,
                                     analyze_card, order_corners)

pytest.importorskip("skimage.data")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import docimages as di  # noqa: E402

PERSIAN = re.compile("[\u0600-\u06FF]")


@pytest.fixture(scope="module")
def finder():
    with CardFaceFinder() as f:
        yield f


@pytest.fixture(scope="module")
def front():
    return di.make_card("front")


@pytest.fixture(scope="module")
def back():
    return di.make_card("back")


@pytest.fixture(scope="module")
def brick():
    return di.desk(800, 600, "brick")


def shot(card, desk, corners, **kw):
    return di.photograph(card[0], card[1], desk, corners, **kw)


def corner_error(found, truth) -> float:
    """Largest corner distance, allowing for the 0/180 degree ambiguity of a card's orientation."""
    f, t = order_corners(found), order_corners(truth)
    return float(min(np.linalg.norm(np.roll(f, k, 0) - t, axis=1).max() for k in range(4)))


@pytest.mark.parametrize("kind,tint", [("brick", (60, 90, 140)), ("gravel", (70, 80, 95)), ("grass", (50, 110, 80))])
@pytest.mark.parametrize("angle,tilt,width", [(8, 0.08, 480), (-15, 0.0, 440), (3, 0.15, 520), (84, 0.05, 400)])
def test_clean_card_found_to_the_pixel_and_passes(finder, front, back, kind, tint, angle, tilt, width):
    desk = di.desk(800, 600, kind, tint)
    truth = di.corners_at(400, 300, width, angle, tilt)
    for side, card in (("front", front), ("back", back)):
        r = analyze_card(shot(card, desk, truth), side, finder)
        assert r.ok, (side, r.failures, r.values)
        assert r.failures == [] and r.instruction_key is None
        assert corner_error(r.corners, truth) < 2.5, (side, r.corners, truth)
        png = cv2.imdecode(np.frombuffer(r.png, np.uint8), cv2.IMREAD_UNCHANGED)
        assert png.shape == (CARD_SIZE[1], CARD_SIZE[0], 3)


def test_warp_is_upright_even_for_a_card_held_upside_down(finder, front, brick):
    for angle in (5, 185, 95):
        r = analyze_card(shot(front, brick, di.corners_at(400, 300, 480, angle, 0.0)), "front", finder)
        assert r.ok, (angle, r.failures)
        x0, y0, x1, y1 = r.values["face_box"]
        # the template's photo is at x 600-810, y 120-400 of the 856 x 540 card
        assert 560 < (x0 + x1) / 2 < 830 and 100 < (y0 + y1) / 2 < 420, (angle, r.values["face_box"])
        card = r.card
        template = front[0]
        # the straightened card matches the card it was made from (same way up)
        diff = np.abs(cv2.GaussianBlur(card, (0, 0), 3).astype(int) - cv2.GaussianBlur(template, (0, 0), 3).astype(int))
        assert np.median(diff) < 12, (angle, np.median(diff))


def test_blur_of_growing_sigma_lowers_sharpness_and_is_caught(finder, front, brick):
    img = shot(front, brick, di.corners_at(400, 300, 480, 8, 0.08))
    values = []
    for sigma in (0, 1.5, 2.5, 4):
        r = analyze_card(di.blur(img, sigma), "front", finder, encode=False)
        values.append(r.values["sharpness"])
        if sigma == 0:
            assert r.ok, r.failures
        else:
            assert "blurred" in r.failures and r.instruction_key == "document.card.hold_still", (sigma, r.values)
            assert r.png is None
    assert values == sorted(values, reverse=True)


def test_glare_is_caught_and_told_first_of_its_kind(finder, front, brick):
    img = shot(front, brick, di.corners_at(400, 300, 480, 8, 0.08))
    small = analyze_card(di.add_glare(img, (330, 300), 12, strength=200), "front", finder)
    assert small.ok and small.values["glare"] < 0.01  # a faint highlight is not glare
    r = analyze_card(di.add_glare(img, (330, 300), 45), "front", finder)
    assert r.failures == ["glare"] and r.instruction_key == "document.card.glare", r.values
    assert r.values["glare"] > 0.01
    assert "نور" in r.instruction("fa") and "glare" in r.instruction("en").lower()


def test_cut_corner_is_caught(finder, front, brick):
    truth = di.corners_at(400, 300, 480, 8, 0.08) + np.float32([260, 0])  # right corners outside the frame
    r = analyze_card(shot(front, brick, truth), "front", finder)
    assert not r.ok and r.instruction_key == "document.card.whole", (r.failures, r.values)
    assert "cut_off" in r.failures


def test_far_card_is_told_to_come_closer(finder, front, brick):
    r = analyze_card(shot(front, brick, di.corners_at(400, 300, 260, 5, 0.05)), "front", finder)
    assert r.failures[0] == "too_far" and r.instruction_key == "document.card.closer"
    assert r.corners is not None and r.values["area_share"] < D.CardThresholds().min_area


def test_steep_tilt_is_told_to_hold_flat(finder, front, brick):
    r = analyze_card(shot(front, brick, di.corners_at(400, 300, 520, 0, 0.5)), "front", finder)
    assert "tilted" in r.failures and r.values["corner_angle_dev"] > 25, (r.failures, r.values)


def test_wrong_side_each_way(finder, front, back, brick):
    truth = di.corners_at(400, 300, 480, 8, 0.08)
    r = analyze_card(shot(back, brick, truth), "front", finder)
    assert r.failures == ["no_photo"] and r.instruction_key == "document.card.front"
    r = analyze_card(shot(front, brick, truth), "back", finder)
    assert r.failures == ["wrong_side"] and r.instruction_key == "document.card.back"


def test_no_card(finder, brick):
    r = analyze_card(brick, "front", finder)
    assert r.failures == ["no_card"] and r.corners is None and r.instruction_key == "document.card.show"
    cat = cv2.cvtColor(__import__("skimage.data", fromlist=["chelsea"]).chelsea(), cv2.COLOR_RGB2BGR)
    assert analyze_card(cat, "front", finder).failures == ["no_card"]


def test_other_face_analyzers_and_errors(front, brick):
    img = shot(front, brick, di.corners_at(400, 300, 480, 8, 0.08))
    # a plain callable as the detector; without one, the function opens and closes its own
    assert analyze_card(img, "front", detector=lambda card: []).failures == ["no_photo"]
    assert analyze_card(img, "front").ok
    with pytest.raises(ValueError):
        analyze_card(img, "side")
    with pytest.raises(ImageError):
        analyze_card(None, "front")


def test_prepare_card_hook_gives_the_straightened_card(front, brick):
    img = shot(front, brick, di.corners_at(400, 300, 480, 8, 0.08))  # the wizard's "take it now"
    png = cv2.imdecode(np.frombuffer(D.prepare_card(img, "front"), np.uint8), cv2.IMREAD_COLOR)
    assert png.shape[:2] == (CARD_SIZE[1], CARD_SIZE[0])
    raw = cv2.imdecode(np.frombuffer(D.prepare_card(brick, "front"), np.uint8), cv2.IMREAD_COLOR)
    assert raw.shape == brick.shape  # nothing found: the frame as it is


def test_order_corners_any_start_any_rotation():
    truth = di.corners_at(400, 300, 300, 20, 0.1)
    rng = np.random.default_rng(0)
    for _ in range(10):
        shuffled = truth[rng.permutation(4)]
        assert np.allclose(order_corners(shuffled), order_corners(truth))
    c = order_corners(truth)
    assert c[0][0] + c[0][1] == min(p[0] + p[1] for p in truth)
    u, v = c[1] - c[0], c[2] - c[1]
    assert u[0] * v[1] - u[1] * v[0] > 0  # clockwise on screen


class _Frame:
    def __init__(self, image, timestamp):
        self.image, self.timestamp = image, timestamp


def test_auto_capture_waits_for_a_still_card_and_keeps_the_sharpest(finder, front, brick):
    auto = AutoCaptureDocument(steady_frames=4)
    frames = []
    for i, dx in enumerate((0, 30, 60)):  # moving: good reports but corners jump
        img = shot(front, brick, di.corners_at(380 + dx, 300, 480, 8, 0.08), seed=i)
        frames.append(img)
        r = analyze_card(img, "front", finder, encode=False)
        assert r.ok
        assert auto.feed(_Frame(img, i / 10), r) is None
    assert auto.instruction_key == "document.card.hold_still"
    still = di.corners_at(440, 300, 480, 8, 0.08)
    reports = []
    for i, sigma in enumerate((0.6, 0, 0.9, 0.3)):
        img = di.blur(shot(front, brick, still, seed=10 + i), sigma)
        r = analyze_card(img, "front", finder, encode=False)
        reports.append(r)
        cap = auto.feed(_Frame(img, 1 + i / 10), r)
        if i < 3:
            assert cap is None and auto.progress == pytest.approx((i + 1) / 4)
    assert cap is not None and cap.frames == 4
    assert cap.sharpness == max(r.values["sharpness"] for r in reports)
    assert cap.report is reports[1]
    dec = cv2.imdecode(np.frombuffer(cap.png, np.uint8), cv2.IMREAD_COLOR)
    assert dec.shape[:2] == (CARD_SIZE[1], CARD_SIZE[0])
    # a failed check breaks the run
    auto.reset()
    bad = analyze_card(brick, "front", finder)
    assert auto.feed(_Frame(brick, 5), bad) is None and auto.instruction_key == "document.card.show"
    assert auto.progress == 0


def test_every_instruction_in_persian_and_english():
    from kiosk.quality.pad import PAD_PRIORITY
    from kiosk.i18n.messages import t
    from kiosk.quality.signature import SIGNATURE_PRIORITY

    for _, key in CARD_PRIORITY + SIGNATURE_PRIORITY + PAD_PRIORITY:
        fa, en = D.sentence(key, "fa"), D.sentence(key, "en")
        assert fa and en and fa != en and PERSIAN.search(fa) and not PERSIAN.search(en), key
        assert t(key, "fa") == fa  # the one catalogue the UI reads


def test_cli_document_card(tmp_path, capsys, front, back, brick):
    from kiosk.__main__ import main

    truth = di.corners_at(400, 300, 480, 8, 0.08)
    cv2.imwrite(str(tmp_path / "front.png"), shot(front, brick, truth))
    cv2.imwrite(str(tmp_path / "back.png"), shot(back, brick, truth))
    (tmp_path / "broken.jpg").write_bytes(b"\xff\xd8 nope")

    def run(*argv):
        code = main(["check", "--document", "card", *map(str, argv)])
        return code, [json.loads(x) for x in capsys.readouterr().out.splitlines() if x.strip()]

    code, lines = run(tmp_path / "front.png")
    assert code == 0 and lines[0]["ok"] is True and lines[0]["file"].endswith("front.png")
    assert {"failures", "sharpness", "glare", "corners", "area_share"} <= set(lines[0])
    code, lines = run("--side", "back", tmp_path / "front.png", tmp_path / "back.png")
    assert code == 1 and [x["ok"] for x in lines] == [False, True] and lines[0]["failures"] == ["wrong_side"]
    code, lines = run(tmp_path / "front.png", tmp_path / "broken.jpg")
    assert code == 2 and lines[1]["failures"] == ["unreadable"]
    out = tmp_path / "out"
    code, lines = run("--save", out, tmp_path / "front.png")
    assert code == 0 and cv2.imread(lines[0]["saved"]).shape[:2] == (CARD_SIZE[1], CARD_SIZE[0])


# -- cards on textured desks, in perspective, with fingers (issue 15; the whole set: benchmarks/quality_eval.py)
import cardset as cs  # noqa: E402


@pytest.mark.parametrize("desk", ["granite", "gravel", "wood", "cloth"])
@pytest.mark.parametrize("pitch,yaw,roll", [(0, 0, 3), (22, 0, -5), (0, 24, -3)])
def test_clean_card_on_a_textured_desk_in_perspective_passes(finder, desk, pitch, yaw, roll):
    truth = cs.perspective_corners(400, 300, 480, pitch, yaw, roll)
    r = analyze_card(cs.shoot(desk, truth, seed=3), "front", detector=finder)
    assert r.ok, r.to_dict()
    # on texture the edge fit is looser than on a plain desk (~1 px): within 5 % of the card's width
    assert corner_error(r.corners, truth) < 0.05 * 480, (r.corners, truth)


@pytest.mark.parametrize("seed", [3, 41])
@pytest.mark.parametrize("pitch,yaw,roll", [(22, 0, -5), (-25, 5, 8), (0, 24, -3), (15, -20, 12)])
def test_clean_card_on_pebbles_passes_with_its_header(finder, seed, pitch, yaw, roll):
    # many small stones of every colour: a dark stone beside the card's blue header is not a
    # finger (a band from one side of the card to the other is print), and the header, segmented
    # with the desk, is given back to the card (a plain band unlike the stones beyond it)
    truth = cs.perspective_corners(400, 300, 480, pitch, yaw, roll)
    r = analyze_card(cs.shoot("pebbles", truth, seed=seed), "front", detector=finder)
    assert r.ok, r.to_dict()
    assert corner_error(r.corners, truth) < 0.05 * 480, (r.corners, truth)


def test_a_band_of_desk_beside_the_card_is_not_grown_into_it():
    # a patterned cloth's straight lines beside the card: the band between is desk, not header
    truth = cs.perspective_corners(400, 300, 480, 20, 0, -4)
    for seed in (4, 9):
        quads = D.find_quads(cs.shoot("cloth", truth, seed=seed))
        assert quads and corner_error(quads[0].corners, truth) < 0.05 * 480, (seed, quads[:1], truth)


KNOWN_MISSES = pytest.mark.xfail(strict=True, reason="known limit, kiosk/quality/README.md 'Not good enough yet': "
                                  "the hand joins the card's region or hides the outline, or the finger's colour "
                                  "hides it from the edge walk")


@pytest.mark.parametrize("desk", ["gravel", "pebbles", pytest.param("granite", marks=KNOWN_MISSES),
                                  pytest.param("cloth", marks=KNOWN_MISSES)])
def test_a_finger_over_a_corner_refuses_the_card(finder, desk):
    # the fingertip over the top-right corner, the finger going off the card: the corner is hidden
    # (the broker needs all four); the card's outline is still found from its sides
    corners = cs.perspective_corners(400, 300, 480, 20, 0, -4)
    img = cs.shoot(desk, corners, seed=7)
    tip = cs._to_frame(corners, 0.96, 0.06)
    img = cs.finger(img, tip, cs._to_frame(corners, 1.6, -0.4) - tip, 260, 34, cs.SKIN[2], seed=7)
    r = analyze_card(img, "front", detector=finder)
    assert not r.ok and r.failures[0] == "covered", r.to_dict()
    assert corner_error(r.corners, corners) < 0.05 * 480, (r.corners, corners)


@pytest.mark.parametrize("desk", ["granite", "cloth", pytest.param("gravel", marks=KNOWN_MISSES),
                                  pytest.param("pebbles", marks=KNOWN_MISSES)])
def test_a_thumb_on_the_border_that_covers_nothing_passes(finder, desk):
    # a thumb over the bottom edge, between the number and the photo: it bends the segmented
    # outline, but the card's straight sides are found and nothing printed is hidden
    corners = cs.perspective_corners(400, 300, 480, 20, 0, -4)
    img = cs.shoot(desk, corners, seed=7)
    tip = cs._to_frame(corners, 0.62, 0.93)
    img = cs.finger(img, tip, cs._to_frame(corners, 0.62, 1.4) - tip, 140, 30, cs.SKIN[1], seed=7)
    r = analyze_card(img, "front", detector=finder)
    assert r.ok, r.to_dict()
    assert corner_error(r.corners, corners) < 0.05 * 480, (r.corners, corners)


@pytest.mark.parametrize("desk", ["granite", "wood"])
def test_a_corner_really_outside_the_frame_is_cut_off(finder, desk):
    r = analyze_card(cs.shoot(desk, cs.perspective_corners(150, 320, 480, 10, 0, 5)), "front", detector=finder)
    assert not r.ok and r.failures[0] == "cut_off", r.to_dict()


@pytest.mark.parametrize("desk", ["granite", "wood", "cloth"])
@pytest.mark.parametrize("what,tip,towards", [("photo", (0.8, 0.45), (1.5, 0.5)), ("text", (0.3, 0.4), (-0.6, 0.5))])
def test_a_finger_over_the_photo_or_the_text_refuses_the_card(finder, desk, what, tip, towards):
    corners = cs.perspective_corners(400, 300, 480, 20, 0, -4)
    img = cs.shoot(desk, corners, seed=1)
    t = cs._to_frame(corners, *tip)
    img = cs.finger(img, t, cs._to_frame(corners, *towards) - t, 260, 34, cs.SKIN[1])
    r = analyze_card(img, "front", detector=finder)
    assert not r.ok, r.to_dict()
    if "covered" in r.failures:
        assert D.sentence(dict(CARD_PRIORITY)["covered"], "en").startswith("Keep your fingers off")
