"""Deadline arithmetic for the windows a case runs against, and how deadlines read in chat.

Working days here are Monday to Friday; the statutory-holiday calendar with 调休 make-up days
replaces `is_working_day` when the follow-up work lands (DESIGN §2.2). Everything is pure and
takes aware datetimes; results are aware UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LOCAL = ZoneInfo("Asia/Shanghai")
END_OF_WORKING_DAY = time(17, 30)
RATING_WINDOW_DAYS = 3
_WEEKDAYS = "一二三四五六日"


def is_working_day(day: date) -> bool:
    return day.weekday() < 5


def add_working_days(day: date, days: int) -> date:
    """The `days`-th working day after `day` (not counting `day` itself)."""
    current = day
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def end_of_working_days(start: datetime, days: int) -> datetime:
    """17:30 local on the `days`-th working day after the start's local date: "N 个工作日内"."""
    local_day = start.astimezone(LOCAL).date()
    due_day = add_working_days(local_day, days)
    return datetime.combine(due_day, END_OF_WORKING_DAY, tzinfo=LOCAL).astimezone(UTC)


def response_due(start: datetime, hours: int) -> datetime:
    return (start + timedelta(hours=hours)).astimezone(UTC)


def resolve_due(start: datetime, days: int) -> datetime:
    return end_of_working_days(start, days)


def rating_due(start: datetime) -> datetime:
    return end_of_working_days(start, RATING_WINDOW_DAYS)


def extended(due: datetime, days: int) -> datetime:
    """A granted extension moves the resolve deadline by `days` working days."""
    local = due.astimezone(LOCAL)
    moved = add_working_days(local.date(), days)
    return datetime.combine(moved, local.timetz()).astimezone(UTC)


def local_date(moment: datetime) -> date:
    return moment.astimezone(LOCAL).date()


def show_deadline(moment: datetime) -> str:
    """`11月24日(周二) 17:30前`, in the county's local time."""
    local = moment.astimezone(LOCAL)
    return f"{local.month}月{local.day}日(周{_WEEKDAYS[local.weekday()]}) {local:%H:%M}前"


def show_time(moment: datetime) -> str:
    local = moment.astimezone(LOCAL)
    return f"{local.month}月{local.day}日 {local:%H:%M}"
