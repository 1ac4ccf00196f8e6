"""The scheduler loop: claim due timer jobs, run each with its effect in one transaction.

Several bot processes may run it against one PostgreSQL database; each job's effect happens
exactly once (see `models.repositories.jobs`). After downtime a missed job runs once, however
many intervals it missed, and its handler is told how late it is.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from uuid import uuid4

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models.jobs import TimerJob
from models.repositories.jobs import JobRepository

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)
RETRY_AFTER = timedelta(minutes=1)

# A job's effect: given the open transaction, the job and how late it runs.
JobHandler = Callable[[AsyncSession, TimerJob, timedelta], Awaitable[None]]


class Scheduler:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        handle: JobHandler,
        clock: Callable[[], datetime],
        *,
        owner: str | None = None,
        batch: int = 100,
    ) -> None:
        self.sessions = sessions
        self.handle = handle
        self.clock = clock
        self.owner = owner or f"{socket.gethostname()}-{uuid4().hex[:8]}"
        self.batch = batch
        self.done = 0
        self.lost = 0  # completions refused because another scheduler took the job over

    async def run_due(self) -> int:
        """Claim and run what is due now; the number of jobs completed by this scheduler."""
        completed = 0
        while True:
            async with self.sessions.begin() as session:
                claimed = await JobRepository(session).claim(
                    self.owner, self.clock(), lease=LEASE, limit=self.batch
                )
                jobs = [(job.id, job.due_at) for job in claimed]
            if not jobs:
                return completed
            for job_id, due_at in jobs:
                completed += await self._run_one(job_id, due_at)

    async def _run_one(self, job_id: int, due_at: datetime) -> int:
        now = self.clock()
        try:
            async with self.sessions.begin() as session:
                job = await session.get(TimerJob, job_id)
                if job is None:  # pragma: no cover - jobs are never deleted
                    return 0
                await self.handle(session, job, max(now - due_at, timedelta()))
                if not await JobRepository(session).complete(job_id, self.owner, now):
                    raise _LostClaim
        except _LostClaim:
            self.lost += 1
            log.info("job %s was taken over by another scheduler; effect rolled back", job_id)
            return 0
        except Exception as error:
            log.exception("timer job %s failed; retrying in %s", job_id, RETRY_AFTER)
            async with self.sessions.begin() as session:
                await JobRepository(session).release(
                    job_id, self.owner, now + RETRY_AFTER, f"{type(error).__name__}: {error}"
                )
            return 0
        self.done += 1
        return 1

    async def run(self, stop: asyncio.Event, *, poll_seconds: float = 5.0) -> None:
        while not stop.is_set():
            try:
                await self.run_due()
            except Exception:
                log.exception("scheduler pass failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), poll_seconds)


class _LostClaim(Exception):
    pass
