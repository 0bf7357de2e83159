"""Nothing lost: uploads resent from the encrypted copy after a dropped connection (within the
token's life), and a crash's open token aborted and its media wiped at the next start."""
from __future__ import annotations

import os
import time
import uuid

import numpy as np
import pytest

from kiosk.broker.client import BrokerClient
from kiosk.broker.codes import KYCRequestStatus
from kiosk.broker.errors import BrokerRefused, TransportError, UploadUncertain
from kiosk.config.settings import Settings
from kiosk.core import media_store as ms
from kiosk.core.journal import TokenJournal
from kiosk.core.media_store import MediaStore
from kiosk.core.recovery import ABORTED, EXPIRED, KEPT, MEDIA_ONLY, journal, recover
from kiosk.core.resend import ResendStats, resend_upload, send_with_resend, should_resend, token_deadline
from kiosk.core.sessions_log import SessionsLog
from kiosk.paths import media_dir

DETAILS = {"national_code": "0012345679", "birth_date": "1370/01/01", "mobile": "09123456789",
           "card_serial": "1A23456789", "first_name": "علی", "last_name": "رضایی"}


@pytest.fixture(scope="module")
def card_png() -> bytes:
    from kiosk.cvcompat import cv2

    card = np.full((300, 480, 3), 235, np.uint8)
    cv2.rectangle(card, (20, 20), (460, 280), (40, 40, 40), 3)
    ok, buf = cv2.imencode(".png", card)
    assert ok
    return buf.tobytes()


@pytest.fixture
def client(sandbox):
    c = BrokerClient(sandbox.url, sandbox.credentials, Settings({"broker.retries": 0, "broker.timeout": 5.0}))
    try:
        yield c
    finally:
        c.close()


def register(client) -> tuple[str, str]:
    order = "T" + uuid.uuid4().hex[:12]
    token, sig = client.new_verification_token(DETAILS, order)
    client.set_token(token, sig)
    return token, order


class FakeClock:
    def __init__(self, t: float = 1000.0):
        self.t = t
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.t

    def sleep(self, s: float) -> None:
        self.slept.append(s)
        self.t += s


# ----------------------------------------------------------------------------- send_with_resend (no broker)

def test_resend_until_it_goes_through():
    clock = FakeClock()
    calls = []

    def call():
        calls.append(clock())
        if len(calls) < 3:
            raise UploadUncertain("lost answer", method="SendProbImageByToken")
        return "ok"

    stats = ResendStats()
    assert send_with_resend(call, deadline=clock.t + 600, clock=clock, sleep=clock.sleep, attempts=4,
                            stats=stats, rng=lambda: 0.5) == "ok"
    assert len(calls) == 3 and stats.retries == 2 and stats.gave_up == ""
    assert clock.slept[1] > clock.slept[0] > 0  # backing off


def test_no_resend_of_a_broker_answer_or_tls():
    for exc in (BrokerRefused("refused", code=1209), TransportError("bad certificate", kind="tls")):
        n = []

        def call(exc=exc, n=n):
            n.append(1)
            raise exc

        with pytest.raises(type(exc)):
            send_with_resend(call, attempts=5, sleep=lambda s: None)
        assert len(n) == 1
    assert should_resend(TransportError("reset", kind="reset", sent=True))
    assert should_resend(BrokerRefused("HTTP 503", http_status=503))
    assert not should_resend(ValueError("bug"))


def test_resend_stops_at_attempts_and_at_the_token_deadline():
    clock = FakeClock()

    def fail():
        raise TransportError("down", kind="connect")

    stats = ResendStats()
    with pytest.raises(TransportError):
        send_with_resend(fail, clock=clock, sleep=clock.sleep, attempts=3, stats=stats)
    assert stats.attempts == 3 and stats.gave_up == "attempts"
    stats = ResendStats()
    with pytest.raises(TransportError):  # 2 s left: the first back-off (>= 0.5 s) fits, the next do not
        send_with_resend(fail, deadline=clock.t + 2.0, clock=clock, sleep=clock.sleep, attempts=10, stats=stats,
                         rng=lambda: 1.0)
    assert stats.gave_up == "deadline" and stats.attempts == 2
    assert clock() < 1000.0 + 600  # never slept past the deadline budget


def test_token_deadline_from_exp(client):
    token, _ = client.new_verification_token(DETAILS, "o-1")
    d = token_deadline(token, margin=30)
    assert d is not None and time.time() < d < time.time() + 1800
    assert token_deadline("not a jwt") is None and token_deadline(None) is None


# ----------------------------------------------------------------------------- against the sandbox

def test_upload_dropped_mid_body_is_resent_from_the_encrypted_copy(sandbox, client, card_png):
    token, order = register(client)
    # the network dies twice in the middle of the upload, then holds
    sandbox.set_faults([{"reset_after_bytes": 2000, "methods": ["SaveSignature"], "times": 2}])
    with MediaStore(media_dir()) as store:
        ref = store.put("signature", card_png, "png")
        stats = ResendStats()
        saved = resend_upload(store, ref, lambda src: client.save_signature(token, src), token=token,
                              sleep=lambda s: None, stats=stats)
        assert saved.record_id
        assert stats.attempts == 3 and set(stats.errors) <= {"TransportError", "UploadUncertain"}
        assert store.pending() == []  # confirmed by the broker: the local copy is gone
        assert not ref.path.exists()


def test_lost_answer_of_a_selfie_is_resent_without_a_new_capture(sandbox, client, card_png):
    """The broker processed the upload but the answer was lost (and once a 503): resent."""
    token, order = register(client)
    sandbox.set_faults([{"reset": True, "process": True, "methods": ["SaveSignature"], "times": 1},
                        {"status": 503, "methods": ["SaveSignature"], "times": 1}])
    with MediaStore(media_dir()) as store:
        ref = store.put("signature", card_png, "png")
        stats = ResendStats()
        resend_upload(store, ref, lambda src: client.save_signature(token, src), token=token,
                      sleep=lambda s: None, stats=stats)
        assert stats.errors == ["UploadUncertain", "UploadUncertain"] and stats.attempts == 3


def test_a_token_expiring_mid_session_is_not_resent(sandbox, client, card_png):
    token, order = register(client)
    sandbox.set_faults({"expire_token": True, "methods": ["SaveSignature"]})
    with MediaStore(media_dir()) as store:
        ref = store.put("signature", card_png, "png")
        stats = ResendStats()
        with pytest.raises(BrokerRefused) as info:
            resend_upload(store, ref, lambda src: client.save_signature(token, src), token=token,
                          sleep=lambda s: None, stats=stats)
        assert info.value.code == 1209 and stats.attempts == 1
        assert store.pending() == [ref]  # not confirmed; wiped with the session


# ----------------------------------------------------------------------------- crash recovery

def _crash_leftovers(sandbox, client, card_png) -> tuple[str, str]:
    """What a process killed mid-session leaves: a journalled open token at the broker and
    encrypted media whose key died with the process."""
    token, order = register(client)
    store = MediaStore(media_dir())
    journal().add(order, store.session_id, token)
    store.put("signature", card_png, "png")
    store.put("selfie", os.urandom(5000), "jpeg")
    # the process "dies": its key is gone, no live registry, its pid is not running
    store._key = None
    with ms._LIVE_LOCK:
        ms._LIVE.discard(store.session_id)
    (store.folder / ms.OWNER).write_text("999999999")
    return order, store.session_id


def test_recovery_after_a_crash_aborts_the_token_and_wipes_the_media(sandbox, client, card_png):
    order, sid = _crash_leftovers(sandbox, client, card_png)
    assert sandbox.token_state(order) not in (KYCRequestStatus.UserAborted, None)
    assert any(media_dir().rglob("*.kms"))
    settings = Settings()
    reports = recover(settings, lambda: BrokerClient(sandbox.url, sandbox.credentials, settings))
    assert [(r.order_id, r.session_id, r.outcome, r.media_wiped) for r in reports] == [(order, sid, ABORTED, True)]
    assert sandbox.token_state(order) == KYCRequestStatus.UserAborted
    assert list(media_dir().iterdir()) == []
    assert journal().entries() == []
    with SessionsLog.open(settings) as log:
        rec = log.get(order)
    assert rec is not None and rec.verdict == "recovered" and "recovery_aborted" in rec.error_codes
    # a second start finds nothing
    assert recover(settings, lambda: BrokerClient(sandbox.url, sandbox.credentials, settings)) == []


def test_recovery_keeps_the_entry_when_the_broker_is_down(sandbox, client, card_png):
    order, sid = _crash_leftovers(sandbox, client, card_png)
    sandbox.set_faults({"reset": True, "methods": ["AbortToken"]})
    quick = Settings({"broker.retries": 0})
    reports = recover(quick, lambda: BrokerClient(sandbox.url, sandbox.credentials, quick))
    assert [(r.outcome, r.media_wiped) for r in reports] == [(KEPT, True)]
    assert [e.order_id for e in journal().entries()] == [order]  # tried again next start
    assert list(media_dir().iterdir()) == []  # the media go anyway: their key is dead
    sandbox.set_faults(None)
    reports = recover(quick, lambda: BrokerClient(sandbox.url, sandbox.credentials, quick))
    assert [(r.order_id, r.outcome) for r in reports] == [(order, ABORTED)]
    assert sandbox.token_state(order) == KYCRequestStatus.UserAborted


def test_recovery_drops_expired_entries_and_wipes_media_without_token(tmp_path):
    tj = TokenJournal(tmp_path / "j.json", tmp_path / "m.key", clock=lambda: 100.0)
    tj.add("OLD1", "s1", "a.b.c", expires_at=50.0)
    root = tmp_path / "media"
    store = MediaStore(root, "orphan1")
    store.put("selfie", b"x" * 100, "jpeg")
    store._key = None
    with ms._LIVE_LOCK:
        ms._LIVE.discard("orphan1")
    (store.folder / ms.OWNER).write_text("999999999")
    live = MediaStore(root, "alive1")  # a session of this process: never touched
    live.put("selfie", b"y", "jpeg")
    calls = []
    reports = recover(Settings(), lambda: calls.append(1), tokens=tj, media_root=root, now=100.0)
    got = sorted((r.order_id, r.session_id, r.outcome) for r in reports)
    assert got == [("", "orphan1", MEDIA_ONLY), ("OLD1", "s1", EXPIRED)]
    assert calls == []  # no broker call for an expired token
    assert live.pending() and live.folder.exists()
    live.wipe()
    assert list(root.iterdir()) == []


def test_live_session_of_this_process_is_not_recovered(sandbox, client):
    token, order = register(client)
    with MediaStore(media_dir()) as store:
        journal().add(order, store.session_id, token)
        assert recover(Settings(), lambda: BrokerClient(sandbox.url, sandbox.credentials)) == []
        assert sandbox.token_state(order) != KYCRequestStatus.UserAborted
        journal().remove(order_id=order)


def test_selftest_recovery_line_closes_leftovers_and_fails_when_the_broker_is_down(sandbox, client, card_png):
    from kiosk.selftest import run_selftest

    order, sid = _crash_leftovers(sandbox, client, card_png)
    sandbox.set_faults({"reset": True, "methods": ["AbortToken"]})
    (line,) = run_selftest(Settings(), sandbox.url, sandbox.credentials, checks=("recovery",))
    assert line.name == "recovery" and line.failed and "not reached" in line.detail and line.fix_fa
    assert line.data["outcomes"] == {KEPT: 1} and line.data["media_wiped"] == 1
    assert [e.order_id for e in journal().entries()] == [order]
    sandbox.set_faults(None)
    (line,) = run_selftest(Settings(), sandbox.url, sandbox.credentials, checks=("recovery",))
    assert line.ok and line.data["outcomes"] == {ABORTED: 1} and "closed" in line.detail
    assert sandbox.token_state(order) == KYCRequestStatus.UserAborted and journal().entries() == []
    (line,) = run_selftest(Settings(), sandbox.url, sandbox.credentials, checks=("recovery",))
    assert line.ok and line.data["outcomes"] == {} and "No session" in line.detail


def test_selftest_recovery_line_with_no_usable_broker_says_so(sandbox, client, card_png):
    from kiosk.selftest import run_selftest

    order, _ = _crash_leftovers(sandbox, client, card_png)
    (line,) = run_selftest(Settings(), "", checks=("recovery",))  # demo mode: no broker.url
    assert line.failed and "no broker" in line.detail and line.data["media_wiped"] == 1
    assert [e.order_id for e in journal().entries()] == [order]  # kept for the next start
