"""The monthly settlement of seed 001, in Decimal arithmetic (no binary floats anywhere).

    每月外包费用 = Σ 结算座席数 × 座席单价 × 考核系数 + 达标超量酬金 − 重大事件扣罚

* Seats of a seat type (trainee, agent, team lead) = Σ agent's scheduled hours of that type ÷ standard hours
  (166.64) × the type's staffing ratio. An agent's hours above the standard month are overtime seats
  (Σ (hours − 166.64) ÷ 166.64 × the overtime ratio) and are not also counted as regular seats: an agent with
  hours of several types keeps the same share of each within the standard month.
* Team leads are billed at most one per `team_lead_span` (20) trainee and agent seats (seed: 班长按照与客服代表
  1:20 进行人员配置): the team-lead seats are the smaller of their scheduled seats and that cap.
* Seats are rounded to 4 decimals, each seat line (seats × unit price) to the cent; the coefficient multiplies
  the seat subtotal (rounded to the cent). The coefficient is the band of the LOWEST of the quality, business
  and overall scores (以三维度中最低者确定对应的考核系数).
* Bonus per target = (achieved − target, when above) × bonus per unit, to the cent; the partner's share (20%)
  is rounded to the cent and the staff share (80%) is the rest, so the two always add up to the bonus.
* Penalties = Σ incidents × the rule's amount. Rounding: half up (the usual commercial rounding).

Anything missing (a unit price a seat line needs, a score, the schedule, an achieved value) is collected into
`MissingInputs` and no statement is produced.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .terms import SEAT_TYPES, band_for, decimal

CENT = Decimal("0.01")
SEAT = Decimal("0.0001")
SCORES: tuple[str, ...] = ("quality", "business", "overall")
SCORE_MISSING = {
    "quality": "No QA evaluations of this vendor's agents in {month}, so there is no quality score",
    "business": "The business score of {month} has not been entered and cannot be computed (no service level, "
                "answer rate or ticket timeliness figures)",
    "overall": "The overall score of {month} has not been entered and cannot be computed (it needs the quality "
               "and business scores)",
}


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def seats(value: Decimal) -> Decimal:
    return value.quantize(SEAT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class Missing:
    """One missing input: an English message template (translated on the page) and its parameters."""

    message: str
    params: dict[str, str] = field(default_factory=dict)

    def text(self, translate: Any = None) -> str:
        """The message in the reader's language; parameters are translated too (a seat type's code becomes
        its label; a month or a tenant's own label is left as it is)."""
        tr = translate or (lambda t: t)
        return tr(self.message).format(**{k: tr(v) for k, v in self.params.items()})


class MissingInputs(Exception):
    """The settlement cannot be computed; `missing` names every input that is absent."""

    def __init__(self, missing: list[Missing]) -> None:
        super().__init__("; ".join(m.text() for m in missing))
        self.missing = missing


@dataclass(slots=True)
class Inputs:
    """What one vendor's month is settled from (also what a signed statement keeps a copy of)."""

    month: str
    terms: dict[str, Any]
    #: user id -> seat type -> scheduled hours in the month.
    hours: dict[int, dict[str, Decimal]]
    scores: dict[str, Decimal | None]
    achieved: dict[str, Decimal] = field(default_factory=dict)
    penalties: dict[str, int] = field(default_factory=dict)
    #: user id -> overtime hours billed to this vendor, from the month's roll-up (settlement/overtime.py); None:
    #: each agent's hours here above the standard month (an agent wholly with the vendor: the same figure).
    overtime: dict[int, Decimal] | None = None


def _split_hours(hours: Mapping[int, Mapping[str, Decimal]], standard: Decimal,
                 overtime: Mapping[int, Decimal] | None = None) -> tuple[dict[str, Decimal], Decimal]:
    """Regular hours per seat type and overtime hours: each agent's overtime (from the roll-up, else the hours above
    the standard month) is taken out of its hours, each seat type keeping its share of the rest as regular."""
    regular = dict.fromkeys(SEAT_TYPES, Decimal(0))
    overtime_hours = Decimal(0)
    for user_id, by_type in hours.items():
        total = sum((by_type.get(t, Decimal(0)) for t in SEAT_TYPES), Decimal(0))
        if total <= 0:
            continue
        extra = (min(total, overtime.get(user_id, Decimal(0))) if overtime is not None
                 else max(Decimal(0), total - standard))
        share = (total - extra) / total
        for seat_type in SEAT_TYPES:
            regular[seat_type] += by_type.get(seat_type, Decimal(0)) * share
        overtime_hours += extra
    return regular, overtime_hours


def compute(inputs: Inputs) -> dict[str, Any]:
    """The statement as JSON-ready decimal strings; raises MissingInputs naming everything absent."""
    terms = inputs.terms
    missing: list[Missing] = []
    standard = decimal(terms.get("standard_hours"))
    assert standard is not None and standard > 0  # terms are checked at save
    seat_terms = terms.get("seat_types", {})
    regular, overtime_hours = _split_hours(inputs.hours, standard, inputs.overtime)
    if not any(regular.values()):
        missing.append(Missing("No scheduled hours for this vendor's agents in {month}", {"month": inputs.month}))

    def ratio(seat_type: str) -> Decimal:
        found = decimal(seat_terms.get(seat_type, {}).get("ratio", "1"))
        assert found is not None
        return found

    counted: dict[str, Decimal] = {t: seats(regular[t] / standard * ratio(t)) for t in SEAT_TYPES}
    counted["overtime"] = seats(overtime_hours / standard * ratio("overtime"))
    cap = seats((counted["trainee"] + counted["agent"]) / Decimal(int(terms.get("team_lead_span", 20))))
    capped = counted["team_lead"] > cap
    if capped:
        counted["team_lead"] = cap
    hours_of = {**regular, "overtime": overtime_hours}
    lines = []
    for seat_type in (*SEAT_TYPES, "overtime"):
        if hours_of[seat_type] <= 0:
            continue
        price = decimal(seat_terms.get(seat_type, {}).get("unit_price"))
        if price is None:
            missing.append(Missing("The contract has no unit price for {seat_type} seats",
                                   {"seat_type": f"seat.{seat_type}"}))
            continue
        lines.append({"seat_type": seat_type, "hours": str(cents(hours_of[seat_type])),
                      "ratio": str(ratio(seat_type)), "seats": str(counted[seat_type]), "unit_price": str(price),
                      "amount": str(cents(counted[seat_type] * price)),
                      "cap": str(cap) if seat_type == "team_lead" and capped else None})
    for name in SCORES:
        if inputs.scores.get(name) is None:
            missing.append(Missing(SCORE_MISSING[name], {"month": inputs.month}))
    targets = terms.get("targets", [])
    for target in targets:
        if inputs.achieved.get(target["code"]) is None:
            missing.append(Missing("The achieved value of target {target} in {month} is missing",
                                   {"target": target["label"], "month": inputs.month}))
    coefficient = None
    lowest = lowest_of = None
    if all(inputs.scores.get(n) is not None for n in SCORES):
        lowest_of = min(SCORES, key=lambda n: inputs.scores[n])  # type: ignore[arg-type,return-value]
        lowest = inputs.scores[lowest_of]
        assert lowest is not None
        coefficient = band_for(terms, lowest)
        if coefficient is None:
            missing.append(Missing("No assessment band of the contract holds the lowest score {score}",
                                   {"score": str(lowest)}))
    if missing:
        raise MissingInputs(missing)
    assert coefficient is not None and lowest is not None
    subtotal = sum((Decimal(line["amount"]) for line in lines), Decimal(0))
    assessed = cents(subtotal * coefficient)
    bonus_lines = []
    for target in targets:
        goal, per_unit = decimal(target["target"]), decimal(target["bonus_per_unit"])
        assert goal is not None and per_unit is not None
        achieved = inputs.achieved[target["code"]]
        excess = max(Decimal(0), achieved - goal)
        bonus_lines.append({"code": target["code"], "label": target["label"], "target": str(goal),
                            "achieved": str(achieved), "excess": str(excess), "bonus_per_unit": str(per_unit),
                            "amount": str(cents(excess * per_unit))})
    bonus = sum((Decimal(b["amount"]) for b in bonus_lines), Decimal(0))
    split = terms.get("bonus_split", {"partner": "0.20", "staff": "0.80"})
    partner_share, staff_share = decimal(split["partner"]), decimal(split["staff"])
    assert partner_share is not None and staff_share is not None
    partner = cents(bonus * partner_share)
    rules = {rule["code"]: rule for rule in terms.get("penalty_rules", [])}
    penalty_lines = []
    for code, count in sorted(inputs.penalties.items()):
        if not count:
            continue
        rule = rules.get(code)
        if rule is None:  # a rule removed from the contract after incidents were entered
            raise MissingInputs([Missing("Penalty rule {rule} is not in the contract", {"rule": code})])
        amount = decimal(rule["amount"])
        assert amount is not None
        penalty_lines.append({"code": code, "label": rule["label"], "count": int(count), "amount": str(amount),
                              "total": str(cents(amount * int(count)))})
    penalties = sum((Decimal(p["total"]) for p in penalty_lines), Decimal(0))
    return {
        "month": inputs.month,
        "standard_hours": str(standard),
        "seats": lines,
        "seat_subtotal": str(cents(subtotal)),
        "scores": {**{n: str(inputs.scores[n]) for n in SCORES}, "lowest": str(lowest), "lowest_of": lowest_of},
        "coefficient": str(coefficient),
        "assessed": str(assessed),
        "bonus": {"lines": bonus_lines, "total": str(cents(bonus)), "partner_share": str(partner_share),
                  "staff_share": str(staff_share), "partner": str(partner), "staff": str(cents(bonus - partner))},
        "penalties": {"lines": penalty_lines, "total": str(cents(penalties))},
        "total": str(cents(assessed + bonus - penalties)),
    }
