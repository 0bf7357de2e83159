"""Process and file hygiene: core dumps off, folders forced to 0700 even when they existed,
~/.config/kiosk 0700, private files, dependency floors past the known CVEs."""
from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.version import Version

from kiosk import paths
from kiosk.config.settings import Settings
from kiosk.hardening import write_private

ROOT = Path(__file__).resolve().parents[2]


def test_core_dumps_are_off_in_a_kiosk_process():
    code = ("import ctypes, resource, sys\n"
            "from kiosk.hardening import no_core_dumps\n"
            "assert no_core_dumps()\n"
            "libc = ctypes.CDLL(None)\n"
            "print(resource.getrlimit(resource.RLIMIT_CORE), libc.prctl(3, 0, 0, 0, 0))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.split() == ["(0,", "0)", "0"]  # limit 0/0, PR_GET_DUMPABLE 0


def test_the_kiosk_command_switches_core_dumps_off(tmp_path):
    # a command that runs no further than its argument parsing still hardened the process
    code = ("import resource, kiosk.__main__ as m\n"
            "m.main(['inspect', '/nonexistent.webm'])\n"
            "print(resource.getrlimit(resource.RLIMIT_CORE))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert out.stdout.strip().splitlines()[-1] == "(0, 0)"


def test_existing_folders_are_forced_private(kiosk_home):
    for folder in (kiosk_home, kiosk_home / "media", kiosk_home / "state"):
        folder.mkdir(exist_ok=True)
        folder.chmod(0o755)
    paths.media_dir()
    paths.state_dir()
    for folder in (kiosk_home, kiosk_home / "media", kiosk_home / "state"):
        assert folder.stat().st_mode & 0o777 == 0o700, folder


def test_config_folder_is_private(tmp_path, monkeypatch):
    monkeypatch.delenv("KIOSK_SETTINGS")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    (tmp_path / "config" / "kiosk").mkdir(parents=True)
    (tmp_path / "config" / "kiosk").chmod(0o755)
    Settings.load(environ={})
    assert (tmp_path / "config" / "kiosk").stat().st_mode & 0o777 == 0o700
    (tmp_path / "config" / "kiosk").chmod(0o755)
    path = Settings({"ui.language": "en"}).save()
    assert path.parent == tmp_path / "config" / "kiosk" and path.parent.stat().st_mode & 0o777 == 0o700


def test_write_private_over_a_loose_file(tmp_path):
    target = tmp_path / "x.bin"
    target.write_bytes(b"old")
    target.chmod(0o644)
    write_private(target, b"new")
    assert target.read_bytes() == b"new" and target.stat().st_mode & 0o777 == 0o600


def test_dependency_floors_are_past_the_known_cves():
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["dependencies"]
    floors = {}
    for line in deps:
        req = Requirement(line)
        for spec in req.specifier:
            if spec.operator == ">=":
                floors[req.name.lower()] = Version(spec.version)
    assert floors["cryptography"] >= Version("44.0.1")
    assert floors["pyjwt"] >= Version("2.10.1")
    assert floors["h11"] >= Version("0.16")
