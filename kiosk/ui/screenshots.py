"""``kiosk run --screenshots DIR``: every screen in both languages as PNG (for the README and for
checking Persian shaping, right-to-left layout and clipped texts by eye).

Screens are put in a representative state directly (no devices, no broker): the camera view
shows a shipped sample face, the selfie screen a report asking to turn left, the video screen a
sentence and a countdown, the verdict a failed selfie.
"""
from __future__ import annotations

import math
import os
from pathlib import Path
from types import SimpleNamespace

import numpy as np
from PySide6.QtWidgets import QApplication

from kiosk.broker.errors import BrokerRefused
from kiosk.capture.simdocs import DocumentScene
from kiosk.core.flow import State
from kiosk.core.validation import ApplicantDetails, DetailsInvalid
from kiosk.cvcompat import cv2
from kiosk.quality import instructions
from kiosk.resources import resource
from kiosk.ui.session import SessionData
from kiosk.ui.shell import KioskWindow
from kiosk.ui.texts import outcome_reason
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


def render_all(out_dir, settings, size=(1280, 800)) -> list[Path]:
    from kiosk.app import Services, create_application  # noqa: PLC0415 - kiosk.app builds this window; ui.screenshots -> app is a known layer exception (test_architecture)

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    app, language = create_application(lang="fa")
    class ShotServices(Services):
        def media_store(self, session_id: str) -> _MemoryStore:  # nothing written to disk
            return _MemoryStore()

    services = ShotServices(settings, "http://127.0.0.1:9", None, client_factory=lambda: None)
    window = KioskWindow(services, language, fullscreen=False)
    window.resize(*size)
    window.show()
    frame = sample_frame()
    session = window.session
    files: list[Path] = []
    props = {"SignaturePermission": True, "PersonDocumentTypePermission": [101, 102], "SelfiePermission": True,
             "VideoPermission": True, "AdmittancePermission": True, "SelfieTryCount": 3, "VideoTryCount": 3}

    def fake_session():
        session.data = SessionData(order_id="KSK3F9A27C1D0B44E21")
        session.store = _MemoryStore()  # type: ignore[assignment]  # ui/session.py types it None until registration (being rewritten)
        session.flow.start()
        session.flow.details_ok()
        session.flow.consent_given()
        session.flow.registered(props)

    def at(step):
        session.flow.flow.state = State(step)

    def shot(name: str, lang: str) -> None:
        for _ in range(3):
            app.processEvents()
        if window.height() > size[1] and os.environ.get("KIOSK_SHOT_DEBUG"):
            print(name, lang, {n: p.minimumSizeHint().toTuple() for n, p in window.pages.items()})
        path = out / f"{name}_{lang}.png"
        window.grab().save(str(path))
        files.append(path)

    def show(name):
        page = window.pages[name]
        if window.current is not None and window.current is not page:
            window.current.leave()
        window.current = page
        window.stack.setCurrentWidget(page)
        return page

    try:
        for lang in ("fa", "en"):
            language.switch(lang)
            fake_session()
            window.show_page("welcome")
            shot("01_welcome", lang)
            page = show("details")
            page.enter()
            page.edits["national_code"].setText("۰۰۱۲۳۴۵۶۷۸")
            page.edits["birth_date"].setText("1376/11/13")
            page.edits["mobile"].setText("0912345")
            page.edits["card_serial"].setText("1A23B45678")

            try:
                ApplicantDetails.parse(page.raw())
            except DetailsInvalid as exc:
                page._show_errors(dict(exc.errors))
            shot("02_details_errors", lang)
            show("consent").enter()
            shot("03_consent", lang)
            show("busy").enter(stage="register")
            shot("04_registration", lang)
            show("problem").enter(error=BrokerRefused("demo", code=1224), order_id="KSK3F9A27C1D0B44E21",
                                  step="registration")
            shot("05_problem_1224", lang)
            for step, still in document_stills().items():
                at(step)
                page = show(step)
                page.set_step(session.step_index())
                page.phase, page.mode, page.report = "live", "camera", None
                page.pad.setVisible(False)  # hide first: both shown at once would grow the window
                page.view.setVisible(True)
                page.view.set_frame(still)
                page.on_report(None, document_report(step, still))
                page.staff_panel.show_report(page.report)
                page._sync()
                shot(f"06_{step}", lang)
            page = show("signature")
            page.mode = "pad"
            page.view.setVisible(False)
            page.pad.setVisible(True)
            page.pad.strokes = pad_strokes(page.pad.pad_size())
            page._sync()
            shot("06_signature_pad", lang)
            page.mode = "camera"
            at("selfie")
            page = show("selfie")
            page.set_step(session.step_index())
            page.phase = "live"
            page.view.set_frame(frame)
            page._on_report(None, _report())
            shot("07_selfie", lang)
            at("selfie_video")
            page = show("selfie_video")
            page.set_step(session.step_index())
            page.text = "امروز هوا آفتابی است و من در شعبه هستم"
            page.phase = "countdown"
            page.count = 2
            page.view.set_frame(frame)
            page.countdown.setVisible(True)
            page.retranslate()
            page.meter.set_level(0.55)
            page.progress.setValue(0)
            page.staff_panel.show_report(_report(None))
            shot("08_selfie_video_countdown", lang)
            page.countdown.setVisible(False)
            page.phase = "recording"
            page.progress.setValue(450)
            page.retranslate()
            shot("09_selfie_video_recording", lang)
            page.phase = "retake"
            page.local_key = "speech.too_quiet"
            page.retranslate()
            page.status.setStyleSheet("color: #b5161d;")
            shot("10_selfie_video_local_retake", lang)
            show("verdict").enter(verified=False, order_id="KSK3F9A27C1D0B44E21", steps=[
                {"step": "signature", "ok": True, "tries": 1},
                {"step": "id_front", "ok": True, "tries": 1},
                {"step": "selfie", "ok": False, "tries": 3, "reason": lambda _lang: outcome_reason(3)},
            ], broker_message="")
            shot("11_verdict_failed", lang)
            show("verdict").enter(verified=True, order_id="KSK3F9A27C1D0B44E21", steps=[
                {"step": s, "ok": True, "tries": 1} for s in ("signature", "id_front", "id_back", "selfie",
                                                               "selfie_video", "admittance_video")])
            shot("12_verdict_verified", lang)
            show("failsafe").enter()
            shot("13_failsafe", lang)
            window.pages["failsafe"].leave()
            session.data = None
            session.flow.flow.token_open = False
            session.flow.reset()
    finally:
        window.shutdown()
        window.deleteLater()
        QApplication.processEvents()
    return files
