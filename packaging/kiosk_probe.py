"""Start-up probe of the frozen kiosk (packaging and benchmarks only; never active in production).

Enabled by ``KIOSK_STARTUP_PROBE=FILE`` (read by ``packaging/kiosk_entry.py``) for ``kiosk run``:

* records wall-clock times (``time.time()``) of: the entry point reached (``entry``), the main
  window shown with the event loop running (``window_shown``), and the first camera frame painted
  in the preview (``first_preview_frame``: the first ``frame_shown()`` call of ``CaptureThread`` (a ``CameraWorker``), which
  the capture pages make right after handing the frame to the view);
* goes to the page named by ``KIOSK_PROBE_PAGE`` (default ``selfie``, the live preview with face
  checks; ``welcome`` = stop at the main window) right after the window is shown;
* ``KIOSK_PROBE_SCREENSHOT=PNG``: saves a grab of the whole X screen ``KIOSK_PROBE_SETTLE`` seconds
  (default 2) after the first frame, so the picture shows what the applicant would see;
* then quits the kiosk through its own clean path (``KioskWindow.quit_kiosk``) and the process exits
  with the app's exit code. ``KIOSK_PROBE_TIMEOUT`` (default 60 s) bounds the wait for a frame.

FILE gets one JSON object: ``{"entry": t, "window_shown": t, "first_preview_frame": t,
"screenshot": path, "screenshot_colours": n, "errors": [...]}``; ``screenshot_colours`` counts the
distinct colours of a 160x100 reduction (a blank screen has one or two). Times are absolute, so the
caller subtracts its own launch time.
"""
from __future__ import annotations

import json
import os
import time

_state: dict = {"entry": time.time(), "errors": []}
_path = ""


def _write() -> None:
    tmp = _path + ".part"
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(_state, fh)
    os.replace(tmp, _path)


def _error(what: str) -> None:
    _state["errors"].append(what)
    _write()


def install(path: str) -> None:
    global _path
    _path = path
    _write()
    try:
        from kiosk.ui import shell
        from kiosk.workers import capture
    except Exception as exc:  # noqa: BLE001 - report, never break the app
        _error(f"cannot hook the UI: {type(exc).__name__}: {exc}")
        return

    page_name = os.environ.get("KIOSK_PROBE_PAGE", "selfie")
    shot = os.environ.get("KIOSK_PROBE_SCREENSHOT", "")
    settle = float(os.environ.get("KIOSK_PROBE_SETTLE", "2"))
    timeout = float(os.environ.get("KIOSK_PROBE_TIMEOUT", "60"))
    windows = []

    def finish() -> None:
        if "quit" in _state:
            return
        if shot:
            try:
                from PySide6.QtGui import QGuiApplication

                screen = QGuiApplication.primaryScreen()
                pixmap = screen.grabWindow(0)  # the whole screen, as the X server has it
                if pixmap.isNull() or not pixmap.save(shot, "PNG"):
                    _error("screenshot failed")
                else:
                    _state["screenshot"] = shot
                    _state["screenshot_size"] = [pixmap.width(), pixmap.height()]
                    small = pixmap.toImage().scaled(160, 100)
                    _state["screenshot_colours"] = len({small.pixel(x, y) for x in range(small.width())
                                                        for y in range(small.height())})
            except Exception as exc:  # noqa: BLE001
                _error(f"screenshot failed: {type(exc).__name__}: {exc}")
        _state["quit"] = time.time()
        _write()
        for w in windows:
            w.quit_kiosk()

    original_show_start = shell.KioskWindow.show_start

    def show_start(self, *a, **kw):
        result = original_show_start(self, *a, **kw)
        windows.append(self)
        from PySide6.QtCore import QTimer

        def shown() -> None:
            _state["window_shown"] = time.time()
            _write()
            if page_name and page_name != "welcome":
                try:
                    self.show_page(page_name)
                    # no session is open: keep the page live (preview and face checks) but switch
                    # its auto-capture off, or a good face would be "sent" with no token
                    page = self.pages.get(page_name)
                    if page is not None and hasattr(page, "auto"):
                        page.auto = None
                except Exception as exc:  # noqa: BLE001
                    _error(f"cannot open page {page_name}: {type(exc).__name__}: {exc}")
                    QTimer.singleShot(0, finish)
                    return
                QTimer.singleShot(int(timeout * 1000), timed_out)
            else:
                QTimer.singleShot(int(settle * 1000), finish)

        def timed_out() -> None:
            if "first_preview_frame" not in _state:
                _error(f"no preview frame within {timeout:g} s")
                finish()

        QTimer.singleShot(0, shown)  # runs once the event loop has started and the window is up
        return result

    original_frame_shown = capture.CaptureThread.frame_shown

    def frame_shown(self, *a, **kw):
        if "first_preview_frame" not in _state:
            _state["first_preview_frame"] = time.time()
            _write()
            from PySide6.QtCore import QTimer

            QTimer.singleShot(int(settle * 1000), finish)
        return original_frame_shown(self, *a, **kw)

    shell.KioskWindow.show_start = show_start
    capture.CaptureThread.frame_shown = frame_shown
