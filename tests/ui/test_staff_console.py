"""The staff console as a staff member uses it, in the kiosk's own style and window: compact
settings rows (many on a screen), groups to jump to, a human label for every setting, a wheel
that scrolls and never changes a value; today's sessions in words and within the width; the
lookup's pictures within an 800 px screen; the whole console inside 1024x768 and 1280x800 with
no window manager (Close always on screen, no horizontal scrolling)."""
from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, QRect, Qt, QTimer
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QComboBox, QLabel, QPushButton, QWidget

from kiosk.app import create_application
from kiosk.broker.client import BrokerClient
from kiosk.config.settings import DEFINITIONS, Settings
from kiosk.core.sessions_log import SessionsLog
from kiosk.i18n.messages import has, t
from kiosk.ui.i18n import LRI, PDI, isolate_ltr, isolate_runs
from kiosk.ui.staff.console import ConsoleDialog, StaffConsole


@pytest.fixture
def settings(tmp_path):
    return Settings(path=tmp_path / "kiosk" / "settings.toml")


@pytest.fixture
def open_console(qtbot, settings):
    """open_console(lang, size) -> ConsoleDialog, as the shell opens it, in the kiosk's style,
    fitted to a screen of ``size`` (what a screen with no window manager gives it)."""
    made = []

    def make(lang="en", size=(1100, 720), **kw):
        create_application(lang=lang)
        console = StaffConsole(settings, lang=lang, broker_url="http://127.0.0.1:9", **kw)
        dialog = ConsoleDialog(console)
        qtbot.addWidget(dialog)
        dialog.fit(QRect(0, 0, *size))
        dialog.show()
        qtbot.waitExposed(dialog)
        made.append(dialog)
        return dialog

    yield make
    for dialog in made:
        dialog.console.shutdown()
        dialog.close()


def settle():
    for _ in range(3):
        QApplication.processEvents()


def wheel(widget: QWidget, steps: int = -1) -> None:
    """A mouse wheel turned over ``widget`` (negative: towards the person, the page goes down)."""
    pos = QPointF(widget.rect().center())
    event = QWheelEvent(pos, QPointF(widget.mapToGlobal(pos.toPoint())), QPoint(0, 0), QPoint(0, 120 * steps),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def inside(widget: QWidget, window: QWidget) -> bool:
    """``widget``'s whole rectangle lies within ``window``."""
    top_left = widget.mapTo(window, QPoint(0, 0))
    return window.rect().contains(QRect(top_left, widget.size()))


# ----------------------------------------------------------------------------- 1. settings

def test_every_setting_has_a_human_label_in_both_languages(open_console):
    missing = [s.key for s in DEFINITIONS if not has("staff.label." + s.key)]
    assert not missing, f"settings with no human label: {missing}"
    for lang in ("fa", "en"):
        page = open_console(lang).console.settings_page
        for s in DEFINITIONS:
            title = page.labels[s.key].text()
            assert t("staff.label." + s.key, lang).replace("&", "&amp;") in title, (s.key, lang)
            assert s.key in title  # the raw key, small, beside it
            help_text = page.helps[s.key].text()
            assert help_text and (lang == "en" or any("\u0600" <= c <= "\u06ff" for c in help_text)), (s.key, lang)


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_a_screen_shows_many_settings_and_groups_are_one_click_away(qtbot, open_console, lang):
    dialog = open_console(lang)
    page = dialog.console.settings_page
    settle()
    first = page.visible_rows()
    least = {"fa": 5, "en": 7}[lang]  # the Persian font's lines are taller; it was 1 or 2 in both
    assert len(first) >= least, f"only {len(first)} settings on the screen: {first}"
    # every row's input is a normal-height field, not a touch-screen one
    assert max(page.fields[k].height() for k in first) <= 40
    # a click on "Face photo quality" in the group list brings its settings up
    items = [page.group_list.item(i) for i in range(page.group_list.count())]
    quality = next(i for i in items if i.data(Qt.ItemDataRole.UserRole) == "quality")
    assert quality.text() == t("staff.group.quality", lang)
    qtbot.mouseClick(page.group_list.viewport(), Qt.MouseButton.LeftButton,
                     pos=page.group_list.visualItemRect(quality).center())
    settle()
    shown = page.visible_rows()
    assert "quality.max_yaw" in shown and "broker.url" not in shown and len(shown) >= least
    # typing in the search field leaves only what matches
    qtbot.keyClicks(page.search, "jwt_algorithm")
    settle()
    assert page.visible_rows() == ["tokens.jwt_algorithm"]
    page.search.clear()


def test_the_wheel_scrolls_the_settings_and_never_changes_a_value(qtbot, open_console, settings):
    dialog = open_console("fa")
    page = dialog.console.settings_page
    bar = page.scroll_area.verticalScrollBar()
    before = page.form_values()
    turned_over: set[str] = set()
    for _ in range(100):  # down the whole page, the wheel over whatever field is under it
        for key in page.visible_rows():
            widget = page.fields[key]
            if isinstance(widget, QComboBox) and key not in turned_over:
                turned_over.add(key)
                wheel(widget, -1)
                wheel(widget, +1)
                wheel(widget, -1)
        value = bar.value()
        wheel(page.scroll_area.viewport(), -4)
        settle()
        if bar.value() == value:
            break
    assert bar.value() == bar.maximum() > 0  # the wheel scrolled the page to its end
    assert {"tokens.jwt_algorithm", "ui.language", "logging.level"} <= turned_over
    assert page.form_values() == before  # and changed nothing
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert not settings.path.exists()  # nothing to write
    assert settings["tokens.jwt_algorithm"] == "HS256"


def test_paths_keys_and_units_read_left_to_right_in_persian(open_console):
    page = open_console("fa").console.settings_page
    assert f"{LRI}" in page.file_label.text() and page.file_label.text().rstrip().endswith(PDI)
    assert str(page.settings.path) in page.file_label.text()
    assert f"{LRI}" in page.labels["broker.url"].text()  # the raw key
    # a standard's name with its number, and three status codes, each one left-to-right run
    assert isolate_ltr("ISO/IEC 19794-5") in page.helps["quality.max_yaw"].text()
    assert isolate_ltr("۵۰۲/۵۰۳/۵۰۴") in page.helps["broker.retries"].text()
    assert isolate_runs("کف -19 dBFS است") == f"کف {isolate_ltr('-19 dBFS')} است"
    assert isolate_runs("خالی/simulated.") == f"خالی/{isolate_ltr('simulated')}."  # no slash pulled in


# ----------------------------------------------------------------------------- 2. sessions

STEPS = ["signature", "id_front", "id_back", "selfie", "selfie_video", "admittance_video"]


@pytest.fixture
def sessions_log(tmp_path):
    log = SessionsLog(tmp_path / "sessions.db")
    log.start("510904216023215500")
    for step in STEPS:
        log.step_done("510904216023215500", step)
    log.finish("510904216023215500", "verified")
    log.start("449916888997392968")
    for step in STEPS[:4]:
        log.step_done("449916888997392968", step)
    log.add_error("449916888997392968", "selfie:refused")
    log.add_error("449916888997392968", 1602)
    log.finish("449916888997392968", "failed")
    log.start("693096218546608638")
    log.finish("693096218546608638", "aborted")
    log.start("127767841795041691")
    yield log
    log.close()


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_todays_sessions_read_in_words_and_fit_the_width(qtbot, open_console, sessions_log, lang):
    dialog = open_console(lang, sessions_log=sessions_log)
    console = dialog.console
    tabs = console.tabs.tabBar()
    qtbot.mouseClick(tabs, Qt.MouseButton.LeftButton, pos=tabs.tabRect(2).center())
    page = console.sessions_page
    assert console.tabs.currentWidget() is page
    settle()
    table = page.table
    assert table.rowCount() == 4
    # no horizontal scrolling: every column within the table's view, the outcome first
    assert not table.horizontalScrollBar().isVisible()
    header = table.horizontalHeader()
    assert sum(header.sectionSize(i) for i in range(table.columnCount())) <= table.viewport().width()
    assert header.visualIndex(page.column("verdict")) == 0
    outcome = table.visualItemRect(table.item(0, page.column("verdict")))
    assert table.viewport().rect().contains(outcome)
    assert inside(page, dialog) and inside(console.close_button, dialog)

    def cell(row: int, name: str) -> str:
        return table.item(row, page.column(name)).text()

    # the steps by the names the wizard's own screens give them (problem.step_title)
    words = {"fa": ("تأیید شد", "رد شد", "در جریان", "کارت ملی، رو", "ویدئوی خواندن متن تعهد"),
             "en": ("Verified", "Failed", "In progress", "National card, front", "Video reading the declaration")}[lang]
    assert cell(0, "verdict") == words[0] and cell(1, "verdict") == words[1] and cell(3, "verdict") == words[2]
    assert words[3] in cell(0, "steps") and words[4] in cell(0, "steps")
    for row in range(4):
        for name in ("steps", "verdict", "error_codes"):
            assert not any(raw in cell(row, name) for raw in ("id_front", "selfie_video", "refused", "aborted"))
    assert t("flow.step.selfie", lang) in cell(1, "error_codes")
    if lang == "fa":
        assert "۱۶۰۲" in cell(1, "error_codes") and "۵۱۰۹۰۴۲۱۶۰۲۳۲۱۵۵۰۰" in cell(0, "order_id")
    # the steps wrap: the whole text of a cell is shown, not cut
    steps_rect = table.visualItemRect(table.item(0, page.column("steps")))
    needed = table.fontMetrics().boundingRect(steps_rect, int(Qt.TextFlag.TextWordWrap), cell(0, "steps"))
    assert needed.height() <= steps_rect.height() + 2


# ----------------------------------------------------------------------------- 3. lookup

DETAILS = {"national_code": "0012345679", "birth_date": "1370/01/01", "mobile": "09123456789",
           "card_serial": "1A23456789"}


@pytest.fixture
def order_with_media(sandbox):
    """An order at the sandbox broker holding a selfie (a real face) and a signature."""
    from skimage import data

    from kiosk.cvcompat import cv2

    ok, selfie = cv2.imencode(".jpg", cv2.cvtColor(cv2.resize(data.astronaut(), (640, 640)), cv2.COLOR_RGB2BGR))
    assert ok
    pad = np.full((400, 900, 3), 255, np.uint8)
    cv2.polylines(pad, [np.array([[60, 300], [200, 90], [330, 280], [520, 120], [840, 260]], np.int32)], False,
                  (20, 20, 20), 6)
    ok, signature = cv2.imencode(".png", pad)
    assert ok
    oid = "".join(str(d) for d in np.random.default_rng().integers(0, 10, 18))
    with BrokerClient(sandbox.url, sandbox.credentials, Settings()) as c:
        token, sig = c.new_verification_token(DETAILS, oid)
        c.set_token(token, sig)
        c.save_signature(token, signature.tobytes())
        assert c.send_prob_image(token, selfie.tobytes()).passed
    return oid


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_the_lookups_pictures_fit_an_800_px_screen_with_close_on_it(qtbot, open_console, sandbox, order_with_media,
                                                                   lang):
    dialog = open_console(lang, size=(1280, 800))
    console = dialog.console
    console.make_client = lambda: BrokerClient(sandbox.url, sandbox.credentials, Settings())
    console.lookup_page.client_factory = console.make_client
    tabs = console.tabs.tabBar()
    qtbot.mouseClick(tabs, Qt.MouseButton.LeftButton, pos=tabs.tabRect(3).center())
    page = console.lookup_page
    qtbot.mouseClick(page.order_edit, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(page.order_edit, order_with_media)
    qtbot.mouseClick(page.go_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.busy and page.result is not None, timeout=20000)
    assert page.result.ok, page.message.text()
    qtbot.mouseClick(page.media_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.busy and bool(page.media), timeout=20000)
    settle()
    assert {"selfie", "signature"} <= set(page.media)
    # the window stayed on the 800 px screen, Close on it, nothing to scroll sideways
    assert dialog.height() <= 800 and dialog.width() <= 1280
    assert inside(console.close_button, dialog) and console.close_button.isVisible()
    assert page.minimumSizeHint().height() <= page.height()  # nothing squeezed out of sight
    assert not page.results_area.horizontalScrollBar().isVisible()
    # each picture is scaled into its place: whole, and within the page's view
    view = page.results_area.viewport()
    for part in ("selfie", "signature"):
        pic = page.pictures[part]
        shown = pic.pixmap()
        assert shown is not None and not shown.isNull()
        assert shown.width() <= pic.width() and shown.height() <= pic.height()
        assert shown.width() >= 100 or shown.height() >= 100  # still a picture one can look at
        page.results_area.ensureWidgetVisible(page.save_buttons[part])
        settle()
        top_left = page.save_buttons[part].mapTo(view, QPoint(0, 0))
        assert view.rect().contains(QRect(top_left, page.save_buttons[part].size()))
    # the scores and the status are still there above the pictures
    assert page.scores.isVisible() and page.scores.rowCount() >= 1


# ----------------------------------------------------------------------------- 4. the whole console

def _clipped(page: QWidget) -> list[str]:
    """Buttons, one-line labels and tabs narrower than their text, and scroll areas that scroll sideways."""
    bad = []
    for button in page.findChildren(QPushButton):
        if button.isVisibleTo(page) and button.width() < button.minimumSizeHint().width():
            bad.append(f"button {button.text()!r} {button.width()} < {button.minimumSizeHint().width()}")
    for label in page.findChildren(QLabel):
        if label.isVisibleTo(page) and not label.wordWrap() and label.pixmap().isNull() and label.text():
            if label.width() < label.minimumSizeHint().width():
                bad.append(f"label {label.text()[:30]!r} {label.width()} < {label.minimumSizeHint().width()}")
    for area in page.findChildren(QAbstractScrollArea):
        if area.isVisibleTo(page) and area.horizontalScrollBar().isVisible():
            bad.append(f"{type(area).__name__} scrolls sideways")
    return bad


@pytest.mark.parametrize("size", [(1024, 768), (1280, 800)])
@pytest.mark.parametrize("lang", ["fa", "en"])
def test_the_console_fits_the_screen_with_no_window_manager(qtbot, open_console, sessions_log, lang, size):
    screen = QRect(0, 0, *size)
    dialog = open_console(lang, size=size, sessions_log=sessions_log)
    console = dialog.console
    assert screen.contains(dialog.geometry()), (dialog.geometry(), screen)
    tabs = console.tabs.tabBar()
    assert tabs.sizeHint().width() <= console.tabs.width()  # every tab's name shown, no tab scrolling
    for i in range(console.tabs.count()):
        qtbot.mouseClick(tabs, Qt.MouseButton.LeftButton, pos=tabs.tabRect(i).center())
        settle()
        page = console.tabs.currentWidget()
        assert console.tabs.currentIndex() == i
        assert screen.contains(dialog.geometry())
        assert inside(console.close_button, dialog) and console.close_button.isVisible()
        assert inside(page, dialog)
        # the page got at least what it needs: nothing squeezed or cut
        assert page.minimumSizeHint().width() <= page.width() and page.minimumSizeHint().height() <= page.height()
        assert _clipped(page) == [], (list(console.pages)[i], _clipped(page))
    # Close, clicked, closes the window
    qtbot.mouseClick(console.close_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()


def test_the_shell_opens_the_console_inside_its_screen(qtbot, make_window):
    """From the staff menu: the console's window is never larger than the screen it opens on
    (the test screen is 800 px tall) and its Close button closes it."""
    window = make_window("fa")
    seen: dict[str, object] = {}

    def look_and_close():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ConsoleDialog):
            QTimer.singleShot(50, look_and_close)
            return
        settle()
        area = dialog.screen().availableGeometry()
        seen["inside"] = area.contains(dialog.frameGeometry())
        seen["close"] = inside(dialog.console.close_button, dialog)
        seen["size"] = (dialog.width(), dialog.height(), area.width(), area.height())
        qtbot.mouseClick(dialog.console.close_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, look_and_close)
    window.open_console()  # returns when the console's window closes
    assert seen.get("inside") and seen.get("close"), seen
