"""Logging for the kiosk and its commands: a private rotating file plus stderr, with every line
scrubbed of personal data and secrets before it is written.

``setup_logging(settings)`` (called once by ``kiosk.app.run`` and by the ``kiosk`` console script)
installs on the root logger:

* a ``RotatingFileHandler`` on ``kiosk.paths.logs_dir() / "kiosk.log"`` (1 MB x 5 files), every
  file created owner-only (0600) in a 0700 folder;
* a stderr handler (WARNING and above for commands, so their JSON on stdout stays clean; the
  level of ``logging.level`` for the wizard);
* httpx, httpcore (and h11, hpack) never below INFO: at DEBUG they log whole headers;
* on both, ``RedactFilter``: the message AND its arguments (merged), the exception text and the
  stack are normalised (``\\uXXXX``/``%XX``/``&#..;`` escapes decoded, NFKC, ZWNJ/ZWJ and other
  invisible marks removed; any separator allowed between digits) and scrubbed of national codes and any other run of 10+ digits, mobile numbers
  (09xxxxxxxxx, +989..., 00989..., in Latin, Persian or Arabic-Indic digits), JWTs (``eyJ...``),
  ``Bearer`` credentials, PEM blocks (keys, certificates), and long base64 or hex runs (media,
  secrets, signatures).

The filter is a safety net, not a licence: the code does not log personal data in the first place
(``tests/integration/test_log_privacy.py`` runs a whole session at DEBUG and checks both).
Names cannot be recognised by a pattern; they are only kept out by not being logged.
"""
from __future__ import annotations

import logging
import logging.handlers
import os
import re
import sys
import unicodedata
from pathlib import Path
from typing import Any

from kiosk import paths

LOG_NAME = "kiosk.log"
MAX_BYTES = 1024 * 1024
BACKUPS = 5
QUIET_LOGGERS = ("httpx", "httpcore", "h11", "hpack")  # never below INFO, whatever logging.level says
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s]: %(message)s"

_D = "0-9\u06f0-\u06f9\u0660-\u0669"  # Latin, Persian and Arabic-Indic digits (after NFKC: fullwidth too)
# what people (and keyboards) put between digits: spaces of every width, dashes, dots, slashes,
# underscores, Arabic decimal/thousands separators (ZWNJ, ZWJ and the like are removed first)
_SEP = r"[\s\-./_\u066b\u066c\u2010-\u2015\u2212]"
_PATTERNS: list[tuple[re.Pattern[str], Any]] = [
    (re.compile(r"-----BEGIN [A-Z0-9 ]+-----.*?(?:-----END [A-Z0-9 ]+-----|\Z)", re.S), "[PEM redacted]"),
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+"), lambda m: f"{m.group(1)} [redacted]"),
    # a JWT starts a token: "eyJ" inside a base64 run is left for the base64 rule (which takes it whole)
    (re.compile(r"(?<![A-Za-z0-9+/_-])eyJ[A-Za-z0-9_-]{2,}(?:\.[A-Za-z0-9_-]*){0,2}"), "[JWT redacted]"),
    # mobile numbers: +98 9.., 0098 9.., 09.. (before the digit-run rule, which would also hide them)
    (re.compile(rf"(?<![{_D}])(?:\+98|0098|\+۹۸|۰۰۹۸)[\s-]?[9۹٩][{_D}]{{9}}(?![{_D}])"), "[mobile]"),
    (re.compile(rf"(?<![{_D}])[0۰٠][9۹٩][{_D}]{{9}}(?![{_D}])"), "[mobile]"),
    # national codes, card and account numbers: any run of 10 or more digits
    (re.compile(rf"(?<![{_D}])[{_D}]{{10,}}(?![{_D}])"), lambda m: f"[{len(m.group())} digits]"),
    # digits split by any separator as people type them (001-234567-9, 0912 345 6789, 001.234.567/9)
    (re.compile(rf"(?<![{_D}])(?:[{_D}]{_SEP}{{0,3}}){{9,}}[{_D}](?![{_D}])"), "[digits]"),
    (re.compile(r"(?<![A-Za-z0-9+/])[A-Fa-f0-9]{48,}(?![A-Za-z0-9+/])"), "[hex redacted]"),
]
_B64 = re.compile(r"[A-Za-z0-9+/_-]{40,}={0,2}")


def _b64_repl(m: re.Match[str]) -> str:
    run = m.group()
    # a URL path of words and short numbers ("45647/api/Inquiry/GetTokenProviderProperties", the
    # broker's own endpoints in httpx's request lines) is no secret: each of its pieces is a word
    # or a number, where base64 mixes cases and digits inside one piece
    pieces = run.strip("/").split("/")
    if len(pieces) > 1 and all(re.fullmatch(r"[A-Za-z_-]+|[0-9]{1,6}", p) for p in pieces):
        return run
    # base64 of binary data mixes cases with digits, '+', '/' or '=' (1 blob of 40 bytes in 4000
    # has no digit); a long word does not
    if re.search(r"[A-Z]", run) and re.search(r"[a-z]", run) and (re.search(r"[0-9+/=]", run) or len(run) >= 48):
        return "[base64 redacted]"
    return run


_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064"
                                   "\ufeff\u00ad\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))
_U_ESCAPE = re.compile(r"\\+u([0-9A-Fa-f]{4})")
_HTML_ESCAPE = re.compile(r"&#(?:[xX]([0-9A-Fa-f]{1,6})|([0-9]{1,7}));")
_PCT_ESCAPE = re.compile(r"(?:%[0-9A-Fa-f]{2})+")


def _pct(m: re.Match[str]) -> str:
    return bytes.fromhex(m.group().replace("%", "")).decode("utf-8", "replace")


def _html(m: re.Match[str]) -> str:
    code = int(m.group(1), 16) if m.group(1) else int(m.group(2))
    return chr(code) if code < 0x110000 else m.group()


def normalise(text: str) -> str:
    """What the scrubber matches on: ``\\uXXXX``, ``&#...;`` and ``%XX`` escapes decoded, NFKC
    (fullwidth digits, no-break and thin spaces become ASCII), zero-width and direction marks
    (ZWNJ, ZWJ...) removed."""
    s = text
    for _ in range(3):  # escapes inside escapes (JSON in a URL query): a few rounds, bounded
        before = s
        s = _PCT_ESCAPE.sub(_pct, s)
        s = _HTML_ESCAPE.sub(_html, s)
        s = _U_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), s)
        if s == before:
            break
    return unicodedata.normalize("NFKC", s).translate(_INVISIBLE)


def redact(text: Any) -> str:
    """``text`` with personal data and secrets masked (see the module docstring); it is
    normalised first (``normalise``), so a national code written with ZWNJ, NBSP, dots,
    fullwidth digits or as JSON/URL escapes is still found."""
    s = normalise(str(text))
    for pattern, repl in _PATTERNS:
        s = pattern.sub(repl, s)
    return _B64.sub(_b64_repl, s)


class RedactFilter(logging.Filter):
    """Scrub a record in place: message merged with its args, exception text, stack."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "_kiosk_redacted", False):
            return True
        try:
            try:
                message = record.getMessage()
            except Exception:  # noqa: BLE001 - a bad format: keep the pieces, scrubbed
                message = f"{record.msg} {record.args!r}"
            record.msg = redact(message)
            record.args = None
            if record.exc_info and not record.exc_text:
                record.exc_text = logging.Formatter().formatException(record.exc_info)
            if record.exc_text:
                record.exc_text = redact(record.exc_text)
            if record.stack_info:
                record.stack_info = redact(record.stack_info)
            record._kiosk_redacted = True
        except Exception:  # noqa: BLE001 - never break logging; drop what cannot be scrubbed
            record.msg, record.args, record.exc_info, record.exc_text = "[log line withheld]", None, None, None
        return True


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    _kiosk = False  # set on the handlers setup_logging adds (and so removes again)
    """A rotating file whose every generation is created 0600."""

    def _open(self):
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        if os.name == "posix":
            os.chmod(self.baseFilename, 0o600)
        return os.fdopen(fd, "a", encoding=self.encoding or "utf-8", errors=self.errors)


class _StderrHandler(logging.StreamHandler):
    _kiosk = False
    _kiosk_stderr = False
    """Writes to whatever ``sys.stderr`` is at the time (it may be replaced after set-up)."""

    def __init__(self):
        super().__init__()

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value):
        pass


def _ours(handler: logging.Handler) -> bool:
    return bool(getattr(handler, "_kiosk", False))


def setup_logging(settings=None, *, level: str | int | None = None, stderr_level: str | int | None = None,
                  log_dir: Path | None = None, command: bool = False) -> Path:
    """Install the kiosk's handlers on the root logger (once; a second call only updates the
    levels). ``command``: a CLI command (stderr shows warnings and errors only). Returns the
    log file's path."""
    if level is None:
        level = settings["logging.level"] if settings is not None else "INFO"
    if isinstance(level, str):
        level = getattr(logging, level.upper(), logging.INFO)
    if stderr_level is None:
        stderr_level = logging.WARNING if command else level
    elif isinstance(stderr_level, str):
        stderr_level = getattr(logging, stderr_level.upper(), logging.WARNING)
    folder = Path(log_dir) if log_dir is not None else paths.logs_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    if os.name == "posix":
        os.chmod(folder, 0o700)
    path = folder / LOG_NAME
    root = logging.getLogger()
    mine = [h for h in root.handlers if _ours(h)]
    for h in mine:
        if isinstance(h, logging.FileHandler) and Path(h.baseFilename) != path:
            root.removeHandler(h)  # KIOSK_HOME moved (tests): follow it
            h.close()
            mine.remove(h)
    if not any(isinstance(h, logging.FileHandler) for h in mine):
        fh = PrivateRotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
        setattr(fh, "_kiosk", True)  # noqa: B010 - a marker on a stdlib handler
        fh.setFormatter(logging.Formatter(FORMAT))
        fh.addFilter(RedactFilter())
        root.addHandler(fh)
        mine.append(fh)
    if not any(getattr(h, "_kiosk_stderr", False) for h in mine):
        sh = _StderrHandler()
        setattr(sh, "_kiosk", True)  # noqa: B010 - markers on a stdlib handler
        setattr(sh, "_kiosk_stderr", True)  # noqa: B010
        sh.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        sh.addFilter(RedactFilter())
        root.addHandler(sh)
        mine.append(sh)
    for h in mine:
        h.setLevel(stderr_level if getattr(h, "_kiosk_stderr", False) else level)
    root.setLevel(min(level, stderr_level))
    for name in QUIET_LOGGERS:  # httpcore at DEBUG logs whole headers (tokens, cookies)
        logging.getLogger(name).setLevel(max(logging.INFO, int(level)))
    logging.captureWarnings(True)
    return path


def teardown_logging() -> None:
    """Remove and close the kiosk's handlers (tests, and the end of a command)."""
    root = logging.getLogger()
    for h in [h for h in root.handlers if _ours(h)]:
        root.removeHandler(h)
        h.close()


def install_redaction(handler: logging.Handler) -> logging.Handler:
    """Add ``RedactFilter`` to another handler (e.g. a support-bundle export)."""
    if not any(isinstance(f, RedactFilter) for f in handler.filters):
        handler.addFilter(RedactFilter())
    return handler


class command_logging:
    """``with command_logging(args):`` around a ``kiosk`` command: the scrubbed private log
    file and stderr (warnings, or INFO with ``--verbose``; ``KIOSK_LOGGING__LEVEL`` sets the
    file's level), removed again when the command ends."""

    def __init__(self, args=None):
        self.args = args

    def __enter__(self) -> command_logging:
        verbose = bool(getattr(self.args, "verbose", False))
        level = os.environ.get("KIOSK_LOGGING__LEVEL", "INFO").upper()
        self._installed = not any(_ours(h) for h in logging.getLogger().handlers)
        try:
            setup_logging(level=level if level in ("DEBUG", "INFO", "WARNING", "ERROR") else "INFO",
                          stderr_level="INFO" if verbose else "WARNING", command=True)
        except OSError:  # a read-only home: the command still runs, logging to stderr only
            self._installed = False
        return self

    def __exit__(self, *exc) -> None:
        if self._installed:
            teardown_logging()
