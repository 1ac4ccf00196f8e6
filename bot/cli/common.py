"""What every command shares: settings, errors that become one clear line, async entry."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Coroutine
from typing import Any, NoReturn, TypeVar

import typer
from pydantic import ValidationError
from rich.console import Console

from bot.database import Database
from bot.settings import Settings
from models.db import masked_url
from models.schema import SchemaNotReadyError, SchemaStatus

T = TypeVar("T")

EXIT_INVALID_INPUT = 1
EXIT_DATABASE_NOT_READY = 3

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


class CliError(Exception):
    """An expected failure: printed as one line in Chinese, exit code as given, no traceback."""

    def __init__(self, message: str, exit_code: int = EXIT_INVALID_INPUT) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def load_settings() -> Settings:
    try:
        settings = Settings()
    except ValidationError as error:
        problems = "；".join(
            f"WHISTLE_{'_'.join(str(p) for p in e['loc']).upper()}：{e['msg']}"
            for e in error.errors()
        )
        fail(f"环境变量设置有误：{problems}")
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    return settings


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a command's coroutine and turn expected failures into a message and exit code."""
    try:
        return asyncio.run(coroutine)
    except CliError as error:
        fail(str(error), error.exit_code)
    except SchemaNotReadyError as error:
        fail(schema_message(error), EXIT_DATABASE_NOT_READY)
    except (OSError, ConnectionError) as error:
        fail(f"无法连接数据库：{error}", EXIT_DATABASE_NOT_READY)


def schema_message(error: SchemaNotReadyError) -> str:
    state = error.state
    if state.status is SchemaStatus.MISSING:
        return "数据库尚未初始化。请先运行：whistle db upgrade"
    if state.status is SchemaStatus.OUTDATED:
        return (
            f"数据库结构版本过旧（{state.database_revision}，本程序需要 {state.code_revision}）。"
            "请先运行：whistle db upgrade"
        )
    return (
        f"数据库结构版本 {state.database_revision} 比本程序新（本程序为 {state.code_revision}）："
        "请升级 Whistle 后再试，不要对它降级"
    )


def describe_database(settings: Settings) -> str:
    return masked_url(settings.effective_database_url)


def fail(message: str, exit_code: int = EXIT_INVALID_INPUT) -> NoReturn:
    err.print(f"[bold red]错误：[/]{message}", soft_wrap=True)
    raise typer.Exit(exit_code)


def print_json(data: object) -> None:
    """Machine-readable output: plain JSON on stdout, never colourised or wrapped."""
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def announce_if_created(database: Database, settings: Settings) -> None:
    if database.created:
        err.print(f"已新建内置数据库：{describe_database(settings)}")
