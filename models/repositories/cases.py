"""Storing and finding cases, and writing their audit log."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.case import Case, CaseEventRecord, Rating
from models.lifecycle import CaseStatus, Role

CASE_PREFIX = "QH"


def case_number(seq: int, local_date: date) -> str:
    """`QH-20261122-0007`: county prefix, the local date of the report, the running number."""
    return f"{CASE_PREFIX}-{local_date:%Y%m%d}-{seq:04d}"


def short_number(seq: int) -> str:
    """The form typed in chat: `0007`."""
    return f"{seq:04d}"


class CaseRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def next_seq(self) -> int:
        """The next running number. Two writers racing get a unique-constraint error on
        `cases.seq`, and the loser's whole transaction is retried by the caller."""
        current = await self.session.scalar(select(func.max(Case.seq)))
        return (current or 0) + 1

    async def add(self, case: Case) -> Case:
        self.session.add(case)
        await self.session.flush()
        return case

    async def by_seq(self, seq: int) -> Case | None:
        return (await self.session.scalars(select(Case).where(Case.seq == seq))).first()

    async def by_id(self, case_id: int) -> Case | None:
        return await self.session.get(Case, case_id)

    async def record(
        self,
        case: Case,
        *,
        kind: str,
        actor_id: str | None,
        actor_role: Role,
        at: datetime,
        from_status: CaseStatus | None = None,
        to_status: CaseStatus | None = None,
        payload: dict[str, Any] | None = None,
    ) -> CaseEventRecord:
        event = CaseEventRecord(
            case_id=case.id,
            at=at,
            actor_id=actor_id,
            actor_role=actor_role,
            kind=kind,
            from_status=from_status,
            to_status=to_status,
            payload=payload or {},
        )
        self.session.add(event)
        await self.session.flush()
        return event

    async def events(self, case_id: int) -> list[CaseEventRecord]:
        statement = (
            select(CaseEventRecord)
            .where(CaseEventRecord.case_id == case_id)
            .order_by(CaseEventRecord.id)
        )
        return list(await self.session.scalars(statement))

    async def last_event(self, case_id: int, kind: str) -> CaseEventRecord | None:
        statement = (
            select(CaseEventRecord)
            .where(CaseEventRecord.case_id == case_id, CaseEventRecord.kind == kind)
            .order_by(CaseEventRecord.id.desc())
            .limit(1)
        )
        return (await self.session.scalars(statement)).first()

    async def add_rating(self, rating: Rating) -> None:
        self.session.add(rating)
        await self.session.flush()

    async def ratings(self, case_id: int) -> list[Rating]:
        statement = select(Rating).where(Rating.case_id == case_id).order_by(Rating.id)
        return list(await self.session.scalars(statement))

    async def in_states(
        self,
        states: Iterable[CaseStatus],
        *,
        township_ids: Iterable[int] | None = None,
        department_ids: Iterable[int] | None = None,
        reporter_id: str | None = None,
        limit: int = 20,
    ) -> list[Case]:
        """Cases waiting on someone, oldest first: the body of 我的待办."""
        statement = select(Case).where(Case.status.in_(list(states)))
        if township_ids is not None:
            statement = statement.where(Case.township_id.in_(list(township_ids)))
        if department_ids is not None:
            statement = statement.where(Case.lead_department_id.in_(list(department_ids)))
        if reporter_id is not None:
            statement = statement.where(Case.reporter_id == reporter_id)
        statement = statement.order_by(Case.seq).limit(limit)
        return list(await self.session.scalars(statement))

    async def open_duplicates(
        self, *, item_id: int, village_id: int, since: datetime, excluding: int
    ) -> list[Case]:
        """Open cases with the same item in the same village reported since `since`."""
        statement = (
            select(Case)
            .where(
                Case.item_id == item_id,
                Case.village_id == village_id,
                Case.created_at >= since,
                Case.id != excluding,
                Case.status.not_in([CaseStatus.CLOSED, CaseStatus.CANCELLED]),
            )
            .order_by(Case.seq)
        )
        return list(await self.session.scalars(statement))

    async def digest_counts(self, since: datetime, now: datetime) -> dict[str, int]:
        """For the morning digest: new since `since`, overdue, returned, awaiting rating."""
        open_states = [CaseStatus.DISPATCHED, CaseStatus.ACCEPTED]

        async def count(*conditions: Any) -> int:
            return await self.session.scalar(select(func.count(Case.id)).where(*conditions)) or 0

        return {
            "new": await count(Case.created_at >= since),
            "overdue": await count(
                Case.status.in_(open_states),
                or_(
                    and_(Case.status == CaseStatus.DISPATCHED, Case.response_due_at < now),
                    Case.resolve_due_at < now,
                ),
            ),
            "returned": await count(
                Case.status.in_([CaseStatus.RETURNED, CaseStatus.ARBITRATION])
            ),
            "awaiting_rating": await count(Case.status == CaseStatus.RESOLVED),
            "pending_assignment": await count(Case.status == CaseStatus.PENDING_ASSIGNMENT),
        }
