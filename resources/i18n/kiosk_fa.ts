<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fa_IR" sourcelanguage="en">
<context>
    <name>Busy</name>
    <message>
        <location filename="../../kiosk/ui/pages/busy.py" line="31"/>
        <source>Please wait</source>
        <translation>لطفاً صبر کنید</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/busy.py" line="37"/>
        <source>Registering the session with the verification service…</source>
        <translation>در حال ثبت جلسه در سامانهٔ احراز هویت…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/busy.py" line="38"/>
        <source>Reading what this kiosk may do…</source>
        <translation>در حال دریافت مجوزهای این کیوسک…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/busy.py" line="39"/>
        <source>Asking for the final verdict…</source>
        <translation>در حال دریافت نتیجهٔ نهایی…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/busy.py" line="40"/>
        <source>Cancelling the session…</source>
        <translation>در حال لغو جلسه…</translation>
    </message>
</context>
<context>
    <name>CameraView</name>
    <message>
        <location filename="../../kiosk/ui/widgets.py" line="123"/>
        <source>Starting the camera…</source>
        <translation>در حال روشن کردن دوربین…</translation>
    </message>
</context>
<context>
    <name>Capture</name>
    <message>
        <location filename="../../kiosk/ui/pages/capture_base.py" line="128"/>
        <source>I&apos;m ready</source>
        <translation>آماده‌ام</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/capture_base.py" line="263"/>
        <source>Sending…</source>
        <translation>در حال ارسال…</translation>
    </message>
</context>
<context>
    <name>Consent</name>
    <message>
        <location filename="../../kiosk/ui/pages/consent.py" line="97"/>
        <source>End the session without your consent?</source>
        <translation>جلسه بدون رضایت شما تمام شود؟</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/consent.py" line="98"/>
        <location filename="../../kiosk/ui/shell.py" line="201"/>
        <source>Nothing has been captured or sent yet. If you end now, the details you typed are erased.</source>
        <translation>هنوز هیچ چیزی گرفته یا فرستاده نشده است. اگر اکنون تمام کنید، مشخصاتی که وارد کرده‌اید پاک می‌شود.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/consent.py" line="99"/>
        <source>No, go back to the consent</source>
        <translation>نه، به صفحهٔ رضایت برگردم</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/consent.py" line="100"/>
        <source>Yes, end the session</source>
        <translation>بله، جلسه تمام شود</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/consent.py" line="108"/>
        <source>Your consent</source>
        <translation>رضایت شما</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/consent.py" line="112"/>
        <source>What is captured: your details as typed, a photo of your signature, photos of both sides of your national card, a photo of your face and short videos of you reading a sentence aloud.</source>
        <translation>چه چیزی ثبت می‌شود: مشخصاتی که وارد شد، عکس امضای شما، عکس هر دو روی کارت ملی، عکس چهرهٔ شما و ویدئوهای کوتاهی که در آن جمله‌ای را بلند می‌خوانید.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/consent.py" line="115"/>
        <source>Why: they are sent to the identity-verification service, which compares your face with your photo at the civil registry and checks that you are present in person.</source>
        <translation>چرا: این موارد به سامانهٔ احراز هویت فرستاده می‌شود تا چهرهٔ شما را با عکستان در ثبت احوال مقایسه کند و مطمئن شود خودتان حضور دارید.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/consent.py" line="118"/>
        <source>For how long: this kiosk keeps them encrypted only until they are sent, and erases them when the session ends. The verification service keeps them as the law on identity verification requires.</source>
        <translation>تا چه زمانی: این کیوسک آن‌ها را فقط تا زمان ارسال، به‌صورت رمزنگاری‌شده نگه می‌دارد و در پایان جلسه پاک می‌کند. سامانهٔ احراز هویت آن‌ها را طبق قانون احراز هویت نگه می‌دارد.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/consent.py" line="122"/>
        <source>I have read this and I agree</source>
        <translation>این متن را خواندم و موافقم</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/consent.py" line="123"/>
        <source>I agree, continue</source>
        <translation>موافقم، ادامه</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/consent.py" line="124"/>
        <source>I do not agree (end)</source>
        <translation>موافق نیستم (پایان)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/consent.py" line="125"/>
        <source>Tick the box above to agree</source>
        <translation>برای موافقت، خانهٔ بالا را تیک بزنید</translation>
    </message>
</context>
<context>
    <name>Details</name>
    <message>
        <location filename="../../kiosk/ui/pages/details.py" line="313"/>
        <source>Applicant details</source>
        <translation>مشخصات متقاضی</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/details.py" line="320"/>
        <source>National code (10 digits)</source>
        <translation>کد ملی (۱۰ رقم)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/details.py" line="321"/>
        <source>Birth date (Jalali, e.g. 1376/11/13)</source>
        <translation>تاریخ تولد (شمسی، مثلاً ۱۳۷۶/۱۱/۱۳)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/details.py" line="322"/>
        <source>Mobile number (09xxxxxxxxx)</source>
        <translation>شمارهٔ همراه (۰۹xxxxxxxxx)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/details.py" line="323"/>
        <source>National card serial (back of the card)</source>
        <translation>سریال کارت ملی (پشت کارت)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/details.py" line="324"/>
        <source>First name (optional)</source>
        <translation>نام (اختیاری)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/details.py" line="325"/>
        <source>Last name (optional)</source>
        <translation>نام خانوادگی (اختیاری)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/details.py" line="326"/>
        <source>Father&apos;s name (optional)</source>
        <translation>نام پدر (اختیاری)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/details.py" line="333"/>
        <source>e.g. {example}</source>
        <translation>مثلاً {example}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/details.py" line="338"/>
        <source>Persian or English digits are both fine.</source>
        <translation>ارقام فارسی یا انگلیسی هر دو پذیرفته می‌شود.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/details.py" line="339"/>
        <source>Continue</source>
        <translation>ادامه</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/details.py" line="340"/>
        <source>▼  More fields below (optional names)</source>
        <translation>▼  خانه‌های دیگر در پایین (نام‌ها، اختیاری)</translation>
    </message>
</context>
<context>
    <name>Document</name>
    <message>
        <location filename="../../kiosk/ui/pages/document.py" line="325"/>
        <source>Your signature</source>
        <translation>امضای شما</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/document.py" line="326"/>
        <source>National card: front</source>
        <translation>کارت ملی: روی کارت</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/document.py" line="327"/>
        <source>National card: back</source>
        <translation>کارت ملی: پشت کارت</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/document.py" line="292"/>
        <source>Sign the paper with the pen, then hold it flat inside the frame.</source>
        <translation>با خودکار روی کاغذ امضا کنید، سپس کاغذ را صاف داخل کادر نگه دارید.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/document.py" line="118"/>
        <source>Sign on white paper.</source>
        <translation>روی یک کاغذ سفید امضا کنید.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/document.py" line="119"/>
        <source>Hold the paper flat, inside the frame.</source>
        <translation>کاغذ را صاف و درون کادر نگه دارید.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/document.py" line="121"/>
        <source>Turn the card over: the back side up.</source>
        <translation>کارت را برگردانید تا پشت آن رو به بالا باشد.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/document.py" line="122"/>
        <source>Place it flat inside the frame, fingers off the card.</source>
        <translation>آن را صاف درون کادر بگذارید و انگشت‌هایتان را روی کارت نگذارید.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/document.py" line="123"/>
        <source>Place the card flat on the desk, inside the frame.</source>
        <translation>کارت را صاف روی میز و درون کادر بگذارید.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/document.py" line="124"/>
        <source>Keep your fingers off the card.</source>
        <translation>انگشت‌هایتان را روی کارت نگذارید.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/document.py" line="293"/>
        <source>Hold the FRONT of your national card inside the frame.</source>
        <translation>روی کارت ملی خود را داخل کادر نگه دارید.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/document.py" line="294"/>
        <source>Now turn the card: hold the BACK inside the frame.</source>
        <translation>حالا کارت را برگردانید: پشت کارت را داخل کادر نگه دارید.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/document.py" line="313"/>
        <source>Is your whole signature clear?</source>
        <translation>آیا همهٔ امضای شما واضح است؟</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/document.py" line="336"/>
        <location filename="../../kiosk/ui/pages/document.py" line="338"/>
        <source>Send</source>
        <translation>ارسال</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/document.py" line="337"/>
        <source>Retake</source>
        <translation>دوباره عکس بگیرید</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/document.py" line="334"/>
        <source>Take it now (staff)</source>
        <translation>همین حالا بگیر (کارمند)</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/document.py" line="304"/>
        <source>Sign on paper instead</source>
        <translation>به‌جای آن روی کاغذ امضا کنید</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/document.py" line="305"/>
        <source>Sign on the screen instead</source>
        <translation>به‌جای آن روی صفحه امضا کنید</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/document.py" line="314"/>
        <source>Is the whole card sharp and easy to read?</source>
        <translation>آیا همهٔ کارت واضح و خوانا دیده می‌شود؟</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/document.py" line="335"/>
        <source>Clear</source>
        <translation>پاک کردن</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/document.py" line="265"/>
        <location filename="../../kiosk/ui/pages/document.py" line="315"/>
        <location filename="../../kiosk/ui/pages/document.py" line="342"/>
        <source>Thank you, received.</source>
        <translation>سپاس، دریافت شد.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/document.py" line="281"/>
        <source>Picture taken</source>
        <translation>عکس گرفته شد</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/document.py" line="283"/>
        <source>Received</source>
        <translation>دریافت شد</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/document.py" line="285"/>
        <source>Sign in the white box with your finger, then press Send.</source>
        <translation>با انگشت داخل کادر سفید امضا کنید و سپس «ارسال» را بزنید.</translation>
    </message>
</context>
<context>
    <name>Failsafe</name>
    <message>
        <location filename="../../kiosk/ui/pages/failsafe.py" line="42"/>
        <source>Sorry</source>
        <translation>پوزش می‌خواهیم</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/failsafe.py" line="48"/>
        <source>Something went wrong</source>
        <translation>مشکلی پیش آمد</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/failsafe.py" line="49"/>
        <source>The session was stopped and everything captured was erased.</source>
        <translation>جلسه متوقف شد و هر چه گرفته شده بود پاک شد.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/failsafe.py" line="51"/>
        <source>For the staff member: an unexpected error stopped the kiosk at {time}. Start a new session for the applicant. If it happens again, call technical support and tell them the time; the kiosk&apos;s log has the details.</source>
        <translation>برای کارمند: یک خطای پیش‌بینی‌نشده در ساعت {time} کیوسک را متوقف کرد. برای متقاضی جلسهٔ تازه‌ای شروع کنید. اگر دوباره پیش آمد، با پشتیبانی فنی تماس بگیرید و ساعت را بگویید؛ جزئیات در گزارش کیوسک هست.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/failsafe.py" line="55"/>
        <source>Back to the start</source>
        <translation>بازگشت به صفحهٔ آغاز</translation>
    </message>
</context>
<context>
    <name>Page</name>
    <message>
        <location filename="../../kiosk/ui/pages/base.py" line="91"/>
        <source>Cancel</source>
        <translation>لغو</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/base.py" line="94"/>
        <source>Step {i} of {n}</source>
        <translation>مرحلهٔ {i} از {n}</translation>
    </message>
</context>
<context>
    <name>PinDialog</name>
    <message>
        <location filename="../../kiosk/ui/widgets.py" line="265"/>
        <source>Staff</source>
        <translation>کارکنان</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets.py" line="267"/>
        <source>Staff PIN</source>
        <translation>رمز کارکنان</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets.py" line="306"/>
        <source>Type the PIN first.</source>
        <translation>اول رمز را وارد کنید.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets.py" line="323"/>
        <source>Wrong PIN.</source>
        <translation>رمز نادرست است.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets.py" line="328"/>
        <source>Wrong PIN. 1 try left.</source>
        <translation>رمز نادرست است. یک بار دیگر می‌توانید امتحان کنید.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets.py" line="329"/>
        <source>Wrong PIN. {n} tries left.</source>
        <translation>رمز نادرست است. {n} بار دیگر می‌توانید امتحان کنید.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets.py" line="336"/>
        <source>Too many wrong PINs. Locked: try again in {n} s.</source>
        <translation>چند بار رمز نادرست وارد شد و قفل است: {n} ثانیهٔ دیگر دوباره امتحان کنید.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets.py" line="344"/>
        <source>You can type the PIN again.</source>
        <translation>اکنون می‌توانید دوباره رمز را وارد کنید.</translation>
    </message>
</context>
<context>
    <name>Problem</name>
    <message>
        <location filename="../../kiosk/ui/pages/problem.py" line="75"/>
        <source>The session cannot continue as it is</source>
        <translation>جلسه به این شکل ادامه پیدا نمی‌کند</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/problem.py" line="87"/>
        <source>Please wait: the staff member will take care of this.</source>
        <translation>لطفاً منتظر بمانید: کارمند شعبه رسیدگی می‌کند.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/problem.py" line="88"/>
        <source>For the staff member</source>
        <translation>برای کارمند</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/problem.py" line="95"/>
        <source>Tracking code: {id}</source>
        <translation>کد پیگیری: {id}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/problem.py" line="99"/>
        <source>Identity service code: {code}</source>
        <translation>کد سامانهٔ احراز هویت: {code}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/problem.py" line="111"/>
        <source>Next: compare the details with the applicant&apos;s national card, press &quot;Correct the details&quot; and fix the field marked in red.</source>
        <translation>گام بعد: مشخصات را با کارت ملی متقاضی مقایسه کنید، «اصلاح مشخصات» را بزنید و خانهٔ قرمز را درست کنید.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/problem.py" line="113"/>
        <source>Next: press &quot;Try again&quot;. If it fails again, check the kiosk&apos;s network and the setting broker.url in the staff console, then call technical support with the codes below.</source>
        <translation>گام بعد: «تلاش دوباره» را بزنید. اگر باز نشد، شبکهٔ کیوسک و تنظیم ⁦broker.url⁩ را در میز کار کارکنان بررسی کنید و سپس با کدهای زیر با پشتیبانی فنی تماس بگیرید.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/problem.py" line="116"/>
        <source>Next: press &quot;Try again&quot;: the kiosk first asks the identity service what it already received.</source>
        <translation>گام بعد: «تلاش دوباره» را بزنید: کیوسک اول از سامانهٔ احراز هویت می‌پرسد چه چیزی را دریافت کرده است.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/problem.py" line="118"/>
        <source>Next: ask the applicant to take this step again.</source>
        <translation>گام بعد: از متقاضی بخواهید این مرحله را دوباره انجام دهد.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/problem.py" line="119"/>
        <source>Next: end this session and start a new one with the same applicant; their details must be typed again.</source>
        <translation>گام بعد: این جلسه را تمام کنید و برای همین متقاضی جلسهٔ تازه‌ای شروع کنید؛ مشخصات باید دوباره وارد شود.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/problem.py" line="121"/>
        <source>Next: end the session. The applicant cannot be verified at this kiosk today; tell them which code below to quote to the bank.</source>
        <translation>گام بعد: جلسه را تمام کنید. احراز هویت این متقاضی امروز در این کیوسک ممکن نیست؛ کد زیر را به او بدهید تا به بانک اعلام کند.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/problem.py" line="123"/>
        <source>Next: end the session and ask the bank&apos;s IT department to check what this kiosk&apos;s provider account may do.</source>
        <translation>گام بعد: جلسه را تمام کنید و از واحد فناوری اطلاعات بانک بخواهید مجوزهای حساب این کیوسک را بررسی کند.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/problem.py" line="125"/>
        <source>Next: end the session. The kiosk&apos;s identity service settings or keys are wrong: call the bank&apos;s IT department with the codes below.</source>
        <translation>گام بعد: جلسه را تمام کنید. تنظیمات یا کلیدهای اتصال کیوسک به سامانهٔ احراز هویت نادرست است: با کدهای زیر با واحد فناوری اطلاعات بانک تماس بگیرید.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/problem.py" line="128"/>
        <source>Next: end the session and call technical support with the tracking code and the codes below.</source>
        <translation>گام بعد: جلسه را تمام کنید و با کد پیگیری و کدهای زیر با پشتیبانی فنی تماس بگیرید.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/problem.py" line="97"/>
        <source>Step: {step}</source>
        <translation>مرحله: {step}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/problem.py" line="103"/>
        <source>Correct the details</source>
        <translation>اصلاح مشخصات</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/problem.py" line="104"/>
        <source>Try again</source>
        <translation>تلاش دوباره</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/problem.py" line="105"/>
        <source>End the session</source>
        <translation>پایان جلسه</translation>
    </message>
</context>
<context>
    <name>Selfie</name>
    <message>
        <location filename="../../kiosk/ui/pages/selfie.py" line="65"/>
        <source>Take off glasses, hat or mask.</source>
        <translation>عینک، کلاه یا ماسک را بردارید.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/selfie.py" line="66"/>
        <source>Look at the camera and keep still.</source>
        <translation>به دوربین نگاه کنید و تکان نخورید.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/selfie.py" line="108"/>
        <location filename="../../kiosk/ui/pages/selfie.py" line="182"/>
        <source>Thank you, your photo was accepted.</source>
        <translation>سپاس، عکس شما پذیرفته شد.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/selfie.py" line="144"/>
        <source>Hold still…</source>
        <translation>ثابت بمانید…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/selfie.py" line="148"/>
        <source>Look at the camera and put your face inside the oval.</source>
        <translation>به دوربین نگاه کنید و صورت خود را داخل بیضی قرار دهید.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/selfie.py" line="151"/>
        <source>Photo taken</source>
        <translation>عکس گرفته شد</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/selfie.py" line="154"/>
        <source>Photo accepted</source>
        <translation>عکس پذیرفته شد</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/selfie.py" line="157"/>
        <source>Let&apos;s try once more</source>
        <translation>یک بار دیگر امتحان کنیم</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/selfie.py" line="165"/>
        <source>Tries left: {n} of {total}</source>
        <translation>تلاش باقی‌مانده: {n} از {total}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/selfie.py" line="170"/>
        <source>A photo of your face</source>
        <translation>عکس چهرهٔ شما</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/selfie.py" line="176"/>
        <source>Try again</source>
        <translation>تلاش دوباره</translation>
    </message>
</context>
<context>
    <name>Shell</name>
    <message>
        <location filename="../../kiosk/ui/shell.py" line="199"/>
        <source>End the session?</source>
        <translation>جلسه تمام شود؟</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/shell.py" line="203"/>
        <source>Everything captured will be erased.</source>
        <translation>هر چه تا اینجا گرفته شده پاک می‌شود.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/shell.py" line="204"/>
        <source>No, continue the session</source>
        <translation>نه، جلسه ادامه پیدا کند</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/shell.py" line="205"/>
        <source>Yes, end the session</source>
        <translation>بله، جلسه تمام شود</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screenshots.py" line="308"/>
        <location filename="../../kiosk/ui/shell.py" line="222"/>
        <source>Are you still there?</source>
        <extracomment>Screens not built as screens of their own yet, and the closest screen shown for them.</extracomment>
        <translation>هنوز اینجا هستید؟</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screenshots.py" line="309"/>
        <location filename="../../kiosk/ui/shell.py" line="223"/>
        <source>The session will end and everything captured will be erased in:</source>
        <translation>جلسه تمام می‌شود و هر چه گرفته شده پاک می‌شود تا:</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screenshots.py" line="310"/>
        <location filename="../../kiosk/ui/shell.py" line="224"/>
        <source>I&apos;m still here</source>
        <translation>هنوز اینجا هستم</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screenshots.py" line="311"/>
        <location filename="../../kiosk/ui/shell.py" line="225"/>
        <source>{n} s</source>
        <translation>{n} ثانیه</translation>
    </message>
</context>
<context>
    <name>Staff</name>
    <message>
        <location filename="../../kiosk/ui/shell.py" line="419"/>
        <source>Staff</source>
        <translation>کارکنان</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/shell.py" line="421"/>
        <source>Staff menu</source>
        <translation>منوی کارکنان</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/shell.py" line="427"/>
        <source>Staff console</source>
        <translation>میز کار کارکنان</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/shell.py" line="429"/>
        <source>Quit the kiosk</source>
        <translation>خروج از کیوسک</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/shell.py" line="460"/>
        <source>Quit the kiosk? It stays closed until someone starts it again. A session under way is cancelled and erased.</source>
        <translation>از کیوسک خارج شوید؟ کیوسک تا وقتی کسی دوباره آن را راه نیندازد بسته می‌ماند. جلسهٔ در جریان لغو و پاک می‌شود.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/shell.py" line="440"/>
        <source>Yes, quit the kiosk</source>
        <translation>بله، از کیوسک خارج شو</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/shell.py" line="428"/>
        <source>Back</source>
        <translation>بازگشت</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/shell.py" line="449"/>
        <source>Measurements overlay on the capture screens</source>
        <translation>نمایش اندازه‌گیری‌ها روی صفحه‌های تصویربرداری</translation>
    </message>
</context>
<context>
    <name>Steps</name>
    <message>
        <location filename="../../kiosk/ui/pages/problem.py" line="135"/>
        <source>Registration</source>
        <translation>ثبت جلسه</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/problem.py" line="136"/>
        <source>Signature</source>
        <translation>امضا</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/problem.py" line="137"/>
        <source>National card, front</source>
        <translation>کارت ملی، رو</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/problem.py" line="138"/>
        <source>National card, back</source>
        <translation>کارت ملی، پشت</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/problem.py" line="139"/>
        <source>Photo of the face</source>
        <translation>عکس چهره</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/problem.py" line="140"/>
        <source>Video reading a sentence</source>
        <translation>ویدئوی خواندن جمله</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/problem.py" line="141"/>
        <source>Video reading the declaration</source>
        <translation>ویدئوی خواندن متن تعهد</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/problem.py" line="142"/>
        <source>Final verification</source>
        <translation>احراز نهایی</translation>
    </message>
</context>
<context>
    <name>Texts</name>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="20"/>
        <source>An unexpected error happened.</source>
        <translation>خطای پیش‌بینی‌نشده‌ای رخ داد.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="26"/>
        <source>The camera could not confirm that you are present in person. Look straight at the camera, without a hat or dark glasses.</source>
        <translation>حضور زندهٔ شما جلوی دوربین تأیید نشد. بدون کلاه و عینک تیره، مستقیم به دوربین نگاه کنید.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="28"/>
        <source>Your face did not match your photo at the civil registry. Take off glasses or hat and look straight at the camera.</source>
        <translation>چهرهٔ شما با عکستان در ثبت احوال تطبیق نیافت. عینک یا کلاه را بردارید و مستقیم به دوربین نگاه کنید.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="30"/>
        <source>No clear face was found in the picture. Face the camera in good light.</source>
        <translation>چهرهٔ واضحی در تصویر پیدا نشد. در نور کافی رو به دوربین قرار بگیرید.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="31"/>
        <source>The verification service had a problem. Please try again.</source>
        <translation>سامانهٔ احراز هویت با مشکل روبه‌رو شد. لطفاً دوباره تلاش کنید.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="32"/>
        <source>The sentence was not heard clearly. Read it aloud, slowly and clearly.</source>
        <translation>جمله به‌وضوح شنیده نشد. آن را بلند، آرام و شمرده بخوانید.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/texts.py" line="35"/>
        <source>The verification service did not accept it. Please try again.</source>
        <translation>سامانهٔ احراز هویت آن را نپذیرفت. لطفاً دوباره تلاش کنید.</translation>
    </message>
</context>
<context>
    <name>Verdict</name>
    <message>
        <location filename="../../kiosk/ui/pages/verdict.py" line="109"/>
        <source>Result</source>
        <translation>نتیجه</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/verdict.py" line="113"/>
        <source>Your identity is verified</source>
        <translation>هویت شما تأیید شد</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/verdict.py" line="115"/>
        <source>The verification is not complete yet</source>
        <translation>احراز هویت هنوز کامل نشده است</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/verdict.py" line="116"/>
        <source>Your identity could not be verified</source>
        <translation>هویت شما تأیید نشد</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/verdict.py" line="130"/>
        <source>Thank you. The staff member will tell you what happens next.</source>
        <translation>سپاسگزاریم. کارمند مراحل بعدی را به شما می‌گوید.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/verdict.py" line="131"/>
        <source>The staff member will explain why and what you can do.</source>
        <translation>کارمند دلیل آن و کاری را که می‌توانید انجام دهید توضیح می‌دهد.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/verdict.py" line="132"/>
        <source>For the staff member</source>
        <translation>برای کارمند</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/verdict.py" line="133"/>
        <source>Tracking code: {id}</source>
        <translation>کد پیگیری: {id}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/verdict.py" line="171"/>
        <source>Next: press Finish. The bank can use the tracking code above.</source>
        <translation>گام بعد: «پایان» را بزنید. بانک می‌تواند از کد پیگیری بالا استفاده کند.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/verdict.py" line="173"/>
        <source>Next: explain the failed step (marked •) to the applicant and press Finish. To try again, start a new session; after a face mismatch, ask them to remove glasses or hat and to face the light.</source>
        <translation>گام بعد: مرحلهٔ ناموفق (با نشان •) را برای متقاضی توضیح دهید و «پایان» را بزنید. برای تلاش دوباره جلسهٔ تازه‌ای شروع کنید؛ اگر چهره تطبیق نیافت، بخواهید عینک یا کلاه را بردارد و رو به نور بنشیند.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/verdict.py" line="179"/>
        <source>The identity service has not received: {steps}. Take them again while the request is open, or finish (the request is then cancelled).</source>
        <translation>این مرحله‌ها به سامانهٔ احراز هویت نرسیده‌اند: {steps}. تا درخواست باز است آن‌ها را دوباره بگیرید، یا «پایان» را بزنید (درخواست لغو می‌شود).</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/verdict.py" line="137"/>
        <source>passed</source>
        <translation>موفق</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/verdict.py" line="139"/>
        <source>not done</source>
        <translation>انجام نشد</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/verdict.py" line="141"/>
        <source>failed</source>
        <translation>ناموفق</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/verdict.py" line="145"/>
        <source>tries: {n}</source>
        <translation>تلاش: {n}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/verdict.py" line="159"/>
        <source>The identity service said:</source>
        <translation>پاسخ سامانهٔ احراز هویت:</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/verdict.py" line="181"/>
        <source>No step can be taken again: finish, and start a new session if the applicant wishes.</source>
        <translation>هیچ مرحله‌ای را نمی‌شود دوباره گرفت: پایان بزنید و اگر متقاضی بخواهد جلسهٔ تازه‌ای شروع کنید.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/verdict.py" line="183"/>
        <source>A step is missing. The staff member will help you take it again.</source>
        <translation>یک مرحله مانده است. کارمند شعبه کمک می‌کند آن را دوباره انجام دهید.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/verdict.py" line="188"/>
        <source>Take the missing steps</source>
        <translation>گرفتن مرحله‌های مانده</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/verdict.py" line="189"/>
        <source>Finish</source>
        <translation>پایان</translation>
    </message>
</context>
<context>
    <name>Video</name>
    <message>
        <location filename="../../kiosk/ui/pages/video.py" line="172"/>
        <source>REC {n} s</source>
        <translation>در حال ضبط، {n} ثانیه</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/video.py" line="176"/>
        <source>Microphone</source>
        <translation>میکروفون</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/video.py" line="178"/>
        <source>Recording length: {n} s</source>
        <translation>مدت ضبط: {n} ثانیه</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/video.py" line="182"/>
        <source>Read this text aloud in Persian.</source>
        <translation>این متن را به فارسی بلند بخوانید.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/video.py" line="183"/>
        <source>Read this sentence aloud in Persian.</source>
        <translation>این جمله را به فارسی بلند بخوانید.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/video.py" line="355"/>
        <source>Getting the text to read…</source>
        <translation>در حال دریافت متنی که باید بخوانید…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/video.py" line="356"/>
        <source>When you are ready, press Start and read the text aloud.</source>
        <translation>هر وقت آماده بودید «شروع» را بزنید و متن را بلند بخوانید.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/video.py" line="358"/>
        <source>Recording: read the text aloud now.</source>
        <translation>در حال ضبط: اکنون متن را بلند بخوانید.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/video.py" line="361"/>
        <source>Getting the sentence to read…</source>
        <translation>در حال دریافت جمله‌ای که باید بخوانید…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/video.py" line="362"/>
        <source>When you are ready, press Start and read the sentence aloud.</source>
        <translation>هر وقت آماده بودید «شروع» را بزنید و جمله را بلند بخوانید.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/video.py" line="220"/>
        <location filename="../../kiosk/ui/pages/video.py" line="357"/>
        <location filename="../../kiosk/ui/pages/video.py" line="363"/>
        <source>Get ready…</source>
        <translation>آماده شوید…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/video.py" line="364"/>
        <source>Recording: read the sentence aloud now.</source>
        <translation>در حال ضبط: اکنون جمله را بلند بخوانید.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/video.py" line="299"/>
        <location filename="../../kiosk/ui/pages/video.py" line="378"/>
        <source>Thank you, your video was accepted.</source>
        <translation>سپاس، ویدئوی شما پذیرفته شد.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/video.py" line="341"/>
        <source>Tries left: {n} of {total}</source>
        <translation>تلاش باقی‌مانده: {n} از {total}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/video.py" line="343"/>
        <source>Record again</source>
        <translation>ضبط دوباره</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/video.py" line="344"/>
        <source>Start</source>
        <translation>شروع</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/video.py" line="369"/>
        <source>Video: read the declaration</source>
        <translation>ویدئو: خواندن متن تعهد</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/video.py" line="370"/>
        <source>Video: read the sentence</source>
        <translation>ویدئو: خواندن جمله</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/video.py" line="376"/>
        <source>Try again</source>
        <translation>تلاش دوباره</translation>
    </message>
</context>
<context>
    <name>Welcome</name>
    <message>
        <location filename="../../kiosk/ui/pages/welcome.py" line="70"/>
        <source>The last session was cancelled. Everything captured was erased.</source>
        <translation>جلسهٔ قبلی لغو شد. هر چه گرفته شده بود پاک شد.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/welcome.py" line="71"/>
        <source>The last session ended because nobody used the kiosk for a while. Everything captured was erased.</source>
        <translation>جلسهٔ قبلی تمام شد چون مدتی کسی با کیوسک کار نکرد. هر چه گرفته شده بود پاک شد.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/welcome.py" line="73"/>
        <source>The last session stopped after an unexpected error. Everything captured was erased. If it happens again, call technical support.</source>
        <translation>جلسهٔ قبلی پس از یک خطای پیش‌بینی‌نشده متوقف شد. هر چه گرفته شده بود پاک شد. اگر دوباره پیش آمد، با پشتیبانی فنی تماس بگیرید.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/welcome.py" line="75"/>
        <source>The last session ended: the applicant did not give consent.</source>
        <translation>جلسهٔ قبلی تمام شد: متقاضی رضایت نداد.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/welcome.py" line="79"/>
        <source>Tracking code: {id}</source>
        <translation>کد پیگیری: {id}</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/welcome.py" line="83"/>
        <source>Welcome</source>
        <translation>خوش آمدید</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/welcome.py" line="87"/>
        <source>Identity verification</source>
        <translation>احراز هویت</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/welcome.py" line="88"/>
        <source>A staff member will start your session. You will be asked for your details, your signature, your national card, a photo of your face and short videos of you reading aloud.</source>
        <translation>کارمند شعبه جلسهٔ شما را آغاز می‌کند. مشخصات، امضا، کارت ملی، عکس چهره و ویدئوهای کوتاهی که در آن‌ها متنی را بلند می‌خوانید از شما خواسته می‌شود.</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/welcome.py" line="91"/>
        <source>Start a new session</source>
        <translation>شروع جلسهٔ جدید</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/welcome.py" line="93"/>
        <source>Dismiss</source>
        <translation>بستن</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/pages/welcome.py" line="95"/>
        <source>Demo mode: built-in sandbox broker, simulated devices</source>
        <translation>حالت نمایشی: سامانهٔ احراز هویت آزمایشی داخلی و دستگاه‌های شبیه‌سازی‌شده</translation>
    </message>
</context>
</TS>
