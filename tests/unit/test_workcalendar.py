"""Working days with statutory holidays and 调休, working-day hours, and an unknown year."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.settings import Settings
from bot.work_calendar import (
    OverrideFileError,
    load_calendar,
    parse_working_hours,
    read_overrides,
)
from handlers import deadlines
from handlers.workcalendar import LOCAL, WorkCalendar
from tests.support.home import Home


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LOCAL)


@pytest.fixture
def calendar() -> WorkCalendar:
    chosen = WorkCalendar()
    deadlines.configure(chosen)
    return chosen


def test_a_case_dispatched_before_the_spring_festival_break(calendar: WorkCalendar) -> None:
    # 2026: Friday 13 Feb, then Saturday 14 Feb is a make-up working day, 15–23 Feb are off.
    dispatched = local("2026-02-13 10:00")
    assert deadlines.resolve_due(dispatched, 3) == local("2026-02-25 17:30").astimezone(UTC)
    # 24 h on working days only: 14 h of Friday, then 10 h of the make-up Saturday.
    assert deadlines.response_due(dispatched, 24) == local("2026-02-14 10:00").astimezone(UTC)
    assert calendar.is_working_day(date(2026, 2, 14))
    assert not calendar.is_working_day(date(2026, 2, 23))  # a Monday inside the break


def test_a_case_dispatched_on_a_make_up_saturday(calendar: WorkCalendar) -> None:
    dispatched = local("2026-02-28 09:00")  # 调休 Saturday
    assert deadlines.resolve_due(dispatched, 1) == local("2026-03-02 17:30").astimezone(UTC)
    # Saturday 09:00–24:00 is 15 h; Sunday does not count; Monday brings the other 9 h.
    assert deadlines.response_due(dispatched, 24) == local("2026-03-02 09:00").astimezone(UTC)


def test_friday_afternoon_plus_a_day_is_monday_afternoon(calendar: WorkCalendar) -> None:
    friday = local("2026-11-20 16:00")
    assert deadlines.response_due(friday, 24) == local("2026-11-23 16:00").astimezone(UTC)
    assert deadlines.resolve_due(friday, 3) == local("2026-11-25 17:30").astimezone(UTC)
    waited = calendar.working_day_time_between(friday, local("2026-11-23 16:00"))
    assert waited == timedelta(hours=24)


def test_urgent_items_run_on_the_plain_clock(calendar: WorkCalendar) -> None:
    holiday = local("2026-02-21 15:00")  # a Saturday inside the Spring Festival break
    assert deadlines.is_urgent(2)
    assert deadlines.response_due(holiday, 2) == local("2026-02-21 17:00").astimezone(UTC)


def test_reminders_wait_for_working_hours(calendar: WorkCalendar) -> None:
    assert calendar.next_working_instant(local("2026-11-21 03:00")) == local("2026-11-23 08:30")
    assert calendar.next_working_instant(local("2026-11-23 12:30")) == local("2026-11-23 13:30")
    assert calendar.next_working_instant(local("2026-11-23 10:00")) == local("2026-11-23 10:00")
    assert calendar.next_working_instant(local("2026-09-30 18:00")) == local("2026-10-08 08:30")


def test_an_unknown_year_is_monday_to_friday_with_one_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    unknown = WorkCalendar()
    with caplog.at_level(logging.WARNING):
        assert unknown.is_working_day(date(2030, 1, 1))  # a Tuesday; nobody knows 2030 yet
        assert not unknown.is_working_day(date(2030, 1, 5))  # a Saturday
        unknown.add_working_days(date(2030, 1, 1), 30)
    warnings = [r for r in caplog.records if "2030" in r.getMessage()]
    assert len(warnings) == 1
    assert not unknown.year_status(2030).known


def test_the_override_file_wins_and_makes_a_year_known(tmp_path: Path) -> None:
    path = tmp_path / "overrides.csv"
    path.write_text(
        "date,kind,name\n2030-01-01,holiday,元旦\n2030-01-05,workday,调休上班\n", encoding="utf-8"
    )
    chosen = WorkCalendar(read_overrides(path))
    assert not chosen.is_working_day(date(2030, 1, 1))
    assert chosen.is_working_day(date(2030, 1, 5))
    status = chosen.year_status(2030)
    assert (status.known, status.holidays, status.workdays) == (True, 1, 1)


def test_a_broken_override_line_is_named(tmp_path: Path) -> None:
    path = tmp_path / "overrides.csv"
    path.write_text("date,kind,name\n2030-13-01,holiday,错\n", encoding="utf-8")
    with pytest.raises(OverrideFileError, match="第 2 行"):
        read_overrides(path)


def test_the_shipped_override_file_reads() -> None:
    root = Path(__file__).resolve().parents[2]
    assert isinstance(read_overrides(root / "data" / "calendar" / "overrides.csv"), dict)


def test_calendar_check_says_what_is_known(tmp_path: Path) -> None:
    home = Home(tmp_path)
    known = home.json("calendar", "check", "2026")
    assert (known["library"], known["known"]) == (True, True)
    unknown = home.run("calendar", "check", "2030")
    assert unknown.exit_code == 0
    assert "尚未录入" in unknown.stdout
    assert "周一至周五" in unknown.stdout


def test_a_paused_clock_keeps_its_working_time_over_a_weekend(calendar: WorkCalendar) -> None:
    paused = local("2026-11-20 10:00")  # Friday
    due = local("2026-11-24 17:30")  # Tuesday
    left = deadlines.remaining_on_pause(paused, due)
    assert left == int(timedelta(hours=14 + 24 + 17.5).total_seconds())
    resumed = deadlines.due_on_resume(local("2026-11-23 09:00"), left)  # Monday
    assert resumed == local("2026-11-25 16:30").astimezone(UTC)


def test_working_hours_are_configurable_and_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    periods = parse_working_hours("09:00-12:00, 14:00-18:00")
    chosen = load_calendar(working_hours="09:00-12:00,14:00-18:00")
    assert chosen.periods == periods
    assert chosen.next_working_instant(local("2026-11-23 08:40")) == local("2026-11-23 09:00")
    assert chosen.next_working_instant(local("2026-11-23 13:00")) == local("2026-11-23 14:00")
    assert deadlines.calendar() is chosen
    for bad in ("8点半到12点", "12:00-08:30", "13:30-17:30,08:30-12:00", ""):
        with pytest.raises(ValueError, match="工作时间"):
            parse_working_hours(bad)
    monkeypatch.setenv("WHISTLE_WORKING_HOURS", "whenever")
    with pytest.raises(ValidationError):
        Settings()
    deadlines.configure(WorkCalendar())
