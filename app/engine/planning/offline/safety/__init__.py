"""Refusals: requests the assistant must not carry out, checked before anything is planned to run.

Checks run in order; the first that objects wins. Each is one small function of the folded
question returning a :class:`RefusalPlan` (a category and a one-line reason) or None:

- ``write`` (:mod:`.writes`): any intent to change data, however it is phrased;
- ``personal_data`` (:mod:`.people`): contact details or identities of people;
- ``other_system`` (:mod:`.systems`): CRMs, ticketing, HR/finance, other analytics tools and
  databases, people's documents, sending messages;
- ``file_access`` and ``secrets`` (:mod:`.access`): files, the system, credentials.
``off_topic`` (:mod:`.off_topic`) runs later, after prediction routing. Legit questions that merely
contain a scary word ("installs marked as fraud", "the drop in installs", "phone models",
"installs from Google") pass, because each check needs the word where it asks for the act.
"""
from __future__ import annotations

from app.engine.planning.offline.safety.access import refuse_file_access, refuse_secrets
from app.engine.planning.offline.safety.off_topic import refuse_off_topic
from app.engine.planning.offline.safety.people import refuse_personal_data
from app.engine.planning.offline.safety.systems import refuse_other_systems
from app.engine.planning.offline.safety.writes import refuse_writes
from app.engine.planning.plan import RefusalPlan

SAFETY_CHECKS = (refuse_writes, refuse_personal_data, refuse_other_systems, refuse_file_access,
                 refuse_secrets)

__all__ = ["SAFETY_CHECKS", "check_safety", "refuse_file_access", "refuse_off_topic",
           "refuse_other_systems", "refuse_personal_data", "refuse_secrets", "refuse_writes"]


def check_safety(folded: str) -> RefusalPlan | None:
    """The first refusal a safety check gives for the (folded) question, else None."""
    for check in SAFETY_CHECKS:
        refusal = check(folded)
        if refusal is not None:
            return refusal
    return None
