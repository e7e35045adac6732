SELECT
  COALESCE(SUM(measures.active_users), 0) AS active_users_per_day
FROM (
  SELECT
    CAST(SUM(per_bucket.active_users) AS Nullable(Float64)) / MAX(per_bucket.period_count) AS active_users
  FROM (
    SELECT
      bucket_rows.active_users AS active_users,
      COUNT(DISTINCT bucket_rows.period_bucket) OVER () AS period_count
    FROM (
      SELECT
        CAST(events.event_time AS Nullable(DATE)) AS period_bucket,
        COUNT(DISTINCT events.user_id) AS active_users
      FROM events AS events
      GROUP BY
        CAST(events.event_time AS Nullable(DATE))
    ) AS bucket_rows
  ) AS per_bucket
  HAVING
    COUNT(*) > 0
) AS measures
HAVING
  COUNT(*) > 0
ORDER BY
  active_users_per_day DESC
