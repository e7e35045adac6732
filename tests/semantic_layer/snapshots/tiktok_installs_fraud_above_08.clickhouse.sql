SELECT
  COALESCE(SUM(measures.installs), 0) AS installs
FROM (
  SELECT
    COUNT(installs.install_id) AS installs
  FROM installs AS installs
  INNER JOIN campaigns AS campaigns
    ON installs.campaign_id = campaigns.campaign_id
  INNER JOIN (
    SELECT
      install_id,
      fraud_probability
    FROM fraud_scores
    WHERE
      scored_at = (
        SELECT
          MAX(scored_at)
        FROM fraud_scores
      )
  ) AS fraud_scores
    ON installs.install_id = fraud_scores.install_id
  WHERE
    campaigns.media_source = 'TikTok' AND fraud_scores.fraud_probability > 0.8
  HAVING
    COUNT(*) > 0
) AS measures
HAVING
  COUNT(*) > 0
ORDER BY
  installs DESC
