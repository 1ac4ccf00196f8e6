"""Delivering the DingTalk outbox: in order per conversation, rate-limited, retried, never lost.

Each pass claims due rows with a lease (a crashed sender's rows come back when it expires),
sends them oldest first and records each outcome in its own transaction. A conversation whose
message failed or hit its rate limit is held for the rest of the pass, so its later messages
never overtake it.
"""

from __future__ import annotations

import logging
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.dingtalk import render
from bot.channels.dingtalk.client import DeliveryError, DingTalkClient
from bot.channels.dingtalk.config import DingTalkSettings
from bot.channels.dingtalk.gate import RouteBook
from bot.channels.dingtalk.inbound import CHANNEL
from handlers.messages import Outgoing, outgoing_from_payload
from models.repositories.messaging import OutboxRepository
from models.repositories.organisation import OrganisationRepository

log = logging.getLogger(__name__)

LEASE = timedelta(seconds=60)
MAX_ATTEMPTS = 12
RATE_WINDOW = timedelta(minutes=1)


def backoff(attempts: int, *, throttled: bool) -> timedelta:
    """2 s, 4 s, 8 s … capped at 5 minutes; flow control waits at least a minute."""
    delay = timedelta(seconds=min(2 ** max(attempts, 1), 300))
    return max(delay, RATE_WINDOW) if throttled else delay


class RateLimiter:
    """At most `limit` sends per conversation per minute (DingTalk throttles a robot that
    posts faster for ten minutes)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._sent: dict[str, deque[datetime]] = defaultdict(deque)

    def next_slot(self, conversation: str, now: datetime) -> datetime | None:
        """None when a send may go now, else when the next one may."""
        window = self._sent[conversation]
        while window and now - window[0] >= RATE_WINDOW:
            window.popleft()
        return None if len(window) < self.limit else window[0] + RATE_WINDOW

    def record(self, conversation: str, now: datetime) -> None:
        self._sent[conversation].append(now)


class DingTalkSender:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        client: DingTalkClient,
        settings: DingTalkSettings,
        routes: RouteBook,
        clock: Callable[[], datetime],
    ) -> None:
        self.sessions = sessions
        self.client = client
        self.settings = settings
        self.routes = routes
        self.clock = clock
        self.limiter = RateLimiter(settings.sends_per_minute)
        self.sent = 0
        self.failed = 0

    async def send_due(self, limit: int = 50) -> int:
        """One pass over the due rows; the number delivered."""
        async with self.sessions.begin() as session:
            rows = await OutboxRepository(session).claim(
                CHANNEL, self.clock(), lease=LEASE, limit=limit
            )
            plans = [(row.id, row.attempts, row.conversation_id) for row in rows]
            messages = {row.id: outgoing_from_payload(row.payload) for row in rows}
        held: dict[str | None, datetime] = {}
        delivered = 0
        superseded = self._superseded(plans, messages)
        for row_id, attempts, conversation in plans:
            now = self.clock()
            if row_id in superseded:
                await self._outcome(lambda o, i=row_id, t=now: o.supersede(i, superseded[i], t))
                continue
            if conversation in held:
                await self._outcome(lambda o, i=row_id, c=conversation: o.defer(i, held[c]))
                continue
            slot = self.limiter.next_slot(conversation or "", now)
            if slot is not None:
                held[conversation] = slot
                await self._outcome(lambda o, i=row_id, s=slot: o.defer(i, s))
                continue
            try:
                await self._send(messages[row_id], now)
            except DeliveryError as error:
                self.failed += 1
                retry_at = now + backoff(attempts + 1, throttled=error.throttled)
                held[conversation] = retry_at
                if error.retryable and attempts + 1 < MAX_ATTEMPTS:
                    log.warning("outbox %s: %s; retry at %s", row_id, error, retry_at)
                    await self._outcome(
                        lambda o, i=row_id, a=retry_at, e=str(error): o.retry_later(i, a, e)
                    )
                else:
                    log.error("outbox %s given up: %s", row_id, error)
                    await self._outcome(lambda o, i=row_id, e=str(error): o.give_up(i, e))
                continue
            self.limiter.record(conversation or "", now)
            await self._outcome(lambda o, i=row_id, t=now: o.mark_sent([i], t))
            delivered += 1
        self.sent += delivered
        return delivered

    def _superseded(
        self, plans: list[tuple[int, int, str | None]], messages: dict[int, Outgoing]
    ) -> dict[int, int]:
        """Card edits a later edit of the same card replaces, mapped to that later row.

        When a chat is rate-limited its updates queue up; with card templates only the newest
        state of each card needs to reach DingTalk (markdown cards are separate messages and
        are all sent).
        """
        if not self.settings.card_template_id:
            return {}
        latest: dict[tuple[str | None, str], int] = {}
        superseded: dict[int, int] = {}
        for row_id, _attempts, conversation in reversed(plans):
            message = messages[row_id]
            if not (message.replaces_card and message.card_key and message.card):
                continue
            key = (conversation, message.card_key)
            if key in latest:
                superseded[row_id] = latest[key]
            else:
                latest[key] = row_id
        return superseded

    async def _outcome(self, action: Callable[[OutboxRepository], Awaitable[None]]) -> None:
        async with self.sessions.begin() as session:
            await action(OutboxRepository(session))

    async def _send(self, message: Outgoing, now: datetime) -> None:
        async with self.sessions() as session:
            organisation = OrganisationRepository(session)
            target = await organisation.platform_conversation_id(message.conversation, CHANNEL)
            mentions = [
                user
                for person in message.mentions
                if (user := await organisation.platform_user_id(person, CHANNEL))
            ]
        if target is None:
            msg = f"conversation {message.conversation} has no DingTalk binding"
            raise DeliveryError(msg, retryable=False)
        template = self.settings.card_template_id
        if message.card is not None and template and message.card_key:
            params = render.card_params(message)
            if message.replaces_card:
                await self.client.update_card(message.card_key, params)
            else:
                at_users = {user: user for user in mentions}
                await self.client.create_card(message.card_key, template, params, target, at_users)
            return
        webhook = self.routes.webhook(target, now)
        if webhook is not None:
            await self.client.send_by_session(webhook, render.session_body(message, mentions))
            return
        msg_key, params = render.openapi_params(message, mentions)
        await self.client.send_group(target, msg_key, params)
