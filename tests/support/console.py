"""A console session on a fresh SQLite file with the demo county loaded: the handler harness."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from bot.channels.console.session import CHANNEL, ConsoleSession, Delivered
from bot.clock import FakeClock, parse_local_time
from bot.demo_setup import ensure_demo_county
from classifier.engine import Classifier
from handlers.messages import IncomingMessage
from handlers.turn import Services
from models import schema
from models.case import Case, Rating
from models.db import make_engine, make_sessionmaker
from models.repositories.cases import CaseRepository

START = "2026-11-23 09:00"  # a Monday morning


@asynccontextmanager
async def console_session(
    url: str, classifier: Classifier | None, start: str = START
) -> AsyncIterator[ConsoleSession]:
    engine = make_engine(url)
    try:
        await schema.upgrade(engine)
        sessions = make_sessionmaker(engine)
        async with sessions.begin() as session:
            await ensure_demo_county(session, channels=(CHANNEL,))
        clock = FakeClock(parse_local_time(start))
        yield ConsoleSession(sessions, Services(classifier, clock), clock)
    finally:
        await engine.dispose()


def texts(delivered: list[Delivered], conversation: str | None = None) -> list[str]:
    return [
        d.message.text
        for d in delivered
        if conversation is None or d.message.conversation == conversation
    ]


async def case_row(session: ConsoleSession, seq: int) -> Case:
    """The case as stored now, read in a fresh database session."""
    async with session.sessions() as db:
        case = await CaseRepository(db).by_seq(seq)
    assert case is not None
    return case


async def events_of(session: ConsoleSession, seq: int) -> list[str]:
    async with session.sessions() as db:
        case = await CaseRepository(db).by_seq(seq)
        assert case is not None
        return [e.kind for e in await CaseRepository(db).events(case.id)]


async def ratings_of(session: ConsoleSession, seq: int) -> list[Rating]:
    async with session.sessions() as db:
        case = await CaseRepository(db).by_seq(seq)
        assert case is not None
        return await CaseRepository(db).ratings(case.id)


REPORT = "东关社区门口那家电动车店把车全摆到人行道上了，行人只能走机动车道"


async def reported(session: ConsoleSession, text: str = REPORT, persona: str = "gw1") -> int:
    """A grid worker reports; returns the new case's running number."""
    await session.switch(persona)
    delivered = await session.say(text)
    numbers = {d.message.case_number for d in delivered if d.message.case_number}
    assert len(numbers) == 1, [d.message.text for d in delivered]
    return int(numbers.pop().rsplit("-", 1)[1])


async def dispatched(session: ConsoleSession, text: str = REPORT) -> int:
    seq = await reported(session, text)
    await session.switch("ts1")
    await session.click("确认吹哨")
    return seq


def incoming(sender: str, conversation: str, text: str, **extra: Any) -> IncomingMessage:
    """A message as a channel hands it to the core, from anyone (registered or not)."""
    return IncomingMessage(
        channel=CHANNEL,
        platform_message_id=extra.pop("message_id", None) or uuid4().hex,
        conversation=conversation,
        sender=sender,
        text=text,
        received_at=datetime.now(UTC),
        **extra,
    )
