"""Reports (issue 14).

A placeholder so that parallel work keeps one linear migration chain; the area's work fills it in.

Revision ID: 0015
Revises: 0014
"""

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
