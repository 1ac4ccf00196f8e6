"""The conversation core: every inbound event goes through here, whatever the channel.

1. The event is stored in the inbox, keyed by (channel, platform id), in its own transaction:
   a redelivered message is recognised and produces nothing new.
2. It is handled in a second transaction that also writes every reply to the outbox and marks
   the inbox row done. A crash in between leaves the row pending, and `recover` handles it.
3. A write conflict (two clicks at once, two replicas numbering a case) retries the handling;
   an unexpected error marks the inbox row failed with its reason and apologises — never a
   crash, never a half-written case.
"""

from __future__ import annotations

import logging
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from handlers import copy, followup, intake
from handlers.actions import run_command
from handlers.commands import CommandError, parse_command
from handlers.messages import (
    Attachment,
    AttachmentKind,
    CardClick,
    IncomingMessage,
    Outgoing,
    outgoing_payload,
)
from handlers.turn import Services, Turn
from models.jobs import TimerJob
from models.messaging import InboxMessage, InboxStatus, OutboxMessage
from models.organisation import ConversationBinding
from models.repositories.messaging import InboxRepository, OutboxRepository

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
PHOTO_WINDOW = timedelta(minutes=30)
_MESSAGE = "message"
_CLICK = "card_action"


class ConversationCore:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], services: Services) -> None:
        self.sessions = sessions
        self.services = services

    async def handle_message(self, message: IncomingMessage) -> list[Outgoing]:
        """Accept and handle at once (the console channel and tests)."""
        inbox_id = await self.accept(message)
        return [] if inbox_id is None else await self.process(inbox_id, message)

    async def handle_click(self, click: CardClick) -> list[Outgoing]:
        inbox_id = await self.accept(click)
        return [] if inbox_id is None else await self.process(inbox_id, click)

    async def accept(self, event: IncomingMessage | CardClick) -> int | None:
        """Step 1 alone: store the event; its inbox id, or None for a redelivery.

        A channel that must acknowledge fast (DingTalk's Stream) calls this before its ACK and
        `process` after it: once this returns, the event survives any crash.
        """
        if isinstance(event, CardClick):
            kind, platform_id, payload = _CLICK, event.platform_event_id, _click_payload(event)
        else:
            kind, platform_id, payload = (
                _MESSAGE,
                event.platform_message_id,
                _message_payload(event),
            )
        inbox_id = await self._accept(event.channel, platform_id, kind, payload)
        if inbox_id is None:
            log.info("duplicate %s %s ignored", kind, platform_id)
        return inbox_id

    async def run_job(self, session: AsyncSession, job: TimerJob, late: timedelta) -> None:
        """A timer's effect, in the scheduler's transaction: its messages go to the outbox with
        it, so a job is done exactly when its messages are queued."""
        turn = Turn(session, self.services, "system", _now(self.services), None, None)
        await followup.run(turn, job, late)
        await _enqueue(session, turn.channel, turn.out, turn.now)

    async def ensure_standing_jobs(self) -> None:
        """Timers that belong to no case (the morning digest): scheduled once, at start."""
        async with self.sessions.begin() as session:
            turn = Turn(session, self.services, "system", _now(self.services), None, None)
            await followup.ensure_digest(turn)

    async def recover(self, channel: str) -> list[Outgoing]:
        """Handle events accepted before a crash or restart but never finished."""
        async with self.sessions() as session:
            pending = await InboxRepository(session).pending(channel)
        sent: list[Outgoing] = []
        for row in pending:
            event = _event_from_row(row)
            sent.extend(await self.process(row.id, event))
        return sent

    async def _accept(
        self, channel: str, platform_id: str, kind: str, payload: dict[str, Any]
    ) -> int | None:
        async with self.sessions.begin() as session:
            return await InboxRepository(session).accept(
                channel=channel,
                platform_message_id=platform_id,
                kind=kind,
                payload=payload,
                received_at=_now(self.services),
            )

    async def process(self, inbox_id: int, event: IncomingMessage | CardClick) -> list[Outgoing]:
        """Step 2: handle an accepted event and enqueue the replies, in one transaction."""
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                async with self.sessions.begin() as session:
                    turn = await self._turn(session, event)
                    await self._handle(turn, event, inbox_id)
                    await _enqueue(session, event.channel, turn.out, turn.now)
                    await InboxRepository(session).finish(inbox_id, turn.now)
                return turn.out
            except (IntegrityError, StaleDataError) as conflict:
                log.info(
                    "write conflict on inbox %s (attempt %s): %s", inbox_id, attempt, conflict
                )
                if attempt == MAX_ATTEMPTS:
                    return await self._fail(inbox_id, event, conflict)
            except Exception as error:
                log.exception("handling inbox %s failed", inbox_id)
                return await self._fail(inbox_id, event, error)
        return []  # pragma: no cover - the loop always returns

    async def _fail(
        self, inbox_id: int, event: IncomingMessage | CardClick, error: Exception
    ) -> list[Outgoing]:
        async with self.sessions.begin() as session:
            await InboxRepository(session).fail(inbox_id, f"{type(error).__name__}: {error}")
            turn = await self._turn(session, event)
            turn.reply(copy.TRY_AGAIN)
            await _enqueue(session, event.channel, turn.out, turn.now)
        return turn.out

    async def _turn(self, session: AsyncSession, event: IncomingMessage | CardClick) -> Turn:
        organisation_turn = Turn(
            session, self.services, event.channel, _now(self.services), None, None
        )
        org = organisation_turn.organisation
        user = event.sender if isinstance(event, IncomingMessage) else event.actor
        conversation = (
            await org.conversation_by_platform_id(event.channel, event.conversation)
            if event.conversation
            else None
        )
        actor = await org.person_by_platform_user(event.channel, user)
        if (
            conversation is None
            and actor is not None
            and isinstance(event, IncomingMessage)
            and event.direct
        ):
            # A 1:1 chat is answered in that chat, never in the person's group.
            conversation = await org.private_conversation(actor, event.channel, event.conversation)
        if conversation is None and actor is not None and actor.home_conversation_id:
            conversation = await org.conversation(actor.home_conversation_id)
        organisation_turn.actor = actor
        organisation_turn.conversation = conversation
        organisation_turn.platform_conversation = event.conversation
        return organisation_turn

    async def _handle(self, turn: Turn, event: IncomingMessage | CardClick, inbox_id: int) -> None:
        if isinstance(event, CardClick):
            await self._click(turn, event)
            return
        if not event.mentions_bot:
            # Group chatter not addressed to the bot: kept in the inbox (a photo there still
            # joins the sender's next report), never answered.
            log.debug("message %s not addressed to the bot: recorded only", inbox_id)
            return
        text = event.text.strip()
        try:
            command = parse_command(text) if text else None
        except CommandError as problem:
            turn.reply(str(problem))
            return
        if command is not None:
            await run_command(turn, command)
            return
        photos = await self._earlier_photos(turn, event, inbox_id) if text else ()
        await intake.take_report(turn, event, photos)

    async def _click(self, turn: Turn, click: CardClick) -> None:
        action = click.action.strip()
        if action.startswith(copy.ASK):
            turn.reply(copy.asked(action.removeprefix(copy.ASK)))
            return
        try:
            command = parse_command(action)
        except CommandError:
            command = None
        if (
            command is None
            or command.case is None
            or not _card_matches(click.card_id, command.case.seq)
        ):
            log.warning(
                "refused a forged or stale card action %r on card %r by %s",
                click.action,
                click.card_id,
                click.actor,
            )
            turn.reply(copy.forged_click())
            return
        await run_command(turn, command)

    async def _earlier_photos(
        self, turn: Turn, message: IncomingMessage, inbox_id: int
    ) -> tuple[Attachment, ...]:
        """Photos the same person sent alone to the same chat in the last half hour: the
        sentence that follows is their caption."""
        rows = await turn.session.scalars(
            select(InboxMessage)
            .where(
                InboxMessage.channel == message.channel,
                InboxMessage.kind == _MESSAGE,
                InboxMessage.status == InboxStatus.DONE,
                InboxMessage.id < inbox_id,
                InboxMessage.received_at >= turn.now - PHOTO_WINDOW,
            )
            .order_by(InboxMessage.id.desc())
            .limit(20)
        )
        photos: list[Attachment] = []
        for row in rows:
            payload = row.payload
            if (
                payload.get("sender") != message.sender
                or payload.get("conversation") != message.conversation
            ):
                continue
            if payload.get("text", "").strip() or payload.get("voice_transcript"):
                break  # an earlier sentence already took the photos before it
            photos.extend(
                Attachment(AttachmentKind(a["kind"]), a["media_id"])
                for a in payload.get("attachments", [])
            )
        return tuple(reversed(photos))


def _card_matches(card_id: str, seq: int) -> bool:
    """A card's buttons act on the card's own case: `case-7-township` only carries `… 0007`."""
    parts = card_id.split("-")
    return len(parts) >= 2 and parts[0] == "case" and parts[1] == str(seq)


def _now(services: Services) -> datetime:
    now = services.clock()
    return now if now.tzinfo else now.replace(tzinfo=UTC)


async def _enqueue(
    session: AsyncSession, channel: str, messages: list[Outgoing], now: datetime
) -> None:
    """One outbox row per message and per channel the conversation is bound on."""
    if not messages:
        return
    conversations = {m.conversation for m in messages}
    bindings = await session.execute(
        select(ConversationBinding.conversation_id, ConversationBinding.channel).where(
            ConversationBinding.conversation_id.in_(conversations)
        )
    )
    channels: dict[str, list[str]] = {}
    for conversation_id, bound_channel in bindings:
        channels.setdefault(conversation_id, []).append(bound_channel)
    rows = [
        OutboxMessage(
            channel=target,
            conversation_id=message.conversation,
            kind="card" if message.card else "text",
            payload=outgoing_payload(message),
            target={"mentions": list(message.mentions)},
            created_at=now,
            next_attempt_at=now,
        )
        for message in messages
        for target in channels.get(message.conversation, [channel])
    ]
    await OutboxRepository(session).enqueue(rows)


def _message_payload(message: IncomingMessage) -> dict[str, Any]:
    payload = asdict(message)
    payload["received_at"] = message.received_at.isoformat()
    payload["attachments"] = [
        {"kind": a.kind.value, "media_id": a.media_id} for a in message.attachments
    ]
    return payload


def _click_payload(click: CardClick) -> dict[str, Any]:
    payload = asdict(click)
    payload["received_at"] = click.received_at.isoformat()
    return payload


def _event_from_row(row: InboxMessage) -> IncomingMessage | CardClick:
    payload = dict(row.payload)
    payload["received_at"] = datetime.fromisoformat(payload["received_at"])
    if row.kind == _CLICK:
        return CardClick(**payload)
    payload["attachments"] = tuple(
        Attachment(AttachmentKind(a["kind"]), a["media_id"]) for a in payload["attachments"]
    )
    return IncomingMessage(**payload)
