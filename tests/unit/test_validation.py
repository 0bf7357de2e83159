"""Applicant details: tables of good and bad input, and property tests."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import given, settings, strategies as st
from persiantools.jdatetime import JalaliDate

from kiosk.core import validation as v
from kiosk.core.validation import (ApplicantDetails, DetailsInvalid, ValidationError, compact_digits,
                                   national_code_check_digit, normalize_digits, validate_birth_date,
                                   validate_card_serial, validate_mobile, validate_name,
                                   validate_national_code)

TODAY = JalaliDate(1404, 6, 15)
FA = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
AR = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def with_check_digit(nine: str) -> str:
    """An independent implementation of the check digit (weights 10..2, mod 11)."""
    r = sum(int(c) * w for c, w in zip(nine, range(10, 1, -1), strict=False)) % 11
    return nine + str(r if r < 2 else 11 - r)


# ------------------------------------------------------------------ digits
def test_normalize_digits_maps_persian_and_arabic_indic():
    assert normalize_digits("۰۱۲۳۴۵۶۷۸۹") == "0123456789"
    assert normalize_digits("٠١٢٣٤٥٦٧٨٩") == "0123456789"
    assert normalize_digits("１２３") == "123"  # full-width, from some input methods


def test_normalize_digits_drops_invisible_marks_and_trims():
    assert normalize_digits("\u200f ۱۲\u200c۳ \u200e") == "123"
    assert normalize_digits("1  2\t3") == "1 2 3"
    assert normalize_digits("1\u20132\u22123") == "1-2-3"  # en dash, minus sign
    assert normalize_digits(None) == ""
    assert compact_digits(" ۰۰۱-۲۳۴۵۶۷ ۹ ") == "001234567 9".replace(" ", "")


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_normalize_digits_is_idempotent(s):
    once = normalize_digits(s)
    assert normalize_digits(once) == once
    assert compact_digits(compact_digits(s)) == compact_digits(s)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩ -\u200c"))
def test_normalized_digits_are_ascii(s):
    out = compact_digits(s)
    assert out == "" or out.isascii() and out.isdigit()


# ------------------------------------------------------------------ national code
VALID_CODES = [with_check_digit(n) for n in ("001234567", "123456789", "049937089", "007622964",
                                             "158325068", "271828182", "314159265")]


def test_known_codes_from_the_algorithm():
    # computed by hand: 0*10+0*9+1*8+2*7+3*6+4*5+5*4+6*3+7*2 = 112, 112 % 11 = 2, 11-2 = 9
    assert national_code_check_digit("001234567") == 9
    assert validate_national_code("0012345679") == "0012345679"
    assert national_code_check_digit("123456789") == int(with_check_digit("123456789")[-1])
    with pytest.raises(ValueError):
        national_code_check_digit("12345678")


@pytest.mark.parametrize("code", VALID_CODES)
def test_valid_national_codes_in_every_digit_script(code):
    assert validate_national_code(code) == code
    assert validate_national_code(code.translate(FA)) == code
    assert validate_national_code(code.translate(AR)) == code
    assert validate_national_code(f"{code[:3]}-{code[3:9]}-{code[9]}") == code
    assert validate_national_code(f" {code[:5]} {code[5:]} ") == code


@pytest.mark.parametrize("code", VALID_CODES)
def test_every_other_check_digit_is_refused(code):
    for d in "0123456789":
        if d != code[-1]:
            with pytest.raises(ValidationError) as ei:
                validate_national_code(code[:9] + d)
            assert ei.value.message_key == "validation.national_code.checksum"


@pytest.mark.parametrize("raw,key", [
    ("", "validation.national_code.required"),
    (None, "validation.national_code.required"),
    ("123456789", "validation.national_code.format"),
    ("12345678901", "validation.national_code.format"),
    ("12345a7890", "validation.national_code.format"),
    ("1111111111", "validation.national_code.repeated"),
    ("0000000000", "validation.national_code.repeated"),
    ("۲۲۲۲۲۲۲۲۲۲", "validation.national_code.repeated"),
    ("0010000000", "validation.national_code.checksum"),  # middle six zero: never issued
])
def test_bad_national_codes(raw, key):
    with pytest.raises(ValidationError) as ei:
        validate_national_code(raw)
    assert ei.value.field == "national_code"
    assert ei.value.message_key == key


def test_all_same_digit_codes_pass_the_checksum_but_are_refused():
    # 1111111111: sum = 1*(10+...+2) = 54, 54 % 11 = 10 -> check 1: the check digit alone accepts it
    assert with_check_digit("111111111") == "1111111111"
    with pytest.raises(ValidationError):
        validate_national_code("1111111111")


# ------------------------------------------------------------------ birth date
@pytest.mark.parametrize("raw,out", [
    ("1376/11/13", "1376/11/13"),
    ("۱۳۷۶/۱۱/۱۳", "1376/11/13"),
    ("١٣٧٦-١١-١٣", "1376/11/13"),
    ("1376-1-3", "1376/01/03"),
    ("1376.01.03", "1376/01/03"),
    ("13761113", "1376/11/13"),
    (" 1376 / 11 / 13 ", "1376/11/13"),
    ("1403/12/30", "1403/12/30"),  # 1403 is a leap year: Esfand has 30 days
    ("1399/12/30", "1399/12/30"),  # so is 1399
    ("1404/06/15", "1404/06/15"),  # today is allowed
])
def test_good_birth_dates(raw, out):
    assert validate_birth_date(raw, today=TODAY) == out


@pytest.mark.parametrize("raw,key", [
    ("", "validation.birth_date.required"),
    ("1376/11", "validation.birth_date.format"),
    ("76/11/13", "validation.birth_date.format"),
    ("1376/11/13/1", "validation.birth_date.format"),
    ("abc", "validation.birth_date.format"),
    ("1402/12/30", "validation.birth_date.not_a_day"),  # 1402 is a common year
    ("1400/12/30", "validation.birth_date.not_a_day"),
    ("1376/13/01", "validation.birth_date.not_a_day"),
    ("1376/07/31", "validation.birth_date.not_a_day"),  # Mehr has 30 days
    ("1376/00/10", "validation.birth_date.not_a_day"),
    ("1404/06/16", "validation.birth_date.future"),
    ("1405/01/01", "validation.birth_date.future"),
    ("1997/02/01", "validation.birth_date.gregorian"),
    ("1283/06/14", "validation.birth_date.too_old"),  # 121 years
])
def test_bad_birth_dates(raw, key):
    with pytest.raises(ValidationError) as ei:
        validate_birth_date(raw, today=TODAY)
    assert ei.value.field == "birth_date"
    assert ei.value.message_key == key


def test_leap_rules_follow_persiantools():
    for year in range(1300, 1404):  # every year before today's
        ok = JalaliDate.is_leap(year)
        if ok:
            assert validate_birth_date(f"{year}/12/30", today=TODAY) == f"{year}/12/30"
        else:
            with pytest.raises(ValidationError):
                validate_birth_date(f"{year}/12/30", today=TODAY)


def test_age_limit_boundary_and_gregorian_today():
    assert validate_birth_date("1284/06/15", today=TODAY) == "1284/06/15"  # 120 today
    assert validate_birth_date("1283/06/16", today=TODAY) == "1283/06/16"  # 121 tomorrow
    with pytest.raises(ValidationError) as ei:
        validate_birth_date("1283/06/15", today=TODAY)  # 121 today
    assert ei.value.message_key == "validation.birth_date.too_old"
    greg = dt.date(2025, 9, 6)  # = 1404/06/15
    assert JalaliDate.to_jalali(greg) == TODAY
    assert validate_birth_date("1404/06/15", today=greg) == "1404/06/15"
    with pytest.raises(ValidationError):
        validate_birth_date("1404/06/16", today=dt.datetime(2025, 9, 6, 23, 59))


def test_default_today_is_the_real_today():
    real = JalaliDate.today()
    assert validate_birth_date(real.strftime("%Y/%m/%d")) == real.strftime("%Y/%m/%d")
    tomorrow = JalaliDate.to_jalali(dt.date.today() + dt.timedelta(days=1))
    with pytest.raises(ValidationError):
        validate_birth_date(tomorrow.strftime("%Y/%m/%d"))


# ------------------------------------------------------------------ mobile
@pytest.mark.parametrize("raw", [
    "09123456789", "۰۹۱۲۳۴۵۶۷۸۹", "٠٩١٢٣٤٥٦٧٨٩", "+989123456789", "+98 912 345 6789",
    "00989123456789", "989123456789", "9123456789", "0912-345-6789", "(0912) 345 6789",
])
def test_mobile_forms(raw):
    assert validate_mobile(raw) == "09123456789"


@pytest.mark.parametrize("raw,key", [
    ("", "validation.mobile.required"),
    ("0912345678", "validation.mobile.format"),     # 10 digits with 0
    ("091234567890", "validation.mobile.format"),
    ("02112345678", "validation.mobile.format"),    # a Tehran landline
    ("+19123456789", "validation.mobile.format"),
    ("+9809123456789", "validation.mobile.format"),
    ("0912345678a", "validation.mobile.format"),
    ("8123456789", "validation.mobile.format"),
])
def test_bad_mobiles(raw, key):
    with pytest.raises(ValidationError) as ei:
        validate_mobile(raw)
    assert (ei.value.field, ei.value.message_key) == ("mobile", key)


# ------------------------------------------------------------------ card serial
@pytest.mark.parametrize("raw,out", [
    ("1A23456789", "1A23456789"),
    ("1a23456789", "1A23456789"),
    ("۱A۲۳۴۵۶۷۸۹", "1A23456789"),
    ("0123456789", "0123456789"),
    ("123456789", "123456789"),
    ("12 345 678 9", "123456789"),
    ("AB-12345678", "AB12345678"),
])
def test_good_card_serials(raw, out):
    assert validate_card_serial(raw) == out


@pytest.mark.parametrize("raw,key", [
    ("", "validation.card_serial.required"),
    ("12345678", "validation.card_serial.format"),      # 8: too short
    ("12345678901", "validation.card_serial.format"),   # 11: too long
    ("ABCDEFGHIJ", "validation.card_serial.format"),    # no digits
    ("ABCDE12345", "validation.card_serial.format"),    # 5 digits only
    ("1ب23456789", "validation.card_serial.format"),    # Persian letter
    ("1111111111", "validation.card_serial.format"),
    ("12345*6789", "validation.card_serial.format"),
])
def test_bad_card_serials(raw, key):
    with pytest.raises(ValidationError) as ei:
        validate_card_serial(raw)
    assert (ei.value.field, ei.value.message_key) == ("card_serial", key)


# ------------------------------------------------------------------ names
def test_names():
    assert validate_name("") == ""
    assert validate_name(None) == ""
    assert validate_name("  علي   رضا ") == "علی رضا"  # Arabic yeh becomes Persian yeh
    assert validate_name("كاظم") == "کاظم"
    assert validate_name("محمد\u200cحسین") == "محمد\u200cحسین"
    assert validate_name("محمد \u200c حسین") == "محمد حسین"
    assert validate_name("علـــی") == "علی"  # tatweel
    for bad, key in [("Ali", "validation.name.letters"), ("علی2", "validation.name.letters"),
                     ("ع", "validation.name.length"), ("ع" * 41, "validation.name.length")]:
        with pytest.raises(ValidationError) as ei:
            validate_name(bad, "last_name")
        assert (ei.value.field, ei.value.message_key) == ("last_name", key)


# ------------------------------------------------------------------ errors and the dataclass
def test_validation_error_sentences_in_both_languages_and_no_value_in_message():
    with pytest.raises(ValidationError) as ei:
        validate_national_code("0012345678")
    err = ei.value
    fa, en = err.sentence("fa"), err.sentence("en")
    assert fa != en and fa != err.message_key and en != err.message_key
    assert any("\u0600" <= ch <= "\u06ff" for ch in fa)
    assert "0012345678" not in str(err)


GOOD = {"national_code": "۰۰۱۲۳۴۵۶۷۹", "birth_date": "۱۳۷۶/۱۱/۱۳", "mobile": "+989123456789",
        "card_serial": "1a23456789", "first_name": "علي", "last_name": "", "father_name": None}


def test_parse_normalises_every_field():
    d = ApplicantDetails.parse(GOOD, today=TODAY)
    assert d == ApplicantDetails("0012345679", "1376/11/13", "09123456789", "1A23456789", "علی", "", "")
    with pytest.raises(dataclasses.FrozenInstanceError):
        d.national_code = "x"  # frozen


def test_parse_accepts_claim_names():
    raw = {"nationalCode": "0012345679", "birthDate": "1376/11/13", "mobileNumber": "09123456789",
           "cardSerialNo": "1A23456789", "lastName": "احمدی"}
    d = ApplicantDetails.parse(raw, today=TODAY)
    assert d.last_name == "احمدی" and d.mobile == "09123456789"


def test_parse_collects_all_errors():
    raw = dict(GOOD, national_code="0012345678", mobile="123", first_name="Ali")
    with pytest.raises(DetailsInvalid) as ei:
        ApplicantDetails.parse(raw, today=TODAY)
    errors = ei.value.errors
    assert set(errors) == {"national_code", "mobile", "first_name"}
    assert errors["national_code"].message_key == "validation.national_code.checksum"
    assert ei.value.sentence("en") != ei.value.sentence("fa")
    with pytest.raises(DetailsInvalid) as ei:
        ApplicantDetails.parse({}, today=TODAY)
    assert set(ei.value.errors) == set(v.REQUIRED_FIELDS)


def test_masked_forms_and_repr_hide_personal_data():
    d = ApplicantDetails.parse(dict(GOOD, last_name="احمدی"), today=TODAY)
    m = d.masked()
    assert m["national_code"] == "00******79"
    assert m["mobile"] == "0912*****89"
    assert m["birth_date"] == "13**/**/**"
    assert m["card_serial"] == "1A******89"
    assert m["last_name"] == "ا****"
    assert m["father_name"] == ""
    for text in (repr(d), str(d), f"{d}"):
        for secret in ("0012345679", "09123456789", "1376/11/13", "1A23456789", "احمدی"):
            assert secret not in text
    assert d.to_dict()["national_code"] == "0012345679"


# ------------------------------------------------------------------ property tests
_VALIDATORS = [validate_national_code, validate_mobile, validate_card_serial,
               lambda s: validate_birth_date(s, today=TODAY), validate_name]


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.text(), st.text(alphabet="0123456789۰۱۲۳۴۵۶۷۸۹/-+ ."), st.none(), st.integers()))
def test_validators_raise_only_validation_error(raw):
    for check in _VALIDATORS:
        try:
            out = check(raw)
        except ValidationError as exc:
            assert exc.message_key.startswith("validation.")
        else:
            assert isinstance(out, str)
            assert check(out) == out  # a normalised value stays valid and unchanged


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_every_computed_code_is_accepted_unless_degenerate(nine):
    code = with_check_digit(nine)
    assert len(code) == 10
    if len(set(code)) == 1 or code[3:9] == "000000":
        with pytest.raises(ValidationError):
            validate_national_code(code)
    else:
        assert validate_national_code(code.translate(FA)) == code


@settings(max_examples=100, deadline=None)
@given(st.dates(min_value=dt.date(1906, 1, 1), max_value=dt.date(2025, 9, 6)))
def test_every_real_day_is_a_valid_birth_date(day):
    j = JalaliDate.to_jalali(day)
    text = f"{j.year}/{j.month}/{j.day}".translate(FA)
    assert validate_birth_date(text, today=TODAY) == f"{j.year:04d}/{j.month:02d}/{j.day:02d}"
