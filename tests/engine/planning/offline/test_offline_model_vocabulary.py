"""The planner's words about the data come from the model, not from code (#18)."""
from __future__ import annotations

import datetime as dt

import yaml

from app.engine.planning.offline import OfflinePlanner
from app.engine.planning.offline.defaults import lower_is_better
from app.engine.planning.plan import PlanningContext
from semantic_layer.loader import load_semantic_model

AS_OF = PlanningContext(as_of=dt.date(2014, 1, 1))


def _model(tmp_path, vocabulary=None):
    spec = {
        "semantic_models": [{
            "name": "flights", "table": "flights",
            "description": "One row per scheduled flight that left NYC.",
            "entities": [{"name": "flight", "type": "primary", "expr": "id"}],
            "dimensions": [
                {"name": "flight_date", "type": "time", "expr": "day", "description": "Day.",
                 "type_params": {"time_granularity": "day"}},
                {"name": "carrier", "type": "categorical", "description": "Airline code."},
                {"name": "origin", "type": "categorical", "description": "Airport the flight left from."},
                {"name": "dest", "type": "categorical", "description": "Airport the flight went to."}],
            "measures": [
                {"name": "flights", "agg": "count", "expr": "id", "agg_time_dimension": "flight_date"},
                {"name": "dep_delay", "agg": "average", "expr": "dep_delay",
                 "agg_time_dimension": "flight_date"},
                {"name": "seats", "agg": "sum", "expr": "seats", "agg_time_dimension": "flight_date"}]}],
        "metrics": [
            {"name": "flights", "type": "simple", "description": "Flights.", "units": "count",
             "type_params": {"measure": "flights"}},
            {"name": "avg_dep_delay", "type": "simple", "description": "Mean departure delay.",
             "units": "minutes", "synonyms": ["average departure delay", "departure delay"],
             "type_params": {"measure": "dep_delay"}},
            {"name": "seats", "type": "simple", "description": "Seats offered.", "units": "count",
             "type_params": {"measure": "seats"}}],
    }
    if vocabulary:
        spec["vocabulary"] = vocabulary
    path = tmp_path / "model.yaml"
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    return load_semantic_model(path)


def test_costs_and_harms_are_known_by_name_or_by_the_model(tmp_path):
    assert lower_is_better(_model(tmp_path)) == {"avg_dep_delay"}
    assert lower_is_better(_model(tmp_path, {"lower_is_better": ["seats"]})) == {"avg_dep_delay", "seats"}
    demo = lower_is_better(load_semantic_model())
    assert {"cost", "cpi", "cpc", "cpm", "fraud_rate", "fraud_installs"} <= demo
    assert not {"roas", "revenue", "installs", "retention_d7"} & demo


def test_worst_delay_is_the_longest(tmp_path):
    planner = OfflinePlanner(_model(tmp_path), embedder=False)
    for question, direction in (("which carrier had the worst average departure delay", "desc"),
                                ("best carrier by average departure delay", "asc"),
                                ("carrier with the most seats", "desc")):
        plan = planner.plan(question, AS_OF)
        assert plan.query.order_by[0].direction == direction, question


def test_description_and_unit_words_count_for_the_metric_they_describe(tmp_path):
    planner = OfflinePlanner(_model(tmp_path), embedder=False)
    plan = planner.plan("how many flights were scheduled", AS_OF)  # the table's description
    assert plan.kind == "semantic_query" and plan.query.metrics == ("flights",)
    plan = planner.plan("average departure delay in minutes by carrier", AS_OF)  # units: minutes
    assert plan.kind == "semantic_query" and plan.query.metrics == ("avg_dep_delay",)
    # a description word never stands in for something the model does not have
    assert planner.plan("how many passengers were scheduled", AS_OF).kind == "clarification"


def test_described_words_leave_other_items_their_own_words(tmp_path):
    from app.engine.planning.offline.described import described_words, root

    metrics, _ = described_words(_model(tmp_path))
    assert {root("scheduled"), root("nyc")} <= metrics["flights"]  # the table's description
    assert root("minutes") in metrics["avg_dep_delay"] and root("flights") not in metrics["flights"]
    assert root("left") == root("leaving") and root("flew") == root("fly") and root("spent") == root("spend")


def test_compared_values_are_of_one_kind(tmp_path):
    """LGA is an origin and a destination, JFK only an origin: "JFK vs LGA" compares origins."""
    from app.engine.nlp.values import ValueResolver
    from warehouse.base import Schema

    values = ValueResolver.from_schema(Schema({}), {}, extra_values={"origin": ["JFK", "LGA", "EWR"],
                                                                     "dest": ["LGA", "ATL", "LAX"]})
    planner = OfflinePlanner(_model(tmp_path), values=values, embedder=False)
    plan = planner.plan("compare flights from JFK vs LGA", AS_OF)
    assert [(f.dimension, set(f.values)) for f in plan.query.filters] == [("origin", {"JFK", "LGA"})]
    assert plan.query.dimensions == ("origin",)
    assert planner.plan("flights to LGA", AS_OF).kind == "clarification"  # nothing settles it


def test_a_value_included_in_a_breakdown_is_a_row_not_a_filter(tmp_path):
    from app.engine.nlp.values import ValueResolver
    from warehouse.base import Schema

    values = ValueResolver.from_schema(Schema({}), {}, extra_values={"carrier": ["UA", "DL", "regional"]})
    planner = OfflinePlanner(_model(tmp_path), values=values, embedder=False)
    for question in ("flights by carrier, regional included", "flights by carrier including regional",
                     "flights by carrier, regional as its own line"):
        plan = planner.plan(question, AS_OF)
        assert plan.kind == "semantic_query" and plan.query.filters == (), question
        assert plan.query.dimensions == ("carrier",)
    plan = planner.plan("flights by carrier for regional", AS_OF)  # no cue: a filter as before
    assert [f.values for f in plan.query.filters] == [("regional",)]


def test_a_metric_named_by_its_own_name_beats_a_value_spelled_alike(tmp_path):
    from app.engine.nlp.values import ValueResolver
    from warehouse.base import Schema

    values = ValueResolver.from_schema(Schema({}), {}, extra_values={"carrier": ["seat", "UA"]})
    planner = OfflinePlanner(_model(tmp_path), values=values, embedder=False)
    plan = planner.plan("how many flights and seats did UA offer", AS_OF)  # two metrics named
    assert set(plan.query.metrics) == {"flights", "seats"}
    assert [f.values for f in plan.query.filters] == [("UA",)]


def test_a_name_beside_a_code_and_a_command_verb_are_read_as_written(tmp_path):
    from app.engine.nlp.values import ValueResolver
    from warehouse.base import Schema

    values = ValueResolver.from_schema(Schema({}), {}, extra_values={"dest": ["BOS", "ATL", "LAX"]})
    planner = OfflinePlanner(_model(tmp_path), values=values, embedder=False)
    for question in ("how many flights went to Boston (BOS)", "flights to ATL (Atlanta)"):
        plan = planner.plan(question, AS_OF)
        assert plan.kind == "semantic_query" and len(plan.query.filters) == 1, question
    assert planner.plan("how many flights went to Boston", AS_OF).kind == "clarification"


def _delays(tmp_path):
    _model(tmp_path)
    spec = yaml.safe_load((tmp_path / "model.yaml").read_text())
    table = spec["semantic_models"][0]
    table["dimensions"] += [
        {"name": "dep_delay_minutes", "type": "numeric", "expr": "dep_delay", "units": "minutes",
         "description": "Departure delay.", "synonyms": ["departure delay minutes", "minutes late leaving"]},
        {"name": "arr_delay_minutes", "type": "numeric", "expr": "arr_delay", "units": "minutes",
         "description": "Arrival delay.", "synonyms": ["arrival delay minutes", "minutes late arriving"]},
        {"name": "distance_miles", "type": "numeric", "expr": "distance", "units": "miles",
         "description": "Route length.", "synonyms": ["route length"]}]
    spec["metrics"] += [
        {"name": "delayed_flights", "type": "simple", "description": "Flights that left 15+ minutes late.",
         "units": "count", "type_params": {"measure": "flights"},
         "filter": [{"dimension": "dep_delay_minutes", "op": ">=", "values": [15]}]},
        {"name": "delay_rate", "type": "ratio", "description": "Delayed flights / flights.", "units": "ratio",
         "type_params": {"numerator": "delayed_flights", "denominator": "flights"}}]
    (tmp_path / "model.yaml").write_text(yaml.safe_dump(spec), encoding="utf-8")
    return load_semantic_model(tmp_path / "model.yaml")


def test_a_number_in_a_unit_is_a_threshold_on_the_dimension_in_that_unit(tmp_path):
    planner = OfflinePlanner(_delays(tmp_path), embedder=False)
    plan = planner.plan("how many flights on routes longer than 2,000 miles", AS_OF)
    assert [(f.dimension, f.op, f.values) for f in plan.query.filters] == [("distance_miles", ">", (2000.0,))]
    plan = planner.plan("how many flights left more than 2 hours late", AS_OF)  # "leaving": departure
    assert [(f.dimension, f.values) for f in plan.query.filters] == [("dep_delay_minutes", (120.0,))]
    # two delays in minutes and nothing saying which: no guess
    assert planner.plan("how many flights were over 30 minutes", AS_OF).kind == "clarification"


def test_a_share_of_a_filtered_count_is_its_rate(tmp_path):
    planner = OfflinePlanner(_delays(tmp_path), embedder=False)
    plan = planner.plan("percentage of delayed flights (15+ min late) by carrier", AS_OF)
    assert plan.query.metrics == ("delay_rate",) and plan.query.filters == () and plan.query.share is None
    plan = planner.plan("what fraction of delayed flights came from each carrier", AS_OF)
    assert plan.query.share is not None  # each carrier's slice of all delayed flights


def test_a_dimension_phrase_beats_a_grain_and_each_value_asked_is_a_row(tmp_path):
    from app.engine.nlp.values import ValueResolver
    from warehouse.base import Schema

    _model(tmp_path)
    data = yaml.safe_load((tmp_path / "model.yaml").read_text())
    data["semantic_models"][0]["dimensions"].append(
        {"name": "weekday", "type": "categorical", "description": "Day name.",
         "synonyms": ["day of the week"]})
    (tmp_path / "model.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    values = ValueResolver.from_schema(Schema({}), {}, extra_values={"dest": ["LAX", "SFO", "BOS"]})
    planner = OfflinePlanner(load_semantic_model(tmp_path / "model.yaml"), values=values, embedder=False)
    plan = planner.plan("how many flights were there on each day of the week", AS_OF)
    assert plan.query.dimensions == ("weekday",) and plan.query.grain is None
    assert planner.plan("daily flights", AS_OF).query.grain == "day"
    plan = planner.plan("how many flights went to LAX and how many to SFO", AS_OF)
    assert plan.query.dimensions == ("dest",)


def test_the_model_says_what_the_demo_tables_in_code_used_to():
    """The roles the planner once read from lists of demo names, read from the demo model itself."""
    from app.engine.planning.offline import defaults

    demo = load_semantic_model()
    assert defaults.unit_prices(demo) == {"clicks": "cpc", "impressions": "cpm", "installs": "cpi",
                                          "paid_installs": "cpi"}
    assert defaults.plain_names(demo, "paid_installs") == {"paid_installs", "installs"}
    assert defaults.plain_names(demo, "attributed_revenue") == {"attributed_revenue", "revenue"}
    assert {"dau", "ctr", "roas", "retention_d7", "avg_churn_probability"} <= defaults.averaged_metrics(demo)
    assert not {"installs", "revenue", "cost"} & defaults.averaged_metrics(demo)
    assert defaults.people_metrics(demo) == ("active_users", "dau")
    assert defaults.event_measure(demo) == "event_count"
    assert defaults.counting_metric(demo, "campaign_name") == "campaign_count"
    assert defaults.counted_dimension(demo, "campaign_count") == "campaign_name"
    assert defaults.spend_metric(demo, lower_is_better(demo)) == "cost"
    assert defaults.row_count_metric(demo, "event_name") == "event_count"
    assert defaults.row_count_metric(demo, "country") == "installs"  # the fact table, not campaigns


def test_a_metric_first_before_a_determiner_is_no_command(tmp_path):
    """ "make it top 10" is a command; "flights this month" asks for flights."""
    planner = OfflinePlanner(_model(tmp_path), embedder=False)
    for question in ("flights this month", "seats this year", "flights these days"):
        assert planner.plan(question, AS_OF).kind == "semantic_query", question


def test_the_longest_of_a_measure_is_its_maximum_and_initials_name_a_described_place(tmp_path):
    _model(tmp_path)
    data = yaml.safe_load((tmp_path / "model.yaml").read_text())
    data["semantic_models"][0]["measures"].append(
        {"name": "dep_delay_max", "agg": "max", "expr": "dep_delay", "agg_time_dimension": "flight_date"})
    data["metrics"].append({"name": "max_dep_delay", "type": "simple", "description": "Longest delay.",
                            "units": "minutes", "type_params": {"measure": "dep_delay_max"}})
    data["semantic_models"][0]["description"] = "One row per scheduled flight out of New York City."
    (tmp_path / "model.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    planner = OfflinePlanner(load_semantic_model(tmp_path / "model.yaml"), embedder=False)
    assert planner.plan("what was the longest departure delay", AS_OF).query.metrics == ("max_dep_delay",)
    plan = planner.plan("which carrier had the longest departure delay", AS_OF)
    assert plan.kind == "clarification" or plan.query.metrics != ("max_dep_delay",)  # ranks, per group
    assert planner.plan("how many flights left NYC", AS_OF).kind == "semantic_query"  # New York City
