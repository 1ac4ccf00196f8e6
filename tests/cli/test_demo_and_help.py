"""The first README command and the help an official reads, run as real processes."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

WHISTLE = [sys.executable, "-c", "from bot.cli import main; main()"]


def whistle(*args: str, home: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("WHISTLE_")}
    environment |= {"WHISTLE_HOME": str(home), "COLUMNS": "120", **env}
    return subprocess.run(  # noqa: S603 - our own CLI with fixed arguments
        [*WHISTLE, *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((), "吹哨 Whistle"),
        (("--help",), "初次使用请运行 whistle demo"),
        (("import-list", "--help"), "先完整校验"),
        (("list", "show", "--help"), "事项编码"),
        (("db", "upgrade", "--help"), "升级"),
        (("demo", "--help"), "清河县"),
    ],
)
def test_help_is_in_chinese(tmp_path: Path, args: tuple[str, ...], expected: str) -> None:
    result = whistle(*args, home=tmp_path)
    output = result.stdout + result.stderr
    assert expected in output
    assert "Options" not in output
    if args:
        assert "选项" in output


def test_bad_environment_is_one_clear_line(tmp_path: Path) -> None:
    result = whistle("demo", home=tmp_path, WHISTLE_LOG_LEVEL="LOUD")
    assert result.returncode == 1
    assert "WHISTLE_LOG_LEVEL" in result.stderr
    assert "Traceback" not in result.stderr


def test_embedded_database_is_created_on_first_import(tmp_path: Path) -> None:
    demo_county = Path(__file__).resolve().parents[2] / "data" / "county-demo"
    first = whistle("import-list", str(demo_county), home=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "已新建内置数据库" in first.stderr
    assert "127" in first.stdout
    again = whistle("import-list", str(demo_county), home=tmp_path)
    assert again.returncode == 0
    assert "unchanged" in again.stdout
    assert "已新建" not in again.stderr


def test_embedded_database_of_another_revision_is_not_touched(tmp_path: Path) -> None:
    assert whistle("db", "upgrade", home=tmp_path).returncode == 0
    with sqlite3.connect(tmp_path / "whistle.db") as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'ffff0000'")
    result = whistle("list", "show", "D01-001", home=tmp_path)
    assert result.returncode == 3
    assert "比本程序新" in result.stderr
    with sqlite3.connect(tmp_path / "whistle.db") as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == (
            "ffff0000",
        )
