"""Settings saved in the staff console take effect in the running wizard, and settings refused at
start are told in both languages, without a traceback."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from kiosk.core.staff_pin import hash_pin
from ui_helpers import click, start_to_consent, wait_page


def test_saved_settings_take_effect_without_a_restart(qtbot, make_window):
    window = make_window("fa")
    assert window._check_pin("1234") and window.language.current == "fa"
    changed = {"staff.pin_hash": hash_pin("864219"), "ui.language": "en", "session.idle_timeout": 40,
               "quality.steady_seconds": 1.0}
    window.settings.update(changed)  # what the console's settings page does before it emits
    window.apply_settings(changed)
    assert window._check_pin("864219") and not window._check_pin("1234")  # the new PIN gate
    assert window.language.current == "en"
    qtbot.waitUntil(lambda: window.pages["welcome"].start.text() == "Start a new session", timeout=20000)
    assert window.session.flow.idle_seconds == 40
    # thresholds: read by the next capture screen
    click(qtbot, start_to_consent(qtbot, window).agree)
    page = wait_page(qtbot, window, "signature")
    assert page.capture.checker.autocapture.steady_frames == 12
    assert window.session.flow.idle_seconds == 40 and window.session.flow.idle_remaining() is not None


def test_console_signal_reaches_the_shell(qtbot, make_window):
    from kiosk.ui.staff import StaffConsole

    window = make_window("en")
    console = StaffConsole(window.settings, lang="en", broker_url=window.services.broker_url,
                           credentials=window.services.credentials)
    qtbot.addWidget(console)
    console.settings_changed.connect(window.apply_settings)
    window.settings.update({"ui.language": "fa"})
    console.settings_changed.emit({"ui.language": "fa"})
    assert window.language.current == "fa"
    console.shutdown()


def test_refused_settings_file_is_told_in_both_languages(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text('[ui]\nlanguage = "en"\n', "utf-8")
    os.chmod(path, 0o666)  # others may change it: refused
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KIOSK_SETTINGS=str(path))
    proc = subprocess.run([sys.executable, "-m", "kiosk", "run", "--screenshots", str(tmp_path / "shots")],
                          env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    answer = json.loads(proc.stdout.strip().splitlines()[-1])
    assert answer["fa"] and answer["en"] and answer["fa"] != answer["en"]
    assert answer["fa"] in proc.stderr and answer["en"] in proc.stderr
    assert not (tmp_path / "shots").exists()  # nothing started
