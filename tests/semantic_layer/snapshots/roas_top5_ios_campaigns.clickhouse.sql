SELECT
  measures.campaign_name AS campaign_name,
  CAST(COALESCE(SUM(measures.attributed_revenue), 0) AS Nullable(Float64)) / nullIf(COALESCE(SUM(measures.cost), 0), 0) AS roas
FROM (
  SELECT
    campaigns.campaign_name AS campaign_name,
    SUM(events.revenue) AS attributed_revenue,
    NULL AS cost
  FROM events AS events
  INNER JOIN installs AS installs
    ON events.user_id = installs.user_id
  INNER JOIN campaigns AS campaigns
    ON installs.campaign_id = campaigns.campaign_id
  WHERE
    CAST(events.event_time AS Nullable(DATE)) BETWEEN CAST('2026-06-01' AS Nullable(DATE)) AND CAST('2026-06-30' AS Nullable(DATE))
    AND installs.platform = 'iOS'
    AND (
      installs.campaign_id IS NULL
    ) = FALSE
  GROUP BY
    campaigns.campaign_name
  UNION ALL
  SELECT
    campaigns.campaign_name AS campaign_name,
    NULL AS attributed_revenue,
    SUM(ad_spend.cost) AS cost
  FROM ad_spend AS ad_spend
  INNER JOIN campaigns AS campaigns
    ON ad_spend.campaign_id = campaigns.campaign_id
  WHERE
    ad_spend.date BETWEEN CAST('2026-06-01' AS Nullable(DATE)) AND CAST('2026-06-30' AS Nullable(DATE))
    AND campaigns.platform = 'iOS'
  GROUP BY
    campaigns.campaign_name
) AS measures
GROUP BY
  measures.campaign_name
HAVING
  NOT (
    measures.campaign_name IS NULL
  )
ORDER BY
  roas DESC,
  campaign_name ASC
LIMIT 5
