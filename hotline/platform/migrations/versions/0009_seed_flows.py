"""Seeds' flows (issue 11, items 1-8): directory kinds and channels, response definitions, test-call marks.

A placeholder so that parallel work keeps one linear migration chain; the area's work fills it in.

Revision ID: 0009
Revises: 0008
"""

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
