"""The staff console's sentences, in Persian and English (the console is for branch staff and IT,
and follows the kiosk's current language)."""
from __future__ import annotations

T: dict[str, tuple[str, str]] = {
    "console.title": ("میز کارکنان", "Staff console"),
    "tab.settings": ("تنظیمات", "Settings"),
    "tab.selftest": ("آزمون دستگاه", "Self-test"),
    "tab.sessions": ("جلسه‌های امروز", "Today's sessions"),
    "tab.lookup": ("پیگیری نتیجه", "Result lookup"),
    # settings
    "settings.save": ("ذخیره", "Save"),
    "settings.revert": ("بازگرداندن", "Revert"),
    "settings.saved": ("تنظیمات ذخیره شد.", "Settings saved."),
    "settings.saved_none": ("تغییری برای ذخیره نبود.", "Nothing changed."),
    "settings.errors": ("برخی مقادیر نادرست است؛ خطاها کنار هر خانه نوشته شده است. چیزی ذخیره نشد.",
                        "Some values are wrong; the errors are shown at each field. Nothing was saved."),
    "settings.save_failed": ("ذخیرهٔ پروندهٔ تنظیمات نشد: {error}", "The settings file could not be written: {error}"),
    "settings.env": ("با متغیر محیطی {name} تعیین شده و اینجا تغییر نمی‌کند.",
                     "Set by the environment variable {name}; it cannot be changed here."),
    "settings.yes": ("بله", "Yes"),
    "settings.file": ("پروندهٔ تنظیمات: {path}", "Settings file: {path}"),
    "pin.new": ("رمز تازهٔ کارکنان", "New staff PIN"),
    "pin.repeat": ("تکرار رمز تازه", "Repeat the new PIN"),
    "pin.help": ("۶ تا ۱۲ رقم، نه همه یکی و نه پشت سر هم. خالی بگذارید تا رمز فعلی بماند. رمز فقط به صورت "
                 "هش کُند و چاشنی‌دار ذخیره می‌شود.",
                 "6 to 12 digits, not all one digit nor a straight run. Leave empty to keep the current PIN. "
                 "The PIN is stored only as a slow, peppered hash."),
    "pin.mismatch": ("دو رمز یکسان نیست.", "The two PINs differ."),
    "pin.is_set": ("رمز کارکنان تعیین شده است.", "A staff PIN is set."),
    "pin.not_set": ("رمز کارکنان تعیین نشده است (رمز نمایشی در کار است).", "No staff PIN is set (the demo PIN is in use)."),
    "section.broker": ("کارگزار", "Broker"),
    "section.tokens": ("توکن‌ها و امضاها", "Tokens and signatures"),
    "section.camera": ("دوربین", "Camera"),
    "section.microphone": ("میکروفون", "Microphone"),
    "section.quality": ("کیفیت چهره", "Face quality"),
    "section.recording": ("ضبط ویدئو", "Video recording"),
    "section.ui": ("نمایش", "Display"),
    "section.session": ("جلسه", "Session"),
    "section.staff": ("کارکنان", "Staff"),
    "section.logging": ("گزارش‌نویسی", "Logging"),
    # self-test
    "selftest.run": ("اجرای آزمون", "Run the self-test"),
    "selftest.cancel": ("توقف", "Stop"),
    "selftest.running": ("در حال آزمون… (دوربین و میکروفون هر کدام حدود یک ثانیه)",
                         "Testing… (about one second each for camera and microphone)"),
    "selftest.passed": ("همهٔ بررسی‌ها درست بود.", "Every check passed."),
    "selftest.failed": ("{n} بررسی نادرست بود؛ راه حل کنار هر کدام نوشته شده است.",
                        "{n} check(s) failed; each says what to fix."),
    "selftest.crashed": ("آزمون با خطا متوقف شد: {error}", "The self-test stopped with an error: {error}"),
    # sessions
    "sessions.refresh": ("تازه‌سازی", "Refresh"),
    "sessions.export": ("خروجی CSV…", "Export CSV…"),
    "sessions.exported": ("{n} جلسه در {path} ذخیره شد.", "{n} session(s) written to {path}."),
    "sessions.export_failed": ("خروجی ساخته نشد: {error}", "The export failed: {error}"),
    "sessions.count": ("امروز {n} جلسه؛ بدون هیچ دادهٔ شخصی.", "{n} session(s) today; no personal data is kept."),
    "col.order_id": ("شمارهٔ سفارش", "Order id"),
    "col.started": ("شروع", "Started"),
    "col.ended": ("پایان", "Ended"),
    "col.steps": ("مرحله‌های انجام‌شده", "Steps done"),
    "col.verdict": ("نتیجه", "Verdict"),
    "col.error_codes": ("کدهای خطا", "Error codes"),
    "col.retries": ("تلاش دوباره", "Retries"),
    # lookup
    "lookup.order": ("شمارهٔ سفارش", "Order id"),
    "lookup.national": ("کد ملی (اختیاری)", "National code (optional)"),
    "lookup.go": ("پیگیری", "Look up"),
    "lookup.media": ("نمایش تصویر و صدا", "Show pictures and sound"),
    "lookup.busy": ("در حال پرسش از کارگزار…", "Asking the broker…"),
    "lookup.need_order": ("شمارهٔ سفارش را بنویسید.", "Type the order id."),
    "lookup.verified": ("امضای پاسخ کارگزار تأیید شد.", "The broker's answer signature verified."),
    "lookup.status": ("وضعیت: {status} ({request})", "Status: {status} ({request})"),
    "lookup.national_shown": ("کد ملی: {code}", "National code: {code}"),
    "lookup.errors": ("خطاهای ثبت‌شده: {errors}", "Errors recorded: {errors}"),
    "lookup.no_media": ("کارگزار تصویر یا صدایی نفرستاد (یا بهره‌بردار اجازهٔ آن را ندارد).",
                        "The broker sent no pictures or sound (or the provider may not receive them)."),
    "lookup.save": ("ذخیرهٔ {what}…", "Save the {what}…"),
    "lookup.play": ("پخش گفتار", "Play the speech"),
    "lookup.saved": ("در {path} ذخیره شد (فقط برای این حساب کاربری خوانا). این پرونده دادهٔ زیست‌سنجی شخص است و "
                     "کیوسک آن را پاک نمی‌کند: پس از کار، خودتان آن را پاک کنید.",
                     "Saved to {path} (readable by this account only). This file holds a person's biometric data "
                     "and the kiosk will not wipe it: delete it yourself when done."),
    "media.selfie": ("عکس سلفی", "selfie"),
    "media.signature": ("امضا", "signature"),
    "media.video": ("ویدئو", "video"),
    "media.speech": ("گفتار", "speech"),
    "score.part": ("بخش", "Part"),
    "score.verification": ("تطبیق چهره", "Face match"),
    "score.score": ("امتیاز / آستانه", "Score / threshold"),
    "score.liveness": ("زنده بودن", "Liveness"),
    "score.quality": ("وضوح / روشنایی", "Sharpness / light"),
    "score.pose": ("چرخش سر (yaw/pitch/roll)", "Head pose (yaw/pitch/roll)"),
    "part.selfie": ("سلفی", "Selfie"),
    "part.video": ("ویدئو", "Video"),
    "part.speech": ("گفتار", "Speech"),
}


def staff_text(key: str, lang: str = "fa", **kw) -> str:
    fa, en = T[key]
    text = fa if lang == "fa" else en
    return text.format(**kw) if kw else text


def fa_digits(text) -> str:
    return str(text).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))


def num(value, lang: str, decimals: int | None = None) -> str:
    if value is None:
        return "—"
    text = f"{float(value):.{decimals}f}" if decimals is not None else str(value)
    return fa_digits(text).replace(".", "٫") if lang == "fa" else text
