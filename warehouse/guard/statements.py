"""Read-only checks: the root is a query and no node anywhere writes or escapes.

The tree is walked whole, so a DELETE inside a CTE, an INSERT in a nested
subquery or a ``Command`` (sqlglot's fallback for syntax it does not know)
is found wherever it hides.
"""
from __future__ import annotations

from sqlglot import exp

from warehouse.guard.errors import ForbiddenStatement

QUERY_ROOTS = (exp.Select, exp.Union, exp.Intersect, exp.Except)

# Node types that never belong in a read-only query. ``exp.Command`` covers
# LOAD, CALL, EXPORT and anything else sqlglot could not parse properly.
FORBIDDEN_NODES: tuple[type[exp.Expression], ...] = (
    exp.DML, exp.DDL, exp.Alter, exp.Drop, exp.TruncateTable, exp.Copy, exp.Merge,
    exp.Set, exp.SetItem, exp.Pragma, exp.Attach, exp.Detach, exp.Install, exp.Command,
    exp.Use, exp.Transaction, exp.Commit, exp.Rollback, exp.Grant, exp.Revoke,
    exp.Comment, exp.Analyze, exp.LoadData, exp.Summarize, exp.Describe, exp.Show,
    exp.Into, exp.Lock, exp.Export, exp.Cache, exp.Uncache, exp.Refresh, exp.Kill,
    exp.Execute, exp.ExecuteSql, exp.StoredProcedure, exp.Declare, exp.Put, exp.Get,
    exp.Returning, exp.OnConflict, exp.LockingStatement, exp.SwapTable, exp.Undrop,
    exp.Properties, exp.Property, exp.Block, exp.IfBlock, exp.WhileBlock, exp.LoopBlock,
    exp.UserDefinedFunction, exp.Clone, exp.SessionParameter, exp.AlterSession,
)

# Query arguments that change the session, lock rows or write: ``SELECT ... INTO``,
# ``FOR UPDATE``, ClickHouse ``SETTINGS`` and ``FORMAT`` (the connector owns both).
FORBIDDEN_QUERY_ARGS = {
    "into": "SELECT ... INTO creates a table",
    "locks": "locking clauses (FOR UPDATE / FOR SHARE) are not allowed",
    "settings": "a SETTINGS clause would override the warehouse's limits",
    "format": "a FORMAT clause is chosen by the warehouse connector, not the query",
    "options": "query OPTIONS/hints are not allowed",
}


def require_query_root(tree: exp.Expression) -> exp.Expression:
    """Unwrap ``(SELECT ...)`` and insist the statement is a query."""
    while (isinstance(tree, (exp.Subquery, exp.Paren)) and not tree.alias
           and isinstance(tree.this, exp.Expression)):
        tree = tree.this
    if not isinstance(tree, QUERY_ROOTS):
        raise ForbiddenStatement(
            f"only read-only queries can run, not {_statement_name(tree)} statements",
            hint="write a single SELECT; WITH, UNION, INTERSECT and EXCEPT are fine",
        )
    return tree


def reject_writes(tree: exp.Expression) -> None:
    for node in tree.walk():
        if isinstance(node, FORBIDDEN_NODES):
            raise ForbiddenStatement(
                f"{_statement_name(node)} is not allowed: the guard only runs read-only queries",
                hint="remove it and query with SELECT only",
            )
        if isinstance(node, exp.Query):
            _reject_query_args(node)


def _reject_query_args(query: exp.Query) -> None:
    for arg, reason in FORBIDDEN_QUERY_ARGS.items():
        if query.args.get(arg):
            raise ForbiddenStatement(reason, hint="remove the clause and run the plain SELECT")


def _statement_name(node: exp.Expression) -> str:
    if isinstance(node, exp.Command):
        return str(node.this).upper() or "unparsed command"
    if isinstance(node, (exp.Create, exp.Drop)) and node.args.get("kind"):
        return f"{type(node).__name__.upper()} {str(node.args['kind']).upper()}"
    if isinstance(node, (exp.Column, exp.Identifier, exp.Literal)):
        return f"`{node.sql()[:40]}`"  # e.g. CHECKPOINT, which sqlglot reads as a bare name
    return type(node).__name__.upper()
