"""A change report as an answer: one driver per row, a narrative in plain words, a bar chart.

Rows: the best explanation's drivers (largest contribution first), then the leading driver of
each runner-up split, so a reader sees the cause and what else moved. Columns: the split
(``dimension``) and its value(s) (``segment``), then before, after, change and the share of the
total change; ratios add the segment's contribution to the total and its mix and rate parts.
"""
from __future__ import annotations

from typing import Any

from app.engine.insights.change import ChangeReport
from app.engine.insights.decompose import Explanation, Segment
from app.engine.insights.wording import amount, percent_change, segment_label, signed
from warehouse.base import Column, Result

RUNNERS_UP = 4


def drivers(report: ChangeReport, limit: int) -> list[Segment]:
    if report.best is None:
        return []
    shown = list(report.best.drivers) if report.best.explains else []
    used = {report.best.dimensions} if shown else set()
    for explanation in report.explanations[: RUNNERS_UP + 1]:
        if explanation.dimensions in used or not explanation.drivers:
            continue
        used.add(explanation.dimensions)
        shown.append(explanation.drivers[0])
    return shown[:limit]


def change_result(report: ChangeReport, segments: list[Segment]) -> Result:
    ratio = report.shape.kind == "ratio"
    names = ["dimension", "segment", "before", "after", "change", "share_of_change"]
    names += ["contribution", "mix_effect", "rate_effect"] if ratio else []
    columns = [Column(n, "VARCHAR" if n in ("dimension", "segment") else "DOUBLE") for n in names]
    rows = []
    for s in segments:
        row: list[Any] = [" × ".join(s.dimensions), " / ".join(s.values), s.before, s.after, s.change,
                          round(s.share, 4)]
        rows.append(tuple(row + ([s.contribution, s.mix, s.rate] if ratio else [])))
    return Result(columns=columns, rows=rows)


def _direction(change: float) -> tuple[str, str]:
    return ("rose", "rise") if change > 0 else ("fell", "drop")


def _headline(report: ChangeReport, words: str, unit: str | None) -> str:
    verb, _ = _direction(report.change)
    when = (f"on {report.current.label()} vs {report.baseline.label()}" if report.current.days == 1
            else f"in {report.current.label()} vs {report.baseline.label()}")
    if report.shape.kind == "ratio":
        return (f"{words[:1].upper()}{words[1:]} {verb} from {amount(report.before, unit)} to "
                f"{amount(report.after, unit)} ({signed(report.change, unit)}) {when}.")
    pct = percent_change(report.before, report.after)
    moved = f"{pct} ({signed(report.change, unit)})" if pct else signed(report.change, unit)
    return f"{words[:1].upper()}{words[1:]} {verb} {moved} {when}."


def _driver_sentence(segment: Segment, report: ChangeReport, words: str, unit: str | None) -> str:
    _, noun = _direction(report.change)
    label = segment_label(segment.dimensions, segment.values)
    own = segment.change or 0.0
    verb, _ = _direction(own) if own else ("stayed", "")
    if segment.share < 0:  # moved against the total (``decompose.carries``): a share would read backwards
        pct = percent_change(segment.before, segment.after) if report.shape.kind != "ratio" else None
        moved = (f"{verb} {pct}" if pct else f"{verb} from {amount(segment.before, unit)} to "
                 f"{amount(segment.after, unit)}")
        size = ("more than the whole change" if segment.share <= -1
                else f"{abs(segment.share):.0%} the size of the whole change")
        return (f"Against the {noun}, {words} {moved} in {label} ({signed(segment.contribution, unit)} to "
                f"the total, {size}), and the rest moved the other way by more")
    if report.shape.kind == "ratio":
        part = "its own rate" if abs(segment.rate or 0) >= abs(segment.mix or 0) else "its weight in the mix"
        return (f"{segment.share:.0%} of the {noun} is {label}, where {words} {verb} from "
                f"{amount(segment.before, unit)} to {amount(segment.after, unit)}; mostly {part} "
                f"(rate {signed(segment.rate or 0, unit)}, mix {signed(segment.mix or 0, unit)})")
    pct = percent_change(segment.before, segment.after)
    how = f"{verb} {pct}" if pct else f"{verb} by {signed(own, unit)}"
    return f"{segment.share:.0%} of the {noun} is {label}, where {words} {how}"


def change_narrative(report: ChangeReport, words: str, unit: str | None) -> str:
    if report.change is None:
        return f"There is no {words} to compare in {report.current.label()} or {report.baseline.label()}."
    if report.change == 0:
        return f"{words[:1].upper()}{words[1:]} did not change: {amount(report.after, unit)} in both periods."
    text = _headline(report, words, unit)
    best: Explanation | None = report.best
    if best is None:
        return text + " No dimension of the metric could split the change."
    if not best.explains:
        top = best.drivers[0] if best.drivers else None
        spread = (" The change is spread across segments: none stands out"
                  + (f" (the largest part, {segment_label(top.dimensions, top.values)}, is {top.share:.0%})."
                     if top is not None else "."))
        return text + spread
    sentences = [_driver_sentence(s, report, words, unit) for s in best.drivers[:3]]
    return text + " " + "; ".join(sentences) + "."


def change_chart(report: ChangeReport, segments: list[Segment], words: str) -> dict[str, Any] | None:
    if not segments:
        return None
    labels = [segment_label(s.dimensions, s.values) for s in reversed(segments)]
    values = [s.contribution for s in reversed(segments)]
    figure = {
        "data": [{"type": "bar", "orientation": "h", "x": values, "y": labels,
                  "marker": {"color": ["#2e7d32" if v >= 0 else "#c62828" for v in values]},
                  "hovertemplate": "%{y}: %{x}<extra></extra>"}],
        "layout": {"title": {"text": f"What drove the change in {words}"},
                   "xaxis": {"title": {"text": f"contribution to the change in {words}"}, "zeroline": True},
                   "yaxis": {"automargin": True}, "showlegend": False},
    }
    reason = "each driver's contribution to the total change"
    return {"type": "horizontal_bar", "reason": reason, "figure": figure}
