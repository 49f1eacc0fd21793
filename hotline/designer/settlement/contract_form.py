"""A contract's terms as a form (the page's fields ↔ the terms `terms.problems` checks), so a tenant admin edits
seat types, targets, penalties, bands and the score weights (business metrics' targets and weights, the overall
score's weights) without typing JSON; the JSON import/export stays for power users.

Each repeated part (seat types, targets, penalty rules, bands) posts parallel lists (`seat_code`,
`seat_unit_price`, …); a row left wholly empty is dropped (an added row not filled in is not an error). Values
stay the strings typed, as the JSON path stores them, so the same contract saves the same terms either way, and a
refused form is drawn again from what was typed (nothing is lost) with each problem beside its field.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from werkzeug.datastructures import MultiDict

from ...platform.settlement import terms as contract_terms
from ...platform.settlement.scores import DEFAULT_BUSINESS, DEFAULT_OVERALL
from ...platform.settlement.terms import BUSINESS_METRICS, Problem
from .common import worded

#: Repeated parts: form prefix → (terms key, fields, most rows read; one more than the contract allows so that
#: too many rows are refused with the reason rather than cut silently).
PARTS: dict[str, tuple[str, tuple[str, ...], int]] = {
    "target": ("targets", ("code", "label", "target", "bonus_per_unit"), contract_terms.MAX_TARGETS + 1),
    "penalty": ("penalty_rules", ("code", "label", "amount"), contract_terms.MAX_RULES + 1),
    "band": ("bands", ("from", "to", "coefficient"), contract_terms.MAX_BANDS + 1),
}


#: Terms the form draws: a form post decides them (an emptied field is dropped, not kept from the page's JSON).
FORM_KEYS = frozenset({"standard_hours", "seat_types", "team_lead_span", "targets", "bonus_split", "penalty_rules",
                       "bands", "business_metrics", "overall_weights"})
OVERALL = ("quality", "business")


def _rows(form: MultiDict, prefix: str, fields: tuple[str, ...], most: int) -> list[dict[str, str]]:
    columns = [form.getlist(f"{prefix}_{field}")[:most] for field in fields]
    rows = []
    for n in range(max((len(c) for c in columns), default=0)):
        row = {field: (column[n] if n < len(column) else "").strip()
               for field, column in zip(fields, columns, strict=True)}
        if any(row.values()):
            rows.append(row)
    return rows


def terms_from(form: MultiDict) -> tuple[dict[str, Any], list[Problem]]:
    """The terms the form holds, and the problems only the form can have (a seat type on two rows); the terms'
    own checks run when the contract is saved."""
    found: dict[str, Any] = {"standard_hours": form.get("standard_hours", "").strip()}
    problems: list[Problem] = []
    seats: dict[str, dict[str, str]] = {}
    for row in _rows(form, "seat", ("code", "unit_price", "ratio"), len(contract_terms.BILLED_TYPES) + 1):
        code = row.pop("code")
        if code in seats:
            problems.append(Problem(f"/terms/seat_types/{code}", "{value} is used twice", value=repr(code)))
        seats[code] = {key: value for key, value in row.items() if value}
    found["seat_types"] = seats
    span = form.get("team_lead_span", "").strip()
    found["team_lead_span"] = int(span) if span.isdigit() and len(span) < 6 else span
    for prefix, (key, fields, most) in PARTS.items():
        found[key] = _rows(form, prefix, fields, most)
    found["bonus_split"] = {"partner": form.get("split_partner", "").strip(),
                            "staff": form.get("split_staff", "").strip()}
    # The score weights: a metric with both fields empty is left out (its weight goes to the others); no metric
    # and no overall weight at all leaves the key out, so the defaults of settlement/scores.py apply.
    metrics = {}
    for metric in BUSINESS_METRICS:
        target = form.get(f"metric_{metric}_target", "").strip()
        weight = form.get(f"metric_{metric}_weight", "").strip()
        if target or weight:
            metrics[metric] = {"target": target, "weight": weight}
    if metrics:
        found["business_metrics"] = metrics
    overall = {name: form.get(f"overall_{name}", "").strip() for name in OVERALL}
    if any(overall.values()):
        found["overall_weights"] = overall
    return found, problems


def _seat_order(item: tuple[str, Any]) -> tuple[int, str]:
    """Seat rows in statement order (PostgreSQL's JSONB keeps keys in its own order, not the one saved)."""
    code = item[0]
    billed = contract_terms.BILLED_TYPES
    return (billed.index(code) if code in billed else len(billed), code)


def fields_of(terms: Any) -> dict[str, Any]:
    """The form's values from saved (or typed) terms; a part that is not what the form draws is left empty (the
    JSON editor shows it as it is)."""
    terms = terms if isinstance(terms, dict) else {}
    seats = terms.get("seat_types") if isinstance(terms.get("seat_types"), dict) else {}
    split = terms.get("bonus_split") if isinstance(terms.get("bonus_split"), dict) else {}

    def text(value: Any) -> str:
        return "" if value is None else str(value)

    values: dict[str, Any] = {
        "standard_hours": text(terms.get("standard_hours")),
        "team_lead_span": text(terms.get("team_lead_span", "")),
        "seats": [{"code": code, "unit_price": text(seat.get("unit_price")), "ratio": text(seat.get("ratio"))}
                  for code, seat in sorted(seats.items(), key=_seat_order) if isinstance(seat, dict)],
        "split_partner": text(split.get("partner")), "split_staff": text(split.get("staff")),
    }
    metrics = terms.get("business_metrics") if isinstance(terms.get("business_metrics"), dict) else {}
    values["metrics"] = [
        {"code": metric, "target": text((metrics.get(metric) or {}).get("target")) if isinstance(
            metrics.get(metric), dict) else "",
         "weight": text(metrics[metric].get("weight")) if isinstance(metrics.get(metric), dict) else "",
         "default_target": DEFAULT_BUSINESS[metric]["target"], "default_weight": DEFAULT_BUSINESS[metric]["weight"]}
        for metric in BUSINESS_METRICS]
    overall = terms.get("overall_weights") if isinstance(terms.get("overall_weights"), dict) else {}
    values["overall"] = [{"code": name, "value": text(overall.get(name)), "default": DEFAULT_OVERALL[name]}
                         for name in OVERALL]
    for prefix, (key, fields, _most) in PARTS.items():
        rows = terms.get(key) if isinstance(terms.get(key), list) else []
        values[prefix] = [{field: text(row.get(field)) for field in fields} for row in rows if isinstance(row, dict)]
    return values


def errors_by_path(problems: Iterable[str]) -> dict[str, list[str]]:
    """Each problem worded in the reader's language, under its JSON path, to be shown beside that field."""
    found: dict[str, list[str]] = {}
    for problem in problems:
        path = problem.path if isinstance(problem, Problem) else ""
        found.setdefault(path, []).extend(worded([problem]))
    return found
