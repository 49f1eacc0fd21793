"""Choosing who handles a ticket: the courier or technician that covers the place, can do the work, can be
reached, and has the least open work.

Issue 11 (items 1-4) found dispatch picking whoever's coverage keyword matched best: a branch's landline
ranked above the courier (and was then "texted"), a 水电 repair went to a technician without the skill,
an urge went by the caller's registered address instead of the parcel's. Here the candidates are, in order:

1. entries covering the place: the address by coverage keywords (services/coverage.py; only the strongest
   tier of evidence present, so a fuzzy match never competes with an exact one) or, when the ticket names
   a station (the waybill's 网点), the entries of that branch;
2. of a person's kind (courier, technician; `kinds` overrides): a branch is a fallback, not a handler;
3. holding the skill the ticket needs, when it needs one;
4. reachable on the channel the notice goes out on (SMS only to a mobile number).

Among the best-scored equals, the one with the fewest open tickets wins, then the one given a ticket
longest ago (round-robin), then the older entry (stable). `Choice.reason` says why nobody was left, in
words a supervisor reads on the manual dispatch list.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import Directory, DirectoryEntry, ManualDispatch, Ticket
from .coverage import CoverageMatch, find_covering, normalize, tier
from .directory_admin import PEOPLE, reachable_channels
from .errors import NotFound


@dataclass(frozen=True, slots=True)
class Choice:
    """The chosen entry (None when nobody fits), the candidates it was chosen among, and why not others."""

    entry: CoverageMatch | None
    #: Entries that passed every filter, best first (the chosen one first).
    candidates: tuple[CoverageMatch, ...] = ()
    #: Why nobody was chosen (empty when someone was).
    reason: str = ""
    #: What each filter removed: "kind", "skill", "channel" → entry names.
    dropped: dict[str, list[str]] = field(default_factory=dict)


def by_station(session: Session, directory: str, station: str) -> list[CoverageMatch]:
    """Active entries whose branch is the station (either text holding the other: "北京朝阳望京网点" is
    the branch "朝阳望京网点"), all scored alike: the station decides, not an address."""
    wanted = normalize(station or "")
    if not wanted:
        return []
    found = session.execute(select(Directory.id, Directory.kind).where(Directory.name == directory)).first()
    if found is None:
        raise NotFound(f"directory {directory!r} not found")
    directory_id, directory_kind = found
    rows = session.execute(
        select(DirectoryEntry.id, DirectoryEntry.name, DirectoryEntry.phone, DirectoryEntry.branch,
               DirectoryEntry.kind, DirectoryEntry.channels, DirectoryEntry.skills)
        .where(DirectoryEntry.directory_id == directory_id, DirectoryEntry.active.is_(True))
        .order_by(DirectoryEntry.id)).all()
    matches = []
    for entry_id, name, phone, branch, kind, channels, skills in rows:
        branch_key = normalize(branch or "")
        if branch_key and (branch_key in wanted or wanted in branch_key):
            matches.append(CoverageMatch(entry_id, name, phone, branch or "", branch or "", 1.0,
                                         kind or directory_kind or "", tuple(channels or ()), tuple(skills or ())))
    return matches


def via_branches(session: Session, directory: str, address: str) -> list[CoverageMatch]:
    """The people of `directory` who serve the address through their branch: the branches (directories of
    kind branch) covering the address, each standing for its own couriers or technicians, best branch first.

    QA of issue 11, item 5: for "朝阳区国贸" only the branch 朝阳国贸网点 has a keyword (its couriers list
    buildings: 国贸三期, 华贸中心), so the lookup offered the branch's landline and dispatch found nobody.
    The branch's courier is the one to text; the branch stays a fallback for a call. Each person carries the
    branch's score and keyword, so the evidence stays comparable with a direct match."""
    branch_dirs = list(session.scalars(select(Directory.name).where(Directory.kind == "branch")
                                       .order_by(Directory.id)))
    found: dict[int, CoverageMatch] = {}
    for branch_dir in branch_dirs:
        for branch in find_covering(session, branch_dir, address):
            for person in by_station(session, directory, branch.name):
                if person.kind in PEOPLE and person.entry_id not in found:
                    found[person.entry_id] = replace(person, score=branch.score, area=branch.area)
    return sorted(found.values(), key=lambda m: (-m.score, m.entry_id))


def covering_people(session: Session, directory: str, address: str) -> list[CoverageMatch]:
    """`find_covering` of the directory; when none of the people in it covers the address by a keyword of
    their own, the people of the branches that cover it (`via_branches`) join the matches."""
    matches = find_covering(session, directory, address)
    if any(m.kind in PEOPLE for m in matches):
        return matches
    return [*via_branches(session, directory, address), *matches]


def open_load(session: Session, entry_ids: Iterable[int]) -> dict[int, int]:
    """Open (unresolved) tickets per directory entry."""
    ids = list(entry_ids)
    if not ids:
        return {}
    rows = session.execute(select(Ticket.handler_entry_id, func.count())
                           .where(Ticket.handler_entry_id.in_(ids), Ticket.resolved_at.is_(None))
                           .group_by(Ticket.handler_entry_id)).all()
    return {entry_id: count for entry_id, count in rows}


def choose(session: Session, matches: Sequence[CoverageMatch], *, skill: str | None = None,
           kinds: Iterable[str] | None = None, channel: str | None = "sms",
           exclude: Iterable[int] = ()) -> Choice:
    """The entry to give the work to among coverage `matches` (best first), or a Choice with the reason.

    `channel` is how the handler will be told (None: not told; the entry is only named on the ticket).
    """
    if not matches:
        return Choice(None, reason="没有覆盖该地址的人员")
    # Only the strongest evidence present counts: when the address names an area outright, entries that
    # match it fuzzily (翠湖花园5幢 against 翠湖花园1幢) do not cover it, they are typo tolerance.
    strongest = max(tier(m.score) for m in matches)
    matches = [m for m in matches if tier(m.score) == strongest]
    wanted_kinds = frozenset(kinds) if kinds is not None else PEOPLE
    excluded = frozenset(exclude)
    dropped: dict[str, list[str]] = {}
    left: list[CoverageMatch] = []
    for match in matches:
        if match.entry_id in excluded:
            continue
        if match.kind not in wanted_kinds:
            dropped.setdefault("kind", []).append(match.name)
        elif skill and skill not in match.skills:
            dropped.setdefault("skill", []).append(match.name)
        elif channel and channel not in reachable_channels(match.phone, match.channels):
            dropped.setdefault("channel", []).append(match.name)
        else:
            left.append(match)
    if not left:
        return Choice(None, reason=_why_nobody(dropped, skill, channel), dropped=dropped)
    best = max(m.score for m in left)
    equals = [m for m in left if m.score == best]
    load = open_load(session, [m.entry_id for m in equals])
    last = dict(session.execute(select(DirectoryEntry.id, DirectoryEntry.last_assigned_at)
                                .where(DirectoryEntry.id.in_([m.entry_id for m in equals]))).all())
    never = datetime.min

    def order(match: CoverageMatch) -> tuple[int, datetime, int]:
        at = last.get(match.entry_id)
        return load.get(match.entry_id, 0), (at.replace(tzinfo=None) if at else never), match.entry_id

    equals.sort(key=order)
    others = [m for m in left if m.score != best]
    return Choice(equals[0], tuple(equals + others), dropped=dropped)


def _why_nobody(dropped: dict[str, list[str]], skill: str | None, channel: str | None) -> str:
    parts = []
    if dropped.get("kind"):
        parts.append(f"覆盖该地址的只有网点（{'、'.join(dropped['kind'])}），没有快递员或维修人员")
    if dropped.get("skill"):
        parts.append(f"覆盖该地址的人员（{'、'.join(dropped['skill'])}）不具备技能“{skill}”")
    if dropped.get("channel"):
        how = "短信" if channel == "sms" else channel
        parts.append(f"覆盖该地址的人员（{'、'.join(dropped['channel'])}）无法通过{how}联系（不是手机号码）")
    return "；".join(parts) or "没有可派单的人员"


def mark_assigned(session: Session, ticket: Ticket, entry_id: int, now: datetime) -> None:
    """Records the handler on the ticket (its load) and the time on the entry (the round-robin); a ticket with
    a handler leaves the manual dispatch list, whichever path gave it one (QA of issue 11, item 1)."""
    ticket.handler_entry_id = entry_id
    entry = session.get(DirectoryEntry, entry_id)
    if entry is not None:
        entry.last_assigned_at = now
    for row in session.scalars(select(ManualDispatch).where(ManualDispatch.ticket_id == ticket.id,
                                                             ManualDispatch.done_at.is_(None))):
        row.done_at, row.entry_id = now, entry_id
        row.done_by = row.done_by or "handler set"
    session.flush()
