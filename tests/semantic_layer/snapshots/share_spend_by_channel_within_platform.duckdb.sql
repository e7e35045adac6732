SELECT
  shares.channel AS channel,
  shares.platform AS platform,
  shares.cost AS cost,
  CAST(shares.cost AS DOUBLE) / NULLIF(shares.share_total, 0) AS cost_share
FROM (
  SELECT
    measures.channel AS channel,
    measures.platform AS platform,
    MAX(measures.share_part) AS share_part,
    COALESCE(SUM(measures.cost), 0) AS cost,
    MAX(SUM(measures.share_total)) OVER (PARTITION BY measures.platform) AS share_total
  FROM (
    SELECT
      campaigns.channel AS channel,
      campaigns.platform AS platform,
      1 AS share_part,
      SUM(ad_spend.partial_0) AS cost,
      NULL AS share_total
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
    GROUP BY
      campaigns.channel,
      campaigns.platform
    UNION ALL
    SELECT
      NULL AS channel,
      campaigns.platform AS platform,
      0 AS share_part,
      NULL AS cost,
      SUM(ad_spend.partial_0) AS share_total
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
    GROUP BY
      campaigns.platform
  ) AS measures
  GROUP BY
    measures.channel,
    measures.platform
) AS shares
WHERE
  shares.share_part = 1
ORDER BY
  platform ASC,
  cost_share DESC,
  channel ASC
