"""Opening the configured database for a command, with the schema check in front."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.settings import Settings
from models.db import make_engine, make_sessionmaker
from models.schema import require_current_schema


@dataclass(frozen=True, slots=True)
class Database:
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]


@asynccontextmanager
async def open_database(
    settings: Settings, *, check_schema: bool = True
) -> AsyncIterator[Database]:
    """Engine and session factory for one command; refuses an un-migrated database.

    The SQLite file's folder is created on demand, so the embedded default needs no setup.
    """
    url = settings.effective_database_url
    if url.startswith("sqlite") and settings.database_url is None:
        settings.home.mkdir(parents=True, exist_ok=True)
    engine = make_engine(url)
    try:
        if check_schema:
            await require_current_schema(engine)
        yield Database(engine=engine, sessions=make_sessionmaker(engine))
    finally:
        await engine.dispose()
