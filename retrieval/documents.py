"""What retrieval searches: one :class:`RetrievalDoc` per metric, dimension, column, example, doc.

Ids are stable and readable (``metric:roas``, ``dimension:media_source``,
``column:installs.device_model``, ``example:3``, ``doc:roas``) because planners,
tests and the labelled benchmark refer to them. ``aliases`` are extra short
phrases (synonyms, a glossary doc's sections) that the vector index embeds on
their own: a question saying "return on ad spend" matches that phrase far better
than it matches a whole paragraph about ROAS.

``scope`` says who may retrieve a doc: None for what is built from the repo's
files (the model, the schema, the bundled examples and glossary), which every
tenant sees; a tenant's scope for an example learned from that tenant's thumbs-up.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from retrieval.value_names import describe_values

if TYPE_CHECKING:
    from semantic_layer import SemanticModel
    from warehouse.base import Schema

KINDS: tuple[str, ...] = ("metric", "dimension", "column", "example", "doc")


@dataclass(frozen=True)
class RetrievalDoc:
    id: str
    kind: str
    text: str
    metadata: Mapping[str, Any] = field(default_factory=dict)
    aliases: tuple[str, ...] = ()
    embed_text: bool = True  # False when the aliases already cover the text (long glossary pages)
    scope: str | None = None  # None: built in, every tenant's; else the one tenant that taught it

    def visible_to(self, scope: str) -> bool:
        return self.scope is None or self.scope == scope

    def embedded_texts(self) -> tuple[str, ...]:
        """What the vector index embeds for this doc, one entry each."""
        return (self.text, *self.aliases) if self.embed_text or not self.aliases else self.aliases

    def fingerprint(self) -> list[Any]:
        """Everything that changes what gets embedded or returned, and to whom (for content hashes)."""
        owner = [] if self.scope is None else [self.scope]  # built-in docs hash as before: no rebuild
        meta = dict(sorted(self.metadata.items()))
        return [self.id, self.kind, self.text, meta, list(self.embedded_texts()), *owner]


def spoken(name: str) -> str:
    """``retention_d7`` -> ``retention d7``: how people write identifiers in questions."""
    return name.replace("_", " ")


def metric_docs(model: SemanticModel) -> list[RetrievalDoc]:
    return [_metric_doc(m) for m in model.metrics.values()]


def _metric_doc(metric) -> RetrievalDoc:
    synonyms = ", ".join(metric.synonyms)
    text = f"{spoken(metric.name)} ({metric.name}): {metric.description}"
    text += f" Also called: {synonyms}." if synonyms else ""
    meta = {"name": metric.name, "type": metric.type, "units": metric.units or "",
            "description": metric.description}
    return RetrievalDoc(f"metric:{metric.name}", "metric", text, meta,
                        (spoken(metric.name), *metric.synonyms))


def dimension_docs(model: SemanticModel, schema: Schema | None) -> list[RetrievalDoc]:
    return [_dimension_doc(d, _dimension_values(model, schema, d)) for d in model.dimensions.values()]


def _dimension_doc(dim, values: tuple[str, ...]) -> RetrievalDoc:
    text = f"{spoken(dim.name)} ({dim.name}): {dim.description}"
    text += f" Also called: {', '.join(dim.synonyms)}." if dim.synonyms else ""
    text += f" Values: {describe_values(values)}." if values else ""
    meta = {"name": dim.name, "type": dim.type, "description": dim.description,
            "tables": ",".join(dim.tables), "values": ",".join(values)}
    return RetrievalDoc(f"dimension:{dim.name}", "dimension", text, meta, (spoken(dim.name), *dim.synonyms))


def _dimension_values(model: SemanticModel, schema: Schema | None, dim) -> tuple[str, ...]:
    """Distinct values of the column behind a dimension, when the schema sampled them."""
    if schema is None:
        return ()
    for table_name in dim.tables:
        table = model.tables[table_name]
        declared = table.dimension(dim.name)
        column = schema.table(table.table or "") if table.table else None
        found = column.column(declared.column_expr) if column and declared else None
        if found is not None and found.values:
            return found.values
    return ()


def column_docs(schema: Schema | None, model: SemanticModel | None = None) -> list[RetrievalDoc]:
    if schema is None:
        return []
    described = column_descriptions(model) if model is not None else {}
    return [_column_doc(t.name, c, described.get((t.name.lower(), c.name.lower()), ""))
            for t in schema.tables.values() for c in t.columns]


def column_descriptions(model: SemanticModel) -> dict[tuple[str, str], str]:
    """(table, column) -> what the semantic model says about the plain column behind a
    dimension or measure: a raw column name rarely says what it means."""
    found: dict[tuple[str, str], str] = {}
    for table in model.tables.values():
        if not table.table:
            continue
        # a numeric dimension over a measure's column (a per-row amount for thresholds) says less
        # about the column than the measure does
        numeric = [d for d in table.dimensions if d.type == "numeric"]
        plain = [d for d in table.dimensions if d.type != "numeric"]
        for item in (*plain, *table.measures, *numeric):
            key = (table.table.lower(), item.column_expr.lower())
            if item.description and key not in found:
                found[key] = item.description
    return found


def _column_doc(table: str, column, description: str) -> RetrievalDoc:
    text = f"{table}.{column.name} ({spoken(column.name)}): {column.type} column of table {table}."
    text += f" {description}" if description else ""
    text += f" Values: {describe_values(column.values)}." if column.values else ""
    meta = {"table": table, "column": column.name, "type": column.type, "values": ",".join(column.values)}
    return RetrievalDoc(f"column:{table}.{column.name}", "column", text, meta)


def group_by_kind(docs: Iterable[RetrievalDoc]) -> dict[str, list[RetrievalDoc]]:
    grouped: dict[str, list[RetrievalDoc]] = {kind: [] for kind in KINDS}
    for doc in docs:
        grouped[doc.kind].append(doc)
    return grouped
