"""The business and overall scores of a vendor's month, computed from the figures instead of typed each month.

* Business score (业务考核分数) = the weighted mean of the business metrics' scores, each metric's score being
  its figure (settlement/assessment.py `figures`: service level, answer rate, ticket timeliness) over the
  contract's target × 100, at most 100. A metric without data (no queues, no tickets) is left out and the
  other weights carry the score; with no metric at all there is no computed business score.
* Overall score (考核总成绩) = quality × its weight + business × its weight (the weights sum to 1).
* Both use the contract's optional `business_metrics` / `overall_weights` (terms.py), else the defaults below,
  so contracts saved before these terms existed keep working.
* A value entered in the month's record (VendorMonth) wins over the computed one, and the record says who
  entered it and when; the statement shows, for each score, whether it was computed and from what.
Everything is Decimal, rounded half up to 2 places (the business score is rounded before the overall uses it).
"""

from __future__ import annotations

from datetime import UTC
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy.orm import Session

from ..models import Vendor, VendorMonth
from .terms import BUSINESS_METRICS, decimal

DEFAULT_BUSINESS: dict[str, dict[str, str]] = {
    "service_level": {"target": "80", "weight": "0.4"},
    "answer_rate": {"target": "90", "weight": "0.3"},
    "timeliness": {"target": "95", "weight": "0.3"},
}
DEFAULT_OVERALL: dict[str, str] = {"quality": "0.5", "business": "0.5"}
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def _round(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def business_score(terms: dict[str, Any], figures: dict[str, Any]) -> tuple[Decimal | None, list[dict[str, str]]]:
    """(the business score or None, the parts it was computed from: metric, figure, target, weight, score)."""
    stated = terms.get("business_metrics") or DEFAULT_BUSINESS
    parts: list[dict[str, str]] = []
    weighted = weights = Decimal(0)
    for metric in BUSINESS_METRICS:
        if metric not in stated or figures.get(metric) is None:
            continue
        target, weight = decimal(stated[metric]["target"]), decimal(stated[metric]["weight"])
        assert target is not None and weight is not None and target > 0  # checked at save
        if weight == 0:
            continue
        value = Decimal(str(figures[metric]))
        score = min(HUNDRED, value / target * HUNDRED)
        weighted += score * weight
        weights += weight
        parts.append({"metric": metric, "value": str(value), "target": str(target), "weight": str(weight),
                      "score": str(_round(score))})
    if not parts:
        return None, []
    return _round(weighted / weights), parts


def overall_score(terms: dict[str, Any], quality: Decimal | None,
                  business: Decimal | None) -> tuple[Decimal | None, dict[str, str]]:
    """(the overall score or None when quality or business is absent, the weights it used)."""
    stated = terms.get("overall_weights") or DEFAULT_OVERALL
    weights = {name: decimal(stated.get(name, "0")) or Decimal(0) for name in ("quality", "business")}
    shown = {name: str(w) for name, w in weights.items()}
    if quality is None or business is None:
        return None, shown
    return _round(quality * weights["quality"] + business * weights["business"]), shown


def vendor_figures(session: Session, tenant_id: int, vendor: Vendor, month: Any) -> dict[str, Any]:
    """The vendor's assessment figures of the month (imported here: assessment.py imports inputs.py)."""
    from .assessment import figures

    rows = figures(session, tenant_id, month, vendor_id=vendor.id)
    return rows[0] if rows else {}


def _entered(entry: VendorMonth, zone: Any) -> dict[str, str]:
    stamp = entry.updated_at
    if stamp is not None and stamp.tzinfo is None:  # stored in UTC; SQLite gives it back naive
        stamp = stamp.replace(tzinfo=UTC)
    at = stamp.astimezone(zone).strftime("%Y-%m-%d %H:%M") if stamp else ""
    return {"how": "entered", "by": entry.updated_by or "", "at": at, "zone": getattr(zone, "key", str(zone))}


def derive(session: Session, tenant_id: int, vendor: Vendor, month: Any, terms: dict[str, Any],
           quality: Decimal | None, entry: VendorMonth | None) -> tuple[dict[str, Decimal | None], dict[str, Any]]:
    """The month's three scores and, per score, how it was obtained (JSON-ready, kept with a signed statement)."""
    sources: dict[str, Any] = {"quality": {"how": "computed" if quality is not None else "missing"}}
    business: Decimal | None = entry.business_score if entry else None
    if business is not None:
        assert entry is not None
        sources["business"] = _entered(entry, month.zone)
    else:
        business, parts = business_score(terms, vendor_figures(session, tenant_id, vendor, month))
        sources["business"] = {"how": "computed", "parts": parts} if business is not None else {"how": "missing"}
    overall: Decimal | None = entry.overall_score if entry else None
    if overall is not None:
        assert entry is not None
        sources["overall"] = _entered(entry, month.zone)
    else:
        overall, weights = overall_score(terms, quality, business)
        sources["overall"] = ({"how": "computed", "weights": weights} if overall is not None
                              else {"how": "missing"})
    return {"quality": quality, "business": business, "overall": overall}, sources
