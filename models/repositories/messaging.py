"""The inbox (idempotent, keyed by platform message id) and the outbox (persistent sends)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from models.messaging import InboxMessage, InboxStatus, OutboxMessage, OutboxStatus
from models.repositories.inserts import insert_unless_present


class InboxRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def accept(
        self,
        *,
        channel: str,
        platform_message_id: str,
        kind: str,
        payload: dict[str, Any],
        received_at: datetime,
    ) -> int | None:
        """Store an inbound event; its id, or None when this platform id was seen before.

        One statement (`INSERT … ON CONFLICT DO NOTHING`), so two replicas receiving the same
        redelivered message cannot both accept it.
        """
        values = {
            "channel": channel,
            "platform_message_id": platform_message_id,
            "kind": kind,
            "payload": payload,
            "status": InboxStatus.PENDING,
            "attempts": 0,
            "received_at": received_at,
        }
        return await insert_unless_present(
            self.session, InboxMessage, values, unique=["channel", "platform_message_id"]
        )

    async def get(self, inbox_id: int) -> InboxMessage | None:
        return await self.session.get(InboxMessage, inbox_id)

    async def finish(self, inbox_id: int, at: datetime) -> None:
        await self.session.execute(
            update(InboxMessage)
            .where(InboxMessage.id == inbox_id)
            .values(status=InboxStatus.DONE, processed_at=at)
        )

    async def fail(self, inbox_id: int, error: str) -> None:
        """Keep a message whose handling crashed, with the reason: never silently dropped."""
        await self.session.execute(
            update(InboxMessage)
            .where(InboxMessage.id == inbox_id)
            .values(
                status=InboxStatus.FAILED,
                attempts=InboxMessage.attempts + 1,
                last_error=error[:2000],
            )
        )

    async def pending(
        self, channel: str, *, max_attempts: int = 3, limit: int = 100
    ) -> list[InboxMessage]:
        """Accepted but not handled (a crash or restart in between), and failed ones that have
        retries left: handled again on start."""
        statement = (
            select(InboxMessage)
            .where(
                InboxMessage.channel == channel,
                or_(
                    InboxMessage.status == InboxStatus.PENDING,
                    and_(
                        InboxMessage.status == InboxStatus.FAILED,
                        InboxMessage.attempts < max_attempts,
                    ),
                ),
            )
            .order_by(InboxMessage.id)
            .limit(limit)
        )
        return list(await self.session.scalars(statement))


class OutboxRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def enqueue(self, messages: Sequence[OutboxMessage]) -> None:
        self.session.add_all(messages)
        await self.session.flush()

    async def due(self, channel: str, now: datetime, limit: int = 100) -> list[OutboxMessage]:
        statement = (
            select(OutboxMessage)
            .where(
                OutboxMessage.channel == channel,
                OutboxMessage.status == OutboxStatus.PENDING,
                OutboxMessage.next_attempt_at <= now,
            )
            .order_by(OutboxMessage.id)
            .limit(limit)
        )
        return list(await self.session.scalars(statement))

    async def mark_sent(self, ids: Sequence[int], at: datetime) -> None:
        if not ids:
            return
        await self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(list(ids)))
            .values(status=OutboxStatus.SENT, sent_at=at, attempts=OutboxMessage.attempts + 1)
        )

    async def claim(
        self, channel: str, now: datetime, *, lease: timedelta, limit: int = 50
    ) -> list[OutboxMessage]:
        """Due rows for `channel`, leased to this sender until `now + lease`.

        A row whose lease ran out (its sender crashed between claim and send) is due again.
        On PostgreSQL `SKIP LOCKED` lets several bot processes claim side by side without
        sending a row twice; SQLite has one writer at a time anyway.
        """
        due = or_(
            and_(
                OutboxMessage.status == OutboxStatus.PENDING,
                OutboxMessage.next_attempt_at <= now,
            ),
            and_(OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.lease_until < now),
        )
        # An earlier message of the same chat that is waiting (a retry, a rate-limit slot) or
        # being sent elsewhere holds the later ones back: a chat never sees them out of order.
        earlier = aliased(OutboxMessage)
        waiting_before = (
            select(earlier.id)
            .where(
                earlier.channel == OutboxMessage.channel,
                earlier.conversation_id == OutboxMessage.conversation_id,
                earlier.id < OutboxMessage.id,
                or_(
                    and_(earlier.status == OutboxStatus.PENDING, earlier.next_attempt_at > now),
                    and_(earlier.status == OutboxStatus.SENDING, earlier.lease_until >= now),
                ),
            )
            .exists()
        )
        statement = (
            select(OutboxMessage)
            .where(OutboxMessage.channel == channel, due, ~waiting_before)
            .order_by(OutboxMessage.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        rows = list(await self.session.scalars(statement))
        for row in rows:
            row.status = OutboxStatus.SENDING
            row.lease_until = now + lease
        await self.session.flush()
        return rows

    async def retry_later(self, row_id: int, at: datetime, error: str) -> None:
        await self._settle(
            row_id,
            OutboxStatus.PENDING,
            next_attempt_at=at,
            attempts=OutboxMessage.attempts + 1,
            last_error=error[:2000],
        )

    async def defer(self, row_id: int, at: datetime) -> None:
        """Not tried, only postponed (rate limit, an earlier message of the chat waits)."""
        await self._settle(row_id, OutboxStatus.PENDING, next_attempt_at=at)

    async def supersede(self, row_id: int, by_id: int, at: datetime) -> None:
        """A card edit made pointless by a later edit of the same card: done, not sent."""
        await self._settle(
            row_id, OutboxStatus.SENT, sent_at=at, last_error=f"merged into outbox {by_id}"
        )

    async def give_up(self, row_id: int, error: str) -> None:
        await self._settle(
            row_id,
            OutboxStatus.DEAD,
            attempts=OutboxMessage.attempts + 1,
            last_error=error[:2000],
        )

    async def _settle(self, row_id: int, status: OutboxStatus, **values: Any) -> None:
        """The outcome of a claimed row: its new status, and its lease released."""
        await self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == row_id)
            .values(status=status, lease_until=None, **values)
        )

    async def depth(self) -> int:
        """Messages not yet delivered (for /metrics)."""
        statement = select(func.count(OutboxMessage.id)).where(
            OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING])
        )
        return await self.session.scalar(statement) or 0
