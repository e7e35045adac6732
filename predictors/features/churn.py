"""Churn features per user active at a cutoff, from activity windows before it.

A user is in the population when they had a session in the 30 days before the
cutoff; the label (``label_query``) is "no session in the 14 days after".
Windows: 7/14/30 days, the 7-day trend against the week before, recency,
spend and tenure.
"""
from __future__ import annotations

import datetime as dt

from predictors.features.base import Cohort, FeatureQuery, cohort_page, ts

ENTITY = "user_id"
ACTIVE_DAYS = 30
HORIZON_DAYS = 14
FEATURES: tuple[str, ...] = (
    "sessions_7d", "sessions_14d", "sessions_30d", "sessions_total", "session_trend_7d",
    "active_days_14d", "events_7d", "events_30d", "level_ups_30d",
    "days_since_last_session", "days_since_install", "revenue_30d", "revenue_total", "purchases_total",
    "is_ios", "is_organic",
)

_SQL = """
WITH ev AS (SELECT user_id, event_time, event_name, revenue FROM events WHERE event_time < {cut}),
targets AS (
    SELECT i.user_id, i.install_time, i.platform, i.campaign_id
    FROM installs i LEFT JOIN campaigns c ON c.campaign_id = i.campaign_id
    WHERE i.install_time < {cut} AND {where}
      AND i.user_id IN (SELECT user_id FROM ev WHERE event_name = 'session_start'
                        AND event_time >= {cut} - INTERVAL {active} DAY)
    {page}
),
activity AS (
    SELECT e.user_id,
           count(*) FILTER (WHERE e.event_name = 'session_start'
                              AND e.event_time >= {cut} - INTERVAL 7 DAY) AS s7,
           count(*) FILTER (WHERE e.event_name = 'session_start'
                              AND e.event_time >= {cut} - INTERVAL 14 DAY) AS s14,
           count(*) FILTER (WHERE e.event_name = 'session_start'
                              AND e.event_time >= {cut} - INTERVAL 30 DAY) AS s30,
           count(*) FILTER (WHERE e.event_name = 'session_start') AS s_all,
           count(DISTINCT e.event_time::DATE)
               FILTER (WHERE e.event_time >= {cut} - INTERVAL 14 DAY) AS active_days_14d,
           count(*) FILTER (WHERE e.event_time >= {cut} - INTERVAL 7 DAY) AS events_7d,
           count(*) FILTER (WHERE e.event_time >= {cut} - INTERVAL 30 DAY) AS events_30d,
           count(*) FILTER (WHERE e.event_name = 'level_up'
                              AND e.event_time >= {cut} - INTERVAL 30 DAY) AS level_ups_30d,
           max(e.event_time) FILTER (WHERE e.event_name = 'session_start') AS last_session,
           coalesce(sum(e.revenue) FILTER (WHERE e.event_time >= {cut} - INTERVAL 30 DAY), 0) AS revenue_30d,
           sum(e.revenue) AS revenue_total,
           count(*) FILTER (WHERE e.revenue > 0) AS purchases_total
    FROM ev e WHERE e.user_id IN (SELECT user_id FROM targets)
    GROUP BY e.user_id
)
SELECT t.user_id,
       a.s7 AS sessions_7d, a.s14 AS sessions_14d, a.s30 AS sessions_30d, a.s_all AS sessions_total,
       a.s7 - (a.s14 - a.s7) AS session_trend_7d, a.active_days_14d, a.events_7d, a.events_30d,
       a.level_ups_30d,
       date_diff('second', a.last_session, {cut}) / 86400.0 AS days_since_last_session,
       date_diff('second', t.install_time, {cut}) / 86400.0 AS days_since_install,
       a.revenue_30d, a.revenue_total, a.purchases_total,
       (t.platform = 'iOS')::INT AS is_ios, (t.campaign_id IS NULL)::INT AS is_organic
FROM targets t JOIN activity a USING (user_id)
ORDER BY t.user_id
"""

_LABEL_SQL = """
SELECT user_id, (count(*) FILTER (WHERE event_name = 'session_start' AND event_time >= {cut}
                                   AND event_time < {cut} + INTERVAL {horizon} DAY) = 0)::INT AS label
FROM events WHERE event_time >= {cut} - INTERVAL {active} DAY AND event_time < {cut} + INTERVAL {horizon} DAY
GROUP BY user_id
"""


def feature_query(cutoff: dt.date | dt.datetime, cohort: Cohort | None = None) -> FeatureQuery:
    """Features of the cohort's users with a session in the 30 days before ``cutoff``."""
    where, params = (cohort or Cohort()).where(ENTITY)
    return FeatureQuery(_SQL.format(
        cut=ts(cutoff), where=where, page=cohort_page(cohort, ENTITY), active=ACTIVE_DAYS), params)


def label_query(cutoff: dt.date) -> FeatureQuery:
    """1 when the user has no session in the 14 days from ``cutoff`` (needs data up to cutoff + 14 days)."""
    return FeatureQuery(_LABEL_SQL.format(cut=ts(cutoff), horizon=HORIZON_DAYS, active=ACTIVE_DAYS))
