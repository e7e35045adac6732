"""A digest: the new anomalies of the monitors that post to one audience (a Slack channel or a
webhook URL), in two shapes -- Slack Block Kit and the webhook's JSON body (docs/monitors.md)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from app.engine.insights.wording import amount
from app.engine.monitors import Evaluation, Finding

WEBHOOK_TYPE = "asklytics.monitor_digest"
WEBHOOK_VERSION = 1
MAX_SLACK_FINDINGS = 12  # Block Kit allows 50 blocks a message; each finding takes one
_GRAIN_WORDS = {"day": "daily", "week": "weekly", "month": "monthly"}


@dataclass
class DigestItem:
    monitor: dict[str, Any]  # the monitors row
    evaluation: Evaluation
    findings: list[Finding]  # not yet posted to this audience
    words: str  # the metric as people say it
    unit: str | None = None


@dataclass
class Digest:
    audience: str  # slack | webhook
    target: str  # the channel id, or the webhook URL
    as_of: dt.date
    public_url: str
    items: list[DigestItem] = field(default_factory=list)

    @property
    def anomaly_count(self) -> int:
        return sum(len(item.findings) for item in self.items)


def ask_link(public_url: str, question: str) -> str:
    """The web UI with the question prefilled (the chat reads ``?q=``)."""
    return f"{public_url}/?q={quote(question, safe='')}"


def why_question(item: DigestItem, finding: Finding) -> str:
    series = item.evaluation.series
    when = (f"on {finding.period_start}" if series.grain == "day"
            else f"from {finding.period_start} to {finding.period_end}")
    where = " and ".join(f.to_text().replace("'", "") for f in series.filters)
    return f"why did {item.words} change {when}" + (f" where {where}" if where else "") + "?"


def webhook_body(digest: Digest, generated_at: dt.datetime) -> dict[str, Any]:
    return {"type": WEBHOOK_TYPE, "version": WEBHOOK_VERSION, "generated_at": generated_at.isoformat(),
            "as_of": digest.as_of.isoformat(), "anomaly_count": digest.anomaly_count,
            "monitors": [_webhook_monitor(digest, item) for item in digest.items]}


def _webhook_monitor(digest: Digest, item: DigestItem) -> dict[str, Any]:
    series, monitor = item.evaluation.series, item.monitor
    return {"id": monitor["id"], "name": monitor["name"], "scope": monitor["scope"],
            "owner": monitor["owner"],
            "metric": series.metric, "grain": series.grain, "filters": [f.to_text() for f in series.filters],
            "window": {"start": item.evaluation.start.isoformat(), "end": item.evaluation.end.isoformat()},
            "link": ask_link(digest.public_url, monitor["question"]),
            "anomalies": [finding.to_json()
                          | {"link": ask_link(digest.public_url, why_question(item, finding))}
                          for finding in item.findings],
            "chart": item.evaluation.chart}


def _escape(text: str) -> str:
    """Data text in Slack mrkdwn: shown as typed, never a ping or a link."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _plain(text: str, limit: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": text if len(text) <= limit else text[:limit - 1] + "…"}


def slack_text(digest: Digest) -> str:
    """The notification text (and what clients without blocks show)."""
    count, monitors = digest.anomaly_count, len(digest.items)
    anomalies_only = all(f.anomalous for item in digest.items for f in item.findings)
    noun = (f"anomal{'y' if count == 1 else 'ies'}" if anomalies_only
            else f"alert{'' if count == 1 else 's'}")  # points past a threshold rule, not anomalies
    return f"Asklytics: {count} new {noun} in {monitors} monitor{'' if monitors == 1 else 's'}"


def slack_blocks(digest: Digest) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": _plain(slack_text(digest), 150)},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": (
            f"As of {digest.as_of} · complete periods only · charts in the thread")}]}]
    shown = 0
    for item in digest.items:
        blocks += [{"type": "divider"}, {"type": "section", "text": {"type": "mrkdwn", "text": _title(item)},
                   "accessory": _button("Open", ask_link(digest.public_url, item.monitor["question"]))}]
        for finding in item.findings:
            if shown == MAX_SLACK_FINDINGS:
                break
            why = ask_link(digest.public_url, why_question(item, finding))
            text = {"type": "mrkdwn", "text": _finding_text(item, finding)}
            blocks.append({"type": "section", "text": text, "accessory": _button("Why?", why)})
            shown += 1
    if shown < digest.anomaly_count:
        more = f"…and {digest.anomaly_count - shown} more (`asklytics monitor run --id ID --dry-run`)."
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": more}]})
    return blocks


def _title(item: DigestItem) -> str:
    series = item.evaluation.series
    where = ", ".join(f.to_text() for f in series.filters)
    return _escape(f"*{item.monitor['name']}* · {item.words}" + (f" ({where})" if where else "")
                   + f", {_GRAIN_WORDS[series.grain]}") + f" · `{item.monitor['id']}`"


def _finding_text(item: DigestItem, finding: Finding) -> str:
    when = finding.period_start.strftime("%a %Y-%m-%d") if item.evaluation.series.grain == "day" else (
        f"{finding.period_start} to {finding.period_end}")
    rule = item.evaluation.series.threshold
    past = (f"alert when {item.words} {rule.op} {amount(rule.value, item.unit)}" if rule is not None else "")
    unit = item.unit
    if not finding.anomalous:
        lines = [(f"*{finding.direction.capitalize()} the threshold {when}*: {amount(finding.actual, unit)} "
                  f"({past}; within its normal range)")]
    else:
        ratio = finding.change_ratio
        change = f", {ratio:+.0%}" if ratio is not None else ""
        lines = [(f"*{finding.direction.capitalize()} {when}*: {amount(finding.actual, unit)} vs "
                  f"{amount(finding.expected, unit)} expected (normal {amount(finding.low, unit)} to "
                  f"{amount(finding.high, unit)}{change})")]
        if finding.breach:
            lines.append(f"Past the threshold: {past}")
    for driver in finding.drivers:
        lines.append("• " + _driver_text(driver, item.unit))
    if finding.explain_error:
        lines.append(f"_Not explained: {finding.explain_error}_")
    return _escape("\n".join(lines))[:3000]


def _driver_text(driver: dict[str, Any], unit: str | None) -> str:
    share = driver.get("share_of_change")
    share_text = f" ({share:.0%} of the change)" if isinstance(share, (int, float)) else ""
    return (f"{driver.get('dimension')} = {driver.get('segment')}: {amount(driver.get('before'), unit)} → "
            f"{amount(driver.get('after'), unit)}{share_text}")


def _button(label: str, url: str) -> dict[str, Any]:
    return {"type": "button", "text": _plain(label, 75), "url": url[:3000]}
