"""Seed flow fixes (issue 11).

A placeholder so that parallel work keeps one linear migration chain; the area's work fills it in.

Revision ID: 0020
Revises: 0019
"""

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
