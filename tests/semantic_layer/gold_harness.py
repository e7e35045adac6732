"""Fill the hand-written gold SQL for one shape, and compare result sets like the eval harness."""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml

from semantic_layer import Filter, OrderBy, SemanticQuery

GOLD = Path(__file__).parent / "gold"
VIEWS = yaml.safe_load((GOLD / "views.yaml").read_text())
METRICS = yaml.safe_load((GOLD / "metrics.yaml").read_text())

SPRING = (dt.date(2026, 4, 1), dt.date(2026, 5, 31))  # D30 of these cohorts lies inside the data
JUNE = (dt.date(2026, 6, 1), dt.date(2026, 6, 30))
WHOLE = (dt.date(2026, 1, 1), dt.date(2026, 6, 30))


@dataclass(frozen=True)
class Shape:
    """A query shape: the view columns the gold groups by, and the same question as a SemanticQuery."""

    name: str
    keys: tuple[str, ...]
    dimensions: tuple[str, ...] = ()
    grain: str | None = None
    period: tuple[dt.date, dt.date] = SPRING
    gold_filter: str | None = None
    filters: tuple[Filter, ...] = ()
    paid_only: bool = False  # grouping by a campaign attribute keeps paid data only
    top: int | None = None
    extra: dict = field(default_factory=dict)

    def semantic_query(self, metric: str) -> SemanticQuery:
        order = [OrderBy(field=metric, direction="desc")] if self.top else []
        return SemanticQuery(metrics=[metric], dimensions=self.dimensions, grain=self.grain,
                             filters=self.filters, time_range=self.period, order_by=order, limit=self.top)

    def gold_sql(self, metric: str, dialect: str) -> str:
        conditions = [f"day BETWEEN '{self.period[0]}' AND '{self.period[1]}'"]
        conditions += ["campaign_id IS NOT NULL"] if self.paid_only else []
        conditions += [self.gold_filter] if self.gold_filter else []
        body = METRICS[metric].format(
            keys=", ".join(self.keys), where=" AND ".join(conditions),
            a_keys=", ".join(f"a.{k} AS {k}" for k in self.keys),
            on=" AND ".join(f"a.{k} = b.{k}" for k in self.keys),
        )
        sql = f"WITH {VIEWS[dialect]} SELECT * FROM ({body}) AS gold"
        if self.top:
            sql += f" ORDER BY value DESC, {', '.join(self.keys)} LIMIT {self.top}"
        return sql


IOS = Filter(dimension="platform", op="=", values=("iOS",))
SHAPES = (
    Shape("total", keys=("grp",)),
    Shape("campaign_attribute", keys=("media_source",), dimensions=("media_source",), paid_only=True),
    Shape("platform_country", keys=("platform", "country"), dimensions=("platform", "country")),
    Shape("day", keys=("day",), dimensions=("metric_time",), grain="day", period=JUNE),
    Shape("week", keys=("week",), dimensions=("metric_time",), grain="week", period=WHOLE),
    Shape("month", keys=("month",), dimensions=("metric_time",), grain="month", period=WHOLE),
    Shape("quarter", keys=("quarter",), dimensions=("metric_time",), grain="quarter", period=WHOLE),
    Shape("year", keys=("year",), dimensions=("metric_time",), grain="year", period=WHOLE),
    Shape("filter", keys=("platform",), dimensions=("platform",), gold_filter="country IN ('US', 'GB', 'DE')",
          filters=(Filter(dimension="country", op="in", values=("US", "GB", "DE")),)),
    Shape("top_n", keys=("campaign_name",), dimensions=("campaign_name",), paid_only=True,
          gold_filter="platform = 'iOS'", filters=(IOS,), top=5),
)


def normalized(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    if isinstance(value, Decimal):
        return float(value)
    return value


def keyed_rows(rows, key_count: int, drop_keys: bool) -> dict[tuple, object]:
    """``{group key: metric value}``; ungrouped gold rows carry a constant key that is dropped."""
    keyed = {}
    for row in rows:
        values = [normalized(v) for v in row]
        key = () if drop_keys else tuple(values[:key_count])
        assert key not in keyed, f"group {key} appears twice"
        keyed[key] = values[-1]
    return keyed


def same_number(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=1e-6, abs_tol=1e-9)


def assert_same_results(compiled: dict, gold: dict, label: str) -> None:
    assert set(compiled) == set(gold), (
        f"{label}: groups differ: only compiled {sorted(set(compiled) - set(gold))[:5]}"
        f", only gold {sorted(set(gold) - set(compiled))[:5]}")
    wrong = [(k, compiled[k], gold[k]) for k in gold if not same_number(compiled[k], gold[k])]
    assert not wrong, f"{label}: {len(wrong)} values differ, e.g. {wrong[:3]}"
