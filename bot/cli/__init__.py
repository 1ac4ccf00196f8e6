"""The `whistle` command line. Commands are registered here; each lives in its own module."""

from __future__ import annotations

import typer
import typer.rich_utils

from bot.cli.calendar_commands import calendar_app
from bot.cli.chat_command import chat_command
from bot.cli.classifier_commands import (
    classify_command,
    evaluate_command,
    train_command,
    who_owns_command,
)
from bot.cli.db_commands import db_app
from bot.cli.demo_command import demo
from bot.cli.list_commands import import_list, list_app
from bot.cli.org_commands import org_app
from bot.cli.run_command import run_command

app = typer.Typer(
    name="whistle",
    help=(
        "吹哨 Whistle：基层吹哨、部门报到（乡呼县应）群聊机器人。\n\n"
        "网格员在群里反映问题，机器人按县里公布的责任清单找到牵头部门、立案吹哨、"
        "跟踪时限，并把办理情况计入部门考核。\n\n"
        "初次使用请运行 whistle demo。"
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.command("demo")(demo)
app.command("chat")(chat_command)
app.command("run")(run_command)
app.command("import-list")(import_list)
app.add_typer(list_app, name="list")
app.command("train")(train_command)
app.command("classify")(classify_command)
app.command("who-owns")(who_owns_command)
app.command("evaluate")(evaluate_command)
app.add_typer(db_app, name="db")
app.add_typer(org_app, name="org")
app.add_typer(calendar_app, name="calendar")


def _localise_help() -> None:
    """Chinese panel titles in `--help`, for officials who read no English."""
    typer.rich_utils.ARGUMENTS_PANEL_TITLE = "参数"
    typer.rich_utils.OPTIONS_PANEL_TITLE = "选项"
    typer.rich_utils.COMMANDS_PANEL_TITLE = "命令"
    typer.rich_utils.ERRORS_PANEL_TITLE = "错误"
    typer.rich_utils.REQUIRED_LONG_STRING = "[必填]"
    typer.rich_utils.DEFAULT_STRING = "[默认：{}]"


def main() -> None:
    _localise_help()
    app()
