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

from app.engine.planning.offline.vocabulary import vocabulary, word_set

FILLER_WORDS = word_set("fillers")
INNER_FILLERS = word_set("inner_fillers")
SLANG: dict[str, str] = dict(vocabulary()["slang"])


def canonical_word(word: str) -> str:
    """The word the phrase tables know for a casual spelling ("ppl" -> "people", "makin" -> "making")."""
    if word in SLANG:
        return SLANG[word]
    if len(word) > 4 and word.endswith("in") and not word.endswith(("ain", "ein", "oin")):
        return word + "g"  # dropped g: "lookin", "trendin"
    return word
