"""``kiosk run --screenshots DIR``: every screen in both languages as PNG (for the README and for
checking Persian shaping, right-to-left layout and clipped texts by eye).

Screens are put in a representative state directly (no devices, no broker): the camera view
shows a shipped sample face, the selfie screen a report asking to turn left, the video screen a
sentence and a countdown, the verdict a failed selfie.
"""
from __future__ import annotations

import json
import math
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
from PySide6.QtCore import QCoreApplication as Q
from PySide6.QtWidgets import QApplication, QDialog, QVBoxLayout
from kiosk.app import Services, create_application
from kiosk.broker.errors import BrokerRefused, TransportError
from kiosk.capture.simdocs import DocumentScene
from kiosk.core.flow import State
from kiosk.core.session import SessionData
from kiosk.core.validation import ApplicantDetails, DetailsInvalid
from kiosk.cvcompat import cv2
from kiosk.quality import instructions
from kiosk.resources import resource
from kiosk.ui.i18n import fmt_number
from kiosk.ui.shell import KioskWindow
from kiosk.ui.staff import StaffConsole
from kiosk.ui.texts import outcome_reason
from kiosk.ui.widgets import PinDialog
from kiosk.workers.capture import DocumentAnalyzer


class _MemoryStore:
    def __init__(self):
        self.items: dict[int, bytes] = {}

    def put(self, step, data, kind):
        self.items[len(self.items)] = data
        return len(self.items) - 1

    def get(self, ref):
        return self.items[ref]

    def confirm(self, ref):
        self.items.pop(ref, None)

    def wipe(self):
        self.items.clear()


def sample_frame(width: int = 640, height: int = 480) -> np.ndarray:
    path = resource("sim", "grace_hopper.jpg")
    img = cv2.imread(str(path)) if path.exists() else None
    if img is None:
        img = np.full((height, width, 3), 90, np.uint8)
    h, w = img.shape[:2]
    scale = max(width / w, height / h)
    img = cv2.resize(img, (int(w * scale + 0.5), int(h * scale + 0.5)))
    y0 = (img.shape[0] - height) // 2
    x0 = (img.shape[1] - width) // 2
    return np.ascontiguousarray(img[y0:y0 + height, x0:x0 + width])


def document_stills() -> dict:
    """Frames of the simulated camera's document scenes: the signed sheet (good), the card's
    front held too far (an instruction shows)."""
    sheet = DocumentScene("signature").render(0.0)
    scene = DocumentScene("card")
    scene.share = 0.36  # too far: "move the card closer"
    card = scene.render(0.0)
    return {"signature": sheet, "id_front": cv2.GaussianBlur(card, (0, 0), 0.6)}


def document_report(step: str, image):
    analyzer = DocumentAnalyzer(step)
    try:
        return analyzer.analyze(image)
    finally:
        analyzer.close()


def pad_strokes(size) -> list:
    """A drawn signature on the touch pad (two loops and an underline)."""
    w, h = size
    loop = [(w * (0.15 + 0.5 * i / 60) + 40 * math.sin(i / 3.0), h * (0.45 + 0.18 * math.cos(i / 3.0)), None, i / 60)
            for i in range(61)]
    line = [(w * (0.12 + 0.7 * i / 20), h * (0.74 + 0.01 * math.sin(i)), None, i / 20) for i in range(21)]
    return [loop, line]


def _report(instruction_key="face.turn_left"):
    data = {"ok": False, "faces": 1, "yaw": 9.4, "pitch": -1.2, "roll": 0.8, "sharpness": 112.0,
            "illumination": 0.46, "inter_eye_px": 104.0, "failures": ["turn_left"]}
    return SimpleNamespace(ok=False, instruction_key=instruction_key, to_dict=lambda: dict(data),
                           instruction=lambda lang: instructions.sentence(instruction_key, lang))


ORDER_ID = "KSK3F9A27C1D0B44E21"
ADMITTANCE_TEXT = ("اینجانب با آگاهی کامل و به اختیار خود تعهد می‌کنم که اطلاعات ارائه‌شده در این درخواست "
                   "درست است و مسئولیت هرگونه نادرستی آن را می‌پذیرم و اجازه می‌دهم که بانک برای احراز هویت من "
                   "از تصویر و صدای ضبط‌شده استفاده کند و آن را طبق قانون نزد سامانهٔ احراز هویت نگه دارد تا "
                   "درخواست من بررسی شود")
#: Screens not built as screens of their own yet, and the closest screen shown for them.
STAND_INS = {
    "prepare_selfie": "the selfie screen before the camera's first report (its instruction and oval)",
    "pin_pad": "the staff PIN dialog (keyboard entry; no on-screen keypad yet)",
}


def render_all(out_dir, settings, size=(1280, 800)) -> list[Path]:  # noqa: C901 - every screen, in order
    """Every screen and state in Persian and English as ``DIR/<id>_<lang>.png``, and
    ``DIR/index.json``: a list of ``{"id", "lang", "title", "file"}`` (``STAND_INS`` say which
    screen shows an id that has no screen of its own)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    app, language = create_application(lang="fa")
    services = Services(settings, "http://127.0.0.1:9", None, client_factory=lambda: None)
    setattr(services, "media_store", lambda sid: _MemoryStore())  # noqa: B010 - no disk in a screenshot run
    window = KioskWindow(services, language, fullscreen=False)
    pages: dict[str, Any] = dict(window.pages)  # the pages by name, with their own attributes
    window.clock_timer.stop()  # no idle time-out while the screens are posed
    window.resize(*size)
    window.show()
    frame = sample_frame()
    session = window.session
    files: list[Path] = []
    index: list[dict] = []
    props = {"SignaturePermission": True, "PersonDocumentTypePermission": [101, 102], "SelfiePermission": True,
             "VideoPermission": True, "AdmittancePermission": True, "SelfieTryCount": 3, "VideoTryCount": 3}

    def fake_session(state=None):
        session.data = SessionData(order_id=ORDER_ID)
        session.store = _MemoryStore()
        session.flow.reset()
        session.flow.start()
        if state in (State.DETAILS,):
            return
        session.flow.details_ok()
        if state == State.CONSENT:
            return
        session.flow.consent_given()
        session.flow.registered(props)

    def at(step):
        session.flow.state = State(step)

    def settle():
        for _ in range(4):
            app.processEvents()

    def save(widget, screen_id: str, lang: str, title: str) -> None:
        settle()
        path = out / f"{screen_id}_{lang}.png"
        widget.grab().save(str(path))
        files.append(path)
        index.append({"id": screen_id, "lang": lang, "title": title, "file": path.name})

    def shot(screen_id: str, lang: str) -> None:
        page = window.current
        save(window, screen_id, lang, page.title_label.text() if page is not None else "")

    def show(name, step=None) -> Any:
        page = pages[name]
        if window.current is not None and window.current is not page:
            window.current.leave()
        window.current = page
        window.stack.setCurrentWidget(page)
        page.set_step(session.flow.journey())
        return page

    def video(kind, text, phase, progress=0, count=0) -> Any:
        at(kind)
        page = show(kind)
        page.reset()
        page.view.set_frame(frame)
        page._got_sentence(text)
        page.phase = phase
        page.count = count
        page.view.place_overlays()  # the 3-2-1 over the picture
        page.countdown.setVisible(phase == "countdown")
        page.meter.set_level(0.55 if phase == "recording" else 0.2)
        page.progress.setValue(progress)
        if phase == "recording":
            page._show_rec(page.record_seconds * (1 - progress / 1000))
        page.retranslate()
        return page

    try:
        for lang in ("fa", "en"):
            language.switch(lang)
            window.show_page("welcome")
            pages["welcome"].dismiss_notice()
            shot("welcome", lang)
            pages["welcome"].show_notice("idle", ORDER_ID)
            shot("welcome_notice", lang)
            pages["welcome"].dismiss_notice()
            fake_session(State.DETAILS)
            page = show("details")
            page.enter()
            shot("details", lang)
            page.edits["national_code"].setText("۰۰۱۲۳۴۵۶۷۸")
            page.edits["birth_date"].setText("1376/11/13")
            page.edits["mobile"].setText("0912345")
            page.edits["card_serial"].setText("1A23B45678")
            try:
                ApplicantDetails.parse(page.raw())
            except DetailsInvalid as exc:
                page._show_errors(dict(exc.errors))
            shot("details_errors", lang)
            page.clear()
            fake_session(State.CONSENT)
            consent = show("consent")
            consent.enter()
            shot("consent", lang)
            consent.ask_refuse()  # "I do not agree (end)" asks first
            shot("consent_refuse", lang)
            consent.confirm.hide()
            fake_session()
            session.flow.state = State.REGISTRATION
            show("busy").enter(stage="register")
            shot("registration", lang)
            show("problem").enter(error=BrokerRefused("demo", code=1224), order_id=ORDER_ID, step="registration")
            shot("problem", lang)
            show("problem").enter(error=TransportError("demo"), order_id=ORDER_ID, step="selfie")
            shot("problem_network", lang)
            stills = document_stills()
            for step, screen_id in (("signature", "signature"), ("id_front", "card_front")):
                still = stills[step]
                at(step)
                page = show(step)
                page.reset()
                page.offer_preparation()  # the picture, two lines and "I'm ready"
                shot("prepare_signature" if step == "signature" else "prepare_card", lang)
                page.end_preparation()
                page.mode = "camera"
                page.pad.setVisible(False)  # hide first: both shown at once would grow the window
                page.view.setVisible(True)
                page.view.set_frame(still)
                page.on_report(None, document_report(step, still))
                page.staff_panel.show_report(page.report)
                page._sync()
                shot(screen_id, lang)
            page = pages["id_front"]
            card = getattr(page.report, "card", None)
            if card is None:  # the far card of the still: the straightened card as the review shows it
                card = document_report("id_front", DocumentScene("card").render(0.0)).card
            page.show_review(b"", card)  # "Retake" and "Send"
            shot("card_review", lang)
            page.reset()  # back to the live view
            at("signature")
            page = show("signature")
            page.reset()
            page.mode = "pad"
            page.view.setVisible(False)
            page.pad.setVisible(True)
            page.pad.strokes = pad_strokes(page.pad.pad_size())
            page._sync()
            shot("signature_pad", lang)
            page.mode = "camera"
            page.pad.setVisible(False)
            page.view.setVisible(True)
            at("selfie")
            page = show("selfie")
            page.reset()
            page.offer_preparation()
            shot("prepare_selfie", lang)
            page.end_preparation()
            page.view.set_frame(frame)
            page._on_report(None, _report())
            shot("selfie", lang)
            page.report = SimpleNamespace(ok=True, instruction_key=None, to_dict=dict)
            page.view.set_guide_ok(True)
            page.view.set_hold(0.6)  # every check passes: the "hold still" ring fills
            page._show_instruction()
            shot("selfie_hold_still", lang)
            page.view.set_hold(0)
            page._on_report(None, _report())
            window.set_measurements(True)
            shot("selfie_measurements", lang)
            window.set_measurements(False)
            sentence = "امروز هوا آفتابی است و من در شعبه هستم"
            video("selfie_video", sentence, "countdown", count=2)
            shot("video_countdown", lang)
            video("selfie_video", sentence, "recording", progress=450)
            shot("video_recording", lang)
            page = video("selfie_video", sentence, "retake")
            page.local_key = "speech.too_quiet"
            page.retranslate()
            page.status.setStyleSheet("color: #b5161d;")
            shot("video_local_retake", lang)
            video("admittance_video", ADMITTANCE_TEXT, "ready")
            shot("admittance", lang)
            video("admittance_video", ADMITTANCE_TEXT, "recording", progress=600)
            shot("admittance_recording", lang)
            at("signature")
            show("signature").reset()
            window.ask_cancel()
            shot("cancel_confirm", lang)
            window.cancel_confirm.hide()
            session.flow.last_activity = session.flow.clock() - session.flow.idle_seconds + 12
            window.clock_timer.stop()
            left = session.flow.idle_warning()
            if left is not None:
                window.idle_warning.set_texts(
                    Q.translate("Shell", "Are you still there?"),
                    Q.translate("Shell", "The session will end and everything captured will be erased in:"),
                    Q.translate("Shell", "I'm still here"),
                    count=Q.translate("Shell", "{n} s").format(n=_digits(12, lang)))
                window.idle_warning.open()
            shot("idle_warning", lang)
            window.idle_warning.hide()
            session.flow.touch()
            session.flow.state = State.VERDICT
            steps_ok = [{"step": s, "ok": True, "tries": 1} for s in ("signature", "id_front", "id_back", "selfie",
                                                                        "selfie_video", "admittance_video")]
            show("verdict").enter(verified=True, order_id=ORDER_ID, steps=steps_ok)
            shot("verdict_verified", lang)
            show("verdict").enter(verified=False, order_id=ORDER_ID, steps=[
                {"step": "signature", "ok": True, "tries": 1},
                {"step": "id_front", "ok": True, "tries": 1},
                {"step": "selfie", "ok": False, "tries": 3, "reason": lambda _lang: outcome_reason(3)},
            ], broker_message="تصویر سلفی تایید نشد.")  # the identity service's own words, in Persian
            shot("verdict_failed", lang)
            show("verdict").enter(verified=False, incomplete=True, order_id=ORDER_ID, steps=steps_ok[:4],
                                  missing=["selfie_video", "admittance_video"])
            shot("verdict_incomplete", lang)
            show("failsafe").enter()
            shot("failsafe", lang)
            pages["failsafe"].leave()
            session.data = None
            session.flow.token_open = False
            session.flow.reset()
            # the staff's screens
            pin = PinDialog(lambda _pin: False, window)
            pin.resize(520, 320)
            pin.show()
            pin.edit.setText("12")
            save(pin, "pin_pad", lang, pin.windowTitle())
            pin.error.setText(pin.wrong_sentence(2))  # a wrong PIN says how many tries are left
            save(pin, "pin_wrong", lang, pin.windowTitle())
            pin.close()
            pin.deleteLater()
            console = StaffConsole(settings, lang=lang, broker_url="http://127.0.0.1:9")
            holder = QDialog(window)
            QVBoxLayout(holder).addWidget(console)
            holder.resize(1100, 720)
            holder.show()
            for i, name in enumerate(("settings", "selftest", "sessions", "lookup")):
                console.tabs.setCurrentIndex(i)
                save(holder, f"staff_{name}", lang, console.tabs.tabText(i))
            console.shutdown()
            holder.hide()
            holder.deleteLater()
    finally:
        window.shutdown()
        services.close()
        window.deleteLater()
        QApplication.processEvents()
    (out / "index.json").write_text(json.dumps(index, ensure_ascii=False, indent=1), "utf-8")
    return files


def _digits(n: int, lang: str) -> str:
    return fmt_number(n, lang)
