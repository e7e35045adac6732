"""The one-line reason a user reads for each refusal category, and the plan that carries it."""
from __future__ import annotations

from app.engine.planning.plan import RefusalCategory, RefusalPlan

REASONS: dict[str, str] = {
    "write": "I only read the data, so I can't change, add or delete anything in it; "
             "ask me what the current values are instead.",
    "personal_data": "I can't look up or reveal personal details such as names, emails, phone numbers, "
                     "addresses or who a person is: the data holds only ids and attributes, and I don't "
                     "use them to identify anyone.",
    "other_system": "I only answer from this warehouse's data: I can't reach other systems (CRMs, "
                    "ticketing, HR or finance tools, other analytics tools or databases, people's documents) "
                    "or send emails, messages or notifications.",
    "file_access": "I can't access files, the system or the server; I answer questions about the data "
                   "in this warehouse.",
    "secrets": "I can't share passwords, keys, tokens or connection details. I can answer questions "
               "about the data in this warehouse instead.",
    "off_topic": "That's outside what I can help with: I answer questions about the data in this "
                 "warehouse, e.g. {example}.",
}
# the off-topic reason's example when the model gives none
_EXAMPLE = "“a metric by an attribute last month”"


def example_question(model) -> str:
    """ "“roas by media source last month”": the model's first ratio (or first) metric by its first
    categorical attribute, in the model's own words."""
    metrics = list(model.metrics.items()) if model is not None else []
    ratio = next((name for name, m in metrics if m.type == "ratio"), None)
    metric = ratio or next((name for name, _ in metrics), None)
    dimension = next((name for name, d in (model.dimensions.items() if model is not None else ())
                      if d.type == "categorical" and not name.endswith("id")), None)
    if metric is None or dimension is None:
        return _EXAMPLE
    return f"“{metric.replace('_', ' ')} by {dimension.replace('_', ' ')} last month”"


def refusal(category: RefusalCategory, rule: str, model=None) -> RefusalPlan:
    """A refusal in ``category``; ``rule`` (which check objected) goes to the rationale for logs."""
    reason = REASONS[category].format(example=example_question(model)) if category == "off_topic" \
        else REASONS[category]
    return RefusalPlan(reason=reason, category=category, confidence=0.95,
                       rationale=f"offline safety check: {category} ({rule})")
