"""views: indexes for the plugin's pages, and the table of `vigie eval` results

The alerts page pages by (publication, fact id), newest first, nulls last; the figures page reads
one measure by publication; a delivery-state filter starts from the deliveries. PostgreSQL gets
the exact sort order (its NULLs sort high); SQLite's NULLs sort low, so a plain index already
reads newest first, nulls last.

Revision ID: 0003_views
Revises: 0002_failures
"""

import sqlalchemy as sa
from alembic import op

import vigie.store.models

revision = "0003_views"
down_revision = "0002_failures"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "eval_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ran_at", vigie.store.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("corpus", sa.String(length=1000), nullable=False),
        sa.Column("precision", sa.Float(), nullable=False),
        sa.Column("recall", sa.Float(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_eval_runs_ran_at", "eval_runs", ["ran_at"])
    if op.get_bind().dialect.name == "postgresql":
        op.create_index(
            "ix_facts_published_id",
            "facts",
            [sa.text("published DESC NULLS LAST"), sa.text("id DESC")],
        )
        op.create_index(
            "ix_facts_measure_published",
            "facts",
            ["measure", sa.text("published DESC NULLS LAST"), sa.text("id DESC")],
        )
    else:
        op.create_index("ix_facts_published_id", "facts", ["published", "id"])
        op.create_index("ix_facts_measure_published", "facts", ["measure", "published", "id"])
    op.create_index("ix_articles_outlet", "articles", ["outlet"])
    # the article page: the facts it carried, the ones it repeated, its copies
    op.create_index("ix_facts_article_id", "facts", ["article_id"])
    op.create_index("ix_fact_mentions_article_id", "fact_mentions", ["article_id"])
    op.create_index("ix_articles_duplicate_of_id", "articles", ["duplicate_of_id"])
    op.create_index(
        "ix_deliveries_status_channel_alert", "deliveries", ["status", "channel", "alert_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_deliveries_status_channel_alert", table_name="deliveries")
    op.drop_index("ix_articles_duplicate_of_id", table_name="articles")
    op.drop_index("ix_fact_mentions_article_id", table_name="fact_mentions")
    op.drop_index("ix_facts_article_id", table_name="facts")
    op.drop_index("ix_articles_outlet", table_name="articles")
    op.drop_index("ix_facts_measure_published", table_name="facts")
    op.drop_index("ix_facts_published_id", table_name="facts")
    op.drop_index("ix_eval_runs_ran_at", table_name="eval_runs")
    op.drop_table("eval_runs")
