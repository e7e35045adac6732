"""What a changing verb acts on: stored data, a named record, a value, or the answer itself.

"update c005's cost to 0" names a record (c005) and a value (0); "fix the revenue numbers" names
stored data; "make it monthly", "change the chart to bars" and "drop the US filter" act on the
answer's presentation, never on data.
"""
from __future__ import annotations

import re

_OBJECT_END = re.compile(
    r"\s(?:to|from|in|on|for|of|with|by|as|into|at|where|when|that|which|who|since|after|before|than|"
    r"under|over|across|per|via|between|during|within|instead|so|because)\s|="
)
# "it"/"me" lead an object that is the answer ("make it monthly", "update me"); a lone "this" or
# "them" is too vague to be a record.
PRONOUN = re.compile(r"^(?:(?:it|me|us|you|yourself)\b.*|this|that|these|those|them|)$")
PRESENTATION = re.compile(
    r"\b(?:me|us|charts?|graphs?|plots?|visuals?|visuali[sz]ations?|views?|display|layout|axis|axes|legend|"
    r"colou?rs?|titles?|grain|granularity|periods?|time\s*range|date\s*range|range|time\s*frame|timeframe|"
    r"window|interval|metrics?|measures?|dimensions?|groupings?|breakdowns?|sort|sorting|order|ordering|"
    r"limit|top|threshold|cutoff|filters?|question|query|answers?|results?|output|units?|currency|"
    r"decimals?|language|settings|conversation|selection|comparison|totals?|subtotals?|summary|averages?)\b"
)
FROM_PRESENTATION = re.compile(
    r"\b(?:from|in|on|of|off)\s+(?:the\s+|this\s+|that\s+|my\s+|your\s+)?(?:chart|graph|plot|view|results?|"
    r"answer|breakdown|count|total|numbers|calculation|analysis|query|list|report|comparison|output)\b"
)
DETERMINER = re.compile(r"^(?:the|all|every|those|these|any|our|my|their|its|this|that)\b")
EVERYTHING = re.compile(r"^(?:everything|all(?:\s+of\s+(?:it|them))?|it\s+all|the\s+lot|all\s+the\s+\w+)$")
_ENTITY = (r"campaigns?|installs?|installations?|events?|users?|players?|customers?|purchases?|sessions?|"
           r"subscriptions?|conversions?|transactions?|payments?|refunds?|ad[\s_]spend|ip\s+hash(?:es)?")
_MEASURE = (r"costs?|spend|spending|revenues?|prices?|amounts?|budgets?|bids?|clicks|impressions|numbers|"
            r"figures|values?|totals?|counts?")
_ATTRIBUTE = (r"countr(?:y|ies)|channels?|platforms?|media\s+sources?|sources?|ad\s+formats?|formats?|"
              r"names?|start\s+dates?|dates?|device\s+models?|os\s+versions?|ip_hash(?:es)?|types?|"
              r"categor(?:y|ies)|labels?|flags?|tags?|status|is_fraud|fraud_type")
# Rows and tables of the warehouse; "a table of installs by country" is a display, so a table counts
# as stored only for verbs that destroy ("drop the table").
_STORAGE = r"records?|rows?|entries|entry|data|datasets?|warehouse|databases?|schemas?"
DATA_NOUN = re.compile(rf"\b(?:{_ENTITY}|{_MEASURE}|{_ATTRIBUTE}|{_STORAGE}|tables?)\b")
STORAGE_NOUN = re.compile(rf"\b(?:{_STORAGE})\b")
CAMPAIGN_OBJECT = re.compile(r"\b(?:budgets?|bids?|campaigns?|ads|ad\s+sets?|adsets?|creatives?|"
                             r"spend\s+caps?|spend|spending)\b")
# A record the question names: an id (letters then 3+ digits), a campaign name, a quoted value, a
# hash, or a quantified set.
_RECORD = re.compile(
    r"\b[cui]\d{3,}\b|\b[a-z]{1,4}\d{3,}\b|"  # ids: c012, u000123, a flight UA1545
    r"\b(?:event|install|user|campaign|row|record|entry|id)s?\s*(?:id\s*)?(?:#|no\.?\s*|number\s*)?\d+\b|"
    r"\b[a-z0-9]+(?:_[a-z0-9]+){2,}\b|['\"][^'\"]+['\"]|\bip[\s_]hash(?:es)?\s+\w*\d\w*|"
    rf"\b(?:all|every|those|these)\s+(?:[\w']+\s+){{0,3}}?(?:{_ENTITY}|records?|rows?|entries|labels?|"
    r"flags?)\b|\b(?:campaign|install|event|user|[cui]\d{3,})'s\b"
)
VALUE = re.compile(
    r"=|\b(?:to|into|as|with|by|at)\s+(?:\$|€|£)?-?\d|"
    r"\b(?:to|as|with|into)\s+(?:zero|zeros|zeroes|null|none|nothing|empty|blank|true|false|yes|no|n/a)\b|"
    r"\b(?:to|as)\s+['\"]"
)
# What was done to the data, for verbs that undo it: "roll back the relabeling", "undo the changes".
A_CHANGE = re.compile(r"\b(?:\w+ing|changes?|edits?|updates?|deletions?|fix(?:es)?|imports?|migrations?|"
                      r"loads?|corrections?|uploads?)$")
WRONG = re.compile(r"\b(?:wrong|incorrect|mistake|error|typo|bug|broken|off\s+by|should\s+(?:be|read|say))\b")
LABEL_END = re.compile(
    r"\b(?:fraud|fraudulent|legit|legitimate|clean|valid|invalid|suspicious|bots?|organic|paid|test|"
    r"duplicates?|spam|churned|genuine|real|fake|not\s+fraud)\s*$"
)
NEW_THING = re.compile(r"^(?:\d|(?:a\s+|an\s+|the\s+|some\s+)?(?:new|extra|fake|dummy|test|fresh|missing|"
                       r"another|more)\b|(?:a|an)\s+(?:campaign|install|event|user|purchase|row|record|entry|"
                       r"session|subscription|payment|transaction)\b)")


def names_record(folded: str) -> bool:
    return bool(_RECORD.search(folded))


def object_of(rest: str) -> str:
    """The words a verb acts on: up to the first preposition (or "=")."""
    end = _OBJECT_END.search(f"{rest} ")
    return (rest[:end.start()] if end else rest).strip()


def is_data(obj: str, record: bool) -> bool:
    """``obj`` is something stored: a data noun, or anything when the question names a record."""
    return bool(obj) and (record or bool(DATA_NOUN.search(obj)))
