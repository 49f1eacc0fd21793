"""The two databases' full-text queries for the knowledge base: PostgreSQL tsquery/ts_rank, SQLite FTS5/bm25.

A search expression is a list of groups of words: every group must match, by any one of its words. Words
are letters and digits only (kb_text.words), so they need no quoting beyond the syntax's own. These queries
are textual SQL, which the tenant session does not scope: each names the tenant explicitly.
(On SQLite, bm25's word rarity is taken over the FTS table, i.e. over all tenants' articles: it shifts ranks a
little, never which articles a tenant sees.)
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from ..scoping import tenant_of

Expression = list[list[str]]


def _tenant(session: Session) -> int:
    tenant_id = tenant_of(session)
    if tenant_id is None:
        raise ValueError("the knowledge base is searched in a tenant-scoped session")
    return tenant_id


def _flat(groups: Expression) -> list[str]:
    return [word for group in groups for word in group]


class Postgres:
    """`search_vector @@ to_tsquery('simple', …)`, ranked by ts_rank with the A/B/C weights of title/tags/body."""

    @staticmethod
    def tsquery(expression: Expression) -> str:
        return " & ".join("(" + " | ".join(group) + ")" for group in expression)

    def ranked(self, session: Session, groups: Expression, weights: list[float], *, every: bool,
               limit: int) -> list[tuple[int, float]]:
        """ts_rank knows no word rarity, so the rank is the sum of each group's ts_rank times its weight (the
        caller's rarity of the group), which makes a rare word outweigh a common one as bm25 does."""
        params: dict[str, object] = {"tenant": _tenant(session), "limit": limit,
                                     "q": self.tsquery(groups) if every else self.tsquery([_flat(groups)])}
        terms = []
        for i, (group, weight) in enumerate(zip(groups, weights, strict=True)):
            params[f"q{i}"], params[f"w{i}"] = self.tsquery([group]), weight
            terms.append(f"ts_rank(search_vector, to_tsquery('simple', :q{i})) * :w{i}")
        rows = session.execute(text(
            f"SELECT id, {' + '.join(terms)} AS rank FROM article"
            " WHERE tenant_id = :tenant AND search_vector @@ to_tsquery('simple', :q)"
            " ORDER BY rank DESC, id LIMIT :limit"), params)
        return [(row.id, float(row.rank)) for row in rows]

    def frequency(self, session: Session, group: list[str]) -> int:
        return session.scalar(text(
            "SELECT count(*) FROM article WHERE tenant_id = :tenant AND search_vector @@ to_tsquery('simple', :q)"),
            {"q": self.tsquery([group]), "tenant": _tenant(session)}) or 0


class Sqlite:
    """`article_fts MATCH …`, ranked by bm25 with column weights 3 (title), 2 (tags), 1 (body)."""

    @staticmethod
    def match(expression: Expression) -> str:
        return " AND ".join("(" + " OR ".join(f'"{word}"' for word in group) + ")" for group in expression)

    def ranked(self, session: Session, groups: Expression, weights: list[float], *, every: bool,
               limit: int) -> list[tuple[int, float]]:
        """bm25 weighs words by rarity itself; `weights` are not needed here."""
        rows = session.execute(text(
            "SELECT article.id AS id, bm25(article_fts, 3.0, 2.0, 1.0) AS rank FROM article_fts"
            " JOIN article ON article.id = article_fts.rowid"
            " WHERE article_fts MATCH :q AND article.tenant_id = :tenant ORDER BY rank, article.id LIMIT :limit"),
            {"q": self.match(groups if every else [_flat(groups)]), "tenant": _tenant(session), "limit": limit})
        return [(row.id, -float(row.rank)) for row in rows]  # bm25 is lower for better matches

    def frequency(self, session: Session, group: list[str]) -> int:
        return session.scalar(text(
            "SELECT count(*) FROM article_fts JOIN article ON article.id = article_fts.rowid"
            " WHERE article_fts MATCH :q AND article.tenant_id = :tenant"),
            {"q": self.match([group]), "tenant": _tenant(session)}) or 0
