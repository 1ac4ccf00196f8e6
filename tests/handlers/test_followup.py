"""Timers on the calendar: a case confirmed on a Friday afternoon, chased over the weekend."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.channels.console.session import ConsoleSession
from classifier.engine import Classifier
from handlers.workcalendar import LOCAL
from models.lifecycle import CaseStatus
from models.messaging import OutboxMessage
from tests.support.console import REPORT, case_row, console_session, reported


@pytest.fixture
async def friday(tmp_path: Path, trained: Classifier) -> AsyncIterator[ConsoleSession]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'whistle.db'}"
    async with console_session(url, trained, start="2026-11-20 16:00") as session:
        yield session


async def _sent(chat: ConsoleSession, conversation: str, *markers: str) -> list[datetime]:
    """When each message containing every marker was queued for `conversation`, local time."""
    async with chat.sessions() as session:
        rows = await session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.conversation_id == conversation)
            .order_by(OutboxMessage.id)
        )
        return [
            row.created_at.astimezone(LOCAL).replace(tzinfo=None)
            for row in rows
            if all(marker in row.payload["text"] for marker in markers)
        ]


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


async def test_reminders_and_escalations_fall_on_working_time_exactly_once(
    friday: ConsoleSession,
) -> None:
    chat = friday
    seq = await reported(chat, REPORT)  # D04-002: response 24 h, resolve 3 working days
    await chat.switch("ts1")
    await chat.click("确认吹哨")
    case = await case_row(chat, seq)
    assert case.response_due_at is not None
    assert case.response_due_at.astimezone(LOCAL).replace(tzinfo=None) == at("2026-11-23 16:00")

    await chat.advance(timedelta(days=1))  # Saturday: nothing
    assert await _sent(chat, "dg-DEPT05", "【催办】") == []
    await chat.advance(timedelta(days=2, hours=1))  # to Monday 17:00, step by step
    assert await _sent(chat, "dg-DEPT05", "距签收时限") == [
        at("2026-11-23 08:30"),  # 50 %: Friday's 8 h + 4 h of Monday, at the start of work
        at("2026-11-23 11:12"),  # 80 %
    ]
    assert await _sent(chat, "dg-DEPT05", "【超期督办】", "签收时限") == [at("2026-11-23 16:00")]
    assert await _sent(chat, "dc", "【超期督办】", "签收时限") == [at("2026-11-23 16:00")]
    async with chat.sessions() as session:
        payloads = [
            row.payload
            for row in await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
            if row.payload["text"].startswith(("【催办】", "【超期督办】"))
        ]
    reminder = next(p for p in payloads if p["conversation"] == "dg-DEPT05")
    assert [b["label"] for b in reminder["card"]["buttons"]] == ["签收报到", "退回"]
    assert reminder["mentions"] == ["li-DEPT05"]
    escalation = next(p for p in payloads if p["conversation"] == "dc")
    assert "催办" in [b["label"] for b in escalation["card"]["buttons"]]

    # Signing stops the response timers; the resolve window's run on.
    await chat.switch("li-DEPT05")
    await chat.say(f"签收 {seq}")
    await chat.advance(timedelta(days=3))  # to Thursday 17:00
    assert len(await _sent(chat, "dg-DEPT05", "【超期督办】", "签收时限")) == 1  # never repeated
    assert await _sent(chat, "dg-DEPT05", "距办结时限") == [
        at("2026-11-24 08:30"),
        at("2026-11-25 08:30"),
    ]
    assert await _sent(chat, "dc", "【超期督办】", "办结时限") == [at("2026-11-25 17:30")]
    # Resolving cancels the next daily escalation.
    await chat.say(f"办结 {seq} 已清理")
    await chat.advance(timedelta(days=2))
    assert await _sent(chat, "dc", "【超期督办】", "办结时限") == [at("2026-11-25 17:30")]


async def test_an_unrated_case_closes_as_unrated_after_one_reminder(
    friday: ConsoleSession,
) -> None:
    chat = friday
    seq = await reported(chat, REPORT)
    await chat.switch("ts1")
    await chat.click("确认吹哨")
    await chat.switch("li-DEPT05")
    await chat.say(f"签收 {seq}")
    await chat.say(f"办结 {seq} 已清理")
    await chat.advance(timedelta(days=7))
    assert len(await _sent(chat, "tg-T01", "请尽快评价")) == 1
    assert len(await _sent(chat, "tg-T01", "按“未评价”结案")) == 1
    case = await case_row(chat, seq)
    assert case.status is CaseStatus.CLOSED


async def test_the_dispatch_centre_gets_a_morning_digest_on_working_days(
    friday: ConsoleSession,
) -> None:
    chat = friday
    await chat.core.ensure_standing_jobs()
    await chat.core.ensure_standing_jobs()  # once, however often the bot starts
    seq = await reported(chat, REPORT)
    await chat.switch("ts1")
    await chat.click("确认吹哨")
    await chat.advance(timedelta(days=4))  # Friday 16:00 → Tuesday 16:00
    digests = await _sent(chat, "dc", "【每日汇总】")
    assert digests == [at("2026-11-23 08:30"), at("2026-11-24 08:30")]  # not at the weekend
    async with chat.sessions() as session:
        rows = await session.scalars(
            select(OutboxMessage).where(OutboxMessage.conversation_id == "dc")
        )
        texts = [r.payload["text"] for r in rows if "【每日汇总】" in r.payload["text"]]
    assert "超期 1 件" in texts[-1]  # the response deadline passed on Monday 16:00
    assert seq == 1
