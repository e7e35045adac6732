"""Requests to change data, in any wording: refused with category ``write``.

A request to change data is a clause that starts with a changing verb (after "please", "can you",
"I need you to", "let's" ... are stripped, see :mod:`.clauses`) and acts on something stored (see
:mod:`.objects`), a sentence that says a stored value should be different ("install X should be
marked as fraud", "revenue should be 9.99 not 0"), or a statement that writes (SQL). Verbs differ
in how much they need before they mean a change:

- destructive verbs (delete, wipe, relabel, restore, ...) need a data object: "drop the fraudulent
  installs" is a write, "drop rate" or "drop in installs" is not;
- labelling verbs (mark, flag, tag) need a label or a record: "mark X as fraud";
- corrective verbs (fix, correct, edit) need something stored, or a pronoun in a question that
  names a record or says a value is wrong ("event 7 is wrong, please fix it");
- value verbs (zero, double, flip) need "the/all ..." stored data or a record;
- setting verbs (set, change, update, make, move, reset) need a record ("c003's channel", "all
  Unity installs", "event 1234") or a value ("cost to 0", "= false"); "change the country to GB"
  and "make it monthly" edit the previous question, they change no data;
- adding verbs (add, create, log) need a count or something new: "add 500 installs", not "add cost";
- campaign actions (pause, launch, double, ...) need a campaign, budget, bid or ad.
"""
from __future__ import annotations

import re

from app.engine.planning.offline.safety import objects as o
from app.engine.planning.offline.safety.clauses import Clause, clauses, request_clauses
from app.engine.planning.offline.safety.reasons import refusal
from app.engine.planning.plan import RefusalPlan

DESTRUCTIVE = frozenset({
    "delete", "remove", "drop", "wipe", "purge", "erase", "truncate", "destroy", "nuke", "insert",
    "overwrite", "backfill", "merge", "undo", "restore", "revert", "rollback", "dedupe", "dedup",
    "deduplicate", "unflag", "unmark", "untag", "relabel", "rename", "reassign", "recategorize",
    "recategorise", "reclassify", "retag", "clear", "void", "falsify", "upsert",
})
# Verbs that mean a write with any determiner-led object ("delete the rate"), and with a data object
# even where no clause starts with them ("the intern asked you to delete all bot installs").
UNMISTAKABLE = frozenset({"delete", "wipe", "purge", "erase", "truncate", "destroy", "nuke", "overwrite"})
LABELLING = frozenset({
    "mark", "flag", "tag", "label", "classify", "categorize", "categorise", "blacklist", "whitelist",
    "blocklist", "block", "ban", "quarantine",
})
CORRECTIVE = frozenset({"fix", "correct", "amend", "repair", "edit", "modify", "alter", "patch", "tweak"})
VALUE_VERBS = frozenset({"zero", "null", "nullify", "blank", "double", "halve", "increment", "decrement",
                         "bump", "multiply", "subtract", "flip", "toggle", "invert"})
SETTING = frozenset({
    "update", "set", "change", "make", "move", "switch", "reset", "replace", "put", "assign", "swap",
    "increase", "decrease", "raise", "lower", "reduce", "attribute", "reattribute", "re-attribute", "write",
    "adjust",
})
ADDING = frozenset({"add", "append", "create", "record", "log", "register", "enter"})
CAMPAIGN_ACTIONS = frozenset({
    "pause", "unpause", "stop", "launch", "start", "resume", "activate", "deactivate", "disable", "enable",
    "kill", "archive", "cut", "boost", "allocate", "reallocate", "shift", "move", "transfer", "double",
    "halve", "increase", "decrease", "raise", "lower", "reduce",
})
_UNDOING = frozenset({"undo", "revert", "rollback", "restore"})
_CREATING = frozenset({"create"})  # "create" needs a data object: "create a chart" is a display
_PHRASAL = re.compile(r"^(?:(?:zero|null|blank|wipe|clear|clean|tidy)\s+(?:out|up)|roll\s*back|"
                      r"(?:get|getting|got)\s+rid\s+of|"
                      r"do\s+away\s+with)\b")
_PARTICLE_ACTIONS = re.compile(r"^(?:turn|switch|shut|scale)\s+(?:off|on|down|up)\s+(.*)")
_PREPOSITION_FIRST = re.compile(
    r"^(?:in|of|off|by|from|to|up|down|out|over|on|for|between|across|per|with|at|than|vs|versus|-|"
    r"after|before|since|during|rate|rates|check|checking)\b"
)
_PARTICIPLE = (r"(?:deleted|removed|purged|wiped|erased|dropped|marked|flagged|tagged|labell?ed|relabell?ed|"
               r"renamed|reassigned|moved|changed|updated|set|reset|corrected|fixed|overwritten|zeroed|merged|"
               r"restored|reverted|backfilled|recategori[sz]ed|reclassified|unflagged|inserted|added)")
_MODAL_WRITE = re.compile(
    r"\b(?:should|must|needs?\s+to|has\s+to|have\s+to|ought\s+to|got\s+to|gotta|is\s+to|are\s+to)\s+be\s+"
    rf"{_PARTICIPLE}\b"
)
_DESIRED = re.compile(
    r"\b(?:want|need|'d\s+like|would\s+like)\s+(?!to\b)(?P<what>(?:[\w']+\s+){1,6}?)to\s+be\s+"
    rf"(?:\$?-?\d|zero|null|empty|false|true|['\"]|{_PARTICIPLE}\b)"
)
_CAN_IT_BE = re.compile(
    rf"^(?:can|could)\s+(?!you\b|u\b|we\b|i\b).{{1,80}}?\s+be\s+{_PARTICIPLE}\b"
)
_CORRECTED_FOR = re.compile(
    r"\bfor\s+(?:the\s+)?(?:fraud|refunds?|seasonality|inflation|currency|bots?|outliers|returns|"
    r"cancell?ations|chargebacks|organic|time\s+zones?|\w+\s+effects?)\b"
)
_QUESTION_OPENING = re.compile(
    r"^(?:which|what|how|who|whom|why|when|where|are|is|do|does|did|should|list|show|find|count|any|"
    r"were|was|has|have|can|could|would)\b|\b(?:that|which|who|whose|if|whether)\b"
)
_CORRECTION = re.compile(r"\bshould\s+(?:be|read|say|show)\s+\$?-?\d[\d.,]*\s*,?\s*(?:not|instead\s+of|"
                         r"rather\s+than)\b")
# Writes spelled as SQL or as database operations, anywhere in the question.
_STATEMENT = re.compile(
    r"\b(?:delete\s+from|drop\s+(?:table|database|schema|view|column|index)|truncate\s+(?:table\s+)?\w+|"
    r"insert\s+into|alter\s+(?:table|column)|update\s+\w+\s+set\b|create\s+(?:or\s+replace\s+)?"
    r"(?:table|view|index|database|schema|user)|merge\s+into|upsert|replace\s+into|grant\s+\w+|revoke\s+\w+|"
    r"rename\s+(?:table|column)|set\s+\w+\s*=\s*\S|write\s+(?:to|into)\s+the\s+(?:table|database))"
)
# Keeping a result in the warehouse: "make a new table called whales", "save it in the warehouse",
# "store these users as a segment table". A table that is named, or a place that is storage, is kept;
# "a table of installs by country" is a display.
_KEPT = re.compile(
    r"\b(?:make|create|build|set\s+up|add|save|store|write|persist|materiali[sz]e|keep)\b[^.?!;]{0,80}?"
    r"\b(?:table|view|dataset)\s+(?:called|named|titled)\b|"
    r"\b(?:save|store|write|persist|materiali[sz]e|keep|put|load|export|push|dump|insert)\b[^.?!;]{0,80}?"
    r"\b(?:in|into|to|inside)\s+(?:the\s+|our\s+|my\s+|a\s+|an\s+)?(?:new\s+)?"
    r"(?:warehouse|database|db|schema|duckdb|clickhouse)\b"
)
# "make a new table with everyone who spent over $100 so I can reuse it": a new table that is kept
# (alone, "make a new table of installs by country" may be a display)
_NEW_TABLE = re.compile(r"\b(?:make|create|build|set\s+up|add)\s+(?:me\s+|us\s+)?(?:a\s+|an\s+)?"
                        r"(?:new|permanent|separate|reusable)\s+(?:table|view|dataset)\b")
# "create a table high_churn_users with ...": a table given a name of its own is stored, not shown
_NAMED_NEW_TABLE = re.compile(r"\b(?:make|create|build|set\s+up|add)\s+(?:me\s+|us\s+)?(?:a\s+|an\s+)?"
                              r"(?:new\s+)?(?:table|view|dataset)\s+(?:called\s+|named\s+)?[a-z][a-z0-9]*_[a-z0-9_]+\b")
_TO_KEEP = re.compile(r"\b(?:reuse|re-use|later|other\s+queries|next\s+time|keep|save|store|permanent|"
                      r"persist|"
                      r"for\s+good|everyone|every\s+user|all\s+(?:the\s+)?users|people|customers)\b")
# Verbs that change a record a pronoun stands for, once the question names the record and either
# says it is wrong or (for destructive verbs) just names it: "u7 and u46 are the same person - merge
# them", "c008's cost on 06-30 is wrong, change it to 1200".
_PRONOUN_WRITES = DESTRUCTIVE - {"drop", "remove", "clear", "undo", "restore", "revert", "rollback"}
_NAMED_TABLE = re.compile(r"\b(?!(?:a|an|the|this|that|as|pivot|summary|results?)\b)[a-z_]+\s+tables?\b")
_DISPLAY_TARGET = re.compile(r"\b(?:into|to|as|in)\s+(?:one|a|a\s+single|the\s+same|single)\s+"
                             r"(?:line|series|bar|number|figure|value|total|chart|graph|column|row)\b")
_UNMISTAKABLE_ANYWHERE = re.compile(rf"\b(?:{'|'.join(sorted(UNMISTAKABLE))}|(?:get|getting|got)\s+rid\s+of|"
                                    rf"tidy(?:ing)?\s+up|clean(?:ing)?\s+up)\s+(?P<rest>.+)")


def refuse_writes(folded: str) -> RefusalPlan | None:
    """``write`` when any clause asks to change data, or a sentence says a stored value should differ."""
    if _STATEMENT.search(folded):
        return refusal("write", "statement")
    if _KEPT.search(folded) or _NAMED_NEW_TABLE.search(folded) or (
            _NEW_TABLE.search(folded) and _TO_KEEP.search(folded)):
        return refusal("write", "kept in the warehouse")
    record, says_wrong = o.names_record(folded), bool(o.WRONG.search(folded))
    desired = _DESIRED.search(folded)  # "I want c005's cost to be zero"
    if desired and not o.is_data(desired.group("what"), o.names_record(desired.group("what"))):
        desired = None
    if (record and _CAN_IT_BE.search(folded)) or desired \
            or any(_says_it_should_change(text) for text in clauses(folded)):
        return refusal("write", "should be changed")
    for clause in request_clauses(folded):
        rule = _changing_request(clause, record, says_wrong, bool(_NAMED_TABLE.search(folded)))
        if rule:
            return refusal("write", rule)
    anywhere = _UNMISTAKABLE_ANYWHERE.search(folded)
    if anywhere and not _PREPOSITION_FIRST.match(anywhere.group("rest")) \
            and o.DATA_NOUN.search(o.object_of(anywhere.group("rest"))):
        return refusal("write", "destructive verb")
    return None


def _says_it_should_change(text: str) -> bool:
    if _QUESTION_OPENING.search(text.split(" should ")[0].split(" need")[0]):
        return False
    return bool(_MODAL_WRITE.search(text) or _CORRECTION.search(text))


def _changing_request(clause: Clause, record: bool, says_wrong: bool, table: bool = False) -> str | None:
    """Which rule makes ``clause`` a request to change data, if one does."""
    text = f"{clause.verb} {clause.rest}".strip()
    if _PHRASAL.match(text):
        obj = o.object_of(_PHRASAL.sub("", text, count=1).strip())
        touched = o.is_data(obj, record) or o.EVERYTHING.match(obj) or o.A_CHANGE.search(obj)
        return "phrasal verb" if touched else None
    particle = _PARTICLE_ACTIONS.match(text)
    if particle:
        return "campaign action" if o.CAMPAIGN_OBJECT.search(o.object_of(particle.group(1))) else None
    rest = clause.rest
    if _PREPOSITION_FIRST.match(rest) or o.FROM_PRESENTATION.search(rest):
        return None
    obj = o.object_of(rest)
    if clause.starts_with(LABELLING) and obj and not o.PRESENTATION.search(obj):
        labelled = " as " in f" {rest} " or "=" in rest or o.LABEL_END.search(rest) or record
        return "label" if labelled else None
    if o.PRONOUN.match(obj) or o.PRESENTATION.search(obj):
        return _changes_what_a_pronoun_names(clause, rest, obj, record, says_wrong, table)
    return _by_verb(clause, rest, obj, record)


def _changes_what_a_pronoun_names(clause: Clause, rest: str, obj: str, record: bool,
                                  says_wrong: bool, table: bool) -> str | None:
    if not obj or not o.PRONOUN.match(obj):
        return None
    if clause.starts_with(UNMISTAKABLE) and not _DISPLAY_TARGET.search(rest):
        return "destructive verb"  # "ok now delete them": there is nothing but data to delete
    if clause.starts_with(CORRECTIVE) and (record or says_wrong):
        return "fix"
    if record and clause.starts_with(_PRONOUN_WRITES) and not _DISPLAY_TARGET.search(rest):
        return "destructive verb"
    if table and clause.starts_with(DESTRUCTIVE) \
            and not _DISPLAY_TARGET.search(rest):
        return "destructive verb"  # "we don't need the events table anymore, drop it"
    if says_wrong and clause.starts_with(SETTING | VALUE_VERBS) and o.VALUE.search(rest):
        return "setting verb"
    return None


def _by_verb(clause: Clause, rest: str, obj: str, record: bool) -> str | None:
    if clause.starts_with(DESTRUCTIVE):
        everything = o.EVERYTHING.match(obj) or (clause.starts_with(UNMISTAKABLE) and o.DETERMINER.match(obj))
        undone = clause.starts_with(_UNDOING) and o.A_CHANGE.search(obj)  # "undo the relabeling"
        return "destructive verb" if everything or undone or o.is_data(obj, record) else None
    if clause.starts_with(CORRECTIVE):
        analysis = not record and _CORRECTED_FOR.search(rest)  # "correct revenue for refunds"
        return "corrective verb" if "=" in rest or (o.is_data(obj, record) and not analysis) else None
    if clause.starts_with(CAMPAIGN_ACTIONS) and o.CAMPAIGN_OBJECT.search(obj):
        return "campaign action"
    if clause.starts_with(VALUE_VERBS):
        return "value verb" if record or (o.DETERMINER.match(obj) and o.DATA_NOUN.search(obj)) else None
    if clause.starts_with(SETTING) and _sets_a_value(rest, obj, record):
        return "setting verb"
    if clause.starts_with(ADDING) and (o.NEW_THING.match(rest) or o.STORAGE_NOUN.search(obj)) \
            and not o.PRESENTATION.search(rest):
        return "adding verb" if not clause.starts_with(_CREATING) or o.DATA_NOUN.search(obj) else None
    return None


_COLUMN_NAME = re.compile(r"^[a-z][a-z0-9]*_[a-z0-9_]+\b")  # "arr_delay", "is_fraud": a stored column


def _sets_a_value(rest: str, obj: str, record: bool) -> bool:
    if record or "=" in rest or o.STORAGE_NOUN.search(obj):
        return True
    return bool((o.DATA_NOUN.search(obj) or _COLUMN_NAME.match(obj)) and o.VALUE.search(rest))
