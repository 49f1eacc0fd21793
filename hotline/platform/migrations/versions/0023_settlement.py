"""Vendors, contracts and settlement (issue 15).

A placeholder so that parallel work keeps one linear migration chain; the area's work fills it in.

Revision ID: 0023
Revises: 0022
"""

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
