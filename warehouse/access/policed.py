"""A connector that runs every statement under a row policy (``apply_row_policy``) first.

Errors are passed on with quoted values blanked: an engine's message can quote a value it met
while evaluating a predicate ("could not convert string 'X'"), and the optimizer may evaluate a
caller's predicate on rows before the policy's filter removes them.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from common.errors import AsklyticsError
from warehouse.access.row_filters import RowPolicy, apply_row_policy
from warehouse.base import Result, Schema, Warehouse

_QUOTED = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"")


class PolicedWarehouse(Warehouse):
    supports_cancel = True

    def __init__(self, inner: Warehouse, policy: RowPolicy):
        self.inner = inner
        self.policy = policy
        self.name = inner.name
        self.dialect = inner.dialect
        self.max_rows = getattr(inner, "max_rows", 1000)

    def execute(self, sql: str, params: Sequence[Any] | Mapping[str, Any] | None = None) -> Result:
        rewritten = apply_row_policy(sql, self.policy, self.inner.schema(), self.dialect)
        try:
            return self.inner.execute(rewritten, params)
        except AsklyticsError as exc:
            exc.message = _QUOTED.sub("'…'", exc.message)
            exc.args = (exc.message,)
            raise

    def schema(self) -> Schema:
        return self.inner.schema()

    def _scan_schema(self) -> Schema:
        return self.inner.schema()

    def cancel(self) -> None:
        self.inner.cancel()

    def identity(self) -> str:
        return self.inner.identity()
