"""``asklytics ask "QUESTION" [--json] [--conversation ID]``."""
from __future__ import annotations

import typer

from app.interfaces.cli.common import console, fail, load_settings, print_json, record_audit


def ask(
    question: str = typer.Argument(..., help="The question, in plain language."),
    as_json: bool = typer.Option(False, "--json", help="Print the answer object (the API's JSON)."),
    conversation: str = typer.Option(None, "--conversation", help="Continue this conversation id."),
) -> None:
    """Ask one question and print the answer, its SQL and the rows."""
    from app.engine.assistant import Assistant
    from warehouse.errors import WarehouseError

    settings = load_settings()
    assistant = Assistant(settings)
    try:
        answer = assistant.ask(question, conversation)
    except WarehouseError as exc:
        fail(exc.message)
    finally:
        assistant.close()
    record_audit(settings, "answer", target=answer.answer_id,
                 detail={"question": question, "status": answer.status, "sql": answer.sql})
    if as_json:
        print_json(answer.model_dump(mode="json"))
    else:
        _print_answer(answer)
    raise typer.Exit(0 if answer.status != "error" else 1)


def _print_answer(answer) -> None:
    from rich.markdown import Markdown
    from rich.syntax import Syntax
    from rich.table import Table

    console.print(Markdown(answer.answer or ""))
    if answer.clarification:
        for option in answer.clarification.options:
            console.print(f"  • {option}")
    if answer.sql:
        console.print(Syntax(answer.sql, "sql", word_wrap=True))
    if answer.rows:
        table = Table(*[c.name for c in answer.columns])
        for row in answer.rows[:50]:
            table.add_row(*["" if v is None else str(v) for v in row])
        console.print(table)
        if answer.row_count > 50 or answer.truncated:
            console.print(f"[dim]{answer.row_count} rows{' (truncated)' if answer.truncated else ''}[/]")
    chart = f", chart: {answer.chart.type}" if answer.chart else ""
    console.print(f"[dim]planner: {answer.planner}{chart}, conversation: {answer.conversation_id}[/]")
