"""A small Persian/English sentence catalogue for the layers without Qt (core, capture, broker
helpers, workers). The UI shows these through ``t(key, lang, **kw)``.

``MESSAGES`` is a plain dict literal, one entry per key: ``{"fa": ..., "en": ...}``. Other
modules may add keys here (keep both languages, keep it a literal). Placeholders use
``str.format`` names; numbers passed to ``t`` are written in Persian digits for ``fa``.
This is the one catalogue: the capture, quality and broker layers keep their sentences here and
read them with ``t`` (or take their ``section``); a key with no sentence is logged and shown as
the "unexpected error" sentence, never as the raw key.
"""
from __future__ import annotations

import logging
from numbers import Real

from kiosk.i18n.digits import format_number

log = logging.getLogger(__name__)

#: The sentence shown for a key that has none (a bug, logged).
FALLBACK_KEY = "error.unexpected"

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
    "flow.step.details": {"fa": "مشخصات متقاضی", "en": "Applicant details"},
    "flow.step.consent": {"fa": "رضایت", "en": "Consent"},
    "flow.step.registration": {"fa": "ثبت درخواست", "en": "Registration"},
    "flow.step.signature": {"fa": "امضا", "en": "Signature"},
    "flow.step.id_front": {"fa": "کارت ملی، رو", "en": "National card, front"},
    "flow.step.id_back": {"fa": "کارت ملی، پشت", "en": "National card, back"},
    "flow.step.selfie": {"fa": "عکس چهره", "en": "Photo of the face"},
    "flow.step.selfie_video": {"fa": "ویدئوی خواندن جمله", "en": "Video reading a sentence"},
    "flow.step.admittance_video": {"fa": "ویدئوی خواندن متن تعهد", "en": "Video reading the declaration"},
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
    "error.unexpected": {
        "fa": "خطای پیش‌بینی‌نشده‌ای رخ داد. جلسه را ببندید و دوباره شروع کنید؛ اگر تکرار شد با پشتیبانی تماس بگیرید.",
        "en": "An unexpected error occurred. Close the session and start again; if it happens again, call support.",
    },
    "capture.unusable": {
        "fa": "این تصویر قابل استفاده نبود. لطفاً دوباره بگیرید.",
        "en": "The picture could not be used. Please take it again.",
    },
    "rehearsal.capture_failed": {
        "fa": "مرحله با دوربین یا میکروفون شبیه‌سازی‌شده گرفته نشد. تنظیمات کیفیت (quality.*) و ضبط (recording.*) را بررسی کنید.",
        "en": "The step could not be captured from the simulated camera or microphone. Check the quality.* and recording.* settings.",
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
        "fa": "رمزگذار ویدئو (VP8/Opus) در این نصب وجود ندارد. برنامه را دوباره نصب کنید.",
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
    "document.signature.outside": {
        "fa": "کل برگه را داخل کادر بگیرید؛ هر چهار لبهٔ برگه باید دیده شود.",
        "en": "Put the whole sheet inside the frame: all four edges of the sheet must show.",
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
    # -- capture: camera (kiosk.capture.camera)
    "camera.not_found": {"fa": "دوربین پیدا نشد. اتصال دوربین و تنظیمات آن را بررسی کنید.",
                         "en": "The camera was not found. Check that it is plugged in and chosen in the settings."},
    "camera.open_failed": {"fa": "دوربین باز نشد. شاید برنامهٔ دیگری از آن استفاده می‌کند.",
                           "en": "The camera could not be opened. Another program may be using it."},
    "camera.lost": {"fa": "ارتباط با دوربین قطع شد. اتصال آن را بررسی کنید.",
                    "en": "The camera was disconnected. Check its cable."},
    "camera.file_unreadable": {"fa": "فایل تنظیم‌شده به‌جای دوربین خوانده نشد.",
                               "en": "The file configured as the camera could not be read."},
    "camera.bad_spec": {"fa": "تنظیم دوربین نادرست است.", "en": "The camera setting is not valid."},
    "camera.failed": {"fa": "دوربین کار نکرد. دوباره تلاش کنید.", "en": "The camera failed. Please try again."},
    # -- capture: speech pre-check (kiosk.capture.speech)
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
    # -- capture: microphone, recordings (kiosk.i18n.capture_sentences)
    "recording.face_left": {
        "fa": "صورت شما از تصویر خارج شد. لطفاً روبه‌روی دوربین بمانید و دوباره ضبط کنید.",
        "en": "Your face left the picture. Please stay in front of the camera and record again.",
    },
    "recording.second_face": {
        "fa": "چهرهٔ دیگری وارد تصویر شد. لطفاً به‌تنهایی جلوی دوربین بایستید و دوباره ضبط کنید.",
        "en": "Another face came into the picture. Please stand alone in front of the camera and record again.",
    },
    "recording.write_failed": {
        "fa": "ذخیرهٔ ویدئو ممکن نشد. پوشهٔ داده‌های کیوسک را بررسی کنید.",
        "en": "The video could not be saved. Check the kiosk's data folder.",
    },
    "recording.disk_full": {
        "fa": "فضای دیسک پر است و ویدئو ذخیره نشد. فضای دیسک را آزاد کنید.",
        "en": "The disk is full and the video was not saved. Free some disk space.",
    },
    "recording.encoder_failed": {
        "fa": "ساخت فایل ویدئو ناموفق بود. دوباره تلاش کنید؛ اگر تکرار شد، با پشتیبانی تماس بگیرید.",
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
    # -- the staff console (kiosk.ui.staff), read with staff_text(key) = t("staff." + key)
    "staff.console.title": {"fa": 'میز کارکنان', "en": 'Staff console'},
    "staff.tab.settings": {"fa": 'تنظیمات', "en": 'Settings'},
    "staff.tab.selftest": {"fa": 'آزمون دستگاه', "en": 'Self-test'},
    "staff.tab.sessions": {"fa": 'جلسه\u200cهای امروز', "en": "Today's sessions"},
    "staff.tab.lookup": {"fa": 'پیگیری نتیجه', "en": 'Result lookup'},
    "staff.settings.save": {"fa": 'ذخیره', "en": 'Save'},
    "staff.settings.revert": {"fa": 'بازگرداندن', "en": 'Revert'},
    "staff.settings.saved": {"fa": 'تنظیمات ذخیره شد.', "en": 'Settings saved.'},
    "staff.settings.saved_none": {"fa": 'تغییری برای ذخیره نبود.', "en": 'Nothing changed.'},
    "staff.settings.errors": {"fa": 'برخی مقادیر نادرست است؛ خطاها کنار هر خانه نوشته شده است. چیزی ذخیره نشد.', "en": 'Some values are wrong; the errors are shown at each field. Nothing was saved.'},
    "staff.settings.save_failed": {"fa": 'ذخیرهٔ پروندهٔ تنظیمات نشد: {error}', "en": 'The settings file could not be written: {error}'},
    "staff.settings.env": {"fa": 'با متغیر محیطی {name} تعیین شده و اینجا تغییر نمی\u200cکند.', "en": 'Set by the environment variable {name}; it cannot be changed here.'},
    "staff.settings.yes": {"fa": 'بله', "en": 'Yes'},
    "staff.settings.file": {"fa": 'پروندهٔ تنظیمات: {path}', "en": 'Settings file: {path}'},
    "staff.pin.new": {"fa": 'رمز تازهٔ کارکنان', "en": 'New staff PIN'},
    "staff.pin.repeat": {"fa": 'تکرار رمز تازه', "en": 'Repeat the new PIN'},
    "staff.pin.help": {"fa": '۶ تا ۱۲ رقم، نه همه یکی و نه پشت سر هم. خالی بگذارید تا رمز فعلی بماند. رمز فقط به صورت هش کُند و چاشنی\u200cدار ذخیره می\u200cشود.', "en": '6 to 12 digits, not all one digit nor a straight run. Leave empty to keep the current PIN. The PIN is stored only as a slow, peppered hash.'},
    "staff.pin.mismatch": {"fa": 'دو رمز یکسان نیست.', "en": 'The two PINs differ.'},
    "staff.pin.is_set": {"fa": 'رمز کارکنان تعیین شده است.', "en": 'A staff PIN is set.'},
    "staff.pin.not_set": {"fa": 'رمز کارکنان تعیین نشده است (رمز نمایشی در کار است).', "en": 'No staff PIN is set (the demo PIN is in use).'},
    # the settings' groups, as staff and IT look for them (kiosk.ui.staff.settings_page.GROUPS)
    "staff.group.broker": {"fa": 'سامانهٔ احراز هویت', "en": 'Identity service'},
    "staff.group.keys": {"fa": 'کلیدها و توکن\u200cها', "en": 'Keys and tokens'},
    "staff.group.devices": {"fa": 'دوربین، میکروفون و صفحهٔ امضا', "en": 'Camera, microphone and signing pad'},
    "staff.group.quality": {"fa": 'کیفیت عکس چهره', "en": 'Face photo quality'},
    "staff.group.recording": {"fa": 'ضبط ویدئو و صدا', "en": 'Video and sound recording'},
    "staff.group.session": {"fa": 'جلسه و نمایش', "en": 'Session and display'},
    "staff.group.staff": {"fa": 'کارکنان و گزارش\u200cها', "en": 'Staff and logs'},
    "staff.settings.search": {"fa": 'جست\u200cوجوی تنظیم…', "en": 'Find a setting…'},
    "staff.selftest.run": {"fa": 'اجرای آزمون', "en": 'Run the self-test'},
    "staff.selftest.cancel": {"fa": 'توقف', "en": 'Stop'},
    "staff.selftest.running": {"fa": 'در حال آزمون… (دوربین و میکروفون هر کدام حدود یک ثانیه)', "en": 'Testing… (about one second each for camera and microphone)'},
    "staff.selftest.passed": {"fa": 'همهٔ بررسی\u200cها درست بود.', "en": 'Every check passed.'},
    "staff.selftest.failed": {"fa": '{n} بررسی نادرست بود؛ راه حل کنار هر کدام نوشته شده است.', "en": '{n} check(s) failed; each says what to fix.'},
    "staff.selftest.crashed": {"fa": 'آزمون با خطا متوقف شد: {error}', "en": 'The self-test stopped with an error: {error}'},
    "staff.sessions.refresh": {"fa": 'تازه\u200cسازی', "en": 'Refresh'},
    "staff.sessions.export": {"fa": 'خروجی CSV…', "en": 'Export CSV…'},
    "staff.sessions.exported": {"fa": '{n} جلسه در {path} ذخیره شد.', "en": '{n} session(s) written to {path}.'},
    "staff.sessions.export_failed": {"fa": 'خروجی ساخته نشد: {error}', "en": 'The export failed: {error}'},
    "staff.sessions.count": {"fa": 'امروز {n} جلسه؛ بدون هیچ دادهٔ شخصی.', "en": '{n} session(s) today; no personal data is kept.'},
    "staff.col.order_id": {"fa": 'کد پیگیری', "en": 'Tracking code'},
    "staff.col.started": {"fa": 'شروع', "en": 'Started'},
    "staff.col.ended": {"fa": 'پایان', "en": 'Ended'},
    "staff.col.steps": {"fa": 'مرحله\u200cهای انجام\u200cشده', "en": 'Steps done'},
    "staff.col.verdict": {"fa": 'نتیجه', "en": 'Verdict'},
    "staff.col.error_codes": {"fa": 'کدهای خطا', "en": 'Error codes'},
    "staff.col.retries": {"fa": 'تلاش دوباره', "en": 'Retries'},
    # a session's outcome in today's sessions (kiosk.core.sessions_log verdicts; "open": not ended)
    "staff.outcome.verified": {"fa": 'تأیید شد', "en": 'Verified'},
    "staff.outcome.failed": {"fa": 'رد شد', "en": 'Failed'},
    "staff.outcome.aborted": {"fa": 'نیمه\u200cکاره پایان یافت', "en": 'Ended early'},
    "staff.outcome.cancelled": {"fa": 'لغو شد', "en": 'Cancelled'},
    "staff.outcome.idle": {"fa": 'پایان با بیکاری', "en": 'Ended when idle'},
    "staff.outcome.expired": {"fa": 'زمان جلسه گذشت', "en": 'Session expired'},
    "staff.outcome.error": {"fa": 'خطا', "en": 'Error'},
    "staff.outcome.failsafe": {"fa": 'خطای پیش\u200cبینی\u200cنشده', "en": 'Unexpected error'},
    "staff.outcome.recovered": {"fa": 'بازیابی پس از خاموشی', "en": 'Recovered after a crash'},
    "staff.outcome.refused": {"fa": 'پذیرفته نشد', "en": 'not accepted'},
    "staff.outcome.open": {"fa": 'در جریان', "en": 'In progress'},
    "staff.outcome.unexpected": {"fa": 'خطای پیش\u200cبینی\u200cنشده', "en": 'Unexpected error'},
    "staff.lookup.order": {"fa": 'کد پیگیری', "en": 'Tracking code'},
    "staff.lookup.national": {"fa": 'کد ملی (اختیاری)', "en": 'National code (optional)'},
    "staff.lookup.go": {"fa": 'پیگیری', "en": 'Look up'},
    "staff.lookup.media": {"fa": 'نمایش تصویر و صدا', "en": 'Show pictures and sound'},
    "staff.lookup.busy": {"fa": 'در حال پرسش از سامانهٔ احراز هویت…', "en": 'Asking the broker…'},
    "staff.lookup.need_order": {"fa": 'کد پیگیری را بنویسید.', "en": 'Type the tracking code.'},
    "staff.lookup.verified": {"fa": 'امضای پاسخ سامانهٔ احراز هویت تأیید شد.', "en": "The broker's answer signature verified."},
    "staff.lookup.status": {"fa": 'وضعیت: {status} ({request})', "en": 'Status: {status} ({request})'},
    "staff.lookup.national_shown": {"fa": 'کد ملی: {code}', "en": 'National code: {code}'},
    "staff.lookup.errors": {"fa": 'خطاهای ثبت\u200cشده: {errors}', "en": 'Errors recorded: {errors}'},
    "staff.lookup.no_media": {"fa": 'سامانهٔ احراز هویت تصویر یا صدایی نفرستاد (یا بهره\u200cبردار اجازهٔ آن را ندارد).', "en": 'The broker sent no pictures or sound (or the provider may not receive them).'},
    "staff.lookup.save": {"fa": 'ذخیرهٔ {what}…', "en": 'Save the {what}…'},
    "staff.lookup.play": {"fa": 'پخش گفتار', "en": 'Play the speech'},
    "staff.lookup.saved": {"fa": 'در {path} ذخیره شد (فقط برای این حساب کاربری خوانا). این پرونده دادهٔ زیست\u200cسنجی شخص است و کیوسک آن را پاک نمی\u200cکند: پس از کار، خودتان آن را پاک کنید.', "en": "Saved to {path} (readable by this account only). This file holds a person's biometric data and the kiosk will not wipe it: delete it yourself when done."},
    "staff.media.selfie": {"fa": 'عکس سلفی', "en": 'selfie'},
    "staff.media.signature": {"fa": 'امضا', "en": 'signature'},
    "staff.media.video": {"fa": 'ویدئو', "en": 'video'},
    "staff.media.speech": {"fa": 'گفتار', "en": 'speech'},
    "staff.score.part": {"fa": 'بخش', "en": 'Part'},
    "staff.score.verification": {"fa": 'تطبیق چهره', "en": 'Face match'},
    "staff.score.score": {"fa": 'امتیاز / آستانه', "en": 'Score / threshold'},
    "staff.score.liveness": {"fa": 'زنده بودن', "en": 'Liveness'},
    "staff.score.quality": {"fa": 'وضوح / روشنایی', "en": 'Sharpness / light'},
    "staff.score.pose": {"fa": 'چرخش سر (yaw/pitch/roll)', "en": 'Head pose (yaw/pitch/roll)'},
    "staff.part.selfie": {"fa": 'سلفی', "en": 'Selfie'},
    "staff.part.video": {"fa": 'ویدئو', "en": 'Video'},
    "staff.part.speech": {"fa": 'گفتار', "en": 'Speech'},
    # -- the staff console's settings: a human label per setting (the raw key shows small beside it)
    "staff.label.broker.url": {"fa": 'نشانی سامانهٔ احراز هویت', "en": 'Identity service address'},
    "staff.label.broker.ca_file": {"fa": 'فایل گواهی مرجع (CA) برای TLS', "en": 'CA certificate file for TLS'},
    "staff.label.broker.verify_tls": {"fa": 'بررسی گواهی TLS', "en": 'Check the TLS certificate'},
    "staff.label.broker.timeout": {"fa": 'زمان انتظار برای پاسخ', "en": 'Answer time-out'},
    "staff.label.broker.upload_timeout": {"fa": 'زمان انتظار برای ارسال فایل', "en": 'Upload time-out'},
    "staff.label.broker.retries": {"fa": 'تعداد تلاش دوباره', "en": 'Retries'},
    "staff.label.broker.max_response_bytes": {"fa": 'بیشترین اندازهٔ پاسخ', "en": 'Largest answer'},
    "staff.label.broker.endpoints": {"fa": 'مسیرهای جایگزین متدها', "en": 'Method path overrides'},
    "staff.label.broker.flow_id": {"fa": 'شناسهٔ جریان (FlowId)', "en": 'Flow id (FlowId)'},
    "staff.label.broker.token_secret_file": {"fa": 'فایل رمز توکن', "en": 'Token secret file'},
    "staff.label.broker.provider_key_file": {"fa": 'کلید خصوصی بهره\u200cبردار', "en": 'Provider private key'},
    "staff.label.broker.broker_public_key_file": {"fa": 'کلید عمومی سامانهٔ احراز هویت', "en": 'Identity service public key'},
    "staff.label.broker.sign_tokens": {"fa": 'امضای توکن', "en": 'Sign the tokens'},
    "staff.label.broker.callback_url": {"fa": 'نشانی بازگشت (callback)', "en": 'Callback address'},
    "staff.label.broker.token_lifetime": {"fa": 'عمر توکن', "en": 'Token lifetime'},
    "staff.label.broker.call_budget": {"fa": 'بیشترین زمان یک درخواست با همهٔ تلاش\u200cها', "en": 'Longest time for one call, all tries included'},
    "staff.label.broker.signature_encoding": {"fa": 'شکل متنی امضای توکن', "en": 'Text form of the token signature'},
    "staff.label.broker.caller_code_claim": {"fa": 'نام فیلد شناسهٔ جریان در توکن', "en": 'Token field holding the flow id'},
    "staff.label.broker.order_id_claim": {"fa": 'نام فیلد کد پیگیری در توکن', "en": 'Token field holding the tracking code'},
    "staff.label.broker.order_id_format": {"fa": 'شکل کد پیگیری تازه', "en": 'Form of new tracking codes'},
    "staff.label.broker.filter_biometric_data_means": {"fa": 'معنای فیلتر دادهٔ زیست\u200cسنجی', "en": 'Meaning of the biometric data filter'},
    "staff.label.broker.temp_token_verb": {"fa": 'روش HTTP برای توکن موقت', "en": 'HTTP method for the temporary token'},
    "staff.label.broker.video_tries": {"fa": 'شمارش تلاش\u200cهای ویدئو', "en": 'How video tries are counted'},
    "staff.label.broker.admittance_text": {"fa": 'متن تعهد', "en": 'Admittance text'},
    "staff.label.recording.words_per_minute": {"fa": 'سرعت بلندخوانی (واژه در دقیقه)', "en": 'Reading speed (words a minute)'},
    "staff.label.recording.max_seconds": {"fa": 'بیشترین مدت ویدئوی خواندن جمله', "en": 'Longest read-aloud video'},
    "staff.label.tokens.jwt_algorithm": {"fa": 'الگوریتم توکن JWT', "en": 'JWT algorithm'},
    "staff.label.tokens.signature_hash": {"fa": 'درهم\u200cساز امضای توکن', "en": 'Token signature hash'},
    "staff.label.tokens.result_digest": {"fa": 'درهم\u200cساز نتیجه', "en": 'Result digest'},
    "staff.label.tokens.result_signature_hash": {"fa": 'درهم\u200cساز امضای نتیجه', "en": 'Result signature hash'},
    "staff.label.tokens.bearer_algorithm": {"fa": 'الگوریتم توکن دسترسی', "en": 'Bearer token algorithm'},
    "staff.label.tokens.bearer_lifetime": {"fa": 'عمر توکن دسترسی', "en": 'Bearer token lifetime'},
    "staff.label.tokens.clock_skew": {"fa": 'اختلاف ساعت مجاز', "en": 'Allowed clock difference'},
    "staff.label.camera.source": {"fa": 'دوربین', "en": 'Camera'},
    "staff.label.camera.width": {"fa": 'عرض تصویر دوربین', "en": 'Camera width'},
    "staff.label.camera.height": {"fa": 'ارتفاع تصویر دوربین', "en": 'Camera height'},
    "staff.label.camera.fps": {"fa": 'نرخ فریم دوربین', "en": 'Camera frame rate'},
    "staff.label.microphone.source": {"fa": 'میکروفون', "en": 'Microphone'},
    "staff.label.microphone.sample_rate": {"fa": 'نرخ نمونه\u200cبرداری صدا', "en": 'Sound sample rate'},
    "staff.label.quality.max_yaw": {"fa": 'بیشترین چرخش سر به چپ و راست', "en": 'Largest head turn (yaw)'},
    "staff.label.quality.max_pitch": {"fa": 'بیشترین چرخش سر به بالا و پایین', "en": 'Largest head tilt up/down (pitch)'},
    "staff.label.quality.max_roll": {"fa": 'بیشترین کجی سر', "en": 'Largest head tilt sideways (roll)'},
    "staff.label.quality.min_sharpness": {"fa": 'کمترین وضوح تصویر', "en": 'Least sharpness'},
    "staff.label.quality.min_illumination": {"fa": 'کمترین روشنایی چهره', "en": 'Least face brightness'},
    "staff.label.quality.max_illumination": {"fa": 'بیشترین روشنایی چهره', "en": 'Most face brightness'},
    "staff.label.quality.max_overexposed": {"fa": 'بیشترین سهم نور زیاد', "en": 'Most over-exposed share'},
    "staff.label.quality.min_inter_eye_px": {"fa": 'کمترین فاصلهٔ دو چشم', "en": 'Least distance between the eyes'},
    "staff.label.quality.max_face_width_ratio": {"fa": 'بیشترین پهنای چهره در تصویر', "en": 'Largest face width in the picture'},
    "staff.label.quality.max_off_centre": {"fa": 'بیشترین فاصلهٔ چهره از مرکز', "en": 'Largest distance of the face from the centre'},
    "staff.label.quality.steady_seconds": {"fa": 'مدت ثابت ماندن پیش از عکس', "en": 'Steady time before the photo'},
    "staff.label.quality.jpeg_quality": {"fa": 'کیفیت JPEG عکس چهره', "en": 'JPEG quality of the face photo'},
    "staff.label.signature.touch_pad": {"fa": 'امضا روی صفحهٔ لمسی', "en": 'Signing on the touch screen'},
    "staff.label.recording.seconds": {"fa": 'مدت ویدئو', "en": 'Video length'},
    "staff.label.recording.max_bytes": {"fa": 'بیشترین اندازهٔ ویدئو', "en": 'Largest video'},
    "staff.label.recording.video_bitrate": {"fa": 'نرخ بیت ویدئو', "en": 'Video bit rate'},
    "staff.label.recording.codec": {"fa": 'کدک ویدئو', "en": 'Video codec'},
    "staff.label.recording.min_voiced_ratio": {"fa": 'کمترین سهم گفتار', "en": 'Least share of speech'},
    "staff.label.recording.min_voiced_seconds": {"fa": 'کمترین مدت گفتار', "en": 'Least seconds of speech'},
    "staff.label.recording.min_speech_dbfs": {"fa": 'کمترین بلندی صدا', "en": 'Quietest speech'},
    "staff.label.recording.max_clipped_ratio": {"fa": 'بیشترین سهم صدای بریده', "en": 'Most clipped sound'},
    "staff.label.recording.vad_floor_dbfs": {"fa": 'آستانهٔ سکوت', "en": 'Silence threshold'},
    "staff.label.recording.max_face_absent_seconds": {"fa": 'بیشترین مدت نبودن چهره', "en": 'Longest time without the face'},
    "staff.label.ui.language": {"fa": 'زبان هنگام شروع', "en": 'Language at start'},
    "staff.label.ui.fullscreen": {"fa": 'تمام\u200cصفحه', "en": 'Full screen'},
    "staff.label.session.idle_timeout": {"fa": 'زمان بیکاری تا پایان جلسه', "en": 'Idle time before the session ends'},
    "staff.label.staff.idle_timeout": {"fa": 'زمان بیکاری تا قفل شدن میز کارکنان', "en": 'Idle time before the staff console locks'},
    "staff.label.session.history_days": {"fa": 'روزهای نگهداری فهرست جلسه\u200cها', "en": 'Days the sessions list is kept'},
    "staff.label.staff.pin_hash": {"fa": 'رمز کارکنان', "en": 'Staff PIN'},
    "staff.label.logging.level": {"fa": 'سطح گزارش\u200cنویسی', "en": 'Log level'},
    "staff.console.close": {"fa": 'بستن', "en": 'Close'},
    # -- face pre-check instructions (kiosk.quality.instructions)
    "face.ok": {"fa": "عالی است. همین‌طور بمانید.", "en": "Good. Stay just like that."},
    "face.no_face": {"fa": "صورت شما دیده نمی‌شود. لطفاً روبه‌روی دوربین قرار بگیرید.",
                     "en": "Your face cannot be seen. Please stand in front of the camera."},
    "face.multiple_faces": {"fa": "بیش از یک چهره دیده می‌شود. لطفاً به‌تنهایی جلوی دوربین بمانید.",
                            "en": "More than one face is in the picture. Please be alone in front of the camera."},
    "face.come_closer": {"fa": "کمی نزدیک‌تر بیایید.", "en": "Come a little closer."},
    "face.move_back": {"fa": "کمی عقب‌تر بروید.", "en": "Move back a little."},
    "face.centre": {"fa": "صورت خود را در وسط کادر قرار دهید.", "en": "Put your face in the middle of the oval."},
    "face.cut_off": {"fa": "تمام صورت شما باید در تصویر باشد. کمی به وسط بیایید.",
                     "en": "Your whole face must be in the picture. Move towards the middle."},
    "face.turn_left": {"fa": "سر خود را کمی به سمت چپِ خودتان بچرخانید.", "en": "Turn your head a little to your left."},
    "face.turn_right": {"fa": "سر خود را کمی به سمت راستِ خودتان بچرخانید.", "en": "Turn your head a little to your right."},
    "face.head_up": {"fa": "سر خود را کمی بالا بیاورید.", "en": "Raise your chin a little."},
    "face.head_down": {"fa": "سر خود را کمی پایین بیاورید.", "en": "Lower your chin a little."},
    "face.straighten": {"fa": "سر خود را صاف نگه دارید و به یک طرف خم نکنید.",
                        "en": "Keep your head straight, not tilted to one side."},
    "face.too_dark": {"fa": "نور صورت شما کم است. به جای روشن‌تری بروید یا چراغ را روشن کنید.",
                      "en": "Your face is too dark. Move to a brighter place or turn on a light."},
    "face.too_bright": {"fa": "نور روی صورت شما زیاد است. از نور مستقیم دور شوید.",
                        "en": "Too much light on your face. Move away from direct light."},
    "face.hold_still": {"fa": "تصویر تار است. لطفاً بی‌حرکت بمانید.", "en": "The picture is blurred. Please hold still."},
    "face.open_eyes": {"fa": "لطفاً چشم‌های خود را باز نگه دارید.", "en": "Please keep your eyes open."},
    "face.uncover": {"fa": "لطفاً دست، ماسک یا هر چیزی را که جلوی صورتتان است کنار بزنید. چشم‌ها، بینی، دهان و چانه باید دیده شوند.",
                     "en": "Please take your hand, mask or anything else away from your face. Your eyes, nose, mouth and chin must be seen."},
    "face.not_measured": {"fa": "صورت شما به‌خوبی دیده نمی‌شود. مستقیم به دوربین نگاه کنید و بی‌حرکت بمانید.",
                          "en": "Your face cannot be seen clearly. Look straight at the camera and hold still."},
    "quality.model_missing": {"fa": "فایل مدل تشخیص چهره پیدا نشد یا خراب است. کیوسک را دوباره نصب کنید.",
                              "en": "The face-detection model file is missing or damaged. Reinstall the kiosk."},
    "quality.bad_image": {"fa": "تصویر خوانده نشد.", "en": "The picture could not be read."},
    # -- (kiosk/core/staff_pin.py)
    "pin.format": {"fa": 'رمز کارکنان باید ۶ تا ۱۲ رقم باشد و فقط عدد داشته باشد.', "en": 'The staff PIN must be 6 to 12 digits, numbers only.'},
    "pin.weak": {"fa": 'این رمز به\u200cآسانی حدس زده می\u200cشود (همهٔ رقم\u200cها یکی یا پشت سر هم)؛ رمز دیگری برگزینید.', "en": 'This PIN is easily guessed (all one digit, or a straight run); choose another.'},
    "pin.wrong": {"fa": 'رمز نادرست است.', "en": 'Wrong PIN.'},
    "pin.locked": {"fa": 'چند بار رمز نادرست وارد شد؛ قفل است، {seconds} ثانیه دیگر دوباره امتحان کنید.', "en": 'Too many wrong PINs: locked, try again in {seconds} s.'},
    "pin.not_set": {"fa": 'رمز کارکنان تعیین نشده است؛ کارشناس فناوری باید روی این رایانه دستور «kiosk set-pin» را اجرا کند.', "en": "No staff PIN is set; IT must run 'kiosk set-pin' on this computer."},
    "pin.too_short": {"fa": 'این رمز برای کار با سامانهٔ احراز هویت واقعی کوتاه است؛ کارشناس فناوری باید با دستور «kiosk set-pin» رمز ۶ رقمی یا بلندتری بگذارد.', "en": "This PIN is too short for a real broker; IT must set one of 6 or more digits with 'kiosk set-pin'."},
    "pin.demo": {"fa": 'حالت نمایشی: رمز کارکنان ۱۲۳۴ است.', "en": 'Demo mode: the staff PIN is 1234.'},
    # -- (kiosk/quality/image_limits.py)
    "image.unreadable": {"fa": 'تصویر خوانا نیست.', "en": 'The picture cannot be read.'},
    "image.too_large": {"fa": 'تصویر بیش از اندازه بزرگ است ({width}×{height}).', "en": 'The picture is too large ({width}x{height}; at most 50 megapixels).'},
    "image.file_too_large": {"fa": 'پروندهٔ تصویر بیش از اندازه بزرگ است.', "en": 'The picture file is too large.'},
}


def section(*prefixes: str) -> dict[str, dict[str, str]]:
    """The entries whose keys start with one of ``prefixes`` (a module's own sentences, kept here)."""
    return {k: v for k, v in MESSAGES.items() if k.startswith(prefixes)}


def has(key: str | None) -> bool:
    """True when ``key`` has a sentence."""
    return bool(key) and key in MESSAGES


def t(key: str, lang: str = "fa", **kw: object) -> str:
    """The sentence for ``key`` in ``lang`` (``fa`` or ``en``; other languages fall back to
    English), formatted with ``kw``. Numbers in ``kw`` are written with Persian digits and
    separators in ``fa``. A key with no sentence is a bug (``tests/unit/test_catalogue.py`` looks
    for every key the code names): it is logged, and the staff read the "unexpected error"
    sentence, never a raw key."""
    entry = MESSAGES.get(key)
    if entry is None:
        log.error("no sentence for the key %r", key)
        entry = MESSAGES[FALLBACK_KEY]
    text = entry.get(lang) or entry["en"]
    if not kw:
        return text
    args = {k: (format_number(v, lang) if isinstance(v, Real) and not isinstance(v, bool) else v)
            for k, v in kw.items()}
    try:
        return text.format(**args)
    except (KeyError, IndexError, ValueError):
        log.error("the sentence %r does not take the values given", key)
        return text
