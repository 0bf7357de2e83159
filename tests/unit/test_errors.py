"""The error catalogue and the typed errors' sentences."""
import re

import pytest

from kiosk.broker.codes import ExceptionCode
from kiosk.broker.errors import (CATALOGUE, KIND_SENTENCES, BrokerError, BrokerRefused, ProtocolError,
                                 SignatureInvalid, TransportError, UploadUncertain, describe)

PERSIAN = re.compile(r"[\u0600-\u06FF]")


def test_catalogue_covers_every_exception_code():
    assert set(CATALOGUE) == {int(c) for c in ExceptionCode}
    for code in ExceptionCode:
        info = CATALOGUE[int(code)]
        assert info.name == code.name
        assert PERSIAN.search(info.fa), code
        assert not PERSIAN.search(info.en) and len(info.en) > 20, code
        assert info.fa != info.en


def test_sentences_are_distinct_and_actionable():
    fa = [i.fa for i in CATALOGUE.values()]
    assert len(set(fa)) == len(fa)
    en = [i.en for i in CATALOGUE.values()]
    assert len(set(en)) == len(en)
    # each English sentence has at least two sentences or a clause with what to do
    for info in CATALOGUE.values():
        assert info.en.count(".") + info.en.count(";") >= 2, info.name


def test_national_code_sentence_tells_what_to_do():
    info = CATALOGUE[1203]
    assert "national code" in info.en and "card" in info.en
    assert "کد ملی" in info.fa and "کارت" in info.fa
    assert info.staff_action == "fix_input" and not info.retryable


def test_describe_unknown_code_shows_number_and_broker_message():
    for lang in ("fa", "en"):
        s = describe(4242, "پیام کارگزار", lang)
        assert "4242" in s and "پیام کارگزار" in s
    assert "4242" in describe(4242, None, "en")
    assert describe("junk", None, "en")  # never raises
    assert describe(1209, "ignored", "en") == CATALOGUE[1209].en


def test_broker_error_sentences():
    e = BrokerRefused("Token expired!", code=1209, broker_message="توکن منقضی شده است")
    assert e.sentence("fa") == CATALOGUE[1209].fa and e.sentence("en") == CATALOGUE[1209].en
    assert "1209" in str(e) and "TokenExpired" in str(e)
    unknown = BrokerRefused("x", code=9999, broker_message="new thing")
    assert "9999" in unknown.sentence("en") and "new thing" in unknown.sentence("en")
    nocode = BrokerRefused("x", broker_message="بهره بردار مجوز ندارد")
    assert "بهره بردار مجوز ندارد" in nocode.sentence("fa")


@pytest.mark.parametrize("cls,kind", [(TransportError, "connect"), (TransportError, "timeout"), (TransportError, "tls"),
                                      (TransportError, "dns"), (ProtocolError, "html"), (ProtocolError, "too_large"),
                                      (ProtocolError, "protocol"), (SignatureInvalid, None), (UploadUncertain, None)])
def test_non_code_errors_have_both_languages(cls, kind):
    e = cls("tech", kind=kind) if kind else cls("tech")
    fa, en = e.sentence("fa"), e.sentence("en")
    assert PERSIAN.search(fa) and not PERSIAN.search(en) and fa != en
    assert isinstance(e, BrokerError) and e.code is None


def test_http_status_sentence_names_the_status():
    e = ProtocolError("x", kind="http_status", http_status=404)
    assert "404" in e.sentence("en") and "404" in e.sentence("fa")


def test_upload_uncertain_is_not_a_transport_error_and_not_retryable():
    e = UploadUncertain("gone")
    assert not isinstance(e, TransportError)
    assert not e.retryable and e.staff_action == "check_state"
    assert TransportError("x", kind="timeout").retryable


def test_every_kind_sentence_pair():
    for kind, (fa, en, action) in KIND_SENTENCES.items():
        assert PERSIAN.search(fa) and not PERSIAN.search(en), kind
        assert action
