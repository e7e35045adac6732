"""Descriptions and synonyms an LLM suggested for a generated model (``model init --describe``),
read as data and merged into the model dict; no LLM here (the call is app/engine's).

The reply must be one JSON object (a ```json fence around it is tolerated), shaped::

    {"tables": {NAME: {"description": TEXT}}, "dimensions": {NAME: {"description": TEXT,
     "synonyms": [TEXT, ...]}}, "measures": {NAME: {"description": TEXT}}, "metrics": {...like dimensions}}

Each item is validated on its own (a malformed item is skipped, the others kept); names the model
does not have are ignored. The merge writes a description only where the item has none or still has
the placeholder ``model init`` wrote ("Sum of Amount in orders."), and adds synonyms to metrics and
dimensions (the only items that have them) unless one collides: with any metric's or dimension's
name or synonym (``metric_time``'s included), with a synonym suggested for another item, or with a
sampled dimension value ("iOS" is a platform, not a name for it); longer than 40 characters is
dropped too. What is merged then passes the model's own synonym rule (``rules.check_synonyms``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from semantic_layer.model import METRIC_TIME, SemanticModel
from semantic_layer.schema import SemanticModelFile

MAX_SYNONYMS = 6  # new synonyms per item
MAX_SYNONYM_CHARS = 40
MAX_DESCRIPTION_CHARS = 300
KINDS = ("tables", "dimensions", "measures", "metrics")
_FENCE = re.compile(r"\A\s*```(?:json)?[ \t]*\n(?P<body>.*?)\n?[ \t]*```\s*\Z", re.DOTALL | re.IGNORECASE)
# The placeholders semantic_layer/bootstrap.py writes; tests/semantic_layer/test_describe_merge.py checks
# that every description it generates is matched here.
_GENERATED = tuple(
    re.compile(p, re.DOTALL)
    for p in (
        r".+: [\d,]+ rows\. TODO: say what one row is\.",
        r"Total .+ of .+\. TODO: units\.",
        r"Number of rows of .+\.",
        r"Rows of .+\.",
        r"Sum of .+ in .+\.",
        r"Distinct .+ in .+\.",
        r"Day of .+ in .+\.",
        r".+ of .+ \(\d+ distinct values\)\.",
    )
)


class DescribeReplyError(ValueError):
    """The reply is not the JSON object asked for; ``message`` says how."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class Suggestion(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=True)

    description: str | None = None
    synonyms: list[str] = Field(default_factory=list, max_length=50)


@dataclass
class Suggestions:
    """Valid suggestions by kind and item name, and what was skipped while reading them."""

    items: dict[str, dict[str, Suggestion]] = field(default_factory=lambda: {k: {} for k in KINDS})
    skipped: list[str] = field(default_factory=list)

    def update(self, other: Suggestions) -> None:
        for kind in KINDS:
            self.items[kind].update(other.items[kind])
        self.skipped.extend(other.skipped)

    def __len__(self) -> int:
        return sum(len(v) for v in self.items.values())


@dataclass
class MergeReport:
    descriptions: int = 0
    synonyms: int = 0
    unknown: list[str] = field(default_factory=list)  # "metric 'revenu'"
    dropped: list[str] = field(default_factory=list)  # "'sales' for total_amount: also suggested for ..."
    kept: int = 0  # descriptions someone wrote, left as they were


def parse_suggestions(text: str) -> Suggestions:
    """The reply as :class:`Suggestions`; raises :class:`DescribeReplyError` unless it is one JSON
    object (optionally in a ```json fence)."""
    fenced = _FENCE.match(text)
    body = fenced.group("body") if fenced else text
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise DescribeReplyError(f"the reply is not JSON ({_short(exc)})") from None
    if not isinstance(data, dict):
        raise DescribeReplyError(f"the reply is a JSON {type(data).__name__}, not an object")
    found = Suggestions()
    for kind in KINDS:
        entries = data.get(kind, {})
        if not isinstance(entries, dict):
            found.skipped.append(f"{kind}: not an object")
            continue
        for name, value in entries.items():
            try:
                found.items[kind][name] = Suggestion.model_validate(value)
            except ValidationError as exc:
                found.skipped.append(f"{kind}.{name}: {_short(exc)}")
    return found


def is_generated_description(text: str) -> bool:
    """True for the placeholder descriptions ``model init`` writes."""
    return any(p.fullmatch(text.strip()) for p in _GENERATED)


def merge_suggestions(
    model: dict[str, Any],
    suggestions: Suggestions,
    *,
    avoid: Iterable[str] = (),
    replaceable: Callable[[str], bool] = is_generated_description,
) -> MergeReport:
    """Merge ``suggestions`` into ``model`` (the YAML's dict, changed in place). ``avoid``: words
    that may not become synonyms (sampled dimension values)."""
    report = MergeReport()
    index = _index(model)
    for kind in KINDS:
        for name, suggestion in suggestions.items[kind].items():
            if name not in index[kind]:
                report.unknown.append(f"{kind[:-1]} {name!r}")
                continue
            description = _clean(suggestion.description or "")
            if not description or len(description) > MAX_DESCRIPTION_CHARS:
                continue
            for item in index[kind][name]:
                current = item.get("description") or ""
                if current and not replaceable(current):
                    report.kept += 1
                    continue
                item["description"] = description
                report.descriptions += 1
    _merge_synonyms(model, index, suggestions, set(map(_norm, avoid)), report)
    return report


def _merge_synonyms(model, index, suggestions: Suggestions, avoid: set[str], report: MergeReport) -> None:
    owners = _owners(model)
    wanted: dict[str, list[tuple[str, str]]] = {}  # item -> [(norm, text)]
    proposers: dict[str, set[str]] = {}
    for kind in ("metrics", "dimensions"):
        for name, suggestion in suggestions.items[kind].items():
            if name not in index[kind]:
                continue
            for text in map(_clean, suggestion.synonyms):
                key = _norm(text)
                if not key or key in (k for k, _ in wanted.get(name, [])):
                    continue
                if len(text) > MAX_SYNONYM_CHARS:
                    report.dropped.append(f"{text[:MAX_SYNONYM_CHARS]}... for {name}: longer than "
                                          f"{MAX_SYNONYM_CHARS} characters")
                    continue
                wanted.setdefault(name, []).append((key, text))
                proposers.setdefault(key, set()).add(name)
    for name, candidates in wanted.items():
        kind = "metrics" if name in index["metrics"] else "dimensions"
        target = index[kind][name][0]
        added = 0
        for key, text in candidates:
            owner = owners.get(key)
            if owner == name:
                continue  # its own name or a synonym it has
            reason = (
                f"already names {owner}" if owner
                else "is a value of a dimension" if key in avoid
                else f"also suggested for {', '.join(sorted(proposers[key] - {name}))}"
                if len(proposers[key]) > 1
                else f"more than {MAX_SYNONYMS} new synonyms" if added == MAX_SYNONYMS
                else None
            )
            if reason:
                report.dropped.append(f"{text!r} for {name}: {reason}")
                continue
            target.setdefault("synonyms", []).append(text)
            added += 1
            report.synonyms += 1


def _index(model: dict[str, Any]) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """Items by kind and name; a dimension several tables declare (conformed) is one item."""
    index: dict[str, dict[str, list[dict[str, Any]]]] = {k: {} for k in KINDS}
    for table in model.get("semantic_models", []):
        index["tables"].setdefault(table["name"], []).append(table)
        for kind in ("dimensions", "measures"):
            for item in table.get(kind, []):
                index[kind].setdefault(item["name"], []).append(item)
    for metric in model.get("metrics", []):
        index["metrics"].setdefault(metric["name"], []).append(metric)
    return index


def _owners(model: dict[str, Any]) -> dict[str, str]:
    """Every word that names a metric or dimension now (names and synonyms, ``metric_time``'s too)."""
    catalog = SemanticModel(SemanticModelFile.model_validate(model))
    owners: dict[str, str] = {}
    for name, synonyms in [(m.name, m.synonyms) for m in catalog.metrics.values()] + [
        (d.name, d.synonyms) for d in catalog.dimensions.values()
    ]:
        for text in (name, *synonyms):
            owners.setdefault(_norm(text), name)
    owners.setdefault(_norm(METRIC_TIME), METRIC_TIME)
    return owners


def _norm(text: str) -> str:
    """As ``rules.check_synonyms`` compares: case, ``_`` and ``-`` ignored."""
    return " ".join(str(text).lower().replace("_", " ").replace("-", " ").split())


def _clean(text: str) -> str:
    return " ".join(text.split())


def _short(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"])
        return f"{where}: {first['msg']}" if where else first["msg"]
    return str(exc).split("\n")[0][:120]
