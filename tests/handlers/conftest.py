"""Handler tests: the console session on a real SQLite file with the demo county loaded."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.channels.console.session import ConsoleSession
from classifier.engine import Classifier
from tests.support.console import console_session


@pytest.fixture
async def chat(tmp_path: Path, trained: Classifier) -> AsyncIterator[ConsoleSession]:
    async with console_session(f"sqlite+aiosqlite:///{tmp_path / 'whistle.db'}", trained) as s:
        yield s


@pytest.fixture
async def chat_anywhere(database_url: str, trained: Classifier) -> AsyncIterator[ConsoleSession]:
    """The same harness on each database: SQLite, and PostgreSQL when configured."""
    async with console_session(database_url, trained) as s:
        yield s
