"""`whistle demo`: set up the embedded database and play the whole case loop as a transcript."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn

from bot.channels.console.render import as_json, as_text
from bot.channels.console.session import CHANNEL, ConsoleSession
from bot.classifier_runtime import load_or_train
from bot.cli.common import describe_database, err, load_settings, out, print_json, run
from bot.cli.summary import load_holdings, organisation_line
from bot.clock import FakeClock
from bot.database import open_database
from bot.demo_setup import ensure_demo_county
from bot.demo_walkthrough import CHAT_HINT, Line, Walkthrough
from bot.settings import Settings
from bot.work_calendar import load_calendar
from classifier.engine import Classifier
from handlers.deadlines import LOCAL, show_time
from handlers.turn import Services
from models import schema
from models.db import make_engine, make_sessionmaker
from models.repositories.lists import ListRepository

WALKTHROUGH_FILE = "demo-walkthrough.db"


def demo(
    as_json_output: Annotated[
        bool, typer.Option("--json", help="以 JSON 输出数据库内容和演示中发出的每条消息。")
    ] = False,
) -> None:
    """演示：建好数据库，载入示例县“清河县”的清单和人员，再演示一遍完整的吹哨流程。

    流程包括网格员上报、镇街确认吹哨、部门签收办理办结、评价结案，部门退回与指挥中心裁定，
    镇街自办的基本履职事项，以及“谁负责”查询。演示在单独的数据库文件中进行，每次重新开始。
    """
    settings = load_settings()
    load_calendar(
        working_hours=settings.working_hours
    )  # holidays, 调休 and the county's overrides for every deadline
    walkthrough = (settings.home / WALKTHROUGH_FILE).absolute()
    walkthrough.unlink(missing_ok=True)  # every demo starts from scratch
    run(_demo(settings, f"sqlite+aiosqlite:///{walkthrough}", as_json_output=as_json_output))


async def _demo(settings: Settings, walkthrough_url: str, *, as_json_output: bool) -> None:
    async with open_database(settings, check_schema=False) as database:
        # The demo owns the embedded database: bring the schema up to date instead of asking.
        await schema.upgrade(database.engine)
        async with database.sessions.begin() as session:
            loaded = await ensure_demo_county(session, channels=(CHANNEL,))
            repository = ListRepository(session)
            version = await repository.current_version()
            if version is None:  # pragma: no cover - ensure_demo_county imports one
                msg = "the demo list was not imported"
                raise RuntimeError(msg)
            holdings = await load_holdings(repository, version)
        async with database.sessions() as session:
            classifier = await _classifier(settings, ListRepository(session), quiet=as_json_output)
    if not as_json_output:
        out.print("[bold]吹哨 Whistle 演示：清河县（虚构的示例县）[/]")
        out.print(f"数据库：{describe_database(settings)}")
        state = "已导入示例清单和人员" if loaded.list_imported else "示例清单已在库中，未重复导入"
        out.print(f"{state}（清单第 {version.id} 版，{version.item_count} 个事项）。")
        out.print(organisation_line(holdings.organisation))
    transcript = await _walkthrough(walkthrough_url, classifier, as_json_output)
    if as_json_output:
        data = {"database": describe_database(settings), **holdings.as_json()}
        print_json(data | {"walkthrough": transcript})
        return
    out.print()
    out.print(CHAT_HINT)


async def _classifier(
    settings: Settings, repository: ListRepository, *, quiet: bool
) -> Classifier:
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        console=err,
        transient=True,
        disable=quiet,
    ) as progress:
        task = progress.add_task("载入分类模型（首次运行需训练一两分钟）", total=None)

        def step(message: str) -> None:
            line = f"首次运行，训练分类模型：{message}"
            progress.update(task, description=line)
            if not quiet and not err.is_terminal:  # a log or a pipe: plain lines, no spinner
                err.print(line)

        return await load_or_train(settings, repository, progress=step)


async def _walkthrough(url: str, classifier: Classifier, quiet: bool) -> list[dict[str, Any]]:
    """Play the script on a fresh database; print it as it goes unless `quiet`."""
    engine = make_engine(url)
    transcript: list[dict[str, Any]] = []
    try:
        await schema.upgrade(engine)
        sessions = make_sessionmaker(engine)
        async with sessions.begin() as session:
            await ensure_demo_county(session, channels=(CHANNEL,))
        clock = FakeClock(_coming_monday_morning())
        console = ConsoleSession(sessions, Services(classifier, clock), clock)
        await console.core.ensure_standing_jobs()
        if not quiet:
            print(f"\n（以下为模拟时间，从 {show_time(clock())} 开始）", flush=True)

        def emit(line: Line) -> None:
            transcript.append(_as_record(line))
            if not quiet:
                print(_as_screen(line), flush=True)

        await Walkthrough(console, emit).play()
    finally:
        await engine.dispose()
    return transcript


def _coming_monday_morning() -> datetime:
    """09:00 local on the coming Monday (today if it is Monday): a plain working week ahead."""
    today = datetime.now(LOCAL).date()
    monday = today + timedelta(days=(7 - today.weekday()) % 7)
    return datetime(monday.year, monday.month, monday.day, 9, 0, tzinfo=LOCAL)


def _as_screen(line: Line) -> str:
    if line.kind == "scene":
        return f"\n━━━━ {line.text} ━━━━"
    if line.kind == "narration":
        return f"\n  ※ {line.text}"
    if line.kind == "sent" and line.delivered is not None:
        return as_text(
            line.delivered.message, title=line.delivered.conversation_title, names=line.names
        )
    return f"\n>> {line.text}" if line.kind in ("said", "clicked") else line.text


def _as_record(line: Line) -> dict[str, Any]:
    if line.kind == "sent" and line.delivered is not None:
        return {
            "kind": "sent",
            "message": as_json(line.delivered.message, title=line.delivered.conversation_title),
        }
    return {"kind": line.kind, "text": line.text}
