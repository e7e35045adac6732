SELECT
  measures.metric_time AS metric_time,
  COALESCE(SUM(measures.cost), 0) AS cost_per_day
FROM (
  SELECT
    per_bucket.metric_time AS metric_time,
    CAST(SUM(per_bucket.cost) AS Nullable(Float64)) / CASE
      WHEN per_bucket.metric_time = CAST('2026-01-01' AS Nullable(DATE))
      THEN 31
      WHEN per_bucket.metric_time = CAST('2026-02-01' AS Nullable(DATE))
      THEN 28
      WHEN per_bucket.metric_time = CAST('2026-03-01' AS Nullable(DATE))
      THEN 31
    END AS cost
  FROM (
    SELECT
      toStartOfMonth(ad_spend.date) AS metric_time,
      ad_spend.date AS period_bucket,
      SUM(ad_spend.cost) AS cost
    FROM ad_spend AS ad_spend
    WHERE
      ad_spend.date BETWEEN CAST('2026-01-01' AS Nullable(DATE)) AND CAST('2026-03-31' AS Nullable(DATE))
    GROUP BY
      toStartOfMonth(ad_spend.date),
      ad_spend.date
  ) AS per_bucket
  GROUP BY
    per_bucket.metric_time
) AS measures
GROUP BY
  measures.metric_time
ORDER BY
  metric_time ASC
