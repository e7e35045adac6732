SELECT
  measures.cohort AS cohort,
  measures.metric_time AS metric_time,
  COALESCE(SUM(measures.revenue), 0) AS revenue
FROM (
  SELECT
    CAST(DATE_TRUNC('MONTH', CAST(installs.install_time AS DATE)) AS DATE) AS cohort,
    CAST(DATE_TRUNC('MONTH', CAST(events.event_time AS DATE)) AS DATE) AS metric_time,
    SUM(events.revenue) AS revenue
  FROM events AS events
  INNER JOIN installs AS installs
    ON events.user_id = installs.user_id
  WHERE
    CAST(installs.install_time AS DATE) BETWEEN CAST('2026-01-01' AS DATE) AND CAST('2026-03-31' AS DATE)
    AND installs.platform = 'iOS'
  GROUP BY
    CAST(DATE_TRUNC('MONTH', CAST(installs.install_time AS DATE)) AS DATE),
    CAST(DATE_TRUNC('MONTH', CAST(events.event_time AS DATE)) AS DATE)
) AS measures
GROUP BY
  measures.cohort,
  measures.metric_time
ORDER BY
  cohort ASC,
  metric_time ASC
