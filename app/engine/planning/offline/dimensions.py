"""Which dimensions to group by: "by country", "per network", "for each campaign", "which sources".

A dimension named in the question is a grouping unless it only describes a
filter value ("the Facebook campaign") or is the thing being counted ("how
many campaigns"). Values compared with "vs" ("iOS vs Android") group by their
dimension too.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from app.engine.planning.offline.defaults import counted_by_value
from app.engine.planning.offline.lexicon import LexMatch
from app.engine.planning.offline.reach import measure_tables
from app.engine.planning.offline.words import COMPARE_CUE, COUNT_CUE

GROUP_CUE = re.compile(
    r"\b(?:by|per|for\s+(?:each|every|all(?:\s+the)?)|each|every|across(?!\s+all\b)(?:\s+the)?|split\s+(?:by|"
    r"into|per|across)|"
    r"broken\s+(?:down\s+)?by|break(?:\s+(?:it|this|that))?\s+down\s+by|breakdown\s+(?:by|of|per)|"
    r"grouped\s+by|"
    r"group(?:ed)?\s+by|segmented\s+by|among(?:\s+the)?|between(?:\s+the)?|in\s+each|on\s+each|within\s+each|"
    r"which|what|top|bottom|best|worst|(?<!across )all|different|various|individual|respective|compare|"
    r"(?<!\bat\s)most\s+\w+|(?<!\bat\s)least\s+\w+)"
    r"(?:\s+(?:the|our|my|its|their|of|\d+|[a-z]+est|two|three|four|five|six|seven|eight|nine|ten))*\s*$"
)


_PREPOSITION = re.compile(
    r"\b(?:for|of|from|on|in|with|to|among|about|where|whose|across\s+all|over\s+all)\s+"
    r"(?:the\s+|our\s+|these\s+|those\s+)?$"
)
_LEADS_LISTING = re.compile(
    r"\b(?:which|what|list|show(?:\s+me)?|top|bottom|best|worst|highest|lowest|all|each|every|per|by|"
    r"for\s+each|across|compare|rank|ranking|name)\s+(?:the\s+|our\s+|all\s+|of\s+)?(?:[a-z0-9]+\s+)?"
    r"(?:non[\s-]?|not\s+)?$")


# "all campaigns together", "across every campaign": the dimension is what is summed over, not a
# breakdown.
_POOLED_AFTER = re.compile(r"^(?:\s*(?:,|and|&|or)\s*(?:every\s+|all\s+|each\s+)?[a-z]+){0,3}\s*"
                           r"(?:together|combined|altogether|in\s+total|summed(?:\s+up)?|as\s+a\s+whole|"
                           r"pooled|put\s+together|added\s+up|in\s+aggregate)\b")
# "(all sources)", "(every platform)": an aside that says nothing is left out
_POOLED_BEFORE = re.compile(r"(?:\b(?:across|over)\s+(?:every|each|all(?:\s+(?:of\s+)?(?:the|our))?|"
                            r"the\s+whole)|\(\s*(?:all|every|any)(?:\s+(?:of\s+)?(?:the|our))?)\s+"
                            r"(?:[a-z0-9]+\s+)?$")


@dataclass(frozen=True)
class Grouping:
    dimension: str
    span: tuple[int, int]
    cued: bool  # introduced by "by", "per", "which", ... (not just mentioned)


def find_groupings(folded: str, matches: list[LexMatch], value_spans: list[tuple[int, int]],
                   value_filters=()) -> list[Grouping]:
    """Dimension mentions that ask for a grouping, in question order, each dimension once.

    A dimension named next to its own single value ("where platform is iOS") is a filter only.
    """
    pinned = {f.dimension for f in value_filters if f.op == "="}
    value_spans = _with_dimension_words(value_spans, matches)
    found: dict[str, Grouping] = {}
    for match in matches:
        name = match.reading("dimension")
        if name is None or name in found:
            continue
        if _owner_of_the_next(folded, match, matches):
            continue  # "CPI by campaign country": the campaign's country, not also each campaign
        before = folded[:match.start]
        if _POOLED_AFTER.match(folded[match.end:]) or _POOLED_BEFORE.search(before):
            continue
        # "organic vs paid": a dimension named by its values set against each other compares them
        cued = bool(GROUP_CUE.search(before)) or bool(_VALUES_AGAINST.search(folded[match.start:match.end]))
        value = next((span for span in value_spans if 0 <= match.start - span[1] <= 1), None)
        if not cued and value is not None and re.search(r"\b(?:each|every|per|by|which|what)\s+$",
                                                        folded[:value[0]]):
            cued = True  # "each Facebook campaign", "which paid network": the cue is before the value
        if match.kind == "metric" and not cued:
            continue  # "events" as a metric unless "by event"
        if not cued and _ONE_OF.search(before):
            continue  # "users with at least one in-app event": any event, not one row per event
        if not cued and (_describes_value(folded, match, value_spans) or _PREPOSITION.search(before)):
            continue  # "CPI for campaigns targeting Japan" describes which data
        if not cued and name in pinned:
            continue
        if COUNT_CUE.search(before) or (name.startswith("is_") and not cued):
            continue  # "fraudulent traffic" is a filter (see flag_filters), not a grouping
        found[name] = Grouping(name, match.span, cued)
    return list(found.values())


_VALUES_AGAINST = re.compile(r"\b(?:vs\.?|versus)(?:\s|$)")


def _owner_of_the_next(folded: str, match: LexMatch, matches: list[LexMatch]) -> bool:
    """A single singular word naming a dimension right before another dimension's name ("campaign
    country", "campaign platform") says whose attribute that is: it groups by the second only."""
    word = folded[match.start:match.end]
    if " " in word.strip() or word.endswith("s"):
        return False
    name = match.reading("dimension")
    return any(m.start == match.end + 1 and folded[match.end] == " " and m.reading("dimension")
               and m.reading("dimension") != name for m in matches)


def _with_dimension_words(value_spans, matches) -> list[tuple[int, int]]:
    """ "display channel campaigns": a value with its dimension word after it ("display channel") still
    describes the noun that follows, like "display campaigns"."""
    extended = list(value_spans)
    for start, end in value_spans:
        word = next((m for m in matches if m.reading("dimension") and 0 <= m.start - end <= 1), None)
        if word is not None:
            extended.append((start, word.end))
    return extended


# "fraud by type", and "what kinds of fraud did we see": the kinds are the rows.
_BY_TYPE = re.compile(r"\b(?:by|per|each|every)\s+(?:type|kind|category|name)\b|"
                      r"\b(?:what|which)\s+(?:kinds?|types?|sorts?|categories)\s+of\b")
_ONE_OF = re.compile(r"\b(?:one|a|an|any|single)\s+(?:[\w-]+\s+)?$")


def type_grouping(folded: str, metrics: tuple[str, ...], model) -> Grouping | None:
    """ "events by type" -> the event name; "fraud by type", "what kinds of fraud" -> the fraud
    type: the dimension that says what kind each row of the metric's table is (an event-name
    dimension, or the model's vocabulary.counted_by_value)."""
    match = _BY_TYPE.search(folded)
    if match is None:
        return None
    kinds = counted_by_value(model)
    for metric in metrics:
        tables = measure_tables(model, metric)
        dimension = next((d.name for t in model.spec.semantic_models if t.name in tables
                          for d in t.dimensions if d.name in kinds), None)
        if dimension:
            return Grouping(dimension, match.span(), True)
    return None


def flag_filters(folded: str, matches: list[LexMatch], groupings: list[Grouping]) -> list[tuple[str, bool]]:
    """Yes/no dimensions mentioned as a property: "for fraudulent traffic" -> is_fraud = TRUE."""
    grouped = {g.dimension for g in groupings}
    flags = []
    for match in matches:
        name = match.reading("dimension")
        if name and name.startswith("is_") and name not in grouped:
            negated = bool(
                re.search(r"\b(?:not|non|no|without|excluding|clean|legit\w*)[\s-]+$", folded[: match.start])
            )
            flags.append((name, not negated))
    return flags


def compared_dimensions(folded: str, value_filters) -> list[Grouping]:
    """Dimensions whose values are compared ("iOS vs Android", "compare Facebook with Google")."""
    if COMPARE_CUE.search(folded):
        return [Grouping(f.dimension, f.spans[0], True) for f in value_filters
                if len(f.values) > 1 and f.op == "in"]
    if not _WHICH_OR_COMPARATIVE.search(folded):
        return []
    # "TikTok or Facebook, which had the lower CPI?", "is CTR better on iOS or Android?": alternatives
    return [Grouping(f.dimension, f.spans[0], True) for f in value_filters
            if len(f.values) > 1 and f.op == "in" and _joined_by_or(folded, f.spans)]


_AGAINST = re.compile(r"[\s,]*(?:vs\.?|versus|compared\s+(?:to|with)|against|or)\s+(?:from\s+|in\s+|on\s+)?")


def compared_across_dimensions(folded: str, value_filters):
    """Two values set against each other ("JFK vs Newark") that are values of different attributes
    (an airport code, an airport name): (first, second) filters, else None. Both cannot hold at once,
    and one attribute cannot group both, so the plan must not filter by both."""
    single = sorted((f for f in value_filters if f.op == "=" and len(f.values) == 1 and len(f.spans) == 1),
                    key=lambda f: f.spans[0])
    for a, b in itertools.pairwise(single):
        if a.dimension != b.dimension and _AGAINST.fullmatch(folded[a.spans[0][1]:b.spans[0][0]]):
            return a, b
    return None


_WHICH_OR_COMPARATIVE = re.compile(r"\b(?:which|whichever|who|higher|lower|better|worse|more|less|cheaper|"
                                   r"dearer|bigger|smaller|larger|faster|slower|best|worst)\b")


def _joined_by_or(folded: str, spans) -> bool:
    ordered = sorted(spans)
    gaps = [folded[a[1]:b[0]] for a, b in itertools.pairwise(ordered)]
    return bool(gaps) and all(_OR_GAP.fullmatch(gap) for gap in gaps)


_OR_GAP = re.compile(r"[\s,]*(?:or|or\s+on|or\s+in|or\s+from)\s*")


def _describes_value(folded: str, match: LexMatch, value_spans) -> bool:
    """ "spend on Facebook campaigns" describes which spend; "top 5 iOS campaigns" asks for campaigns.

    Right after a value, a singular noun always describes it; a plural one asks for a grouping
    only when a listing or ranking word leads the phrase ("which/top/each/show ... iOS campaigns").
    """
    value = next((span for span in value_spans if 0 <= match.start - span[1] <= 1), None)
    if value is None:
        return False
    word = folded[match.start:match.end]
    plural = word.endswith("s") and not word.endswith("ss")
    if not plural:  # "spend on a Facebook campaign" describes; "each Facebook campaign's" groups
        return not re.search(r"\b(?:each|every|per|by)\s+$", folded[:value[0]])
    return not _LEADS_LISTING.search(folded[:value[0]])


_NAME_WORD = re.compile(r"\bnames?\b|^\s*name\b")


def by_name(dims: tuple[str, ...], reading, model) -> tuple[str, ...]:
    """ "Name the 3 destination airports", "flights per airline, show the names": a grouping by a code
    of a row of a reference table is shown with that row's name too (dest -> dest, dest_name; one
    name per code, so the rows stay the same)."""
    unread = [m for m in _NAME_WORD.finditer(reading.folded)
              if not any(s <= m.start() and m.end() <= e for s, e in reading.consumed)]
    if not unread:
        return dims
    named = tuple(dict.fromkeys(n for d in dims for n in (d, name_dimension(model, d)) if n))
    if named != dims:
        reading.consume(*(m.span() for m in unread))
    return named


def name_dimension(model, dimension: str) -> str | None:
    """The name dimension of the reference table ``dimension``'s column points at, or None."""
    for table in model.spec.semantic_models:
        dim = next((d for d in table.dimensions if d.name == dimension), None)
        if dim is None:
            continue
        column = dim.column_expr.strip()
        pointed = {e.name for e in table.entities if e.column_expr.strip() == column}  # a key of a row
        for other in model.spec.semantic_models:
            if not any(e.type == "primary" and e.name in pointed for e in other.entities):
                continue
            names = [d.name for d in other.dimensions if d.type == "categorical" and d.name != dimension
                     and (d.name.endswith("name") or d.column_expr.strip().lower() == "name"
                          or any(re.search(r"\bname\b", s) for s in d.synonyms))]
            if len(names) == 1:
                return names[0]
    return None
