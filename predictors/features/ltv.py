"""LTV features per user from the first 3 days after install; target = revenue in the first 60 days.

Users from the same country and media source spend alike, so each user also
carries the 7-day revenue per install of their country and source over the
month before the cutoff (installs old enough for their 7 days to have passed).
"""
from __future__ import annotations

import datetime as dt

from predictors.features.base import Cohort, FeatureQuery, cohort_page, ts

ENTITY = "user_id"
EARLY_DAYS = 3
TARGET_DAYS = 60
QUANTILES: tuple[float, ...] = (0.1, 0.5, 0.9)
FEATURES: tuple[str, ...] = (
    "revenue_d1", "revenue_d3", "purchases_d3", "subscribed_d3", "sessions_d1", "sessions_d3",
    "active_days_d3", "level_ups_d3", "cart_adds_d3", "tutorial_done_d3",
    "is_ios", "is_organic", "country_revenue_7d_per_install", "source_revenue_7d_per_install",
)

_SQL = """
WITH ev AS (SELECT user_id, event_time, event_name, revenue FROM events WHERE event_time < {cut}),
targets AS (
    SELECT i.user_id, i.install_time, i.platform, i.country, i.campaign_id,
           coalesce(c.media_source, 'organic') AS source
    FROM installs i LEFT JOIN campaigns c ON c.campaign_id = i.campaign_id
    WHERE i.install_time < {cut} AND {where}
    {page}
),
early AS (
    SELECT t.user_id,
           coalesce(sum(e.revenue) FILTER (WHERE e.event_time < t.install_time + INTERVAL 1 DAY), 0)
               AS revenue_d1,
           coalesce(sum(e.revenue), 0) AS revenue_d3,
           count(*) FILTER (WHERE e.revenue > 0) AS purchases_d3,
           (count(*) FILTER (WHERE e.event_name = 'subscription_start') > 0)::INT AS subscribed_d3,
           count(*) FILTER (WHERE e.event_name = 'session_start'
                              AND e.event_time < t.install_time + INTERVAL 1 DAY) AS sessions_d1,
           count(*) FILTER (WHERE e.event_name = 'session_start') AS sessions_d3,
           count(DISTINCT e.event_time::DATE) AS active_days_d3,
           count(*) FILTER (WHERE e.event_name = 'level_up') AS level_ups_d3,
           count(*) FILTER (WHERE e.event_name = 'add_to_cart') AS cart_adds_d3,
           (count(*) FILTER (WHERE e.event_name = 'tutorial_complete') > 0)::INT AS tutorial_done_d3
    FROM targets t LEFT JOIN ev e
      ON e.user_id = t.user_id AND e.event_time < t.install_time + INTERVAL {early} DAY
    GROUP BY t.user_id
),
matured AS (
    SELECT i.country, coalesce(c.media_source, 'organic') AS source,
           coalesce(sum(e.revenue), 0) AS revenue_7d
    FROM installs i LEFT JOIN campaigns c ON c.campaign_id = i.campaign_id
    LEFT JOIN ev e ON e.user_id = i.user_id AND e.event_time < i.install_time + INTERVAL 7 DAY
    WHERE i.install_time >= {cut} - INTERVAL 37 DAY AND i.install_time < {cut} - INTERVAL 7 DAY
    GROUP BY i.user_id, i.country, source
),
by_country AS (SELECT country, avg(revenue_7d) AS country_revenue_7d_per_install FROM matured GROUP BY 1),
by_source AS (SELECT source, avg(revenue_7d) AS source_revenue_7d_per_install FROM matured GROUP BY 1)
SELECT t.user_id, t.install_time, early.* EXCLUDE (user_id),
       (t.platform = 'iOS')::INT AS is_ios, (t.campaign_id IS NULL)::INT AS is_organic,
       bc.country_revenue_7d_per_install, bs.source_revenue_7d_per_install
FROM targets t JOIN early USING (user_id)
LEFT JOIN by_country bc ON bc.country = t.country
LEFT JOIN by_source bs ON bs.source = t.source
ORDER BY t.user_id
"""

_LABEL_SQL = """
SELECT i.user_id, coalesce(sum(e.revenue), 0) AS label
FROM installs i LEFT JOIN events e
  ON e.user_id = i.user_id AND e.event_time < i.install_time + INTERVAL {days} DAY
WHERE i.install_time >= {start} AND i.install_time < {end}
GROUP BY i.user_id
"""


def feature_query(cutoff: dt.date | dt.datetime, cohort: Cohort | None = None) -> FeatureQuery:
    """Features of the cohort's users installed before ``cutoff`` (their first 3 days, clipped at it)."""
    where, params = (cohort or Cohort()).where(ENTITY)
    return FeatureQuery(_SQL.format(
        cut=ts(cutoff), where=where, page=cohort_page(cohort, ENTITY), early=EARLY_DAYS), params)


def label_query(start: dt.date, end: dt.date) -> FeatureQuery:
    """Revenue in the first 60 days of users installed in [start, end) (needs 60 days of data after end)."""
    return FeatureQuery(_LABEL_SQL.format(days=TARGET_DAYS, start=ts(start), end=ts(end)))
