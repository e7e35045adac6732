"""Small rewrites of the named metrics that everyday phrasing needs.

- "cheapest installs" / "most expensive clicks": the price of the thing -> CPI / CPC / CPM;
- "what percentage of installs were fraudulent": a share of fraud -> fraud rate;
- "installs we lost to fraud": a metric and its own narrower version -> the narrower one.
Each rule is one function from (metrics, folded text, model) to metrics.
"""
from __future__ import annotations

import re

_PRICE = re.compile(r"\b(?:cheap\w*|expensive|costl\w*|pric\w*|dear\w*|affordable)\b")
_UNIT_COST = {"installs": "cpi", "paid_installs": "cpi", "clicks": "cpc", "impressions": "cpm"}
_SHARE = re.compile(r"\b(?:percent\w*|share|proportion|fraction|ratio|rate|pct)\b|%")
_FRAUD = re.compile(r"\bfraud\w*|\bfake\b")


def price_of_units(metrics: tuple[str, ...], folded: str, model) -> tuple[str, ...]:
    if not _PRICE.search(folded):
        return metrics
    return tuple(dict.fromkeys(_UNIT_COST.get(m, m) if _UNIT_COST.get(m) in model.metrics else m for m in metrics))


def share_of_fraud(metrics: tuple[str, ...], folded: str, model) -> tuple[str, ...]:
    fraudy = {"installs", "fraud_installs"}
    if "fraud_rate" in model.metrics and set(metrics) & fraudy and _SHARE.search(folded) and _FRAUD.search(folded):
        return tuple(dict.fromkeys("fraud_rate" if m in fraudy else m for m in metrics))
    return metrics


def narrower_wins(metrics: tuple[str, ...], folded: str, model) -> tuple[str, ...]:
    """Drop a simple metric when a filtered version of the same measure is also named."""
    def measure(name):
        metric = model.metrics.get(name)
        return metric.type_params.measure if metric is not None and metric.type == "simple" else None

    narrow = {measure(m) for m in metrics if measure(m) and model.metrics[m].filter}
    if len([m for m in metrics if measure(m) in narrow and model.metrics[m].filter]) > 1:
        return metrics  # "paid and organic installs": both narrow versions stay
    return tuple(m for m in metrics if not (measure(m) in narrow and not model.metrics[m].filter))


METRIC_RULES = (price_of_units, share_of_fraud, narrower_wins)


def refine_metrics(metrics: tuple[str, ...], folded: str, model) -> tuple[str, ...]:
    for rule in METRIC_RULES:
        metrics = rule(metrics, folded, model)
    return metrics
