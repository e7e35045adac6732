""""The Lenses campaign", "the US campaign": one campaign is meant, and the words may fit several.

A singular "the ... campaign" whose words match more than one campaign (by name, or by the media
source, platform and country its name is made of) is asked back with the matching campaigns as
options, instead of silently adding them up. Plural "Lenses campaigns" or "US campaigns" is a
population and stays a filter.
"""
from __future__ import annotations

import re

from app.engine.planning.plan import ClarificationPlan

_THE_CAMPAIGN = re.compile(r"\bthe\s+(?P<words>(?:[\w'-]+\s+){1,5}?)campaign\b(?!s|\s+(?:names?|ids?|count))")
MAX_OPTIONS = 6


def campaign_clarification(reading, query, values) -> ClarificationPlan | None:
    """A clarification when "the ... campaign" names several campaigns, else None."""
    match = _THE_CAMPAIGN.search(reading.folded)
    campaigns = getattr(getattr(values, "index", None), "campaigns", None) or {}
    if match is None or not campaigns:
        return None
    candidates = _candidates(query, campaigns, match["words"])
    if len(candidates) < 2:
        return None
    shown = sorted(candidates)[:MAX_OPTIONS]
    written = reading.text[match.start():match.end()]
    start, end = match.span()
    options = tuple(f"{reading.text[:start]}the {name} campaign{reading.text[end:]}" for name in shown)
    more = f" (and {len(candidates) - len(shown)} more)" if len(candidates) > len(shown) else ""
    question = (f"“{written}” fits {len(candidates)} campaigns: {', '.join(shown)}{more}. "
                "Which one do you mean? (Say “campaigns” to add them up.)")
    return ClarificationPlan(question=question, options=options, confidence=0.4,
                             rationale="offline: one campaign named, several match")


def _candidates(query, campaigns: dict[str, frozenset[str]], words: str) -> set[str]:
    named = [f for f in query.filters if f.dimension == "campaign_name" and f.op in ("=", "in")]
    if named:
        return {str(v) for f in named for v in f.values}
    # attribute values written inside "the ... campaign" ("the Facebook iOS US campaign")
    phrase = set(words.split())
    required = {w for f in query.filters if f.op == "=" and f.dimension in _NAME_PARTS
                for v in f.values for w in str(v).lower().split()}
    if not required & phrase:
        return set()
    return {name for name, parts in campaigns.items() if required <= parts}


# the campaign name is built from these (demo: Source_Platform_Country_Tactic)
_NAME_PARTS = ("media_source", "platform", "country")
