"""`kiosk run --screenshots DIR` renders every screen in both languages at the kiosk's size."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from PySide6.QtGui import QImage


def test_screenshots_of_every_screen_in_both_languages(tmp_path):
    out = tmp_path / "shots"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run([sys.executable, "-m", "kiosk", "run", "--screenshots", str(out)], env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    files = json.loads(proc.stdout.strip().splitlines()[-1])["screenshots"]
    names = {os.path.basename(f) for f in files}
    for screen in ("01_welcome", "02_details_errors", "03_consent", "05_problem_1224", "06_signature",
                   "07_selfie", "08_selfie_video_countdown", "11_verdict_failed", "13_failsafe"):
        assert {f"{screen}_fa.png", f"{screen}_en.png"} <= names
    for f in files:
        img = QImage(f)
        assert not img.isNull()
        # nothing pushed the window past the kiosk's 1280x800 screen (clipped or oversized layouts)
        assert (img.width(), img.height()) == (1280, 800), (f, img.width(), img.height())
    fa, en = QImage(str(out / "03_consent_fa.png")), QImage(str(out / "03_consent_en.png"))
    assert fa != en  # translated and mirrored, not the same picture
