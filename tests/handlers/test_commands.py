"""Text commands: every button's twin parses, sentences are left alone, gaps get an answer."""

from __future__ import annotations

import pytest

from handlers.actions import CHAT_EVENTS
from handlers.commands import (
    CaseRef,
    Command,
    CommandError,
    ReturnReason,
    Verb,
    parse_command,
    usage_lines,
)
from models.case import RatingValue
from models.lifecycle import TRANSITIONS, Role


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("确认 0007", Command(Verb.CONFIRM, CaseRef(7, "0007"))),
        ("确认吹哨 7", Command(Verb.CONFIRM, CaseRef(7, "7"))),
        ("签收 QH-20261122-0007", Command(Verb.SIGN, CaseRef(7, "QH-20261122-0007"))),
        ("签收0012", Command(Verb.SIGN, CaseRef(12, "0012"))),
        ("查 0007", Command(Verb.SHOW, CaseRef(7, "0007"))),
        (
            "改派 0007 d03-002",
            Command(Verb.RECLASSIFY, CaseRef(7, "0007"), item_code="D03-002"),
        ),
        ("派单 0007 D03-002", Command(Verb.ASSIGN, CaseRef(7, "0007"), item_code="D03-002")),
        ("进展 0007 已联系", Command(Verb.PROGRESS, CaseRef(7, "0007"), text="已联系")),
        (
            "延期 0007 3 等待配件",
            Command(Verb.REQUEST_EXTENSION, CaseRef(7, "0007"), days=3, text="等待配件"),
        ),
        (
            "延期 0007 5个工作日 雨天无法施工",
            Command(Verb.REQUEST_EXTENSION, CaseRef(7, "0007"), days=5, text="雨天无法施工"),
        ),
        ("批准延期 0007", Command(Verb.GRANT_EXTENSION, CaseRef(7, "0007"))),
        ("办结 0007 已清理", Command(Verb.RESOLVE, CaseRef(7, "0007"), text="已清理")),
        ("自办办结 0007 已劝离", Command(Verb.CLOSE_LOCALLY, CaseRef(7, "0007"), text="已劝离")),
        ("自办 0007", Command(Verb.HANDLE_LOCALLY, CaseRef(7, "0007"))),
        ("合并 0009 0007", Command(Verb.MERGE, CaseRef(9, "0009"), other_case=CaseRef(7, "0007"))),
        ("核查 0007 未解决", Command(Verb.VERIFY, CaseRef(7, "0007"), fixed=False)),
        ("我的待办", Command(Verb.MY_TASKS)),
        ("帮助", Command(Verb.HELP)),
        ("谁负责 秸秆焚烧？", Command(Verb.WHO_OWNS, text="秸秆焚烧")),
    ],
)
def test_commands_parse(line: str, expected: Command) -> None:
    assert parse_command(line) == expected


@pytest.mark.parametrize(
    ("line", "rating", "comment"),
    [
        ("评价 0007 满意", RatingValue.SATISFIED, ""),
        ("评价 0007 基本满意，还有点慢", RatingValue.BASICALLY_SATISFIED, "还有点慢"),
        ("评价 0007 不满意 车又摆出来了", RatingValue.UNSATISFIED, "车又摆出来了"),
    ],
)
def test_ratings_tell_the_three_words_apart(line: str, rating: RatingValue, comment: str) -> None:
    command = parse_command(line)
    assert command is not None
    assert command.rating is rating
    assert command.text == comment


def test_return_needs_a_reason_and_for_not_our_duty_an_owner() -> None:
    command = parse_command("退回 0007 不属于本局职责 建议:县综合行政执法局")
    assert command is not None
    assert command.reason is ReturnReason.NOT_OUR_DUTY
    assert command.suggested_owner == "县综合行政执法局"
    wrong_area = parse_command("退回 0007 属地不符 应为城南街道")
    assert wrong_area is not None
    assert wrong_area.reason is ReturnReason.WRONG_AREA
    with pytest.raises(CommandError, match="退回原因"):
        parse_command("退回 0007 我们管不了")
    with pytest.raises(CommandError, match="建议的责任部门"):
        parse_command("退回 0007 不属于本部门职责")


@pytest.mark.parametrize(
    ("line", "answer"),
    [
        ("签收", "案件编号"),
        ("办结 0007", "写明内容"),
        ("延期 0007", "工作日数"),
        ("延期 0007 3", "延期原因"),
        ("改派 0007", "事项编码"),
        ("评价 0007 还行", "满意"),
        ("核查 0007", "已解决"),
        ("谁负责", "要查的事项"),
        ("撤销 0007", "写明内容"),
    ],
)
def test_missing_arguments_get_an_answer_with_an_example(line: str, answer: str) -> None:
    with pytest.raises(CommandError, match=answer) as raised:
        parse_command(line)
    assert "例如" in str(raised.value)


@pytest.mark.parametrize(
    "line",
    [
        "东关社区门口电动车店把车摆到人行道上了",
        "查一下东关社区的路灯为什么不亮",
        "确认一下，明天开会吗",
        "签收了吗？",
        "办结了没有",
        "帮助一下老人过马路",
        "",
    ],
)
def test_sentences_are_not_commands(line: str) -> None:
    assert parse_command(line) is None


def test_help_lists_one_example_per_verb() -> None:
    lines = usage_lines()
    assert len(lines) == len(Verb)
    assert "签收 0007" in lines


def test_every_transition_a_person_fires_has_a_chat_command() -> None:
    by_people = {
        row.event for row in TRANSITIONS if row.roles - {Role.SYSTEM}
    }  # the rest belong to timers and auto-dispatch
    assert by_people <= CHAT_EVENTS, sorted(by_people - CHAT_EVENTS)
