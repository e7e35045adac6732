"""Map words of a question to dimension values: "Germany" -> country DE, "not iOS" -> platform != iOS.

``ValueResolver.from_schema(schema)`` (or ``from_warehouse``) builds the
phrase table once; ``find(text)`` returns every value mentioned, longest
phrase first ("apple search ads" beats "apple"), with negation ("excluding
Facebook") and a score; ``filters(text)`` groups them into filter triples.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping

from app.engine.nlp import values_match as vm
from app.engine.nlp.text import fold, tokens
from app.engine.nlp.value_types import ValueFilter, ValueMatch
from app.engine.nlp.values_index import (
    NAME_WORDS_MAX_VALUES,
    PhraseIndex,
    build_index,
    case_values,
    column_dimensions,
    dimension_cues,
    load_aliases,
    metric_words,
    model_words,
    plain_column,
    referenced_keys,
    same_values,
    schema_values,
)
from app.engine.nlp.values_polarity import group_filters, negations
from warehouse.errors import WarehouseError

__all__ = ["ValueFilter", "ValueMatch", "ValueResolver"]
log = logging.getLogger(__name__)
FETCH_LIMIT = 2000  # distinct values fetched per high-cardinality dimension
FETCH_MAX_ROWS = 5_000_000  # one SELECT DISTINCT at start-up; bigger tables keep their scanned values


_COMPANY_WORDS = frozenset({"inc", "ltd", "llc", "co", "corp", "corporation", "company", "industrie",
                            "industries", "gmbh", "ag", "sa", "plc", "group", "holdings", "aircraft",
                            "limited", "international", "intl"})
COMPANY_WORDS = _COMPANY_WORDS  # a company's legal words ("Inc", "Ltd"), for other modules


class ValueResolver:
    def __init__(self, index: PhraseIndex):
        self.index = index

    @classmethod
    def from_schema(cls, schema, aliases: Mapping | None = None, *, model=None,
                    extra_values: Mapping[str, Iterable[str]] | None = None,
                    common_words: frozenset[str] = frozenset(),
                    in_use: Mapping[str, Iterable[str]] | None = None) -> ValueResolver:
        """Values listed in ``schema`` (mapped to ``model``'s dimensions) plus aliases.

        ``aliases`` defaults to the model's vocabulary plus country names (``load_aliases``);
        pass ``{}`` for none.
        ``extra_values`` adds values the schema scan did not list (too many distinct);
        ``common_words`` are never taken for a name's own word ("will" is not Will Rogers World).
        ``in_use`` replaces a dimension's values with those the data uses (see ``_values_in_use``).
        """
        values = schema_values(schema, model)
        for dimension, listed in (extra_values or {}).items():
            values.setdefault(dimension, set()).update(map(str, listed))
        for dimension, listed in (in_use or {}).items():
            values[dimension] = set(map(str, listed))
        aliases = load_aliases(values, model) if aliases is None else aliases
        if model is not None:  # "sessions" names a metric, never the session_start event's word
            common_words = common_words | model_words(model)
        index = build_index(values, aliases, common_words)
        if model is not None:
            index.cues = dimension_cues(model)
            index.metric_words = metric_words(model)
            index.same = same_values(model)
            index.patterns = {d: re.compile(p) for d, p in model.spec.vocabulary.value_patterns.items()}
        return cls(index)

    @classmethod
    def from_warehouse(cls, warehouse, aliases: Mapping | None = None, *, model=None,
                       common_words: frozenset[str] = frozenset()) -> ValueResolver:
        """Like :meth:`from_schema`, also fetching campaign names and ids the scan left out."""
        schema = warehouse.schema()
        extra = {dimension: _fetch_values(warehouse, table, column) or []
                 for (table, column), dimension in _wanted_columns(schema, model).items()}
        in_use = _values_in_use(warehouse, schema, model) if model is not None else None
        computed = _computed_values(warehouse, schema, model) if model is not None else {}
        for dimension, listed in computed.items():
            extra.setdefault(dimension, []).extend(listed)
        return cls.from_schema(schema, aliases, model=model, extra_values=extra, common_words=common_words,
                               in_use=in_use)

    def find(self, text: str) -> list[ValueMatch]:
        """Every dimension value ``text`` mentions, in order of appearance."""
        text = text or ""
        folded = fold(text)
        words = tokens(folded)
        raw = vm.match_phrases(self.index, words, text) + vm.match_numeric(self.index, words)
        raw += vm.match_ids(self.index, folded)
        raw = vm.match_name_words(self.index, words, raw) + raw
        raw += vm.match_loose_phrases(self.index, words, raw)
        raw += vm.match_fuzzy(self.index, words, raw)
        chosen = self._variants(vm.choose(raw, folded, self.index))
        negated = negations(chosen, folded)
        return [self._to_match(m, neg) for m, neg in zip(chosen, negated, strict=True)]

    def filters(self, text: str) -> list[ValueFilter]:
        """``find`` grouped per dimension and polarity, ambiguous words settled by score."""
        return group_filters(self.find(text), fold(text or ""))

    def _variants(self, chosen: list[vm.Raw]) -> list[vm.Raw]:
        """ "Airbus planes": the value AIRBUS and the values that add only a company's legal words to
        it (AIRBUS INDUSTRIE, CANADAIR LTD) are one maker spelled two ways in the data; a word naming
        one names all of them. "Portland Intl" and "Portland Intl Jetport" stay two airports."""
        extra = []
        for m in chosen:
            if m.source != "exact":
                continue
            known = self.index.known.get(m.dimension) or ()
            prefix = m.value.casefold() + " "
            longer = sorted(v for v in known if v.casefold().startswith(prefix)
                            and set(re.findall(r"[a-z]+", v.casefold()[len(prefix):])) <= _COMPANY_WORDS)
            extra += [vm.Raw(m.start, m.end, m.dimension, v, "exact", m.score) for v in longer
                      if not any(c.dimension == m.dimension and c.value == v for c in chosen)]
        return chosen + extra if extra else chosen

    def _to_match(self, m: vm.Raw, negated: bool) -> ValueMatch:
        known = self.index.known.get(m.dimension)
        in_data = not known or m.value in known or m.source == "pattern"
        source = "exact" if m.source == "pattern" else m.source
        return ValueMatch(m.dimension, m.value, (m.start, m.end), negated, source, round(m.score, 3), in_data)


def _wanted_columns(schema, model) -> dict[tuple[str, str], str]:
    """Dimension columns of manageable size whose values the schema scan did not list."""
    wanted = column_dimensions(model) if model is not None else {}
    result = {}
    for (table_name, column_name), dimension in wanted.items():
        table = schema.table(table_name)
        column = table.column(column_name) if table else None
        small = table is not None and (table.row_count or 0) <= FETCH_MAX_ROWS
        if column is not None and not column.values and small and _is_text(column.type):
            result[(table.name, column.name)] = dimension
    return result


def _values_in_use(warehouse, schema, model) -> dict[str, list[str]]:
    """Names in a reference table of thousands (every airport) are too many for a name's own word to
    stand for it ("Newark" for "Newark Liberty Intl"); the few the facts point at (the three NYC
    origins) are not. For such dimensions: the values of rows some fact table references."""
    references = referenced_keys(model)
    found = {}
    for table in model.spec.semantic_models:
        scanned = schema.table(table.table) if table.table else None
        rows_in_table = (scanned.row_count or 0) if scanned is not None else 0
        if not NAME_WORDS_MAX_VALUES < rows_in_table <= FETCH_MAX_ROWS:
            continue  # few enough to keep every value, or too many to look at
        for dim in table.dimensions:
            column = plain_column(dim.column_expr)
            if dim.name not in references or column is None:
                continue
            key, facts = references[dim.name]
            used = " UNION ".join(f"SELECT {_quoted(warehouse, fk)} FROM {_quoted(warehouse, fact)}"
                                  for fact, fk in facts)
            listed = _fetch_values(warehouse, table.table, column, f"{_quoted(warehouse, key)} IN ({used})")
            if listed is not None:
                found[dim.name] = listed
    return found


COMPUTED_MAX_VALUES = 100  # a computed attribute with more values is not a list of names


def _computed_values(warehouse, schema, model) -> dict[str, list[str]]:
    """Values of categorical dimensions computed by an expression ("dayname(make_date(year, month,
    day))" -> Monday ... Sunday), so "flights on Saturdays" finds the weekday. Only text values, only
    tables small enough to scan at start-up, and only a short list; CASE dimensions list theirs."""
    found = {}
    for table in model.spec.semantic_models:
        scanned = schema.table(table.table) if table.table else None
        if scanned is None or (scanned.row_count or 0) > FETCH_MAX_ROWS:
            continue
        for dim in table.dimensions:
            if (dim.type != "categorical" or plain_column(dim.column_expr) is not None
                    or case_values(model, dim.name)):
                continue
            rows = _distinct(warehouse, table.table, f"({dim.column_expr})", "", COMPUTED_MAX_VALUES)
            if rows and all(isinstance(r[0], str) for r in rows):
                found[dim.name] = [r[0] for r in rows]
    return found


def _quoted(warehouse, name: str) -> str:
    quote = '"' if warehouse.dialect != "clickhouse" else "`"
    return f"{quote}{name}{quote}"


def _is_text(type_name: str) -> bool:
    return any(word in type_name.upper() for word in ("CHAR", "STRING", "TEXT"))


def _fetch_values(warehouse, table: str, column: str, where: str = "") -> list[str] | None:
    """Distinct values of one column (of the rows ``where`` keeps), or None when there are too many or
    the query fails."""
    rows = _distinct(warehouse, table, _quoted(warehouse, column), where, FETCH_LIMIT)
    return None if rows is None else [str(r[0]) for r in rows]


def _distinct(warehouse, table: str, expression: str, where: str, limit: int) -> list[tuple] | None:
    """The distinct non-NULL values of ``expression`` over ``table`` (the rows ``where`` keeps), or
    None when there are more than ``limit`` or the query fails."""
    kept = f" AND {where}" if where else ""
    sql = (f"SELECT DISTINCT {expression} FROM {_quoted(warehouse, table)} "
           f"WHERE {expression} IS NOT NULL{kept} LIMIT {limit + 1}")
    try:
        rows = warehouse.execute(sql).rows
    except WarehouseError as exc:  # values help matching; a question must not fail without them
        log.warning("could not list values of %s in %s: %s", expression, table, exc)
        return None
    return None if len(rows) > limit else rows
