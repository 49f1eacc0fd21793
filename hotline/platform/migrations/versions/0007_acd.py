"""Full ACD: queue strategies, overflow chains, wrap-up and per-tenant caps on shared agents (issue 6).

Reviewed by hand after autogenerate. Empty until its area adds columns; kept so the chain stays linear.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
