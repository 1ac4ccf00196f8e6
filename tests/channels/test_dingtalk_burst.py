"""A burst of 1,000 messages through the real SDK: every one acknowledged, stored, answered."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import func, select

from classifier.engine import Classifier
from models.messaging import InboxMessage, InboxStatus
from tests.channels.conftest import start_bot, stop_bot
from tests.support.fake_dingtalk import FakeDingTalk

BURST = 1_000
SPEAKERS = (("gw1", "vg-dongguan"), ("gw2", "vg-hetou"), ("ts1", "tg-T01"), ("ts2", "tg-T03"))


async def test_a_burst_of_a_thousand_messages_loses_none(
    tmp_path: Path, fake: FakeDingTalk, trained: Classifier
) -> None:
    bot = await start_bot(
        f"sqlite+aiosqlite:///{tmp_path / 'w.db'}", fake, trained, sends_per_minute=100_000
    )
    try:
        for n in range(BURST):
            person, group = SPEAKERS[n % len(SPEAKERS)]
            payload = fake.chatbot_payload(
                "我的待办", sender=person, conversation=f"cid-{group}", msgId=f"burst-{n}"
            )
            await fake.call(fake.push_chatbot(payload, wait_ack=False))
        for _ in range(1200):  # every frame acknowledged first (the gate stored it by then)
            if len(fake.acks) >= BURST:
                break
            await asyncio.sleep(0.05)
        await bot.settle(timeout=240)
        acks = dict(fake.acks)
        assert len(acks) == BURST
        assert {ack["code"] for ack in acks.values()} == {200}
        async with bot.sessions() as session:
            done = await session.scalar(
                select(func.count(InboxMessage.id)).where(InboxMessage.status == InboxStatus.DONE)
            )
        assert done == BURST
        assert len(fake.sent) == BURST
        for _person, group in SPEAKERS:
            assert len(fake.sent_to(f"cid-{group}")) == BURST // len(SPEAKERS)
    finally:
        await stop_bot(bot)
