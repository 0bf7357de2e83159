"""Wet signature checks on sheets made at test time (tests/docimages.py): seeded spline signatures
of varying thickness on paper, photographed in perspective on desks from real textures under a
shadow; a blank page, a printed page and the bare desk as negatives. Touch-pad rendering."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

from kiosk.capture.signature_pad import render, render_strokes
from kiosk.quality.pad import analyze_strokes
from kiosk.cvcompat import cv2
from kiosk.quality.documents import order_corners
from kiosk.quality.signature import MAX_WIDTH, analyze_signature, flatten_light, printed_score

pytest.importorskip("skimage.data")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import docimages as di  # noqa: E402


def decode(png: bytes) -> np.ndarray:
    return cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_UNCHANGED)


@pytest.mark.parametrize("seed,kind,shadow", [(0, "gravel", 0.6), (1, "brick", 0.45), (2, "grass", 0.35),
                                              (3, "gravel", 1.0)])
def test_clean_signature_sheet_found_cleaned_and_passes(seed, kind, shadow):
    img, truth = di.photograph_sheet(di.signature_sheet(seed), kind=kind, shadow_low=shadow, seed=seed)
    r = analyze_signature(img)
    assert r.ok, (r.failures, r.values)
    assert r.instruction_key is None
    assert np.abs(order_corners(r.corners) - order_corners(truth)).max() < 2.5
    out = decode(r.png)
    assert out.ndim == 2 and out.dtype == np.uint8 and out.shape[1] <= MAX_WIDTH
    # paper pure white everywhere (the shadow is gone), ink black, little in between
    assert np.median(out) == 255 and out.min() < 40
    assert np.mean((out > 40) & (out < 215)) < 0.05
    # the crop holds the whole signature: its box (drawn 460 x 260 on a 840-wide sheet) and a margin
    ys, xs = np.nonzero(out < 128)
    assert xs.min() >= 8 and ys.min() >= 8 and out.shape[1] - xs.max() >= 8 and out.shape[0] - ys.max() >= 8
    aspect = (xs.max() - xs.min()) / (ys.max() - ys.min())
    ink = di.draw_signature(np.full((594, 840, 3), 255, np.uint8), di.signature_strokes(seed), (200, 160, 460, 260))
    ty, tx = np.nonzero(cv2.cvtColor(ink, cv2.COLOR_BGR2GRAY) < 128)
    assert aspect == pytest.approx((tx.max() - tx.min()) / (ty.max() - ty.min()), rel=0.1)


def test_shadow_removal_flattens_the_paper():
    sheet = cv2.cvtColor(di.paper(), cv2.COLOR_BGR2GRAY).astype(np.float32)
    shaded = (sheet * di.shadow_gradient(sheet.shape[1], sheet.shape[0], 0.35)).astype(np.uint8)
    assert shaded[:, :50].mean() - shaded[:, -50:].mean() > 80
    flat = flatten_light(shaded)
    assert abs(flat[:, :50].mean() - flat[:, -50:].mean()) < 5 and flat.mean() > 240


def test_blur_of_growing_sigma_is_caught():
    img, _ = di.photograph_sheet(di.signature_sheet(0))
    values = []
    for sigma in (0, 2, 3, 5):
        r = analyze_signature(di.blur(img, sigma))
        if sigma == 0:
            assert r.ok
        else:
            assert r.failures == ["blurred"] and r.instruction_key == "document.signature.hold_still", (sigma, r.values)
            assert r.png is None
        values.append(r.values.get("sharpness", 0.0))
    assert values == sorted(values, reverse=True)


def test_blank_page_printed_page_and_no_sheet():
    r = analyze_signature(di.photograph_sheet(di.paper(seed=4), shadow_low=0.4)[0])
    assert r.failures == ["blank"] and r.instruction_key == "document.signature.blank" and r.png is None
    r = analyze_signature(di.photograph_sheet(di.printed_sheet(1))[0])
    assert r.failures[0] == "printed" and r.instruction_key == "document.signature.printed"
    assert r.values["components"] >= 30 and r.values["text_rows"] >= 3
    r = analyze_signature(di.desk(800, 600, "gravel"))
    assert r.failures == ["no_sheet"] and r.instruction_key == "document.signature.show"


def test_a_short_printed_paragraph_is_refused_but_a_signed_name_is_not():
    para = di.paper(seed=5)
    for i in range(4):
        cv2.putText(para, "terms of the account agreement", (60, 200 + 40 * i), cv2.FONT_HERSHEY_SIMPLEX, 0.8,
                    (30, 30, 30), 2, cv2.LINE_AA)
    r = analyze_signature(di.photograph_sheet(para)[0])
    assert r.failures == ["printed"], r.values
    named = di.signature_sheet(1)
    cv2.putText(named, "Maryam Ahmadi", (260, 470), cv2.FONT_HERSHEY_SIMPLEX, 1.0, (120, 45, 25), 2, cv2.LINE_AA)
    r = analyze_signature(di.photograph_sheet(named)[0])
    assert r.ok, (r.failures, r.values)


def test_a_room_or_a_face_with_no_sheet_is_not_taken_for_a_signature():
    # the simulated camera's empty branch wall (a door frame and a poster: bright, but with sharp
    # steps of light) and a face: no sheet outline, and the frame is not paper
    from kiosk.capture.camera import SimulatedCamera

    for scenario in ("none", "good"):
        with SimulatedCamera(scenario, paced=False) as cam:
            r = analyze_signature(cam.read().image)
        assert r.failures == ["no_sheet"] and r.png is None, (scenario, r.values)
        assert r.values["light_steps"] > 0.01
    # a sheet filling the frame stays a sheet under a deep smooth shadow and a hard-edged one,
    # and with a thumb at its edge
    sheet = cv2.resize(di.signature_sheet(2), (800, 600)).astype(np.float32)
    shaded = np.clip(sheet * di.shadow_gradient(800, 600, 0.35)[..., None], 0, 255).astype(np.uint8)
    hard = sheet.copy()
    hard[:, 500:] *= 0.7
    thumb = sheet.copy()
    cv2.ellipse(thumb, (0, 300), (90, 45), 0, 0, 360, (120, 150, 190), -1)
    for name, img in (("shadow", shaded), ("hard shadow", hard.astype(np.uint8)), ("thumb", thumb.astype(np.uint8))):
        r = analyze_signature(img)
        assert r.ok and r.corners is None, (name, r.failures, r.values)


def test_real_photographs_handwriting_passes_a_printed_page_does_not():
    # scikit-image's "text": a real photograph of handwriting on lined paper, filling the frame,
    # under uneven light; its "page": a real scan of a printed page, here put on a sheet and
    # photographed in perspective on a desk
    from skimage import data

    r = analyze_signature(cv2.cvtColor(data.text(), cv2.COLOR_GRAY2BGR))
    assert r.ok and r.corners is None and r.values["light_steps"] <= 0.01, (r.failures, r.values)
    out = decode(r.png)
    assert np.median(out) == 255 and np.mean(out < 128) > 0.01
    page = data.page()
    sheet = di.paper(seed=3)
    h, w = sheet.shape[:2]
    pw = int(w * 0.8)
    pg = cv2.resize(page, (pw, int(pw * page.shape[0] / page.shape[1])))
    y0, x0 = (h - pg.shape[0]) // 2, (w - pw) // 2
    region = sheet[y0:y0 + pg.shape[0], x0:x0 + pw].astype(np.float32)
    sheet[y0:y0 + pg.shape[0], x0:x0 + pw] = (region * (pg[..., None] / float(pg.max()))).astype(np.uint8)
    r = analyze_signature(di.photograph_sheet(sheet)[0])
    assert r.failures == ["printed"] and r.values["text_rows"] >= 3, r.values


def test_printed_score_counts_rows():
    ink = np.zeros((400, 600), np.uint8)
    for row in range(5):
        for col in range(12):
            cv2.rectangle(ink, (20 + 45 * col, 30 + 70 * row), (45 + 45 * col, 60 + 70 * row), 255, -1)
    s = printed_score(ink)
    assert s["printed"] and s["rows"] == 5 and s["components"] == 60
    one_row = ink.copy()
    one_row[100:] = 0
    assert not printed_score(one_row)["printed"]


def test_whole_frame_sheet_and_big_frames():
    # the sheet fills the frame: no outline, the frame itself is used
    r = analyze_signature(cv2.resize(di.signature_sheet(2), (800, 600)))
    assert r.ok and r.corners is None and r.values["sheet_found"] is False
    # a large frame with a large signature: the PNG is at most 800 px wide
    sheet = di.draw_signature(di.paper(), di.signature_strokes(2), (30, 60, 780, 470), max_thick=9.0)
    big = cv2.resize(sheet, (2400, 1700), interpolation=cv2.INTER_CUBIC)
    r = analyze_signature(big)
    assert r.ok and decode(r.png).shape[1] == MAX_WIDTH


def test_too_small_signature():
    sheet = di.draw_signature(di.paper(), di.signature_strokes(6), (380, 280, 60, 30), max_thick=2.0)
    r = analyze_signature(di.photograph_sheet(sheet)[0])
    assert "too_small" in r.failures and r.instruction_key == "document.signature.too_small", r.values


def test_prepare_signature_hook():
    from kiosk.quality.signature import prepare_signature  # the wizard's "take it now"

    img, _ = di.photograph_sheet(di.signature_sheet(0))
    out = decode(prepare_signature(img))
    assert out.ndim == 2 and out.shape[1] < 600 and np.median(out) == 255


@pytest.mark.parametrize("shift,told", [((260, 0), "outside"), ((-240, 0), "outside"), ((0, 200), "outside"),
                                        ((0, -190), "outside"), ((230, 170), "no_sheet")])
def test_a_sheet_partly_outside_the_frame_is_refused(shift, told):
    # the same signed sheet, photographed whole (accepted), then held so that a side of it is
    # beyond the frame's edge (the frame's edge is no side of the sheet), or only a corner of it
    # is in the picture (no sheet to be seen: show it)
    whole = np.array([[110, 95], [690, 70], [715, 510], [85, 530]], np.float32)
    r = analyze_signature(di.photograph_sheet(di.signature_sheet(1), corners=whole)[0])
    assert r.ok and not r.values["sheet_cut"], r.values
    img, _ = di.photograph_sheet(di.signature_sheet(1), corners=whole + np.float32(shift))
    r = analyze_signature(img)
    assert not r.ok and r.failures[0] == told and r.png is None, (shift, r.failures, r.values)
    if told == "outside":  # a sheet was found, reaching the edge: the sentence says what to do
        assert r.values["sheet_cut"] and r.instruction_key == "document.signature.outside"
        assert r.instruction("en") == "Put the whole sheet inside the frame: all four edges of the sheet must show."
        assert r.instruction("fa").startswith("کل برگه را داخل کادر بگیرید")
    else:
        assert r.instruction_key == "document.signature.show"


def test_a_bare_desk_is_no_signature_whatever_its_colour():
    # no sheet at all: dark or light desks, smooth or grained, are told to show the sheet (a light
    # desk once read as "printed" or "blurred", and a sheet that was not there could pass)
    for kind in ("gravel", "grass", "brick"):
        for tint in ((60, 90, 140), (170, 180, 190), (200, 205, 210)):
            r = analyze_signature(di.desk(800, 600, kind, tint=tint))
            assert r.failures == ["no_sheet"] and r.instruction_key == "document.signature.show", (kind, tint, r.values)


def test_the_simulated_sheet_shifted_off_the_frame_is_refused():
    from kiosk.capture.simdocs import DocumentScene

    scene = DocumentScene("signature")
    assert analyze_signature(scene.render(0.0)).ok
    base = scene.corners(0.0)
    scene.corners = lambda _t: base + np.float32([230, 0])  # type: ignore[method-assign]
    r = analyze_signature(scene.render(0.0))
    assert r.failures == ["outside"] and r.instruction_key == "document.signature.outside", r.values


def test_cli_document_signature(tmp_path, capsys):
    from kiosk.__main__ import main

    cv2.imwrite(str(tmp_path / "sig.png"), di.photograph_sheet(di.signature_sheet(0))[0])
    cv2.imwrite(str(tmp_path / "blank.png"), di.photograph_sheet(di.paper())[0])
    code = main(["check", "--document", "signature", str(tmp_path / "sig.png"), str(tmp_path / "blank.png")])
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines() if x.strip()]
    assert code == 1 and [x["ok"] for x in lines] == [True, False]
    assert lines[1]["failures"] == ["blank"] and "ink_share" in lines[0] and "sharpness" in lines[0]
    code = main(["check", "--document", "signature"])
    assert code == 2


# -- touch pad ---------------------------------------------------------------------------------
def pad_strokes(seed=0, w=900, h=400, mode="pressure"):
    out = []
    for s in di.signature_strokes(seed, w, h):
        if mode == "pressure":
            out.append([(x, y, p) for x, y, p in s])
        elif mode == "time":
            out.append([{"x": x, "y": y, "t": i * 0.01} for i, (x, y, _) in enumerate(s)])
        else:
            out.append([(x, y) for x, y, _ in s])
    return out


@pytest.mark.parametrize("mode", ["pressure", "time", "plain"])
def test_render_strokes_gives_the_same_png_form(mode):
    png = render_strokes(pad_strokes(mode=mode), (900, 400))
    out = decode(png)
    assert out.ndim == 2 and out.dtype == np.uint8 and out.shape[1] <= MAX_WIDTH
    assert np.median(out) == 255 and out.min() == 0
    ys, xs = np.nonzero(out < 128)
    assert xs.min() >= 8 and ys.min() >= 8 and out.shape[1] - xs.max() >= 8
    assert analyze_signature(cv2.cvtColor(out, cv2.COLOR_GRAY2BGR)).ok  # it would pass the paper checks too


def test_pressure_makes_the_line_thicker():
    line = [[(100 + i * 10, 200) for i in range(60)]]
    light = render([[(x, y, 0.1) for x, y in line[0]]], (900, 400))
    heavy = render([[(x, y, 1.0) for x, y in line[0]]], (900, 400))
    assert np.count_nonzero(heavy < 128) > 1.8 * np.count_nonzero(light < 128)


def test_wide_pad_is_reduced_and_errors():
    out = render(pad_strokes(w=2000, h=800), (2000, 800))
    assert out.shape[1] == MAX_WIDTH
    with pytest.raises(ValueError):
        render_strokes([], (900, 400))
    with pytest.raises(ValueError):
        render_strokes([[(1.0, float("nan"))]], (900, 400))


def test_analyze_strokes():
    r = analyze_strokes(pad_strokes(), (900, 400))
    assert r.ok and decode(r.png).ndim == 2
    r = analyze_strokes([], (900, 400))
    assert r.failures == ["blank"] and r.instruction_key == "document.signature.pad_blank" and r.png is None
    r = analyze_strokes([[(400, 200), (402, 201)]], (900, 400))
    assert r.failures == ["blank"]
    tiny = [[(400 + x / 20, 200 + y / 20) for x, y in s] for s in pad_strokes(mode="plain")]
    tiny = [s * 30 for s in tiny]  # long enough in total, but drawn in a tiny corner
    r = analyze_strokes(tiny, (900, 400))
    assert r.failures == ["too_small"] and r.instruction_key == "document.signature.pad_small"


def test_touch_pad_setting():
    from kiosk.config.settings import Settings

    assert Settings()["signature.touch_pad"] is False
