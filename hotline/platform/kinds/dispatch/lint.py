"""Semantic lint of dispatch rules: every name a rule mentions exists, and fits the rule's event.

Runs on bodies that passed the schema. A rule sees the fields of the forms it is limited to (all forms
when it names none); call events carry a call and IVR variables but no ticket, ticket events the other
way round. Each action type has an entry in ACTION_CHECKS, so adding an action is adding an entry.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ...findings import Finding, error, join, pointer, warning
from ..context import TICKET_FIELDS, FieldOptions, FormInfo, LintContext
from ..lint_helpers import (
    check_call_field,
    check_condition,
    check_customer_field,
    check_reference,
    check_skills,
    check_template,
    duplicate_key_findings,
    listing,
    split_operand,
    unavailable_root,
)

Action = Mapping[str, Any]

CALL_EVENTS = frozenset({"call.entered_queue", "call.abandoned"})
TICKET_EVENTS = frozenset({"ticket.created", "ticket.updated", "ticket.status_changed", "ticket.sla_warning",
                           "ticket.sla_breached"})
#: Rules a dry run (试运行规则, designer/api/dispatch_trial.py) takes: 401 rules took ~110 s on PostgreSQL, so
#: the dry run stops well below the schema's maxItems (500) and the lint warns about a longer rule set.
TRIAL_RULES = 200
#: Actions that move a live call: meaningless once the call has become a ticket.
CALL_ACTIONS = frozenset({"route_to_queue", "overflow"})
#: Actions that change a ticket: call events have none.
TICKET_ACTIONS = frozenset({"assign", "assign_by_coverage", "set_fields", "set_status"})
#: Ticket attributes a rule may write besides the form's fields.
WRITABLE_TICKET_FIELDS = frozenset({"priority", "group", "assignee"})
#: Action fields rendered as templates, by action type (the schema's template fields).
TEMPLATE_FIELDS: dict[str, tuple[str, ...]] = {
    "notify": ("to", "subject", "text"),
    "assign_by_coverage": ("text",),
    "schedule_callback": ("note",),
}


@dataclass(slots=True)
class _Rule:
    """What one rule can see: its event and the forms (hence fields and statuses) it applies to."""

    index: int
    event: str
    forms: dict[str, FormInfo]
    #: Fields of the applicable forms; None when the rule names only unknown forms (reported already).
    fields: frozenset[str] | None
    ctx: LintContext
    #: True when the rule names its forms, False when it applies to every form.
    limited: bool

    @property
    def ptr(self) -> str:
        return pointer("rules", self.index)

    def is_call_event(self) -> bool:
        return self.event in CALL_EVENTS

    def is_ticket_event(self) -> bool:
        return self.event in TICKET_EVENTS

    def form_field(self, name: str, ptr: str, lead: str, extra: frozenset[str] = frozenset()) -> Finding | None:
        """[unknown-field] unless name is a field of the rule's forms (or one of extra)."""
        if self.fields is None or name in self.fields or name in extra:
            return None
        also = " nor a ticket attribute" if extra else ""
        return error(ptr, f"{lead} {name!r}, which is not a field of {self.forms_text()}{also} "
                          f"(fields: {listing(self.fields)})", "unknown-field")

    def forms_text(self) -> str:
        if not self.limited:
            return "any form of this tenant"
        return ("form " if len(self.forms) == 1 else "forms ") + ", ".join(sorted(self.forms))

    def operand(self, operand: str, ptr: str) -> Finding | None:
        """Operands: ticket fields of the rule's forms, call attributes, customer fields, event data, IVR
        variables; a root the event does not carry is a warning (the comparison would always be false)."""
        root, field = split_operand(operand)
        if root == "event":
            return None
        if root == "ticket":
            if self.is_call_event():
                return warning(ptr, f"{operand!r} reads the ticket, but {self.event} events carry no ticket",
                               "operand-not-for-event")
            return self.form_field(field, ptr, f"{operand!r} reads", TICKET_FIELDS)
        if root == "call":
            found = check_call_field(field, ptr, operand)
            if found is None and self.is_ticket_event():
                return warning(ptr, f"{operand!r} reads the call, but {self.event} events carry no call",
                               "operand-not-for-event")
            return found
        if root == "customer":
            return check_customer_field(field, ptr, operand, self.ctx)
        if root == "var":
            if self.is_call_event():
                return None
            return warning(ptr, f"{operand!r} reads an IVR variable, but only call events carry them",
                           "operand-not-for-event")
        return unavailable_root(root, ptr, operand, "dispatch rules", "ticket., call., customer., var. or event.")

    def template_name(self, name: str, ptr: str) -> Finding | None:
        # Bare names have no fixed meaning in rule templates; dotted ones are checked like operands.
        if "." not in name or split_operand(name)[0] not in ("ticket", "call", "customer", "var", "event"):
            return None
        return self.operand(name, ptr)


#: Operators whose value is one of the field's values (a list of them for in / not_in).
OPTION_OPS = frozenset({"eq", "ne", "in", "not_in"})


def _comparisons(condition: Mapping[str, Any], ptr: str) -> list[tuple[Mapping[str, Any], str]]:
    """Every comparison of a condition tree with its pointer."""
    for key in ("all", "any"):
        if isinstance(condition.get(key), list):
            return [c for i, child in enumerate(condition[key]) for c in _comparisons(child, join(ptr, key, i))]
    if isinstance(condition.get("not"), Mapping):
        return _comparisons(condition["not"], join(ptr, "not"))
    return [(condition, ptr)] if "field" in condition else []


def _options_of(rule: _Rule, name: str) -> FieldOptions | None:
    """The choices of a ticket field in the rule's forms, merged when several forms have it (None: free text)."""
    found = [info.options[name] for info in rule.forms.values() if name in info.options]
    if not found or any(name in info.fields and name not in info.options for info in rule.forms.values()):
        return None
    labels: dict[str, str] = {}
    for options in found:
        labels.update({code: label for code, label in options.labels.items() if code not in labels})
    return FieldOptions(found[0].title, labels)


def _not_an_option(rule: _Rule, condition: Mapping[str, Any], ptr: str) -> list[Finding]:
    """[not-an-option]: a comparison of a field with choices to a value that is none of them. An error, not a
    warning: the form refuses that value on every ticket, so `eq` never holds and `ne` always does, and the rule
    silently does the opposite of what its author meant (docs/decisions.md, "A condition's value must be an
    option of its field")."""
    found: list[Finding] = []
    for comparison, at in _comparisons(condition, ptr):
        root, name = split_operand(str(comparison.get("field", "")))
        if root != "ticket" or comparison.get("op") not in OPTION_OPS or "value" not in comparison:
            continue
        options = _options_of(rule, name)
        if options is None:
            continue
        value = comparison["value"]
        values = value if isinstance(value, list) else [value]
        for j, one in enumerate(values):
            if isinstance(one, bool) or not isinstance(one, str | int) or str(one) in options.labels:
                continue
            where = join(at, "value", j) if isinstance(value, list) else join(at, "value")
            labels = ", ".join(f"'{label}'" for label in options.labels.values())
            found.append(error(where, f"field {options.title!r} ({comparison['field']}) is compared to {str(one)!r}, "
                                      f"which is not one of its options: {labels}", "not-an-option"))
    return found


def _queue(rule: _Rule, action: Action, ptr: str) -> list[Finding]:
    if "queue" not in action:
        return []
    f = check_reference(action["queue"], rule.ctx.queues, join(ptr, "queue"), "queue", "unknown-queue")
    return [f] if f else []


def _route_to_queue(rule: _Rule, action: Action, ptr: str) -> list[Finding]:
    return [*_queue(rule, action, ptr), *check_skills(action.get("skills", []), join(ptr, "skills"), rule.ctx)]


def _assign_by_coverage(rule: _Rule, action: Action, ptr: str) -> list[Finding]:
    found = []
    f = check_reference(action["directory"], rule.ctx.directories, join(ptr, "directory"), "directory",
                        "unknown-directory")
    found += [f] if f else []
    for key in ("address_field", "name_field", "phone_field", "station_field", "skill_field"):
        if key in action:
            f = rule.form_field(action[key], join(ptr, key), f"{key} names")
            found += [f] if f else []
    unassigned = action.get("unassigned") or {}
    if "text" in unassigned:
        found += check_template(unassigned["text"], join(ptr, "unassigned", "text"), rule.template_name)
    return found


def _set_fields(rule: _Rule, action: Action, ptr: str) -> list[Finding]:
    return [f for name in action["fields"]
            if (f := rule.form_field(name, join(ptr, "fields", name), "set_fields writes",
                                     WRITABLE_TICKET_FIELDS)) is not None]


def _set_status(rule: _Rule, action: Action, ptr: str) -> list[Finding]:
    status, forms = action["status"], rule.forms
    if not forms:
        return []
    lacking = sorted(name for name, info in forms.items() if status not in info.statuses)
    if not lacking:
        return []
    at = join(ptr, "status")
    if len(lacking) == len(forms):
        statuses = frozenset().union(*(info.statuses for info in forms.values()))
        return [error(at, f"status {status!r} is not a status of {rule.forms_text()} "
                          f"(statuses: {listing(statuses)})", "unknown-status")]
    return [warning(at, f"status {status!r} is missing from form(s) {', '.join(lacking)}; the action fails on "
                        "their tickets (limit the rule with forms)", "unknown-status")]


def _start_return_visit(rule: _Rule, action: Action, ptr: str) -> list[Finding]:
    f = check_reference(action["script"], rule.ctx.scripts, join(ptr, "script"), "outbound script",
                        "unknown-script")
    return [f] if f else []


ACTION_CHECKS: dict[str, Callable[[_Rule, Action, str], list[Finding]]] = {
    "route_to_queue": _route_to_queue,
    "overflow": _queue,
    "assign_by_coverage": _assign_by_coverage,
    "set_fields": _set_fields,
    "set_status": _set_status,
    "schedule_callback": _queue,
    "start_return_visit": _start_return_visit,
}


def _check_action(rule: _Rule, action: Action, ptr: str) -> list[Finding]:
    kind = action["type"]
    found: list[Finding] = []
    if kind in CALL_ACTIONS and rule.is_ticket_event():
        found.append(error(join(ptr, "type"), f"action {kind} moves a live call, but {rule.event} events "
                                              "have no call to move", "action-not-for-event"))
    if kind in TICKET_ACTIONS and rule.is_call_event():
        found.append(error(join(ptr, "type"), f"action {kind} changes a ticket, but {rule.event} events "
                                              "have no ticket", "action-not-for-event"))
    for key in TEMPLATE_FIELDS.get(kind, ()):
        if key in action:
            found += check_template(action[key], join(ptr, key), rule.template_name)
    check = ACTION_CHECKS.get(kind)
    if check is not None:
        found += check(rule, action, ptr)
    return found


def _rule_scope(index: int, rule: Mapping[str, Any], ctx: LintContext) -> tuple[_Rule, list[Finding]]:
    """The rule's view of the tenant, and [unknown-form] for the forms it names that do not exist."""
    found: list[Finding] = []
    if "forms" not in rule:
        forms = dict(ctx.forms)
    else:
        forms = {}
        for j, name in enumerate(rule["forms"]):
            if name in ctx.forms:
                forms[name] = ctx.forms[name]
            else:
                found.append(error(pointer("rules", index, "forms", j), f"form {name!r} does not exist in this "
                                                                        f"tenant (known: {listing(ctx.forms)})",
                                   "unknown-form"))
        if rule["event"] in CALL_EVENTS:
            found.append(warning(pointer("rules", index, "forms"), f"forms limits a rule to tickets, but "
                                                                   f"{rule['event']} events have none",
                                 "forms-not-for-event"))
    fields = frozenset().union(*(info.fields for info in forms.values())) if forms or not rule.get("forms") \
        else None
    return _Rule(index, rule["event"], forms, fields, ctx, "forms" in rule), found


def _shadowed(rules: list[Mapping[str, Any]]) -> list[Finding]:
    """[shadowed-rule]: an earlier enabled rule with the same event, no condition and stop always fires
    first and stops, so a later rule of the same event (and no other forms) never runs."""
    found: list[Finding] = []
    stoppers: dict[str, list[tuple[int, frozenset[str] | None]]] = {}
    for i, rule in enumerate(rules):
        forms = frozenset(rule["forms"]) if "forms" in rule else None
        if rule.get("enabled", True):
            for j, covers in stoppers.get(rule["event"], []):
                if covers is None or (forms is not None and forms <= covers):
                    found.append(warning(pointer("rules", i), f"rule {rule['name']!r} never runs: rule "
                                                              f"{rules[j]['name']!r} before it has the same event, "
                                                              "no condition and stop", "shadowed-rule"))
                    break
            if "when" not in rule and rule.get("stop", False):
                stoppers.setdefault(rule["event"], []).append((i, forms))
    return found


def lint(body: dict[str, Any], ctx: LintContext, source: str | None = None) -> list[Finding]:
    """Semantic findings of a dispatch body that passed the schema (source: its raw JSON text, if any)."""
    found = duplicate_key_findings(source)
    names: dict[str, int] = {}
    for i, rule in enumerate(body["rules"]):
        if rule["name"] in names:
            first = pointer("rules", names[rule["name"]])
            found.append(error(pointer("rules", i, "name"), f"rule name {rule['name']!r} is already used by the rule "
                                                            f"at {first}", "duplicate-rule"))
        names.setdefault(rule["name"], i)
        scope, scope_findings = _rule_scope(i, rule, ctx)
        found += scope_findings
        if "when" in rule:
            found += check_condition(rule["when"], join(scope.ptr, "when"), scope.operand)
            found += _not_an_option(scope, rule["when"], join(scope.ptr, "when"))
        for j, action in enumerate(rule["actions"]):
            found += _check_action(scope, action, join(scope.ptr, "actions", j))
    found += _shadowed(body["rules"])
    if len(body["rules"]) > TRIAL_RULES:
        found.append(warning(pointer("rules"), f"{len(body['rules'])} rules; a dry run takes at most {TRIAL_RULES}",
                             "too-many-to-try"))
    return found
