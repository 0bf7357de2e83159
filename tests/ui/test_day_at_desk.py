"""A kiosk that never restarts: two sessions in a row through the real window load the face
models once, and nothing a capture screen starts outlives it."""
from __future__ import annotations

from ui_helpers import click, run_capture_steps, start_to_consent, wait_page


def _session(qtbot, window) -> None:
    click(qtbot, start_to_consent(qtbot, window).agree)
    page = run_capture_steps(qtbot, window)
    assert page.name == "verdict" and page.verified
    click(qtbot, page.finish)
    wait_page(qtbot, window, "welcome")


def test_models_are_loaded_once_for_every_screen_and_session(qtbot, make_window):
    window = make_window("en")
    _session(qtbot, window)
    pool = window.services.models()
    assert pool.loads == 2  # one face analyzer, one card face finder
    loans = pool.loans
    assert loans >= 5  # signature has no model; the cards, the selfie and the two videos borrow
    _session(qtbot, window)
    assert pool.loads == 2 and pool.loans == 2 * loans
    for name in ("signature", "id_front", "id_back", "selfie", "selfie_video", "admittance_video"):
        assert window.pages[name].capture is None  # each screen's devices and threads ended with it
