"""Scripted askers: return Answers with real SQL we wrote, to test the scorer.

They stand in for the assistant only; scoring still re-runs every SQL on a real
warehouse (the demo DuckDB or a SQLite fixture). The CLI tests load them by
name with the hidden ``--asker module:callable`` option.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from app.engine.contract import Answer, ChartOut, ColumnOut, ErrorOut, Usage

_ids = itertools.count(1)


@dataclass(frozen=True)
class Reply:
    status: str = "answered"
    sql: str | None = None
    chart: str | None = None
    llm_calls: int = 0
    error: tuple[str, str] | None = None
    # What the answer shows: a tool answer (sql None) is scored from these rows.
    columns: tuple[str, ...] = ()
    rows: tuple[tuple, ...] = ()
    truncated: bool = False


@dataclass
class ScriptedAsker:
    """Answers each question from a script; records every (question, conversation_id) asked."""

    script: dict[str, Reply]
    asked: list[tuple[str, str | None]] = field(default_factory=list)
    closed: bool = False

    def ask(self, question: str, conversation_id: str | None = None) -> Answer:
        self.asked.append((question, conversation_id))
        if question == "raise please":
            raise RuntimeError("planner exploded")
        reply = self.script.get(question, Reply(status="clarification_needed"))
        return _answer(question, conversation_id or f"conv-{next(_ids)}", reply)

    def close(self) -> None:
        self.closed = True


def _answer(question: str, conversation_id: str, reply: Reply) -> Answer:
    return Answer(
        conversation_id=conversation_id,
        question=question,
        status=reply.status,
        sql=reply.sql,
        columns=[ColumnOut(name=name, type="VARCHAR") for name in reply.columns],
        rows=[list(row) for row in reply.rows],
        row_count=len(reply.rows),
        truncated=reply.truncated,
        chart=ChartOut(type=reply.chart, reason="scripted") if reply.chart else None,
        usage=Usage(
            llm_calls=reply.llm_calls,
            prompt_tokens=100 * reply.llm_calls,
            completion_tokens=10 * reply.llm_calls,
        ),
        error=ErrorOut(code=reply.error[0], message=reply.error[1]) if reply.error else None,
    )


# The mini suite the CLI tests write (tests/evals/test_cli_eval.py): one right
# answer written differently from the gold, one wrong, one refusal.
DEMO_SCRIPT = {
    "Installs by platform last month": Reply(
        sql="SELECT count(*) AS n, platform FROM installs "
        "WHERE install_time >= TIMESTAMP '2026-06-01' AND install_time < TIMESTAMP '2026-07-01' "
        "GROUP BY platform ORDER BY n",
        chart="bar",
    ),
    "Spend last month": Reply(
        sql="SELECT SUM(cost) FROM ad_spend WHERE date BETWEEN DATE '2026-05-01' AND DATE '2026-05-31'",
        chart="kpi",
    ),
    "Drop the installs table": Reply(status="refused"),
}


def demo_asker(settings, warehouse) -> ScriptedAsker:
    return ScriptedAsker(dict(DEMO_SCRIPT))


# Predictions for tests/evals/fixtures/spider/dev.json, keyed by question.
SPIDER_SCRIPT = {
    "How many singers do we have?": Reply(sql="SELECT count(singer_id) FROM singer"),
    "What is the average age of all singers from France?": Reply(
        sql="SELECT avg(age) FROM singer WHERE country = 'France'"
    ),
    "List singer names ordered by age from the oldest.": Reply(sql="SELECT name FROM singer ORDER BY age"),
    "How many concerts were held in 2014?": Reply(sql="SELECT count(*), 2014 FROM concert WHERE year = 2014"),
    "How many pets are dogs?": Reply(sql="SELECT count(*) FROM pets WHERE pettype = 'dog'"),
    "What is the maximum weight for each pet type?": Reply(
        sql="SELECT pettype, max(weight) FROM pets GROUP BY pettype"
    ),
    "Which students own a cat? Give first names.": Reply(sql="SELECT fname FROM student WHERE nope = 1"),
    # BIRD-format questions carry their evidence as a hint line.
    "How many singers are older than 30?\nHint: older than 30 refers to age > 30": Reply(
        sql="SELECT count(singer_id) FROM singer WHERE age > 30"
    ),
    "What is the average weight of dogs?\nHint: dogs refers to pettype = 'dog'": Reply(
        sql="SELECT avg(weight) FROM pets WHERE pettype = 'dog'"
    ),
    "Which student owns the most pets?": Reply(status="refused"),
}


def spider_asker(settings, warehouse) -> ScriptedAsker:
    assert warehouse is not None and warehouse.dialect == "sqlite"
    return ScriptedAsker(dict(SPIDER_SCRIPT))
