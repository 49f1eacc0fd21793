"""Bounds a saved IVR draft must meet before it is stored: a menu of thousands of options froze the designer
for 15 s when opened (QA 16 findings, item 7), and a keypad has only 12 keys (0-9, * and #), so no real menu
holds more. The schema says the same (`maxProperties`), for validation of unsaved text."""

from __future__ import annotations

from typing import Any

from ...findings import Finding, error, pointer

#: Keys on a telephone keypad: 0-9, * and #.
MAX_MENU_OPTIONS = 12


def too_many_options(count: int, limit: int = MAX_MENU_OPTIONS) -> str:
    """The one developer sentence both the schema finding and the save refusal use (kinds/wording.py words it)."""
    return f"this menu has too many options ({count} options; the limit is {limit})"


def bound_findings(body: Any) -> list[Finding]:
    """A finding per menu node with more options than a keypad has keys."""
    nodes = body.get("nodes") if isinstance(body, dict) else None
    if not isinstance(nodes, dict):
        return []
    return [error(pointer("nodes", node_id, "options"), too_many_options(len(node["options"])), "schema")
            for node_id, node in nodes.items()
            if isinstance(node, dict) and isinstance(node.get("options"), dict)
            and len(node["options"]) > MAX_MENU_OPTIONS]
