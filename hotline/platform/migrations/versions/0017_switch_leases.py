"""Runtime leases and agent states on the real switch (issue 12).

A placeholder so that parallel work keeps one linear migration chain; the area's work fills it in.

Revision ID: 0017
Revises: 0016
"""

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
