"""Requests to reach another system: refused with category ``other_system``.

The assistant reads one warehouse. Anything else is another system: CRMs, support and ticketing
tools, HR/payroll/finance software, other analytics tools and attribution dashboards, other
databases, people's documents and inboxes, and sending anything (email, SMS, push, Slack).
The media sources of our own data (Facebook, Google, TikTok, Apple Search Ads, ...) are values in
the warehouse: "installs from Google" and "clicks from facebook ads" are questions about the data;
only their live dashboards ("Facebook Ads Manager", "the Google Ads console") are other systems.
Sending is read where a request sits (see :mod:`.clauses`), so "which sources send the most
installs" and "installs from text ads" stay questions.
"""
from __future__ import annotations

import re

from app.engine.planning.offline.safety.clauses import Clause, request_clauses
from app.engine.planning.offline.safety.reasons import refusal
from app.engine.planning.plan import RefusalPlan

NAMED = re.compile(
    r"\b(?:salesforce|sfdc|hubspot|pipedrive|zoho|marketo|intercom|zendesk|freshdesk|jira|confluence|"
    r"servicenow|asana|trello|workday|bamboohr|gusto|rippling|netsuite|quickbooks|xero|stripe|braze|"
    r"iterable|mailchimp|sendgrid|twilio|onesignal|klaviyo|customer\.io|mixpanel|firebase|appsflyer|"
    r"kochava|ga4|snowflake|bigquery|big\s+query|redshift|postgres(?:ql)?|psql|mysql|mariadb|mongo(?:db)?|"
    r"dynamodb|cassandra|databricks|sql\s+server|mssql|elasticsearch|tableau|looker|metabase|power\s*bi|"
    r"superset|airtable|dropbox|sharepoint|onedrive|gmail|slack|whatsapp|telegram|crm|erp|hris|hrms|inbox(?:es)?|"
    r"payroll|headcount|salar(?:y|ies)|employees?|ticketing|revenuecat|chargebee|recurly|"
    r"profitwell|chartmogul|paddle|sensor\s+tower|data\.ai|app\s+annie|data\s*lakes?|datalake)\b|"
    r"\b(?:google|universal)\s+analytics\b|\bgoogle\s+(?:sheets?|docs?|drive|calendar|workspace|"
    r"search\s+console|play\s+console|cloud)\b|\bgsheets?\b|\b(?:microsoft|ms)\s+teams\b|"
    r"\b(?:app\s+store\s+connect|itunes\s+connect|play\s+console)\b|\boracle\s+(?:db|database)\b|"
    r"\boutlook\s+(?:inbox|e-?mail|mail|calendar)\b|\b(?:in|from|via)\s+outlook\b|"
    r"\bnotion\s+(?:pages?|docs?|workspace|database)\b|\b(?:in|from)\s+notion\b|"
    r"\bamplitude\b(?!\s+of\b)|\bbranch(?:\.io|\s+(?:dashboard|links?))\b"
)
DASHBOARDS = re.compile(
    r"\b(?:facebook|meta|google|tiktok|snapchat|snap|unity|applovin|ironsource|apple\s+search)\s+(?:ads?|"
    r"marketing|business|reporting)\s+api\b|\bstraight\s+from\s+(?:the\s+)?\w+(?:\s+\w+)?\s+api\b|"
    r"\bads?\s+manager\b|\bbusiness\s+manager\b|\bads\s+console\b|\bad\s+accounts?\b|"
    r"\b(?:facebook|meta|google|google\s+ads|tiktok|snapchat|unity|applovin|ironsource|apple\s+search\s+ads|"
    r"adjust|kochava|singular)(?:'s)?\s+(?:dashboard|console|ui|portal|api|interface|backend|admin|"
    r"account|reporting\s+ui)\b|"
    r"\b(?:in|from|per|via|according\s+to)\s+adjust\b(?!\s+(?:for|by|the|it|our))|"
    r"\b(?:adjust|appsflyer|kochava|branch|singular)(?:'s)?\s+(?:numbers|data|reports?|exports?|figures)\b|"
    r"\b(?:log|sign)\s*(?:in\s+to|into|onto)\b"
)
ELSEWHERE = re.compile(
    r"\b(?:support|help\s*desk|customer\s+service|service\s+desk)\s+(?:tickets?|requests?|cases?|queue)\b|"
    r"\btickets?\s+(?:opened|filed|raised|submitted|closed|created|were|did|about)\b|"
    r"\b(?:open|file|raise|create|submit|close|log)\s+(?:a\s+|an?\s+\w+\s+)?tickets?\b|"
    r"\b(?:hr|human\s+resources|payroll|finance|financial|accounting|billing|invoicing|sales|ticketing|support|"
    r"crm|erp|email|e-mail|marketing\s+automation|experimentation|a/?b\s+testing|inventory|orders?)\s+"
    r"(?:systems?|tools?|platforms?|software|database|db|portal)\b|"
    r"\b(?:another|other|different|external|separate|production|prod|staging|legacy|old|sales|finance|"
    r"customer|hr|crm|partner|vendor|client|remote|third[-\s]party|company|auth|backend|app|product|"
    r"accounts?|billing|orders?)\s+(?:database|db|data\s*base|"
    r"data\s+warehouse|warehouse|server|data\s+lake|datalake)s?\b|"
    r"\bconnect\s+(?:to|with)\s+(?:\w+\s+){0,3}?(?:database|db|server|api|system|warehouse|instance)\b|"
    r"\b(?!(?:yesterday|today|tomorrow|week|month|year|quarter|day|campaign|source|platform)'s)[a-z]+'s\s+"
    r"(?:google\s+)?(?:spreadsheets?|sheets?|docs|documents?|drive|notes|inbox|calendar|slides|decks?|"
    r"notebooks?)\b|"
    r"\b(?:in|on|from|into|to|inside)\s+(?:the\s+|a\s+|my\s+|our\s+|their\s+|his\s+|her\s+|[a-z]+'s\s+)?"
    r"(?:\w+\s+)?(?:spreadsheets?|google\s+sheets?|excel\s+sheets?|workbooks?)\b|"
    r"\bthe\s+\w+\s+spreadsheet\b|\b(?:shared|team)\s+drive\b|"
    # a live feed is another system: the warehouse holds what was loaded, up to its as-of date
    r"\blive\s+(?:\w+\s+)?(?:status(?:es)?|feeds?|tracking|positions?|maps?)\b|"
    # a named API ("from the Acme API") and booking something ("book me a seat") are other systems
    r"\b(?:from|via|through|using|with|into|to)\s+(?:the\s+|an?\s+)?[a-z][\w.-]*\s+api\b|"
    r"\b(?:book|reserve)\s+(?:me|us|them|him|her)\b|"
    r"\b(?:book|reserve)\s+(?:an?|the|two|\d+)\s+(?:\w+\s+)?(?:seats?|tickets?|rooms?|tables?|trips?)\b|"
    r"\b(?:check|ask|look\s+(?:up|in|at))\s+[a-z][\w.]*\s+for\s+(?:the\s+)?(?:live|latest|current|real[-\s]?time)\b|"
    r"\b(?:on|in|from)\s+(?:the\s+|my\s+|our\s+)?drive\b"
)
SENDING = re.compile(
    r"\bsend(?:s|ing)?\s+(?:out\s+)?(?:an?\s+|the\s+|some\s+)?(?:e-?mails?|sms|texts?|text\s+messages?|"
    r"push(?:\s+notifications?)?|notifications?|newsletters?|slack\s+messages?|dms?|messages?|promos?|"
    r"promo\s+codes?|coupons?|vouchers?|reminders?|surveys?|invites?|invitations?|offers?)\b(?!\s+campaigns?)|"
    r"\b(?:via|over|through|by)\s+(?:e-?mail|sms|text\s+messages?|slack|whatsapp|telegram|push)\b"
    r"(?!\s+(?:campaigns?|ads?|channel|marketing))|"
    r"\b(?:in|on|to|into)\s+(?:the\s+)?(?:slack|whatsapp|telegram|discord)\b"
)

_CHANNEL_WORD = re.compile(r"\b(?:e-?mail|mail|sms|text|slack|teams|whatsapp|telegram|messages?|"
                           r"notifications?|push|inbox|phone)\b")
_PEOPLE = (r"users?|customers?|players?|people|payers?|whales?|spenders?|subscribers?|buyers?|team|teams|"
           r"boss|manager|managers|everyone|everybody|ops|finance|marketing|sales|leadership|execs?|cfo|ceo|"
           r"channel|group|list|them|him|her|me|us|colleagues?|partners?")
_LEAD = r"^(?:(?:the|all|our|my|every|each|these|those|some|any|\d+)\s+)*" \
        r"(?:(?!for\b|by\b|from\b|of\b|in\b|per\b|with\b|about\b)[\w']+\s+){0,3}?"
_TO_PEOPLE = re.compile(rf"{_LEAD}(?:{_PEOPLE})\b|^\S+@\S+|^\+?\d[\d\s-]{{6,}}|^[#@]\w+")
_TO_PEOPLE_OR_THIS = re.compile(
    rf"{_LEAD}(?:{_PEOPLE}|this|that|it|these|those|reports?|results?|numbers|charts?|answers?)\b|"
    r"^\S+@\S+|^\+?\d[\d\s-]{6,}|^[#@]\w+"
)
_PUSHED = re.compile(r"^(?:(?:a|an|the|some)\s+)?(?:push|notifications?|notifs?|messages?|promos?|offers?)\b|"
                     r"\bto\s+(?:all\s+|our\s+|the\s+)?(?:\w+\s+){0,2}(?:users?|customers?|players?)\b")
_POSTED_TO = re.compile(r"\b(?:slack|teams|channel|#\w+|twitter|linkedin|instagram|group|wiki|confluence|"
                        r"notion)\b")
_SHARED = re.compile(r"^(?:this|it|that|these|those|the\s+(?:report|results?|numbers|chart|data|answer|"
                     r"dashboard|findings|table))\b.*\b(?:with|to|on|in|via)\b")
_TO_SELF = re.compile(r"^(?:me|us)\b")
_SCHEDULED = re.compile(r"^(?:an?\s+|the\s+|this\s+|that\s+)?(?:\w+\s+){0,2}?(?:reports?|e-?mails?|messages?|"
                        r"digests?|alerts?|notifications?|slack|summary|summaries|send|delivery)\b")
# For each verb that sends, what must follow it for a request to send something somewhere.
_SENT_BY: dict[str, re.Pattern[str]] = {
    **dict.fromkeys(("email", "e-mail", "sms", "text", "tweet"), _TO_PEOPLE_OR_THIS),
    **dict.fromkeys(("message", "dm", "ping", "notify", "alert", "call", "phone", "slack", "whatsapp",
                     "remind", "invite", "warn", "contact", "reach"), _TO_PEOPLE),
    "push": _PUSHED, "post": _POSTED_TO, "share": _SHARED, "schedule": _SCHEDULED,
}
_DELIVERING = frozenset({"send", "mail", "forward", "broadcast", "blast"})
_ASKING_FOR_AN_ANSWER = frozenset({"tell", "inform"})  # "tell me ..." is how questions start


def refuse_other_systems(folded: str) -> RefusalPlan | None:
    """``other_system`` when the question names another system or asks to send something."""
    if NAMED.search(folded):
        return refusal("other_system", "named system")
    if DASHBOARDS.search(folded):
        return refusal("other_system", "dashboard")
    if ELSEWHERE.search(folded):
        return refusal("other_system", "elsewhere")
    if SENDING.search(folded) or any(_sends(clause, folded) for clause in request_clauses(folded)):
        return refusal("other_system", "sending")
    return None


def _sends(clause: Clause, folded: str) -> bool:
    verb, rest = clause.verb, clause.rest
    if verb in _DELIVERING:  # "send me revenue by week" asks for the answer itself
        return bool(rest) and not (_TO_SELF.match(rest) and not _CHANNEL_WORD.search(folded))
    if verb in _ASKING_FOR_AN_ANSWER:
        return bool(_TO_PEOPLE.search(rest)) and not _TO_SELF.match(rest)
    pattern = _SENT_BY.get(verb)
    return bool(pattern and pattern.search(rest))
