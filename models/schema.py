"""Schema migrations and the check every command runs before touching the database."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def alembic_config() -> Config:
    """Alembic configuration pointing at the migrations shipped in this package.

    Absolute paths, no alembic.ini: migrations work from any working directory and from an
    installed wheel.
    """
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:  # pragma: no cover - the package always ships migrations
        msg = "no migrations found in the package"
        raise RuntimeError(msg)
    return head


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    async with engine.begin() as connection:
        await connection.run_sync(_run, "upgrade", revision)


async def downgrade(engine: AsyncEngine, revision: str) -> None:
    async with engine.begin() as connection:
        await connection.run_sync(_run, "downgrade", revision)


def _run(connection: Connection, action: str, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    getattr(command, action)(config, revision)


class SchemaStatus(enum.StrEnum):
    MISSING = "missing"  # no Whistle tables at all
    OUTDATED = "outdated"  # an older revision than this program's
    UNKNOWN = "unknown"  # a revision this program does not know (a newer Whistle wrote it)
    CURRENT = "current"


@dataclass(frozen=True, slots=True)
class SchemaState:
    status: SchemaStatus
    database_revision: str | None
    code_revision: str


async def inspect_schema(engine: AsyncEngine) -> SchemaState:
    async with engine.connect() as connection:
        revision = await connection.run_sync(
            lambda sync: MigrationContext.configure(sync).get_current_revision()
        )
    head = head_revision()
    if revision is None:
        status = SchemaStatus.MISSING
    elif revision == head:
        status = SchemaStatus.CURRENT
    elif _is_known(revision):
        status = SchemaStatus.OUTDATED
    else:
        status = SchemaStatus.UNKNOWN
    return SchemaState(status=status, database_revision=revision, code_revision=head)


def _is_known(revision: str) -> bool:
    script = ScriptDirectory.from_config(alembic_config())
    return any(rev.revision == revision for rev in script.walk_revisions())


class SchemaNotReadyError(RuntimeError):
    """The database is not at this program's schema revision."""

    def __init__(self, state: SchemaState) -> None:
        self.state = state
        super().__init__(f"database schema is {state.status}: {state.database_revision}")


async def require_current_schema(engine: AsyncEngine) -> None:
    state = await inspect_schema(engine)
    if state.status is not SchemaStatus.CURRENT:
        raise SchemaNotReadyError(state)
