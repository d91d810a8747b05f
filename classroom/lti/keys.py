"""The tool's own key pair: generated into the instance folder on first use (readable by its
owner only), it signs what Classroom sends a platform (deep linking responses, the requests for
a service token) and is published as a JSON Web Key Set for the platform to check them with.
With several app servers, every one must have the same file (docs/lti.md)."""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwcrypto.jwk import JWK

KEY_FILE = "lti_private_key.pem"


def key_path(instance_path: str, configured: str | None = None) -> Path:
    """Where the private key lives: LTI_KEY_FILE if set, else the instance folder."""
    return Path(configured) if configured else Path(instance_path) / KEY_FILE


def private_pem(path: Path) -> str:
    """The private key (PEM), made on first use. Two processes making it at once: the first
    file written wins and both use it."""
    if not path.exists():
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as out:
                out.write(pem)
    return path.read_text()


@cache
def _public(pem: str) -> tuple[str, dict]:
    key = JWK.from_pem(pem.encode())
    public = json.loads(key.export_public())
    public |= {"alg": "RS256", "use": "sig", "kid": key.thumbprint()}
    public_pem = key.export_to_pem(private_key=False).decode()
    return public_pem, public


def public_pem(pem: str) -> str:
    """The public half of the key, as PEM."""
    return _public(pem)[0]


def jwks(pem: str) -> dict:
    """The key set a platform reads the tool's public key from."""
    return {"keys": [dict(_public(pem)[1])]}


def kid(pem: str) -> str:
    """The key's id, as the key set names it."""
    return _public(pem)[1]["kid"]
