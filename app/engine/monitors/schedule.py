"""When a monitor runs: a small schedule language, always in UTC.

``hourly`` (at minute 0) or ``hourly:MM``; ``daily HH:MM``; ``weekly DAY HH:MM`` (DAY: mon..sun).
Cron is more than a digest needs and easy to get wrong; these three forms cover "every morning
before stand-up" and "Monday's weekly review", and every schedule reads the same in the CLI, the
API and the database.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from common.errors import AsklyticsError

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HOURLY = re.compile(r"^hourly(?::(\d{1,2}))?$")
_DAILY = re.compile(r"^daily\s+(\d{1,2}):(\d{2})$")
_WEEKLY = re.compile(r"^weekly\s+([a-z]{3})\w*\s+(\d{1,2}):(\d{2})$")
EXAMPLES = "'hourly', 'hourly:30', 'daily 08:00' or 'weekly mon 08:00' (UTC)"


class ScheduleError(AsklyticsError):
    def __init__(self, message: str):
        super().__init__(message, code="invalid_schedule")


@dataclass(frozen=True)
class Schedule:
    every: str  # hour | day | week
    minute: int
    hour: int = 0
    weekday: int = 0  # Monday 0

    @property
    def text(self) -> str:
        if self.every == "hour":
            return "hourly" if self.minute == 0 else f"hourly:{self.minute:02d}"
        clock = f"{self.hour:02d}:{self.minute:02d}"
        return f"daily {clock}" if self.every == "day" else f"weekly {DAYS[self.weekday]} {clock}"

    def next_after(self, moment: dt.datetime) -> dt.datetime:
        """The first run strictly after ``moment`` (an aware datetime, or naive UTC)."""
        now = moment.astimezone(dt.UTC) if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
        if self.every == "hour":
            candidate = now.replace(minute=self.minute, second=0, microsecond=0)
            return candidate if candidate > now else candidate + dt.timedelta(hours=1)
        candidate = now.replace(hour=self.hour, minute=self.minute, second=0, microsecond=0)
        if self.every == "week":
            candidate += dt.timedelta(days=(self.weekday - now.weekday()) % 7)
        step = dt.timedelta(days=1 if self.every == "day" else 7)
        return candidate if candidate > now else candidate + step

    def next_timestamp(self, now: float) -> float:
        return self.next_after(dt.datetime.fromtimestamp(now, dt.UTC)).timestamp()


def parse_schedule(text: str) -> Schedule:
    """``Schedule`` of the text, or a ScheduleError naming the accepted forms."""
    folded = " ".join((text or "").lower().split())
    if match := _HOURLY.match(folded):
        return Schedule("hour", _checked(match.group(1) or "0", 59, text))
    if match := _DAILY.match(folded):
        return Schedule("day", _checked(match.group(2), 59, text), _checked(match.group(1), 23, text))
    if (match := _WEEKLY.match(folded)) and match.group(1) in DAYS:
        return Schedule("week", _checked(match.group(3), 59, text), _checked(match.group(2), 23, text),
                        DAYS.index(match.group(1)))
    raise ScheduleError(f"schedule {text!r} is not understood; use {EXAMPLES}")


def _checked(digits: str, highest: int, text: str) -> int:
    value = int(digits)
    if value > highest:
        raise ScheduleError(f"schedule {text!r}: {value} is out of range (0-{highest}); use {EXAMPLES}")
    return value
