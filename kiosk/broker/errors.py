"""Everything that can go wrong talking to the broker, as typed exceptions with sentences a
branch staff member can act on, in Persian and English.

* ``BrokerError`` is the base: ``.code`` (the broker's ``ExceptionCode`` or ``None``),
  ``.http_status``, ``.broker_message`` (the broker's own ``ErrorMessage``), ``.technical`` (an
  English detail for the log; never personal data) and ``.sentence(lang)``.
* ``BrokerRefused``: the broker ran the call and refused it (``ResponseCode`` 1, or 2 where a
  failure is not a result).
* ``BrokerUnauthorized``: HTTP 401, ``ResponseCode`` 401, or codes 2001-2003.
* ``ProtocolError``: an answer the kiosk cannot trust or read (not JSON, an HTML page, no
  envelope, truncated, too big, wrong types).
* ``TransportError``: no answer (connection refused or reset, DNS, time-out, TLS, 502/503/504).
* ``SignatureInvalid``: a signed answer (methods 15-20) that does not verify.
* ``UploadUncertain``: a media upload whose outcome is unknown because the connection died after
  the file was sent. It is never retried silently: a resend may cost one of the applicant's
  tries, so the caller decides.

``CATALOGUE`` has one ``ErrorInfo`` per ``ExceptionCode``; ``describe`` copes with codes a newer
broker may add.
"""
from __future__ import annotations

from dataclasses import dataclass

from kiosk.broker.codes import ExceptionCode
from kiosk.errors import KioskError

# What the staff member should do next (the UI may pick a button from it).
FIX_INPUT = "fix_input"  # correct the applicant's details and register again
RETAKE = "retake"  # capture the media again (costs a try)
RETRY = "retry"  # the same call again later
NEW_SESSION = "new_session"  # this token is finished: start a new session
END_SESSION = "end_session"  # the applicant cannot pass here today
SKIP_STEP = "skip_step"  # the provider may not do this step
CHECK_SETTINGS = "check_settings"  # the kiosk's broker settings or keys are wrong
CALL_SUPPORT = "call_support"  # nothing the branch can do
CHECK_STATE = "check_state"  # find out what the broker has before sending again


@dataclass(frozen=True)
class ErrorInfo:
    code: int
    name: str
    fa: str
    en: str
    retryable: bool
    staff_action: str

    def sentence(self, lang: str = "fa") -> str:
        return self.fa if lang == "fa" else self.en


def _e(code: ExceptionCode, fa: str, en: str, retryable: bool, action: str) -> ErrorInfo:
    return ErrorInfo(int(code), code.name, fa, en, retryable, action)


C = ExceptionCode
_BANKS = {
    C.ResponseError_Tejarat: ("بانک تجارت", "Bank Tejarat"),
    C.ResponseError_Saderat: ("بانک صادرات", "Bank Saderat"),
    C.ResponseError_DIBA: ("دیبا", "DIBA"),
    C.ResponseError_Shahr: ("بانک شهر", "Bank Shahr"),
    C.ResponseError_Notary: ("سامانه ثبت اسناد", "the notary registry"),
    C.ResponseError_Refah: ("بانک رفاه", "Bank Refah"),
    C.ResponseError_FinoTech: ("فینوتک", "FinoTech"),
    C.ResponseError_Keshavarzi: ("بانک کشاورزی", "Bank Keshavarzi"),
}

_ENTRIES: list[ErrorInfo] = [
    _e(C.unknown, "سامانهٔ احراز هویت خطای نامشخصی گزارش کرد. یک بار دیگر تلاش کنید؛ اگر تکرار شد با پشتیبانی تماس بگیرید.",
       "The broker reported an unspecified error. Try once more; if it happens again, call support.", True, RETRY),
    _e(C.NotImplemented, "این عملیات در سامانهٔ احراز هویت فعال نیست. با پشتیبانی تماس بگیرید؛ ممکن است نرم‌افزار کیوسک نیاز به به‌روزرسانی داشته باشد.",
       "The broker does not offer this operation. Call support; the kiosk software may need an update.", False, CALL_SUPPORT),
    _e(C.BadRequest, "سامانهٔ احراز هویت درخواست را نادرست دانست و نپذیرفت. با کد پیگیری با پشتیبانی تماس بگیرید.",
       "The broker refused the request as malformed. Call support with the order number.", False, CALL_SUPPORT),
    _e(C.GalleryImageNotFound, "عکس مرجع این شخص در ثبت احوال پیدا نشد، پس چهره قابل تطبیق نیست. متقاضی باید عکس خود را در ثبت احوال به‌روز کند؛ جلسه را پایان دهید.",
       "No registry photo of this person was found, so the face cannot be matched. The applicant must update their photo at the civil registry; end the session.", False, END_SESSION),
    _e(C.ProbImageNotFound, "سامانهٔ احراز هویت عکس سلفی این جلسه را ندارد. عکس سلفی را دوباره بگیرید.",
       "The broker has no selfie for this session. Take the selfie again.", False, RETAKE),
    _e(C.VideoNotFound, "سامانهٔ احراز هویت ویدئوی این جلسه را ندارد. ویدئو را دوباره ضبط کنید.",
       "The broker has no video for this session. Record the video again.", False, RETAKE),
    _e(C.SpeechFileNotFound, "سامانهٔ احراز هویت صدای متقاضی را در ویدئو پیدا نکرد. در جای آرام‌تر و با صدای واضح دوباره ضبط کنید و میکروفون را بررسی کنید.",
       "The broker found no voice in the video. Check the microphone and record again in a quieter spot, speaking clearly.", False, RETAKE),
    _e(C.InvalidInputData_RequestBody, "سامانهٔ احراز هویت داده‌های ارسالی را نتوانست بخواند. دوباره تلاش کنید؛ اگر تکرار شد با پشتیبانی تماس بگیرید.",
       "The broker could not read the data sent. Try again; if it happens again, call support.", True, RETRY),
    _e(C.InvalidInputData_RequestParams, "سامانهٔ احراز هویت پارامترهای درخواست را نپذیرفت. دوباره تلاش کنید؛ اگر تکرار شد با پشتیبانی تماس بگیرید.",
       "The broker refused the request's parameters. Try again; if it happens again, call support.", True, RETRY),
    _e(C.InvalidInputData_PasswordNeeded, "سامانهٔ احراز هویت رمزی می‌خواهد که در تنظیمات کیوسک نیست. با پشتیبانی تماس بگیرید تا تنظیمات سامانهٔ احراز هویت بررسی شود.",
       "The broker asks for a password the kiosk does not have. Call support to check the kiosk's broker settings.", False, CHECK_SETTINGS),
    _e(C.DuplicateToken, "این جلسه قبلاً در سامانهٔ احراز هویت ثبت شده است. یک جلسه جدید شروع کنید.",
       "This session was already registered with the broker. Start a new session.", False, NEW_SESSION),
    _e(C.InvalidServiceProvider, "سامانهٔ احراز هویت کد بهره‌بردار (FlowId) این کیوسک را نمی‌شناسد. FlowId را در تنظیمات سامانهٔ احراز هویت بررسی کنید یا با پشتیبانی تماس بگیرید.",
       "The broker does not know this kiosk's provider code (FlowId). Check the FlowId in the broker settings or call support.", False, CHECK_SETTINGS),
    _e(C.InvalidNationalCode, "کد ملی پذیرفته نشد. ارقام را با کارت ملی متقاضی مقایسه و اصلاح کنید.",
       "The national code was not accepted. Check the digits against the applicant's card and correct it.", False, FIX_INPUT),
    _e(C.InvalidPhoneNumber, "شماره موبایل پذیرفته نشد. آن را بررسی کنید (۱۱ رقم، با ۰۹ شروع می‌شود) و اصلاح کنید.",
       "The mobile number was not accepted. Check it (11 digits starting with 09) and correct it.", False, FIX_INPUT),
    _e(C.InvalidOrderId, "کد پیگیری پذیرفته نشد. یک جلسه جدید شروع کنید؛ اگر تکرار شد با پشتیبانی تماس بگیرید.",
       "The order number was not accepted. Start a new session; if it happens again, call support.", False, NEW_SESSION),
    _e(C.InvalidCallbackURL, "سامانهٔ احراز هویت نشانی بازگشت (callback) کیوسک را نپذیرفت. تنظیم broker.callback_url را بررسی کنید.",
       "The broker refused the kiosk's callback address. Check the broker.callback_url setting.", False, CHECK_SETTINGS),
    _e(C.InvalidBirthDate, "تاریخ تولد پذیرفته نشد. آن را با کارت ملی (سال/ماه/روز شمسی) مقایسه و اصلاح کنید.",
       "The birth date was not accepted. Check it against the card (Jalali year/month/day) and correct it.", False, FIX_INPUT),
    _e(C.InvalidInquiryType, "سامانهٔ احراز هویت نوع استعلام را نپذیرفت. با پشتیبانی تماس بگیرید تا تنظیمات بهره‌بردار بررسی شود.",
       "The broker refused the inquiry type. Call support to check the provider settings.", False, CALL_SUPPORT),
    _e(C.TokenExpired, "مهلت این جلسه در سامانهٔ احراز هویت تمام شده است. یک جلسه جدید شروع کنید.",
       "This session has expired at the broker. Start a new session.", False, NEW_SESSION),
    _e(C.ChangeStatusError, "سامانهٔ احراز هویت نتوانست وضعیت جلسه را به‌روز کند. کمی صبر کنید و دوباره تلاش کنید؛ اگر تکرار شد جلسه جدید شروع کنید.",
       "The broker could not update the session's state. Wait a moment and try again; if it happens again, start a new session.", True, RETRY),
    _e(C.TokenNotExists, "سامانهٔ احراز هویت این جلسه را نمی‌شناسد یا دیگر معتبر نیست. یک جلسه جدید شروع کنید.",
       "The broker does not know this session or it is no longer valid. Start a new session.", False, NEW_SESSION),
    _e(C.InvalidTokenStatus, "این جلسه در وضعیتی نیست که این مرحله را بپذیرد (ممکن است لغو یا بسته شده باشد). یک جلسه جدید شروع کنید.",
       "This session cannot take this step now (it may have been cancelled or closed). Start a new session.", False, NEW_SESSION),
    _e(C.InvalidProviderSignature, "سامانهٔ احراز هویت امضای کیوسک را نپذیرفت: کلید بهره‌بردار کیوسک با کلیدی که سامانهٔ احراز هویت دارد یکی نیست. با پشتیبانی تماس بگیرید.",
       "The broker did not accept the kiosk's signature: the kiosk's provider key does not match the broker's copy. Call support.", False, CHECK_SETTINGS),
    _e(C.ProviderSignatureNotRequested, "سامانهٔ احراز هویت از این بهره‌بردار امضا نمی‌خواهد. در تنظیمات، ارسال امضای توکن (broker.sign_tokens) را خاموش کنید.",
       "The broker does not expect a signature from this provider. Turn off broker.sign_tokens in the settings.", False, CHECK_SETTINGS),
    _e(C.InvalidSignatureAlgorithm, "سامانهٔ احراز هویت الگوریتم امضای کیوسک را نمی‌پذیرد. تنظیم tokens.signature_hash را بررسی کنید یا با پشتیبانی تماس بگیرید.",
       "The broker does not accept the kiosk's signature algorithm. Check the tokens.signature_hash setting or call support.", False, CHECK_SETTINGS),
    _e(C.InvalidCardSerialNo, "سریال کارت ملی پذیرفته نشد. آن را از پشت کارت بخوانید و اصلاح کنید.",
       "The national card serial was not accepted. Read it from the back of the card and correct it.", False, FIX_INPUT),
    _e(C.InvalidAdmittance, "سامانهٔ احراز هویت متن تعهد بهره‌بردار را نپذیرفت. با پشتیبانی تماس بگیرید تا متن بررسی شود.",
       "The broker refused the provider's admittance sentence. Call support to check the sentence.", False, CALL_SUPPORT),
    _e(C.ErrorInTokenInsertionToDB, "سامانهٔ احراز هویت نتوانست جلسه را ذخیره کند. کمی صبر کنید و دوباره تلاش کنید.",
       "The broker could not save the session. Wait a moment and try again.", True, RETRY),
    _e(C.ServiceProviderExpired, "قرارداد بهره‌بردار با سامانهٔ احراز هویت منقضی شده و احراز هویت ممکن نیست. به مدیر شعبه یا پشتیبانی اطلاع دهید.",
       "The provider's contract with the broker has expired; no verification is possible. Tell the branch manager or support.", False, CALL_SUPPORT),
    _e(C.MaxTryCountReached, "تعداد دفعات مجاز تلاش تمام شده و این مرحله در این جلسه تکرار نمی‌شود. جلسه را پایان دهید.",
       "The allowed number of tries is used up; this step cannot be repeated in this session. End the session.", False, END_SESSION),
    _e(C.InvalidCallerCode, "سامانهٔ احراز هویت کد فراخواننده (CallerCode) کیوسک را نپذیرفت. FlowId را در تنظیمات بررسی کنید.",
       "The broker refused the kiosk's caller code. Check the FlowId in the settings.", False, CHECK_SETTINGS),
    _e(C.TokenAlreadyAborted, "این جلسه قبلاً لغو شده است. یک جلسه جدید شروع کنید.",
       "This session was cancelled earlier. Start a new session.", False, NEW_SESSION),
    _e(C.TokenAlreadyAccepted, "این جلسه قبلاً تأیید و بسته شده و کار دیگری لازم نیست. برای متقاضی بعدی جلسه جدید شروع کنید.",
       "This session is already verified and closed; nothing more is needed. Start a new session for the next applicant.", False, NEW_SESSION),
    _e(C.NationalCodeNotExists, "این کد ملی در ثبت احوال پیدا نشد. ارقام را با کارت بررسی کنید؛ اگر درست است متقاضی باید به ثبت احوال مراجعه کند.",
       "This national code was not found in the civil registry. Check the digits on the card; if they are right, the applicant must visit the civil registry.", False, FIX_INPUT),
    _e(C.OfflineVerificationPermission, "این بهره‌بردار مجوز احراز هویت آفلاین ندارد. با پشتیبانی تماس بگیرید.",
       "This provider may not use offline verification. Call support.", False, CALL_SUPPORT),
    _e(C.SaveVideoPermission, "این بهره‌بردار مجوز ارسال ویدئو ندارد. از این مرحله بگذرید یا با پشتیبانی تماس بگیرید.",
       "This provider may not send videos. Skip this step or call support.", False, SKIP_STEP),
    _e(C.InquiryGalleryPermission, "این بهره‌بردار مجوز تطبیق با عکس ثبت احوال ندارد. با پشتیبانی تماس بگیرید.",
       "This provider may not match against the registry photo. Call support.", False, CALL_SUPPORT),
    _e(C.SaveSignaturePermission, "این بهره‌بردار مجوز ارسال امضا ندارد. از این مرحله بگذرید یا با پشتیبانی تماس بگیرید.",
       "This provider may not send signatures. Skip this step or call support.", False, SKIP_STEP),
    _e(C.SaveProbImagePermission, "این بهره‌بردار مجوز ارسال عکس سلفی ندارد. از این مرحله بگذرید یا با پشتیبانی تماس بگیرید.",
       "This provider may not send selfies. Skip this step or call support.", False, SKIP_STEP),
    _e(C.SaveAdmittancePermission, "این بهره‌بردار مجوز ضبط ویدئو با متن اختصاصی (متن تعهد) ندارد. از این مرحله بگذرید یا با پشتیبانی تماس بگیرید.",
       "This provider may not record a video with its own sentence. Skip this step or call support.", False, SKIP_STEP),
    _e(C.AdminAccessPermission, "این عملیات دسترسی مدیر در سامانهٔ احراز هویت لازم دارد. با پشتیبانی تماس بگیرید.",
       "This operation needs administrator access at the broker. Call support.", False, CALL_SUPPORT),
    _e(C.AccessDenied, "سامانهٔ احراز هویت دسترسی را رد کرد. اطلاعات ورود کیوسک را بررسی کنید یا با پشتیبانی تماس بگیرید.",
       "The broker denied access. Check the kiosk's credentials or call support.", False, CHECK_SETTINGS),
    _e(C.ExtractionError, "سامانهٔ احراز هویت در تصویر چهره قابل استفاده‌ای پیدا نکرد. دوباره بگیرید: رو به دوربین، با نور کافی و بدون پوشش روی صورت.",
       "The broker found no usable face in the picture. Take it again: facing the camera, in good light, nothing covering the face.", False, RETAKE),
    _e(C.VerificationError, "چهره با عکس ثبت احوال تطبیق نیافت. متقاضی مستقیم به دوربین نگاه کند، بدون عینک و کلاه، و دوباره بگیرید؛ اگر باز رد شد جلسه را پایان دهید.",
       "The face did not match the registry photo. Take it again looking straight at the camera, without glasses or hat; if it fails again, end the session.", False, RETAKE),
    _e(C.SpoofError, "سامانهٔ احراز هویت تصویر را متعلق به یک شخص زنده ندانست. خود متقاضی (نه عکس یا صفحه نمایش) جلوی دوربین قرار گیرد و دوباره بگیرید.",
       "The broker judged the capture not to be a live person. Have the applicant themselves (no photo or screen) in front of the camera and take it again.", False, RETAKE),
    _e(C.VideoError, "سامانهٔ احراز هویت نتوانست ویدئو را پردازش کند. ویدئو را دوباره ضبط کنید.",
       "The broker could not process the video. Record it again.", False, RETAKE),
    _e(C.SpeechError, "سامانهٔ احراز هویت جمله خوانده‌شده را تشخیص نداد. در جای آرام و با صدای بلند و واضح جمله را بخوانید و دوباره ضبط کنید.",
       "The broker could not recognise the sentence read. Record again in a quiet spot, reading the sentence loudly and clearly.", False, RETAKE),
    _e(C.RandomTextError, "سامانهٔ احراز هویت نتوانست جمله خواندنی را بدهد یا بررسی کند. جمله جدیدی بگیرید و دوباره ضبط کنید.",
       "The broker could not give or check the sentence to read. Get a new sentence and record again.", True, RETRY),
    _e(C.BehsazanServiceNotAvailable, "سامانه استعلام (بهسازان) الان در دسترس نیست. چند دقیقه صبر کنید و دوباره تلاش کنید.",
       "The registry inquiry service (Behsazan) is not available now. Wait a few minutes and try again.", True, RETRY),
    _e(C.PersonExternalInquiryFailed, "استعلام مشخصات متقاضی ناموفق بود. کد ملی و تاریخ تولد را بررسی کنید و دوباره تلاش کنید.",
       "The inquiry of the applicant's details failed. Check the national code and birth date, then try again.", True, FIX_INPUT),
    _e(C.NationalCodeRequired, "کد ملی وارد نشده است. کد ملی متقاضی را وارد کنید.",
       "The national code is missing. Enter the applicant's national code.", False, FIX_INPUT),
    _e(C.PhoneNumberRequired, "شماره موبایل وارد نشده است. شماره موبایل متقاضی را وارد کنید.",
       "The mobile number is missing. Enter the applicant's mobile number.", False, FIX_INPUT),
    _e(C.BirthDateRiquired, "تاریخ تولد وارد نشده است. تاریخ تولد متقاضی را وارد کنید.",
       "The birth date is missing. Enter the applicant's birth date.", False, FIX_INPUT),
]
for _code, (_fa, _en) in _BANKS.items():
    _ENTRIES.append(_e(_code, f"سامانه استعلام {_fa} پاسخ خطا داد. چند دقیقه صبر کنید و دوباره تلاش کنید.",
                       f"The inquiry service of {_en} answered with an error. Wait a few minutes and try again.", True, RETRY))
_ENTRIES += [
    _e(C.ServiceProviderExists, "این بهره‌بردار از قبل در سامانهٔ احراز هویت ثبت شده است (عملیات مدیریتی). با پشتیبانی تماس بگیرید.",
       "This provider already exists at the broker (an administrative operation). Call support.", False, CALL_SUPPORT),
    _e(C.ServiceProviderNotExists, "سامانهٔ احراز هویت چنین بهره‌برداری ندارد. FlowId را در تنظیمات بررسی کنید.",
       "The broker has no such provider. Check the FlowId in the settings.", False, CHECK_SETTINGS),
    _e(C.SavePersonDocument, "سامانهٔ احراز هویت تصویر کارت ملی را نپذیرفت (بهره‌بردار مجوز ندارد یا ذخیره نشد). از این مرحله بگذرید یا با پشتیبانی تماس بگیرید.",
       "The broker refused the ID card picture (the provider may not send it, or it could not be saved). Skip this step or call support.", False, SKIP_STEP),
    _e(C.DualAuthenticationInvalid, "سامانهٔ احراز هویت توکن دسترسی کیوسک را برای این استعلام نپذیرفت. ساعت کیوسک و کلید بهره‌بردار را بررسی کنید و دوباره تلاش کنید.",
       "The broker refused the kiosk's access token for this lookup. Check the kiosk's clock and provider key, then try again.", False, CHECK_SETTINGS),
    _e(C.Unauthorized, "کیوسک مجوز این استعلام را ندارد. FlowId و کلیدها را بررسی کنید یا با پشتیبانی تماس بگیرید.",
       "The kiosk is not authorised for this lookup. Check the FlowId and keys, or call support.", False, CHECK_SETTINGS),
    _e(C.ScopeIsNullOrEmpty, "توکن دسترسی کیوسک دامنه (scope) ندارد. با پشتیبانی تماس بگیرید (اشکال نرم‌افزار کیوسک).",
       "The kiosk's access token has no scope. Call support (a kiosk software problem).", False, CALL_SUPPORT),
    _e(C.NoCredit, "اعتبار بهره‌بردار نزد سامانهٔ احراز هویت تمام شده و تا شارژ نشود احراز هویت ممکن نیست. به مدیر شعبه اطلاع دهید.",
       "The provider's credit at the broker is used up; no verification is possible until it is topped up. Tell the branch manager.", False, CALL_SUPPORT),
]

CATALOGUE: dict[int, ErrorInfo] = {e.code: e for e in _ENTRIES}
del _ENTRIES

# Sentences for failures that carry no broker code, keyed by ``BrokerError.kind``.
KIND_SENTENCES: dict[str, tuple[str, str, str]] = {
    "connect": ("اتصال به سامانهٔ احراز هویت برقرار نشد. کابل شبکه و اینترنت کیوسک را بررسی کنید و دوباره تلاش کنید.",
                "The broker could not be reached. Check the kiosk's network cable and internet, then try again.", RETRY),
    "dns": ("نشانی سامانهٔ احراز هویت پیدا نشد. اینترنت کیوسک و تنظیم broker.url را بررسی کنید.",
            "The broker's address could not be found. Check the kiosk's internet and the broker.url setting.", CHECK_SETTINGS),
    "tls": ("گواهی امنیتی سامانهٔ احراز هویت تأیید نشد؛ اتصال برای حفاظت از اطلاعات قطع شد. به واحد فناوری اطلاعات اطلاع دهید.",
            "The broker's security certificate could not be verified; the connection was stopped to protect the data. Tell IT.", CALL_SUPPORT),
    "timeout": ("سامانهٔ احراز هویت در زمان مقرر پاسخ نداد. کمی صبر کنید و دوباره تلاش کنید.",
                "The broker did not answer in time. Wait a moment and try again.", RETRY),
    "reset": ("اتصال با سامانهٔ احراز هویت قطع شد. دوباره تلاش کنید؛ اگر تکرار شد شبکه را بررسی کنید.",
              "The connection to the broker was cut. Try again; if it happens again, check the network.", RETRY),
    "unavailable": ("سامانهٔ احراز هویت موقتاً در دسترس نیست. چند دقیقه صبر کنید و دوباره تلاش کنید.",
                    "The broker is temporarily unavailable. Wait a few minutes and try again.", RETRY),
    "no_answer": ("درخواست ارسال شد ولی پاسخی نرسید و معلوم نیست سامانهٔ احراز هویت آن را انجام داده یا نه. پیش از تکرار، وضعیت جلسه را بررسی کنید.",
                  "The request was sent but no answer came back; it is not known whether the broker acted on it. Check the session's state before repeating.", CHECK_STATE),
    "upload_uncertain": ("فایل ارسال شد ولی اتصال پیش از پاسخ سامانهٔ احراز هویت قطع شد؛ معلوم نیست سامانهٔ احراز هویت آن را دریافت کرده یا نه. ارسال دوباره ممکن است یک نوبت تلاش متقاضی را مصرف کند؛ تصمیم با کارمند است.",
                         "The file was sent but the connection dropped before the broker answered; it is not known whether the broker received it. Sending again may use one of the applicant's tries; staff must decide.", CHECK_STATE),
    "protocol": ("پاسخ سامانهٔ احراز هویت قابل خواندن نبود و کنار گذاشته شد. دوباره تلاش کنید؛ اگر تکرار شد با پشتیبانی تماس بگیرید.",
                 "The broker's answer could not be read and was discarded. Try again; if it happens again, call support.", RETRY),
    "html": ("به جای سامانهٔ احراز هویت یک صفحه وب پاسخ داد (احتمالاً پراکسی، صفحه ورود شبکه یا نشانی اشتباه). تنظیم broker.url و شبکه را بررسی کنید.",
             "A web page answered instead of the broker (probably a proxy, a network login page or a wrong address). Check broker.url and the network.", CHECK_SETTINGS),
    "too_large": ("پاسخ سامانهٔ احراز هویت بیش از حد بزرگ بود و کنار گذاشته شد. با پشتیبانی تماس بگیرید.",
                  "The broker's answer was too large and was discarded. Call support.", CALL_SUPPORT),
    "http_status": ("سامانهٔ احراز هویت با خطای HTTP {status} پاسخ داد. نشانی سامانهٔ احراز هویت (broker.url و broker.endpoints) را بررسی کنید یا با پشتیبانی تماس بگیرید.",
                    "The broker answered with HTTP error {status}. Check the broker address (broker.url and broker.endpoints) or call support.", CHECK_SETTINGS),
    "unauthorized": ("سامانهٔ احراز هویت اجازه دسترسی نداد. FlowId، کلیدها و ساعت کیوسک را بررسی کنید یا با پشتیبانی تماس بگیرید.",
                     "The broker refused access. Check the FlowId, the keys and the kiosk's clock, or call support.", CHECK_SETTINGS),
    "signature": ("امضای پاسخ سامانهٔ احراز هویت معتبر نبود؛ داده‌ها نمایش داده نشد چون قابل اعتماد نیستند. کلید عمومی سامانهٔ احراز هویت را بررسی کنید و به پشتیبانی اطلاع دهید.",
                  "The broker's answer did not carry a valid signature; its data is not shown because it cannot be trusted. Check the broker's public key and tell support.", CALL_SUPPORT),
    "admittance_text": ("این بهره‌بردار ویدئوی تعهد دارد ولی متن تعهد آن در تنظیمات (broker.admittance_text) خالی یا نادرست است؛ "
                        "تا درست نشود هیچ جلسه‌ای کامل نمی‌شود. به واحد فناوری اطلاعات اطلاع دهید.",
                        "This provider records an admittance video but its sentence in the settings "
                        "(broker.admittance_text) is empty or unusable; no session can finish until it is set. Tell IT.",
                        CHECK_SETTINGS),
    "mismatch": ("پاسخ امضاشدهٔ سامانهٔ احراز هویت دربارهٔ درخواست دیگری بود (کد پیگیری، شناسهٔ بهره‌بردار یا کد ملی دیگر)؛ "
                 "داده‌ها نمایش داده نشد. به پشتیبانی اطلاع دهید.",
                 "The broker's signed answer was about another request (another order, provider or national code); "
                 "its data is not shown. Tell support.", CALL_SUPPORT),
    "refused": ("سامانهٔ احراز هویت درخواست را نپذیرفت.", "The broker refused the request.", CALL_SUPPORT),
    "failed": ("سامانهٔ احراز هویت اعلام کرد این مرحله انجام نشد.", "The broker reported that this step failed.", RETRY),
}


def describe(code: int | None, broker_message: str | None = None, lang: str = "fa") -> str:
    """A sentence for any code, including codes a newer broker adds: known codes use the
    catalogue; unknown ones show the number and the broker's own message. Never raises."""
    try:
        info = CATALOGUE.get(int(code)) if code is not None else None
    except (TypeError, ValueError):
        info = None
    if info is not None:
        return info.sentence(lang)
    msg = str(broker_message).strip() if broker_message else ""
    if code is None:
        base = KIND_SENTENCES["refused"][0 if lang == "fa" else 1]
    elif lang == "fa":
        base = f"سامانهٔ احراز هویت خطای شماره {code} را گزارش کرد که برای این کیوسک ناشناخته است."
    else:
        base = f"The broker reported error {code}, which this kiosk does not know."
    if msg:
        base += (f" پیام سامانهٔ احراز هویت: «{msg}»." if lang == "fa" else f' The broker says: "{msg}".')
    base += (" با کد پیگیری با پشتیبانی تماس بگیرید." if lang == "fa"
             else " Call support with the order number.")
    return base


class BrokerError(KioskError):
    """Base of every broker failure. ``str(exc)`` is the technical English detail (for logs;
    never personal data); ``sentence(lang)`` is for the staff member."""

    default_kind = "refused"

    def __init__(self, technical: str = "", *, code: int | None = None, http_status: int | None = None,
                 broker_message: str | None = None, kind: str | None = None, method: str | None = None):
        self.code = code
        self.http_status = http_status
        self.broker_message = broker_message
        self.technical = technical
        self.kind = kind or self.default_kind
        self.method = method
        super().__init__(self._summary())

    def _summary(self) -> str:
        parts = [self.technical or self.kind]
        if self.method:
            parts.append(f"method={self.method}")
        if self.code is not None:
            name = CATALOGUE[self.code].name if self.code in CATALOGUE else "unknown code"
            parts.append(f"code={self.code} ({name})")
        if self.http_status is not None:
            parts.append(f"http={self.http_status}")
        return "; ".join(parts)

    @property
    def info(self) -> ErrorInfo | None:
        return CATALOGUE.get(self.code) if self.code is not None else None

    @property
    def retryable(self) -> bool:
        if self.info is not None:
            return self.info.retryable
        entry = KIND_SENTENCES.get(self.kind)
        return bool(entry and entry[2] == RETRY)

    @property
    def staff_action(self) -> str:
        if self.info is not None:
            return self.info.staff_action
        entry = KIND_SENTENCES.get(self.kind)
        return entry[2] if entry else CALL_SUPPORT

    def sentence(self, lang: str = "fa") -> str:
        if self.code is not None:
            return describe(self.code, self.broker_message, lang)
        entry = KIND_SENTENCES.get(self.kind)
        if entry is None or self.kind in ("refused", "failed"):
            if self.broker_message:
                return describe(None, self.broker_message, lang)
            entry = KIND_SENTENCES["refused"] if entry is None else entry
        text = entry[0] if lang == "fa" else entry[1]
        return text.replace("{status}", str(self.http_status if self.http_status is not None else "?"))


class BrokerRefused(BrokerError):
    """The broker ran the call and refused it (ResponseCode 1 with an Exception/ErrorCode)."""


class BrokerUnauthorized(BrokerError):
    """HTTP 401, ResponseCode 401, or ErrorCode 2001-2003."""

    default_kind = "unauthorized"


class ProtocolError(BrokerError):
    """An answer that cannot be read or trusted: never treated as success."""

    default_kind = "protocol"


class TransportError(BrokerError):
    """No usable answer: connection refused/reset, DNS, TLS, time-out, 502/503/504.
    ``sent`` says whether the request may have reached the broker."""

    default_kind = "connect"

    def __init__(self, technical: str = "", *, sent: bool = False, **kw):
        self.sent = sent
        super().__init__(technical, **kw)


class SignatureInvalid(BrokerError):
    """A signed answer (methods 15-20) whose DataToSign/E_Signature does not verify."""

    default_kind = "signature"


class UploadUncertain(BrokerError):
    """A media upload was sent but the connection died before the answer: the broker may or
    may not have it. Not a TransportError on purpose, so a generic retry does not catch it."""

    default_kind = "upload_uncertain"

    @property
    def retryable(self) -> bool:
        return False


class AdmittanceTextUnusable(BrokerError):
    """The provider has AdmittancePermission but ``broker.admittance_text`` gives no sentence
    the applicant can read (empty, too short, too long): raised before SetToken, so no token is
    registered that could never pass the admittance step (1217)."""

    default_kind = "admittance_text"

    @property
    def retryable(self) -> bool:
        return False


class AnswerMismatch(ProtocolError):
    """A signed answer (methods 15-20) that verifies but is about another question: its
    ``OrderId``, ``CallerCode`` or ``CitizenNationalCode`` is not the one asked about (a replayed
    or misrouted answer). Never shown as data."""

    default_kind = "mismatch"
