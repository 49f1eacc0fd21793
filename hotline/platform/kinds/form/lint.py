"""Semantic lint of ticket forms: fields the agents' forms are generated from, and the status workflow.

Runs on bodies that passed the schema. What it guards: every name the form mentions (required, ui,
searchable, summary) is a field; each field can hold a value at all (ranges, options, default); the
widget can show the field; and the statuses make a workflow a ticket can go through from its start.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import SchemaError

from ...findings import Finding, error, join, pointer, warning
from ..context import TICKET_FIELDS, LintContext
from ..lint_helpers import check_reference, check_template, duplicate_key_findings, listing, reachable

Field = Mapping[str, Any]

#: widget → the field types it can show.
WIDGET_TYPES: dict[str, frozenset[str]] = {
    "text": frozenset({"string", "integer", "number"}),
    "textarea": frozenset({"string"}),
    "select": frozenset({"string", "integer"}),
    "radio": frozenset({"string", "integer", "boolean"}),
    "checkboxes": frozenset({"array"}),
    "checkbox": frozenset({"boolean"}),
    "date": frozenset({"string"}),
    "datetime": frozenset({"string"}),
    "phone": frozenset({"string"}),
    "address": frozenset({"string"}),
    "directory": frozenset({"string"}),
    "hidden": frozenset({"string", "integer", "number", "boolean", "array"}),
}
#: Widgets that offer a fixed list of choices, so the field (or its items) needs enum or oneOf.
CHOICE_WIDGETS = frozenset({"select", "radio", "checkboxes"})
_JSON_TYPES = {"string": str, "integer": int}

_RANGES = (("minLength", "maxLength", "length"), ("minimum", "maximum", "value"),
           ("minItems", "maxItems", "number of choices"))


def _has_choices(field: Field) -> bool:
    return "enum" in field or "oneOf" in field


def _check_options(name: str, field: Field, ptr: str) -> list[Finding]:
    """Options must be of the field's type and, for oneOf, not repeat a value (enum cannot: uniqueItems)."""
    found: list[Finding] = []
    expected = _JSON_TYPES.get(field["type"])
    values = [(v, join(ptr, "enum", i), False) for i, v in enumerate(field.get("enum", []))]
    values += [(o["const"], join(ptr, "oneOf", i, "const"), True) for i, o in enumerate(field.get("oneOf", []))]
    seen: set[tuple[type, Any]] = set()
    for value, at, from_one_of in values:
        if expected is not None and type(value) is not expected:
            found.append(error(at, f"option {value!r} of field {name!r} is not a {field['type']}, so it can "
                                   "never be chosen", "bad-option"))
        key = (type(value), value)
        if from_one_of and key in seen:
            found.append(error(at, f"option value {value!r} of field {name!r} is listed twice",
                               "duplicate-option"))
        seen.add(key)
    return found


def _check_field(name: str, field: Field, ptr: str) -> list[Finding]:
    """Ranges, options and default of one field (and of the items of a multiple-choice field)."""
    found: list[Finding] = []
    for low_key, high_key, what in _RANGES:
        low, high = field.get(low_key), field.get(high_key)
        if low is not None and high is not None and low > high:
            found.append(error(join(ptr, low_key), f"field {name!r} has {low_key} {low} above {high_key} "
                                                   f"{high}, so no {what} is valid", "bad-range"))
    found += _check_options(name, field, ptr)
    if "items" in field:
        found += _check_field(name, field["items"], join(ptr, "items"))
    if "default" in field:
        problems = list(Draft202012Validator(field, format_checker=FormatChecker()).iter_errors(field["default"]))
        if problems:
            found.append(error(join(ptr, "default"), f"default {field['default']!r} of field {name!r} is not "
                                                     f"a valid value: {problems[0].message}", "bad-default"))
    return found


def _check_schema(schema: Field) -> list[Finding]:
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        return [error(pointer("schema", *exc.absolute_path), f"the ticket schema is not a valid JSON Schema: "
                                                             f"{exc.message}", "bad-field-schema")]
    return []


def _check_names(body: Field, fields: Mapping[str, Field]) -> list[Finding]:
    """Every place that names a field must name one that exists."""
    found: list[Finding] = []
    known = listing(fields)

    def unknown(name: str, ptr: str, where: str) -> None:
        if name not in fields:
            found.append(error(ptr, f"{where} names field {name!r}, which the schema does not define "
                                    f"(fields: {known})", "unknown-field"))

    for i, name in enumerate(body["schema"].get("required", [])):
        unknown(name, pointer("schema", "required", i), "required")
    ui = body.get("ui", {})
    for i, name in enumerate(ui.get("order", [])):
        unknown(name, pointer("ui", "order", i), "ui.order")
    for name in ui.get("fields", {}):
        unknown(name, pointer("ui", "fields", name), "ui.fields")
    for i, name in enumerate(body.get("searchable", [])):
        unknown(name, pointer("searchable", i), "searchable")
    if "urge_open" in body and body["urge_open"] not in body.get("searchable", []):
        found.append(error(pointer("urge_open"), f"urge_open names {body['urge_open']!r}, which is not one of the "
                                                 "form's searchable fields (open tickets are found by those)",
                           "urge-open"))

    def summary_name(name: str, ptr: str) -> Finding | None:
        root, _, rest = name.partition(".")
        field = rest.split(".")[0] if root == "ticket" and rest else root
        if field in fields or field in TICKET_FIELDS:
            return None
        return error(ptr, f"summary reads {{{{{name}}}}}, which is neither a field of this form nor a ticket "
                          f"attribute (fields: {known})", "unknown-field")

    if "summary" in body:
        found += check_template(body["summary"], pointer("summary"), summary_name)
    return found


def _check_widgets(ui_fields: Mapping[str, Field], fields: Mapping[str, Field],
                   ctx: LintContext) -> list[Finding]:
    found: list[Finding] = []
    for name, hints in ui_fields.items():
        field, widget = fields.get(name), hints.get("widget")
        at = pointer("ui", "fields", name, "widget")
        if field is None or widget is None:
            continue
        kind = field["type"]
        if kind not in WIDGET_TYPES[widget]:
            found.append(error(at, f"widget {widget!r} cannot show field {name!r} of type {kind} "
                                   f"(it shows {listing(WIDGET_TYPES[widget])})", "bad-widget"))
        elif widget in CHOICE_WIDGETS and kind != "boolean" and not _has_choices(field.get("items", field)):
            found.append(error(at, f"widget {widget!r} offers choices but field {name!r} lists none "
                                   "(add enum or oneOf)", "bad-widget"))
        if widget == "directory":
            if "directory" not in hints:
                found.append(error(at, f"the directory widget of field {name!r} does not say which directory "
                                       "to pick from", "bad-widget"))
            else:
                f = check_reference(hints["directory"], ctx.directories,
                                    pointer("ui", "fields", name, "directory"), "directory", "unknown-directory")
                found += [f] if f else []
    return found


def _check_statuses(statuses: list[Field], transitions: list[Field]) -> list[Finding]:
    """Names unique, one initial status, transitions between real statuses, every status reachable."""
    found: list[Finding] = []
    index: dict[str, int] = {}
    for i, status in enumerate(statuses):
        if status["name"] in index:
            found.append(error(pointer("statuses", i, "name"), f"status {status['name']!r} is defined twice",
                               "duplicate-status"))
        else:
            index[status["name"]] = i
    initial = [i for i, s in enumerate(statuses) if s.get("initial")]
    if not initial:
        found.append(error(pointer("statuses"), "no status is marked initial, so new tickets have no status",
                           "no-initial-status"))
    for i in initial[1:]:
        found.append(error(pointer("statuses", i, "initial"), f"status {statuses[i]['name']!r} is marked initial "
                                                              f"but {statuses[initial[0]]['name']!r} already is",
                           "multiple-initial-statuses"))
    final = {s["name"] for s in statuses if s.get("final")}
    if not final:
        found.append(warning(pointer("statuses"), "no status is marked final, so tickets can never be closed",
                             "no-final-status"))
    edges: dict[str, list[str]] = {name: [] for name in index}
    pairs: set[tuple[str, str]] = set()
    for i, t in enumerate(transitions):
        bad = [end for end in ("from", "to") if t[end] not in index]
        for end in bad:
            found.append(error(pointer("transitions", i, end), f"a transition goes {end} status {t[end]!r}, "
                                                               f"which is not defined (statuses: {listing(index)})",
                               "unknown-status"))
        if (t["from"], t["to"]) in pairs:
            found.append(warning(pointer("transitions", i), f"transition {t['from']} → {t['to']} is listed twice",
                                 "duplicate-transition"))
        pairs.add((t["from"], t["to"]))
        if t["from"] in final:
            found.append(warning(pointer("transitions", i, "from"), f"status {t['from']!r} is final but has a "
                                                                    f"transition to {t['to']!r}",
                                 "final-status-transition"))
        if not bad:
            edges[t["from"]].append(t["to"])
    if initial:
        seen = reachable([statuses[initial[0]]["name"]], edges)
        for name, i in index.items():
            if name not in seen:
                found.append(warning(pointer("statuses", i), f"status {name!r} cannot be reached from the initial "
                                                             f"status {statuses[initial[0]]['name']!r} by any "
                                                             "transition", "unreachable-status"))
    for name, i in index.items():
        if name not in final and not edges[name]:
            found.append(warning(pointer("statuses", i), f"status {name!r} is not final but has no transition "
                                                         "out of it, so its tickets get stuck", "dead-end-status"))
    return found


def _check_sla(sla: Field) -> list[Finding]:
    first, resolution = sla.get("first_response_minutes"), sla.get("resolution_minutes")
    if first is None or resolution is None or first <= resolution:
        return []
    return [warning(pointer("sla", "first_response_minutes"), f"first response is due after {first} minutes, "
                                                              f"later than resolution ({resolution} minutes)",
                    "bad-sla")]


def _check_response(sla: Field, statuses: list[Field]) -> list[Finding]:
    """Response statuses must be statuses of the form, and not the initial one (staying there is no act)."""
    names = {s["name"] for s in statuses}
    initial = next((s["name"] for s in statuses if s.get("initial")), None)
    found = []
    for i, name in enumerate((sla.get("response") or {}).get("statuses", [])):
        if name not in names:
            found.append(error(pointer("sla", "response", "statuses", i), f"response status {name!r} is not a "
                               f"status of the form (statuses: {', '.join(sorted(names))})", "unknown-status"))
        elif name == initial:
            found.append(error(pointer("sla", "response", "statuses", i), f"{name!r} is the initial status: every "
                               "ticket starts there, so it cannot mean someone responded", "initial-response"))
    return found


def lint(body: dict[str, Any], ctx: LintContext, source: str | None = None) -> list[Finding]:
    """Semantic findings of a form body that passed the schema (source: its raw JSON text, if any)."""
    fields: Mapping[str, Field] = body["schema"]["properties"]
    found = duplicate_key_findings(source)
    found += _check_schema(body["schema"])
    for name, field in fields.items():
        found += _check_field(name, field, pointer("schema", "properties", name))
    found += _check_names(body, fields)
    found += _check_widgets(body.get("ui", {}).get("fields", {}), fields, ctx)
    found += _check_statuses(body["statuses"], body["transitions"])
    found += _check_sla(body.get("sla", {}))
    found += _check_response(body.get("sla", {}), body["statuses"])
    return found
