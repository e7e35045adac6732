"""The shipped suites: they load, cover what the issue asks, and every gold SQL runs.

Gold SQL is hand-written; this is the check that it executes on the demo
warehouse and returns rows (zero rows only where the case is about an empty
period such as "this quarter"), and that a top-N cut is not a tie, which
would make more than one answer right.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest

from evals.suite import load_suite

SUITES = Path(__file__).resolve().parents[2] / "evals" / "suites"
CORE = load_suite(SUITES / "demo-core.yaml")
PARAPHRASE = load_suite(SUITES / "paraphrase.yaml")
ANSWERED = [c for s in (CORE, PARAPHRASE) for c in s.cases if c.expect == "answered"]

METRICS = {
    "cost",
    "impressions",
    "clicks",
    "installs",
    "paid_installs",
    "organic_installs",
    "revenue",
    "attributed_revenue",
    "roas",
    "cpi",
    "ctr",
    "cvr",
    "fraud_installs",
    "fraud_rate",
    "paying_users",
    "arpu",
    "arppu",
    "dau",
    "sessions",
    "d1_retention",
    "d7_retention",
    "d30_retention",
}
DIMENSIONS = {
    "campaign_name",
    "media_source",
    "platform",
    "country",
    "channel",
    "ad_format",
    "device_model",
    "os_version",
    "event_name",
    "fraud_type",
    "grain_day",
    "grain_week",
    "grain_month",
    "grain_quarter",
}
TIME_EXPRESSIONS = {
    "last_month",
    "last_n_days",
    "yesterday",
    "this_year",
    "last_quarter",
    "this_quarter",
    "last_week",
    "named_month",
    "named_quarter",
    "date_range",
    "single_day",
}
KINDS = {
    "top_n",
    "bottom_n",
    "filter",
    "negation",
    "organic_vs_paid",
    "retention",
    "share",
    "time_series",
    "follow_up_filter",
    "follow_up_grain",
    "follow_up_metric",
    "follow_up_period",
    "follow_up_chart",
    "refusal_write",
    "refusal_file",
    "refusal_secret",
    "refusal_off_topic",
    "clarification",
    "follow_up_no_referent",
}


def test_sizes():
    assert CORE.name == "demo-core" and len(CORE.cases) >= 150
    assert PARAPHRASE.name == "paraphrase" and len(PARAPHRASE.cases) >= 120


@pytest.mark.parametrize(
    "wanted",
    [METRICS, DIMENSIONS, TIME_EXPRESSIONS, KINDS],
    ids=["metrics", "dimensions", "time_expressions", "kinds"],
)
def test_core_covers_the_issue(wanted):
    assert wanted - set(CORE.tags()) == set()


def test_every_paraphrase_base_has_three_phrasings_with_one_gold():
    bases: dict[str, list] = defaultdict(list)
    for case in PARAPHRASE.cases:
        base = next(t for t in case.tags if t.startswith("base_"))
        bases[base].append(case)
    assert len(bases) >= 40
    for base, cases in bases.items():
        assert len(cases) >= 3, base
        assert len({c.question for c in cases}) == len(cases), base
        assert len({(c.gold_sql, c.expect, c.ordered, c.chart) for c in cases}) == 1, base


@pytest.mark.parametrize("case", ANSWERED, ids=lambda c: c.id)
def test_gold_sql_runs_and_returns_rows(duckdb_wh, case):
    result = duckdb_wh.execute(case.gold_sql)
    if "empty_period" in case.tags:
        assert result.rows == []
    else:
        assert result.rows, "gold returned no rows"
        assert not all(v is None for row in result.rows for v in row), "gold returned only NULLs"
    assert not result.truncated


@pytest.mark.parametrize("case", [c for c in ANSWERED if c.ordered], ids=lambda c: c.id)
def test_top_n_cut_is_not_a_tie(duckdb_wh, case):
    limit = re.search(r"LIMIT (\d+)\s*$", case.gold_sql.strip())
    assert limit, "ordered cases end in LIMIT n"
    n = int(limit.group(1))
    rows = duckdb_wh.execute(case.gold_sql.strip()[: limit.start()] + f"LIMIT {n + 1}").rows
    ranked = [row[-1] for row in rows]
    assert len(set(ranked)) == len(ranked), f"tie within or at the top-{n} cut: {ranked}"
