""""The Lenses campaign", "the US campaign": one campaign is meant, and the words may fit several.

A singular "the ... campaign" whose words match more than one campaign (by name, or by the values
of other dimensions -- media source, platform, country -- its name is made of) is asked back with
the matching campaigns as options, instead of silently adding them up. Plural "Lenses campaigns"
or "US campaigns" is a population and stays a filter. The same holds for any dimension of
composite names (``values_index.PhraseIndex.names``) and the noun it is called by.
"""
from __future__ import annotations

import re

from app.engine.planning.plan import ClarificationPlan

MAX_OPTIONS = 6


def _the_one(noun: str) -> re.Pattern:
    return re.compile(rf"\bthe\s+(?P<words>(?:[\w'-]+\s+){{1,5}}?){re.escape(noun)}\b"
                      r"(?!s|\s+(?:names?|ids?|count))")


def campaign_clarification(reading, query, values) -> ClarificationPlan | None:
    """A clarification when "the ... campaign" names several campaigns, else None."""
    index = getattr(values, "index", None)
    for noun, dimension in (getattr(index, "nouns", None) or {}).items():
        match = _the_one(noun).search(reading.folded)
        names = index.names.get(dimension) or {}
        if match is None or not names:
            continue
        candidates = _candidates(query, dimension, names, match["words"])
        if len(candidates) < 2:
            continue
        shown = sorted(candidates)[:MAX_OPTIONS]
        written = reading.text[match.start():match.end()]
        start, end = match.span()
        options = tuple(f"{reading.text[:start]}the {name} {noun}{reading.text[end:]}" for name in shown)
        more = f" (and {len(candidates) - len(shown)} more)" if len(candidates) > len(shown) else ""
        question = (f"“{written}” fits {len(candidates)} {noun}s: {', '.join(shown)}{more}. "
                    f"Which one do you mean? (Say “{noun}s” to add them up.)")
        return ClarificationPlan(question=question, options=options, confidence=0.4,
                                 rationale=f"offline: one {noun} named, several match")
    return None


def _candidates(query, dimension: str, names: dict[str, frozenset[str]], words: str) -> set[str]:
    named = [f for f in query.filters if f.dimension == dimension and f.op in ("=", "in")]
    if named:
        return {str(v) for f in named for v in f.values}
    # other dimensions' values written inside "the ... campaign" ("the Facebook iOS US campaign"),
    # when names are made of such values
    phrase = set(words.split())
    every = frozenset().union(*names.values())
    required = {w for f in query.filters if f.op == "=" and f.dimension != dimension
                for v in f.values for w in str(v).lower().split() if w in every}
    if not required & phrase:
        return set()
    return {name for name, parts in names.items() if required <= parts}
