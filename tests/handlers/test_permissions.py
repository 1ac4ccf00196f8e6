"""Every action is checked by role and scope; a refusal says why, changes nothing, is logged."""

from __future__ import annotations

import logging

import pytest

from bot.channels.console.session import ConsoleSession
from models.lifecycle import CaseStatus
from tests.support.console import case_row, dispatched, events_of, incoming, reported


async def _refused(chat: ConsoleSession, persona: str, line: str) -> str:
    await chat.switch(persona)
    delivered = await chat.say(line)
    assert len(delivered) == 1, [d.message.text for d in delivered]
    return delivered[0].message.text


async def test_a_grid_worker_cannot_sign_and_nothing_changes(
    chat: ConsoleSession, caplog: pytest.LogCaptureFixture
) -> None:
    seq = await dispatched(chat)
    before = await case_row(chat, seq)
    with caplog.at_level(logging.INFO, logger="handlers.actions"):
        answer = await _refused(chat, "gw2", f"签收 {seq:04d}")
    assert "无权" in answer
    assert "县综合行政执法局的联络员" in answer
    after = await case_row(chat, seq)
    assert after.status is CaseStatus.DISPATCHED
    assert after.row_version == before.row_version
    assert await events_of(chat, seq) == ["report", "confirm"]
    assert any("refused" in r.getMessage() for r in caplog.records)


async def test_another_departments_liaison_cannot_sign(chat: ConsoleSession) -> None:
    seq = await dispatched(chat)
    answer = await _refused(chat, "li-DEPT04", f"签收 {seq}")
    assert "无权" in answer
    assert (await case_row(chat, seq)).status is CaseStatus.DISPATCHED


async def test_another_townships_staff_cannot_confirm(chat: ConsoleSession) -> None:
    seq = await reported(chat)
    answer = await _refused(chat, "ts2", f"确认 {seq}")
    assert "清源街道的工作人员" in answer
    assert (await case_row(chat, seq)).status is CaseStatus.REPORTED


async def test_only_the_dispatcher_rules_on_returns(chat: ConsoleSession) -> None:
    seq = await dispatched(chat)
    await chat.switch("li-DEPT05")
    await chat.say(f"退回 {seq} 不属于本部门职责 建议:县交警大队")
    answer = await _refused(chat, "ts1", f"维持原派 {seq}")
    assert "指挥中心调度员" in answer
    assert (await case_row(chat, seq)).status is CaseStatus.RETURNED


async def test_wrong_state_is_refused_with_the_state_name(chat: ConsoleSession) -> None:
    seq = await reported(chat)
    answer = await _refused(chat, "li-DEPT05", f"办结 {seq} 已处理")
    assert "待确认" in answer
    assert "不能办结" in answer


async def test_unregistered_person_cannot_report_or_act(chat: ConsoleSession) -> None:
    await chat.switch("gw1")
    message = await chat.core.handle_message(incoming("stranger", "vg-dongguan", "河头村路灯坏了"))
    assert "还没有登记" in message[0].text
    seq = await reported(chat)
    refused = await chat.core.handle_message(incoming("stranger", "vg-dongguan", f"签收 {seq}"))
    assert "还没有登记" in refused[0].text
    assert (await case_row(chat, seq)).status is CaseStatus.REPORTED


async def test_a_liaison_cannot_file_a_report(chat: ConsoleSession) -> None:
    await chat.switch("li-DEPT05")
    delivered = await chat.say("河头村村口的路灯坏了好几天了")
    assert "不能提交问题报告" in delivered[0].message.text
    assert all(d.message.case_number is None for d in delivered)
