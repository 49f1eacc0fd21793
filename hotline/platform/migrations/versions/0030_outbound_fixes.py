"""Outbound, third round (issue 13).

A placeholder so that parallel work keeps one linear migration chain; the area's work fills it in.

Revision ID: 0030
Revises: 0029
"""

revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
