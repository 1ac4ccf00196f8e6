"""Questions that change nothing: 我的待办 per role and scope, 谁负责, 帮助."""

from __future__ import annotations

from bot.channels.console.session import ConsoleSession
from tests.support.console import dispatched, reported, texts


async def _ask(chat: ConsoleSession, persona: str, text: str) -> str:
    await chat.switch(persona)
    [answer] = texts(await chat.say(text))
    return answer


async def test_my_tasks_follow_the_case_through_the_roles(chat: ConsoleSession) -> None:
    seq = await reported(chat)
    short = f"{seq:04d}"
    todo = await _ask(chat, "ts1", "我的待办")
    assert short in todo
    assert "请确认吹哨" in todo
    # Another township's staff and the department see nothing yet.
    assert await _ask(chat, "ts2", "我的待办") == "您目前没有待办事项。"
    assert await _ask(chat, "li-DEPT05", "我的待办") == "您目前没有待办事项。"

    await chat.switch("ts1")
    await chat.click("确认吹哨")
    assert "请签收" in await _ask(chat, "li-DEPT05", "我的待办")
    assert short not in await _ask(chat, "ts1", "我的待办")
    assert short not in await _ask(chat, "li-DEPT13", "我的待办")  # only informed

    await chat.switch("li-DEPT05")
    await chat.say(f"签收 {short}")
    await chat.say(f"办结 {short} 已清理")
    assert "请评价" in await _ask(chat, "ts1", "我的待办")
    assert "请到现场核查" in await _ask(chat, "gw1", "我的待办")
    assert "请到现场核查" not in await _ask(chat, "gw2", "我的待办")


async def test_the_dispatcher_sees_returns_to_rule_on(chat: ConsoleSession) -> None:
    seq = await dispatched(chat)
    await chat.switch("li-DEPT05")
    await chat.say(f"退回 {seq} 不属于本部门职责 建议:县生态环境分局")
    todo = await _ask(chat, "dc1", "我的待办")
    assert f"{seq:04d}" in todo
    assert "裁定" in todo or "仲裁" in todo


async def test_who_owns_names_the_lead_department_duty_and_basis(chat: ConsoleSession) -> None:
    answer = await _ask(chat, "gw2", "谁负责秸秆焚烧")
    first = answer.splitlines()[1]
    assert first.startswith("· D01-001")
    assert "牵头 县生态环境分局" in first
    assert "镇街职责：" in first
    assert "依据：《中华人民共和国大气污染防治法》" in first


async def test_who_owns_answers_codes_departments_and_unknowns(chat: ConsoleSession) -> None:
    assert "D04-002" in await _ask(chat, "li-DEPT05", "谁负责 D04-002")
    assert (await _ask(chat, "ts1", "谁负责 城管")).startswith("县综合行政执法局牵头的事项")
    nothing = await _ask(chat, "ts1", "谁负责 量子计算机")
    assert nothing.startswith("没有找到")


async def test_help_lists_what_each_role_can_do(chat: ConsoleSession) -> None:
    worker = await _ask(chat, "gw1", "帮助")
    assert "网格员" in worker
    assert "直接描述问题即可上报" in worker
    assert "核查 0007" in worker
    assert "签收 0007" not in worker
    liaison = await _ask(chat, "li-DEPT05", "帮助")
    assert "签收 0007" in liaison
    assert "办结 0007" in liaison
    assert "直接描述问题即可上报" not in liaison
    assert "派单 0007" not in liaison
    dispatcher = await _ask(chat, "dc1", "帮助")
    assert "派单 0007" in dispatcher
    assert "谁负责 秸秆焚烧" in dispatcher
