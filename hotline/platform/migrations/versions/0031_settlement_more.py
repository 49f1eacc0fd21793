"""Schedules and settlement, third round (issue 15).

A placeholder so that parallel work keeps one linear migration chain; the area's work fills it in.

Revision ID: 0031
Revises: 0030
"""

revision = "0031"
down_revision = "0030"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
