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
    """The report's one instruction in ``lang`` (``FaceReport.instruction``; the catalogue for a
    report without it)."""
    key = getattr(report, "instruction_key", None)
    if key is None:
        return ""
    fn = getattr(report, "instruction", None)
    text = fn(lang) if callable(fn) else None
    return text or key_sentence(key, lang)
