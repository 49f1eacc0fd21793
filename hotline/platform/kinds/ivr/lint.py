"""Semantic lint of IVR trees: what the schema cannot see and a caller would suffer from.

Runs on bodies that passed the schema. A node type is one entry of NODE_TYPES: the edges it leaves by
(field → pointer, for unknown targets, reachability and loops), whether it waits for the caller (a loop
through such a node is a retry loop, not a hang), the template fields it renders, and its own checks.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ...findings import Finding, error, join, pointer, warning
from ...prompt_tts import spoken_text, stage_directions
from ..context import CALL_BOUNDS, LintContext
from ..lint_helpers import (
    MemoNames,
    check_calendar,
    check_call_field,
    check_condition,
    check_customer_field,
    check_reference,
    check_skills,
    check_template,
    cycle_path,
    cycles,
    describe_path,
    duplicate_key_findings,
    listing,
    reachable,
    split_operand,
    unavailable_root,
)

Node = Mapping[str, Any]
#: Characters that open a stage direction (prompt_tts.stage_directions): most texts have none, so no regex runs.
_BRACKETS = frozenset("（(【")
#: (target node id, path of the field inside the node), e.g. ("main_menu", ("options", "1")).
Edge = tuple[str, tuple[str | int, ...]]
NodeCheck = Callable[["_Lint", str, Node, str], list[Finding]]


def _menu_options(node: Node) -> list[Edge]:
    return [(target, ("options", digit)) for digit, target in node["options"].items()]


def _condition_branches(node: Node) -> list[Edge]:
    return [(b["next"], ("branches", i, "next")) for i, b in enumerate(node["branches"])]


# --- checks of single node types -------------------------------------------------------------------

def _check_hours(lint: _Lint, node_id: str, node: Node, ptr: str) -> list[Finding]:
    if "calendar" in node:
        return check_calendar(node["calendar"], f"{ptr}/calendar")
    if lint.ctx.has_calendar:
        return []
    return [error(ptr, f"hours node {node_id!r} has no calendar of its own and the tenant has no business "
                       "calendar, so open and closed cannot be told apart", "no-calendar")]


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


# Node checks test before they build a pointer: on a 10,000-node tree almost every test passes.

def _check_queue_field(lint: _Lint, node_id: str, node: Node, ptr: str) -> list[Finding]:
    if "queue" not in node or node["queue"] in lint.ctx.queues:
        return []
    f = check_reference(node["queue"], lint.ctx.queues, f"{ptr}/queue", "queue", "unknown-queue")
    return [f] if f else []


def _check_queue(lint: _Lint, node_id: str, node: Node, ptr: str) -> list[Finding]:
    found = _check_queue_field(lint, node_id, node, ptr)
    if "skills" in node:
        found += check_skills(node["skills"], f"{ptr}/skills", lint.ctx)
    return found


def _check_transfer(lint: _Lint, node_id: str, node: Node, ptr: str) -> list[Finding]:
    number = node["number"]
    if lint.ctx.transfer_allowed(number):
        return []
    allowed = ", ".join(lint.ctx.allowed_transfer_numbers) or "empty"
    return [error(join(ptr, "number"), f"transfer number {number!r} is not in the tenant's allow-list "
                                       f"({allowed}); calls may only leave to approved numbers",
                  "transfer-not-allowed")]


def _check_lookup(lint: _Lint, node_id: str, node: Node, ptr: str) -> list[Finding]:
    if "webhook" in node["source"] and "error" not in node:
        # a partner system that is down or slow must not leave the caller with only an apology
        return [warning(f"{ptr}/error", "a webhook lookup without an error target sends the caller to the "
                                        "document's fallback when the tracking system fails or times out; point "
                                        "error at a queue node so the caller reaches an agent",
                        "lookup-webhook-no-error")]
    table = node["source"].get("table")
    if table is None or table in lint.ctx.tables:
        return []
    f = check_reference(table, lint.ctx.tables, f"{ptr}/source/table", "data table", "unknown-table")
    return [f] if f else []


def _check_ticket(lint: _Lint, node_id: str, node: Node, ptr: str) -> list[Finding]:
    found: list[Finding] = []
    for name, template in node["fields"].items():
        if "{" in template:
            found += lint.template(template, f"{ptr}/fields/{name}")
    form = lint.ctx.forms.get(node["form"])
    if form is None:
        f = check_reference(node["form"], lint.ctx.forms, f"{ptr}/form", "form", "unknown-form")
        return [*found, *([f] if f else [])]
    for name in node["fields"]:
        if name not in form.fields:
            found.append(error(f"{ptr}/fields/{name}", f"form {node['form']!r} has no field {name!r} "
                                                          f"(fields: {listing(form.fields)})", "unknown-field"))
    key = node.get("urge_open")
    if key is not None and key not in node["fields"]:
        found.append(error(f"{ptr}/urge_open", f"urge_open names {key!r}, which this node does not fill "
                                               f"(fields: {listing(node['fields'])}): open tickets could never match",
                           "unknown-field"))
    return found


def _check_set(lint: _Lint, node_id: str, node: Node, ptr: str) -> list[Finding]:
    # Text values are rendered as templates when the node runs ({{waybill}}-{{call.caller}}).
    return [f for name, value in node["values"].items() if isinstance(value, str) and "{" in value
            for f in lint.template(value, f"{ptr}/values/{name}")]




def _out_of_bounds(condition: Any, ptr: str) -> list[Finding]:
    """Comparisons of a bounded call field (当前小时 0-23) with a value outside its bounds (QA: 等于 25 was taken)."""
    if not isinstance(condition, Mapping):
        return []
    for key in ("all", "any"):
        if isinstance(condition.get(key), list):
            return [f for i, child in enumerate(condition[key]) for f in _out_of_bounds(child, join(ptr, key, i))]
    if "not" in condition:
        return _out_of_bounds(condition["not"], join(ptr, "not"))
    bounds = CALL_BOUNDS.get(condition.get("field", ""))
    if bounds is None:
        return []
    value = condition.get("value")
    found = []
    for v in value if isinstance(value, list) else [value]:
        try:
            number = float(v)
        except (TypeError, ValueError):
            continue
        if not bounds[0] <= number <= bounds[1] or (number != int(number)):
            found.append(error(join(ptr, "value"), f"{condition['field']!r} is compared with {v} outside {bounds[0]} "
                               f"to {bounds[1]}, so the comparison never holds", "value-out-of-bounds"))
    return found


def _check_condition(lint: _Lint, node_id: str, node: Node, ptr: str) -> list[Finding]:
    return [f for i, b in enumerate(node["branches"])
            for f in [*check_condition(b["when"], f"{ptr}/branches/{i}/when", lint.operand),
                      *_out_of_bounds(b["when"], f"{ptr}/branches/{i}/when")]]


@dataclass(frozen=True, slots=True)
class NodeType:
    """What the lint knows about one node type.

    Its edges are its next-like fields (next_fields: field → target id) plus, for nested ones, what
    more_edges lists (menu digits, condition branches), each with its path inside the node.
    """

    next_fields: tuple[str, ...] = ()
    more_edges: Callable[[Node], list[Edge]] | None = None
    waits_for_input: bool = False
    #: Fields holding a prompt (text and/or recorded audio) and fields holding a template.
    prompts: tuple[str, ...] = ()
    templates: tuple[str, ...] = ()
    check: NodeCheck | None = None
    #: Whether there is anything to check beside the edges (spares a call per node when not).
    checks_anything: bool = dataclasses.field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "checks_anything", bool(self.prompts or self.templates or self.check))

    def edges(self, node: Node) -> list[Edge]:
        """(target, path in the node) of every edge, e.g. ("agent", ("options", "0"))."""
        found: list[Edge] = [(node[name], (name,)) for name in self.next_fields if name in node]
        return found + self.more_edges(node) if self.more_edges else found

    def targets(self, node: Node) -> list[str]:
        """The target ids alone: what graph walks need, without building paths."""
        found = [node[name] for name in self.next_fields if name in node]
        return found + [target for target, _ in self.more_edges(node)] if self.more_edges else found


#: What an unregistered type (impossible after the schema) is taken for: no edges, no checks.
_NO_TYPE = NodeType()

NODE_TYPES: dict[str, NodeType] = {
    "hours": NodeType(("open", "closed"), check=_check_hours),
    "menu": NodeType(("fallback",), _menu_options, waits_for_input=True,
                     prompts=("prompt", "invalid_prompt", "timeout_prompt")),
    "play": NodeType(("next",), prompts=("prompt",)),
    "collect": NodeType(("next", "fallback"), waits_for_input=True, prompts=("prompt", "invalid_prompt"),
                        check=_check_collect),
    "lookup": NodeType(("found", "not_found", "error"), templates=("key",), check=_check_lookup),
    "condition": NodeType(("else",), _condition_branches, check=_check_condition),
    "set": NodeType(("next",), check=_check_set),
    "queue": NodeType(("overflow", "after"), waits_for_input=True, prompts=("prompt", "hold_prompt", "announce_prompt"),
                      check=_check_queue),
    "transfer": NodeType(("failed",), prompts=("prompt",), check=_check_transfer),
    "voicemail": NodeType(("next",), waits_for_input=True, prompts=("prompt",), check=_check_queue_field),
    "callback": NodeType(("accepted", "declined"), waits_for_input=True, prompts=("prompt",),
                         templates=("number",), check=_check_queue_field),
    "ticket": NodeType(("next", "no_handler"), check=_check_ticket),
    "urge": NodeType(("next", "no_handler", "refused"), templates=("ticket", "verify_code")),
    "sms": NodeType(("next",), templates=("to", "text")),
    "survey": NodeType(("next",), waits_for_input=True, prompts=("prompt", "thanks_prompt"), check=_check_survey),
    "goto": NodeType(("target",)),
    "hangup": NodeType(prompts=("prompt",)),
}


def defined_variables(body: Node) -> set[str]:
    """Every variable the flow can hold: declared ones and those nodes write."""
    names = set(body.get("variables", {}))
    for node in body["nodes"].values():
        kind = node["type"]
        if kind in ("collect", "ticket", "survey", "urge") and "variable" in node:
            names.add(node["variable"])
        elif kind == "set":
            names.update(node["values"])
        elif kind == "lookup":
            names.update(node.get("assign", {}))
    return names


def _node_ptr(node_id: str) -> str:
    # Node ids are names (schema pattern), which never need RFC 6901 escaping; pointer() is the safe
    # path for anything else, at ten times the cost on a 10,000-node tree.
    return "/nodes/" + node_id if "~" not in node_id and "/" not in node_id else pointer("nodes", node_id)


class _Lint:
    """One lint run: the body, the tenant context and what is computed once for all nodes."""

    def __init__(self, body: Node, ctx: LintContext) -> None:
        self.body = body
        self.ctx = ctx
        self.variables = defined_variables(body)
        # Verdicts on names do not depend on where they are read: judge each name once.
        self.operand = MemoNames(self._operand)
        self.template_name = MemoNames(self._template_name)
        self._templates: dict[str, list[Finding]] = {}

    def variable(self, name: str, ptr: str, shown: str) -> Finding | None:
        if name in self.variables:
            return None
        return error(ptr, f"{shown!r} reads variable {name!r}, which is neither declared in variables nor "
                          f"set by any node (defined: {listing(self.variables)})", "undefined-variable")

    def _operand(self, operand: str, ptr: str) -> Finding | None:
        """Condition operands: var.X must be defined, call.X and customer.X must exist."""
        root, field = split_operand(operand)
        if root == "var":
            return self.variable(field, ptr, operand)
        if root == "call":
            return check_call_field(field, ptr, operand)
        if root == "customer":
            return check_customer_field(field, ptr, operand, self.ctx)
        return unavailable_root(root, ptr, operand, "an IVR", "var., call. or customer.")

    def _template_name(self, name: str, ptr: str) -> Finding | None:
        """Template names: bare names (and other roots, like {{result.status}}) are IVR variables."""
        root, field = split_operand(name)
        shown = "{{" + name + "}}"
        if root == "call" and field:
            return check_call_field(field, ptr, shown)
        if root == "customer" and field:
            return check_customer_field(field, ptr, shown, self.ctx)
        if root == "var" and field and "var" not in self.variables:
            # Conditions say var.waybill; templates render variables by bare name, so this is empty.
            return error(ptr, f"{shown!r} is always empty: templates read IVR variables by bare name, "
                              f"as {{{{{name[4:]}}}}}", "undefined-variable")
        return self.variable(root, ptr, shown)

    def template(self, source: str, ptr: str) -> list[Finding]:
        if "{" not in source:
            return []
        try:
            verdict = self._templates[source]
        except KeyError:  # judged once per distinct text, re-issued at every pointer that uses it
            verdict = self._templates[source] = check_template(source, "", self.template_name)
        return [Finding(ptr, f.severity, f.message, f.code) for f in verdict] if verdict else []

    def prompt(self, prompt: Node, ptr: str) -> list[Finding]:
        found: list[Finding] = []
        audio = prompt.get("audio")
        if audio is not None and audio not in self.ctx.prompts:
            found.append(error(ptr + "/audio", f"recorded prompt {audio!r} does not exist in this tenant "
                                               f"(known: {listing(self.ctx.prompts)})", "unknown-prompt"))
        text = prompt.get("text")
        if text is None:
            return found
        if text.strip():
            directions = stage_directions(text) if _BRACKETS.intersection(text) else []
            if directions and not spoken_text(text) and audio is None:
                found.append(error(ptr + "/text", f"prompt text holds only stage directions "
                                                  f"({' '.join(directions)}), which are never read out, and there "
                                                  "is no audio, so the caller would hear silence", "empty-prompt"))
            elif directions:
                # QA 12: "（等待音乐）" in a prompt was read aloud on the real switch; now it is dropped before TTS,
                # so the analyst must know that bracketed words are not heard (music is the queue's hold music)
                found.append(warning(ptr + "/text", f"the bracketed {' '.join(directions)} in this prompt is taken "
                                                    "for a stage direction and is not read out; remove the brackets "
                                                    "to have it read (hold music is the switch's, not a prompt's)",
                                     "stage-direction"))
            return found + self.template(text, ptr + "/text") if "{" in text else found
        if audio is None:
            found.append(error(ptr + "/text", "prompt text is blank and there is no audio, so the caller would "
                                              "hear silence", "empty-prompt"))
        else:
            found.append(warning(ptr + "/text", f"the transcript of prompt {audio!r} is blank", "empty-prompt"))
        return found

    def node(self, node_id: str, node: Node, spec: NodeType) -> list[Finding]:
        ptr = _node_ptr(node_id)
        found: list[Finding] = []
        for field in spec.prompts:
            if field in node:
                found += self.prompt(node[field], f"{ptr}/{field}")
        for field in spec.templates:
            if field in node:
                found += self.template(node[field], f"{ptr}/{field}")
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
    quiet: dict[str, list[str]] = {}  # edges of the nodes that do not wait for the caller
    for node_id, node in nodes.items():
        spec = NODE_TYPES.get(node["type"], _NO_TYPE)
        edges[node_id] = targets = spec.targets(node)
        for target in targets:
            if target not in nodes:
                found += _unknown_targets(node_id, spec.edges(node), nodes)
                break
        if spec.checks_anything:
            found += run.node(node_id, node, spec)
        if not spec.waits_for_input:
            quiet[node_id] = targets
    found += _unreachable(body, edges)
    found += _input_free_loops(nodes, quiet)
    return found


def _unknown_targets(node_id: str, out: list[Edge], nodes: Mapping[str, Node]) -> list[Finding]:
    return [error(pointer("nodes", node_id, *path), f"{_edge_label(path)} of node {node_id!r} goes to node "
                                                    f"{target!r}, which does not exist", "unknown-target")
            for target, path in out if target not in nodes]


def _unreachable(body: Node, edges: dict[str, list[str]]) -> list[Finding]:
    """[unreachable]: nodes neither the start nor the fallback (any error mid-call) leads to."""
    nodes: Mapping[str, Node] = body["nodes"]
    # Without a real start node everything would be "unreachable": the unknown start says it all.
    if body["start"] not in nodes:
        return []
    seen = reachable((body["start"], body["fallback"]), edges)
    if len(seen) == len(nodes):
        return []
    return [warning(_node_ptr(node_id), f"node {node_id!r} cannot be reached from the start node {body['start']!r} "
                                        f"or the fallback {body['fallback']!r}; no caller will ever get there",
                    "unreachable")
            for node_id in nodes if node_id not in seen]


def _input_free_loops(nodes: Mapping[str, Node], quiet: dict[str, list[str]]) -> list[Finding]:
    """[input-free-loop]: a loop none of whose nodes waits for the caller, so a call never leaves it.

    Such a loop lies wholly in the graph of the quiet nodes (those that do not wait; quiet maps each to
    its targets, in document order), so cycles are searched there: cycles() ignores edges that leave
    it. That also finds a quiet inner loop inside a bigger loop through a menu.
    """
    found: list[Finding] = []
    for component in cycles(quiet):
        path = cycle_path(component, quiet)
        first, second = path[0], path[1]
        at = next(p for t, p in NODE_TYPES[nodes[first]["type"]].edges(nodes[first]) if t == second)
        found.append(error(pointer("nodes", first, *at),
                           f"nodes {describe_path(path)} form a loop where the caller is never asked for "
                           "input, so a call entering it would never leave", "input-free-loop"))
    return found
