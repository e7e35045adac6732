"""explain_change on the demo warehouse finds the causes its generator planted
(warehouse/demo/calendar.py), with numbers checked against SQL written by hand."""
from __future__ import annotations

import datetime as dt

import pytest

from app.engine.assistant import Assistant
from app.engine.insights.change import _Reader
from app.engine.insights.periods import Period
from app.engine.insights.shapes import joint_dimensions, metric_shape, segment_dimensions
from app.engine.pipeline.execute import ExecutionError, PlanExecutor
from app.engine.planning.plan import ToolCallPlan
from app.engine.tools import ToolContext
from app.settings import Settings
from common.errors import AsklyticsError
from semantic_layer import DEMO_MODEL_PATH, load_semantic_model

D = dt.date


@pytest.fixture(scope="module")
def executor(duckdb_wh, tmp_path_factory):
    model = load_semantic_model(DEMO_MODEL_PATH)
    models = tmp_path_factory.mktemp("models")
    return PlanExecutor(model, duckdb_wh, max_rows=1000,
                        tool_context=lambda: ToolContext(duckdb_wh, models, D(2026, 7, 1)))


def explain(executor, **arguments):
    execution = executor.run(ToolCallPlan(tool="explain_change", arguments=arguments))
    rows = [dict(zip(execution.result.column_names(), row)) for row in execution.result.rows]
    return execution, rows


def installs_on(demo_sql, day: str, where: str = "TRUE") -> int:
    return demo_sql.execute(f"SELECT COUNT(*) FROM installs WHERE install_time::DATE = DATE '{day}' "
                            f"AND {where}").fetchone()[0]


def test_the_paid_tracking_outage_of_march_10_is_the_paid_installs(executor, demo_sql):
    execution, rows = explain(executor, metric="installs", current_start="2026-03-10")
    total = installs_on(demo_sql, "2026-03-10") - installs_on(demo_sql, "2026-03-03")  # same weekday
    paid = [installs_on(demo_sql, d, "campaign_id IS NOT NULL") for d in ("2026-03-03", "2026-03-10")]
    top = rows[0]
    assert (top["dimension"], top["segment"]) == ("acquisition_type", "paid")
    assert (top["before"], top["after"], top["change"]) == (paid[0], paid[1], paid[1] - paid[0])
    assert top["share_of_change"] == pytest.approx((paid[1] - paid[0]) / total, abs=1e-4)
    assert top["share_of_change"] > 0.85
    assert execution.tool_calls[0].arguments["baseline_start"] == "2026-03-03"
    fell = abs(total) / installs_on(demo_sql, "2026-03-03")
    assert execution.narrative.startswith(f"Installs fell {fell:.0%} (-{abs(total)}) on March 10 vs March 3.")
    assert f"{(paid[1] - paid[0]) / total:.0%} of the drop is acquisition_type = paid" in execution.narrative
    assert execution.chart["type"] == "horizontal_bar"
    assert execution.chart["figure"]["data"][0]["y"][-1] == "acquisition_type = paid"


def test_the_organic_featuring_weekend_is_the_organic_installs(executor):
    _, rows = explain(executor, metric="installs", current_start="2026-02-14", current_end="2026-02-15")
    assert (rows[0]["dimension"], rows[0]["segment"]) == ("acquisition_type", "organic")
    assert rows[0]["change"] > 0 and rows[0]["share_of_change"] > 0.8


def test_the_tiktok_fraud_spike_explains_the_fraud_rate_mostly_by_rate(executor, demo_sql):
    execution, rows = explain(executor, metric="fraud_rate", current_start="2026-04-06",
                              current_end="2026-04-26")
    top = rows[0]
    assert (top["dimension"], top["segment"]) == ("media_source", "TikTok")
    assert top["rate_effect"] > 3 * abs(top["mix_effect"])
    assert top["contribution"] == pytest.approx(top["mix_effect"] + top["rate_effect"])
    before, after = (demo_sql.execute(
        "SELECT AVG(i.is_fraud::INT) FROM installs i JOIN campaigns c USING (campaign_id) WHERE "
        f"c.media_source = 'TikTok' AND i.install_time::DATE BETWEEN DATE '{a}' AND DATE '{b}'").fetchone()[0]
        for a, b in (("2026-03-16", "2026-04-05"), ("2026-04-06", "2026-04-26")))
    assert (top["before"], top["after"]) == (pytest.approx(before), pytest.approx(after))
    assert "media_source = TikTok" in execution.narrative and "mostly its own rate" in execution.narrative


def revenue_of(demo_sql, start: str, end: str, where: str = "TRUE") -> float:
    return demo_sql.execute(f"SELECT SUM(revenue) FROM events WHERE event_time::DATE BETWEEN DATE '{start}' "
                            f"AND DATE '{end}' AND {where}").fetchone()[0]


def test_the_sale_is_the_purchases_and_spread_across_users(executor, demo_sql):
    # the sale of May 22-24 multiplies purchases everywhere: the rise is the purchase revenue (the rest
    # of the revenue stayed), and no country, platform or source of the users stands out
    execution, rows = explain(executor, metric="revenue", current_start="2026-05-22",
                              current_end="2026-05-24")
    top = rows[0]
    assert (top["dimension"], top["segment"]) == ("event_name", "purchase")
    purchases = [revenue_of(demo_sql, a, b, "event_name = 'purchase'")
                 for a, b in (("2026-05-15", "2026-05-17"), ("2026-05-22", "2026-05-24"))]
    assert (top["before"], top["after"]) == (pytest.approx(purchases[0]), pytest.approx(purchases[1]))
    execution, _ = explain(executor, metric="revenue", current_start="2026-05-22", current_end="2026-05-24",
                           dimensions=["country", "platform", "media_source"])
    assert "spread across segments" in execution.narrative


def test_filters_and_named_dimensions_narrow_the_split(executor, demo_sql):
    _, rows = explain(executor, metric="installs", current_start="2026-03-10", dimensions=["media_source"],
                      filters=[{"dimension": "platform", "op": "=", "values": ["iOS"]}])
    assert {r["dimension"] for r in rows} == {"media_source"}
    where = ("platform = 'iOS' AND campaign_id IN "
             "(SELECT campaign_id FROM campaigns WHERE media_source = 'Facebook')")
    facebook = [installs_on(demo_sql, d, where) for d in ("2026-03-03", "2026-03-10")]
    row = next(r for r in rows if r["segment"] == "Facebook")
    assert (row["before"], row["after"]) == tuple(facebook)


@pytest.mark.parametrize(("arguments", "code", "words"), [
    ({"metric": "cpm", "current_start": "2026-06-01"}, "not_decomposable", "ask why cost, impressions"),
    ({"metric": "installs", "current_start": "2026-06-01", "dimensions": ["event_name"]}, "not_decomposable",
     "cannot be split by event_name"),
    ({"metric": "no_such_metric", "current_start": "2026-06-01"}, "not_decomposable", "unknown metric"),
    ({"metric": "installs", "current_start": "2026-06-02", "current_end": "2026-06-01"}, "invalid_arguments",
     "after it ends"),
])
def test_questions_it_cannot_answer_get_clear_errors(executor, arguments, code, words):
    with pytest.raises(ExecutionError) as caught:
        executor.run(ToolCallPlan(tool="explain_change", arguments=arguments))
    assert caught.value.code == code and words in caught.value.message


def test_the_assistant_answers_why_with_drivers_a_narrative_and_a_chart(demo_db_path, duckdb_wh):
    assistant = Assistant(Settings(warehouse_path=demo_db_path), warehouse=duckdb_wh)
    answer = assistant.ask("why did installs drop on March 10?")
    assert answer.status == "answered" and answer.tool_calls[0].name == "explain_change"
    assert [c.name for c in answer.columns][:6] == ["dimension", "segment", "before", "after", "change",
                                                   "share_of_change"]
    assert answer.rows[0][:2] == ["acquisition_type", "paid"]
    assert answer.answer.startswith("Installs fell") and answer.chart.type == "horizontal_bar"


def test_revenue_split_by_an_install_attribute_keeps_the_organic_users(executor, demo_sql):
    # the grouped read (one query per table's dimensions) once grouped is_organic with the campaign's
    # columns, whose join drops organic users: their revenue vanished from the is_organic split
    model = load_semantic_model(DEMO_MODEL_PATH)
    shape = metric_shape(model, "revenue")
    joint = joint_dimensions(model, shape, segment_dimensions(model, shape))
    assert ("campaign_name", "media_source", "channel", "ad_format") in joint
    assert all(not {"is_organic", "media_source"} <= set(group) for group in joint)
    reader = _Reader(executor._query_rows, shape, (), joint)
    split = reader.read(("is_organic",), Period(D(2026, 6, 1), D(2026, 6, 7)))
    truth = dict(demo_sql.execute(
        "SELECT i.campaign_id IS NULL, SUM(e.revenue) FROM events e JOIN installs i USING (user_id) "
        "WHERE e.event_time::DATE BETWEEN DATE '2026-06-01' AND DATE '2026-06-07' GROUP BY 1").fetchall())
    assert {k[0]: round(v[0], 2) for k, v in split.items()} == {k: round(v, 2) for k, v in truth.items()}


@pytest.mark.parametrize("metric", ["arpu", "revenue", "cpi"])
def test_grouped_reads_give_every_split_the_amounts_of_its_own_query_in_fewer_queries(executor, metric):
    # distinct users of events add up over an install's or a campaign's attributes (one install per
    # user), so ARPU's splits by them are summed from one query per table as sums and counts are
    model = load_semantic_model(DEMO_MODEL_PATH)
    shape = metric_shape(model, metric)
    candidates = segment_dimensions(model, shape)
    joint = joint_dimensions(model, shape, candidates)
    made = {"grouped": 0, "alone": 0}

    def counting(kind):
        def run(query):
            made[kind] += 1
            return executor._query_rows(query)
        return run

    period = Period(D(2026, 6, 1), D(2026, 6, 2))
    grouped, alone = _Reader(counting("grouped"), shape, (), joint), _Reader(counting("alone"), shape, (), ())
    grouped.prefetch([(d,) for d in candidates], (period,))
    for dimension in candidates:
        try:
            expected = alone.read((dimension,), period)
        except AsklyticsError:  # a table not built in the test warehouse (RFM segments, clusters)
            continue
        found = grouped.read((dimension,), period)
        assert {k: [round(v, 6) for v in a] for k, a in found.items()} == {
            k: [round(v, 6) for v in a] for k, a in expected.items()}, dimension
    assert made["grouped"] < made["alone"]


def test_distinct_counts_are_grouped_only_by_what_the_counted_key_decides():
    model = load_semantic_model(DEMO_MODEL_PATH)
    arpu = metric_shape(model, "arpu")
    grouped = {d for group in joint_dimensions(model, arpu, segment_dimensions(model, arpu)) for d in group}
    assert {"device_model", "os_version", "media_source", "campaign_name"} <= grouped
    assert "event_name" not in grouped  # a user has many events: its distinct users do not add up
    dau = metric_shape(model, "dau")  # a per-day distinct count averaged over days
    assert joint_dimensions(model, dau, segment_dimensions(model, dau)) == ()


def test_a_name_two_tables_declare_is_grouped_with_the_table_the_measures_read_it_from():
    # revenue's country and platform are the install's (events reach installs first), so they join the
    # install's other attributes; cost reads them from the campaign and installs from the install, so
    # CPI's are read alone.
    model = load_semantic_model(DEMO_MODEL_PATH)

    def group_of(metric: str, dimension: str) -> set[str]:
        shape = metric_shape(model, metric)
        groups = joint_dimensions(model, shape, segment_dimensions(model, shape))
        return next((set(g) for g in groups if dimension in g), set())

    assert {"country", "platform", "is_organic"} <= group_of("revenue", "acquisition_type")  # the rollup's
    assert {"country", "platform", "acquisition_type"} <= group_of("arpu", "is_organic")
    assert "media_source" not in group_of("arpu", "country")
    assert group_of("cpi", "country") == set() and group_of("cpi", "platform") == set()


def test_a_grouped_read_that_reaches_the_row_cap_is_read_split_by_split(duckdb_wh, tmp_path):
    # the guard caps every query at max_rows without saying so; revenue by device model x OS version x
    # fraud type over a week has more rows than a cap of 50, so the device models summed from that
    # query would have lost the smallest rows: the cap is known, and each split is read by itself
    model = load_semantic_model(DEMO_MODEL_PATH)
    capped = PlanExecutor(model, duckdb_wh, max_rows=50,
                          tool_context=lambda: ToolContext(duckdb_wh, tmp_path, D(2026, 7, 1)))
    shape = metric_shape(model, "revenue")
    joint = joint_dimensions(model, shape, segment_dimensions(model, shape))
    group = next(g for g in joint if "device_model" in g)
    period = Period(D(2026, 6, 1), D(2026, 6, 7))
    grouped = _Reader(capped._query_rows, shape, (), joint, row_cap=50)
    rows, cut = grouped.read_all(group, period)
    assert cut and len(rows) == 50
    alone = _Reader(capped._query_rows, shape, (), ())

    def rounded(found: dict) -> dict:
        return {k: round(v[0], 6) for k, v in found.items()}

    assert rounded(grouped.read(("device_model",), period)) == rounded(alone.read(("device_model",), period))
    unaware = _Reader(capped._query_rows, shape, (), joint)  # before: the cut read looked whole
    assert sum(v[0] for v in unaware.read(("device_model",), period).values()) < sum(
        v[0] for v in alone.read(("device_model",), period).values())
