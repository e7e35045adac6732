SELECT
  measures.metric_time AS metric_time,
  COALESCE(SUM(measures.installs), 0) AS installs,
  COALESCE(SUM(measures.paid_installs), 0) AS paid_installs
FROM (
  SELECT
    CAST(DATE_TRUNC('WEEK', CAST(installs.install_time AS DATE)) AS DATE) AS metric_time,
    COUNT(installs.install_id) AS installs,
    NULL AS paid_installs
  FROM installs AS installs
  GROUP BY
    CAST(DATE_TRUNC('WEEK', CAST(installs.install_time AS DATE)) AS DATE)
  UNION ALL
  SELECT
    CAST(DATE_TRUNC('WEEK', CAST(installs.install_time AS DATE)) AS DATE) AS metric_time,
    NULL AS installs,
    COUNT(installs.install_id) AS paid_installs
  FROM installs AS installs
  WHERE
    (
      installs.campaign_id IS NULL
    ) = FALSE
  GROUP BY
    CAST(DATE_TRUNC('WEEK', CAST(installs.install_time AS DATE)) AS DATE)
) AS measures
GROUP BY
  measures.metric_time
ORDER BY
  metric_time ASC
