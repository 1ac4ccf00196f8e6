"""A WHISTLE_HOME with the embedded database, the demo list imported and a trained model."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import Result
from typer.testing import CliRunner

from bot.cli import app


class Home:
    """A WHISTLE_HOME with the embedded database; `run` invokes the CLI there."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def run(self, *args: str) -> Result:
        env = {"WHISTLE_HOME": str(self.path), "WHISTLE_DATABASE_URL": ""}
        return CliRunner().invoke(app, list(args), env=env)

    def json(self, *args: str) -> dict:  # type: ignore[type-arg]
        result = self.run(*args, "--json")
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    def copy(self, target: Path) -> Home:
        shutil.copytree(self.path, target)
        return Home(target)
