"""Property tests of the applicant validators, beyond tests/unit/test_validation.py: any input to
``ApplicantDetails.parse`` gives details or ``DetailsInvalid`` naming only known fields, never
the value typed; a valid national code in any digit script is accepted and one changed digit is
refused; mobile numbers in every accepted form normalise to 09xxxxxxxxx."""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from kiosk.core.validation import (ApplicantDetails, DetailsInvalid, ValidationError, national_code_check_digit,
                                   validate_mobile, validate_name, validate_national_code)

FAST = settings(max_examples=80, deadline=None)
FIELDS = ["national_code", "birth_date", "mobile", "card_serial", "first_name", "last_name", "father_name",
          "nationalCode", "birthDate", "mobileNumber", "cardSerialNo"]
SCRIPTS = [str.maketrans("0123456789", "0123456789"), str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"),
           str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")]
anything = st.one_of(st.none(), st.integers(), st.floats(), st.text(max_size=30), st.binary(max_size=10),
                     st.lists(st.integers(), max_size=3))


@FAST
@given(st.dictionaries(st.one_of(st.sampled_from(FIELDS), st.text(max_size=8)), anything, max_size=8))
def test_parse_gives_details_or_details_invalid(raw):
    try:
        d = ApplicantDetails.parse(raw)
    except DetailsInvalid as exc:
        assert exc.errors and all(isinstance(e, ValidationError) for e in exc.errors.values())
        text = str(exc) + "".join(e.sentence("fa") + e.sentence("en") for e in exc.errors.values())
        for v in raw.values():
            if isinstance(v, str) and sum(ch.isdigit() for ch in v) >= 4:  # numbers typed
                assert v not in text  # the typed value is never echoed
    else:
        assert len(d.national_code) == 10 and d.mobile.startswith("09") and len(d.mobile) == 11
        assert d.national_code not in repr(d) and d.mobile not in str(d)


@FAST
@given(st.text(alphabet="0123456789", min_size=9, max_size=9), st.integers(0, 2), st.integers(0, 9),
       st.integers(1, 9))
def test_one_changed_digit_is_refused(nine, script, pos, delta):
    code = nine + str(national_code_check_digit(nine))
    if len(set(code)) == 1:
        return  # degenerate codes are refused anyway
    assert validate_national_code(code.translate(SCRIPTS[script])) == code
    wrong = code[:pos] + str((int(code[pos]) + delta) % 10) + code[pos + 1:]

    def rem(c):
        return sum(int(c[i]) * (10 - i) for i in range(9)) % 11

    if {rem(code), rem(wrong)} <= {1, 10} or len(set(wrong)) == 1:
        return  # remainders 1 and 10 share the check digit 1: the scheme cannot see this change
    try:
        validate_national_code(wrong)
    except ValidationError:
        pass
    else:
        raise AssertionError(f"{wrong} accepted")


@FAST
@given(st.text(alphabet="0123456789", min_size=9, max_size=9), st.sampled_from(["09{}", "+989{}", "00989{}", "989{}",
                                                                               "0 9{}", "09-{}"]),
       st.integers(0, 2))
def test_mobile_forms_normalise(rest, form, script):
    number = form.format(rest[:9] if form != "09-{}" else rest[:9])
    try:
        got = validate_mobile(number.translate(SCRIPTS[script]))
    except ValidationError:
        return  # a form the validator does not take is refused, never anything else
    assert got == "09" + rest[:9]


@FAST
@given(st.text(max_size=40))
def test_names_are_validated_or_refused(text):
    try:
        name = validate_name(text)
    except ValidationError:
        return
    assert name == name.strip() and len(name) <= len(text)
