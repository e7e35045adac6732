"""Thresholds on numeric columns: "installs with a fraud probability above 0.8", "users whose churn
risk is over 50%", "click-to-install time under 10 seconds".

A numeric dimension of the model (scores, probabilities, durations) named with a comparison and a
number becomes a filter. A probability written as a percentage ("50%", or "over 50") is a fraction.
Counting people or installs above a model's threshold counts that model's scored rows.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from app.engine.nlp.numbers import NUMBER_PATTERN, parse_number
from app.engine.planning.offline.defaults import row_count_metric, simple_measure
from app.engine.planning.offline.described import UNIT_WORDS, root
from app.engine.planning.offline.refine import narrower_count, rate_of, share_cue
from semantic_layer import Filter, SemanticQuery
from semantic_layer.plan import simple_inputs

OPS = (("at least", ">="), ("no less than", ">="), (">=", ">="), ("at most", "<="), ("no more than", "<="),
        ("<=", "<="), ("above", ">"), ("over", ">"), ("more than", ">"), ("greater than", ">"),
        ("higher than", ">"), ("exceeding", ">"), ("exceeds", ">"), ("exceeded", ">"), ("exceed", ">"),
        ("surpassed", ">"), ("topped", ">"), (">", ">"), ("below", "<"),
        ("under", "<"), ("less than", "<"), ("lower than", "<"), ("smaller than", "<"), ("<", "<"),
        ("longer than", ">"), ("shorter than", "<"), ("by over", ">"), ("by at least", ">="))


def op_words(ops=OPS) -> str:
    """The comparison words of ``ops`` as one regex alternation (longer phrases listed first win)."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w, _ in ops)


def operator_of(written: str, ops=OPS) -> str:
    """The operator a written comparison means: "no more than" -> "<=", "over" -> ">"."""
    return next(o for w, o in ops if re.fullmatch(re.escape(w).replace(r"\ ", r"\s+"), written))


_OP_WORDS = op_words()
_COMPARISON = re.compile(
    # "p90 LTV prediction above $50"
    rf"\s*(?:(?:prediction|predictions|predicted\s+value|estimate|value)\s+)?"
    rf"(?:(?:is|are|was|were|of|scored?|scores|scoring|rated|that\s+(?:is|are))\s+)?(?:a\s+)?"
    rf"(?P<op>{_OP_WORDS})\s*(?:a\s+|an\s+)?(?:\$\s*)?(?P<num>\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?|zero)\s*"
    rf"(?P<pct>%|percent|pct)?")


def number_of(written: str) -> float:
    """ "2,000" -> 2000.0, "zero" -> 0.0."""
    return 0.0 if written == "zero" else float(written.replace(",", ""))


@dataclass(frozen=True)
class Threshold:
    filter: Filter
    span: tuple[int, int]
    # "the click to install took more than an hour": the column's name written before a linking verb,
    # so words there that also name a metric ("click to install") are the column's
    name_span: tuple[int, int] | None = None


def find_thresholds(reading, model) -> list[Threshold]:
    """Each "<numeric dimension> <comparison> <number>" in the question."""
    numeric = {name for name, d in model.dimensions.items() if d.type == "numeric"}
    found = []
    for match in reading.matches:
        name = match.reading("dimension")
        if name not in numeric:
            continue
        comparison = _COMPARISON.match(reading.folded, match.end)
        if comparison is None:
            # "aircraft with more than 300 seats": the number before the attribute's name
            before = (_COMPARISON_BEFORE.search(reading.folded[:match.start])
                      or _COMPARISON_ON.search(reading.folded[:match.start]))
            if before is not None:
                op, value = operator_of(before["op"]), number_of(before["num"])
                if name.endswith("probability") and (before.groupdict().get("pct") or 1 < value <= 100):
                    value /= 100
                found.append(Threshold(Filter(dimension=name, op=op, values=(value,)),
                                       (before.start(), match.end)))
            continue
        op = operator_of(comparison["op"])
        value = number_of(comparison["num"])
        if name.endswith("probability") and (comparison["pct"] or 1 < value <= 100):
            value /= 100
        end = comparison.end()
        unit = _UNIT_ATTACHED.match(reading.folded, end) if not comparison["pct"] else None
        if unit is not None:  # "CTIT below 10s", "click-to-install time over 2 minutes"
            converted = in_declared_unit(value, unit["next"], model.dimensions[name].units)
            if converted is not None:
                value, end = converted, unit.end()
        found.append(Threshold(Filter(dimension=name, op=op, values=(value,)), (match.start, end)))
    return found + unit_thresholds(reading, model, [t.span for t in found], _root_words)


def _root_words(text: str) -> set[str]:
    return {root(w) for w in re.findall(r"[a-z]+", text.lower()) if len(w) > 2} - _GENERIC_UNIT_WORDS


_GENERIC_UNIT_WORDS = frozenset({"minut", "hour", "mile", "second", "delay", "time"})


# "more than 2 hours late", "routes longer than 2,000 miles", "15+ min", "15 minutes or more"
_NUMBER = r"(?P<num>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|zero)"
# "aircraft with more than 300 seats": the comparison and number before the attribute's name
_COMPARISON_BEFORE = re.compile(rf"(?:with|having|has|had|have)\s+(?P<op>{_OP_WORDS})\s*{_NUMBER}\s*$")
# "installs that score above 0.9 on fraud probability": a score's comparison, then the attribute
_COMPARISON_ON = re.compile(rf"\b(?:scor(?:e|es|ed|ing)|rated|rate)\s+(?P<op>{_OP_WORDS})\s*{_NUMBER}\s*"
                            rf"(?P<pct>%|percent)?\s+(?:on|in|for)\s+(?:the\s+|their\s+|its\s+|a\s+)?$")
_UNIT = (r"(?P<unit>minutes?|mins?|hours?|hrs?|h|miles?|mi|km|kilometers?|seconds?|secs?|s|days?|usd|"
         r"dollars?)\b")
# before a unit, a number may be written in words: "more than an hour late", "over two hours"
_UNIT_NUMBER = rf"(?P<num>\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?|an?(?=\s)|{NUMBER_PATTERN}(?=\s))"
_UNIT_THRESHOLD = re.compile(
    rf"(?:\b(?P<op>{_OP_WORDS})\s*{_UNIT_NUMBER}\s*{_UNIT}"
    # "purchase events over $20": a dollar sign is the unit
    rf"|\b(?P<op3>{_OP_WORDS})\s*\$\s*(?P<num3>\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?)\b"
    # "big purchases, $40 or more each", "$40+"
    rf"|(?<![\w$])\$\s*(?P<num4>\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?)\s*(?:(?P<plus4>\+)|\s+or\s+(?P<post4>more|over|less|under))"
    rf"(?:\s+each)?"
    rf"|\b{_UNIT_NUMBER.replace('num', 'num2')}\s*(?P<plus>\+)?\s*{_UNIT.replace('unit', 'unit2')}"
    rf"(?:\s+or\s+(?P<post>more|longer|later|over|less|fewer|shorter|under))?)")
# a unit as written -> (the unit family a dimension declares, the factor to it)
_UNITS = {"minute": ("minutes", 1), "min": ("minutes", 1), "hour": ("minutes", 60), "hr": ("minutes", 60),
          "h": ("minutes", 60), "second": ("seconds", 1), "sec": ("seconds", 1), "s": ("seconds", 1),
          "mile": ("miles", 1), "mi": ("miles", 1), "km": ("km", 1), "kilometer": ("km", 1),
          "day": ("days", 1), "usd": ("usd", 1), "dollar": ("usd", 1)}
# a unit as a model declares it ("minutes", "min", "USD", "$") -> its family: described.UNIT_WORDS
_DECLARED = {**{word: unit for unit, words in UNIT_WORDS.items() for word in (unit, *words)}, "s": "seconds"}


def unit_thresholds(reading, model, taken: list[tuple[int, int]], words_of) -> list[Threshold]:
    """A comparison with a number in a unit ("more than 2 hours late") on the one numeric dimension
    declared in that unit, or the one of several the question's words name ("arrival"). When none
    or several fit, nothing is guessed: the words stay unplaced and the plan unsure."""
    found = []
    for m in _UNIT_THRESHOLD.finditer(reading.folded):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        written = (m["num"] or m["num2"] or m["num3"] or m["num4"]).replace(",", "")
        number = float(written) if written[0].isdigit() else parse_number(written)
        dollars = m["num3"] or m["num4"]
        family, factor = _unit_family(m["unit"] or m["unit2"]) if not dollars else ("usd", 1)
        post = m["post"] or m["post4"]
        if number is None:
            continue
        if m["op"] or m["op3"]:
            op = operator_of(m["op"] or m["op3"])
        elif m["plus"] or m["plus4"] or post in ("more", "longer", "later", "over"):
            op = ">="
        elif post in ("less", "fewer", "shorter", "under"):
            op = "<="
        else:
            continue  # "15 minutes" with no comparison is no threshold
        value = number * factor
        dimension = _dimension_in(model, family, reading, words_of, (op, value))
        if dimension is None and family in _SECONDS_IN:  # "took more than an hour" on a seconds column
            dimension, value = _named_in_other_time_unit(model, family, value, reading, words_of)
        if dimension:
            threshold = Filter(dimension=dimension, op=op, values=(value,))
            named = _name_before(reading.folded, m.start(), model, dimension, words_of)
            start = named[0] if named else _verb_before(reading.folded, m.start(), model, dimension)
            worth = _WORTH_BEFORE.search(reading.folded[:start])  # "purchases worth more than $10"
            start = worth.start() if worth else start
            found.append(Threshold(threshold, (start, m.end()), named))
    return found


_WORTH_BEFORE = re.compile(r"\b(?:(?:were|was|are|is)\s+)?(?:worth|valued\s+at|costing|priced\s+at)\s+$")
_LINKED_BEFORE = re.compile(r"(?P<name>(?:[a-z][a-z-]*\s+){1,4}?)(?:took|takes|take|lasted|lasts|was|were|is|"
                            r"are|of)\s+$")


def _name_before(folded: str, start: int, model, dimension: str, words_of) -> tuple[int, int] | None:
    """ "the click to install took more than an hour": the span of the words before a linking verb
    that name ``dimension`` (at least two of its words, nothing else), or None."""
    before = folded[max(0, start - 60):start]
    found = _LINKED_BEFORE.search(before)
    if found is None:
        return None
    spec = model.dimensions[dimension]
    own = words_of(" ".join((dimension.replace("_", " "), *spec.synonyms)))
    written = [w for w in found["name"].split() if w not in ("the", "a", "an", "to", "from", "its", "their")]
    while written and words_of(written[0]) - own:
        written = written[1:]  # "where the click to install": leading words that are not the name
    if len(words_of(" ".join(written)) & own) < 2 or words_of(" ".join(written)) - own:
        return None
    offset = max(0, start - 60)
    name_start = offset + before.index(written[0], found.start("name"))
    return (name_start, offset + found.end("name"))


_SECONDS_IN = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}


def in_declared_unit(value: float, written_unit: str, declared: str | None) -> float | None:
    """``value`` in a written unit ("10 s", "2 hours") as a number in a column's declared unit
    (seconds, minutes, days, USD), or None when the two are not the same kind of quantity."""
    family, factor = _unit_family(written_unit)
    target = _DECLARED.get((declared or "").strip().lower())
    if family is None or target is None:
        return None
    if family == target:
        return value * factor
    if family in _SECONDS_IN and target in _SECONDS_IN:
        return _in_time_unit(value * factor, family, target)
    return None


def _in_time_unit(value: float, family: str, target: str) -> float:
    """A duration in one unit of time as a number in another (2 hours in seconds: 7200)."""
    return value * _SECONDS_IN[family] / _SECONDS_IN[target]


def _named_in_other_time_unit(model, family: str, value: float, reading, words_of):
    """(dimension, value): a duration written in one unit ("more than an hour") on the one numeric
    column the question's words name that is declared in another unit of time (seconds). Only a
    column the words name: "more than 7 days" alone is no threshold on a seconds column."""
    said = words_of(reading.folded)
    named = []
    for name, d in model.dimensions.items():
        target = _DECLARED.get((d.units or "").strip().lower())
        if d.type != "numeric" or target not in _SECONDS_IN or target == family:
            continue
        words = words_of(" ".join((name.replace("_", " "), *d.synonyms)))
        if len(words & said) >= 2 or any(m.reading("dimension") == name for m in reading.matches):
            named.append((name, _in_time_unit(value, family, target)))
    return named[0] if len(named) == 1 else (None, value)


def _unit_family(word: str) -> tuple[str | None, float]:
    """(unit family, factor to it) of a unit as written: "hours" -> (minutes, 60), "s" -> seconds."""
    return _UNITS.get(word.rstrip("s") or "s", _UNITS.get(word, (None, 1)))


_UNIT_NEXT = re.compile(r"\s*" + _UNIT.replace("(?P<unit>", "(?P<next>").replace(r"|s|", "|"))
_UNIT_ATTACHED = re.compile(r"\s*" + _UNIT.replace("(?P<unit>", "(?P<next>"))  # "10s", "10 s"


def unit_after(folded: str, at: int) -> str | None:
    """The unit family of a unit word right after ``at`` ("2000 miles" -> miles), or None."""
    m = _UNIT_NEXT.match(folded, at)
    return _unit_family(m["next"])[0] if m else None


def unit_word_end(folded: str, at: int) -> int:
    """Where the unit word right after ``at`` ends ("20 minutes" -> after "minutes"), else ``at``."""
    m = _UNIT_NEXT.match(folded, at)
    return m.end() if m else at


def declared_unit(model, metric: str) -> str | None:
    """The unit family a metric declares ("min" -> minutes, "USD" -> usd), or None."""
    units = (getattr(model.metrics[metric], "units", None) or "").strip().lower()
    return _DECLARED.get(units, units or None)


_WORD_BEFORE = re.compile(r"(?P<word>[a-z]+)\s+(?:by\s+)?$")


def _verb_before(folded: str, start: int, model, dimension: str) -> int:
    """ "delayed by at least 15 minutes": the word right before a threshold that names its dimension
    (or a metric filtering on it) is part of the threshold."""
    found = _WORD_BEFORE.search(folded[max(0, start - 30):start])
    if found is None:
        return start
    spec = model.dimensions[dimension]
    names = [dimension, *spec.synonyms, *(m for m, metric in model.metrics.items()
                                          if any(f.dimension == dimension for f in metric.filter))]
    roots = {root(w) for text in names for w in re.findall(r"[a-z]+", text.replace("_", " ").lower())}
    return start - (len(found.group(0))) if root(found["word"]) in roots else start


def _dimension_in(model, family: str | None, reading, words_of, compared=None) -> str | None:
    fitting = [name for name, d in model.dimensions.items()
               if d.type == "numeric" and _DECLARED.get((d.units or "").strip().lower()) == family]
    if len(fitting) <= 1:
        return fitting[0] if fitting else None
    said = words_of(reading.folded)
    scores = {name: len(words_of(" ".join((name.replace("_", " "), *model.dimensions[name].synonyms))) & said)
              for name in fitting}
    best = max(scores.values())
    winners = [name for name, score in scores.items() if score == best]
    if len(winners) > 1:  # "delayed by 15 minutes": the dimension the named metric "delayed" filters on
        metrics = [model.metrics.get(m.reading("metric") or "") for m in reading.matches]
        named = {f.dimension for metric in metrics if metric for f in metric.filter} & set(winners)
        winners = sorted(named) if len(named) == 1 else winners
        best = best or len(named)
    if len(winners) > 1:  # "delayed by more than 2 hours": a word naming a metric that filters on one
        words = {root(w) for w in re.findall(r"[a-z]+", reading.folded)}
        named = {f.dimension for name, metric in model.metrics.items() for f in metric.filter
                 if f.dimension in winners
                 and {root(w) for w in name.split("_")} - {root(w) for w in name.split("_")[-1:]} & words}
        winners = sorted(named) if len(named) == 1 else winners
        best = best or len(named)
    if len(winners) > 1:  # "purchases above $10": the column of the rows the named metric counts
        tables = {found[0].name for m in reading.matches
                  if (found := simple_measure(model, m.reading("metric"))) is not None}
        # "purchases above $10": the rows a value names (an event name) when no metric is named
        tables |= {t.name for f in reading.value_filters for t in model.tables.values()
                   if any(d.name == f.dimension for d in t.dimensions)} if not tables else set()
        own = [name for name in winners if any(d.name == name for t in model.tables.values()
                                               if t.name in tables for d in t.dimensions)]
        winners = own if len(own) == 1 else winners
        best = best or len(own) == 1
    if len(winners) > 1 and compared is not None:  # "delayed by at least 15 minutes": the model's own
        defined = {f.dimension for metric in model.metrics.values() for f in metric.filter  # definition
                   if f.dimension in winners and _same_filter(Filter(dimension=f.dimension, op=compared[0],
                                                                     values=(compared[1],)), f)}
        winners = sorted(defined) if len(defined) == 1 else winners
        best = best or len(defined)
    return winners[0] if best and len(winners) == 1 else None


def _own_filters(model, name: str) -> list:
    """The filters a metric applies itself, through its inputs too (delay rate: delayed's filter)."""
    metric = model.metrics.get(name)
    return [f for simple in simple_inputs(model, metric) for f in simple.filter] if metric else []


def _same_filter(a: Filter, b) -> bool:
    try:
        return a.dimension == b.dimension and a.op == b.op and [float(v) for v in a.values] == [
            float(v) for v in b.values]
    except (TypeError, ValueError):
        return False


def _named_by_threshold(model, metric: str, threshold: Filter, folded: str) -> str | None:
    if share_cue(folded):
        return rate_of(model, metric, threshold)
    return narrower_count(model, metric, threshold)


def _scored_count(model, dimension: str, metrics: tuple[str, ...]) -> str | None:
    """ "how many users have a churn probability above 0.5": users counted over the events table who
    have a per-user score are the scored users (the score table's rows), not the users active in a
    period. A count of rows keyed like the score (installs, each with one fraud score) or of other
    things (flights on planes with > 200 seats) keeps its own rows."""
    scored = row_count_metric(model, dimension)
    if scored is None or (metrics and (len(metrics) != 1 or scored in metrics)):
        return None
    if not metrics:
        return scored
    counted = _counted(model, metrics[0])
    scored_by = _counted(model, scored)
    if counted is None or scored_by is None:
        return None
    (table, things), (_, keys) = counted, scored_by
    own_keys = {e.name for e in table.entities if e.type in ("primary", "unique")}
    return scored if things & keys and not things & own_keys else None


def _counted(model, metric_name: str):
    """(table, the entities a simple count metric counts) or None."""
    found = simple_measure(model, metric_name)
    if found is None:
        return None
    table, measure = found
    if measure.agg == "count":
        return table, {e.name for e in table.entities if e.type in ("primary", "unique")}
    if measure.agg == "count_distinct":
        counted = measure.column_expr.strip()  # a key, or a key of some rows ("CASE WHEN ... THEN user_id")
        return table, {e.name for e in table.entities
                       if re.search(rf"(?<![\w.]){re.escape(e.column_expr.strip())}(?![\w.])", counted)}
    return None


def numeric_dimensions(model) -> frozenset[str]:
    return frozenset(name for name, d in model.dimensions.items() if d.type == "numeric")


def threshold_query(query: SemanticQuery, thresholds: list[Threshold], reading, model=None) -> SemanticQuery:
    """The query with the thresholds as filters, counting the scored rows when people are counted."""
    if not thresholds:
        return query
    reading.consume(*(t.span for t in thresholds))
    # "short flights under 300 miles", "big purchases, $40 or more each": a size word the threshold says
    reading.consume(*(m.span() for m in _SIZE_WORD.finditer(reading.folded)))
    # "delayed flights (15+ min late)": a threshold a metric already applies restates it
    own = [f for m in query.metrics for f in _own_filters(model, m)] if model is not None else []
    thresholds = [t for t in thresholds if not any(_same_filter(t.filter, f) for f in own)]
    if not thresholds:
        return query
    metrics = query.metrics
    if len(metrics) == 1 and model is not None:
        # "share of flights 15+ minutes late" -> the delay rate; "flights delayed 15+ minutes" -> delayed
        # flights: a threshold a narrower metric or a rate of the same rows applies is that metric
        named = _named_by_threshold(model, metrics[0], thresholds[0].filter, reading.folded)
        if named is not None:
            metrics, thresholds = (named,), thresholds[1:]
    filters = query.filters + tuple(t.filter for t in thresholds if t.filter not in query.filters)
    if thresholds and model is not None and (
            scored := _scored_count(model, thresholds[0].filter.dimension, metrics)):
        metrics = (scored,)
    dims = tuple(d for d in query.dimensions if d not in {t.filter.dimension for t in thresholds})
    order = tuple(o for o in query.order_by if o.field in metrics or o.field in dims)
    if metrics != query.metrics and query.order_by and not order:  # ranked by the metric it became
        order = tuple(o.model_copy(update={"field": metrics[0]}) for o in query.order_by[:1])
    return query.model_copy(update={"filters": filters, "metrics": metrics, "dimensions": dims,
                                    "order_by": order})


_SIZE_WORD = re.compile(r"\b(?:short|shorter|long|longer|big|bigger|large|larger|small|smaller|huge|tiny|"
                        r"cheap|expensive|pricey|quick|slow)\b(?=\s+[a-z])")
_YEAR_CUE = re.compile(r"\b(?P<word>[a-z]+)\s+(?P<op>before|after|since|prior\s+to|until|in)\s+"
                       r"(?P<year>(?:18|19|20)\d{2})\b")
_YEAR_OPS = {"before": "<", "prior to": "<", "until": "<=", "after": ">", "since": ">=", "in": "="}


def year_thresholds(folded: str, model) -> list[Threshold]:
    """ "planes built before 1990": a year attribute's own verb before a year makes the year a value
    of that attribute (year_built < 1990), not the period of the question."""
    found = []
    for m in _YEAR_CUE.finditer(folded):
        dimension = _year_attribute(model, m["word"])
        if dimension is not None:
            op = _YEAR_OPS[re.sub(r"\s+", " ", m["op"])]
            found.append(Threshold(Filter(dimension=dimension, op=op, values=(float(m["year"]),)), m.span()))
    return found


def _year_attribute(model, word: str) -> str | None:
    """The numeric dimension that is a year named with ``word`` (year_built for "built")."""
    said = root(word)
    for name, dim in model.dimensions.items():
        if dim.type != "numeric":
            continue
        texts = (name.replace("_", " "), *dim.synonyms)
        words = {w for text in texts for w in re.findall(r"[a-z]+", text.lower())}
        if "year" in words and said in {root(w) for w in words - {"year"}}:
            return name
    return None

