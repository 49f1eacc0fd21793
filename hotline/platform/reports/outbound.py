"""Outbound figures for the reports (外呼): attempts, connects, dispositions and abandon rate per campaign and period.

Read from the dial attempts (models/outbound.py) with the definitions of the campaign's own progress figures
(outbound/progress.py), so the report and the campaign page never disagree:

* attempts: dials placed — compliance refusals (outcome `skipped`) are counted apart, as `skipped`;
* connects: live answers (outcome `answered` or `abandoned`; an answering machine is not a connect, `machines`);
* abandoned: live answers dropped for want of an agent (the attempt's `abandoned` flag);
* connect rate = connects ÷ attempts; abandon rate = abandoned ÷ connects (the dialer's cap is on this ratio);
* dispositions: attempts by the agent's wrap-up code, shown with the label of the campaign's script version.

Dimensions: campaign, or campaign × disposition. The attempts of the range are aggregated in one GROUP BY (by the
tenant's local day in SQL on PostgreSQL for day/week/month/total, as the other reports; per attempt time
elsewhere); a campaign's attempts are its own dials, so no interval rows are kept for them yet.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from ..models import Campaign, DialAttempt, Membership, User
from ..models.campaigns import TASKS_CAMPAIGN_NAME
from ..outbound.disposition_words import campaign_labels_by_code, unknown
from .periods import Period
from .service import Report, _tabulate, _time_key, extension_label, member_extensions

OUTBOUND_DIMENSIONS = ("", "campaign", "disposition")
OUTBOUND_FIGURES = ("attempts", "connects", "connect_rate", "machines", "abandoned", "abandon_rate", "skipped")
COUNTS = ("attempts", "connects", "machines", "abandoned", "skipped")
LIVE_OUTCOMES = ("answered", "abandoned")


def _pct(part: float, whole: float) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def outbound_figures(s: Mapping[str, float]) -> dict[str, Any]:
    """The figures of summed attempt counts."""
    counts = {name: int(s.get(name, 0)) for name in COUNTS}
    return {**counts, "connect_rate": _pct(counts["connects"], counts["attempts"]),
            "abandon_rate": _pct(counts["abandoned"], counts["connects"])}


def campaign_labels(session: Session, tenant_id: int, translate: Callable[[str], str]) -> dict[int, str]:
    """Campaign names as users read them (the tenant's call-task campaign by its words, not its code)."""
    return {cid: translate("campaign.tasks") if name == TASKS_CAMPAIGN_NAME else name
            for cid, name in session.execute(select(Campaign.id, Campaign.name).where(Campaign.tenant_id == tenant_id))}


def disposition_labels(session: Session, campaign_ids: set[int],
                       translate: Callable[[str], str]) -> dict[tuple[int, str], str]:
    """(campaign, disposition code) → the label in the campaign's script version; for the tasks campaign, its call
    tasks' scripts' or the default dispositions' (outbound/disposition_words.py) in the reader's language."""
    campaigns = session.scalars(select(Campaign).where(Campaign.id.in_(campaign_ids))) if campaign_ids else ()
    return campaign_labels_by_code(session, campaigns, translate)


def disposition_word(labels: Mapping[tuple[int, str], str], campaign_id: int, code: str,
                     translate: Callable[[str], str]) -> str:
    """A code's label, else the code said to be unknown (an old row)."""
    found = labels.get((campaign_id, code))
    return found if found is not None else unknown(code, translate)


#: The agent an agentless (voice) campaign's attempts are recorded with (runtime/dialer/answered.py).
AGENTLESS = "agentless"


def agent_labels(session: Session, tenant_id: int, agents: set[str],
                 translate: Callable[[str], str]) -> dict[str, str]:
    """What users read for an attempt's agent, recorded as the extension the dialer bridged to: the member's
    display name (else username), "分机 1001（未绑定用户）" when no member of this tenant holds the extension (an
    extension of another tenant's user names nobody here), the agentless dialer's marker in words (QA 14)."""
    holders = {ext: user for ext, user in member_extensions(session, tenant_id).items() if ext in agents}
    names = {user_id: display or username for user_id, display, username in session.execute(
        select(User.id, User.display_name, User.username).where(User.id.in_(set(holders.values())), User.id.in_(
            select(Membership.user_id).where(Membership.tenant_id == tenant_id))))} if holders else {}
    return {agent: translate("agent.agentless") if agent == AGENTLESS
            else names.get(holders.get(agent, -1)) or extension_label(agent, translate) for agent in agents}


def outbound_report(session: Session, tenant_id: int, period: Period, dimension: str = "",
                    filters: Mapping[str, Any] | None = None,
                    translate: Callable[[str], str] | None = None) -> Report:
    """Outbound figures per bucket of the period (and campaign, or campaign × disposition)."""
    if dimension not in OUTBOUND_DIMENSIONS:
        raise ValueError(f"unknown dimension {dimension!r}")
    tr = translate or (lambda text: text)
    filters = filters or {}
    a = DialAttempt
    when, start_of = _time_key(session, period, a.at)
    keys = {"campaign": [a.campaign_id], "disposition": [a.campaign_id, a.disposition]}.get(dimension, [])
    placed = a.outcome != "skipped"
    query = select(
        when, *keys,
        func.sum(case((placed, 1), else_=0)),
        func.sum(case((a.outcome.in_(LIVE_OUTCOMES), 1), else_=0)),
        func.sum(case((a.outcome == "machine", 1), else_=0)),
        func.sum(case((a.abandoned.is_(True), 1), else_=0)),
        func.sum(case((a.outcome == "skipped", 1), else_=0)),
    ).where(a.tenant_id == tenant_id, a.campaign_id.is_not(None), a.at >= period.start, a.at < period.end)
    if filters.get("campaign"):
        query = query.where(a.campaign_id == int(filters["campaign"]))
    if dimension == "disposition":
        query = query.where(placed)  # a refusal's disposition field names the refusing rule, not a wrap-up
    query = query.group_by(when, *keys)
    sums: dict[tuple[Any, Any], dict[str, float]] = defaultdict(dict)
    for row in session.execute(query):
        key: Any = tuple(row[1:1 + len(keys)])
        key = key[0] if len(key) == 1 else (
            (key[0], key[1] or "") if key else "")
        into = sums[(period.bucket(start_of(row[0])), key)]
        for name, value in zip(COUNTS, row[1 + len(keys):], strict=True):
            into[name] = into.get(name, 0) + int(value or 0)
    labels: dict[Any, str] = {}
    if dimension:
        campaigns = campaign_labels(session, tenant_id, tr)
        if dimension == "campaign":
            labels = {k: campaigns.get(k, str(k)) for _b, k in sums}
        else:
            codes = disposition_labels(session, {k[0] for _b, k in sums}, tr)
            labels = {k: f"{campaigns.get(k[0], str(k[0]))} / "
                         f"{disposition_word(codes, k[0], k[1], tr) if k[1] else tr('(none)')}" for _b, k in sums}
    return _tabulate(period, dimension, sums, labels, outbound_figures, translate=translate)
