"""Do-not-call lists: the tenant's and the platform's, checked together at dial time.

A "要求不再来电" disposition (REFUSAL_DISPOSITIONS) adds the number to the tenant's list in the same transaction
as the attempt, so every campaign of the tenant stops dialling it at once.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Contact, DncEntry, PlatformDncEntry
from .numbers import to_e164
from .reasons import coded

#: Dispositions that mean "never call me again", in the templates' words and codes.
REFUSAL_DISPOSITIONS = frozenset({"do_not_call", "dnc", "要求不再来电"})


def _add(session: Session, model: type[DncEntry] | type[PlatformDncEntry], phone: str, source: str, actor: str,
         note: str) -> DncEntry | PlatformDncEntry:
    number = to_e164(phone)
    existing = session.scalar(select(model).where(model.phone_e164 == number))
    if existing is not None:
        return existing
    entry = model(phone_e164=number, source=source, note=note[:500], created_by=actor)
    session.add(entry)
    session.flush()
    return entry


def add(session: Session, phone: str, source: str, actor: str, note: str = "") -> DncEntry:
    """Adds the number to the current tenant's list (idempotent); ValueError when it is not a number."""
    return _add(session, DncEntry, phone, source, actor, note)  # type: ignore[return-value]


def add_platform(session: Session, phone: str, source: str, actor: str, note: str = "") -> PlatformDncEntry:
    """Adds the number to the platform-wide list (the operator's; a platform session)."""
    return _add(session, PlatformDncEntry, phone, source, actor, note)  # type: ignore[return-value]


def lists_holding(session: Session, numbers: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """{E.164 number: names of the lists that hold it ("tenant", "platform")} for the numbers on any list.

    Two indexed IN queries for a whole batch of contacts; the tenant session sees only its own list.
    """
    wanted = sorted(set(numbers))
    found: dict[str, list[str]] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        for number in session.scalars(select(DncEntry.phone_e164).where(DncEntry.phone_e164.in_(chunk))):
            found.setdefault(number, []).append("tenant")
        for number in session.scalars(select(PlatformDncEntry.phone_e164)
                                      .where(PlatformDncEntry.phone_e164.in_(chunk))):
            found.setdefault(number, []).append("platform")
    return {number: tuple(names) for number, names in found.items()}


def lists_holding_list(session: Session, list_id: int) -> dict[str, tuple[str, ...]]:
    """lists_holding for every number of a contact list, joined in the database: two queries whatever the list's
    size (issue 13, 13b #6: 400 IN queries for 100,000 contacts took most of the campaign page's 16 s)."""
    numbers = select(Contact.phone_e164).where(Contact.list_id == list_id)
    found: dict[str, list[str]] = {}
    for number in session.scalars(select(DncEntry.phone_e164).where(DncEntry.phone_e164.in_(numbers))):
        found.setdefault(number, []).append("tenant")
    platform = select(PlatformDncEntry.phone_e164).where(PlatformDncEntry.phone_e164.in_(numbers))
    for number in session.scalars(platform):
        found.setdefault(number, []).append("platform")
    return {number: tuple(names) for number, names in found.items()}


def record_disposition(session: Session, phone: str, disposition: str | None, actor: str) -> DncEntry | None:
    """Adds the number to the tenant's list when the disposition is a refusal; returns the entry if it did."""
    if disposition and disposition in REFUSAL_DISPOSITIONS:
        return add(session, phone, "disposition", actor, note=coded("dnc.note.disposition", disposition=disposition))
    return None


def disposition_labels(session: Session, *, most_scripts: int = 200) -> dict[str, str]:
    """{disposition code: label} over the tenant's published outbound scripts (the first script, by name, wins a
    code two scripts label differently): a note written before the label was kept shows the label (QA 13a #3)."""
    from ..models import Document
    from ..services.documents import DocumentService

    service = DocumentService(session, "system")
    labels: dict[str, str] = {}
    names = session.scalars(select(Document.name).where(Document.kind == "outbound",
                                                        Document.published_version.is_not(None))
                            .order_by(Document.name).limit(most_scripts))
    for name in list(names):
        for item in service.published("outbound", name).body.get("dispositions") or []:
            if isinstance(item, dict) and item.get("code"):
                labels.setdefault(str(item["code"]), str(item.get("label") or item["code"]))
    return labels


def remove_platform(session: Session, entry_id: int) -> bool:
    """Takes a number off the platform-wide list (a platform session); False when there was no such entry."""
    entry = session.get(PlatformDncEntry, entry_id)
    if entry is None:
        return False
    session.delete(entry)
    return True
