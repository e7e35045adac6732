"""Chatty words: what a busy marketer types in Slack that carries no meaning of its own.

Three small tables, used by the lexicon (slang maps onto the word a phrase
table knows, "ppl" -> "people", "cash" -> "money") and by the confidence step
(fillers are function words, not unexplained content):

- :data:`FILLER_WORDS`: greetings, hedges and interjections ("yo", "lol",
  "ballpark", "ish", "kinda", "lately") and the tails the tokenizer leaves
  after splitting a contraction ("how're" -> "how", "re").
- :data:`INNER_FILLERS`: adverbs that may sit inside a phrase without breaking
  it ("people *actually* paid", "users *even* clicked").
- :data:`SLANG`: a casual spelling and the word the phrase tables use.

Numbers, dates, names and negations are never fillers: questions that differ
in them must stay different questions.
"""
from __future__ import annotations

FILLER_WORDS = frozenset({
    # contraction tails: how're, we've, we'll, what'd, who's, isn't
    "re", "ve", "ll", "d", "s", "t", "m",
    # greetings, thanks, interjections
    "alright", "plus", "oh", "welp", "anyhow", "yo", "uh", "um", "erm", "team", "guys", "yall", "hiya", "heya", "thx", "ty", "tia", "cheers", "lol", "lmao", "haha", "ugh", "hmm", "pls", "plz",
    "please", "btw", "fyi", "asap", "rn", "q", "go", "k", "kk",
    # chat spellings of function words (after SLANG they are stop words anyway)
    "gimme", "lemme", "gotta", "wanna", "gonna", "kinda", "sorta", "ya", "u", "ur", "w",
    # hedges and intensifiers
    "ballpark", "ish", "roughly", "approx", "honestly", "basically", "literally", "actually", "really",
    "even", "ever", "still", "anyway", "anyways", "pretty", "super", "totally", "maybe", "probably",
    "lately", "nowadays", "days", "these", "something", "anything", "everything", "stuff", "things", "thing",
    # verbs of looking and getting that say nothing about the metric
    "grab", "idea", "seeing", "seem", "seems", "feel", "feels", "feeling", "wondering", "curious", "check", "checking",
    "gave", "giving", "makes", "gets", "gives", "sends", "send", "sent", "eat", "ate", "eaten", "eating", "turn", "turns", "times", "low", "high", "off",
    "going", "lookin", "doin", "goin",
    # judgements the asker wants checked, not metrics: "isn't tiktok roas kinda bad?"
    "bad", "good", "great", "fine", "decent", "terrible", "awful", "meh", "solid", "weird", "crazy",
})
INNER_FILLERS = frozenset({"actually", "even", "really", "ever", "still", "all", "just"})
SLANG = {
    "ppl": "people", "peeps": "people", "folks": "people", "folk": "people", "ppls": "people",
    # "$$" alone is money; "cash" is not mapped: "how much cash went into advertising" is spend, not revenue.
    "$$": "money", "$$$": "money",
    "ret": "retention", "bout": "about", "abt": "about", "wat": "what", "hw": "how", "teh": "the", "n": "and", "wut": "what", "u": "you", "ur": "your", "w": "with", "thru": "through", "tho": "though", "pls": "please", "plz": "please",
    "lookin": "looking", "doin": "doing", "goin": "going", "makin": "making", "gettin": "getting",
    "spendin": "spending", "payin": "paying", "bringin": "bringing", "pullin": "pulling",
}


def canonical_word(word: str) -> str:
    """The word the phrase tables know for a casual spelling ("ppl" -> "people", "makin" -> "making")."""
    if word in SLANG:
        return SLANG[word]
    if len(word) > 4 and word.endswith("in") and not word.endswith(("ain", "ein", "oin")):
        return word + "g"  # dropped g: "lookin", "trendin"
    return word
