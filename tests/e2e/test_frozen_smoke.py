"""The frozen executable's smoke test (packaging/smoke.sh), when a build exists.

Build first with ``packaging/build.sh`` (which also runs the smoke test); this test re-runs it on
``dist/kiosk/kiosk`` so that ``pytest tests/e2e`` covers the shipped artefact too. It is skipped,
with the reason, when there is no build or no X server wrapper.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXE = ROOT / "dist" / "kiosk" / "kiosk"
SMOKE = ROOT / "packaging" / "smoke.sh"

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]


@pytest.mark.skipif(not EXE.exists(), reason="no frozen build at dist/kiosk/kiosk (run packaging/build.sh)")
@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="xvfb-run is not installed")
def test_frozen_executable_smoke(tmp_path):
    report = tmp_path / "report.json"
    env = dict(os.environ, SMOKE_REPORT=str(report))
    env.pop("DISPLAY", None)  # always a private Xvfb
    proc = subprocess.run(["bash", str(SMOKE), str(EXE)], env=env, capture_output=True, text=True,
                          timeout=540)
    assert proc.returncode == 0, f"smoke test failed:\n{proc.stderr[-4000:]}"
    assert "SMOKE PASS" in proc.stderr
    figures = json.loads(report.read_text())
    report.unlink()
    assert figures["size_mb"] > 50  # models, Qt, mediapipe: an empty bundle would be tiny
    for key in ("cold_window_s", "cold_first_frame_s", "warm_window_s", "warm_first_frame_s"):
        assert 0 < figures[key] < 30, (key, figures)
    # the preview comes after the window, in both runs
    assert figures["warm_first_frame_s"] >= figures["warm_window_s"]
    assert figures["cold_first_frame_s"] >= figures["cold_window_s"]
