"""The Chinese working-day calendar: statutory holidays, 调休 make-up days, working hours.

Which days are working days comes, in order, from the administrator's override file (a date
listed there wins), then the `chinesecalendar` library for the years it covers, then — for a
year nobody knows yet — Monday to Friday, with one warning logged per year. Nothing here ever
raises for an unknown year. Pure apart from that warning; times are aware, local is Shanghai.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar

log = logging.getLogger(__name__)

LOCAL = ZoneInfo("Asia/Shanghai")
DEFAULT_PERIODS = ((time(8, 30), time(12, 0)), (time(13, 30), time(17, 30)))


@dataclass(frozen=True, slots=True)
class YearStatus:
    year: int
    library: bool  # chinesecalendar has the State Council's arrangement for the year
    holidays: int  # override days marked as holidays
    workdays: int  # override days marked as make-up working days

    @property
    def known(self) -> bool:
        return self.library or self.holidays > 0


class WorkCalendar:
    def __init__(
        self,
        overrides: Mapping[date, bool] | None = None,
        periods: tuple[tuple[time, time], ...] = DEFAULT_PERIODS,
    ) -> None:
        self.overrides = dict(overrides or {})  # date → is a working day
        self.periods = periods
        self._warned: set[int] = set()

    # --- days ---------------------------------------------------------------------------

    def is_working_day(self, day: date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        if self._library_covers(day.year):
            return bool(chinese_calendar.is_workday(day))
        if day.year not in self._warned and not self._has_overrides(day.year):
            self._warned.add(day.year)
            log.warning(
                "no holiday calendar for %s: Monday to Friday assumed; add the year to "
                "data/calendar/overrides.csv (whistle calendar check %s)",
                day.year,
                day.year,
            )
        return day.weekday() < 5

    def add_working_days(self, day: date, days: int) -> date:
        """The `days`-th working day after `day` (not counting `day` itself)."""
        current, remaining = day, days
        while remaining > 0:
            current += timedelta(days=1)
            if self.is_working_day(current):
                remaining -= 1
        return current

    def year_status(self, year: int) -> YearStatus:
        listed = [working for day, working in self.overrides.items() if day.year == year]
        return YearStatus(
            year=year,
            library=self._library_covers(year),
            holidays=sum(1 for working in listed if not working),
            workdays=sum(1 for working in listed if working),
        )

    # --- hours ----------------------------------------------------------------------------

    def add_working_day_hours(self, start: datetime, hours: float) -> datetime:
        """`hours` of clock time that only runs on working days (a weekend or holiday stops
        it): Friday 16:00 + 24 h is Monday 16:00, not Saturday 16:00."""
        moment = start.astimezone(LOCAL)
        left = timedelta(hours=hours)
        while True:
            if not self.is_working_day(moment.date()):
                moment = self._next_day_start(moment)
                continue
            day_end = self._next_day_start(moment)
            if moment + left <= day_end:
                return moment + left
            left -= day_end - moment
            moment = day_end

    def working_day_time_between(self, start: datetime, end: datetime) -> timedelta:
        """The inverse of `add_working_day_hours`: clock time on working days only."""
        if end <= start:
            return timedelta()
        moment, total = start.astimezone(LOCAL), timedelta()
        end = end.astimezone(LOCAL)
        while moment < end:
            day_end = min(self._next_day_start(moment), end)
            if self.is_working_day(moment.date()):
                total += day_end - moment
            moment = day_end
        return total

    def next_working_instant(self, moment: datetime) -> datetime:
        """`moment` if it falls in working hours of a working day, else the start of the next
        working period: when a reminder may be sent to a person at work."""
        local = moment.astimezone(LOCAL)
        for _ in range(370):  # a year of days at most, even with a broken override file
            if self.is_working_day(local.date()):
                for begin, finish in self.periods:
                    opens = datetime.combine(local.date(), begin, tzinfo=LOCAL)
                    closes = datetime.combine(local.date(), finish, tzinfo=LOCAL)
                    if local < opens:
                        return opens
                    if local < closes:
                        return local
            local = self._next_day_start(local)
        return moment  # pragma: no cover - no working day in a year

    def end_of_working_day(self, day: date) -> datetime:
        return datetime.combine(day, self.periods[-1][1], tzinfo=LOCAL)

    # --- internals ------------------------------------------------------------------------

    @staticmethod
    def _next_day_start(moment: datetime) -> datetime:
        following = moment.date() + timedelta(days=1)
        return datetime.combine(following, time(0, 0), tzinfo=LOCAL)

    @staticmethod
    def _library_covers(year: int) -> bool:
        try:
            chinese_calendar.is_workday(date(year, 6, 1))
        except NotImplementedError:
            return False
        return True

    def _has_overrides(self, year: int) -> bool:
        return any(day.year == year for day in self.overrides)
