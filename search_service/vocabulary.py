"""What an index holds, for completions and diacritic restoration: read from the index once, at index time.

Reading every term of the title and body fields takes seconds on a large index, so the indexer does it after each
change and saves the result beside the index (``vocabulary.pickle``, its integer arrays in byte planes, compressed
with Zstandard); a serving process loads it in a
fraction of a second, and builds it itself only when the file is missing or older than the index.

Restoring the diacritics of a query typed without them needs more than the most frequent accented form of each
syllable: ``nhieu nam`` is ``nhiều năm`` but ``nam gioi`` is ``nam giới``. :class:`Syllables` is a trigram language
model of the syllables of a sample of the articles' text, and :meth:`Syllables.restore` picks the most likely accented
sentence with the Viterbi algorithm.
"""

from __future__ import annotations

import bisect
import functools
import io
import itertools
import logging
import math
import pickle
import re
import unicodedata
import zlib
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import zstandard
from whoosh import index as whoosh_index
from whoosh.searching import Searcher

from .analysis import (
    ROMAN_AMBIGUOUS,
    ROMAN_VALUES,
    SYLLABLE_RE,
    WORD_JOINER,
    as_written,
    fold_diacritics,
    has_diacritics,
    names_typed,
    normalize_syllable,
    normalize_text,
    normalize_with_offsets,
    split_syllables,
)
from .keyboard import is_syllable, misspelt
from .schema import TEXT_FIELDS, TITLE_WORDS
from .store import replace_file
from .whoosh_ext.planes import from_planes, to_planes

VOCABULARY_FILE = "vocabulary.pickle"
VOCABULARY_VERSION = 21  # saved with the vocabulary: a file written by an older version is read afresh
# Zstandard's level for the file (``write_vocabulary``): on all of VNTC the 60 MB pickle, its arrays in planes, takes
# 12.6 MB, written in 0.4 s on every build and `index add` (level 6: 12.1 MB in 0.7 s; zlib's level 1: 14.1 MB in
# 0.65 s), and read back in 0.3 s when a worker loads it.
VOCABULARY_COMPRESSION = 3
TITLE_WEIGHT = 1 << 40  # marks a title among the completions
CUT = " …"
FIRST_LOOK = 64  # entries a completion orders first: enough for a page of completions, most of the time
# A word of two or three syllables the index's segmentation joins in at least this many titles and bodies is one of
# its words (``Vocabulary.is_word``): fewer is mostly a segmentation's slip across two words (*tính cách thức*: none).
WORD_ARTICLES = 5
TOGETHER_PMI = 3.0  # a pair seen e³ (20) times as often as its syllables' frequencies would put them together ...
TOGETHER_COUNT = 20  # ... and this often at least is one word (``Vocabulary.together``)
# A syllable the sample has this many different Roman numerals after (of those no syllable or letter writes too) is
# numbered so (``Vocabulary.numbered_in_roman``).
ROMAN_KINDS = 3
# Restoration learns from the text of the articles with the smallest fingerprints (a sample chosen by content, the
# same whatever the indexing order) up to this many syllables: about 60,000 news articles. On text the model never
# saw, more of the index's own text keeps helping, less and less (VietNews titles restored by a model of VNTC: 93.3 %
# of syllables right from 10 million syllables, 93.9 % from 20, 94.1 % from 30, 94.3 % from all of VNTC's 40), while
# reading it costs every build and every `index add` about 0.8 s a million syllables (25 s for 30 million); the
# model's memory is bounded by how many counts it keeps (PAIRS_KEPT, TRIPLES_KEPT), not by the sample.
SAMPLE_SYLLABLES = 30_000_000
# Accented forms of one unaccented syllable considered, the most frequent first, each at least FORM_SHARE of the
# syllable's occurrences. ``do`` is written 28 ways in the 10 million syllables of 21,000 VNTC articles: *đo* (*đo
# lường*) comes 10th, *dò* (*thăm dò*) 11th, *đò* 14th; in 4,000 of them *đỡ* (``giup do``, *giúp đỡ*) comes 9th and
# ``doi``'s *dõi* (*theo dõi*) 10th. The restorer weighs every three neighbouring forms, so a position costs up to
# FORMS_KEPT³; the share leaves out the forms too rare to be the right one (slips in the articles, rare names), most
# of the cost of the 16.
FORMS_KEPT = 16
FORM_SHARE = 0.001
NUMBER_BITS = 21  # a syllable's number fits in 21 bits: a pair is one integer, and so is a triple (63 bits)
MASK = (1 << NUMBER_BITS) - 1
BOUNDARY = 0  # the number of the empty syllable between two texts
DISCOUNT = 0.75  # Kneser-Ney's absolute discount: taken from every count seen, given to the lower orders
MIN_TRIPLE_COUNT = 2  # triples seen once are most of the triples and little of the evidence
# The most pairs and triples the model keeps: the rarest go first, all those of one count together (``_often``).
# 10 million syllables of news (about 20,000 articles) hold 1.2-1.4 million pairs and 1.1 million triples seen twice:
# an index of that size keeps them all, 36 MB. 30 million syllables of VNTC hold 2.6 million pairs and 3.3 million
# triples seen twice (74 MB): they keep the pairs seen twice or more (1.2 million) and the triples seen 3 times or
# more (1.7 million), 36 MB. A pair or triple left out reads as if never seen; each syllable's totals
# (``context_counts`` and the others) still count it. On all of VNTC (40 million syllables), keeping every pair and
# every triple seen twice restores 94.7 % of VietNews titles' syllables, these bounds 94.3 %, at a third of the memory.
PAIRS_KEPT = 1_400_000
TRIPLES_KEPT = 2_400_000
# Completions (which syllable follows one or two): pairs seen twice, and triples only after a pair seen this often.
MIN_PAIR_COUNT = 2
TRIPLE_AFTER = 10
# Four syllables in a row, for the word a completion adds after the one it completes: seen this often, each as a
# 32-bit hash of its numbers (``_four_keys``), the most frequent FOURS_KEPT (10 million syllables of VNTC hold 0.9
# million seen twice, 30 million 3.4 million).
MIN_FOUR_COUNT = 2
FOURS_KEPT = 1_500_000
# Five syllables in a row, hashed so too (the first three's triple with the pair of the last two): a word the four
# before it would make likely, but that the sample never writes after all four, is not offered (``Syllables.
# seldom_after``: *đồng nhân dân* is followed by *tệ*, a sum in yuan, *hội đồng nhân dân* never is).
MIN_FIVE_COUNT = 2
FIVES_KEPT = 1_000_000
# Offered after three or four words, a syllable is left out when, were the first of them no matter, the sample would
# write it after them all this many times at least, and it never does twice (``Syllables.seldom_after``).
FIVE_EXPECTED = 5
# Where a phrase may end, for the word a completion adds: news text ends a clause (punctuation, a closing quote or
# bracket, the end of a title, sapo or body) after *hà nội* 28 % of the times it writes it, after *và*, *của* or *các*
# less than 1 %, after *đã* 0.7 %. A pair of syllables seen PHRASE_SEEN times or more ends a phrase when the text ends
# a clause after it PHRASE_END_SHARE of those times (*phù hợp* does, *hợp với* does not); a rarer pair is judged by its
# last syllable alone, and a syllable seen fewer times may end one.
PHRASE_SEEN = 5
PHRASE_END_SHARE = 0.05
# A text restored whole ends where a phrase may: a reading that ends on two syllables the sample seldom ends a clause
# after (``Syllables.ends_phrase``: *tiếp công đã*, the start of a word or of what follows) is this much as likely.
UNENDED = 0.4
# A syllable with what ends its clause after it (spaces, then punctuation, then a space or the end of the text), one
# token: the clause's end is counted without a pass of its own over the text.
SYLLABLE_ENDING_RE = re.compile(r"[^\W_]++(?:\s*+[,.;:!?…)\]\"”’»]++(?=\s|$))?")
CLAUSE_MARKS = ',.;:!?…)]"”’»'
DIGIT_RE = re.compile(r"\d")
# A number's shape in the model (``Syllables.shapes_from``, ``number_shape``): its digits each a 0 after this mark,
# which sorts after every syllable, so the shapes' numbers come last.
SHAPE_MARK = "\U0010fffe"
# A shape's first digit where the number is padded with a zero (``05``): written so, it is a document's or a date's.
PADDED_SHAPE = "z"
# How much of a triple holding a number its shape decides, the number itself the rest (``Syllables._scores``). Of
# VietNews's titles and first sentences restored by a model of 21,000 VNTC articles, and the other way round, 0.3 and
# 0.5 each left about 1 % fewer syllables wrong than the number alone (`bench/restoration.py`), 0.5 reading the
# tests' *đóng cửa 15 cửa hàng* as *đồng của*; with the shape only where the number is the syllable given, half
# that.
SHAPE_WEIGHT = 0.3
# A syllable of a synonym list's form spelled by the syllables typed, where the sample lacks the form
# (``restorations``), is read so 20 times likelier than the model alone says: enough for the list's words on a few
# hundred articles (`lien hop quoc`, `pho giao su`), too little to read `do la` *đô la* among words the model knows
# well (*đó là*).
LISTED_PRIOR = math.log(20.0)
# Two words each written with a capital and the rest in small letters, side by side, one space between them, and a
# third so written after them if there is one (the second and third a lookahead: each pair of a name of three,
# *Thừa Thiên* and *Thiên Huế*). Vietnamese capitalises a sentence's first word only, so a second word with a capital
# is a name's.
_LATIN = [chr(code) for code in itertools.chain(range(0x41, 0x250), range(0x1E00, 0x1F00))]
_CAPITAL = f"[{''.join(c for c in _LATIN if c.isupper())}]"
_SMALL = f"[{''.join(c for c in _LATIN if c.islower())}]*"
_TITLED = _CAPITAL + _SMALL
# Starting with the capital (the letter or digit before it ruled out after it, looking back), so that the regular
# expression engine skips to each capital: three times as fast as a word boundary first.
NAME_RE = re.compile(rf"({_CAPITAL}(?<![^\W_].){_SMALL}) (?=({_TITLED})\b(?: ({_TITLED})\b)?)")
TITLED_RE = re.compile(rf"\b{_TITLED}\b")
MIN_NAME = 3  # a name written so at least this often
NAME_SHARE = 0.5  # and at least this share of the times the sample has them side by side (not *Thủ tướng*)
# A hyphen before a letter: where ``count_hyphened`` looks (a pattern of the two runs of letters around it tries
# every letter of the text, 2 s for the 10 million syllables of a sample; this one 0.06 s).
HYPHEN_RE = re.compile(r"-(?=[^\W\d_])")
# A word written both joined and split (``joined_words``): each writing seen this often in the sample, and the rarer at
# least JOINED_SHARE of the two (``kinhdoanh``, a web address's, is 23 of 14,746 ``kinh doanh``: searching each
# ``kinh doanh`` as a phrase or that would cost more than those 23 are worth).
MIN_JOINED = 2
JOINED_SHARE = 0.005
# A place's word and the letter that stands for it before a name (``place_names``): Ho Chi Minh City's papers write
# *quận Bình Thạnh* ``Q.Bình Thạnh``, *phường Bến Nghé* ``P.Bến Nghé``, *huyện Hóc Môn* ``H.Hóc Môn``. A name counts
# when the sample holds it after both writings, each of them at least PLACE_SHARE of the name's own occurrences: in
# VNTC *Bình Thạnh* follows *quận* 48 % of the times it is written, ``Q.`` 26 %, where the *H. cho biết* of a person's
# initial is 0.2 % of *cho biết*.
PLACE_WORDS = (("q", "quận"), ("p", "phường"), ("h", "huyện"))
PLACE_SHARE = 0.01

log = logging.getLogger("search_service.vocabulary")


@dataclass(frozen=True)
class Syllables:
    """A trigram language model of the syllables of a sample of the articles' text.

    Smoothed as interpolated Kneser-Ney (Chen and Goodman, 1998): a syllable given the two before it, from how often
    the three were seen together, interpolated with it given the one before it, from how many different syllables
    precede the two (a pair seen often but only inside one longer name says little about a new context), and that
    with how many different syllables it follows. Each syllable has a number (0 is the boundary between two texts);
    a pair ``a b`` is the integer ``a << NUMBER_BITS | b``, a triple ``a b c`` is
    ``(a << NUMBER_BITS | b) << NUMBER_BITS | c``, each kind a sorted NumPy array searched many at once.
    """

    # Unaccented syllable → its accented forms, the most frequent first; none for a syllable written only as typed.
    forms: dict[str, tuple[str, ...]]
    # The sample's syllables in alphabetical order: a syllable's number is its place here plus one (``number``); one
    # the sample lacks has the number ``unseen``. A sorted list rather than a dict: its strings are the forms' own.
    # After them, from the number ``shapes_from`` on, the shapes of the sample's numbers (SHAPE_MARK and each digit a
    # 0: ``00`` for ``20``, ``z0`` for ``05``; ``number_shape``), each counted where any number of that shape stands,
    # pairs and triples of them too.
    # Restoration reads a number as itself and as its shape (SHAPE_WEIGHT): a number's own neighbours are few and
    # they mislead (21,000 VNTC articles write *từ 20* 198 times and *tư 20* 9, where a number of two digits follows
    # *thông tư* 32 times and *thông từ* 3: `thong tu 20` is *thông tư 20*), and a number the sample lacks (``năm
    # 2027`` in an index of 2006) reads as those of its shape. Completions offer syllables, never a shape.
    names: list[str]
    shapes_from: int
    total: int  # syllables in the sample
    lowest: np.ndarray  # per number (and ``unseen``): the lowest order, by how many syllables it follows
    context_counts: np.ndarray  # per number: how often a syllable follows it (how often it occurs)
    context_kinds: np.ndarray  # per number: how many different syllables follow it
    preceded_total: np.ndarray  # per number b: the sum of ``pair_preceded`` over the pairs b c
    preceded_kinds: np.ndarray  # per number b: how many pairs b c have a syllable before them
    pairs: np.ndarray  # every pair seen, sorted (int64)
    pair_counts: np.ndarray  # how often each was seen
    pair_kinds: np.ndarray  # how many different syllables follow each (at most 65,535)
    pair_preceded: np.ndarray  # how many different syllables precede each (at most 65,535)
    triples: np.ndarray  # triples seen MIN_TRIPLE_COUNT times or more, sorted (int64)
    triple_counts: np.ndarray
    fours: np.ndarray  # runs of four syllables seen MIN_FOUR_COUNT times or more, hashed (``_four_keys``), sorted
    four_counts: np.ndarray  # how often each was seen (at most 65,535)
    fives: np.ndarray  # runs of five seen MIN_FIVE_COUNT times or more, hashed so (``_run_keys``), sorted
    five_counts: np.ndarray
    # Bits (``np.packbits``): per pair (``pairs``), and per number for a pair the model lacks, a phrase ending on it
    # is inside a clause, seldom at its end (``ends_phrase``); per pair, the sample writes it mostly across a clause's
    # end, and per triple (``triples``) across one between its second and third (``in_one_clause``).
    pair_inner: np.ndarray
    syllable_inner: np.ndarray
    pair_across: np.ndarray
    triple_across: np.ndarray

    @property
    def unseen(self) -> int:
        """The number of any syllable the sample lacks: in no pair or triple."""
        return len(self.lowest) - 1

    def restore(self, syllables: list[str]) -> list[str]:
        """The most likely accented spelling of unaccented syllables, a whole text (``ended``), each chosen in the
        light of its neighbours.

        A syllable the sample never holds is kept as typed. See :meth:`best`.
        """
        return self.best(self.candidates(syllables), ended=True)

    def candidates(self, syllables: list[str]) -> list[list[tuple[str, float]]]:
        """Each syllable's accented forms in the sample, as :meth:`best` takes them. The forms are keyed by the
        unaccented spelling, so a syllable typed with diacritics (pasted half-accented text), like one the sample
        lacks, is its own only candidate."""
        return [[(form, 0.0) for form in self.forms.get(s) or (s,)] for s in syllables]

    def number(self, form: str) -> int | None:
        """A syllable's number in the model; None when the sample lacks it."""
        at = bisect.bisect_left(self.names, form)
        return at + 1 if at < len(self.names) and self.names[at] == form else None

    def occurrences(self, form: str) -> int:
        """How often the sample holds a syllable."""
        number = self.number(form)
        return 0 if number is None else int(self.context_counts[number])

    def pair_count(self, first: str, second: str) -> int:
        """How often the sample holds two syllables side by side."""
        a, b = self.number(first), self.number(second)
        if a is None or b is None:
            return 0
        at = _place(self.pairs, a << NUMBER_BITS | b)
        return 0 if at is None else int(self.pair_counts[at])

    def holds(self, syllables: Sequence[str]) -> bool:
        """Whether the sample holds each of these syllables beside the next (one: the syllable at all)."""
        if len(syllables) == 1:
            return self.occurrences(syllables[0]) > 0
        return all(self.pair_count(*pair) for pair in itertools.pairwise(syllables))

    def beside(
        self, before: Sequence[str], forms: Sequence[str], after: Sequence[str]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For each of ``forms``: the most times the sample holds one of ``before`` just before it, the most times it
        holds one of ``after`` just after it (0 where there are none), and how often it holds it; from one look-up
        of the pairs."""
        numbers = self._numbers(forms)
        given = self._pairs_seen(self._numbers(before), numbers).max(axis=0, initial=0)
        then = self._pairs_seen(numbers, self._numbers(after)).max(axis=1, initial=0)
        return given, then, self.context_counts[numbers]

    def _numbers(self, forms: Sequence[str]) -> np.ndarray:
        return np.array([self._number(form) for form in forms], dtype=np.int64)

    def _pairs_seen(self, first: np.ndarray, second: np.ndarray) -> np.ndarray:
        """How often the sample holds each of the numbers ``first`` before each of ``second`` (a 2-D array)."""
        (counts,) = _lookup(self.pairs, (first[:, None] << NUMBER_BITS | second[None, :]).ravel(), self.pair_counts)
        known = (first[:, None] != self.unseen) & (second[None, :] != self.unseen)
        return np.where(known, counts.reshape(len(first), len(second)), 0)

    def triple_count(self, first: str, second: str, third: str) -> int:
        """How often the sample holds three syllables in a row; 0 also for a triple seen fewer than
        MIN_TRIPLE_COUNT times (the model keeps no rarer one)."""
        numbers = [self.number(form) for form in (first, second, third)]
        if None in numbers:
            return 0
        a, b, c = numbers
        (count,) = _lookup(self.triples, np.array([(a << NUMBER_BITS | b) << NUMBER_BITS | c]), self.triple_counts)
        return int(count[0])

    def ends_phrase(self, before: str, last: str) -> bool:
        """Whether a phrase may end on the syllables ``before last``: the sample ends a clause after them at least
        PHRASE_END_SHARE of the times it writes them (``hà nội``, ``phù hợp``), unlike ``hà nội đã`` or ``hợp
        với``. A pair seen fewer than PHRASE_SEEN times is judged by its last syllable alone; a syllable the sample
        lacks or seldom holds may end one."""
        last_number = self.number(last)
        if last_number is None:
            return True
        before_number = self.number(before)
        at = None if before_number is None else _place(self.pairs, before_number << NUMBER_BITS | last_number)
        return not (_bit(self.syllable_inner, last_number) if at is None else _bit(self.pair_inner, at))

    def in_one_clause(self, first: str, before: str, after: str) -> bool:
        """Whether the sample writes ``after`` after ``first before`` within a clause at least as often as across a
        clause's end: *Hà Nam* is followed by *Bắc* in lists (*Hà Nam, Bắc Ninh*), which a phrase offered does not
        run across, though *nam bắc* is mostly one clause's (*hai miền Nam Bắc*). Judged by the last two where the
        model keeps no such triple; True for a pair it lacks."""
        numbers = [self.number(form) for form in (first, before, after)]
        if numbers[1] is None or numbers[2] is None:
            return True
        pair = numbers[1] << NUMBER_BITS | numbers[2]
        if numbers[0] is not None:
            at = _place(self.triples, numbers[0] << 2 * NUMBER_BITS | pair)
            if at is not None:
                return not _bit(self.triple_across, at)
        at = _place(self.pairs, pair)
        return at is None or not _bit(self.pair_across, at)

    def followers(
        self, form: str, starting: Sequence[str] = ("",), limit: int | None = None, freely: bool = False
    ) -> list[tuple[str, int]]:
        """The syllables seen after ``form`` (a pair seen MIN_PAIR_COUNT times or more) that start with one of
        ``starting``, the most frequent first (the first ``limit`` of them). ``freely``: each with, and ranked by,
        how many different syllables the sample has before the pair (its continuation count, as Kneser-Ney weighs a
        pair with no context), so that a pair mostly written as the end of a longer word ranks low: *gia vào* (172
        times, after 3 syllables: *tham gia vào*) after *gia vị* (162, after 66)."""
        number = self.number(form)
        if number is None:
            return []
        ranks = self.pair_preceded if freely else None
        return self._following(self.pairs, self.pair_counts, number, MIN_PAIR_COUNT, starting, limit, ranks)

    def followers_of_pair(
        self,
        first: str,
        second: str,
        starting: Sequence[str] = ("",),
        limit: int | None = None,
        after: int = TRIPLE_AFTER,
    ) -> list[tuple[str, int]]:
        """The syllables seen after ``first second`` (a triple seen MIN_TRIPLE_COUNT times or more) that start with
        one of ``starting``, the most frequent first (the first ``limit``); empty when the pair is rarer than
        ``after``."""
        a, b = self.number(first), self.number(second)
        if a is None or b is None:
            return []
        pair = a << NUMBER_BITS | b
        (count,) = _lookup(self.pairs, np.array([pair]), self.pair_counts)
        if count[0] < after:
            return []
        return self._following(self.triples, self.triple_counts, pair, MIN_TRIPLE_COUNT, starting, limit)

    def followers_of_three(
        self, first: str, second: str, third: str, limit: int | None = None
    ) -> list[tuple[str, int]] | None:
        """The syllables seen after ``first second third`` (four in a row seen MIN_FOUR_COUNT times or more), the most
        frequent first (the first ``limit``). None when too little is known of what follows the three, and the last
        two decide: the sample holds them together less than MIN_TRIPLE_COUNT times, or less than TRIPLE_AFTER times
        and never with the same fourth twice. Else what was seen after them twice, which may be nothing: three words
        the index has together often, no fourth of them twice.

        What follows a pair is not always what follows it after a third word: *nhân dân* is followed by *tệ* and
        *việt*, *ban nhân dân* by *thành* and *tỉnh*, never by either."""
        numbers = [self.number(form) for form in (first, second, third)]
        if None in numbers:
            return None
        a, b, c = numbers
        three = (a << NUMBER_BITS | b) << NUMBER_BITS | c
        (count,) = _lookup(self.triples, np.array([three]), self.triple_counts)
        if not count[0]:
            return None
        numbers = self.triples[_starting_with(self.triples, b << NUMBER_BITS | c)] & MASK
        numbers = numbers[(numbers != BOUNDARY) & (numbers < self.shapes_from)]
        (seen,) = _lookup(self.fours, _four_keys(np.full(len(numbers), three), numbers), self.four_counts)
        keep = seen >= MIN_FOUR_COUNT
        if not keep.any() and count[0] < TRIPLE_AFTER:
            return None
        return self._named(numbers[keep], seen[keep], limit)

    def seldom_after(self, words: Sequence[str], found: Iterable[tuple[str, int]]) -> set[str]:
        """Of ``found`` (syllables the sample writes after all but the first of three or four ``words``, each with
        how often), those it never writes after all of them (MIN_FOUR_COUNT or MIN_FIVE_COUNT times), though it
        would FIVE_EXPECTED times or more if the first made no difference (as often as the sample has all the words
        among the times it has the rest). *đồng nhân dân* is followed by *tệ* (a sum in yuan) 39 of the 71 times the
        sample has it, 32 of which are *hội đồng nhân dân*, never followed by *tệ*; nor is *ban nhân dân*, though
        *nhân dân tệ* is common. Nothing when the sample has the words together fewer than TRIPLE_AFTER times."""
        numbers = [self.number(form) for form in words]
        found = list(found)
        if len(numbers) not in (3, 4) or None in numbers or not found:
            return set()
        a, b, c, *fourth = numbers
        first_three = (a << NUMBER_BITS | b) << NUMBER_BITS | c
        if fourth:
            (seen,) = _lookup(self.fours, _four_keys(np.array([first_three]), np.array(fourth)), self.four_counts)
            together, rest = int(seen[0]), self.triple_count(*words[1:])
            keys, counts, least = self.fives, self.five_counts, self._least_kept[1]
        else:
            together, rest = self.triple_count(*words), self.pair_count(*words[1:])
            keys, counts, least = self.fours, self.four_counts, self._least_kept[0]
        if together < TRIPLE_AFTER or not rest:
            # Seen together too seldom to tell: *hóa thanh thiếu* is *văn hóa thanh thiếu nhi* 6 times in 7, and *cảm
            # hóa thanh thiếu niên* is news too.
            return set()
        share = min(1.0, together / rest)  # a four's hash may be another's
        # A table cut to FOURS_KEPT or FIVES_KEPT lacks runs seen more than twice: as much more is wanted.
        unlikely = [form for form, count in found if count * share >= FIVE_EXPECTED * least / MIN_FIVE_COUNT]
        if not unlikely:
            return set()
        after = np.array([self._number(form) for form in unlikely], dtype=np.int64)
        if fourth:
            after |= fourth[0] << NUMBER_BITS
        (seen,) = _lookup(keys, _four_keys(np.full(len(after), first_three), after), counts)
        return {form for form, count in zip(unlikely, seen.tolist(), strict=True) if not count}

    @functools.cached_property
    def _least_kept(self) -> tuple[int, int]:
        """The fewest times a run of four, and of five, kept was seen (MIN_FOUR_COUNT and MIN_FIVE_COUNT at least)."""
        kept = ((self.four_counts, MIN_FOUR_COUNT), (self.five_counts, MIN_FIVE_COUNT))
        return tuple(max(least, int(counts.min())) if len(counts) else least for counts, least in kept)

    def _following(
        self,
        keys: np.ndarray,
        counts: np.ndarray,
        prefix: int,
        least: int,
        starting: Sequence[str],
        limit: int | None,
        ranks: np.ndarray | None = None,
    ) -> list[tuple[str, int]]:
        # In NumPy, then a string for each one kept: a common word ("và") is followed by thousands of syllables, and
        # a completion wants those starting with a letter or two. Numbers are in alphabetical order, so the syllables
        # starting alike have consecutive numbers, and equal counts stay in alphabetical order.
        at = _starting_with(keys, prefix)
        numbers, seen = keys[at] & MASK, counts[at]
        keep = (seen >= least) & (numbers != BOUNDARY) & (numbers < self.shapes_from)
        if tuple(starting) != ("",):
            within = np.zeros(len(numbers), dtype=bool)
            for start in starting:
                first = bisect.bisect_left(self.names, start) + 1
                last = bisect.bisect_left(self.names, start + "\U0010ffff") + 1
                within |= (numbers >= first) & (numbers < last)
            keep &= within
        return self._named(numbers[keep], (seen if ranks is None else ranks[at])[keep], limit)

    def _named(self, numbers: np.ndarray, seen: np.ndarray, limit: int | None) -> list[tuple[str, int]]:
        """Syllables given by number, each with its count, the most frequent first (equal counts in the numbers'
        order, which is alphabetical), the first ``limit``."""
        order = np.argsort(-seen.astype(np.int64), kind="stable")[:limit]
        return [(self.names[int(numbers[i]) - 1], int(seen[i])) for i in order]

    def best(self, candidates: list[list[tuple[str, float]]], ended: bool = False) -> list[str]:
        """The most likely sequence, one syllable chosen among each position's candidates, each given with the log of
        its prior (0 for a spelling as typed or restored; less for a spelling slip, see ``results.correct_spelling``).
        ``ended``: the sequence is a whole text (a query), which ends where a phrase may (``UNENDED``); not the words
        before one being typed.

        The Viterbi algorithm over pairs of neighbouring candidates (the states of a trigram model).
        """
        if not candidates:
            return []
        return self._best(candidates, self._scores(candidates, ended))

    def readings(
        self, candidates: list[list[tuple[str, float]]], ended: bool = False
    ) -> tuple[list[str], list[list[float]]]:
        """The most likely sequence (:meth:`best`) and, for each position, the probability of each of its candidates
        given the whole sequence (summed over every way of choosing the others: the forward-backward algorithm over
        the same states), from one look-up of the counts."""
        if not candidates:
            return [], []
        scores = self._scores(candidates, ended)
        return self._best(candidates, scores), self._chances(scores)

    def _number(self, form: str) -> int:
        """A candidate's number: ``unseen`` for a syllable the sample lacks."""
        number = self.number(form)
        return self.unseen if number is None else number

    def _shape(self, form: str) -> int:
        """A candidate's shape's number for a syllable with a digit (``names``), else its own number."""
        shape = number_shape(form, padded=True)
        return self._number(form if shape == form else SHAPE_MARK + shape)

    @staticmethod
    def _best(candidates: list[list[tuple[str, float]]], scores: list[np.ndarray]) -> list[str]:
        best = np.zeros((1, 1))  # best[p, c]: the best log probability of a sequence whose last two are p and c
        back = []
        for score in scores:
            total = best[:, :, None] + score
            back.append(total.argmax(axis=0))
            best = total.max(axis=0)
        previous, last = np.unravel_index(int(best.argmax()), best.shape)
        chosen = [int(last), int(previous)]
        for came_from in reversed(back[2:]):
            chosen.append(int(came_from[chosen[-1], chosen[-2]]))
        chosen = chosen[: len(candidates)][::-1]
        return [forms[at][0] for forms, at in zip(candidates, chosen, strict=True)]

    @staticmethod
    def _chances(scores: list[np.ndarray]) -> list[list[float]]:
        forward = [np.zeros((1, 1))]  # forward[i][p, c]: log probability of the first i syllables ending in p, c
        for score in scores:
            forward.append(np.logaddexp.reduce(forward[-1][:, :, None] + score, axis=0))
        backward = [np.zeros(forward[-1].shape)]  # the same from the end: of what follows, given the last two
        for score in reversed(scores[1:]):
            backward.append(np.logaddexp.reduce(score + backward[-1][None, :, :], axis=2))
        backward.reverse()
        chances = []
        for ahead, behind in zip(forward[1:], backward, strict=True):
            joint = np.logaddexp.reduce(ahead + behind, axis=0)
            chances.append(np.exp(joint - np.logaddexp.reduce(joint)).tolist())
        return chances

    def _scores(self, candidates: list[list[tuple[str, float]]], ended: bool = False) -> list[np.ndarray]:
        """For each position i, the log probability of each of its candidates after each pair of candidates of the
        two positions before it (shape: before-before, before, this), the candidate's prior added; ``ended``, the
        last position's times how likely the text is to end after each pair of it and the one before (``_ending``).

        The counts the model needs are looked up all at once.
        """
        # A query is seldom the start of a text: the first syllable is chosen by its frequency, and the second
        # given the first only (before them, a syllable the model has never seen).
        start = np.array([self.unseen])
        numbers = [start, start]
        numbers.extend(np.array([self._number(form) for form, _ in forms]) for forms in candidates)
        triples = _triples(numbers)
        shapes = [triple.shape for triple in triples]
        # A triple holding a number is also read with the number's shape (``names``), the two halves mixed: a number
        # given the two before it as P(shape | the two) P(number | shape).
        as_shapes = numbers[:2] + [
            np.array([self._shape(form) for form, _ in forms]) if DIGIT_RE.search(forms[0][0]) else number
            for forms, number in zip(candidates, numbers[2:], strict=True)
        ]
        shaped_at = [shaped is not number for shaped, number in zip(as_shapes, numbers, strict=True)]
        given = self._given(
            triples,
            [_triples(as_shapes[i : i + 3])[0] if any(shaped_at[i : i + 3]) else None for i in range(len(triples))],
        )
        # A number of one digit is read as either of its writings, as typed or padded with a zero, their
        # probabilities summed: a document's number is written padded (*thông tư 02*) and typed without (`thong tu
        # 2`), where a count is written as typed (*từ 2*).
        padded = [i for i, forms in enumerate(candidates) if len(forms) == 1 and _one_digit(forms[0][0])]
        if padded:
            starts = np.cumsum([0] + [triple.size for triple in triples])
            as_padded, shaped = [], []
            for i in padded:
                written = "0" + candidates[i][0][0]
                as_padded.append(_triples([numbers[i], numbers[i + 1], np.array([self._number(written)])])[0])
                shaped.append(_triples([as_shapes[i], as_shapes[i + 1], np.array([self._shape(written)])])[0])
            places = np.concatenate([np.arange(starts[i], starts[i + 1]) for i in padded])
            given[places] += self._given(as_padded, shaped)
        scores = np.split(np.log(given), np.cumsum([math.prod(shape) for shape in shapes])[:-1])
        scores[0] = np.log((self.context_counts[numbers[2]] + 0.5) / (self.total + 0.5))
        scores = [
            score.reshape(shape) + np.array([prior for _, prior in forms])
            for forms, shape, score in zip(candidates, shapes, scores, strict=True)
        ]
        if ended and len(candidates) > 1:
            scores[-1] = scores[-1] + self._ending(numbers[-2], numbers[-1])[None, :, :]
        return scores

    def _ending(self, before: np.ndarray, last: np.ndarray) -> np.ndarray:
        """The log of how likely a text is to end on each pair of ``before`` and ``last`` (syllables' numbers): 0
        where a phrase may end on them, log UNENDED where it seldom does (``_inner``)."""
        return np.where(self._inner(before, last), math.log(UNENDED), 0.0)

    def _inner(self, before: np.ndarray, last: np.ndarray) -> np.ndarray:
        """For each pair of ``before`` and ``last`` (syllables' numbers, ``unseen`` for one the sample lacks),
        whether the sample seldom ends a clause after it: ``ends_phrase``'s answer negated, every pair in one lookup
        (``ends_phrase`` reads one pair a few times faster, as a completion asks it, one at a time)."""
        keys = (before[:, None].astype(np.int64) << NUMBER_BITS | last[None, :]).ravel()
        at = np.minimum(np.searchsorted(self.pairs, keys), max(len(self.pairs) - 1, 0))
        found = self.pairs[at] == keys if len(self.pairs) else np.zeros(len(keys), dtype=bool)
        seconds = np.broadcast_to(last[None, :], (len(before), len(last))).ravel()
        alone = np.where(seconds < self.unseen, _bits(self.syllable_inner, np.minimum(seconds, self.unseen)), 0)
        return (np.where(found, _bits(self.pair_inner, at), alone) == 1).reshape(len(before), len(last))

    def _given(self, triples: list[np.ndarray], shaped: list[np.ndarray | None]) -> np.ndarray:
        """The probability of each triple's third syllable given its first two, all positions' triples flattened in
        turn; where a position's triples hold a number, mixed with them read with its shape (``shaped``, else
        None)."""
        wanted = np.concatenate([triple.ravel() for triple in triples])
        near = [i for i, triple in enumerate(shaped) if triple is not None]
        if not near:
            return self._given_two(wanted)
        starts = np.cumsum([0] + [triple.size for triple in triples])
        places = np.concatenate([np.arange(starts[i], starts[i + 1]) for i in near])
        as_shapes = np.concatenate([shaped[i].ravel() for i in near])
        given, given_shaped = np.split(self._given_two(np.concatenate([wanted, as_shapes])), [len(wanted)])
        number, shape = wanted[places] & MASK, as_shapes & MASK
        in_shape = np.where(
            number == shape, 1.0, (self.context_counts[number] + 0.5) / (self.context_counts[shape] + 0.5)
        )
        given[places] = (1 - SHAPE_WEIGHT) * given[places] + SHAPE_WEIGHT * in_shape * given_shaped
        return given

    def _given_two(self, wanted: np.ndarray) -> np.ndarray:
        """The probability of each triple's third syllable given its first two."""
        second, third = wanted >> NUMBER_BITS & MASK, wanted & MASK
        # Interpolated Kneser-Ney: P(c | a b) from the triple's count, interpolated with P(c | b) from how many
        # syllables precede the pair, and that with P_lowest(c). When the context a b was never seen (a query's
        # start, a syllable the sample lacks), nothing is known of a: P(c | b) is then the pair's own frequency
        # (discounted towards P_lowest(c) the same way), what follows b whatever came before it.
        lowest = self.lowest[third]
        ends = second << NUMBER_BITS | third
        pair_count, preceded = _lookup(self.pairs, ends, self.pair_counts, self.pair_preceded)
        given_one = _discounted(preceded, self.preceded_kinds[second], self.preceded_total[second], lowest, lowest)
        given_one_alone = _discounted(
            pair_count, self.context_kinds[second], self.context_counts[second], lowest, lowest
        )
        count, kinds = _lookup(self.pairs, wanted >> NUMBER_BITS, self.pair_counts, self.pair_kinds)
        (triple_count,) = _lookup(self.triples, wanted, self.triple_counts)
        return _discounted(triple_count, kinds, count, given_one, given_one_alone)


def number_shape(form: str, padded: bool = False) -> str:
    """A syllable's shape in the model: each digit a 0; with ``padded``, a first zero followed by a digit
    PADDED_SHAPE (a number padded with a zero is a document's or a date's, *thông tư 02*, one of its digits a count's
    or an order's, *từ 2*).

    >>> [number_shape(form) for form in ("2", "20", "02", "2006", "u23", "hà")]
    ['0', '00', '00', '0000', 'u00', 'hà']
    >>> [number_shape(form, padded=True) for form in ("2", "20", "02", "002")]
    ['0', '00', 'z0', 'z00']
    """
    shape = DIGIT_RE.sub("0", form)
    return PADDED_SHAPE + shape[1:] if padded and form[:1] == "0" and form[1:2].isdigit() else shape


def _one_digit(form: str) -> bool:
    return len(form) == 1 and form in "0123456789"


def _triples(numbers: list[np.ndarray]) -> list[np.ndarray]:
    """Each position's triples: each pair of candidates of the two positions before it, and each of its own."""
    contexts = [numbers[i][:, None] << NUMBER_BITS | numbers[i + 1][None, :] for i in range(len(numbers) - 2)]
    return [context[:, :, None] << NUMBER_BITS | numbers[i + 2] for i, context in enumerate(contexts)]


def _aligned(keys: np.ndarray, found: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """``counts`` of some of the sorted ``keys`` (``found``, sorted, each one of them), as an array aligned with all
    of the keys: 0 for a key not found."""
    aligned = np.zeros(len(keys), dtype=counts.dtype)
    aligned[np.searchsorted(keys, found)] = counts
    return aligned


def _place(keys: np.ndarray, key: int) -> int | None:
    """Where ``key`` stands in the sorted ``keys``; None when it is not there."""
    at = int(np.searchsorted(keys, key))
    return at if at < len(keys) and keys[at] == key else None


def _bit(bits: np.ndarray, at: int) -> bool:
    """Bit ``at`` of an array ``np.packbits`` made."""
    return bool(bits[at >> 3] >> (7 - (at & 7)) & 1)


def _bits(bits: np.ndarray, at: np.ndarray) -> np.ndarray:
    """Bits ``at`` (each a place) of an array ``np.packbits`` made, as 0 and 1."""
    if not len(bits):
        return np.zeros(len(at), dtype=np.uint8)
    return bits[at >> 3] >> (7 - (at & 7)).astype(np.uint8) & 1


def _often(counts: np.ndarray, least: int, kept: int) -> int:
    """The smallest count, ``least`` or more, that at most ``kept`` of ``counts`` reach: the rarest are left out
    first, all those of one count together.

    >>> _often(np.array([1, 1, 2, 2, 3, 5]), 1, 4)
    2
    >>> _often(np.array([1, 1, 2, 2, 3, 5]), 1, 3)
    3
    """
    reaching = np.cumsum(np.bincount(np.minimum(counts, 1 << 16))[::-1])[::-1]  # reaching[c]: how many are c or more
    over = np.flatnonzero(reaching > kept)
    return max(least, int(over[-1]) + 1 if len(over) else 0)


def _sixteen_bits(counts: np.ndarray) -> np.ndarray:
    """Counts as 16-bit integers, one past 65,535 counted as 65,535."""
    return np.minimum(counts, np.iinfo(np.uint16).max).astype(np.uint16)


def _discounted(
    seen: np.ndarray, kinds: np.ndarray, total: np.ndarray, lower: np.ndarray, unknown: np.ndarray
) -> np.ndarray:
    """Interpolated absolute discounting, each order of the model: a count less DISCOUNT, plus DISCOUNT for each
    different syllable seen after the context times the lower order, over the context's total; ``unknown`` where the
    context was never seen (no syllable after it)."""
    return np.where(
        kinds > 0, (np.maximum(seen - DISCOUNT, 0) + DISCOUNT * kinds * lower) / np.maximum(total, 1), unknown
    )


def _starting_with(keys: np.ndarray, prefix: int) -> slice:
    """Where in sorted ``keys`` (pairs or triples) are those whose first syllables are ``prefix`` (a number or a
    pair)."""
    low, high = np.searchsorted(keys, [prefix << NUMBER_BITS, (prefix + 1) << NUMBER_BITS])
    return slice(int(low), int(high))


def _four_keys(triples: np.ndarray, fourths: np.ndarray) -> np.ndarray:
    """Four syllables in a row (a triple's integer and the fourth's number) as a 32-bit hash: the top half of a
    multiplicative hash of the two (84 bits do not fit in one integer). Four that were never seen share a key with
    four that were about once in 4,800 look-ups on all of VNTC (894,000 keys): a completion it touches gains a
    word its neighbours make likely anyway."""
    mixed = triples.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15) + fourths.astype(np.uint64) * np.uint64(
        0xC2B2AE3D27D4EB4F
    )
    return (mixed >> np.uint64(32)).astype(np.uint32)


def _run_keys(run: np.ndarray, tokens: np.ndarray, within: np.ndarray, five: bool = False) -> np.ndarray:
    """The runs of four syllables of ``tokens`` (``five``: of five) that start where ``within`` says one lies in one
    text, each as its hash (``_four_keys``, of its first three's triple in ``run`` and the fourth's number, or the
    pair of the fourth and fifth). Hashed a slice at a time: the hash's 64-bit temporaries for all 30 million places
    at once would take most of a gigabyte more."""
    keys = np.empty(len(within), dtype=np.uint32)
    for start in range(0, len(keys), 1 << 22):
        stop = min(start + (1 << 22), len(keys))
        after = tokens[start + 3 : stop + 3]
        if five:
            after = after << NUMBER_BITS | tokens[start + 4 : stop + 4]
        keys[start:stop] = _four_keys(run[start:stop], after)
    return keys[within]


def _repeated(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The keys seen twice or more, each once, sorted, and how often each was seen; ``keys`` is sorted in place.
    Most runs of four or five are seen once: the repeats alone are counted (``np.unique`` of them all would take a
    copy of the keys and eight bytes for each different one, 200 MB more at its peak for 10 million syllables)."""
    keys.sort()
    repeats = keys[1:][keys[1:] == keys[:-1]]  # a key seen n times is here n - 1 times
    found, counts = np.unique(repeats, return_counts=True)
    return found, counts + 1


def _lookup(keys: np.ndarray, wanted: np.ndarray, *columns: np.ndarray) -> list[np.ndarray]:
    """For each column aligned with sorted ``keys``: its value at each wanted key (0 for a key not there)."""
    if not len(keys):  # an index without text
        return [np.zeros(len(wanted), dtype=column.dtype) for column in columns]
    at = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
    seen = keys[at] == wanted
    return [np.where(seen, column[at], 0) for column in columns]


class Texts(Sequence[str]):
    """Many strings held as one, in UTF-8, with where each ends: a worker's 188,000 completions (all of VNTC) are two
    objects instead of 188,000, each of which costs some 60 bytes besides its characters; and one character beyond
    Latin-1 (the ``…`` of a cut title) made a str of all of them take two bytes a character, where UTF-8 takes one
    for most of Vietnamese's (4.3 MB of keys instead of 8.5). Read like a list of str (``bisect`` too: UTF-8's byte
    order is the characters' order)."""

    __slots__ = ("_joined", "_ends")

    def __init__(self, texts: Iterable[str]) -> None:
        encoded = [text.encode("utf-8") for text in texts]
        self._joined: bytes | str = b"".join(encoded)
        self._ends = array("q", itertools.accumulate(len(text) for text in encoded))

    def __len__(self) -> int:
        return len(self._ends)

    def __getitem__(self, at):  # type: ignore[override]  # an int gives a str, a slice a list
        if isinstance(at, slice):
            return [self[i] for i in range(*at.indices(len(self)))]
        end = self._ends[at]  # raises IndexError past the end, as a list does
        if at < 0:
            at += len(self)
        text = self._joined[self._ends[at - 1] if at else 0 : end]
        # A str: a vocabulary saved by a version that joined the texts as one str, still read.
        return text.decode("utf-8") if isinstance(text, bytes) else text

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Texts):
            return list(self) == list(other)
        return list(self) == other if isinstance(other, list) else NotImplemented

    __hash__ = None  # type: ignore[assignment]


@dataclass(frozen=True)
class Vocabulary:
    """What the index holds, for completions and suggestions: accented forms by their folded spelling."""

    keys: Sequence[str]  # folded completions, sorted (``Texts``): once for each spelling kept, the commonest first
    displays: Sequence[str]  # each completion as offered, aligned with keys (``Texts``)
    frequencies: np.ndarray  # each one's document frequency (TITLE_WEIGHT for a title), aligned with keys
    syllables: Syllables  # for restoring diacritics
    # Every syllable of the titles and bodies with its document frequency, for spelling corrections: looked up in
    # memory, a correction costs a bounded number of lookups per syllable instead of a pass over the term lists.
    known: dict[str, int]
    # Per entry, its place among the words, the most frequent first (then the shorter, then by key), and among the
    # titles, the shortest first (then by key); an entry of the other kind has len(keys). A completion reads a
    # prefix's entries in these orders and stops at a page's worth, however many thousands share the prefix.
    word_ranks: np.ndarray
    title_ranks: np.ndarray
    # Words the articles write both joined and split, as (joined, first part, second part): ``email`` and ``e-mail``,
    # ``ôtô`` and ``ô tô`` (``joined_words``). A query for one writing searches both (``query.Synonyms.with_joined``).
    joined: tuple[tuple[str, str, str], ...] = ()
    # Pairs and triples of syllables the articles write as a name, each with a capital (``name_runs``: ``('cao',
    # 'bằng')`` of *Cao Bằng*). A short query's name is required whole (``query.Synonyms.name_spans``).
    names: tuple[tuple[str, ...], ...] = ()

    @functools.cached_property
    def places(self) -> tuple[tuple[str, str, str, str], ...]:
        """The names the index writes after a place's word and its letter alike (``place_names``), once per
        vocabulary: a few milliseconds of the model's counts, so a vocabulary saved before needs no rebuild."""
        return place_names(self.syllables)

    def is_word(self, syllables: Sequence[str]) -> bool:
        """Whether the index's segmentation writes these two or three syllables (lower case) as one word in at least
        ``WORD_ARTICLES`` titles and bodies, in this accenting, the likeliest of their letters': a portal's own word,
        which underthesea's list may lack (*xét tuyển*, *người dân*, *nhà đầu tư*, *cúm gà*). Looked up among the
        completions' words (a bisection), so a worker holds nothing more for it."""
        if not 2 <= len(syllables) <= 3:
            return False
        written = " ".join(syllables)
        at = bisect.bisect_left(self.keys, fold_diacritics(written))  # the commonest spelling of the key's first
        if at == len(self.keys) or self.displays[at] != written:
            return False
        count = int(self.frequencies[at])
        return count >= WORD_ARTICLES and count != TITLE_WEIGHT

    def together(self, syllables: Sequence[str]) -> bool:
        """Whether two syllables (lower case) are one word to the index: one its segmentation writes (``is_word``),
        or a pair its text holds far more often than chance would put them side by side (``TOGETHER_PMI``, seen at
        least ``TOGETHER_COUNT`` times in the model's sample): *tiếng anh*, which underthesea writes as two words, has
        a pointwise mutual information of 3.7, where *nam thái* (of *Việt Nam Thái Lan*) has 1.6."""
        if len(syllables) != 2:
            return False
        if self.is_word(syllables):
            return True
        model = self.syllables
        count = model.pair_count(*syllables)
        chance = model.occurrences(syllables[0]) * model.occurrences(syllables[1]) / max(model.total, 1)
        return count >= TOGETHER_COUNT and count >= math.exp(TOGETHER_PMI) * chance

    @functools.cached_property
    def numbered_in_roman(self) -> frozenset[str]:
        """The syllables the index numbers with Roman numerals, once per vocabulary: those the sample has at least
        ``ROMAN_KINDS`` different numerals after (*khóa IX*, *khóa X*, *khóa XI*; the *kỷ* of *thế kỷ*, the *hội* of
        *Đại hội*, *quý*, *phần*, *chương*), counting none that is also a syllable or a letter (``ROMAN_AMBIGUOUS``:
        *máy vi tính*, *xi măng*, the *V* of *V-League*), so the search looks for a number typed after them in its
        other writing too (``query.Synonyms.numbered``). Read from the model's pairs when a searcher first needs it
        (50 ms on 21,000 articles), so a vocabulary saved before needs no rebuild."""
        model = self.syllables
        numerals = [
            number
            for numeral in ROMAN_VALUES
            if numeral not in ROMAN_AMBIGUOUS and (number := model.number(numeral)) is not None
        ]
        if not numerals:
            return frozenset()
        seconds = model.pairs & MASK
        firsts = (model.pairs >> NUMBER_BITS)[np.isin(seconds, np.array(numerals, dtype=seconds.dtype))]
        syllables, kinds = np.unique(firsts, return_counts=True)
        return frozenset(
            model.names[number - 1]
            for number in syllables[kinds >= ROMAN_KINDS].tolist()
            if 0 < number <= len(model.names) and number < model.shapes_from
        )

    @functools.cached_property
    def _name_pairs(self) -> frozenset[tuple[str, ...]]:
        """The pairs of syllables side by side in the ``names``, once per vocabulary."""
        return frozenset(run[at : at + 2] for run in self.names for at in range(len(run) - 1))

    def in_one_word(self, first: str, second: str) -> bool:
        """Whether two syllables (lower case) side by side are one word or of one name to the index: a word of its
        segmentation (``is_word``: *giao thông*, *thừa thiên*) or two syllables of a name it writes with capitals
        (``names``: *phạm quang*). Unlike ``together``, no pair merely common inside a longer phrase (*nạn giao*)."""
        return (first, second) in self._name_pairs or self.is_word([first, second])

    @functools.cached_property
    def joined_letters(self) -> tuple[frozenset[str], frozenset[tuple[str, str]]]:
        """The ``joined`` words' letters without diacritics, once per vocabulary: joined (``oto``), and apart
        (``o``, ``to``)."""
        wholes = frozenset(fold_diacritics(whole) for whole, _, _ in self.joined)
        return wholes, frozenset((fold_diacritics(a), fold_diacritics(b)) for _, a, b in self.joined)

    def prefixed(self, key: str) -> tuple[int, int]:
        """The positions [start, end) of the entries whose folded key starts with ``key``."""
        start = bisect.bisect_left(self.keys, key)
        return start, bisect.bisect_left(self.keys, key + "\U0010ffff", start)

    def written_as_name(self, syllables: Sequence[str]) -> bool:
        """Whether the index's titles that start with these syllables (restored, lower case) write each of them with
        a capital, as a name (*Hà Nội*, *Sài Gòn*), more often than the first only, as a title's first words (*Cải
        cách hành chính*). The first ``FIRST_LOOK`` such titles are read, the shortest first; none: False."""
        wanted = [normalize_text(syllable) for syllable in syllables]
        start, end = self.prefixed(fold_diacritics(" ".join(wanted)))
        named = otherwise = 0
        for at in itertools.islice(self.best_first(start, end, titles=True), FIRST_LOOK):
            title = self.displays[at]
            words = split_syllables(title)[: len(wanted)]
            if [normalize_text(word.text) for word in words] != wanted:
                continue
            capitals = [title[word.start : word.start + 1].isupper() for word in words]
            named += all(capitals)
            otherwise += not any(capitals[1:])
        return named > otherwise

    def best_first(self, start: int, end: int, titles: bool = False) -> Iterator[int]:
        """The positions in [start, end) of the words, the most frequent first, or of the titles, the shortest first
        (the order of ``word_ranks``, ``title_ranks``); a caller stops when it has enough."""
        ranks = (self.title_ranks if titles else self.word_ranks)[start:end]
        none = len(self.keys)
        head = min(FIRST_LOOK, len(ranks))
        first = np.argpartition(ranks, head - 1)[:head] if 0 < head < len(ranks) else np.arange(head)
        for at in first[np.argsort(ranks[first])].tolist():
            if ranks[at] == none:
                return
            yield start + at
        if head < len(ranks):
            for at in np.argsort(ranks)[head:].tolist():
                if ranks[at] == none:
                    return
                yield start + at


def count_syllables(
    searcher: Searcher,
    lexicon: dict[str, tuple[str, int]],
    hyphened: Counter[tuple[str, str]] | None = None,
    named: Counter[tuple[str, ...]] | None = None,
) -> Syllables:
    """Count syllables, pairs, triples and runs of four in the stored text of a sample of the articles.

    The sample is the articles with the smallest fingerprints (a hash of their content), up to SAMPLE_SYLLABLES:
    the same articles give the same sample however the indexing processes numbered them. ``lexicon`` (unaccented
    syllable → most frequent accented form in the whole index) stands in for the syllables the sample does not hold.
    ``hyphened``, when given, counts the sample's letters joined by a hyphen (``count_hyphened``), and ``named`` its
    pairs and triples of words written as a name (``count_names``).
    """
    reader = searcher.reader()
    if reader.has_column("fingerprint"):
        fingerprints = reader.column_reader("fingerprint")
        sample = [docnum for _fingerprint, docnum in sorted((fingerprints[d], d) for d in reader.all_doc_ids())]
    else:
        sample = list(reader.all_doc_ids())
    # Each text as it is, lower-cased, each syllable given a provisional number in order of appearance; then the few
    # syllables written with another tone placement are moved to the usual one (normalising every occurrence in the
    # text first takes half the time), and every syllable gets its number in the sorted list.
    # A new syllable's number is how many there were before it: the dict numbers it itself, in C (``map`` below), a
    # third of the time of a ``setdefault`` for each of 30 million syllables.
    provisional: defaultdict[str, int] = defaultdict()
    provisional.default_factory = provisional.__len__
    provisional[""] = BOUNDARY
    text = array("i")  # 32 bits: 30 million syllables take 120 MB
    for docnum in sample:
        if len(text) >= SAMPLE_SYLLABLES:
            break
        stored = reader.stored_fields(docnum)
        for fieldname in TEXT_FIELDS:
            written = stored.get(fieldname) or ""
            normalized = normalize_with_offsets(written).text
            syllables = SYLLABLE_ENDING_RE.findall(normalized)  # *nội,* ends its clause
            if hyphened is not None:
                count_hyphened(normalized, hyphened)
            if named is not None:
                count_names(written, named, headline=fieldname != "body")
            if syllables:
                text.append(BOUNDARY)
                text.extend(map(provisional.__getitem__, syllables))
    text.append(BOUNDARY)
    # A token that ends its clause is its syllable with what ends it (``SYLLABLE_ENDING_RE``): read as the syllable,
    # and the place where it stands as a clause's end, as is each text's last.
    bare = [token.rstrip(CLAUSE_MARKS).rstrip() for token in provisional]
    ending = np.array([len(token) < len(written) for token, written in zip(bare, provisional, strict=True)])
    places = np.frombuffer(text, dtype=np.int32)
    clause_ends = ending[places]
    clause_ends[:-1] |= places[1:] == BOUNDARY
    clause_ends &= places != BOUNDARY
    del ending, places
    normal = [normalize_syllable(syllable) for syllable in bare]
    counts: Counter[str] = Counter()
    occurrences = np.bincount(np.frombuffer(text, dtype=np.int32), minlength=len(normal))
    for syllable, count in zip(normal, occurrences.tolist(), strict=True):
        counts[syllable] += count
    del counts[""]
    by_folded: defaultdict[str, list[tuple[str, int]]] = defaultdict(list)
    for syllable, count in counts.items():
        by_folded[fold_diacritics(syllable)].append((syllable, count))
    # Letters that Vietnamese spelling never writes so (``ngiep``: ``keyboard.misspelt``) have no accented form: what
    # the sample writes so is a slip (*ngiệp*, for *nghiệp*), never the reading to restore or search, and a slip of
    # theirs is mended by the suggestions (``results.restore_slips``).
    forms = {}
    for key, found in by_folded.items():
        if misspelt(key):
            continue
        least = FORM_SHARE * sum(count for _, count in found)
        ranked = sorted(found, key=lambda f: (-f[1], f[0]))[:FORMS_KEPT]
        forms[key] = tuple(form for form, count in ranked if count >= least)
    # A syllable the sample lacks is read as the lexicon's form; it has no number (none of its pairs was counted).
    for key, (form, _count) in lexicon.items():
        if not misspelt(key):
            forms.setdefault(key, (form,))
    # A syllable that is its own only form is read as typed without an entry (``Syllables.candidates``): most of an
    # index's syllables are names, foreign words and slips written one way (95,000 of all VNTC's 106,000), and a
    # worker held them for nothing, about 15 MB.
    forms = {key: found for key, found in forms.items() if found != (key,)}
    # Numbered in alphabetical order; the most frequent kept if there are more than the numbers can hold (never so in
    # news text).
    ranked = sorted(counts, key=lambda s: (-counts[s], s))
    shape_names = sorted(
        {
            SHAPE_MARK + number_shape(s, padded)
            for s in ranked[: MASK - 2]
            if DIGIT_RE.search(s)
            for padded in (False, True)
        }
    )
    names = sorted(ranked[: MASK - 2 - len(shape_names)]) + shape_names
    numbers = {syllable: number for number, syllable in enumerate(names, start=1)}
    shapes_from = len(names) - len(shape_names) + 1
    unseen = len(numbers) + 1
    # A number's shape's number, any other syllable's own. A number padded with a zero is counted twice: in its
    # shape with the numbers of as many digits (``shaped_as``, ``00``: a number of two digits after *thông tư* is
    # one whichever way it is written), and in its padded shape (``padded_as``, ``z0``).
    shaped_as = np.arange(unseen + 1, dtype=np.int64)
    padded_as = shaped_as.copy()
    for number, syllable in enumerate(names[: shapes_from - 1], start=1):
        shape, padded = number_shape(syllable), number_shape(syllable, padded=True)
        if shape != syllable:
            shaped_as[number] = padded_as[number] = numbers[SHAPE_MARK + shape]
        if padded != shape:  # ``00`` too, its own shape
            padded_as[number] = numbers[SHAPE_MARK + padded]
    numbered = np.array([numbers.get(syllable, BOUNDARY) for syllable in normal], dtype=np.int64)
    tokens = numbered[np.frombuffer(text, dtype=np.int32)]
    del text, numbered
    shaped_pairs, shaped_triples = _shaped_runs(tokens, shaped_as, shaped_as != np.arange(len(shaped_as)))
    padded_pairs, padded_triples = _shaped_runs(tokens, padded_as, padded_as != shaped_as)
    shaped_pairs = np.concatenate([shaped_pairs, padded_pairs])
    shaped_triples = np.concatenate([shaped_triples, padded_triples])
    del padded_pairs, padded_triples
    pairs, pair_counts = np.unique(tokens[:-1] << NUMBER_BITS | tokens[1:], return_counts=True)
    run = (tokens[:-2] << NUMBER_BITS | tokens[1:-1]) << NUMBER_BITS | tokens[2:]  # the triple at each place
    # Four and five in a row within one text (no boundary among them).
    within = (tokens[:-3] != BOUNDARY) & (tokens[1:-2] != BOUNDARY) & (tokens[2:-1] != BOUNDARY)
    within &= tokens[3:] != BOUNDARY
    four_keys = _run_keys(run, tokens, within)
    five_keys = _run_keys(run, tokens, within[:-1] & (tokens[4:] != BOUNDARY), five=True)
    del within
    # How often each pair and each syllable ends a clause.
    ends_at = np.flatnonzero(clause_ends)
    del clause_ends
    syllable_ends = np.bincount(tokens[ends_at], minlength=unseen + 1)
    across = ends_at[(ends_at + 1 < len(tokens))]
    across = across[(tokens[across] != BOUNDARY) & (tokens[across + 1] != BOUNDARY)]
    pairs_across, pairs_across_counts = np.unique(
        tokens[across] << NUMBER_BITS | tokens[across + 1], return_counts=True
    )
    across = across[(across > 0) & (tokens[np.maximum(across - 1, 0)] != BOUNDARY)]
    triples_across, triples_across_counts = np.unique(run[across - 1], return_counts=True)  # between 2nd and 3rd
    ends_at = ends_at[(ends_at > 0) & (tokens[np.maximum(ends_at - 1, 0)] != BOUNDARY)]
    pair_ends, pair_ends_counts = np.unique(tokens[ends_at - 1] << NUMBER_BITS | tokens[ends_at], return_counts=True)
    del tokens, ends_at, across
    fours, four_counts = _repeated(four_keys)
    fives, five_counts = _repeated(five_keys)
    del four_keys, five_keys
    often = four_counts >= _often(four_counts, MIN_FOUR_COUNT, FOURS_KEPT)
    five_often = five_counts >= _often(five_counts, MIN_FIVE_COUNT, FIVES_KEPT)
    triples, triple_counts = np.unique(run, return_counts=True)
    del run
    # Every context and every end of a triple is a pair.
    contexts, kinds = np.unique(triples >> NUMBER_BITS, return_counts=True)
    pair_kinds = _aligned(pairs, contexts, _sixteen_bits(kinds))
    ends, before = np.unique(triples & (1 << 2 * NUMBER_BITS) - 1, return_counts=True)
    pair_preceded = _aligned(pairs, ends, _sixteen_bits(before))
    least_triple, least_pair = _often(triple_counts, MIN_TRIPLE_COUNT, TRIPLES_KEPT), _often(pair_counts, 1, PAIRS_KEPT)
    frequent, kept = triple_counts >= least_triple, pair_counts >= least_pair
    firsts, seconds = pairs >> NUMBER_BITS, pairs & MASK
    follows = np.bincount(seconds, minlength=unseen + 1).astype(np.float64)
    context_counts = np.bincount(firsts, weights=pair_counts, minlength=unseen + 1)  # each syllable's occurrences
    context_kinds = np.bincount(firsts, minlength=unseen + 1).astype(np.float64)
    preceded_total = np.bincount(firsts, weights=pair_preceded, minlength=unseen + 1)
    preceded_kinds = np.bincount(firsts[pair_preceded > 0], minlength=unseen + 1).astype(np.float64)
    syllable_inner = (context_counts >= PHRASE_SEEN) & (syllable_ends < PHRASE_END_SHARE * context_counts)
    ended = _aligned(pairs, pair_ends, pair_ends_counts)
    pair_inner = np.where(pair_counts >= PHRASE_SEEN, ended < PHRASE_END_SHARE * pair_counts, syllable_inner[seconds])
    crossing = _aligned(pairs, pairs_across, pairs_across_counts)
    triples_crossing = _aligned(triples, triples_across, triples_across_counts)
    # The shapes' pairs and triples beside the syllables', each shape's totals from its own pairs; the phrase and
    # clause bits, for completions, are never asked of a shape.
    shaped = _ShapedCounts(shaped_pairs, shaped_triples, shapes_from)
    # Kept by the same bounds as the syllables' (a few more pairs and triples than those allow).
    shaped_kept, shaped_frequent = shaped.pair_counts >= least_pair, shaped.triple_counts >= least_triple
    first_shaped = shaped.firsts >= shapes_from
    shape_firsts = shaped.firsts[first_shaped]
    follows += np.bincount(shaped.seconds[shaped.seconds >= shapes_from], minlength=unseen + 1)
    context_counts += np.bincount(shape_firsts, weights=shaped.pair_counts[first_shaped], minlength=unseen + 1)
    context_kinds += np.bincount(shape_firsts, minlength=unseen + 1)
    preceded_total += np.bincount(shape_firsts, weights=shaped.pair_preceded[first_shaped], minlength=unseen + 1)
    preceded_kinds += np.bincount(shape_firsts[shaped.pair_preceded[first_shaped] > 0], minlength=unseen + 1)
    all_pairs = np.concatenate([pairs[kept], shaped.pairs[shaped_kept]])
    pair_order = np.argsort(all_pairs, kind="stable")
    all_triples = np.concatenate([triples[frequent], shaped.triples[shaped_frequent]])
    triple_order = np.argsort(all_triples, kind="stable")
    pair_bits = np.zeros(len(all_pairs) - int(kept.sum()), dtype=bool)  # a shape's
    triple_bits = np.zeros(len(all_triples) - int(frequent.sum()), dtype=bool)

    def pair_column(column: np.ndarray, shapes: np.ndarray) -> np.ndarray:
        return np.concatenate([column[kept], shapes])[pair_order]

    def triple_column(column: np.ndarray, shapes: np.ndarray) -> np.ndarray:
        return np.concatenate([column[frequent], shapes])[triple_order]

    return Syllables(
        forms,
        names,
        shapes_from,
        sum(counts.values()),
        lowest=(follows + 0.5) / (follows.sum() + 0.5 * len(follows)),
        context_counts=context_counts,
        context_kinds=context_kinds,
        preceded_total=preceded_total,
        preceded_kinds=preceded_kinds,
        pairs=all_pairs[pair_order],
        pair_counts=pair_column(pair_counts, shaped.pair_counts[shaped_kept]).astype(np.uint32),
        pair_kinds=pair_column(pair_kinds, shaped.pair_kinds[shaped_kept]),
        pair_preceded=pair_column(pair_preceded, shaped.pair_preceded[shaped_kept]),
        triples=all_triples[triple_order],
        # 16 bits: the commonest triple of all of VNTC is seen 10,203 times; one seen more often counts 65,535 times.
        triple_counts=_sixteen_bits(triple_column(triple_counts, shaped.triple_counts[shaped_frequent])),
        fours=fours[often],
        four_counts=_sixteen_bits(four_counts[often]),
        fives=fives[five_often],
        five_counts=_sixteen_bits(five_counts[five_often]),
        pair_inner=np.packbits(pair_column(pair_inner, pair_bits)),
        syllable_inner=np.packbits(syllable_inner),
        pair_across=np.packbits(pair_column(2 * crossing > pair_counts, pair_bits)),
        triple_across=np.packbits(triple_column(2 * triples_crossing > triple_counts, triple_bits)),
    )


def _shaped_runs(tokens: np.ndarray, shaped_as: np.ndarray, holding: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every pair and every triple of the text (``tokens``) that holds one of the numbers ``holding`` (a mask), each
    number as its shape (``shaped_as``), as integers (one for each place, unsorted)."""
    at = np.flatnonzero(holding[tokens])
    starts = np.unique(np.concatenate([at - 1, at]))
    starts = starts[(starts >= 0) & (starts < len(tokens) - 1)]
    pairs = shaped_as[tokens[starts]] << NUMBER_BITS | shaped_as[tokens[starts + 1]]
    starts = np.unique(np.concatenate([at - 2, at - 1, at]))
    starts = starts[(starts >= 0) & (starts < len(tokens) - 2)]
    triples = (shaped_as[tokens[starts]] << NUMBER_BITS | shaped_as[tokens[starts + 1]]) << NUMBER_BITS
    return pairs, triples | shaped_as[tokens[starts + 2]]


class _ShapedCounts:
    """The counts of pairs and triples that hold a shape (``_shaped_runs``), and each pair's Kneser-Ney totals
    where the pair holds the shape: how many syllables follow it in a triple, how many precede it. A triple whose
    first two are syllables tells of the shape after them (its count), not of their pair, whose totals the syllables'
    own triples give."""

    def __init__(self, pairs: np.ndarray, triples: np.ndarray, shapes_from: int) -> None:
        self.pairs, self.pair_counts = np.unique(pairs, return_counts=True)
        self.triples, self.triple_counts = np.unique(triples, return_counts=True)
        self.firsts, self.seconds = self.pairs >> NUMBER_BITS, self.pairs & MASK
        contexts, kinds = np.unique(self.triples >> NUMBER_BITS, return_counts=True)
        holding = (contexts >> NUMBER_BITS >= shapes_from) | (contexts & MASK >= shapes_from)
        self.pair_kinds = _aligned(self.pairs, contexts[holding], _sixteen_bits(kinds[holding]))
        ends, before = np.unique(self.triples & (1 << 2 * NUMBER_BITS) - 1, return_counts=True)
        holding = (ends >> NUMBER_BITS >= shapes_from) | (ends & MASK >= shapes_from)
        self.pair_preceded = _aligned(self.pairs, ends[holding], _sixteen_bits(before[holding]))


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
    rows: dict[str, list[tuple[str, int]]] = {}
    for text, count in ordered:
        if count >= min_count:
            display = text.replace(WORD_JOINER, " ")
            rows.setdefault(fold_diacritics(display), []).append((display, count))
    for key, found in rows.items():
        rows[key] = _spellings_kept(found)
    if reader.has_column("title_column"):
        titles = reader.column_reader("title_column")
        for docnum in reader.all_doc_ids():
            title = titles[docnum].decode("utf-8")
            if title:
                words = title.split()
                display = " ".join(words[:TITLE_WORDS]) + (CUT if len(words) > TITLE_WORDS else "")
                rows.setdefault(fold_diacritics(normalize_text(display)), [(display, TITLE_WEIGHT)])
    entries = [(key, display, count) for key in sorted(rows) for display, count in rows[key]]
    ordered_keys = [key for key, _, _ in entries]
    displays = [display for _, display, _ in entries]
    frequencies = np.array([count for _, _, count in entries], dtype=np.int64)
    known = {text: count for text, count in ordered if WORD_JOINER not in text}
    hyphened: Counter[tuple[str, str]] = Counter()
    named: Counter[tuple[str, ...]] = Counter()
    syllables = count_syllables(searcher, best_form, hyphened, named)
    ranks = _ranks(displays, frequencies)
    joined = joined_words(hyphened, syllables)
    names = name_runs(named, syllables)
    return Vocabulary(Texts(ordered_keys), Texts(displays), frequencies, syllables, known, *ranks, joined, names)


# A word of several syllables is offered in each spelling of its letters the index writes at least a fiftieth as often
# as the commonest (*có thể* in 9,649 of 21,000 VNTC articles, *cơ thể* in 1,538; *chứng cứ* and *chung cư*), and so is
# a phrase the completions continue (``results._phrases``); a rarer one is mostly a slip (*hiệu quá* beside *hiệu quả*,
# *thê nao* beside *thế nào*).
RARER_SPELLING = 50
# ... one written without any diacritic, at least a tenth as often: a rarer one is mostly a reader's letter typed
# without a Vietnamese keyboard (*tuyen sinh*, 10 times in every third VNTC article, beside *tuyển sinh*, 448), or, as a
# phrase, a longer one's end (*nam trong*, of *Việt Nam trong*, beside *nằm trong*).
RARER_UNMARKED = 10


def _spellings_kept(found: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """The spellings of one word's letters (display, frequency) offered as completions, the commonest first
    (``RARER_SPELLING``). A syllable alone keeps its commonest: its others (`chung`: *chúng*, *chứng*, *chung*,
    *chừng*) crowd out the words a prefix starts, where a word of several (*chung cư* beside *chứng cứ*, *cơ thể*
    beside *có thể*) is what a visitor is after.

    >>> _spellings_kept([("cơ thể", 1538), ("có thể", 9649), ("co the", 40), ("cơ thê", 3)])
    [('có thể', 9649), ('cơ thể', 1538)]
    >>> _spellings_kept([("chứng", 1200), ("chúng", 9000), ("chung", 3000)])
    [('chúng', 9000)]
    """
    ranked = sorted(found, key=lambda entry: (-entry[1], entry[0]))
    most = ranked[0][1]
    if " " not in ranked[0][0]:
        return ranked[:1]
    return [
        (display, count)
        for display, count in ranked
        if count * (RARER_SPELLING if has_diacritics(display) else RARER_UNMARKED) >= most or count == most
    ]


def count_hyphened(text: str, counts: Counter[tuple[str, str]]) -> None:
    """Count the two runs of letters joined by a hyphen, neither joined to more letters or digits by another, in a
    text: ``e-mail``, ``ô-tô``, ``wi-fi``, but also a dash's ``rịa-vũng`` of ``Bà Rịa-Vũng Tàu`` (``joined_words``
    keeps the pairs that are words); not ``COVID-19``, ``a-b-c``.

    >>> found = Counter(); count_hyphened("gửi e-mail, xem wi-fi-6 hay COVID-19 (ô-tô)", found); sorted(found)
    [('e', 'mail'), ('ô', 'tô')]
    """
    for hyphen in HYPHEN_RE.finditer(text):
        at = hyphen.start()
        if not at or not text[at - 1].isalpha():
            continue
        start, end = at - 1, at + 1
        while start and text[start - 1].isalpha():
            start -= 1
        while end < len(text) and text[end].isalpha():
            end += 1
        around = (text[start - 1] if start else " ") + (text[end] if end < len(text) else " ")
        if not any(char == "-" or char == "_" or char.isalnum() for char in around):
            counts[(text[start:at], text[at + 1 : end])] += 1


def joined_words(hyphened: Counter[tuple[str, str]], syllables: Syllables) -> tuple[tuple[str, str, str], ...]:
    """Words the sample writes both joined and split: (joined, first part, second part), in alphabetical order.

    Loanwords and names come joined, hyphenated or split: VNTC has ``email`` 1,042 times and ``e-mail`` 2,528,
    ``ôtô`` 4,230 and ``ô tô`` (or ``ô-tô``) 1,144, ``wifi`` 89 and ``wi-fi`` 391. The index holds a hyphenated
    word as its two syllables, and a joined one as one: each writing finds only itself. A pair counts when the
    sample writes it hyphenated at least once (the sign that its two parts are one word: ``ba con`` is never
    ``ba-con``, though ``bacon`` is a word too), the joined form is not a Vietnamese syllable (``doanh`` is no ``do
    anh``), each part is a vowel or two letters or more (not the ``b`` of ``B-điểm``), and each writing is seen
    MIN_JOINED times, the rarer at least JOINED_SHARE of the two.
    """
    found: dict[tuple[str, str, str], None] = {}
    for first, second in sorted(hyphened):
        a, b = normalize_syllable(first.lower()), normalize_syllable(second.lower())
        whole = normalize_syllable(a + b)
        if not all(len(part) > 1 or fold_diacritics(part) in "aeiouy" for part in (a, b)):
            continue
        if is_syllable(whole):
            continue
        joined, split = syllables.occurrences(whole), syllables.pair_count(a, b)
        if min(joined, split) >= MIN_JOINED and min(joined, split) >= JOINED_SHARE * max(joined, split):
            found[(whole, a, b)] = None
    return tuple(found)


def count_names(text: str, counts: Counter[tuple[str, ...]], headline: bool = False) -> None:
    """Count the pairs and triples of words side by side that a text writes each with a capital (``NAME_RE``), as
    written. A ``headline`` (a title, a sapo) whose words are mostly so written is in title case, and says nothing
    of names.

    >>> found = Counter(); count_names("Mưa lớn ở Thừa Thiên Huế, Cao Bằng. Người dân UBND Hà Nội", found)
    >>> sorted(found)
    [('Cao', 'Bằng'), ('Hà', 'Nội'), ('Thiên', 'Huế'), ('Thừa', 'Thiên'), ('Thừa', 'Thiên', 'Huế')]
    >>> found = Counter(); count_names("Hội Nghị Tổng Kết Công Tác Năm 2023", found, headline=True); found
    Counter()
    """
    text = unicodedata.normalize("NFC", text)
    found = NAME_RE.findall(text)
    if found and headline and 2 * len(TITLED_RE.findall(text)) > len(SYLLABLE_RE.findall(text)):
        return
    for first, second, third in found:
        counts[(first, second)] += 1
        if third:
            counts[(first, second, third)] += 1


def name_runs(named: Counter[tuple[str, ...]], syllables: Syllables) -> tuple[tuple[str, ...], ...]:
    """The pairs and triples the sample writes as a name (``count_names``) at least MIN_NAME times, and in at least
    NAME_SHARE of the times it has them side by side: *Cao Bằng* (a province; *nâng cao bằng cách* is the rest),
    *Đồng Xuân*, *Thừa Thiên*, *Thiên Huế* and *Thừa Thiên Huế*, not *Thủ tướng* (a title's first words, often
    capitalised, but mostly not); a triple only when both its pairs are names. In lower case, in alphabetical
    order."""
    counts: Counter[tuple[str, ...]] = Counter()
    for run, count in named.items():
        counts[tuple(normalize_syllable(word.lower()) for word in run)] += count
    pairs = {
        run
        for run, count in counts.items()
        if len(run) == 2 and count >= MIN_NAME and count >= NAME_SHARE * syllables.pair_count(*run)
    }
    triples = {
        run
        for run, count in counts.items()
        if len(run) == 3
        and count >= MIN_NAME
        and count >= NAME_SHARE * syllables.triple_count(*run)
        and run[:2] in pairs
        and run[1:] in pairs
    }
    return tuple(sorted(pairs | triples))


def place_names(syllables: Syllables) -> tuple[tuple[str, str, str, str], ...]:
    """Names of two syllables the sample writes after both a place's word and its letter (``PLACE_WORDS``), as
    (letter, word, first syllable, second syllable): ``('q', 'quận', 'bình', 'thạnh')``. A name of three syllables is
    known by its first two (*Hai Bà* of *Hai Bà Trưng*); a name of one, or a place written with its number (``Q.5``,
    the synonym list's), is not here."""
    found = []
    for letter, word in PLACE_WORDS:
        for first, _ in syllables.followers(letter):
            if not first.isalpha():
                continue
            for second, after_letter in syllables.followers_of_pair(letter, first, after=MIN_TRIPLE_COUNT):
                after_word, written = syllables.triple_count(word, first, second), syllables.pair_count(first, second)
                if second.isalpha() and min(after_letter, after_word) >= max(MIN_TRIPLE_COUNT, PLACE_SHARE * written):
                    found.append((letter, word, first, second))
    return tuple(found)


def _ranks(displays: list[str], frequencies: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each entry's place among the words (the most frequent first, then the shorter) and among the titles (the
    shortest first), ties in the entries' order; the number of entries for an entry of the other kind."""
    counts = frequencies.tolist()
    words = [at for at, count in enumerate(counts) if count < TITLE_WEIGHT]
    titles = [at for at, count in enumerate(counts) if count >= TITLE_WEIGHT]
    words.sort(key=lambda at: (-counts[at], len(displays[at])))
    titles.sort(key=lambda at: len(displays[at]))
    ranked = []
    for order in (words, titles):
        ranks = np.full(len(displays), len(displays), dtype=np.int32)
        ranks[np.array(order, dtype=np.int64)] = np.arange(len(order), dtype=np.int32)
        ranked.append(ranks)
    return ranked[0], ranked[1]


def save_vocabulary(generation: Path, index: whoosh_index.Index) -> None:
    """Read the vocabulary of an index and save it in its folder, tagged with the index's own generation number."""
    with index.searcher() as searcher:
        write_vocabulary(generation, build_vocabulary(searcher), index.latest_generation())


class _PlanesPickler(pickle.Pickler):
    """Pickles integer arrays (NumPy's and ``array``'s) as ``packed_array`` does, everything else as pickle does."""

    def reducer_override(self, obj: object) -> object:
        if isinstance(obj, np.ndarray) and obj.ndim == 1 and obj.dtype.kind in "iu":
            return unpacked_array, packed_array(obj)
        if isinstance(obj, array) and obj.typecode in "bBhHiIlLqQ":
            return unpacked_array, packed_array(np.frombuffer(obj, dtype=obj.typecode), obj.typecode)
        return NotImplemented


def packed_array(values: np.ndarray, typecode: str | None = None) -> tuple[str, str | None, bool, bytes]:
    """An integer array as ``unpacked_array`` reads it back: its type, the ``array`` typecode it came from (None for
    NumPy's), whether its numbers are stored as each one's difference from the one before, and its bytes in byte
    planes (every number's lowest byte, then every second byte, ...). The model's pairs and triples are sorted
    integers of 42 and 63 bits that differ little from one to the next, its counts small numbers: as differences in
    planes their high bytes are runs of zeros, which the file's compression packs into a few bytes, where the numbers'
    bytes in order leave it little to find. A sorted array is stored as differences; the sums are exact in the array's
    own type whatever its values."""
    values = np.ascontiguousarray(values)
    delta = len(values) > 1 and bool(np.all(values[1:] >= values[:-1]))
    if delta:
        values = np.diff(values, prepend=values.dtype.type(0))
    return values.dtype.str, typecode, delta, to_planes(values)


def unpacked_array(dtype: str, typecode: str | None, delta: bool, planes: bytes) -> np.ndarray | array:
    """The array ``packed_array`` packed."""
    kind = np.dtype(dtype)
    values = from_planes(planes, kind, len(planes) // kind.itemsize)
    if delta:
        values = np.cumsum(values, dtype=kind)
    if typecode is None:
        return values
    unpacked = array(typecode)
    unpacked.frombytes(values.astype(kind.newbyteorder("=")).tobytes())
    return unpacked


def write_vocabulary(generation: Path, vocabulary: Vocabulary, toc_generation: int) -> None:
    """Save a vocabulary in a generation's folder for one state of its index (the number of its table of contents),
    its integer arrays in byte planes (``packed_array``)."""
    buffer = io.BytesIO()
    _PlanesPickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump((VOCABULARY_VERSION, toc_generation, vocabulary))
    saved = zstandard.ZstdCompressor(level=VOCABULARY_COMPRESSION).compress(buffer.getvalue())
    replace_file(generation / VOCABULARY_FILE, saved)


def saved_vocabulary(generation: Path, toc_generation: int) -> Vocabulary | None:
    """The vocabulary saved in a generation's folder, when it belongs to this state of its index (the number of the
    index's table of contents); None when there is none, or it belongs to another state or version."""
    try:
        saved = (generation / VOCABULARY_FILE).read_bytes()
        # zlib: the file of an index an earlier version wrote (a Zstandard file starts with its frame's magic)
        read = zstandard.ZstdDecompressor().decompress if saved.startswith(zstandard.FRAME_HEADER) else zlib.decompress
        version, saved_for, vocabulary = pickle.loads(read(saved))
    except (
        OSError,
        zlib.error,
        zstandard.ZstdError,
        pickle.UnpicklingError,
        EOFError,
        ValueError,
        TypeError,
        AttributeError,
    ) as error:
        log.info("no saved vocabulary to read (%s)", error)
        return None
    if (version, saved_for) == (VOCABULARY_VERSION, toc_generation) and isinstance(vocabulary, Vocabulary):
        return vocabulary
    return None


def restore_diacritics(text: str, vocabulary: Vocabulary) -> str | None:
    """The most likely accented spelling of a query typed without diacritics, from the index's own text.

    Each syllable is chosen in the light of its neighbours (``nhieu nam`` → ``nhiều năm``, ``nam gioi`` →
    ``nam giới``); see :meth:`Syllables.restore`. A syllable typed with diacritics (text pasted half accented) is kept
    as typed, and helps choose its neighbours. None when restoring changes nothing.
    """
    typed, counted = _syllables_counted(text)
    suggestion = " ".join(_numbers_as_typed(vocabulary.syllables.restore(counted), typed))
    return suggestion if suggestion != " ".join(typed) else None


def _syllables_counted(text: str) -> tuple[list[str], list[str]]:
    """A query's syllables as the index holds them (``split_syllables``) and as the model counts them: a number
    padded with a zero as written (``as_written``), which reads a document's number more often than a count
    (*thông tư 01*, *từ 1*)."""
    syllables = split_syllables(text)
    return [s.text for s in syllables], [as_written(s) for s in syllables]


def _ends_in_name(text: str) -> bool:
    """Whether a text ends on a name typed with capitals (``analysis.names_typed``).

    >>> _ends_in_name("ong Phan Huy"), _ends_in_name("Phan huy"), _ends_in_name("PHAN HUY")
    (True, False, False)
    """
    syllables = split_syllables(text)
    return any(name[-1] == len(syllables) - 1 for name in names_typed(text, syllables))


def _numbers_as_typed(read: list[str], typed: list[str]) -> list[str]:
    """A reading of the syllables as counted with each number as the index holds it (a number has no other form)."""
    return [syllable if syllable.isdigit() else form for form, syllable in zip(read, typed, strict=True)]


@dataclass(frozen=True)
class Restoration:
    """The likely accented spellings of a run typed without diacritics."""

    typed: tuple[str, ...]  # the run's syllables as typed
    spelling: tuple[str, ...]  # the most likely spelling, syllable by syllable (see restore_diacritics)
    # Per syllable: its forms with their probability given the whole run, the likeliest first.
    alternatives: tuple[tuple[tuple[str, float], ...], ...]

    @property
    def text(self) -> str | None:
        """The most likely spelling; None when it is the run as typed."""
        return " ".join(self.spelling) if self.spelling != self.typed else None

    def likely(self, share: float) -> tuple[tuple[tuple[str, float], ...], ...]:
        """Per syllable, the readings a search looks for: the restored form (weight 1), and each other form at least
        ``share`` as likely as it, weighted by how likely it is beside it (at most 1)."""
        found = []
        for restored, forms in zip(self.spelling, self.alternatives, strict=True):
            chosen = dict(forms).get(restored) or max(chance for _, chance in forms)
            weights = {restored: 1.0}
            for form, chance in forms:
                if chance >= share * chosen:
                    weights.setdefault(form, min(chance / chosen, 1.0))
            found.append(tuple(weights.items()))
        return tuple(found)

    @property
    def spelling_chances(self) -> tuple[float, ...]:
        """Per syllable, how likely its restored form is given the whole run."""
        return tuple(
            dict(forms).get(restored, 0.0) for restored, forms in zip(self.spelling, self.alternatives, strict=True)
        )

    def typed_chance(self, at: int) -> float:
        """How likely the syllable at ``at`` reads as typed, given the whole run (0 when it is no form of its
        letters the sample holds)."""
        return dict(self.alternatives[at]).get(self.typed[at], 0.0)

    def certain(self, chance: float) -> set[str]:
        """The restored syllables at least ``chance`` likely wherever the run has them."""
        chances: dict[str, float] = {}
        for restored, found in zip(self.spelling, self.spelling_chances, strict=True):
            chances[restored] = min(chances.get(restored, 1.0), found)
        return {form for form, found in chances.items() if found >= chance}


def restorations(
    text: str,
    vocabulary: Vocabulary,
    ended: bool = True,
    listed: Callable[[list[str]], list[tuple[int, tuple[str, ...]]]] | None = None,
) -> Restoration:
    """The most likely accented spelling of a run, and each syllable's forms with their probability given the whole
    run (:meth:`Syllables.readings`): ``quan ngu hanh son`` is most likely ``quân ngũ hành sơn``, but ``quận`` is
    likely enough to be searched too. ``ended``: the run ends where the text typed does (not before a word still
    being typed), unless on a name typed with capitals, where a query may stop inside one (``Phan Huy``, of *Phan
    Huy Lê*, *Phan Huy Chú*). ``listed``: where the run spells a synonym list's form written with diacritics
    (``Synonyms.spellings``) two of whose syllables side by side the sample never holds, the form's syllables are
    read ``LISTED_PRIOR`` (20) times likelier than the model alone says: a small portal's sample may never hold
    *liên hợp quốc*, *phó giáo sư* or *căn cước công dân*, and the model read `lien hop quoc` *liên họp quốc*. A form
    the sample holds is weighed in context as any words are: `gia dinh co dong vien` is likeliest *gia đình có động
    viên*, *cổ động viên* being searched too."""
    typed, counted = _syllables_counted(text)
    candidates = vocabulary.syllables.candidates(counted)
    if listed is not None:
        for start, form in listed(typed):
            if vocabulary.syllables.holds(form):
                continue  # the sample holds the form: the model weighs it in context as it does any words
            for at, written in enumerate(form, start):
                priors = dict(candidates[at])
                priors[written] = priors.get(written, 0.0) + LISTED_PRIOR
                candidates[at] = list(priors.items())
    spelling, chances = vocabulary.syllables.readings(candidates, ended and not _ends_in_name(text))
    alternatives = tuple(
        ((syllable, 1.0),)
        if syllable.isdigit()
        else tuple(sorted(zip((form for form, _ in forms), weights, strict=True), key=lambda pair: -pair[1]))
        for syllable, forms, weights in zip(typed, candidates, chances, strict=True)
    )
    return Restoration(tuple(typed), tuple(_numbers_as_typed(spelling, typed)), alternatives)
