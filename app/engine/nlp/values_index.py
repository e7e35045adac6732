"""The phrase table behind value resolution: normalized words -> (dimension, value).

Built from the warehouse's distinct values (``SchemaColumn.values``), extra
values fetched for high-cardinality dimensions (campaign names), and the
aliases: the model's ``vocabulary:`` block and the country names of ``countries.yaml`` (for any
dimension of ISO country codes). Column names become the semantic layer's
dimension names when a model is given (``campaigns.media_source`` and
``installs.platform`` -> ``media_source``, ``platform``).
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

import yaml

from app.engine.nlp.text import normalize

COUNTRIES_PATH = Path(__file__).with_name("countries.yaml")
_ISO_SHARE = 0.8  # a dimension is one of country codes when this share of its values are codes
# Short aliases that are also English words match only when written in capitals.
ENGLISH_SHORT_WORDS = frozenset({
    "us", "in", "it", "is", "at", "be", "no", "my", "id", "co", "me", "do", "go", "so", "or", "an", "as",
    "on", "to", "of", "by", "up", "he", "we", "am", "hi", "ok", "ie", "es", "sa", "pe", "ar", "il", "ch",
    "th", "se", "fi", "ig",
})
GROUPS_KEY = "groups"  # an alias table's phrases naming several values ("Europe")
_NUMERIC = re.compile(r"\d+(?:\.\d+)*")
# A name's own word stands for it ("United" for "United Air Lines Inc.") only in a short list of
# names: in a list of thousands, ordinary words ("Love", "Hope") name something too.
NAME_WORDS_MAX_VALUES = 300
_MIN_NAME_WORD = 4


@dataclass(frozen=True)
class Entry:
    dimension: str
    value: str
    source: str  # "exact" (a warehouse value), "alias", or "name" (a word only one name has)
    capitals: str | None = None  # the question must write it exactly so ("US")


@dataclass
class PhraseIndex:
    phrases: dict[tuple[str, ...], list[Entry]] = field(default_factory=lambda: defaultdict(list))
    known: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    numeric: dict[str, list[Entry]] = field(default_factory=lambda: defaultdict(list))
    campaigns: dict[str, frozenset[str]] = field(default_factory=dict)  # name -> its words
    longest: int = 1
    _campaign_keys: dict | None = field(default=None, repr=False)

    def add(self, phrase: str, entry: Entry) -> None:
        words = tuple(normalize(phrase).split())
        if not words or entry in self.phrases[words]:
            return
        self._campaign_keys = None
        self.phrases[words].append(entry)
        self.longest = max(self.longest, len(words))

    def add_value(self, dimension: str, value: str) -> None:
        self.known[dimension].add(value)
        if _NUMERIC.fullmatch(value.strip()):  # "14", "18.5": only after "iOS", "version", ...
            self.numeric[value.strip()].append(Entry(dimension, value, "exact"))
            return
        self.add(value, _entry(dimension, value, value, "exact"))
        if dimension == "campaign_name":
            self._add_campaign(value)

    def campaign_keys(self) -> dict[tuple[str, ...], list[Entry]]:
        """Phrases of three or more words naming campaigns (for typo matching)."""
        if self._campaign_keys is None:
            self._campaign_keys = {
                key: names for key, entries in self.phrases.items()
                if len(key) >= 3 and (names := [e for e in entries if e.dimension == "campaign_name"])
            }
        return self._campaign_keys

    def _add_campaign(self, name: str) -> None:
        spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name)  # AppleSearchAds_iOS -> Apple Search Ads_i OS
        spaced = spaced.replace("i OS", "iOS")
        self.add(spaced, Entry("campaign_name", name, "alias"))
        self.campaigns[name] = frozenset(normalize(spaced).split()) | frozenset(normalize(name).split())


def _entry(dimension: str, value: str, phrase: str, source: str) -> Entry:
    words = normalize(phrase)
    capitals = phrase.strip() if words in ENGLISH_SHORT_WORDS else None
    return Entry(dimension, value, source, capitals)


@cache
def _countries() -> dict:
    return yaml.safe_load(COUNTRIES_PATH.read_text(encoding="utf-8"))


def country_dimensions(values: Mapping[str, Iterable[str]], model=None) -> list[str]:
    """Dimensions holding ISO country codes: by their values, or by name when no values are listed."""
    codes = set(_countries()["codes"])
    found = []
    for dimension, listed in values.items():
        listed = {str(v) for v in listed}
        if len(listed) >= 2 and sum(v in codes for v in listed) >= _ISO_SHARE * len(listed):
            found.append(dimension)
    if model is not None:
        found += [name for name, dim in model.dimensions.items()
                  if name not in values and "country" in name.lower() and dim.type == "categorical"]
    return found


def load_aliases(values: Mapping[str, Iterable[str]] | None = None, model=None) -> dict:
    """The alias table: the model's vocabulary values and groups, plus country names for every
    dimension of country codes."""
    table: dict = model.spec.vocabulary.aliases() if model is not None else {GROUPS_KEY: []}
    countries = _countries()
    for dimension in country_dimensions(values or {}, model):
        by_value = table.setdefault(dimension, {})
        for code, names in countries["codes"].items():
            by_value[str(code)] = [*map(str, names), *by_value.get(str(code), ())]
        table[GROUPS_KEY] = [*table[GROUPS_KEY],
                             *({**g, "dimension": dimension} for g in countries["groups"])]
    return table


_PLAIN_COLUMN = re.compile(r'\w+|"([^"]+)"|`([^`]+)`')


def column_dimensions(model) -> dict[tuple[str, str], str]:
    """``(table, column) -> dimension`` for categorical dimensions that are plain columns (quoted
    names too: ``"Media Source"``)."""
    mapping = {}
    for table in model.spec.semantic_models:
        for dim in table.dimensions:
            plain = _PLAIN_COLUMN.fullmatch(dim.column_expr.strip())
            if table.table and dim.type == "categorical" and plain:
                column = plain.group(1) or plain.group(2) or plain.group(0)
                mapping[(table.table.lower(), column.lower())] = dim.name
    return mapping


def schema_values(schema, model=None) -> dict[str, set[str]]:
    """Distinct values per dimension from the schema's listed column values."""
    mapping = column_dimensions(model) if model is not None else None
    found: dict[str, set[str]] = defaultdict(set)
    for table in schema.tables.values():
        for column in table.columns:
            key = (table.name.lower(), column.name.lower())
            dimension = column.name if mapping is None else mapping.get(key)
            if dimension and column.values:
                found[dimension].update(column.values)
    return found


def build_index(
    values: Mapping[str, Iterable[str]], aliases: Mapping[str, Mapping[str, list]],
    common_words: frozenset[str] = frozenset(),
) -> PhraseIndex:
    index = PhraseIndex()
    for dimension, listed in values.items():
        for value in listed:
            index.add_value(dimension, str(value))
    _codes_that_are_words(index, common_words)
    for dimension, by_value in aliases.items():
        if dimension == GROUPS_KEY:
            continue
        for value, phrases in (by_value or {}).items():
            for phrase in [str(value), *map(str, phrases or ())]:
                index.add(phrase, _entry(dimension, str(value), phrase, "alias"))
    for group in aliases.get(GROUPS_KEY) or ():
        _add_group(index, group)
    for dimension, listed in values.items():
        # a word that already names a value of this dimension, or is anyone's alias, stays theirs;
        # another dimension's value of that spelling becomes a rival ("Facebook": channel or source)
        taken = {words for words, entries in index.phrases.items()
                 if any(e.dimension == dimension or e.source == "alias" for e in entries)}
        _add_name_words(index, dimension, [str(v) for v in listed], common_words, taken)
    return index


def _add_name_words(index: PhraseIndex, dimension: str, listed: list[str], common: frozenset[str],
                    taken: set) -> None:
    """Names of several words ("United Air Lines Inc.", "La Guardia") answer to a word only one of
    them has ("united") and to their first two words written as one ("laguardia")."""
    if not 2 <= len(listed) <= NAME_WORDS_MAX_VALUES:
        return
    worded = {value: words for value in listed if len(words := _name_words(value)) >= 2}
    holders: dict[str, set[str]] = defaultdict(set)
    # an id ("tiktokglobal_int", "America/New_York") answers to its first part only
    worded = {v: (words if " " in v.strip() else words[:1]) for v, words in worded.items()}
    for value, words in worded.items():
        for word in {p for w in words for p in _prefixes(w)}:
            holders[word].add(value)
    for value, words in worded.items():
        for word in dict.fromkeys(p for w in words for p in _prefixes(w)):
            if (len(holders[word]) == 1 and len(word) >= _MIN_NAME_WORD and word.isalpha()
                    and word not in common and (word,) not in taken):
                index.add(word, Entry(dimension, value, "name"))
        if " " not in value.strip():
            continue  # "tiktokglobal_int": an id; its words are not a name written apart
        joined = words[0] + words[1] if len(words) >= 2 else ""
        if joined.isalpha() and (joined,) not in taken:
            index.add(joined, Entry(dimension, value, "name"))


def _codes_that_are_words(index: PhraseIndex, common: frozenset[str]) -> None:
    """A code written in capitals that is also a common word ("DAY", Dayton's airport) is that code
    only when the question writes it in capitals: "busiest days" is not Dayton."""
    for key, entries in index.phrases.items():
        if len(key) == 1 and key[0] in common:
            index.phrases[key] = [replace(e, capitals=e.value) if e.source == "exact" and _is_code(e.value)
                                  else e for e in entries]


def _is_code(value: str) -> bool:
    return 2 <= len(value) <= 4 and value.isalpha() and value.isupper()


def model_words(model) -> frozenset[str]:
    """Words of the model's metric and dimension names and synonyms (and their plain plurals)."""
    texts = [*model.metrics, *model.dimensions]
    texts += [s for m in model.metrics.values() for s in m.synonyms]
    texts += [s for d in model.dimensions.values() for s in d.synonyms]
    words = {w for t in texts for w in re.split(r"[\W_]+", t.lower()) if w}
    return frozenset(words | {w.removesuffix("s") for w in words})


def _name_words(value: str) -> list[str]:
    """ "United Air Lines Inc." -> united, air, lines, inc; "tiktokglobal_int" -> tiktokglobal, int."""
    return [w for w in re.split(r"[^0-9a-z]+", normalize(value)) if w]


def _prefixes(word: str) -> list[str]:
    """A long word and its leading parts of five letters or more: "tiktokglobal" is also "tiktok"."""
    return [word] + [word[:n] for n in range(5, len(word) - 2)] if len(word) >= 8 else [word]


def _add_group(index: PhraseIndex, group: Mapping) -> None:
    """A phrase for several values: listed ones (those in the data, if any) or all known with a prefix."""
    dimension = group["dimension"]
    known = index.known.get(dimension) or set()
    members = [str(v) for v in group.get("values") or ()]
    prefixes = tuple(str(p) for p in group.get("prefixes") or ())
    if prefixes:
        members = sorted(v for v in known if v.startswith(prefixes))
    present = [v for v in members if v in known] or members
    for phrase in map(str, group["phrases"]):
        for value in present:
            index.add(phrase, _entry(dimension, value, phrase, "alias"))
