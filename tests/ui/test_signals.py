"""SIGTERM (systemctl stop, logout) mid-session ends the session cleanly: the token is aborted at
the (real, socket-served) sandbox broker and the media wiped, before the kiosk quits."""
from __future__ import annotations

import os
import signal

from kiosk import paths
from kiosk.broker.models import KYCRequestStatus
from kiosk.ui.signals import SignalBridge
from ui_helpers import click, start_to_consent, wait_page


def test_sigterm_mid_session_aborts_the_token(qtbot, make_window, sandbox):
    window = make_window("en")
    click(qtbot, start_to_consent(qtbot, window).agree)
    wait_page(qtbot, window, "signature")
    order_id = window.session.data.order_id
    assert sandbox.token_state(order_id) != KYCRequestStatus.UserAborted
    seen: list[int] = []

    def on_signal(signum: int) -> None:
        seen.append(signum)
        window.terminate(signum)

    bridge = SignalBridge(on_signal)
    try:
        os.kill(os.getpid(), signal.SIGTERM)
        qtbot.waitUntil(lambda: seen == [signal.SIGTERM], timeout=10000)
    finally:
        bridge.uninstall()
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL or callable(signal.getsignal(signal.SIGTERM))
    assert window._shut_down and not window.session.active
    assert sandbox.token_state(order_id) == KYCRequestStatus.UserAborted
    assert not [p for p in paths.media_dir().rglob("*.kms*")]
