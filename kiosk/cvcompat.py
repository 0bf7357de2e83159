"""Import OpenCV without letting it break Qt.

A GUI build of OpenCV sets ``QT_QPA_PLATFORM_PLUGIN_PATH`` and ``QT_QPA_FONTDIR`` to its own
Qt5 files on import, after which PySide6 cannot load its platform plugin. The set-up installs the
headless build, but a kiosk may have the other one, so every module imports cv2 from here.
"""
import os

_before = {k: os.environ.get(k) for k in ("QT_QPA_PLATFORM_PLUGIN_PATH", "QT_QPA_FONTDIR")}
import cv2  # noqa: E402

for _k, _v in _before.items():
    if _v is None:
        os.environ.pop(_k, None)
    else:
        os.environ[_k] = _v

__all__ = ["cv2"]
