"""The schedule language of monitors (UTC) and the periods a run looks at."""
from __future__ import annotations

import datetime as dt

import pytest

from app.engine.monitors import ScheduleError, parse_schedule
from app.engine.monitors.evaluate import last_complete_day, period_end

UTC = dt.UTC


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize("text, now, expected", [
    ("hourly", "2026-03-12 10:00:00", "2026-03-12 11:00:00"),  # strictly after: not the same minute
    ("hourly", "2026-03-12 10:59:59", "2026-03-12 11:00:00"),
    ("hourly:30", "2026-03-12 10:29:00", "2026-03-12 10:30:00"),
    ("hourly:30", "2026-03-12 23:45:00", "2026-03-13 00:30:00"),
    ("daily 08:00", "2026-03-12 07:59:00", "2026-03-12 08:00:00"),
    ("daily 08:00", "2026-03-12 08:00:00", "2026-03-13 08:00:00"),
    ("Daily  8:05", "2026-12-31 09:00:00", "2027-01-01 08:05:00"),
    ("weekly mon 08:00", "2026-03-12 09:00:00", "2026-03-16 08:00:00"),  # a Thursday -> next Monday
    ("weekly monday 08:00", "2026-03-16 07:00:00", "2026-03-16 08:00:00"),
    ("weekly mon 08:00", "2026-03-16 08:00:00", "2026-03-23 08:00:00"),
    ("weekly sun 23:59", "2026-03-12 00:00:00", "2026-03-15 23:59:00"),
])
def test_the_next_run_is_the_first_one_strictly_after_now(text, now, expected):
    assert parse_schedule(text).next_after(at(now)) == at(expected)


def test_a_schedule_is_stored_in_one_spelling_and_reads_back_the_same():
    for text, stored in (("hourly:00", "hourly"), ("Hourly:5", "hourly:05"), ("daily 8:00", "daily 08:00"),
                         ("weekly Friday 17:30", "weekly fri 17:30")):
        assert parse_schedule(text).text == stored
        assert parse_schedule(stored) == parse_schedule(text)


def test_a_naive_moment_is_utc_and_an_aware_one_is_converted():
    schedule = parse_schedule("daily 08:00")
    paris = dt.timezone(dt.timedelta(hours=1))
    assert schedule.next_after(dt.datetime(2026, 3, 12, 7, 30)) == at("2026-03-12 08:00:00")
    assert schedule.next_after(dt.datetime(2026, 3, 12, 8, 30, tzinfo=paris)) == at("2026-03-12 08:00:00")
    eight = at("2026-03-12 08:00:00").timestamp()
    assert schedule.next_timestamp(eight) == eight + 86_400


@pytest.mark.parametrize("text, says", [
    ("every day", "not understood"), ("", "not understood"), ("daily 24:00", "out of range"),
    ("hourly:60", "out of range"), ("weekly xyz 08:00", "not understood"), ("daily 8", "not understood"),
    ("*/5 * * * *", "not understood"),
])
def test_a_schedule_it_cannot_read_is_refused_with_the_forms_it_takes(text, says):
    with pytest.raises(ScheduleError) as raised:
        parse_schedule(text)
    assert says in raised.value.message and "'daily 08:00'" in raised.value.message
    assert raised.value.code == "invalid_schedule"


@pytest.mark.parametrize("grain, as_of, last_day", [
    ("day", "2026-03-12", "2026-03-11"),
    ("week", "2026-03-12", "2026-03-08"),  # Thursday: the week of March 9 is not complete
    ("week", "2026-03-16", "2026-03-15"),  # Monday: last week just ended
    ("month", "2026-03-12", "2026-02-28"),
    ("month", "2026-03-01", "2026-02-28"),
])
def test_only_complete_periods_are_looked_at(grain, as_of, last_day):
    assert last_complete_day(grain, dt.date.fromisoformat(as_of)) == dt.date.fromisoformat(last_day)


def test_a_period_ends_on_its_last_day():
    assert period_end("day", dt.date(2026, 3, 10)) == dt.date(2026, 3, 10)
    assert period_end("week", dt.date(2026, 3, 9)) == dt.date(2026, 3, 15)
    assert period_end("month", dt.date(2024, 2, 1)) == dt.date(2024, 2, 29)
