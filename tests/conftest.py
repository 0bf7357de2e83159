"""Shared fixtures. Every test runs with its own KIOSK_HOME and temp folder, and fails if it
leaves a thread running or a file behind (as napari's conftest does for threads)."""
from __future__ import annotations

import os
import tempfile
import threading
import time
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
FIXTURES = Path(__file__).parent / "fixtures"


def _leftover_files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


@pytest.fixture(autouse=True)
def kiosk_home(tmp_path_factory, monkeypatch):
    """A private KIOSK_HOME and TMPDIR for the test; fails the test if media or temp files are
    left behind when it ends."""
    home = tmp_path_factory.mktemp("kiosk_home")
    tmp = tmp_path_factory.mktemp("tmp")
    monkeypatch.setenv("KIOSK_HOME", str(home))
    monkeypatch.setenv("KIOSK_SETTINGS", str(home / "settings.toml"))
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    yield home
    left = [f"media/{f}" for f in _leftover_files(home / "media")] if (home / "media").exists() else []
    left += [f"tmp/{f}" for f in _leftover_files(tmp)]
    assert not left, f"test left files behind: {left}"


@pytest.fixture(autouse=True)
def no_thread_left(request):
    """Fail a test that leaves a Python thread running (threads get a generous 30 s to wind down:
    a busy machine is slow, a thread that never ends is the bug)."""
    before = set(threading.enumerate())
    yield
    deadline = time.monotonic() + 30.0
    while True:
        extra = [t for t in threading.enumerate() if t not in before and t.is_alive()
                 and not isinstance(t, threading._DummyThread)]
        if not extra or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert not extra, f"test left threads running: {[t.name for t in extra]}"


@pytest.fixture
def sandbox(tmp_path):
    """A real sandbox broker on a loopback port, with its credentials in a folder."""
    from kiosk.sandbox.server import SandboxBroker

    broker = SandboxBroker(credentials_dir=tmp_path / "sandbox-creds", port=0)
    broker.start()
    try:
        yield broker
    finally:
        broker.stop()
