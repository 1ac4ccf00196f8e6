"""The county's working-day calendar: the library plus `data/calendar/overrides.csv`."""

from __future__ import annotations

import csv
from datetime import date, time
from pathlib import Path

from bot.paths import data_dir
from handlers import deadlines
from handlers.workcalendar import DEFAULT_PERIODS, WorkCalendar

KINDS = {"holiday": False, "workday": True}


class OverrideFileError(ValueError):
    """A line of the override file that cannot be read; the message names file and line."""


def overrides_file() -> Path:
    return data_dir() / "calendar" / "overrides.csv"


def read_overrides(path: Path) -> dict[date, bool]:
    if not path.is_file():
        return {}
    days: dict[date, bool] = {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            try:
                day = date.fromisoformat((row.get("date") or "").strip())
                working = KINDS[(row.get("kind") or "").strip()]
            except (ValueError, KeyError) as error:
                msg = f"{path.name} 第 {line} 行：日期须为 YYYY-MM-DD，类型须为 holiday 或 workday"
                raise OverrideFileError(msg) from error
            days[day] = working
    return days


def parse_working_hours(text: str) -> tuple[tuple[time, time], ...]:
    """`08:30-12:00,13:30-17:30` → the working periods of a day, in order."""
    periods: list[tuple[time, time]] = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        try:
            begin, end = (time.fromisoformat(x.strip()) for x in part.split("-"))
        except ValueError as error:
            msg = f"工作时间“{part}”应写成 08:30-12:00 的形式"
            raise ValueError(msg) from error
        if begin >= end or (periods and begin < periods[-1][1]):
            msg = f"工作时间“{part}”须晚于前一段且结束晚于开始"
            raise ValueError(msg)
        periods.append((begin, end))
    if not periods:
        msg = "工作时间不能为空"
        raise ValueError(msg)
    return tuple(periods)


def load_calendar(path: Path | None = None, working_hours: str | None = None) -> WorkCalendar:
    """The calendar with the override file (and the configured working hours, when given),
    also installed for the deadline arithmetic."""
    periods = parse_working_hours(working_hours) if working_hours else DEFAULT_PERIODS
    calendar = WorkCalendar(read_overrides(path or overrides_file()), periods)
    deadlines.configure(calendar)
    return calendar
