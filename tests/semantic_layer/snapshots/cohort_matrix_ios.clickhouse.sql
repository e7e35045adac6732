SELECT
  measures.cohort AS cohort,
  measures.metric_time AS metric_time,
  COALESCE(SUM(measures.revenue), 0) AS revenue
FROM (
  SELECT
    toStartOfMonth(CAST(installs.install_time AS Nullable(DATE))) AS cohort,
    toStartOfMonth(CAST(events.event_time AS Nullable(DATE))) AS metric_time,
    SUM(events.revenue) AS revenue
  FROM events AS events
  INNER JOIN installs AS installs
    ON events.user_id = installs.user_id
  WHERE
    CAST(installs.install_time AS Nullable(DATE)) BETWEEN CAST('2026-01-01' AS Nullable(DATE)) AND CAST('2026-03-31' AS Nullable(DATE))
    AND installs.platform = 'iOS'
  GROUP BY
    toStartOfMonth(CAST(installs.install_time AS Nullable(DATE))),
    toStartOfMonth(CAST(events.event_time AS Nullable(DATE)))
) AS measures
GROUP BY
  measures.cohort,
  measures.metric_time
ORDER BY
  cohort ASC,
  metric_time ASC
