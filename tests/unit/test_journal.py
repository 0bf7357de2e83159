"""The open-token journal: private files, encrypted tokens, crash recovery."""
from __future__ import annotations

import json
import os
import stat

import jwt
import pytest

from kiosk.errors import KioskError
from kiosk import paths
from kiosk.core.journal import (JOURNAL_NAME, SECRET_NAME, JournalError, TokenJournal, load_machine_secret)

NOW = 1_700_000_000.0


class Clock:
    def __init__(self, t=NOW):
        self.t = t

    def __call__(self):
        return self.t


def token(exp=NOW + 600, nc="0012345679"):
    return jwt.encode({"exp": int(exp), "nationalCode": nc, "mobileNumber": "09123456789"}, "k" * 32,
                      algorithm="HS256")


class BrokerError(KioskError):  # the one error family: a code the journal reads
    def __init__(self, code):
        super().__init__(f"code {code}")
        self.code = code


def test_files_are_private_and_hold_no_token_or_details():
    j = TokenJournal(clock=Clock())
    tok = token()
    entry = j.add("order-1", "sess-1", tok)
    jpath = paths.state_dir() / JOURNAL_NAME
    spath = paths.state_dir() / SECRET_NAME
    assert j.path == jpath and jpath.exists() and spath.exists()
    assert stat.S_IMODE(jpath.stat().st_mode) == 0o600
    assert stat.S_IMODE(spath.stat().st_mode) == 0o600
    text = jpath.read_text()
    for secret in (tok, tok.split(".")[1], "0012345679", "09123456789"):
        assert secret not in text
    data = json.loads(text)
    assert data["entries"][0]["order_id"] == "order-1"
    assert entry.expires == int(NOW + 600) and entry.created == NOW
    assert j.token_for(entry) == tok
    assert [e.order_id for e in j.entries()] == ["order-1"]


def test_machine_secret_is_made_once_and_kept():
    a = load_machine_secret()
    b = load_machine_secret()
    assert a == b and len(a) == 32


def test_a_readable_secret_is_refused(tmp_path):
    p = tmp_path / "machine.key"
    p.write_bytes(os.urandom(32))
    os.chmod(p, 0o644)
    if os.name == "posix":
        with pytest.raises(JournalError):
            load_machine_secret(p)


def test_another_machine_secret_cannot_decrypt(tmp_path):
    j = TokenJournal(clock=Clock())
    entry = j.add("o", "s", token())
    other = TokenJournal(path=j.path, secret_path=tmp_path / "other.key", clock=Clock())
    assert other.token_for(entry) is None
    report = other.recover(lambda t: pytest.fail("must not call the broker with garbage"))
    assert report.unreadable == ["o"] and not j.path.exists()


def test_entries_cannot_be_swapped(tmp_path):
    j = TokenJournal(clock=Clock())
    j.add("o1", "s1", token(nc="0012345679"))
    j.add("o2", "s2", token(nc="1234567891"))
    data = json.loads(j.path.read_text())
    data["entries"][0]["token"], data["entries"][1]["token"] = data["entries"][1]["token"], data["entries"][0]["token"]
    j.path.write_text(json.dumps(data))
    assert all(j.token_for(e) is None for e in j.entries())


def test_add_replaces_the_same_order_and_remove_by_any_key():
    j = TokenJournal(clock=Clock())
    t1, t2, t3 = token(NOW + 100), token(NOW + 200), token(NOW + 300)
    j.add("o1", "s1", t1)
    j.add("o1", "s1", t2)
    j.add("o2", "s2", t3)
    assert [e.order_id for e in j.entries()] == ["o1", "o2"]
    assert j.token_for(j.entries()[0]) == t2
    assert j.remove(token=t3) == 1
    assert j.remove(order_id="nope") == 0
    assert j.remove(session_id="s1") == 1
    assert j.entries() == [] and not j.path.exists()


def test_recover_aborts_open_tokens_and_drops_expired_ones():
    clock = Clock()
    j = TokenJournal(clock=clock)
    open_tok, expired_tok = token(NOW + 600, "1"), token(NOW + 10, "2")
    closed_tok, down_tok = token(NOW + 600, "3"), token(NOW + 600, "4")
    assert len({open_tok, expired_tok, closed_tok, down_tok}) == 4
    j.add("open", "s1", open_tok)
    j.add("expired", "s2", expired_tok)
    j.add("closed", "s3", closed_tok)
    j.add("down", "s4", down_tok)
    clock.t = NOW + 60
    calls = []

    def abort(tok):
        calls.append(tok)
        if tok == closed_tok:
            raise BrokerError(1222)  # TokenAlreadyAborted
        if tok == down_tok:
            raise ConnectionError("broker unreachable")

    report = j.recover(abort)
    assert report.aborted == ["open", "closed"]
    assert report.expired == ["expired"]
    assert report.kept == ["down"]
    assert expired_tok not in calls and len(calls) == 3
    assert [e.order_id for e in j.entries()] == ["down"]
    # next start, the broker is back
    report = j.recover(lambda t: None)
    assert report.aborted == ["down"] and j.entries() == []


def test_corrupt_journal_is_reported_and_replaced():
    j = TokenJournal(clock=Clock())
    j.path.parent.mkdir(parents=True, exist_ok=True)
    j.path.write_text("{not json")
    assert j.entries() == [] and j.load_error
    j.add("o", "s", token())
    assert [e.order_id for e in j.entries()] == ["o"]


def test_token_without_exp_is_kept_until_aborted():
    j = TokenJournal(clock=Clock())
    j.add("o", "s", "not-a-jwt")
    assert j.entries()[0].expires is None
    got = []
    assert j.recover(got.append).aborted == ["o"] and got == ["not-a-jwt"]
