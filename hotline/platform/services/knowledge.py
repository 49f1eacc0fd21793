"""The knowledge base: a tenant's FAQ articles, kept by admins and analysts, searched by agents during a call.

Search is full-text search over words, ranked by the database: Chinese has no spaces between words, so the
application cuts articles and questions into words the same way (kb_text.py, the jieba segmenter) and the
database indexes and ranks those words — PostgreSQL a weighted `tsvector` with a GIN index and `ts_rank`,
SQLite an FTS5 table and `bm25` (../kb_index.py keeps the index in step with the articles). A word in the
title counts more than one in the tags, which counts more than one in the body.

A question is read two ways:

* one run of text — the caller's whole question "我的快递丢了怎么赔偿" — matches an article sharing any of
  its words, ranked by how many and how rare; words found in most of the tenant's articles ("快递" in an
  express company's knowledge base) are its common words and count for nothing;
* space-separated terms ("锂电池 航空") must each occur (in any of their words).

The tenant's synonyms (kb_synonyms.py) add what the articles say for what callers say: "丢了" also searches
丢失 and 遗失.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import kb_index
from ..findings import Finding
from ..models import Article
from ..scoping import tenant_of
from . import audit, kb_synonyms, kb_text
from . import kb_search_sql as _sql
from .errors import InvalidDocument, NotFound

MAX_TITLE = 300
MAX_BODY = 20_000
MAX_TAGS = 20
SNIPPET = 80
#: From this many articles on, words in more than half of them are the knowledge base's common words.
COMMON_FROM = 4
_postgres, _sqlite = _sql.Postgres(), _sql.Sqlite()


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


normalize = kb_text.normalize


def terms(query: str) -> list[str]:
    """The query's space-separated terms, normalised, without repeats."""
    return list(dict.fromkeys(t for t in normalize(query).split() if t))


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
    limit = max(1, min(int(limit), 100))
    query = (query or "")[:kb_text.MAX_QUERY_CHARS]
    groups = _groups(session, query)
    if not groups:
        return []
    kb_index.index_missing(session, tenant_of(session))
    backend = _postgres if session.get_bind().dialect.name == "postgresql" else _sqlite
    every = len(terms(query)) > 1
    count = session.scalar(select(func.count()).select_from(Article)) or 0
    frequencies = [backend.frequency(session, group) for group in groups]
    if not every and count >= COMMON_FROM:  # the knowledge base's common words are no evidence
        kept = [i for i, f in enumerate(frequencies) if f <= count / 2]
        groups, frequencies = [groups[i] for i in kept], [frequencies[i] for i in kept]
    if not groups or (every and 0 in frequencies) or not any(frequencies):
        return []
    weights = [math.log(1 + count / f) if f else 0.0 for f in frequencies]
    ranked = backend.ranked(session, groups, weights, every=every, limit=limit)
    if not ranked:
        return []
    rows = {row.id: row for row in session.execute(
        select(Article.id, Article.title, Article.body, Article.tags).where(Article.id.in_([i for i, _ in ranked])))}
    needles = [word for group in groups for word in group]
    return [_hit(rows[i], normalize(rows[i].body), needles, score) for i, score in ranked if i in rows]


def _groups(session: Session, query: str) -> list[list[str]]:
    """One group of alternative words per space-separated term (one per word for a single run of text), each
    with the synonyms of what it says; at most kb_text.MAX_QUERY_WORDS words in all."""
    parts = terms(query)
    synonyms = kb_synonyms.expansions(session, query)
    groups: list[list[str]] = []
    if len(parts) == 1:
        groups = [[word] for word in kb_text.query_words(parts[0])]
        groups += [kb_text.query_words(" ".join(alts)) for _term, alts in synonyms]
    else:
        for part in parts:
            group = kb_text.query_words(part)
            group += [w for term, alts in synonyms if term in part for w in kb_text.query_words(" ".join(alts))]
            groups.append(group)
    budget, bounded = kb_text.MAX_QUERY_WORDS, []
    for group in groups:
        group = list(dict.fromkeys(group))[:budget]
        budget -= len(group)
        if group:
            bounded.append(group)
        elif len(parts) > 1:
            return []  # a required term has no searchable word (only punctuation or function words)
    return bounded


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
