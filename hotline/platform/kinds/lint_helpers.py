"""Building blocks shared by the semantic lint of the four kinds.

Every check here is linear in the size of the document: publishing lints IVR trees of 10,000 nodes
and the benchmark (bench/validate.py) holds lint to the order of schema validation. So graph walks are
iterative (no recursion limit on long chains), templates are parsed once per distinct text, and name
look-ups are sets.
"""

from __future__ import annotations

import json
import re
import zoneinfo
from collections import deque
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from functools import lru_cache
from typing import Any

from jinja2.defaults import DEFAULT_NAMESPACE

from .. import template_limits, templating
from ..conditions import operands
from ..findings import Finding, error, join, pointer, warning
from .context import CALL_FIELDS, LintContext

#: Checks one dotted name (an operand like "var.waybill" or a template name like "call.caller") found
#: at a pointer; returns the finding it deserves, or None when the name is fine.
NameCheck = Callable[[str, str], Finding | None]

#: Names every template may use without defining them: Jinja's own globals (range, dict, ...).
_TEMPLATE_GLOBALS = frozenset(DEFAULT_NAMESPACE)


def listing(names: Iterable[str], limit: int = 8) -> str:
    """Names for a message, sorted and cut short: "a, b, c" or "a, b, … (12 in all)"."""
    items = sorted(names)
    if not items:
        return "none"
    if len(items) <= limit:
        return ", ".join(items)
    return ", ".join(items[:limit]) + f", … ({len(items)} in all)"


# --- templates --------------------------------------------------------------------------------------

# Most tenant texts are plain text with {{name}} or {{a.b}} placeholders. Those are recognised here
# without Jinja, whose parse + compile costs ~0.5 ms a text: 10,000 distinct prompts would take longer
# to lint than to validate. Anything else ({% %}, filters, whitespace control, keywords) goes to Jinja.
_PLAIN = r"(?:[^{]|\{(?![{%#]))*"
_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\s*\}\}")
_SIMPLE = re.compile(rf"{_PLAIN}(?:{_PLACEHOLDER.pattern}{_PLAIN})*")
#: Words Jinja reads as constants or operators, never as variable names: such texts go to Jinja.
_JINJA_WORDS = frozenset({"true", "false", "none", "True", "False", "None", "not", "and", "or", "in", "is",
                          "if", "else"})


@lru_cache(maxsize=65536)
def _analyse(source: str) -> tuple[str | None, tuple[str, ...]]:
    """(syntax error or None, sorted names read less Jinja's globals): one parse serves both questions."""
    if "{" not in source:  # every Jinja delimiter starts with '{'
        return None, ()
    names: set[str] | frozenset[str] = set()
    if _SIMPLE.fullmatch(source):
        for match in _PLACEHOLDER.finditer(source):
            parts = match.group(1).split(".")
            if _JINJA_WORDS.intersection(parts):
                break
            names.add(".".join(parts[:2]))  # as templating.referenced_names: {{a.b.c}} reads a.b
        else:
            return None, tuple(sorted(n for n in names if n.split(".")[0] not in _TEMPLATE_GLOBALS))
    problem = templating.check(source)
    if problem is not None:
        return problem, ()
    names = templating.referenced_names(source)
    return None, tuple(sorted(n for n in names if n.split(".")[0] not in _TEMPLATE_GLOBALS))


@lru_cache(maxsize=65536)
def _unbounded(source: str) -> str | None:
    return template_limits.unbounded(source)


def template_error(source: str) -> str | None:
    """The syntax error of a template, or None when it parses."""
    return _analyse(source)[0]


def template_names(source: str) -> tuple[str, ...]:
    """The names a template reads, sorted, less Jinja's globals (range, dict, ...); () for plain text."""
    return _analyse(source)[1]


def check_template(source: str, ptr: str, check_name: NameCheck | None = None) -> list[Finding]:
    """[template-error] for a template that does not parse, else the findings of check_name per name."""
    if "{" not in source:
        return []
    problem, names = _analyse(source)
    if problem is not None:
        return [error(ptr, f"text {shorten(source)!r} is not a valid template: {problem}", "template-error")]
    limit = _unbounded(source)
    if limit is not None:  # would stall a live call (and the tenants sharing its event loop): refused
        return [error(ptr, f"text {shorten(source)!r} is refused: {limit}", "template-unbounded")]
    if check_name is None:
        return []
    return [f for name in names if (f := check_name(name, ptr)) is not None]


class MemoNames:
    """A NameCheck memoised by name, for checks whose verdict does not depend on where the name is.

    A 10,000-node IVR reads the same few variables thousands of times; each is judged once and the
    finding, if any, is re-issued at every pointer that reads it.
    """

    def __init__(self, check_name: NameCheck) -> None:
        self._check = check_name
        self._verdicts: dict[str, Finding | None] = {}

    def __call__(self, name: str, ptr: str) -> Finding | None:
        try:
            verdict = self._verdicts[name]
        except KeyError:
            verdict = self._verdicts[name] = self._check(name, "")
        return None if verdict is None else Finding(ptr, verdict.severity, verdict.message, verdict.code)


def shorten(text: str, limit: int = 60) -> str:
    """Long texts cut for a message."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- conditions and operands ------------------------------------------------------------------------

def check_condition(condition: Mapping[str, Any], ptr: str, check_name: NameCheck) -> list[Finding]:
    """Runs check_name on every operand of a condition tree, at the operand's own pointer."""
    return [f for operand, at in operands(condition, ptr) if (f := check_name(operand, at)) is not None]


def split_operand(name: str) -> tuple[str, str]:
    """"customer.flags.vip" → ("customer", "flags"): the root and the first field under it."""
    parts = name.split(".")
    return parts[0], (parts[1] if len(parts) > 1 else "")


def check_call_field(field: str, ptr: str, shown: str) -> Finding | None:
    """call.<field> must be one of the attributes every call has."""
    if field in CALL_FIELDS:
        return None
    return error(ptr, f"{shown!r} reads call attribute {field!r}, which calls do not have "
                      f"(known: {listing(CALL_FIELDS, 20)})", "unknown-field")


def check_customer_field(field: str, ptr: str, shown: str, ctx: LintContext) -> Finding | None:
    """customer.<field> must be a field of the tenant's customer records."""
    if field in ctx.customer_fields:
        return None
    return error(ptr, f"{shown!r} reads customer field {field!r}, which customer records of this tenant "
                      f"do not have (known: {listing(ctx.customer_fields, 20)})", "unknown-field")


def unavailable_root(root: str, ptr: str, shown: str, where: str, allowed: str) -> Finding:
    """An operand whose root the evaluation context of this document never has."""
    return error(ptr, f"{shown!r} reads {root!r}, which is not available in {where} (use {allowed})",
                 "unavailable-operand")


# --- references to the tenant's names ---------------------------------------------------------------

def check_reference(name: str, known: Collection[str], ptr: str, what: str, code: str) -> Finding | None:
    """A reference to a tenant name (queue, form, script, ...) that must exist."""
    if name in known:
        return None
    return error(ptr, f"{what} {name!r} does not exist in this tenant (known: {listing(known)})", code)


def check_skills(skills: Iterable[str], ptr: str, ctx: LintContext) -> list[Finding]:
    """[unknown-skill] per skill the tenant has not defined; skipped when the tenant defines none."""
    if not ctx.skills:
        return []
    return [error(join(ptr, i), f"skill {s!r} does not exist in this tenant (known: {listing(ctx.skills)})",
                  "unknown-skill")
            for i, s in enumerate(skills) if s not in ctx.skills]


@lru_cache(maxsize=256)
def valid_timezone(name: str) -> bool:
    """True for an IANA zone name zoneinfo can load (Asia/Shanghai), False for anything else."""
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def check_timezone(name: str, ptr: str) -> Finding | None:
    """[bad-timezone]: call windows and business hours need a real zone to be computed at all."""
    if valid_timezone(name):
        return None
    return error(ptr, f"time zone {name!r} is not an IANA time zone name (for example Asia/Shanghai)",
                 "bad-timezone")


def empty_window(start: str, end: str, ptr: str, what: str) -> Finding | None:
    """[empty-window] for a time range that contains no minute ('HH:MM' strings compare in order)."""
    if start < end:
        return None
    return error(ptr, f"{what} {start}–{end} contain no time: the start is not before the end", "empty-window")


def check_calendar(calendar: Mapping[str, Any], ptr: str) -> list[Finding]:
    """Business hours (common.schema calendar): a real time zone, time ranges that contain time, and
    the warnings an analyst wants before a hotline is closed when it should be open."""
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


# --- graphs -----------------------------------------------------------------------------------------

def reachable(roots: Iterable[str], edges: Mapping[str, list[str]]) -> set[str]:
    """Nodes reachable from the roots (the roots included when they are nodes), depth first."""
    seen = {r for r in roots if r in edges}
    stack = list(seen)
    while stack:
        for target in edges[stack.pop()]:
            if target not in seen and target in edges:
                seen.add(target)
                stack.append(target)
    return seen


def cycles(edges: Mapping[str, list[str]]) -> list[list[str]]:
    """The strongly connected components that contain a cycle, each in document order.

    Linear and iterative, so a 10,000-node chain is fine: nodes no cycle can pass through (in-degree
    zero, repeatedly) are peeled off first, which leaves nothing to do for the usual tree-shaped flow;
    Tarjan's algorithm, with an explicit stack, runs on what remains. Edges to targets that are not
    nodes are ignored (they are reported as unknown targets elsewhere).
    """
    indegree = dict.fromkeys(edges, 0)
    for targets in edges.values():
        for target in targets:
            if target in indegree:
                indegree[target] += 1
    free = [node for node, degree in indegree.items() if degree == 0]
    while free:
        node = free.pop()
        del indegree[node]
        for target in edges[node]:
            if target in indegree:
                indegree[target] -= 1
                if indegree[target] == 0:
                    free.append(target)
    if not indegree:
        return []
    rest = {node: [t for t in targets if t in indegree] for node, targets in edges.items() if node in indegree}
    return _tarjan(rest)


def _tarjan(edges: Mapping[str, list[str]]) -> list[list[str]]:
    """Cyclic strongly connected components of a graph whose edges all lead to its nodes."""
    order = {node: i for i, node in enumerate(edges)}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in edges:
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(root, iter(edges[root]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges[child])))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1 or node in edges[node]:
                        found.append(sorted(component, key=order.__getitem__))
    found.sort(key=lambda c: order[c[0]])
    return found


def cycle_path(component: list[str], edges: Mapping[str, list[str]]) -> list[str]:
    """One closed path through a strongly connected component, from its first node back to it."""
    first = component[0]
    members = set(component)
    came_from: dict[str, str] = {}
    queue = deque([first])
    while queue:
        node = queue.popleft()
        for target in edges[node]:
            if target == first:
                path = [first]
                while node != first:
                    path.append(node)
                    node = came_from[node]
                return [first, *reversed(path[1:]), first]
            if target in members and target not in came_from:
                came_from[target] = node
                queue.append(target)
    return [first, first]  # unreachable for a real component; a safe answer all the same


def describe_path(path: list[str], limit: int = 8) -> str:
    """'a → b → a', middle cut short for long loops."""
    if len(path) > limit:
        path = [*path[: limit - 2], "…", path[-1]]
    return " → ".join(path)


# --- duplicate keys in the raw JSON text ------------------------------------------------------------

class _Object(dict):
    """A JSON object that remembers which of its keys appeared more than once."""

    __slots__ = ("duplicates",)

    def __init__(self, pairs: list[tuple[str, Any]]) -> None:
        super().__init__(pairs)
        self.duplicates: list[str] = []
        if len(self) != len(pairs):
            seen: set[str] = set()
            for key, _ in pairs:
                if key in seen and key not in self.duplicates:
                    self.duplicates.append(key)
                seen.add(key)


def duplicate_keys(source: str | None) -> list[tuple[tuple[str, ...], str]]:
    """(path of the object, key) for every key written twice in the JSON text.

    json.loads keeps the last of duplicated keys silently, so a menu with digit "1" written twice
    loses one option without anyone noticing; only the raw text shows it. Text that does not parse
    yields nothing here (the caller reports the parse error).
    """
    if not source:
        return []
    try:
        document = json.loads(source, object_pairs_hook=_Object)
    except ValueError:
        return []
    found: list[tuple[tuple[str, ...], str]] = []
    work: list[tuple[tuple[str, ...], Any]] = [((), document)]
    while work:
        path, value = work.pop()
        if isinstance(value, _Object):
            found.extend((path, key) for key in value.duplicates)
            work.extend(((*path, key), child) for key, child in value.items())
        elif isinstance(value, list):
            work.extend(((*path, str(i)), child) for i, child in enumerate(value))
    found.sort()
    return found


def duplicate_key_findings(source: str | None,
                           describe: Callable[[tuple[str, ...], str], str] | None = None) -> list[Finding]:
    """[duplicate-key] at the pointer of each key written twice; describe words kind-specific cases."""
    findings = []
    for path, key in duplicate_keys(source):
        message = describe(path, key) if describe else ""
        if not message:
            where = pointer(*path) or "the document"
            message = (f"key {key!r} is written more than once in {where}; only the last one would be kept, "
                       "the others silently lost")
        findings.append(error(pointer(*path, key), message, "duplicate-key"))
    return findings
