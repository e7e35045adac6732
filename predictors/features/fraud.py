"""Fraud features per install, from the install itself and its first 24 hours.

Traces of each fraud kind: click injection (click-to-install in seconds),
bots (one IP behind many installs, a short revenue-free burst of events),
device farms (few device models and IPs reused within a campaign) and SDK
spoofing (no events at all). The media source's recent share of silent
installs carries its history without using any label.
"""
from __future__ import annotations

import datetime as dt

from predictors.features.base import Cohort, FeatureQuery, cohort_page, ts

ENTITY = "install_id"
FEATURES: tuple[str, ...] = (
    "click_to_install_s", "is_organic", "is_ios",
    "ip_installs_24h", "ip_installs_7d", "ip_installs_30d", "ip_device_installs_7d",
    "device_share_in_campaign_1d", "device_model_share_30d",
    "events_24h", "sessions_24h", "level_ups_24h", "revenue_24h", "distinct_events_24h",
    "first_event_delay_s", "event_span_24h_s", "events_per_active_minute",
    "source_silent_share_7d",
)

_SQL = """
WITH inst AS (SELECT * FROM installs WHERE install_time < {cut}),
ev AS (SELECT user_id, event_time, event_name, revenue FROM events WHERE event_time < {cut}),
targets AS (
    SELECT i.install_id, i.user_id, i.install_time, i.click_time, i.platform, i.ip_hash, i.device_model,
           i.campaign_id, coalesce(c.media_source, 'organic') AS source
    FROM inst i LEFT JOIN campaigns c ON c.campaign_id = i.campaign_id
    WHERE {where}
    {page}
),
first_day AS (
    SELECT t.install_id, count(e.event_time) AS events_24h,
           count(*) FILTER (WHERE e.event_name = 'session_start') AS sessions_24h,
           count(*) FILTER (WHERE e.event_name = 'level_up') AS level_ups_24h,
           coalesce(sum(e.revenue), 0) AS revenue_24h, count(DISTINCT e.event_name) AS distinct_events_24h,
           date_diff('second', any_value(t.install_time), min(e.event_time)) AS first_event_delay_s,
           date_diff('second', min(e.event_time), max(e.event_time)) AS event_span_24h_s
    FROM targets t LEFT JOIN ev e
      ON e.user_id = t.user_id AND e.event_time < t.install_time + INTERVAL 1 DAY
    GROUP BY t.install_id
),
same_ip AS (
    SELECT t.install_id,
           count(*) FILTER (WHERE o.install_time >= t.install_time - INTERVAL 1 DAY
                              AND o.install_time < t.install_time + INTERVAL 1 DAY) AS ip_installs_24h,
           count(*) FILTER (WHERE o.install_time >= t.install_time - INTERVAL 7 DAY) AS ip_installs_7d,
           count(*) AS ip_installs_30d,
           count(*) FILTER (WHERE o.device_model = t.device_model
                              AND o.install_time >= t.install_time - INTERVAL 7 DAY) AS ip_device_installs_7d
    FROM targets t JOIN inst o
      ON o.ip_hash = t.ip_hash AND o.install_time >= t.install_time - INTERVAL 30 DAY
     AND o.install_time < t.install_time + INTERVAL 1 DAY
    GROUP BY t.install_id
),
campaign_devices AS (
    SELECT t.install_id,
           count(*) FILTER (WHERE o.device_model = t.device_model) / count(*) AS device_share_in_campaign_1d
    FROM targets t JOIN inst o
      ON o.campaign_id = t.campaign_id AND o.install_time >= t.install_time - INTERVAL 12 HOUR
     AND o.install_time < t.install_time + INTERVAL 12 HOUR
    GROUP BY t.install_id
),
model_popularity AS (
    SELECT platform, device_model, install_time::DATE AS day, count(*) AS installs
    FROM inst WHERE install_time >= (SELECT min(install_time) FROM targets) - INTERVAL 31 DAY
    GROUP BY ALL
),
device_popularity AS (
    SELECT t.install_id,
           sum(m.installs) FILTER (WHERE m.device_model = t.device_model) / sum(m.installs)
               AS device_model_share_30d
    FROM targets t JOIN model_popularity m
      ON m.platform = t.platform AND m.day >= t.install_time::DATE - 30 AND m.day < t.install_time::DATE
    GROUP BY t.install_id
),
silent_history AS (
    SELECT source, day, count(*) AS installs, count(*) FILTER (WHERE first_day_events = 0) AS silent
    FROM (
        SELECT i.install_id, coalesce(c.media_source, 'organic') AS source, i.install_time::DATE AS day,
               count(e.event_time) AS first_day_events
        FROM inst i LEFT JOIN campaigns c ON c.campaign_id = i.campaign_id
        LEFT JOIN ev e ON e.user_id = i.user_id AND e.event_time < i.install_time + INTERVAL 1 DAY
        WHERE i.install_time >= (SELECT min(install_time) FROM targets) - INTERVAL 9 DAY
          AND i.install_time < {cut} - INTERVAL 1 DAY
        GROUP BY i.install_id, source, day
    ) AS per_install
    GROUP BY source, day
),
source_history AS (
    SELECT t.install_id, sum(h.silent) / nullif(sum(h.installs), 0) AS source_silent_share_7d
    FROM targets t JOIN silent_history h
      ON h.source = t.source AND h.day >= t.install_time::DATE - 8 AND h.day < t.install_time::DATE - 1
    GROUP BY t.install_id
)
SELECT t.install_id, t.user_id, t.install_time, t.source,
       date_diff('second', t.click_time, t.install_time) AS click_to_install_s,
       (t.campaign_id IS NULL)::INT AS is_organic, (t.platform = 'iOS')::INT AS is_ios,
       s.ip_installs_24h, s.ip_installs_7d, s.ip_installs_30d, s.ip_device_installs_7d,
       d.device_share_in_campaign_1d, p.device_model_share_30d,
       f.events_24h, f.sessions_24h, f.level_ups_24h, f.revenue_24h, f.distinct_events_24h,
       f.first_event_delay_s, f.event_span_24h_s,
       f.events_24h / (f.event_span_24h_s / 60.0 + 1) AS events_per_active_minute,
       h.source_silent_share_7d
FROM targets t
JOIN first_day f USING (install_id)
JOIN same_ip s USING (install_id)
LEFT JOIN campaign_devices d USING (install_id)
LEFT JOIN source_history h USING (install_id)
LEFT JOIN device_popularity p USING (install_id)
ORDER BY t.install_id
"""


def feature_query(cutoff: dt.date | dt.datetime, cohort: Cohort | None = None) -> FeatureQuery:
    """Features of the cohort's installs made before ``cutoff``, from data before ``cutoff`` only."""
    where, params = (cohort or Cohort()).where(ENTITY)
    return FeatureQuery(_SQL.format(
        cut=ts(cutoff), where=where, page=cohort_page(cohort, ENTITY)), params)


def label_query(start: dt.date, end: dt.date) -> FeatureQuery:
    """Ground truth of installs made in [start, end)."""
    return FeatureQuery(f"SELECT install_id, is_fraud::INT AS label FROM installs "
                        f"WHERE install_time >= {ts(start)} AND install_time < {ts(end)}")
