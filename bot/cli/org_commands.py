"""`whistle org …`: the organisation the bot serves — people, roles and their chat ids."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from bot.cli.common import load_settings, out, print_json, run
from bot.database import open_database
from bot.settings import Settings
from models.repositories.organisation import OrganisationRepository

org_app = typer.Typer(help="组织：人员、角色、所在的群及其在各平台的编号。", no_args_is_help=True)


@org_app.command("show")
def show(
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出。")] = False,
) -> None:
    """列出所有人员：编号、姓名、角色、所属群，以及在钉钉等平台上的用户编号和群编号。"""
    settings = load_settings()
    run(_show(settings, as_json=as_json))


async def _show(settings: Settings, *, as_json: bool) -> None:
    async with open_database(settings) as database, database.sessions() as session:
        people = await OrganisationRepository(session).directory()
    if as_json:
        print_json({"people": people})
        return
    if not people:
        out.print("还没有人员。运行 whistle demo 载入示例县，或导入本县的人员名单。")
        return
    table = Table("编号", "姓名", "角色", "所属群", "平台编号")
    for person in people:
        home: dict[str, Any] | None = person["home_conversation"]  # type: ignore[assignment]
        ids = person["platform_user_ids"] or {}
        table.add_row(
            str(person["id"]),
            str(person["name"]),
            "；".join(person["roles"]),  # type: ignore[arg-type]
            f"{home['title']}（{home['id']}）" if home else "—",
            "；".join(f"{k}={v}" for k, v in ids.items()),  # type: ignore[union-attr]
        )
    out.print(table)
