SELECT
  shares.installs AS installs,
  CAST(shares.installs AS DOUBLE) / NULLIF(shares.share_total, 0) AS installs_share
FROM (
  SELECT
    MAX(measures.share_part) AS share_part,
    COALESCE(SUM(measures.installs), 0) AS installs,
    MAX(SUM(measures.share_total)) OVER () AS share_total
  FROM (
    SELECT
      1 AS share_part,
      COUNT(installs.install_id) AS installs,
      NULL AS share_total
    FROM installs AS installs
    WHERE
      CAST(installs.install_time AS DATE) BETWEEN CAST('2026-01-01' AS DATE) AND CAST('2026-03-31' AS DATE)
      AND CASE WHEN installs.campaign_id IS NULL THEN 'organic' ELSE 'paid' END = 'paid'
    HAVING
      COUNT(*) > 0
    UNION ALL
    SELECT
      1 AS share_part,
      NULL AS installs,
      COUNT(installs.install_id) AS share_total
    FROM installs AS installs
    WHERE
      CAST(installs.install_time AS DATE) BETWEEN CAST('2026-01-01' AS DATE) AND CAST('2026-03-31' AS DATE)
    HAVING
      COUNT(*) > 0
  ) AS measures
) AS shares
WHERE
  shares.share_part = 1
ORDER BY
  installs_share DESC
