"""The DingTalk channel: Stream in, workers in between, outbox out — started and stopped as one.

`run(stop)` connects, recovers what a previous run left in the inbox, handles events on a few
workers after their ACK, and delivers the outbox; when `stop` is set it closes the Stream,
lets the workers finish what they hold, and returns. Whatever is left stays in the inbox and
outbox for the next start.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import zlib
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.dingtalk.client import DingTalkClient
from bot.channels.dingtalk.config import DingTalkSettings
from bot.channels.dingtalk.gate import InboundGate, RouteBook, Work
from bot.channels.dingtalk.inbound import CHANNEL
from bot.channels.dingtalk.sender import DingTalkSender
from bot.channels.dingtalk.stream import stream_client
from handlers.core import ConversationCore
from handlers.turn import Services

log = logging.getLogger(__name__)

WORKERS = 4
IDLE_POLL_SECONDS = 0.5  # the sender also wakes at once when a worker has queued replies


def _utc_now() -> datetime:
    return datetime.now(UTC)


class DingTalkChannel:
    def __init__(
        self,
        settings: DingTalkSettings,
        sessions: async_sessionmaker[AsyncSession],
        services: Services,
        *,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        self.settings = settings
        self.core = ConversationCore(sessions, services)
        self.routes = RouteBook()
        # One queue per worker, a conversation always on the same one: messages of one chat
        # are handled in the order they arrived, different chats side by side.
        self.queues: list[asyncio.Queue[Work]] = [asyncio.Queue() for _ in range(WORKERS)]
        self.gate = InboundGate(self.core, self.routes, self._enqueue, clock)
        self.client = DingTalkClient(settings)
        self.sender = DingTalkSender(sessions, self.client, settings, self.routes, clock)
        self.stream = stream_client(settings, self.gate)
        self._wake = asyncio.Event()
        self.processed = 0

    def counters(self) -> dict[str, float]:
        """For /metrics."""
        return {
            "messages_in": self.gate.received,
            "messages_out": self.sender.sent,
            "send_failures": self.sender.failed,
            "reconnects": max(self.stream.connections_opened - 1, 0),
        }

    async def run(self, stop: asyncio.Event) -> None:
        await self.core.recover(CHANNEL)  # accepted before a crash, never handled
        tasks = [asyncio.create_task(self.stream.start(), name="dingtalk-stream")]
        tasks += [
            asyncio.create_task(self._worker(queue), name=f"dingtalk-worker-{n}")
            for n, queue in enumerate(self.queues)
        ]
        delivery = asyncio.create_task(self._deliver(stop), name="dingtalk-outbox")
        try:
            await stop.wait()
        finally:
            await self.stream.stop()
            for queue in self.queues:  # finish what was accepted; the inbox has it anyway
                await queue.join()
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            self._wake.set()
            await delivery
            await self.client.close()

    def _enqueue(self, work: Work) -> None:
        conversation = work[1].conversation or ""
        self.queues[zlib.crc32(conversation.encode()) % WORKERS].put_nowait(work)

    @property
    def idle(self) -> bool:
        return all(queue.empty() for queue in self.queues)

    async def _worker(self, queue: asyncio.Queue[Work]) -> None:
        while True:
            inbox_id, event = await queue.get()
            try:
                await self.core.process(inbox_id, event)
                self.processed += 1
            except Exception:  # the core records failures itself; never let a worker die
                log.exception("processing inbox %s failed", inbox_id)
            finally:
                queue.task_done()
                self._wake.set()

    async def _deliver(self, stop: asyncio.Event) -> None:
        """Send what is due until stopped, then one last pass."""
        while True:
            try:
                await self.sender.send_due()
            except Exception:
                log.exception("outbox pass failed; retrying")
            if stop.is_set():
                return
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), IDLE_POLL_SECONDS)
