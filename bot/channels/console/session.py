"""A console session: personas talk to the conversation core, the outbox is delivered to screen.

The same class drives `whistle chat`, the scripted `whistle demo` and the handler tests
(`say`, `click`, `advance`, `sent`), so what the tests exercise is what officials see. Every
line goes the real way: inbox, core, outbox, delivery.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import uuid4

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import FakeClock
from bot.scheduler import Scheduler
from handlers.core import ConversationCore
from handlers.messages import (
    Attachment,
    CardClick,
    IncomingMessage,
    Outgoing,
    outgoing_from_payload,
)
from handlers.turn import Services
from models.repositories.jobs import JobRepository
from models.repositories.messaging import OutboxRepository
from models.repositories.organisation import OrganisationRepository

CHANNEL = "console"


class ConsoleError(ValueError):
    """Something the person at the console asked for that cannot be done (unknown persona,
    no such button); the message says what to do instead."""


@dataclass(frozen=True, slots=True)
class Delivered:
    """An outgoing message as delivered, with the title of the group it went to."""

    message: Outgoing
    conversation_title: str
    at: datetime | None = None  # the (simulated) time it was delivered


class ConsoleSession:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        services: Services,
        clock: FakeClock,
    ) -> None:
        self.sessions = sessions
        self.clock = clock
        self.core = ConversationCore(sessions, services)
        self.scheduler = Scheduler(sessions, self.core.run_job, clock, owner="console")
        self.persona: str | None = None
        self.sent: list[Delivered] = []
        self._titles: dict[str, str] = {}
        self._homes: dict[str, str] = {}

    async def switch(self, person_id: str) -> str:
        """`/as gw1`: speak as this person from now on; returns their name."""
        async with self.sessions() as session:
            person = await OrganisationRepository(session).person(person_id)
        if person is None or person.home_conversation_id is None:
            msg = (
                f"没有人员“{person_id}”（或其没有所属群），"
                "可用的有 gw1、gw2、ts1、ts2、dc1、li-DEPT05 等"
            )
            raise ConsoleError(msg)
        self.persona = person.id
        self._homes[person.id] = person.home_conversation_id
        return person.name

    def _require_persona(self) -> str:
        if self.persona is None:
            msg = "请先用 /as 人员编号 选择身份，例如 /as gw1"
            raise ConsoleError(msg)
        return self.persona

    async def say(
        self,
        text: str,
        *,
        attachments: tuple[Attachment, ...] = (),
        voice_transcript: str | None = None,
        message_id: str | None = None,
    ) -> list[Delivered]:
        """The persona writes `text` in their home group, addressed to the bot."""
        persona = self._require_persona()
        message = IncomingMessage(
            channel=CHANNEL,
            platform_message_id=message_id or f"console-{uuid4().hex}",
            conversation=self._homes[persona],
            sender=persona,
            text=text,
            received_at=self.clock(),
            attachments=attachments,
            voice_transcript=voice_transcript,
        )
        await self.core.handle_message(message)
        return await self.deliver()

    async def click(self, label: str) -> list[Delivered]:
        """`/click 确认吹哨`: press that button on the newest card in the persona's group."""
        persona = self._require_persona()
        home = self._homes[persona]
        for delivered in reversed(self.sent):
            card = delivered.message.card
            if delivered.message.conversation != home or card is None:
                continue
            button = next((b for b in card.buttons if b.label == label), None)
            button = button or next((b for b in card.buttons if b.label.startswith(label)), None)
            if button is None:
                continue
            return await self.press(delivered.message.card_key or "", button.action)
        msg = f"本群最新的卡片上没有“{label}”按钮"
        raise ConsoleError(msg)

    async def press(
        self, card_id: str, action: str, *, event_id: str | None = None
    ) -> list[Delivered]:
        """A raw card callback (also how tests forge one)."""
        persona = self._require_persona()
        await self.core.handle_click(
            CardClick(
                channel=CHANNEL,
                platform_event_id=event_id or f"console-click-{uuid4().hex}",
                card_id=card_id,
                action=action,
                actor=persona,
                conversation=self._homes[persona],
                received_at=self.clock(),
            )
        )
        return await self.deliver()

    async def advance(self, delta: timedelta) -> list[Delivered]:
        """Move the clock, stopping at every timer on the way: each fires at its own instant
        and its messages are delivered then, as they would be in real time."""
        target = self.clock() + delta
        delivered: list[Delivered] = []
        while True:
            async with self.sessions() as session:
                due = await JobRepository(session).next_due(target)
            if due is None:
                break
            if due > self.clock():
                self.clock.advance(due - self.clock())
            await self.scheduler.run_due()
            delivered += await self.deliver()
        self.clock.advance(target - self.clock())
        await self.scheduler.run_due()
        return delivered + await self.deliver()

    async def deliver(self) -> list[Delivered]:
        """Send what the outbox holds for the console, in order, and mark it sent."""
        async with self.sessions.begin() as session:
            outbox = OutboxRepository(session)
            rows = await outbox.due(CHANNEL, self.clock(), limit=1000)
            delivered = [
                Delivered(
                    outgoing_from_payload(row.payload),
                    await self._title(session, row.conversation_id),
                    self.clock(),
                )
                for row in rows
            ]
            await outbox.mark_sent([row.id for row in rows], self.clock())
        self.sent.extend(delivered)
        return delivered

    async def _title(self, session: AsyncSession, conversation_id: str | None) -> str:
        if conversation_id is None:
            return ""
        if conversation_id not in self._titles:
            conversation = await OrganisationRepository(session).conversation(conversation_id)
            self._titles[conversation_id] = conversation.title if conversation else conversation_id
        return self._titles[conversation_id]

    async def names(self, ids: list[str]) -> dict[str, str]:
        async with self.sessions() as session:
            return await OrganisationRepository(session).people_names(ids)
