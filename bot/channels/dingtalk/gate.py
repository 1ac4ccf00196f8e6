"""The inbound gate: persist a DingTalk event, then let the SDK acknowledge it; work comes after.

SDK-free on purpose (the SDK handlers in `stream.py` are three-line adapters), so the rules
live here: a payload we cannot read is logged and acknowledged (a redelivery would not make it
readable); a database failure is raised, so no ACK goes out and DingTalk delivers again; an
accepted event is queued for the workers and never handled before its ACK.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from bot.channels.dingtalk.inbound import (
    PayloadError,
    ReplyRoute,
    parse_card_callback,
    parse_chatbot_message,
)
from handlers.core import ConversationCore
from handlers.messages import CardClick, IncomingMessage

log = logging.getLogger(__name__)

Work = tuple[int, IncomingMessage | CardClick]


class RouteBook:
    """The newest sessionWebhook per DingTalk conversation, while it is valid.

    In memory only: a webhook is a shortcut that expires in 90 minutes. After a restart the
    sender uses the OpenAPI until the conversation next writes to the bot.
    """

    def __init__(self) -> None:
        self._routes: dict[str, ReplyRoute] = {}

    def remember(self, route: ReplyRoute | None) -> None:
        if route is not None:
            self._routes[route.conversation_id] = route

    def webhook(
        self, conversation_id: str, now: datetime, *, margin_seconds: float = 60
    ) -> str | None:
        route = self._routes.get(conversation_id)
        if route is None or (route.expires_at - now).total_seconds() < margin_seconds:
            return None
        return route.session_webhook


class InboundGate:
    def __init__(
        self,
        core: ConversationCore,
        routes: RouteBook,
        enqueue: Callable[[Work], None],
        clock: Callable[[], datetime],
    ) -> None:
        self.core = core
        self.routes = routes
        self.enqueue = enqueue
        self.clock = clock
        self.received = 0
        self.refused = 0
        # A burst arrives as up to a hundred concurrent SDK tasks; stored one at a time they
        # queue here in order instead of crowding the database's write lock (SQLite has one).
        self._store = asyncio.Lock()

    async def chatbot_message(self, data: dict[str, Any]) -> None:
        try:
            parsed = parse_chatbot_message(data, received_at=self.clock())
        except PayloadError as problem:
            self.refused += 1
            log.warning("unreadable DingTalk message refused: %s", problem)
            return
        self.received += 1
        self.routes.remember(parsed.route)
        await self._accept(parsed.message)

    async def card_callback(self, data: dict[str, Any], frame_message_id: str) -> None:
        try:
            click = parse_card_callback(
                data, frame_message_id=frame_message_id, received_at=self.clock()
            )
        except PayloadError as problem:
            self.refused += 1
            log.warning("unreadable DingTalk card callback refused: %s", problem)
            return
        self.received += 1
        await self._accept(click)

    async def _accept(self, event: IncomingMessage | CardClick) -> None:
        async with self._store:
            # Raises on a database failure: then no ACK goes out and DingTalk delivers again.
            inbox_id = await self.core.accept(event)
        if inbox_id is not None:
            self.enqueue((inbox_id, event))
