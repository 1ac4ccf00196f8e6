"""The whole case loop through DingTalk: Stream frames and card callbacks in, through the real
SDK, to the fake gateway's sessionWebhook, OpenAPI and card endpoints out."""

from __future__ import annotations

from typing import Any

from models.lifecycle import CaseStatus
from tests.channels.conftest import RunningBot
from tests.support.console import REPORT


async def say(bot: RunningBot, person: str, group: str, text: str, **extra: Any) -> dict[str, Any]:
    fake = bot.fake
    payload = fake.chatbot_payload(text, sender=person, conversation=f"cid-{group}", **extra)
    ack = await fake.call(fake.push_chatbot(payload))
    assert ack is not None
    return ack


async def test_the_scenario_runs_end_to_end_over_stream(bot: RunningBot) -> None:
    fake = bot.fake
    ack = await say(bot, "gw1", "vg-dongguan", REPORT, msgId="msg-report-1")
    assert ack["code"] == 200
    assert ack["data"] == '{"response": "OK"}'
    await bot.settle()
    receipt = fake.sent_to("cid-vg-dongguan")
    assert receipt[0].via == "session"  # the reporter's group wrote last: its webhook is valid
    assert "【已受理】" in receipt[0].text
    review = fake.sent_to("cid-tg-T01")
    assert review[0].via == "group"  # no webhook for the township group yet: the OpenAPI
    assert "确认 0001" in review[0].text  # the card as markdown, with its command twins

    # DingTalk redelivers the report: nothing new happens.
    sent_before = len(fake.sent)
    await say(bot, "gw1", "vg-dongguan", REPORT, msgId="msg-report-1")
    await bot.settle()
    assert await bot.case_count() == 1
    assert len(fake.sent) == sent_before

    # The township confirms with a card button; the callback carries the text command.
    click = fake.card_callback_payload(
        "case-1-township", "确认 0001", user="ts1", conversation="cid-tg-T01"
    )
    ack = await fake.call(fake.push_card_callback(click))
    assert ack is not None
    assert ack["code"] == 200
    await bot.settle()
    assert (await bot.case(1)).status is CaseStatus.DISPATCHED
    whistle = fake.sent_to("cid-dg-DEPT05")
    assert whistle
    assert "签收 0001" in whistle[-1].text
    assert "@li-DEPT05" in whistle[-1].text

    # One chat's messages are handled in order, even sent back to back.
    await say(bot, "li-DEPT05", "dg-DEPT05", "签收 0001")
    await say(bot, "li-DEPT05", "dg-DEPT05", "办结 0001 已责令店主将车辆移回店内")
    await bot.settle()  # the township rates what it has seen resolved
    await say(bot, "ts1", "tg-T01", "评价 0001 满意")
    await bot.settle()
    case = await bot.case(1)
    assert case.status is CaseStatus.CLOSED
    assert any("案件已结案" in s.text for s in fake.sent_to("cid-tg-T01"))


async def test_a_stranger_and_a_forged_callback_are_refused(bot: RunningBot) -> None:
    fake = bot.fake
    await say(bot, "gw1", "vg-dongguan", REPORT)
    await bot.settle()
    await say(bot, "gw2", "vg-hetou", "签收 0001")
    forged = fake.card_callback_payload(
        "case-9-township", "确认 0001", user="ts1", conversation="cid-tg-T01"
    )
    await fake.call(fake.push_card_callback(forged))
    broken = fake.card_callback_payload(
        "case-1-township", "确认 0001", user="ts1", conversation="cid-tg-T01"
    ) | {"content": "{not json"}
    ack = await fake.call(fake.push_card_callback(broken))
    assert ack is not None
    assert ack["code"] == 200  # unreadable: acknowledged, logged, nothing done
    await bot.settle()
    assert (await bot.case(1)).status is CaseStatus.REPORTED
    assert bot.channel.gate.refused == 1


async def test_an_admin_binds_a_new_group_in_chat(bot: RunningBot) -> None:
    fake = bot.fake
    # A stranger's group: nobody but an admin may bind it.
    await say(bot, "ts1", "new-chat", "绑定本群 tg-T02")
    await say(bot, "ad1", "new-chat", "绑定本群 tg-T99")
    await say(bot, "ad1", "new-chat", "绑定本群 tg-T02")
    await bot.settle()
    # Answers to an unbound chat go to the speaker's own group.
    assert any("只有系统管理员" in s.text for s in fake.sent_to("cid-tg-T01"))
    assert any("没有编号为“tg-T99”的群" in s.text for s in fake.sent_to("cid-dc"))
    [bound] = fake.sent_to("cid-new-chat")
    assert "城南街道吹哨群" in bound.text
    # What goes to 城南街道's group now arrives in the chat just bound.
    await say(bot, "ts3", "new-chat", "帮助")
    await bot.settle()
    assert any("使用说明" in s.text for s in fake.sent_to("cid-new-chat"))
