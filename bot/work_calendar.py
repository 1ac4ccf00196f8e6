"""The county's working-day calendar: the library plus `data/calendar/overrides.csv`."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from bot.paths import data_dir
from handlers import deadlines
from handlers.workcalendar import WorkCalendar

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


def load_calendar(path: Path | None = None) -> WorkCalendar:
    """The calendar with the override file, also installed for the deadline arithmetic."""
    calendar = WorkCalendar(read_overrides(path or overrides_file()))
    deadlines.configure(calendar)
    return calendar
