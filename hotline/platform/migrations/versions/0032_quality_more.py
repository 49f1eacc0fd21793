"""Recording and quality assurance, third round (issue 15).

A placeholder so that parallel work keeps one linear migration chain; the area's work fills it in.

Revision ID: 0032
Revises: 0031
"""

revision = "0032"
down_revision = "0031"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
