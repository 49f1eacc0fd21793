"""Report interval counters (issue 14).

A placeholder so that parallel work keeps one linear migration chain; the area's work fills it in.

Revision ID: 0025
Revises: 0024
"""

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
