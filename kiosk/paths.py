"""Where the kiosk keeps its files. ``KIOSK_HOME`` moves all of them (tests, portable installs)."""
from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

import platformdirs

from kiosk.hardening import private_dir


def home() -> Path:
    """The kiosk's data folder, forced to 0700 even when it existed with a looser mode."""
    env = os.environ.get("KIOSK_HOME")
    base = Path(env) if env else Path(platformdirs.user_data_dir("kiosk", appauthor=False))
    return private_dir(base)


def _sub(name: str) -> Path:
    return private_dir(home() / name)


def media_dir() -> Path:
    """Encrypted captured media of the session under way (wiped at its end)."""
    return _sub("media")


def logs_dir() -> Path:
    return _sub("logs")


def state_dir() -> Path:
    """The sessions database and the open-token journal used for crash recovery."""
    return _sub("state")


def sandbox_dir() -> Path:
    """Credentials of the built-in sandbox broker."""
    return _sub("sandbox")


class PrivateFileError(ValueError):
    """A secret file that other users can read."""


def check_private_file(path: Path) -> None:
    """Refuse a secret file that group or others can read (POSIX only): ``PrivateFileError``.

    Kept at the bottom layer because both the settings (``kiosk.config``) and the broker's
    credentials (``kiosk.broker.credentials``) check their key files with it."""
    if os.name != "posix":
        return
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise PrivateFileError(
            f"{path} can be read by other users (mode {stat.S_IMODE(mode):o}); run: chmod 600 {path}")

def overwrite_and_unlink(path: Path) -> None:
    """Overwrite a file with zeros (fsync) and remove it (missing: nothing to do)."""
    try:
        size = path.stat().st_size
        with open(path, "r+b", buffering=0) as fh:
            zeros = bytes(min(size, 1024 * 1024))
            left = size
            while left > 0:
                n = fh.write(zeros[:min(left, len(zeros))])
                left -= n
            os.fsync(fh.fileno())
    except FileNotFoundError:
        return
    except OSError as exc:  # still try to unlink: an unreadable file is better gone
        logging.getLogger(__name__).warning("wipe: could not overwrite a file (%s)", type(exc).__name__)
    try:
        path.unlink()
    except FileNotFoundError:
        pass
