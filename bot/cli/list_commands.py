"""`whistle import-list` and `whistle list …`: the responsibility list (清单)."""

from __future__ import annotations

import difflib
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from bot.cli.common import (
    EXIT_INVALID_INPUT,
    CliError,
    announce_if_created,
    err,
    load_settings,
    out,
    print_json,
    run,
)
from bot.cli.summary import Holdings, items_table, load_holdings, organisation_line
from bot.database import open_database
from bot.settings import Settings
from models.list_source import ImportProblem, ItemRecord, ListContent, load_list_source
from models.repositories.lists import ListRepository

list_app = typer.Typer(help="查看已导入的责任清单。", no_args_is_help=True)

JsonOption = Annotated[bool, typer.Option("--json", help="以 JSON 输出，便于程序读取。")]


def import_list(
    path: Annotated[
        Path,
        typer.Argument(
            help="清单所在文件夹（含 departments.csv、townships.csv、responsibility_list.csv），"
            "或含同名三个工作表的 .xlsx 工作簿。",
            show_default=False,
        ),
    ],
    as_json: JsonOption = False,
) -> None:
    """导入责任清单：先完整校验，全部无误才写入并生成新版本；内容未变则不重复导入。"""
    settings = load_settings()
    # Files are read and checked before the database is opened: a bad list never touches it.
    content = load_list_source(path)
    if not isinstance(content, ListContent):
        _report_problems(content, as_json=as_json)
        raise typer.Exit(EXIT_INVALID_INPUT)
    run(_import(settings, content, str(path.resolve()), as_json=as_json))


async def _import(settings: Settings, content: ListContent, source: str, *, as_json: bool) -> None:
    async with open_database(settings) as database, database.sessions.begin() as session:
        announce_if_created(database, settings)
        repository = ListRepository(session)
        outcome = await repository.import_content(content, source=source)
        holdings = await load_holdings(repository, outcome.version)
    report_import(holdings, unchanged=outcome.unchanged, as_json=as_json)


def report_import(holdings: Holdings, *, unchanged: bool, as_json: bool) -> None:
    if as_json:
        status = "unchanged" if unchanged else "imported"
        print_json({"status": status, **holdings.as_json()})
        return
    version = holdings.version
    if unchanged:
        out.print(f"清单内容与当前第 {version.id} 版相同（unchanged），未生成新版本。")
        return
    out.print(f"[bold green]已导入[/]：清单第 {version.id} 版，共 {version.item_count} 项。")
    out.print(items_table(holdings))
    out.print(organisation_line(holdings.organisation))


def _report_problems(problems: list[ImportProblem], *, as_json: bool) -> None:
    if as_json:
        payload = {"status": "invalid", "problems": [asdict(p) for p in problems]}
        print_json(payload)
        return
    err.print(f"[bold red]清单有 {len(problems)} 处错误，未导入，数据库未作任何改动：[/]")
    for problem in problems:
        err.print(f"  • {problem.describe()}", soft_wrap=True)


@list_app.command("show")
def show_item(
    code: Annotated[str, typer.Argument(help="事项编码，如 D01-001。", show_default=False)],
    as_json: JsonOption = False,
) -> None:
    """显示当前版本清单中的一个事项：牵头与配合部门、职责、时限、依据。"""
    settings = load_settings()
    run(_show(settings, code.strip().upper(), as_json=as_json))


async def _show(settings: Settings, code: str, *, as_json: bool) -> None:
    async with open_database(settings) as database, database.sessions() as session:
        announce_if_created(database, settings)
        repository = ListRepository(session)
        version = await repository.current_version()
        if version is None:
            raise CliError("尚未导入责任清单。请先运行：whistle import-list 清单文件夹")
        item = await repository.item(code, version.id)
        if item is None:
            close = difflib.get_close_matches(code, await repository.codes(version.id), n=3)
            hint = f"；相近的编码：{'、'.join(close)}" if close else ""
            raise CliError(f"当前清单（第 {version.id} 版）中没有事项 {code}{hint}")
    if as_json:
        print_json(item_json(item, version.id))
    else:
        out.print(item_table(item, version.id))


def item_json(item: ItemRecord, version_id: int) -> dict[str, Any]:
    data = {**asdict(item), "list_version": version_id}
    return {key: list(value) if isinstance(value, tuple) else value for key, value in data.items()}


def item_table(item: ItemRecord, version_id: int) -> Table:
    table = Table(show_header=False, title=f"{item.code} {item.name}", title_justify="left")
    table.add_column("字段", style="bold", no_wrap=True)
    table.add_column("内容")
    rows = [
        ("编码", item.code),
        ("领域", item.domain),
        ("名称", item.name),
        ("情形", item.description),
        ("类别", item.kind),
        ("牵头部门", item.lead_department),
        ("配合部门", "、".join(item.cooperating_departments) or "无"),
        ("镇街职责", item.township_duty),
        ("县级职责", item.county_duty),
        ("法律依据", "、".join(item.legal_basis) or "无"),
        ("签收时限", f"派单后 {item.response_hours} 小时内"),
        ("办结时限", f"{item.resolve_days} 个工作日"),
        ("标准事项", "是" if item.standard else "否（非标准事项，可能需指挥中心协调）"),
        ("常见说法", "、".join(item.keywords)),
        ("清单版本", f"第 {version_id} 版"),
    ]
    for label, value in rows:
        table.add_row(label, value)
    return table
