"""Split the change of a metric between two periods over the segments of a dimension (or a pair of
dimensions), and pick the smallest set of segments that explains most of it.

Additive metrics: a segment's contribution is its own change; contributions add up to the total
change (a remainder segment, ``(none)``, holds what no value of the dimension covers: organic
installs have no media source). Ratios R = N / D: with w_i = D_i / D (the segment's share of the
denominator) and r_i = N_i / D_i (its own ratio), R = sum w_i r_i, and each segment's
contribution w_i' r_i' - w_i r_i is split symmetrically into

    rate_i = (r_i' - r_i) * (w_i + w_i') / 2           its ratio moved
    mix_i  = (w_i' - w_i) * ((r_i + r_i') / 2 - R_mid)  its weight moved, counted against the average

which add up to the total change exactly (the weights sum to one in both periods, so the R_mid
terms cancel): "CPI went up" is told apart as "more installs came from the dear source" (mix) or
"the source itself got dearer" (rate).

Ranking follows Adtributor (Bhagwan et al., NSDI'14): a segment's explanatory power is its share
of the total change, its surprise the Jensen-Shannon term between its share of the amount before
and after (for ratios, of the numerator plus of the denominator). Per candidate, segments are
taken in order of surprise while each explains at least ``MIN_SEGMENT_SHARE`` of the change, until
``EXPLAINED`` of it is covered. Candidates that cover it with real surprise win, the fewest
segments first, single dimensions before pairs; a change no candidate concentrates is broad.

One segment that *stands out* wins before that ranking: it carries most of the change
(``STANDOUT_SHARE``) and moved far more than everything outside it. Its **focus** is how much
further its amount moved than the rest's, in log ratios (``|log(after/before)|`` of the segment
minus that of the rest, the larger over a ratio's numerator and denominator; cf. the ripple effect
of HotSpot, Sun et al. 2018: if the segment is the cause, the rest stays flat). Where the planted
truth is a source's fraud spike, "ad_format = playable" covers more of the change in one segment,
but Unity went from 0 to 12 while the rest of the playable installs moved too; "acquisition_type =
organic" covers more of a revenue drop than "platform = Android" but the paid revenue moved 27%, iOS
14%. Among segments that stand out, the larger focus wins; a segment nested inside it carrying
nearly all of its change is then preferred (``change.py``: the more specific name).
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

REMAINDER = "(none)"
EXPLAINED = 0.67  # Adtributor's T_EP
MIN_SEGMENT_SHARE = 0.10  # Adtributor's T_EEP
MIN_SURPRISE = 0.005  # below this a set moved with the total (or with noise): no cause
MAX_SEGMENTS = 5
STANDOUT_SHARE = 0.5  # a segment standing out alone carries half of the change or more, either way
MIN_FOCUS = 0.25  # ... and moved this much further (log ratio) than the rest: about 28% more
SMOOTHING = 0.005  # of the input's level, added to amounts before log ratios (a segment from 0)


@dataclass(frozen=True)
class Segment:
    dimensions: tuple[str, ...]
    values: tuple[str, ...]
    before: float | None  # the metric in the segment (an amount, or its own ratio)
    after: float | None
    contribution: float  # to the total change, in the metric's units
    share: float  # contribution / total change
    surprise: float
    mix: float | None = None  # ratios only
    rate: float | None = None
    focus: float = 0.0  # how much further than the rest it moved (log ratios; module docstring)
    significance: float = 0.0  # how far its change lies outside its own noise (``significance``)

    @property
    def change(self) -> float | None:
        return None if self.before is None or self.after is None else self.after - self.before


@dataclass(frozen=True)
class Explanation:
    dimensions: tuple[str, ...]
    drivers: tuple[Segment, ...]  # the chosen set, largest contribution first
    segments: tuple[Segment, ...]  # every segment of the candidate
    explained: float  # the chosen set's share of the total change
    surprise: float
    standout: bool = False  # one segment that stands out (``standout_explanation``)

    @property
    def explains(self) -> bool:
        return self.standout or (self.explained >= EXPLAINED and self.surprise >= MIN_SURPRISE)

    @property
    def has_remainder(self) -> bool:
        """Drivers named by the remainder or by a flag read worse than named values."""
        return any(v in (REMAINDER, "True", "False") for s in self.drivers for v in s.values)

    def same_drivers(self, other: Explanation) -> bool:
        """Two splits that pick the same amounts (is_organic = True and acquisition_type = organic)."""
        return sorted(round(s.contribution, 9) for s in self.drivers) == sorted(
            round(s.contribution, 9) for s in other.drivers)

    def rank_key(self) -> tuple:
        if self.standout:
            return (-1, -round(self.drivers[0].significance, 9), -round(self.drivers[0].focus, 9))
        # rounded: the same amounts summed in another order (change._Reader) must rank the same
        if self.explains:  # named values before the remainder ("Facebook" before "(none)")
            return (0, len(self.drivers), self.has_remainder, len(self.dimensions), -round(self.surprise, 9))
        return (1, -round(self.explained * self.surprise, 9), self.has_remainder, len(self.dimensions),
                len(self.drivers))


def js_term(p: float, q: float) -> float:
    """One value's term of the Jensen-Shannon divergence between two distributions."""
    m = (p + q) / 2
    return 0.5 * ((p * math.log(p / m) if p > 0 else 0.0) + (q * math.log(q / m) if q > 0 else 0.0))


def _with_remainder(amounts: Mapping[tuple, float], total: float, exact: bool,
                    width: int) -> dict[tuple, float]:
    """Amounts by segment, None values and what no value covers gathered as ``(none)``."""
    found: dict[tuple, float] = {}
    for key, value in amounts.items():
        label = tuple(REMAINDER if v is None else str(v) for v in key)
        found[label] = found.get(label, 0.0) + float(value or 0.0)
    rest = total - sum(found.values())
    if exact and abs(rest) > 1e-9 * max(1.0, abs(total)):
        label = (REMAINDER,) * width
        found[label] = found.get(label, 0.0) + rest
    return found


def focus(before: float, after: float, totals: tuple[float, float]) -> float:
    """How much further (in log ratio) a segment's amount moved than the rest of the total's."""
    eps = SMOOTHING * (abs(totals[0]) + abs(totals[1])) / 2 or 1e-12

    def moved(x: float, y: float) -> float:
        return abs(math.log((max(y, 0.0) + eps) / (max(x, 0.0) + eps)))

    return moved(before, after) - moved(totals[0] - before, totals[1] - after)


def significance(before: float, after: float) -> float:
    """|after - before| / sqrt(|before| + |after|): the change of a count in Poisson standard deviations
    (the conditional test of two Poisson rates), and for sums of many small amounts (revenue, cost) the
    same up to the metric's typical amount, which all segments of one change share. A segment's change
    weighs more the more of it there is: a device model's one large purchase gone is a large relative
    drop in a small amount, a country losing two thirds of its revenue a large drop in a large one."""
    spread = math.sqrt(abs(before) + abs(after))
    return abs(after - before) / spread if spread else 0.0


def _ratio_significance(n0: float, d0: float, n1: float, d1: float, denominators: tuple[float, float],
                        by_rate: bool) -> float:
    """``significance`` of the effect that carries a ratio segment's contribution: its rate (the
    numerator against what it would be at the old ratio on the new denominator) or its mix (its
    denominator against its old share of the new total denominator)."""
    if by_rate:
        return significance(n0 * d1 / d0, n1) if d0 else significance(n0, n1)
    return significance(d0 * denominators[1] / denominators[0], d1) if denominators[0] else 0.0


def _shares(amounts: Mapping[tuple, float]) -> dict[tuple, float]:
    total = sum(amounts.values())
    return {k: (v / total if total else 0.0) for k, v in amounts.items()}


def additive_segments(dimensions: tuple[str, ...], before: Mapping[tuple, float],
                      after: Mapping[tuple, float], totals: tuple[float, float],
                      exact: bool = True) -> list[Segment]:
    width = len(dimensions)
    b, a = _with_remainder(before, totals[0], exact, width), _with_remainder(after, totals[1], exact, width)
    change = totals[1] - totals[0]
    p, q = _shares(b), _shares(a)
    segments = []
    for key in dict.fromkeys([*b, *a]):
        x, y = b.get(key, 0.0), a.get(key, 0.0)
        segments.append(Segment(dimensions, key, x, y, y - x, (y - x) / change if change else 0.0,
                                js_term(p.get(key, 0.0), q.get(key, 0.0)), focus=focus(x, y, totals),
                                significance=significance(x, y)))
    return segments


def _ratio(n: float, d: float) -> float | None:
    return n / d if d else None


def ratio_segments(dimensions: tuple[str, ...], before: Mapping[tuple, tuple[float, float]],
                   after: Mapping[tuple, tuple[float, float]], totals: tuple[tuple[float, float], ...],
                   exact: bool = True) -> list[Segment]:
    """``before``/``after``: (numerator, denominator) per segment; ``totals``: the same, per period."""
    (nb, db), (na, da) = totals
    parts = {}
    for i, (side, (n, d)) in enumerate(((before, (nb, db)), (after, (na, da)))):
        parts[i, 0] = _with_remainder({k: v[0] for k, v in side.items()}, n, exact, len(dimensions))
        parts[i, 1] = _with_remainder({k: v[1] for k, v in side.items()}, d, exact, len(dimensions))
    r0, r1 = _ratio(nb, db) or 0.0, _ratio(na, da) or 0.0
    change, mid = r1 - r0, (r0 + r1) / 2
    shares = {k: _shares(v) for k, v in parts.items()}
    keys = dict.fromkeys(k for v in parts.values() for k in v)
    segments = []
    for key in keys:
        n0, d0, n1, d1 = (parts[i, j].get(key, 0.0) for i in (0, 1) for j in (0, 1))
        w0, w1 = shares[0, 1].get(key, 0.0), shares[1, 1].get(key, 0.0)
        s0, s1 = _ratio(n0, d0), _ratio(n1, d1)
        x = s0 if s0 is not None else (s1 if s1 is not None else 0.0)
        y = s1 if s1 is not None else x
        rate = (y - x) * (w0 + w1) / 2
        mix = (w1 - w0) * ((x + y) / 2 - mid)
        surprise = js_term(shares[0, 0].get(key, 0.0), shares[1, 0].get(key, 0.0)) + js_term(w0, w1)
        moved = max(focus(n0, n1, (nb, na)), focus(d0, d1, (db, da)))
        outside = _ratio_significance(n0, d0, n1, d1, (db, da), abs(rate) >= abs(mix))
        segments.append(Segment(dimensions, key, s0, s1, mix + rate, (mix + rate) / change if change else 0.0,
                                surprise, mix=mix, rate=rate, focus=moved, significance=outside))
    return segments


def explain(dimensions: tuple[str, ...], segments: list[Segment]) -> Explanation:
    """The smallest set of surprising segments that covers ``EXPLAINED`` of the change."""
    chosen, covered = [], 0.0
    for segment in sorted(segments, key=lambda s: (-s.surprise, -s.share)):
        if covered >= EXPLAINED or len(chosen) == MAX_SEGMENTS:
            break
        if segment.share >= MIN_SEGMENT_SHARE:
            chosen.append(segment)
            covered += segment.share
    drivers = tuple(sorted(chosen, key=lambda s: -abs(s.contribution)))
    return Explanation(dimensions, drivers, tuple(segments), covered, sum(s.surprise for s in chosen))


def _named(segment: Segment) -> bool:
    return not any(v in (REMAINDER, "True", "False") for v in segment.values)


def carries(segment: Segment) -> bool:
    """Whether a segment carries enough of the change to stand out: at least half of it, with the total or
    against it (``STANDOUT_SHARE``). Against it, the total is a net of moves that offset each other (a
    country's revenue fell while large purchases elsewhere made the day's total rise), and the segment
    that moved is a cause though the total went the other way; which one leads is then for
    ``significance`` (and the spread of the amounts, ``change._by_spread``) to say."""
    return abs(segment.share) >= STANDOUT_SHARE


def standouts(explanations: list[Explanation]) -> list[Segment]:
    """Segments of single dimensions that stand out (module docstring), the most significant first."""
    found = [s for e in explanations if len(e.dimensions) == 1 for s in e.segments
             if _named(s) and carries(s) and s.focus >= MIN_FOCUS]
    return sorted(found, key=lambda s: (-round(s.significance, 9), -round(s.focus, 9)))


def standout_explanation(segment: Segment, explanations: list[Explanation]) -> Explanation:
    """The split of ``segment`` with that segment alone as its driver."""
    split = next(e for e in explanations if e.dimensions == segment.dimensions)
    return Explanation(split.dimensions, (segment,), split.segments, segment.share, segment.surprise,
                       standout=True)


def ranked(explanations: list[Explanation]) -> list[Explanation]:
    """Best first; a split that picks the same amounts as a better one is left out."""
    kept: list[Explanation] = []
    for candidate in sorted(explanations, key=Explanation.rank_key):
        if not any(candidate.same_drivers(k) for k in kept if candidate.drivers):
            kept.append(candidate)
    return kept
