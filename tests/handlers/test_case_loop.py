"""The whole case loop through the console: report, confirm, whistle, sign, resolve, rate."""

from __future__ import annotations

from bot.channels.console.session import ConsoleSession
from models.case import RatingKind, RatingValue
from models.lifecycle import CaseStatus
from tests.support.console import (
    REPORT,
    case_row,
    dispatched,
    events_of,
    ratings_of,
    reported,
    texts,
)


async def test_report_gets_a_receipt_and_a_review_card_for_the_township(
    chat: ConsoleSession,
) -> None:
    await chat.switch("gw1")
    delivered = await chat.say(REPORT)
    by_group = {d.message.conversation: d.message for d in delivered}
    receipt = by_group["vg-dongguan"]
    assert receipt.text.startswith("【已受理】QH-20261123-0001")
    assert "D04-002" in receipt.text
    assert "县综合行政执法局" in receipt.text
    assert receipt.case_status == "待确认"
    review = by_group["tg-T01"]
    assert review.card is not None
    labels = [b.label for b in review.card.buttons]
    assert labels[0] == "确认吹哨"
    assert "镇街自办" in labels
    assert any(label.startswith("改选 D") for label in labels)
    assert review.mentions == ("ts1",)
    case = await case_row(chat, 1)
    assert case.status is CaseStatus.REPORTED
    assert case.original_text == REPORT
    assert case.classification["items"][0]["code"] == "D04-002"


async def test_the_acceptance_scenario_closes_the_case_with_a_rating(chat: ConsoleSession) -> None:
    seq = await reported(chat)
    await chat.switch("ts1")
    confirmed = await chat.click("确认吹哨")
    whistle = next(d.message for d in confirmed if d.message.conversation == "dg-DEPT05")
    assert whistle.card is not None
    assert [b.label for b in whistle.card.buttons] == ["签收报到", "退回"]
    assert whistle.mentions == ("li-DEPT05",)
    # The cooperating department (市场监管局) is informed, not asked to sign.
    assert any("配合部门" in text for text in texts(confirmed, "dg-DEPT13")), texts(confirmed)
    case = await case_row(chat, seq)
    assert case.status is CaseStatus.DISPATCHED
    assert case.response_due_at is not None
    assert case.resolve_due_at is not None

    await chat.switch("li-DEPT05")
    signed = await chat.say(f"签收 {seq:04d}")
    assert any("已签收" in t for t in texts(signed, "vg-dongguan"))
    resolved = await chat.say(f"办结 {seq:04d} 已责令店主将车辆移回店内")
    rating_card = next(d.message.card for d in resolved if d.message.conversation == "tg-T01")
    assert rating_card is not None
    assert [b.label for b in rating_card.buttons] == ["满意", "基本满意", "不满意"]
    assert (await case_row(chat, seq)).status is CaseStatus.RESOLVED

    await chat.switch("ts1")
    await chat.say(f"评价 {seq:04d} 满意")
    shown = await chat.say(f"查 {seq:04d}")
    assert shown[0].message.case_status == "已结案"
    card = shown[0].message.card
    assert card is not None
    assert any(value == "评价：满意" for _at, value in card.fields)  # the grade, not just "评价"

    case = await case_row(chat, seq)
    assert case.status is CaseStatus.CLOSED
    assert case.closed_at is not None
    [rating] = await ratings_of(chat, seq)
    assert (rating.kind, rating.value, rating.rater_id) == (
        RatingKind.RATING,
        RatingValue.SATISFIED,
        "ts1",
    )
    assert await events_of(chat, seq) == ["report", "confirm", "sign", "resolve", "rate"]


async def test_unsatisfied_rating_reopens_to_the_same_department(chat: ConsoleSession) -> None:
    seq = await dispatched(chat)
    await chat.switch("li-DEPT05")
    await chat.say(f"签收 {seq}")
    await chat.say(f"办结 {seq} 已劝离")
    await chat.switch("ts1")
    reopened = await chat.say(f"评价 {seq} 不满意 车又摆出来了")
    assert any("重办" in t for t in texts(reopened, "dg-DEPT05"))
    case = await case_row(chat, seq)
    assert case.status is CaseStatus.ACCEPTED
    assert case.reopen_count == 1
    assert case.resolve_due_at is not None
    [rating] = await ratings_of(chat, seq)
    assert rating.value is RatingValue.UNSATISFIED
    assert rating.comment == "车又摆出来了"
    # The second round is rated on its own.
    await chat.switch("li-DEPT05")
    await chat.say(f"办结 {seq} 已暂扣车辆")
    await chat.switch("ts1")
    await chat.click("基本满意")
    assert (await case_row(chat, seq)).status is CaseStatus.CLOSED
    values = [(r.round, r.value) for r in await ratings_of(chat, seq)]
    assert values == [(0, RatingValue.UNSATISFIED), (1, RatingValue.BASICALLY_SATISFIED)]


async def test_reporter_verification_not_fixed_reopens(chat: ConsoleSession) -> None:
    seq = await dispatched(chat)
    await chat.switch("li-DEPT05")
    await chat.say(f"签收 {seq}")
    await chat.say(f"办结 {seq} 已清理")
    await chat.switch("gw1")
    await chat.click("未解决")
    case = await case_row(chat, seq)
    assert case.status is CaseStatus.ACCEPTED
    assert case.reopen_count == 1
    [verification] = await ratings_of(chat, seq)
    assert (verification.kind, verification.value) == (
        RatingKind.VERIFICATION,
        RatingValue.NOT_FIXED,
    )


async def test_reporter_verification_fixed_keeps_the_case_for_rating(
    chat: ConsoleSession,
) -> None:
    seq = await dispatched(chat)
    await chat.switch("li-DEPT05")
    await chat.say(f"签收 {seq}")
    await chat.say(f"办结 {seq} 已清理")
    await chat.switch("gw1")
    await chat.say(f"核查 {seq} 已解决")
    again = await chat.say(f"核查 {seq} 已解决")
    assert "不能重复" in again[0].message.text
    assert (await case_row(chat, seq)).status is CaseStatus.RESOLVED
    assert [r.value for r in await ratings_of(chat, seq)] == [RatingValue.FIXED]


async def test_the_whole_loop_on_each_database(chat_anywhere: ConsoleSession) -> None:
    """Report, a refused stranger, confirm, sign, resolve, rate — and a redelivered message
    that changes nothing — on SQLite and on PostgreSQL."""
    chat = chat_anywhere
    await chat.switch("gw1")
    first = await chat.say(REPORT, message_id="platform-msg-1")
    again = await chat.say(REPORT, message_id="platform-msg-1")
    assert first
    assert again == []
    seq = 1
    await chat.switch("gw2")
    refused = await chat.say(f"签收 {seq:04d}")
    assert len(refused) == 1
    assert (await case_row(chat, seq)).status is CaseStatus.REPORTED
    await chat.switch("ts1")
    await chat.click("确认吹哨")
    await chat.switch("li-DEPT05")
    await chat.click("签收报到")
    await chat.say(f"办结 {seq:04d} 已责令店主将车辆移回店内")
    await chat.switch("ts1")
    await chat.click("满意")
    case = await case_row(chat, seq)
    assert case.status is CaseStatus.CLOSED
    assert [r.value for r in await ratings_of(chat, seq)] == [RatingValue.SATISFIED]
    assert await events_of(chat, seq) == ["report", "confirm", "sign", "resolve", "rate"]
