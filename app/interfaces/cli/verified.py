"""``asklytics verified``: the team's verified queries -- add one from an answer or from SQL, list,
remove, and export them as an eval suite (replayed by ``asklytics eval --verified``)."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from app.interfaces.cli.common import cli_actor, console, fail, load_settings, print_json

verified_app = typer.Typer(no_args_is_help=True, help="Verified queries: add, list, remove, export.")
ScopeOption = Annotated[str, typer.Option("--scope", help="The tenant scope they belong to.")]


def _database():
    from app.engine.app_database import open_app_database
    from appdb import DatabaseError

    try:
        return open_app_database(load_settings())
    except DatabaseError as exc:
        fail(exc.message)


@verified_app.command("add")
def add(
    from_answer: Annotated[str | None, typer.Option(
        "--from-answer", help="An answer id of the answer log.")] = None,
    question: Annotated[str | None, typer.Option("--question", help="The question (with --sql).")] = None,
    sql: Annotated[str | None, typer.Option(
        "--sql", help="The SQL that answers it, in the warehouse's dialect.")] = None,
    scope: ScopeOption = "default",
) -> None:
    """Verify an answer the assistant gave (its plan is kept), or a question with its SQL."""
    from app.engine.cache.keys import normalize_question
    from appdb.answers import get_answer
    from appdb.verified import add_verified

    if bool(from_answer) == bool(question and sql):
        fail("give --from-answer ID, or --question and --sql")
    database = _database()
    semantic_query = None
    if from_answer:
        with database.connect() as connection:
            answer = get_answer(connection, from_answer, scope)
        if answer is None or answer.get("status") != "answered":
            fail(f"no answered answer {from_answer!r} in scope {scope!r}")
        question, sql, semantic_query = answer["question"], answer.get("sql"), answer.get("semantic_query")
    with database.begin() as connection:
        verified_id = add_verified(connection, scope=scope, question=question,
                                   normalized_question=normalize_question(question),
                                   semantic_query=semantic_query, sql=sql, verified_by=cli_actor(),
                                   source_answer_id=from_answer)
    database.close()
    console.print(f"verified [bold]{verified_id}[/]: {question}", highlight=False)


@verified_app.command("list")
def list_verified(scope: Annotated[str | None, typer.Option("--scope", help="Only this tenant.")] = None,
                  as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """The active verified queries."""
    from appdb.verified import list_verified as rows_of

    database = _database()
    with database.connect() as connection:
        rows = rows_of(connection, scope)
    database.close()
    if as_json:
        print_json(rows)
        return
    table = Table("id", "scope", "question", "kind", "verified by", title=f"{len(rows)} verified queries")
    for row in rows:
        kind = "semantic query" if row["semantic_query"] else "SQL"
        table.add_row(row["id"], row["scope"], row["question"], kind, row["verified_by"])
    console.print(table)


@verified_app.command("remove")
def remove(verified_id: Annotated[str, typer.Argument(help="An id from `asklytics verified list`.")]) -> None:
    """Stop using a verified query (it stays in the audit log)."""
    from appdb.verified import remove_verified

    database = _database()
    with database.begin() as connection:
        removed = remove_verified(connection, verified_id, actor=cli_actor())
    database.close()
    if not removed:
        fail(f"no active verified query {verified_id!r}; see `asklytics verified list`")
    console.print(f"removed {verified_id}")


@verified_app.command("export")
def export(suite: Annotated[Path, typer.Option("--suite", help="Write the eval suite YAML here.")],
           scope: ScopeOption = "default") -> None:
    """The verified queries of a tenant as an eval suite: each question with its SQL as gold."""
    from appdb import audit
    from appdb.verified import list_verified as rows_of

    database = _database()
    with database.begin() as connection:
        rows = [r for r in rows_of(connection, scope) if r["sql"]]
        audit.record(connection, cli_actor(), "export", scope=scope, target=str(suite),
                     detail={"what": "verified queries", "cases": len(rows)})
    database.close()
    suite.write_text(suite_yaml(rows, scope, load_settings()), encoding="utf-8")
    console.print(f"wrote {len(rows)} cases to {suite}", highlight=False)


def suite_yaml(rows: list[dict], scope: str, settings) -> str:
    import yaml

    document = {"name": f"verified-{scope}", "warehouse": "configured",
                "as_of": settings.resolved_as_of().isoformat(),
                "cases": [{"id": row["id"], "question": row["question"], "gold_sql": row["sql"],
                           "tags": ["verified"]} for row in rows]}
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
