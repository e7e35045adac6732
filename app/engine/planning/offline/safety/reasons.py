"""The one-line reason a user reads for each refusal category, and the plan that carries it."""
from __future__ import annotations

from app.engine.planning.plan import RefusalCategory, RefusalPlan

REASONS: dict[str, str] = {
    "write": "I only read the data, so I can't change, add or delete anything in it; "
             "ask me what the current values are instead.",
    "personal_data": "I can't look up or reveal personal details such as names, emails, phone numbers, "
                     "addresses or who a user is: the data only has pseudonymous ids (user_id, install_id, "
                     "ip_hash) and attributes like platform, country and device model.",
    "other_system": "I only answer from this marketing warehouse: I can't reach other systems (CRMs, "
                    "ticketing, HR or finance tools, other analytics tools or databases, people's documents) "
                    "or send emails, messages or notifications.",
    "file_access": "I can't access files, the system or the server; I answer questions about the "
                   "marketing data (campaigns, installs, revenue, fraud, retention).",
    "secrets": "I can't share passwords, keys, tokens or connection details. I can answer questions "
               "about the marketing data instead.",
    "off_topic": "That's outside what I can help with: I answer questions about your app's marketing "
                 "data, e.g. “ROAS by media source last month” or “installs trend this year”.",
}


def refusal(category: RefusalCategory, rule: str) -> RefusalPlan:
    """A refusal in ``category``; ``rule`` (which check objected) goes to the rationale for logs."""
    return RefusalPlan(reason=REASONS[category], category=category, confidence=0.95,
                       rationale=f"offline safety check: {category} ({rule})")
