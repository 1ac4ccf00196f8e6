"""`whistle org …`: the organisation the bot serves — people, roles and their chat ids."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from bot.channels.console.session import CHANNEL as CONSOLE
from bot.channels.dingtalk.inbound import CHANNEL as DINGTALK
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
from bot.database import open_database
from bot.settings import Settings
from models.list_source import ImportProblem
from models.org_source import OrganisationContent, load_organisation
from models.repositories.lists import ListRepository
from models.repositories.organisation import OrganisationImportError, OrganisationRepository

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
        out.print(
            "还没有人员。运行 whistle demo 载入示例县，"
            "或用 whistle org import 导入本县的人员名单。"
        )
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


@org_app.command("import")
def import_organisation(
    folder: Annotated[
        Path,
        typer.Argument(
            help="含 conversations.csv（群）和 people.csv（人员、角色、所在群）的文件夹。",
            show_default=False,
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出。")] = False,
) -> None:
    """导入本县的群和人员：先完整校验，全部无误才写入。人员编号即其钉钉 userId；
    钉钉群的编号由管理员在群里 @机器人 “绑定本群 群编号” 绑定。"""
    settings = load_settings()
    content = load_organisation(folder)  # checked before the database is opened
    if not isinstance(content, OrganisationContent):
        _report_problems(content, as_json=as_json)
        raise typer.Exit(EXIT_INVALID_INPUT)
    run(_import(settings, content, as_json=as_json))


async def _import(settings: Settings, content: OrganisationContent, *, as_json: bool) -> None:
    async with open_database(settings) as database, database.sessions.begin() as session:
        announce_if_created(database, settings)
        if await ListRepository(session).current_version() is None:
            raise CliError("请先导入责任清单（whistle import-list），人员的镇街和部门要在清单里。")
        organisation = OrganisationRepository(session)
        try:
            # The console knows everyone by id (whistle chat --as); DingTalk knows people by
            # their userId, which is their id here, and groups once they are bound in chat.
            await organisation.import_content(content, channel=CONSOLE)
            await organisation.import_content(content, channel=DINGTALK, bind_conversations=False)
        except OrganisationImportError as error:
            _report_problems(error.problems, as_json=as_json)
            raise typer.Exit(EXIT_INVALID_INPUT) from error
    counts = {"people": len(content.people), "conversations": len(content.conversations)}
    if as_json:
        print_json({"status": "imported", **counts})
        return
    out.print(
        f"[bold green]已导入[/]：{counts['conversations']} 个群，{counts['people']} 名人员。"
        "钉钉群请由管理员在群里 @机器人 发送“绑定本群 群编号”。"
    )


def _report_problems(problems: list[ImportProblem], *, as_json: bool) -> None:
    if as_json:
        print_json({"status": "invalid", "problems": [asdict(p) for p in problems]})
        return
    err.print(f"[bold red]人员名单有 {len(problems)} 处错误，未导入，数据库未作任何改动：[/]")
    for problem in problems:
        err.print(f"  • {problem.describe()}", soft_wrap=True)
