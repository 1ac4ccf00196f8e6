"""Delivering the DingTalk outbox: in order per conversation, rate-limited, retried, never lost.

Each pass claims due rows with a lease (a crashed sender's rows come back when it expires) and
serves the chats side by side, each chat's messages oldest first; a chat's outcomes are recorded
in one transaction when its turn in the pass ends. A chat whose message failed or hit its rate
limit is held for the rest of the pass, so its later messages never overtake it. Delivery is at
least once: a crash between a send and its recorded outcome sends that message again after the
lease.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.dingtalk import render
from bot.channels.dingtalk.client import CardSpace, DeliveryError, DingTalkClient
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
        """One pass over the due rows; the number delivered.

        Chats are served side by side (a slow or throttled chat delays no other), each chat's
        messages strictly in order.
        """
        async with self.sessions.begin() as session:
            rows = await OutboxRepository(session).claim(
                CHANNEL, self.clock(), lease=LEASE, limit=limit
            )
            claimed = [
                _Claimed(
                    row.id, row.attempts, row.conversation_id, outgoing_from_payload(row.payload)
                )
                for row in rows
            ]
            organisation = OrganisationRepository(session)
            conversations = {c.conversation for c in claimed if c.conversation}
            mentioned = {person for c in claimed for person in c.message.mentions}
            addresses = _Addresses(
                await organisation.platform_conversation_ids(conversations, CHANNEL),
                await organisation.private_recipients(conversations, CHANNEL),
                await organisation.platform_user_ids(mentioned, CHANNEL),
                await organisation.people_names(list(mentioned)),
            )
        superseded = self._superseded(claimed)
        chains: dict[str | None, list[_Claimed]] = defaultdict(list)
        for row in claimed:
            chains[row.conversation].append(row)
        results = await asyncio.gather(
            *(self._send_chain(chain, superseded, addresses) for chain in chains.values()),
            return_exceptions=True,
        )
        delivered = 0
        for result in results:
            if isinstance(result, BaseException):
                log.error("outbox chain failed; its rows retry after their lease", exc_info=result)
            else:
                delivered += result
        self.sent += delivered
        return delivered

    async def _send_chain(
        self, chain: list[_Claimed], superseded: dict[int, int], addresses: _Addresses
    ) -> int:
        """One chat's claimed messages in order; their outcomes recorded together at the end.

        Once a message has to wait (rate limit, a failure to retry), the rest of the chat waits
        behind it, so a chat never sees its messages out of order.
        """
        outcomes: list[Outcome] = []
        sent: list[int] = []
        held_until: datetime | None = None
        try:
            for row in chain:
                now = self.clock()
                conversation = row.conversation or ""
                if row.row_id in superseded:
                    outcomes.append(partial(_supersede, row.row_id, superseded[row.row_id], now))
                    continue
                if held_until is None:
                    held_until = self.limiter.next_slot(conversation, now)
                if held_until is not None:
                    outcomes.append(partial(_defer, row.row_id, held_until))
                    continue
                try:
                    await self._send(row.message, addresses, now)
                except DeliveryError as error:
                    self.failed += 1
                    held_until = now + backoff(row.attempts + 1, throttled=error.throttled)
                    outcomes.append(self._failure(row, error, held_until))
                    continue
                self.limiter.record(conversation, now)
                sent.append(row.row_id)
        finally:
            if sent:
                outcomes.append(partial(_mark_sent, sent, self.clock()))
            async with self.sessions.begin() as session:
                outbox = OutboxRepository(session)
                for outcome in outcomes:
                    await outcome(outbox)
        return len(sent)

    def _failure(self, row: _Claimed, error: DeliveryError, retry_at: datetime) -> Outcome:
        if error.retryable and row.attempts + 1 < MAX_ATTEMPTS:
            log.warning("outbox %s: %s; retry at %s", row.row_id, error, retry_at)
            return partial(_retry_later, row.row_id, retry_at, str(error))
        log.error("outbox %s given up: %s", row.row_id, error)
        return partial(_give_up, row.row_id, str(error))

    def _superseded(self, claimed: list[_Claimed]) -> dict[int, int]:
        """Card edits a later edit of the same card replaces, mapped to that later row.

        When a chat is rate-limited its updates queue up; with card templates only the newest
        state of each card needs to reach DingTalk (markdown cards are separate messages and
        are all sent).
        """
        if not self.settings.card_template_id:
            return {}
        latest: dict[tuple[str | None, str], int] = {}
        superseded: dict[int, int] = {}
        for row in reversed(claimed):
            message = row.message
            if not (message.replaces_card and message.card_key and message.card):
                continue
            key = (row.conversation, message.card_key)
            if key in latest:
                superseded[row.row_id] = latest[key]
            else:
                latest[key] = row.row_id
        return superseded

    async def _send(self, message: Outgoing, addresses: _Addresses, now: datetime) -> None:
        target = addresses.conversations.get(message.conversation)
        if target is None:
            msg = f"conversation {message.conversation} has no DingTalk binding"
            raise DeliveryError(msg, retryable=False)
        private_user = addresses.private.get(message.conversation)
        mentions = [addresses.users[p] for p in message.mentions if p in addresses.users]
        template = self.settings.card_template_id
        if message.card is not None and template and message.card_key:
            params = render.card_params(message)
            if message.replaces_card:
                await self.client.update_card(message.card_key, params)
                return
            space = (
                CardSpace.for_user(private_user) if private_user else CardSpace.for_group(target)
            )
            at_users = {
                addresses.users[p]: addresses.names.get(p, addresses.users[p])
                for p in message.mentions
                if p in addresses.users
            }
            await self.client.create_card(message.card_key, template, params, space, at_users)
            return
        webhook = self.routes.webhook(target, now)
        if webhook is not None:
            await self.client.send_by_session(webhook, render.session_body(message, mentions))
            return
        msg_key, params = render.openapi_params(message, mentions)
        if private_user:
            await self.client.send_single([private_user], msg_key, params)
        else:
            await self.client.send_group(target, msg_key, params)


@dataclass(frozen=True, slots=True)
class _Claimed:
    row_id: int
    attempts: int
    conversation: str | None
    message: Outgoing


@dataclass(frozen=True, slots=True)
class _Addresses:
    """DingTalk ids of the pass's conversations and @-mentioned people, looked up once."""

    conversations: dict[str, str]  # our conversation id → DingTalk conversation id
    private: dict[str, str]  # our private chat id → its person's DingTalk user id
    users: dict[str, str]  # person id → DingTalk user id
    names: dict[str, str]  # person id → name (a card's @-mention shows it)


Outcome = Callable[[OutboxRepository], Awaitable[None]]


async def _supersede(row_id: int, by_id: int, at: datetime, outbox: OutboxRepository) -> None:
    await outbox.supersede(row_id, by_id, at)


async def _defer(row_id: int, until: datetime, outbox: OutboxRepository) -> None:
    await outbox.defer(row_id, until)


async def _retry_later(row_id: int, at: datetime, error: str, outbox: OutboxRepository) -> None:
    await outbox.retry_later(row_id, at, error)


async def _give_up(row_id: int, error: str, outbox: OutboxRepository) -> None:
    await outbox.give_up(row_id, error)


async def _mark_sent(row_ids: list[int], at: datetime, outbox: OutboxRepository) -> None:
    await outbox.mark_sent(row_ids, at)
