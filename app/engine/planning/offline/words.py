"""Word lists the offline planner treats as accounted for, and the cue words it looks for.

A word that is neither one of these nor part of a matched metric, dimension,
value or time expression is "unexplained" and lowers the plan's confidence.
"""
from __future__ import annotations

import re

from app.engine.planning.offline.casual import FILLER_WORDS

STOP_WORDS = frozenset(["a", "an", "the", "of", "in", "on", "at", "to", "for", "from", "by", "with", "per", "and", "or", "vs", "versus", "via", "into", "over", "under", "during", "within", "across", "about", "as", "is", "are", "was", "were", "be", "been", "being", "do", "does", "did", "done", "has", "have", "had", "having", "will", "would", "should", "could", "can", "may", "might", "must", "i", "me", "my", "we", "us", "our", "ours", "you", "your", "it", "its", "this", "that", "these", "those", "there", "here", "they", "them", "their", "what", "which", "who", "whom", "whose", "when", "where", "why", "how", "much", "many", "any", "some", "all", "each", "every", "both", "either", "other", "than", "then", "so", "too", "also", "just", "only", "very", "please", "show", "give", "tell", "list", "display", "get", "find", "see", "let", "know", "want", "need", "like", "would", "compute", "calculate", "report", "pull", "fetch", "bring", "lookup", "look", "up", "break", "down", "broken", "split", "grouped", "group", "sort", "sorted", "order", "ordered", "rank", "ranked", "ranking", "number", "count", "total", "totals", "overall", "amount", "value", "values", "figure", "figures", "numbers", "data", "stats", "statistics", "metric", "metrics", "kpi", "kpis", "breakdown", "summary", "overview", "level", "levels", "trend", "trends", "trended", "trending", "over", "time", "timeline", "series", "chart", "graph", "plot", "table", "visual", "visualize", "view", "compare", "compared", "comparing", "comparison", "between", "against", "difference", "top", "bottom", "best", "worst", "highest", "lowest", "most", "least", "largest", "smallest", "biggest", "greatest", "fewest", "maximum", "minimum", "max", "min", "first", "last", "leading", "lead", "performing", "performed", "performance", "perform", "doing", "did", "does", "higher", "lower", "more", "less", "better", "ranked", "rank", "ascending", "descending", "asc", "desc", "order", "highest-performing", "top-performing", "underperforming", "same", "instead", "again", "now", "ok", "okay", "then", "what's", "whats", "how's", "hows", "who's", "i'd", "id", "i'm", "im", "let's", "lets", "can't", "cannot", "not", "no", "non", "without", "excluding", "except", "only", "just", "but", "hey", "hi", "hello", "thanks", "thank", "pls", "plz", "yeah", "yes", "sure", "quick", "quickly", "real", "actually", "exactly", "approximately", "roughly", "generate", "generated", "generating", "got", "get", "getting", "make", "made", "making", "happen", "happened", "see", "seen", "look", "looking", "each", "individual", "separate", "separately", "respective", "respectively", "single", "one", "average", "avg", "mean", "typical", "overall", "whole", "entire", "full", "complete", "were", "we've", "weve", "we're", "were", "our", "ours", "us", "app", "apps", "game", "games", "product", "provide", "provided", "segmented", "segment", "wise", "kindly",
    "aggregate", "preceding", "previous", "past", "ratio", "fraction", "proportion", "chunk", "portion", "slice", "growing", "grow",
    "growth", "declining", "increasing", "decreasing", "changing", "evolving", "trajectory", "distinct", "unique",
    "different", "there", "exist", "existing", "brings", "bring", "brought", "drive", "drives", "drove", "driven",
    "driving", "come", "came", "comes", "coming", "produce", "produced", "produces", "deliver", "delivers",
    "delivered", "yield", "yielded", "go", "goes", "went", "gone", "run", "runs", "ran", "running", "among",
    "popular", "common", "combined", "together", "altogether", "sum", "frequent", "used", "often", "like", "looks", "looking", "today", "currently", "right",
    "now", "so", "far", "date", "recent", "recently", "latest", "current", "across", "breakdown",
    # what the tokenizer leaves of "isn't", "don't" (app.engine.nlp.values reads the negation from the text)
    "isn", "aren", "wasn", "weren", "don", "doesn", "didn", "haven", "hasn"]) | FILLER_WORDS
# Words that stand for the thing asked about without naming a metric ("show it", "that").
REFERENT_WORDS = frozenset({"it", "that", "this", "those", "these", "them", "same", "again", "instead", "also"})
# A turn that starts like this continues the previous question, whatever else it names.
FOLLOWUP_START = re.compile(
    r"^\s*(?:and|also|now|then|ok(?:ay)?|what\s+about|how\s+about|what\s+if|same|only|just|instead|but|"
    r"make\s+it|show\s+(?:it|that|this|me\s+that)|break\s+(?:it|that|this)|split\s+(?:it|that)|"
    r"compare\s+(?:it|that|this|with|to|against)|as\s+an?|in\s+an?|switch|change|plus|add|drop|remove)\b",
)
# "the split of installs between iOS and Android" (or "how did installs split across iOS and Android")
# compares the two values like "iOS vs Android".
COMPARE_CUE = re.compile(r"\b(?:vs\.?|versus|compar\w*|against|difference\s+between|split\s+(?:between|across|among)|"
                         r"between(?=\s+\S+(?:\s+\S+)?\s+and\s)|"
                         r"relative\s+to|side\s+by\s+side|head\s+to\s+head)\b")
COUNT_CUE = re.compile(r"\b(?:how\s+many|number\s+of|count\s+of|count|#\s*of|total\s+number\s+of|no\.?\s+of)\s+"
                       r"(?:(?:distinct|different|unique|separate|individual|active|our|the)\s+)*$")
LIST_CUE = re.compile(r"\b(?:list|which|what|show|name|enumerate|display|give)\b")
