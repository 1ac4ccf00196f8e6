"""Migrations: stairway up/down, models equal migrations, pragmas, the not-ready check."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from models import schema
from models.db import make_engine
from models.tables import Base


def revisions() -> list[str]:
    script = ScriptDirectory.from_config(schema.alembic_config())
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


async def test_stairway_upgrade_downgrade_upgrade(database_url: str) -> None:
    """Every revision's downgrade undoes its upgrade, on this dialect."""
    engine = make_engine(database_url)
    try:
        previous = "base"
        for revision in revisions():
            await schema.upgrade(engine, revision)
            await schema.downgrade(engine, previous)
            await schema.upgrade(engine, revision)
            previous = revision
        assert (await schema.inspect_schema(engine)).status is schema.SchemaStatus.CURRENT
    finally:
        await engine.dispose()


async def test_migrations_produce_exactly_the_models(migrated_url: str) -> None:
    """A model change without a migration (or the reverse) fails here."""
    engine = make_engine(migrated_url)
    try:
        async with engine.connect() as connection:
            diff = await connection.run_sync(
                lambda sync: compare_metadata(MigrationContext.configure(sync), Base.metadata)
            )
    finally:
        await engine.dispose()
    assert diff == []


async def test_schema_check_says_missing_then_outdated_then_current(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        with pytest.raises(schema.SchemaNotReadyError) as missing:
            await schema.require_current_schema(engine)
        assert missing.value.state.status is schema.SchemaStatus.MISSING
        await schema.upgrade(engine)
        await schema.require_current_schema(engine)
        async with engine.begin() as connection:
            await connection.execute(text("UPDATE alembic_version SET version_num = 'ffff0000'"))
        state = await schema.inspect_schema(engine)
        assert state.status is schema.SchemaStatus.UNKNOWN
        assert state.database_revision == "ffff0000"
    finally:
        await engine.dispose()


async def test_outdated_schema_is_reported(database_url: str) -> None:
    if len(revisions()) < 2:
        pytest.skip("only one migration so far: no older revision to stand on")
    engine = make_engine(database_url)
    try:
        await schema.upgrade(engine, revisions()[-2])
        state = await schema.inspect_schema(engine)
        assert state.status is schema.SchemaStatus.OUTDATED
    finally:
        await engine.dispose()


async def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'w.db'}")
    try:
        async with engine.connect() as connection:
            assert (await connection.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
            assert (await connection.execute(text("PRAGMA foreign_keys"))).scalar() == 1
    finally:
        await engine.dispose()
