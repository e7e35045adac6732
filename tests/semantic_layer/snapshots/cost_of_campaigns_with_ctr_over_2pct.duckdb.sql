SELECT
  measures.campaign_name AS campaign_name,
  COALESCE(SUM(measures.cost), 0) AS cost
FROM (
  SELECT
    campaigns.campaign_name AS campaign_name,
    SUM(ad_spend.cost) AS cost,
    SUM(ad_spend.clicks) AS clicks,
    SUM(ad_spend.impressions) AS impressions
  FROM ad_spend AS ad_spend
  INNER JOIN campaigns AS campaigns
    ON ad_spend.campaign_id = campaigns.campaign_id
  WHERE
    ad_spend.date BETWEEN CAST('2026-06-01' AS DATE) AND CAST('2026-06-30' AS DATE)
  GROUP BY
    campaigns.campaign_name
) AS measures
GROUP BY
  measures.campaign_name
HAVING
  (
    CAST(COALESCE(SUM(measures.clicks), 0) AS DOUBLE) / NULLIF(COALESCE(SUM(measures.impressions), 0), 0)
  ) > 0.02
ORDER BY
  cost DESC,
  campaign_name ASC
