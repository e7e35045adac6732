"""Small whole numbers written as digits or words ("7", "seven", "twenty-one", "a dozen").

Used for "last seven days" here and for "top ten" by the planner. Only the
numbers people write in questions are covered (up to the hundreds).
"""
from __future__ import annotations

import re

from app.engine.nlp.text import fold

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
SPECIAL = {"a": 1, "an": 1, "single": 1, "couple": 2, "a couple": 2, "a couple of": 2, "couple of": 2,
           "a dozen": 12, "dozen": 12, "a hundred": 100, "hundred": 100, "a few": 3, "few": 3}

_WORD = "|".join(sorted([*UNITS, *TENS], key=len, reverse=True))
_COMPOUND = rf"(?:{'|'.join(TENS)})[\s-]+(?:{'|'.join(k for k in UNITS if UNITS[k] < 10 and k != 'zero')})"
_HUNDREDS = rf"(?:(?:a|one|two|three|four|five)\s+hundred(?:\s+(?:and\s+)?(?:{_COMPOUND}|{_WORD}))?)"
_SPECIAL = r"a\s+couple(?:\s+of)?|couple(?:\s+of)?|a\s+dozen|dozen|a\s+few"
# Longest alternatives first so "twenty one" is not read as "twenty".
NUMBER_PATTERN = rf"(?:\d{{1,6}}|{_HUNDREDS}|{_COMPOUND}|{_SPECIAL}|{_WORD})"
_NUMBER_RE = re.compile(rf"\b{NUMBER_PATTERN}\b")


def parse_number(text: str) -> int | None:
    """The value of one number phrase ("12", "twelve", "twenty-one", "a couple of"), else None."""
    words = re.sub(r"[\s-]+", " ", fold(text).strip())
    if words.isdigit():
        return int(words)
    if words in SPECIAL:
        return SPECIAL[words]
    return _parse_words(words.replace(" and ", " ").split())


def _parse_words(words: list[str]) -> int | None:
    total, current = 0, 0
    for word in words:
        if word in UNITS:
            current += UNITS[word]
        elif word in TENS:
            current += TENS[word]
        elif word == "hundred" and current:
            total, current = total + current * 100, 0
        elif word in ("a", "an") and not current:
            current = 1
        else:
            return None
    return total + current if words else None


def find_numbers(text: str) -> list[tuple[int, tuple[int, int]]]:
    """Every number phrase in ``text`` with its span: ``[(10, (4, 7)), ...]`` for "top ten"."""
    found = []
    for match in _NUMBER_RE.finditer(fold(text)):
        value = parse_number(match.group())
        if value is not None and not match.group().strip().startswith(("a few", "few")):
            found.append((value, match.span()))
    return found
