"""Moving a case through the lifecycle table and applying what a transition does to its clocks.

Every status change in the bot goes through `apply_event`: it asks `models.lifecycle` whether
the move is allowed for the role, changes the status, starts/stops/pauses the clocks and writes
the audit-log entry, all in the caller's transaction.
"""

from __future__ import annotations

from typing import Any

from handlers import deadlines, followup
from handlers.case_view import CaseView, ItemView, load_case_view
from handlers.turn import Turn
from models.case import Case
from models.lifecycle import (
    CaseEvent,
    CaseStatus,
    Clock,
    ClockAction,
    Role,
    transition,
)


class Refusal(Exception):
    """A request that cannot be carried out; the message is the chat answer. Raised before
    any change, or inside a savepoint that is rolled back, so nothing is half-written."""


async def apply_event(
    turn: Turn,
    view: CaseView,
    event: CaseEvent,
    role: Role,
    payload: dict[str, Any] | None = None,
) -> CaseView:
    """Fire `event` on the case as `role`; returns the case as it is afterwards."""
    case = view.case
    row = transition(case.status, event, role)
    source = case.status
    case.status = row.target
    for clock, action in row.clocks.items():
        _apply_clock(turn, case, view.item, clock, action)
    if row.target in (CaseStatus.CLOSED, CaseStatus.CANCELLED):
        case.closed_at = turn.now
    await turn.cases.record(
        case,
        kind=event.value,
        actor_id=turn.actor.id if turn.actor else None,
        actor_role=role,
        at=turn.now,
        from_status=source,
        to_status=row.target,
        payload=payload,
    )
    await turn.session.flush()
    after = await load_case_view(turn.session, case)
    await followup.plan(turn, after)  # the timers the new state needs, and no others
    return after


def _apply_clock(
    turn: Turn, case: Case, item: ItemView | None, clock: Clock, action: ClockAction
) -> None:
    now = turn.now
    if clock is Clock.RESPONSE:
        if action is ClockAction.START:
            hours = item.response_hours if item else 24
            case.response_due_at = deadlines.response_due(now, hours)
            case.signed_at = None
        elif action is ClockAction.STOP and case.status is CaseStatus.ACCEPTED:
            case.signed_at = now
    elif clock is Clock.RESOLVE:
        if action is ClockAction.START:
            case.dispatched_at = now
            case.resolve_due_at = deadlines.resolve_due(now, item.resolve_days if item else 7)
            case.resolve_paused_remaining_seconds = None
            case.resolved_at = None
        elif action is ClockAction.PAUSE and case.resolve_due_at is not None:
            # Working-day time: a clock paused on Friday does not lose the weekend.
            remaining = deadlines.remaining_on_pause(now, case.resolve_due_at)
            case.resolve_paused_remaining_seconds = remaining
            case.resolve_due_at = None
        elif action is ClockAction.RESUME and case.resolve_paused_remaining_seconds is not None:
            case.resolve_due_at = deadlines.due_on_resume(
                now, case.resolve_paused_remaining_seconds
            )
            case.resolve_paused_remaining_seconds = None
        elif action is ClockAction.STOP:
            case.resolved_at = now
    elif clock is Clock.RATING:
        if action is ClockAction.START:
            case.rating_due_at = deadlines.rating_due(now)
        elif action is ClockAction.STOP:
            case.rating_due_at = None


def set_item(case: Case, item: ItemView) -> None:
    """Point the case at a list item and that item's departments."""
    case.item_id = item.id
    case.lead_department_id = item.lead_department_id
    case.cooperating_department_ids = [department_id for department_id, _ in item.cooperating]
