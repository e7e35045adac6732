SELECT
  measures.campaign_name AS campaign_name,
  COALESCE(SUM(measures.cost), 0) AS cost
FROM (
  SELECT
    campaigns.campaign_name AS campaign_name,
    SUM(ad_spend.partial_0) AS cost,
    SUM(ad_spend.partial_1) AS clicks,
    SUM(ad_spend.partial_2) AS impressions
  FROM (
    SELECT
      ad_spend.campaign_id AS campaign_id,
      SUM(ad_spend.cost) AS partial_0,
      SUM(ad_spend.clicks) AS partial_1,
      SUM(ad_spend.impressions) AS partial_2
    FROM ad_spend AS ad_spend
    WHERE
      ad_spend.date BETWEEN CAST('2026-06-01' AS DATE) AND CAST('2026-06-30' AS DATE)
    GROUP BY
      ad_spend.campaign_id
  ) AS ad_spend
  INNER JOIN campaigns AS campaigns
    ON ad_spend.campaign_id = campaigns.campaign_id
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
