SELECT
  measures.fraud_type AS fraud_type,
  COALESCE(SUM(measures.fraud_installs), 0) AS fraud_installs
FROM (
  SELECT
    installs.fraud_type AS fraud_type,
    COUNT(installs.install_id) AS fraud_installs
  FROM installs AS installs
  WHERE
    installs.is_fraud = TRUE
  GROUP BY
    installs.fraud_type
) AS measures
GROUP BY
  measures.fraud_type
ORDER BY
  fraud_installs DESC,
  fraud_type ASC
