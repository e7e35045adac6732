"""Is this a question we can take? The one check, used by the engine and by front doors that
must refuse before any work starts (a stream that has begun cannot become a 422)."""
from __future__ import annotations

EMPTY_MESSAGE = "Ask a question, for example: “installs by platform last month”."


def question_problem(question: str | None, max_length: int) -> tuple[str, str] | None:
    """``(code, message)`` when the question cannot be asked, else None."""
    if not question or not question.strip():
        return "empty_question", EMPTY_MESSAGE
    if len(question) > max_length:
        return ("question_too_long",
                f"The question is {len(question):,} characters; the limit is {max_length:,}.")
    return None
