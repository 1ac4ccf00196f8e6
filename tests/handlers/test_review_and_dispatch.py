"""The township's review and the dispatch centre's decisions."""

from __future__ import annotations

from bot.channels.console.session import ConsoleSession
from models.lifecycle import CaseStatus
from models.organisation import Department
from tests.support.console import case_row, events_of, reported, texts

LIGHT = "河头村村口那条路的路灯坏了一个多星期了，晚上黑漆漆的"


async def test_reclassify_to_another_of_the_top_three(chat: ConsoleSession) -> None:
    seq = await reported(chat)
    await chat.switch("ts1")
    delivered = await chat.click("改选 D06-001")
    card = next(d.message.card for d in delivered if d.message.conversation == "tg-T01")
    assert card is not None
    assert "D06-001" in card.title or any("D06-001" in v for _, v in card.fields)
    case = await case_row(chat, seq)
    assert case.status is CaseStatus.REPORTED
    await chat.click("确认吹哨")
    case = await case_row(chat, seq)
    assert case.status is CaseStatus.DISPATCHED
    # D06-001 (机动车乱停乱放) belongs to the traffic police.
    async with chat.sessions() as db:
        department = await db.get(Department, case.lead_department_id)
    assert department is not None
    assert department.code == "DEPT08"


async def test_reclassify_to_an_unknown_code_is_refused(chat: ConsoleSession) -> None:
    seq = await reported(chat)
    await chat.switch("ts1")
    answer = await chat.say(f"改选 {seq} D99-001")
    assert "没有事项 D99-001" in answer[0].message.text
    assert await events_of(chat, seq) == ["report"]


async def test_handle_locally_then_close(chat: ConsoleSession) -> None:
    seq = await reported(chat)
    await chat.switch("ts1")
    delivered = await chat.click("镇街自办")
    assert any("自行办理" in t for t in texts(delivered, "vg-dongguan"))
    assert (await case_row(chat, seq)).status is CaseStatus.TOWNSHIP_HANDLING
    await chat.say(f"自办办结 {seq} 已协调店主整改")
    case = await case_row(chat, seq)
    assert case.status is CaseStatus.CLOSED
    assert case.lead_department_id is not None  # the item's department is kept for the record


async def test_basic_item_cannot_be_whistled(chat: ConsoleSession) -> None:
    seq = await reported(chat)
    await chat.switch("ts1")
    # D08-006 村庄垃圾 is the township's own duty (基本履职).
    await chat.say(f"改选 {seq} D08-006")
    answer = await chat.say(f"确认 {seq}")
    assert "基本履职" in answer[0].message.text
    assert (await case_row(chat, seq)).status is CaseStatus.REPORTED


async def test_cancel_needs_a_reason_and_the_button_asks_for_it(chat: ConsoleSession) -> None:
    seq = await reported(chat)
    await chat.switch("ts1")
    asked = await chat.click("撤销")
    assert asked[0].message.text == f"请直接回复：撤销 {seq:04d} 原因…"
    missing = await chat.say(f"撤销 {seq}")
    assert "请写明内容" in missing[0].message.text
    await chat.say(f"撤销 {seq} 重复上报")
    case = await case_row(chat, seq)
    assert case.status is CaseStatus.CANCELLED


async def test_merge_a_duplicate_into_the_open_case(chat: ConsoleSession) -> None:
    first = await reported(chat)
    second = await reported(chat, "东关社区那家电动车专卖店又把一排电瓶车摆在人行道上")
    await chat.switch("ts1")
    merged = await chat.click(f"合并到 {first:04d}")
    assert any("已并入" in t for t in texts(merged))
    case = await case_row(chat, second)
    assert case.status is CaseStatus.CANCELLED
    assert case.duplicate_of_id == (await case_row(chat, first)).id


async def test_merge_across_villages_is_refused(chat: ConsoleSession) -> None:
    first = await reported(chat)
    second = await reported(chat, LIGHT, persona="gw2")
    await chat.switch("ts2")
    answer = await chat.say(f"合并 {second} {first}")
    assert "不能合并" in answer[0].message.text
    assert (await case_row(chat, second)).status is CaseStatus.REPORTED


async def test_abstained_report_goes_to_the_dispatcher_who_assigns(chat: ConsoleSession) -> None:
    await chat.switch("gw2")
    delivered = await chat.say("河头村有人拿偏方给娃治病收钱")
    receipt = next(d.message for d in delivered if d.message.conversation == "vg-hetou")
    assert "指挥中心" in receipt.text
    seq = int((receipt.case_number or "").rsplit("-", 1)[1])
    case = await case_row(chat, seq)
    assert case.status is CaseStatus.PENDING_ASSIGNMENT
    assert case.abstained is True
    assert case.item_id is None
    assert any(d.message.conversation == "dc" and d.message.card for d in delivered)

    await chat.switch("dc1")
    await chat.say(f"派单 {seq} D05-001")
    case = await case_row(chat, seq)
    assert case.status is CaseStatus.DISPATCHED
    assert await events_of(chat, seq) == ["report", "refer_to_dispatch", "assign"]


async def test_dispatcher_hands_a_case_back_to_the_township(chat: ConsoleSession) -> None:
    seq = await reported(chat)
    await chat.switch("ts1")
    await chat.click("转指挥中心")
    assert (await case_row(chat, seq)).status is CaseStatus.PENDING_ASSIGNMENT
    await chat.switch("dc1")
    await chat.say(f"退回镇街 {seq} 属社区自治范围")
    assert (await case_row(chat, seq)).status is CaseStatus.TOWNSHIP_HANDLING
