"""A tenant's knowledge-base synonyms: what callers say (丢了) → what the articles say (丢失, 遗失).

One-way on purpose: "赔偿 → 理赔" makes a question about 赔偿 find the 理赔 article, without making every
question about 理赔 drag in each article that mentions 赔偿. Bounded (entries, alternatives, lengths) because a
tenant admin types them and every search reads them.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..findings import Finding
from ..models import KbSynonym
from ..scoping import tenant_of
from . import audit, kb_text
from .errors import InvalidDocument, NotFound

MAX_SYNONYMS = 500
MAX_ALTERNATIVES = 10
MAX_LENGTH = 50
_SEPARATORS = ",，;；、/\n"


def split(values: str | Iterable[str]) -> list[str]:
    """Alternatives from a list or from text separated by commas, 、, slashes or new lines."""
    if isinstance(values, str):
        for sep in _SEPARATORS:
            values = values.replace(sep, " ")
        values = values.split()
    return list(dict.fromkeys(str(v).strip() for v in values if str(v).strip()))


def _require_tenant(session: Session) -> None:
    if tenant_of(session) is None:
        raise ValueError("knowledge-base synonyms are used in a tenant-scoped session")


def validate(term: str, alternatives: list[str]) -> list[Finding]:
    """Every problem with an entry, each at its field."""
    findings = []
    if not term:
        findings.append(Finding("/term", "error", "a synonym needs the word callers say", "required"))
    elif len(term) > MAX_LENGTH:
        findings.append(Finding("/term", "error", f"a word has at most {MAX_LENGTH} characters", "length"))
    elif not kb_text.words(term):
        findings.append(Finding("/term", "error", "the word is only punctuation or a function word (的, 了…)",
                                "searchable"))
    if not alternatives:
        findings.append(Finding("/alternatives", "error", "name at least one word the articles use", "required"))
    elif len(alternatives) > MAX_ALTERNATIVES:
        findings.append(Finding("/alternatives", "error", f"at most {MAX_ALTERNATIVES} alternatives", "length"))
    for i, alt in enumerate(alternatives[:MAX_ALTERNATIVES]):
        if len(alt) > MAX_LENGTH:
            findings.append(Finding(f"/alternatives/{i}", "error",
                                    f"a word has at most {MAX_LENGTH} characters", "length"))
    return findings


def save(session: Session, term: str, alternatives: str | Iterable[str], actor: str) -> KbSynonym:
    """Creates or replaces the entry for `term`; InvalidDocument lists every bad field."""
    _require_tenant(session)
    term = kb_text.normalize(term).strip()
    alts = [kb_text.normalize(a) for a in split(alternatives)]
    findings = validate(term, alts)
    entry = session.scalar(select(KbSynonym).where(KbSynonym.term == term))
    if entry is None and session.query(KbSynonym).count() >= MAX_SYNONYMS:
        findings.append(Finding("", "error", f"a tenant has at most {MAX_SYNONYMS} synonyms", "count"))
    if findings:
        raise InvalidDocument("the synonym is not valid", findings)
    if entry is None:
        entry = KbSynonym(term=term)
        session.add(entry)
    entry.alternatives = alts
    session.flush()
    audit.record(session, actor, "kb_synonym.save", "kb_synonym", term, {"alternatives": alts})
    return entry


def delete(session: Session, term: str, actor: str) -> None:
    _require_tenant(session)
    entry = session.scalar(select(KbSynonym).where(KbSynonym.term == kb_text.normalize(term).strip()))
    if entry is None:
        raise NotFound(f"no synonym for {term!r}")
    session.delete(entry)
    session.flush()
    audit.record(session, actor, "kb_synonym.delete", "kb_synonym", entry.term, {})


def all_entries(session: Session) -> list[KbSynonym]:
    _require_tenant(session)
    return list(session.scalars(select(KbSynonym).order_by(KbSynonym.term)))


def expansions(session: Session, question: str) -> list[tuple[str, list[str]]]:
    """The entries whose word occurs in the (normalised) question, with their alternatives."""
    normalized = kb_text.normalize(question)
    return [(e.term, list(e.alternatives or [])) for e in all_entries(session) if e.term in normalized]
