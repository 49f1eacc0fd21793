"""Managing a tenant's directories (couriers, technicians, branches) and looking up coverage across all of them.

`coverage.find_covering` matches one directory; the desk does not know which directory covers an address (a
pickup may go to a courier, a repair to a technician, with the branch as the fallback), so `lookup` asks every
directory of the tenant and ranks people (couriers, technicians) ahead of branches at equal evidence. Every
function takes a tenant-scoped session; entries of another tenant are NotFound.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import phones as phone_numbers
from ..findings import Finding
from ..models import Directory, DirectoryEntry
from ..scoping import tenant_of
from . import audit, coverage
from .errors import Duplicate, InvalidDocument, NotFound

KINDS = ("courier", "technician", "branch", "service_hall")
#: Kinds whose entries are people an agent notifies directly; they win ties against branches.
PEOPLE = frozenset({"courier", "technician"})
_AREA_SPLIT = re.compile(r"[\n;；,，、]+")
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


@dataclass(frozen=True, slots=True)
class Covering:
    """A coverage match together with the directory it came from."""

    match: coverage.CoverageMatch
    directory: str
    directory_label: str
    kind: str

    def as_dict(self) -> dict[str, Any]:
        m = self.match
        return {"entry_id": m.entry_id, "name": m.name, "phone": m.phone, "branch": m.branch, "area": m.area,
                "score": m.score, "directory": self.directory, "directory_label": self.directory_label,
                "kind": self.kind, "channels": list(reachable_channels(m.phone, m.channels))}


def reachable_channels(phone: str, channels: Iterable[str]) -> tuple[str, ...]:
    """The channels an entry can really be reached on: its stored ones (derived from the number when none
    are stored), never SMS to a number that is not a mobile."""
    stored = tuple(channels) or tuple(phone_numbers.channels_for(phone))
    return tuple(c for c in stored if c != "sms" or phone_numbers.is_mobile(phone))


def _require_tenant(session: Session) -> None:
    if tenant_of(session) is None:
        raise ValueError("directories are managed in a tenant-scoped session")


def parse_areas(text: str | Iterable[str]) -> list[str]:
    """Coverage keywords from what an admin typed: one per line or separated by ; , 、 (either width)."""
    pieces = _AREA_SPLIT.split(text) if isinstance(text, str) else [str(p) for p in text]
    seen: dict[str, None] = {}
    for piece in pieces:
        piece = piece.strip()
        if piece:
            seen.setdefault(piece[:100], None)
    return list(seen)


def directories(session: Session) -> list[Directory]:
    _require_tenant(session)
    return list(session.scalars(select(Directory).order_by(Directory.id)))


def get_directory(session: Session, name: str) -> Directory:
    _require_tenant(session)
    found = session.scalar(select(Directory).where(Directory.name == name))
    if found is None:
        raise NotFound(f"directory {name!r} not found")
    return found


def create_directory(session: Session, name: str, label: str, kind: str, actor: str) -> Directory:
    """A new directory; the name is a short identifier (documents refer to it), unique in the tenant."""
    _require_tenant(session)
    findings: list[Finding] = []
    name = (name or "").strip()
    if not _NAME.match(name):
        findings.append(Finding("/name", "error", "a directory name is lower-case letters, digits and _ "
                                "(starting with a letter, at most 64)", "pattern"))
    if not (label or "").strip():
        findings.append(Finding("/label", "error", "a directory needs a label", "required"))
    if kind not in KINDS:
        findings.append(Finding("/kind", "error", f"kind is one of {', '.join(KINDS)}", "enum"))
    if findings:
        raise InvalidDocument("the directory is not valid", findings)
    if session.scalar(select(Directory.id).where(Directory.name == name)) is not None:
        raise Duplicate(f"a directory named {name!r} exists already")
    row = Directory(name=name, label=label.strip(), kind=kind)
    session.add(row)
    session.flush()
    audit.record(session, actor, "directory.create", "directory", str(row.id), {"name": name, "kind": kind})
    return row


def get_entry(session: Session, entry_id: int) -> DirectoryEntry:
    _require_tenant(session)
    entry = session.get(DirectoryEntry, entry_id)
    if entry is None:
        raise NotFound(f"directory entry #{entry_id} not found")
    return entry


def _check_entry(name: str, phone: str, areas: list[str]) -> tuple[str, str]:
    findings: list[Finding] = []
    name = (name or "").strip()
    if not name:
        findings.append(Finding("/name", "error", "an entry needs a name", "required"))
    elif len(name) > 200:
        findings.append(Finding("/name", "error", "a name has at most 200 characters", "length"))
    number = ""
    try:
        number = phone_numbers.normalize(phone or "")
    except ValueError as exc:
        findings.append(Finding("/phone", "error", str(exc), "phone"))
    if not areas:
        findings.append(Finding("/areas", "error", "list at least one coverage keyword (street, compound, "
                                "building)", "required"))
    if findings:
        raise InvalidDocument("the directory entry is not valid", findings)
    return name, number


CHANNELS = ("sms", "voice")
MAX_SKILLS = 20


def _check_reach(number: str, kind: str | None, channels: Iterable[str] | None,
                 skills: str | Iterable[str] | None) -> tuple[str | None, list[str], list[str] | None]:
    """Kind, channels (derived from the number when not given) and skills; InvalidDocument when bad."""
    findings: list[Finding] = []
    if kind is not None and kind not in ("", *KINDS):
        findings.append(Finding("/kind", "error", f"kind is one of {', '.join(KINDS)} (or empty for the "
                                "directory's)", "enum"))
    wanted = list(dict.fromkeys(channels)) if channels is not None else phone_numbers.channels_for(number)
    for channel in wanted:
        if channel not in CHANNELS:
            findings.append(Finding("/channels", "error", f"{channel!r} is not a channel ({', '.join(CHANNELS)})",
                                    "enum"))
    if "sms" in wanted and number and not phone_numbers.is_mobile(number):
        findings.append(Finding("/channels", "error", f"{number} is not a mobile number: an SMS cannot reach it "
                                "(a landline takes calls only)", "sms"))
    skill_list = parse_areas(skills) if skills is not None else None
    if skill_list is not None and (len(skill_list) > MAX_SKILLS or any(len(s) > 32 for s in skill_list)):
        findings.append(Finding("/skills", "error", f"at most {MAX_SKILLS} skills of at most 32 characters",
                                "length"))
    if findings:
        raise InvalidDocument("the directory entry is not valid", findings)
    return kind, wanted, skill_list


def save_entry(session: Session, directory: Directory, *, entry_id: int | None = None, name: str, phone: str,
               branch: str = "", areas: str | Iterable[str] = "", active: bool = True,
               actor: str, kind: str | None = None, channels: Iterable[str] | None = None,
               skills: str | Iterable[str] | None = None) -> DirectoryEntry:
    """Creates (entry_id None) or replaces an entry's fields; InvalidDocument lists every bad field.

    `kind` None keeps the entry's kind (the directory's for a new one); `channels` None derives them from the
    number (SMS only for a mobile); `skills` None keeps them.
    """
    area_list = parse_areas(areas)
    name, number = _check_entry(name, phone, area_list)
    kind, channel_list, skill_list = _check_reach(number, kind, channels, skills)
    if entry_id is None:
        entry = DirectoryEntry(directory_id=directory.id)
        session.add(entry)
    else:
        entry = get_entry(session, entry_id)
        if entry.directory_id != directory.id:
            raise NotFound(f"directory entry #{entry_id} is not in directory {directory.name!r}")
    entry.name, entry.phone, entry.branch = name, number, (branch or "").strip()[:200]
    entry.areas, entry.active = area_list, bool(active)
    entry.channels = channel_list
    if kind is not None:
        entry.kind = kind
    if skill_list is not None:
        entry.skills = skill_list
    session.flush()
    audit.record(session, actor, "directory.entry.create" if entry_id is None else "directory.entry.update",
                 "directory_entry", str(entry.id), {"name": name, "phone": number, "areas": area_list})
    return entry


def lookup(session: Session, address: str, *, directory: str | None = None, kind: str | None = None,
           limit: int = 10) -> list[Covering]:
    """Entries covering the address across the tenant's directories (or only `directory` / `kind`), best first.

    ValueError for an address with nothing to match; NotFound for a named directory the tenant lacks.
    """
    _require_tenant(session)
    if not coverage.normalize(address or ""):
        raise ValueError("type part of an address (a street, compound or building) to find who covers it")
    query = select(Directory.name, Directory.label, Directory.kind).order_by(Directory.id)
    if directory:
        query = query.where(Directory.name == directory)
    if kind:
        query = query.where(Directory.kind == kind)
    found = session.execute(query).all()
    if directory and not found:
        raise NotFound(f"directory {directory!r} not found")
    from .handlers import via_branches  # handlers imports this module

    ranked: list[tuple[int, float, int, Covering]] = []
    people: set[int] = set()
    for order, (name, label, dir_kind) in enumerate(found):
        matches = coverage.find_covering(session, name, address)
        if dir_kind in PEOPLE and not any((m.kind or dir_kind) in PEOPLE for m in matches):
            # Nobody lists the place, but a branch covering it has people here: they serve it (QA of issue
            # 11, item 5: 朝阳区国贸 offered the branch's landline before its courier).
            matches = [*via_branches(session, name, address), *matches]
        for match in matches:
            if match.entry_id in people:
                continue
            # People first whatever the score: a branch is the fallback, and its landline is no one to text.
            people_first = 0 if (match.kind or dir_kind) in PEOPLE else 1
            if people_first == 0:
                people.add(match.entry_id)
            ranked.append((people_first, -match.score, order, Covering(match, name, label, match.kind or dir_kind)))
    ranked.sort(key=lambda item: item[:3])
    return [item[3] for item in ranked[:limit]]
