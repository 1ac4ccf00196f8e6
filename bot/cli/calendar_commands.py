"""`whistle calendar check YEAR`: what the bot knows about a year's holidays and 调休."""

from __future__ import annotations

from typing import Annotated

import typer

from bot.cli.common import CliError, out, print_json, run
from bot.work_calendar import OverrideFileError, load_calendar, overrides_file

calendar_app = typer.Typer(help="工作日历：法定节假日和调休。", no_args_is_help=True)


@calendar_app.command("check")
def check(
    year: Annotated[int, typer.Argument(help="年份，如 2027。", min=2000, max=2100)],
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出。")] = False,
) -> None:
    """查看某年的节假日安排是否已知：来自内置日历库，或 data/calendar/overrides.csv 的补充。"""
    run(_check(year, as_json=as_json))


async def _check(year: int, *, as_json: bool) -> None:
    try:
        status = load_calendar().year_status(year)
    except OverrideFileError as error:
        raise CliError(str(error)) from error
    if as_json:
        print_json(
            {
                "year": year,
                "known": status.known,
                "library": status.library,
                "override_holidays": status.holidays,
                "override_workdays": status.workdays,
                "override_file": str(overrides_file()),
            }
        )
        return
    source = "内置日历库" if status.library else "内置日历库没有这一年"
    extra = f"补充文件中节假日 {status.holidays} 天、调休上班 {status.workdays} 天"
    out.print(f"{year} 年：{source}；{extra}。")
    if not status.known:
        out.print(
            f"[yellow]{year} 年的节假日安排尚未录入[/]：将按周一至周五计算工作日。"
            f"请把国务院公布的安排补充到 {overrides_file()}。"
        )
