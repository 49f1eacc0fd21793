"""Provider secrets at rest (platform/secret_box.py, migration 0019): sealed with a key derived from the app's
secret key, never stored or shown in plain text, opened only with the same key."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from hotline.platform import schema_migrations
from hotline.platform.db import Database
from hotline.platform.secret_box import SecretBox, SecretUnreadable, is_sealed
from tests.platform import factories

KEY = "a-secret-key-of-more-than-32-bytes-0123456789"


def test_a_sealed_secret_opens_only_with_the_same_key() -> None:
    box = SecretBox(KEY)
    sealed = box.seal("Bearer sk-live-0123456789")
    assert is_sealed(sealed) and "sk-live" not in sealed and sealed != box.seal("Bearer sk-live-0123456789")
    assert box.open(sealed) == "Bearer sk-live-0123456789"
    assert box.open("plain from before") == "plain from before"
    with pytest.raises(SecretUnreadable, match="another secret key"):
        SecretBox(KEY + "x").open(sealed)



@pytest.mark.postgres
def test_migration_0019_seals_the_plain_secrets_already_stored(postgres_database: Database) -> None:
    db = postgres_database
    with db.platform() as session:
        tenant_id = factories.tenant(session, "mig").id
    schema_migrations.downgrade(db, "0018")  # the rows as they were before
    try:
        with db.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO message_provider (tenant_id, name, channel, kind, active, settings, secret) "
                "VALUES (:t, 'old', 'email', 'smtp', true, '{}', 'smtp-password-123')"), {"t": tenant_id})
    finally:
        schema_migrations.upgrade(db)
    with db.engine.connect() as connection:
        stored = connection.execute(text("SELECT secret FROM message_provider WHERE name = 'old'")).scalar()
    assert is_sealed(stored) and "smtp-password" not in stored
    assert db.secrets.open(stored) == "smtp-password-123"
