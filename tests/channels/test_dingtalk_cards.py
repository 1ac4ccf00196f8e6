"""Interactive cards through the card platform: created with STREAM callbacks, edited in place,
and under a chat's rate limit only the newest state of a card is sent."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from classifier.engine import Classifier
from models.lifecycle import CaseStatus
from tests.channels.conftest import MovableClock, RunningBot, start_bot, stop_bot
from tests.channels.test_dingtalk_channel import say
from tests.support.console import REPORT
from tests.support.fake_dingtalk import FakeDingTalk

TEMPLATE = "whistle-case.schema"


@pytest.fixture
async def card_bot(
    tmp_path: Path, fake: FakeDingTalk, trained: Classifier
) -> AsyncIterator[tuple[RunningBot, MovableClock]]:
    clock = MovableClock()
    bot = await start_bot(
        f"sqlite+aiosqlite:///{tmp_path / 'w.db'}",
        fake,
        trained,
        clock=clock,
        card_template_id=TEMPLATE,
    )
    try:
        yield bot, clock
    finally:
        await stop_bot(bot)


async def test_cards_are_created_with_stream_callbacks_and_edited_in_place(
    card_bot: tuple[RunningBot, MovableClock],
) -> None:
    bot, _clock = card_bot
    fake = bot.fake
    await say(bot, "gw1", "vg-dongguan", REPORT)
    await bot.settle()
    [create] = [s for s in fake.sent if s.via == "card_create"]
    body = create.body
    assert body["cardTemplateId"] == TEMPLATE
    assert body["callbackType"] == "STREAM"
    assert body["outTrackId"] == "case-1-township"
    assert body["openSpaceId"] == "dtv1.card//IM_GROUP.cid-tg-T01"
    assert body["imGroupOpenDeliverModel"]["atUserIds"] == {"ts1": "王芳"}  # {userId: nick}
    params = body["cardData"]["cardParamMap"]
    assert all(isinstance(value, str) for value in params.values())
    assert json.loads(params["buttons"])[0] == {"label": "确认吹哨", "action": "确认 0001"}

    click = fake.card_callback_payload(
        "case-1-township", "确认 0001", user="ts1", conversation="cid-tg-T01"
    )
    await fake.call(fake.push_card_callback(click))
    await bot.settle()
    assert (await bot.case(1)).status is CaseStatus.DISPATCHED
    assert fake.cards["case-1-township"]["status"] == "已吹哨待签收"  # edited in place
    assert "case-1-department" in fake.cards


async def test_a_rate_limited_chat_gets_only_the_newest_state_of_a_card(
    card_bot: tuple[RunningBot, MovableClock],
) -> None:
    bot, clock = card_bot
    fake = bot.fake
    await say(bot, "gw1", "vg-dongguan", REPORT)
    await bot.settle()
    await say(bot, "ts1", "tg-T01", "确认 0001")
    await bot.settle()
    bot.channel.sender.limiter.limit = 1  # the department chat has just had its one send
    await say(bot, "li-DEPT05", "dg-DEPT05", "签收 0001")
    await say(bot, "li-DEPT05", "dg-DEPT05", "进展 0001 已到现场")
    await say(bot, "li-DEPT05", "dg-DEPT05", "办结 0001 已清理")
    await fake.call(asyncio.sleep(1.5))
    assert not [
        s for s in fake.sent if s.via == "card_update" and _track(s) == "case-1-department"
    ]
    for minutes in (1, 2, 3):
        clock.offset = timedelta(minutes=minutes, seconds=1)
        await fake.call(asyncio.sleep(1.2))
    await bot.settle()
    updates = [s for s in fake.sent if s.via == "card_update" and _track(s) == "case-1-department"]
    assert len(updates) == 1  # 签收's edit was merged into 办结's
    assert fake.cards["case-1-department"]["status"] == "已办结待评价"
    assert any("已反馈进展" in s.text for s in fake.sent_to("cid-dg-DEPT05"))  # text is kept


async def test_an_answered_rating_card_keeps_no_buttons(
    card_bot: tuple[RunningBot, MovableClock],
) -> None:
    bot, _clock = card_bot
    fake = bot.fake
    await say(bot, "gw1", "vg-dongguan", REPORT)
    await bot.settle()
    await say(bot, "ts1", "tg-T01", "确认 0001")
    await say(bot, "li-DEPT05", "dg-DEPT05", "签收 0001")
    await say(bot, "li-DEPT05", "dg-DEPT05", "办结 0001 已清理")
    await bot.settle()
    rating, verify = fake.cards["case-1-rating"], fake.cards["case-1-verify"]
    assert json.loads(rating["buttons"])
    assert json.loads(verify["buttons"])
    click = fake.card_callback_payload(
        "case-1-rating", "评价 0001 满意", user="ts1", conversation="cid-tg-T01"
    )
    await fake.call(fake.push_card_callback(click))
    await bot.settle()
    assert (await bot.case(1)).status is CaseStatus.CLOSED
    for key in ("case-1-rating", "case-1-verify"):  # the reporter's 核查 is moot too
        card = fake.cards[key]
        assert json.loads(card["buttons"]) == []
        assert card["status"] == "已结案"
        assert ["已评价", "满意"] in json.loads(card["fields"])


def _track(sent: object) -> str:
    return str(sent.body.get("outTrackId"))  # type: ignore[attr-defined]
