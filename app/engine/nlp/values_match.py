"""The matchers behind :class:`app.engine.nlp.values.ValueResolver`, each a small pure function.

Phrases (exact values and aliases), version numbers, ids, campaign-name words
and typos each produce raw candidates; :func:`choose` keeps the longest
non-overlapping ones; :func:`negations` and :func:`group_filters` read the
words around them.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from app.engine.nlp.text import Token, edit_distance, fold, overlaps, typo_budget
from app.engine.nlp.values_index import PhraseIndex
from app.engine.nlp.values_words import (
    COMMAND_OBJECTS,
    METRIC_WORDS,
    NOT_FUZZY,
    PAST_TENSE_AFTER,
    PAST_TENSE_BEFORE,
    PAST_TENSE_VALUES,
    PLACE_PREPOSITIONS,
    RUN_STOPWORDS,
    SUBJECT_WORDS,
    VERB_VALUES,
    VERSION_CUES,
)

_JOINABLE_GAP = re.compile(r"[\s_\-./'&]*|,")  # "iPhone15,2" is one value
SCORES = {"exact": 1.0, "alias": 0.95, "pattern": 1.0, "name": 0.9}


@dataclass(frozen=True)
class Raw:
    start: int
    end: int
    dimension: str
    value: str
    source: str
    score: float


def _joined(words: list[Token], text: str) -> bool:
    return all(_JOINABLE_GAP.fullmatch(text[a.end:b.start]) for a, b in itertools.pairwise(words))


def _singular(word: str) -> str | None:
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return None


def _lookup(index: PhraseIndex, key: tuple[str, ...]) -> tuple[list, float]:
    if key in index.phrases:
        return index.phrases[key], 1.0
    singular = _singular(key[-1])
    if singular and key[:-1] + (singular,) in index.phrases:
        return index.phrases[key[:-1] + (singular,)], 0.95
    return [], 0.0


def match_phrases(index: PhraseIndex, words: list[Token], original: str) -> list[Raw]:
    found = []
    for i in range(len(words)):
        for length in range(min(index.longest, len(words) - i), 0, -1):
            span = words[i:i + length]
            entries, factor = _lookup(index, tuple(w.text for w in span))
            if not entries or not _joined(span, original):
                continue
            written = original[span[0].start:span[-1].end]
            for entry in entries:
                if entry.capitals is not None and not _written_in_capitals(
                    entry, written, words, i, original
                ):
                    continue
                if length == 1 and _used_as_verb(words, i, index.metric_words):
                    continue
                if entry.source == "name" and _in_a_compound(original, span[0].start, span[-1].end):
                    continue  # "long-haul flights": not "Long Beach"
                if factor < 1 and entry.source == "name":
                    continue  # "pairs" is no plural of a name's own word (PAIR of "PAIR MIKE E")
                found.append(Raw(span[0].start, span[-1].end, entry.dimension, entry.value, entry.source,
                                 SCORES[entry.source] * factor))
    return found


# Words a person puts inside an event's name without changing it ("added something to cart", "added
# items to their cart"): only these may sit between the words of a multi-word value.
_FILLER = frozenset({"something", "some", "stuff", "things", "thing", "items", "item", "products", "product",
                     "a", "an", "the", "their", "its", "his", "her", "my", "our"})
_MAX_FILLER = 2


def light_root(word: str) -> str:
    """A word without its inflection, enough to compare "added" with "add", "leveled" with "level",
    "carts" with "cart": -ing, -ed, -es/-s, a doubled final consonant, a final e."""
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix) and not word.endswith("ss"):
            word = word[: -len(suffix)]
            if suffix in ("ing", "ed") and len(word) > 3 and word[-1] == word[-2]:
                word = word[:-1]  # "logged" -> "log"
            break
    return word.removesuffix("e") if len(word) > 3 else word


def match_loose_phrases(index: PhraseIndex, words: list[Token], raw: list[Raw]) -> list[Raw]:
    """A value of two or three words written inflected or with a filler inside: "added something to
    cart" (add_to_cart), "leveled up" (level_up). Each word of the value in order, compared without
    its inflection, with at most two filler words in all; words another matcher took are left."""
    taken = [(r.start, r.end) for r in raw]
    found = []
    for key, entries in index.loose_keys(light_root).items():
        for i, word in enumerate(words):
            if light_root(word.text) != key[0]:
                continue
            end = _loose_end(words, i, key)
            if end is None or overlaps((word.start, words[end].end), taken):
                continue
            written = words[i:end + 1]
            if len(written) == len(key) and all(w.text == k for w, k in zip(written, key, strict=True)):
                continue  # written exactly: the exact matcher decided about it
            found += [Raw(word.start, words[end].end, e.dimension, e.value, "alias", SCORES["alias"] * 0.9)
                      for e in entries if e.capitals is None]
    return found


def _loose_end(words: list[Token], i: int, key: tuple[str, ...]) -> int | None:
    """The index of the word ending ``key`` read loosely from ``words[i]``, else None."""
    at, skipped = i, 0
    for part in key[1:]:
        at += 1
        while at < len(words) and light_root(words[at].text) != part:
            if words[at].text not in _FILLER or skipped == _MAX_FILLER:
                return None
            skipped += 1
            at += 1
        if at >= len(words):
            return None
    return at


def _in_a_compound(original: str, start: int, end: int) -> bool:
    """The word is one part of a hyphenated word ("long-haul", "new-user")."""
    before = original[start - 2:start] if start >= 2 else ""
    after = original[end:end + 2]
    return bool(re.fullmatch(r"[A-Za-z]-", before) or re.fullmatch(r"-[A-Za-z]", after))


def _written_in_capitals(entry, written: str, words: list[Token], i: int, original: str) -> bool:
    """"US" but not "us"; in a question all in capitals only after "the" ("THE US")."""
    if written != entry.capitals:
        return False
    previous = words[i - 1].text if i > 0 else ""
    if written == "ID" and previous not in PLACE_PREPOSITIONS:
        return False  # "campaign ID", "user ID": Indonesia only as a place ("installs in ID")
    shouting = not any(c.islower() for c in original)
    return not shouting or (i > 0 and words[i - 1].text == "the")


def _used_as_verb(words: list[Token], i: int, metric_words: frozenset[str] = frozenset()) -> bool:
    """"display revenue by country": the command, not the display channel; "we paid", not paid users."""
    previous = words[i - 1].text if i > 0 else ""
    following = words[i + 1].text if i + 1 < len(words) else ""
    if words[i].text in PAST_TENSE_VALUES and (
            previous in SUBJECT_WORDS or previous in PAST_TENSE_BEFORE or following in PAST_TENSE_AFTER):
        return True
    if words[i].text not in VERB_VALUES:
        return False
    return following in COMMAND_OBJECTS or (i == 0 and following in METRIC_WORDS | metric_words)


def match_numeric(index: PhraseIndex, words: list[Token]) -> list[Raw]:
    """Version numbers ("iOS 17.5", "Android 14", "os version 15"): only after a version cue."""
    found = []
    for previous, word in itertools.pairwise(words):
        if previous.text in VERSION_CUES and word.text in index.numeric:
            found += [
                Raw(word.start, word.end, e.dimension, e.value, "exact", 1.0)
                for e in index.numeric[word.text]
            ]
    return found


def match_ids(index: PhraseIndex, folded: str) -> list[Raw]:
    """Ids too many to list, by the model's ``vocabulary.value_patterns`` ("c012": a campaign id)."""
    return [Raw(m.start(), m.end(), dimension, m.group(), "pattern", 1.0)
            for dimension, pattern in index.patterns.items() for m in pattern.finditer(folded.lower())]


def match_name_words(index: PhraseIndex, words: list[Token], raw: list[Raw]) -> list[Raw]:
    """"Lookalike campaigns", "the TikTok Spark campaign": composite names (of the dimension the noun
    names) that hold those words."""
    found = []
    for i, word in enumerate(words):
        dimension = index.nouns.get(word.text) or index.nouns.get(word.text.removesuffix("s"))
        if dimension is not None:
            # a metric word ends a run of name words unless names hold it ("FB_iOS_US_Installs")
            stops = RUN_STOPWORDS | (index.metric_words - index.name_words(dimension))
            found += _names_before(index, dimension, _run_before(words, i, stops), raw)
            found += _names_before(index, dimension, _run_after_naming(words, i, stops), raw)
    return found


def _run_after_naming(words: list[Token], i: int, stops: frozenset[str]) -> list[Token]:
    """"campaigns named Lookalike", "campaigns containing Spark": the words after the naming verb."""
    if i + 2 >= len(words) or words[i + 1].text not in ("named", "called", "titled", "containing", "like"):
        return []
    run: list[Token] = []
    for word in words[i + 2:i + 7]:
        if word.text in stops:
            break
        run.append(word)
    return run


def _run_before(words: list[Token], i: int, stops: frozenset[str]) -> list[Token]:
    run: list[Token] = []
    for word in reversed(words[max(0, i - 5):i]):
        if word.text in stops:
            break
        run.insert(0, word)
    return run


def _names_before(index: PhraseIndex, dimension: str, run: list[Token], raw: list[Raw]) -> list[Raw]:
    attributes = {(r.start, r.end) for r in raw if r.dimension != dimension}
    for first in range(len(run)):
        words = run[first:]
        if all((w.start, w.end) in attributes for w in words):
            return []  # "Facebook campaigns" is the media source, not a list of campaigns
        names = [n for n, ws in index.names[dimension].items() if {w.text for w in words} <= ws]
        if 0 < len(names) <= 12:
            score = 0.9 if len(names) == 1 else 0.7
            return [Raw(words[0].start, words[-1].end, dimension, n, "fuzzy", score) for n in sorted(names)]
    return []


def match_fuzzy(index: PhraseIndex, words: list[Token], raw: list[Raw]) -> list[Raw]:
    """Typos of single-word values ("facebok", "andriod", "germnay") and of composite names."""
    found = _fuzzy_names(index, words)
    taken = [(r.start, r.end) for r in raw + found]
    for word in words:
        if len(word.text) < 5 or not word.text.isalpha() or word.text in NOT_FUZZY:
            continue
        if (word.text,) in index.phrases or word.text in VERB_VALUES:
            continue  # a known phrase the exact matcher deliberately passed over ("display revenue")
        if overlaps((word.start, word.end), taken):
            continue
        found += _closest(index, word)
    return found


def _fuzzy_names(index: PhraseIndex, words: list[Token]) -> list[Raw]:
    """"Facebok_iOS_US_Advantage": a campaign name with a typo or two, word for word.

    It may cover words other matchers took ("iOS", "US"): the longer reading wins in :func:`choose`.
    """
    found = []
    windows: dict[int, list[tuple[str, int, int]]] = {}
    for key, names in index.name_keys().items():
        if len(key) not in windows:
            windows[len(key)] = [(" ".join(w.text for w in words[i:i + len(key)]), words[i].start,
                                  words[i + len(key) - 1].end) for i in range(len(words) - len(key) + 1)]
        target = " ".join(key)
        for text, start, end in windows[len(key)]:
            if text[0] != target[0] or abs(len(text) - len(target)) > 2:
                continue  # cheap checks first: most windows are nowhere near a name
            distance = edit_distance(text, target, 2)
            if 0 < distance <= 2:
                score = 0.9 * (1 - distance / len(target))
                found += [Raw(start, end, e.dimension, e.value, "fuzzy", score) for e in names]
    return found


def _closest(index: PhraseIndex, word: Token) -> list[Raw]:
    scored = []
    for key, entries in index.phrases.items():
        phrase = key[0]
        if len(key) != 1 or len(phrase) < 5 or phrase[0] != word.text[0]:
            continue
        distance = edit_distance(word.text, phrase, typo_budget(phrase))
        if distance <= typo_budget(phrase):
            # a typo of a whole value or alias ("facebok"); a word inside a longer name ("generation" of
            # "iPad Air (5th generation)") takes one slip only ("untied"), not another word ("generate")
            scored += [(distance, e) for e in entries if e.capitals is None
                       and (e.source != "name" or (distance <= 1 and _whole_word_of(phrase, e.value)))]
    if not scored:
        return []
    best = min(d for d, _ in scored)
    values = {(e.dimension, e.value) for d, e in scored if d == best}
    score = 1.0 - best / max(len(word.text), 1)
    return [Raw(word.start, word.end, dim, value, "fuzzy", score * 0.9) for dim, value in sorted(values)]


def _whole_word_of(word: str, value: str) -> bool:
    """ "united" is a word of "United Air Lines Inc."; "generat" (a leading part kept for typing) is not."""
    return word in re.split(r"[^0-9a-z]+", fold(value))


def choose(raw: list[Raw], folded: str, index: PhraseIndex | None = None) -> list[Raw]:
    """Longest phrases first; matches on exactly the same words are kept together (ambiguity)."""
    # a name's own word ("Facebook" of "Facebook Ads") rivals a value of another dimension spelled so
    order = {"exact": 0, "pattern": 0, "name": 0, "alias": 1, "fuzzy": 2}
    taken: dict[tuple[int, int], int] = {}  # span -> rank of the source that took it
    chosen: dict[tuple[int, int, str, str], Raw] = {}
    for r in sorted(raw, key=lambda r: (r.start - r.end, order[r.source], -r.score, r.start)):
        span, rank = (r.start, r.end), order[r.source]
        # Rival readings of the same words stay only if as good: a typo reading never joins an exact one.
        if taken.get(span, rank) == rank and (span in taken or not overlaps(span, list(taken))):
            taken[span] = rank
            chosen.setdefault((r.start, r.end, r.dimension, r.value), r)
    kept = sorted(chosen.values(), key=lambda r: r.start)
    if index is not None and index.same:
        kept = _one_of_the_same(kept, folded, index)
    return _settle_ambiguous(kept, folded, index.cues if index is not None else {})


_FROM = frozenset({"from", "of", "leaving", "departing", "left", "out"})
# "bound for" heads somewhere; a bare "for" ("just for LaGuardia") says nothing about the direction
_HEADING = re.compile(r"\b(?P<word>from|out\s+of|leaving|departing|left|to|into|towards?|arriving\s+at|"
                      r"arriving\s+in|bound\s+for)\s+(?:the\s+)?$")


def _one_of_the_same(kept: list[Raw], folded: str, index: PhraseIndex) -> list[Raw]:
    """The same rows read twice (the media source organic and the acquisition type organic, computed
    from it): one reading stays -- the plain dimension's when the question names that dimension
    ("by media source, organic included"), else the computed one's ("paid vs organic")."""
    dropped = set()
    for r in kept:
        twins = [o for o in kept if (o.start, o.end, o.value) == (r.start, r.end, r.value)
                 and o.dimension != r.dimension]
        if (r.dimension, r.value) not in index.same or not twins:
            continue
        named = r.dimension in index.cues and index.cues[r.dimension][0].search(folded)
        dropped |= {(t.dimension, t.start) for t in twins} if named else {(r.dimension, r.start)}
    return [r for r in kept if (r.dimension, r.start) not in dropped]


def _settle_ambiguous(matches: list[Raw], folded: str, cues: dict) -> list[Raw]:
    """"video ads" is the ad format, "video channel" the channel; with no cue both stay, at half score.
    ``cues``: {dimension: (words near a value, words right after it, direction)}
    (``values_index.dimension_cues``)."""
    result = []
    for r in matches:
        rivals = [o for o in matches if (o.start, o.end) == (r.start, r.end) and o.dimension != r.dimension]
        if not rivals:
            result.append(r)
            continue
        near = folded[max(0, r.start - 20):r.end + 25]
        rival_dims = {r.dimension, *(o.dimension for o in rivals)}
        cued = [d for d in rival_dims
                if d in cues and (cues[d][0].search(near) or cues[d][1].match(folded[r.end:]))]
        heading = _HEADING.search(folded[:r.start])
        directions = {cues[d][2] for d in rival_dims if d in cues}
        if len(cued) != 1 and heading is not None and {"from", "to"} <= directions:
            # an origin and a destination: "from LaGuardia" is the origin, "to LaGuardia" the destination
            direction = "from" if heading["word"].split()[0] in _FROM else "to"
            cued = [d for d in rival_dims if d in cues and cues[d][2] == direction]
        if len(cued) == 1:
            if cued[0] == r.dimension:
                result.append(r)
        else:
            result.append(Raw(r.start, r.end, r.dimension, r.value, r.source, r.score * 0.5))
    return result
