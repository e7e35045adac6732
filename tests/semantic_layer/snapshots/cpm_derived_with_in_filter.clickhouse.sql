SELECT
  measures.channel AS channel,
  CAST(COALESCE(SUM(measures.cost), 0) * 1000 AS Nullable(Float64)) / nullIf(COALESCE(SUM(measures.impressions), 0), 0) AS cpm,
  CAST(COALESCE(SUM(measures.clicks), 0) AS Nullable(Float64)) / nullIf(COALESCE(SUM(measures.impressions), 0), 0) AS ctr
FROM (
  SELECT
    campaigns.channel AS channel,
    SUM(ad_spend.cost) AS cost,
    SUM(ad_spend.impressions) AS impressions,
    SUM(ad_spend.clicks) AS clicks
  FROM ad_spend AS ad_spend
  INNER JOIN campaigns AS campaigns
    ON ad_spend.campaign_id = campaigns.campaign_id
  WHERE
    NOT (
      campaigns.media_source IN ('Google', 'TikTok')
    )
  GROUP BY
    campaigns.channel
) AS measures
GROUP BY
  measures.channel
ORDER BY
  cpm DESC,
  channel ASC
