"""The "hold still" ring: once "I'm ready" is pressed and every check passes, a ring round the
guide fills over the steady moment before the photo is taken; a failing frame empties it and the
steady moment starts again. Nothing here is timed: the ring's values are collected from its
signal and every wait is on a condition."""
from __future__ import annotations

import numpy as np

from ui_helpers import click, finish_photo, start_to_consent, wait_page, wait_photo

STEADY = 3.0  # seconds of passing checks the selfie waits for here (long enough to watch the ring)


def ring_pixels(view) -> int:
    """Pixels of the ring's colour in what the camera view shows now."""
    img = view.grab().toImage().convertToFormat(view.grab().toImage().Format.Format_RGB888)
    w, h = img.width(), img.height()
    arr = np.frombuffer(img.constBits(), np.uint8, count=img.bytesPerLine() * h).reshape(h, img.bytesPerLine())
    rgb = arr[:, :w * 3].reshape(h, w, 3).astype(int)
    ring = view.RING
    target = np.array([ring.red(), ring.green(), ring.blue()])
    return int((np.abs(rgb - target).sum(axis=2) < 30).sum())


def test_selfie_ring_fills_resets_on_a_failing_frame_and_then_captures(qtbot, make_window, sandbox):
    window = make_window("en")
    click(qtbot, start_to_consent(qtbot, window).agree)
    for name in ("signature", "id_front", "id_back"):
        finish_photo(qtbot, window, wait_photo(qtbot, window, name, timeout=30000))
    page = wait_page(qtbot, window, "selfie", timeout=30000)
    window.settings.update({"quality.steady_seconds": STEADY})  # as the staff console would; read on Start
    values: list[float] = []
    page.view.hold_changed.connect(values.append)
    qtbot.waitUntil(lambda: page.capture is not None and page.capture.checker.analysed >= 3, timeout=60000)
    assert values == [] and page.view.hold_progress == 0  # a good face, but no ring before "I'm ready"
    assert ring_pixels(page.view) == 0
    click(qtbot, page.prepare_view.start)
    auto = page.auto
    qtbot.waitUntil(lambda: 0 < page.view.hold_progress < 1, timeout=60000)  # the ring is filling
    assert ring_pixels(page.view) > 50  # and it is drawn
    order = sandbox._orders[window.session.data.order_id]
    assert order.selfie is None and page.phase == "live"
    # the applicant steps out of the picture: the checks fail and the ring empties
    page.capture.source.scenario = "none"
    qtbot.waitUntil(lambda: values and values[-1] == 0 and page.report is not None and not page.report.ok,
                    timeout=60000)
    assert page.view.hold_progress == 0 and ring_pixels(page.view) == 0
    assert order.selfie is None and page.phase == "live"  # nothing taken
    filled = len(values)
    page.capture.source.scenario = "good"  # back in front of the camera: a whole new steady moment
    wait_page(qtbot, window, "selfie_video", timeout=60000)
    assert order.selfie is not None
    again = values[filled:]
    assert any(0 < v < 1 for v in again)  # the ring filled again before the photo
    assert again[-1] == 0  # and went away once it was taken
    shot = auto.fired
    assert shot.fired - shot.started >= STEADY and shot.started > 0  # a whole steady moment, after the reset


def test_document_ring_fills_before_the_card_is_taken(qtbot, make_window, sandbox):
    window = make_window("fa")
    click(qtbot, start_to_consent(qtbot, window).agree)
    finish_photo(qtbot, window, wait_photo(qtbot, window, "signature"))  # looked at, then sent
    page = wait_page(qtbot, window, "id_front", timeout=40000)
    values: list[float] = []
    page.view.hold_changed.connect(values.append)
    click(qtbot, page.prepare_view.start)
    qtbot.waitUntil(lambda: window.current is not page or page.phase != "live", timeout=60000)
    assert any(0 < v < 1 for v in values)  # counted frame by frame: some steady frames before the photo
    assert page.view.hold_progress == 0  # no ring over the taken picture
