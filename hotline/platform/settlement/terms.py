"""A vendor contract's terms as data, checked before they are saved (every problem named by JSON path).

The terms follow seed 001's settlement clause (结算方式): seats are billed per seat type (trainee 实习话务座席,
agent 话务座席, team lead 班长座席 at one per 20 agents, overtime 加班座席), from scheduled hours over the
standard monthly hours (166.64) times the staffing ratio (人员座席配比); the fee is multiplied by the
assessment coefficient that the lowest of three scores falls into; an over-target bonus (达标超量酬金) is split
20% partner / 80% staff; major incidents (重大事件) are deducted. Example: `EXAMPLE`.

A unit price may be left out (the partner has not quoted it yet, 由合作方报价): the contract saves, and a
settlement that needs the price names it as missing instead of producing a statement.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from typing import Any

#: Seat types billed from scheduled hours, in statement order; overtime is billed from hours above standard.
SEAT_TYPES: tuple[str, ...] = ("trainee", "agent", "team_lead")
BILLED_TYPES: tuple[str, ...] = (*SEAT_TYPES, "overtime")
CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
#: Bounds on what a tenant types (a contract is small; these stop a pasted blob, not a real contract).
MAX_TARGETS = 20
MAX_RULES = 50
MAX_BANDS = 20
MAX_MONEY = Decimal("100000000")

EXAMPLE: dict[str, Any] = {
    "standard_hours": "166.64",
    "seat_types": {
        "trainee": {"unit_price": "6000.00", "ratio": "1"},
        "agent": {"unit_price": "9800.00", "ratio": "1"},
        "team_lead": {"unit_price": "12000.00", "ratio": "1"},
        "overtime": {"unit_price": "9800.00", "ratio": "1"},
    },
    "team_lead_span": 20,
    "targets": [{"code": "answered_calls", "label": "接通量", "target": "30000", "bonus_per_unit": "0.50"}],
    "bonus_split": {"partner": "0.20", "staff": "0.80"},
    "penalty_rules": [{"code": "major_incident", "label": "重大服务事件", "amount": "2000.00"}],
    "bands": [
        {"from": "95", "to": "100", "coefficient": "1.05"},
        {"from": "90", "to": "95", "coefficient": "1.00"},
        {"from": "85", "to": "90", "coefficient": "0.95"},
        {"from": "80", "to": "85", "coefficient": "0.90"},
        {"from": "0", "to": "80", "coefficient": "0.80"},
    ],
}


def decimal(value: Any) -> Decimal | None:
    """A finite Decimal from a JSON number or numeric string, else None (booleans are not numbers)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        found = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return found if found.is_finite() else None


CODE_RULE = "lower-case letters, digits and _ (starting with a letter), at most 40"


class Problem(str):
    """One problem with settlement input. Its text is the English "JSON path: reason" (logs, the API, tests read
    it); it also keeps the path, the reason as an English template with {name} fields, and the values, so a page
    words it in the reader's language with labels for the path (designer/settlement/common.py `worded`)."""

    path: str
    key: str
    params: dict[str, Any]

    def __new__(cls, path: str, key: str, **params: Any) -> Problem:
        made = super().__new__(cls, f"{path}: {key.format(**params)}")
        made.path, made.key, made.params = path, key, params
        return made

    def under(self, prefix: str) -> Problem:
        """The same problem with its path under `prefix` (the terms' paths under /terms in a contract)."""
        return Problem(prefix + (self.path if self.path != "/" else ""), self.key, **self.params)


class _Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def number(self, value: Any, path: str, low: Decimal, high: Decimal, *, low_open: bool = False) -> Decimal | None:
        found = decimal(value)
        if found is None or found < low or found > high or (low_open and found == low):
            key = "a number more than {low} to {high}" if low_open else "a number from {low} to {high}"
            self.problems.append(Problem(path, key, low=str(low), high=str(high)))
            return None
        return found

    def code(self, value: Any, path: str, seen: set[str]) -> None:
        if not isinstance(value, str) or not CODE.match(value):
            self.problems.append(Problem(path, CODE_RULE))
        elif value in seen:
            self.problems.append(Problem(path, "{value} is used twice", value=repr(value)))
        else:
            seen.add(value)

    def label(self, value: Any, path: str) -> None:
        if not isinstance(value, str) or not 1 <= len(value.strip()) <= 100:
            self.problems.append(Problem(path, "1 to {most} characters", most=100))

    def known(self, found: dict[str, Any], path: str, keys: tuple[str, ...]) -> None:
        """Keys a contract does not have are refused, so terms hold nothing but what the settlement reads."""
        self.problems += [Problem(f"{path}/{key}", "not a field here ({fields})", fields=", ".join(keys))
                          for key in found if key not in keys]

    def items(self, terms: dict[str, Any], key: str, most: int) -> list[Any]:
        found = terms.get(key, [])
        if not isinstance(found, list):
            self.problems.append(Problem(f"/{key}", "a list"))
            return []
        if len(found) > most:
            self.problems.append(Problem(f"/{key}", "at most {most} entries", most=most))
            return []
        return found


def problems(terms: Any) -> list[Problem]:
    """What is wrong with contract terms, as "JSON path: what is expected" lines; [] when they can be saved."""
    if not isinstance(terms, dict):
        return [Problem("/", "an object")]
    check = _Checker()
    known = {"standard_hours", "seat_types", "team_lead_span", "targets", "bonus_split", "penalty_rules", "bands",
             "business_metrics", "overall_weights"}
    check.problems += [Problem(f"/{key}", "not a contract field") for key in terms if key not in known]
    check.number(terms.get("standard_hours"), "/standard_hours", Decimal(0), Decimal(744), low_open=True)
    seats = terms.get("seat_types")
    if not isinstance(seats, dict):
        check.problems.append(Problem("/seat_types", "an object with trainee, agent, team_lead and overtime"))
        seats = {}
    for code in seats:
        if code not in BILLED_TYPES:
            check.problems.append(Problem(f"/seat_types/{code}", "not a seat type ({fields})",
                                          fields=", ".join(BILLED_TYPES)))
    for code in BILLED_TYPES:
        seat = seats.get(code, {})
        if not isinstance(seat, dict):
            check.problems.append(Problem(f"/seat_types/{code}", "an object with unit_price and ratio"))
            continue
        check.known(seat, f"/seat_types/{code}", ("unit_price", "ratio"))
        if seat.get("unit_price") is not None:
            check.number(seat["unit_price"], f"/seat_types/{code}/unit_price", Decimal(0), MAX_MONEY)
        check.number(seat.get("ratio", "1"), f"/seat_types/{code}/ratio", Decimal(0), Decimal(10), low_open=True)
    span = terms.get("team_lead_span", 20)
    if isinstance(span, bool) or not isinstance(span, int) or not 1 <= span <= 1000:
        check.problems.append(Problem("/team_lead_span", "a whole number of agents per team lead, 1 to 1000"))
    seen: set[str] = set()
    for n, target in enumerate(check.items(terms, "targets", MAX_TARGETS)):
        path = f"/targets/{n}"
        if not isinstance(target, dict):
            check.problems.append(Problem(path, "an object with code, label, target and bonus_per_unit"))
            continue
        check.known(target, path, ("code", "label", "target", "bonus_per_unit"))
        check.code(target.get("code"), f"{path}/code", seen)
        check.label(target.get("label"), f"{path}/label")
        check.number(target.get("target"), f"{path}/target", Decimal(0), Decimal(10**12))
        check.number(target.get("bonus_per_unit"), f"{path}/bonus_per_unit", Decimal(0), MAX_MONEY)
    split = terms.get("bonus_split", {"partner": "0.20", "staff": "0.80"})
    if not isinstance(split, dict):
        check.problems.append(Problem("/bonus_split", "an object with partner and staff shares"))
    else:
        check.known(split, "/bonus_split", ("partner", "staff"))
        partner = check.number(split.get("partner"), "/bonus_split/partner", Decimal(0), Decimal(1))
        staff = check.number(split.get("staff"), "/bonus_split/staff", Decimal(0), Decimal(1))
        if partner is not None and staff is not None and partner + staff != 1:
            check.problems.append(Problem("/bonus_split", "the shares sum to {sum}, not 1", sum=str(partner + staff)))
    seen = set()
    for n, rule in enumerate(check.items(terms, "penalty_rules", MAX_RULES)):
        path = f"/penalty_rules/{n}"
        if not isinstance(rule, dict):
            check.problems.append(Problem(path, "an object with code, label and amount"))
            continue
        check.known(rule, path, ("code", "label", "amount"))
        check.code(rule.get("code"), f"{path}/code", seen)
        check.label(rule.get("label"), f"{path}/label")
        check.number(rule.get("amount"), f"{path}/amount", Decimal(0), MAX_MONEY)
    _score_weights(check, terms)
    ranges: list[tuple[Decimal, Decimal, int]] = []
    bands = check.items(terms, "bands", MAX_BANDS)
    if not bands:
        check.problems.append(Problem("/bands", "at least one score range with its coefficient"))
    for n, band in enumerate(bands):
        path = f"/bands/{n}"
        if not isinstance(band, dict):
            check.problems.append(Problem(path, "an object with from, to and coefficient"))
            continue
        check.known(band, path, ("from", "to", "coefficient"))
        low = check.number(band.get("from"), f"{path}/from", Decimal(0), Decimal(100))
        high = check.number(band.get("to"), f"{path}/to", Decimal(0), Decimal(100))
        check.number(band.get("coefficient"), f"{path}/coefficient", Decimal(0), Decimal(10))
        if low is not None and high is not None:
            if high <= low:
                check.problems.append(Problem(f"{path}/to", "more than from ({low})", low=str(low)))
            else:
                ranges.append((low, high, n))
    ranges.sort()
    for (_low, high, before), (low, _high, n) in pairwise(ranges):
        if low < high:
            check.problems.append(Problem(f"/bands/{n}", "overlaps /bands/{before}", before=before))
        elif low > high:  # a score between them would find no band, and the statement would be refused then
            check.problems.append(Problem(f"/bands/{n}/from", "leaves scores from {gap_from} to {gap_to} in no band",
                                          gap_from=str(high), gap_to=str(low)))
    return check.problems


BUSINESS_METRICS: tuple[str, ...] = ("service_level", "answer_rate", "timeliness")


def _weights_sum_to_one(check: _Checker, path: str, weights: list[Decimal | None]) -> None:
    found = [w for w in weights if w is not None]
    if len(found) == len(weights) and sum(found, Decimal(0)) != 1:
        check.problems.append(Problem(path, "the weights sum to {sum}, not 1", sum=str(sum(found, Decimal(0)))))


def _score_weights(check: _Checker, terms: dict[str, Any]) -> None:
    """The optional weights of the computed scores (settlement/scores.py): business_metrics maps service_level,
    answer_rate and timeliness to a target (percent) and a weight; overall_weights weighs quality and business.
    Left out, the defaults of scores.py apply."""
    if "business_metrics" in terms:
        metrics = terms["business_metrics"]
        if not isinstance(metrics, dict) or not metrics:
            check.problems.append(Problem("/business_metrics", "an object with service_level, answer_rate and/or "
                                                               "timeliness, each with target and weight"))
        else:
            check.known(metrics, "/business_metrics", BUSINESS_METRICS)
            weights = []
            for metric in BUSINESS_METRICS:
                if metric not in metrics:
                    continue
                path = f"/business_metrics/{metric}"
                item = metrics[metric]
                if not isinstance(item, dict):
                    check.problems.append(Problem(path, "an object with target and weight"))
                    weights.append(None)
                    continue
                check.known(item, path, ("target", "weight"))
                check.number(item.get("target"), f"{path}/target", Decimal(0), Decimal(100), low_open=True)
                weights.append(check.number(item.get("weight"), f"{path}/weight", Decimal(0), Decimal(1)))
            _weights_sum_to_one(check, "/business_metrics", weights)
    if "overall_weights" in terms:
        overall = terms["overall_weights"]
        if not isinstance(overall, dict):
            check.problems.append(Problem("/overall_weights", "an object with quality and business weights"))
        else:
            check.known(overall, "/overall_weights", ("quality", "business"))
            _weights_sum_to_one(check, "/overall_weights", [
                check.number(overall.get(name), f"/overall_weights/{name}", Decimal(0), Decimal(1))
                for name in ("quality", "business")])


def band_for(terms: dict[str, Any], score: Decimal) -> Decimal | None:
    """The coefficient of the band holding `score`: from ≤ score < to, and the top band also holds its `to`
    (a score of 100 falls in the band that ends at 100). None when no band holds it."""
    bands = [(decimal(b["from"]), decimal(b["to"]), decimal(b["coefficient"])) for b in terms.get("bands", [])]
    top = max((high for _low, high, _c in bands if high is not None), default=None)
    for low, high, coefficient in bands:
        assert low is not None and high is not None and coefficient is not None  # checked at save
        if low <= score < high or (score == high == top):
            return coefficient
    return None
