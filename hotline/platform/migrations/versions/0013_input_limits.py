"""Input limits and validator bounds (issue 10).

A placeholder so that parallel work keeps one linear migration chain; the area's work fills it in.

Revision ID: 0013
Revises: 0012
"""

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
