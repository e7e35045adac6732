"""What kind of value a warehouse column holds, from its type name, for the model's checks
(live_check.py) and for a first model (bootstrap.py). DuckDB names (``DECIMAL(18,3)``, ``TIMESTAMP
WITH TIME ZONE``) and ClickHouse names (``Nullable(Float64)``, ``LowCardinality(String)``) alike."""
from __future__ import annotations

import re

from warehouse._clickhouse_values import inner_type

_TIME = re.compile(r"(?:DATE|TIMESTAMP|DATETIME)")
_NUMBER = re.compile(r"U?(?:TINY|SMALL|BIG|HUGE)?INT(?:EGER|\d+)?|DECIMAL|NUMERIC|DOUBLE|FLOAT\d*|REAL|"
                     r"NUMBER")
_TEXT = re.compile(r"VARCHAR|STRING|TEXT|CHAR|ENUM|FIXEDSTRING|BOOL")


def _base(type_name: str) -> str:
    """``Nullable(Decimal(18, 3))`` -> ``DECIMAL``; ``TIMESTAMP WITH TIME ZONE`` -> ``TIMESTAMP``."""
    return re.split(r"[\s(]", inner_type(type_name.strip()), maxsplit=1)[0].upper()


def is_time(type_name: str) -> bool:
    return bool(_TIME.match(_base(type_name)))


def is_number(type_name: str) -> bool:
    return bool(_NUMBER.fullmatch(_base(type_name)))


def is_text(type_name: str) -> bool:
    """Text, enum or boolean: what a categorical dimension reads."""
    return bool(_TEXT.match(_base(type_name)))


def is_date(type_name: str) -> bool:
    """A calendar day (not a timestamp): a time dimension can read it as it is."""
    return _base(type_name) in ("DATE", "DATE32")
