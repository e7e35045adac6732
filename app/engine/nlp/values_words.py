"""Word lists for value resolution: cues around a value and words never taken for typos."""
from __future__ import annotations

# Values that are also verbs at the start of a command ("display revenue", "search for ...").
VERB_VALUES = frozenset({"display", "search", "text"})
# ... they are verbs when an object follows ("display the ...") or, first in the question, a metric.
COMMAND_OBJECTS = frozenset(
    {"me", "us", "the", "all", "a", "my", "our", "them", "it", "for", "each", "every"}
)
# Words that, after a verb-like value first in a question, make it a command ("display metrics"); the
# model's metric words do too (``PhraseIndex.metric_words``).
METRIC_WORDS = frozenset({"metrics", "metric", "total", "totals", "how", "numbers", "figures", "stats"})
# A number is an OS version only right after one of these ("iOS 17.5", "Android 14", "version 15").
VERSION_CUES = frozenset({"ios", "android", "os", "version", "versions", "v"})
# Values that are also past tenses: "how much we paid Facebook" is spend, not paid users.
PAST_TENSE_VALUES = frozenset({"paid"})
# Words around a past tense that make it the verb: "have ever paid", "paid any time", "paid at least
# once", "paid money", "paid for a subscription".
PAST_TENSE_BEFORE = frozenset({"have", "has", "had", "ever", "never", "already", "actually", "really",
                               "also", "still", "since", "users", "people", "players", "customers", "who",
                               "that", "them", "they", "many"})
PAST_TENSE_AFTER = frozenset({"any", "anything", "at", "ever", "money", "us", "for", "once", "twice",
                              "something", "again", "up", "out", "nothing", "real", "cash"})
SUBJECT_WORDS = frozenset({
    "we", "i", "you", "they", "he", "she", "it", "did", "have", "has", "had", "was", "were", "been", "be",
    "get", "got", "much", "is", "are", "being",
})
PLACE_PREPOSITIONS = frozenset(
    {"in", "from", "to", "vs", "versus", "and", "or", "excluding", "except", "not"}
)
# Words that end a run of name words before "campaign(s)" (the model's metric words do too).
RUN_STOPWORDS = frozenset({
    "the", "a", "an", "for", "in", "of", "on", "with", "from", "by", "and", "or", "vs", "versus", "all",
    "my", "our", "which", "what", "show", "me", "top", "best", "worst", "how", "many", "much", "each", "per",
    "every", "is", "are", "was", "were", "to", "than", "not", "no", "except", "excluding", "other", "only",
    "list", "give", "get", "find", "compare",
    "running", "active", "paused", "new", "old", "their", "these", "those", "this", "that", "it",
})
# Common and analytics words one typo away from a value: never "corrected" into one.
NOT_FUZZY = frozenset({
    "units", "banned", "manner", "child", "spent", "installs", "install", "revenue", "events", "event",
    "devices", "device", "googled", "purchased", "purchaser", "purchasers", "indie", "indies", "franc",
    "francs", "frank", "canal", "italic", "chins", "chine", "spoof", "bottom", "sessions", "session",
    "users", "paying", "payers", "metas", "metal", "metric", "metrics", "stats", "statistic", "status",
    "states", "state", "united", "unite", "unify", "clicks", "click", "count", "counts", "total",
    "totals", "daily", "weekly", "monthly", "yearly", "trend", "trends", "country", "countries",
    "campaign", "campaigns", "source", "sources", "network", "networks", "channel", "channels",
    "format", "formats", "platform", "platforms", "playback", "player", "players", "plays", "tutor",
    "level", "levels", "subscribers", "subscriber", "organ", "organs", "brand", "brands", "brain",
    "brazen", "polished", "turkey", "where", "which", "there", "their", "these", "those", "about",
    "above", "below", "after", "before", "since", "until", "between", "compare", "compared", "versus",
    "every", "share", "shares", "rates", "ratio", "spend", "spends", "costs", "cohort", "cohorts",
    "retention", "retained", "fraud", "fraudulent", "farmed", "farmer", "farmers", "ironic", "snapshot",
    "faces", "facet", "meter", "meters", "goggle", "goggles", "apples", "phone", "phones",
    "brought", "bright", "fought", "sought", "thought", "bough",
})
