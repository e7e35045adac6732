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

    model = _model(tmp_path)
    values = ValueResolver.from_schema(Schema({}), {}, model=model, extra_values={
        "origin": ["JFK", "LGA", "EWR"], "dest": ["LGA", "ATL", "LAX"]})
    planner = OfflinePlanner(model, values=values, embedder=False)
    plan = planner.plan("compare flights from JFK vs LGA", AS_OF)
    assert [(f.dimension, set(f.values)) for f in plan.query.filters] == [("origin", {"JFK", "LGA"})]
    assert plan.query.dimensions == ("origin",)
    assert planner.plan("flights at LGA", AS_OF).kind == "clarification"  # nothing settles it
    # "to" settles it: the destination ("Airport the flight went to."); "from" the origin
    assert [f.dimension for f in planner.plan("flights to LGA", AS_OF).query.filters] == ["dest"]
    assert [f.dimension for f in planner.plan("flights from LGA", AS_OF).query.filters] == ["origin"]


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


def test_a_threshold_a_metric_defines_names_that_metric_or_its_rate(tmp_path):
    """ "delayed by at least 15 minutes" is the model's delayed flights; with a share word, its rate.
    A threshold no metric defines stays a filter."""
    planner = OfflinePlanner(_delays(tmp_path), embedder=False)
    plan = planner.plan("how many flights were delayed by at least 15 minutes", AS_OF)
    assert plan.kind == "semantic_query" and plan.query.metrics == ("delayed_flights",)
    assert plan.query.filters == ()
    plan = planner.plan("what share of flights left 15 minutes or more late", AS_OF)
    assert plan.kind == "semantic_query" and plan.query.metrics == ("delay_rate",)
    assert plan.query.filters == ()
    plan = planner.plan("which carrier had the lowest share of flights delayed by 15 minutes or more", AS_OF)
    assert plan.query.metrics == ("delay_rate",) and plan.query.order_by[0].field == "delay_rate"
    plan = planner.plan("how many flights left 30 minutes or more late", AS_OF)
    assert plan.query.metrics == ("flights",)
    filters = [(f.dimension, f.op, f.values) for f in plan.query.filters]
    assert filters == [("dep_delay_minutes", ">=", (30.0,))]


def _signups(tmp_path, vocabulary=None):
    spec = {
        "cohort": {"semantic_model": "signups", "time_dimension": "signup_date"},
        "semantic_models": [{
            "name": "signups", "table": "signups", "description": "One row per account sign-up.",
            "entities": [{"name": "account", "type": "primary", "expr": "account_id"}],
            "dimensions": [
                {"name": "signup_date", "type": "time", "expr": "day", "description": "Sign-up day.",
                 "type_params": {"time_granularity": "day"}},
                {"name": "plan", "type": "categorical", "description": "Plan chosen at sign-up."},
                {"name": "arrival", "type": "categorical", "description": "How the account came.",
                 "expr": "CASE WHEN referrer IS NULL THEN 'direct' ELSE 'referred' END"},
                {"name": "promo_name", "type": "categorical", "description": "Promotion of the sign-up."}],
            "measures": [
                {"name": "signups", "agg": "count", "expr": "account_id",
                 "agg_time_dimension": "signup_date"},
                {"name": "back_d7", "agg": "sum", "expr": "active_d7", "agg_time_dimension": "signup_date"},
                {"name": "back_d30", "agg": "sum", "expr": "active_d30",
                 "agg_time_dimension": "signup_date"}]}],
        "metrics": [
            {"name": "signups", "type": "simple", "description": "Sign-ups.", "units": "count",
             "type_params": {"measure": "signups"}},
            {"name": "direct_signups", "type": "simple", "description": "Sign-ups with no referrer.",
             "units": "count", "type_params": {"measure": "signups"},
             "filter": [{"dimension": "arrival", "op": "=", "values": ["direct"]}]},
            {"name": "referred_signups", "type": "simple", "description": "Sign-ups someone referred.",
             "units": "count", "type_params": {"measure": "signups"},
             "filter": [{"dimension": "arrival", "op": "=", "values": ["referred"]}]},
            {"name": "returned_d7", "type": "simple", "description": "Accounts active 7 days later.",
             "units": "count", "type_params": {"measure": "back_d7"}},
            {"name": "returned_d30", "type": "simple", "description": "Accounts active 30 days later.",
             "units": "count", "type_params": {"measure": "back_d30"}},
            {"name": "retention_d7", "type": "ratio", "description": "Share active 7 days after sign-up.",
             "units": "ratio", "type_params": {"numerator": "returned_d7", "denominator": "signups"}},
            {"name": "retention_d30", "type": "ratio", "description": "Share active 30 days after sign-up.",
             "units": "ratio", "type_params": {"numerator": "returned_d30", "denominator": "signups"}}],
    }
    if vocabulary:
        spec["vocabulary"] = vocabulary
    path = tmp_path / "signups.yaml"
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    return load_semantic_model(path)


_PROMOS = ["Spring_Email_US_Sale", "Spring_Email_DE_Sale", "Summer_Social_US_Launch", "Summer_Social_FR_Sale",
           "Winter_Email_US_Referral", "Winter_Social_DE_Launch"]


def _signup_planner(tmp_path, vocabulary=None):
    from app.engine.nlp.values import ValueResolver
    from warehouse.base import Schema

    model = _signups(tmp_path, vocabulary)
    values = ValueResolver.from_schema(Schema({}), {}, model=model, extra_values={
        "plan": ["free", "pro", "team"], "arrival": ["direct", "referred"], "promo_name": _PROMOS})
    return OfflinePlanner(model, values=values, embedder=False)


def test_day_window_rates_form_a_family_read_from_their_names(tmp_path):
    """retention_d7 / retention_d30 are one family: "retention" asks which, "a week later" is D7."""
    planner = _signup_planner(tmp_path)
    plan = planner.plan("retention by plan", AS_OF)
    assert plan.kind == "clarification"
    assert "D7 retention" in plan.question and "D30 retention" in plan.question
    plan = planner.plan("do accounts come back a week later? by plan", AS_OF)
    assert plan.kind == "semantic_query" and plan.query.metrics == ("retention_d7",)
    assert plan.query.dimensions == ("plan",)  # "a week later" is the window, not a weekly grain
    plan = planner.plan("D30 retention by plan", AS_OF)  # no synonym needed: the name says it
    assert plan.kind == "semantic_query" and plan.query.metrics == ("retention_d30",)
    plan = planner.plan("how many of the accounts came back a month later", AS_OF)
    assert plan.kind == "semantic_query" and plan.query.metrics == ("returned_d30",)  # counted, not the rate


def test_an_ambiguous_word_the_model_declares_is_asked_back(tmp_path):
    planner = _signup_planner(tmp_path, {"ambiguous": {"conversion": ["referred_signups", "retention_d7"]}})
    plan = planner.plan("how many conversions last month", AS_OF)
    assert plan.kind == "clarification"
    assert "referred signups" in plan.question and "D7 retention" in plan.question
    assert _signup_planner(tmp_path).plan("how many conversions last month", AS_OF).kind == "clarification"


def test_two_values_of_a_case_dimension_with_a_metric_each_are_one_row_per_value(tmp_path):
    """Since the fifth session: compared sibling counts are their base metric by the dimension
    (docs/offline-planner.md), unless asked "as two numbers"."""
    planner = _signup_planner(tmp_path)
    plan = planner.plan("direct vs referred signups in 2013", AS_OF)
    assert plan.kind == "semantic_query"
    assert plan.query.metrics == ("signups",) and plan.query.dimensions == ("arrival",)
    assert plan.query.filters == ()
    plan = planner.plan("signups by arrival in 2013", AS_OF)
    assert plan.query.metrics == ("signups",) and plan.query.dimensions == ("arrival",)
    plan = planner.plan("how many signups were direct and how many were referred in 2013", AS_OF)
    assert plan.query.metrics == ("signups",) and plan.query.dimensions == ("arrival",)
    plan = planner.plan("direct vs referred signups in 2013, as two numbers", AS_OF)
    assert set(plan.query.metrics) == {"direct_signups", "referred_signups"}
    plan = planner.plan("signups by plan in 2013", AS_OF)  # three values, no metric for each: a grouping
    assert plan.query.metrics == ("signups",) and plan.query.dimensions == ("plan",)


def test_composite_names_answer_to_their_parts_and_the_one_asks_which(tmp_path):
    planner = _signup_planner(tmp_path)
    plan = planner.plan("signups from Sale promos in 2013", AS_OF)
    assert plan.kind == "semantic_query"
    assert [set(f.values) for f in plan.query.filters] == [{n for n in _PROMOS if n.endswith("_Sale")}]
    plan = planner.plan("signups from the Winter Email promo", AS_OF)  # one name holds both words
    assert [f.values for f in plan.query.filters] == [("Winter_Email_US_Referral",)]
    plan = planner.plan("how many signups did the Spring promo bring", AS_OF)  # two fit: which one?
    assert plan.kind == "clarification" and "Spring_Email_DE_Sale" in plan.question


def test_id_patterns_come_from_the_model(tmp_path):
    from app.engine.nlp.values import ValueResolver
    from semantic_layer.rules import check_vocabulary
    from semantic_layer.vocabulary import Vocabulary
    from warehouse.base import Schema

    model = _signups(tmp_path, {"value_patterns": {"promo_name": r"\bpr\d{3}\b"}})
    values = ValueResolver.from_schema(Schema({}), {}, model=model)
    found = [(f.dimension, f.values) for f in values.filters("signups of pr042")]
    assert found == [("promo_name", ("pr042",))]
    plain = ValueResolver.from_schema(Schema({}), {}, model=_signups(tmp_path))
    assert plain.filters("signups of pr042") == []
    spec = _signups(tmp_path).spec.model_copy(update={"vocabulary": Vocabulary(
        value_patterns={"promo_name": "pr(\\d"})})
    assert [p.path for p in check_vocabulary(spec)] == ["vocabulary.value_patterns.promo_name"]


def _airports(tmp_path):
    """A flights table pointing at a reference table of 400 airports (more than a name's own word may
    stand for), two of them flown to; and the model for it."""
    import duckdb

    path = tmp_path / "air.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE airports (faa VARCHAR, name VARCHAR)")
    con.execute("INSERT INTO airports SELECT 'X' || lpad(i::VARCHAR, 3, '0'), 'Field ' || i || ' Regional' "
                "FROM range(398) t(i)")
    con.execute("INSERT INTO airports VALUES ('EWR', 'Newark Liberty Intl'), ('LGA', 'La Guardia')")
    con.execute("CREATE TABLE flights (id INTEGER, day DATE, dest VARCHAR, spend DOUBLE, fare DOUBLE)")
    con.execute("INSERT INTO flights VALUES (1, DATE '2013-05-01', 'EWR', 10, 5), "
                "(2, DATE '2013-05-02', 'LGA', 20, 7), (3, DATE '2013-05-02', 'LGA', 30, 9)")
    con.close()
    spec = {
        "semantic_models": [
            {"name": "flights", "table": "flights", "description": "One row per flight.",
             "entities": [{"name": "flight", "type": "primary", "expr": "id"},
                          {"name": "dest_airport", "type": "foreign", "expr": "dest"}],
             "dimensions": [
                 {"name": "flight_date", "type": "time", "expr": "day", "description": "Day.",
                  "type_params": {"time_granularity": "day"}},
                 {"name": "dest", "type": "categorical", "description": "Airport code the flight went to.",
                  "synonyms": ["destination"]}],
             "measures": [
                 {"name": "flights", "agg": "count", "expr": "id", "agg_time_dimension": "flight_date"},
                 {"name": "spend", "agg": "sum", "expr": "spend", "agg_time_dimension": "flight_date"},
                 {"name": "fares", "agg": "sum", "expr": "fare", "agg_time_dimension": "flight_date"},
                 {"name": "dests", "agg": "count_distinct", "expr": "dest",
                  "agg_time_dimension": "flight_date"}]},
            {"name": "dest_airports", "table": "airports", "description": "Airports.",
             "entities": [{"name": "dest_airport", "type": "primary", "expr": "faa"}],
             "dimensions": [{"name": "dest_name", "type": "categorical", "expr": "name",
                             "description": "Name of the airport the flight went to."}]}],
        "metrics": [
            {"name": "flights", "type": "simple", "description": "Flights.", "units": "count",
             "type_params": {"measure": "flights"}},
            {"name": "cost", "type": "simple", "description": "Fuel bought.", "units": "USD",
             "type_params": {"measure": "spend"}},
            {"name": "fare_income", "type": "simple", "description": "Fares sold.", "units": "USD",
             "type_params": {"measure": "fares"}},
            {"name": "airports_reached", "type": "simple", "description": "Airports flown to.",
             "units": "count",
             "synonyms": ["distinct destinations", "airports served"], "type_params": {"measure": "dests"}},
            {"name": "cost_per_flight", "type": "ratio", "description": "Fuel per flight.", "units": "USD",
             "type_params": {"numerator": "cost", "denominator": "flights"}}],
    }
    (tmp_path / "air.yaml").write_text(yaml.safe_dump(spec), encoding="utf-8")
    return path, load_semantic_model(tmp_path / "air.yaml")


def test_names_in_a_big_reference_table_answer_by_their_own_word_when_in_use(tmp_path):
    from warehouse.duckdb import DuckDBWarehouse

    path, model = _airports(tmp_path)
    warehouse = DuckDBWarehouse(path)
    planner = OfflinePlanner(model, warehouse.schema(), warehouse=warehouse, embedder=False)
    plan = planner.plan("flights to Newark in May 2013", AS_OF)  # "Newark" for Newark Liberty Intl
    assert plan.kind == "semantic_query"
    assert [(f.dimension, f.values) for f in plan.query.filters] == [("dest_name", ("Newark Liberty Intl",))]
    # the 398 airports nobody flies to are not values of dest_name
    assert len(planner.values.index.known["dest_name"]) == 2
    plan = planner.plan("name the 2 destinations with the most flights", AS_OF)  # the code and its name
    assert plan.query.dimensions == ("dest", "dest_name") and plan.query.limit == 2


def test_roles_read_from_the_model_answer_everyday_words(tmp_path):
    """The model's spend (a best-low money sum) answers to "spent", its income (the other money sum) to
    "money", "a flight ... cost" is the price of one, and "both days included" is a range."""
    _, model = _airports(tmp_path)
    planner = OfflinePlanner(model, embedder=False)
    plan = planner.plan("which destination spent the least in May 2013", AS_OF)
    assert plan.query.metrics == ("cost",) and plan.query.order_by[0].direction == "asc"
    plan = planner.plan("how much money did we make in May 2013", AS_OF)
    assert plan.kind == "semantic_query" and plan.query.metrics == ("fare_income",)
    plan = planner.plan("what did a flight cost us on average in May 2013", AS_OF)
    assert plan.kind == "semantic_query" and plan.query.metrics == ("cost_per_flight",)
    # "different" is "distinct"; a word of the metric's own synonym ("airports served") is explained
    plan = planner.plan("how many different destinations did we serve in May 2013", AS_OF)
    assert plan.kind == "semantic_query" and plan.query.metrics == ("airports_reached",)
    plan = planner.plan("flights between May 1 and May 2 2013, both days included", AS_OF)
    assert plan.kind == "semantic_query"
    assert plan.query.time_range == (dt.date(2013, 5, 1), dt.date(2013, 5, 2))


def test_a_computed_value_equal_to_a_plain_one_is_not_ambiguous(tmp_path):
    """kind = CASE WHEN source = 'organic' THEN 'organic' ELSE 'paid': "organic" is the same rows as
    the source organic, so it is read once, not asked back: as the kind, beside its "paid", unless
    the question names the source."""
    from app.engine.nlp.values import ValueResolver
    from warehouse.base import Schema

    spec = yaml.safe_load(yaml.safe_dump({
        "semantic_models": [{
            "name": "installs", "table": "installs", "description": "Installs.",
            "entities": [{"name": "install", "type": "primary", "expr": "id"}],
            "dimensions": [
                {"name": "day", "type": "time", "expr": "day", "description": "Install day.",
                 "type_params": {"time_granularity": "day"}},
                {"name": "source", "type": "categorical", "description": "Network credited."},
                {"name": "kind", "type": "categorical", "description": "Paid or organic.",
                 "expr": "CASE WHEN source = 'organic' THEN 'organic' ELSE 'paid' END"}],
            "measures": [{"name": "installs", "agg": "count", "expr": "id", "agg_time_dimension": "day"}]}],
        "metrics": [{"name": "installs", "type": "simple", "description": "Installs.", "units": "count",
                     "type_params": {"measure": "installs"}}]}))
    (tmp_path / "m.yaml").write_text(yaml.safe_dump(spec), encoding="utf-8")
    model = load_semantic_model(tmp_path / "m.yaml")
    values = ValueResolver.from_schema(Schema({}), {}, model=model,
                                       extra_values={"source": ["organic", "Facebook", "TikTok"]})
    assert [(f.dimension, f.values) for f in values.filters("organic installs")] == [("kind", ("organic",))]
    assert [(f.dimension, f.values) for f in values.filters("paid installs")] == [("kind", ("paid",))]
    # naming the plain dimension keeps its reading: "by source, organic included" is a source row
    found = [(f.dimension, f.values) for f in values.filters("installs by source, organic included")]
    assert found == [("source", ("organic",))]


def test_a_value_glossed_in_its_description_answers_to_the_gloss(tmp_path):
    """ "googleadwords_int (Google Ads)" in the description: "Google Ads" names that value; a note in
    brackets ("(NULL when unknown)") or a value the data lacks is no gloss."""
    from app.engine.nlp.values import ValueResolver
    from warehouse.base import Schema

    _model(tmp_path)
    spec = yaml.safe_load((tmp_path / "model.yaml").read_text())
    spec["semantic_models"][0]["dimensions"][1]["description"] = (
        "Airline code: ua_main (United Airlines), dl_x (Delta), zz_gone (Nobody); (NULL when unknown).")
    (tmp_path / "model.yaml").write_text(yaml.safe_dump(spec), encoding="utf-8")
    model = load_semantic_model(tmp_path / "model.yaml")
    values = ValueResolver.from_schema(Schema({}), None, model=model,
                                       extra_values={"carrier": ["ua_main", "dl_x", "unknown"]})
    found = [(f.dimension, f.values) for f in values.filters("flights of United Airlines and Delta")]
    assert found == [("carrier", ("ua_main", "dl_x"))]
    assert values.filters("flights of Nobody") == []


def test_a_qualifier_after_the_noun_names_the_narrower_metric(tmp_path):
    """ "flights were canceled" (either spelling) is cancelled_flights; "delayed by more than 2 hours"
    is on the delay the model's delayed_flights filters (departure), "arrived ... late" on arrival."""
    _delays(tmp_path)
    spec = yaml.safe_load((tmp_path / "model.yaml").read_text())
    spec["semantic_models"][0]["dimensions"].append(
        {"name": "status", "type": "categorical", "description": "Flight status."})
    spec["metrics"].append({"name": "cancelled_flights", "type": "simple", "description": "Cancelled.",
                            "units": "count", "type_params": {"measure": "flights"},
                            "filter": [{"dimension": "status", "op": "=", "values": ["cancelled"]}]})
    (tmp_path / "model.yaml").write_text(yaml.safe_dump(spec), encoding="utf-8")
    planner = OfflinePlanner(load_semantic_model(tmp_path / "model.yaml"), embedder=False)
    for question in ("how many flights were canceled", "how many flights were cancelled by carrier"):
        plan = planner.plan(question, AS_OF)
        assert plan.kind == "semantic_query" and plan.query.metrics == ("cancelled_flights",), question
    plan = planner.plan("how many flights were delayed by more than 2 hours", AS_OF)
    found = [(f.dimension, f.op, f.values) for f in plan.query.filters]
    assert found == [("dep_delay_minutes", ">", (120.0,))]
    plan = planner.plan("how many flights arrived more than 2 hours late", AS_OF)
    assert [f.dimension for f in plan.query.filters] == ["arr_delay_minutes"]


def test_a_name_answers_to_its_first_two_words_and_only_identifiers_are_composite(tmp_path):
    from app.engine.nlp.values import ValueResolver
    from warehouse.base import Schema

    names = ["American Airlines Inc.", "American Eagle Airlines Inc.", "Delta Air Lines Inc.",
             "Southwest Airlines Co.", "United Air Lines Inc.", "JetBlue Airways"]
    values = ValueResolver.from_schema(Schema({}), {}, model=_model(tmp_path),
                                       extra_values={"carrier": names})
    found = [(f.dimension, f.values) for f in values.filters("flights by American Airlines in March")]
    assert found == [("carrier", ("American Airlines Inc.",))]
    assert "carrier" not in values.index.names  # names written with spaces are not identifiers


def test_daily_active_users_is_a_grain_unless_the_model_names_the_metric(tmp_path):
    _model(tmp_path)
    spec = yaml.safe_load((tmp_path / "model.yaml").read_text(encoding="utf-8"))
    spec["semantic_models"][0]["measures"].append(
        {"name": "active_users", "agg": "count_distinct", "expr": "passenger_id",
         "agg_time_dimension": "flight_date"})
    spec["metrics"].append({"name": "active_users", "type": "simple", "description": "Distinct travellers.",
                            "units": "count", "type_params": {"measure": "active_users"}})
    (tmp_path / "model.yaml").write_text(yaml.safe_dump(spec), encoding="utf-8")
    planner = OfflinePlanner(load_semantic_model(tmp_path / "model.yaml"), embedder=False)
    for question, grain in (("daily active users in June", "day"), ("monthly active users in 2013", "month")):
        plan = planner.plan(question, AS_OF)
        assert plan.query.metrics == ("active_users",) and plan.query.grain == grain, question
    demo = OfflinePlanner(load_semantic_model(), embedder=False)
    demo_as_of = PlanningContext(as_of=dt.date(2026, 7, 1))
    for question in ("daily active users yesterday", "daily actve users yesterdy", "daily actives in May",
                     "Daily active users over the last 30 days"):
        plan = demo.plan(question, demo_as_of)
        assert plan.query.metrics == ("dau",) and plan.query.grain is None, question
    plan = demo.plan("weekly active users in May", demo_as_of)  # no WAU metric: active users per week
    assert plan.query.metrics == ("active_users",) and plan.query.grain == "week"


def test_periods_and_groups_ranked_by_a_metric(tmp_path):
    planner = OfflinePlanner(_model(tmp_path), embedder=False)
    plan = planner.plan("months of 2013 ranked by average departure delay", AS_OF)
    assert plan.query.grain == "month" and plan.query.time_range[0] == dt.date(2013, 1, 1)
    assert [(o.field, o.direction) for o in plan.query.order_by] == [("avg_dep_delay", "desc")]
    plan = planner.plan("carriers sorted by seats ascending", AS_OF)
    assert plan.query.dimensions == ("carrier",)
    assert [(o.field, o.direction) for o in plan.query.order_by] == [("seats", "asc")]
    plan = planner.plan("which day of 2013 had the most flights?", AS_OF)
    assert plan.query.grain == "day" and plan.query.limit == 1
    assert plan.query.time_range == (dt.date(2013, 1, 1), dt.date(2013, 12, 31))


def _with_numeric_columns(tmp_path):
    _model(tmp_path)
    spec = yaml.safe_load((tmp_path / "model.yaml").read_text(encoding="utf-8"))
    spec["semantic_models"][0]["dimensions"] += [
        {"name": "distance_miles", "type": "numeric", "expr": "distance", "description": "Miles flown.",
         "units": "miles"},
        {"name": "dep_delay_minutes", "type": "numeric", "expr": "dep_delay",
         "description": "Departure delay.", "units": "minutes"}]
    spec["metrics"][1]["units"] = "minutes"
    (tmp_path / "model.yaml").write_text(yaml.safe_dump(spec), encoding="utf-8")
    return OfflinePlanner(load_semantic_model(tmp_path / "model.yaml"), embedder=False)


def test_a_number_with_a_unit_is_a_row_threshold_unless_it_is_the_metrics_own_unit(tmp_path):
    planner = _with_numeric_columns(tmp_path)
    plan = planner.plan("flights over 2000 miles, per carrier", AS_OF)  # not the year 2000, not 2000 flights
    filters = [(f.dimension, f.op, f.values) for f in plan.query.filters]
    assert filters == [("distance_miles", ">", (2000.0,))]
    assert plan.query.having == () and plan.query.time_range is None
    plan = planner.plan("which carriers had an average departure delay above 20 minutes?", AS_OF)
    assert [(c.metric, c.op, c.value) for c in plan.query.having] == [("avg_dep_delay", ">", 20.0)]
    assert plan.query.filters == ()  # not also each flight's delay
    plan = planner.plan("carriers whose flights exceeded 5k in 2013", AS_OF)
    assert [(c.metric, c.op, c.value) for c in plan.query.having] == [("flights", ">", 5000.0)]
    plan = planner.plan("number of days with more than 100 flights", AS_OF)
    assert plan.query.count_groups and plan.query.grain == "day"


def test_a_share_whose_part_is_a_threshold(tmp_path):
    planner = _with_numeric_columns(tmp_path)
    plan = planner.plan("what percent of flights were longer than 2000 miles?", AS_OF)
    assert plan.query.share is not None and plan.query.filters == ()
    where = [(f.dimension, f.op, f.values) for f in plan.query.share.where]
    assert where == [("distance_miles", ">", (2000.0,))]


def test_a_share_whose_part_is_named_by_a_narrower_metric():
    from pathlib import Path
    model = load_semantic_model(Path(__file__).resolve().parents[4] / "evals/fixtures/appsflyer/model.yaml")
    planner = OfflinePlanner(model, embedder=False)
    plan = planner.plan("percent of revenue that came from subscriptions this year",
                        PlanningContext(as_of=dt.date(2025, 7, 1)))
    assert plan.kind == "semantic_query" and plan.query.metrics == ("revenue",)
    assert [(f.dimension, f.values) for f in plan.query.share.where] == [("event_name", ("af_subscribe",))]


def test_a_described_noun_said_the_other_way_round_and_cohorts_for_each_install_month():
    from pathlib import Path
    model = load_semantic_model(Path(__file__).resolve().parents[4] / "evals/fixtures/appsflyer/model.yaml")
    planner = OfflinePlanner(model, embedder=False)
    context = PlanningContext(as_of=dt.date(2025, 7, 1))
    plan = planner.plan("users who were active in May by country", context)
    assert plan.kind == "semantic_query" and plan.query.metrics == ("active_users",)
    plan = planner.plan("for each install month, how many of those users were active in June?", context)
    assert plan.kind == "semantic_query" and plan.query.metrics == ("active_users",)
    assert plan.query.cohort is not None and plan.query.cohort.grain == "month"
    assert plan.query.time_range == (dt.date(2025, 6, 1), dt.date(2025, 6, 30))
