"""The real `dingtalk-stream` SDK and our channel against a fake DingTalk on 127.0.0.1."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.channels.dingtalk.channel import DingTalkChannel
from bot.channels.dingtalk.config import DingTalkSettings
from bot.channels.dingtalk.inbound import CHANNEL
from bot.demo_setup import ensure_demo_county
from classifier.engine import Classifier
from handlers.turn import Services
from models import schema
from models.case import Case
from models.db import make_engine, make_sessionmaker
from models.repositories.cases import CaseRepository
from models.repositories.messaging import InboxRepository, OutboxRepository
from tests.support.fake_dingtalk import CLIENT_ID, CLIENT_SECRET, FakeDingTalk


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeDingTalk]:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    gateway = FakeDingTalk()
    gateway.start()
    try:
        yield gateway
    finally:
        gateway.stop()


@dataclass
class RunningBot:
    channel: DingTalkChannel
    fake: FakeDingTalk
    sessions: async_sessionmaker[AsyncSession]
    stop: asyncio.Event
    task: asyncio.Task[None]
    engine: AsyncEngine

    async def case_count(self) -> int:
        async with self.sessions() as session:
            return await session.scalar(select(func.count(Case.id))) or 0

    async def case(self, seq: int) -> Case:
        async with self.sessions() as session:
            case = await CaseRepository(session).by_seq(seq)
        assert case is not None
        return case

    async def settle(self, timeout: float = 15) -> None:
        """Until every accepted event is handled and the outbox is empty."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            await asyncio.sleep(0.05)
            async with self.sessions() as session:
                depth = await OutboxRepository(session).depth()
                pending = len(await InboxRepository(session).pending(CHANNEL))
            if depth == 0 and pending == 0 and self.channel.idle:
                return
            if loop.time() > deadline:
                msg = f"not settled within {timeout} s (outbox {depth})"
                raise TimeoutError(msg)


def settings_for(fake: FakeDingTalk) -> DingTalkSettings:
    return DingTalkSettings(
        client_id=CLIENT_ID, client_secret=CLIENT_SECRET, api_base=fake.base_url
    )


class MovableClock:
    """Real time plus an offset the test moves forward (to skip a retry's wait)."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset


async def start_bot(
    url: str,
    fake: FakeDingTalk,
    classifier: Classifier,
    *,
    clock: MovableClock | None = None,
    sends_per_minute: int = 20,
    card_template_id: str = "",
) -> RunningBot:
    engine = make_engine(url)
    await schema.upgrade(engine)
    sessions = make_sessionmaker(engine)
    async with sessions.begin() as session:
        await ensure_demo_county(session, channels=(CHANNEL,))
    clock = clock or MovableClock()
    settings = settings_for(fake).model_copy(
        update={"sends_per_minute": sends_per_minute, "card_template_id": card_template_id}
    )
    channel = DingTalkChannel(settings, sessions, Services(classifier, clock), clock=clock)
    stop = asyncio.Event()
    task = asyncio.create_task(channel.run(stop))
    await fake.call(fake.wait_connected())
    return RunningBot(channel, fake, sessions, stop, task, engine)


async def stop_bot(bot: RunningBot) -> None:
    bot.stop.set()
    await asyncio.wait_for(bot.task, 20)
    await bot.engine.dispose()


@pytest.fixture
async def bot(
    tmp_path: Path, fake: FakeDingTalk, trained: Classifier
) -> AsyncIterator[RunningBot]:
    running = await start_bot(f"sqlite+aiosqlite:///{tmp_path / 'whistle.db'}", fake, trained)
    try:
        yield running
    finally:
        await stop_bot(running)
