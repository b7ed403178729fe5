"""failed pages as articles (attempts, next attempt), per-feed politeness

Revision ID: 0002_failures
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

import vigie.store.models

revision = "0002_failures"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(
            sa.Column(
                "next_attempt_at", vigie.store.models.UTCDateTime(timezone=True), nullable=True
            )
        )
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.add_column(sa.Column("min_interval_minutes", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.drop_column("min_interval_minutes")
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_column("next_attempt_at")
        batch_op.drop_column("attempts")
