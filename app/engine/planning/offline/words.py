"""Word lists the offline planner treats as accounted for, and the cue words it looks for.

A word that is neither one of these nor part of a matched metric, dimension,
value or time expression is "unexplained" and lowers the plan's confidence.
"""
from __future__ import annotations

import re

from app.engine.planning.offline.casual import FILLER_WORDS
from app.engine.planning.offline.vocabulary import word_set

STOP_WORDS = word_set("function_words") | FILLER_WORDS
# Words that stand for the thing asked about without naming a metric ("show it", "that").
REFERENT_WORDS = frozenset(
    {"it", "that", "this", "those", "these", "them", "same", "again", "instead", "also", "its", "their",
     "too"}
)
# A turn that starts like this continues the previous question, whatever else it names.
FOLLOWUP_START = re.compile(
    r"^\s*(?:and|also|now|then|ok(?:ay)?|what\s+about|how\s+about|what\s+if|same|only|just|instead|but|"
    r"make\s+it|show\s+(?:it|that|this|me\s+that)|break\s+(?:it|that|this)|split\s+(?:it|that)|"
    r"compare\s+(?:it|that|this|with|to|against)|as\s+an?|in\s+an?|switch|change|plus|add|drop|remove)\b",
)
# "the split of installs between iOS and Android" (or "how did installs split across iOS and Android")
# compares the two values like "iOS vs Android".
COMPARE_CUE = re.compile(
    r"\b(?:vs\.?|versus|compar\w*|against|difference\s+between|split\s+(?:between|across|among)|"
    r"split(?=\s+\S+\s*(?:/|,|&|\band\b|\bor\b|\bvs\b))|"  # "split iOS / Android"
    r"between(?=\s+\S+(?:\s+\S+)?\s+and\s)|"
    r"relative\s+to|side\s+by\s+side|head\s+to\s+head|and\s+how\s+(?:many|much))\b"
)
COUNT_CUE = re.compile(
    # "how many of our campaigns": all of ours, counted
    r"\b(?:how\s+many(?:\s+of\s+our)?|number\s+of|count\s+of|count|#\s*of|total\s+number\s+of|no\.?\s+of)\s+"
    r"(?:(?:distinct|different|unique|separate|individual|active|new|live|running|our|the)\s+)*$"
)
LIST_CUE = re.compile(r"\b(?:list|which|what|show|name|enumerate|display|give)\b")
