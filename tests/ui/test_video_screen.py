"""The video screen as an applicant sees it: the preview does not move when the 3-2-1 starts or
ends (the count is drawn over the picture), the microphone's level and the recording's bar are
labelled, and in English a note says the (Persian) sentence is to be read aloud in Persian."""
from __future__ import annotations

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QApplication

from ui_helpers import click, finish_photo, start_to_consent, wait_page, wait_photo


def _settle() -> None:
    for _ in range(3):  # layout requests are posted events: let them run (no time passes for it)
        QApplication.sendPostedEvents()
        QApplication.processEvents()


def _place(page) -> QRect:
    """Where the preview is in the window."""
    return QRect(page.view.mapTo(page.window(), QPoint(0, 0)), page.view.size())


def _walk_to_video(qtbot, window):
    click(qtbot, start_to_consent(qtbot, window).agree)
    for name in ("signature", "id_front", "id_back", "selfie"):
        finish_photo(qtbot, window, wait_photo(qtbot, window, name, timeout=30000))
    page = wait_page(qtbot, window, "selfie_video", timeout=40000)
    qtbot.waitUntil(lambda: page.phase == "ready", timeout=30000)
    return page


def test_the_preview_stays_put_through_the_countdown_and_the_bars_are_labelled(qtbot, make_window):
    window = make_window("en")
    window.countdown_ms = 3000  # a countdown long enough to look at (nothing below measures time)
    page = _walk_to_video(qtbot, window)
    _settle()
    before = _place(page)
    assert before.width() > 300 and before.height() > 200
    assert page.mic_label.isVisible() and page.mic_label.text() == "Microphone"
    seconds = round(page.record_seconds or window.settings["recording.seconds"])
    assert page.time_label.isVisible() and page.time_label.text() == f"Recording length: {seconds} s"
    qtbot.waitUntil(lambda: page.view.guide_ok, timeout=30000)  # a good face: the oval turns green, as on the selfie
    assert page.status.text() == "When you are ready, press Start and read the sentence aloud."
    declaration = window.pages["admittance_video"]  # the declaration's screen names what is read
    assert declaration.phase_text("ready") == "When you are ready, press Start and read the text aloud."
    click(qtbot, page.start_button)
    qtbot.waitUntil(lambda: page.phase == "countdown" and page.countdown.isVisible(), timeout=10000)
    _settle()
    assert _place(page) == before  # the count came: the preview did not move
    count = page.countdown.geometry()
    assert page.countdown.parent() is page.view and page.view.rect().contains(count)  # drawn over the picture
    assert abs(count.center().x() - page.view.width() // 2) <= 2  # centred on it
    assert page.countdown.text() in ("3", "2", "1")
    qtbot.waitUntil(lambda: page.phase == "recording", timeout=30000)
    _settle()
    assert not page.countdown.isVisible() and page.rec.isVisible()
    assert _place(page) == before  # the count went and REC came: still in place
    assert page.time_label.text() == f"Recording length: {seconds} s"  # the bar says what it measures


def test_in_english_the_persian_sentence_says_to_read_it_in_persian(qtbot, make_window):
    window = make_window("en")
    page = _walk_to_video(qtbot, window)
    assert any("\u0600" <= ch <= "\u06ff" for ch in page.text)  # the broker's random text is Persian
    note = page.read_note
    assert note.isVisible() and note.text() == "Read this sentence aloud in Persian."
    assert note.geometry().bottom() <= page.sentence_box.geometry().top()  # above the sentence
    click(qtbot, page.lang_button)  # in Persian nothing needs saying
    qtbot.waitUntil(lambda: page.mic_label.text() == "میکروفون", timeout=20000)
    assert not note.isVisible()
    assert page.time_label.text().startswith("مدت ضبط")
    click(qtbot, page.lang_button)
    qtbot.waitUntil(lambda: note.isVisible() and note.text() == "Read this sentence aloud in Persian.", timeout=20000)
