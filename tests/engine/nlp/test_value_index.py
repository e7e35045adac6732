"""Value resolution from a hand-built schema: column -> dimension mapping, aliases, extra values."""
from __future__ import annotations

from app.engine.nlp.values import ValueResolver
from app.engine.nlp.values_index import column_dimensions, load_aliases
from semantic_layer.loader import load_semantic_model
from warehouse.base import Schema, SchemaColumn, SchemaTable


def _schema() -> Schema:
    campaigns = SchemaTable("campaigns", (
        SchemaColumn("campaign_id", "VARCHAR"),
        SchemaColumn("media_source", "VARCHAR", ("Facebook", "Google")),
        SchemaColumn("platform", "VARCHAR", ("iOS",)),
    ), row_count=2)
    installs = SchemaTable("installs", (
        SchemaColumn("platform", "VARCHAR", ("Android", "iOS")),
        SchemaColumn("ip_hash", "VARCHAR"),
        SchemaColumn("os_version", "VARCHAR", ("14", "18.5")),
    ), row_count=5)
    scores = SchemaTable("fraud_scores", (SchemaColumn("model_version", "VARCHAR", ("v1",)),), row_count=1)
    return Schema({"campaigns": campaigns, "installs": installs, "fraud_scores": scores})


def test_model_maps_columns_to_its_dimensions():
    mapping = column_dimensions(load_semantic_model())
    assert mapping[("campaigns", "platform")] == mapping[("installs", "platform")] == "platform"
    assert mapping[("campaigns", "media_source")] == "media_source"
    assert ("installs", "ip_hash") not in mapping


def test_with_a_model_only_model_dimensions_are_values():
    resolver = ValueResolver.from_schema(_schema(), {}, model=load_semantic_model())
    # acquisition_type is computed (CASE ... THEN 'organic' ELSE 'paid'): its values are in the model
    assert set(resolver.index.known) == {"media_source", "platform", "os_version", "acquisition_type"}
    assert resolver.index.known["platform"] == {"iOS", "Android"}
    assert resolver.index.known["acquisition_type"] == {"organic", "paid"}
    assert [(m.dimension, m.value) for m in resolver.find("v1 on android")] == [("platform", "Android")]


def test_without_a_model_column_names_are_dimensions():
    resolver = ValueResolver.from_schema(_schema(), {})
    assert [(m.dimension, m.value) for m in resolver.find("model v1")] == [("model_version", "v1")]


def test_without_aliases_only_exact_values_match():
    resolver = ValueResolver.from_schema(_schema(), {})
    assert resolver.find("fb and apple") == []
    assert [m.value for m in resolver.find("Facebook and GOOGLE")] == ["Facebook", "Google"]


def test_custom_aliases_and_extra_values():
    resolver = ValueResolver.from_schema(
        _schema(), {"media_source": {"Facebook": ["the blue app"]}},
        extra_values={"campaign_name": ["Facebook_iOS_US_Broad"]},
    )
    found = resolver.find("The Blue App installs of Facebook iOS US Broad")
    assert [(m.dimension, m.value, m.source) for m in found] == [
        ("media_source", "Facebook", "alias"), ("campaign_name", "Facebook_iOS_US_Broad", "exact")]


def test_builtin_aliases_file_is_well_formed():
    aliases = load_aliases({"country": ["US", "DE"]}, load_semantic_model())
    assert {"country", "media_source", "platform"} <= set(aliases)
    for dimension, by_value in aliases.items():
        if dimension == "groups":
            assert all({"dimension", "phrases"} <= set(g) and ("values" in g or "prefixes" in g)
                       for g in by_value)
            continue
        for value, phrases in by_value.items():
            assert isinstance(value, str) and all(isinstance(p, str) for p in phrases), (dimension, value)


def test_version_numbers_need_a_cue():
    resolver = ValueResolver.from_schema(_schema(), {}, model=load_semantic_model())
    assert resolver.find("top 14 sources") == []
    assert [(m.dimension, m.value) for m in resolver.find("OS version 14")] == [("os_version", "14")]


def test_aliases_leave_metric_words_to_the_planner():
    """"bot installs" must leave "installs" visible: no alias holds a metric's name or synonym."""
    model = load_semantic_model()
    metric_words = {p.lower() for m in model.metrics.values()
                    for p in (m.name.replace("_", " "), *m.synonyms)}
    allowed = {"click injection", "click injections"}  # the fraud type, not clicks
    for dimension, by_value in load_aliases({"country": ["US", "DE"]}, model).items():
        if dimension == "groups":
            continue
        for value, phrases in by_value.items():
            for phrase in (str(p).lower() for p in (value, *phrases)):
                words = set(phrase.split())
                clash = {w for w in metric_words if w == phrase or (" " not in w and w in words)}
                assert not clash or phrase in allowed, (dimension, value, phrase, clash)


def test_country_names_follow_the_values_not_the_dimension_name():
    """A model of someone else's data calls it ``geo``: ISO codes still answer to "Germany"."""
    aliases = load_aliases({"geo": ["US", "DE", "FR"], "tier": ["A", "B"]})
    assert "germany" in aliases["geo"]["DE"] and "tier" not in aliases
    assert {g["dimension"] for g in aliases["groups"]} == {"geo"}
    assert load_aliases({"city": ["Paris", "Berlin", "Rome"]}) == {"groups": []}  # names, not codes
    resolver = ValueResolver.from_schema(_schema(), {"country": {}})
    assert resolver.find("revenue in germany") == []  # no aliases asked for, none used


def test_a_name_answers_to_a_word_only_it_has():
    """ "United" is United Air Lines Inc.; "tiktok" is tiktokglobal_int; "air" is in every name and
    "will" is an English word: neither names anything."""
    values = {"airline": ["United Air Lines Inc.", "Delta Air Lines Inc.", "Will Air Inc."],
              "media_source": ["tiktokglobal_int", "googleadwords_int", "Facebook Ads"],
              "channel": ["Facebook", "Instagram"]}
    resolver = ValueResolver.from_schema(Schema({}), {}, extra_values=values,
                                         common_words=frozenset({"will"}))
    found = {(m.dimension, m.value, m.source) for m in resolver.find("united and delta flights")}
    assert found == {("airline", "United Air Lines Inc.", "name"),
                     ("airline", "Delta Air Lines Inc.", "name")}
    assert resolver.find("air flights") == [] and resolver.find("will it rain") == []
    assert [(m.value, m.source) for m in resolver.find("tiktok installs")] == [("tiktokglobal_int", "name")]
    # a whole value of another dimension stays a reading of its own: the planner settles which
    rivals = {(m.dimension, m.value, m.source) for m in resolver.find("facebook spend")}
    assert rivals == {("channel", "Facebook", "exact"), ("media_source", "Facebook Ads", "name")}


def test_a_name_word_never_takes_an_alias():
    aliases = {"platform": {"iOS": ["apple"]}, "groups": []}
    resolver = ValueResolver.from_schema(Schema({}), aliases,
                                         extra_values={"media_source": ["Apple Search Ads", "Google Ads"]})
    assert [(m.dimension, m.value) for m in resolver.find("installs from apple")] == [("platform", "iOS")]


def _events_schema() -> Schema:
    events = SchemaTable("events", (
        SchemaColumn("event_name", "VARCHAR", ("add_to_cart", "level_up", "purchase")),
    ), row_count=3)
    return Schema({"events": events})


def test_a_multi_word_value_matches_inflected_or_with_a_filler_inside():
    resolver = ValueResolver.from_schema(_events_schema(), {})
    found = lambda text: [(m.dimension, m.value) for m in resolver.find(text)]
    assert found("users who added something to cart") == [("event_name", "add_to_cart")]
    assert found("players that added items to their carts") == [("event_name", "add_to_cart")]
    assert found("how many leveled up in May") == [("event_name", "level_up")]
    # only filler words may sit inside a value, and at most two
    assert found("added the item to a cart") == []
    assert found("added revenue to cart") == []
    assert found("to cart they added") == []  # in order only


def test_a_code_that_is_a_word_stays_a_code_when_the_vocabulary_lists_it():
    """Giving "DAY" (Dayton's airport) an alias in the vocabulary does not make "day" that code: the
    code still needs capitals, the alias still works."""
    aliases = {"dest": {"DAY": ["Dayton"], "BOS": ["Boston"]}, "groups": []}
    resolver = ValueResolver.from_schema(Schema({}), aliases, extra_values={"dest": ["DAY", "BOS"]},
                                         common_words=frozenset({"day"}))
    assert resolver.find("flights on each day of the week") == []
    assert [m.value for m in resolver.find("flights to DAY")] == ["DAY"]
    assert [m.value for m in resolver.find("flights to dayton")] == ["DAY"]
    assert [m.value for m in resolver.find("flights to boston")] == ["BOS"]


def test_a_names_own_word_is_not_reached_through_a_plural():
    """ "origin-destination pairs" is not the maker PAIR MIKE E; "Pair" as written still is."""
    values = {"manufacturer": ["PAIR MIKE E", "BOEING", "AIRBUS"]}
    resolver = ValueResolver.from_schema(Schema({}), {}, extra_values=values)
    assert resolver.find("busiest origin-destination pairs") == []
    assert [m.value for m in resolver.find("planes made by Pair")] == ["PAIR MIKE E"]


def test_a_names_own_word_inside_a_hyphenated_word_is_no_name():
    """ "long-haul flights" is not the airport Long Beach; "Long Beach" and "to Long" still are."""
    values = {"dest_name": ["Long Beach", "Chicago Ohare Intl", "Denver Intl"]}
    resolver = ValueResolver.from_schema(Schema({}), {}, extra_values=values)
    assert resolver.find("long-haul flights by origin") == []
    assert resolver.find("non-chicago routes") == []
    assert [m.value for m in resolver.find("flights to Long Beach")] == ["Long Beach"]
    assert [m.value for m in resolver.find("flights to chicago")] == ["Chicago Ohare Intl"]
