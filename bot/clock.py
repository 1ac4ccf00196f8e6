"""Clocks: the real one, and one a person or a test can move (`/advance 2h`)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from handlers.deadlines import LOCAL

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(m|min|h|d|分钟|小时|天)\s*$", re.IGNORECASE)
_UNITS = {
    "m": "minutes",
    "min": "minutes",
    "分钟": "minutes",
    "h": "hours",
    "小时": "hours",
    "d": "days",
    "天": "days",
}


def system_clock() -> datetime:
    return datetime.now(UTC)


class FakeClock:
    """Stands still until moved; starts at a given local time or now."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = (start or datetime.now(UTC)).astimezone(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> datetime:
        if delta < timedelta(0):
            msg = "时间只能向前拨"
            raise ValueError(msg)
        self.now += delta
        return self.now


def parse_duration(text: str) -> timedelta:
    """`2h`, `3d`, `30m`, `1.5h`, `3天` → a timedelta; ValueError with a Chinese reason."""
    match = _DURATION.match(text)
    if match is None:
        msg = f"看不懂时长“{text}”，请写成 30m、2h 或 3d"
        raise ValueError(msg)
    return timedelta(**{_UNITS[match[2].lower()]: float(match[1])})


def parse_local_time(text: str) -> datetime:
    """`2026-11-20 16:00` in the county's local time → aware UTC."""
    try:
        local = datetime.strptime(text.strip(), "%Y-%m-%d %H:%M")
    except ValueError as error:
        msg = f"看不懂时间“{text}”，请写成 2026-11-20 16:00"
        raise ValueError(msg) from error
    return local.replace(tzinfo=LOCAL).astimezone(UTC)
