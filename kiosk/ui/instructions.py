"""The face checks' one instruction, as a sentence and an icon."""
from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtGui import QPainter

from kiosk.resources import resource
from kiosk.ui.texts import key_sentence

# (substring of the instruction key, icon); the first match wins
ICON_RULES = (
    ("no_face", "face"), ("not_found", "face"), ("several", "one_person"), ("multiple", "one_person"),
    ("two", "one_person"), ("alone", "one_person"), ("closer", "closer"), ("far", "closer"),
    ("near", "farther"), ("back", "farther"), ("left", "arrow_left"), ("right", "arrow_right"),
    ("up", "arrow_up"), ("down", "arrow_down"), ("roll", "straighten"), ("straight", "straighten"),
    ("tilt", "straighten"), ("dark", "light"), ("bright", "bright"), ("overexpos", "bright"),
    ("blur", "still"), ("still", "still"), ("sharp", "still"), ("eye", "eyes"), ("cent", "center"),
    ("cut", "center"), ("frame", "center"),
)


def icon_name(key: str | None) -> str:
    if not key:
        return "ok"
    low = key.lower()
    for part, icon in ICON_RULES:
        if part in low:
            return icon
    return "face"


_cache: dict[tuple[str, int], QPixmap] = {}


def icon_pixmap(name: str, size: int = 72) -> QPixmap:
    cached = _cache.get((name, size))
    if cached is not None:
        return cached
    pm = QPixmap(QSize(size, size))
    pm.fill(Qt.GlobalColor.transparent)
    renderer = QSvgRenderer(str(resource("icons", f"{name}.svg")))
    p = QPainter(pm)
    renderer.render(p)
    p.end()
    _cache[(name, size)] = pm
    return pm


def instruction_text(report, lang: str) -> str:
    """The report's one instruction in ``lang``, whatever form the analyzer gives it in."""
    key = getattr(report, "instruction_key", None)
    if key is None:
        return ""
    for attr in ("instruction", "sentence"):
        fn = getattr(report, attr, None)
        if callable(fn):
            try:
                text = fn(lang)
                if text:
                    return text
            except TypeError:
                pass
    try:
        from kiosk.quality import face as face_mod

        for name in ("instruction_sentence", "sentence", "instruction"):
            fn = getattr(face_mod, name, None)
            if callable(fn):
                text = fn(key, lang)
                if text:
                    return text
    except ImportError:
        pass
    return key_sentence(key, lang)
