"""Overrides PyInstaller's hook for PySide6.QtGui to collect only the Qt plugins a kiosk uses.

The stock hook collects every plugin QtGui may load: GTK3 platform theme (pulls GTK, cairo, ATK,
pango into the bundle and needs libgtk-3 on the kiosk), Wayland clients, eglfs/KMS device
integrations, VNC/linuxfb platforms, tls backends. The kiosk runs on X11 (or offscreen for tests)
and draws its own style (resources/styles/kiosk.qss), so those are dropped *before* PyInstaller
analyses their library dependencies. Kept: platforms xcb + offscreen, xcb GL integrations,
image formats, SVG icon engine, input contexts (compose, ibus: on-screen keyboards).
"""
import os

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

hiddenimports, binaries, datas = add_qt6_dependencies(__file__)

_DROP_DIRS = ("platformthemes", "wayland-decoration-client", "wayland-graphics-integration-client",
              "wayland-shell-integration", "egldeviceintegrations", "tls", "networkinformation",
              "generic", "accessiblebridge")
_KEEP_PLATFORMS = ("libqxcb.so", "libqoffscreen.so")


def _keep(src: str, dest: str) -> bool:
    parts = dest.replace(os.sep, "/").split("/")
    if "plugins" not in parts:
        return True
    kind = parts[parts.index("plugins") + 1] if len(parts) > parts.index("plugins") + 1 else ""
    if kind in _DROP_DIRS:
        return False
    if kind == "platforms":
        return os.path.basename(src) in _KEEP_PLATFORMS
    return True


binaries = [(src, dest) for src, dest in binaries if _keep(src, dest)]
