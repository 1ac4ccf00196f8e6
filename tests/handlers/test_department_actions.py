"""The liaison's actions and the dispatcher's rulings on them."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.channels.console.session import ConsoleSession
from models.case import CaseEventRecord
from models.lifecycle import CaseStatus
from tests.support.console import case_row, dispatched, events_of, texts


async def _signed(chat: ConsoleSession) -> int:
    seq = await dispatched(chat)
    await chat.switch("li-DEPT05")
    await chat.click("签收报到")
    return seq


async def _last_event(chat: ConsoleSession, seq: int) -> CaseEventRecord:
    case = await case_row(chat, seq)
    async with chat.sessions() as db:
        statement = (
            select(CaseEventRecord)
            .where(CaseEventRecord.case_id == case.id)
            .order_by(CaseEventRecord.id.desc())
        )
        event = (await db.scalars(statement)).first()
    assert event is not None
    return event


async def test_sign_records_the_time_and_swaps_the_card_buttons(chat: ConsoleSession) -> None:
    seq = await dispatched(chat)
    await chat.switch("li-DEPT05")
    delivered = await chat.click("签收报到")
    card = next(d.message for d in delivered if d.message.conversation == "dg-DEPT05")
    assert card.replaces_card
    assert card.card is not None
    assert [b.label for b in card.card.buttons] == [
        "反馈进展",
        "申请延期",
        "要求补充",
        "退回",
        "办结",
    ]
    case = await case_row(chat, seq)
    assert case.status is CaseStatus.ACCEPTED
    assert case.signed_at == chat.clock()


async def test_progress_reaches_the_township_and_the_reporter(chat: ConsoleSession) -> None:
    seq = await _signed(chat)
    delivered = await chat.say(f"进展 {seq} 已联系店主，约定明天整改")
    assert any("约定明天整改" in t for t in texts(delivered, "tg-T01"))
    assert any("约定明天整改" in t for t in texts(delivered, "vg-dongguan"))
    assert (await case_row(chat, seq)).status is CaseStatus.ACCEPTED


async def test_return_then_redispatch_charges_nobody(chat: ConsoleSession) -> None:
    seq = await dispatched(chat)
    await chat.switch("li-DEPT05")
    delivered = await chat.say(f"退回 {seq} 不属于本部门职责 建议:县公安局交通警察大队")
    card = next(d.message.card for d in delivered if d.message.conversation == "dc")
    assert card is not None
    assert "维持原派" in [b.label for b in card.buttons]
    case = await case_row(chat, seq)
    assert (case.status, case.return_count) == (CaseStatus.RETURNED, 1)

    await chat.switch("dc1")
    moved = await chat.say(f"重新派单 {seq} D06-001")
    assert any("无需再办理" in t for t in texts(moved, "dg-DEPT05"))
    assert any(d.message.card for d in moved if d.message.conversation == "dg-DEPT08")
    case = await case_row(chat, seq)
    assert case.status is CaseStatus.DISPATCHED
    event = await _last_event(chat, seq)
    assert (event.kind, event.payload["return_charged"]) == ("redispatch", False)


async def test_rule_keep_sends_it_back_and_charges_the_return(chat: ConsoleSession) -> None:
    seq = await dispatched(chat)
    await chat.switch("li-DEPT05")
    await chat.say(f"退回 {seq} 属地不符")
    await chat.switch("dc1")
    await chat.click("维持原派")
    case = await case_row(chat, seq)
    assert case.status is CaseStatus.DISPATCHED
    event = await _last_event(chat, seq)
    assert (event.kind, event.payload["return_charged"]) == ("rule_keep", True)
    await chat.switch("li-DEPT05")
    await chat.say(f"签收 {seq}")
    assert (await case_row(chat, seq)).status is CaseStatus.ACCEPTED


async def test_a_disputed_return_goes_to_arbitration_and_is_ruled_there(
    chat: ConsoleSession,
) -> None:
    seq = await dispatched(chat)
    await chat.switch("li-DEPT05")
    await chat.say(f"退回 {seq} 不属于本部门职责 建议:县市场监督管理局")
    await chat.switch("dc1")
    [prompt] = texts(await chat.click("提交仲裁"))
    assert f"仲裁 {seq:04d} 原因…" in prompt
    assert (await case_row(chat, seq)).status is CaseStatus.RETURNED  # a prompt changes nothing
    assert "请写明内容" in texts(await chat.say(f"仲裁 {seq}"))[0]

    delivered = await chat.say(f"仲裁 {seq} 两部门各执一词，提请分管副县长协调")
    card = next(d.message for d in delivered if d.message.card and d.message.conversation == "dc")
    assert card.card is not None
    assert card.card.title.startswith("【仲裁中】")
    assert card.case_status == "仲裁中"
    assert any("仲裁" in t for t in texts(delivered, "dg-DEPT05"))
    assert any("仲裁" in t for t in texts(delivered, "tg-T01"))
    assert (await case_row(chat, seq)).status is CaseStatus.ARBITRATION

    # Only the dispatcher rules; the ruling leaves arbitration.
    await chat.switch("li-DEPT05")
    [refused] = texts(await chat.say(f"维持原派 {seq}"))
    assert "无权" in refused or "指挥中心" in refused
    await chat.switch("dc1")
    await chat.click("维持原派")
    assert (await case_row(chat, seq)).status is CaseStatus.DISPATCHED
    assert (await events_of(chat, seq))[-3:] == ["return", "arbitrate", "rule_keep"]


async def test_the_dispatcher_urges_and_the_case_stays_put(chat: ConsoleSession) -> None:
    seq = await dispatched(chat)
    await chat.switch("dc1")
    delivered = await chat.say(f"催办 {seq} 群众反映强烈，请今日到场")
    [urged] = [d.message for d in delivered if d.message.conversation == "dg-DEPT05"]
    assert urged.text.startswith("【催办】")
    assert "群众反映强烈" in urged.text
    assert "请尽快签收报到" in urged.text
    assert urged.mentions == ("li-DEPT05",)
    assert (await case_row(chat, seq)).status is CaseStatus.DISPATCHED
    assert (await events_of(chat, seq))[-1] == "urge"
    await chat.switch("ts1")
    [refused] = texts(await chat.say(f"催办 {seq}"))
    assert "无权" in refused or "指挥中心" in refused
    assert (await events_of(chat, seq))[-1] == "urge"


async def test_extension_granted_moves_the_resolve_deadline(chat: ConsoleSession) -> None:
    seq = await _signed(chat)
    before = (await case_row(chat, seq)).resolve_due_at
    assert before is not None
    await chat.say(f"延期 {seq} 2 店主外出，需等其返回")
    await chat.switch("dc1")
    await chat.click("批准延期")
    after = (await case_row(chat, seq)).resolve_due_at
    assert after is not None
    # Thursday 17:30 plus two working days is Monday 17:30: the weekend does not count.
    assert after - before == timedelta(days=4)
    again = await chat.say(f"批准延期 {seq}")
    assert "没有待审批的延期申请" in again[0].message.text


async def test_extension_refused_keeps_the_deadline(chat: ConsoleSession) -> None:
    seq = await _signed(chat)
    before = (await case_row(chat, seq)).resolve_due_at
    await chat.say(f"延期 {seq} 3 人手不足")
    await chat.switch("dc1")
    await chat.say(f"驳回延期 {seq} 事项简单，请按期办结")
    assert (await case_row(chat, seq)).resolve_due_at == before
    assert await events_of(chat, seq) == [
        "report",
        "confirm",
        "sign",
        "request_extension",
        "refuse_extension",
    ]


async def test_needs_info_pauses_and_resumes_the_clock(chat: ConsoleSession) -> None:
    seq = await _signed(chat)
    due = (await case_row(chat, seq)).resolve_due_at
    assert due is not None
    asked = await chat.say(f"要求补充 {seq} 请提供店铺门牌号")
    assert any("请提供店铺门牌号" in t for t in texts(asked, "vg-dongguan"))
    paused = await case_row(chat, seq)
    assert paused.status is CaseStatus.NEEDS_INFO
    assert paused.resolve_due_at is None
    assert paused.resolve_paused_remaining_seconds == int((due - chat.clock()).total_seconds())

    await chat.advance(timedelta(hours=5))
    await chat.switch("gw1")
    await chat.say(f"补充 {seq} 东关路18号")
    resumed = await case_row(chat, seq)
    assert resumed.status is CaseStatus.ACCEPTED
    assert resumed.resolve_due_at == due + timedelta(hours=5)
