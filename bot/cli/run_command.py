"""`whistle run`: the bot itself — every configured channel, the web endpoint, a clean stop."""

from __future__ import annotations

import asyncio
import logging
import signal
from datetime import UTC, datetime
from typing import Annotated

import typer
from aiohttp import web
from pydantic import ValidationError

from bot.channels.dingtalk.channel import DingTalkChannel
from bot.channels.dingtalk.config import DingTalkSettings
from bot.channels.dingtalk.inbound import CHANNEL
from bot.classifier_runtime import load_for_current_list
from bot.cli.common import CliError, err, load_settings, run
from bot.database import open_database
from bot.demo_setup import bind_demo_organisation
from bot.scheduler import Scheduler
from bot.settings import Settings
from bot.web import web_app
from bot.work_calendar import load_calendar
from classifier import artifact
from handlers.turn import Services
from models.repositories.lists import ListRepository

log = logging.getLogger(__name__)


def run_command(
    port: Annotated[
        int, typer.Option("--port", help="健康检查和监控指标（/healthz、/metrics）的端口。")
    ] = 8080,
    host: Annotated[str, typer.Option("--host", help="监听地址。")] = "127.0.0.1",
) -> None:
    """启动机器人：连接已配置的聊天平台（钉钉），收发消息，直到收到停止信号（Ctrl-C 或 SIGTERM）。

    需要先设置 WHISTLE_DINGTALK_CLIENT_ID 和 WHISTLE_DINGTALK_CLIENT_SECRET，导入清单并训练模型。
    """
    settings = load_settings()
    load_calendar(
        working_hours=settings.working_hours
    )  # holidays, 调休 and the county's overrides for every deadline
    try:
        dingtalk = DingTalkSettings()
    except ValidationError as error:
        raise typer.BadParameter(str(error)) from error
    if not dingtalk.configured:
        names = "、".join(dingtalk.missing())
        err.print(f"[red]无法启动[/]：没有配置任何聊天平台。请设置环境变量 {names}。")
        raise typer.Exit(2)
    run(_run(settings, dingtalk, host, port))


async def _run(settings: Settings, dingtalk: DingTalkSettings, host: str, port: int) -> None:
    async with open_database(settings) as database:
        async with database.sessions.begin() as session:
            if await bind_demo_organisation(session, CHANNEL):
                err.print(
                    "已为示例县的人员和群绑定钉钉编号（人员编号即 userId，群为 cid-群编号）。"
                )
        async with database.sessions() as session:
            try:
                loaded = await load_for_current_list(settings, ListRepository(session))
            except artifact.ModelUnavailableError as error:
                raise CliError(str(error)) from error
        channel = DingTalkChannel(
            dingtalk, database.sessions, Services(loaded.classifier, lambda: datetime.now(UTC))
        )
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        runner = web.AppRunner(web_app(database.sessions, channel.counters))
        await runner.setup()
        await web.TCPSite(runner, host, port).start()
        err.print(f"吹哨机器人已启动：钉钉 Stream，监控 http://{host}:{port}/metrics")
        # Reminders and escalations: timers in the database, shared safely by every replica.
        scheduler = Scheduler(database.sessions, channel.core.run_job, lambda: datetime.now(UTC))
        await channel.core.ensure_standing_jobs()  # the morning digest
        timers = asyncio.create_task(scheduler.run(stop), name="scheduler")
        try:
            await channel.run(stop)
        finally:
            stop.set()
            await timers
            await runner.cleanup()
        err.print("已停止：未处理完的消息保存在收件箱和发件箱中，下次启动继续。")
