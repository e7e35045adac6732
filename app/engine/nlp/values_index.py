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
    # dimensions of composite names ("Facebook_iOS_US_Lenses"): {dimension: {name: its words}}, and
    # the noun each is called by ("campaign" for campaign_name)
    names: dict[str, dict[str, frozenset[str]]] = field(default_factory=dict)
    nouns: dict[str, str] = field(default_factory=dict)
    cues: dict[str, tuple[re.Pattern, re.Pattern, str | None]] = field(default_factory=dict)  # dimension_cues
    patterns: dict[str, re.Pattern] = field(default_factory=dict)  # vocabulary.value_patterns
    metric_words: frozenset[str] = frozenset()  # words of the model's metric names and synonyms
    same: frozenset[tuple[str, str]] = frozenset()  # values a computed one equals (same_values)
    longest: int = 1
    _name_keys: dict | None = field(default=None, repr=False)
    _loose_keys: dict | None = field(default=None, repr=False)

    def add(self, phrase: str, entry: Entry) -> None:
        words = tuple(normalize(phrase).split())
        if not words or entry in self.phrases[words]:
            return
        self._name_keys = self._loose_keys = None
        self.phrases[words].append(entry)
        self.longest = max(self.longest, len(words))

    def add_value(self, dimension: str, value: str) -> None:
        self.known[dimension].add(value)
        if _NUMERIC.fullmatch(value.strip()):  # "14", "18.5": only after "iOS", "version", ...
            self.numeric[value.strip()].append(Entry(dimension, value, "exact"))
            return
        self.add(value, _entry(dimension, value, value, "exact"))

    def name_keys(self) -> dict[tuple[str, ...], list[Entry]]:
        """Phrases of three or more words naming composite names (for typo matching)."""
        if self._name_keys is None:
            self._name_keys = {
                key: found for key, entries in self.phrases.items()
                if len(key) >= 3 and (found := [e for e in entries if e.dimension in self.names])
            }
        return self._name_keys

    def loose_keys(self, rooted) -> dict[tuple[str, ...], list[Entry]]:
        """Phrases of two or three words of categorical values and aliases, each word reduced by
        ``rooted`` (for values written inflected: "added to cart"); phrases of composite names and
        numbers are left out."""
        if self._loose_keys is None:
            keys: dict[tuple[str, ...], list[Entry]] = defaultdict(list)
            for key, entries in self.phrases.items():
                if 2 <= len(key) <= 3 and not any(w.isdigit() for w in key):
                    kept = [e for e in entries
                            if e.dimension not in self.names and e.source in ("exact", "alias")]
                    keys[tuple(rooted(w) for w in key)] += kept
            self._loose_keys = {k: v for k, v in keys.items() if v}
        return self._loose_keys

    def name_words(self, dimension: str) -> frozenset[str]:
        """Every word of a composite-name dimension's names."""
        return frozenset().union(*self.names.get(dimension, {}).values())

    def add_composite_names(self) -> None:
        """Dimensions whose values are names made of parts ("Facebook_iOS_US_Lenses", "FB_iOS_US_Purchase"):
        each name answers to its parts spaced out, and "Lenses campaigns" to the names holding "lenses"."""
        for dimension, listed in list(self.known.items()):
            # identifiers made of parts, not names written with spaces ("American Airlines Inc.")
            parts = [_parts(v) if not re.search(r"\s", v.strip()) else [] for v in listed]
            if len(listed) < _COMPOSITE_MIN_VALUES or sum(len(p) >= 3 for p in parts) < 0.6 * len(listed):
                continue
            self.names[dimension] = {}
            noun = dimension.removesuffix("_name").replace("_", " ").split()[-1]
            self.nouns.setdefault(noun, dimension)
            for value in sorted(listed):
                spaced = " ".join(_parts(value))
                self.add(spaced, Entry(dimension, value, "alias"))
                self.names[dimension][value] = frozenset(normalize(spaced).split()) | frozenset(
                    normalize(value).split())


_COMPOSITE_MIN_VALUES = 5


def _parts(value: str) -> list[str]:
    """ "AppleSearchAds_iOS_US" -> Apple, Search, Ads, iOS, US: split at separators and where a word
    starts with a capital after two lower-case letters (so "iOS" stays one word)."""
    spaced = re.sub(r"(?<=[a-z]{2})(?=[A-Z])", " ", value)
    return [p for p in re.split(r"[\s_\-/|.]+", spaced) if p]


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
    """The alias table: the model's vocabulary values and groups, values glossed in a dimension's
    description ("googleadwords_int (Google Ads)"), plus country names for every dimension of
    country codes."""
    table: dict = model.spec.vocabulary.aliases() if model is not None else {GROUPS_KEY: []}
    for dimension, glosses in (_glossed(model, values or {}) if model is not None else {}).items():
        by_value = table.setdefault(dimension, {})
        for value, gloss in glosses:
            by_value[value] = [*by_value.get(value, ()), gloss]
    countries = _countries()
    for dimension in country_dimensions(values or {}, model):
        by_value = table.setdefault(dimension, {})
        for code, names in countries["codes"].items():
            by_value[str(code)] = [*map(str, names), *by_value.get(str(code), ())]
        table[GROUPS_KEY] = [*table[GROUPS_KEY],
                             *({**g, "dimension": dimension} for g in countries["groups"])]
    return table


_GLOSS = re.compile(r"'?(?P<value>[\w.\-/]+)'?\s*\((?P<gloss>[^()]{2,40})\)")


def _glossed(model, values: Mapping[str, Iterable[str]]) -> dict[str, list[tuple[str, str]]]:
    """{dimension: [(value, gloss)]} for "value (gloss)" in its description, when the value is one of
    its values and the gloss is words, not a note ("(NULL for organic installs)")."""
    found: dict[str, list[tuple[str, str]]] = {}
    for name, dim in model.dimensions.items():
        known = {str(v) for v in values.get(name, ())}
        for match in _GLOSS.finditer(dim.description or ""):
            value, gloss = match["value"], match["gloss"].strip()
            if value in known and value.lower() != gloss.lower() and len(gloss.split()) <= 4 \
                    and not re.search(r"[=<>;:,]|\b(?:null|e\.g|i\.e|when|if)\b", gloss, re.IGNORECASE):
                found.setdefault(name, []).append((value, gloss))
    return found


_PLAIN_COLUMN = re.compile(r'\w+|"([^"]+)"|`([^`]+)`')


def column_dimensions(model) -> dict[tuple[str, str], str]:
    """``(table, column) -> dimension`` for categorical dimensions that are plain columns (quoted
    names too: ``"Media Source"``)."""
    mapping = {}
    for table in model.spec.semantic_models:
        for dim in table.dimensions:
            column = plain_column(dim.column_expr)
            if table.table and dim.type == "categorical" and column is not None:
                mapping[(table.table.lower(), column.lower())] = dim.name
    return mapping


def referenced_keys(model) -> dict[str, tuple[str, list[tuple[str, str]]]]:
    """{dimension: (its table's key column, [(fact table, foreign key column), ...])} for dimensions of a
    reference table other tables point at (airports, pointed at by flights.origin): the values in
    use are those of rows some fact references. Columns are unquoted names."""
    found = {}
    for table in model.spec.semantic_models:
        key = next((plain_column(e.column_expr) for e in table.entities if e.type == "primary"), None)
        if key is None or not table.table:
            continue
        primary = next(e.name for e in table.entities if e.type == "primary")
        facts = [(other.table, fk) for other in model.spec.semantic_models
                 if other is not table and other.table for e in other.entities
                 if e.type == "foreign" and e.name == primary
                 and (fk := plain_column(e.column_expr)) is not None]
        for dim in table.dimensions:
            if facts and dim.type == "categorical":
                found[dim.name] = (key, facts)
    return found


def plain_column(expr: str) -> str | None:
    """The column an expression is, unquoted (``"Media Source"`` -> Media Source), or None."""
    plain = _PLAIN_COLUMN.fullmatch(expr.strip())
    return (plain.group(1) or plain.group(2) or plain.group(0)) if plain else None


def case_values(model, dim: str) -> tuple[str, ...]:
    """A computed dimension's values written in its CASE expression ("CASE WHEN campaign_id IS NULL
    THEN 'organic' ELSE 'paid' END" -> organic, paid), in order; () for any other expression."""
    for table in model.spec.semantic_models:
        for d in table.dimensions:
            if d.name == dim and re.match(r"(?is)\s*case\b", d.expr or ""):
                return tuple(dict.fromkeys(re.findall(r"(?i)\b(?:then|else)\s+'([^']+)'", d.expr)))
    return ()


def same_values(model) -> frozenset[tuple[str, str]]:
    """(plain dimension, value) pairs whose rows a computed dimension's same value holds exactly:
    "CASE WHEN "Media Source" = 'organic' THEN 'organic' ..." makes the media source organic the
    acquisition type organic, so "organic" is not ambiguous between them (read as the computed one,
    whose other values are its alternatives: "paid vs organic")."""
    found = set()
    for table in model.spec.semantic_models:
        columns = {d.column_expr.strip().lower(): d.name for d in table.dimensions}
        for d in table.dimensions:
            if not re.match(r"(?is)\s*case\b", d.expr or ""):
                continue
            for column, tested, value in re.findall(
                    r"(?is)\bwhen\s+(.+?)\s*=\s*'([^']+)'\s+then\s+'([^']+)'", d.expr):
                other = columns.get(column.strip().lower())
                if other is not None and other != d.name and tested == value:
                    found.add((other, value))
    return frozenset(found)


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
    for name, dim in (model.dimensions.items() if model is not None else ()):
        if dim.type == "categorical" and (listed := case_values(model, name)):
            found[name].update(listed)  # computed from other columns: no column lists them
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
            # a value named by a bare number ("3": a cluster) answers to its aliases only ("cluster 3"):
            # alone, "top 3" or "in may? top 3" is a count, not that value
            own = [] if str(value).strip().isdigit() else [str(value)]
            for phrase in [*own, *map(str, phrases or ())]:
                entry = _entry(dimension, str(value), phrase, "alias")
                if phrase in own and _is_code(phrase) and normalize(phrase) in common_words:
                    entry = replace(entry, capitals=phrase)  # listed with aliases, "DAY" is still a code
                index.add(phrase, entry)
    for group in aliases.get(GROUPS_KEY) or ():
        _add_group(index, group)
    index.add_composite_names()
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
    them has ("united"), to their first two words written as one ("laguardia") and, when no other
    name starts so, to those two words ("american airlines")."""
    if not 2 <= len(listed) <= NAME_WORDS_MAX_VALUES:
        return
    worded = {value: words for value in listed if len(words := _name_words(value)) >= 2}
    holders: dict[str, set[str]] = defaultdict(set)
    # an id ("tiktokglobal_int", "America/New_York") answers to its first part only
    worded = {v: (words if " " in v.strip() else words[:1]) for v, words in worded.items()}
    for value, words in worded.items():
        for word in {p for w in words for p in _prefixes(w)}:
            holders[word].add(value)
    # "American Airlines" for "American Airlines Inc.": a name's first two words, when no other has them
    pairs: dict[tuple[str, str], set[str]] = defaultdict(set)
    for value, words in worded.items():
        if " " in value.strip() and len(words) >= 3:
            pairs[(words[0], words[1])].add(value)
    for (first, second), holding in pairs.items():
        if len(holding) == 1 and (first, second) not in taken:
            index.add(f"{first} {second}", Entry(dimension, next(iter(holding)), "name"))
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
    # "ASA" for Apple Search Ads: a name of three or more words answers to its initials, when no other
    # name of the dimension has them and they are no common word
    initials: dict[str, set[str]] = defaultdict(set)
    for value, words in worded.items():
        if " " in value.strip() and len(words) >= 3 and all(w.isalpha() for w in words):
            initials["".join(w[0] for w in words)].add(value)
    for letters, holding in initials.items():
        free = (letters,) not in taken and (letters,) not in index.phrases
        if len(holding) == 1 and letters not in common and free:
            index.add(letters, Entry(dimension, next(iter(holding)), "name"))


def _codes_that_are_words(index: PhraseIndex, common: frozenset[str]) -> None:
    """A code written in capitals that is also a common word ("DAY", Dayton's airport) is that code
    only when the question writes it in capitals: "busiest days" is not Dayton."""
    for key, entries in index.phrases.items():
        if len(key) == 1 and key[0] in common:
            index.phrases[key] = [replace(e, capitals=e.value) if e.source == "exact" and _is_code(e.value)
                                  else e for e in entries]


def _is_code(value: str) -> bool:
    return 2 <= len(value) <= 4 and value.isalpha() and value.isupper()


def dimension_cues(model) -> dict[str, tuple[re.Pattern, re.Pattern, str | None]]:
    """{dimension: (words near a value that say it is this dimension's, words right after it that do,
    its direction)}: the dimension's name, synonyms and vocabulary phrases and
    ``vocabulary.value_cues`` ("video channel" is the channel, "video ads" the ad format),
    ``vocabulary.value_cues_after`` ("apple users" are iOS users, while "users from Apple" may be
    Apple Search Ads), and "from" or "to" for a dimension of where something starts or ends ("from
    LaGuardia" is an origin, "to LaGuardia" a destination)."""
    vocab = model.spec.vocabulary
    cues = {}
    for name, dim in model.dimensions.items():
        if dim.type != "categorical":
            continue
        near = [name.replace("_", " "), *dim.synonyms, *vocab.phrases.dimension.get(name, ()),
                *vocab.value_cues.get(name, ())]
        after = vocab.value_cues_after.get(name, ())
        cues[name] = (_phrases_pattern(near, plural=True), _phrases_pattern(after, anchored=True),
                      _direction(" ".join([name.replace("_", " "), *dim.synonyms, dim.description or ""])))
    return cues


# where a trip starts or ends (an origin and a destination of one reference table): not "source",
# "target" or a bare "from"/"to", which describe many dimensions
_FROM_WORDS = re.compile(r"\b(?:origins?|departures?|departing|outbound|"
                         r"(?:left|leaves|leaving|departs|departed|starts|started)\s+from)\b")
_TO_WORDS = re.compile(r"\b(?:dest|destinations?|arrivals?|arriving|inbound|"
                       r"(?:went|goes|going|arrives|arrived|flies|flew|travell?ed|heads|headed)\s+to)\b")


def _direction(text: str) -> str | None:
    text = text.lower()
    starts, ends = bool(_FROM_WORDS.search(text)), bool(_TO_WORDS.search(text))
    return "from" if starts and not ends else "to" if ends and not starts else None


def _phrases_pattern(phrases, *, plural: bool = False, anchored: bool = False) -> re.Pattern:
    words = [r"\s+".join(map(re.escape, normalize(p).split())) for p in phrases if normalize(p).strip()]
    if not words:
        return re.compile(r"(?!)")
    body = "|".join(sorted(set(words), key=len, reverse=True))
    suffix = r"(?:s|es)?" if plural else ""
    return re.compile((r"^\s*" if anchored else "") + rf"\b(?:{body}){suffix}\b")


def metric_words(model) -> frozenset[str]:
    """Words of the model's metric names and synonyms ("revenue", "installs"), with plain plurals, that
    no dimension is named by."""
    def words_of(texts) -> set[str]:
        found = {w for t in texts for w in re.split(r"[\W_]+", t.lower()) if len(w) > 2}
        return found | {f"{w}s" for w in found} | {w.removesuffix("s") for w in found}

    metric = words_of([*model.metrics, *(s for m in model.metrics.values() for s in m.synonyms)])
    # "campaigns" counts campaigns but names the campaign dimension first
    dimension = words_of([*model.dimensions, *(s for d in model.dimensions.values() for s in d.synonyms)])
    return frozenset(metric - dimension)


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
