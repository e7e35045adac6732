"""A small DuckDB warehouse nobody described, for ``model init --describe``: an orders export with
vendor column names and the customers it joins to."""

from __future__ import annotations

from pathlib import Path

import duckdb


def build_shop(path: Path) -> Path:
    with duckdb.connect(str(path)) as conn:
        conn.execute('CREATE TABLE "Orders Export" ("Order ID" VARCHAR, "Ordered At" TIMESTAMP, '
                     '"Country" VARCHAR, "Amount EUR" DOUBLE, customer_id VARCHAR)')
        conn.execute("""INSERT INTO "Orders Export" SELECT 'o' || i, TIMESTAMP '2026-05-01 10:00:00'
                        + i * INTERVAL 3 HOUR, ['FR', 'IT', 'ES'][i % 3 + 1], 10 + i, 'c' || (i % 50)
                        FROM range(300) t(i)""")
        conn.execute("CREATE TABLE customers (customer_id VARCHAR, tier VARCHAR, signed_up DATE)")
        conn.execute("INSERT INTO customers SELECT 'c' || i, ['gold', 'basic'][i % 2 + 1], "
                     "DATE '2026-01-01' + CAST(i AS INTEGER) FROM range(60) t(i)")
    return path


# What a model would answer for the shop (the item names model init gives it).
SHOP_SUGGESTIONS = {
    "tables": {"orders_export": {"description": "One row is an order placed in the web shop."},
               "customers": {"description": "One row is a customer account."}},
    "dimensions": {
        "country": {"description": "Country the order ships to.", "synonyms": ["shipping country", "market"]},
        "tier": {"description": "Loyalty tier of the customer.",
                 "synonyms": ["customer tier", "loyalty level"]},
    },
    "measures": {"orders_export_amount_eur_total": {"description": "Sum of order amounts in euros."}},
    "metrics": {
        "total_amount_eur": {"description": "Order value in euros.", "synonyms": ["revenue", "sales", "gmv"]},
        "orders_export_count": {"description": "Number of orders.", "synonyms": ["orders", "order count"]},
    },
}
