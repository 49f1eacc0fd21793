"""Outbound campaigns and the dialer (issue 13).

A placeholder so that parallel work keeps one linear migration chain; the area's work fills it in.

Revision ID: 0016
Revises: 0015
"""

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
