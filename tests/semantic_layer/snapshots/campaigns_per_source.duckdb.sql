SELECT
  measures.media_source AS media_source,
  COALESCE(SUM(measures.campaign_count), 0) AS campaign_count
FROM (
  SELECT
    campaigns.media_source AS media_source,
    COUNT(campaigns.campaign_id) AS campaign_count
  FROM campaigns AS campaigns
  GROUP BY
    campaigns.media_source
) AS measures
GROUP BY
  measures.media_source
ORDER BY
  campaign_count DESC,
  media_source ASC
