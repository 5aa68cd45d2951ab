"""What an index holds, for completions and diacritic restoration: read from the index once, at index time.

Reading every term of the title and body fields takes seconds on a large index, so the indexer does it after each
change and saves the result beside the index (``vocabulary.pickle``); a serving process loads it in a fraction of a
second, and builds it itself only when the file is missing or older than the index.

Restoring the diacritics of a query typed without them needs more than the most frequent accented form of each
syllable: ``nhieu nam`` is ``nhiều năm`` but ``nam gioi`` is ``nam giới``. :class:`Syllables` counts accented
syllables and pairs of neighbouring ones in a sample of the articles' text, and :meth:`Syllables.restore` picks the
most likely accented sentence (a bigram language model decoded with the Viterbi algorithm).
"""

from __future__ import annotations

import logging
import math
import pickle
from array import array
from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from itertools import pairwise
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.searching import Searcher

from .analysis import (
    SYLLABLE_RE,
    WORD_JOINER,
    fold_diacritics,
    normalize_text,
    normalize_tone,
    normalize_with_offsets,
    split_syllables,
)
from .schema import TEXT_FIELDS
from .store import replace_file

VOCABULARY_FILE = "vocabulary.pickle"
VOCABULARY_VERSION = 4  # saved with the vocabulary: a file written by an older version is read afresh
TITLE_WEIGHT = 1 << 40  # marks a title among the completions
TITLE_WORDS = 12  # a title offered as a completion is cut after this many words, and ends with " …" then
CUT = " …"
# Restoration: the text of this many articles (a sample chosen by content, the same whatever the indexing order)
# is enough to learn which accented syllables follow which; more costs index time and memory for little gain.
SAMPLE_ARTICLES = 5000
FORMS_KEPT = 8  # accented forms of one unaccented syllable considered, the most frequent first
MIN_PAIR_COUNT = 2  # a pair seen once in the sample is mostly noise, and most of the pairs
SMOOTHING = 30.0  # how much a syllable's own frequency counts beside what follows the syllable before it
PAIR_SHIFT = 24  # a pair of syllable numbers is one integer: first << PAIR_SHIFT | second
# Triples, for completing a phrase (which syllable follows two): only after a pair seen this often, and seen twice.
TRIPLE_AFTER = 10
MIN_TRIPLE_COUNT = 2

log = logging.getLogger("search_service.vocabulary")


@dataclass(frozen=True)
class Syllables:
    """How often each accented syllable, and each pair of neighbouring syllables, occurs in a sample of the text."""

    forms: dict[str, tuple[tuple[str, int], ...]]  # unaccented syllable → its accented forms and counts, by count
    numbers: dict[str, int]  # accented syllable → its number in the pairs
    pairs: array  # sorted pairs of syllable numbers (first << PAIR_SHIFT | second) seen MIN_PAIR_COUNT times or more
    pair_counts: array  # how often each of them was seen
    total: int  # syllables in the sample
    # Sorted triples (the first two's place in ``pairs`` << PAIR_SHIFT | the third's number), and their counts.
    triples: array = field(default_factory=lambda: array("Q"))
    triple_counts: array = field(default_factory=lambda: array("L"))

    def pair_count(self, first: int | None, second: int | None) -> int:
        """How often the syllables numbered ``first`` and ``second`` follow each other (None: not in the pairs)."""
        if first is None or second is None:
            return 0
        key = first << PAIR_SHIFT | second
        at = bisect_left(self.pairs, key)
        return self.pair_counts[at] if at < len(self.pairs) and self.pairs[at] == key else 0

    def restore(self, syllables: list[str]) -> list[str]:
        """The most likely accented spelling of unaccented syllables, each chosen in the light of its neighbours.

        A syllable the sample never holds is kept as typed. See :meth:`best`.
        """
        return self.best([[(form, 0.0) for form, _ in self.forms.get(s) or ((s, 0),)] for s in syllables])

    @cached_property
    def by_number(self) -> dict[int, str]:
        """Each syllable of the pairs by its number."""
        return {number: form for form, number in self.numbers.items()}

    def followers(self, form: str) -> list[tuple[str, int]]:
        """The syllables seen after ``form`` (a pair seen MIN_PAIR_COUNT times or more), the most frequent first."""
        number = self.numbers.get(form)
        if number is None:
            return []
        low, high = bisect_left(self.pairs, number << PAIR_SHIFT), bisect_left(self.pairs, (number + 1) << PAIR_SHIFT)
        mask = (1 << PAIR_SHIFT) - 1
        found = [(self.by_number[self.pairs[i] & mask], self.pair_counts[i]) for i in range(low, high)]
        return sorted(found, key=lambda pair: (-pair[1], pair[0]))

    def followers_of_pair(self, first: str, second: str) -> list[tuple[str, int]]:
        """The syllables seen after ``first second`` (a triple seen MIN_TRIPLE_COUNT times or more), the most
        frequent first; empty when the pair is rarer than TRIPLE_AFTER."""
        key = self.numbers.get(first), self.numbers.get(second)
        if None in key:
            return []
        pair = key[0] << PAIR_SHIFT | key[1]
        place = bisect_left(self.pairs, pair)
        if place >= len(self.pairs) or self.pairs[place] != pair:
            return []
        low = bisect_left(self.triples, place << PAIR_SHIFT)
        high = bisect_left(self.triples, (place + 1) << PAIR_SHIFT)
        mask = (1 << PAIR_SHIFT) - 1
        found = [(self.by_number[self.triples[i] & mask], self.triple_counts[i]) for i in range(low, high)]
        return sorted(found, key=lambda triple: (-triple[1], triple[0]))

    def count(self, form: str) -> int:
        """How often an accented syllable occurs in the sample."""
        for candidate, count in self.forms.get(fold_diacritics(form), ()):
            if candidate == form:
                return count
        return 0

    def best(self, candidates: list[list[tuple[str, float]]]) -> list[str]:
        """The most likely sequence, one syllable chosen among each position's candidates, each given with the log of
        its prior (0 for a spelling as typed or restored; less for a spelling slip, see ``results.correct_spelling``).

        Each syllable's probability given the one before is its pair count smoothed towards its own frequency
        (P(b|a) = (n(a b) + μ P(b)) / (n(a) + μ)); the best sequence is found with the Viterbi algorithm.
        """
        if not candidates:
            return []
        counts = {form: self.count(form) for forms in candidates for form, _ in forms}
        numbers = {form: self.numbers.get(form) for form in counts}  # looked up once, not at every pair

        def probability(form: str) -> float:
            return (counts[form] + 0.5) / (self.total + 0.5)

        # For each candidate of the current syllable: the best score of a sequence ending in it, and the one before.
        scores = {form: prior + math.log(probability(form)) for form, prior in candidates[0]}
        back: list[dict[str, str]] = []
        for forms in candidates[1:]:
            step: dict[str, float] = {}
            came_from: dict[str, str] = {}
            for form, prior_weight in forms:
                prior = SMOOTHING * probability(form)
                best, best_previous = -math.inf, ""
                for previous, score in scores.items():
                    pairs = self.pair_count(numbers[previous], numbers[form])
                    value = score + math.log((pairs + prior) / (counts[previous] + SMOOTHING))
                    if value > best:
                        best, best_previous = value, previous
                step[form], came_from[form] = best + prior_weight, best_previous
            scores = step
            back.append(came_from)
        form = max(scores, key=scores.__getitem__)
        chosen = [form]
        for came_from in reversed(back):
            form = came_from[form]
            chosen.append(form)
        return chosen[::-1]


@dataclass(frozen=True)
class Vocabulary:
    """What the index holds, for completions and suggestions: accented forms by their folded spelling."""

    keys: list[str]  # folded completions, sorted
    entries: list[tuple[str, int]]  # (display form, document frequency), aligned with keys
    syllables: Syllables  # for restoring diacritics
    # Every syllable of the titles and bodies with its document frequency, for spelling corrections: looked up in
    # memory, a correction costs a bounded number of lookups per syllable instead of a pass over the term lists.
    known: dict[str, int]


def count_syllables(searcher: Searcher, lexicon: dict[str, tuple[str, int]]) -> Syllables:
    """Count accented syllables and neighbouring pairs in the stored text of a sample of the articles.

    The sample is the articles with the smallest fingerprints (a hash of their content): the same articles give the
    same sample however the indexing processes numbered them. ``lexicon`` (unaccented syllable → most frequent
    accented form in the whole index) stands in for the syllables the sample does not hold.
    """
    reader = searcher.reader()
    if reader.has_column("fingerprint"):
        fingerprints = reader.column_reader("fingerprint")
        live = sorted((fingerprints[docnum], docnum) for docnum in reader.all_doc_ids())
        sample = sorted(docnum for _fingerprint, docnum in live[:SAMPLE_ARTICLES])
    else:
        sample = list(reader.all_doc_ids())[:SAMPLE_ARTICLES]
    # Counted as the text has them, lower-cased; then the few syllables written with another tone placement are
    # moved to the normal one (normalising every occurrence in the text first took half the time).
    unigrams: Counter[str] = Counter()
    bigrams: Counter[tuple[str, str]] = Counter()
    # The texts again, as arrays of provisional syllable numbers (4 bytes a syllable), for the triples below.
    provisional: dict[str, int] = {}
    texts = []
    for docnum in sample:
        stored = reader.stored_fields(docnum)
        for fieldname in TEXT_FIELDS:
            syllables = SYLLABLE_RE.findall(normalize_with_offsets(stored.get(fieldname) or "").text)
            unigrams.update(syllables)
            bigrams.update(pairwise(syllables))
            texts.append(array("L", [provisional.setdefault(s, len(provisional)) for s in syllables]))
    respelled = {syllable: normal for syllable in unigrams if (normal := normalize_tone(syllable)) != syllable}
    for syllable, normal in respelled.items():
        unigrams[normal] += unigrams.pop(syllable)
    for first, second in [pair for pair in bigrams if pair[0] in respelled or pair[1] in respelled]:
        count = bigrams.pop((first, second))
        bigrams[respelled.get(first, first), respelled.get(second, second)] += count
    by_folded: defaultdict[str, list[tuple[str, int]]] = defaultdict(list)
    for syllable, count in unigrams.items():
        by_folded[fold_diacritics(syllable)].append((syllable, count))
    forms = {key: tuple(sorted(found, key=lambda f: (-f[1], f[0]))[:FORMS_KEPT]) for key, found in by_folded.items()}
    for key, (form, _count) in lexicon.items():
        forms.setdefault(key, ((form, 0),))
    numbers = {form: number for number, form in enumerate(sorted({f for found in forms.values() for f, _ in found}))}
    kept = sorted(
        (numbers[a] << PAIR_SHIFT | numbers[b], count)
        for (a, b), count in bigrams.items()
        if count >= MIN_PAIR_COUNT and a in numbers and b in numbers
    )
    pairs = array("Q", (key for key, _ in kept))
    # Triples after the frequent pairs: (the pair's place in `pairs`) << PAIR_SHIFT | the third's number.
    place = {key: i for i, (key, count) in enumerate(kept) if count >= TRIPLE_AFTER}
    triples: Counter[int] = Counter()
    final = [numbers.get(respelled.get(s, s)) for s in provisional]  # provisional number → number (or None)
    for syllables in texts:
        normal = [final[s] for s in syllables]
        for a, b, c in zip(normal, normal[1:], normal[2:], strict=False):
            if a is not None and b is not None and c is not None:
                at = place.get(a << PAIR_SHIFT | b)
                if at is not None:
                    triples[at << PAIR_SHIFT | c] += 1
    kept_triples = sorted((key, count) for key, count in triples.items() if count >= MIN_TRIPLE_COUNT)
    return Syllables(
        forms,
        numbers,
        pairs,
        array("L", (count for _, count in kept)),
        sum(unigrams.values()),
        array("Q", (key for key, _ in kept_triples)),
        array("L", (count for _, count in kept_triples)),
    )


def build_vocabulary(searcher: Searcher) -> Vocabulary:
    """Read the title and body lexicons once: every syllable and word with its frequency, and every title."""
    reader = searcher.reader()
    frequency: Counter[str] = Counter()
    # Segment by segment: a multi-segment reader merges the segments' term lists in Python, several times slower.
    for leaf, _offset in reader.leaf_readers():
        for fieldname in ("title", "body"):
            if fieldname not in leaf.schema:
                continue
            for term, info in leaf.iter_field(fieldname):
                text = term.decode("utf-8") if isinstance(term, bytes) else term
                if text.replace(WORD_JOINER, "").isalpha():
                    frequency[text] += info.doc_frequency()
    # In order of text, so a tie goes the same way whichever segment (indexing process) saw a word first.
    ordered = sorted(frequency.items())
    best_form: dict[str, tuple[str, int]] = {}  # unaccented syllable → its most frequent accented form
    for text, count in ordered:
        key = fold_diacritics(text)
        if WORD_JOINER not in text and (key not in best_form or count > best_form[key][1]):
            best_form[key] = (text, count)
    # On a large index, words seen in one article only are mostly noise (and memory); a small one keeps them all.
    min_count = 2 if reader.doc_count() > 1000 else 1
    rows: dict[str, tuple[str, int]] = {}
    for text, count in ordered:
        display = text.replace(WORD_JOINER, " ")
        key = fold_diacritics(display)
        if count >= min_count and (key not in rows or count > rows[key][1]):
            rows[key] = (display, count)
    if reader.has_column("title_column"):
        titles = reader.column_reader("title_column")
        for docnum in reader.all_doc_ids():
            title = titles[docnum].decode("utf-8")
            if title:
                words = title.split()
                display = " ".join(words[:TITLE_WORDS]) + (CUT if len(words) > TITLE_WORDS else "")
                rows.setdefault(fold_diacritics(normalize_text(display)), (display, TITLE_WEIGHT))
    keys = sorted(rows)
    known = {text: count for text, count in ordered if WORD_JOINER not in text}
    return Vocabulary(keys, [rows[k] for k in keys], count_syllables(searcher, best_form), known)


def save_vocabulary(generation: Path, index: whoosh_index.Index) -> None:
    """Read the vocabulary of an index and save it in its folder, tagged with the index's own generation number."""
    with index.searcher() as searcher:
        vocabulary = build_vocabulary(searcher)
    saved = (VOCABULARY_VERSION, index.latest_generation(), vocabulary)
    replace_file(generation / VOCABULARY_FILE, pickle.dumps(saved, protocol=pickle.HIGHEST_PROTOCOL))


def saved_vocabulary(generation: Path, toc_generation: int) -> Vocabulary | None:
    """The vocabulary saved in a generation's folder, when it belongs to this state of its index (the number of the
    index's table of contents); None when there is none, or it belongs to another state or version."""
    try:
        with open(generation / VOCABULARY_FILE, "rb") as handle:
            version, saved_for, vocabulary = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError) as error:
        log.info("no saved vocabulary to read (%s)", error)
        return None
    if (version, saved_for) == (VOCABULARY_VERSION, toc_generation) and isinstance(vocabulary, Vocabulary):
        return vocabulary
    return None


def restore_diacritics(text: str, vocabulary: Vocabulary) -> str | None:
    """The most likely accented spelling of a query typed without diacritics, from the index's own text.

    Each syllable is chosen in the light of its neighbours (``nhieu nam`` → ``nhiều năm``, ``nam gioi`` →
    ``nam giới``); see :meth:`Syllables.restore`. None when restoring changes nothing.
    """
    syllables = [fold_diacritics(s.text) for s in split_syllables(text)]
    suggestion = " ".join(vocabulary.syllables.restore(syllables))
    return suggestion if suggestion != " ".join(syllables) else None
