"""Seed flow fixes, second round (issue 11).

A placeholder so that parallel work keeps one linear migration chain; the area's work fills it in.

Revision ID: 0027
Revises: 0026
"""

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
