"""Function checks: every call is a listed pure function, under its real name.

The name checked is the one the engine resolves, whatever the spelling:
``"current_setting"``, ```file```, ``CURRENT_SETTING`` and ``Current_Setting``
are all ``current_setting`` (sqlglot keeps a quoted name as an ``Identifier``;
its text drops the quotes, and the name is lower-cased). A call with a
qualifier -- ``main.current_setting(...)``, ``system.file(...)``, DuckDB's
method form ``'x'.upper()``, parsed as ``exp.Dot`` -- is refused outright: the
engines resolve it to the same built-in, and refusing the form leaves nothing
to reason about.

Then, by position:

- in table position (``FROM f(...)``, ``JOIN f(...)``) only a small allowlist
  of in-memory generators runs: ``range``/``generate_series``/``unnest`` (and
  ClickHouse ``numbers``) build rows from their own arguments and read nothing
  else; every other table function (``read_csv``, ``query``, ``url``, ``s3``,
  ``file``, ``remote``, ``duckdb_settings()``...) is refused, as is a
  catalog-qualified one;
- everywhere else the call must be on the dialect's allow-list
  (:mod:`warehouse.guard.allowlist`), and not on the denylist of *any*
  dialect: the SQL may be transpiled, and a name harmless in DuckDB (``file``)
  reads files in ClickHouse. The denylist is kept as a second net and for the
  precise message: with an allow-list it refuses nothing the list would let
  through (a test checks that the two never meet).
"""
from __future__ import annotations

from sqlglot import exp

from warehouse.guard.allowlist import ENGINE_FUNCTIONS, NAMED_CALL_TYPES, TYPED_FUNCTIONS, is_listed
from warehouse.guard.errors import ForbiddenFunction
from warehouse.guard.suggest import did_you_mean

TABLE_FUNCTION_ALLOWLIST = frozenset({"range", "generate_series", "unnest", "numbers"})

DENIED_FUNCTIONS = {
    "sqlite": frozenset({
        "load_extension", "readfile", "writefile", "edit", "fsdir", "zipfile", "fts3_tokenizer",
        "dbstat", "sqlite_dbpage",
    }),
    "duckdb": frozenset({
        "getvariable", "current_setting", "getenv", "read_text", "read_blob", "sniff_csv",
        "query", "query_table", "glob", "which_secret", "load_aws_credentials",
        "json_execute_serialized_sql", "from_substrait", "from_substrait_json",
        "get_substrait", "get_substrait_json", "checkpoint", "force_checkpoint",
        "current_user", "session_user", "user", "current_role", "write_log", "nextval", "currval",
        "setval", "setseed", "sleep_ms", "pg_sleep", "enable_logging", "disable_logging",
        "enable_profiling", "disable_profiling", "current_query", "version",
    }),
    "clickhouse": frozenset({
        "file", "url", "s3", "s3cluster", "remote", "remotesecure", "mysql", "postgresql",
        "hdfs", "input", "jdbc", "odbc", "executable", "cluster", "clusterallreplicas",
        "azureblobstorage", "gcs", "mongodb", "redis", "sqlite", "iceberg", "deltalake",
        "hudi", "dictionary", "merge", "loop", "getsetting", "getsettingornull", "getmacro",
        "currentuser", "currentprofiles", "currentroles", "enabledroles", "defaultroles",
        "hostname", "fqdn", "tcpport", "getserverport", "uptime", "serveruuid",
        "getoskernelversion", "filesystemavailable", "filesystemcapacity",
        "filesystemunreserved", "joinget", "joingetornull", "sleep", "sleepeachrow",
        "addresstoline", "addresstolinewithinlines", "addresstosymbol", "demangle",
        "getclienthttpheader", "globalvariable", "buildid", "revision",
        "zookeepersessionuptime", "catboostevaluate", "modelevaluate", "hascolumnintable",
        "initialqueryid", "getsubcolumn", "shardnum", "shardcount", "queryid", "currentdatabase",
        "currentschemas", "currentquerystatement", "displayname",
    }),
}

# Whole families: DuckDB's catalog/pragma/scanner functions and ClickHouse
# dictionary reads, matched by prefix so new members are refused too.
DENIED_PREFIXES = {
    "sqlite": ("sqlite_", "pragma_"),
    "duckdb": ("duckdb_", "pragma_", "pg_", "read_", "parquet_", "sqlite_", "postgres_",
               "mysql_", "iceberg_", "delta_", "excel_", "st_read"),
    "clickhouse": ("dictget", "dicthas", "dictisin", "getsetting", "getserversetting",
                   "getmergetreesetting", "getmacro", "filesystem", "addressto", "getclient"),
}
ALL_DENIED = frozenset().union(*DENIED_FUNCTIONS.values())
ALL_DENIED_PREFIXES = tuple(p for prefixes in DENIED_PREFIXES.values() for p in prefixes)

DENIED_NODE_TYPES: tuple[type[exp.Expression], ...] = (exp.ReadCSV, exp.ReadParquet)


def function_name(func: exp.Func) -> str:
    """The lower-case name the engine resolves: the written name without quotes, or sqlglot's
    canonical name for a typed node (``"current_setting"`` -> ``current_setting``)."""
    if isinstance(func, NAMED_CALL_TYPES):
        return func.name.lower()  # Identifier or plain text; .name is the text without quotes
    return func.sql_name().lower()


def is_table_position(func: exp.Expression) -> bool:
    # Only the node in the source slot: a JOIN's ON condition is a Func too.
    return isinstance(func.parent, (exp.Table, exp.From, exp.Join, exp.Lateral)) and func.arg_key == "this"


def qualifier(func: exp.Expression) -> str | None:
    """What stands before the dot of a qualified or method-style call, else None."""
    parent = func.parent
    if isinstance(parent, exp.Table) and (parent.args.get("db") or parent.args.get("catalog")):
        return ".".join(p.name for p in (parent.args.get("catalog"), parent.args.get("db")) if p)
    if isinstance(parent, exp.Dot) and func.arg_key == "expression":
        return parent.this.sql()
    if isinstance(parent, exp.Column) and func.arg_key == "this":
        return ".".join(p.name for p in (parent.args.get("catalog"), parent.args.get("db"),
                                         parent.args.get("table")) if p) or None
    return None


def is_denied(name: str) -> bool:
    return name in ALL_DENIED or name.startswith(ALL_DENIED_PREFIXES)


def is_allowed(func: exp.Func, name: str, dialect: str) -> bool:
    if isinstance(func, NAMED_CALL_TYPES):
        return is_listed(name, dialect)
    return func.sql_name() in TYPED_FUNCTIONS


def restrict_functions(tree: exp.Expression, dialect: str) -> None:
    """Raise ForbiddenFunction for the first call that is not a listed function of ``dialect``."""
    for func in tree.find_all(exp.Func):
        name = function_name(func)
        if is_table_position(func):
            _check_table_function(func, name)
        else:
            _check_call(func, name, dialect)


def _check_table_function(func: exp.Func, name: str) -> None:
    if name not in TABLE_FUNCTION_ALLOWLIST or qualifier(func) is not None:
        raise ForbiddenFunction(
            f"table function `{name}` is not allowed: queries may read only the warehouse's tables",
            hint="select FROM one of the exposed tables instead",
        )


def _check_call(func: exp.Func, name: str, dialect: str) -> None:
    if (prefix := qualifier(func)) is not None:
        raise ForbiddenFunction(
            f"`{prefix}.{name}(...)` calls a function through a qualifier; only built-in functions "
            "called by their plain name are allowed",
            hint=f"write `{name}(...)` without a schema, database or value before the dot",
        )
    if isinstance(func, DENIED_NODE_TYPES) or is_denied(name):
        raise ForbiddenFunction(
            f"function `{name}` is not allowed: it reads files, the network, the host or server settings",
            hint="remove it; only the warehouse's tables can be queried",
        )
    if not is_allowed(func, name, dialect):
        raise ForbiddenFunction(
            f"function `{name or func.sql(dialect)}` is not on the list of functions queries may use "
            f"in {dialect}{did_you_mean(name, ENGINE_FUNCTIONS[dialect])}",
            hint="use standard aggregate, math, text, date and window functions "
                 "(docs/sql-guard.md lists them)",
        )
