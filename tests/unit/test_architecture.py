"""The import rules. Only kiosk.ui and kiosk.workers may import PySide6 (as napari enforces for
its Qt-free core), checked statically over the source and by importing every Qt-free module in a
fresh interpreter; and the packages form layers (``LAYERS``), checked over every import."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
QT_FREE = ("core", "broker", "capture", "quality", "sandbox", "config", "i18n")


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / "kiosk" / package).rglob("*.py"))


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"), str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("package", QT_FREE)
def test_no_qt_import_in_source(package):
    offenders = {str(p.relative_to(ROOT)): sorted(n for n in _imports(p) if n.split(".")[0] in ("PySide6", "shiboken6", "kiosk.ui", "kiosk.workers") or n.startswith(("kiosk.ui", "kiosk.workers")))
                 for p in _modules(package)}
    offenders = {k: v for k, v in offenders.items() if v}
    assert not offenders, f"Qt or UI imports in Qt-free code: {offenders}"


def test_importing_every_qt_free_module_loads_no_qt():
    names = [".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
             for package in QT_FREE for p in _modules(package)]
    code = ("import importlib, sys\n"
            f"for n in {names!r}: importlib.import_module(n)\n"
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6'))\n"
            "print(','.join(bad))\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "", f"Qt loaded by Qt-free modules: {out.stdout.strip()}"
    assert len(names) > 30  # the walk really found the packages


# The layers of kiosk, lowest first. A module may import from its own layer's package or from
# a lower layer, never from a higher one nor from a sibling package of its own layer. Every
# import counts, at the top of a file or inside a function (a deferred import hides a cycle; it
# does not remove it). Written down once here; the README's Development notes point to it.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("kiosk.hardening", "kiosk.memory"),  # the process: core dumps, private folders, allocator
    ("kiosk", "kiosk.paths", "kiosk.resources", "kiosk.cvcompat"),  # base: files, resources, cv2
    ("kiosk.i18n",),                    # sentences and digits
    ("kiosk.errors",),                  # the one error family (says its sentence)
    ("kiosk.config",),                  # settings (reads sentences)
    ("kiosk.broker", "kiosk.capture"),  # broker client | camera, microphone, recorder
    ("kiosk.quality",),                 # face, documents, signature checks on captured frames
    ("kiosk.core", "kiosk.sandbox"),    # the session's rules, journal, media store | test broker
    ("kiosk.selftest", "kiosk.workers", "kiosk.logsetup"),  # app-level checks, Qt worker threads
    ("kiosk.ui",),
    ("kiosk.app",),
    ("kiosk.cli",),
    ("kiosk.__main__",),
)

# Imports that go against the layers today, to be removed (a ratchet: this list may only
# shrink; a new violation fails, and so does an entry here that no longer happens).
KNOWN_VIOLATIONS: frozenset[tuple[str, str]] = frozenset({
    # the screenshot tool builds the whole application (kiosk.app) to photograph its screens;
    # it belongs beside the CLI, not in kiosk.ui
    ("kiosk.ui.screenshots", "kiosk.app"),
})


def _unit(module: str) -> str:
    """The layer unit (an entry of LAYERS) a module belongs to: its longest matching prefix."""
    best = ""
    for layer in LAYERS:
        for unit in layer:
            if (module == unit or module.startswith(unit + ".")) and len(unit) > len(best):
                best = unit
    return best


def _rank(unit: str) -> int:
    return next(i for i, layer in enumerate(LAYERS) if unit in layer)


def _module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def _kiosk_imports(path: Path) -> list[tuple[str, int]]:
    """Every kiosk module ``path`` imports (relative imports resolved), with its line."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    out: list[tuple[str, int]] = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            out.extend((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            # "from kiosk import paths" imports the module kiosk.paths
            out.extend((f"{target}.{alias.name}" if _is_module(f"{target}.{alias.name}") else target, node.lineno)
                       for alias in node.names)
    return [(name, line) for name, line in out if name == "kiosk" or name.startswith("kiosk.")]


def _is_module(name: str) -> bool:
    rel = Path(*name.split("."))
    return (ROOT / rel).is_dir() or (ROOT / rel.with_suffix(".py")).is_file()


def _violations() -> dict[tuple[str, str], list[str]]:
    found: dict[tuple[str, str], list[str]] = {}
    for path in sorted((ROOT / "kiosk").rglob("*.py")):
        source = _module_name(path)
        src_unit = _unit(source)
        for target, line in _kiosk_imports(path):
            dst_unit = _unit(target)
            if dst_unit == src_unit or _rank(dst_unit) < _rank(src_unit):
                continue
            key = (source, dst_unit)
            found.setdefault(key, []).append(f"{path.relative_to(ROOT)}:{line} imports {target}")
    return found


def test_every_kiosk_module_has_a_layer():
    missing = [_module_name(p) for p in (ROOT / "kiosk").rglob("*.py") if not _unit(_module_name(p))]
    assert not missing, f"modules in no layer (add them to LAYERS): {missing}"


def test_imports_follow_the_layers():
    found = _violations()
    new = {k: v for k, v in found.items() if k not in KNOWN_VIOLATIONS}
    assert not new, ("imports against the layers (a module may import only from its own package or a lower "
                     "layer; move the helper down instead):\n" + "\n".join(x for v in new.values() for x in v))


def test_known_violations_still_happen():
    """The ratchet only shrinks: a violation that was fixed must leave KNOWN_VIOLATIONS."""
    gone = KNOWN_VIOLATIONS - set(_violations())
    assert not gone, f"fixed, remove from KNOWN_VIOLATIONS: {sorted(gone)}"


def test_the_layer_check_sees_deferred_and_relative_imports(tmp_path, monkeypatch):
    """The check would catch an upward import hidden inside a function, and a relative one."""
    fake = tmp_path / "kiosk"
    (fake / "config").mkdir(parents=True)
    (fake / "core").mkdir()
    (fake / "__init__.py").write_text("")
    (fake / "core" / "__init__.py").write_text("")
    (fake / "config" / "__init__.py").write_text("")
    (fake / "config" / "settings.py").write_text("def f():\n    from ..core import staff_pin\n")
    (fake / "core" / "staff_pin.py").write_text("import os\n")
    monkeypatch.setitem(globals(), "ROOT", tmp_path)
    assert _violations() == {("kiosk.config.settings", "kiosk.core"):
                             ["kiosk/config/settings.py:2 imports kiosk.core.staff_pin"]}
