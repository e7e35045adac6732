SELECT
  measures.metric_time AS metric_time,
  CAST(COALESCE(SUM(measures.retained_users_d1), 0) AS DOUBLE) / NULLIF(COALESCE(SUM(measures.cohort_installs), 0), 0) AS retention_d1,
  CAST(COALESCE(SUM(measures.retained_users_d7), 0) AS DOUBLE) / NULLIF(COALESCE(SUM(measures.cohort_installs), 0), 0) AS retention_d7,
  CAST(COALESCE(SUM(measures.retained_users_d30), 0) AS DOUBLE) / NULLIF(COALESCE(SUM(measures.cohort_installs), 0), 0) AS retention_d30
FROM (
  SELECT
    CAST(DATE_TRUNC('WEEK', CAST(install_retention.install_time AS DATE)) AS DATE) AS metric_time,
    SUM(install_retention.active_d1) AS retained_users_d1,
    COUNT(install_retention.install_id) AS cohort_installs,
    SUM(install_retention.active_d7) AS retained_users_d7,
    SUM(install_retention.active_d30) AS retained_users_d30
  FROM (
    SELECT
      i.install_id AS install_id,
      i.install_time AS install_time,
      MAX(
        CASE
          WHEN DATE_DIFF('DAY', CAST(i.install_time AS DATE), CAST(e.event_time AS DATE)) = 1
          THEN 1
          ELSE 0
        END
      ) AS active_d1,
      MAX(
        CASE
          WHEN DATE_DIFF('DAY', CAST(i.install_time AS DATE), CAST(e.event_time AS DATE)) = 7
          THEN 1
          ELSE 0
        END
      ) AS active_d7,
      MAX(
        CASE
          WHEN DATE_DIFF('DAY', CAST(i.install_time AS DATE), CAST(e.event_time AS DATE)) = 30
          THEN 1
          ELSE 0
        END
      ) AS active_d30
    FROM installs AS i
    LEFT JOIN events AS e
      ON e.user_id = i.user_id
    GROUP BY
      i.install_id,
      i.install_time
  ) AS install_retention
  GROUP BY
    CAST(DATE_TRUNC('WEEK', CAST(install_retention.install_time AS DATE)) AS DATE)
) AS measures
GROUP BY
  measures.metric_time
ORDER BY
  metric_time ASC
