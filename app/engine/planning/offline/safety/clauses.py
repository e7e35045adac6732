"""Where a request's verb sits: clauses with their polite and indirect openings taken off.

A request to act is a clause that starts with a verb once "please", "can you", "I need you to",
"we should", "let's", "go ahead and" ... are stripped: "pls could you mark X as fraud" and
"mark X as fraud" both give the clause "mark x as fraud". A question that only mentions the
verb ("installs marked as fraud", "how did revenue change") has no such clause, so verbs are
looked for at the start of a clause only. Typos of longer verbs ("chnage", "delte") count.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from app.engine.nlp.text import edit_distance, typo_budget

# Sentence and clause breaks: punctuation, dashes between words, and "and/then/but/so" joins.
_BREAKS = re.compile(r"[.;!?:\n]+(?:\s|$)|[;\n]|,\s*|\s+[-–—]+\s+|\s+(?:and\s+then|and|then|but|so|&)\s+")
_OPENINGS = re.compile(
    r"^(?:[^\w'\"]+|(?P<mind>(?:would|do|could)\s+(?:you|u)\s+mind)\b|"
    r"(?:hey|hi|hello|yo|ok|okay|alright|right|so|now|then|also|and|but|just|quickly|quick|simply|asap|"
    r"kindly|please|pls|plz|plez|pleas|plse|thanks|thx|btw|actually|first|next|finally|asklytics|um|uh|oh|"
    r"ah|well)\b|"
    r"(?:can|could|would|will|wo|cn|cud|wud|can't|cant|couldn't|won't)\s+(?:you|u|ya|we|i|someone|somebody)\b|"
    r"(?:i|we)\s+(?:really\s+)?(?:need|want|wanna|would\s+like|'d\s+like|d\s+like|must|should|have|had|"
    r"gotta|got|ought|'ll\s+need|will\s+need)(?:\s+(?:you|u|someone|somebody))?(?:\s+to)?\b|"
    r"i'?d\s+like\s+(?:you\s+)?to\b|i'?m\s+asking\s+(?:you\s+)?to\b|"
    r"you\s+(?:should|need\s+to|must|have\s+to|can|could|may)\b|"
    r"let'?s\b|let\s+us\b|go\s+(?:ahead\s+)?(?:in\s+)?and\b|go\s+ahead\b|help\s+(?:me\s+)?(?:to\s+)?|"
    r"try\s+(?:to|and)\b|(?:is|would)\s+it\s+be\s+possible\s+to\b|is\s+it\s+possible\s+to\b|"
    r"are\s+you\s+able\s+to\b|(?:it'?s\s+)?time\s+to\b|make\s+sure\s+(?:to|you)\b|"
    r"i'?d\s+appreciate\s+(?:it\s+)?if\s+(?:you|u)\b|if\s+(?:you|u)\s+(?:could|would|can)\b|"
    r"do\s+me\s+a\s+favou?r\s+and\b|feel\s+free\s+to\b|i'?m\s+going\s+to\s+need\s+(?:you\s+)?to\b|"
    r"(?:don'?t\s+forget|remember|be\s+sure)\s+to\b)\s*"
)
_WORD = re.compile(r"[a-z][a-z'_-]*")


@dataclass(frozen=True)
class Clause:
    """A clause that starts with a verb: the verb as written, the words after it, and the forms
    the verb may stand for (a gerund after "would you mind" stands for its base form)."""

    verb: str
    rest: str
    forms: tuple[str, ...] = ()

    def starts_with(self, verbs: frozenset[str]) -> bool:
        return any(is_verb(form, verbs) for form in self.forms or (self.verb,))


def clauses(folded: str) -> list[str]:
    """The question's clauses, each without its polite or indirect opening."""
    return [opened for part in _BREAKS.split(folded) if (opened := _without_openings(part)[0])]


def request_clauses(folded: str) -> list[Clause]:
    """Every clause as (first word, the rest): the first word is where an imperative verb sits.
    An adverb in front ("permanently delete ...") also yields the clause of the word after it."""
    found = []
    for part in _BREAKS.split(folded):
        text, gerund = _without_openings(part)
        word = _WORD.match(text)
        if word is None:
            continue
        rest = text[word.end():].strip()
        found.append(Clause(word.group(), rest, _base_forms(word.group()) if gerund else ()))
        if word.group().endswith("ly") and (after := _WORD.match(rest)):
            found.append(Clause(after.group(), rest[after.end():].strip()))
    return found


def is_verb(word: str, verbs: frozenset[str]) -> bool:
    """``word`` is one of ``verbs`` or a typo of a long one ("chnage"); never an inflection
    ("updated", "changes"), which is a description, not a request."""
    if word in verbs:
        return True
    if len(word) < 5:
        return False
    # Five-letter verbs have one-letter neighbours that are other words ("clear"/"clean", "start"/"smart").
    return any(
        len(verb) >= 6 and word[0] == verb[0] and not word.startswith(verb) and not verb.startswith(word)
        and edit_distance(word, verb, typo_budget(verb)) <= typo_budget(verb)
        for verb in verbs
    )


def _without_openings(text: str) -> tuple[str, bool]:
    """The clause without its openings, and whether one was "would you mind" (a gerund follows)."""
    text, gerund = text.strip(), False
    while True:
        opening = _OPENINGS.match(text)
        if opening is None or not opening.group():
            return text, gerund
        gerund = gerund or bool(opening.group("mind"))
        text = text[opening.end():].strip()


def _base_forms(word: str) -> tuple[str, ...]:
    """What a gerund may be the form of: "deleting" -> delet/delete, "dropping" -> drop."""
    if not word.endswith("ing") or len(word) < 6:
        return (word,)
    stem = word[:-3]
    return (stem, f"{stem}e", stem[:-1]) if stem[-1] == stem[-2] else (stem, f"{stem}e")
