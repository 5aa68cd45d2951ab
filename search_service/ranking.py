"""Every weight, threshold and depth of the ranking, and the rules by a run's length, in one place.

A *run* is what a visitor typed as plain words (not a quoted phrase, not an exclusion). How it is matched and ranked
depends on how many words it has and whether it is asked as a question, as the table of ``run_rules`` says. Each
number here was chosen on the shared relevance sets (``bench/relevance.py``; `docs/benchmarks.md` has today's
figures and `docs/history.md` what each alternative gave).
"""

from __future__ import annotations

from dataclasses import dataclass

# --- BM25F ------------------------------------------------------------------------------------------------------
K1 = 1.6  # term-frequency saturation; tuned on the ViCoV19QA train questions only
B = 1.0  # field-length normalisation
# How much more a word counts in each field, inside BM25F (``whoosh_ext.queries.AcrossFields``): its frequency in
# the field, normalised by the field's length, is multiplied by this before the fields are added up and saturated.
# A phrase (quoted, a synonym's form, a document number; the boosts of a run as a phrase and of its pairs) found in
# any field scores its words so (``whoosh_ext.queries.PhraseAcross``).
TERM_WEIGHTS = {"title": 5.0, "summary": 5.0, "body": 1.0}

# --- boosts, given to the best candidates ------------------------------------------------------------------------
PHRASE_BOOST = 2.0  # a run found as typed, side by side (and each pair of a long run's neighbouring syllables)
# A document number's number and year found beside the word typed before it, when no article holds the whole number
# (``query.Builder._cited``): what names the document, above the words an article holds around another one's number.
CITED_BOOST = 20.0
PAIR_BOOST = 1.0  # each pair of neighbouring syllables of a 5-12 word run found side by side
WORD_BOOST = 1.0  # a word of the query found as the same underthesea word, over its syllables' own scores
RESTORED_BOOST = 0.5  # an unaccented query's likely accented spelling: a hint, never a requirement
# A word of a short run required whole (its syllables side by side) adds this much of its score where it stands so,
# beside its syllables' own: what it changes is which articles match, not their order (bench/keyword_queries.py:
# 0.1 ranks as 0 does, 1 a little worse). Not 0: Whoosh's own matcher drops a part that can score nothing.
WHOLE_WORD_WEIGHT = 0.1
# An unaccented syllable's other readings are searched when at least this share as likely as the one restored: in a
# short run, as optional boosts (RESTORED_BOOST times the share), or as alternatives of the restored one for a
# syllable restored CONFIDENT likely; in a run of five words or more, as alternatives of the restored one, each
# weighted by its share.
ALTERNATIVE_SHARE = 0.2
# A restored syllable of a run of five words or more also matches as typed (any diacritics), weighted this much,
# unless its reading is at least CERTAIN likely (four syllables in five of VietNews's titles): the syllable as typed
# is a posting list as long as all its readings', and it seldom rescues a reading that sure.
AS_TYPED = 0.3
CERTAIN = 0.99
# A syllable of a short run typed without diacritics restored at least this likely is scored as its likely readings,
# exact, as if typed with them; it still matches as typed (any diacritics), weighted AS_TYPED, so the run matches the
# same articles. A less likely one is scored as typed, its readings optional boosts (RESTORED_BOOST).
CONFIDENT = 0.9
# A syllable typed without marks among marked ones, this unlikely as typed beside them, is one the index never writes
# so there: a keyboard's marks left out. Read surely, it is searched restored (``results.marks_left_out``).
BARE_UNLIKELY = 1e-5
# One this unlikely as typed beside them matches in any accenting, scored as its likely readings
# (``query.Builder._bare_readings``): 77 % of the syllables whose marks were left out, 0.4 % of those VietNews's
# headlines, marked throughout, write without (`con sống`, `ủy ban` are as likely as typed as otherwise).
BARE_DOUBTFUL = 0.01

# --- the rules by a run's length ---------------------------------------------------------------------------------
ALL_REQUIRED_UP_TO = 4  # words (stop words aside) a run may have and still require every one, as a search box does
LONG_RUN_FROM = 12  # more words than this: a question or a pasted text, never found as typed
COORDINATE_UP_TO = 24  # a headline-like run of up to this many words ranks by the share of its words an article holds
RERANK_DEPTH = 50  # the best matches that get the optional and phrase boosts and are ordered again
LONG_RERANK_DEPTH = 150  # the same for a long run, whose syllable pairs reach further down
# How many of those the articles holding a run of up to 12 words side by side make up at least, where as many hold
# it among this many best matches: the next best holders join them, however far down their words' own scores put
# them (the run's phrase boost is theirs to earn).
PHRASE_HOLDERS = 20
PHRASE_HOLDERS_AMONG = 1000


@dataclass(frozen=True)
class RunRules:
    """How one run of words is matched and ranked."""

    every_word: bool  # every word (stop words aside) is required; else any word matches, the most words first
    stop_words_count: bool  # stop words are matched and counted like the other words (else optional, or left out)
    long: bool  # a question or a pasted text
    folded_match: bool  # matched without diacritics, the typed diacritics only ranking the exact spellings higher
    pair_boost: float  # each pair of neighbouring syllables found side by side (0: none)
    whole_phrase: bool  # the run found as typed earns PHRASE_BOOST
    stop_words_optional: bool  # stop words not counted still add a little (a long run leaves them out: no weight)
    rerank_depth: int


def run_rules(words: int, stop_words: int, *, question: bool, accented: bool, relaxed: bool) -> RunRules:
    """The rules for a run of ``words`` distinct words and ``stop_words`` distinct stop words.

    ============================  ==========================  ==============================  ====================
    run (distinct words)          matches                     stop words                      boosts
    ============================  ==========================  ==============================  ====================
    up to 4                       every word                  optional                        the run as a phrase
    5 to 12 (stop words counted)  any word, most words first  counted; a question's optional  phrase; pairs at 1
    more than 12                  any word, most words first  counted; a question's dropped   pairs at 2; depth 150
    ============================  ==========================  ==============================  ====================

    A long question, or a long run typed without diacritics, matches without diacritics (a question typed in full is
    often accented unevenly, and answers spell words in more than one way); a long run typed with diacritics and
    not asked (a pasted headline) is accented as its article is, and matched as typed. ``relaxed`` (the second try,
    when requiring every word found nothing) lets any word match a short run too. A run of any words typed without
    diacritics whose spelling the index's model restores is searched by the rules of its restored spelling
    (``query.Builder._as_restored``).

    >>> run_rules(3, 1, question=False, accented=True, relaxed=False).every_word
    True
    >>> rules = run_rules(14, 3, question=True, accented=True, relaxed=False)
    >>> rules.long, rules.folded_match, rules.stop_words_count, rules.pair_boost, rules.rerank_depth
    (True, True, False, 2.0, 150)
    """
    any_word = words > ALL_REQUIRED_UP_TO or relaxed
    # A pasted headline or a list of keywords says something with each of its words ("lần thứ 2", "10 người"); a
    # question's stop words are the "có … không", "được", "của" around what is asked.
    stop_words_count = any_word and not question
    long = words + (stop_words if stop_words_count else 0) > LONG_RUN_FROM
    return RunRules(
        every_word=not any_word,
        stop_words_count=stop_words_count,
        long=long,
        folded_match=long and (question or not accented),
        pair_boost=PHRASE_BOOST if long else (PAIR_BOOST if any_word else 0.0),
        whole_phrase=not long,
        stop_words_optional=not long and not stop_words_count,
        rerank_depth=LONG_RERANK_DEPTH if long else RERANK_DEPTH,
    )
