"""The bot's small web endpoint: `/healthz` for the orchestrator, `/metrics` for Prometheus.

Counters come from the running channels; gauges (cases by state, outbox depth) are read from
the database at scrape time, so every replica reports the same county-wide numbers.
"""

from __future__ import annotations

from collections.abc import Callable

from aiohttp import web
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models.case import Case
from models.lifecycle import CaseStatus
from models.repositories.messaging import OutboxRepository

Counters = Callable[[], dict[str, float]]


def metrics_text(counters: dict[str, float], cases: dict[str, int], outbox_depth: int) -> str:
    """The Prometheus text exposition format (pure, so it is tested without a server)."""
    lines = [
        "# HELP whistle_messages_in_total Messages and card actions received.",
        "# TYPE whistle_messages_in_total counter",
        f"whistle_messages_in_total {counters.get('messages_in', 0):g}",
        "# HELP whistle_messages_out_total Messages delivered to the chat platform.",
        "# TYPE whistle_messages_out_total counter",
        f"whistle_messages_out_total {counters.get('messages_out', 0):g}",
        "# HELP whistle_send_failures_total Sends that failed (retried or given up).",
        "# TYPE whistle_send_failures_total counter",
        f"whistle_send_failures_total {counters.get('send_failures', 0):g}",
        "# HELP whistle_reconnects_total Chat connections opened after the first.",
        "# TYPE whistle_reconnects_total counter",
        f"whistle_reconnects_total {counters.get('reconnects', 0):g}",
        "# HELP whistle_outbox_depth Messages waiting to be delivered.",
        "# TYPE whistle_outbox_depth gauge",
        f"whistle_outbox_depth {outbox_depth}",
        "# HELP whistle_cases Cases by state.",
        "# TYPE whistle_cases gauge",
    ]
    lines.extend(
        f'whistle_cases{{state="{status.value}"}} {cases.get(status.value, 0)}'
        for status in CaseStatus
    )
    return "\n".join(lines) + "\n"


def web_app(sessions: async_sessionmaker[AsyncSession], counters: Counters) -> web.Application:
    async def healthz(_request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def metrics(_request: web.Request) -> web.Response:
        async with sessions() as session:
            rows = await session.execute(
                select(Case.status, func.count(Case.id)).group_by(Case.status)
            )
            cases = {str(getattr(status, "value", status)): count for status, count in rows}
            depth = await OutboxRepository(session).depth()
        text = metrics_text(counters(), cases, depth)
        return web.Response(text=text, content_type="text/plain", charset="utf-8")

    app = web.Application()
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics)
    return app
