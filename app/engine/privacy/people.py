"""Which tables hold data about people, and how to count the people behind a table's rows.

Read from the semantic model's entities (docs/governance.md, "Privacy thresholds"):

- a table declaring the user entity counts ``COUNT(DISTINCT <its user column>)``;
- a table declaring an entity that is one-to-one with users (the primary or unique key of a table
  whose user entity is primary or unique: ``install`` on the demo, one install per user) counts
  the distinct values of that key, which is the same number;
- a table that otherwise points at a table about people (an entity that is the primary or unique
  key of such a table) is about people but cannot be counted: a threshold refuses it;
- every other table (spend, campaigns) is not about people, so the threshold does not apply to it.
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlglot
from sqlglot import exp

from semantic_layer import SemanticModel
from semantic_layer.schema import SemanticTable

KEYS = ("primary", "unique")
UNREADABLE = "\0unreadable"


@dataclass(frozen=True)
class People:
    """How each semantic table relates to the people a threshold protects."""

    counters: dict[str, str]  # table -> the column expression counting its people
    uncountable: frozenset[str]  # tables about people with no column counting them
    impersonal_tables: frozenset[str]  # warehouse tables (lower case) holding nothing about people

    def about_people(self, table: str) -> bool:
        return table in self.counters or table in self.uncountable


def read_people(model: SemanticModel, user_entity: str) -> People:
    tables = model.spec.semantic_models
    counters = {t.name: t.entity(user_entity).column_expr for t in tables if t.entity(user_entity)}
    same_as_user = {e.name for t in tables if _keyed_by(t, user_entity) for e in t.entities
                    if e.type in KEYS and e.name != user_entity}
    for table in tables:
        alias = next((e for e in table.entities if e.name in same_as_user), None)
        if table.name not in counters and alias is not None:
            counters[table.name] = alias.column_expr
    uncountable = _pointing_at_people(tables, set(counters))
    personal = {t.name for t in tables if t.name in counters or t.name in uncountable}
    read_by_personal = {name for t in tables if t.name in personal for name in _reads(t)}
    impersonal = {name for t in tables if t.name not in personal for name in _reads(t)} - read_by_personal
    if UNREADABLE in read_by_personal:  # unknown reads of a table about people: nothing is impersonal
        impersonal = set()
    return People(counters, frozenset(uncountable), frozenset(impersonal))


def _keyed_by(table: SemanticTable, entity: str) -> bool:
    found = table.entity(entity)
    return found is not None and found.type in KEYS


def _pointing_at_people(tables, personal: set[str]) -> set[str]:
    """Tables whose rows point at rows about people (closure), other than the counted ones."""
    found: set[str] = set()
    while True:
        about = personal | found
        keys = {e.name for t in tables if t.name in about for e in t.entities if e.type in KEYS}
        more = {t.name for t in tables if t.name not in about and any(e.name in keys for e in t.entities)}
        if not more:
            return found
        found |= more


def _reads(table: SemanticTable) -> set[str]:
    """The warehouse tables a semantic table reads (its table, or those its SQL names)."""
    if table.sql is None:
        return {(table.table or table.name).lower()}
    try:
        tree = sqlglot.parse_one(table.sql)
    except sqlglot.errors.ParseError:
        return {UNREADABLE}
    ctes = {c.alias_or_name.lower() for c in tree.find_all(exp.CTE)}
    return {t.name.lower() for t in tree.find_all(exp.Table) if t.name.lower() not in ctes}
