"""Deadline arithmetic for the windows a case runs against, and how deadlines read in chat.

Days come from the working-day calendar (`handlers.workcalendar`: holidays and 调休 make-up
days). A response window of N hours runs on working days only — Friday 16:00 + 24 h is Monday
16:00 — except for urgent items (fewer than `URGENT_HOURS`), whose clock never stops: a field on
fire does not wait for Monday. A resolve window of N working days ends at the close of the N-th
working day. Results are aware UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from handlers.workcalendar import LOCAL, WorkCalendar

RATING_WINDOW_DAYS = 3
URGENT_HOURS = 24
_WEEKDAYS = "一二三四五六日"

_calendar = WorkCalendar()


def configure(chosen: WorkCalendar) -> None:
    """Use this calendar (with the county's override file) from now on; set once at start."""
    global _calendar  # one calendar per process, chosen at start-up
    _calendar = chosen


def calendar() -> WorkCalendar:
    return _calendar


def is_working_day(day: date) -> bool:
    return _calendar.is_working_day(day)


def add_working_days(day: date, days: int) -> date:
    """The `days`-th working day after `day` (not counting `day` itself)."""
    return _calendar.add_working_days(day, days)


def end_of_working_days(start: datetime, days: int) -> datetime:
    """The close of the `days`-th working day after the start's local date: "N 个工作日内"."""
    local_day = start.astimezone(LOCAL).date()
    return _calendar.end_of_working_day(add_working_days(local_day, days)).astimezone(UTC)


def is_urgent(hours: int) -> bool:
    return hours < URGENT_HOURS


def response_due(start: datetime, hours: int) -> datetime:
    if is_urgent(hours):
        return (start + timedelta(hours=hours)).astimezone(UTC)
    return _calendar.add_working_day_hours(start, hours).astimezone(UTC)


def resolve_due(start: datetime, days: int) -> datetime:
    return end_of_working_days(start, days)


def rating_due(start: datetime) -> datetime:
    return end_of_working_days(start, RATING_WINDOW_DAYS)


def extended(due: datetime, days: int) -> datetime:
    """A granted extension moves the resolve deadline by `days` working days."""
    local = due.astimezone(LOCAL)
    moved = add_working_days(local.date(), days)
    return datetime.combine(moved, local.timetz()).astimezone(UTC)


def remaining_on_pause(now: datetime, due: datetime) -> int:
    """Seconds of working-day time left when a clock pauses (待补充, 仲裁中)."""
    return int(_calendar.working_day_time_between(now, due).total_seconds())


def due_on_resume(now: datetime, remaining_seconds: int) -> datetime:
    """The deadline when a paused clock resumes: the same working-day time left, from now."""
    return _calendar.add_working_day_hours(now, remaining_seconds / 3600).astimezone(UTC)


def local_date(moment: datetime) -> date:
    return moment.astimezone(LOCAL).date()


def show_deadline(moment: datetime) -> str:
    """`11月24日(周二) 17:30前`, in the county's local time."""
    local = moment.astimezone(LOCAL)
    return f"{local.month}月{local.day}日(周{_WEEKDAYS[local.weekday()]}) {local:%H:%M}前"


def show_time(moment: datetime) -> str:
    local = moment.astimezone(LOCAL)
    return f"{local.month}月{local.day}日 {local:%H:%M}"
