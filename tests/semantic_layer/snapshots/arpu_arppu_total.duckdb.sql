SELECT
  CAST(COALESCE(SUM(measures.revenue), 0) AS DOUBLE) / NULLIF(COALESCE(SUM(measures.active_users), 0), 0) AS arpu,
  CAST(COALESCE(SUM(measures.revenue), 0) AS DOUBLE) / NULLIF(COALESCE(SUM(measures.paying_users), 0), 0) AS arppu,
  COALESCE(SUM(measures.paying_users), 0) AS paying_users
FROM (
  SELECT
    SUM(events.revenue) AS revenue,
    COUNT(DISTINCT events.user_id) AS active_users,
    COUNT(DISTINCT CASE WHEN events.revenue > 0 THEN events.user_id END) AS paying_users
  FROM events AS events
  WHERE
    CAST(events.event_time AS DATE) BETWEEN CAST('2026-06-01' AS DATE) AND CAST('2026-06-30' AS DATE)
  HAVING
    COUNT(*) > 0
) AS measures
HAVING
  COUNT(*) > 0
ORDER BY
  arpu DESC
