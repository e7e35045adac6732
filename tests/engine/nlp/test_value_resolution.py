"""Value resolution on the real demo warehouse's distinct values and the demo semantic model.

Expected filters are written by hand: ``(dimension, op, {values})``; campaign
lists are read from the warehouse with SQL, not from the resolver.
"""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.engine.nlp.values import ValueResolver
from semantic_layer.loader import load_semantic_model

ASA = "Apple Search Ads"
LOOKALIKE_CAMPAIGNS = "SELECT campaign_name FROM campaigns WHERE campaign_name LIKE '%Lookalike%'"


@pytest.fixture(scope="module")
def resolver(duckdb_wh):
    return ValueResolver.from_warehouse(duckdb_wh, model=load_semantic_model())


def _filters(resolver, question):
    return {(f.dimension, f.op, frozenset(f.values)) for f in resolver.filters(question)}


def F(dimension, op, *values):
    return (dimension, op, frozenset(values))


CASES = [
    # countries: names, adjectives, codes; "us"/"in" the words are not countries
    ("revenue in Germany", {F("country", "=", "DE")}),
    ("german installs", {F("country", "=", "DE")}),
    ("installs in DE", {F("country", "=", "DE")}),
    ("UK revenue", {F("country", "=", "GB")}),
    ("revenue from Britain", {F("country", "=", "GB")}),
    ("United Kingdom spend", {F("country", "=", "GB")}),
    ("GB installs", {F("country", "=", "GB")}),
    ("installs in the US", {F("country", "=", "US")}),
    ("USA revenue", {F("country", "=", "US")}),
    ("United States installs", {F("country", "=", "US")}),
    ("revenue from America", {F("country", "=", "US")}),
    ("american users", {F("country", "=", "US")}),
    ("U.S. installs", {F("country", "=", "US")}),
    ("installs in Japan", {F("country", "=", "JP")}),
    ("Brazil revenue", {F("country", "=", "BR")}),
    ("installs in india", {F("country", "=", "IN")}),
    ("Canadian users", {F("country", "=", "CA")}),
    ("France spend", {F("country", "=", "FR")}),
    ("South Korea installs", {F("country", "=", "KR")}),
    ("australian revenue", {F("country", "=", "AU")}),
    ("show us the revenue", set()),
    ("revenue in the last month", set()),
    ("US and GB installs", {F("country", "in", "US", "GB")}),
    ("installs in Germany, France and Japan", {F("country", "in", "DE", "FR", "JP")}),
    ("revenue excluding the US", {F("country", "!=", "US")}),
    ("installs except US and GB", {F("country", "not in", "US", "GB")}),
    ("revenue outside of Brazil", {F("country", "!=", "BR")}),
    ("germnay installs", {F("country", "=", "DE")}),
    # platforms: "apple" is iOS unless it is Apple Search Ads; "Google Play" is Android
    ("iOS installs", {F("platform", "=", "iOS")}),
    ("revenue on iphone", {F("platform", "=", "iOS")}),
    ("apple users", {F("platform", "=", "iOS")}),
    ("android revenue", {F("platform", "=", "Android")}),
    ("Google Play installs", {F("platform", "=", "Android")}),
    ("play store installs", {F("platform", "=", "Android")}),
    ("iOS vs Android", {F("platform", "in", "iOS", "Android")}),
    ("not iOS", {F("platform", "!=", "iOS")}),
    ("installs on apple devices", {F("platform", "=", "iOS")}),
    ("andriod installs", {F("platform", "=", "Android")}),
    ("Apple Search Ads spend", {F("media_source", "=", ASA)}),
    ("apple search ads vs apple", {F("media_source", "=", ASA), F("platform", "=", "iOS")}),
    ("Apple Ads ROAS", {F("media_source", "=", ASA)}),
    ("ASA installs", {F("media_source", "=", ASA)}),
    ("Google Play vs Google", {F("platform", "=", "Android"), F("media_source", "=", "Google")}),
    # media sources
    ("facebook installs", {F("media_source", "=", "Facebook")}),
    ("fb spend", {F("media_source", "=", "Facebook")}),
    ("meta ROAS", {F("media_source", "=", "Facebook")}),
    ("instagram campaigns", {F("media_source", "=", "Facebook")}),
    ("TikTok installs", {F("media_source", "=", "TikTok")}),
    ("tik tok spend", {F("media_source", "=", "TikTok")}),
    ("iron source fraud", {F("media_source", "=", "ironSource")}),
    ("ironsource cpi", {F("media_source", "=", "ironSource")}),
    ("applovin revenue", {F("media_source", "=", "AppLovin")}),
    ("app lovin installs", {F("media_source", "=", "AppLovin")}),
    ("unity ads spend", {F("media_source", "=", "Unity")}),
    ("snapchat installs", {F("media_source", "=", "Snapchat")}),
    ("snap spend", {F("media_source", "=", "Snapchat")}),
    ("google ads spend", {F("media_source", "=", "Google")}),
    ("adwords cost", {F("media_source", "=", "Google")}),
    ("Google installs", {F("media_source", "=", "Google")}),
    ("Facebook or Google", {F("media_source", "in", "Facebook", "Google")}),
    ("excluding Facebook", {F("media_source", "!=", "Facebook")}),
    ("spend other than TikTok", {F("media_source", "!=", "TikTok")}),
    ("all sources except Unity and ironSource", {F("media_source", "not in", "Unity", "ironSource")}),
    ("Facebook vs TikTok vs Google", {F("media_source", "in", "Facebook", "TikTok", "Google")}),
    ("facebok installs", {F("media_source", "=", "Facebook")}),
    ("tiktk spend", {F("media_source", "=", "TikTok")}),
    # channels and ad formats ("video" is both: context decides)
    ("social channel revenue", {F("channel", "=", "social")}),
    ("search campaigns", {F("channel", "=", "search")}),
    ("display revenue by country", set()),
    ("search for campaigns with a low ROAS", set()),
    ("installs from the display channel", {F("channel", "=", "display")}),
    ("video ads", {F("ad_format", "=", "video")}),
    ("the video channel", {F("channel", "=", "video")}),
    ("video creatives vs playable ads", {F("ad_format", "in", "video", "playable")}),
    ("banners", {F("ad_format", "=", "banner")}),
    ("static images", {F("ad_format", "=", "image")}),
    ("text ads", {F("ad_format", "=", "text")}),
    # event names, only where they filter (sessions is a metric)
    ("number of purchases", {F("event_name", "=", "purchase")}),
    ("level ups", {F("event_name", "=", "level_up")}),
    ("tutorial completions by day", {F("event_name", "=", "tutorial_complete")}),
    ("add to cart events", {F("event_name", "=", "add_to_cart")}),
    ("subscriptions last month", {F("event_name", "=", "subscription_start")}),
    ("sessions by platform", set()),
    ("session_start events", {F("event_name", "=", "session_start")}),
    # fraud types and acquisition
    ("click injection installs", {F("fraud_type", "=", "click_injection")}),
    ("bots", {F("fraud_type", "=", "bot")}),
    ("device farms on TikTok", {F("fraud_type", "=", "device_farm"), F("media_source", "=", "TikTok")}),
    ("sdk spoofing", {F("fraud_type", "=", "sdk_spoofing")}),
    ("organic installs", {F("acquisition_type", "=", "organic")}),
    ("non-organic installs", {F("acquisition_type", "!=", "organic")}),
    # campaigns and ids
    ("Facebook_iOS_US_Advantage revenue", {F("campaign_name", "=", "Facebook_iOS_US_Advantage")}),
    ("facebook ios us advantage", {F("campaign_name", "=", "Facebook_iOS_US_Advantage")}),
    ("Facebok_iOS_US_Advantage", {F("campaign_name", "=", "Facebook_iOS_US_Advantage")}),
    ("AppleSearchAds_iOS_US_Competitor installs",
     {F("campaign_name", "=", "AppleSearchAds_iOS_US_Competitor")}),
    ("Apple Search Ads iOS US Competitor campaign",
     {F("campaign_name", "=", "AppleSearchAds_iOS_US_Competitor")}),
    ("Facebook campaigns", {F("media_source", "=", "Facebook")}),
    ("spend of campaign c001", {F("campaign_id", "=", "c001")}),
    # ids of what the model has no dimension for are no values (the planner asks instead of
    # answering about everyone); id patterns come from the model (vocabulary.value_patterns)
    ("events of user u0000123", set()),
    ("is install i0000042 fraud", set()),
    # devices and OS versions (a bare number is never a version)
    ("installs on Pixel 8", {F("device_model", "=", "Pixel 8")}),
    ("iPhone15,2 users", {F("device_model", "=", "iPhone15,2")}),
    ("iOS 18.5", {F("platform", "=", "iOS"), F("os_version", "=", "18.5")}),
    ("Android 14 installs in the last 14 days", {F("platform", "=", "Android"), F("os_version", "=", "14")}),
    # groups of countries, capitals, past tenses
    ("revenue in Europe", {F("country", "in", "GB", "DE", "FR")}),
    ("installs outside the EU", {F("country", "not in", "DE", "FR")}),
    ("how much we paid Facebook", {F("media_source", "=", "Facebook")}),
    ("organic and paid installs", {F("acquisition_type", "in", "organic", "paid")}),
    ("REVENUE IN THE US", {F("country", "=", "US")}),
    ("SHOW REVENUE IN MAY", set()),
    ("installs not including Facebook", {F("media_source", "!=", "Facebook")}),
    # a rhetorical "isn't X ...?" asks about X; with a subject before it, "isn't" negates
    ("isn't tiktok roas kinda bad", {F("media_source", "=", "TikTok")}),
    ("revenue by source, aren't ios users kinda low?", {F("platform", "=", "iOS")}),
    ("hmm isn't the snapchat cpi high", {F("media_source", "=", "Snapchat")}),
    ("installs where the source isn't TikTok", {F("media_source", "!=", "TikTok")}),
    ("campaigns that aren't on Facebook", {F("media_source", "!=", "Facebook")}),
    ("installs not from TikTok", {F("media_source", "!=", "TikTok")}),
    # chat words for values
    ("subs last month", {F("event_name", "=", "subscription_start")}),
    ("new subscribers by country", {F("event_name", "=", "subscription_start")}),
    ("people who installed without any ad", {F("acquisition_type", "=", "organic")}),
    ("installs not from ads", {F("acquisition_type", "=", "organic")}),
    ("campaign ID of Facebook_iOS_US_Advantage", {F("campaign_name", "=", "Facebook_iOS_US_Advantage")}),
    ("user ID and install ID columns", set()),
    # everything at once
    ("Revenue from iOS users in Germany on Facebook last month, excluding bots",
     {F("platform", "=", "iOS"), F("country", "=", "DE"), F("media_source", "=", "Facebook"),
      F("fraud_type", "!=", "bot")}),
]


def test_there_are_enough_cases():
    assert len(CASES) >= 80


@pytest.mark.parametrize(("question", "expected"), CASES)
def test_filters(resolver, question, expected):
    assert _filters(resolver, question) == expected, question


def test_campaign_words_before_campaigns(resolver, duckdb_wh):
    rows = duckdb_wh.execute(LOOKALIKE_CAMPAIGNS).rows
    assert _filters(resolver, "Lookalike campaigns") == {
        ("campaign_name", "in" if len(rows) > 1 else "=", frozenset(r[0] for r in rows))}


@pytest.mark.parametrize("question",
                         ["campaigns named Lookalike", "campaigns containing Lookalike in the name"])
def test_campaigns_named_by_a_word(resolver, duckdb_wh, question):
    rows = duckdb_wh.execute(LOOKALIKE_CAMPAIGNS).rows
    assert {v for f in resolver.filters(question) for v in f.values} == {r[0] for r in rows}


def test_match_details(resolver):
    question = "installs in Germany excluding Facebook"
    germany, facebook = resolver.find(question)
    assert (germany.dimension, germany.value, question[slice(*germany.span)]) == ("country", "DE", "Germany")
    assert germany.source == "alias" and not germany.negated and germany.op == "="
    assert (facebook.source, facebook.negated, facebook.op, facebook.score) == ("exact", True, "!=", 1.0)


def test_value_known_to_aliases_but_not_in_data(resolver):
    (mexico,) = resolver.find("revenue in Mexico")
    assert (mexico.value, mexico.in_data) == ("MX", False)


@pytest.mark.parametrize(("question", "compared"), [
    ("iOS vs Android revenue", True),
    ("how did installs split across iOS and Android last month?", True),
    ("Compare D7 retention between iOS and Android", True),
    ("do iOS or Android users come back more", True),
    ("Facebook and Google revenue", False),
    ("installs from Facebook or Google", False),
])
def test_comparison_lists_are_flagged(resolver, question, compared):
    (value_filter,) = resolver.filters(question)
    assert value_filter.op == "in" and value_filter.compared is compared


def test_ambiguous_word_keeps_both_readings_at_lower_score(resolver):
    readings = resolver.find("video revenue")
    assert {r.dimension for r in readings} == {"channel", "ad_format"}
    assert all(r.score < 0.9 for r in readings)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_any_text_resolves_without_error(resolver, text):
    for match in resolver.find(text):
        assert 0 <= match.span[0] < match.span[1] <= len(text)
        assert match.op in ("=", "!=")


@pytest.mark.parametrize(("question", "like"),
                         [("installs on samsung devices", "SM-%"), ("google pixel users", "Pixel%")])
def test_device_brands_name_every_model_of_the_brand(resolver, duckdb_wh, question, like):
    rows = duckdb_wh.execute(
        f"SELECT DISTINCT device_model FROM installs WHERE device_model LIKE '{like}'").rows
    assert _filters(resolver, question) == {("device_model", "in", frozenset(r[0] for r in rows))}


@pytest.mark.parametrize("question",
                         ["iOS and Android, mostly iOS", "revenue in Europe", "Facebook vs Google"])
def test_filter_spans_line_up_with_values(resolver, question):
    for value_filter in resolver.filters(question):
        assert len(value_filter.spans) == len(value_filter.values)
        for value, (start, end) in zip(value_filter.values, value_filter.spans, strict=True):
            assert any(m.value == value and m.span == (start, end) for m in resolver.find(question))


def test_clickhouse_engine_gives_the_same_values(resolver, chdb_wh):
    """chdb runs ClickHouse SQL: the fetched campaign names and ids must match DuckDB's."""
    on_clickhouse = ValueResolver.from_warehouse(chdb_wh, model=load_semantic_model())
    for dimension in ("campaign_name", "campaign_id", "country", "media_source", "device_model"):
        assert on_clickhouse.index.known[dimension] == resolver.index.known[dimension], dimension
    question = "Facebook_iOS_US_Advantage in Germany, not on samsung devices"
    assert on_clickhouse.filters(question) == resolver.filters(question)


_VALUE_WORDS = st.sampled_from([
    "not", "excluding", "non-", "vs", "and", "or", ",", "apple", "search", "ads", "google", "play", "US",
    "us", "IN", "in", "ID", "campaign", "campaigns", "Lookalike", "Facebook_iOS_US_Advantage", "facebok",
    "iOS", "14", "18.5", "video", "display", "the", "Europe", "samsung", "c001", "u0000123", "paid", "we",
    "bots", "é", "",
])


@settings(max_examples=200, deadline=None)
@given(st.lists(_VALUE_WORDS, max_size=14).map(" ".join))
def test_value_word_soup_resolves_without_error(resolver, text):
    for value_filter in resolver.filters(text):
        assert value_filter.op in ("=", "in", "!=", "not in")
        assert len(value_filter.spans) == len(value_filter.values) >= 1
        assert all(0 <= s < e <= len(text) for s, e in value_filter.spans)



def _resolver_on(tmp_path, create_sql: str, table: str, dimensions: list[dict], dated: bool = False):
    """A value resolver over one table written for a test, with a model of ``dimensions``."""
    import duckdb
    import yaml

    from warehouse.duckdb import DuckDBWarehouse

    path = tmp_path / "tiny.duckdb"
    with duckdb.connect(str(path)) as conn:
        conn.execute(create_sql)
    date = [{"name": "row_date", "type": "time", "expr": "day", "description": "Day.",
             "type_params": {"time_granularity": "day"}}] if dated else []
    measure = {"name": "rows", "agg": "count", "expr": "id"}
    if dated:
        measure["agg_time_dimension"] = "row_date"
    spec = {"semantic_models": [{
        "name": table, "table": table, "entities": [{"name": "row", "type": "primary", "expr": "id"}],
        "dimensions": date + dimensions, "measures": [measure]}],
        "metrics": [{"name": "rows", "type": "simple", "description": "Rows.", "units": "count",
                     "type_params": {"measure": "rows"}}]}
    (tmp_path / "model.yaml").write_text(yaml.safe_dump(spec), encoding="utf-8")
    with DuckDBWarehouse(path) as wh:
        return ValueResolver.from_warehouse(wh, model=load_semantic_model(tmp_path / "model.yaml"))


def test_values_of_computed_attributes_are_read_from_the_data(tmp_path):
    resolver = _resolver_on(
        tmp_path, "CREATE TABLE trips AS SELECT range AS id, DATE '2013-01-01' + CAST(range AS INT) AS day, "
        "range % 3 AS legs FROM range(60)", "trips",
        [{"name": "weekday", "type": "categorical", "expr": "dayname(day)", "description": "Weekday."},
         {"name": "long_trip", "type": "categorical", "expr": "legs > 1", "description": "Legs."}],  # no text
        dated=True)
    assert _filters(resolver, "trips on saturdays and sundays") == {F("weekday", "in", "Saturday", "Sunday")}
    assert "long_trip" not in resolver.index.known


def test_a_word_inside_a_long_name_corrects_one_slip_not_another_word(tmp_path):
    resolver = _resolver_on(
        tmp_path, "CREATE TABLE sales AS SELECT * FROM (VALUES (1, 'iPad Air (5th generation)', "
        "'United Air Lines Inc.'), (2, 'iPhone 13 mini', 'Delta Air Lines Inc.'), (3, 'iPhone 13 mini', "
        "'Apple Search Ads')) AS t(id, device, seller)", "sales",
        [{"name": "device", "type": "categorical", "description": "Device."},
         {"name": "seller", "type": "categorical", "description": "Seller."}])
    assert _filters(resolver, "how much did April buyers generate in June") == set()
    assert _filters(resolver, "sales by Untied in June") == {F("seller", "=", "United Air Lines Inc.")}
    assert _filters(resolver, "ASA sales per device") == {F("seller", "=", "Apple Search Ads")}  # initials


def test_a_name_and_its_legal_suffix_variants_are_one_value(tmp_path):
    resolver = _resolver_on(
        tmp_path, "CREATE TABLE planes AS SELECT * FROM (VALUES (1, 'AIRBUS', 'Portland Intl'), "
        "(2, 'AIRBUS INDUSTRIE', 'Portland Intl Jetport'), (3, 'BOEING', 'Boston')) AS t(id, maker, airport)",
        "planes", [{"name": "maker", "type": "categorical", "description": "Maker."},
                   {"name": "airport", "type": "categorical", "description": "Home airport."}])
    assert _filters(resolver, "Airbus planes") == {F("maker", "in", "AIRBUS", "AIRBUS INDUSTRIE")}
    assert _filters(resolver, "planes at Portland Intl") == {F("airport", "=", "Portland Intl")}
