"""The IVR funnel of a published version over a period: callers reaching each node, hanging up there, finishing
there in self-service, and the edges (with the digit pressed) they took — added up from report_ivr_node/edge.

The designer draws it on the canvas (heat on the nodes, thickness on the edges); two versions side by side
compare a change. One GROUP BY per table over (tenant, document, version, interval) rows.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import ReportIvrEdge, ReportIvrNode
from . import classify as cl
from .periods import Period


def versions(session: Session, tenant_id: int, document: str) -> list[int]:
    """The versions of the IVR that have funnel rows (newest first). A SELECT DISTINCT of the one column ordered
    by it: a column-level distinct() outside an aggregate is not a supported form (SQLAlchemy warns, SAWarning)."""
    return list(session.scalars(
        select(ReportIvrNode.ivr_version).distinct().where(ReportIvrNode.tenant_id == tenant_id,
                                                           ReportIvrNode.ivr_document == document)
        .order_by(ReportIvrNode.ivr_version.desc())))


def funnel(session: Session, tenant_id: int, document: str, version: int, period: Period) -> dict[str, Any]:
    """{"nodes": {node: {reached, hangups, completed}}, "edges": [{node, next, digit, passes}], "callers"}."""
    where = (ReportIvrNode.tenant_id == tenant_id, ReportIvrNode.ivr_document == document,
             ReportIvrNode.ivr_version == version, ReportIvrNode.interval_start >= period.start,
             ReportIvrNode.interval_start < period.end)
    nodes = {node: {"reached": int(r), "hangups": int(h), "completed": int(c)} for node, r, h, c in session.execute(
        select(ReportIvrNode.node, func.sum(ReportIvrNode.reached), func.sum(ReportIvrNode.hangups),
               func.sum(ReportIvrNode.completed)).where(*where).group_by(ReportIvrNode.node))}
    e = ReportIvrEdge
    passes_by: dict[tuple[str, str, str], int] = {}
    for node, following, digit, passes in session.execute(
            select(e.node, e.next_node, e.digit, func.sum(e.passes)).where(
                e.tenant_id == tenant_id, e.ivr_document == document, e.ivr_version == version,
                e.interval_start >= period.start, e.interval_start < period.end)
            .group_by(e.node, e.next_node, e.digit)):
        # rows written before collected digits were kept out (until `hotline reports rebuild`) hold a typed
        # number: shown only as ENTERED, never as the number
        shown = digit if digit in ("", cl.ENTERED) or cl.is_menu_key(digit) else cl.ENTERED
        passes_by[(node, following, shown)] = passes_by.get((node, following, shown), 0) + int(passes)
    edges = [{"node": node, "next": following, "digit": digit, "passes": passes}
             for (node, following, digit), passes in sorted(passes_by.items())]
    return {"document": document, "version": version, "nodes": nodes, "edges": edges,
            "callers": max((n["reached"] for n in nodes.values()), default=0),
            "hangups": sum(n["hangups"] for n in nodes.values()),
            "completed": sum(n["completed"] for n in nodes.values())}
