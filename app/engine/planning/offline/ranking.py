"""Top/bottom N and sort direction: "top 5 campaigns", "worst CPI", "lowest fraud rate first".

"Best" and "worst" depend on the metric: more ROAS is better, more CPI is worse. The metrics
whose best is their lowest come from the model (``lexicon.lower_is_better``: costs and harms), so
"worst CPI" sorts descending and "best fraud rate" ascending.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from app.engine.nlp.numbers import NUMBER_PATTERN, parse_number

DEFAULT_TOP_N = 10
_HIGH = (
    r"top|highest|largest|biggest|greatest|most|max(?:imum)?|leading|strongest|heaviest|higher|more|richest"
    r"|busiest"
)
_LOW = (r"bottom|lowest|smallest|least|fewest|min(?:imum)?|weakest|lightest|lower|less|cheapest|poorest"
        r"|quietest")
_GOOD = (
    r"best(?:[\s-]+performing)?|top[\s-]+performing|most\s+(?:efficient|profitable|successful)|"
    r"strongest\s+performing|"
    r"(?:crushing|killing|nailing|smashing)\s+it"
)  # chat: "which source is crushing it on installs"
_BAD = (
    r"worst(?:[\s-]+performing)?|under[\s-]?performing|poorest[\s-]+performing|least\s+(?:efficient|"
    r"profitable)"
)
_DEAR = r"most\s+expensive|priciest|costliest|expensive"
_SUPERLATIVE = re.compile(  # "at least one purchase" / "at most 3 sessions" rank nothing
    rf"(?<!\bat\s)\b(?:(?P<good>{_GOOD})|(?P<bad>{_BAD})|(?P<dear>{_DEAR})|(?P<high>{_HIGH})|"
    rf"(?P<low>{_LOW}))\b(?!\s+than)"
)


def is_ranking_word(word: str) -> bool:
    """One word that ranks ("worst", "top", "busiest")."""
    return _SUPERLATIVE.fullmatch(word) is not None


_N_AFTER = re.compile(rf"^[\s-]*(?P<n>{NUMBER_PATTERN})\b")
_N_BEFORE = re.compile(rf"\b(?P<n>{NUMBER_PATTERN})[\s-]*$")
_EXPLICIT_ORDER = re.compile(r"\b(?:(?P<asc>ascending|asc|low(?:est)?\s+to\s+high(?:est)?|smallest\s+first|"
                             r"lowest\s+first|increasing)|(?P<desc>descending|desc|"
                             r"high(?:est)?\s+to\s+low(?:est)?|"
                             r"largest\s+first|highest\s+first|biggest\s+first|decreasing)|"
                             # "months ranked by cancellation rate": a ranking, highest first unless
                             # the question says otherwise ("sorted by flights ascending")
                             r"(?P<ranked>(?:ranked|ranking|sorted|ordered)(?=\s+(?:them\s+)?by\b)))\b")
_LIMIT_ONLY = re.compile(
    # "first 2013 flight": a year is no count
    rf"\b(?:limit(?:\s+(?:it|to|results?\s+to))?|only|just|first|show)\s+(?!(?:19|20)\d\d\s+[a-z])"
    rf"(?P<n>{NUMBER_PATTERN})\b"
    r"(?!\s*(?:(?:days?|weeks?|months?|quarters?|years?|numbers?|figures?|values?|totals?)\b|%))"
)


@dataclass(frozen=True)
class Ranking:
    direction: str | None  # "asc" | "desc" | None (no sort asked)
    limit: int | None
    spans: tuple[tuple[int, int], ...]
    sense: str  # "high" | "low" | "good" | "bad" | "order" | ""
    superlative: bool  # a superlative without a number ("which source has the highest ...")


def find_ranking(
    folded: str, blocked: list[tuple[int, int]], metric_starts: frozenset[int] = frozenset()
) -> Ranking | None:
    """The superlative or explicit order of the question, with its N when given.

    Of several superlatives, the one right before a metric name says the direction ("which 5 campaigns are
    wasting the most money? lowest ROAS"), else the first; an N may come with another one ("which campaigns
    ate the most budget? top 5 please").
    """
    found = [m for m in _SUPERLATIVE.finditer(folded) if not _blocked(m.span(), blocked)]
    if found:
        chosen = next((m for m in found if _names_metric(folded, m, metric_starts)), found[0])
        sense = next(k for k, v in chosen.groupdict().items() if v)
        limit, span = _number_for(folded, chosen, blocked)
        for other in (m for m in found if m is not chosen and limit is None):
            limit, span = _number_near(folded, other, blocked)
            span = span and (min(span[0], other.start()), max(span[1], other.end()))
        spans = (chosen.span(),) + ((span,) if span else ())
        return Ranking(None, limit, spans, sense, limit is None)
    orders = list(_EXPLICIT_ORDER.finditer(folded))
    if orders:
        order = next((o for o in orders if not o.group("ranked")), orders[0])
        limit = _plain_limit(folded, blocked)
        spans = tuple(o.span() for o in orders) + ((limit[1],) if limit else ())
        return Ranking("asc" if order.group("asc") else "desc", limit and limit[0], spans, "order", False)
    limit = _plain_limit(folded, blocked)
    return Ranking(None, limit[0], (limit[1],), "limit", False) if limit else None


def direction_for(ranking: Ranking, metric: str | None, lower_is_better: frozenset[str]) -> str:
    """asc/desc for the ranking's words applied to ``metric`` (its polarity decides best/worst)."""
    if ranking.direction:
        return ranking.direction
    lower_better = metric in lower_is_better
    if ranking.sense == "good":
        return "asc" if lower_better else "desc"
    if ranking.sense == "bad":
        return "desc" if lower_better else "asc"
    return "asc" if ranking.sense == "low" else "desc"


def _names_metric(folded: str, match: re.Match, metric_starts: frozenset[int]) -> bool:
    gap = re.match(r"\s+(?:the\s+|our\s+)?", folded[match.end():])
    return bool(gap) and match.end() + gap.end() in metric_starts


def _number_for(folded: str, match: re.Match, blocked) -> tuple[int | None, tuple[int, int] | None]:
    limit, span = _number_near(folded, match, blocked)
    if not limit:
        limit, span = _number_before_noun(folded[:match.start()], blocked)
    return (limit, span) if limit else (None, None)  # "10,000": its "000" counts no rows


def _number_near(folded: str, match: re.Match, blocked) -> tuple[int | None, tuple[int, int] | None]:
    after = _N_AFTER.match(folded[match.end():])
    if after and not _is_time_unit(folded[match.end() + after.end():]):
        start = match.end() + after.start("n")
        return parse_number(after.group("n")), (start, match.end() + after.end())
    before = _N_BEFORE.search(folded[:match.start()])
    if before and before.group("n").strip() not in ("a", "an") and not _blocked(before.span("n"), blocked):
        return parse_number(before.group("n")), before.span("n")
    return None, None


# "which 3 sources had the most", and a question that opens with its count: "5 campaigns with the
# cheapest CPI".
_COUNTED_NOUN = re.compile(
    rf"(?:\b(?:which|what|the|top|show|list|give\s+me|our)\s+|^\s*|(?<!\d)[:;,!?]\s*)(?P<n>{NUMBER_PATTERN})\s+[a-z]+"
)


def _number_before_noun(before: str, blocked) -> tuple[int | None, tuple[int, int] | None]:
    """ "which 3 sources had the most": the number counts the rows asked for."""
    match = _COUNTED_NOUN.search(before)
    if match is None or _blocked(match.span("n"), blocked) or _is_time_unit(before[match.end("n"):]):
        return None, None
    return parse_number(match.group("n")), match.span("n")


def _plain_limit(folded: str, blocked=()) -> tuple[int, tuple[int, int]] | None:
    match = _LIMIT_ONLY.search(folded)
    if match is None or _blocked(match.span("n"), blocked):
        return None
    value = parse_number(match.group("n"))
    return (value, match.span()) if value else None


def _is_time_unit(rest: str) -> bool:
    return bool(re.match(r"\s*(?:days?|weeks?|months?|quarters?|years?|hours?)\b", rest))


def _blocked(span: tuple[int, int], blocked) -> bool:
    return any(span[0] < end and start < span[1] for start, end in blocked)
