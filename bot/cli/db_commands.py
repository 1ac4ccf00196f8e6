"""`whistle db …`: create and upgrade the database schema."""

from __future__ import annotations

import typer

from bot.cli.common import describe_database, load_settings, out, run
from bot.database import open_database
from bot.settings import Settings
from models import schema

db_app = typer.Typer(help="数据库：创建、升级、查看结构版本。", no_args_is_help=True)


@db_app.command("upgrade")
def upgrade_database() -> None:
    """创建数据库或升级到本程序的结构版本（可重复运行，已是最新时不做任何改动）。"""
    settings = load_settings()
    run(_upgrade(settings))


async def _upgrade(settings: Settings) -> None:
    async with open_database(settings, check_schema=False) as database:
        before = await schema.inspect_schema(database.engine)
        await schema.upgrade(database.engine)
        after = await schema.inspect_schema(database.engine)
    where = describe_database(settings)
    if before.database_revision == after.database_revision:
        out.print(f"数据库已是最新结构版本 {after.database_revision}：{where}")
    else:
        old = before.database_revision or "空库"
        out.print(f"数据库已升级：{old} → {after.database_revision}：{where}")


@db_app.command("status")
def database_status() -> None:
    """显示数据库地址和结构版本是否与本程序一致。"""
    settings = load_settings()
    run(_status(settings))


async def _status(settings: Settings) -> None:
    async with open_database(settings, check_schema=False) as database:
        state = await schema.inspect_schema(database.engine)
    labels = {
        schema.SchemaStatus.MISSING: "尚未初始化（请运行 whistle db upgrade）",
        schema.SchemaStatus.OUTDATED: "版本过旧（请运行 whistle db upgrade）",
        schema.SchemaStatus.UNKNOWN: "版本比本程序新（请升级 Whistle）",
        schema.SchemaStatus.CURRENT: "最新",
    }
    out.print(f"数据库：{describe_database(settings)}")
    out.print(f"结构版本：{state.database_revision or '无'}（本程序：{state.code_revision}）")
    out.print(f"状态：{labels[state.status]}")
