"""The Slack bot: a slack_bolt app mounted at ``/slack/events`` (or run over Socket Mode).

``app`` builds and mounts it, ``handlers`` turns mentions, DMs, ``/ask`` and
button clicks into assistant calls, ``blocks`` lays an Answer out as Block Kit,
``render`` draws the chart PNG, ``threads`` maps a Slack thread to a
conversation and ``dedupe`` drops Slack's retries.
"""
