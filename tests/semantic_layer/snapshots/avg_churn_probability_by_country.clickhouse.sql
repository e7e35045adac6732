SELECT
  measures.country AS country,
  MAX(measures.avg_churn_probability) AS avg_churn_probability
FROM (
  SELECT
    installs.country AS country,
    AVG(churn_scores.churn_probability) AS avg_churn_probability
  FROM (
    SELECT
      user_id,
      churn_probability
    FROM churn_scores
    WHERE
      scored_at = (
        SELECT
          MAX(scored_at)
        FROM churn_scores
      )
  ) AS churn_scores
  INNER JOIN installs AS installs
    ON churn_scores.user_id = installs.user_id
  GROUP BY
    installs.country
) AS measures
GROUP BY
  measures.country
ORDER BY
  avg_churn_probability DESC,
  country ASC
