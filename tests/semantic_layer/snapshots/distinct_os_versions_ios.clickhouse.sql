SELECT
  COALESCE(SUM(measures.count_distinct_os_version), 0) AS "count_distinct:os_version"
FROM (
  SELECT
    COUNT(DISTINCT installs.os_version) AS count_distinct_os_version
  FROM installs AS installs
  WHERE
    installs.platform = 'iOS'
  HAVING
    COUNT(*) > 0
) AS measures
HAVING
  COUNT(*) > 0
ORDER BY
  "count_distinct:os_version" DESC
