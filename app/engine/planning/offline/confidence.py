"""How sure the offline plan is, honestly: the router sends unsure plans to an LLM.

High (>= 0.85) only when a metric was named lexically and every content word
of the question is accounted for by a matcher or is a function word. Each
unexplained word (or value matched only approximately) costs 0.12; an embedding-only
metric, a typo correction, a guessed metric family or a weak word ("money") start lower.
"""

from __future__ import annotations

import re

from app.engine.planning.offline.casual import canonical_word
from app.engine.planning.offline.words import STOP_WORDS

BASE = {
    "lexical": 0.95, "typo": 0.87, "inferred": 0.87, "count": 0.87, "list": 0.88, "followup": 0.9,
    "family": 0.75, "weak": 0.7, "embedding": 0.6,
}
PER_UNKNOWN_WORD = 0.12  # one unexplained word takes even an exact match below 0.85
FLOOR = 0.2
_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")


# What a semantic query cannot say, so a plan that ignores it must not look sure of itself.
_THRESHOLD = re.compile(
    r"\b(?:more|less|fewer|greater|higher|lower|bigger|smaller)\s+than\b|\b(?:above|below|over|under|"
    r"at\s+least|at\s+most|exceed\w*)\s+(?:\$|average|avg|the\s+average|mean|median|\d)|"
    r"[<>]=?\s*\$?\d"
)
_AVERAGE_OF = re.compile(r"\b(?:average|avg|mean|median|typical)\b")
_AVERAGED_BY_DEFINITION = (
    "dau",
    "arpu",
    "arppu",
    "ctr",
    "cvr",
    "cpi",
    "cpc",
    "cpm",
    "roas",
    "fraud_rate",
    "retention",
)


def unsupported_cues(folded: str, metrics: tuple[str, ...]) -> int:
    """How many things the question asks that the plan cannot express (thresholds, averages of counts)."""
    count = 2 if _THRESHOLD.search(folded) else 0
    averaged = any(m.startswith(_AVERAGED_BY_DEFINITION) for m in metrics)
    return count + (1 if _AVERAGE_OF.search(folded) and metrics and not averaged else 0)


def unexplained_words(leftover: list[str]) -> list[str]:
    """Leftover words that are not function words (in any casual spelling) or bare numbers."""
    return [w for w in leftover if w not in STOP_WORDS and canonical_word(w) not in STOP_WORDS
            and not _NUMBER.match(w) and len(w) > 1]


def plan_confidence(
    source: str, leftover: list[str], similarity: float | None = None, guessed: int = 0
) -> float:
    """``similarity``: for an embedding-only metric, how close it was (the leftover words were its query)."""
    if source == "embedding" and similarity is not None:
        return round(min(0.75, 0.5 + 0.5 * max(0.0, similarity - 0.45)), 3)
    unknown = len(unexplained_words(leftover)) + guessed  # a value read from a near match is a guess too
    score = BASE.get(source, 0.5) - PER_UNKNOWN_WORD * unknown
    return round(max(FLOOR, min(1.0, score)), 3)
