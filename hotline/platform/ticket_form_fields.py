"""The fields of generated ticket forms: one form field of a `form` document → one WTForms field.

ticket_forms.py builds the form class from these and adds the JSON Schema pass; this module maps types,
options, widgets, hints and the simple validators, and holds the few field classes WTForms lacks (an empty
number box or unchosen optional option is "no value", a datetime in the tenant's time zone).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from wtforms import Form, fields, validators, widgets
from wtforms.validators import ValidationError

try:  # WTForms 3.3 deprecates (value, label) tuples as choices
    from wtforms.fields.choices import SelectChoice
except ImportError:  # pragma: no cover - WTForms 3.2
    SelectChoice = None  # type: ignore[assignment,misc]

JsonField = Mapping[str, Any]


@dataclass(frozen=True)
class FieldSpec:
    """One field of a form document, in display order: its schema, its UI hints and whether it is required."""

    name: str
    schema: JsonField
    ui: JsonField
    required: bool

    @property
    def widget(self) -> str:
        """The widget to show: the document's choice, else the natural one for the field's type."""
        if "widget" in self.ui:
            return str(self.ui["widget"])
        kind = self.schema["type"]
        if kind == "boolean":
            return "checkbox"
        if kind == "array":
            return "checkboxes"
        if options(self.schema):
            return "select"
        if self.schema.get("format") == "date":
            return "date"
        if self.schema.get("format") == "date-time":
            return "datetime"
        return "text"

    @property
    def help(self) -> str:
        return str(self.ui.get("help") or self.schema.get("description") or "")


def field_specs(form_doc: JsonField) -> list[FieldSpec]:
    """The fields of a form document in the order its ui.order gives (the rest after, in schema order)."""
    schema = form_doc["schema"]
    props: Mapping[str, JsonField] = schema["properties"]
    ui_fields: Mapping[str, JsonField] = form_doc.get("ui", {}).get("fields", {})
    order = [n for n in form_doc.get("ui", {}).get("order", []) if n in props]
    order += [n for n in props if n not in order]
    required = set(schema.get("required", []))
    return [FieldSpec(n, props[n], ui_fields.get(n, {}), n in required) for n in order]


def options(schema: JsonField) -> list[tuple[Any, str]]:
    """The (value, label) choices of a field (enum or oneOf), or of its items for a multiple choice."""
    if "oneOf" in schema:
        return [(o["const"], str(o.get("title", o["const"]))) for o in schema["oneOf"]]
    if "enum" in schema:
        return [(v, str(v)) for v in schema["enum"]]
    return []


# -- fields that keep an empty optional choice valid --------------------------------------------------------


class _ChoiceMixin:
    """An optional select/radio left empty is not "an invalid choice": requiredness is the validators' job."""

    def pre_validate(self, form: Form) -> None:
        if self.data in (None, ""):  # type: ignore[attr-defined]
            return
        super().pre_validate(form)  # type: ignore[misc]


class ChoiceSelectField(_ChoiceMixin, fields.SelectField):
    pass


class ChoiceRadioField(_ChoiceMixin, fields.RadioField):
    pass


class _BlankIsNone:
    """An empty number box means "no value", not "not a number" (browsers post "" for it)."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist or str(valuelist[0]).strip() == "":
            self.data = None  # type: ignore[attr-defined]
            return
        super().process_formdata(valuelist)  # type: ignore[misc]


class NumberField(_BlankIsNone, fields.FloatField):
    pass


class WholeNumberField(_BlankIsNone, fields.IntegerField):
    pass


class LocalDateTimeField(fields.StringField):
    """A datetime-local input whose value is stored as RFC 3339 text with the form's time zone.

    The browser sends "2026-11-30T14:30"; the ticket keeps "2026-11-30T14:30:00+08:00". Stored values are
    shown back in local time, and anything the agent typed that is not a time is kept as typed for the
    JSON pass to report.
    """

    widget = widgets.DateTimeLocalInput()
    zone: ZoneInfo = ZoneInfo("UTC")

    def process_data(self, value: Any) -> None:
        if isinstance(value, str):
            with contextlib.suppress(ValueError):
                value = datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(self.zone) \
                    .strftime("%Y-%m-%dT%H:%M")
        super().process_data(value)

    def json_value(self) -> str:
        text = (self.data or "").strip()
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            return text
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=self.zone)
        return moment.isoformat(timespec="seconds")


def _choices(pairs: Iterable[tuple[Any, str]]) -> list[Any]:
    if SelectChoice is None:
        return list(pairs)
    return [SelectChoice(value, label) for value, label in pairs]


def _coerce(kind: str) -> Callable[[Any], Any]:
    """Coerce a posted choice to the option's JSON type; empty stays None (an unchosen optional field)."""
    def coerce(value: Any) -> Any:
        if value in (None, ""):
            return None
        if kind == "integer":
            try:
                return int(value)
            except (TypeError, ValueError):
                return value
        return str(value)
    return coerce


class _Pattern:
    """JSON Schema `pattern`: the regular expression must match somewhere (re.search, not re.match)."""

    def __init__(self, pattern: str) -> None:
        self.regex = re.compile(pattern)
        self.pattern = pattern

    def __call__(self, form: Form, field: fields.Field) -> None:
        if field.data not in (None, "") and not self.regex.search(str(field.data)):
            raise ValidationError(f"does not match the expected pattern {self.pattern}")


def _stop_after_bad_input(form: Form, field: fields.Field) -> None:
    """Text that is not a number already has its error; range checks on "no value" would only add noise."""
    if field.process_errors:
        raise validators.StopValidation()


def _validators(spec: FieldSpec) -> list[Any]:
    s, kind = spec.schema, spec.schema["type"]
    chain: list[Any] = [_stop_after_bad_input]
    if kind == "boolean":  # an unchecked box is a value (false), so it is never "missing"
        return [validators.Optional()]
    if spec.required:
        chain.append(validators.DataRequired() if kind in ("string", "array") else validators.InputRequired())
    else:
        chain.append(validators.Optional())
    if kind == "string":
        if "minLength" in s or "maxLength" in s:
            chain.append(validators.Length(min=s.get("minLength", -1), max=s.get("maxLength", -1)))
        if "pattern" in s:
            chain.append(_Pattern(s["pattern"]))
    if kind in ("integer", "number") and ("minimum" in s or "maximum" in s):
        chain.append(validators.NumberRange(min=s.get("minimum"), max=s.get("maximum")))
    return chain


def _render_kw(spec: FieldSpec) -> dict[str, Any]:
    kw: dict[str, Any] = {"data-widget": spec.widget}
    if spec.ui.get("placeholder"):
        kw["placeholder"] = spec.ui["placeholder"]
    if spec.ui.get("directory"):
        kw["data-directory"] = spec.ui["directory"]
    if spec.schema.get("readOnly"):
        kw["readonly"] = True
    if spec.schema.get("pattern") and spec.schema["type"] == "string" and spec.widget not in ("select", "radio"):
        kw["data-pattern"] = spec.schema["pattern"]
    if spec.schema["type"] == "number":
        kw["step"] = "any"
    return kw


def make_field(spec: FieldSpec) -> fields.Field:
    """The unbound WTForms field for one form field (label, help, default, validators, widget)."""
    s, kind, widget = spec.schema, spec.schema["type"], spec.widget
    common: dict[str, Any] = {"label": str(s.get("title", spec.name)), "description": spec.help,
                              "validators": _validators(spec), "render_kw": _render_kw(spec)}
    if "default" in s:
        common["default"] = s["default"]
    if widget == "hidden":
        return fields.HiddenField(**common)
    if kind == "array":
        item_kind = s["items"]["type"]
        return fields.SelectMultipleField(choices=_choices(options(s["items"])), coerce=_coerce(item_kind),
                                          widget=widgets.ListWidget(prefix_label=False),
                                          option_widget=widgets.CheckboxInput(), **common)
    if kind == "boolean":
        if widget == "radio":
            return ChoiceRadioField(choices=_choices([("true", "是"), ("false", "否")]),
                                    coerce=lambda v: None if v in (None, "") else v in (True, "true", "True"),
                                    **common)
        return fields.BooleanField(**common)
    choices = options(s)
    if choices:
        coerce = _coerce(kind)
        if widget == "radio":
            return ChoiceRadioField(choices=_choices(choices), coerce=coerce, **common)
        blank = [] if spec.required and "default" in s else [("", "—")]
        return ChoiceSelectField(choices=_choices(blank + choices), coerce=coerce, **common)
    if kind == "integer":
        return WholeNumberField(widget=widgets.NumberInput(), **common)
    if kind == "number":
        return NumberField(widget=widgets.NumberInput(step="any"), **common)
    if widget == "textarea":
        return fields.TextAreaField(**common)
    if widget == "datetime" or s.get("format") == "date-time":
        return LocalDateTimeField(**common)
    if widget == "date" or s.get("format") == "date":
        return fields.StringField(widget=widgets.DateInput(), **common)
    if widget == "phone":
        return fields.StringField(widget=widgets.TelInput(), **common)
    if s.get("format") == "email":
        return fields.StringField(widget=widgets.EmailInput(), **common)
    return fields.StringField(**common)


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")
