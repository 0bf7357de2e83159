"""Languages in the Qt layer: translators, layout direction, fonts and digits.

The wizard's own texts are English source strings passed through
``QCoreApplication.translate(context, text)``; ``resources/i18n/kiosk_fa.ts`` holds their Persian
(after changing a text, from the project folder::

    .venv/bin/pyside6-lupdate -extensions py -no-obsolete kiosk/ui -ts resources/i18n/kiosk_fa.ts
    # translate the new entries (Qt Linguist, or edit the XML), then
    .venv/bin/pyside6-lrelease resources/i18n/kiosk_fa.ts -qm resources/i18n/kiosk_fa.qm

lupdate skips ``.py`` files without ``-extensions py``; ``tests/unit/test_translations.py`` fails
when a text has no finished translation or the ``.qm`` is not the ``.ts`` compiled). The staff
console's texts are keys in ``kiosk/ui/staff/texts.py`` (``staff_text``), not Qt translations.
Qt's own ``qtbase_fa.qm`` (from PySide6's translations folder) translates the standard buttons. Sentences that come from the Qt-free layers (broker errors, validation, face
instructions, speech checks) already exist in fa and en and are asked for in ``Language.current``.

Switching the language (``LanguageManager.switch``) swaps the translators, which makes Qt send a
``LanguageChange`` event to every widget; pages answer it with ``retranslate()``. It also flips
the application's layout direction and font.
"""
from __future__ import annotations

import logging
import re
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QObject, Qt, QTranslator, Signal
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QApplication

from kiosk.i18n import digits
from kiosk.resources import resource

log = logging.getLogger(__name__)

LANGUAGES = ("fa", "en")
PERSIAN_FAMILY = "Noto Sans Arabic"
_BASE_POINT_SIZE = 14


def to_persian_digits(text: str) -> str:
    """ASCII digits to Persian digits (for display only: never for values sent anywhere)."""
    return digits.to_persian_digits(text).replace(".", digits.FA_DECIMAL)


def localize_digits(text: str, lang: str) -> str:
    return to_persian_digits(text) if lang == "fa" else str(text)


LRI, PDI, LRE, PDF = "\u2066", "\u2069", "\u202a", "\u202c"
RLI, FSI = "\u2067", "\u2068"
_RTL_LETTER = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_LTR_LETTER = re.compile("[A-Za-z\u00c0-\u024f]")


def is_rtl(text: str) -> bool:
    """The text's first strong letter is Persian/Arabic/Hebrew (its own reading direction)."""
    rtl, ltr = _RTL_LETTER.search(text), _LTR_LETTER.search(text)
    return rtl is not None and (ltr is None or rtl.start() < ltr.start())


def isolate_message(text: str) -> str:
    """A sentence from elsewhere (the broker's) as a run of its own direction (RLI/FSI ... PDI)."""
    return f"{RLI if is_rtl(text) else FSI}{text}{PDI}" if text else text


def tracking_code(order_id: str, lang: str) -> str:
    """An order id as the staff reads it out: Persian digits in Persian, kept left to right (the
    staff console's lookup and ``kiosk status`` take either digits). A code with Latin letters
    (``broker.order_id_format = alphanumeric``) keeps its Latin digits: «KSK۳F۹A» reads as neither."""
    if not order_id:
        return order_id
    return isolate_ltr(localize_digits(order_id, lang) if order_id.isdigit() else order_id)


def isolate_ltr(text: str) -> str:
    """A left-to-right run (a path, a URL, a code, a number with its unit) isolated so that
    right-to-left text around it never reorders it (Unicode LRI ... PDI)."""
    # the isolate for engines that know it, and an embedding inside it for Qt's, which reorders
    # "/tmp/x" as "tmp/x/" with the isolate alone
    return f"{LRI}{LRE}{text}{PDF}{PDI}" if text else text


# runs that must read left to right inside Persian text: URLs, paths, setting keys, codes, numbers
# with a Latin unit or a sign (-19 dBFS, 48000 Hz, ISO/IEC 19794-5, XXX-x-0000, ۵۰۲/۵۰۳/۵۰۴):
# Latin letters and digits (either script) joined by ``. - / : _`` and single spaces; a leading
# sign or slash only where a word starts; never a sentence's last full stop
_W = r"[A-Za-z0-9\u06f0-\u06f9_~%]"
_PART = _W + r"(?:[A-Za-z0-9\u06f0-\u06f9_~%+.\-/:?=&#@]*" + _W + r")?"
_LTR_RUN = re.compile(r"(?:(?:(?<=^)|(?<=[\s(«]))(?:https?://|[-+\u2212~/]|\.{1,2}/))?" + _PART
                      + r"(?:\s(?=[A-Za-z0-9\u06f0-\u06f9])" + _PART + r")*")


def isolate_runs(text: str) -> str:
    """Every left-to-right run in a right-to-left sentence isolated (``isolate_ltr``)."""
    return _LTR_RUN.sub(lambda m: isolate_ltr(m.group(0)), text)


#: Persian letters look smaller than Latin ones at the same pixel size: the Persian style scales
#: every font size by this, so both languages read at the same optical size.
PERSIAN_SCALE = 1.12
_FONT_SIZE = re.compile(r"font-size:\s*(\d+(?:\.\d+)?)px")


def scale_font_sizes(qss: str, factor: float) -> str:
    """The style sheet with every ``font-size: Npx`` multiplied by ``factor``."""
    if factor == 1.0:
        return qss
    return _FONT_SIZE.sub(lambda m: f"font-size: {round(float(m.group(1)) * factor)}px", qss)


def fmt_number(value, lang: str, decimals: int | None = None) -> str:
    """A number as the applicant reads it: Persian digits in fa."""
    if decimals is not None:
        text = f"{float(value):.{decimals}f}"
    else:
        text = str(value)
    return localize_digits(text, lang)


def load_fonts() -> list[str]:
    """Register the shipped Persian fonts; returns the families Qt found in them."""
    families: list[str] = []
    for path in sorted(resource("fonts").glob("*.ttf")):
        fid = QFontDatabase.addApplicationFont(str(path))
        if fid < 0:
            log.warning("font not loaded: %s", path.name)
            continue
        families.extend(QFontDatabase.applicationFontFamilies(fid))
    return sorted(set(families))


def qt_translations_dir() -> Path:
    return Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))


def kiosk_qm(lang: str) -> Path:
    return resource("i18n", f"kiosk_{lang}.qm")


class LanguageManager(QObject):
    """Owns the translators; ``switch(lang)`` changes the language of the whole application."""

    changed = Signal(str)

    def __init__(self, app: QCoreApplication, lang: str = "fa"):
        super().__init__(app)
        self.app = app
        self.current = ""
        self._translators: list[QTranslator] = []
        self.families = load_fonts() if isinstance(app, QGuiApplication) else []
        self.style = ""  # the application's style sheet, as written (scaled for Persian)
        self.switch(lang)

    def set_style(self, qss: str) -> None:
        self.style = qss
        self._apply_style()

    def _apply_style(self) -> None:
        if self.style and isinstance(self.app, QApplication):
            self.app.setStyleSheet(scale_font_sizes(self.style, PERSIAN_SCALE if self.current == "fa" else 1.0))

    def _install(self, lang: str) -> None:
        for tr in self._translators:
            self.app.removeTranslator(tr)
        self._translators = []
        if lang == "en":
            return
        candidates = [(qt_translations_dir() / f"qtbase_{lang}.qm", "qtbase"), (kiosk_qm(lang), "kiosk")]
        for path, name in candidates:
            tr = QTranslator(self)
            if path.exists() and tr.load(str(path)):
                self.app.installTranslator(tr)
                self._translators.append(tr)
            else:
                log.warning("translation %s for %s not loaded (%s)", name, lang, path)

    def switch(self, lang: str) -> None:
        if lang not in LANGUAGES:
            raise ValueError(f"unknown language {lang!r}")
        if lang == self.current:
            return
        self.current = lang
        QLocale.setDefault(QLocale(QLocale.Language.Persian, QLocale.Country.Iran) if lang == "fa"
                           else QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        if isinstance(self.app, QGuiApplication):
            self.app.setLayoutDirection(Qt.LayoutDirection.RightToLeft if lang == "fa"
                                        else Qt.LayoutDirection.LeftToRight)
            font = QFont(self.app.font())
            if lang == "fa" and PERSIAN_FAMILY in self.families:
                font.setFamilies([PERSIAN_FAMILY, "DejaVu Sans"])
            else:
                font.setFamilies(["DejaVu Sans", PERSIAN_FAMILY])
            font.setPointSize(_BASE_POINT_SIZE)
            self.app.setFont(font)
        self._apply_style()
        self._install(lang)  # sends LanguageChange to every widget
        self.changed.emit(lang)

    def toggle(self) -> None:
        self.switch("en" if self.current == "fa" else "fa")


_manager: LanguageManager | None = None


def set_manager(manager: LanguageManager | None) -> None:
    global _manager
    _manager = manager


def current_language() -> str:
    return _manager.current if _manager is not None else "fa"
