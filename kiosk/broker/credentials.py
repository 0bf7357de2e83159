"""The provider's credentials: FlowId, token secret, provider key pair, broker public key.

Two sources: the settings (``broker.flow_id`` and the ``*_file`` settings), or a credentials
folder as written by ``kiosk sandbox --credentials DIR``:

    DIR/credentials.json      {"flow_id": "...", "token_secret": "...", "base_url": "..."}
    DIR/provider_private.pem  the provider's RSA private key (PKCS#8 PEM)
    DIR/provider_public.pem   its public key (the broker holds a copy)
    DIR/broker_public.pem     the broker's public key, to check signed answers
    DIR/broker_private.pem    the sandbox broker's own private key (only the sandbox reads it)

Key files must not be readable by group or others (``check_private_file``).
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from kiosk import paths
from kiosk.broker.tokens import TokenError, load_private_key, load_public_key


class CredentialsError(ValueError):
    pass


@dataclass(frozen=True)
class ProviderCredentials:
    flow_id: str
    token_secret: str
    provider_private_pem: bytes
    broker_public_pem: bytes
    provider_public_pem: bytes = b""

    def validate(self) -> None:
        if not self.flow_id:
            raise CredentialsError("FlowId is empty")
        if not self.token_secret:
            raise CredentialsError("token secret is empty")
        try:
            load_private_key(self.provider_private_pem)
            load_public_key(self.broker_public_pem)
        except TokenError as exc:
            raise CredentialsError(str(exc)) from exc

    def __repr__(self) -> str:  # never print secrets
        return f"ProviderCredentials(flow_id={self.flow_id!r}, token_secret=***, keys=***)"


def check_private_file(path: Path) -> None:
    """Refuse a secret file that group or others can read (POSIX only): ``CredentialsError``."""
    try:
        paths.check_private_file(path)
    except paths.PrivateFileError as exc:
        raise CredentialsError(str(exc)) from exc


def _read(path: Path, secret: bool) -> bytes:
    try:
        if secret:
            check_private_file(path)
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise CredentialsError(f"file not found: {path}") from exc
    except OSError as exc:
        raise CredentialsError(f"cannot read {path}: {exc}") from exc


def write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.chmod(path, 0o600)


def load_dir(directory: Path) -> ProviderCredentials:
    directory = Path(directory)
    try:
        info = json.loads(_read(directory / "credentials.json", secret=True).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CredentialsError(f"{directory / 'credentials.json'} is not JSON: {exc}") from exc
    public = directory / "provider_public.pem"
    return ProviderCredentials(
        flow_id=str(info.get("flow_id", "")),
        token_secret=str(info.get("token_secret", "")),
        provider_private_pem=_read(directory / "provider_private.pem", secret=True),
        broker_public_pem=_read(directory / "broker_public.pem", secret=False),
        provider_public_pem=public.read_bytes() if public.exists() else b"",
    )


def load_from_settings(settings) -> ProviderCredentials:
    secret_file = settings["broker.token_secret_file"]
    key_file = settings["broker.provider_key_file"]
    broker_key = settings["broker.broker_public_key_file"]
    missing = [k for k, v in (("broker.flow_id", settings["broker.flow_id"]),
                              ("broker.token_secret_file", secret_file),
                              ("broker.provider_key_file", key_file),
                              ("broker.broker_public_key_file", broker_key)) if not v]
    if missing:
        raise CredentialsError("not set: " + ", ".join(missing))
    return ProviderCredentials(
        flow_id=settings["broker.flow_id"],
        token_secret=_read(Path(secret_file), secret=True).decode("utf-8").strip(),
        provider_private_pem=_read(Path(key_file), secret=True),
        broker_public_pem=_read(Path(broker_key), secret=False),
    )
