"""Which camera and microphone a capture uses: the simulated ones only where nobody can be misled.

An empty ``camera.source`` / ``microphone.source`` means the simulated devices in demo mode (the
built-in sandbox broker, no ``broker.url``), so the whole flow runs on a machine with no webcam.
With a real broker it means the kiosk's real devices (the first camera, the system's default
microphone): a stock face and a recorded voice must never reach a real broker because a setting
was left empty. A simulated source chosen explicitly is honoured (a test installation), and the
self-test fails it with a real broker, saying so. No Qt here.
"""
from __future__ import annotations

from typing import Any

FIRST_CAMERA = "0"
DEFAULT_MICROPHONE = "default"


def is_simulated(spec: str | None) -> bool:
    spec = (spec or "").strip().lower()
    return spec in ("", "simulated") or spec.startswith("simulated:")


def real_broker(settings: Any) -> bool:
    """A broker URL is configured: no demo, real applicants' media."""
    return bool(settings["broker.url"])


def camera_source(settings: Any) -> str:
    spec = (settings["camera.source"] or "").strip()
    return FIRST_CAMERA if not spec and real_broker(settings) else spec


def microphone_source(settings: Any) -> str:
    spec = (settings["microphone.source"] or "").strip()
    return DEFAULT_MICROPHONE if not spec and real_broker(settings) else spec
