"""Migration 0026 (issue 16): positions move out of IVR drafts into `document_layout` (pinned), and out of the
published versions' bodies; the downgrade puts them back into the drafts. Run on a SQLite file of its own; the
PostgreSQL side is covered by the schema comparison of test_migrations.py."""

from __future__ import annotations

import json

import sqlalchemy as sa

from hotline.platform import schema_migrations
from hotline.platform.db import Database

from .factories import tenant

BODY = {"title": "t", "start": "a", "nodes": {
    "a": {"type": "play", "prompt": {"text": "hi"}, "next": "b", "position": {"x": 10, "y": 20}},
    "b": {"type": "hangup", "position": {"x": 10.6, "y": "oops"}},
    "c": {"type": "hangup"},
}}


def _json(db: Database, sql: str) -> list:
    with db.engine.connect() as connection:
        return [json.loads(v) if isinstance(v, str) else v for (v,) in connection.execute(sa.text(sql))]


def test_positions_move_out_of_documents_and_back(tmp_path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'layout.sqlite3'}")
    schema_migrations.upgrade(db, "0025")
    with db.platform() as session:
        tenant_id = tenant(session).id
    with db.engine.begin() as connection:  # before 0026 bodies were stored as given: positions and all
        connection.execute(sa.text(
            "INSERT INTO document (tenant_id, kind, name, draft, draft_revision, draft_updated_at, draft_updated_by,"
            " created_at) VALUES (:t, 'ivr', 'old', :b, 1, '2026-01-01 00:00:00', 'test', '2026-01-01 00:00:00')"),
            {"t": tenant_id, "b": json.dumps(BODY)})
        doc_id = connection.execute(sa.text("SELECT id FROM document WHERE name = 'old'")).scalar_one()
        connection.execute(sa.text(
            "INSERT INTO document_version (tenant_id, document_id, number, body, author, note, published_at) "
            "VALUES (:t, :d, 1, :b, 'test', '', '2026-01-01 00:00:00')"),
            {"t": tenant_id, "d": doc_id, "b": json.dumps(BODY)})

    schema_migrations.upgrade(db)
    (draft,) = _json(db, "SELECT draft FROM document")
    (version,) = _json(db, "SELECT body FROM document_version")
    assert all("position" not in n for n in draft["nodes"].values())
    assert all("position" not in n for n in version["nodes"].values())
    assert draft["nodes"]["a"] == {"type": "play", "prompt": {"text": "hi"}, "next": "b"}
    (positions,) = _json(db, "SELECT positions FROM document_layout")
    assert positions == {"a": {"x": 10, "y": 20, "pinned": True}}  # b's was not a position: dropped

    schema_migrations.downgrade(db, "0025")
    (draft,) = _json(db, "SELECT draft FROM document")
    assert draft["nodes"]["a"]["position"] == {"x": 10, "y": 20}
    assert "position" not in draft["nodes"]["c"]
    with db.engine.connect() as connection:
        assert "document_layout" not in sa.inspect(connection).get_table_names()
    db.dispose()
