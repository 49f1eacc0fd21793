"""Keeps the knowledge base's full-text index in step with the articles, whoever writes them.

Articles are written by the knowledge-base pages, by template cloning and by imports; a hook on every flush
indexes what was added or changed and forgets what was deleted, in the same transaction, so no writer can
forget it. The words come from services/kb_text.py. On PostgreSQL they become `article.search_vector`,
weighted A (title), B (tags), C (body) for ts_rank; on SQLite they go into the FTS5 table `article_fts`
(rowid = article id, one column per part, weighted in bm25).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, event, inspect, text
from sqlalchemy.orm import Session

from .models import Article

_PG_UPDATE = text(
    "UPDATE article SET search_vector = setweight(to_tsvector('simple', :title), 'A')"
    " || setweight(to_tsvector('simple', :tags), 'B') || setweight(to_tsvector('simple', :body), 'C')"
    " WHERE id = :id")
_FTS_DELETE = text("DELETE FROM article_fts WHERE rowid = :id")
_FTS_INSERT = text("INSERT INTO article_fts (rowid, title, tags, body) VALUES (:id, :title, :tags, :body)")


def _parts(article: Article) -> dict[str, Any]:
    from .services import kb_text  # the segmenter loads its dictionary on import: only where it is needed

    return {"id": article.id, "title": kb_text.document(article.title or ""),
            "tags": kb_text.document(article.tags or []), "body": kb_text.document(article.body or "")}


def index(connection: Connection, articles: Iterable[Article]) -> None:
    """(Re)indexes articles that have ids."""
    rows = [_parts(a) for a in articles]
    if not rows:
        return
    if connection.dialect.name == "postgresql":
        connection.execute(_PG_UPDATE, rows)
    else:
        connection.execute(_FTS_DELETE, [{"id": r["id"]} for r in rows])
        connection.execute(_FTS_INSERT, rows)


def forget(connection: Connection, article_ids: Iterable[int]) -> None:
    ids = [{"id": i} for i in article_ids]
    if ids and connection.dialect.name != "postgresql":  # PostgreSQL's vector goes with the row
        connection.execute(_FTS_DELETE, ids)


_PG_MISSING = text("SELECT id FROM article WHERE tenant_id = :tenant AND search_vector IS NULL LIMIT :limit")
_FTS_MISSING = text("SELECT article.id FROM article LEFT JOIN article_fts ON article_fts.rowid = article.id"
                    " WHERE article.tenant_id = :tenant AND article_fts.rowid IS NULL LIMIT :limit")


def index_missing(session: Session, tenant_id: int, limit: int = 5000) -> int:
    """Indexes the tenant's articles that have no index entry yet — those written before migration 0010, or
    by raw SQL — so the search heals itself instead of silently missing them. One cheap query when none is."""
    connection = session.connection()
    missing = _PG_MISSING if connection.dialect.name == "postgresql" else _FTS_MISSING
    ids = [row[0] for row in connection.execute(missing, {"tenant": tenant_id, "limit": limit})]
    if ids:
        index(connection, session.query(Article).filter(Article.id.in_(ids)).all())
    return len(ids)


def reindex(session: Session) -> int:
    """Indexes every article the session sees (a tenant's, or all in a platform session); returns how many."""
    articles = list(session.query(Article))
    index(session.connection(), articles)
    return len(articles)


_TEXT_ATTRIBUTES = ("title", "body", "tags")


def register() -> None:
    """Installs the flush hook on every Session (once; the Database does it when it is built)."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)


def _after_flush(session: Session, _context: Any) -> None:
    changed = [o for o in session.new if isinstance(o, Article)]
    changed += [o for o in session.dirty if isinstance(o, Article)
                and any(_attribute_changed(o, name) for name in _TEXT_ATTRIBUTES)]
    deleted = [o.id for o in session.deleted if isinstance(o, Article)]
    if changed:
        index(session.connection(), changed)
    if deleted:
        forget(session.connection(), deleted)


def _attribute_changed(article: Article, name: str) -> bool:
    return inspect(article).attrs[name].history.has_changes()
