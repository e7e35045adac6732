"""Function checks: no file, network, catalog or secret access through functions.

Two lists, because the risk differs by position:

- in table position (``FROM f(...)``, ``JOIN f(...)``) only a small allowlist
  of in-memory generators runs: ``range``/``generate_series``/``unnest`` (and
  ClickHouse ``numbers``) build rows from their own arguments and read nothing
  else; every other table function (``read_csv``, ``query``, ``url``, ``s3``,
  ``file``, ``remote``, ``duckdb_settings()``...) is refused;
- everywhere else a per-dialect denylist refuses scalar functions that read
  files, leak settings/secrets/host details, or stall the server.

Both dialects' denylists apply to every query: the SQL may be transpiled from
one to the other, and a harmless name in DuckDB (``file``) reads files in
ClickHouse.
"""
from __future__ import annotations

from sqlglot import exp

from warehouse.guard.errors import ForbiddenFunction

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
        "current_user", "session_user", "user", "current_role",
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
        "initialqueryid", "getsubcolumn", "shardnum", "shardcount",
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

DENIED_NODE_TYPES: tuple[type[exp.Expression], ...] = (exp.ReadCSV, exp.ReadParquet)


def function_name(func: exp.Func) -> str:
    """The lower-case name as written (Anonymous) or sqlglot's canonical name."""
    if isinstance(func, (exp.Anonymous, exp.AnonymousAggFunc)):
        return str(func.this).lower()
    return func.sql_name().lower()


def is_table_position(func: exp.Expression) -> bool:
    # Only the node in the source slot: a JOIN's ON condition is a Func too.
    return isinstance(func.parent, (exp.Table, exp.From, exp.Join, exp.Lateral)) and func.arg_key == "this"


def _is_qualified(func: exp.Expression) -> bool:
    # ``other_db.range(10)``: a function from another catalog is not the built-in generator.
    parent = func.parent
    return isinstance(parent, exp.Table) and bool(parent.args.get("db") or parent.args.get("catalog"))


def is_denied(name: str, dialects: tuple[str, ...]) -> bool:
    return any(
        name in DENIED_FUNCTIONS.get(d, ()) or name.startswith(DENIED_PREFIXES.get(d, ()))
        for d in dialects
    )


def restrict_functions(tree: exp.Expression, dialects: tuple[str, ...]) -> None:
    for func in tree.find_all(exp.Func):
        name = function_name(func)
        if is_table_position(func) and (name not in TABLE_FUNCTION_ALLOWLIST or _is_qualified(func)):
            raise ForbiddenFunction(
                f"table function `{name}` is not allowed: queries may read only the warehouse's tables",
                hint="select FROM one of the exposed tables instead",
            )
        if isinstance(func, DENIED_NODE_TYPES) or is_denied(name, dialects):
            raise ForbiddenFunction(
                f"function `{name}` is not allowed: it reads files, the network or server settings",
                hint="remove it; only the warehouse's tables can be queried",
            )
