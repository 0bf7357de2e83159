"""`kiosk run --screenshots DIR` renders every screen in both languages at the kiosk's size."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from PySide6.QtGui import QImage


REQUIRED = ("welcome", "details", "details_errors", "consent", "registration", "prepare_selfie", "selfie",
            "prepare_card", "prepare_signature",
            "card_front", "card_review", "signature", "signature_pad", "video_countdown", "video_recording",
            "admittance", "cancel_confirm", "idle_warning", "verdict_verified", "verdict_failed",
            "verdict_incomplete", "problem", "pin_pad", "staff_settings", "staff_selftest", "staff_sessions",
            "staff_lookup")


def test_screenshots_of_every_screen_in_both_languages(tmp_path):
    out = tmp_path / "shots"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run([sys.executable, "-m", "kiosk", "run", "--screenshots", str(out)], env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    files = json.loads(proc.stdout.strip().splitlines()[-1])["screenshots"]
    index = json.loads((out / "index.json").read_text("utf-8"))
    assert {os.path.basename(f) for f in files} == {e["file"] for e in index}
    ids = {(e["id"], e["lang"]) for e in index}
    for screen in REQUIRED:
        assert {(screen, "fa"), (screen, "en")} <= ids, screen
    for e in index:
        assert e["title"], e  # every screen has its title, in its language
        img = QImage(str(out / e["file"]))
        assert not img.isNull()
        if not e["id"].startswith(("staff_", "pin_")):
            # nothing pushed the window past the kiosk's 1280x800 screen (clipped or oversized layouts)
            assert (img.width(), img.height()) == (1280, 800), (e["file"], img.width(), img.height())
    fa, en = QImage(str(out / "consent_fa.png")), QImage(str(out / "consent_en.png"))
    assert fa != en  # translated and mirrored, not the same picture
    for lang in ("fa", "en"):  # the preparation view is its own state, not the live camera screen
        assert QImage(str(out / f"prepare_selfie_{lang}.png")) != QImage(str(out / f"selfie_{lang}.png"))
