"""The guard's error family: one type per way a statement is refused.

Each error has a stable machine-readable ``code`` (the CLI, the REST API and
the LLM planner's retry loop key on it), a ``message`` written for a person
and for a model that will rewrite its SQL, and an optional ``hint`` with the
next step ("use one of: campaigns, events, ...").
"""
from __future__ import annotations

from common.errors import AsklyticsError


class GuardError(AsklyticsError):
    """Base of every error the guard raises; nothing else ever escapes it."""

    code = "guard_error"

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message} ({self.hint})"

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": str(self)}


class SqlSyntaxError(GuardError):
    """The SQL does not parse in the source dialect (or is empty / too long)."""

    code = "sql_syntax"


class MultipleStatements(GuardError):
    """More than one statement was sent; only one query is run at a time."""

    code = "multiple_statements"


class ForbiddenStatement(GuardError):
    """Not a read-only query: a write, DDL, session command or unsafe clause."""

    code = "forbidden_statement"


class ForbiddenFunction(GuardError):
    """A function that reads files or the network, or leaks settings/secrets."""

    code = "forbidden_function"


class ForbiddenTable(GuardError):
    """A file path, system catalog or schema-qualified name that is not exposed."""

    code = "forbidden_table"


class UnknownTable(GuardError):
    """A table the warehouse (or the semantic layer's allowlist) does not expose."""

    code = "unknown_table"


class UnknownColumn(GuardError):
    """A column that none of the query's sources has."""

    code = "unknown_column"


class AmbiguousColumn(GuardError):
    """An unqualified column that more than one joined source has."""

    code = "ambiguous_column"


class InvalidQuery(GuardError):
    """The query is well-formed SQL but cannot be resolved against the schema."""

    code = "invalid_query"


class InvalidLimit(GuardError):
    """A LIMIT the guard cannot bound: negative, percent, or not a number."""

    code = "invalid_limit"


class UnsupportedDialect(GuardError):
    """A source or target dialect other than the warehouses we run."""

    code = "unsupported_dialect"


class TranspileError(GuardError):
    """The query uses a feature the target dialect cannot express faithfully."""

    code = "transpile_failed"


class GuardInternalError(GuardError):
    """Something unexpected failed inside the guard; the statement is refused."""

    code = "guard_internal"
