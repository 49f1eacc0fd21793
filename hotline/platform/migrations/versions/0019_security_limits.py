"""Security limits (issue 10): message provider secrets sealed at rest.

Seals every plain-text `message_provider.secret` with the key derived from the app's secret key
(platform/secret_box.py), handed in by schema_migrations as `secrets`. A process migrating without a
secret key leaves the rows as they are: they are still read (a value without the `fernet:` prefix is plain)
and sealed at their next save. Deployments set HOTLINE_WEB_SECRET_KEY for every command, migrations included.

Revision ID: 0019
Revises: 0018
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

_rows = sa.table("message_provider", sa.column("id", sa.Integer), sa.column("secret", sa.Text))


def _rewrite(change) -> None:  # type: ignore[no-untyped-def]
    box = op.get_context().config.attributes.get("secrets") if op.get_context().config else None
    if box is None:
        return
    bind = op.get_bind()
    for row_id, secret in bind.execute(sa.select(_rows.c.id, _rows.c.secret)).all():
        new = change(box, secret)
        if new != secret:
            bind.execute(sa.update(_rows).where(_rows.c.id == row_id).values(secret=new))


def upgrade() -> None:
    from hotline.platform.secret_box import is_sealed

    _rewrite(lambda box, secret: box.seal(secret) if secret and not is_sealed(secret) else secret)


def downgrade() -> None:
    _rewrite(lambda box, secret: box.open(secret))
