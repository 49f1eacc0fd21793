"""Operations (issue 11, items 12-18): ACD settings in the admin, test calls apart.

A placeholder so that parallel work keeps one linear migration chain; the area's work fills it in.

Revision ID: 0011
Revises: 0010
"""

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
