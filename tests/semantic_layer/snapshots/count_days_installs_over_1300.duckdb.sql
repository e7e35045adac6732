SELECT
  COUNT(*) AS day_count
FROM (
  SELECT
    measures.metric_time AS metric_time
  FROM (
    SELECT
      CAST(installs.install_time AS DATE) AS metric_time,
      COUNT(installs.install_id) AS installs
    FROM installs AS installs
    WHERE
      CAST(installs.install_time AS DATE) BETWEEN CAST('2026-06-01' AS DATE) AND CAST('2026-06-30' AS DATE)
    GROUP BY
      CAST(installs.install_time AS DATE)
  ) AS measures
  GROUP BY
    measures.metric_time
  HAVING
    COALESCE(SUM(measures.installs), 0) > 1300
) AS passing
