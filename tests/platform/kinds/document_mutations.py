"""Template documents of the four kinds and a resolver for findings' JSON Pointers (fuzz and limit tests)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

TEMPLATES = Path(__file__).resolve().parents[3] / "tenant_templates"


def template_documents() -> list[tuple[str, str, Any]]:
    """(kind, name, body) of every document shipped in tenant_templates/."""
    found = []
    for path in sorted(TEMPLATES.glob("*/*/*.json")):
        kind = path.parent.name
        found.append((kind, f"{path.parent.parent.name}/{kind}/{path.stem}", json.loads(path.read_text("utf-8"))))
    return found


def resolve(document: Any, pointer: str) -> Any:
    """The value a JSON Pointer (RFC 6901) names; KeyError/IndexError/TypeError when it names nothing."""
    if pointer == "":
        return document
    assert pointer.startswith("/"), pointer
    value = document
    for raw in pointer[1:].split("/"):
        part = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(value, dict):
            value = value[part]
        elif isinstance(value, list):
            if not part.isdigit() or (part != "0" and part.startswith("0")):
                raise KeyError(part)
            value = value[int(part)]
        else:
            raise TypeError(f"{pointer}: {part!r} inside a scalar")
    return value


def nest(value: Any, depth: int, key: str | None = None) -> Any:
    """value wrapped depth times in lists (or in {key: …} objects), built without recursion."""
    for _ in range(depth):
        value = [value] if key is None else {key: value}
    return value
