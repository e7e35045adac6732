"""What each feature means to a marketer, and how to write its values in plain words."""
from __future__ import annotations

import math
from typing import Literal

Unit = Literal["seconds", "hours", "days", "count", "usd", "share", "flag", "change"]

# feature -> (plain-words name, unit)
FEATURES: dict[str, tuple[str, Unit]] = {
    "click_to_install_s": ("click-to-install time", "seconds"),
    "is_organic": ("organic install", "flag"),
    "is_ios": ("iOS device", "flag"),
    "ip_installs_24h": ("installs from the same IP within a day", "count"),
    "ip_installs_7d": ("installs from the same IP in the week before", "count"),
    "ip_installs_30d": ("installs from the same IP in the 30 days before", "count"),
    "ip_device_installs_7d": ("installs from the same IP and phone model in a week", "count"),
    "device_share_in_campaign_1d": ("share of the campaign's installs that day on the same phone model",
                                    "share"),
    "device_model_share_30d": ("popularity of the phone model (share of recent installs)", "share"),
    "events_24h": ("in-app events in the first 24 h", "count"),
    "sessions_24h": ("sessions in the first 24 h", "count"),
    "level_ups_24h": ("level-ups in the first 24 h", "count"),
    "revenue_24h": ("revenue in the first 24 h", "usd"),
    "distinct_events_24h": ("kinds of in-app events in the first 24 h", "count"),
    "first_event_delay_s": ("time from install to the first event", "seconds"),
    "event_span_24h_s": ("time between the first and last event of the first day", "seconds"),
    "events_per_active_minute": ("events per active minute on day one", "count"),
    "source_silent_share_7d": ("share of the media source's recent installs with no activity", "share"),
    "sessions_7d": ("sessions in the last 7 days", "count"),
    "sessions_14d": ("sessions in the last 14 days", "count"),
    "sessions_30d": ("sessions in the last 30 days", "count"),
    "sessions_total": ("sessions since install", "count"),
    "session_trend_7d": ("change in weekly sessions (last week minus the week before)", "change"),
    "active_days_14d": ("active days in the last 14 days", "count"),
    "events_7d": ("in-app events in the last 7 days", "count"),
    "events_30d": ("in-app events in the last 30 days", "count"),
    "level_ups_30d": ("level-ups in the last 30 days", "count"),
    "days_since_last_session": ("days since the last session", "days"),
    "days_since_install": ("days since install", "days"),
    "revenue_30d": ("spend in the last 30 days", "usd"),
    "revenue_total": ("spend since install", "usd"),
    "purchases_total": ("purchases since install", "count"),
    "revenue_d1": ("revenue on day one", "usd"),
    "revenue_d3": ("revenue in the first 3 days", "usd"),
    "purchases_d3": ("purchases in the first 3 days", "count"),
    "subscribed_d3": ("subscribed in the first 3 days", "flag"),
    "sessions_d1": ("sessions on day one", "count"),
    "sessions_d3": ("sessions in the first 3 days", "count"),
    "active_days_d3": ("active days in the first 3 days", "count"),
    "level_ups_d3": ("level-ups in the first 3 days", "count"),
    "cart_adds_d3": ("add-to-carts in the first 3 days", "count"),
    "tutorial_done_d3": ("finished the tutorial in the first 3 days", "flag"),
    "country_revenue_7d_per_install": ("7-day revenue per install of the user's country", "usd"),
    "source_revenue_7d_per_install": ("7-day revenue per install of the user's media source", "usd"),
    "hours_observed": ("time seen since install (up to 24 h)", "hours"),
    "cart_adds_24h": ("add-to-carts in the first 24 h", "count"),
    "tutorial_done_24h": ("finished the tutorial in the first 24 h", "flag"),
    "since_last_event_s": ("time from the last event to the end of the hours seen", "seconds"),
    "country_payer_share_7d": ("share of the country's recent installs that paid within 7 days", "share"),
    "source_payer_share_7d": ("share of the media source's recent installs that paid within 7 days", "share"),
    "campaign_payer_share_7d": ("share of the campaign's recent installs that paid within 7 days", "share"),
}


def label(feature: str) -> str:
    return FEATURES.get(feature, (feature.replace("_", " "), "count"))[0]


def unit(feature: str) -> Unit:
    return FEATURES.get(feature, (feature, "count"))[1]


def _duration(seconds: float) -> str:
    for size, suffix in ((86_400, "days"), (3600, "h"), (60, "min")):
        if abs(seconds) >= size:
            return f"{seconds / size:.3g} {suffix}"
    return f"{seconds:.0f} s"


def format_value(feature: str, value: float | None) -> str:
    """A value as a marketer reads it: '3 s', '12 min', '$4.99', '35%', 'yes'."""
    if value is None or math.isnan(value):  # NaN: the feature does not apply (e.g. organic has no click)
        return "none"
    kind = unit(feature)
    if kind == "seconds":
        return _duration(value)
    if kind == "hours":
        return f"{value:.3g} h"
    if kind == "days":
        return f"{value:.1f} days"
    if kind == "usd":
        return f"${value:,.2f}"
    if kind == "share":
        return f"{value:.0%}"
    if kind == "flag":
        return "yes" if value >= 0.5 else "no"
    if kind == "change":
        return f"{value:+.0f}"
    return f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}"


def format_typical(feature: str, stats: dict | None) -> str:
    """The training rows' p10-p90 range, e.g. '2 min-40 min'; a single value when they agree."""
    if not stats or stats.get("p10") is None:
        return "unknown"
    if unit(feature) == "flag":  # a range of a yes/no is meaningless: say what most rows are
        return format_value(feature, stats["p50"])
    low, high = format_value(feature, stats["p10"]), format_value(feature, stats["p90"])
    return low if low == high else f"{low}-{high}"
