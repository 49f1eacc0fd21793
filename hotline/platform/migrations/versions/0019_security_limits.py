"""Security limits (issue 10).

A placeholder so that parallel work keeps one linear migration chain; the area's work fills it in.

Revision ID: 0019
Revises: 0018
"""

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
