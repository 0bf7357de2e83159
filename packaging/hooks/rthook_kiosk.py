"""Runtime hook of the kiosk executable (runs before the entry point).

matplotlib is not bundled: the only importer is mediapipe's ``vision.drawing_utils`` (plotting
helpers the kiosk never calls), imported by ``mediapipe/__init__`` on every start. Leaving
matplotlib out saves ~80 MB (with Pillow, fontTools, kiwisolver, ...) and ~0.4 s of start-up.
A stand-in ``matplotlib.pyplot`` lets that import succeed; touching it raises AttributeError
with a clear message.
"""
import sys
import types


def _install_matplotlib_stub() -> None:
    try:
        import matplotlib  # noqa: F401  (bundled after all: use the real one)
        return
    except ImportError:
        pass

    message = "matplotlib is not part of the kiosk executable (mediapipe drawing helpers are unavailable)"

    def _missing(name):
        if name.startswith("__"):
            raise AttributeError(name)
        raise AttributeError(f"{message}: matplotlib.pyplot.{name}")

    mpl = types.ModuleType("matplotlib", message)
    mpl.__path__ = []  # a package, so "matplotlib.pyplot" is a valid name
    pyplot = types.ModuleType("matplotlib.pyplot", message)
    pyplot.__getattr__ = _missing
    mpl.pyplot = pyplot
    mpl.__kiosk_stub__ = True
    sys.modules["matplotlib"] = mpl
    sys.modules["matplotlib.pyplot"] = pyplot


_install_matplotlib_stub()
