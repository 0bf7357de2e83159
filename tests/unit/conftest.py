"""Sandbox brokers for the unit tests that talk to it over a real socket (test_sandbox*.py)."""
from __future__ import annotations

import pytest

from kiosk.config.settings import Settings
from kiosk.sandbox.config import SandboxConfig
from kiosk.sandbox.server import SandboxBroker
from sandbox_fakes import Api


@pytest.fixture(scope="session")
def creds_dir(tmp_path_factory):
    """One credentials folder for the session (RSA keys are slow to make); every broker reuses it."""
    d = tmp_path_factory.mktemp("sandbox-creds") / "c"
    SandboxBroker(d)  # writes it
    return d


@pytest.fixture
def make_broker(creds_dir):
    started = []

    def make(config: SandboxConfig | None = None, settings: Settings | None = None) -> SandboxBroker:
        b = SandboxBroker(creds_dir, config=config, settings=settings).start()
        started.append(b)
        return b

    yield make
    for b in started:
        b.stop()


@pytest.fixture
def broker(make_broker):
    return make_broker()


@pytest.fixture
def api(broker):
    with Api(broker) as a:
        yield a
