"""Fix chat typos and shorthands of time keywords before the patterns run.

Only keyword tokens are touched ("lst" -> "last", "yesterdy" -> "yesterday",
"febuary" -> "february"); other words stay as they are, so "list", "most" or
"weak" are never read as time words. The corrected text keeps a map back to
the original characters, so spans still point into the user's text.
"""
from __future__ import annotations

from dataclasses import dataclass

from app.engine.nlp.text import edit_distance, english_words, fold, tokens, typo_budget

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december")
KEYWORDS = frozenset({
    *MONTHS, "last", "past", "previous", "prior", "this", "current", "since", "between",
    "yesterday", "today", "week", "weeks", "month", "months", "quarter", "quarters", "year",
    "years", "days", "daily", "weekly", "monthly", "quarterly", "yearly", "first", "second",
    "half", "trailing", "rolling", "compared", "versus", "through", "until", "fortnight",
})
SHORTHANDS = {
    "lst": "last",
    "yday": "yesterday",
    "yest": "yesterday",
    "ystd": "yesterday",
    "prev": "previous",
    "mth": "month",
    "mnth": "month",
    "mths": "months",
    "mnths": "months",
    "mo": "month",
    "mos": "months",
    "wk": "week",
    "wks": "weeks",
    "yr": "year",
    "yrs": "years",
    "qtr": "quarter",
    "qtrs": "quarters",
    "tdy": "today",
    "thru": "through",
    "til": "until",
    "till": "until",
    "vs": "vs",
    "v": "vs",
    "betwen": "between",
    "dys": "days",
    "dayz": "days",
    "teh": "the",
    "wek": "week",
    "wekk": "week",
    "mnt": "month",
    "yrs.": "years",
}
# Real words one edit away from a keyword: never "correct" them.
PROTECTED = frozenset({
    "list", "lost", "lust", "least", "lest", "east", "most", "must", "post", "pest", "paste",
    "pasta", "vast", "fast", "cast", "weak", "wee", "weed", "seek", "meek", "mouth", "moth", "yarn",
    "near", "dear", "thus", "thin", "these", "those", "third", "then", "than", "that", "them",
    "they", "daisy", "dates", "data", "date", "dairy", "diary", "total", "toy", "hall", "calf",
    "halt", "hale", "fist", "firs", "firm", "frost", "mayor", "marc", "much", "merch", "junk",
    "jun", "jul", "jury", "augur", "octet", "sinks", "singe", "print", "prism", "priority", "trail",
    "trailer", "seconds", "secondary", "compare", "compares", "comparing", "weekend", "weekends",
    "dally", "unit", "units", "lasts", "pasts", "currency", "currently", "previously", "though",
    "thought", "thorough", "firstly", "halves", "quartet", "weekday", "weekdays",
    "yeah", "pass", "part", "pact", "mouths", "sine", "training", "trading", "trough", "verses",
    "preview", "previews", "weakly", "match", "jane", "mayo", "mars", "aprils", "many",
})


@dataclass(frozen=True)
class CorrectedText:
    """Folded, typo-corrected text and, per character, its index in the original."""

    text: str
    origin: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        if end <= start:
            return (self.origin[start] if start < len(self.origin) else start,) * 2
        return self.origin[start], self.origin[end - 1] + 1


def correct_keyword(word: str) -> str | None:
    """The time keyword ``word`` is a typo or shorthand of, or None."""
    if word in SHORTHANDS:
        return SHORTHANDS[word]
    if word in KEYWORDS or word in PROTECTED or len(word) < 4 or not word.isalpha():
        return None
    if word in english_words():  # a real word is no typo of a time word ("many" is not "may")
        return None
    budget = typo_budget(word)
    scored = [(edit_distance(word, k, budget), k) for k in KEYWORDS if k[0] == word[0]]
    close = sorted((d, k) for d, k in scored if d <= budget)
    # Two keywords equally close ("jule": june or july?) is a guess we do not make.
    if not close or (len(close) > 1 and close[0][0] == close[1][0]):
        return None
    return close[0][1]


def correct_text(text: str) -> CorrectedText:
    """``text`` folded, with keyword typos replaced; see :class:`CorrectedText`."""
    folded = fold(text)
    parts: list[str] = []
    origin: list[int] = []
    cursor = 0
    for token in tokens(folded):
        fixed = correct_keyword(token.text)
        if fixed is None or fixed == token.text:
            continue
        parts.append(folded[cursor:token.start])
        origin.extend(range(cursor, token.start))
        parts.append(fixed)
        # Every character of the replacement points into the replaced word.
        origin.extend(min(token.start + i, token.end - 1) for i in range(len(fixed)))
        cursor = token.end
    parts.append(folded[cursor:])
    origin.extend(range(cursor, len(folded)))
    return CorrectedText("".join(parts), tuple(origin))
