"""Conversion features per install, from what it did in its first 24 hours (or the hours seen so far).

An install is observed until the earlier of install + 24 h and the cutoff; ``hours_observed`` says
how long that was, so yesterday's installs (seen for 0-24 hours at scoring time) are scored by a
model that learnt what a few hours of activity mean. Training rows therefore come at two horizons
per install (``training_query``): the full 24 hours, and a horizon drawn from (0, 24 h] by a hash of
the install id. Each install also carries the 7-day payer share of its country, media source and campaign
over the installs of the month before its install day whose 7 days had passed by then (no row of
it sees its own outcome). The label (docs/models.md, "Conversion"): a first purchase after the
observed hours and within 7 days of install, among installs that have not paid in the observed hours.
"""
from __future__ import annotations

import datetime as dt

from predictors.features.base import Cohort, FeatureQuery, cohort_page, ts

ENTITY = "install_id"
TARGET_DAYS = 7
FEATURES: tuple[str, ...] = (
    "hours_observed", "events_24h", "sessions_24h", "level_ups_24h", "cart_adds_24h", "tutorial_done_24h",
    "distinct_events_24h", "since_last_event_s", "is_ios", "is_organic",
    "country_payer_share_7d", "source_payer_share_7d", "campaign_payer_share_7d",
)

_OBSERVED = "least(i.install_time + INTERVAL 1 DAY, {cut})"
# training: every install at 24 h (k = 0) and at a horizon of 1 s .. 24 h drawn from its id (k = 1)
_SAMPLED = ("CASE WHEN h.k = 0 THEN i.install_time + INTERVAL 1 DAY "
            "ELSE i.install_time + to_seconds(CAST(1 + md5_number(i.install_id) % 86400 AS BIGINT)) END")

_SQL = """
WITH ev AS (SELECT user_id, event_time, event_name, revenue FROM events WHERE event_time < {cut}),
targets AS (
    SELECT i.install_id, i.user_id, i.install_time, i.platform, i.country, i.campaign_id,
           coalesce(c.media_source, 'organic') AS source
    FROM installs i LEFT JOIN campaigns c ON c.campaign_id = i.campaign_id
    WHERE i.install_time < {cut} AND {where}
    {page}
),
observed AS (
    SELECT i.install_id, i.user_id, i.install_time, {seen_until} AS seen_until
    FROM targets i {horizons}
),
activity AS (
    SELECT o.install_id, o.seen_until, any_value(o.install_time) AS install_time,
           count(e.event_time) AS events_24h,
           count(*) FILTER (WHERE e.event_name = 'session_start') AS sessions_24h,
           count(*) FILTER (WHERE e.event_name = 'level_up') AS level_ups_24h,
           count(*) FILTER (WHERE e.event_name = 'add_to_cart') AS cart_adds_24h,
           (count(*) FILTER (WHERE e.event_name = 'tutorial_complete') > 0)::INT AS tutorial_done_24h,
           count(DISTINCT e.event_name) AS distinct_events_24h,
           date_diff('second', max(e.event_time), any_value(o.seen_until)) AS since_last_event_s,
           (coalesce(sum(e.revenue), 0) > 0)::INT AS paid_observed
    FROM observed o LEFT JOIN ev e
      ON e.user_id = o.user_id AND e.event_time < o.seen_until
    GROUP BY o.install_id, o.seen_until
),
paid_7d AS (
    SELECT DISTINCT i.install_id
    FROM installs i JOIN ev e
      ON e.user_id = i.user_id AND e.revenue > 0 AND e.event_time < i.install_time + INTERVAL {days} DAY
    WHERE i.install_time >= (SELECT min(install_time) FROM targets) - INTERVAL 38 DAY
      AND i.install_time < {cut} - INTERVAL {days} DAY
),
history AS (
    SELECT i.country, coalesce(c.media_source, 'organic') AS source,
           coalesce(i.campaign_id, 'organic') AS campaign, i.install_time::DATE AS day,
           count(*) AS installs, count(p.install_id) AS payers
    FROM installs i LEFT JOIN campaigns c ON c.campaign_id = i.campaign_id
    LEFT JOIN paid_7d p ON p.install_id = i.install_id
    WHERE i.install_time >= (SELECT min(install_time) FROM targets) - INTERVAL 38 DAY
      AND i.install_time < {cut} - INTERVAL {days} DAY
    GROUP BY i.country, source, campaign, day
),
by_country AS (
    SELECT t.install_id, sum(h.payers) / nullif(sum(h.installs), 0) AS country_payer_share_7d
    FROM targets t JOIN history h
      ON h.country = t.country AND h.day >= t.install_time::DATE - 37 AND h.day < t.install_time::DATE - 7
    GROUP BY t.install_id
),
by_source AS (
    SELECT t.install_id, sum(h.payers) / nullif(sum(h.installs), 0) AS source_payer_share_7d
    FROM targets t JOIN history h
      ON h.source = t.source AND h.day >= t.install_time::DATE - 37 AND h.day < t.install_time::DATE - 7
    GROUP BY t.install_id
),
by_campaign AS (
    SELECT t.install_id, sum(h.payers) / nullif(sum(h.installs), 0) AS campaign_payer_share_7d
    FROM targets t JOIN history h
      ON h.campaign = coalesce(t.campaign_id, 'organic')
     AND h.day >= t.install_time::DATE - 37 AND h.day < t.install_time::DATE - 7
    GROUP BY t.install_id
)
SELECT t.install_id, t.user_id, t.install_time, t.source,
       date_diff('second', a.install_time, a.seen_until) / 3600.0 AS hours_observed,
       a.events_24h, a.sessions_24h, a.level_ups_24h, a.cart_adds_24h, a.tutorial_done_24h,
       a.distinct_events_24h, a.since_last_event_s,
       (t.platform = 'iOS')::INT AS is_ios, (t.campaign_id IS NULL)::INT AS is_organic,
       bc.country_payer_share_7d, bs.source_payer_share_7d, bk.campaign_payer_share_7d, a.paid_observed
FROM targets t
JOIN activity a USING (install_id)
LEFT JOIN by_country bc USING (install_id)
LEFT JOIN by_source bs USING (install_id)
LEFT JOIN by_campaign bk USING (install_id)
ORDER BY t.install_id, hours_observed
"""


def _query(cutoff, cohort: Cohort | None, seen_until: str, horizons: str) -> FeatureQuery:
    where, params = (cohort or Cohort()).where(ENTITY)
    cut = ts(cutoff)
    return FeatureQuery(_SQL.format(cut=cut, where=where, page=cohort_page(cohort, ENTITY),
                                    seen_until=seen_until.format(cut=cut), horizons=horizons,
                                    days=TARGET_DAYS), params)


def feature_query(cutoff: dt.date | dt.datetime, cohort: Cohort | None = None) -> FeatureQuery:
    """Features of the cohort's installs made before ``cutoff``: their first 24 hours, or the hours
    up to ``cutoff`` for younger ones; ``paid_observed`` marks installs that already paid in them."""
    return _query(cutoff, cohort, _OBSERVED, "")


def training_query(cutoff: dt.date | dt.datetime, cohort: Cohort | None = None) -> FeatureQuery:
    """Two rows per install (DuckDB only): at 24 hours, and at a horizon drawn from its id.
    The cutoff must be at least a day after the last install, so every horizon is fully seen."""
    return _query(cutoff, cohort, _SAMPLED, "CROSS JOIN (SELECT 0 AS k UNION ALL SELECT 1) AS h")


_LABEL_SQL = """
SELECT i.install_id,
       date_diff('second', i.install_time, min(e.event_time) FILTER (WHERE e.revenue > 0)) / 3600.0
           AS first_paid_hours
FROM installs i LEFT JOIN events e
  ON e.user_id = i.user_id AND e.event_time < i.install_time + INTERVAL {days} DAY
WHERE i.install_time >= {start} AND i.install_time < {end}
GROUP BY i.install_id, i.install_time
"""


def label_query(start: dt.date, end: dt.date) -> FeatureQuery:
    """Hours from install to the first revenue within 7 days (NULL: none) of installs made in
    [start, end); needs 7 days of data after ``end``."""
    return FeatureQuery(_LABEL_SQL.format(days=TARGET_DAYS, start=ts(start), end=ts(end)))
