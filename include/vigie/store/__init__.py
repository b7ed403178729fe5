"""The store: SQLAlchemy models, sessions and Alembic migrations (the hand-off between tasks)."""
