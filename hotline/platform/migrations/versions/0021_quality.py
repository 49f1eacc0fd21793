"""Recording, QA, schedules, settlement (issue 15).

A placeholder so that parallel work keeps one linear migration chain; the area's work fills it in.

Revision ID: 0021
Revises: 0020
"""

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
