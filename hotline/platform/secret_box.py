"""Provider secrets at rest: SMS gateway tokens and SMTP passwords are sealed with a key from the app's
secret key, so a copy of the database (a backup, a read replica, a leaked dump) gives out no credentials.

Fernet (from `cryptography`, the Python Cryptographic Authority's package): AES-128-CBC with HMAC-SHA256,
a timestamp and a version byte, with a misuse-resistant API; the standard choice rather than composing
primitives ourselves. Its key is derived with HKDF-SHA256 from `web.secret_key` and a fixed purpose label,
so the same secret key never doubles as the encryption key directly. Stored form: `fernet:` + the token.
A value without the prefix is a row from before encryption (migration 0019 seals those when the key is
configured; until then they are read as they are and sealed at their next save).
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

PREFIX = "fernet:"
PURPOSE = b"hotline message provider secrets v1"


class SecretUnreadable(ValueError):
    """A sealed value that the configured key cannot open (the secret key changed, or no key is set)."""


def is_sealed(stored: str | None) -> bool:
    return bool(stored) and str(stored).startswith(PREFIX)


class SecretBox:
    """Seals and opens provider secrets with a key derived from the app's secret key."""

    def __init__(self, secret_key: str) -> None:
        if not secret_key:
            raise ValueError("provider secrets need web.secret_key to be set")
        derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=PURPOSE).derive(
            secret_key.encode("utf-8"))
        self._fernet = Fernet(base64.urlsafe_b64encode(derived))

    def seal(self, plain: str) -> str:
        return PREFIX + self._fernet.encrypt(plain.encode("utf-8")).decode("ascii") if plain else ""

    def open(self, stored: str | None) -> str:
        if not stored:
            return ""
        if not is_sealed(stored):
            return stored  # from before encryption
        try:
            return self._fernet.decrypt(stored[len(PREFIX):].encode("ascii")).decode("utf-8")
        except InvalidToken:
            raise SecretUnreadable("the provider's secret was sealed with another secret key; enter it again "
                                   "in the administration") from None


def open_secret(box: SecretBox | None, stored: str | None) -> str:
    """`stored` opened with `box`; a sealed value with no box configured is unreadable, not passed on."""
    if box is None:
        if is_sealed(stored):
            raise SecretUnreadable("this process has no web.secret_key, so it cannot open provider secrets; "
                                   "set HOTLINE_WEB_SECRET_KEY as for the web app")
        return stored or ""
    return box.open(stored)
