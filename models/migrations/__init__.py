"""Alembic migrations shipped inside the package (`whistle db upgrade`)."""
