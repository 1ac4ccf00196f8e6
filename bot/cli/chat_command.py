"""`whistle chat`: talk to the bot in a terminal as any person of the organisation."""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Annotated

import typer

from bot.channels.console.render import as_json, as_text
from bot.channels.console.session import CHANNEL, ConsoleError, ConsoleSession, Delivered
from bot.classifier_runtime import load_or_train
from bot.cli.common import err, load_settings, run
from bot.clock import FakeClock, parse_duration, parse_local_time
from bot.database import open_database
from bot.demo_setup import ensure_demo_county
from bot.settings import Settings
from bot.work_calendar import load_calendar
from handlers.deadlines import show_time
from handlers.turn import Services
from handlers.workcalendar import LOCAL
from models.repositories.lists import ListRepository

HELP_LINES = (
    "/as 人员编号      切换身份（如 /as gw1、/as ts1、/as li-DEPT05、/as dc1）",
    "/click 按钮文字   按下本群最新卡片上的按钮（如 /click 确认吹哨）",
    "/advance 2h      把时钟往后拨（2h、3d、30m）",
    "/quit            退出",
    "其他内容          以当前身份在其所属群里对机器人说话",
)


def chat_command(
    as_json_lines: Annotated[
        bool, typer.Option("--json", help="每条发出的消息输出一行 JSON。")
    ] = False,
    start: Annotated[
        str | None,
        typer.Option("--start", help='模拟时钟的起始时间（本地时间），如 "2026-11-20 16:00"。'),
    ] = None,
    persona: Annotated[str | None, typer.Option("--as", help="开始时的身份，如 gw1。")] = None,
) -> None:
    """在终端里和机器人对话：扮演网格员、镇街、部门联络员或指挥中心，走完整个办理流程。

    从标准输入逐行读取（终端或管道均可），每条回复立即输出。数据库为空时自动载入示例县。
    """
    settings = load_settings()
    load_calendar(
        working_hours=settings.working_hours
    )  # holidays, 调休 and the county's overrides for every deadline
    try:
        clock = FakeClock(parse_local_time(start) if start else None)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--start") from error
    run(_chat(settings, clock, persona=persona, json_lines=as_json_lines))


async def _chat(
    settings: Settings, clock: FakeClock, *, persona: str | None, json_lines: bool
) -> None:
    async with open_database(settings) as database:
        async with database.sessions.begin() as session:
            loaded = await ensure_demo_county(session, channels=(CHANNEL,))
        if loaded.organisation_imported:
            err.print("已载入示例县“清河县”的清单和人员。")
        with err.status("准备分类模型（首次运行需训练约一分钟）…"):
            async with database.sessions() as session:
                classifier = await load_or_train(settings, ListRepository(session))
        console = ConsoleSession(database.sessions, Services(classifier, clock), clock)
        printer = _Printer(console, json_lines=json_lines)
        interactive = sys.stdin.isatty()
        if interactive:
            err.print("输入 /help 查看用法。")
        await console.core.recover(CHANNEL)  # messages a crash left unhandled
        await console.core.ensure_standing_jobs()  # the dispatch centre's morning digest
        await printer.print(await console.deliver())  # and replies not yet delivered
        if persona:
            await _line(console, printer, f"/as {persona}")
        while True:
            if interactive:
                err.print(f"{console.persona or '?'}> ", end="")
            line = await asyncio.to_thread(sys.stdin.readline)
            if not line:
                break
            if not await _line(console, printer, line.strip()):
                break


async def _line(console: ConsoleSession, printer: _Printer, line: str) -> bool:
    """Handle one input line; False when the user asked to quit."""
    if not line:
        return True
    command, _, argument = line.partition(" ")
    try:
        if command in ("/quit", "/exit"):
            return False
        if command == "/help":
            printer.notice("\n".join(HELP_LINES))
        elif command == "/as":
            name = await console.switch(argument.strip())
            printer.notice(f"现在的身份：{argument.strip()}（{name}）")
        elif command == "/click":
            await printer.print(await console.click(argument.strip()))
        elif command == "/advance":
            delivered = await console.advance(parse_duration(argument))
            printer.notice(f"时钟已拨到 {_local(console)}")
            await printer.print(delivered)
        elif line.startswith("/"):
            printer.notice(f"不认识的指令 {command}，输入 /help 查看用法")
        else:
            await printer.print(await console.say(line))
    except (ConsoleError, ValueError) as problem:
        printer.notice(str(problem), error=True)
    return True


def _local(console: ConsoleSession) -> str:
    return show_time(console.clock())


class _Printer:
    def __init__(self, console: ConsoleSession, *, json_lines: bool) -> None:
        self.console = console
        self.json_lines = json_lines

    def notice(self, text: str, *, error: bool = False) -> None:
        """Session notices: stderr in JSON mode, so stdout stays one object per message."""
        if self.json_lines or error:
            print(text, file=sys.stderr, flush=True)
        else:
            print(text, flush=True)

    async def print(self, delivered: list[Delivered]) -> None:
        if not delivered:
            return
        if self.json_lines:
            for item in delivered:
                data = as_json(item.message, title=item.conversation_title)
                if item.at is not None:  # the (simulated) local time it went out
                    data["at"] = item.at.astimezone(LOCAL).strftime("%Y-%m-%d %H:%M")
                print(json.dumps(data, ensure_ascii=False), flush=True)
            return
        mentioned = sorted({m for item in delivered for m in item.message.mentions})
        names = await self.console.names(mentioned)
        for item in delivered:
            print(as_text(item.message, title=item.conversation_title, names=names), flush=True)
