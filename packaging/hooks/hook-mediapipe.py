"""PyInstaller hook for mediapipe 1.x (PyInstaller and its contrib hooks have none).

mediapipe's Tasks API is a ctypes wrapper around one native library, ``libmediapipe.so``, that
``mediapipe.tasks.python.core.mediapipe_c_bindings`` finds with
``importlib.resources.files('mediapipe.tasks.c') / 'libmediapipe.so'``. So the library must sit at
``mediapipe/tasks/c/`` inside the bundle and ``mediapipe.tasks.c`` must be an importable package.
PyInstaller's import analysis sees neither (ctypes, importlib.resources).

The kiosk ships its own models (``resources/models``), so none of mediapipe's data is needed at
run time except the flatbuffer schemas the metadata reader may open (a few kB). The test and
benchmark sub-packages (absl.testing, test data) are left out.
"""
from PyInstaller.utils.hooks import collect_data_files, collect_dynamic_libs, collect_submodules

_SKIP = (".test", ".benchmark")


def _wanted(name: str) -> bool:
    return not any(part in name for part in _SKIP)


# (source, destination folder) pairs, destination mirrors the package: mediapipe/tasks/c
binaries = collect_dynamic_libs("mediapipe")
datas = collect_data_files("mediapipe", includes=["**/*.fbs"])
# every Tasks module is imported for real at start (mediapipe/__init__ imports the lot), but the
# C-bindings modules are reached only through the ctypes loader, so collect them all explicitly
hiddenimports = ["mediapipe.tasks.c"] + collect_submodules("mediapipe.tasks.python", filter=_wanted)
excludedimports = ["mediapipe.tasks.python.test", "mediapipe.tasks.python.benchmark", "absl.testing"]
