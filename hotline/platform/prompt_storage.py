"""Where prompt audio lives on disk: one folder per tenant, files named by the SHA-256 of their bytes.

Layout: `<prompt root>/<tenant id>/<sha256>.<ext>`. A Prompt row keeps only the *reference* — the file's
name inside its tenant's folder (`audio_path`, e.g. "9f86d0….wav") — never a path: the tenant folder is
always the caller's tenant, so a row of tenant A cannot name a file of tenant B, and nothing a user types
becomes a path (issue 10, item 5: `audio_path` used to be an absolute path editable in the admin and
checked only against the global root, so one tenant could serve or delete another's audio).

Content addressing makes an upload idempotent (the same recording twice is one file) and lets two prompts
of a tenant share a file; `release` deletes a file only when no prompt of the tenant still refers to it.

This is the small storage API for every producer of prompt audio: the prompt upload API uses it, and
so should the publish-time TTS rendering (realfs) — `put(root, tenant_id, data, ext)` returns the
reference to store, `path_for(root, tenant_id, ref)` the file to play or serve (or None), and
`release(...)` removes an unreferenced file.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import Any

from .settings import DEFAULT_CONFIG

#: Formats a prompt may be stored in (what the upload sniffs and what playback understands).
EXTENSIONS = frozenset({"wav", "mp3", "ogg"})
#: A reference is a bare file name: no separators, no dots but the extension's. Older uploads were named
#: "<prompt>-<12 hex>.<ext>", so the stem allows letters, digits, '_' and '-'.
_REFERENCE = re.compile(r"[A-Za-z0-9_-]{1,128}\.(wav|mp3|ogg)")
ENV = "HOTLINE_PROMPT_DIR"


class PromptStorageError(ValueError):
    """A reference or format the storage refuses; the message says why."""


def default_root() -> Path:
    """The prompt root when none is configured: $HOTLINE_PROMPT_DIR, else `var/prompts` next to config.toml."""
    configured = os.environ.get(ENV)
    return Path(configured) if configured else DEFAULT_CONFIG.parent / "var" / "prompts"


def tenant_folder(root: Path, tenant_id: int) -> Path:
    if not isinstance(tenant_id, int) or isinstance(tenant_id, bool) or tenant_id <= 0:
        raise PromptStorageError(f"not a tenant id: {tenant_id!r}")
    return Path(root) / str(tenant_id)


def is_reference(ref: str | None) -> bool:
    return bool(ref) and _REFERENCE.fullmatch(ref) is not None


def put(root: Path, tenant_id: int, data: bytes, ext: str) -> str:
    """Stores bytes in the tenant's folder under their SHA-256 and returns the reference to keep."""
    if ext not in EXTENSIONS:
        raise PromptStorageError(f"prompt audio must be one of {', '.join(sorted(EXTENSIONS))}, not {ext!r}")
    folder = tenant_folder(root, tenant_id)
    folder.mkdir(parents=True, exist_ok=True)
    ref = f"{hashlib.sha256(data).hexdigest()}.{ext}"
    path = folder / ref
    if not path.is_file():
        partial = folder / f".{ref}.{os.getpid()}.part"
        partial.write_bytes(data)
        partial.replace(path)  # atomic: a reader never sees half a recording
    return ref


def path_for(root: Path, tenant_id: int, ref: str | None) -> Path | None:
    """The stored file of a reference inside the tenant's folder; None for anything else (a path, '..',
    a symlink leading out, a missing file)."""
    if not is_reference(ref):
        return None
    folder = tenant_folder(root, tenant_id)
    try:
        resolved = (folder / ref).resolve()
        inside = resolved.is_relative_to(folder.resolve())
    except (OSError, ValueError):
        return None
    return resolved if inside and resolved.is_file() else None


def release(root: Path, tenant_id: int, ref: str | None, still_used: Collection[str]) -> bool:
    """Deletes a tenant's file once no prompt refers to it (`still_used`: the tenant's references after
    the change). Returns whether a file was removed."""
    if not ref or ref in still_used:
        return False
    path = path_for(root, tenant_id, ref)
    if path is None:
        return False
    path.unlink(missing_ok=True)
    return True


def playable(root: Path, tenant_id: int, ref: str | None) -> str | None:
    """The absolute file name the switch plays for a reference, or None (then the text is spoken)."""
    path = path_for(root, tenant_id, ref)
    return str(path) if path is not None else None


def catalogue(root: Path, tenant_id: int, prompts: Iterable[Any]) -> dict[str, dict[str, str]]:
    """The runtime's prompt catalogue of a tenant: name → {"text", and "file" when a recording is stored}."""
    found: dict[str, dict[str, str]] = {}
    for prompt in prompts:
        file = playable(root, tenant_id, prompt.audio_path)
        found[prompt.name] = {"text": prompt.text, **({"file": file} if file else {})}
    return found
