SELECT
  measures.campaign_name AS campaign_name,
  CAST(COALESCE(SUM(measures.attributed_revenue), 0) AS DOUBLE) / NULLIF(COALESCE(SUM(measures.cost), 0), 0) AS roas
FROM (
  SELECT
    campaigns.campaign_name AS campaign_name,
    SUM(events.partial_0) AS attributed_revenue,
    NULL AS cost
  FROM (
    SELECT
      events.user_id AS user_id,
      SUM(events.revenue) AS partial_0
    FROM events AS events
    WHERE
      CAST(events.event_time AS DATE) BETWEEN CAST('2026-06-01' AS DATE) AND CAST('2026-06-30' AS DATE)
    GROUP BY
      events.user_id
  ) AS events
  INNER JOIN installs AS installs
    ON events.user_id = installs.user_id
  INNER JOIN campaigns AS campaigns
    ON installs.campaign_id = campaigns.campaign_id
  WHERE
    installs.platform = 'iOS' AND (
      installs.campaign_id IS NULL
    ) = FALSE
  GROUP BY
    campaigns.campaign_name
  UNION ALL
  SELECT
    campaigns.campaign_name AS campaign_name,
    NULL AS attributed_revenue,
    SUM(ad_spend.partial_0) AS cost
  FROM (
    SELECT
      ad_spend.campaign_id AS campaign_id,
      SUM(ad_spend.cost) AS partial_0
    FROM ad_spend AS ad_spend
    WHERE
      ad_spend.date BETWEEN CAST('2026-06-01' AS DATE) AND CAST('2026-06-30' AS DATE)
    GROUP BY
      ad_spend.campaign_id
  ) AS ad_spend
  INNER JOIN campaigns AS campaigns
    ON ad_spend.campaign_id = campaigns.campaign_id
  WHERE
    campaigns.platform = 'iOS'
  GROUP BY
    campaigns.campaign_name
) AS measures
GROUP BY
  measures.campaign_name
HAVING
  NOT measures.campaign_name IS NULL
ORDER BY
  roas DESC,
  campaign_name ASC
LIMIT 5
