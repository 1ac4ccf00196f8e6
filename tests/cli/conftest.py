"""Running `whistle` in-process against a per-test database."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from typer.testing import CliRunner

from bot.cli import app

Whistle = Callable[..., Result]
WhistleFactory = Callable[[str], Whistle]


@pytest.fixture
def whistle(tmp_path: Path) -> WhistleFactory:
    """`whistle(url)(*args)` runs the CLI with WHISTLE_DATABASE_URL=url."""

    def bind(database_url: str) -> Whistle:
        def invoke(*args: str) -> Result:
            env = {"WHISTLE_DATABASE_URL": database_url, "WHISTLE_HOME": str(tmp_path)}
            return CliRunner().invoke(app, list(args), env=env)

        return invoke

    return bind


def json_of(result: Result) -> Any:
    assert result.exit_code == 0 or result.stdout.strip().startswith("{"), result.output
    return json.loads(result.stdout)
