"""The real wizard on a network that drops: uploads are resent from the encrypted copy (no new
capture), and the open token is journalled for crash recovery until it is closed."""
from __future__ import annotations

from kiosk import paths
from kiosk.broker.codes import KYCRequestStatus
from kiosk.core.recovery import journal
from ui_helpers import cancel_session, click, run_capture_steps, start_to_consent, wait_page


def test_dropped_uploads_are_resent_and_the_session_is_verified(qtbot, make_window, sandbox):
    calls: dict[str, int] = {}
    rules = [{"reset_after_bytes": 2000, "methods": ["SaveSignature"], "times": 1},
             {"reset": True, "process": True, "methods": ["SendProbImageByToken"], "times": 1},
             {"status": 503, "methods": ["SavePersonDocument"], "times": 1}]
    from kiosk.sandbox.config import Faults

    live = [Faults.from_value(r) for r in rules]

    def hook(method):
        calls[method] = calls.get(method, 0) + 1
        for rule in live:
            if rule.take(method):
                return Faults(**{k: getattr(rule, k) for k in ("reset_after_bytes", "reset", "process", "status")})
        return None

    sandbox.set_faults(hook)
    window = make_window("en")
    click(qtbot, start_to_consent(qtbot, window).agree)
    wait_page(qtbot, window, "signature")
    order_id = window.session.data.order_id
    assert [e.order_id for e in journal().entries()] == [order_id]  # journalled once SetToken succeeded
    page = run_capture_steps(qtbot, window)
    assert page.name == "verdict", getattr(page, "message", lambda: "")()
    assert sandbox.token_state(order_id) in (KYCRequestStatus.AuthDone, KYCRequestStatus.Close)
    # each faulty upload went twice (the resend), and no capture was repeated
    assert calls["SaveSignature"] == 2 and calls["SendProbImageByToken"] == 2
    assert calls["SavePersonDocument"] == 3  # front (503, resent) and back
    assert window.session.data.records["selfie"].tries == 1
    assert journal().entries() == []  # closed by VerifyToken: nothing to recover
    assert not [p for p in paths.media_dir().rglob("*") if p.is_file()]
    click(qtbot, page.finish)


def test_cancel_removes_the_journal_entry_once_aborted(qtbot, make_window, sandbox):
    window = make_window("en")
    click(qtbot, start_to_consent(qtbot, window).agree)
    wait_page(qtbot, window, "signature")
    order_id = window.session.data.order_id
    assert [e.order_id for e in journal().entries()] == [order_id]
    with qtbot.waitSignal(window.session_qt.aborted, timeout=10000):
        cancel_session(qtbot, window)
    assert sandbox.token_state(order_id) == KYCRequestStatus.UserAborted
    assert journal().entries() == []


def test_abort_that_cannot_reach_the_broker_stays_journalled(qtbot, make_window, sandbox):
    window = make_window("en")
    click(qtbot, start_to_consent(qtbot, window).agree)
    wait_page(qtbot, window, "signature")
    order_id = window.session.data.order_id
    sandbox.set_faults({"reset": True, "methods": ["AbortToken"]})
    cancel_session(qtbot, window)
    window.session.runner.wait_idle(15)
    assert [e.order_id for e in journal().entries()] == [order_id]  # the next start aborts it
    sandbox.set_faults(None)
    journal().remove(order_id=order_id)


def test_a_lost_settoken_answer_is_aborted_and_retry_uses_a_new_order(qtbot, make_window, sandbox):
    """SetToken reached the broker but its answer was lost: the token written ahead in the journal
    is aborted at once, and "Try again" registers a new order."""
    sandbox.set_faults({"reset": True, "process": True, "methods": ["SetToken"], "times": 1})
    window = make_window("en", broker__retries=0)
    click(qtbot, start_to_consent(qtbot, window).agree)
    wait_page(qtbot, window, "problem")
    first = window.session.data.order_id
    window.session.runner.wait_idle(10)
    assert sandbox.token_state(first) == KYCRequestStatus.UserAborted  # not left open at the broker
    assert journal().entries() == []
    window.session.problem_action("retry")
    wait_page(qtbot, window, "signature")
    second = window.session.data.order_id
    assert second != first and [e.order_id for e in journal().entries()] == [second]
    with qtbot.waitSignal(window.session_qt.aborted, timeout=10000):
        cancel_session(qtbot, window)
    assert journal().entries() == []
