"""Dispatch rule firings, SLA clock events and callbacks (issue 6).

Reviewed by hand after autogenerate. Empty until its area adds tables; kept so the chain stays linear.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
