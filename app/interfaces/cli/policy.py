"""``asklytics policy``: access policies per tenant scope (a Slack workspace is ``slack:<team id>``) or
per API key -- the metrics and dimensions allowed and the rows visible (docs/governance.md)."""
from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from app.interfaces.cli.common import cli_actor, console, fail, load_settings, print_json

policy_app = typer.Typer(no_args_is_help=True, help="Access policies: what a tenant or key may see.")

TenantOption = Annotated[str | None, typer.Option("--tenant", help="A tenant scope: acme, slack:T0123.")]
KeyOption = Annotated[str | None, typer.Option("--key", help="An API key id (asklytics keys list).")]


def _database():
    from app.engine.app_database import open_app_database
    from appdb import DatabaseError

    try:
        return open_app_database(load_settings())
    except DatabaseError as exc:
        fail(exc.message)


def _subject(tenant: str | None, key: str | None) -> tuple[str, str]:
    if bool(tenant) == bool(key):
        fail("name exactly one of --tenant SCOPE or --key KEY_ID")
    return ("tenant", tenant) if tenant else ("key", key)


def _names(text: str | None) -> list[str] | None:
    return None if text is None else sorted({n.strip() for n in text.split(",") if n.strip()})


@policy_app.command("set")
def set_policy(
    tenant: TenantOption = None,
    key: KeyOption = None,
    metrics: Annotated[str | None, typer.Option(
        "--metrics", help="Comma-separated metrics allowed (default: every metric).")] = None,
    dimensions: Annotated[str | None, typer.Option(
        "--dimensions", help="Comma-separated dimensions allowed (default: every dimension).")] = None,
    row_filter: Annotated[list[str] | None, typer.Option(
        "--row-filter", help="A condition on columns: \"media_source = 'TikTok'\"; repeat to AND.")] = None,
    no_sql: Annotated[bool, typer.Option("--no-sql", help="Refuse free SQL: semantic queries only.")] = False,
    min_group_size: Annotated[int | None, typer.Option(
        "--min-group-size", metavar="N", help="Hide groups of fewer than N users in this subject's answers "
        "(raises the model's and ASKLYTICS_MIN_GROUP_SIZE's threshold, never lowers it).")] = None,
) -> None:
    """Create or replace the policy of a tenant or a key (audited)."""
    from appdb.policies import set_policy as store
    from warehouse.access import AccessDenied, parse_row_filter

    kind, subject = _subject(tenant, key)
    if min_group_size is not None and min_group_size < 2:
        fail("--min-group-size is at least 2 (a group of 1 hides nothing); leave it out for no threshold "
             "of the policy's own")
    for condition in row_filter or ():
        try:
            parse_row_filter(condition)
        except AccessDenied as exc:
            fail(exc.message)
    database = _database()
    with database.begin() as connection:
        store(connection, kind, subject, metrics=_names(metrics), dimensions=_names(dimensions),
              row_filters=list(row_filter or ()), allow_sql=not no_sql, actor=cli_actor(),
              min_group_size=min_group_size)
    database.close()
    console.print(f"policy set for {kind} [bold]{subject}[/]; it applies from the next question",
                  highlight=False)


@policy_app.command("list")
def list_policies(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Every policy."""
    from appdb.policies import list_policies as rows_of

    database = _database()
    with database.connect() as connection:
        rows = rows_of(connection)
    database.close()
    if as_json:
        print_json(rows)
        return
    table = Table("subject", "metrics", "dimensions", "row filters", "sql", "min group",
                  title=f"{len(rows)} policies")
    for row in rows:
        table.add_row(f"{row['subject_type']}:{row['subject']}", _shown(row["metrics"]),
                      _shown(row["dimensions"]), " AND ".join(row["row_filters"]) or "(all rows)",
                      "yes" if row["allow_sql"] else "no", str(row["min_group_size"] or "-"))
    console.print(table)


@policy_app.command("delete")
def delete_policy(tenant: TenantOption = None, key: KeyOption = None) -> None:
    """Remove the policy of a tenant or a key (audited)."""
    from appdb.policies import delete_policy as remove

    kind, subject = _subject(tenant, key)
    database = _database()
    with database.begin() as connection:
        removed = remove(connection, kind, subject, actor=cli_actor())
    database.close()
    if not removed:
        fail(f"no policy for {kind} {subject!r}; see `asklytics policy list`")
    console.print(f"policy of {kind} {subject} deleted", highlight=False)


def _shown(names: list[str] | None) -> str:
    return "(all)" if names is None else ", ".join(names) or "(none)"
