"""`INSERT … ON CONFLICT DO NOTHING` on either database: the one-statement idempotent insert."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from models.base import Base


async def insert_unless_present(
    session: AsyncSession, model: type[Base], values: dict[str, Any], *, unique: list[str]
) -> int | None:
    """Insert a row unless one with the same `unique` columns exists; the new id, or None.

    One statement, so two processes inserting the same key at once cannot both succeed.
    """
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(model)
        .values(**values)
        .on_conflict_do_nothing(index_elements=unique)
        .returning(model.id)  # type: ignore[attr-defined]
    )
    return (await session.execute(statement)).scalar_one_or_none()
