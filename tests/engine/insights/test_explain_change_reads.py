"""explain_change's reads (change._Reader) in fewer queries give every split the amounts of its own
query: the squares of the amounts read along with base-table reads, a pair read in the other order, the
pairs of the best singles summed from one read. Demo warehouse, each split checked against a query of
its own."""
from __future__ import annotations

import datetime as dt

import pytest

from app.engine.insights.change import _pairs_together, _Reader
from app.engine.insights.periods import Period
from app.engine.insights.shapes import joint_dimensions, metric_shape, segment_dimensions
from app.engine.pipeline.execute import PlanExecutor
from app.engine.tools import ToolContext
from semantic_layer import DEMO_MODEL_PATH, SemanticQuery, load_semantic_model

D = dt.date
PERIOD = Period(D(2026, 6, 1), D(2026, 6, 2))


@pytest.fixture(scope="module")
def model():
    return load_semantic_model(DEMO_MODEL_PATH)


@pytest.fixture(scope="module")
def executor(model, duckdb_wh, tmp_path_factory):
    models = tmp_path_factory.mktemp("models")
    return PlanExecutor(model, duckdb_wh, max_rows=1000,
                        tool_context=lambda: ToolContext(duckdb_wh, models, D(2026, 7, 1)))


class Counting:
    def __init__(self, executor):
        self.executor, self.queries = executor, []

    def __call__(self, query: SemanticQuery):
        self.queries.append(query)
        return self.executor._query_rows(query)


def _rounded(found: dict) -> dict:
    return {tuple(map(str, k)): [round(x, 6) for x in (v if isinstance(v, tuple) else (v,))]
            for k, v in found.items()}


def _reader(model, executor, metric: str, squares: bool = False) -> tuple[_Reader, Counting]:
    shape = metric_shape(model, metric)
    run = Counting(executor)
    joint = joint_dimensions(model, shape, segment_dimensions(model, shape))
    return _Reader(run, shape, (), joint, 1000, "sum_squares:revenue" if squares else None, model), run


@pytest.mark.parametrize("metric, dimension", [("arpu", "device_model"), ("arpu", "country"),
                                               ("revenue", "os_version")])
def test_squares_read_along_with_a_base_table_read_are_those_of_their_own_query(model, executor, metric,
                                                                                dimension):
    reader, run = _reader(model, executor, metric, squares=True)
    found = reader.squared((dimension,), PERIOD)
    assert any("sum_squares:revenue" in q.metrics for q in run.queries)
    own = _Reader(executor._query_rows, metric_shape(model, "sum_squares:revenue"), ())
    assert found and _rounded(found) == _rounded(own.read((dimension,), PERIOD))
    alone, _ = _reader(model, executor, metric)
    assert _rounded(reader.read((dimension,), PERIOD)) == _rounded(alone.read((dimension,), PERIOD))


def test_a_read_a_rollup_answers_gets_no_squares(model, executor):
    # revenue by country: the events_daily rollup answers it; a square would send it to the base tables
    reader, run = _reader(model, executor, "revenue", squares=True)
    assert reader.squared(("country",), PERIOD) is None
    assert all("sum_squares:revenue" not in q.metrics for q in run.queries)


def test_a_pair_read_in_the_other_order_is_not_read_again(model, executor):
    reader, run = _reader(model, executor, "installs")
    first = reader.read(("media_source", "country"), PERIOD)
    made = len(run.queries)
    swapped = reader.read(("country", "media_source"), PERIOD)
    assert len(run.queries) == made
    assert swapped == {(c, m): v for (m, c), v in first.items()}


def test_the_pairs_of_the_best_singles_come_from_one_read_with_the_amounts_of_their_own(model, executor):
    reader, run = _reader(model, executor, "arpu")
    singles = ("country", "campaign_name", "media_source")
    for d in singles:
        reader.read((d,), PERIOD)
    _pairs_together(model, reader, singles, (PERIOD,))
    before = len(run.queries)
    pairs = [("country", "campaign_name"), ("country", "media_source"), ("campaign_name", "media_source")]
    found = {p: reader.read(p, PERIOD) for p in pairs}
    assert len(run.queries) == before + 1  # the three together; campaign x source from the campaigns' read
    alone, _ = _reader(model, executor, "arpu")
    alone.joint = ()
    for pair in pairs:
        assert _rounded(found[pair]) == _rounded(alone.read(pair, PERIOD)), pair


def test_a_pair_of_one_table_is_not_summed_from_a_read_that_joins_another(model, executor):
    # country x platform summed from a read by campaign too would lose the organic users' amounts
    reader, _ = _reader(model, executor, "arpu")
    reader.joint = (("platform", "campaign_name"),)  # a pair read already, as a group holds it
    singles = ("country", "platform", "campaign_name")
    for d in singles:
        reader.read((d,), PERIOD)
    _pairs_together(model, reader, singles, (PERIOD,))
    assert reader.queried(("country", "platform"))
    alone = _Reader(executor._query_rows, metric_shape(model, "arpu"), ())
    assert _rounded(reader.read(("country", "platform"), PERIOD)) == _rounded(
        alone.read(("country", "platform"), PERIOD))
