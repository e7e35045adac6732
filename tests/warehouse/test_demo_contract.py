"""The demo warehouse honours shared/spec/demo-warehouse.md (scale 1, seed 42).

Every check is a query on the built file: first the contract's shapes and
invariants, then the realism the predictors and anomaly detection rely on
(signals present, but noisy and overlapping rather than perfect labels).
"""
from __future__ import annotations

import os

import pytest

CONTRACT = {
    "campaigns": [("campaign_id", "VARCHAR"), ("campaign_name", "VARCHAR"), ("media_source", "VARCHAR"),
                  ("platform", "VARCHAR"), ("country", "VARCHAR"), ("channel", "VARCHAR"),
                  ("ad_format", "VARCHAR"), ("start_date", "DATE")],
    "ad_spend": [("date", "DATE"), ("campaign_id", "VARCHAR"), ("impressions", "BIGINT"),
                 ("clicks", "BIGINT"), ("cost", "DOUBLE")],
    "installs": [("install_id", "VARCHAR"), ("user_id", "VARCHAR"), ("campaign_id", "VARCHAR"),
                 ("install_time", "TIMESTAMP"), ("click_time", "TIMESTAMP"), ("platform", "VARCHAR"),
                 ("country", "VARCHAR"), ("device_model", "VARCHAR"), ("os_version", "VARCHAR"),
                 ("ip_hash", "VARCHAR"), ("is_fraud", "BOOLEAN"), ("fraud_type", "VARCHAR")],
    "events": [("event_id", "BIGINT"), ("user_id", "VARCHAR"), ("event_time", "TIMESTAMP"),
               ("event_name", "VARCHAR"), ("revenue", "DOUBLE")],
}
SOURCES = {"Facebook", "Google", "TikTok", "Unity", "AppLovin", "ironSource", "Snapchat", "Apple Search Ads"}
EVENT_NAMES = {"session_start", "tutorial_complete", "level_up", "add_to_cart", "purchase",
               "subscription_start"}


@pytest.fixture(scope="module")
def db(demo_sql):
    return demo_sql


def one(db, sql: str):
    return db.execute(sql).fetchone()[0]


def distinct(db, table: str, column: str) -> set:
    return {r[0] for r in db.execute(f"SELECT DISTINCT {column} FROM {table}").fetchall()}


@pytest.mark.parametrize("table", sorted(CONTRACT))
def test_tables_have_the_contract_columns_and_types(db, table):
    described = [(r[0], r[1]) for r in db.execute(f"DESCRIBE {table}").fetchall()]
    assert described == CONTRACT[table]


@pytest.fixture(scope="module")
def scale(db) -> float:
    return float(one(db, "SELECT value FROM asklytics_meta WHERE key = 'scale'"))


def test_sizes_follow_the_scale(db, scale):
    assert one(db, "SELECT count(*) FROM campaigns") == 60
    assert one(db, "SELECT count(*) FROM installs") == round(200_000 * scale)
    assert 12.5 <= one(db, "SELECT count(*) FROM events") / (200_000 * scale) <= 20


def test_meta_records_how_the_file_was_made(db):
    meta = dict(db.execute("SELECT key, value FROM asklytics_meta").fetchall())
    assert meta["seed"] == "42"
    assert float(meta["scale"]) == float(os.environ.get("ASKLYTICS_TEST_SCALE", "1"))  # as conftest asked
    assert meta["as_of"] == "2026-07-01" and meta["generator_version"]


def test_campaign_ids_and_names(db):
    assert one(db, "SELECT count(*) FROM campaigns "
                   "WHERE NOT regexp_full_match(campaign_id, 'c[0-9]{3}')") == 0
    assert one(db, "SELECT count(DISTINCT campaign_name) = count(*) FROM campaigns")
    assert one(db, "SELECT count(DISTINCT campaign_id) = count(*) FROM campaigns")
    pattern = "[A-Za-z]+_(iOS|Android)_[A-Z]{2}_[A-Za-z0-9]+"
    assert one(db, "SELECT count(*) FROM campaigns "
                   f"WHERE NOT regexp_full_match(campaign_name, '{pattern}')") == 0
    assert one(db, "SELECT count(*) FROM campaigns WHERE split_part(campaign_name, '_', 2) <> platform "
                   "OR split_part(campaign_name, '_', 3) <> country") == 0


def test_campaign_attribute_values(db):
    assert distinct(db, "campaigns", "media_source") == SOURCES
    assert distinct(db, "campaigns", "platform") == {"iOS", "Android"}
    assert distinct(db, "campaigns", "country") >= {"US", "GB", "DE", "FR", "JP", "BR", "IN", "CA"}
    assert distinct(db, "campaigns", "channel") == {"social", "search", "video", "display"}
    assert distinct(db, "campaigns", "ad_format") == {"video", "image", "playable", "banner", "text"}
    assert one(db, "SELECT count(*) FROM campaigns WHERE media_source = 'Apple Search Ads' "
                   "AND platform <> 'iOS'") == 0


def test_every_campaign_spends_every_day_from_its_start(db):
    assert one(db, "SELECT count(*) FROM campaigns WHERE start_date <= DATE '2026-01-01'") >= 40
    assert one(db, "SELECT min(start_date) >= DATE '2026-01-01' FROM campaigns")
    expected_rows = one(db, "SELECT sum(DATE '2026-06-30' - start_date + 1) FROM campaigns")
    assert one(db, "SELECT count(*) FROM ad_spend") == expected_rows
    assert one(db, "SELECT count(*) FROM (SELECT DISTINCT date, campaign_id FROM ad_spend)") == expected_rows
    assert one(db, "SELECT count(*) FROM ad_spend s JOIN campaigns c USING (campaign_id) "
                   "WHERE s.date < c.start_date OR s.date > DATE '2026-06-30' OR s.cost <= 0") == 0


def test_spend_values_are_plausible(db):
    assert one(db, "SELECT count(*) FROM ad_spend WHERE round(cost, 2) <> cost OR clicks <= 0 "
                   "OR impressions <= clicks") == 0
    ctr = db.execute("SELECT min(c), max(c) FROM (SELECT sum(clicks) / sum(impressions) c FROM ad_spend "
                     "GROUP BY campaign_id)").fetchone()
    assert 0.005 <= ctr[0] and ctr[1] <= 0.03


def test_installs_identity_and_attribution(db):
    assert one(db, "SELECT count(DISTINCT user_id) = count(*) AND count(DISTINCT install_id) = count(*) "
                   "FROM installs")
    assert one(db, "SELECT count(*) FROM installs WHERE (campaign_id IS NULL) <> (click_time IS NULL)") == 0
    assert one(db, "SELECT count(*) FROM installs "
                   "WHERE campaign_id NOT IN (SELECT campaign_id FROM campaigns)") == 0
    assert one(db, "SELECT count(*) FROM installs i JOIN campaigns c USING (campaign_id) "
                   "WHERE i.platform <> c.platform OR i.country <> c.country") == 0
    assert one(db, "SELECT count(*) FROM installs WHERE click_time > install_time") == 0
    assert one(db, "SELECT count(*) FROM installs i JOIN campaigns c USING (campaign_id) "
                   "WHERE i.install_time < c.start_date") == 0
    organic_share = one(db, "SELECT avg((campaign_id IS NULL)::INT) FROM installs")
    assert 0.2 < organic_share < 0.5


def test_install_values(db):
    assert distinct(db, "installs", "platform") == {"iOS", "Android"}
    assert distinct(db, "installs", "fraud_type") == {None, "click_injection", "bot", "device_farm",
                                                       "sdk_spoofing"}
    assert one(db, "SELECT count(*) FROM installs WHERE (fraud_type IS NULL) <> (NOT is_fraud)") == 0
    assert one(db, "SELECT count(*) FROM installs WHERE is_fraud AND campaign_id IS NULL") == 0
    assert one(db, "SELECT count(*) FROM installs WHERE device_model IS NULL OR os_version IS NULL "
                   "OR ip_hash IS NULL OR country IS NULL") == 0
    window = db.execute("SELECT min(install_time), max(install_time) FROM installs").fetchone()
    assert str(window[0]) >= "2026-01-01" and str(window[1]) < "2026-07-01"


def test_events_follow_their_install_and_stay_in_the_window(db):
    assert one(db, "SELECT count(*) FROM events e JOIN installs i USING (user_id) "
                   "WHERE e.event_time < i.install_time") == 0
    assert one(db, "SELECT count(*) FROM events WHERE user_id NOT IN (SELECT user_id FROM installs)") == 0
    assert str(one(db, "SELECT max(event_time) FROM events")) <= "2026-06-30 23:59:59"
    assert str(one(db, "SELECT min(event_time) FROM events")) >= "2026-01-01"
    assert distinct(db, "events", "event_name") == EVENT_NAMES


def test_event_ids_are_unique_and_follow_time(db):
    assert one(db, "SELECT count(DISTINCT event_id) = count(*) FROM events")
    disorder = "SELECT count(*) FROM (SELECT event_time < lag(event_time) OVER (ORDER BY event_id) AS back " \
               "FROM events) WHERE back"
    assert one(db, disorder) == 0


def test_revenue_only_on_purchases_and_subscriptions(db):
    paying = "event_name IN ('purchase', 'subscription_start')"
    assert one(db, f"SELECT count(*) FROM events WHERE {paying} AND NOT revenue > 0") == 0
    assert one(db, f"SELECT count(*) FROM events WHERE NOT {paying} AND revenue <> 0") == 0
    assert one(db, "SELECT count(*) FROM events WHERE round(revenue, 2) <> revenue") == 0


@pytest.mark.parametrize("table, column", [("installs", "install_time"), ("installs", "click_time"),
                                           ("events", "event_time")])
def test_timestamps_are_whole_seconds(db, table, column):
    assert one(db, f"SELECT count(*) FROM {table} WHERE microsecond({column}) % 1000000 <> 0") == 0


# --- realism: fraud ----------------------------------------------------------

CTIT = "epoch(install_time - click_time)"


def test_click_injection_clicks_seconds_before_install_real_users_minutes(db):
    medians = dict(db.execute(f"SELECT coalesce(fraud_type, 'legit'), median({CTIT}) FROM installs "
                              "WHERE campaign_id IS NOT NULL GROUP BY 1").fetchall())
    assert medians["click_injection"] < 60 and medians["legit"] > 300
    # not a perfect label: some real users also install within a minute, some injections take longer
    short = dict(db.execute(f"SELECT coalesce(fraud_type, 'legit'), avg(({CTIT} < 60)::INT) FROM installs "
                            "WHERE campaign_id IS NOT NULL GROUP BY 1").fetchall())
    assert 0.01 < short["legit"] < 0.1 and 0.5 < short["click_injection"] < 0.95


def test_bots_share_ips_and_fire_short_revenue_free_bursts(db, scale):
    per_ip = dict(db.execute(
        "WITH ip AS (SELECT ip_hash, count(*) n FROM installs GROUP BY 1) "
        "SELECT coalesce(fraud_type, 'legit'), avg(n) FROM installs JOIN ip USING (ip_hash) "
        "GROUP BY 1").fetchall())
    assert per_ip["bot"] > 3 * per_ip["legit"]
    # carrier NAT
    assert one(db, "SELECT count(*) FROM installs WHERE fraud_type IS NULL AND ip_hash IN "
                   "(SELECT ip_hash FROM installs GROUP BY 1 HAVING count(*) >= 10)") > 5000 * scale
    bursts = db.execute(
        "SELECT median(n), max(n), median(first_minutes), sum(rev) FROM "
        "(SELECT e.user_id, count(*) n, sum(revenue) rev, "
        "count(*) FILTER (WHERE e.event_time < i.install_time + INTERVAL 10 MINUTE) / count(*) first_minutes "
        "FROM events e JOIN installs i USING (user_id) WHERE i.fraud_type = 'bot' GROUP BY 1)").fetchone()
    assert bursts[0] >= 5 and bursts[1] <= 40 and bursts[2] >= 0.5 and bursts[3] == 0


def test_device_farms_reuse_few_models_and_ips(db):
    farm_ips = db.execute(
        "WITH f AS (SELECT ip_hash, device_model, count(*) n FROM installs WHERE fraud_type = 'device_farm' "
        "GROUP BY ALL), ips AS (SELECT ip_hash, sum(n) total, list(n ORDER BY n DESC) counts FROM f "
        "GROUP BY 1 HAVING sum(n) >= 10) "
        "SELECT count(*), median((counts[1] + coalesce(counts[2], 0)) / total) FROM ips"
    ).fetchone()
    assert farm_ips[0] >= 5 and farm_ips[1] >= 0.6
    assert one(db, "SELECT count(DISTINCT ip_hash) / count(*) FROM installs "
                   "WHERE fraud_type = 'device_farm'") < 0.5


def test_sdk_spoofing_installs_never_send_events(db):
    assert one(db, "SELECT count(*) FROM events WHERE user_id IN "
                   "(SELECT user_id FROM installs WHERE fraud_type = 'sdk_spoofing')") == 0
    silent_real = one(db, "SELECT avg((user_id NOT IN (SELECT user_id FROM events))::INT) FROM installs "
                          "WHERE NOT is_fraud")
    assert 0.005 < silent_real < 0.05  # a few real users look the same


def test_fraud_rate_differs_by_source_and_spikes(db):
    rates = [r[0] for r in db.execute("SELECT avg(is_fraud::INT) FROM installs "
                                      "JOIN campaigns USING (campaign_id) "
                                      "GROUP BY media_source ORDER BY 1 DESC").fetchall()]
    median = sorted(rates)[len(rates) // 2]
    assert rates[1] > 2 * median
    spike_weeks = db.execute(
        "WITH w AS (SELECT media_source, date_trunc('week', install_time) wk, avg(is_fraud::INT) r "
        "FROM installs JOIN campaigns USING (campaign_id) GROUP BY ALL HAVING count(*) >= 50), "
        "m AS (SELECT media_source, median(r) typical FROM w GROUP BY 1) "
        "SELECT media_source, count(*) FROM w JOIN m USING (media_source) WHERE r > 3 * typical "
        "GROUP BY 1 ORDER BY 2 DESC").fetchall()
    assert spike_weeks and 2 <= spike_weeks[0][1] <= 6  # one source spikes for a few weeks


# --- realism: revenue --------------------------------------------------------


def test_revenue_is_heavy_tailed(db):
    payer_share, top_share = db.execute(
        "WITH u AS (SELECT user_id, sum(revenue) r FROM events GROUP BY 1 HAVING sum(revenue) > 0), "
        "ranked AS (SELECT r, ntile(100) OVER (ORDER BY r DESC) pct FROM u) "
        "SELECT (SELECT count(*) FROM u) / (SELECT count(*) FROM installs), "
        "sum(r) FILTER (WHERE pct = 1) / sum(r) FROM ranked").fetchone()
    assert 0.01 < payer_share < 0.1 and top_share > 0.2


def arpu_by(db, column: str, join: str = "") -> dict:
    return dict(db.execute(
        f"WITH u AS (SELECT i.user_id, coalesce(sum(e.revenue), 0) r FROM installs i LEFT JOIN events e "
        f"USING (user_id) GROUP BY 1) SELECT {column}, avg(r) FROM u JOIN installs i USING (user_id) {join} "
        "GROUP BY 1").fetchall())


def test_arpu_differs_by_platform_country_and_source(db):
    platform = arpu_by(db, "i.platform")
    assert platform["iOS"] > 1.5 * platform["Android"]
    country = arpu_by(db, "i.country")
    assert country["US"] > 3 * country["IN"]
    source = arpu_by(db, "c.media_source", "JOIN campaigns c USING (campaign_id)")
    assert max(source.values()) > 2 * min(source.values())


def test_roas_and_cpi_are_plausible_and_differ_by_campaign(db):
    rows = db.execute(
        "WITH rev AS (SELECT i.campaign_id, sum(e.revenue) rev FROM events e JOIN installs i USING (user_id) "
        "GROUP BY 1), spend AS (SELECT campaign_id, sum(cost) cost FROM ad_spend GROUP BY 1), "
        "paid AS (SELECT campaign_id, count(*) n FROM installs GROUP BY 1) "
        "SELECT rev / cost, cost / n FROM spend JOIN rev USING (campaign_id) JOIN paid USING (campaign_id)"
    ).fetchall()
    roas, cpi = sorted(r[0] for r in rows), sorted(r[1] for r in rows)
    assert len(rows) == 60
    assert 0.3 < roas[30] < 1.5 and roas[-1] > 5 * roas[0]
    assert sum(0.1 <= r <= 3 for r in roas) >= 50
    assert 0.3 < cpi[30] < 5 and cpi[-1] > 3 * cpi[0]


# --- realism: engagement, churn, seasonality ---------------------------------

SESSIONS_BY_AGE = (
    "SELECT e.user_id, date_diff('day', i.install_time, e.event_time) age FROM events e "
    "JOIN installs i USING (user_id) WHERE e.event_name = 'session_start' AND i.install_time < {before}"
)


def test_sessions_decay_after_install(db):
    sql = SESSIONS_BY_AGE.format(before="TIMESTAMP '2026-04-01'")
    per_day = [one(db, f"SELECT count(*) FILTER (WHERE age >= {lo} AND age < {hi}) / {hi - lo} FROM ({sql})")
               for lo, hi in ((0, 7), (7, 14), (14, 28), (28, 56), (56, 90))]
    assert per_day == sorted(per_day, reverse=True) and per_day[0] > 3 * per_day[3]


def test_first_days_predict_later_activity(db):
    early_later = (
        "SELECT i.user_id, count(s.age) FILTER (WHERE s.age < 3) early, "
        "count(s.age) FILTER (WHERE s.age BETWEEN 7 AND 30) later, bool_or(s.age = 30) d30 "
        f"FROM installs i LEFT JOIN ({SESSIONS_BY_AGE.format(before='TIMESTAMP ' + repr('2026-05-15'))}) s "
        "USING (user_id) WHERE i.install_time < TIMESTAMP '2026-05-15' GROUP BY 1"
    )
    corr, top, bottom = db.execute(
        f"WITH u AS ({early_later}), q AS (SELECT *, ntile(4) OVER (ORDER BY early, user_id) qt FROM u) "
        "SELECT corr(early, later), avg(coalesce(d30, false)::INT) FILTER (WHERE qt = 4), "
        "avg(coalesce(d30, false)::INT) FILTER (WHERE qt <= 2) FROM q").fetchone()
    assert 0.3 < corr < 0.95  # predictive, not deterministic
    assert top > 2 * bottom


def test_churn_is_not_decided_by_recency_alone(db):
    recent_churn, comeback = db.execute(
        "WITH s AS (SELECT user_id, event_time t FROM events WHERE event_name = 'session_start'), "
        "u AS (SELECT user_id, max(t) FILTER (WHERE t < TIMESTAMP '2026-06-01') last_seen, "
        "count(*) FILTER (WHERE t >= TIMESTAMP '2026-06-01' AND t < TIMESTAMP '2026-06-15') next14 "
        "FROM s JOIN installs i USING (user_id) WHERE i.install_time < TIMESTAMP '2026-04-01' GROUP BY 1) "
        "SELECT avg((next14 = 0)::INT) FILTER (WHERE last_seen >= TIMESTAMP '2026-05-25'), "
        "avg((next14 > 0)::INT) FILTER (WHERE last_seen < TIMESTAMP '2026-05-01') FROM u").fetchone()
    assert 0.1 < recent_churn < 0.7  # active users do churn
    assert comeback > 0.003  # and some long-gone users come back


def test_weekends_are_busier_than_midweek(db):
    by_weekday = dict(db.execute(
        "SELECT dayofweek(d), avg(n) FROM (SELECT event_time::DATE d, count(*) n FROM events "
        "WHERE event_name = 'session_start' AND event_time >= TIMESTAMP '2026-02-01' GROUP BY 1) GROUP BY 1"
    ).fetchall())
    assert (by_weekday[6] + by_weekday[0]) / 2 > 1.1 * (by_weekday[2] + by_weekday[3]) / 2


def ratio_to_neighbours(db, daily_sql: str, day: str) -> float:
    """A day's value divided by the median of the 7 days either side of it."""
    return one(db, f"WITH d AS ({daily_sql}) SELECT (SELECT n FROM d WHERE d = DATE '{day}') / median(n) "
                   f"FROM d WHERE d BETWEEN DATE '{day}' - 7 AND DATE '{day}' + 7 AND d <> DATE '{day}'")


def test_planted_anomalies_stand_out(db):
    events = "SELECT event_time::DATE d, count(*) n FROM events GROUP BY 1"
    paid = "SELECT install_time::DATE d, count(*) n FROM installs WHERE campaign_id IS NOT NULL GROUP BY 1"
    organic = "SELECT install_time::DATE d, count(*) n FROM installs WHERE campaign_id IS NULL GROUP BY 1"
    assert ratio_to_neighbours(db, events, "2026-04-14") < 0.5  # SDK outage
    assert ratio_to_neighbours(db, paid, "2026-03-10") < 0.5  # attribution outage
    assert ratio_to_neighbours(db, organic, "2026-02-14") > 2  # store featuring
