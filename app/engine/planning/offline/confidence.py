"""How sure the offline plan is, honestly: unsure plans are not answered.

High (>= 0.85) only when a metric was named lexically and every content word of the question
is accounted for by a matcher or is a function word. Each unexplained word, each part of the
question the plan had to drop and each cue the plan cannot express (a threshold or an average it
did not apply) costs 0.3: any one of them takes a plan below ``ANSWER_THRESHOLD``, so the planner
says what it did not understand instead of answering another question (docs/offline-planner.md,
"Account for every word"). A value read from a near match costs 0.12. An embedding-only metric,
a typo correction, a guessed metric family or a weak word ("money") start lower. With an LLM
configured, the router sends plans below ``llm_confidence_threshold`` (0.8) to it.
"""

from __future__ import annotations

import functools
import re

from app.engine.planning.offline.casual import canonical_word
from app.engine.planning.offline.words import STOP_WORDS

BASE = {
    "lexical": 0.95, "typo": 0.87, "inferred": 0.87, "count": 0.87, "list": 0.88, "followup": 0.9,
    "family": 0.75, "weak": 0.7, "embedding": 0.6, "corroborated": 0.8,
}
PER_UNKNOWN_WORD = 0.3  # one unexplained word takes even an exact match below the answer threshold
PER_GUESS = 0.12  # a value matched only approximately ("facebok")
ANSWER_THRESHOLD = 0.7
FLOOR = 0.2
_NUMBER = re.compile(r"^\d+(?:\.\d+)?(?:st|nd|rd|th)?$")


# What a semantic query cannot say, so a plan that ignores it must not look sure of itself.
_THRESHOLD = re.compile(
    r"\b(?:more|less|fewer|greater|higher|lower|bigger|smaller)\s+than\b|\b(?:above|below|over|under|"
    r"at\s+least|at\s+most|exceed\w*)\s+(?:\$|average|avg|the\s+average|mean|median|\d)|"
    r"[<>]=?\s*\$?\d"
)
_SHARE_OF = re.compile(r"\b(?:share|fraction|proportion|portion|percentage|percent|pct)\b|%")
# "how much budget is left": a remaining amount, which no summed metric is
_REMAINING = re.compile(r"\b(?:is|are|was|s)\s+(?:still\s+)?left\b|\bremaining\b|"
                        r"\bleft\s+(?:over|to\s+spend)\b")
# "I mean", "you mean": the verb, not an average
_AVERAGE_OF = re.compile(r"\b(?:average|avg|(?<!i )(?<!we )(?<!you )(?<!they )mean|median|typical)\b")


def unsupported_cues(unread: str, metrics: tuple[str, ...],
                     averaged_by_definition: frozenset[str] = frozenset()) -> int:
    """How many things the question asks that the plan did not express (a threshold, an average of
    counts), read from the text no matcher consumed (``unread``)."""
    return len(unsupported_cue_names(unread, metrics, averaged_by_definition))


def unsupported_cue_names(unread: str, metrics: tuple[str, ...],
                          averaged_by_definition: frozenset[str] = frozenset()) -> list[str]:
    """What the plan did not express, in words for the reply: "a threshold (“more than”)"."""
    found = []
    averaged = any(m in averaged_by_definition for m in metrics)
    for pattern, what, applies in ((_THRESHOLD, "a threshold", True),
                                   (_REMAINING, "what remains", True),
                                   (_SHARE_OF, "a share or percentage", not averaged),
                                   (_AVERAGE_OF, "an average", bool(metrics) and not averaged)):
        match = pattern.search(unread) if applies else None
        if match is not None:
            found.append(f"{what} (“{match.group(0).strip()}”)")
    return found


def unexplained_words(leftover: list[str]) -> list[str]:
    """Leftover words that are not function words (in any casual spelling) or bare numbers."""
    return [w for w in leftover if w not in STOP_WORDS and canonical_word(w) not in STOP_WORDS
            and not _NUMBER.match(w) and w not in _NUMBER_WORDS and len(w) > 1
            and not _swapped_function_word(w)]


_NUMBER_WORDS = frozenset({"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                           "eleven", "twelve", "fifteen", "twenty", "thirty", "hundred", "thousand"})


@functools.cache
def _swapped_function_word(word: str) -> bool:
    """ "whcih", "waht", "hte": a function word with two neighbouring letters swapped."""
    if len(word) < 3:
        return False
    return any(word[:i] + word[i + 1] + word[i] + word[i + 2:] in STOP_WORDS for i in range(len(word) - 1))


def plan_confidence(
    source: str, leftover: list[str], similarity: float | None = None, guessed: int = 0, missed: int = 0
) -> float:
    """``similarity``: for an embedding-only metric, how close it was (the leftover words were its query).
    ``guessed``: values read from near matches; ``missed``: parts dropped or cues not expressed."""
    if source == "embedding" and similarity is not None:
        return round(min(0.75, 0.5 + 0.5 * max(0.0, similarity - 0.45)), 3)
    unknown = len(unexplained_words(leftover)) + missed
    score = BASE.get(source, 0.5) - PER_UNKNOWN_WORD * unknown - PER_GUESS * guessed
    return round(max(FLOOR, min(1.0, score)), 3)
