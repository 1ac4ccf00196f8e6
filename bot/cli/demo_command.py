"""`whistle demo`: the embedded walk-through on the default SQLite database."""

from __future__ import annotations

from typing import Annotated

import typer

from bot.cli.common import describe_database, load_settings, out, print_json, run
from bot.cli.summary import items_table, load_holdings, organisation_line
from bot.database import open_database
from bot.paths import demo_county_dir
from bot.settings import Settings
from models import schema
from models.list_source import ListContent, load_list_source
from models.repositories.lists import ListRepository


def demo(
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出数据库中的内容。")] = False,
) -> None:
    """演示：建好数据库，导入示例县“清河县”的清单和组织，并显示数据库中的内容。"""
    settings = load_settings()
    content = load_list_source(demo_county_dir())
    if not isinstance(content, ListContent):  # pragma: no cover - the shipped data is tested
        msg = "shipped demo county data is invalid: " + "; ".join(p.describe() for p in content)
        raise RuntimeError(msg)
    run(_demo(settings, content, as_json=as_json))


async def _demo(settings: Settings, content: ListContent, *, as_json: bool) -> None:
    async with open_database(settings, check_schema=False) as database:
        # The demo owns its database: bring the schema up to date instead of asking.
        await schema.upgrade(database.engine)
        async with database.sessions.begin() as session:
            repository = ListRepository(session)
            outcome = await repository.import_content(content, source="清河县示例数据（内置）")
            holdings = await load_holdings(repository, outcome.version)
    if as_json:
        print_json({"database": describe_database(settings), **holdings.as_json()})
        return
    out.print("[bold]吹哨 Whistle 演示：清河县（虚构的示例县）[/]")
    out.print(f"数据库：{describe_database(settings)}")
    if outcome.unchanged:
        out.print(f"示例清单已在库中（第 {outcome.version.id} 版），未重复导入。")
    else:
        out.print(f"已导入示例清单，生成第 {outcome.version.id} 版。")
    out.print(organisation_line(holdings.organisation))
    out.print(items_table(holdings))
    out.print("下一步：whistle list show D04-002 查看一个事项；whistle --help 查看全部命令。")
