"""The envelope parser: spellings, unknown keys, missing envelope, HTML, truncation, and the raw
Result scanner (the exact text the broker sent, for signature checks)."""
import json

import pytest

from kiosk.broker.envelope import check_envelope, parse_envelope, raw_top_level_values, raw_value
from kiosk.broker.errors import BrokerRefused, BrokerUnauthorized, ProtocolError


@pytest.mark.parametrize("code_key,msg_key", [("ResponseCode", "ResponseMessage"), ("RespnsCode", "RespnsMessage"),
                                              ("RespenseCode", "RespenseMessage"), ("responseCode", "responseMessage")])
def test_every_spelling_of_the_envelope(code_key, msg_key):
    env = parse_envelope(json.dumps({code_key: 0, msg_key: "ok", "Exception": None, "Result": [1]}).encode())
    assert env.response_code == 0 and env.message == "ok" and env.result == [1] and env.success


def test_unknown_keys_are_ignored():
    env = parse_envelope(b'{"ResponseCode": 0, "HResult": -2146233088, "Source": "EKYC_Service", "New": {"x": 1}}')
    assert env.success and env.result is None and env.result_raw is None


def test_two_spellings_at_once_are_refused():
    with pytest.raises(ProtocolError):
        parse_envelope(b'{"ResponseCode": 0, "RespnsCode": 1}')


@pytest.mark.parametrize("body", [b'{"Result": {"TokenValue": "x"}}', b'{}', b'[0]', b'"ok"', b'0', b'null'])
def test_missing_envelope_is_never_success(body):
    with pytest.raises(ProtocolError):
        parse_envelope(body)


@pytest.mark.parametrize("body", [b"", b"   ", b'{"ResponseCode": 0, "Result": {"a": ', b'{"ResponseCode": 0',
                                  b'\xff\xfe{', b'{"ResponseCode": NaN}'])
def test_empty_truncated_or_undecodable(body):
    with pytest.raises(ProtocolError) as info:
        parse_envelope(body)
    assert info.value.sentence("fa") and info.value.sentence("en")


@pytest.mark.parametrize("code", ['"zero"', "true", "1.5", "null", "[0]"])
def test_response_code_of_the_wrong_type(code):
    with pytest.raises(ProtocolError):
        parse_envelope(('{"ResponseCode": %s}' % code).encode())


def test_numeric_string_code_is_read():
    assert parse_envelope(b'{"ResponseCode": "0"}').success


def test_html_page_is_a_protocol_error_of_kind_html():
    with pytest.raises(ProtocolError) as info:
        parse_envelope(b"<!DOCTYPE html><html><body>Proxy login</body></html>")
    assert info.value.kind == "html"
    assert "web page" in info.value.sentence("en")
    with pytest.raises(ProtocolError):
        parse_envelope(b'{"ResponseCode": 0}', content_type="text/html; charset=utf-8")


def test_utf8_bom_is_accepted():
    assert parse_envelope("\ufeff{\"RespnsCode\": 0}".encode("utf-8")).success


def test_raw_result_is_exactly_the_sent_text():
    body = ('{"Result" :  {"b": "x\\"}y", "a": [1, {"c": "\\u0627 }]"}], "fa": "سلام"} ,'
            ' "DataToSign": "d", "RespnsCode": 0}')
    env = parse_envelope(body.encode("utf-8"))
    assert env.result_raw == '{"b": "x\\"}y", "a": [1, {"c": "\\u0627 }]"}], "fa": "سلام"}'
    assert json.loads(env.result_raw) == env.result
    assert env.result["a"][1]["c"] == "\u0627 }]"
    assert env.data_to_sign == "d"


@pytest.mark.parametrize("value", ['"a\\\\"', '"\\\\\\""', "-1.5e3", "true", "null", "[]", "{}", '[["]"]]',
                                   '{"k": "{\\"x\\": 1}"}'])
def test_raw_scanner_on_awkward_values(value):
    text = '{"X": 1, "Result": %s, "Z": "}"}' % value
    assert raw_top_level_values(text)["Result"] == value
    assert raw_top_level_values(text)["Z"] == '"}"'
    assert json.loads(raw_value(text, "result")) == json.loads(value)


def test_raw_scanner_refuses_a_duplicate_result():
    with pytest.raises(ProtocolError):
        raw_top_level_values('{"Result": 1, "Result": 2, "ResponseCode": 0}')
    with pytest.raises(ProtocolError):
        parse_envelope(b'{"Result": 1, "result": 2, "ResponseCode": 0}')


def test_raw_scanner_keeps_whitespace_and_number_spelling():
    text = '{"Result": {\n  "Score" : 63.0,\r\n  "n": 1E2 }\n, "ResponseCode": 0}'
    assert raw_value(text, "Result") == '{\n  "Score" : 63.0,\r\n  "n": 1E2 }'


def test_check_envelope_outcomes():
    ok = parse_envelope(b'{"ResponseCode": 0}')
    assert check_envelope(ok) is ok
    failed = parse_envelope(b'{"RespnsCode": 2, "RespnsMessage": "not complete"}')
    assert check_envelope(failed, failed_is_result=True) is failed
    with pytest.raises(BrokerRefused) as info:
        check_envelope(failed)
    assert info.value.code is None and "not complete" in info.value.sentence("en")
    refused = parse_envelope(json.dumps({"RespnsCode": 1, "Exception": {"ErrorCode": 1203, "ErrorMessage": "x"}}).encode())
    with pytest.raises(BrokerRefused) as info:
        check_envelope(refused)
    assert info.value.code == 1203 and info.value.broker_message == "x"
    for body in (b'{"ResponseCode": 401}', b'{"ResponseCode": 1, "Exception": {"ErrorCode": 2002}}'):
        with pytest.raises(BrokerUnauthorized):
            check_envelope(parse_envelope(body))
    with pytest.raises(ProtocolError):
        check_envelope(parse_envelope(b'{"ResponseCode": 7}'))
    with pytest.raises(ProtocolError):  # HTTP 500 that claims success
        check_envelope(parse_envelope(b'{"ResponseCode": 0}', http_status=500))


def test_exception_with_wrong_code_type_is_a_protocol_error():
    with pytest.raises(ProtocolError):
        parse_envelope(b'{"ResponseCode": 1, "Exception": {"ErrorCode": "abc"}}')
    with pytest.raises(ProtocolError):
        parse_envelope(b'{"ResponseCode": 1, "Exception": [1]}')
