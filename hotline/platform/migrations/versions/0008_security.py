"""Security (issue 10): server-side sessions, invitations, login throttling, per-tenant prompt storage.

A placeholder so that parallel work keeps one linear migration chain; the area's work fills it in.

Revision ID: 0008
Revises: 0007
"""

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
