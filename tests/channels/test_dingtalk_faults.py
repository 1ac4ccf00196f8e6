"""Faults on the DingTalk side: reconnects, refused connections, failing sends, restarts."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.channels.dingtalk.inbound import parse_chatbot_message
from classifier.engine import Classifier
from models.lifecycle import CaseStatus
from tests.channels.conftest import MovableClock, RunningBot, start_bot, stop_bot
from tests.channels.test_dingtalk_channel import say
from tests.support.console import REPORT
from tests.support.fake_dingtalk import FakeDingTalk


async def test_disconnect_and_abrupt_close_reconnect_without_loss(bot: RunningBot) -> None:
    fake = bot.fake
    await fake.call(fake.push_system("disconnect", {"reason": "persistent connection is timeout"}))
    await fake.call(fake.wait_connected(2))
    await say(bot, "gw1", "vg-dongguan", REPORT)
    await fake.call(fake.drop_connection())
    await fake.call(fake.wait_connected(3))
    await say(bot, "ts1", "tg-T01", "确认 0001")
    await bot.settle()
    assert (await bot.case(1)).status is CaseStatus.DISPATCHED


async def test_open_connection_failures_are_retried(
    tmp_path: Path, fake: FakeDingTalk, trained: Classifier
) -> None:
    fake.knobs.fail_open = 2
    bot = await start_bot(f"sqlite+aiosqlite:///{tmp_path / 'w.db'}", fake, trained)
    try:
        assert fake.open_attempts >= 3
        await say(bot, "gw1", "vg-dongguan", REPORT)
        await bot.settle()
        assert await bot.case_count() == 1
    finally:
        await stop_bot(bot)


async def test_failing_sends_are_delivered_later_in_order(bot: RunningBot) -> None:
    fake = bot.fake
    fake.knobs.fail_sends = 2  # the receipt and what follows it wait; nothing is lost
    await say(bot, "gw1", "vg-dongguan", REPORT)
    await say(bot, "gw1", "vg-dongguan", "我的待办")
    await bot.settle(timeout=30)
    texts = [s.text for s in fake.sent_to("cid-vg-dongguan")]
    assert len(texts) == 2
    assert "【已受理】" in texts[0]  # still before the later answer
    assert "待办" in texts[1]


async def test_a_restart_finishes_what_was_accepted_and_queued(
    tmp_path: Path, fake: FakeDingTalk, trained: Classifier
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'w.db'}"
    bot = await start_bot(url, fake, trained)
    # Accepted but never handled, as after a crash right after the ACK.
    payload = fake.chatbot_payload(REPORT, sender="gw1", conversation="cid-vg-dongguan")
    parsed = parse_chatbot_message(payload, received_at=datetime.now(UTC))
    await bot.channel.core.accept(parsed.message)
    await stop_bot(bot)
    assert fake.sent == []

    again = await start_bot(url, fake, trained)
    try:
        await again.settle()
        assert await again.case_count() == 1
        receipts = [s for s in fake.sent_to("cid-vg-dongguan") if "【已受理】" in s.text]
        assert len(receipts) == 1
    finally:
        await stop_bot(again)


async def test_flow_control_waits_its_minute_then_delivers(
    tmp_path: Path, fake: FakeDingTalk, trained: Classifier
) -> None:
    clock = MovableClock()
    bot = await start_bot(f"sqlite+aiosqlite:///{tmp_path / 'w.db'}", fake, trained, clock=clock)
    try:
        fake.knobs.throttle_sends = 1
        await say(bot, "gw1", "vg-dongguan", REPORT)
        await fake.call(asyncio.sleep(1.5))  # a few sender passes: the receipt is held back
        assert fake.sent_to("cid-vg-dongguan") == []
        clock.offset = timedelta(seconds=61)
        await bot.settle()
        [receipt] = fake.sent_to("cid-vg-dongguan")
        assert "【已受理】" in receipt.text
    finally:
        await stop_bot(bot)


async def test_the_rate_limit_spreads_a_chats_messages_over_minutes(
    tmp_path: Path, fake: FakeDingTalk, trained: Classifier
) -> None:
    clock = MovableClock()
    bot = await start_bot(
        f"sqlite+aiosqlite:///{tmp_path / 'w.db'}", fake, trained, clock=clock, sends_per_minute=3
    )
    try:
        for _ in range(5):
            await say(bot, "gw1", "vg-dongguan", "我的待办")
        await fake.call(asyncio.sleep(1.5))
        assert len(fake.sent_to("cid-vg-dongguan")) == 3
        clock.offset = timedelta(seconds=61)
        await bot.settle()
        assert len(fake.sent_to("cid-vg-dongguan")) == 5
    finally:
        await stop_bot(bot)


async def test_a_restart_sends_what_the_outbox_holds_exactly_once(
    tmp_path: Path, fake: FakeDingTalk, trained: Classifier
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'w.db'}"
    bot = await start_bot(url, fake, trained)
    fake.knobs.fail_sends = 1_000  # DingTalk is down: replies pile up in the outbox
    await say(bot, "gw1", "vg-dongguan", REPORT)
    await fake.call(asyncio.sleep(1))
    await stop_bot(bot)
    assert fake.sent == []
    fake.knobs.fail_sends = 0

    again = await start_bot(url, fake, trained)
    try:
        await again.settle(timeout=30)
        receipts = [s for s in fake.sent if "【已受理】" in s.text]
        assert len(receipts) == 1
        assert len(fake.sent_to("cid-tg-T01")) == 1
    finally:
        await stop_bot(again)


async def test_a_lost_ack_brings_a_redelivery_that_changes_nothing(bot: RunningBot) -> None:
    fake = bot.fake
    fake.knobs.drop_acks = True
    fake.knobs.redeliver_after = 0.3
    payload = fake.chatbot_payload(REPORT, sender="gw1", conversation="cid-vg-dongguan")
    await fake.call(fake.push_chatbot(payload, wait_ack=False))
    await fake.call(asyncio.sleep(1.0))
    await bot.settle()
    assert fake.pushed == 2  # the frame came twice
    assert await bot.case_count() == 1
    receipts = [s for s in fake.sent_to("cid-vg-dongguan") if "【已受理】" in s.text]
    assert len(receipts) == 1
