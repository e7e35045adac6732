SELECT
  measures.media_source AS media_source,
  measures.platform AS platform,
  COALESCE(SUM(measures.cost), 0) AS cost,
  COALESCE(SUM(measures.installs), 0) AS installs,
  CAST(COALESCE(SUM(measures.cost), 0) AS DOUBLE) / NULLIF(COALESCE(SUM(measures.paid_installs), 0), 0) AS cpi
FROM (
  SELECT
    campaigns.media_source AS media_source,
    campaigns.platform AS platform,
    SUM(ad_spend.partial_0) AS cost,
    NULL AS installs,
    NULL AS paid_installs
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
    campaigns.media_source,
    campaigns.platform
  UNION ALL
  SELECT
    campaigns.media_source AS media_source,
    installs.platform AS platform,
    NULL AS cost,
    SUM(installs.partial_0) AS installs,
    NULL AS paid_installs
  FROM (
    SELECT
      installs.platform AS platform,
      installs.campaign_id AS campaign_id,
      COUNT(installs.install_id) AS partial_0
    FROM installs AS installs
    WHERE
      CAST(installs.install_time AS DATE) BETWEEN CAST('2026-06-01' AS DATE) AND CAST('2026-06-30' AS DATE)
    GROUP BY
      installs.platform,
      installs.campaign_id
  ) AS installs
  INNER JOIN campaigns AS campaigns
    ON installs.campaign_id = campaigns.campaign_id
  GROUP BY
    campaigns.media_source,
    installs.platform
  UNION ALL
  SELECT
    campaigns.media_source AS media_source,
    installs.platform AS platform,
    NULL AS cost,
    NULL AS installs,
    SUM(installs.partial_0) AS paid_installs
  FROM (
    SELECT
      installs.platform AS platform,
      installs.campaign_id AS campaign_id,
      COUNT(installs.install_id) AS partial_0
    FROM installs AS installs
    WHERE
      CAST(installs.install_time AS DATE) BETWEEN CAST('2026-06-01' AS DATE) AND CAST('2026-06-30' AS DATE)
      AND (
        installs.campaign_id IS NULL
      ) = FALSE
    GROUP BY
      installs.platform,
      installs.campaign_id
  ) AS installs
  INNER JOIN campaigns AS campaigns
    ON installs.campaign_id = campaigns.campaign_id
  GROUP BY
    campaigns.media_source,
    installs.platform
) AS measures
GROUP BY
  measures.media_source,
  measures.platform
ORDER BY
  cost DESC,
  media_source ASC,
  platform ASC
