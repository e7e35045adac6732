"""Row-level access: every read of a governed table goes through a filtered subquery (docs/governance.md).

``apply_row_policy`` rewrites one SQL statement; ``PolicedWarehouse`` wraps a connector so every
statement it runs -- compiled, planner-written, a tool's feature query -- is rewritten first.
"""
from warehouse.access.policed import PolicedWarehouse
from warehouse.access.row_filters import (
    AccessDenied,
    RowPolicy,
    TableLink,
    apply_row_policy,
    parse_row_filter,
)

__all__ = ["AccessDenied", "PolicedWarehouse", "RowPolicy", "TableLink", "apply_row_policy",
           "parse_row_filter"]
