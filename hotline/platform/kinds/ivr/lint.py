"""Semantic lint of IVR trees: what the schema cannot see and a caller would suffer from.

Runs on bodies that passed the schema. A node type is one entry of NODE_TYPES: the edges it leaves by
(field → pointer, for unknown targets, reachability and loops), whether it waits for the caller (a loop
through such a node is a retry loop, not a hang), the template fields it renders, and its own checks.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ...findings import Finding, error, join, pointer, warning
from ..context import LintContext
from ..lint_helpers import (
    check_call_field,
    check_condition,
    check_customer_field,
    check_reference,
    check_skills,
    check_template,
    check_timezone,
    cycle_path,
    cycles,
    describe_path,
    duplicate_key_findings,
    empty_window,
    listing,
    reachable,
    split_operand,
    unavailable_root,
)

Node = Mapping[str, Any]
#: (target node id, path of the field inside the node), e.g. ("main_menu", ("options", "1")).
Edge = tuple[str, tuple[str | int, ...]]
NodeCheck = Callable[["_Lint", str, Node, str], list[Finding]]

#: Node fields holding a prompt (text and/or recorded audio).
PROMPT_FIELDS = ("prompt", "invalid_prompt", "timeout_prompt", "hold_prompt", "thanks_prompt")


def _fields(*names: str) -> Callable[[Node], list[Edge]]:
    """Edges of a node type whose next-like fields are plain fields."""
    def edges(node: Node) -> list[Edge]:
        return [(node[name], (name,)) for name in names if name in node]
    return edges


def _menu_edges(node: Node) -> list[Edge]:
    return [*((target, ("options", digit)) for digit, target in node["options"].items()),
            *_fields("fallback")(node)]


def _condition_edges(node: Node) -> list[Edge]:
    return [*((b["next"], ("branches", i, "next")) for i, b in enumerate(node["branches"])),
            (node["else"], ("else",))]


# --- checks of single node types -------------------------------------------------------------------

def _check_hours(lint: _Lint, node_id: str, node: Node, ptr: str) -> list[Finding]:
    if "calendar" in node:
        return _check_calendar(node["calendar"], join(ptr, "calendar"))
    if lint.ctx.has_calendar:
        return []
    return [error(ptr, f"hours node {node_id!r} has no calendar of its own and the tenant has no business "
                       "calendar, so open and closed cannot be told apart", "no-calendar")]


def _check_calendar(calendar: Node, ptr: str) -> list[Finding]:
    found = [f for f in [check_timezone(calendar["timezone"], join(ptr, "timezone"))] if f]
    for day, ranges in calendar["weekly"].items():
        for i, r in enumerate(ranges):
            f = empty_window(r["start"], r["end"], join(ptr, "weekly", day, i), f"opening hours on {day}")
            found += [f] if f else []
    for i, r in enumerate(calendar.get("workday_hours", [])):
        f = empty_window(r["start"], r["end"], join(ptr, "workday_hours", i), "make-up workday hours")
        found += [f] if f else []
    if not any(calendar["weekly"].values()):
        found.append(warning(join(ptr, "weekly"), "the weekly hours open on no day at all, so this "
                                                  "calendar is always closed", "always-closed"))
    if calendar.get("workdays") and not calendar.get("workday_hours"):
        found.append(warning(join(ptr, "workdays"), "make-up workdays are listed but workday_hours is "
                                                    "missing, so those days stay closed", "empty-window"))
    holidays = set(calendar.get("holidays", []))
    for i, day in enumerate(calendar.get("workdays", [])):
        if day in holidays:
            found.append(warning(join(ptr, "workdays", i), f"{day} is both a holiday and a make-up "
                                                           "workday; the holiday wins", "conflicting-day"))
    return found


def _check_collect(lint: _Lint, node_id: str, node: Node, ptr: str) -> list[Finding]:
    low, high = node.get("min_digits", 1), node.get("max_digits", 20)
    if low <= high:
        return []
    return [error(join(ptr, "min_digits"), f"collect node {node_id!r} wants at least {low} digits but "
                                           f"at most {high}, so no input can ever be accepted", "bad-range")]


def _check_survey(lint: _Lint, node_id: str, node: Node, ptr: str) -> list[Finding]:
    low, high = node.get("min_score", 1), node.get("max_score", 5)
    if low < high:
        return []
    return [error(join(ptr, "min_score"), f"survey node {node_id!r} has min_score {low} not below "
                                          f"max_score {high}, so the scale has no range", "bad-range")]


def _check_queue_field(lint: _Lint, node_id: str, node: Node, ptr: str) -> list[Finding]:
    if "queue" not in node:
        return []
    f = check_reference(node["queue"], lint.ctx.queues, join(ptr, "queue"), "queue", "unknown-queue")
    return [f] if f else []


def _check_queue(lint: _Lint, node_id: str, node: Node, ptr: str) -> list[Finding]:
    return [*_check_queue_field(lint, node_id, node, ptr),
            *check_skills(node.get("skills", []), join(ptr, "skills"), lint.ctx)]


def _check_transfer(lint: _Lint, node_id: str, node: Node, ptr: str) -> list[Finding]:
    number = node["number"]
    if lint.ctx.transfer_allowed(number):
        return []
    allowed = ", ".join(lint.ctx.allowed_transfer_numbers) or "empty"
    return [error(join(ptr, "number"), f"transfer number {number!r} is not in the tenant's allow-list "
                                       f"({allowed}); calls may only leave to approved numbers",
                  "transfer-not-allowed")]


def _check_lookup(lint: _Lint, node_id: str, node: Node, ptr: str) -> list[Finding]:
    table = node["source"].get("table")
    if table is None:
        return []
    f = check_reference(table, lint.ctx.tables, join(ptr, "source", "table"), "data table", "unknown-table")
    return [f] if f else []


def _check_ticket(lint: _Lint, node_id: str, node: Node, ptr: str) -> list[Finding]:
    found: list[Finding] = []
    for name, template in node["fields"].items():
        found += lint.template(template, join(ptr, "fields", name))
    form = lint.ctx.forms.get(node["form"])
    if form is None:
        f = check_reference(node["form"], lint.ctx.forms, join(ptr, "form"), "form", "unknown-form")
        return [*found, *([f] if f else [])]
    for name in node["fields"]:
        if name not in form.fields:
            found.append(error(join(ptr, "fields", name), f"form {node['form']!r} has no field {name!r} "
                                                          f"(fields: {listing(form.fields)})", "unknown-field"))
    return found


def _check_condition(lint: _Lint, node_id: str, node: Node, ptr: str) -> list[Finding]:
    return [f for i, b in enumerate(node["branches"])
            for f in check_condition(b["when"], join(ptr, "branches", i, "when"), lint.operand)]


@dataclass(frozen=True, slots=True)
class NodeType:
    """What the lint knows about one node type."""

    edges: Callable[[Node], list[Edge]]
    waits_for_input: bool = False
    templates: tuple[str, ...] = ()
    check: NodeCheck | None = None


NODE_TYPES: dict[str, NodeType] = {
    "hours": NodeType(_fields("open", "closed"), check=_check_hours),
    "menu": NodeType(_menu_edges, waits_for_input=True),
    "play": NodeType(_fields("next")),
    "collect": NodeType(_fields("next", "fallback"), waits_for_input=True, check=_check_collect),
    "lookup": NodeType(_fields("found", "not_found", "error"), templates=("key",), check=_check_lookup),
    "condition": NodeType(_condition_edges, check=_check_condition),
    "set": NodeType(_fields("next")),
    "queue": NodeType(_fields("overflow", "after"), waits_for_input=True, check=_check_queue),
    "transfer": NodeType(_fields("failed"), check=_check_transfer),
    "voicemail": NodeType(_fields("next"), waits_for_input=True, check=_check_queue_field),
    "callback": NodeType(_fields("accepted", "declined"), waits_for_input=True, templates=("number",),
                         check=_check_queue_field),
    "ticket": NodeType(_fields("next"), check=_check_ticket),
    "sms": NodeType(_fields("next"), templates=("to", "text")),
    "survey": NodeType(_fields("next"), waits_for_input=True, check=_check_survey),
    "goto": NodeType(_fields("target")),
    "hangup": NodeType(_fields()),
}


def defined_variables(body: Node) -> set[str]:
    """Every variable the flow can hold: declared ones and those nodes write."""
    names = set(body.get("variables", {}))
    for node in body["nodes"].values():
        kind = node["type"]
        if kind in ("collect", "ticket", "survey") and "variable" in node:
            names.add(node["variable"])
        elif kind == "set":
            names.update(node["values"])
        elif kind == "lookup":
            names.update(node.get("assign", {}))
    return names


class _Lint:
    """One lint run: the body, the tenant context and what is computed once for all nodes."""

    def __init__(self, body: Node, ctx: LintContext) -> None:
        self.body = body
        self.ctx = ctx
        self.variables = defined_variables(body)
        self._variables_text: str | None = None

    def variable(self, name: str, ptr: str, shown: str) -> Finding | None:
        if name in self.variables:
            return None
        if self._variables_text is None:
            self._variables_text = listing(self.variables)
        return error(ptr, f"{shown!r} reads variable {name!r}, which is neither declared in variables nor "
                          f"set by any node (defined: {self._variables_text})", "undefined-variable")

    def operand(self, operand: str, ptr: str) -> Finding | None:
        """Condition operands: var.X must be defined, call.X and customer.X must exist."""
        root, field = split_operand(operand)
        if root == "var":
            return self.variable(field, ptr, operand)
        if root == "call":
            return check_call_field(field, ptr, operand)
        if root == "customer":
            return check_customer_field(field, ptr, operand, self.ctx)
        return unavailable_root(root, ptr, operand, "an IVR", "var., call. or customer.")

    def template_name(self, name: str, ptr: str) -> Finding | None:
        """Template names: bare names (and other roots, like {{result.status}}) are IVR variables."""
        root, field = split_operand(name)
        shown = "{{" + name + "}}"
        if root == "call" and field:
            return check_call_field(field, ptr, shown)
        if root == "customer" and field:
            return check_customer_field(field, ptr, shown, self.ctx)
        if root == "var" and field:
            return self.variable(field, ptr, shown)
        return self.variable(root, ptr, shown)

    def template(self, source: str, ptr: str) -> list[Finding]:
        return check_template(source, ptr, self.template_name)

    def prompt(self, prompt: Node, ptr: str) -> list[Finding]:
        found: list[Finding] = []
        audio = prompt.get("audio")
        if audio is not None and audio not in self.ctx.prompts:
            found.append(error(join(ptr, "audio"), f"recorded prompt {audio!r} does not exist in this tenant "
                                                   f"(known: {listing(self.ctx.prompts)})", "unknown-prompt"))
        text = prompt.get("text")
        if text is not None:
            if not text.strip():
                if audio is None:
                    found.append(error(join(ptr, "text"), "prompt text is blank and there is no audio, so the "
                                                          "caller would hear silence", "empty-prompt"))
                else:
                    found.append(warning(join(ptr, "text"), f"the transcript of prompt {audio!r} is blank",
                                         "empty-prompt"))
            else:
                found += self.template(text, join(ptr, "text"))
        return found

    def node(self, node_id: str, node: Node, spec: NodeType) -> list[Finding]:
        ptr = pointer("nodes", node_id)
        found: list[Finding] = []
        for field in PROMPT_FIELDS:
            if field in node:
                found += self.prompt(node[field], join(ptr, field))
        for field in spec.templates:
            if field in node:
                found += self.template(node[field], join(ptr, field))
        if spec.check is not None:
            found += spec.check(self, node_id, node, ptr)
        return found


def _edge_label(path: tuple[str | int, ...]) -> str:
    """How an analyst names an edge: "digit 3", "branch 0", "overflow"."""
    if path[0] == "options":
        return f"digit {path[1]}"
    if path[0] == "branches":
        return f"branch {path[1]}"
    return str(path[0])


def _describe_duplicate(path: tuple[str, ...], key: str) -> str:
    if len(path) == 3 and path[0] == "nodes" and path[2] == "options":
        return (f"digit {key!r} is assigned twice in menu {path[1]!r}; only the last option would be "
                "kept and the other target silently lost")
    if path == ("nodes",):
        return f"node id {key!r} is used for two nodes; only the last one would be kept"
    if path == ("variables",):
        return f"variable {key!r} is declared twice; only the last declaration would be kept"
    return ""


def lint(body: dict[str, Any], ctx: LintContext, source: str | None = None) -> list[Finding]:
    """Semantic findings of an IVR body that passed the schema.

    source, the body's raw JSON text when there is one, lets the lint see keys written twice (a menu
    digit assigned twice), which parsing silently drops.
    """
    run = _Lint(body, ctx)
    nodes: Mapping[str, Node] = body["nodes"]
    found = duplicate_key_findings(source, _describe_duplicate)
    edges: dict[str, list[str]] = {}
    for field in ("start", "fallback"):
        if body[field] not in nodes:
            found.append(error(pointer(field), f"{field} node {body[field]!r} does not exist "
                                               f"({len(nodes)} nodes defined)", "unknown-target"))
    for node_id, node in nodes.items():
        spec = NODE_TYPES.get(node["type"], NodeType(_fields()))
        out = spec.edges(node)
        edges[node_id] = [target for target, _ in out]
        for target, path in out:
            if target not in nodes:
                found.append(error(pointer("nodes", node_id, *path), f"{_edge_label(path)} of node {node_id!r} "
                                                                     f"goes to node {target!r}, which does not exist",
                                   "unknown-target"))
        found += run.node(node_id, node, spec)
    found += _graph_findings(body, edges)
    return found


def _graph_findings(body: Node, edges: dict[str, list[str]]) -> list[Finding]:
    """[unreachable] nodes and [input-free-loop]s: loops a caller could never leave by pressing keys."""
    nodes: Mapping[str, Node] = body["nodes"]
    found: list[Finding] = []
    seen = reachable((body["start"], body["fallback"]), edges)
    # Without a real start node everything would be "unreachable": the unknown start says it all.
    if body["start"] in nodes and len(seen) < len(nodes):
        for node_id in nodes:
            if node_id not in seen:
                found.append(warning(pointer("nodes", node_id),
                                     f"node {node_id!r} cannot be reached from the start node {body['start']!r} "
                                     f"or the fallback {body['fallback']!r}; no caller will ever get there",
                                     "unreachable"))
    for component in cycles(edges):
        if any(NODE_TYPES[nodes[n]["type"]].waits_for_input for n in component):
            continue
        path = cycle_path(component, edges)
        first, second = path[0], path[1]
        at = next(p for t, p in NODE_TYPES[nodes[first]["type"]].edges(nodes[first]) if t == second)
        found.append(error(pointer("nodes", first, *at),
                           f"nodes {describe_path(path)} form a loop where the caller is never asked for "
                           "input, so a call entering it would never leave", "input-free-loop"))
    return found
