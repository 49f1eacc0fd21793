"""Ticket forms for agents: a published `form` document becomes a WTForms class at run time.

No maintained library maps JSON Schema onto WTForms (docs/decisions.md, "Forms for agents"), so this module does
it in two passes:

1. `form_class` turns each field of the document's schema into a WTForms field (ticket_form_fields.py) —
   type, required, length, pattern, range, options (select / radio / checkboxes), help text, placeholder,
   widget — so the page gets labels, HTML5 inputs and the common errors without a round trip through JSON;
2. `TicketForm.validate_document` then converts what was typed into the ticket's JSON data (`to_data`) and
   validates it with the form's own JSON Schema, mapping each error's path back onto its field. That pass
   catches what the first cannot express (formats, uniqueItems, anything a later schema keyword adds), and
   it is the same check `services.tickets` makes, so the page never accepts what the service would refuse.

A bound form keeps what the agent typed even when it is invalid (WTForms keeps the raw input of every
field), so an error never loses work. Classes are cached by (tenant, form, version): published versions
are immutable, so a cached class never goes stale.

This module knows WTForms but not Flask: the desk wraps the class with CSRF, the studio renders previews.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from wtforms import Form, fields

from .ticket_form_fields import (
    FieldSpec,
    JsonField,
    LocalDateTimeField,
    field_specs,
    make_field,
    options,
    zone,
)
from .words import yes_no

__all__ = ["FieldSpec", "TicketForm", "build_form_class", "clear_cache", "data_changes", "field_specs",
           "form_class", "json_errors", "options"]


# -- the form class ---------------------------------------------------------------------------------------


def _json_value(spec: FieldSpec, field: fields.Field) -> Any:
    """The JSON value of one field, or None when it holds nothing (an absent optional field)."""
    kind = spec.schema["type"]
    if isinstance(field, LocalDateTimeField):
        value = field.json_value()
        return value or None
    data = field.data
    if kind == "boolean":
        return None if data is None else bool(data)
    if kind == "array":
        return [v for v in (data or []) if v is not None] or None
    if data is None:
        return None
    if kind == "string":
        text = str(data).strip()
        return text or None
    if kind == "number" and isinstance(data, float) and data.is_integer():
        return int(data)
    return data


class TicketForm(Form):
    """Base of every generated class: converts to ticket data and validates it with the JSON Schema too."""

    #: Set on each generated class.
    specs: tuple[FieldSpec, ...] = ()
    json_validator: Draft202012Validator
    form_errors_json: list[str]

    def __init__(self, formdata: Any = None, obj: Any = None, prefix: str = "", data: Mapping[str, Any] | None = None,
                 meta: Mapping[str, Any] | None = None, *, timezone: str = "UTC", **kwargs: Any) -> None:
        zone_info = zone(timezone)
        # Fields process their data inside Form.__init__, in UTC; stored datetimes are shown again in the zone.
        super().__init__(formdata=formdata, obj=obj, prefix=prefix, data=dict(data or {}), meta=meta,
                         **kwargs)
        for field in self._fields.values():
            if isinstance(field, LocalDateTimeField) and field.zone != zone_info:
                field.zone = zone_info
                if formdata is None and data:
                    field.process_data((data or {}).get(field.name))
        self.form_errors_json = []

    @property
    def field_names(self) -> list[str]:
        return [s.name for s in self.specs]

    def to_data(self) -> dict[str, Any]:
        """The ticket's JSON data from what is in the form; empty optional fields are left out."""
        result: dict[str, Any] = {}
        for spec in self.specs:
            value = _json_value(spec, self[spec.name])
            if value is not None:
                result[spec.name] = value
        return result

    def validate_document(self, extra_validators: Mapping[str, Any] | None = None) -> bool:
        """WTForms' checks, then the form's JSON Schema on `to_data()`, its errors put on their fields.

        A field WTForms already refused is not reported twice; an error no field owns (a whole-object rule)
        lands in `form_errors_json`.
        """
        ok = self.validate(extra_validators=extra_validators)
        self.form_errors_json = []
        for name, message in json_errors(self.json_validator, self.to_data()):
            field = self._fields.get(name) if name else None
            if field is None:
                self.form_errors_json.append(message)
                ok = False
            elif not field.errors:
                field.errors = [*field.errors, message]
                ok = False
        return ok

    def field_errors(self) -> dict[str, list[str]]:
        """Errors per field name (plus "" for form-wide ones) — the JSON API's shape."""
        found = {name: list(f.errors) for name, f in self._fields.items() if f.errors and name in self.field_names}
        if self.form_errors_json:
            found[""] = list(self.form_errors_json)
        return found


def json_errors(validator: Draft202012Validator, data: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(field name or "", message) for every JSON Schema error of the data, messages in words."""
    found: list[tuple[str, str]] = []
    for err in validator.iter_errors(data):
        path = list(err.absolute_path)
        if err.validator == "required" and not path:
            missing = _quoted(err.message)
            found.append((missing, "This field is required."))
        elif path:
            found.append((str(path[0]), _message(err)))
        else:
            found.append(("", err.message))
    return found


def _quoted(message: str) -> str:
    match = re.match(r"'([^']+)'", message)
    return match.group(1) if match else ""


def _message(err: Any) -> str:
    if err.validator in ("enum", "oneOf"):
        return "Not a valid choice."
    if err.validator == "format":
        return f"is not a valid {err.validator_value}"
    if err.validator == "pattern":
        return f"does not match the expected pattern {err.validator_value}"
    return str(err.message)


def build_form_class(form_doc: JsonField, base: type[TicketForm] = TicketForm) -> type[TicketForm]:
    """A new WTForms class for the document (no cache): one attribute per field, in display order."""
    specs = tuple(field_specs(form_doc))
    attrs: dict[str, Any] = {spec.name: make_field(spec) for spec in specs}
    attrs["specs"] = specs
    attrs["json_validator"] = Draft202012Validator(form_doc["schema"], format_checker=FormatChecker())
    attrs["title"] = str(form_doc.get("title", ""))
    return type("GeneratedTicketForm", (base,), attrs)


# -- cache -----------------------------------------------------------------------------------------------------

CacheKey = tuple[Any, ...]
_CACHE: OrderedDict[CacheKey, type[TicketForm]] = OrderedDict()
_CACHE_LOCK = threading.Lock()
CACHE_SIZE = 512


def form_class(form_doc: JsonField, key: CacheKey | None = None, base: type[TicketForm] = TicketForm
               ) -> type[TicketForm]:
    """The class for a form document, cached under `key` = (tenant id, form name, version[, …]).

    Published versions never change, so the key identifies the class for good; drafts (previews) pass no
    key and get a fresh class. The cache is a small LRU so a long-running worker does not grow without end.
    """
    if key is None:
        return build_form_class(form_doc, base)
    full = (*key, base)
    with _CACHE_LOCK:
        found = _CACHE.get(full)
        if found is not None:
            _CACHE.move_to_end(full)
            return found
    built = build_form_class(form_doc, base)
    with _CACHE_LOCK:
        _CACHE[full] = built
        while len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)
    return built


def clear_cache() -> None:
    with _CACHE_LOCK:
        _CACHE.clear()


def data_changes(old: Mapping[str, Any], new: Mapping[str, Any], names: Iterable[str]) -> dict[str, Any]:
    """The changes that turn `old` into `new` for the form's fields (None removes), for tickets.update."""
    changes: dict[str, Any] = {}
    for name in names:
        if old.get(name) != new.get(name):
            changes[name] = new.get(name)
    return changes


def field_values(form_doc: Mapping[str, Any], data: Mapping[str, Any],
                 locale: str | None = None) -> list[tuple[str, str]]:
    """(label, shown value) of a ticket's data for read-only views: option titles instead of codes, yes/no in the
    reader's language (`locale`; None: the product's default, Chinese)."""
    shown: list[tuple[str, str]] = []
    for spec in field_specs(form_doc):
        if spec.name not in data:
            continue
        value = data[spec.name]
        labels = dict(options(spec.schema.get("items", spec.schema)))
        if isinstance(value, list):
            text = "、".join(str(labels.get(v, v)) for v in value)
        elif isinstance(value, bool):
            text = yes_no(value, locale)
        else:
            text = str(labels.get(value, value))
        shown.append((str(spec.schema.get("title", spec.name)), text))
    return shown
