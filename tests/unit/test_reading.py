from kiosk.core.reading import MAX_SECONDS, reading_seconds, text_size

ADMITTANCE = ("اینجانب با آگاهی کامل و به اختیار خود تعهد می‌کنم که اطلاعات ارائه‌شده در این درخواست درست "
              "است و مسئولیت هرگونه نادرستی آن را می‌پذیرم و اجازه می‌دهم که بانک برای احراز هویت من از "
              "تصویر و صدای ضبط‌شده استفاده کند و آن را طبق قانون نزد سامانهٔ احراز هویت نگه دارد تا "
              "درخواست من بررسی شود")


def test_a_short_sentence_keeps_the_setting_and_a_long_text_gets_the_time_it_needs():
    assert reading_seconds("امروز هوا آفتابی است", 6) == 6
    long = reading_seconds(ADMITTANCE, 6)
    assert len(ADMITTANCE.split()) >= 45
    assert long > 20 and long <= MAX_SECONDS
    assert reading_seconds(ADMITTANCE * 3, 6) == MAX_SECONDS  # never past the broker's largest video
    assert reading_seconds("", 8) == 8


def test_text_size_follows_the_length():
    assert text_size("امروز هوا آفتابی است") == "short"
    assert text_size(" ".join(["کلمه"] * 20)) == "medium"
    assert text_size(ADMITTANCE) == "long"
