"""Outbound: preview, callbacks, answers as tickets (issue 13).

A placeholder so that parallel work keeps one linear migration chain; the area's work fills it in.

Revision ID: 0024
Revises: 0023
"""

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
