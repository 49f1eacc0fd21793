"""The web secret key: refused when it is the one we once shipped or too short; made for the local demo.

Whoever knows the key can sign a cookie the app trusts. Sessions are server-side now (the cookie carries
only a random id, designer/sessions.py), but the key still signs CSRF tokens and the anonymous cookie, so
a published or guessable key must never run outside a demo on this machine. `hotline up` bound to
localhost is that demo: it writes a random key into var/secret_key on first start and reuses it, so a
restart keeps everyone signed in.
"""

from __future__ import annotations

import dataclasses
import os
import secrets
from pathlib import Path

from .settings import Settings, SettingsError

#: Keys that were published in config.toml; a copy of an old config file must not bring one back.
SHIPPED_KEYS = frozenset({"change-me-in-production-8f3c2a"})
MIN_BYTES = 32
#: A key made of a handful of characters repeated ("aaaa…") is long but guessable.
MIN_DISTINCT = 12
#: Addresses on which `hotline up` counts as the embedded demo.
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
HOW_TO_SET = ("set HOTLINE_WEB_SECRET_KEY (or [web] secret_key in config.toml) to a random value of at least "
              f"{MIN_BYTES} bytes, e.g. HOTLINE_WEB_SECRET_KEY=$(python3 -c 'import secrets; "
              "print(secrets.token_urlsafe(48))'); keep the same value on every web process")


def weakness(key: str) -> str | None:
    """Why `key` must not sign anything in production, or None when it is fit."""
    if not key:
        return "no web secret key is set"
    if key in SHIPPED_KEYS:
        return "the web secret key is the one published with Hotline"
    if len(key.encode("utf-8")) < MIN_BYTES:
        return f"the web secret key is {len(key.encode('utf-8'))} bytes long; it needs at least {MIN_BYTES}"
    if len(set(key)) < MIN_DISTINCT:
        return (f"the web secret key uses only {len(set(key))} different characters; a random key has many "
                f"(at least {MIN_DISTINCT})")
    return None


def require_strong(key: str) -> None:
    """Raises SettingsError (with how to set a key) unless `key` is fit for production."""
    problem = weakness(key)
    if problem is not None:
        raise SettingsError(f"refusing to start: {problem}; {HOW_TO_SET}")


def key_file(settings: Settings) -> Path:
    return settings.root / "var" / "secret_key"


def for_embedded_demo(settings: Settings) -> Settings:
    """The settings `hotline up` runs with: the configured key if fit; on localhost a key of its own
    (made once into var/secret_key, readable only by this user); anywhere else a refusal."""
    if weakness(settings.web_secret_key) is None:
        return settings
    if settings.web_host not in LOCAL_HOSTS:
        require_strong(settings.web_secret_key)
    path = key_file(settings)
    key = path.read_text(encoding="utf-8").strip() if path.exists() else ""
    if weakness(key) is not None:
        key = secrets.token_urlsafe(48)
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            out.write(key + "\n")
    return dataclasses.replace(settings, web_secret_key=key)


def for_sealing(settings: Settings) -> str:
    """The key provider secrets are sealed with in this process: the configured one, else the embedded demo's
    own (var/secret_key, made by `hotline up`), so its job worker opens what its web app sealed."""
    if settings.web_secret_key:
        return settings.web_secret_key
    path = key_file(settings)
    return path.read_text(encoding="utf-8").strip() if path.is_file() else ""
