"""Follow-up that never forgets: which timers a case needs, and what each does when it fires.

`plan(turn, view)` runs after every transition: it cancels the case's pending timers and
schedules what the new state needs — reminders at 50 % and 80 % of the response and resolve
windows, an overdue escalation at each deadline, a rating reminder and the rating window's end.
Keys carry the deadline, so a moved deadline (extension, resume, reopen) gets fresh timers and
an unchanged one is never scheduled twice. Reminders to people wait for working hours; urgent
items do not.

`run(turn, job, late)` is a timer's effect, written in the scheduler's transaction.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta

from handlers import copy, deadlines, routing, transitions
from handlers.case_view import CaseView, load_case_view
from handlers.turn import Turn
from models.jobs import TimerJob
from models.lifecycle import CaseEvent, CaseStatus, Role
from models.repositories.jobs import JobRepository

log = logging.getLogger(__name__)

REMIND = "remind"
OVERDUE = "overdue"
RATING_REMIND = "rating_remind"
RATING_CLOSE = "rating_close"
DIGEST = "digest"
DIGEST_TIME = time(8, 30)
SHARES = (0.5, 0.8)
_RUNNING = (CaseStatus.DISPATCHED, CaseStatus.ACCEPTED)


async def plan(turn: Turn, view: CaseView) -> None:
    case = view.case
    jobs = JobRepository(turn.session)
    await jobs.cancel_for_case(case.id)
    urgent = view.item is not None and deadlines.is_urgent(view.item.response_hours)
    windows: list[tuple[str, datetime | None, datetime | None]] = []
    if case.status is CaseStatus.DISPATCHED:
        windows.append(("response", case.dispatched_at, case.response_due_at))
    if case.status in _RUNNING:
        windows.append(("resolve", case.dispatched_at, case.resolve_due_at))
    for window, start, due in windows:
        if start is None or due is None:
            continue
        calendar = deadlines.calendar()
        for share in SHARES:
            if urgent and window == "response":  # a fire does not wait for office hours
                at = start + (due - start) * share
            else:  # a share of the working-day time, sent when people are at work
                span = calendar.working_day_time_between(start, due) * share
                at = calendar.next_working_instant(
                    calendar.add_working_day_hours(start, span.total_seconds() / 3600)
                )
            if at < due:
                await _schedule(jobs, REMIND, at, view, window, due, share=share)
        await _schedule(jobs, OVERDUE, due, view, window, due)
    if case.status is CaseStatus.RESOLVED and case.rating_due_at is not None:
        start = case.resolved_at or turn.now
        reminder = deadlines.calendar().next_working_instant(
            start + (case.rating_due_at - start) * 2 / 3
        )
        if reminder < case.rating_due_at:
            await _schedule(jobs, RATING_REMIND, reminder, view, "rating", case.rating_due_at)
        await _schedule(jobs, RATING_CLOSE, case.rating_due_at, view, "rating", case.rating_due_at)


async def _schedule(
    jobs: JobRepository,
    kind: str,
    at: datetime,
    view: CaseView,
    window: str,
    due: datetime,
    *,
    share: float | None = None,
) -> None:
    case = view.case
    part = f"-{int(share * 100)}" if share is not None else ""
    key = f"case-{case.id}-{kind}-{window}{part}-r{case.reopen_count}-{due:%Y%m%dT%H%M%S}"
    payload = {"window": window, "due": due.isoformat(), "share": share}
    if not await jobs.schedule(kind, at, dedupe_key=key, case_id=case.id, payload=payload):
        # The same timer existed and was cancelled a moment ago by this very plan: revive it.
        await jobs.revive(key)


async def ensure_digest(turn: Turn) -> None:
    """The dispatch centre's morning digest: one job at the next working day's 08:30."""
    day = deadlines.local_date(turn.now)
    first = datetime.combine(day, DIGEST_TIME, tzinfo=deadlines.LOCAL)
    if first <= turn.now or not deadlines.is_working_day(day):
        day = deadlines.add_working_days(day, 1)
        first = datetime.combine(day, DIGEST_TIME, tzinfo=deadlines.LOCAL)
    await JobRepository(turn.session).schedule(DIGEST, first, dedupe_key=f"digest-{day:%Y%m%d}")


async def _digest(turn: Turn, late: timedelta) -> None:
    since = turn.now - timedelta(days=1)
    counts = await turn.cases.digest_counts(since, turn.now)
    text = copy.digest(counts) + (copy.lateness(late) if late > timedelta(minutes=30) else "")
    turn.send(await routing.dispatch_chat(turn), text)
    await ensure_digest(turn)


async def run(turn: Turn, job: TimerJob, late: timedelta) -> None:
    """A timer fires: send what it stands for (or nothing, if the case has moved on)."""
    if job.kind == DIGEST:
        await _digest(turn, late)
        return
    if job.case_id is None:
        return
    case = await turn.cases.by_id(job.case_id)
    if case is None:
        return
    view = await load_case_view(turn.session, case)
    window = job.payload.get("window")
    if job.kind in (REMIND, OVERDUE) and case.status not in _RUNNING:
        return
    if window == "response" and case.status is not CaseStatus.DISPATCHED:
        return
    lateness = copy.lateness(late) if late > timedelta(minutes=30) else ""
    due = case.response_due_at if window == "response" else case.resolve_due_at
    # The card the liaison acts on, so a reminder can be answered with one press.
    card = (
        copy.whistle_card(view)
        if case.status is CaseStatus.DISPATCHED
        else copy.working_card(view)
    )
    if job.kind == REMIND and due is not None:
        text = copy.reminder(view, window or "resolve", due - turn.now) + lateness
        await routing.tell_department(turn, view, text, card=card, mention=True)
    elif job.kind == OVERDUE and due is not None:
        text = copy.overdue(view, window or "resolve", turn.now - due) + lateness
        heads = await turn.organisation.holders(
            Role.DEPARTMENT_HEAD, department_id=case.lead_department_id
        )
        # The department's heads are @-ed when it has any on record, else its liaisons.
        turn.send(
            await routing.department_chat(turn, case.lead_department_id),
            text,
            view=view,
            card=card,
            mentions=tuple(heads) or await routing.liaisons(turn, case.lead_department_id),
        )
        turn.send(
            await routing.dispatch_chat(turn),
            text,
            view=view,
            card=copy.escalation_card(view, window or "resolve"),
        )
        # Repeated daily while it stays overdue: the next one a working day later.
        next_day = deadlines.add_working_days(deadlines.local_date(turn.now), 1)
        again = deadlines.calendar().next_working_instant(
            datetime.combine(next_day, job.due_at.astimezone(deadlines.LOCAL).timetz())
        )
        await JobRepository(turn.session).schedule(
            OVERDUE,
            again,
            dedupe_key=f"{job.dedupe_key}-{again:%Y%m%d}",
            case_id=case.id,
            payload=job.payload,
        )
    elif job.kind == RATING_REMIND and case.status is CaseStatus.RESOLVED:
        township = await routing.township_chat(turn, view)
        turn.send(township, copy.rating_reminder(view), view=view)
    elif job.kind == RATING_CLOSE and case.status is CaseStatus.RESOLVED:
        closed = await transitions.apply_event(turn, view, CaseEvent.RATING_TIMEOUT, Role.SYSTEM)
        answered = copy.answered_card(closed, "已结案", "逾期未评价")
        await routing.tell_township_and_reporter(
            turn, closed, copy.closed_unrated(closed), answered=answered
        )
