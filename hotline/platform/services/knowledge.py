"""The knowledge base: a tenant's FAQ articles, kept by admins and analysts, searched by agents during a call.

Chinese questions have no spaces between words, so a query cannot be split into words the way English is.
Matching is therefore on normalised text (NFKC, lower case) in two passes:

1. every space-separated term occurs in the article (title, tags or body) as a substring — "锂电池 航空"
   finds the article naming both;
2. when nothing matches every term, each term longer than two characters is cut into overlapping character
   pairs (bigrams) and articles are ranked by how many of them they contain — an agent typing the caller's
   whole question "寄锂电池要注意什么" still finds the article titled "锂电池寄递规定", which shares "锂电"
   and "电池" with it. At least two pairs must occur, and pairs found in most articles (the knowledge base's
   common words, "快递", "什么") count for nothing, so filler in a spoken question does not match by itself.

A hit in the title counts more than one in the tags, which counts more than one in the body. A tenant's
knowledge base is hundreds to a few thousand short articles, so the ranking runs over the tenant's articles in
Python (the same on SQLite and PostgreSQL) rather than through a full-text engine that cannot cut Chinese.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..findings import Finding
from ..models import Article
from ..scoping import tenant_of
from . import audit
from .errors import InvalidDocument, NotFound

MAX_TITLE = 300
MAX_BODY = 20_000
MAX_TAGS = 20
#: Character pairs an article must share with the query to match in the second pass.
MIN_PAIRS = 2
_WEIGHTS = (("title", 3.0), ("tags", 2.0), ("body", 1.0))
SNIPPET = 80


@dataclass(frozen=True, slots=True)
class ArticleHit:
    """One search result: the article, its score and a snippet of the body around the first hit."""

    id: int
    title: str
    tags: list[str]
    snippet: str
    score: float

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "tags": self.tags, "snippet": self.snippet,
                "score": round(self.score, 3)}


def normalize(text: str) -> str:
    """NFKC (full-width letters and digits to half-width) and lower case; spaces kept as term separators."""
    return unicodedata.normalize("NFKC", text or "").lower()


def terms(query: str) -> list[str]:
    """The query's space-separated terms, normalised, without repeats."""
    return list(dict.fromkeys(t for t in normalize(query).split() if t))


def _bigrams(term: str) -> list[str]:
    """Overlapping character pairs, without those of only ASCII letters and digits: "15" or "of" shared with an
    article is chance, not evidence (Latin words and numbers are matched whole in the first pass)."""
    return list(dict.fromkeys(pair for i in range(len(term) - 1) if not (pair := term[i:i + 2]).isascii()))


def _require_tenant(session: Session) -> None:
    if tenant_of(session) is None:
        raise ValueError("the knowledge base is used in a tenant-scoped session")


def clean_tags(tags: str | Iterable[str]) -> list[str]:
    """Tags from a list or from text separated by commas, semicolons, 、 or spaces (either width)."""
    if isinstance(tags, str):
        for sep in ",，;；、":
            tags = tags.replace(sep, " ")
        tags = tags.split()
    return list(dict.fromkeys(str(t).strip()[:50] for t in tags if str(t).strip()))


def _check(title: str, body: str, tags: list[str]) -> tuple[str, str]:
    findings: list[Finding] = []
    title, body = (title or "").strip(), (body or "").strip()
    if not title:
        findings.append(Finding("/title", "error", "an article needs a title", "required"))
    elif len(title) > MAX_TITLE:
        findings.append(Finding("/title", "error", f"a title has at most {MAX_TITLE} characters", "length"))
    if not body:
        findings.append(Finding("/body", "error", "an article needs a text", "required"))
    elif len(body) > MAX_BODY:
        findings.append(Finding("/body", "error", f"an article has at most {MAX_BODY} characters", "length"))
    if len(tags) > MAX_TAGS:
        findings.append(Finding("/tags", "error", f"at most {MAX_TAGS} tags", "length"))
    if findings:
        raise InvalidDocument("the article is not valid", findings)
    return title, body


def get(session: Session, article_id: int) -> Article:
    _require_tenant(session)
    article = session.get(Article, article_id)
    if article is None:
        raise NotFound(f"article #{article_id} not found")
    return article


def save(session: Session, *, article_id: int | None = None, title: str, body: str,
         tags: str | Iterable[str] = (), actor: str) -> Article:
    """Creates (article_id None) or replaces an article; InvalidDocument lists every bad field."""
    _require_tenant(session)
    tag_list = clean_tags(tags)
    title, body = _check(title, body, tag_list)
    article = Article() if article_id is None else get(session, article_id)
    article.title, article.body, article.tags = title, body, tag_list
    if article_id is None:
        session.add(article)
    session.flush()
    audit.record(session, actor, "article.create" if article_id is None else "article.update", "article",
                 str(article.id), {"title": title})
    return article


def delete(session: Session, article_id: int, actor: str) -> None:
    article = get(session, article_id)
    session.delete(article)
    session.flush()
    audit.record(session, actor, "article.delete", "article", str(article_id), {"title": article.title})


def all_articles(session: Session) -> list[Article]:
    _require_tenant(session)
    return list(session.scalars(select(Article).order_by(Article.updated_at.desc(), Article.id.desc())))


def search(session: Session, query: str, *, limit: int = 10) -> list[ArticleHit]:
    """Articles matching the query, best first (see the module docstring); [] for an empty query."""
    _require_tenant(session)
    wanted = terms(query)
    if not wanted:
        return []
    rows = session.execute(select(Article.id, Article.title, Article.body, Article.tags)).all()
    prepared = [(row, {"title": normalize(row.title), "tags": normalize(" ".join(map(str, row.tags or []))),
                       "body": normalize(row.body)}) for row in rows]
    hits = _every_term(prepared, wanted) or _bigram_pass(prepared, wanted)
    hits.sort(key=lambda hit: (-hit.score, hit.id))
    return hits[:limit]


def _every_term(prepared: list[tuple[Any, dict[str, str]]], wanted: list[str]) -> list[ArticleHit]:
    hits = []
    for row, text in prepared:
        score = 0.0
        for term in wanted:
            term_score = sum(weight for part, weight in _WEIGHTS if term in text[part])
            if not term_score:
                break
            score += term_score
        else:
            hits.append(_hit(row, text["body"], wanted, score))
    return hits


def _bigram_pass(prepared: list[tuple[Any, dict[str, str]]], wanted: list[str]) -> list[ArticleHit]:
    """Articles sharing at least `MIN_PAIRS` character pairs with the query's longer terms, ranked by the pairs'
    rarity: a pair in many articles ("什么", "快递") says little, one in few ("锂电") says much."""
    pairs = list(dict.fromkeys(p for term in wanted if len(term) > 2 for p in _bigrams(term)))
    if not pairs:
        return []
    texts = [(row, text, " ".join(text.values())) for row, text in prepared]
    frequency = {p: sum(1 for _r, _t, whole in texts if p in whole) for p in pairs}
    count = len(texts)
    # pairs in more than half of a knowledge base of some size are its common words, not evidence
    useful = [p for p in pairs if frequency[p] and (count < 4 or frequency[p] <= count / 2)]
    rarity = {p: math.log(1 + count / frequency[p]) for p in useful}
    needed = min(MIN_PAIRS, len(useful))
    hits = []
    for row, text, whole in texts:
        present = [p for p in useful if p in whole]
        if not present or len(present) < needed:
            continue
        score = sum(rarity[p] * max(weight for part, weight in _WEIGHTS if p in text[part]) for p in present)
        hits.append(_hit(row, text["body"], present, score / len(pairs)))
    return hits


def _hit(row: Any, body_norm: str, needles: list[str], score: float) -> ArticleHit:
    positions = [pos for needle in needles if (pos := body_norm.find(needle)) >= 0]
    start = max(0, min(positions) - SNIPPET // 4) if positions else 0
    # NFKC keeps the length of CJK and ASCII text, so positions carry over to the stored body (a ligature or
    # a circled digit shifts the snippet by a character, which a snippet can afford)
    snippet = row.body[start:start + SNIPPET]
    if start > 0:
        snippet = "…" + snippet
    if start + SNIPPET < len(row.body):
        snippet += "…"
    return ArticleHit(row.id, row.title, list(row.tags or []), snippet, score)
