SELECT
  measures.cohort AS cohort,
  CAST(COALESCE(SUM(measures.retained_users_d7), 0) AS Nullable(Float64)) / nullIf(COALESCE(SUM(measures.cohort_installs), 0), 0) AS retention_d7
FROM (
  SELECT
    toMonday(CAST(installs.install_time AS Nullable(DATE))) AS cohort,
    SUM(install_retention.active_d7) AS retained_users_d7,
    COUNT(install_retention.install_id) AS cohort_installs
  FROM (
    SELECT
      i.install_id AS install_id,
      MAX(
        CASE
          WHEN DATE_DIFF(DAY, CAST(i.install_time AS Nullable(DATE)), CAST(e.event_time AS Nullable(DATE))) = 7
          THEN 1
          ELSE 0
        END
      ) AS active_d7
    FROM installs AS i
    LEFT JOIN events AS e
      ON e.user_id = i.user_id
      AND CAST(e.event_time AS Nullable(DATE)) BETWEEN CAST('2026-01-02' AS Nullable(DATE)) AND CAST('2026-04-30' AS Nullable(DATE))
    WHERE
      CAST(i.install_time AS Nullable(DATE)) BETWEEN CAST('2026-01-01' AS Nullable(DATE)) AND CAST('2026-03-31' AS Nullable(DATE))
    GROUP BY
      i.install_id,
      i.install_time
  ) AS install_retention
  INNER JOIN installs AS installs
    ON install_retention.install_id = installs.install_id
  WHERE
    CAST(installs.install_time AS Nullable(DATE)) BETWEEN CAST('2026-01-01' AS Nullable(DATE)) AND CAST('2026-03-31' AS Nullable(DATE))
    AND CASE WHEN installs.campaign_id IS NULL THEN 'organic' ELSE 'paid' END = 'paid'
  GROUP BY
    toMonday(CAST(installs.install_time AS Nullable(DATE)))
) AS measures
GROUP BY
  measures.cohort
ORDER BY
  cohort ASC
