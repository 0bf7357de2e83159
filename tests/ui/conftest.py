"""Fixtures for the wizard's pytest-qt tests: the REAL window against the sandbox broker, with
the simulated camera and microphone and fast settings (short recordings, short countdown)."""
from __future__ import annotations

import pytest

from kiosk.config.settings import Settings

FAST = {"recording.seconds": 2.0, "quality.steady_seconds": 0.1, "session.idle_timeout": 60,
        "camera.source": "simulated:good", "microphone.source": "simulated"}


@pytest.fixture
def make_window(qtbot, sandbox):
    """make_window(lang="fa", **settings) -> KioskWindow (shut down at the end of the test)."""
    from kiosk.app import Services, create_application
    from kiosk.ui.shell import KioskWindow

    made = []

    def make(lang: str = "fa", **overrides):
        settings = Settings({**FAST, **{k.replace("__", "."): v for k, v in overrides.items()}})
        app, language = create_application(lang=lang)
        services = Services(settings, sandbox.url, sandbox.credentials)
        window = KioskWindow(services, language, fullscreen=False)
        window.countdown_ms = 50
        qtbot.addWidget(window)
        window.show_start()
        made.append(window)
        return window

    yield make
    for window in made:
        window.shutdown()
        window.close()
        window.services.close()  # as the application does at exit: the face models it kept


