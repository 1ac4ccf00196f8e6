"""Timer jobs: scheduled once, claimed with a lease, completed exactly once.

Exactly once rests on two rules. Claiming takes due rows with `FOR UPDATE SKIP LOCKED` (on
PostgreSQL; SQLite has one writer), so two schedulers never claim the same row at once. And a
job's effect is written in the same transaction as `complete`, which only succeeds while the
claim is still this scheduler's: a scheduler whose lease ran out (it stalled, another took the
job over) finds its completion refused and rolls its effect back.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models.jobs import JobStatus, TimerJob
from models.repositories.inserts import insert_unless_present


class JobRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def schedule(
        self,
        kind: str,
        due_at: datetime,
        *,
        dedupe_key: str,
        case_id: int | None = None,
        payload: dict[str, Any] | None = None,
    ) -> bool:
        """Add the job unless one with `dedupe_key` exists; True when it was added."""
        values = {
            "kind": kind,
            "due_at": due_at,
            "dedupe_key": dedupe_key,
            "case_id": case_id,
            "payload": payload or {},
            "status": JobStatus.PENDING,
            "attempts": 0,
            "created_at": due_at,
        }
        added = await insert_unless_present(self.session, TimerJob, values, unique=["dedupe_key"])
        return added is not None

    async def revive(self, dedupe_key: str) -> None:
        """A cancelled timer planned again unchanged: pending once more (never a done one)."""
        await self.session.execute(
            update(TimerJob)
            .where(TimerJob.dedupe_key == dedupe_key, TimerJob.status == JobStatus.CANCELLED)
            .values(status=JobStatus.PENDING)
        )

    async def cancel_for_case(self, case_id: int, kinds: Sequence[str] | None = None) -> int:
        """Cancel the case's pending jobs (of these kinds): the case moved on."""
        statement = update(TimerJob).where(
            TimerJob.case_id == case_id, TimerJob.status == JobStatus.PENDING
        )
        if kinds:
            statement = statement.where(TimerJob.kind.in_(list(kinds)))
        result = await self.session.execute(statement.values(status=JobStatus.CANCELLED))
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    async def claim(
        self, owner: str, now: datetime, *, lease: timedelta, limit: int = 100
    ) -> list[TimerJob]:
        """Due jobs, leased to `owner`; a claim whose lease ran out is due again."""
        due = or_(
            and_(TimerJob.status == JobStatus.PENDING, TimerJob.due_at <= now),
            and_(TimerJob.status == JobStatus.CLAIMED, TimerJob.lease_until < now),
        )
        statement = (
            select(TimerJob)
            .where(due)
            .order_by(TimerJob.due_at, TimerJob.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        jobs = list(await self.session.scalars(statement))
        for job in jobs:
            job.status = JobStatus.CLAIMED
            job.lease_owner = owner
            job.lease_until = now + lease
            job.attempts += 1
        await self.session.flush()
        return jobs

    async def complete(self, job_id: int, owner: str, now: datetime) -> bool:
        """Mark done if the claim is still `owner`'s; False means roll the effect back."""
        result = await self.session.execute(
            update(TimerJob)
            .where(
                TimerJob.id == job_id,
                TimerJob.status == JobStatus.CLAIMED,
                TimerJob.lease_owner == owner,
            )
            .values(status=JobStatus.DONE, done_at=now, lease_until=None)
        )
        return int(result.rowcount or 0) == 1  # type: ignore[attr-defined]

    async def release(self, job_id: int, owner: str, retry_at: datetime, error: str) -> None:
        """A job whose effect failed: pending again at `retry_at`, the error kept."""
        await self.session.execute(
            update(TimerJob)
            .where(TimerJob.id == job_id, TimerJob.lease_owner == owner)
            .values(
                status=JobStatus.PENDING,
                due_at=retry_at,
                lease_owner=None,
                lease_until=None,
                last_error=error[:2000],
            )
        )

    async def next_due(self, until: datetime) -> datetime | None:
        """The earliest pending job due by `until` (a simulated clock steps to it)."""
        statement = select(func.min(TimerJob.due_at)).where(
            TimerJob.status == JobStatus.PENDING, TimerJob.due_at <= until
        )
        return await self.session.scalar(statement)

    async def pending_for_case(self, case_id: int) -> list[TimerJob]:
        statement = (
            select(TimerJob)
            .where(TimerJob.case_id == case_id, TimerJob.status == JobStatus.PENDING)
            .order_by(TimerJob.due_at)
        )
        return list(await self.session.scalars(statement))
