"""Timer jobs on a real database: scheduled once, cancelled jobs never fire, a crashed claim is
recovered after its lease, and two schedulers racing over 500 jobs run each exactly once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.scheduler import Scheduler
from models.db import make_engine, make_sessionmaker
from models.jobs import JobStatus, TimerJob
from models.messaging import OutboxMessage
from models.repositories.jobs import JobRepository

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


async def effect(session: AsyncSession, job: TimerJob, late: timedelta) -> None:
    """What a job does: here, queue one message naming the job and how late it ran."""
    session.add(
        OutboxMessage(
            channel="test",
            kind="text",
            payload={"job": job.id, "late_seconds": late.total_seconds()},
            created_at=T0,
            next_attempt_at=T0,
        )
    )


@pytest.fixture
async def sessions(migrated_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = make_engine(migrated_url)
    try:
        yield make_sessionmaker(engine)
    finally:
        await engine.dispose()


async def _effects(sessions: async_sessionmaker[AsyncSession]) -> list[dict[str, float]]:
    async with sessions() as session:
        rows = await session.scalars(select(OutboxMessage).where(OutboxMessage.channel == "test"))
        return [row.payload for row in rows]


async def test_jobs_run_once_when_due_and_cancelled_ones_never(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as session:
        jobs = JobRepository(session)
        assert await jobs.schedule("remind", T0 + timedelta(hours=1), dedupe_key="a")
        assert not await jobs.schedule("remind", T0 + timedelta(hours=9), dedupe_key="a")
        assert await jobs.schedule("remind", T0 + timedelta(hours=2), dedupe_key="b")
        assert await jobs.schedule("remind", T0 + timedelta(hours=3), dedupe_key="c")
    async with sessions.begin() as session:
        await session.execute(
            TimerJob.__table__.update()
            .where(TimerJob.dedupe_key == "b")
            .values(status=JobStatus.CANCELLED)
        )
    clock = Clock()
    scheduler = Scheduler(sessions, effect, clock)
    assert await scheduler.run_due() == 0  # nothing due yet
    clock.now = T0 + timedelta(days=2)  # after downtime: each missed job runs once
    assert await scheduler.run_due() == 2
    assert await scheduler.run_due() == 0
    effects = await _effects(sessions)
    assert len(effects) == 2
    assert sorted(e["late_seconds"] for e in effects) == [
        (timedelta(days=2) - timedelta(hours=3)).total_seconds(),
        (timedelta(days=2) - timedelta(hours=1)).total_seconds(),
    ]


async def test_a_claim_left_by_a_crash_is_run_after_its_lease(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as session:
        await JobRepository(session).schedule("remind", T0, dedupe_key="x")
    async with sessions.begin() as session:  # claimed, then the process died
        [claimed] = await JobRepository(session).claim("crashed", T0, lease=timedelta(minutes=2))
        assert claimed.status is JobStatus.CLAIMED
    clock = Clock()
    survivor = Scheduler(sessions, effect, clock, owner="survivor")
    clock.now = T0 + timedelta(minutes=1)
    assert await survivor.run_due() == 0  # the lease still holds
    clock.now = T0 + timedelta(minutes=3)
    assert await survivor.run_due() == 1
    assert len(await _effects(sessions)) == 1


async def test_a_stalled_scheduler_cannot_complete_a_job_taken_over(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as session:
        await JobRepository(session).schedule("remind", T0, dedupe_key="y")
    async with sessions.begin() as session:
        [job] = await JobRepository(session).claim("stalled", T0, lease=timedelta(minutes=2))
        job_id = job.id
    clock = Clock()
    clock.now = T0 + timedelta(minutes=5)
    assert await Scheduler(sessions, effect, clock, owner="fresh").run_due() == 1
    # The stalled scheduler wakes up and tries to finish with its old claim.
    async with sessions.begin() as session:
        assert not await JobRepository(session).complete(job_id, "stalled", clock.now)
    assert len(await _effects(sessions)) == 1


async def test_two_schedulers_racing_over_500_jobs_run_each_exactly_once(
    migrated_url: str,
) -> None:
    engines = [make_engine(migrated_url) for _ in range(2)]
    try:
        makers = [make_sessionmaker(engine) for engine in engines]
        async with makers[0].begin() as session:
            jobs = JobRepository(session)
            for n in range(500):
                await jobs.schedule("remind", T0, dedupe_key=f"race-{n}")
        clock = Clock()
        clock.now = T0 + timedelta(minutes=1)
        racers = [
            Scheduler(maker, effect, clock, owner=f"racer-{i}", batch=25)
            for i, maker in enumerate(makers)
        ]
        done = await asyncio.gather(*(racer.run_due() for racer in racers))
        assert sum(done) == 500
        effects = await _effects(makers[0])
        assert len(effects) == 500
        assert len({e["job"] for e in effects}) == 500
        async with makers[0]() as session:
            statuses = dict(
                (
                    await session.execute(
                        select(TimerJob.status, func.count(TimerJob.id)).group_by(TimerJob.status)
                    )
                ).all()
            )
        assert statuses == {JobStatus.DONE: 500}
    finally:
        for engine in engines:
            await engine.dispose()
