"""Schedules and attendance (issue 15).

A placeholder so that parallel work keeps one linear migration chain; the area's work fills it in.

Revision ID: 0022
Revises: 0021
"""

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
