"""What the gallery shows of a template without opening the designer: its documents, an outline of each
IVR as a tree of nodes and their exits, and each form's fields.

The outline is generic over node types: an exit is any property whose value names another node (a digit of
a menu's options, a branch's `next`, `open`/`closed`, `found`/`not_found` …), so a new node type is outlined
without changes here. Nodes already shown are referred to, not repeated, so loops end.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ...platform.services.templates import Template
from ..api.context import field_options, field_type

SKIP = frozenset({"type", "label", "note", "position", "prompt"})
MAX_DEPTH = 12


@dataclass
class OutlineNode:
    id: str
    type: str
    label: str
    prompt: str
    edge: str = ""  # how the parent reaches this node: a digit, or the property: "open", "next", "branches"
    edge_n: int | None = None  # which item of a list property ("branches" 2)
    seen: bool = False  # already shown above: only referred to
    children: list[OutlineNode] = field(default_factory=list)


def exits(node: Mapping[str, Any], nodes: Mapping[str, Any]) -> list[tuple[str, int | None, str]]:
    """(edge label, item number, target id) of every property of a node that names another node, in
    document order: ("next", None, "menu"), ("1", None, "track"), ("branches", 2, "vip")."""
    found: list[tuple[str, int | None, str]] = []
    for key, value in node.items():
        if key in SKIP:
            continue
        if isinstance(value, str) and value in nodes:
            found.append((key, None, value))
        elif isinstance(value, Mapping):
            found += [(str(k), None, v) for k, v in value.items() if isinstance(v, str) and v in nodes]
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, Mapping) and isinstance(item.get("next"), str) and item["next"] in nodes:
                    found.append((key, i + 1, item["next"]))
    return found


def _prompt_text(node: Mapping[str, Any], prompts: Mapping[str, str]) -> str:
    prompt = node.get("prompt")
    if not isinstance(prompt, Mapping):
        return ""
    return str(prompt.get("text") or prompts.get(str(prompt.get("audio")), "") or "")


def ivr_outline(body: Mapping[str, Any], prompts: Mapping[str, str] | None = None) -> OutlineNode | None:
    """The IVR as a tree from its start node (depth-first, each node expanded once)."""
    nodes = body.get("nodes")
    start = body.get("start")
    if not isinstance(nodes, Mapping) or start not in nodes:
        return None
    prompts = prompts or {}
    shown: set[str] = set()

    def visit(node_id: str, edge: str, edge_n: int | None, depth: int) -> OutlineNode:
        node = nodes[node_id] if isinstance(nodes[node_id], Mapping) else {}
        item = OutlineNode(node_id, str(node.get("type", "?")), str(node.get("label", "")),
                           _prompt_text(node, prompts), edge, edge_n, seen=node_id in shown)
        if item.seen or depth >= MAX_DEPTH:
            return item
        shown.add(node_id)
        item.children = [visit(target, label, n, depth + 1) for label, n, target in exits(node, nodes)]
        return item

    return visit(str(start), "", None, 0)


@dataclass(frozen=True)
class FormField:
    name: str
    title: str
    type: str
    required: bool
    options: list[str]


def form_fields(body: Mapping[str, Any]) -> list[FormField]:
    """The fields of a form document in display order (ui.order first, then the rest)."""
    schema = body.get("schema") if isinstance(body.get("schema"), Mapping) else {}
    properties = schema.get("properties") if isinstance(schema.get("properties"), Mapping) else {}
    required = set(schema.get("required", []) or [])
    order = [n for n in (body.get("ui", {}) or {}).get("order", []) if n in properties]
    order += [n for n in properties if n not in order]
    result = []
    for name in order:
        spec = properties[name] if isinstance(properties[name], Mapping) else {}
        titles = {str(o.get("const")): str(o.get("title", o.get("const"))) for key in ("oneOf", "anyOf")
                  for o in spec.get(key, []) or [] if isinstance(o, Mapping) and "const" in o}
        options = [titles.get(v, v) for v in field_options(dict(spec)) or []]
        result.append(FormField(name, str(spec.get("title", name)), field_type(dict(spec)), name in required,
                                options))
    return result


def template_preview(template: Template) -> dict[str, Any]:
    """Everything the template's gallery page shows."""
    prompts = {p["name"]: p.get("text", "") for p in template.manifest.get("prompts", [])}
    documents: dict[str, list[dict[str, Any]]] = {}
    for (kind, name), body in sorted(template.documents.items()):
        entry: dict[str, Any] = {"name": name, "title": body.get("title", name),
                                 "description": body.get("description", "")}
        if kind == "ivr":
            entry["outline"] = ivr_outline(body, prompts)
            entry["size"] = len(body.get("nodes", {}))
        elif kind == "form":
            entry["fields"] = form_fields(body)
            entry["statuses"] = [s for s in body.get("statuses", []) if isinstance(s, Mapping)]
        elif kind == "dispatch":
            entry["rules"] = [r for r in body.get("rules", []) if isinstance(r, Mapping)]
        elif kind == "outbound":
            entry["pages"] = len(body.get("pages", []) or [])
        documents.setdefault(kind, []).append(entry)
    manifest = template.manifest
    return {"name": template.name, "title": template.title, "description": manifest.get("description", ""),
            "industry": manifest.get("industry", ""), "documents": documents,
            "queues": manifest.get("queues", []), "skills": manifest.get("skills", []),
            "directories": [{"name": d["name"], "label": d.get("label", d["name"]),
                             "entries": len(d.get("entries", []))} for d in manifest.get("directories", [])]}
