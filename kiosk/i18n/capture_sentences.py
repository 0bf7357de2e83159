"""Persian and English sentences for the capture keys (``CaptureError.message_key``, recording
retake reasons, speech pre-check instructions). Kept in the i18n layer so that the catalogue
(``kiosk.i18n.messages``) finds them without importing ``kiosk.capture``, which sits above it."""
from __future__ import annotations

SPEECH_SENTENCES: dict[str, dict[str, str]] = {
    "speech.not_heard": {
        "fa": "صدای شما را نشنیدیم. لطفاً جمله را با صدای بلند بخوانید.",
        "en": "We did not hear you. Please read the sentence aloud.",
    },
    "speech.too_quiet": {
        "fa": "صدای شما کم است. لطفاً کمی بلندتر صحبت کنید.",
        "en": "Your voice is too quiet. Please speak a little louder.",
    },
    "speech.too_loud": {
        "fa": "صدا خیلی بلند است. لطفاً کمی آرام‌تر یا کمی دورتر از میکروفون صحبت کنید.",
        "en": "The sound is too loud. Please speak a little more softly or further from the microphone.",
    },
    "speech.too_short": {
        "fa": "فقط بخشی از جمله شنیده شد. لطفاً تمام جمله را بخوانید.",
        "en": "Only part of the sentence was heard. Please read the whole sentence.",
    },
}

SENTENCES: dict[str, dict[str, str]] = {
    **SPEECH_SENTENCES,
    "recording.face_left": {
        "fa": "صورت شما از تصویر خارج شد. لطفاً روبه‌روی دوربین بمانید و دوباره ضبط کنید.",
        "en": "Your face left the picture. Please stay in front of the camera and record again.",
    },
    "recording.second_face": {
        "fa": "چهرهٔ دیگری وارد تصویر شد. لطفاً به‌تنهایی جلوی دوربین بایستید و دوباره ضبط کنید.",
        "en": "Another face came into the picture. Please stand alone in front of the camera and record again.",
    },
    "recording.write_failed": {
        "fa": "ذخیرهٔ ویدیو ممکن نشد. پوشهٔ داده‌های کیوسک را بررسی کنید.",
        "en": "The video could not be saved. Check the kiosk's data folder.",
    },
    "recording.disk_full": {
        "fa": "فضای دیسک پر است و ویدیو ذخیره نشد. فضای دیسک را آزاد کنید.",
        "en": "The disk is full and the video was not saved. Free some disk space.",
    },
    "recording.encoder_failed": {
        "fa": "ساخت فایل ویدیو ناموفق بود. دوباره تلاش کنید؛ اگر تکرار شد، با پشتیبانی تماس بگیرید.",
        "en": "The video file could not be made. Try again; if it happens again, call support.",
    },
    "recording.camera_ended": {
        "fa": "دوربین در میانهٔ ضبط تصویر نفرستاد. اتصال دوربین را بررسی کنید.",
        "en": "The camera stopped sending pictures during the recording. Check the camera connection.",
    },
    "microphone.not_found": {
        "fa": "میکروفون پیدا نشد. اتصال میکروفون و تنظیمات آن را بررسی کنید.",
        "en": "The microphone was not found. Check that it is plugged in and chosen in the settings.",
    },
    "microphone.open_failed": {
        "fa": "میکروفون باز نشد. شاید برنامهٔ دیگری از آن استفاده می‌کند.",
        "en": "The microphone could not be opened. Another program may be using it.",
    },
    "microphone.unavailable": {
        "fa": "سامانهٔ صدا (PortAudio) روی این دستگاه نصب نیست.",
        "en": "The sound system (PortAudio) is not installed on this machine.",
    },
    "microphone.lost": {
        "fa": "ارتباط با میکروفون قطع شد. اتصال آن را بررسی کنید و دوباره ضبط کنید.",
        "en": "The microphone was disconnected. Check its connection and record again.",
    },
    "microphone.failed": {
        "fa": "میکروفون کار نکرد. دوباره تلاش کنید.",
        "en": "The microphone failed. Please try again.",
    },
    "microphone.file_unreadable": {
        "fa": "فایل صدای تنظیم‌شده برای میکروفون خوانده نشد.",
        "en": "The sound file configured as the microphone could not be read.",
    },
}


def sentence(key: str | None, lang: str = "fa") -> str | None:
    if not key:
        return None
    entry = SENTENCES.get(key)
    if not entry:
        return key
    return entry.get(lang) or entry["en"]
