"""Designer layout and UX (issue 16).

A placeholder so that parallel work keeps one linear migration chain; the area's work fills it in.

Revision ID: 0026
Revises: 0025
"""

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
