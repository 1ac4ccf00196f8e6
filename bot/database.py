"""Opening the configured database for a command, with the schema check in front."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.settings import Settings
from models import schema
from models.db import make_engine, make_sessionmaker

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Database:
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    created: bool  # the schema was created just now (embedded default only)


@asynccontextmanager
async def open_database(
    settings: Settings, *, check_schema: bool = True
) -> AsyncIterator[Database]:
    """Engine and session factory for one command; refuses a database not at our revision.

    The embedded default (a SQLite file under WHISTLE_HOME, no WHISTLE_DATABASE_URL) is ours
    alone, so a brand-new one gets its schema on first use: the first command just works. A
    configured database is never changed without `whistle db upgrade`, and an outdated schema
    is never migrated as a side effect, whatever the database.
    """
    url = settings.effective_database_url
    embedded = settings.database_url is None
    if embedded:
        settings.home.mkdir(parents=True, exist_ok=True)
    engine = make_engine(url)
    created = False
    try:
        if check_schema:
            state = await schema.inspect_schema(engine)
            if embedded and state.status is schema.SchemaStatus.MISSING:
                await schema.upgrade(engine)
                created = True
                log.info("created the embedded database schema at %s", url)
            elif state.status is not schema.SchemaStatus.CURRENT:
                raise schema.SchemaNotReadyError(state)
        yield Database(engine=engine, sessions=make_sessionmaker(engine), created=created)
    finally:
        await engine.dispose()
