"""Refusals: questions that would change data, reach files or secrets, or are not about the data.

Checks run in order; the first that objects wins. Each is one small function
returning a :class:`RefusalPlan` or None. Legit questions that merely contain a
scary word ("the drop in installs", "weather impact on installs") pass, because
the write and off-topic checks need the word in a position that asks for the act.
"""
from __future__ import annotations

import re

from app.engine.planning.plan import RefusalPlan

_WRITE = re.compile(
    r"\b(?:delete|deleting|truncate|insert\s+(?:into|a|new|rows?|records?)|alter\s+(?:table|column)|grant|"
    r"revoke|"
    r"drop\s+(?:the\s+|all\s+|a\s+)?(?:tables?|database|schema|views?|columns?|index|rows?|records?|data|"
    r"everything|\w+\s+table)|"
    r"update\s+(?:the\s+|all\s+)?(?:\w+\s+){0,5}(?:set|to\s+\$?\d|=|table|records?|rows?|values?)\b|"
    r"(?:remove|clear|overwrite)\s+(?:out\s+)?(?:the\s+|all\s+|every\s+|those\s+|these\s+)?"
    r"(?:\w+\s+){0,2}(?:tables?|rows?|records?|database|entries)\b(?!\s+(?:from\s+the\s+(?:count|total|"
    r"result)))|"
    r"(?:erase|wipe|purge|destroy)\s+\w+|update\s+.*\bset\b|"
    r"create\s+(?:a\s+)?(?:new\s+)?(?:table|view|index|database|user)|rename\s+(?:the\s+)?(?:table|column)|"
    r"set\s+\w+\s*=|modify\s+(?:the\s+)?(?:data|table|records?)|merge\s+into|upsert|replace\s+into|"
    r"write\s+(?:to|into)\s+the\s+(?:table|database)|change\s+the\s+(?:data|table|values?)\s+(?:in|of|to))\b|"
    # Acting on campaigns is not reading data either: "set the budget for Facebook to 1000",
    # "pause campaign c001".
    r"(?:^|\b(?:please|can\s+you|could\s+you|would\s+you|go\s+and|now|then)\s+)(?:pause|stop|launch|create|"
    r"increase|"
    r"decrease|raise|lower|change|adjust|set|edit|modify|disable|enable|turn\s+off|turn\s+on|cut|double|"
    r"boost)\s+"
    r"(?:the\s+|a\s+|our\s+|all\s+|my\s+)?(?:\w+\s+){0,3}(?:budgets?|bids?|campaigns?|spend\s+cap)\b"
)
_FILE = re.compile(
    r"(?:/etc/|/var/|/home/|/root/|/proc/|/usr/|~/|\.\./|[a-z]:\\|\\\\|\bpasswd\b|\bshadow\s+file|"
    r"\b(?:read|open|cat|load|show|print|dump|download|upload|access)\s+(?:the\s+|a\s+|this\s+|my\s+)?"
    r"(?:local\s+|config\s+|server\s+|log\s+)?(?:files?|directory|directories|folders?|disk)\b|"
    r"\b(?:(?:shell|bash|terminal)(?!\s+out)|command\s+line|subprocess|os\.system|exec\w*\s+(?:a\s+)?command|"
    r"run\s+(?:a\s+)?command|"
    r"system\s+tables?|information_schema|pg_catalog|sqlite_master|system\.\w+|duckdb_\w+\(|read_csv|"
    r"read_parquet|"
    r"read_text|read_blob|copy\s+\w+\s+to|attach\s+database|\battach\b|environment\s+variables?|env\s+vars?|"
    r"\.env\b|\.ssh|ssh\s+keys?|curl|wget|http_get|url\(|file\(|s3://|gs://|filesystem|file\s+system|"
    r"list\s+(?:the\s+)?files|\bxp_\w+|\bexec(?:ute)?\s+(?:xp_|sp_|master\.)|"
    r"(?:export|save|write|dump|download)\s+(?:\w+\s+){0,4}(?:to|into|as)\s+(?:a\s+|the\s+)?(?:csv|excel|"
    r"xlsx|json|parquet|"
    r"local\s+)?(?:files?|disk|folder|s3|bucket|csv)\b|server'?s?\s+(?:disk|files|config|logs)))"
)
_SECRETS = re.compile(
    r"\b(?:passwords?|passwd|pass\s*words?|api[\s_-]*keys?|secret\s+keys?|secrets?|access\s+tokens?|"
    r"auth\w*\s+tokens?|"
    r"bearer\s+tokens?|tokens?\s+for|credentials?|creds|connection\s+strings?|dsn|private\s+keys?|"
    r"login\s+details|"
    r"admin\s+(?:login|account|password)|database\s+(?:user|login|password)|openai[\s_]key|ssh\s+key)\b"
)
# Requests for something other than data: refused even when a data word is present.
_OFF_TOPIC_ALWAYS = re.compile(
    r"\b(?:write|compose|tell|give|make\s+up|sing|create)\s+(?:me\s+)?(?:a|an|some)\s+(?:\w+\s+)?"
    r"(?:poem|poems|haiku|song|joke|jokes|story|stories|limerick|essay|rap|sonnet|recipe)\b|"
    r"\b(?:poem|haiku|limerick|sonnet|recipe|recipes)\b|\btell\s+me\s+a\s+joke\b|\bjoke\s+about\b"
)
# Topics other than the data: refused only when no metric was recognized in the question.
_OFF_TOPIC_TOPICAL = re.compile(
    r"\b(?:weather|forecast\s+for\s+tomorrow|temperature|rain|sunny|recipe|cook|cooking|bake|football|soccer|"
    r"basketball|baseball|nba|nfl|world\s+cup|super\s+bowl|olympics|match\s+score|who\s+won|capital\s+of|"
    r"president|prime\s+minister|population\s+of|tallest|meaning\s+of\s+life|stock\s+price|bitcoin|crypto|"
    r"translate|horoscope|movie|movies|film|tv\s+show|celebrity|lyrics|restaurant|flight|hotel|"
    r"write\s+(?:me\s+)?(?:a\s+)?(?:python|javascript|code|script|program|function|email|letter)|"
    r"who\s+(?:is|was)\s+(?!our|the\s+best|the\s+top)|how\s+old\s+is|how\s+tall|distance\s+(?:from|between)|"
    r"what\s+time\s+is\s+it|date\s+today|your\s+name|are\s+you\s+(?:a\s+)?(?:human|real|sentient)|"
    r"history\s+of|invented|speed\s+of\s+light|square\s+root|solve|equation|homework)\b"
)

_MESSAGES = {
    "write": "I can only read data: changing, deleting or creating data is not something I do. "
             "Ask a question about the data instead, e.g. “installs by platform last month”.",
    "file_access": "I can't access files, the system or the server; I answer questions about the "
                   "marketing data (campaigns, installs, revenue, fraud, retention).",
    "secrets": "I can't share passwords, keys, tokens or connection details. I can answer questions "
               "about the marketing data instead.",
    "off_topic": "That's outside what I can help with: I answer questions about your app's marketing "
                 "data, e.g. “ROAS by media source last month” or “installs trend this year”.",
}


def refuse_writes(folded: str) -> RefusalPlan | None:
    return _refusal("write") if _WRITE.search(folded) else None


def refuse_file_access(folded: str) -> RefusalPlan | None:
    return _refusal("file_access") if _FILE.search(folded) else None


def refuse_secrets(folded: str) -> RefusalPlan | None:
    return _refusal("secrets") if _SECRETS.search(folded) else None


def refuse_off_topic(folded: str, has_metric: bool) -> RefusalPlan | None:
    """Run after prediction routing: "who is likely to churn" is a question for a model, not trivia."""
    if _OFF_TOPIC_ALWAYS.search(folded):
        return _refusal("off_topic")
    if not has_metric and _OFF_TOPIC_TOPICAL.search(folded):
        return _refusal("off_topic")
    return None


SAFETY_CHECKS = (refuse_writes, refuse_file_access, refuse_secrets)


def check_safety(folded: str) -> RefusalPlan | None:
    """The first refusal a write, file or secret check gives for the (folded) question, else None."""
    for check in SAFETY_CHECKS:
        refusal = check(folded)
        if refusal is not None:
            return refusal
    return None


def _refusal(category: str) -> RefusalPlan:
    return RefusalPlan(reason=_MESSAGES[category], category=category, confidence=0.95,
                       rationale=f"offline safety check: {category}")
