"""Designer usability (issue 16).

A placeholder so that parallel work keeps one linear migration chain; the area's work fills it in.

Revision ID: 0018
Revises: 0017
"""

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
