"""The import rule (as napari enforces for its Qt-free core): only kiosk.ui and kiosk.workers
may import PySide6. Checked two ways: statically over the source, and by importing every
Qt-free module in a fresh interpreter and looking at sys.modules."""
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
