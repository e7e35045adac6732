"""Requests for people's personal data: refused with category ``personal_data``.

The warehouse holds no contact details or identities (user_id, install_id and ip_hash are
pseudonymous analytics fields), and the assistant would not reveal them if it did. So a request is
refused when it asks for what identifies or reaches a person: emails, phone numbers, names of users,
postal addresses, social media profiles, who a user "really" is, birth dates, government ids, payment
cards, precise location or advertising ids. Words that only resemble these stay questions about
the data: "campaign names", "phone models", "installs by location", "distinct ip hashes",
"email campaign", "who are our top spenders" (answered with ids), "profile of a paying user".
"""
from __future__ import annotations

import re

from app.engine.planning.offline.safety.reasons import refusal
from app.engine.planning.plan import RefusalPlan

_PEOPLE = (r"users?|people|persons?|customers?|players?|payers?|whales?|spenders?|subscribers?|buyers?|"
           r"fraudsters?|individuals?|humans?|members?|owners?|clients?|gamers?|installers?")
_NOT_A_PREPOSITION = r"(?:(?!for\b|by\b|from\b|in\b|per\b|with\b)[\w']+\s+)"

CONTACT = re.compile(
    r"\be-?mail\s*(?:address(?:es)?|ids?|addrs?|contacts?|list)\b|"
    r"\b(?:phone|mobile|cell(?:phone)?|telephone|contact|whatsapp)\s*(?:numbers?|nos?\b|#)|\btelephones?\b|"
    r"\bcontact\s+(?:details|info(?:rmation)?|data)\b|"
    r"\b(?:home|postal|mailing|street|billing|shipping|physical|residential|email|e-mail|exact|full|precise)\s+"
    r"address(?:es)?\b|\b(?:zip|post|postal)\s*codes?\b|"
    r"\b(?:gmail|yahoo|hotmail|icloud|outlook|proton(?:mail)?)\s+(?:address(?:es)?|accounts?|e-?mails?)\b|"
    rf"\baddress(?:es)?\s+of\s+{_NOT_A_PREPOSITION}{{0,3}}(?:{_PEOPLE})\b|"
    r"\be-?mails?\s+(?:of|for)\b(?!\s+(?:the\s+)?campaigns?)|"
    rf"\b(?:their|his|her|(?:{_PEOPLE})'?s?'?)\s+(?:e-?mails?|phones?|addresses)\b|"
    r"\be-?mails?\s*(?:,|and|&|or)\s*(?:phones?|names?|addresses)\b|"
    r"\b(?:names?|phones?)\s*(?:,|and|&|or)\s*e-?mails?\b|"
    r"^(?:\W*(?:pls|please|can\s+you|could\s+you)\s+)?(?:list|export|get|give|show|pull|download|fetch|dump|"
    r"find|send)\s+(?:me\s+)?(?:the\s+|all\s+)?(?:user\s+|customer\s+|player\s+)?e-?mails?\b"
    r"(?!\s+(?:campaigns?|channel|marketing|opens?|clicks?|performance))"
)
NAMES = re.compile(
    r"\b(?:full|first|last|real|legal|given|family|maiden|sur)[\s-]?names?\b|\busernames?\b|"
    rf"\bnames?\s+(?:of|for)\s+{_NOT_A_PREPOSITION}{{0,4}}(?:{_PEOPLE})\b|"
    rf"\b(?:{_PEOPLE})'?s?'?\s+names?\b|\b(?:their|his|her)\s+names?\b"
)
IDENTITY = re.compile(
    r"\bin\s+real\s+life\b|\breal[-\s]world\s+identit|\b(?:real|true|actual)\s+identit(?:y|ies)\b|"
    r"\bidentit(?:y|ies)\s+of\b|"
    r"\bidentify\s+(?:the\s+|this\s+|that\s+|these\s+|those\s+)?(?:persons?|people|individuals?|humans?|"
    r"owners?)\b|\bde-?anonymi[sz]|\bre-?identif|\bunmask|\bdox+(?:ing|ed)?\b|\bpii\b|"
    r"\bpersonal(?:ly)?\s+(?:identifiable|data|info(?:rmation)?|details)\b|"
    r"\bwho(?:'s|\s+is|\s+was)\s+(?:exactly\s+|really\s+)?(?:(?:user|install)\s+)?(?:[ui]\d{3,}|user)\b|"
    r"\bwho\s+(?:are|is)\s+(?:these|those|this|that)\s+(?:users?|people|persons?|players?|customers?)\b|"
    r"\bwho\s+owns\b|\b(?:persons?|people|individuals?|humans?|who(?:'s|\s+is|\s+are)?)\s+behind\b|"
    # the purpose said outright: "... so we can find out who they are", "to track them down"
    r"\b(?:find\s+out|figure\s+out|work\s+out|learn|know|see)\s+who\s+(?:they|these\s+\w+|those\s+\w+|he|she)\s+"
    r"(?:are|is|were|was)\b|\btrack\s+(?:them|him|her|these\s+\w+|those\s+\w+|(?:the\s+)?(?:users?|people|"
    r"players?|customers?))\s+down\b|\b(?:locate|stalk|reach\s+out\s+to|contact)\s+(?:them|him|her)\b(?=[^?]*"
    r"\b(?:ip|device|users?|spenders?|payers?)\b)"
)
BIRTH_AND_IDS = re.compile(
    r"\bdates?\s+of\s+birth\b|\bbirth\s*dates?\b|\bdob\b|\bbirthdays?\s+(?:of|for)\b|"
    rf"\b(?:their|his|her|(?:{_PEOPLE})'?s?'?)\s+birthdays?\b|"
    r"\bhow\s+old\s+is\s+(?:user\s+)?u\d|"
    r"\bage\s+of\s+(?:user\s+)?u\d|\bsocial\s+security\b|\bssns?\b|\bpassports?\b|\bnational\s+(?:id|insurance)|"
    r"\bid\s+cards?\b|\bdriver'?s?\s+licen[cs]es?\b|\btax\s+(?:ids?|numbers?)\b|"
    r"\bgovernment[-\s]+(?:issued\s+)?ids?\b"
)
PAYMENT = re.compile(
    r"\b(?:credit|debit|payment|bank)\s+cards?\b|\bcard\s+(?:numbers?|details)\b|\bcvv\b|\biban\b|"
    r"\bbank\s+(?:accounts?|details)\b|\bbilling\s+(?:info|information|details)\b|"
    r"\bpayment\s+(?:details|info(?:rmation)?)\b"
)
LOCATION = re.compile(
    r"\b(?:precise|exact|gps|street[-\s]level|current|live|real[-\s]time|home)\s+(?:geo)?locations?\b|"
    r"\blatitudes?\b|\blongitudes?\b|\blat\s*/\s*(?:long|lng|lon)\b|\bgeolocations?\b|\bgps\b|"
    r"\bcoordinates\b|\bhome\s+(?:city|cities|town|towns|neighbou?rhood)\b|\bwhere\s+(?:exactly\s+)?(?:does|do|did)\s+(?:(?:the\s+|this\s+|that\s+)?user\s+)?"
    r"(?:u\d+|he|she|they|him|them)\s+(?:\w+\s+)?live\b"
)
DEVICE_AND_NETWORK_IDS = re.compile(
    # a per-user export joining ids with their network fingerprints: "user ids with their IP hashes"
    r"\b(?:list|export|dump|download|pull|give\s+me)\b[^.?!;]{0,40}\b(?:user|install|device)\s+ids?\b"
    r"[^.?!;]{0,30}\b(?:with|and|plus|alongside)\s+(?:their\s+|the\s+)?ip(?:\s+hash(?:es)?|\s+address(?:es)?|s)\b|"
    r"\b(?:idfa|idfv|gaid|aaid|imei|udid)s?\b|\bmac\s+address(?:es)?\b|\badvertis(?:ing|er)\s+ids?\b|"
    r"\b(?:real|actual|raw|unhashed|full|plain(?:text)?)\s+ip(?:\s+address(?:es)?)?\b|\bunhash|"
    r"\bip\s+address(?:es)?\s+(?:of|for)\s+(?:the\s+)?(?:users?|installs?|[ui]\d|this|that|these|those)\b"
)
SOCIAL = re.compile(
    r"\bsocial(?:\s+media)?\s+(?:profiles?|accounts?|handles?|links?|pages?)\b|"
    r"\b(?:instagram|insta|ig|twitter|linkedin|youtube|reddit|discord)\s+(?:profiles?|handles?|usernames?|"
    r"user\s+names?|accounts?)\b|"
    # Facebook, TikTok and Snapchat are also media sources: "facebook page campaigns" is our data.
    r"\b(?:facebook|fb|tiktok|snapchat|snap)\s+(?:profiles?|handles?|usernames?|user\s+names?)\b"
)
# People who are not users of the data, listed or picked out: "list the passengers on flight 1545",
# "which pilots had the most delays"
OTHER_PEOPLE = re.compile(
    r"\b(?:list|show|name|names\s+of|which|who\s+(?:are|were|was|is)|find|give\s+me)\s+(?:me\s+)?"
    r"(?:the\s+|all\s+|our\s+)?(?:passengers?|pilots?|co-?pilots?|captains?|crew(?:\s+members?)?|"
    r"flight\s+attendants?|employees?|staff(?:\s+members?)?|travell?ers?)\b"
)
RULES = (("contact details", CONTACT), ("named people", OTHER_PEOPLE),
         ("names", NAMES), ("identity", IDENTITY),
         ("birth date or government id", BIRTH_AND_IDS), ("payment details", PAYMENT),
         ("precise location", LOCATION), ("device or network id", DEVICE_AND_NETWORK_IDS),
         ("social profile", SOCIAL))


def refuse_personal_data(folded: str) -> RefusalPlan | None:
    """``personal_data`` when the question asks for something that identifies or reaches a person."""
    for rule, pattern in RULES:
        if pattern.search(folded):
            return refusal("personal_data", rule)
    return None
