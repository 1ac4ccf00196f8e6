"""A 1:1 chat with the bot is answered in that chat: through its sessionWebhook while valid,
else by user id (oToMessages) — never in the person's group."""

from __future__ import annotations

import time

from tests.channels.conftest import RunningBot, start_bot, stop_bot
from tests.support.console import REPORT
from tests.support.fake_dingtalk import FakeDingTalk

PRIVATE_CHAT = "cid-1to1-gw1"


async def ask_privately(bot: RunningBot, text: str, **extra: object) -> None:
    fake = bot.fake
    payload = fake.chatbot_payload(text, sender="gw1", conversation=PRIVATE_CHAT, group=False)
    ack = await fake.call(fake.push_chatbot(payload | extra))
    assert ack is not None
    assert ack["code"] == 200


async def test_a_question_in_a_private_chat_is_answered_there(bot: RunningBot) -> None:
    await ask_privately(bot, "谁负责 秸秆焚烧")
    await bot.settle()
    answers = bot.fake.sent_to(PRIVATE_CHAT)
    assert [a.via for a in answers] == ["session"]
    assert "秸秆" in answers[0].text
    assert bot.fake.sent_to("cid-vg-dongguan") == []


async def test_without_a_live_webhook_the_answer_goes_to_the_user(bot: RunningBot) -> None:
    expired = int(time.time() * 1000) - 1000
    await ask_privately(bot, "帮助", sessionWebhookExpiredTime=expired)
    await bot.settle()
    answers = [s for s in bot.fake.sent if s.conversation != PRIVATE_CHAT]
    assert [(a.via, a.conversation) for a in answers] == [("single", "gw1")]
    assert bot.fake.sent_to("cid-vg-dongguan") == []


async def test_a_private_report_gets_its_receipt_card_in_the_private_chat(
    tmp_path, fake: FakeDingTalk, trained
) -> None:
    bot = await start_bot(
        f"sqlite+aiosqlite:///{tmp_path / 'w.db'}", fake, trained, card_template_id="tpl.schema"
    )
    try:
        await ask_privately(bot, "谁负责 秸秆焚烧")
        await bot.settle()
        await ask_privately(bot, REPORT)
        await bot.settle()
        receipts = [s for s in fake.sent if s.conversation in (PRIVATE_CHAT, "robot:gw1")]
        assert any("【已受理】" in s.text for s in receipts)
        assert fake.sent_to("cid-vg-dongguan") == []
        # The township still gets its review card in its own group.
        assert fake.sent_to("cid-tg-T01")
    finally:
        await stop_bot(bot)
