"""What the lint may look up about the tenant: the names documents refer to.

Built from the database for a tenant (see documents.lint_context) or from a template bundle, so that
lint itself stays a pure function of (document body, context) and runs the same everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..phones import on_allow_list


@dataclass(frozen=True, slots=True)
class FieldOptions:
    """A field with a fixed set of choices: its title and each option's code → label, in the form's order."""

    title: str
    labels: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class FormInfo:
    """The parts of a form other documents may refer to."""

    fields: frozenset[str]
    statuses: frozenset[str]
    #: Fields with choices (enum / oneOf, or their items'), so a rule comparing one to a value that is not a choice
    #: is reported (a typo such as "attitud" makes the comparison never hold).
    options: Mapping[str, FieldOptions] = field(default_factory=dict, compare=False, hash=False)


def field_options(properties: Mapping[str, Any]) -> dict[str, FieldOptions]:
    """The fields of a form schema's properties that offer choices, with their labels (a oneOf's titles)."""
    out: dict[str, FieldOptions] = {}
    for name, prop in properties.items():
        if not isinstance(prop, Mapping):
            continue
        choices = prop.get("items") if prop.get("type") == "array" and isinstance(prop.get("items"), Mapping) else prop
        labels: dict[str, str] = {}
        if isinstance(choices.get("oneOf"), list):
            for option in choices["oneOf"]:
                if isinstance(option, Mapping) and "const" in option:
                    labels[str(option["const"])] = str(option.get("title") or option["const"])
        elif isinstance(choices.get("enum"), list):
            labels = {str(v): str(v) for v in choices["enum"]}
        if labels:
            out[name] = FieldOptions(str(prop.get("title") or name), labels)
    return out


@dataclass(slots=True)
class LintContext:
    forms: dict[str, FormInfo] = field(default_factory=dict)
    queues: set[str] = field(default_factory=set)
    scripts: set[str] = field(default_factory=set)
    directories: set[str] = field(default_factory=set)
    prompts: set[str] = field(default_factory=set)
    tables: set[str] = field(default_factory=set)
    skills: set[str] = field(default_factory=set)
    customer_fields: set[str] = field(default_factory=lambda: set(CUSTOMER_FIELDS))
    #: the custom columns of the tenant's contact lists, which outbound scripts read as contact.<column>
    contact_fields: set[str] = field(default_factory=set)
    allowed_transfer_numbers: list[str] = field(default_factory=list)
    has_calendar: bool = False

    def transfer_allowed(self, number: str) -> bool:
        return on_allow_list(number, self.allowed_transfer_numbers)


#: Customer record fields conditions and templates may read (customer.<field>).
CUSTOMER_FIELDS = frozenset({"id", "name", "phone", "phones", "address", "vip", "monthly_settlement",
                             "flags", "note", "email", "company"})
#: Call attributes every flow has (call.<field>).
CALL_FIELDS = frozenset({"caller", "did", "uuid", "tenant", "hour", "weekday", "date", "time",
                         "queue", "wait_seconds", "attempt"})
#: Call fields whose values are bounded by their kind: a comparison outside the bounds can never hold. One table
#: for the lint (value-out-of-bounds) and the designer context (the condition builder says the bound inline).
CALL_BOUNDS: dict[str, tuple[int, int]] = {"call.hour": (0, 23)}
#: Ticket attributes beside the form's own fields (ticket.<field>).
TICKET_FIELDS = frozenset({"id", "number", "form", "status", "assignee", "priority", "created_at",
                           "updated_at", "first_response_due", "resolution_due", "customer_id",
                           "overdue", "group"})
