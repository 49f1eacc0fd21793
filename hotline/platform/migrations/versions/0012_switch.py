"""Real switch (issue 12): prompt audio, call-record truth (hangup cause, timings).

A placeholder so that parallel work keeps one linear migration chain; the area's work fills it in.

Revision ID: 0012
Revises: 0011
"""

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
