"""A user the churn model does not score because they already left: say so, with the facts.

The churn model scores users with a session in the 30 days before ``as_of`` (docs/models.md).
"Why is u0000123 likely to churn?" about a user who last opened the app in March is not an
error: the honest answer is that, by the model's own definition, they have already churned,
and when they were last seen.
"""
from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from predictors.features.base import FeatureQuery, FrameSource, ts
from predictors.tool_answers import ToolAnswer
from warehouse.base import Column

ACTIVE_WINDOW_DAYS = 30
_USER_ID = re.compile(r"[A-Za-z]+\d+")
_LAST_SEEN_SQL = (
    "SELECT i.user_id, CAST(i.install_time AS DATE) AS install_date, "
    "CAST(MAX(CASE WHEN e.event_name = 'session_start' THEN e.event_time END) AS DATE) AS last_session "
    "FROM installs AS i LEFT JOIN events AS e ON e.user_id = i.user_id AND e.event_time < {cut} "
    "WHERE i.user_id = ? AND i.install_time < {cut} GROUP BY i.user_id, i.install_time"
)
COLUMNS = [Column("user_id", "VARCHAR"), Column("install_date", "DATE"), Column("last_session", "DATE"),
           Column("days_since_last_session", "BIGINT"), Column("status", "VARCHAR")]


def lapsed_user_answer(source: FrameSource, user_id: str, as_of: dt.date) -> ToolAnswer | None:
    """The answer for a user who installed before ``as_of`` but was not active in the scored window;
    None when there is no such user (the caller reports the id as unknown)."""
    if not _USER_ID.fullmatch(user_id or ""):
        return None
    frame = source.frame(FeatureQuery(_LAST_SEEN_SQL.format(cut=ts(as_of)), [user_id]))
    if frame.empty:
        return None
    installed = _date(frame.iloc[0]["install_date"])
    last = _date(frame.iloc[0]["last_session"])
    if last is not None and (as_of - last).days <= ACTIVE_WINDOW_DAYS:
        return None  # active after all: not this case
    days = (as_of - last).days if last is not None else None
    status = "already churned (no session in the last 30 days)"
    row = (user_id, installed, last, days, status)
    seen = (f"last opened the app on {last} ({days} days before {as_of})" if last is not None
            else f"installed on {installed} and never opened the app")
    narrative = (f"User {user_id} {seen}. The churn model scores users active in the "
                 f"{ACTIVE_WINDOW_DAYS} days before {as_of}, so there is no churn prediction to explain: "
                 "by the model's definition (no session in the following 14 days) "
                 "this user has already churned.")
    return ToolAnswer(columns=list(COLUMNS), rows=[row], narrative=narrative, extra={"lapsed": True})


def _date(value) -> dt.date | None:
    if value is None or pd.isna(value):  # None or NaT/NaN
        return None
    return value.date() if hasattr(value, "date") else value
