"""Coverage lookup: which directory entries (couriers, technicians, branches) serve a free-text address.

The seed's pickup and delivery process has the agent type an address keyword and pick the courier whose
coverage area (辖区) it falls in; the dispatch action `assign_by_coverage` does the same without an agent.
Chinese addresses have no word boundaries and arrive in every shape ("望京SOHO T1", "北京市朝阳区阜通东大街
6号", full-width digits, a mistyped character), so matching is done on normalised text in three tiers:

1. the area keyword occurs in the address (the address is inside the area) — the strongest evidence;
2. the typed text is a fragment of the keyword (the agent typed "望京SO" while still typing);
3. the keyword's character bigrams mostly occur in the address, or the keyword occurs with one inner
   character wrong, missing or extra (a typo).

Within a tier a longer keyword wins, because "朝阳区望京" says more than "望京". Each entry is scored by its
best keyword. The scores are comparable across calls (tier bands never overlap), so callers may apply
their own cut-off.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Directory, DirectoryEntry
from ..scoping import tenant_of
from .errors import NotFound

#: Minimum bigram overlap (shared bigrams / bigrams of the shorter text) for a fuzzy match. 0.6 keeps
#: "阜通东大道" → "阜通东大街" (3 of 4) and drops matches on a shared district alone ("朝阳区国贸" against
#: any 朝阳区 address shares 2 of 4).
BIGRAM_THRESHOLD = 0.6
#: Typed fragments shorter than this are not matched inside keywords: one character ("区") is in half of
#: every directory and would rank noise.
MIN_FRAGMENT = 2
#: Keywords shorter than this get no one-typo tolerance: in "三里屯" one changed character is another place.
MIN_EDIT_KEYWORD = 4

# Score bands, highest first; each tier stays strictly inside its band, so a weaker tier never outranks a
# stronger one whatever the keyword lengths.
_EXACT_FLOOR, _EXACT_SPAN = 0.8, 0.2  # [0.9, 1.0): grows with the keyword's length
_FRAGMENT_FLOOR, _FRAGMENT_SPAN = 0.5, 0.3  # (0.5, 0.8): grows with the share of the keyword typed
_BIGRAM_SPAN = 0.5  # [0.3, 0.5]: overlap ratio scaled


@dataclass(frozen=True, slots=True)
class CoverageMatch:
    """One covering entry and why: the best-matching area keyword (as stored) and its score in (0, 1]."""

    entry_id: int
    name: str
    phone: str
    branch: str
    area: str
    score: float
    #: The entry's kind (its own, else its directory's): courier, technician, branch ...
    kind: str = ""
    #: How it is reached ("sms", "voice"); empty for entries saved before channels existed.
    channels: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()


def normalize(text: str) -> str:
    """Comparable form of an address or keyword.

    NFKC folds full-width Latin letters, digits and spaces to half-width (agents' input methods produce
    both); lower-casing makes "SOHO" equal "soho"; dropping everything that is not a letter or digit removes
    spaces and punctuation of both widths, which carry no meaning for coverage ("望京 SOHO，T1").
    """
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).lower() if ch.isalnum())


def bigrams(text: str) -> frozenset[str]:
    """Overlapping two-character pieces: the unit of fuzzy matching for text without word boundaries.

    Pieces made only of ASCII letters and digits are left out: "SOHO", tower letters and room numbers are
    shared by unrelated buildings ("望京SOHO" / "建外SOHO"), so their overlap is noise, not evidence. Latin
    names still match exactly or as typed fragments.
    """
    return frozenset(piece for i in range(len(text) - 1) if not (piece := text[i:i + 2]).isascii())


@lru_cache(maxsize=200_000)
def _keyword(area: str) -> tuple[str, frozenset[str]]:
    """Normalised keyword and its bigrams, cached by the stored text.

    Directories change rarely and are queried on every pickup call, so a keyword is prepared once per
    process instead of once per query; keying by content needs no invalidation when an entry is edited.
    """
    norm = normalize(area)
    return norm, bigrams(norm)


def score_area(address: str, address_bigrams: frozenset[str], keyword: str, keyword_bigrams: frozenset[str]) -> float:
    """Score of one normalised keyword against one normalised address; 0.0 when it does not match.

    Bigram overlap is divided by the smaller bigram set: a long address contains much besides the area, and
    a short typed fragment covers only part of a long keyword; neither should dilute the evidence.
    """
    if not keyword:
        return 0.0
    if keyword in address:
        return _EXACT_FLOOR + _EXACT_SPAN * (1.0 - 1.0 / (len(keyword) + 1))
    if len(address) >= MIN_FRAGMENT and address in keyword:
        return _FRAGMENT_FLOOR + _FRAGMENT_SPAN * len(address) / len(keyword)
    if not keyword_bigrams or not address_bigrams or keyword_bigrams.isdisjoint(address_bigrams):
        return 0.0
    ratio = len(keyword_bigrams & address_bigrams) / min(len(keyword_bigrams), len(address_bigrams))
    if ratio < BIGRAM_THRESHOLD and len(keyword) >= MIN_EDIT_KEYWORD and _one_edit_inside(keyword, address):
        ratio = (len(keyword) - 1) / len(keyword)
    return _BIGRAM_SPAN * ratio if ratio >= BIGRAM_THRESHOLD else 0.0


def tier(score: float) -> int:
    """The evidence tier of a score: 3 the keyword is in the address, 2 a typed fragment, 1 fuzzy (typo)."""
    if score > _EXACT_FLOOR:
        return 3
    if score > _FRAGMENT_FLOOR:
        return 2
    return 1 if score > 0 else 0


def _one_edit_inside(keyword: str, address: str) -> bool:
    """Whether the address holds the keyword with one inner character wrong, missing or extra.

    One wrong character in the middle breaks two of the keyword's bigrams ("中关材大街" keeps 2 of 4), so
    bigram overlap alone misses the most common typo. Only inner positions are tried: a different first or
    last character usually names a neighbouring place ("望京西园" / "望京西里"), not a typo.
    """
    for i in range(1, len(keyword) - 1):
        head, tail = keyword[:i], keyword[i + 1:]
        if head + tail in address:  # a character missing
            return True
        pos = address.find(head)
        while pos != -1:
            after = pos + i  # the position where keyword[i] should be
            if after < len(address) and (address.startswith(tail, after + 1)  # a character wrong
                                          or address.startswith(keyword[i:], after + 1)):  # one extra
                return True
            pos = address.find(head, pos + 1)
    return False


def _texts(values: Any) -> tuple[str, ...]:
    """The strings of a JSON list column (hand-edited data may hold anything)."""
    return tuple(str(v) for v in values if isinstance(v, str)) if isinstance(values, list) else ()


def find_covering(session: Session, directory: str, address: str, *, limit: int | None = None) -> list[CoverageMatch]:
    """Active entries of the tenant's directory whose coverage areas match the address, best first.

    Ties (same score) go to the longer, more specific keyword, then to the older entry, so the order is
    stable between calls. Raises NotFound for a directory the tenant does not have and ValueError for an
    address with nothing to match (empty, spaces or punctuation only).
    """
    if tenant_of(session) is None:
        raise ValueError("coverage lookup needs a tenant-scoped session")
    wanted = normalize(address or "")
    if not wanted:
        raise ValueError("address is empty")
    found = session.execute(select(Directory.id, Directory.kind).where(Directory.name == directory)).first()
    if found is None:
        raise NotFound(f"directory {directory!r} not found")
    directory_id, directory_kind = found
    wanted_bigrams = bigrams(wanted)
    # Plain columns, not entities: thousands of rows without identity-map bookkeeping.
    rows = session.execute(
        select(DirectoryEntry.id, DirectoryEntry.name, DirectoryEntry.phone, DirectoryEntry.branch,
               DirectoryEntry.areas, DirectoryEntry.kind, DirectoryEntry.channels, DirectoryEntry.skills)
        .where(DirectoryEntry.directory_id == directory_id, DirectoryEntry.active.is_(True))
    ).all()
    ranked: list[tuple[float, int, int, CoverageMatch]] = []
    for entry_id, name, phone, branch, areas, kind, channels, skills in rows:
        best, best_len, best_area = 0.0, 0, ""
        for area in areas or ():
            if not isinstance(area, str):
                continue  # hand-edited data; a number or null is not a keyword
            keyword, keyword_bigrams = _keyword(area)
            # Fast rejection inline: almost every keyword of a large directory fails all three tests.
            if keyword_bigrams.isdisjoint(wanted_bigrams) and keyword not in wanted and wanted not in keyword:
                continue
            score = score_area(wanted, wanted_bigrams, keyword, keyword_bigrams)
            if score > best or (score == best and score > 0.0 and len(keyword) > best_len):
                best, best_len, best_area = score, len(keyword), area
        if best > 0.0:
            match = CoverageMatch(entry_id, name, phone, branch or "", best_area, round(best, 4),
                                  kind or directory_kind or "", _texts(channels), _texts(skills))
            ranked.append((-best, -best_len, entry_id, match))
    ranked.sort(key=lambda item: item[:3])
    matches = [item[3] for item in ranked]
    return matches if limit is None else matches[:limit]
