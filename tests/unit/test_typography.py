"""Persian half-spaces on screen; the broker's text itself untouched."""
from kiosk.i18n.typography import ZWNJ, persian_display


def test_verb_prefix_joins_its_verb():
    assert persian_display("دانش آموزان در کلاس درس می خوانند") == f"دانش آموزان در کلاس درس می{ZWNJ}خوانند"
    assert persian_display("او نمی رود") == f"او نمی{ZWNJ}رود"


def test_plural_and_indefinite_suffixes_join_their_word():
    assert persian_display("بچه ها در پارک بازی می کنند") == f"بچه{ZWNJ}ها در پارک بازی می{ZWNJ}کنند"
    assert persian_display("آزاده نامه ای به من داد") == f"آزاده نامه{ZWNJ}ای به من داد"


def test_words_that_only_look_alike_are_left_alone():
    for text in ("میز را دیدم", "کتاب را روی میز گذاشتم", "امروز هوا آفتابی است", "I read it", "مینا آمد"):
        assert persian_display(text) == text
    # a word that merely begins with the same letters is not a prefix
    assert persian_display("کمی آب") == "کمی آب"
