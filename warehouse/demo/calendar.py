"""The demo's time window, its seasonality and the anomalies planted in it.

Times are whole seconds since the Unix epoch (int64) until the writer turns
them into TIMESTAMPs, so every value stays an exact second.
"""
from __future__ import annotations

import datetime as dt

import numpy as np

WINDOW_START = dt.date(2026, 1, 1)
WINDOW_END = dt.date(2026, 6, 30)
AS_OF = dt.date(2026, 7, 1)
N_DAYS = (WINDOW_END - WINDOW_START).days + 1
DAY = 86_400
START_S = int(dt.datetime(2026, 1, 1, tzinfo=dt.UTC).timestamp())
END_S = START_S + N_DAYS * DAY  # exclusive: 2026-07-01 00:00:00
FIRST_WEEKDAY = WINDOW_START.weekday()  # Monday = 0


def day_index(date: dt.date) -> int:
    return (date - WINDOW_START).days


# Planted anomalies (inclusive day ranges) an anomaly detector should find.
PAID_TRACKING_OUTAGE = (day_index(dt.date(2026, 3, 10)), day_index(dt.date(2026, 3, 10)))
ORGANIC_FEATURING = (day_index(dt.date(2026, 2, 14)), day_index(dt.date(2026, 2, 15)))
FRAUD_SPIKE = (day_index(dt.date(2026, 4, 6)), day_index(dt.date(2026, 4, 26)))
SDK_OUTAGE_DAY = day_index(dt.date(2026, 4, 14))
SDK_OUTAGE_KEEP = 0.2  # share of events that still arrive during the SDK outage
SALE_DAYS = (day_index(dt.date(2026, 5, 22)), day_index(dt.date(2026, 5, 24)))
SALE_PURCHASE_BOOST = 2.5

# Mobile games install and play more at weekends (Mon..Sun).
INSTALL_WEEKDAY = np.array([0.92, 0.90, 0.93, 0.96, 1.05, 1.25, 1.20])
SESSION_WEEKDAY = np.array([0.80, 0.79, 0.80, 0.82, 0.88, 1.00, 0.97])
# UTC hour-of-day activity (the audience is spread over time zones, so it is flat-ish).
HOURLY = np.array([0.55, 0.45, 0.38, 0.33, 0.32, 0.36, 0.45, 0.58, 0.70, 0.76, 0.80, 0.84,
                   0.88, 0.90, 0.92, 0.95, 0.98, 1.00, 1.00, 0.98, 0.95, 0.88, 0.78, 0.66])
HOURLY_P = HOURLY / HOURLY.sum()


def in_range(days: np.ndarray, span: tuple[int, int]) -> np.ndarray:
    return (days >= span[0]) & (days <= span[1])


def weekdays(days: np.ndarray) -> np.ndarray:
    return (days + FIRST_WEEKDAY) % 7


def install_seasonality() -> np.ndarray:
    """Relative install volume per day: slow growth times the weekly cycle."""
    days = np.arange(N_DAYS)
    trend = 1.0 + 0.35 * days / (N_DAYS - 1)
    return trend * INSTALL_WEEKDAY[weekdays(days)]


def paid_day_factor() -> np.ndarray:
    factor = np.ones(N_DAYS)
    factor[in_range(np.arange(N_DAYS), PAID_TRACKING_OUTAGE)] = 0.25
    return factor


def organic_day_factor() -> np.ndarray:
    factor = np.ones(N_DAYS)
    factor[in_range(np.arange(N_DAYS), ORGANIC_FEATURING)] = 3.0
    return factor


def seconds_of_day(rng: np.random.Generator, n: int, uniform_hours: np.ndarray | None = None) -> np.ndarray:
    """Seconds after midnight following the daily activity curve.

    ``uniform_hours`` marks rows (bots) whose hour is uniform over the day.
    """
    hours = rng.choice(24, size=n, p=HOURLY_P)
    if uniform_hours is not None:
        hours = np.where(uniform_hours, rng.integers(0, 24, size=n), hours)
    return hours * 3600 + rng.integers(0, 3600, size=n)


def session_keep_probability(ts: np.ndarray) -> np.ndarray:
    """Thinning weights that give sessions their weekly and daily rhythm."""
    days = (ts - START_S) // DAY
    hours = (ts % DAY) // 3600
    return SESSION_WEEKDAY[weekdays(days)] * HOURLY[hours]
