"""Designer layout: where each node of a document is drawn, stored apart from the document (issue 16).

Positions used to live in the IVR body (`nodes.<id>.position`), so every moved box was a draft revision, a
change in the next published version and a line in its diff. They now live in `document_layout`, one row per
document, keyed by node id. A body that still carries positions (an older client, a template, an import)
has them taken out on the way in and merged into the layout, so bodies stay position-free.
"""

from __future__ import annotations

import math
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Document, DocumentLayout, utcnow
from .errors import ServiceError

#: A layout is bounded like the documents it draws: more entries than this are refused.
MAX_ENTRIES = 5000
#: Coordinates beyond this are a client bug, not a canvas (the canvas is a few thousand pixels per 100 nodes).
MAX_COORDINATE = 1_000_000
MAX_ID = 64


class InvalidLayout(ServiceError):
    """A layout refused as sent (400): the message names the entry and what is wrong with it."""


def split_positions(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Removes `position` from every node of `body` (in place) and returns those that were usable, pinned.

    A position is layout, not flow; what is not a pair of finite numbers is dropped rather than refused,
    since it never meant anything to the runtime."""
    nodes = body.get("nodes") if isinstance(body, dict) else None
    if not isinstance(nodes, dict):
        return {}
    found: dict[str, dict[str, Any]] = {}
    for node_id, node in nodes.items():
        if not isinstance(node, dict) or "position" not in node:
            continue
        position = node.pop("position")
        if isinstance(position, dict) and _coordinate(position.get("x")) and _coordinate(position.get("y")):
            found[str(node_id)[:MAX_ID]] = {"x": round(position["x"]), "y": round(position["y"]), "pinned": True}
    return found


def without_positions(body: Any) -> Any:
    """`body` with no node positions, copying only the nodes that had one (for diffs of older bodies)."""
    nodes = body.get("nodes") if isinstance(body, dict) else None
    if not isinstance(nodes, dict) or not any(isinstance(n, dict) and "position" in n for n in nodes.values()):
        return body
    clean = {key: ({k: v for k, v in node.items() if k != "position"} if isinstance(node, dict) else node)
             for key, node in nodes.items()}
    return {**body, "nodes": clean}


def _coordinate(value: Any) -> bool:
    return (isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
            and abs(value) <= MAX_COORDINATE)


def checked(positions: Any) -> dict[str, dict[str, Any]]:
    """The layout a client sent, checked entry by entry; the first bad one is refused naming its place."""
    if not isinstance(positions, dict):
        raise InvalidLayout("positions: must be an object mapping node ids to {x, y, pinned}")
    if len(positions) > MAX_ENTRIES:
        raise InvalidLayout(f"positions: {len(positions)} entries, at most {MAX_ENTRIES} are kept")
    out: dict[str, dict[str, Any]] = {}
    for node_id, entry in positions.items():
        where = f"positions › {node_id[:MAX_ID]}"
        if not node_id or len(node_id) > MAX_ID:
            raise InvalidLayout(f"{where}: a node id has 1 to {MAX_ID} characters")
        if not isinstance(entry, dict):
            raise InvalidLayout(f"{where}: must be an object {{x, y, pinned}}")
        for axis in ("x", "y"):
            if not _coordinate(entry.get(axis)):
                raise InvalidLayout(f"{where} › {axis}: must be a number between "
                                   f"-{MAX_COORDINATE} and {MAX_COORDINATE}")
        pinned = entry.get("pinned", False)
        if not isinstance(pinned, bool):
            raise InvalidLayout(f"{where} › pinned: must be true or false")
        out[node_id] = {"x": round(entry["x"]), "y": round(entry["y"]), "pinned": pinned}
    return out


def _row(session: Session, doc: Document) -> DocumentLayout | None:
    return session.scalar(select(DocumentLayout).where(DocumentLayout.document_id == doc.id))


def read(session: Session, doc: Document) -> dict[str, dict[str, Any]]:
    """The document's layout (empty when nothing was placed yet); the session is tenant-scoped."""
    row = _row(session, doc)
    return dict(row.positions) if row is not None else {}


def write(session: Session, doc: Document, positions: dict[str, dict[str, Any]], actor: str,
          merge: bool = False) -> dict[str, dict[str, Any]]:
    """Replaces the layout with `positions` (already checked), or with `merge` adds them over the stored one."""
    row = _row(session, doc)
    if row is None:
        row = DocumentLayout(document_id=doc.id, positions={})
        session.add(row)
    stored = {**row.positions, **positions} if merge else positions
    if len(stored) > MAX_ENTRIES:
        raise InvalidLayout(f"positions: {len(stored)} entries, at most {MAX_ENTRIES} are kept")
    row.positions = stored
    row.updated_at = utcnow()
    row.updated_by = actor
    session.flush()
    return stored
