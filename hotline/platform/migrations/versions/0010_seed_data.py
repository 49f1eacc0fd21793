"""Seeds' data (issue 11, items 9-11): knowledge-base full-text search, data tables, message providers.

A placeholder so that parallel work keeps one linear migration chain; the area's work fills it in.

Revision ID: 0010
Revises: 0009
"""

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
