from kiosk.broker.admittance import recording_seconds
from kiosk.config.settings import Settings
from kiosk.core.reading import text_size

ADMITTANCE = ("اینجانب با آگاهی کامل و به اختیار خود تعهد می‌کنم که اطلاعات ارائه‌شده در این درخواست درست "
              "است و مسئولیت هرگونه نادرستی آن را می‌پذیرم و اجازه می‌دهم که بانک برای احراز هویت من از "
              "تصویر و صدای ضبط‌شده استفاده کند و آن را طبق قانون نزد سامانهٔ احراز هویت نگه دارد تا "
              "درخواست من بررسی شود")


def test_a_short_sentence_keeps_the_setting_and_a_long_text_gets_the_time_it_needs():
    settings = Settings({"recording.seconds": 6.0})
    assert recording_seconds("امروز هوا آفتابی است", settings) == 6
    long = recording_seconds(ADMITTANCE, settings)
    assert len(ADMITTANCE.split()) >= 45
    assert 20 < long <= settings["recording.max_seconds"]
    # never past the longest video the settings allow
    assert recording_seconds(ADMITTANCE * 3, settings) == settings["recording.max_seconds"]
    assert recording_seconds("", Settings({"recording.seconds": 8.0})) == 8


def test_text_size_follows_the_length():
    assert text_size("امروز هوا آفتابی است") == "short"
    assert text_size(" ".join(["کلمه"] * 20)) == "medium"
    assert text_size(ADMITTANCE) == "long"
