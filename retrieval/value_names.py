"""Human names for coded column values, so "Germany" finds the column holding ``DE``.

Warehouses store ISO country codes; people ask about countries by name. The
names are added to the text retrieval indexes, never to SQL: the planner still
filters on the code.
"""
from __future__ import annotations

COUNTRY_NAMES: dict[str, str] = {
    "US": "United States, USA, America", "GB": "United Kingdom, UK, Britain, England",
    "DE": "Germany", "FR": "France", "JP": "Japan", "BR": "Brazil", "IN": "India",
    "CA": "Canada", "AU": "Australia", "KR": "South Korea, Korea", "ES": "Spain", "IT": "Italy",
    "MX": "Mexico", "CN": "China", "NL": "Netherlands", "SE": "Sweden", "TR": "Turkey",
    "ID": "Indonesia", "RU": "Russia", "PL": "Poland",
}


def describe_values(values: tuple[str, ...], limit: int = 30) -> str:
    """``US (United States, USA, America), DE (Germany), iOS`` -- at most ``limit`` values."""
    shown = [f"{v} ({COUNTRY_NAMES[v]})" if v in COUNTRY_NAMES else v for v in values[:limit]]
    more = len(values) - limit
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")
