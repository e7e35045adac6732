"""Requests to reach files, the system or secrets: refused as ``file_access`` or ``secrets``."""
from __future__ import annotations

import re

from app.engine.planning.offline.safety.reasons import refusal
from app.engine.planning.plan import RefusalPlan

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


def refuse_file_access(folded: str) -> RefusalPlan | None:
    return refusal("file_access", "files or system") if _FILE.search(folded) else None


def refuse_secrets(folded: str) -> RefusalPlan | None:
    return refusal("secrets", "secrets") if _SECRETS.search(folded) else None
