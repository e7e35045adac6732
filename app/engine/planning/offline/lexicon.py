"""Metric and dimension phrases of the semantic model, matched longest-first over a question.

The index is built once from the model's names and synonyms, plus the everyday phrases of its
``vocabulary:`` block (semantic_layer/vocabulary.py). Words are compared by a light stem
("installs" = "install", "countries" = "country") and a word the index does not
know is corrected to a close one it does ("revnue" -> "revenue") when the
correction is unique, so typos still match without a fuzzy scan per phrase.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from app.engine.nlp.text import Token, edit_distance, english_words, fold, typo_budget
from app.engine.planning.offline.casual import INNER_FILLERS, canonical_word
from app.engine.planning.offline.defaults import (
    averaged_metrics,
    day_window_phrases,
    families,
    income_metric,
    lower_is_better,
    spend_metric,
)
from app.engine.planning.offline.ranking import is_ranking_word
from app.engine.planning.offline.vocabulary import vocabulary as general_words

_IRREGULAR = {
    "countries": "country",
    "geos": "geo",
    "analyses": "analysis",
    "indices": "index",
    "data": "data",
}
MAX_PHRASE_WORDS = 6
_MAX_CACHED_CORRECTIONS = 20_000
# The shared tokenizer's words, plus "%" as a word of its own ("fraud %") and "$$" (money; "$2"
# stays a number).
_TOKEN_RE = re.compile(r"[^\W_]+(?:\.[0-9]+)*|%|\$\$+")


def tokens(text: str) -> list[Token]:
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]


def stem(word: str) -> str:
    """A light plural/possessive stem: enough for "installs", "countries", "campaign's"."""
    word = word.removesuffix("'s")
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@dataclass(frozen=True)
class LexMatch:
    kind: str  # "metric" | "dimension"
    name: str
    start: int
    end: int
    words: int
    corrected: bool = False  # a word of it was a typo
    weak: bool = False
    readings: tuple[tuple[str, str], ...] = ()  # every (kind, name) the phrase names, e.g. "event"

    def reading(self, kind: str) -> str | None:
        return next((name for k, name in self.readings if k == kind), None)

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)


class Lexicon:
    """Phrase index: stemmed word tuples -> (kind, name)."""

    def __init__(self, entries: list[tuple[str, str, str]], protected: frozenset[str] = frozenset(),
                 weak: tuple[str, ...] = ()):
        # "weak" phrases count only when nothing stronger names a metric ("money" alone means
        # revenue, but "money spent" is cost)
        self.weak_keys = frozenset(tuple(stem(t.text) for t in tokens(fold(w))) for w in weak)
        self.phrases: dict[tuple[str, ...], list[tuple[str, str]]] = {}
        for kind, name, phrase in entries:
            key = tuple(stem(t.text) for t in tokens(fold(phrase)))
            readings = self.phrases.setdefault(key, []) if key and len(key) <= MAX_PHRASE_WORDS else []
            if key and (kind, name) not in readings and not any(k == kind for k, _ in readings):
                readings.append((kind, name))
        self.vocabulary = frozenset(w for key in self.phrases for w in key)
        self.protected = protected  # ordinary words never "corrected" into a vocabulary word
        self.lower_is_better: frozenset[str] = frozenset()  # set by from_model
        self.averaged: frozenset[str] = frozenset()  # metrics that are averages or ratios already
        self._corrections: dict[str, str | None] = {}

    def _meaning(self, word: str) -> tuple:
        """What a one-word phrase names (or the word itself when it is only part of longer phrases)."""
        return tuple(self.phrases.get((word,), ())) or (word,)

    @classmethod
    def from_model(cls, model, protected: frozenset[str] = frozenset()) -> Lexicon:
        entries = [("metric", name, text) for name, m in model.metrics.items()
                   for text in (name, name.replace("_", " "), *m.synonyms)]
        entries += [("metric", name, text) for name, m in model.metrics.items()
                    for said in (name.replace("_", " "), *m.synonyms) for text in _said_after(said)]
        # time dimensions are reached through metric_time and grains, not named directly
        entries += [("dimension", name, text) for name, d in model.dimensions.items()
                    if d.type != "time" for text in (name.replace("_", " "), *d.synonyms)]
        vocabulary = model.spec.vocabulary
        for kind in ("metric", "dimension", "context"):
            entries += [(kind, name, text) for name, texts in getattr(vocabulary.phrases, kind).items()
                        if _known(model, kind, name) for text in texts]
        entries += [("metric", name, text) for name, text in day_window_phrases(model)]
        spend = spend_metric(model, lower_is_better(model))
        if spend is not None:  # "which campaigns spent the least": the model's spend, whatever its name
            verbs, objects = (list(map(str, general_words()[k])) for k in ("spend_words", "spend_objects"))
            entries += [("metric", spend, text) for text in verbs]
            entries += [("metric", spend, f"{verb} on {what}") for verb in verbs for what in objects]
        # "campaigns" for campaign_name: a name dimension answers to what it names
        entries += [("dimension", name, name.removesuffix("_name").replace("_", " ")) for name, d
                    in model.dimensions.items() if name.endswith("_name") and d.type == "categorical"
                    and name.removesuffix("_name") not in model.dimensions]
        if any(family.days for family in families(model)):  # "a week later": how long after, not a grain
            entries += [("context", "horizon", str(text)) for text in general_words()["horizon_phrases"]]
        weak = {text: name for text, name in vocabulary.weak_phrases.items() if name in model.metrics}
        income = income_metric(model)
        if income is not None:  # "money", "what we made": the model's income, unless a phrase says otherwise
            said = {fold(text) for _, _, text in entries} | {fold(text) for text in weak}
            weak |= {str(text): income for text in general_words()["income_words"]
                     if fold(str(text)) not in said}
        entries += [("metric", name, text) for text, name in weak.items()]
        # "hour of day" is also "hour of the day"
        entries += [(kind, name, re.sub(r"\bof\s+(?!the\b)", "of the ", str(text), count=1))
                    for kind, name, text in entries if re.search(r"\w\s+of\s+(?!the\b)\w", str(text))]
        lexicon = cls(entries, protected, tuple(weak))
        lexicon.lower_is_better = lower_is_better(model)
        lexicon.averaged = averaged_metrics(model)
        return lexicon

    def find(self, text: str, blocked: list[tuple[int, int]] = ()) -> list[LexMatch]:
        """Longest phrases first, left to right; words inside ``blocked`` spans are skipped."""
        folded = fold(text)
        # Adverbs inside a phrase do not break it: "people actually paid" is "people paid".
        words = [t for t in tokens(folded) if not _inside(t, blocked) and t.text not in INNER_FILLERS]
        stems = [self._normalized(t.text) for t in words]
        joined = [_joined(folded, a, b) for a, b in itertools.pairwise(words)]
        found, i = [], 0
        while i < len(words):
            match = self._longest_at(words, stems, joined, i)
            if match is None:
                i += 1
                continue
            later = self._ranked_instead(words, stems, joined, i, match)
            if later is not None:  # "worst delay rate": ranking by the delay rate, not the worst delay
                i, match = later
            found.append(match)
            i += match.words
        return found

    def _ranked_instead(self, words, stems, joined, i: int, match: LexMatch) -> tuple[int, LexMatch] | None:
        """A phrase opened by ranking words ("worst delay") that a longer-reaching phrase overlaps
        ("delay rate"): the ranking words rank that phrase instead, so no word is left over."""
        for j in range(i + 1, i + match.words):
            if not all(is_ranking_word(t.text) for t in words[i:j]):
                return None
            later = self._longest_at(words, stems, joined, j)
            if later is not None and j + later.words > i + match.words:
                return j, later
        return None

    def _longest_at(self, words: list[Token], stems: list[tuple[str, bool]], joined: list[bool],
                    i: int) -> LexMatch | None:
        for n in range(min(MAX_PHRASE_WORDS, len(words) - i), 0, -1):
            chunk = words[i:i + n]
            if not all(joined[i:i + n - 1]):
                continue  # words separated by a blanked span are not one phrase
            key = tuple(s for s, _ in stems[i:i + n])
            hits = self.phrases.get(key)
            if hits:
                corrected = any(c for _, c in stems[i:i + n])
                weak = key in self.weak_keys
                return LexMatch(hits[0][0], hits[0][1], chunk[0].start, chunk[-1].end, n, corrected, weak,
                                tuple(hits))
        return None

    def _normalized(self, word: str) -> tuple[str, bool]:
        stemmed = stem(word)
        if stemmed not in self.vocabulary and stem(canonical_word(word)) in self.vocabulary:
            return stem(canonical_word(word)), False  # slang: "ppl" -> "people", "cash" -> "money"
        if stemmed in self.vocabulary or word in self.protected or stemmed in self.protected \
                or len(word) >= 5 and word in english_words():  # a real word is no typo ("places")
            return stemmed, False
        fixed = self._correction(stemmed)
        return (fixed, True) if fixed else (stemmed, False)

    def _correction(self, word: str) -> str | None:
        if word not in self._corrections:
            if (
                len(self._corrections) > _MAX_CACHED_CORRECTIONS
            ):  # a long-running server sees endless new words
                self._corrections.clear()
            budget = typo_budget(word)
            # Typos rarely change the first letter; requiring it keeps "turned" from becoming "burned".
            close = [v for v in self.vocabulary if budget and len(v) >= 4 and v[0] == word[0]
                     and edit_distance(word, v, budget) <= budget]
            # Several close words are fine when they all name the same thing ("contry": country, cntry).
            self._corrections[word] = (
                max(close, key=len) if len({self._meaning(v) for v in close}) == 1 else None
            )
        return self._corrections[word]


_QUALITY = re.compile(r"^(?:[a-z]+(?:ive|ing)|new|unique)$")  # not "delayed": a narrower count


def _said_after(phrase: str) -> list[str]:
    """ "active users" is also "users who were active", "users active": a two-word name whose first
    word describes the second (an adjective or participle) said the other way round."""
    words = fold(phrase).split()
    if len(words) != 2 or not _QUALITY.match(words[0]):
        return []
    quality, noun = words
    links = ("who were", "who are", "who was", "that were", "that are", "were", "are", "was")
    return [f"{noun} {quality}", *(f"{noun} {link} {quality}" for link in links)]


def _known(model, kind: str, name: str) -> bool:
    if kind == "context":
        return True
    return name in (model.metrics if kind == "metric" else model.dimensions)


def _joined(folded: str, a: Token, b: Token) -> bool:
    """Neighbours in one phrase: only a space or two, or inner fillers, between them (not a blanked value)."""
    gap = folded[a.end:b.start]
    inner = tokens(gap)
    if not inner:
        return len(gap) <= 2
    spaces = len(gap) - sum(len(t.text) for t in inner)
    return all(t.text in INNER_FILLERS for t in inner) and spaces <= 2 * (len(inner) + 1)


def _inside(token: Token, blocked) -> bool:
    return any(start <= token.start and token.end <= end for start, end in blocked)
