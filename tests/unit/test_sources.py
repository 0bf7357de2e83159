"""With a real broker, an empty device setting means the kiosk's real devices, never the
simulated ones; an explicitly simulated source fails the self-test."""
from __future__ import annotations

from kiosk.capture import sources
from kiosk.config.settings import Settings
from kiosk.selftest import check_camera, check_microphone


def test_empty_sources_are_simulated_only_in_demo_mode():
    demo = Settings()
    assert sources.camera_source(demo) == "" and sources.microphone_source(demo) == ""
    real = Settings({"broker.url": "https://ekyc.bank.example"})
    assert sources.camera_source(real) == "0" and sources.microphone_source(real) == "default"
    chosen = Settings({"broker.url": "https://ekyc.bank.example", "camera.source": "simulated:good"})
    assert sources.camera_source(chosen) == "simulated:good"  # an explicit choice is honoured...


def test_the_self_test_fails_a_simulated_device_with_a_real_broker():
    chosen = Settings({"broker.url": "https://ekyc.bank.example", "camera.source": "simulated",
                       "microphone.source": "simulated"})
    cam, mic = check_camera(chosen), check_microphone(chosen)  # ...and the self-test says what it means
    assert cam.failed and "stock face" in cam.detail and "camera.source" in cam.fix and cam.fix_fa
    assert mic.failed and "recorded voice" in mic.detail and "microphone.source" in mic.fix
    demo = check_camera(Settings(), seconds=0.3)
    assert demo.ok  # demo mode: the simulated camera is the point
