"""The wizard's Qt translations are complete and shipped compiled: every text that
``pyside6-lupdate`` finds in ``kiosk/ui`` has a finished Persian translation in
``resources/i18n/kiosk_fa.ts``, and ``kiosk_fa.qm`` is that file compiled (so an edit to the
``.ts`` that was not released fails here, not at a branch)."""
from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "i18n" / "kiosk_fa.ts"
QM = ROOT / "resources" / "i18n" / "kiosk_fa.qm"


def tool(name: str) -> str:
    here = Path(sys.executable).parent / name
    found = str(here) if here.exists() else shutil.which(name)
    if not found:
        pytest.skip(f"{name} is not installed (it comes with PySide6)")
    return found


def messages(path: Path) -> dict[tuple[str, str], tuple[str, str]]:
    """(context, source) -> (translation, its type attribute: '' finished, 'unfinished', ...)."""
    out = {}
    for ctx in ET.parse(path).getroot().iter("context"):
        name = ctx.findtext("name") or ""
        for m in ctx.iter("message"):
            t = m.find("translation")
            out[(name, m.findtext("source") or "")] = ((t.text or "") if t is not None else "",
                                                      t.get("type", "") if t is not None else "missing")
    return out


def test_every_wizard_text_has_a_finished_persian_translation(tmp_path):
    found = tmp_path / "found.ts"
    subprocess.run([tool("pyside6-lupdate"), "-extensions", "py", str(ROOT / "kiosk" / "ui"), "-ts", str(found)],
                   check=True, capture_output=True, timeout=120)
    in_code = messages(found)
    shipped = messages(TS)
    assert len(in_code) > 80  # the scan did find the wizard's texts
    assert all(ctx for ctx, _ in in_code), "a tr() call with no context: the staff texts use staff_text()"
    missing = sorted(k for k in in_code if k not in shipped)
    assert not missing, f"texts with no entry in {TS.name} (run the lupdate command of kiosk/ui/i18n.py): {missing}"
    unfinished = sorted(k for k in in_code if shipped[k][1] or not shipped[k][0].strip())
    assert not unfinished, f"untranslated: {unfinished}"
    assert not [k for k in in_code if shipped[k][0] == k[1] and any(c.isalpha() and c.isascii() for c in k[1])], \
        "a 'translation' that is the English text"


def test_the_shipped_qm_is_the_ts_compiled(tmp_path):
    out = tmp_path / "kiosk_fa.qm"
    subprocess.run([tool("pyside6-lrelease"), str(TS), "-qm", str(out)], check=True, capture_output=True, timeout=120)
    assert out.read_bytes() == QM.read_bytes(), "run pyside6-lrelease (see kiosk/ui/i18n.py) and commit the .qm"
