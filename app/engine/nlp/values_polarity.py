"""Negation and grouping of matched values: "excluding Facebook and Google" -> media_source not in (...)."""
from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from app.engine.nlp.value_types import ValueFilter

# A negation cue right before a value, with the filler words that may follow it.
_NEGATION = re.compile(
    r"(?:\b(?:not(?:\s+(?:including|counting|incl\.?))?|excluding|discounting|disregarding|exclude[sd]?|except(?:\s+for)?|other\s+than|without|but\s+not|"
    r"minus|apart\s+from|"
    r"aside\s+from|outside(?:\s+of)?|ignoring|ignore|omitting|omit|leaving\s+out|leave\s+out|no|isn'?t|"
    r"aren'?t|"
    r"everything\s+but|all\s+but|anything\s+but|filter(?:ing)?\s+out|remov(?:e|ing)|w/o|sans|never)"
    r"[\s,:]+(?:(?:the|any|all|from|on|in|for|of|via|through|users?|installs?|traffic|coming|that|are|is|"
    r"came|come)\s+)*|\bnon[\s-]?)$"
)
# Only these may stand between two values of one list ("Facebook, Google or TikTok").
_LIST_GAP = re.compile(r"^[\s,/&]*(?:(?:and|or|nor|plus|as\s+well\s+as|the)[\s,/&]+)*$")
# "LAX and how many to SFO": each value asked for on its own
_COMPARE_GAP = re.compile(r"\b(?:vs\.?|versus|compared\s+(?:to|with)|against|and\s+how\s+(?:many|much))\b")
_COMPARE_BEFORE = re.compile(
    r"\b(?:compar\w*|split|splits|between|difference|differences|breakdown|broken\s+down|which\s+of|"
    r"each\s+of)\b"
    r"[^.?!;]*$"
)
_COMPARATIVE = re.compile(
    r"\b(?:more|less|fewer|better|worse|higher|lower|bigger|smaller|which|who|best|worst)\b"
)
# "isn't TikTok ROAS kinda bad?" opens a rhetorical question about TikTok; only "the source isn't
# TikTok", with a subject before the verb, negates it.
_RHETORICAL = re.compile(
    r"(?:^|[.?!;:,(]|\b(?:so|like|hey|yo|ok|okay|well|wait|hmm|um|uh|lol|honestly|seriously|really|guys|"
    r"team))"
    r"[\s,]*(?:is|are|was|were)n'?t\s+(?:\w+\s+){0,2}$"
)


# "leave the US out", "take Facebook out": the cue wraps the value.
_LEAVE_BEFORE = re.compile(r"\b(?:leave|leaving|leaves|keep|keeping|take|taking|cut|cutting|count|counting)"
                           r"\s+(?:the\s+|all\s+)?$")
_OUT_AFTER = re.compile(r"^\s*(?:installs?\s+|users?\s+|traffic\s+)?(?:out|aside)\b")


def negations(matches: Sequence, folded: str) -> list[bool]:
    """Per match, whether a negation cue governs it; a list after one cue shares it."""
    result: list[bool] = []
    for i, match in enumerate(matches):
        direct = bool(_NEGATION.search(folded[max(0, match.start - 60):match.start]))
        direct = direct or (bool(_LEAVE_BEFORE.search(folded[max(0, match.start - 30):match.start]))
                            and bool(_OUT_AFTER.match(folded[match.end:])))
        direct = direct and not _RHETORICAL.search(folded[:match.start])
        previous = matches[i - 1] if i else None
        same_spot = previous is not None and previous.start == match.start
        listed = previous is not None and bool(_LIST_GAP.match(folded[previous.end:match.start]))
        result.append(direct or ((same_spot or listed) and result[-1]))
    return result


def group_filters(matches: Sequence, folded: str) -> list:
    """One filter per dimension and polarity; of rival readings of one word, the best scored."""
    groups: dict[tuple[str, bool], list] = {}
    for match in _best_readings(matches):
        groups.setdefault((match.dimension, match.negated), []).append(match)
    filters = []
    for (dimension, negated), members in groups.items():
        first_mentions = {m.value: m.span for m in reversed(members)}  # value -> where it first appears
        values = tuple(dict.fromkeys(m.value for m in members))
        single = len(values) == 1
        op = ("!=" if single else "not in") if negated else ("=" if single else "in")
        compared = len(values) > 1 and _compared(members, folded)
        spans = tuple(first_mentions[v] for v in values)
        filters.append(ValueFilter(dimension, op, values, spans, compared))
    return filters


def _compared(members: Sequence, folded: str) -> bool:
    """"iOS vs Android", "split between iOS and Android", "do iOS or Android users pay more"."""
    gaps = [folded[a.span[1]:b.span[0]] for a, b in itertools.pairwise(members)]
    if any(_COMPARE_GAP.search(gap) for gap in gaps):
        return True
    if _COMPARE_BEFORE.search(folded[max(0, members[0].span[0] - 40):members[0].span[0]]):
        return True
    return any(re.search(r"\bor\b", gap) for gap in gaps) and bool(_COMPARATIVE.search(folded))


def _best_readings(matches: Sequence) -> list:
    """Per span, the matches of its best-scored dimension ("Europe" keeps all its countries)."""
    best: dict[tuple[int, int], object] = {}
    for match in matches:
        held = best.get(match.span)
        if held is None or match.score > held.score:
            best[match.span] = match
    return [m for m in matches if m.dimension == best[m.span].dimension]
