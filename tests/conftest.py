"""Shared fixtures: a fresh database per test, on a SQLite file and on real PostgreSQL.

PostgreSQL runs when WHISTLE_TEST_POSTGRES_URL is set (`.ci/run` sets it); each test gets a
database of its own, created from that URL's server and dropped afterwards.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.catalog import catalog_from_content
from bot.settings import MODEL_FOLDER
from classifier import artifact
from classifier.catalog import Catalog
from classifier.engine import Classifier
from models import schema
from models.db import make_engine
from models.list_source import ListContent, load_list_source
from tests.support.home import Home

POSTGRES_ENV = "WHISTLE_TEST_POSTGRES_URL"
REPO_ROOT = Path(__file__).resolve().parent.parent
DEMO_COUNTY = REPO_ROOT / "data" / "county-demo"


async def _postgres_admin(url: str, statement: str) -> None:
    engine = make_engine(url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.execute(text(statement))
    finally:
        await engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database (no schema) on each dialect."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'whistle.db'}"
        return
    server = os.environ.get(POSTGRES_ENV)
    if not server:
        pytest.skip(f"{POSTGRES_ENV} is not set")
    name = f"whistle_test_{uuid4().hex[:16]}"
    asyncio.run(_postgres_admin(server, f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        asyncio.run(_postgres_admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def _upgrade(url: str) -> None:
    engine = make_engine(url)
    try:
        await schema.upgrade(engine)
    finally:
        await engine.dispose()


@pytest.fixture
def migrated_url(database_url: str) -> str:
    """A database at the current schema revision, still empty of data."""
    asyncio.run(_upgrade(database_url))
    return database_url


@pytest.fixture
def demo_county() -> Path:
    return DEMO_COUNTY


@pytest.fixture(scope="session")
def demo_catalog() -> Catalog:
    content = load_list_source(DEMO_COUNTY)
    assert isinstance(content, ListContent)
    return catalog_from_content(content, version_id=1)


@pytest.fixture(scope="session")
def trained(trained_home: Home) -> Classifier:
    """The classifier `whistle train` built for the demo county (list + shipped examples).

    Loaded from the trained home rather than trained a second time: training is the slowest
    thing the suite does, and the artifact round trip is itself part of what is tested.
    """
    classifier, _meta = artifact.load(trained_home.path / MODEL_FOLDER, current_list_hash=None)
    return classifier


@pytest.fixture(scope="session")
def trained_home(tmp_path_factory: pytest.TempPathFactory) -> Home:
    """Trained once per run through the real `whistle train`; copy it before changing it."""
    reuse = os.environ.get("WHISTLE_TEST_TRAINED_HOME")  # a developer's shortcut, never in CI
    if reuse:
        return Home(Path(reuse)).copy(tmp_path_factory.mktemp("reused") / "home")
    home = Home(tmp_path_factory.mktemp("home"))
    assert home.run("import-list", str(DEMO_COUNTY)).exit_code == 0
    result = home.run("train")
    assert result.exit_code == 0, result.output
    assert "模型已训练并保存" in result.stdout
    return home
