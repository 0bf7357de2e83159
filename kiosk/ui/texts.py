"""Sentences the pages show that come from keys or broker statuses."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication as Q

from kiosk.i18n.capture_sentences import SENTENCES
from kiosk.i18n.messages import t


def key_sentence(key: str | None, lang: str) -> str:
    """A sentence for a message key of the Qt-free layers (capture, speech, quality...)."""
    if not key:
        return ""
    try:
        text = t(key, lang)
        if text and text != key:
            return text
    except Exception:  # noqa: BLE001 - catalogue not there or key unknown
        pass

    entry = SENTENCES.get(key)
    if entry:
        return entry.get(lang) or entry.get("en") or key
    return Q.translate("Texts", "Something went wrong with the camera or microphone.")


def error_sentence(exc: BaseException, lang: str) -> str:
    """A sentence for any exception a page may meet (broker, capture, other)."""
    if hasattr(exc, "sentence"):
        try:
            return exc.sentence(lang)
        except Exception:  # noqa: BLE001
            pass
    key = getattr(exc, "message_key", None)
    if key:
        return key_sentence(key, lang)
    return Q.translate("Texts", "An unexpected error happened.")


def outcome_reason(status: int | None) -> str:
    """Why the broker did not accept a selfie or a video, for the applicant."""
    reasons = {
        2: Q.translate("Texts", "The camera could not confirm that you are present in person. Look straight "
                       "at the camera, without a hat or dark glasses."),
        3: Q.translate("Texts", "Your face did not match your photo at the civil registry. Take off glasses "
                       "or hat and look straight at the camera."),
        4: Q.translate("Texts", "No clear face was found in the picture. Face the camera in good light."),
        5: Q.translate("Texts", "The verification service had a problem. Please try again."),
        6: Q.translate("Texts", "The sentence was not heard clearly. Read it aloud, slowly and clearly."),
    }
    return reasons.get(int(status) if status is not None else -1,
                       Q.translate("Texts", "The verification service did not accept it. Please try again."))
