"""Cases a person has confirmed: the classifier's best teacher.

A case counts once a township confirmed the whistle, chose another item, or the dispatch
centre assigned it; its item is then a human decision, not the model's guess. Cases whose
ownership is in dispute (returned, in arbitration) teach nothing until it is settled.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.case import Case
from models.lifecycle import CaseStatus
from models.responsibility import ListItem

CONFIRMED_STATES = frozenset(
    {
        CaseStatus.DISPATCHED,
        CaseStatus.ACCEPTED,
        CaseStatus.NEEDS_INFO,
        CaseStatus.RESOLVED,
        CaseStatus.CLOSED,
        CaseStatus.TOWNSHIP_HANDLING,
    }
)


async def confirmed_case_texts(session: AsyncSession) -> list[tuple[str, str]]:
    """(report text, item code) for every case whose item a person decided."""
    statement = (
        select(Case.original_text, ListItem.code)
        .join(ListItem, Case.item_id == ListItem.id)
        .where(Case.status.in_(CONFIRMED_STATES))
        .order_by(Case.id)
    )
    return [(text, code) for text, code in await session.execute(statement)]
