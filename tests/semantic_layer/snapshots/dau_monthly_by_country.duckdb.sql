SELECT
  measures.metric_time AS metric_time,
  measures.country AS country,
  COALESCE(SUM(measures.dau), 0) AS dau
FROM (
  SELECT
    daily.metric_time AS metric_time,
    daily.country AS country,
    AVG(daily.dau) AS dau
  FROM (
    SELECT
      CAST(DATE_TRUNC('MONTH', CAST(events.event_time AS DATE)) AS DATE) AS metric_time,
      installs.country AS country,
      CAST(events.event_time AS DATE) AS rollup_day,
      COUNT(DISTINCT events.user_id) AS dau
    FROM events AS events
    INNER JOIN installs AS installs
      ON events.user_id = installs.user_id
    WHERE
      events.event_name = 'session_start'
    GROUP BY
      CAST(DATE_TRUNC('MONTH', CAST(events.event_time AS DATE)) AS DATE),
      installs.country,
      CAST(events.event_time AS DATE)
  ) AS daily
  GROUP BY
    daily.metric_time,
    daily.country
) AS measures
GROUP BY
  measures.metric_time,
  measures.country
ORDER BY
  metric_time ASC,
  country ASC
