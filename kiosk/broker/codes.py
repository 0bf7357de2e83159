"""The broker's ExceptionCode enum, straight from the API reference (section "ExceptionCode").

Generated from ``shared/spec/BROKER-API.md``; the staff sentences for each code live in
``kiosk.broker.errors``. Unknown codes from a newer broker are not an error: see
``kiosk.broker.errors.describe``.
"""
from enum import IntEnum


class ExceptionCode(IntEnum):
    # unusual
    unknown = 0
    NotImplemented = 1
    BadRequest = 3
    # not found
    GalleryImageNotFound = 1001
    ProbImageNotFound = 1002
    VideoNotFound = 1003
    SpeechFileNotFound = 1004
    # invalid input
    InvalidInputData_RequestBody = 1101
    InvalidInputData_RequestParams = 1102
    InvalidInputData_PasswordNeeded = 1103
    # token
    DuplicateToken = 1201
    InvalidServiceProvider = 1202
    InvalidNationalCode = 1203
    InvalidPhoneNumber = 1204
    InvalidOrderId = 1205
    InvalidCallbackURL = 1206
    InvalidBirthDate = 1207
    InvalidInquiryType = 1208
    TokenExpired = 1209
    ChangeStatusError = 1210
    TokenNotExists = 1211
    InvalidTokenStatus = 1212
    InvalidProviderSignature = 1213
    ProviderSignatureNotRequested = 1214
    InvalidSignatureAlgorithm = 1215
    InvalidCardSerialNo = 1216
    InvalidAdmittance = 1217
    ErrorInTokenInsertionToDB = 1218
    ServiceProviderExpired = 1219
    MaxTryCountReached = 1220
    InvalidCallerCode = 1221
    TokenAlreadyAborted = 1222
    TokenAlreadyAccepted = 1223
    NationalCodeNotExists = 1224
    # permission
    OfflineVerificationPermission = 1501
    SaveVideoPermission = 1502
    InquiryGalleryPermission = 1503
    SaveSignaturePermission = 1504
    SaveProbImagePermission = 1505
    SaveAdmittancePermission = 1506
    AdminAccessPermission = 1507
    AccessDenied = 1508
    # face
    ExtractionError = 1601
    VerificationError = 1602
    SpoofError = 1603
    VideoError = 1604
    SpeechError = 1605
    RandomTextError = 1606
    # external inquiry
    BehsazanServiceNotAvailable = 1701
    PersonExternalInquiryFailed = 1702
    NationalCodeRequired = 1703
    PhoneNumberRequired = 1704
    BirthDateRiquired = 1705
    ResponseError_Tejarat = 1706
    ResponseError_Saderat = 1707
    ResponseError_DIBA = 1708
    ResponseError_Shahr = 1709
    ResponseError_Notary = 1710
    ResponseError_Refah = 1711
    ResponseError_FinoTech = 1712
    ResponseError_Keshavarzi = 1713
    # administrator
    ServiceProviderExists = 1801
    ServiceProviderNotExists = 1802
    # person document
    SavePersonDocument = 1901
    # token authorization
    DualAuthenticationInvalid = 2001
    Unauthorized = 2002
    ScopeIsNullOrEmpty = 2003
    # credit
    NoCredit = 2101


class ResponseCode(IntEnum):
    Success = 0
    Exception = 1
    Failed = 2
    Unauthorized = 401


class AuthenticationStatus(IntEnum):
    NotRequested = 0
    AuthenticationSuccess = 1
    LivenessFailed = 2
    VerificationFailed = 3
    ExtractionFailed = 4
    ExceptionOccured = 5
    SpeechNotMatched = 6


class KYCStatus(IntEnum):
    Draft = 0
    InProgress = 1
    Approved = 2
    Reject = 3


class KYCRequestStatus(IntEnum):
    NotInitialized = -1
    NewToken = 0
    Suspended = 1
    WaitForData = 2
    AllDataReceived = 3
    WaitForAuthProcess = 4
    AuthDone = 5
    Timeout = 6
    AuthSend = 7
    FinalChecked = 8
    CloseTimeout = 9
    Close = 10
    ProbImageReceived = 11
    ProbVideoReceived = 12
    SpeechReceived = 13
    GestureReceived = 14
    UserAborted = 15
    SignatureNotValid = 16
    AuthSuspend = 17
    InvalidToken = 18
    NotComplete = 19
    CloseIncomplete = 20
    MaxTryCountReached = 21
    NoCredit = 22


class VerificationStatus(IntEnum):
    NotRequested = 0
    Matched = 1
    NotMatched = 2
    UnknownError = 3
    NotSure = 4


class LivenessResult(IntEnum):
    NotRequested = 0
    NotSure = -1
    FaceNotDetected = 1
    FaceTooFar = 2
    FaceTooNear = 3
    FaceIsReal = 4
    FaceIsSpoof = 5
    MultiFaceDetected = 6


class DocumentType(IntEnum):
    IdCardFront = 101
    IdCardBack = 102


class RandomTextType(IntEnum):
    Words = 0
    Sentences = 1
