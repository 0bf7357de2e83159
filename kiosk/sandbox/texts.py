"""What the sandbox broker says: error messages (Persian and English, as ``ProviderLanguage``
chooses), success messages, and the random sentences and words of GetRandomText.

The Persian sentences follow the original's samples where it has them ("توکن معتبر نمی باشد",
"امضای بهره بردار معتبر نمی باشد", ...)."""
from __future__ import annotations

# code -> (Persian ErrorMessage, English ErrorMessage, TechnicalMessage)
ERRORS: dict[int, tuple[str, str, str]] = {
    0: ("خطای ناشناخته", "Unknown error", "Unknown error"),
    1: ("این عملیات پیاده‌سازی نشده است", "This operation is not implemented", "Not implemented!"),
    3: ("درخواست نامعتبر است", "The request is not valid", "Bad request!"),
    1001: ("تصویر مرجع یافت نشد", "The registry photo was not found", "Gallery image not found!"),
    1002: ("تصویر سلفی یافت نشد", "The selfie was not found", "Prob image not found!"),
    1003: ("ویدئو یافت نشد", "The video was not found", "Video not found!"),
    1004: ("فایل صوتی یافت نشد", "The speech file was not found", "Speech file not found!"),
    1101: ("اطلاعات ارسالی در بدنه درخواست نامعتبر است", "The data in the request body is not valid",
           "Invalid input data in request body!"),
    1102: ("پارامترهای درخواست نامعتبر است", "The request parameters are not valid",
           "Invalid input data in request params!"),
    1103: ("رمز عبور لازم است", "A password is needed", "Password needed!"),
    1201: ("این توکن قبلا ثبت شده است", "This token was already registered", "Duplicate token!"),
    1202: (".کد بهره بردار مشخص نشده است", "The service provider is not known", "Service Provider not exists"),
    1203: ("کد ملی نامعتبر است", "The national code is not valid", "Invalid national code!"),
    1204: ("شماره تلفن همراه نامعتبر است", "The mobile number is not valid", "Invalid phone number!"),
    1205: ("شناسه درخواست نامعتبر است", "The order id is not valid", "Invalid order id!"),
    1206: ("آدرس بازگشت نامعتبر است", "The callback URL is not valid", "Invalid callback URL!"),
    1207: ("تاریخ تولد نامعتبر است", "The birth date is not valid", "Invalid birth date!"),
    1208: ("نوع استعلام نامعتبر است", "The inquiry type is not valid", "Invalid inquiry type!"),
    1209: ("توکن منقضی شده است", "The token has expired", "Token expired!"),
    1210: ("خطا در تغییر وضعیت توکن", "The token's status could not be changed", "Change status error!"),
    1211: (".توکن معتبر نمی باشد", "The token is not valid", "Token is not valid!"),
    1212: ("وضعیت توکن برای این عملیات معتبر نیست", "The token's status does not allow this operation",
           "Invalid token status!"),
    1213: ("امضای بهره بردار معتبر نمی باشد", "The service provider's signature is not valid",
           "Service Provider's signature is not valid!"),
    1214: ("امضای توکن برای این بهره بردار درخواست نشده است", "This provider does not send token signatures",
           "Provider signature not requested!"),
    1215: ("الگوریتم امضای توکن نامعتبر است", "The token's signature algorithm is not valid",
           "Invalid signature algorithm!"),
    1216: ("سریال کارت ملی نامعتبر است", "The national card serial is not valid", "Invalid card serial no!"),
    1217: ("متن اقرار نامعتبر است", "The admittance text is not valid", "Invalid admittance!"),
    1218: ("خطا در ثبت توکن", "The token could not be stored", "Error in token insertion to DB!"),
    1219: ("اعتبار قرارداد بهره بردار به پایان رسیده است", "The service provider's contract has expired",
           "Service Provider expired!"),
    1220: ("تعداد تلاش مجاز به پایان رسیده است", "No tries are left for this step", "Max try count reached!"),
    1221: ("کد فراخوان نامعتبر است", "The caller code is not valid", "Invalid caller code!"),
    1222: ("توکن مورد نظر قبلاً لغو گردیده است", "The token was already cancelled", "Token Aborted before!"),
    1223: ("توکن مورد نظر قبلاً تایید شده است", "The token was already verified", "Token already accepted!"),
    1224: ("کد ملی در ثبت احوال یافت نشد", "The national code is not in the civil registry",
           "National code not exists!"),
    1501: ("بهره بردار مجوز احراز آفلاین را ندارد", "The provider may not verify offline",
           "This provider hasn't permission for offline verification!"),
    1502: ("بهره بردار مجوز ثبت ویدئو را ندارد", "The provider may not send videos",
           "This provider hasn't permission to save video!"),
    1503: ("بهره بردار مجوز استعلام تصویر مرجع را ندارد", "The provider may not query the registry photo",
           "This provider hasn't permission to inquiry gallery!"),
    1504: ("بهره بردار مجوز ثبت امضا را ندارد", "The provider may not send signatures",
           "This provider hasn't permission to save signature!"),
    1505: ("بهره بردار مجوز ثبت تصویر سلفی را ندارد", "The provider may not send selfies",
           "This provider hasn't permission to save prob image!"),
    1506: ("بهره بردار موردنظر مجوز ثبت ویدئو با متن سفارشی را ندارد",
           "The provider may not send admittance videos",
           "This provider hasn't permission to save admittance video!"),
    1507: ("دسترسی مدیر وجود ندارد", "Administrator access is needed", "Admin access permission!"),
    1508: ("دسترسی وجود ندارد", "Access denied", "Access denied!"),
    1601: ("چهره در تصویر استخراج نشد", "No face could be extracted", "Extraction error!"),
    1602: ("خطا در تطبیق چهره", "Face verification failed", "Verification error!"),
    1603: ("تصویر جعلی تشخیص داده شد", "A spoof was detected", "Spoof error!"),
    1604: ("فایل ویدئو نامعتبر است", "The video file is not valid", "Video error!"),
    1605: ("صدای متقاضی از ویدئو استخراج نشد", "No speech could be taken from the video", "Speech error!"),
    1606: ("متن تصادفی نامعتبر است", "The random text is not valid", "Random text error!"),
    1901: ("بهره بردار مجوز دریافت این مستند را ندارد", "The provider may not send this document",
           "This provider hasn't permission to save this document!"),
    2001: ("احراز هویت دو عاملی نامعتبر است", "The dual-auth token is not valid", "Dual authentication invalid!"),
    2002: ("دسترسی غیرمجاز", "Unauthorized", "Unauthorized!"),
    2003: ("محدوده دسترسی مشخص نشده است", "The scope is missing", "Scope is null or empty!"),
    2101: ("اعتبار بهره بردار به پایان رسیده است", "The provider has no credit left", "No credit!"),
}

OPERATION_FAILED = {"fa": "خطا در عملیات", "en": "Operation failed"}
CITIZEN_NOT_FOUND = ("هیچ اطلاعاتی با این توکن یافت نشد", "No data was found for this token",
                     "Token or caller code not exists!")

# success messages: key -> (fa, en)
MESSAGES: dict[str, tuple[str, str]] = {
    "temp_token": ("توکن موقت با موفقیت تولید شد", "The temporary token was generated"),
    "token_registered": ("توکن با موفقیت ثبت شد", "The token was registered"),
    "token_valid_until": ("توکن موردنظر تا تاریخ {when} معتبر است", "The token is valid until {when}"),
    "provider": ("اطلاعات بهره بردار با موفقیت از پایگاه داده دریافت شد", "The provider's properties were read"),
    "signature": ("امضا با موفقیت دریافت شد", "The signature was received"),
    "selfie_ok": ("تصویر دریافت و با موفقیت تطبیق داده شد", "The selfie was received and matched"),
    "selfie_failed": ("تصویر دریافت شد اما تطبیق موفق نبود", "The selfie was received but did not pass"),
    "video_ok": ("ویدئو دریافت و با موفقیت تطبیق داده شد", "The video was received and matched"),
    "video_failed": ("ویدئو دریافت شد اما تطبیق موفق نبود", "The video was received but did not pass"),
    "done": ("عملیات با موفقیت انجام شد", "The operation succeeded"),
    "document": ("سند مورد نظر با موفقیت دریافت شد", "The document was received"),
    "verified": ("احراز هویت با موفقیت انجام شد.", "The identity was verified."),
    "not_complete": ("فرآیند احراز هویت به صورت کامل طی نشده است.", "The verification was not completed."),
    "aborted": ("عملیات احراز هویت توسط کاربر لغو شد.", "The verification was cancelled by the user."),
    "not_found": ("مسیر درخواست یافت نشد", "No such broker method"),
    "sandbox_fault": ("خطای شبیه‌سازی شده سرور", "Simulated server fault"),
}

ABORT_REASON = ("عملیات احراز هویت توسط کاربر لغو شد -600", "The verification was cancelled by the user -600")

SENTENCES: tuple[str, ...] = (
    "بوق ماشین ما خراب شده است",
    "آزاده نامه ای به من داد",
    "این کشاورز وانت دارد",
    "امروز هوا آفتابی و دلپذیر است",
    "کتاب را روی میز گذاشتم",
    "برادرم هر روز صبح ورزش می کند",
    "نان تازه از نانوایی خریدیم",
    "باغ ما پر از درخت سیب است",
    "قطار ساعت هشت حرکت می کند",
    "مادربزرگ برای ما قصه گفت",
    "دانش آموزان در کلاس درس می خوانند",
    "رودخانه از کنار روستا می گذرد",
    "پدرم در بانک کار می کند",
    "گربه زیر سایه درخت خوابیده است",
    "فردا به دیدن دوستم می روم",
    "چای داغ را در استکان ریختم",
    "کوه دماوند بلندترین کوه ایران است",
    "بچه ها در پارک بازی می کنند",
    "نامه را با پست سفارشی فرستادم",
    "باران پاییزی خیابان را شست",
)

WORDS: tuple[str, ...] = (
    "سیب", "کتاب", "دریا", "آسمان", "پنجره", "درخت", "خورشید", "مداد", "گل", "کوه",
    "باران", "ستاره", "قلم", "خانه", "دوست", "نان", "آب", "شهر", "باغ", "ماه",
)


def error_texts(code: int, lang: str) -> tuple[str, str]:
    """(ErrorMessage in the provider's language, TechnicalMessage)."""
    fa, en, tech = ERRORS.get(int(code), ERRORS[0])
    return (en if lang == "en" else fa), tech


def message(key: str, lang: str, **fmt) -> str:
    fa, en = MESSAGES[key]
    text = en if lang == "en" else fa
    return text.format(**fmt) if fmt else text
