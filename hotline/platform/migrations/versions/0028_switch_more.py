"""Real switch fidelity, second round (issue 12).

A placeholder so that parallel work keeps one linear migration chain; the area's work fills it in.

Revision ID: 0028
Revises: 0027
"""

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
