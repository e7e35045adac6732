"""A budget reallocation as an answer: one row per source, the curves as a chart, the narrative with
the totals, the moves, the explore/exploit reading and the caveats."""
from __future__ import annotations

from typing import Any

import numpy as np

from app.engine.insights.budget import LEVEL, Reallocation, SourcePlan
from warehouse.base import Column, Result

_COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
           "#bcbd22", "#17becf")
OUTCOME_WORDS = {"installs": "paid installs", "revenue": "attributed revenue", "roas": "attributed revenue"}
CHART_POINTS = 60
SHOWN_ROWS = 4  # moves named in the narrative
NUMBER_COLUMNS = ("current_spend", "proposed_spend", "change", "change_pct", "expected_installs",
                  "installs_low", "installs_high", "expected_revenue", "revenue_low", "revenue_high",
                  "p_best_next_dollar")
CAVEAT = ("- Caveats: the curves are correlational, not incremental: they show how daily installs moved "
          "with daily spend in the past, not what an extra dollar caused; seasonality, auctions or creative "
          "changes that moved with spend are credited to spend. Confirm large moves with a holdout or lift "
          "test and move gradually.")
PLURAL = {"media_source": "media sources", "campaign_name": "campaigns"}


def budget_result(found: Reallocation, dimension: str) -> Result:
    columns = [Column(dimension, "VARCHAR"), *(Column(name, "DOUBLE") for name in NUMBER_COLUMNS),
               Column("advice", "VARCHAR")]
    rows = []
    for p in found.plans:
        change = p.proposed - p.current
        rows.append((p.label, _money(p.current), _money(p.proposed), _money(change),
                     round(change / p.current, 4) if p.current else None,
                     *(round(v, 1) for v in p.installs), *(_money(v) for v in p.revenue),
                     round(p.p_best, 3), p.advice))
    return Result(columns=columns, rows=rows)


def _money(value: float) -> float:
    return round(float(value), 2)


def budget_chart(found: Reallocation, dimension: str) -> dict[str, Any]:
    revenue = found.objective != "installs"
    data = []
    for n, p in enumerate(p for p in found.plans if p.curve is not None):
        color = _COLORS[n % len(_COLORS)]
        scale = p.value if revenue else 1.0
        reach = 1.6 * max(p.current, p.proposed, p.curve.spend_range[1])
        xs = np.linspace(0, reach, CHART_POINTS)
        data += [
            {"type": "scatter", "mode": "lines", "name": p.label, "legendgroup": p.label,
             "x": [round(float(x), 2) for x in xs],
             "y": [round(float(v) * scale, 2) for v in (p.curve.expected(x) for x in xs)],
             "line": {"color": color}},
            _point(p, p.current, "today", scale, {"color": color, "symbol": "circle", "size": 9}),
            _point(p, p.proposed, "proposed", scale,
                   {"color": color, "symbol": "diamond", "size": 11, "line": {"width": 1, "color": "#000"}}),
        ]
    words = OUTCOME_WORDS[found.objective]
    figure = {"data": data, "layout": {
        "title": {"text": f"Response curves: daily {words} vs daily spend per {dimension.replace('_', ' ')} "
                          "(circle: today, diamond: proposed)"},
        "xaxis": {"title": {"text": "daily spend (USD)"}}, "yaxis": {"title": {"text": f"daily {words}"}}}}
    return {"type": "multi_line", "figure": figure,
            "reason": "each source's response curve, with today's and the proposed spend"}


def _point(p: SourcePlan, x: float, name: str, scale: float, marker: dict) -> dict[str, Any]:
    return {"type": "scatter", "mode": "markers", "name": f"{p.label} {name}", "legendgroup": p.label,
            "showlegend": False, "x": [_money(x)], "y": [round(p.curve.expected(x) * scale, 2)],
            "marker": marker}


def _usd(value: float) -> str:
    return f"-${abs(value):,.0f}" if value < 0 else f"${value:,.0f}"


def _outcome(value: float, revenue: bool) -> str:
    return _usd(value) if revenue else f"{value:,.0f}"


def _signed(value: float, revenue: bool) -> str:
    text = _outcome(abs(value), revenue)
    return ("+" if value >= 0 else "-") + text


def budget_narrative(found: Reallocation, dimension: str, max_change: float, total_given: bool,
                     history_days: int, current_days: int, end) -> str:
    revenue = found.objective != "installs"
    words = OUTCOME_WORDS[found.objective]
    noun = PLURAL.get(dimension, dimension.replace("_", " ") + " values")
    total = (f"${found.total:,.0f} a day (today's total: ${found.current_total:,.0f})" if total_given
             else f"today's total of ${found.total:,.0f} a day")
    goal = "ROAS (with the total fixed, the best ROAS is the most revenue)" if found.objective == "roas" \
        else words
    moving = [p.label for p in found.plans if p.movable]
    head = f"Splitting {total} across {len(found.plans)} {noun}"
    if 1 < len(moving) < len(found.plans):
        head = (f"Moving budget between {', '.join(moving[:-1])} and {moving[-1]} (the other "
                f"{len(found.plans) - len(moving)} keep today's spend; total: {total})")
    lines = [(f"**{head} to maximize {goal}, each within ±{max_change:.0%} of today's spend** (today: the "
              f"average daily spend of the {current_days} days to {end}; curves fit on the {history_days} "
              f"days to {end}).")]
    e_now, e_new, gain = found.outcome_now, found.outcome_new, found.gain
    pct = f" ({gain[0] / e_now[0]:+.1%})" if e_now[0] else ""
    new = [_outcome(v, revenue) for v in e_new]
    change = [_signed(v, revenue) for v in gain]
    lines.append(f"- Expected daily {words}: {new[0]} ({LEVEL:.0%} interval {new[1]} to {new[2]}) vs "
                 f"{_outcome(e_now[0], revenue)} at today's split: {change[0]}{pct}, interval {change[1]} to "
                 f"{change[2]}; the proposal does better in {found.p_gain:.0%} of the curves' bootstrap "
                 "draws.")
    if found.objective != "installs" and found.total:
        lines.append(f"- ROAS: {e_new[0] / found.total:.2f} proposed vs "
                     f"{e_now[0] / found.current_total:.2f} today.")
    lines += _moves(found.plans)
    lines += _exploring(found.plans, revenue)
    lines += _caveats(found.plans, revenue)
    return "\n".join(lines)


def _moves(plans: list[SourcePlan]) -> list[str]:
    cuts = sorted((p for p in plans if p.proposed < p.current - 0.5), key=lambda p: p.proposed - p.current)
    adds = sorted((p for p in plans if p.proposed > p.current + 0.5), key=lambda p: p.current - p.proposed)
    if not cuts and not adds:
        return ["- No move beats today's split within these limits: keep it."]

    def named(group):
        shown = [f"{p.label} {'+' if p.proposed > p.current else ''}{_usd(p.proposed - p.current)} "
                 f"({(p.proposed - p.current) / p.current:+.0%})"
                 for p in group[:SHOWN_ROWS]]
        more = len(group) - SHOWN_ROWS
        return ", ".join(shown) + (f" and {more} more" if more > 0 else "")
    lines = []
    if cuts:
        lines.append(f"- Take from: {named(cuts)}.")
    if adds:
        lines.append(f"- Give to: {named(adds)}.")
    return lines


def _exploring(plans: list[SourcePlan], revenue: bool) -> list[str]:
    ranked = sorted(plans, key=lambda p: -p.p_best)
    unit = "revenue per extra $100" if revenue else "installs per extra $100"
    best = ", ".join(f"{p.label} {p.p_best:.0%}" for p in ranked[:3] if p.p_best >= 0.005)
    lines = [(f"- Explore/exploit (Thompson sampling over the curves' uncertainty): the next dollar is best "
              f"spent on {best} of the draws.")]
    explore = [p for p in plans if p.advice.startswith("explore")]
    for p in explore:
        if p.curve is None:
            lines.append(f"- {p.label}: {p.why_no_curve}; it is held at today's spend. Test it with a small, "
                         "fixed budget for a few weeks before moving money on it.")
        else:
            low, high = p.marginal
            lines.append(f"- {p.label} is uncertain ({unit}: {_outcome(100 * low, revenue)} to "
                         f"{_outcome(100 * high, revenue)}): test more spend on it step by step before "
                         "scaling.")
    return lines


def _caveats(plans: list[SourcePlan], revenue: bool) -> list[str]:
    lines = [CAVEAT]
    beyond = [p.label for p in plans if p.curve is not None and p.proposed > p.curve.spend_range[1] * 1.001]
    if beyond:
        lines.append(f"- Extrapolated: the proposed spend of {', '.join(beyond)} is above any day in the "
                     "history.")
    if revenue:
        lines.append("- Revenue is the installs curve times each source's attributed revenue per paid "
                     "install over the history (revenue still to come from recent installs is not in it).")
    return lines
