SELECT
  measures.metric_time AS metric_time,
  COALESCE(SUM(measures.cost), 0) AS cost_per_day
FROM (
  SELECT
    per_bucket.metric_time AS metric_time,
    CAST(SUM(per_bucket.cost) AS DOUBLE) / CASE
      WHEN per_bucket.metric_time = CAST('2026-01-01' AS DATE)
      THEN 31
      WHEN per_bucket.metric_time = CAST('2026-02-01' AS DATE)
      THEN 28
      WHEN per_bucket.metric_time = CAST('2026-03-01' AS DATE)
      THEN 31
    END AS cost
  FROM (
    SELECT
      CAST(DATE_TRUNC('MONTH', ad_spend.date) AS DATE) AS metric_time,
      ad_spend.date AS period_bucket,
      SUM(ad_spend.cost) AS cost
    FROM ad_spend AS ad_spend
    WHERE
      ad_spend.date BETWEEN CAST('2026-01-01' AS DATE) AND CAST('2026-03-31' AS DATE)
    GROUP BY
      CAST(DATE_TRUNC('MONTH', ad_spend.date) AS DATE),
      ad_spend.date
  ) AS per_bucket
  GROUP BY
    per_bucket.metric_time
) AS measures
GROUP BY
  measures.metric_time
ORDER BY
  metric_time ASC
