"""The one instruction the applicant is given at a time, in Persian and English.

``PRIORITY`` is the order in which failed checks are told: the first failure of a report decides
its ``instruction_key``. Keys are ``face.*`` so the i18n catalogue can merge ``SENTENCES``.
"""
from __future__ import annotations

#: check name -> instruction key, in the order they are told to the applicant
PRIORITY: tuple[tuple[str, str], ...] = (
    ("no_face", "face.no_face"),
    ("multiple_faces", "face.multiple_faces"),
    ("too_far", "face.come_closer"),
    ("too_near", "face.move_back"),
    ("off_centre", "face.centre"),
    ("cut_off", "face.cut_off"),
    ("turn_left", "face.turn_left"),
    ("turn_right", "face.turn_right"),
    ("head_up", "face.head_up"),
    ("head_down", "face.head_down"),
    ("roll", "face.straighten"),
    ("too_dark", "face.too_dark"),
    ("too_bright", "face.too_bright"),
    ("overexposed", "face.too_bright"),
    ("covered", "face.uncover"),  # after light: in the dark the parts cannot be told apart
    ("blurred", "face.hold_still"),
    ("eyes_closed", "face.open_eyes"),
    # a measure that could not be taken fails closed (kiosk.quality.face.judge)
    *((f"unmeasured_{name}", "face.not_measured") for name in (
        "too_far", "too_near", "off_centre", "cut_off", "yaw", "pitch", "roll", "too_dark", "too_bright",
        "overexposed", "blurred", "motion", "detail", "eyes_closed", "covered")),
)
ORDER = {name: i for i, (name, _) in enumerate(PRIORITY)}
KEY_OF = dict(PRIORITY)

SENTENCES: dict[str, dict[str, str]] = {
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
}


def sentence(key: str | None, lang: str = "fa") -> str | None:
    """The sentence of ``key`` in ``lang`` ("fa" or "en"); None for None or an unknown key."""
    if not key or key not in SENTENCES:
        return None
    return SENTENCES[key].get(lang) or SENTENCES[key]["en"]


def first_instruction(failures: list[str]) -> str | None:
    """The instruction key of the highest-priority failure."""
    ranked = sorted((f for f in failures if f in ORDER), key=ORDER.__getitem__)
    return KEY_OF[ranked[0]] if ranked else None


__all__ = ["PRIORITY", "SENTENCES", "sentence", "first_instruction"]
