"""A small Persian/English sentence catalogue for the layers without Qt (core, capture, broker
helpers, workers). The UI shows these through ``t(key, lang, **kw)``.

``MESSAGES`` is a plain dict literal, one entry per key: ``{"fa": ..., "en": ...}``. Other
modules may add keys here (keep both languages, keep it a literal). Placeholders use
``str.format`` names; numbers passed to ``t`` are written in Persian digits for ``fa``.
Keys not found here are looked up in ``kiosk.capture.sentences.SENTENCES`` (capture and speech
sentences kept beside their code); a key found nowhere is returned as it is, never an exception.
"""
from __future__ import annotations

from numbers import Real

from kiosk.i18n.digits import format_number

LANGUAGES = ("fa", "en")

MESSAGES: dict[str, dict[str, str]] = {
    # -- applicant details (kiosk.core.validation)
    "validation.national_code.required": {
        "fa": "کد ملی را وارد کنید.",
        "en": "Enter the national code.",
    },
    "validation.national_code.format": {
        "fa": "کد ملی باید ۱۰ رقم باشد.",
        "en": "The national code must have 10 digits.",
    },
    "validation.national_code.checksum": {
        "fa": "این کد ملی معتبر نیست (رقم کنترل نادرست است). دوباره از روی کارت بخوانید.",
        "en": "This national code is not valid (wrong check digit). Read it again from the card.",
    },
    "validation.national_code.repeated": {
        "fa": "کد ملی نمی‌تواند از یک رقم تکراری ساخته شده باشد.",
        "en": "A national code cannot be one digit repeated.",
    },
    "validation.birth_date.required": {
        "fa": "تاریخ تولد را وارد کنید.",
        "en": "Enter the birth date.",
    },
    "validation.birth_date.format": {
        "fa": "تاریخ تولد را به شکل سال/ماه/روز شمسی بنویسید، مانند ۱۳۷۶/۱۱/۱۳.",
        "en": "Write the birth date as a Jalali year/month/day, e.g. 1376/11/13.",
    },
    "validation.birth_date.not_a_day": {
        "fa": "چنین روزی در تقویم شمسی وجود ندارد.",
        "en": "There is no such day in the Jalali calendar.",
    },
    "validation.birth_date.gregorian": {
        "fa": "به نظر می‌رسد تاریخ میلادی وارد شده است. تاریخ تولد را به تقویم شمسی بنویسید، مانند ۱۳۷۶/۱۱/۱۳.",
        "en": "This looks like a Gregorian date. Write the birth date in the Jalali calendar, e.g. 1376/11/13.",
    },
    "validation.birth_date.future": {
        "fa": "تاریخ تولد نمی‌تواند در آینده باشد.",
        "en": "The birth date cannot be in the future.",
    },
    "validation.birth_date.too_old": {
        "fa": "تاریخ تولد بیش از حد قدیمی است. سال را دوباره بررسی کنید.",
        "en": "The birth date is too far in the past. Check the year again.",
    },
    "validation.mobile.required": {
        "fa": "شمارهٔ تلفن همراه را وارد کنید.",
        "en": "Enter the mobile number.",
    },
    "validation.mobile.format": {
        "fa": "شمارهٔ همراه باید ۱۱ رقم باشد و با ۰۹ شروع شود، مانند ۰۹۱۲۳۴۵۶۷۸۹.",
        "en": "The mobile number must have 11 digits and start with 09, e.g. 09123456789.",
    },
    "validation.card_serial.required": {
        "fa": "سریال کارت ملی را وارد کنید (پشت کارت).",
        "en": "Enter the national card serial (on the back of the card).",
    },
    "validation.card_serial.format": {
        "fa": "سریال کارت ملی باید ۹ یا ۱۰ نویسه از رقم و حروف لاتین باشد، همان‌طور که پشت کارت چاپ شده است.",
        "en": "The national card serial must be 9 or 10 digits and Latin letters, as printed on the back of the card.",
    },
    "validation.name.letters": {
        "fa": "نام را فقط با حروف فارسی بنویسید.",
        "en": "Write the name in Persian letters only.",
    },
    "validation.name.length": {
        "fa": "نام باید بین ۲ تا ۴۰ حرف باشد.",
        "en": "A name must be between 2 and 40 letters long.",
    },
    "validation.details_invalid": {
        "fa": "برخی از اطلاعات نادرست است. خانه‌های مشخص‌شده را اصلاح کنید.",
        "en": "Some details are not valid. Correct the marked fields.",
    },
    # -- the flow (kiosk.core.flow)
    "flow.step.details": {"fa": "اطلاعات متقاضی", "en": "Applicant details"},
    "flow.step.consent": {"fa": "رضایت", "en": "Consent"},
    "flow.step.registration": {"fa": "ثبت درخواست", "en": "Registration"},
    "flow.step.signature": {"fa": "امضا", "en": "Signature"},
    "flow.step.id_front": {"fa": "روی کارت ملی", "en": "ID card, front"},
    "flow.step.id_back": {"fa": "پشت کارت ملی", "en": "ID card, back"},
    "flow.step.selfie": {"fa": "عکس چهره", "en": "Selfie"},
    "flow.step.selfie_video": {"fa": "ویدیوی خواندن جمله", "en": "Selfie video"},
    "flow.step.admittance_video": {"fa": "ویدیوی اقرار", "en": "Admittance video"},
    "flow.step.verifying": {"fa": "بررسی نهایی", "en": "Verification"},
    "flow.progress": {
        "fa": "مرحلهٔ {index} از {total}",
        "en": "Step {index} of {total}",
    },
    "flow.tries_left": {
        "fa": "{n} بار دیگر می‌توانید تلاش کنید.",
        "en": "You can try {n} more time(s).",
    },
    "flow.no_tries_left": {
        "fa": "تعداد تلاش‌های مجاز برای این مرحله تمام شد.",
        "en": "No tries are left for this step.",
    },
    "flow.cancelled": {
        "fa": "جلسه لغو شد و اطلاعات آن پاک شد.",
        "en": "The session was cancelled and its data wiped.",
    },
    "flow.consent_refused": {
        "fa": "بدون رضایت شما احراز هویت انجام نمی‌شود. جلسه پایان یافت و اطلاعات پاک شد.",
        "en": "Identity verification cannot go on without your consent. The session ended and its data was wiped.",
    },
    "flow.idle_timeout": {
        "fa": "جلسه به دلیل بی‌فعالیتی طولانی لغو شد و اطلاعات آن پاک شد.",
        "en": "The session was cancelled after a long time without activity, and its data wiped.",
    },
    "flow.token_expired": {
        "fa": "مهلت این درخواست احراز هویت تمام شد. لطفاً جلسهٔ تازه‌ای شروع کنید.",
        "en": "This verification request has expired. Please start a new session.",
    },
    "flow.failsafe": {
        "fa": "مشکلی پیش آمد و جلسه متوقف شد. اطلاعات جلسه پاک شد؛ لطفاً به کارمند شعبه اطلاع دهید.",
        "en": "Something went wrong and the session was stopped. Its data was wiped; please tell a staff member.",
    },
    "flow.registration_failed": {
        "fa": "ثبت درخواست نزد سامانهٔ احراز هویت ناموفق بود.",
        "en": "The verification service did not register the request.",
    },
    "flow.details_refused": {
        "fa": "سامانهٔ احراز هویت این اطلاعات را نپذیرفت. خانهٔ مشخص‌شده را بررسی کنید.",
        "en": "The verification service refused these details. Check the marked field.",
    },
    "flow.step_failed": {
        "fa": "این مرحله پذیرفته نشد.",
        "en": "This step was not accepted.",
    },
    "flow.verdict.passed": {
        "fa": "احراز هویت با موفقیت انجام شد.",
        "en": "Identity verification succeeded.",
    },
    "flow.verdict.failed": {
        "fa": "احراز هویت انجام نشد.",
        "en": "Identity verification did not succeed.",
    },
    "flow.verdict.incomplete": {
        "fa": "احراز هویت کامل نشد؛ برخی مراحل انجام نشد.",
        "en": "Identity verification is not complete; some steps were not done.",
    },
    # -- capture (kiosk.capture, CaptureError.message_key)
    "capture.failed": {
        "fa": "دوربین یا میکروفون درست کار نکرد. دوباره تلاش کنید؛ اگر تکرار شد، اتصال آن را بررسی کنید.",
        "en": "The camera or microphone did not work. Try again; if it happens again, check its connection.",
    },
    "capture.no_camera": {
        "fa": "دوربین پیدا نشد. اتصال دوربین و تنظیمات آن را بررسی کنید.",
        "en": "No camera was found. Check that it is plugged in and chosen in the settings.",
    },
    "capture.camera_busy": {
        "fa": "دوربین باز نشد. شاید برنامهٔ دیگری از آن استفاده می‌کند.",
        "en": "The camera could not be opened. Another program may be using it.",
    },
    "capture.camera_lost": {
        "fa": "دوربین دیگر تصویر نمی‌فرستد. اتصال دوربین را بررسی کنید.",
        "en": "The camera stopped sending pictures. Check the camera connection.",
    },
    "capture.no_microphone": {
        "fa": "میکروفون پیدا نشد. اتصال میکروفون و تنظیمات آن را بررسی کنید.",
        "en": "No microphone was found. Check that it is plugged in and chosen in the settings.",
    },
    "capture.disk_full": {
        "fa": "فضای دیسک پر است و فایل ذخیره نشد. فضای دیسک را آزاد کنید.",
        "en": "The disk is full and the file was not saved. Free some disk space.",
    },
    "capture.encoder_missing": {
        "fa": "رمزگذار ویدیو (VP8/Opus) در این نصب وجود ندارد. برنامه را دوباره نصب کنید.",
        "en": "The video encoder (VP8/Opus) is missing from this installation. Reinstall the program.",
    },
    "capture.permission_denied": {
        "fa": "برنامه اجازهٔ دسترسی به دوربین یا میکروفون را ندارد. تنظیمات دسترسی سیستم را بررسی کنید.",
        "en": "The program may not use the camera or microphone. Check the system's privacy settings.",
    },
    # -- encrypted media (kiosk.core.media_store) and the token journal (kiosk.core.journal)
    "media.unreadable": {
        "fa": "فایل ضبط‌شده خوانده نشد (کلید آن از بین رفته یا فایل خراب است). این مرحله را دوباره انجام دهید.",
        "en": "The captured file could not be read (its key is gone or the file is damaged). Do this step again.",
    },
    "media.disk_full": {
        "fa": "فضای دیسک برای نگه‌داری فایل‌های جلسه کافی نیست. فضای دیسک را آزاد کنید.",
        "en": "There is not enough disk space to keep the session's files. Free some disk space.",
    },
    "media.orphans_wiped": {
        "fa": "فایل‌های {n} جلسهٔ ناتمام قبلی پاک شد.",
        "en": "The files of {n} unfinished earlier session(s) were wiped.",
    },
    "journal.open_tokens": {
        "fa": "{n} درخواست احراز هویت از اجرای قبلی باز مانده بود و لغو شد.",
        "en": "{n} verification request(s) left open by the previous run were cancelled.",
    },
    "journal.unreadable": {
        "fa": "دفترچهٔ درخواست‌های باز خوانده نشد؛ درخواست‌های باز قبلی با گذشت مهلتشان بسته می‌شوند.",
        "en": "The open-request journal could not be read; earlier open requests will close when they expire.",
    },
    # -- documents: ID card and signature (kiosk.quality.documents / signature, kiosk.capture.signature_pad)
    "document.ok": {
        "fa": "عالی است. همین‌طور نگه دارید.",
        "en": "Good. Hold it just like that.",
    },
    "document.card.show": {
        "fa": "کارت ملی را جلوی دوربین بگیرید، داخل کادر.",
        "en": "Hold the national card in front of the camera, inside the frame.",
    },
    "document.card.whole": {
        "fa": "تمام کارت باید دیده شود؛ هر چهار گوشه داخل کادر باشد.",
        "en": "Show the whole card: all four corners inside the frame.",
    },
    "document.card.closer": {
        "fa": "کارت را کمی نزدیک‌تر به دوربین بیاورید.",
        "en": "Move the card a little closer to the camera.",
    },
    "document.card.flat": {
        "fa": "کارت را صاف و روبه‌روی دوربین نگه دارید.",
        "en": "Hold the card flat, facing the camera.",
    },
    "document.card.fingers": {
        "fa": "انگشت‌ها را از روی گوشه‌ها، عکس و نوشته‌های کارت بردارید؛ کارت را از لبه‌اش بگیرید.",
        "en": "Keep your fingers off the card's corners, photo and text; hold it by its edge.",
    },
    "document.card.hold_still": {
        "fa": "کارت را بی‌حرکت نگه دارید.",
        "en": "Hold the card still.",
    },
    "document.card.glare": {
        "fa": "روی کارت نور افتاده است. کارت را کمی کج کنید تا برق آن از بین برود.",
        "en": "There is glare on the card. Tilt the card a little to remove it.",
    },
    "document.card.front": {
        "fa": "روی کارت را که عکس دارد نشان دهید.",
        "en": "Show the front of the card, the side with the photo.",
    },
    "document.card.back": {
        "fa": "کارت را برگردانید و پشت آن را نشان دهید.",
        "en": "Turn the card over and show its back.",
    },
    "document.signature.show": {
        "fa": "برگهٔ امضا را جلوی دوربین بگیرید، داخل کادر.",
        "en": "Hold the signed sheet in front of the camera, inside the frame.",
    },
    "document.signature.blank": {
        "fa": "امضایی دیده نمی‌شود. روی برگه با خودکار امضا کنید و دوباره نشان دهید.",
        "en": "No signature can be seen. Sign the sheet with a pen and show it again.",
    },
    "document.signature.too_much_ink": {
        "fa": "روی برگه بیش از یک امضا نوشته شده است. روی یک برگهٔ سفید تمیز امضا کنید.",
        "en": "There is too much writing on the sheet. Sign on a clean white sheet.",
    },
    "document.signature.printed": {
        "fa": "این برگه متن چاپی دارد. لطفاً روی یک برگهٔ سفید امضا کنید.",
        "en": "This sheet has printed text. Please sign on a plain white sheet.",
    },
    "document.signature.hold_still": {
        "fa": "تصویر امضا تار است. برگه را بی‌حرکت نگه دارید.",
        "en": "The signature is blurred. Hold the sheet still.",
    },
    "document.signature.too_small": {
        "fa": "امضا خیلی کوچک دیده می‌شود. برگه را نزدیک‌تر بیاورید.",
        "en": "The signature looks too small. Bring the sheet closer.",
    },
    "document.signature.pad_blank": {
        "fa": "امضایی کشیده نشده است. با انگشت یا قلم داخل کادر امضا کنید.",
        "en": "Nothing has been signed yet. Sign inside the box with your finger or the pen.",
    },
    "document.signature.pad_small": {
        "fa": "امضا خیلی کوچک است. بزرگ‌تر و در پهنای کادر امضا کنید.",
        "en": "The signature is too small. Sign larger, across the box.",
    },
}


def _lookup(key: str) -> dict[str, str] | None:
    entry = MESSAGES.get(key)
    if entry is not None:
        return entry
    try:  # capture and speech sentences kept beside their code
        from kiosk.capture.sentences import SENTENCES
    except Exception:  # noqa: BLE001 - the catalogue must never fail because of a helper module
        return None
    return SENTENCES.get(key)


def has(key: str) -> bool:
    """True when ``key`` has a sentence."""
    return _lookup(key) is not None


def t(key: str, lang: str = "fa", **kw: object) -> str:
    """The sentence for ``key`` in ``lang`` (``fa`` or ``en``; other languages fall back to
    English, a missing language to the other one), formatted with ``kw``. Numbers in ``kw``
    are written with Persian digits and separators in ``fa``. An unknown key gives the key."""
    entry = _lookup(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry.get("en") or entry.get("fa") or key
    if not kw:
        return text
    args = {k: (format_number(v, lang) if isinstance(v, Real) and not isinstance(v, bool) else v)
            for k, v in kw.items()}
    try:
        return text.format(**args)
    except (KeyError, IndexError, ValueError):
        return text
