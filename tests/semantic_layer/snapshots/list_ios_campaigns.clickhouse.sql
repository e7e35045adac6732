SELECT DISTINCT
  campaigns.campaign_name AS campaign_name
FROM campaigns AS campaigns
WHERE
  campaigns.platform = 'iOS'
ORDER BY
  campaign_name ASC
