"""What a search shows: snippets with the matched words marked, the public JSON of hits and articles, facet rows,
the "Có phải bạn muốn tìm" suggestion and completions."""

from __future__ import annotations

import functools
import heapq
import html
import itertools
import math
import re
import string
import time
import unicodedata
from collections.abc import Callable, Container, Iterable, Iterator, Sequence
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

import numpy as np
from whoosh import query as Q
from whoosh.searching import Searcher

from .analysis import (
    CLAUSE_TERM,
    PADDED_DIGITS,
    SYLLABLE_RE,
    TONE_MARKS,
    VOWELS,
    WORD_JOINER,
    NormalizedText,
    Syllable,
    alphabetical,
    as_written,
    cased_as,
    clause_starts,
    decimal_sides,
    ends_clause,
    fold_diacritics,
    grouped_spans,
    has_diacritics,
    names_typed,
    normalize_all_with_offsets,
    normalize_syllable,
    normalize_text,
    normalize_with_offsets,
    part_digits,
    reads_as_digit,
    reads_as_numeral,
    segment,
    split_syllables,
)
from .keyboard import SYLLABLE_SHAPE, decode_telex, decode_vni, is_syllable, misspelt, repair
from .query import (
    CODE_RE,
    OPERATORS,
    TOKEN_RE,
    SearchPlan,
    SearchRequest,
    Synonyms,
    bare_syllables,
    build_plan,
    clause_parts,
    exclusions_apart,
    field_words,
    is_stop_word,
    parse_basic,
    typed_in_capitals,
    words_being_typed,
    words_whole,
)
from .ranking import ALL_REQUIRED_UP_TO, BARE_DOUBTFUL, BARE_UNLIKELY
from .schema import FOLDED_SUFFIX, TEXT_FIELDS
from .sources import ARTICLE_FIELDS, format_date
from .vocabulary import (
    CUT,
    MIN_TRIPLE_COUNT,
    RARER_SPELLING,
    RARER_UNMARKED,
    TRIPLE_AFTER,
    Restoration,
    Syllables,
    Vocabulary,
    restorations,
)
from .whoosh_ext.matching import match_scores, matched
from .whoosh_ext.postings import PostingLists

SNIPPET_SYLLABLES = 36  # about two lines of text
TITLE_MARKED = 2_000  # characters of a hit's title whose matched words are marked
SNIPPET_WINDOW = 30_000  # characters of a text a snippet is looked for in (a long article's first 5,000 words)
FACET_LIMIT = 50
SUGGEST_LIMIT = 10
TITLES_OFFERED = 3  # of a page of completions, the titles (the shortest that start with the prefix)
# A completion reads at most this many entries of each kind (words, titles), best first: a prefix typed with
# diacritics may agree with few of the tens of thousands of entries that start with its letters.
ENTRIES_READ = 5000
SUGGESTION_BUDGET = 1.0  # seconds a search may spend looking for a spelling before it drops the suggestion


def query_terms(plan: SearchPlan) -> tuple[set[str], set[str]]:
    """The exact and the folded words a query looks for, its phrase boosts included (for highlighting): each a
    syllable, or several separated by spaces that are marked only together, in order (a phrase, a word of several
    syllables, a synonym's expansion). ``ubnd`` matches *ủy ban nhân dân*, never *bản* or *nhãn* alone, so those are
    never marked; nor is a syllable of a word the query typed (``SearchPlan.joined``) anywhere but inside the whole
    word, in any accenting: the *viên* of *sinh viên* is not what ``giáo viên`` found, nor *chức kết* of *tổ chức kết
    hợp* what ``kết quả thi tuyển công chức`` looked for; nor one of a code required whole (``SearchPlan.codes``): the
    *5* of *1,5 triệu* is not what ``ngày 12/5`` found. Words excluded (``-x``) are not looked for."""
    exact: set[str] = set()
    folded: set[str] = set()
    looked_for = [(name, boost.terms) for boost in plan.proximity for name, _ in boost.fields]
    looked_for.extend(_looked_for(plan.query))
    for fieldname, words in looked_for:
        base = fieldname[: -len(FOLDED_SUFFIX)] if fieldname.endswith(FOLDED_SUFFIX) else fieldname
        if base not in TEXT_FIELDS:
            continue
        syllables = [part_digits(part) for word in words for part in word.split(WORD_JOINER)]
        (folded if fieldname.endswith(FOLDED_SUFFIX) else exact).add(" ".join(syllables))
    parts = {fold_diacritics(syllable) for word in plan.codes for syllable in word.lower().split()}
    joined = [tuple(fold_diacritics(word.lower()).split()) for word in plan.joined]
    if parts or joined:
        exact = {words for words in exact if _whole(fold_diacritics(words), parts, joined, plan.loose)}
        folded = {words for words in folded if _whole(fold_diacritics(words), parts, joined, plan.loose)}
    return exact, folded


def _whole(words: str, parts: set[str], joined: list[tuple[str, ...]], loose: Container[str]) -> bool:
    """Whether a run of folded syllables to mark is no syllable of a code alone (``parts``) and holds a syllable of a
    word typed (``joined``) only inside the whole word, but for the syllables typed outside any word (``loose``). The
    run's clause marks (``analysis.CLAUSE_TERM``) are read past: a synonym group's form written with commas (*cán bộ,
    công chức, viên chức*) holds the group typed (`cán bộ công chức viên chức`) whole.

    >>> words = [("ket", "qua"), ("cong", "chuc")]
    >>> [_whole(run, set(), words, ()) for run in ("ket qua", "chuc ket", "qua thi", "ket qua thi", "cong chuc")]
    [True, False, False, True, True]
    >>> _whole("can bo , cong chuc", set(), [("can", "bo", "cong", "chuc")], ())
    True
    """
    if words in parts:
        return False
    syllables = [syllable for syllable in words.split() if syllable != CLAUSE_TERM]
    for at, syllable in enumerate(syllables):
        if syllable in loose:
            continue
        owners = [word for word in joined if syllable in word]
        if owners and not any(
            tuple(syllables[start : start + len(word)]) == word
            for word in owners
            for start in range(max(0, at - len(word) + 1), at + 1)
        ):
            return False
    return True


def _looked_for(query: Q.Query) -> Iterator[tuple[str, tuple[str, ...]]]:
    """The field and the words of each term and phrase a query tree matches, outside its exclusions."""
    if isinstance(query, Q.Not):
        return
    if isinstance(query, Q.Phrase):
        yield query.fieldname, tuple(query.words)
    elif query.is_leaf():
        if query.has_terms():
            for fieldname, text in query.terms(phrases=True):
                if isinstance(text, bytes):
                    text = text.decode("utf-8")
                if isinstance(text, str):
                    yield fieldname, (text,)
    else:
        for child in query.children():
            yield from _looked_for(child)


def snippet(text: str, exact: set[str], folded: set[str], size: int = SNIPPET_SYLLABLES) -> tuple[str, int]:
    """The best passage of a text with matched words in ``<mark>``, HTML-escaped; and how many words matched.

    >>> snippet("Đẩy mạnh <b>cải cách</b> hành chính", {"cải", "cách"}, set())[0]
    'Đẩy mạnh &lt;b&gt;<mark>cải cách</mark>&lt;/b&gt; hành chính'
    """
    return snippets([text], exact, folded, size)[0]


def snippets(
    texts: Sequence[str], exact: set[str], folded: set[str], size: int = SNIPPET_SYLLABLES
) -> list[tuple[str, int]]:
    """``snippet`` of each of several texts (a page's sapos and bodies). Their syllables are found together, by one
    pass of NumPy over the texts joined (``_spans_of_texts``): a dozen array operations a page rather than a text.

    The passage is looked for in a text's first SNIPPET_WINDOW characters only, so a snippet costs the same whatever
    the article's length; more text after the window still shows as "…"."""
    cut = [text[:SNIPPET_WINDOW] for text in texts]
    normalized = normalize_all_with_offsets(cut)
    found = _spans_of_texts([each.text for each in normalized], exact, folded)
    return [
        _passage(text, each, *spans, exact, folded, size, len(whole) > SNIPPET_WINDOW)
        for whole, text, each, spans in zip(texts, cut, normalized, found, strict=True)
    ]


def _passage(
    text: str,
    normalized: NormalizedText,
    starts: np.ndarray,
    ends: np.ndarray,
    candidates: list[int],
    exact: set[str],
    folded: set[str],
    size: int,
    longer: bool,
) -> tuple[str, int]:
    """``snippet``'s passage of one text, from its syllables' spans and the syllables that may be the query's."""
    if not len(starts):
        return html.escape(text[:200]), 0
    # The matched syllables (`candidates` narrowed down), each keyed by its folded form: a word matched with and
    # without its diacritics counts once.
    found = _candidate_syllables(normalized.text, starts, ends, candidates)
    runs_at: dict[int, int] = {}
    marked = _matched(found, exact, folded, _clauses_started(normalized.text, found, starts, ends), runs_at)
    if any(found[at].isdigit() for at in marked):
        _whole_numbers(marked, normalized.text, starts, ends)
    positions = sorted(marked)
    keys = [fold_diacritics(found[i]) for i in positions]
    spelled = [marked[i] for i in positions]  # matched as the query spells it (exact), not only without diacritics
    runs = [runs_at.get(i, 1) for i in positions]  # the longest run of the query's matched there (a phrase, a word)
    # The window of `size` syllables with the most distinct matched words, then the longest run of them matched
    # together (`nhà ở xã hội` shows where an article writes it, not *nhà ở* here and *xã hội* there), then the most
    # of them spelled as the query has them (typed, or restored for a query typed without diacritics: `ban tay` shows
    # *bàn tay* rather than *bảo ban … tay*), then the most matches, found by sliding over the matches only: the best
    # window can always start at a match.
    best_first, best_last, best_key = 0, -1, (0, 0, 0, 0)
    counts: dict[str, int] = {}
    exact_counts: dict[str, int] = {}
    last = 0
    for first, position in enumerate(positions):
        while last < len(positions) and positions[last] < position + size:
            counts[keys[last]] = counts.get(keys[last], 0) + 1
            if spelled[last]:
                exact_counts[keys[last]] = exact_counts.get(keys[last], 0) + 1
            last += 1
        key = (len(counts), max(runs[first:last]), len(exact_counts), last - first)
        if key > best_key:
            best_first, best_last, best_key = first, last - 1, key
        for kept in (counts, exact_counts) if spelled[first] else (counts,):
            left = kept[keys[first]] - 1
            if left:
                kept[keys[first]] = left
            else:
                del kept[keys[first]]
    best_start = max(0, positions[best_last] - size + 1) if positions else 0
    # Start a little before the first match, so the passage reads as a sentence fragment.
    if positions and positions[best_first] - best_start > size // 3:
        best_start = max(0, positions[best_first] - size // 4)
    # Marked syllables at the window's edges go on to the end of their run (a phrase is shown whole), a few at most.
    best_end, least_start, most_end = best_start + size, best_start - size // 3, best_start + size + size // 3
    while best_start > max(0, least_start) and best_start in marked and best_start - 1 in marked:
        best_start -= 1
    while best_end < min(len(starts), most_end) and best_end - 1 in marked and best_end in marked:
        best_end += 1
    spans = _original_spans(normalized, starts[best_start:best_end], ends[best_start:best_end])
    hits = [i in marked for i in range(best_start, best_start + len(spans))]
    return _marked(text, spans, hits, best_start > 0, longer or best_end < len(starts)), best_key[0]


def _clauses_started(text: str, found: dict[int, str], starts: np.ndarray, ends: np.ndarray) -> set[int]:
    """Of a normalised text's candidate syllables (``_candidate_syllables``), those after another that start a clause
    (``analysis.ends_clause``): a phrase is marked across them only where typed with the clause's punctuation, as
    the index matches it."""
    return {
        at
        for at in found
        if at - 1 in found and ends_clause(text, int(starts[at - 1]), int(ends[at - 1]), int(starts[at]))
    }


def _whole_numbers(marked: dict[int, Any], text: str, starts: Sequence[int], ends: Sequence[int]) -> None:
    """Unmark each number written with its thousands grouped (``analysis.grouped_spans``) or with a decimal comma
    (``analysis.decimal_sides``) that is not marked whole: its parts are terms of their own (``analysis.part_term``),
    so the *500* of *2.500*, the *50* of *50.000* or the *7* of *3,7* is not the ``500``, ``50`` or ``7`` a query
    found, *1.000* of *1.000.000* not its ``1000``, and no group of one written together with its unit (*500.000đ*)
    is what any query found. A decimal's sides are looked at first: *1.000,5* is marked whole or not at all."""
    numbers = [(before, after, True) for before, after in decimal_sides(text, starts, ends)]
    numbers.extend(grouped_spans(text, starts, ends))
    for first, last, whole in numbers:
        places = range(first, last + 1)
        held = [place in marked for place in places]
        if any(held) and not (whole and all(held)):
            for place in places:
                marked.pop(place, None)


def _candidate_syllables(text: str, starts: np.ndarray, ends: np.ndarray, candidates: list[int]) -> dict[int, str]:
    """The syllables of a normalised text that may be the query's words (``candidates``, by place), normalised as
    ``split_syllables`` normalises them (a number padded with a zero read as its digit where it reads so)."""
    found = {}
    for i, start, end in zip(candidates, starts[candidates].tolist(), ends[candidates].tolist(), strict=True):
        syllable = text[start:end]
        padded = len(syllable) == 2 and syllable[0] == "0" and syllable[1] in PADDED_DIGITS
        found[i] = syllable[1] if padded and reads_as_digit(text, start) else normalize_syllable(syllable)
    return found


def _original_spans(normalized: NormalizedText, starts: np.ndarray, ends: np.ndarray) -> list[tuple[int, int]]:
    """Syllables' spans in a normalised text, as spans of the text it was normalised from."""
    lows, highs = starts.tolist(), ends.tolist()
    if normalized.starts is None:  # the same offsets as the text's
        return list(zip(lows, highs, strict=True))
    return list(map(normalized.original_span, lows, highs))


_HASH_BASE = 131  # odd, so its powers have inverses modulo 2**64


@functools.cache
def _letter_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """For each character of Unicode's Basic Multilingual Plane, what it is in a syllable (0: not in one, as
    ``SYLLABLE_RE`` has it; 1: a letter or digit; 2: one whose folded form is not one character, as a Hangul
    syllable's jamo) and the number its folded form hashes as (1-36 for a-z and 0-9, 37 for any other, 0 outside
    syllables); and the powers of the hash's base and of its inverse modulo 2**64, for every place in a snippet's
    window.

    Built once per process, in about 0.1 s."""
    numbers = {char: number for number, char in enumerate(string.ascii_lowercase + string.digits, start=1)}
    fold = fold_diacritics.__wrapped__  # not through its cache: 48,000 characters, once
    kinds = np.zeros(0x10000, dtype=np.uint8)
    hashed = np.zeros(0x10000, dtype=np.uint64)
    for code in range(0x10000):
        char = chr(code)
        if char.isalnum():
            bare = fold(char)
            kinds[code] = 1 if len(bare) == 1 else 2
            hashed[code] = numbers.get(bare, len(numbers) + 1)
    powers = np.empty(SNIPPET_WINDOW * 2, dtype=np.uint64)
    inverses = np.empty(SNIPPET_WINDOW * 2, dtype=np.uint64)
    powers[0] = inverses[0] = 1
    powers[1:], inverses[1:] = _HASH_BASE, pow(_HASH_BASE, -1, 2**64)
    np.multiply.accumulate(powers, out=powers)  # unsigned 64-bit arrays wrap: arithmetic modulo 2**64
    np.multiply.accumulate(inverses, out=inverses)
    return kinds, hashed, powers, inverses


@functools.lru_cache(maxsize=4096)
def _folded_hash(folded: str) -> int | None:
    """A folded syllable's hash as ``_syllable_spans`` computes the text's (None: no syllable folds to it)."""
    kinds, hashed, powers, _ = _letter_tables()
    if len(folded) > len(powers):  # longer than any syllable of a text the hash covers
        return None
    total = 0
    for place, char in enumerate(folded):
        code = ord(char)
        if code > 0xFFFF or kinds[code] != 1:
            return None
        total += int(hashed[code]) * int(powers[place])
    return total % 2**64


Run = tuple[tuple[str, ...], frozenset[int]]  # a run's syllables, and those of them that start a clause


@functools.lru_cache(maxsize=256)
def _units(
    exact: frozenset[str], folded: frozenset[str]
) -> tuple[frozenset[str], frozenset[str], dict[tuple[str, bool], list[Run]]]:
    """A query's words (``query_terms``) for marking: the syllables marked wherever they are, exact and folded, and
    the runs of several syllables marked only together, by their first syllable and whether they are exact (kept: a
    page's hits all ask for the same); a run typed with punctuation that ends a clause (``analysis.CLAUSE_TERM``
    among its words) with the syllables that start one."""
    runs: dict[tuple[str, bool], list[Run]] = {}
    for words, spelled in itertools.chain(((w, True) for w in exact), ((w, False) for w in folded)):
        clauses = clause_parts(words.split())
        syllables = tuple(syllable for clause in clauses for syllable in clause)
        starts = frozenset(itertools.accumulate(len(clause) for clause in clauses[:-1]))
        if len(syllables) > 1:
            runs.setdefault((syllables[0], spelled), []).append((syllables, starts))
    return (
        frozenset(w for w in exact if " " not in w),
        frozenset(w for w in folded if " " not in w),
        runs,
    )


def _matched(
    found: dict[int, str],
    exact: set[str],
    folded: set[str],
    apart: Container[int] = (),
    runs_at: dict[int, int] | None = None,
) -> dict[int, bool]:
    """Which of a text's syllables (by their place, normalised; those that may be the query's) are the query's words:
    each place matched, and whether as the query spells it (exact) rather than only without its diacritics. A run of
    several syllables counts where all of them stand in order, a clause starting (``apart``) at those of them that
    start one in the run and at no other, as the index matches a phrase (``analysis.clause_positions``). ``runs_at``,
    when given, gets the length of the longest run matched at each place of one."""
    alone_exact, alone_folded, runs = _units(frozenset(exact), frozenset(folded))
    marked: dict[int, bool] = {}
    for at, syllable in found.items():
        bare = fold_diacritics(syllable)
        if syllable in alone_exact or bare in alone_folded:
            marked[at] = marked.get(at, False) or syllable in alone_exact
        if not runs:
            continue
        for spelled, first in ((True, syllable), (False, bare)):
            for run, starts in runs.get((first, spelled), ()):
                places = range(at, at + len(run))
                if all((place in apart) == (number in starts) for number, place in enumerate(places) if number) and all(
                    place in found and (found[place] if spelled else fold_diacritics(found[place])) == word
                    for place, word in zip(places, run, strict=True)
                ):
                    for place in places:
                        marked[place] = marked.get(place, False) or spelled
                        if runs_at is not None:
                            runs_at[place] = max(runs_at.get(place, 0), len(run))
    return marked


@functools.lru_cache(maxsize=256)
def _wanted_hashes(exact: frozenset[str], folded: frozenset[str]) -> np.ndarray:
    """The hashes of the folded syllables a query looks for, sorted (kept: a page's hits all ask for the same)."""
    wanted: set[int | None] = set()
    for word in {part for words in exact for part in fold_diacritics(words).split()} | {
        part for words in folded for part in words.split()
    }:
        wanted.add(_folded_hash(word))
        if word in PADDED_DIGITS:  # written with a zero before it (``_candidate_syllables``)
            wanted.add(_folded_hash("0" + word))
        if word[-1:] in ("i", "y"):  # normalize_syllable writes some final i's as y and some y's as i
            wanted.add(_folded_hash(word[:-1] + ("y" if word[-1] == "i" else "i")))
    wanted.discard(None)
    return np.sort(np.fromiter(wanted, dtype=np.uint64, count=len(wanted)))


def _spans_of_texts(
    texts: Sequence[str], exact: set[str], folded: set[str]
) -> list[tuple[np.ndarray, np.ndarray, list[int]]]:
    """``_syllable_spans`` of each of several normalised texts, found over the texts joined (a line break between
    two, which no syllable holds), as many at a time as the hash's powers cover. When the hash cannot cover the
    joined texts (see ``_syllable_spans``), each is looked at by itself, so that one text's emoji does not make
    every syllable of the others a candidate."""
    room = len(_letter_tables()[2])
    found: list[tuple[np.ndarray, np.ndarray, list[int]]] = []
    batch: list[str] = []
    joined_length = -1  # of the batch's texts joined, a line break between two
    for text in [*texts, None]:
        if batch and (text is None or joined_length + 1 + len(text) > room):
            joined = _syllable_spans("\n".join(batch), exact, folded)
            if len(batch) > 1 and joined[3]:
                found.extend(_split_spans(batch, *joined[:3]))
            elif len(batch) > 1:
                found.extend(_syllable_spans(each, exact, folded)[:3] for each in batch)
            else:
                found.append(joined[:3])
            batch, joined_length = [], -1
        if text is not None:
            batch.append(text)
            joined_length += 1 + len(text)
    return found


def _split_spans(
    texts: list[str], starts: np.ndarray, ends: np.ndarray, candidates: list[int]
) -> list[tuple[np.ndarray, np.ndarray, list[int]]]:
    """The spans and candidates of texts joined by one character each, given back to each text."""
    offsets = np.cumsum([0] + [len(text) + 1 for text in texts[:-1]])
    firsts = np.searchsorted(starts, offsets).tolist() + [len(starts)]
    chosen = np.array(candidates, dtype=np.int64)
    cuts = np.searchsorted(chosen, firsts).tolist()
    return [
        (
            starts[firsts[k] : firsts[k + 1]] - offset,
            ends[firsts[k] : firsts[k + 1]] - offset,
            (chosen[cuts[k] : cuts[k + 1]] - firsts[k]).tolist(),
        )
        for k, offset in enumerate(offsets.tolist())
    ]


def _syllable_spans(text: str, exact: set[str], folded: set[str]) -> tuple[np.ndarray, np.ndarray, list[int], bool]:
    """Where each syllable of a normalised text starts and ends (as ``SYLLABLE_RE`` finds them), which of them may
    be the query's words, ascending: those whose folded form hashes as one of the words does; and whether the hash
    covered the text.

    In NumPy over the text's characters: a body has thousands of syllables, and a Python call for each was most of a
    search's snippet time. A syllable's hash is the sum of its letters' numbers, the k-th times the base's k-th
    power: summed over the text with the powers of the characters' places (0 outside syllables), then multiplied by
    the inverse of its first letter's. Every syllable is a candidate in a text beyond what this hashes (a character
    beyond the Basic Multilingual Plane or whose folded form is not one character, more characters than the powers
    kept: lower-casing can lengthen a text past its window)."""
    kinds, hashed, powers, inverses = _letter_tables()
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    if len(codes) and (int(codes.max()) > 0xFFFF or len(codes) > len(powers)):
        spans = np.array([match.span() for match in SYLLABLE_RE.finditer(text)], dtype=np.int64).reshape(-1, 2)
        return spans[:, 0], spans[:, 1], list(range(len(spans))), False
    kind = kinds[codes]
    padded = np.zeros(len(codes) + 2, dtype=bool)
    padded[1:-1] = kind
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    starts, ends = edges[0::2], edges[1::2]
    if not len(starts):
        return starts, ends, [], True
    if kind.max() > 1:
        return starts, ends, list(range(len(starts))), False
    wanted = _wanted_hashes(frozenset(exact), frozenset(folded))
    if not len(wanted):
        return starts, ends, [], True
    hashes = np.add.reduceat(hashed[codes] * powers[: len(codes)], starts) * inverses[starts]
    found = np.minimum(np.searchsorted(wanted, hashes), len(wanted) - 1)
    return starts, ends, np.flatnonzero(wanted[found] == hashes).tolist(), True


def _marked(text: str, spans: list[tuple[int, int]], hits: list[bool], before: bool, after: bool) -> str:
    """Escape a stretch of text (its syllables' spans) and wrap runs of matched syllables in one ``<mark>`` each."""
    parts: list[str] = ["… " if before else ""]
    cursor = spans[0][0]
    matched = [index for index, hit in enumerate(hits) if hit]
    taken = 0
    while taken < len(matched):
        first = last = matched[taken]
        taken += 1
        # Join matched syllables separated by spaces only ("cải cách"), never across punctuation or paragraphs, but
        # for the groups of a number ("100.000").
        while taken < len(matched) and matched[taken] == last + 1:
            gap = text[spans[last][1] : spans[last + 1][0]]
            grouped = gap in (".", ",") and text[spans[last][1] - 1].isdigit() and text[spans[last + 1][0]].isdigit()
            if (gap.strip() or "\n" in gap) and not grouped:
                break
            last = matched[taken]
            taken += 1
        parts.append(html.escape(text[cursor : spans[first][0]]))
        parts.append("<mark>" + html.escape(text[spans[first][0] : spans[last][1]]) + "</mark>")
        cursor = spans[last][1]
    parts.append(html.escape(text[cursor : spans[-1][1]]))
    parts.append(" …" if after else "")
    return "".join(parts)


def highlight(text: str, exact: set[str], folded: set[str]) -> str:
    """A whole text, HTML-escaped, its matched words in ``<mark>`` (for the article page).

    >>> highlight("Đẩy mạnh cải cách <hành chính>", {"cải", "cách"}, set())
    'Đẩy mạnh <mark>cải cách</mark> &lt;hành chính&gt;'
    """
    syllables = split_syllables(text)
    if not syllables or not (exact or folded):
        return html.escape(text)
    places = _matched(dict(enumerate(s.text for s in syllables)), exact, folded, set(clause_starts(text, syllables)))
    if any(syllables[at].text.isdigit() for at in places):
        _whole_numbers(places, text, [s.start for s in syllables], [s.end for s in syllables])
    hits = [at in places for at in range(len(syllables))]
    marked = _marked(text, [(s.start, s.end) for s in syllables], hits, False, False)
    return html.escape(text[: syllables[0].start]) + marked + html.escape(text[syllables[-1].end :])


def best_snippets(articles: Sequence[dict[str, Any]], exact: set[str], folded: set[str]) -> list[str]:
    """For each article (its stored fields), the best passage of its body or sapo (its title when it has neither):
    the one with the most words matched. The page's texts are searched together (``snippets``)."""
    texts: list[list[str]] = [
        [fields[name] for name in ("summary", "body") if fields.get(name)] or [fields.get("title", "")]
        for fields in articles
    ]
    found = iter(snippets([text for each in texts for text in each], exact, folded))
    return [max([next(found) for _ in each], key=lambda pair: pair[1])[0] for each in texts]


# What a hit in a results list shows of its article (the rest is on the article's own page): a subset of the public
# fields, in this order, then its score and snippet.
HIT_FIELDS = ("id", "title", "url", "published", "category", "author", "views", "source")
_LISTS = ("category", "tags")


def public_value(fields: dict[str, Any], name: str) -> Any:
    """A stored field as the API shows it: texts as strings, lists as lists, the date in ISO 8601, absent as null."""
    if name in TEXT_FIELDS:
        return fields.get(name, "")
    if name in _LISTS:
        return list(fields.get(name) or [])
    if name == "published":
        return format_date(fields.get(name))
    if name in ("id", "views"):
        return fields.get(name)
    if name == "url":
        return safe_link(fields.get(name) or "")
    return fields.get(name) or None


def safe_link(url: str) -> str | None:
    """A URL that may become a link: http, https or a path on the portal's own site; None for any other (a
    ``javascript:`` or ``data:`` URL on a page would run script in the portal's origin).

    >>> safe_link("https://quan.gov.vn/tin/1"), safe_link("/tin/1"), safe_link(" JaVaScRiPt:alert(1)")
    ('https://quan.gov.vn/tin/1', '/tin/1', None)
    """
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme in ("http", "https") and parts.netloc:
        return url
    if not parts.scheme and url.startswith("/") and not url.startswith("//"):
        return url
    return None


def article_json(fields: dict[str, Any]) -> dict[str, Any]:
    """A stored article, as the API returns it: every public field (``sources.ARTICLE_FIELDS``)."""
    return {name: public_value(fields, name) for name in ARTICLE_FIELDS}


def hit_json(
    fields: dict[str, Any], score: float | None, snippet_html: str | None = None, title_html: str | None = None
) -> dict[str, Any]:
    """One hit of a results list: ``HIT_FIELDS``, its score (None when sorted otherwise), its snippet and its title
    marked."""
    hit = {name: public_value(fields, name) for name in HIT_FIELDS}
    hit["score"] = round(score, 4) if score is not None else None
    if snippet_html is not None:
        hit["snippet"] = snippet_html
    if title_html is not None:
        hit["title_html"] = title_html
    return hit


# What a results list names of another copy of a hit's article (``searcher.Copies``): where else it is.
COPY_FIELDS = ("id", "url", "published", "category", "source")


def copy_json(fields: dict[str, Any]) -> dict[str, Any]:
    """Another copy of a hit's article: ``COPY_FIELDS``."""
    return {name: public_value(fields, name) for name in COPY_FIELDS}


def marked_titles(titles: Sequence[str], exact: set[str], folded: set[str]) -> list[str]:
    """Each of a page's hit titles, HTML-escaped, the words the query matched in ``<mark>`` as a snippet marks them:
    an article matched by its title alone shows why. Their syllables are found together, as ``snippets`` finds a
    page's; only a title's first TITLE_MARKED characters are looked at (a title is a line; a source's title may hold
    500,000 characters), the rest is escaped.

    >>> marked_titles(["UBND quận <Hải Châu>", "Hội đồng"], {"ubnd"}, {"hai", "chau"})
    ['<mark>UBND</mark> quận &lt;<mark>Hải Châu</mark>&gt;', 'Hội đồng']
    """
    heads = []
    for title in titles:
        head = title[:TITLE_MARKED]
        heads.append(head[: head.rfind(" ") + 1] or head if len(head) < len(title) else head)  # no word cut in two
    normalized = normalize_all_with_offsets(heads)
    shown = []
    for title, head, each, (starts, ends, candidates) in zip(
        titles, heads, normalized, _spans_of_texts([n.text for n in normalized], exact, folded), strict=True
    ):
        found = _candidate_syllables(each.text, starts, ends, candidates)
        marked = _matched(found, exact, folded, _clauses_started(each.text, found, starts, ends)) if found else {}
        if not marked:
            shown.append(html.escape(title))
            continue
        spans = _original_spans(each, starts, ends)
        hits = [i in marked for i in range(len(spans))]
        text = _marked(head, spans, hits, False, False)
        shown.append(html.escape(head[: spans[0][0]]) + text + html.escape(title[spans[-1][1] :]))
    return shown


def facets_json(
    groups: dict[str, dict[Any, int]], chosen: dict[str, Sequence[str]] | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Each facet's values with their counts: categories and sources the most frequent first (``FACET_LIMIT`` of
    them, and each value ``chosen`` whatever its count), years the latest first."""
    named = {}
    for name in ("category", "source"):
        rows = [{"value": k, "count": v} for k, v in groups.get(name, {}).items() if k]
        rows.sort(key=lambda row: (-row["count"], row["value"]))
        named[name] = [
            row
            for number, row in enumerate(rows)
            if number < FACET_LIMIT or row["value"] in (chosen or {}).get(name, ())
        ]
    years = groups.get("year", {})
    year_rows = [{"value": int(k), "count": v} for k, v in years.items() if k is not None and 0 < k < 10000]
    year_rows.sort(key=lambda row: -row["value"])
    return {"category": named["category"], "year": year_rows, "source": named["source"]}


def suggest_query(
    searcher: Searcher,
    request: SearchRequest,
    synonyms: Synonyms | None,
    vocabulary: Vocabulary,
    restore: Callable[[str], str | None],
    budget: float = SUGGESTION_BUDGET,
    best: Sequence[int] = (),
) -> str | None:
    """ "Có phải bạn muốn tìm: …": the accented form of an unaccented query, or the likeliest spelling of an accented
    one (``correct_spelling``), when it finds something.

    ``restore`` gives the accented form of unaccented text, None when it has none (the search passes the restorer its
    plan used, which has restored the same text). Dropped (None), never waited for, when looking for a spelling takes
    more than ``budget`` seconds. ``best`` are the search's best matches (document numbers): most often one of them
    holds an accented form's words already. None found, quoted phrases are offered their words unquoted
    (``_unquoted``), which the search then shows.
    """
    if len(request.q.strip()) > 100:
        return None
    # The words excluded after the words looked for stay as typed, after the spelling offered. The words looked for
    # as the parser reads them: an operator with nothing to join or exclude, or a mark standing alone, left out.
    text, excluded = (part.strip() for part in exclusions_apart(request.q))
    text = words_read(text)
    if '"' in text and not best:
        return _unquoted(searcher, request, synonyms, text, excluded)
    if not text or any(c in text for c in '":') or any(t[0] == "-" or t == "NOT" for t in text.split()):
        return None
    if not _typed_with_marks(text):
        spaced = break_joined(vocabulary, text)  # `hanoi`, `caicachhanhchinh`: the syllables typed without spaces
        typed = spaced or text
        spelling = restore_slips(vocabulary, typed, time.monotonic() + budget) or restore(typed) or spaced
    else:
        typed, spelling = text, correct_spelling(vocabulary, text, time.monotonic() + budget)
    spelling = _forms_kept(typed, spelling, synonyms) if spelling and synonyms is not None else spelling
    suggestion = written_over(text, spelling, vocabulary.written_as_name) if spelling else None
    suggestion = f"{suggestion} {excluded}" if suggestion and excluded else suggestion
    if suggestion and _finds_any(searcher, request, synonyms, best, q=suggestion):
        return suggestion
    return None


def _unquoted(
    searcher: Searcher, request: SearchRequest, synonyms: Synonyms | None, text: str, excluded: str
) -> str | None:
    """The words of quoted phrases no article holds (the search found nothing), without their quotes, when so they
    find something and are plain words (no ``OR``, ``title:``, ``-``): `"cải cách TTHC"` is offered *cải cách TTHC*,
    which the articles writing *cải cách thủ tục hành chính* hold."""
    words = " ".join(text.replace('"', " ").split())
    if not words or any(c in words for c in ":()") or any(t[0] == "-" or t in OPERATORS for t in words.split()):
        return None
    offered = f"{words} {excluded}" if excluded else words
    return offered if " " in words and _finds_any(searcher, request, synonyms, q=offered) else None


def _forms_kept(typed: str, spelling: str, synonyms: Synonyms) -> str:
    """A spelling of a query with each run the synonym list matches (as the search reads it) kept as typed where
    typed as one of the group's forms, or where the spelling changes its letters, and written as the group's form of
    its letters where the spelling adds marks that write no form. A form is no slip: `TTHC`, `ntm` and `dvc` are the
    list's *thủ tục hành chính*, *nông thôn mới* and *dịch vụ công*, not *TTC*, *năm* and *đặc*; *bịnh viện* (the
    South's *bệnh viện*) is not *bình viện*, which the index holds once where *bịnh* is rare; and `binh vien` is
    *bịnh viện*, not *bình viện*. A spelling of another number of syllables (a run typed without spaces, split) is
    left as it is, and so is a group of forms without marks (`xa hoi` is *xã hội*).

    >>> synonyms = Synonyms(groups=((("ntm",), ("nông", "thôn", "mới")), (("bịnh", "viện"), ("bệnh", "viện"))))
    >>> _forms_kept("xay dung ntm", "xây dựng năm", synonyms), _forms_kept("binh vien", "bình viện", synonyms)
    ('xây dựng ntm', 'bịnh viện')
    >>> _forms_kept("bịnh viện bạch mại", "bình viện bạch mai", synonyms)
    'bịnh viện bạch mai'
    >>> _forms_kept("len mang xa hoi", "lên mạng xã hội", Synonyms(groups=((("xahoi",), ("xa", "hoi")),)))
    'lên mạng xã hội'
    """
    syllables = split_syllables(typed)
    words, spelled = [s.text for s in syllables], spelling.split()
    if len(words) != len(spelled):
        return spelling
    capitals = typed_in_capitals(typed, syllables)
    at = 0
    while at < len(words):
        found = synonyms.match(words, at, capitals)
        length = found[0] if found else 1
        # A group whose forms have no marks is one word written joined and apart (*xahoi*, *xa hoi*, of the index's
        # addresses: ``Vocabulary.joined``), no reading of its letters.
        if found and any(has_diacritics(" ".join(form)) for form in found[1]):
            run, read = words[at : at + length], spelled[at : at + length]
            folded = [fold_diacritics(word.lower()) for word in run]
            forms = [list(form) for form in found[1] if [fold_diacritics(w) for w in form] == folded]
            if [word.lower() for word in run] in forms or [fold_diacritics(w.lower()) for w in read] != folded:
                spelled[at : at + length] = run
            elif [word.lower() for word in read] not in forms:
                spelled[at : at + length] = forms[0] if forms else run
        at += length
    return " ".join(spelled)


def _typed_with_marks(text: str) -> bool:
    """Whether a text was typed with diacritics, its document numbers aside: their letters are as they were pasted
    (`NĐ-CP`), beside words typed without."""
    return has_diacritics(normalize_text(" ".join(word for word in text.split() if not CODE_RE.match(word))))


SPELLED_FIELDS = ("all", "phrase", "any")  # the advanced form's words that a spelling is offered for


def suggest_fields(
    searcher: Searcher,
    request: SearchRequest,
    synonyms: Synonyms | None,
    vocabulary: Vocabulary,
    budget: float = SUGGESTION_BUDGET,
    best: Sequence[int] = (),
) -> dict[str, str]:
    """ "Có phải bạn muốn tìm" for the advanced form: the likeliest spelling of each of its word fields typed with
    marks (``SPELLED_FIELDS``; ``correct_spelling``, as for the box) that reads otherwise, written over the field as
    typed, when the search with them so spelled finds something; none otherwise. A field typed without diacritics
    is read by the search itself (spelled as it surely reads, or matched in its likely accentings)."""
    deadline = time.monotonic() + budget
    spelled = {}
    for name in SPELLED_FIELDS:
        text = getattr(request, name).strip()
        if not text or len(text) > 100 or '"' in text:
            continue
        if not _typed_with_marks(text):
            continue
        spelling = correct_spelling(vocabulary, text, deadline)
        if spelling and (written := written_over(text, spelling, vocabulary.written_as_name)) is not None:
            spelled[name] = written
    if spelled and _finds_any(searcher, request, synonyms, best, **spelled):
        return spelled
    return {}


def written_over(typed: str, spelling: str, named: Callable[[list[str]], bool] | None = None) -> str | None:
    """A query's restored or corrected spelling (its syllables joined by spaces) written over the query as typed:
    each syllable it changes in its place and typed case (``UBND quan 1`` → *UBND quận 1*), the rest as typed. A
    spelling that splits a run typed without spaces is written in the run's case: ``HANOI`` → *HÀ NỘI*,
    ``Caicachhanhchinh`` (a phone's first capital) → *Cải cách hành chính*; a run typed with a capital whose
    syllables ``named`` says the index writes as a name (``Vocabulary.written_as_name``) has a capital on each:
    ``Hanoi`` → *Hà Nội*. A document number, or any code with a digit or a slash, stays as typed, whatever its
    syllables read as (``CT/TU`` is not *ct từ*), and so does an operator in capitals (``NOT`` is not *NỐT*); letters
    joined by a dot or a hyphen are syllables like any other (``Q.Go Vap``, a district, is *Q.Gò Vấp*). None when
    that changes nothing.

    >>> written_over("chi thi 29-CT/TU cua Thanh uy", "chỉ thị 29 ct từ của thành ủy")
    'chỉ thị 29-CT/TU của Thành ủy'
    >>> written_over("chay o q.go vap", "cháy ở q gò vấp")
    'cháy ở q.gò vấp'
    """
    syllables = split_syllables(typed)
    groups = _spelled_over(syllables, spelling.split())
    if groups is None:
        return spelling
    codes = [(m.start(), m.end()) for m in re.finditer(r"\S+", typed) if _numbered_code(m.group())]
    pieces, written_to = [], 0
    for syllable, group in zip(syllables, groups, strict=True):
        was = typed[syllable.start : syllable.end]
        if group == [syllable.text] or was in OPERATORS or any(start <= syllable.start < end for start, end in codes):
            continue
        capitals = len(was) > 1 and was.isupper()
        if capitals or (was[:1].isupper() and len(group) > 1 and named is not None and named(group)):
            group = [cased_as(was, new) for new in group]  # `HANOI`: *HÀ NỘI*; `Hanoi`, a name: *Hà Nội*
        else:
            group[0] = cased_as(was, group[0])  # `Caicachhanhchinh`: *Cải cách hành chính*
        pieces += [typed[written_to : syllable.start], " ".join(group)]
        written_to = syllable.end
    return "".join([*pieces, typed[written_to:]]) if pieces else None


def _numbered_code(word: str) -> bool:
    """Whether a word typed is a code (``CODE_RE``) with a digit or a slash: a document's number or kind (``29-CT/TU``,
    ``CT/TU``), a name's (``COVID-19``), whose letters are abbreviations, not syllables to restore."""
    return bool(CODE_RE.match(word)) and any(char == "/" or char.isdigit() for char in word)


def _spelled_over(syllables: list[Syllable], spelled: list[str]) -> list[list[str]] | None:
    """The spelled syllables each typed one became: one each when as many, else those its letters were split into
    (``hanoi`` into *hà*, *nội*); None when they do not line up."""
    if len(spelled) == len(syllables):
        return [[new] for new in spelled]
    groups, at = [], 0
    for syllable in syllables:
        letters, group = fold_diacritics(syllable.text), []
        while at < len(spelled) and len(fold_diacritics("".join(group))) < len(letters):
            group.append(spelled[at])
            at += 1
        if fold_diacritics("".join(group)) != letters:
            return None
        groups.append(group)
    return groups if at == len(spelled) else None


NAME_KEPT = 0.2  # a syllable of a name typed in capitals, this share as likely as typed as restored, stays as typed
FOREIGN_NAME_KEPT = 0.01  # ... this share in a name with a word of another language (``The Times``, ``Dan Brown``)
# A restored spelling is offered when the restorer expects fewer of its syllables than this to be wrong (the sum,
# over the syllables it restores, of the chance that each reads otherwise). On held-out titles of the other corpus
# (``bench/restoration.py``, a model of 4,000, 21,000 or 82,000 VNTC articles), of the spellings it expects 0.8 to 1
# syllable wrong a third to two fifths are right and a fifth to a third read two syllables or more wrong; of those it
# expects fewer than 0.8 wrong, 71-76 % are right and 4-6 % read two or more wrong. Offered, such a spelling reads
# as nonsense (*biến động đơn bảo bác bỏ* for ``bien dong don bao bac bo``, *Biển Đông đón bão Bắc Bộ*) and a click
# searches it; left out, the search still ranks by the likely readings.
OFFERED_WRONG = 0.8


def offered_restoration(typed: str, restoration: Restoration) -> str | None:
    """The accented spelling offered for a query typed without diacritics: the restored one (its syllables joined by
    spaces), except in a name, two or more capitalised words in a row: each of its syllables that could take marks
    stays as typed where that reading is at least ``NAME_KEPT`` as likely as the restored one (``FOREIGN_NAME_KEPT``
    in a name with a word that is no Vietnamese syllable nor an abbreviation). ``Ba Lan`` (Poland) is offered as
    typed, not as *ba lần*; ``Phan Huy`` not as *phân hủy*; ``The Times`` not as *Thể Times*, ``Dan Brown`` not as
    *Dân Brown*; ``Ha Noi`` is *Hà Nội* (the index never writes ``ha noi``). A capital alone says nothing (a phone
    writes the first letter so, a title its first word); nor do capitals in a query all in capitals. None when
    nothing is restored, and when the restorer expects ``OFFERED_WRONG`` or more of the syllables it offers
    restored to be wrong (a headline of words the index seldom has together: ``bien dong don bao bac bo mua lon``)."""
    if restoration.text is None:
        return None
    syllables = split_syllables(typed)
    spelled = list(restoration.spelling)
    if len(syllables) != len(spelled):
        return restoration.text if _expected_wrong(restoration, range(len(spelled))) < OFFERED_WRONG else None
    for name in names_typed(typed, syllables):
        words = [typed[syllables[at].start : syllables[at].end] for at in name]
        foreign = any(word.isalpha() and not word.isupper() and not is_syllable(word.lower()) for word in words)
        share = FOREIGN_NAME_KEPT if foreign else NAME_KEPT
        for at in name:
            chances = dict(restoration.alternatives[at])
            if chances.get(syllables[at].text, 0.0) >= share * chances.get(spelled[at], 0.0):
                spelled[at] = syllables[at].text
    if tuple(spelled) == restoration.typed:
        return None
    restored = [at for at, form in enumerate(spelled) if form == restoration.spelling[at]]
    return " ".join(spelled) if _expected_wrong(restoration, restored) < OFFERED_WRONG else None


def _expected_wrong(restoration: Restoration, positions: Iterable[int]) -> float:
    """How many of the restored syllables at these positions the restorer expects to read otherwise."""
    chances = restoration.spelling_chances
    return sum(1.0 - chances[at] for at in positions)


BARE_RESTORED = 0.9  # a syllable that unlikely as typed (BARE_UNLIKELY), its restored form this likely: restored


def marks_left_out(typed: str, restore: Callable[[str], Restoration]) -> str | None:
    """A query typed with diacritics but some syllables without any, those the index nearly never writes so beside
    the others restored (the others conditioning them, as typed): ``Đà Nang`` (a Vietnamese keyboard's last tone not
    yet put on, or marks typed only here and there) is *Đà Nẵng*. A syllable without marks that the index writes so
    there stays (``ủy ban``, ``bệnh nhân nam``); so do a document number and a word in capitals (an abbreviation:
    ``SAT``). None when nothing is restored."""

    def surely(restoration: Restoration, at: int) -> str | None:
        best, chance = restoration.alternatives[at][0]
        return best if chance >= BARE_RESTORED and restoration.typed_chance(at) < BARE_UNLIKELY else None

    return bare_spelled(typed, restore, surely)


def bare_read(typed: str, restore: Callable[[str], Restoration]) -> str | None:
    """A query typed with diacritics, each syllable typed without any spelled as it likeliest reads beside the
    others, however likely as typed: ``bồi dưỡng van hoa`` is *bồi dưỡng văn hóa*, though the index writes *van* and
    *hoa* so elsewhere. The search's next try when the query as typed finds nothing. None when nothing changes."""
    return bare_spelled(typed, restore, lambda restoration, at: restoration.spelling[at])


def bare_shown(typed: str, restore: Callable[[str], Restoration]) -> str | None:
    """A text typed with diacritics as a search's results read it: each syllable typed without any that the search
    matches as its readings (the index seldom writes it so beside the others, ``BARE_DOUBTFUL``: see
    ``query.Builder._bare_readings``) spelled as the likeliest of them, where that one is at least ``BARE_RESTORED``
    likely: ``mưa lớn miền bac`` reads *mưa lớn miền bắc*, the words its results hold. None when nothing changes."""

    def likeliest(restoration: Restoration, at: int) -> str | None:
        best, chance = restoration.alternatives[at][0]
        return best if restoration.typed_chance(at) < BARE_DOUBTFUL and chance >= BARE_RESTORED else None

    return bare_spelled(typed, restore, likeliest)


def bare_spelled(
    typed: str,
    restore: Callable[[str], Restoration],
    read: Callable[[Restoration, int], str | None],
    bare: list[int] | None = None,
) -> str | None:
    """A text typed with diacritics with its syllables typed without any (``query.bare_syllables``, or the places
    ``bare``) spelled as ``read`` reads each (given the text's restoration and the place; None: as typed), written
    over the text as typed; None when nothing changes."""
    syllables = split_syllables(typed)
    bare = bare_syllables(typed, syllables) if bare is None else bare
    if not bare:
        return None
    restoration = restore(typed)
    if len(restoration.typed) != len(syllables):
        return None
    spelled = list(restoration.typed)
    for at in bare:
        spelled[at] = read(restoration, at) or spelled[at]
    return written_over(typed, " ".join(spelled)) if spelled != list(restoration.typed) else None


SURELY = 0.95  # a short query typed without diacritics, every syllable read this likely, is searched so spelled
# Words and numbers only, and a sentence's punctuation after them (`ma tuy?`): no phrase, exclusion or document number.
PLAIN_WORDS = re.compile(r"[^\W_]+(?:\s+[^\W_]+)*\s*[.?!,;…]*")


def plain_words(typed: str) -> str | None:
    """The words of a query of plain words (``PLAIN_WORDS``), as the box's parser reads it: an operator with nothing
    to join or exclude, and a mark that is no word, left out. ``ma tuy NOT`` (typed before the word to exclude),
    ``ma tuy -``, ``ma tuy "`` and ``ma tuy AND ha noi`` are the words ``ma tuy`` and ``ma tuy ha noi`` they search.
    None for a query with a phrase, an exclusion, a field, alternatives or a document number.

    >>> plain_words("ma tuy NOT"), plain_words("ma tuy - "), plain_words("ma tuy AND ha noi"), plain_words("ma tuy?")
    ('ma tuy', 'ma tuy', 'ma tuy ha noi', 'ma tuy?')
    >>> plain_words('ma tuy "ha noi"'), plain_words("ma tuy OR ha noi"), plain_words("-ma tuy"), plain_words("AND OR")
    (None, None, None, None)
    """
    clauses = parse_basic(typed)
    if len(clauses) != 1 or not clauses[0].plain or clauses[0].codes:
        return None
    words = " ".join(token for token in clauses[0].text.split() if any(char.isalnum() for char in token))
    if words in OPERATORS or not PLAIN_WORDS.fullmatch(words):  # `AND OR`: operators alone are the words typed
        return None
    return words


def words_read(text: str) -> str:
    """A query as the box's parser reads it: its plain words (``plain_words``: ``ma tuy AND`` is ``ma tuy``), else
    its clauses (``OR ma túy OR hà nội OR`` is ``ma túy OR hà nội``)."""
    return plain_words(text) or " ".join(clause.describe() for clause in parse_basic(text))


def surely_restored(typed: str, restore: Callable[[str], Restoration]) -> str | None:
    """A short query typed without any diacritic whose every syllable reads one way all but surely (``SURELY``,
    given its neighbours), in the case typed: ``tham nhung`` is *tham nhũng*. Searched without its diacritics, such
    a query matches every article holding its letters in any accenting (*thăm* and *những*: 30,172 of VNTC's
    articles, where *tham nhũng* is in 1,030), so the count, the categories and every page past the first would
    be of what the visitor did not ask; the page says which spelling it searched and links to the letters as
    typed. A run of more than ``ALL_REQUIRED_UP_TO`` words (any of its words matches, its restored spelling
    ranks), a phrase, an exclusion, a document number and a name kept as typed (``offered_restoration``) are left
    as typed, and so is a query one of whose syllables could read otherwise. None when nothing changes: a query
    that surely reads as typed is ``surely_as_typed``."""
    read = _surely_read(typed, restore)
    return _surely_spelled(*read) if read is not None else None


def surely_as_typed(typed: str, restore: Callable[[str], Restoration]) -> bool:
    """Whether a short query typed without any diacritic reads as typed, without marks, all but surely, as
    ``surely_restored`` reads others: ``an ninh``, ``nha trang``. In any accenting it matched *ăn*, *ấn* and *nhà*
    as well (891 of the tests' 4,000 VNTC articles for ``nha trang``, the last pages' marked *nhà … trang*); the
    search matches its words as spelled (``SearchRequest.spelled``)."""
    read = _surely_read(typed, restore)
    if read is None or read[1].text is not None:
        return False
    return any(len(forms) > 1 for forms in read[1].alternatives)  # ``ubnd``, ``email``: no other spelling to leave


def _surely_read(typed: str, restore: Callable[[str], Restoration]) -> tuple[str, Restoration] | None:
    """A query's plain words (``plain_words``) typed without any diacritic, of up to ``ALL_REQUIRED_UP_TO`` words,
    with their restoration, each of whose syllables it reads at least ``SURELY`` likely; None for any other query."""
    words = plain_words(typed)
    if words is None or has_diacritics(words):
        return None
    restoration = restore(words)
    if len({s for s in restoration.spelling if not is_stop_word(s)}) > ALL_REQUIRED_UP_TO:
        return None
    if not restoration.spelling or min(restoration.spelling_chances) < SURELY:
        return None
    return words, restoration


def _surely_spelled(words: str, restoration: Restoration) -> str | None:
    """Words read surely (``_surely_read``) in the spelling restored, in the case typed; None when that is the words
    as typed, or when a name among them is offered as typed (``offered_restoration``)."""
    if restoration.text is None or offered_restoration(words, restoration) != restoration.text:
        return None
    return written_over(words, restoration.text)


def alternatives_restored(typed: str, restore: Callable[[str], Restoration]) -> str | None:
    """A query of alternatives joined by ``OR`` typed without any diacritic, alone or in parentheses beside runs of
    plain words, each alternative and run a short query of plain words that surely reads one way
    (``surely_restored``) or as typed (``ubnd``, ``nha trang``), each spelled so: ``ma tuy OR ha noi`` is *ma túy OR
    hà nội*, where in any accenting it matched every article with a *mà* and a *tùy*, or a *hà* and a *nói*, too, and
    ``(tham nhung OR ma tuy) ha noi`` is *(tham nhũng OR ma túy) hà nội*. The runs of one query are matched with or
    without diacritics alike, so none is spelled unless each reads surely. None for any other query, and when nothing
    is spelled."""
    clauses = parse_basic(typed)
    if not any(clause.alternatives for clause in clauses) or has_diacritics(typed):
        return None
    runs = [run for clause in clauses for run in clause.alternatives or [clause]]
    if not all(run.plain and not run.codes for run in runs):
        return None
    spelled = []
    for run in runs:
        read = _surely_read(run.text, restore)
        if read is None:
            return None
        written = _surely_spelled(*read)
        if written is None and read[1].text is not None:  # a name kept as typed
            return None
        spelled.append(written or run.text)
    if spelled == [run.text for run in runs]:
        return None
    each = iter(spelled)  # in the order of ``runs``
    written_clauses = []
    for clause in clauses:
        either = " OR ".join(next(each) for _ in clause.alternatives or [clause])
        written_clauses.append(f"({either})" if clause.grouped else either)
    return " ".join(written_clauses)


def any_words_spelled(text: str, restore: Callable[[str], Restoration]) -> str | None:
    """The advanced form's "any of these words", each of its words (``query.field_words``) typed without diacritics
    that surely reads one way spelled so, the words joined by commas: any of ``da nang hue`` is any of *đà nẵng,
    huế*, where it matched every article with a *đã* and a *nâng* too. Words typed apart (between commas, semicolons
    or quotes) are each read alone, as the box reads a short query (``surely_restored``); a run typed without them
    is read whole, each of its words spelled as the run reads it when each of the word's syllables reads so at least
    ``SURELY`` likely and is offered so (``offered_restoration``: a name stays as typed). None when no word is
    spelled."""
    words = field_words(text, restore)
    if re.search(r'[,;"]', text) or len(words) < 2 or has_diacritics(text):
        spelled = [surely_restored(word, restore) or word for word in words]
        return ", ".join(spelled) if spelled != words else None
    restoration = restore(text)
    offered = offered_restoration(text, restoration)
    if offered is None or len(offered.split()) != len(restoration.spelling):
        return None
    offered_syllables, chances = offered.split(), restoration.spelling_chances
    spelled, first = [], 0
    for word in words:
        last = first + len(split_syllables(word))
        sure = all(
            chances[at] >= SURELY and offered_syllables[at] == restoration.spelling[at] for at in range(first, last)
        )
        written = written_over(word, " ".join(restoration.spelling[first:last])) if sure else None
        spelled.append(written or word)
        first = last
    return ", ".join(spelled) if spelled != words else None


def spaced_reading(typed: str, restore: Callable[[str], Restoration], vocabulary: Vocabulary) -> str | None:
    """A query typed without diacritics, a run of whose letters holds several syllables (``break_joined``), as those
    syllables, spelled as they all but surely read (``surely_restored``), else without diacritics: ``congty`` is
    *công ty*, ``hanoi`` *hà nội*, ``Hanoi`` *Hà Nội*. Such a run is split only where its syllables are read side by
    side far more often than the run itself is written, and a run the index holds is most often words an article
    ran together (*côngty*, *bóngđã*: one article each, where *công ty* is in thousands) or a name in another
    language's letters (*Hanoi Telecom*); searched as typed, it found those alone. The page says which words it
    searched and links to the letters as typed. None when no run is split."""
    words = plain_words(typed)
    if words is None or has_diacritics(words):
        return None
    spaced = break_joined(vocabulary, words)
    if spaced is None:
        return None
    return written_over(words, surely_restored(spaced, restore) or spaced, vocabulary.written_as_name)


def exclusions_spaced(vocabulary: Vocabulary, excluded: str) -> str | None:
    """Words excluded beside the words looked for (``exclusions_apart``), each of whose runs of letters typed without
    diacritics that holds several syllables (``break_joined``) is spaced, as the words looked for are: ``-hanoi``
    excludes *Hà Nội*, as ``-"ha noi"`` does, where the letters ``hanoi`` are in no article; ``NOT hanoi`` is ``NOT ha
    noi``. Each exclusion is read alone; a field's clause (``-title:…``) stays as typed. None when none is spaced."""

    def spaced(match: re.Match[str]) -> str:
        hyphen, fieldname, quoted, word = match.groups()
        text = quoted if quoted is not None else word
        if fieldname or not text or text in OPERATORS or has_diacritics(text):
            return match.group()
        broken = break_joined(vocabulary, text)
        if broken is None:
            return match.group()
        return f'{hyphen}"{broken}"' if hyphen or quoted is not None else broken

    read = TOKEN_RE.sub(spaced, excluded)
    return read if read != excluded else None


def fields_spaced(vocabulary: Vocabulary, text: str) -> str | None:
    """An advanced form's field, each of whose parts (between commas, semicolons or quotes) typed without diacritics
    with a run of letters that holds several syllables (``break_joined``) is spaced, as the box's words are: none of
    ``hanoi`` is none of *hà nội*. None when no part is spaced."""

    def spaced(match: re.Match[str]) -> str:
        part = match.group()
        broken = None if has_diacritics(part) else break_joined(vocabulary, part)
        return f"{part[: len(part) - len(part.lstrip())]}{broken}{part[len(part.rstrip()) :]}" if broken else part

    read = re.sub(r'[^,;"]+', spaced, text)
    return read if read != text else None


def _probe(request: SearchRequest, synonyms: Synonyms | None, **suggested: str) -> SearchPlan:
    """What the suggested texts would match in their fields of the request (``q``, the box; the advanced form's
    words), its other fields and filters kept, as following the suggestion's link searches (its plan without the
    boosts that only order the matches: the suggestion's checks ask whether it finds anything; its words apart, as
    the search tries them when none holds them whole)."""
    return build_plan(replace(request, **suggested), synonyms, boosts=False, apart=True)


def _finds_any(
    searcher: Searcher,
    request: SearchRequest,
    synonyms: Synonyms | None,
    among: Sequence[int] = (),
    **suggested: str,
) -> bool:
    """Whether a request with suggested texts in some of its fields finds anything: first whether one of the given
    articles matches it (only the blocks of its posting lists they fall in are read), else stopping at the first
    match instead of scoring and counting every one."""
    plan = _probe(request, synonyms, **suggested)
    if among and any(matched(searcher, among, [plan.required], PostingLists(searcher)).values()):
        return True
    if request.none.strip():
        # Words excluded: Whoosh's matchers would test each match against them a posting at a time, and a suggestion
        # whose words the excluded ones hold (``nguoi dan`` without *dân*) has none left after all of them (300 ms on
        # all of VNTC); the arrays a search matches with take what a search takes.
        return len(match_scores(searcher, plan.required, PostingLists(searcher))) > 0
    query = plan.query
    # Matching only, unscored: Whoosh's matchers skip to the first article every part holds. Asked for the current
    # match (needs_current), Whoosh unites a word's fields lazily; in a plain boolean context, on an index of 5,000
    # articles or fewer, it reads every union whole into arrays first, a posting at a time (4 ms of a search typed
    # without diacritics on 3,000 articles).
    context = searcher.context(needs_current=True, weighting=None)
    return any(query.matcher(leaf, context).is_active() for leaf, _offset in searcher.leaf_searchers())


def _vietnamese_letters() -> str:
    """The lower-case letters of Vietnamese (every vowel with every tone mark), the Latin ones it lacks, digits."""
    vowels = "aăâeêioôơuưy"
    marks = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")  # none, huyền, sắc, hỏi, ngã, nặng
    toned = {unicodedata.normalize("NFC", vowel + mark) for vowel in vowels for mark in marks}
    return "".join(sorted(toned | set("bcdđfghjklmnpqrstvwxz0123456789")))


LETTERS = _vietnamese_letters()
LETTER_FORMS: dict[str, list[str]] = {}  # a letter without diacritics → the letters written so with them (d: d, đ)
for _letter in LETTERS:
    LETTER_FORMS.setdefault(fold_diacritics(_letter), []).append(_letter)
ALPHABETIC_LETTERS = "".join(letter for letter in LETTERS if letter.isalpha())
PLAIN_LETTERS = "abcdefghijklmnopqrstuvwxyz"  # the letters a syllable is folded to (``fold_diacritics``: đ to d)
LONGEST_SYLLABLE = 10  # letters: "nghiêng" has 7; a longer run of letters is not a syllable to correct


def one_edit(word: str, letters: str = LETTERS) -> set[str]:
    """Every spelling one edit away (a letter dropped, two swapped, one replaced or one added, as in the
    Damerau-Levenshtein distance), over ``letters``: about (2n + 1) × 103 of them for n letters of ``LETTERS``.

    >>> {"nhũng", "những", "nhung"} <= one_edit("nhủng"), "tham" in one_edit("thma"), "quý" in one_edit("quí")
    (True, True, True)
    """
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    edits = {a + b[1:] for a, b in splits if b}
    edits.update(a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1)
    edits.update(a + c + b[1:] for a, b in splits if b for c in letters)
    edits.update(a + c + b for a, b in splits for c in letters)
    edits.discard(word)
    return edits


# How much less likely than the spelling typed a slip is, before the neighbouring words have their say.
SLIP_PRIOR = math.log(0.02)  # hỏi for ngã, i for y, d for đ (or back): the commonest slips, on a known syllable
# Any other tone on a syllable the index holds (a key pressed for another, a tone left out): rarer, and far more
# syllables are so written, so only a neighbour's strong evidence picks one (`bench/spelling.py`).
TONE_PRIOR = math.log(0.004)  # 1 in 250: `bệnh viên` (13 times in 21,000 articles) is *bệnh viện* (3,366)
MARK_PRIOR = TONE_PRIOR  # a vowel's mark left out, put in or changed (``other_marks``): as rare, and as many
EDIT_PRIOR = math.log(0.01)  # any one edit of a syllable the index never holds
# A letter slipped that makes another syllable the index holds (``các`` for *cách*, ``vện`` for *viện*): the typed
# syllable is a word, so only neighbours that read it far likelier otherwise pick the other.
LETTER_PRIOR = math.log(1e-4)
LETTERS_KEPT = 4  # of a held syllable's letter slips, the most its neighbours favour weighed as its other readings
PAIRS_SURE = 10  # a syllable seen this often beside each neighbour is no slip of its letters
LIKELY_FORMS = 3  # a syllable typed without diacritics is weighed beside its neighbour in its most frequent forms
# A syllable the restorer's sample lacks and the index holds in at most this many articles is likelier a slip than
# meant: of all VNTC's 84,132 articles, ``ngi`` (for *nghị*) is in 2, ``địnhh`` in 1. One meant (a rare name) is
# offered as typed too, and kept when its neighbours give no edit of it the better reading.
RARE_TYPED = 3
EDITS_WEIGHED = 64  # the most forms one slipped syllable is weighed as, the most frequent first
HOI_NGA = {"\u0309": "\u0303", "\u0303": "\u0309"}


HORN = "\u031b"  # the horn of ư and ơ, decomposed
# ươ with one of its horns left out, in a syllable without its tone: a keyboard that puts the horn on one vowel of the
# pair (``nguời``, ``ngưòi``)
HALF_HORN = re.compile(f"(?i)(?<!q)(?:uo{HORN}|u{HORN}o(?!{HORN}))")


def horned(syllable: str) -> str | None:
    """A syllable whose *ươ* lacks one of its horns (``HALF_HORN``) written with both, its tone on the *ơ*; None for
    any other.

    >>> horned("nguời"), horned("ngừoi"), horned("TRUỜNG"), horned("quở"), horned("người")
    ('người', 'người', 'TRƯỜNG', None, None)
    """
    decomposed = unicodedata.normalize("NFD", syllable)
    toneless = "".join(char for char in decomposed if char not in TONE_MARKS)
    if not HALF_HORN.search(toneless):
        return None
    tone = "".join(char for char in decomposed if char in TONE_MARKS)
    whole = HALF_HORN.sub(lambda pair: HORN.join(pair.group().replace(HORN, "")) + HORN + tone, toneless)
    return normalize_syllable(unicodedata.normalize("NFC", whole))


HORNS_MENDED = 20  # half a horn is mended where the index writes the whole syllable this many times as often


def horns_mended(typed: str, vocabulary: Vocabulary) -> str | None:
    """A query with its syllables whose *ươ* lacks a horn (``horned``: ``nguời dân``, ``thủ tuớng``, ``ngưòi``)
    written whole, each where the index writes the whole syllable ``HORNS_MENDED`` times as often as the one typed,
    in the case typed; None when none is. A keyboard that puts the horn on one vowel of the pair writes such
    spellings, never a writer who means them: searched as typed, ``nguời dân`` found the 3 of 21,000 VNTC articles
    that slipped so, where *người dân* is in 2,213."""
    known = vocabulary.known
    pieces, written_to = [], 0
    for syllable in split_syllables(typed):
        whole = horned(syllable.text)
        if whole is None or known.get(whole, 0) < max(HORNS_MENDED * known.get(syllable.text, 0), 1):
            continue
        pieces += [typed[written_to : syllable.start], cased_as(typed[syllable.start : syllable.end], whole)]
        written_to = syllable.end
    return "".join([*pieces, typed[written_to:]]) if pieces else None


def spelling_mended(syllable: str) -> str | None:
    """A syllable whose start Vietnamese spelling never writes (``keyboard.misspelt``) as it writes it: *ngh* and
    *gh* before *i*, *e* and *ê*, *ng* and *g* before any other letter, in the case typed; None for any other.

    >>> spelling_mended("ngiệp"), spelling_mended("Ngèo"), spelling_mended("nghành"), spelling_mended("ghà")
    ('nghiệp', 'Nghèo', 'ngành', 'gà')
    >>> spelling_mended("nghiệp"), spelling_mended("gì"), spelling_mended("gen") is None
    (None, None, False)
    """
    if not misspelt(syllable.lower()):
        return None
    decomposed = unicodedata.normalize("NFD", syllable)
    at = 2 if decomposed[:2].lower() == "ng" else 1
    if decomposed[at : at + 1].lower() == "h":
        mended = decomposed[:at] + decomposed[at + 1 :]
    else:
        mended = decomposed[:at] + ("H" if decomposed[at - 1].isupper() and decomposed[at:].isupper() else "h")
        mended += decomposed[at:]
    return unicodedata.normalize("NFC", mended)


D_SWAPPED = {"d": "đ", "đ": "d", "D": "Đ", "Đ": "D"}


def slips(syllable: str) -> set[str]:
    """The commonest spelling slips of a syllable: hỏi typed for ngã or ngã for hỏi, a final i for y or y for i
    where that makes another syllable (``tai``/``tay``; ``kĩ``/``kỹ`` are one syllable, ``normalize_syllable``), and
    *ươ* with one horn left out (``nguời``, ``ngưòi`` for *người*; a keyboard that puts the horn on one vowel of the
    pair writes them, and the index has them: 15 articles of 21,000 write ``nguời``). *uơ* is also written so
    meant (*thuở*, *huơ*), so it is a slip to weigh, never an equivalence. A start that Vietnamese spelling never
    writes, as it writes it (``spelling_mended``: ``ngiệp``, which 2 articles of 21,000 hold, for *nghiệp*, in
    5,809): a slip to weigh too, since a word of another language is written so meant (*gen*, *gel*). And a *d* typed
    for *đ* or back (``dầu tư``, ``Dà Nẵng``: Telex's *dd* typed once, a phone's *đ* not held down; ``đi động``),
    where both are words (*dầu khí*, *đầu tư*), so the neighbours choose.

    >>> sorted(slips("nhủng")), sorted(slips("tay")), sorted(slips("kỹ")), sorted(slips("bão"))
    (['nhũng'], ['tai'], ['kỷ'], ['bảo'])
    >>> sorted(slips("tuớng")), sorted(slips("Truờng")), sorted(slips("thương"))
    (['tướng'], ['Trường'], [])
    >>> sorted(slips("dầu")), sorted(slips("Dà")), sorted(slips("đưọc")), sorted(slips("đồng"))
    (['đầu'], ['Đà'], ['dưọc', 'được'], ['dồng'])
    """
    decomposed = unicodedata.normalize("NFD", syllable)
    found = set()
    if (whole := horned(syllable)) is not None:
        found.add(whole)
    if (spelt := spelling_mended(syllable)) is not None:
        found.add(spelt)
    for mark, other in HOI_NGA.items():
        if mark in decomposed:
            found.add(unicodedata.normalize("NFC", decomposed.replace(mark, other)))
    if (start := D_SWAPPED.get(syllable[:1])) is not None:
        found.add(start + syllable[1:])
    for final, other in (("i", "y"), ("y", "i")):
        stem = decomposed.rstrip("".join(TONE_MARKS))
        if stem.endswith(final) and len(stem) > 1:
            marks = decomposed[len(stem) :]
            found.add(normalize_syllable(unicodedata.normalize("NFC", stem[:-1] + other + marks)))
    found.discard(syllable)
    return found


def other_tones(syllable: str) -> set[str]:
    """The syllable with each other tone, none among them (``thủ tưởng`` for *thủ tướng*, ``hà nôi`` for *hà nội*),
    the mark placed as ``normalize_syllable`` places it.

    >>> sorted(other_tones("tưởng")), sorted(other_tones("nôi"))
    (['tương', 'tướng', 'tường', 'tưỡng', 'tượng'], ['nối', 'nồi', 'nổi', 'nỗi', 'nội'])
    """
    decomposed = unicodedata.normalize("NFD", syllable)
    bare = "".join(char for char in decomposed if char not in TONE_MARKS)
    if not any(char.lower() in "aeiouy" for char in bare):
        return set()
    found = {_toned(bare, mark) for mark in TONE_MARKS}
    found.add(normalize_syllable(unicodedata.normalize("NFC", bare)))
    found.discard(syllable)
    return found


def _toned(bare: str, tone: str) -> str:
    """Decomposed letters without a tone with ``tone`` put on, where ``normalize_syllable`` places it: after the last
    vowel and its own marks (ơ, ư, â…), which it moves as the spelling has it."""
    vowels = [at for at, char in enumerate(bare) if char.lower() in "aeiouy"]
    after = vowels[-1] + 1 if vowels else len(bare)
    while after < len(bare) and unicodedata.combining(bare[after]):
        after += 1
    return normalize_syllable(unicodedata.normalize("NFC", bare[:after] + tone + bare[after:]))


# A vowel's marks, decomposed: its circumflex (â ê ô), breve (ă) or horn (ơ ư), or none.
VOWEL_MARKS = {"a": ("", "\u0302", "\u0306"), "e": ("", "\u0302"), "o": ("", "\u0302", HORN), "u": ("", HORN)}
MARKED_LETTER = re.compile("[^\u0302\u0306\u031b][\u0302\u0306\u031b]?")


def other_marks(syllable: str) -> set[str]:
    """The syllable with one vowel's mark left out, put in or changed, the tone kept (``sân bây`` for *sân bay*: a
    Telex *aa* typed for *a*; ``bân hành``, ``tỏng thống``), and *ươ* as *uo* and back (``truòng``). Many are no
    syllable at all (*đâừ*): only those the index holds are weighed.

    >>> sorted(other_marks("bây")), sorted(other_marks("Tất")), "trường" in other_marks("truòng")
    (['bay', 'băy'], ['Tát', 'Tắt'], True)
    """
    decomposed = unicodedata.normalize("NFD", syllable)
    tone = "".join(char for char in decomposed if char in TONE_MARKS)
    letters = MARKED_LETTER.findall("".join(char for char in decomposed if char not in TONE_MARKS))
    variants = []
    for at, letter in enumerate(letters):
        for mark in VOWEL_MARKS.get(letter[0].lower(), ()):
            if letter[0] + mark != letter:
                variants.append([*letters[:at], letter[0] + mark, *letters[at + 1 :]])
    for at in range(len(letters) - 1):
        u, o = letters[at][0], letters[at + 1][0]
        if (u + o).lower() == "uo" and {letters[at][1:], letters[at + 1][1:]} in ({""}, {HORN}):
            both = (u, o) if letters[at][1:] else (u + HORN, o + HORN)
            variants.append([*letters[:at], *both, *letters[at + 2 :]])
    found = {_toned("".join(variant), tone) for variant in variants}
    found.discard(syllable)
    return found


def holds(vocabulary: Vocabulary, syllable: str) -> bool:
    """Whether the index holds a syllable as a word, not a slip: more than ``RARE_TYPED`` articles do, or the
    restorer's sample has it (looked up only for a syllable the index holds: a slip's thousand edits are mostly not)."""
    count = vocabulary.known.get(syllable)
    return count is not None and (count > RARE_TYPED or vocabulary.syllables.number(syllable) is not None)


def _letters_slipped(
    vocabulary: Vocabulary, reading: Sequence[str], at: int, around: Sequence[Sequence[str]] | None = None
) -> list[str]:
    """The syllables the index holds (``holds``) that a letter dropped, added, swapped or replaced turns into the
    one read at ``at``, other letters than its own, not only other marks (``các`` for *cách*, ``vện`` for *viện*,
    ``chin`` for *chính*). Looked for only where the sample holds the syllable read beside one of its neighbours
    fewer than ``PAIRS_SURE`` times (the articles' own slips: *cải các* 4 times in 21,000 VNTC articles, *cải cách*
    474), or never with them (*cái các* and *các hành* are common, *cái các hành* never written; at either end of
    the query, the two beside it: *qua hệ*, of *qua hệ thống*, is common, *qua hệ với* never written); of those,
    the ones likelier than it between its neighbours by the sample's pairs alone (``_between``), the likeliest
    first, at most ``LETTERS_KEPT``. Each one weighed costs the reading of the whole query, and one its
    neighbours do not favour would not be chosen. Typed without diacritics, ``around`` holds each syllable's
    likeliest forms: the letters' edits in any of their forms are weighed, between any of the neighbours' forms
    (``chin phu`` reads *chín phụ*, and *chính* goes with *phủ*)."""
    syllable, bare = reading[at], around is not None
    around = around or [[form] for form in reading]
    before, after = around[at - 1] if at else (), around[at + 1] if at + 1 < len(reading) else ()
    if not (before or after) or not is_syllable(syllable.lower()):
        return []  # no neighbour to choose by; an abbreviation or a name (``nb``) is no slip of a syllable
    model = vocabulary.syllables
    pairs = [(reading[at - 1], syllable)] if before else []
    pairs += [(syllable, reading[at + 1])] if after else []
    # The three syllables around it, or at either end of the query the two beside it and it.
    start = at - 1 if before and after else (at - 2 if before else at)
    three = tuple(reading[start : start + 3]) if start >= 0 else ()
    if all(model.pair_count(*pair) >= PAIRS_SURE for pair in pairs) and (len(three) < 3 or model.triple_count(*three)):
        return []  # seen beside its neighbours often, and with them: read as typed
    letters = fold_diacritics(syllable).lower()
    if bare:  # the letters' edits the index holds, in each of their forms
        near = (edit for edit in one_edit(letters, PLAIN_LETTERS) if is_syllable(edit))
        edits = sorted({form for edit in near for form in _accentings(vocabulary, edit)})
    else:  # a letter without a tone or with its own dropped, added or typed for another (a quarter of all edits)
        found = (edit for edit in one_edit(syllable.lower(), _letters_toned(syllable)) if edit in vocabulary.known)
        edits = sorted(
            {
                edit
                for edit in found
                if fold_diacritics(edit) != letters and is_syllable(edit) and holds(vocabulary, edit)
            }
        )
    if not edits:
        return []
    likely = _between(model, before, [*around[at], *edits], after)
    read, likely = likely[: len(around[at])].max(), likely[len(around[at]) :]
    favoured = np.flatnonzero(likely > read)
    return [edits[at] for at in favoured[np.argsort(-likely[favoured], kind="stable")][:LETTERS_KEPT].tolist()]


def _between(model: Syllables, before: Sequence[str], forms: Sequence[str], after: Sequence[str]) -> np.ndarray:
    """How likely each syllable is between its neighbours' forms (either side may have none), up to a factor the
    same for every syllable, by the sample's pairs alone: P(form | before) × P(after | form), each side's likeliest
    form; a pair's count is given a syllable's own frequency beside it (an additive prior of one), so a syllable
    seldom seen and never beside the other is not likelier than one often seen beside it, and one never seen beside
    either is as likely as its frequency says."""
    given, then, seen = model.beside(before, forms, after)
    total = max(model.total, 1)
    likely = given + seen / total if before else seen / total
    if after:
        likely = likely * (then + max(model.occurrences(form) for form in after) / total) / (seen + 1)
    return likely


@functools.cache
def _toned_letters(tone: str) -> str:
    """The letters a syllable with ``tone`` (a combining mark, or none) is typed with: every letter without a tone,
    and each vowel with it."""
    plain = [
        letter for letter in LETTERS if letter.isalpha() and not set(unicodedata.normalize("NFD", letter)) & TONE_MARKS
    ]
    toned = {
        unicodedata.normalize("NFC", unicodedata.normalize("NFD", letter) + tone)
        for letter in plain
        if letter in "aăâeêioôơuưy"
    }
    return "".join(sorted(set(plain) | toned))


def _letters_toned(syllable: str) -> str:
    """The letters of ``_toned_letters`` for a syllable's own tone; every letter for a syllable without one (the
    vowel that bore it may be the letter dropped: ``triu`` for *triệu*)."""
    tone = "".join(char for char in unicodedata.normalize("NFD", syllable) if char in TONE_MARKS)
    return _toned_letters(tone) if tone else ALPHABETIC_LETTERS


def _lone_letter(syllable: str, alone: bool) -> bool:
    """A single letter typed alone or not a letter Vietnamese is typed with (``я``, ``ß``, ``中``): one the index does
    not hold is no slip to mend. An edit leaves nothing of it, and with no word beside it to choose by, the commonest
    syllable of one letter wins (each was offered *ở*). Beside other words, ``l`` may be a slip for *là*."""
    return len(syllable) == 1 and (alone or syllable.lower() not in LETTERS)


def _slipped(vocabulary: Vocabulary, syllable: str, alone: bool = False) -> bool:
    """Letters that the index does not hold as a word (``holds``), or whose start Vietnamese spelling never writes
    that it holds only as a few articles' slips (``_misspelt_rarely``): a slip to look one edit away from (``alone``:
    the query's only word)."""
    return (
        syllable.isalpha()
        and len(syllable) <= LONGEST_SYLLABLE
        and not _lone_letter(syllable, alone)
        and (not holds(vocabulary, syllable) or _misspelt_rarely(vocabulary, syllable))
    )


def _misspelt_rarely(vocabulary: Vocabulary, syllable: str) -> bool:
    """A syllable whose start Vietnamese spelling never writes (``spelling_mended``: *ngi*, *ghà*) that at most
    ``RARE_TYPED`` articles hold, where the index holds the syllable that writes it right (in any accenting)
    ``MISSPELT_OVER`` times as often: their writers' slip, though the restorer's sample holds one of them (``ngi
    dinh`` is *nghị định* on an index one article of which writes *ngi*). A word of another language so written is
    seldom that much rarer than its mended letters (*gen* and *ghen*)."""
    count = vocabulary.known.get(syllable, 0)
    mended = spelling_mended(syllable) if count <= RARE_TYPED else None
    if mended is None:
        return False
    right = sum(vocabulary.known.get(form, 0) for form in _accentings(vocabulary, fold_diacritics(mended).lower()))
    return right >= MISSPELT_OVER * max(count, 1)


MISSPELT_OVER = 100


def _near(vocabulary: Vocabulary, syllable: str, anywhere: bool = False) -> set[str]:
    """The syllables one edit or one common slip away that the index has (as written, or as letters it writes with
    diacritics): of about a thousand edits, those it has taken by set operations. A word without a Vietnamese
    syllable's shape (``iphone``, ``zalo``, ``cahc``) is edited as ``_typed_start`` says, unless ``anywhere``: a word
    of another language the index lacks would otherwise read as one that ends alike (``iphone`` as *phone*, ``zalo``
    as *calo*). A syllable's shape is kept by a slip of its first letter more often (*x* for *s*, *ch* for *tr*):
    such a word is edited anywhere."""
    edits = one_edit(syllable) | slips(syllable)
    near = (edits & vocabulary.known.keys()) | (edits & vocabulary.syllables.forms.keys())
    if anywhere or is_syllable(syllable.lower()):
        return near
    return {edit for edit in near if _typed_start(syllable, edit)}


KEY_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
KEYS_BESIDE = {row[i]: row[max(i - 1, 0) : i] + row[i + 1 : i + 2] for row in KEY_ROWS for i in range(len(row))}


def _typed_start(typed: str, edit: str) -> bool:
    """Whether an edit of a word keeps its first letter, or changes it as a slip of typing would: the first two
    letters swapped, or the first typed with a key beside it on the keyboard (diacritics and case aside). Lucene's
    spell checker keeps a word's first letter: a slip there is rare, and these are the ones made.

    >>> _typed_start("cahc", "cách"), _typed_start("hcinh", "chính"), _typed_start("vhinh", "chính")
    (True, True, True)
    >>> _typed_start("iphone", "phone"), _typed_start("zalo", "calo"), _typed_start("ewood", "wood")
    (False, False, False)
    """
    typed, edit = fold_diacritics(typed).lower(), fold_diacritics(edit).lower()
    if typed[:1] == edit[:1]:
        return True
    if typed[1:] == edit[1:]:
        return edit[:1] in KEYS_BESIDE.get(typed[:1], "")
    return typed[1::-1] == edit[:2] and typed[2:] == edit[2:]


def _accentings(vocabulary: Vocabulary, letters: str) -> Sequence[str]:
    """Letters typed without diacritics as the syllables the index holds: their accented forms, else themselves
    where the index holds them as a word (``holds``), else none."""
    return vocabulary.syllables.forms.get(letters) or ((letters,) if holds(vocabulary, letters) else ())


def _edited(vocabulary: Vocabulary, syllable: str, forms: Callable[[str], Sequence[str]]) -> list[tuple[str, float]]:
    """A slipped syllable's candidates: itself when the index has it at all, and the ``forms`` of each syllable one
    edit away (``EDIT_PRIOR`` less likely), the ``EDITS_WEIGHED`` most frequent. An edit that is no Vietnamese
    syllable counts only when more than ``RARE_TYPED`` articles hold it: a name the index lacks is seldom a slip of
    another that a few articles hold (``Andreas`` is not *Andrews*, ``Alexandra`` not *Alexandria*; ``Richrad`` is
    *Richard*). A syllable whose start Vietnamese spelling never writes is as likely the one that writes it right
    (``spelling_mended``) as typed: alone, ``ngieng`` is *nghiêng*, not the *giếng* the index holds more often."""
    known = vocabulary.known
    edited = {
        form
        for edit in _near(vocabulary, syllable)
        if edit.isalpha()
        for form in forms(edit)
        if known.get(form, 0) > RARE_TYPED or is_syllable(form)
    }
    edited.discard(syllable)
    weighed = sorted(edited, key=lambda form: (-known.get(form, 0), form))[:EDITS_WEIGHED]
    typed = [(syllable, 0.0)] if syllable in known or not weighed else []
    mended = spelling_mended(syllable)
    right = fold_diacritics(mended).lower() if mended is not None else None
    return typed + [(form, 0.0 if fold_diacritics(form).lower() == right else EDIT_PRIOR) for form in sorted(weighed)]


def restore_slips(vocabulary: Vocabulary, text: str, deadline: float = math.inf) -> str | None:
    """The likeliest accented spelling of a query typed without diacritics whose letters slipped somewhere: a
    syllable the index does not hold as a word (``ngi dinh chinh phu``, ``thu tuogn``) read as any it holds one
    edit away, in each of its accented forms, the neighbours choosing (*nghị định chính phủ*, *thủ tướng*). Where
    every syllable is one the index holds, one that slipped into another (``cai cac hanh chinh``) is read so too,
    as a query typed with its marks is (``_letters_mended``). None when no syllable slipped (the restored spelling
    is then the search's own), or when ``deadline`` passes first.
    """
    syllables = vocabulary.syllables
    read = split_syllables(text)
    typed = [s.text for s in read]
    alone = len(typed) == 1
    slipped = [
        _slipped(vocabulary, syllable, alone)
        and (not syllables.forms.get(syllable) or _misspelt_rarely(vocabulary, syllable))
        for syllable in typed
    ]
    if not any(slipped):
        named = {at for name in names_typed(text, read) for at in name}
        return _letters_mended(vocabulary, typed, named, deadline)
    accentings = functools.partial(_accentings, vocabulary)
    candidates: list[list[tuple[str, float]]] = []
    for syllable, restored, slip in zip(typed, syllables.candidates(typed), slipped, strict=True):
        if time.monotonic() > deadline:
            return None
        candidates.append(_edited(vocabulary, syllable, accentings) if slip else restored)
    return " ".join(syllables.best(candidates, ended=True))


def _letters_mended(
    vocabulary: Vocabulary, typed: list[str], named: Container[int] = (), deadline: float = math.inf
) -> str | None:
    """The likeliest accented spelling of syllables typed without diacritics, each one the index holds, where one of
    them is likelier a letter slipped into another (``_letters_slipped`` of its restored spelling): ``cai cac hanh
    chinh`` is *cải cách hành chính*, not the *cái các hành chính* its letters restore to; a syllable of a name
    (``named``: ``Lu Po``) is as typed. None when none is, or when the restorer is unsure of the letters so mended
    (``OFFERED_WRONG``)."""
    syllables = vocabulary.syllables
    restored = syllables.candidates(typed)
    reading = syllables.best(restored, ended=True)
    around = [[form for form, _ in forms[:LIKELY_FORMS]] for forms in restored]
    candidates, mended = [], False
    for at, forms in enumerate(restored):
        if time.monotonic() > deadline:
            return None
        held = {form for form, _ in forms}
        edits = [] if at in named else _letters_slipped(vocabulary, reading, at, around)
        edits = [edit for edit in edits if edit not in held]
        candidates.append([*forms, *((edit, LETTER_PRIOR) for edit in edits)])
        mended = mended or bool(edits)
    if not mended:
        return None
    letters = fold_diacritics(" ".join(syllables.best(candidates, ended=True)))
    if letters == " ".join(typed):
        return None
    # The letters mended are restored as a query so typed would be, and offered only where the restorer is as sure
    # of them as of a restoration it offers: a headline of words the index seldom has together is no slip of the
    # words it has often (``ban dam`` is not *bảo đảm* where the index never holds *bán dâm*).
    restoration = restorations(letters, vocabulary)
    sure = _expected_wrong(restoration, range(len(restoration.spelling))) < OFFERED_WRONG
    return restoration.text if sure else None


# Syllables typed without spaces (``break_joined``): at most this many in one run of letters, this many ways of
# splitting one weighed; the weakest pair of the split's restored spelling seen this often in the restorer's sample
# and BROKEN_OVER times as often as the run itself, for a run the index holds, and BROKEN_UNHELD times for one it
# does not. A run of at most BROKEN_NAME letters the index does not hold, split into three syllables or more, is split
# only where the restorer expects fewer than BROKEN_UNSURE of them to read otherwise, or the sample holds each three
# of them in a row.
BROKEN_PARTS = 6
BROKEN_SPLITS = 64
BROKEN_SEEN = 20
BROKEN_OVER = 10
BROKEN_UNHELD = 2
BROKEN_UNSURE = 0.5
BROKEN_NAME = 10
BARE_SYLLABLE = 7  # letters of the longest syllable typed without diacritics (``nghieng``)


def break_joined(vocabulary: Vocabulary, text: str) -> str | None:
    """A query typed without diacritics whose syllables some run of letters holds without spaces, those syllables
    spaced: ``hanoi`` → ``ha noi``, ``caicachhanhchinh`` → ``cai cach hanh chinh`` (visitors type a place as its web
    address writes it, or leave the spaces out on a phone). A split is weighed by the weakest neighbouring pair of
    its restored syllables in the index's sample: for a run the index holds, that pair must be seen BROKEN_SEEN
    times and BROKEN_OVER times as often as the run as typed (``vietnam`` 361 times, *việt nam* 11,496; ``cuba``
    126, *cụ bà* 43: kept), for one it does not, BROKEN_UNHELD times; of such splits the one of the fewest
    syllables is chosen (``_split_run``). Among other words that are no Vietnamese syllables, a run is a name of
    those words' language (``Vietnam Airlines``, ``Hanoi Marina``: kept); typed with a capital beside another word
    typed so, a part of a name (``La Romareda``, ``Cadivi Long``: kept; ``Hanoi`` alone, or in a query all in
    capitals, is split). A run the search finds written apart already (``oto``: ``Vocabulary.joined``) and a slip of
    a syllable (``thuco``, one edit from ``thuoc``: ``restore_slips`` mends it) are kept too. A run of BROKEN_NAME
    letters or fewer the index does not hold, split into three syllables or more, is split only where they read, beside
    the rest of the query, as words written together (``_read_together``): ``Obama`` is not *ở ba má*. None when no
    run is split."""
    syllables = split_syllables(text)
    typed = [s.text for s in syllables]
    named = {at for name in names_typed(text, syllables) for at in name}
    joined = vocabulary.joined_letters[0]
    splits = [
        _split_run(vocabulary, run) if run not in joined and at not in named else None for at, run in enumerate(typed)
    ]
    runs = [parts or [run] for run, parts in zip(typed, splits, strict=True)]
    # A word of another language, seldom longer than BROKEN_NAME letters: a longer run is words typed without spaces.
    unheld = [
        at
        for at, parts in enumerate(splits)
        if parts and len(parts) > 2 and len(typed[at]) <= BROKEN_NAME and not holds(vocabulary, typed[at])
    ]
    if unheld:
        # How surely the parts read, as words beside the rest, not as the query's end (``restorations``' ``ended``).
        restoration = restorations(" ".join(part for parts in runs for part in parts), vocabulary, ended=False)
        starts = list(itertools.accumulate(map(len, runs), initial=0))
        for at in unheld:
            span = range(starts[at], starts[at + 1])
            if not _read_together(
                vocabulary, restoration.spelling[span.start : span.stop], _expected_wrong(restoration, span)
            ):
                splits[at], runs[at] = None, [typed[at]]
    spaced = [part for parts in runs for part in parts]
    kept = zip(typed, splits, strict=True)
    foreign = any(not parts and run.isalpha() and not is_syllable(run) for run, parts in kept)
    return " ".join(spaced) if len(spaced) > len(typed) and not foreign else None


def _split_run(vocabulary: Vocabulary, run: str) -> list[str] | None:
    """A run of letters as the syllables ``break_joined`` reads in it; None when it is one syllable or no split
    reads better than the run as typed."""
    if not run.isascii() or not run.isalpha() or len(run) > BROKEN_PARTS * LONGEST_SYLLABLE:
        return None
    if SYLLABLE_SHAPE.fullmatch(run):
        return None
    syllables = vocabulary.syllables
    size = len(run)
    # held[at]: where a syllable the index holds (in some accenting) that starts at ``at`` may end.
    held = [
        [
            end
            for end in range(min(size, at + BARE_SYLLABLE), at, -1)  # the longest first
            if SYLLABLE_SHAPE.fullmatch(part := run[at:end]) and _accentings(vocabulary, part)
        ]
        for at in range(size)
    ]
    # fits[at][parts]: the letters from ``at`` on are this many syllables or fewer (so no split is tried in vain).
    fits = [[False] * (BROKEN_PARTS + 1) for _ in range(size + 1)]
    fits[size] = [True] * (BROKEN_PARTS + 1)
    for at in range(size - 1, -1, -1):
        for parts in range(1, BROKEN_PARTS + 1):
            fits[at][parts] = any(fits[end][parts - 1] for end in held[at])
    splits: list[list[str]] = []

    def split(at: int, parts: int, made: list[str]) -> None:
        if len(splits) >= BROKEN_SPLITS:
            return
        if at == size:
            if len(made) > 1:
                splits.append(made)
            return
        for end in held[at]:
            if parts and fits[end][parts - 1]:
                split(end, parts - 1, [*made, run[at:end]])

    split(0, BROKEN_PARTS, [])
    if not splits:
        return None
    if _slipped(vocabulary, run):
        # A syllable with a letter slipped, not two: one edit from a syllable the sample holds as often as a split's
        # pair (a typo such as ``thưưong`` one edit from ``thutuong`` does not count). Whichever letter slipped: a
        # word one edit from a syllable is not split into others (``voda``, ``soda``, one from *oda*, are not *vợ
        # đã*, *sở đã*), whether or not that edit is offered.
        forms = [
            form for edit in _near(vocabulary, run, anywhere=True) for form in syllables.forms.get(edit) or (edit,)
        ]
        if any(syllables.occurrences(form) >= BROKEN_SEEN for form in forms):
            return None
    # A run the index holds as a word is split when the split reads far more often; one it does not hold, when the
    # split's pairs are words the index has seen together at all (else nothing is found as typed).
    least = max(BROKEN_SEEN, BROKEN_OVER * syllables.occurrences(run)) if holds(vocabulary, run) else BROKEN_UNHELD
    # Of the splits that read so, the one of the fewest syllables (``vao san bay``, not ``va o san bay``: a syllable
    # split in two often reads as two words), then the one whose weakest pair is seen most often.
    best: tuple[int, int] | None = None
    chosen = None
    for parts in splits:
        restored = syllables.best(syllables.candidates(parts))
        seen = min(syllables.pair_count(a, b) for a, b in itertools.pairwise(restored))
        if seen >= least and (best is None or (-len(parts), seen) > best):
            best, chosen = (-len(parts), seen), parts
    return chosen


def _read_together(vocabulary: Vocabulary, restored: Sequence[str], wrong: float) -> bool:
    """Whether the three syllables or more that a short run the index does not hold splits into (restored beside the
    rest of the query, ``wrong`` of them expected to read otherwise: ``_expected_wrong``) read as words written
    together: fewer than BROKEN_UNSURE are expected wrong (``vaosanbay``, *vào sân bay*), or the sample holds each
    three of them in a row. A name of another language the index lacks splits into syllables each pair of which is
    seen somewhere, seldom into words the restorer reads surely or the sample has together: ``Obama`` is not *ở ba
    má*, ``Gattuso`` not *gạt tụ số*, ``Hantuchova`` not *hạn từ chỗ và*. Two syllables are let be
    (``break_joined``): a name split so (``Mathieu``, *mà thiếu*) is seldom told from a space left out
    (``thaodien``, *Thảo Điền*)."""
    if wrong < BROKEN_UNSURE:
        return True
    syllables = vocabulary.syllables
    return all(syllables.triple_count(*three) for three in zip(restored, restored[1:], restored[2:], strict=False))


def correct_spelling(vocabulary: Vocabulary, text: str, deadline: float = math.inf) -> str | None:
    """The likeliest spelling of an accented query, each syllable chosen in the light of its neighbours; None when it
    is the query as typed, or when ``deadline`` (``time.monotonic()``) passes first.

    A syllable the index never holds may become any it holds one edit away (``one_edit``); one it holds, its
    commonest slips (``slips``) that the index holds, less likely its other tones (``other_tones``) and marks, and,
    least likely, another syllable a letter slipped into it makes, where its neighbours favour one
    (``_letters_slipped``: ``cải các hành chính``; not in a name).
    Which one wins is the neighbours' say, by the index's own word pairs (``Syllables.best``): ``tham nhủng`` is
    *tham nhũng*, though *những* is far more frequent alone; ``thủ tưởng`` is *thủ tướng*. Each syllable costs a
    bounded number of lookups in memory, so the whole costs the query's length times a constant, whatever the
    index's size.
    """
    known = vocabulary.known
    read = split_syllables(text)
    typed = [s.text for s in read]
    named = {at for name in names_typed(text, read) for at in name}
    alone = len(typed) == 1
    candidates: list[list[tuple[str, float]]] = []
    for at, syllable in enumerate(typed):
        if time.monotonic() > deadline:
            return None
        lone = _lone_letter(syllable, alone) and not holds(vocabulary, syllable)
        if not syllable.isalpha() or len(syllable) > LONGEST_SYLLABLE or lone:
            candidates.append([(syllable, 0.0)])
        elif not _slipped(vocabulary, syllable, alone):
            common = slips(syllable)
            variants = [(slip, SLIP_PRIOR) for slip in sorted(common) if slip in known]
            tones = other_tones(syllable) - common
            variants.extend((tone, TONE_PRIOR) for tone in sorted(tones) if tone in known)
            marks = other_marks(syllable) - common - tones
            variants.extend((mark, MARK_PRIOR) for mark in sorted(marks) if mark in known)
            # Other letters than its own: never one of its tones or marks, but one of its slips may be (``tai``).
            letters = [] if at in named else _letters_slipped(vocabulary, typed, at)
            variants.extend((edit, LETTER_PRIOR) for edit in letters if edit not in common)
            candidates.append([(syllable, 0.0), *variants])
        else:
            candidates.append(_edited(vocabulary, syllable, lambda edit: (edit,) if holds(vocabulary, edit) else ()))
    if all(len(forms) == 1 and forms[0][0] == syllable for forms, syllable in zip(candidates, typed, strict=True)):
        return None
    chosen = vocabulary.syllables.best(candidates, ended=True)
    return " ".join(chosen) if chosen != typed else None


def complete(
    vocabulary: Vocabulary,
    prefix: str,
    limit: int = SUGGEST_LIMIT,
    synonyms: Synonyms | None = None,
    categories: Sequence[str] = (),
) -> list[str]:
    """Completions of what is being typed, with diacritics (the prefix may lack them): for several words, the whole
    query continued by the index's own word pairs (``ủy ban nhân d`` → *ủy ban nhân dân*, *… dân quận*); then
    frequent words and titles (cut at a whole word). A one-syllable form that is not Vietnamese is offered only as an
    abbreviation the synonym list knows (``ubnd`` → *UBND*), never as a fused token (``ubndtp``), and a phrase writes
    such an abbreviation so too (``ubnd t`` → *UBND tỉnh*). A prefix is read as the search reads its words: decoded
    from Telex or VNI, a syllable typed with half of its horns written whole (``nguời d``).

    Only the run of plain words being typed at the end is continued (``query.words_being_typed``), and the text
    before it is kept as typed: ``tai nạn -xe m`` is *tai nạn -xe máy*, ``mưa OR b`` *mưa OR bão*, where the box
    read as one run of words lost the hyphen, the ``OR`` or the quote, and the completion chosen searched for what
    the visitor was excluding. A title is offered only for the whole box. A word being excluded, or looked for in
    the titles, is offered only as far as the search takes it whole (``query.words_whole``): `-hà n` is not offered
    *-hà nội cho biết*, which would exclude *hà nội* and look for *cho biết*. After ``category:`` the index's
    ``categories`` are offered."""
    if CATEGORY_TYPED_RE.search(prefix):  # `category:` just typed: the categories
        return _categories_offered(prefix, "", categories, limit)
    kept, prefix = words_being_typed(prefix)
    if CATEGORY_TYPED_RE.search(kept):
        return _categories_offered(kept, prefix, categories, limit)
    if kept:
        offered = [
            kept + completion for completion in _completions(vocabulary, prefix, limit, synonyms, with_titles=False)
        ]
        if kept.endswith("-") or kept[-6:].lower() == "title:":

            def taken_whole(text: str) -> bool:
                """Whether the search reads all of the words completed as the word the ``-`` or ``title:`` takes."""
                read = words_whole(text, together=vocabulary.together, synonyms=synonyms) or text
                clauses = parse_basic(read)
                return bool(clauses) and clauses[-1].text == text[len(kept) :]

            offered = [text for text in offered if taken_whole(text)]
        return offered
    return _completions(vocabulary, prefix, limit, synonyms)


POPULAR_OFFERED = 3  # of a page of completions, at most this many are the queries visitors search most


def with_popular(
    prefix: str,
    offered: list[str],
    popular: Sequence[str],
    spell: Callable[[str], str] | None = None,
    limit: int = SUGGEST_LIMIT,
) -> list[str]:
    """Completions with the queries visitors search most (``popular``, the most searched first) that start with the
    box as typed put first, at most ``POPULAR_OFFERED``: a portal's visitors ask for the same few things (a
    reception's schedule, an exam's results), and the words the index writes most often are not those. A query
    matches in any case and accenting, whole words but the one being typed (``cai c`` is *cải cách hành chính*);
    one the completions hold already in those letters is offered as they write it, and moved up, any other as
    ``spell`` writes it (the search's reading of a query typed without diacritics). Words typed with
    marks keep them (``_being_typed``: ``cái c`` is not *cải cách*). A box with an operator, an exclusion, a quote or
    a field before the words being typed is completed as before.

    >>> offered = ["cải cách", "cái chết", "cải cách hành chính"]
    >>> with_popular("cai c", offered, ["lịch tiếp công dân", "cai cach hanh chinh", "cai chet"])
    ['cải cách hành chính', 'cái chết', 'cải cách']
    >>> with_popular("cai ", offered, ["caim"]), with_popular("-cai c", offered, ["cai cach hanh chinh"])[0]
    (['cải cách', 'cái chết', 'cải cách hành chính'], 'cải cách')
    >>> popular = ["cải cách hành chính"]
    >>> with_popular("cái c", offered, popular)[0], with_popular("cải c", offered, popular)[0]
    ('cải cách', 'cải cách hành chính')
    >>> with_popular("!!", [], popular), with_popular("😀", [], popular)
    ([], [])
    """
    if not popular:  # an index no visitor has searched yet: nothing read at each keystroke
        return offered
    kept, typed = words_being_typed(prefix)
    split = split_syllables(typed)
    syllables = [syllable.text for syllable in split]
    if kept.strip() or not syllables:  # `!!`, `😀`: no word typed
        return offered
    ended = typed[-1].isspace()
    key = fold_diacritics(" ".join(typed.lower().split())) + (" " if ended else "")
    if ended:
        whole, partial = syllables, None
    else:
        whole, partial = syllables[:-1], _being_typed(syllables[-1], twin=_typed_twin(typed, split[-1]))

    def keeps_marks(query: str) -> bool:
        """Whether a query keeps the marks typed: each whole word typed with them as typed, the word being typed as
        it may yet become (``cái c`` is not *cải cách hành chính*)."""
        words = [syllable.text for syllable in split_syllables(query)]
        if len(words) < len(syllables):
            return False
        if any(has_diacritics(word) and word != words[at] for at, word in enumerate(whole)):
            return False
        return partial is None or partial(words[len(whole)])

    twins: dict[str, str] = {}
    for text in offered:
        twins.setdefault(fold_diacritics(text.lower()), text)
    first = []
    for query in popular:
        folded = fold_diacritics(query.lower())
        if folded.startswith(key) and keeps_marks(query):
            first.append(twins.get(folded) or (spell(query) if spell else query))
            if len(first) == POPULAR_OFFERED:
                break
    return list(dict.fromkeys([*first, *offered]))[:limit] if first else offered


CATEGORY_TYPED_RE = re.compile(r'(?:^|[\s(-])category:"?$', re.IGNORECASE)  # a category's name being typed after it


def _categories_offered(kept: str, typed: str, categories: Sequence[str], limit: int) -> list[str]:
    """The categories whose name (in any case and accenting) starts with what is typed after ``category:``, then
    those with a later word that does, each in Vietnamese's alphabetical order (``alphabetical``), after the box as
    kept: quoted when of several words, as the search reads it whole.

    >>> names = ["Chính trị Xã hội", "Thể thao", "Thế giới", "Xã hội"]
    >>> _categories_offered("bóng đá category:", "thể", names, 10)
    ['bóng đá category:"Thể thao"', 'bóng đá category:"Thế giới"']
    >>> _categories_offered('category:"', "xa h", names, 10), _categories_offered("category:", "", names, 2)
    (['category:"Xã hội"', 'category:"Chính trị Xã hội"'], ['category:"Chính trị Xã hội"', 'category:"Thế giới"'])
    """
    typed = normalize_text(typed).strip().lower()
    key = fold_diacritics(typed)

    def order(name: str) -> tuple[bool, bool, tuple] | None:
        written = normalize_text(name).lower()
        folded = fold_diacritics(written)
        if folded.startswith(key):
            return (False, not written.startswith(typed), alphabetical(name))
        if f" {key}" in f" {folded}":
            return (True, f" {typed}" not in f" {written}", alphabetical(name))
        return None

    ranked = sorted((rank, name) for name in categories if (rank := order(name)) is not None)
    quoted = kept.endswith('"')
    return [f'{kept}{name}"' if quoted else kept + (f'"{name}"' if " " in name else name) for _, name in ranked[:limit]]


def _completions(
    vocabulary: Vocabulary, prefix: str, limit: int, synonyms: Synonyms | None, *, with_titles: bool = True
) -> list[str]:
    """Completions of a run of plain words being typed (``complete``), with titles or without. After a space the
    last word typed is whole: ``điều 5 `` is continued by the words after *điều 5*, never as *điều 50*, and ``bong
    da `` never as *bóng dáng*; typed with its marks, it is spelled so (``thông tư ``, never *thông từ*: a keyboard
    puts a syllable's tone before the space), unless the index seldom spells it so there (``hà nôi ``: its tone left
    out, *hà nội*; ``_spelled``)."""
    ended = prefix[-1:].isspace()
    prefix = _decoded(vocabulary, prefix)
    prefix = horns_mended(prefix, vocabulary) or prefix  # `nguời d`: *người d…*, as the search reads it
    prefix = _bare_read(vocabulary, prefix) or prefix  # `cải cách hanh ch`: *cải cách hành ch…*
    # A number padded with a zero as written, as the model counts it and titles write it: `thông tư 01` is not
    # continued as *thông tư 17*.
    split = split_syllables(prefix)
    syllables = [as_written(s) for s in split]
    typed = " ".join(syllables)
    if not typed:
        return []
    key = fold_diacritics(typed)
    accented = has_diacritics(typed)
    head = " ".join(syllables[:-1]) + " " if len(syllables) > 1 else ""
    finished = ended and has_diacritics(syllables[-1]) and _spelled(vocabulary, syllables)
    # The syllable being typed as typed, where its one spelling writes it otherwise (`thoi ti`: *ty*, and on its way to
    # *tiết*): completed both ways.
    twin = None if ended else _typed_twin(prefix, split[-1])
    being_typed = _being_typed(syllables[-1], finished, twin)
    typed_forms = (typed, head + twin) if twin else (typed,)
    # An entry's folded key (``Vocabulary.keys``, lower case) starts with the words typed, the last one whole.
    whole_key = re.compile(re.escape(key.lower()) + r"(?![^\W_])")

    def whole(folded_key: str) -> bool:
        """Whether a completion's folded key starts with the words typed, the last one whole when a space was typed
        after it."""
        return not ended or whole_key.match(folded_key) is not None

    def whole_phrases(phrases: list[str]) -> list[str]:
        return [phrase for phrase in phrases if whole(fold_diacritics(phrase.lower()))]

    phrases = whole_phrases(_phrases(vocabulary, syllables, finished=finished, twin=twin)) if len(syllables) > 1 else []
    if synonyms is not None and len(syllables) > 1 and not accented:
        listed = _listed_started(vocabulary, syllables, synonyms, ended, phrases[0] if phrases else None)
        phrases = [*listed, *(phrase for phrase in phrases if phrase not in listed)]
    ranges = _ranges(vocabulary, typed, *([head + twin] if twin else []))  # `ti`: the entries of *ti…* beside *ty*'s
    if ended:  # only the entries with no letter after the words typed: those before the first with an `a` there
        start, end = ranges[0]
        ranges[0] = (start, min(end, vocabulary.prefixed(key.lower() + "a")[0]))

    # Typed with diacritics, what starts as typed comes first, then what the syllable being typed may yet become
    # (``cân``: *cân bằng*, then *cần*).
    words: list[str] = []
    later: list[str] = []
    foreign: list[str] = []  # after the Vietnamese words: `in` is *in ấn* before *internet*
    for at in itertools.islice(_best_first(vocabulary, ranges), ENTRIES_READ):
        if len(words) == limit:
            break
        display = vocabulary.displays[at]
        if accented and not _agrees(display, head, being_typed):  # a word as the index wrote it: normalised
            continue
        if not whole(vocabulary.keys[at]):
            continue
        if " " not in display and not is_syllable(display):
            if synonyms is not None and synonyms.match([display], 0):
                display = display.upper()
            elif _foreign_word(display, int(vocabulary.frequencies[at])):
                display = display.upper() if _abbreviated(display) else display  # *GDP*, *BĐS*
                if display not in foreign:
                    foreign.append(display)
                continue
            else:
                continue  # no Vietnamese syllable, no known abbreviation, seldom written: a fused token or a slip
        elif " " in display and vocabulary.frequencies[at] < MIXED_SEEN and _mixed(display):
            continue  # the segmenter's slip across a name or an abbreviation: *hcm phạm*, *thcs lý*
        elif " " in display and vocabulary.frequencies[at] < JOINED_SEEN and _joined_past(vocabulary, display, typed):
            continue  # its slip into the next word or name: *hà nội phạm*, *nhà hàng không*
        if display not in phrases and display not in words and display not in later:
            (words if not accented or display.startswith(typed_forms) else later).append(display)
    few = len(words) < SPELLED_FEW
    if len(syllables) == 1 and accented and (ended or few) and typed not in words and typed not in later:
        # A syllable typed whole, or one few words start as typed: itself, as typed; of the latter, the likeliest words
        # after it too. Where many do, it may still be on its way to them (`trán`: *tránh né*, *tráng dương*).
        spelled = _syllable_spelled_so(vocabulary, typed, with_words=few)
        words = [*spelled, *(word for word in words if word not in spelled)]
    words = [*words, *later, *(word for word in foreign if word not in phrases)][:limit]
    titles: list[str] = []
    later = []
    for at in itertools.islice(_best_first(vocabulary, ranges, titles=True), ENTRIES_READ if with_titles else 0):
        if len(titles) == TITLES_OFFERED:
            break
        display = vocabulary.displays[at]
        if not whole(vocabulary.keys[at]):
            continue
        agreeing = min(
            (a for form in typed_forms if (a := _starts_with(display, form, head, being_typed)) is not None),
            default=None,
        )
        agreeing = agreeing if accented else 0
        if agreeing == 0 or (agreeing == 1 and len(later) < TITLES_OFFERED):
            offered = _whole_words(display)
            if offered != display and len(split_syllables(offered)) < len(syllables):
                # Typed past its last whole word: its words as kept, the last perhaps the start of a longer one.
                offered = display
                if len(split_syllables(offered)) < len(syllables):  # typed past those too: less than is typed
                    continue
            (later if agreeing else titles).append(offered)
    titles = [*titles, *later][:TITLES_OFFERED]
    if not (phrases or words or titles) and len(syllables) > 2:
        phrases = whole_phrases(_phrases(vocabulary, syllables, rare_pair=True, finished=finished, twin=twin))
    if not (phrases or words or titles) and len(syllables) > 1 and not ended:
        phrases = _word_alone(vocabulary, syllables, twin)
    if synonyms is not None:  # `ubnd t`: *UBND tỉnh*, as the one word alone is offered
        phrases = [abbreviations_in_capitals(phrase, synonyms) for phrase in phrases]
    numbered = vocabulary.numbered_in_roman  # `quoc hoi khoa x`: *quốc hội khóa XI*, as the articles write it
    first = list(dict.fromkeys(numerals_in_capitals(completion, numbered) for completion in [*phrases, *words]))
    titles = [title for title in titles if title not in first]  # a title all in lower case, continued to its end
    gaps = [prefix[a.end : b.start] for a, b in itertools.pairwise(split)] + [prefix[split[-1].end :].strip()]
    if any(NUMBER_SEPARATOR_RE.fullmatch(gap) for gap in gaps):
        first = list(dict.fromkeys(_separators_typed(completion, gaps) for completion in first))
    if not NUMBERS_APART_RE.search(" ".join(prefix.split())):  # unless typed so
        cut = (_before_numbers_apart(completion, len(syllables)) for completion in first)
        first = list(dict.fromkeys(completion for completion in cut if completion))
    return [*first[: limit - len(titles)], *titles][:limit]


# A number standing alone (after a space, or first) with another after a space: two numbers to the search.
NUMBERS_APART_RE = re.compile(r"(?:^|(?<=\s))\d+ \d")


def _before_numbers_apart(completion: str, typed: int) -> str | None:
    """A completion cut before two numbers side by side, which the search reads as two where the articles wrote a
    date or a range with its separator (the pairs and triples keep none): *ngày quốc tế lao động 1 5* is *ngày quốc
    tế lao động*, without a grammatical word left at its end (*ngày 30/4 và 1 5*: *ngày 30/4*); *ngày 30 4* is *ngày
    30* where the 30 was being typed. None when it keeps fewer than the ``typed`` syllables. After a date typed with
    its separator, a number is one of its own (*ngày 30/4 1975*).

    >>> _before_numbers_apart("ngày quốc tế lao động 1 5", 5), _before_numbers_apart("ngày 30 4", 2)
    ('ngày quốc tế lao động', 'ngày 30')
    >>> _before_numbers_apart("ngày 30/4 và 1 5", 3), _before_numbers_apart("ngày 30/4 1975", 3)
    ('ngày 30/4', 'ngày 30/4 1975')
    >>> _before_numbers_apart("năm 2005 2006", 3) is None
    True
    """
    apart = NUMBERS_APART_RE.search(completion)
    if apart is None:
        return completion
    words = completion[: apart.start()].split()
    while words and is_stop_word(words[-1]) and len(split_syllables(" ".join(words[:-1]))) >= typed:
        words.pop()
    if len(split_syllables(" ".join(words))) >= typed:
        return " ".join(words)
    with_number = completion[: apart.start()] + apart.group().split(" ")[0]  # the first number kept
    return with_number if len(split_syllables(with_number)) >= typed else None


# What separates two numbers of one date or document number typed (`12/5`, `02/2004`, `12-5`, `12.5`).
NUMBER_SEPARATOR_RE = re.compile(r"[/.-]")


def _separators_typed(completion: str, gaps: list[str]) -> str:
    """A completion with the separators typed between its numbers (``gaps``: what was typed after each syllable of
    the prefix, the last one's what follows it) in place of the spaces between its syllables: ``ngày 12/5`` is
    offered *ngày 12/5*, which the search reads as a date, not *ngày 12 5*, a 12 and a 5. So is a hyphen or a dot
    typed between a name's letters and its number (``u-2``: *u-23*, the name whichever way articles write it, where
    *u 23* is a *u* beside a 23; ``query.LETTERS_NUMBER_RE``).

    >>> _separators_typed("nghị định 02 2004", [" ", " ", "/", ""]), _separators_typed("ngày 12 4", [" ", "/"])
    ('nghị định 02/2004', 'ngày 12/4')
    >>> _separators_typed("đội tuyển u 23", [" ", " ", "-", ""]), _separators_typed("u 23 việt nam", ["/", ""])
    ('đội tuyển u-23', 'u 23 việt nam')
    """
    parts = split_syllables(completion)
    if not parts:
        return completion
    written = [completion[: parts[0].end]]
    for at in range(1, len(parts)):
        between = completion[parts[at - 1].end : parts[at].start]
        first, second = parts[at - 1].text, parts[at].text
        typed = gaps[at - 1] if at - 1 < len(gaps) else " "
        numbers = first.isdigit() and second.isdigit() and NUMBER_SEPARATOR_RE.fullmatch(typed)
        named = first.isalpha() and not has_diacritics(first) and second.isdigit()  # not the *à* of *à 30*
        if numbers or (named and typed in ("-", ".")):
            between = typed
        written.append(between + completion[parts[at].start : parts[at].end])
    return "".join(written) + completion[parts[-1].end :]


# A word of several syllables the segmenter found, some of them Vietnamese and some not (an abbreviation, a name or a
# word of another language), is offered only when seen this many times: seen two or three times it is mostly the
# segmenter joining an abbreviation or a name to the word after it (*tphcm phạm* of "HĐND TPHCM Phạm Phương Thảo",
# *thcs lý*, *john nguyễn*: of the 40 such completions of `bench/speed.py`'s first words on 21,000 VNTC articles, 28,
# of 13 words, were seen 2 or 3 times), where *sea games* and *vitamin a* are seen 40 and 23 times, *hlv trưởng* and
# *tiệc buffet* 4. A name or a word of another language whole (*john edwards*) is the segmenter's word all the same.
MIXED_SEEN = 4


# A word of three syllables or more the segmenter found fewer than JOINED_SEEN times, offered past what is typed, whose
# last syllable follows the two before it less than JOINED_SHARE of the times the restorer's sample has those two, is
# mostly the segmenter joining a word to the first syllable of the next: *hà nội phạm* of "Thành ủy Hà Nội Phạm Quang
# Nghị" (*hà nội* is followed by *phạm* 8 times in 6,355), *nhà hàng không*, *phòng thí điểm*, *xử lý do*. Of the
# 3,627 such words of 21,000 VNTC articles, 896 are so rare a way on; among them a few right ones (*tổng giám mục*,
# *kiểm soát viên*) and full names, which stay offered to a visitor who types them to their last syllable.
JOINED_SEEN = 10
JOINED_SHARE = 0.01


def _joined_past(vocabulary: Vocabulary, word: str, typed: str) -> bool:
    """Whether a word of the segmenter's (lower case) goes on past the syllables typed with one that the two before
    it are seldom followed by (``JOINED_SHARE``)."""
    words = word.split()
    if len(words) < 3 or len(words) <= typed.count(" ") + 1:
        return False
    model = vocabulary.syllables
    before = model.pair_count(words[-3], words[-2])
    return before > 0 and model.triple_count(*words[-3:]) < JOINED_SHARE * before


def abbreviations_in_capitals(text: str, synonyms: Synonyms) -> str:
    """A text in lower case with each word that is no Vietnamese syllable but an abbreviation in capitals: one the
    synonym list knows, or three letters or more without a vowel (``_abbreviated``): *ubnd tỉnh* is *UBND tỉnh*,
    *tăng trưởng gdp* *tăng trưởng GDP*, as the abbreviation alone is offered.

    >>> from search_service.query import load_synonyms
    >>> abbreviations_in_capitals("ubnd quận 1 và hđnd", load_synonyms())
    'UBND quận 1 và HĐND'
    >>> abbreviations_in_capitals("tăng trưởng gdp 8 km", load_synonyms())
    'tăng trưởng GDP 8 km'
    >>> abbreviations_in_capitals("virus h5n1 lây sang 10km", load_synonyms())
    'virus H5N1 lây sang 10km'
    """
    words = text.split(" ")
    return " ".join(
        word.upper() if not is_syllable(word) and (synonyms.match([word], 0) or _abbreviated(word)) else word
        for word in words
    )


def _abbreviated(word: str) -> bool:
    """Whether a word that is no Vietnamese syllable is an abbreviation or a code, written in capitals: three letters
    or more without a vowel (*gdp*, *bđs*, *thpt*; not *km*), or a letter and then digits among letters (*h5n1*,
    *u23*; not *10km*)."""
    if word.isalpha():
        return len(word) >= 3 and not VOWELS.intersection(fold_diacritics(word))
    return word.isalnum() and word[0].isalpha() and any(c.isdigit() for c in word)


def numerals_in_capitals(text: str, numbered: Container[str]) -> str:
    """A text in lower case with each Roman numeral after a word the index numbers so (``numbered``:
    ``Vocabulary.numbered_in_roman``) in capitals, as the articles write it (``analysis.reads_as_numeral``): *quốc hội
    khóa XI*, *quý I 2006*, but *đại hội xi măng*.

    >>> numerals_in_capitals("quốc hội khóa xi", {"khóa"}), numerals_in_capitals("quý i 2006", {"quý"})
    ('quốc hội khóa XI', 'quý I 2006')
    >>> numerals_in_capitals("đại hội xi măng", {"hội"}), numerals_in_capitals("hành vi", {"khóa"})
    ('đại hội xi măng', 'hành vi')
    """
    words = text.split(" ")
    for at in range(1, len(words)):
        after = words[at + 1] if at + 1 < len(words) else None
        if words[at - 1] in numbered and reads_as_numeral(words[at], after):
            words[at] = words[at].upper()
    return " ".join(words)


def _markable(typed: str) -> bool:
    """Whether letters typed may yet take a mark a keyboard adds after them: a vowel's, or *d*'s stroke."""
    return any(letter in VOWELS or letter == "d" for letter in typed.lower())


def _offerable(form: str) -> bool:
    """A Vietnamese syllable or a number."""
    return form.isdigit() or is_syllable(form)


FOREIGN_SEEN = 10  # articles that hold a word of another language offered alone (``_foreign_word``)


def _offered_after(model: Syllables, form: str) -> bool:
    """Whether a syllable that follows words typed is offered after them: a Vietnamese syllable, a number, or a word of
    another language, a name or a code the sample writes FOREIGN_SEEN times or more (*tổng thống bush*, *virus
    h5n1*). Not letters without a vowel: after words, those are mostly a source's or a photo's credit in brackets
    (*(NLĐ)*, *Ảnh: TTXVN*) or an abbreviation of the words typed (*nhà ĐTNN*)."""
    if _offerable(form) or len(form) < 3 or not form.isalnum() or form.isalpha() and _abbreviated(form):
        return _offerable(form)
    return model.occurrences(form) >= FOREIGN_SEEN


def _foreign_word(word: str, seen: int) -> bool:
    """Whether a word of one token that is no Vietnamese syllable, held by ``seen`` articles, is offered: a word of
    another language or a name that visitors look for (*barcelona*, *singapore*, *internet*, *vitamin*), letters
    only, three or more, in FOREIGN_SEEN articles or more. A rarer one is mostly two words run together or a slip
    (*ubndtp*, *thànhphố*)."""
    return len(word) >= 3 and word.isalpha() and seen >= FOREIGN_SEEN


def _mixed(words: str) -> bool:
    """Whether some of the words are Vietnamese syllables or numbers and some not: *tphcm phạm*, not *john edwards*
    nor *sea games*, a name or a word of another language whole."""
    offerable = [_offerable(word) for word in words.split(" ")]
    return any(offerable) and not all(offerable)


def _bare_read(vocabulary: Vocabulary, prefix: str) -> str | None:
    """A prefix typed with diacritics whose whole words (all but the one being typed) include some typed without any
    that the index seldom writes so beside the others (``BARE_DOUBTFUL``, as a search matches them), those spelled
    as they likeliest read: ``cải cách hanh ch`` is *cải cách hành ch…*, ``ủy ban nhan d`` *ủy ban nhân d…*, where
    their continuations were of *hanh* and *nhan* as written (*hanh chị*, *nhan đề*). The last is read without the
    word being typed after it, so a few written without marks are read otherwise (``chủ tịch thanh h``: *thành*,
    where *Thanh Hóa* was meant; 6 of 3,978 held-out titles' prefixes are completed otherwise). A word being typed
    with its tone (its letters all but typed, as a keyboard puts the tone on last: ``tieu cuc trong giao dục``, of
    ``giao ducj`` in Telex) is read with them: *giáo*, where *giao* alone is written often. None when nothing
    changes."""
    syllables = split_syllables(prefix)
    if len(syllables) < 2:
        return None
    head = prefix[: syllables[-1 if _has_tone(syllables[-1].text) else -2].end]
    bare = [at for at in bare_syllables(prefix, syllables) if at < len(syllables) - 1]  # the last may take marks

    def doubtful(restoration: Restoration, at: int) -> str | None:
        return restoration.spelling[at] if restoration.typed_chance(at) < BARE_DOUBTFUL else None

    read = bare_spelled(head, lambda text: restorations(text, vocabulary, ended=False), doubtful, bare)
    return read + prefix[len(head) :] if read is not None else None


def _decoded(vocabulary: Vocabulary, prefix: str) -> str:
    """A prefix typed in Telex or VNI without a Vietnamese keyboard, as the Vietnamese it stands for (``cari
    cachs h`` → *cải cách h*), judged by its whole words (``keyboard.repair``); the word being typed is decoded too
    when it decodes to a syllable the index holds. Where only the word being typed is so typed, the prefix is read as
    a search reads it, all its words together (``hoc sinh gioir``: *hoc sinh giỏi*, ``tai nan giao thoo``: *tai nan
    giao thô…*). A word alone may be the start of another language's (``Troj``, ``phis``), and is left as typed."""
    words = prefix.split()
    if len(words) < 2 or not prefix.isascii():
        return prefix
    known = vocabulary.known.get
    repaired = repair(" ".join(words[:-1]), lambda syllable: known(syllable, 0))
    if repaired is None:
        whole = repair(" ".join(words), lambda syllable: known(syllable, 0))
        return prefix if whole is None else whole[0]
    head, method = repaired
    last = (decode_telex if method == "telex" else decode_vni)(words[-1])
    return f"{head} {last if last and known(last, 0) else words[-1]}"


def _toneless(text: str) -> str:
    """``text`` without its tone marks, its other marks kept (*nhất* → *nhât*, *đường* → *đương*)."""
    return unicodedata.normalize("NFC", "".join(c for c in unicodedata.normalize("NFD", text) if c not in TONE_MARKS))


def _has_tone(text: str) -> bool:
    """Whether a text holds a tone mark (*nhất*, not *nhât*)."""
    return _toneless(text) != text


def _tones(text: str) -> str:
    """A text's tone marks, in order (combining characters: *hòa* and *hoà* the same)."""
    return "".join(c for c in unicodedata.normalize("NFD", text) if c in TONE_MARKS)


@functools.lru_cache(maxsize=65536)
def _tone_apart(syllable: str) -> tuple[str, str]:
    """A syllable without its tone, and its tone (``_toneless``, ``_tones``), once for each of the few thousand
    syllables a completion typed with a tone reads entries by."""
    return _toneless(syllable), _tones(syllable)


def _tone_placements(syllable: str) -> tuple[str, ...]:
    """A syllable typed with its tone, the tone put on each of its vowels in turn: how it may start the syllables it
    is on its way to, wherever their spelling puts the tone (``hòa``: *hòa*, *hoà*, the start of *hoàn*).

    >>> _tone_placements("hòa"), _tone_placements("tí"), _tone_placements("nghĩ")
    (('hòa', 'hoà'), ('tí',), ('nghĩ',))
    """
    letters, tone = _toneless(syllable), _tones(syllable)[:1]
    return tuple(
        unicodedata.normalize("NFC", letters[:at] + unicodedata.normalize("NFD", letter) + tone + letters[at + 1 :])
        for at, letter in enumerate(letters)
        if fold_diacritics(letter) in VOWELS
    )


# A syllable typed with its marks and a space after it is taken as typed when the index writes it so at least this share
# of the times it writes its letters the commonest way (``_spelled``).
SPELLED_SHARE = 0.1


def _being_typed(partial: str, finished: bool = False, twin: str | None = None) -> Callable[[str], bool]:
    """Whether a text (normalised) starts as the syllable being typed may end up: a Vietnamese keyboard adds a
    syllable's tone after its letters, often its other marks too, so ``cach`` is *cách* on its way and ``nhâ`` is
    *nhất*. Typed with a tone, or ``finished`` (a space typed after it), as typed; with other marks only, with any
    tone; without any, with any marks. Typed with its tone, its letters may go on, and where the tone goes with them
    (``hòa``, on its way to *hoàn*, a keyboard writing the tone of *hòa* on its *o* until the *n* comes): its tone on
    a syllable that starts with its letters. ``twin``: the syllable as typed where its one spelling writes it
    otherwise (``_typed_twin``), which a text may start as instead."""
    if twin is not None:
        as_spelled, as_typed = _being_typed(partial, finished), _being_typed(twin, finished)
        return lambda text: as_spelled(text) or as_typed(text)
    if not has_diacritics(partial):
        return lambda text: fold_diacritics(text).startswith(partial)
    if finished:
        return lambda text: text.startswith(partial)
    letters = _toneless(partial)
    if letters == partial:
        return lambda text: _toneless(text[: len(partial)]) == partial
    tone = _tones(partial)

    def toned(text: str) -> bool:
        if text.startswith(partial):
            return True
        without, its_tone = _tone_apart(text.partition(" ")[0])
        return its_tone == tone and without.startswith(letters)

    return toned


def _typed_twin(prefix: str, last: Syllable) -> str | None:
    """The syllable being typed (``last``, of ``prefix``) as typed, lower case, where its one spelling
    (``normalize_syllable``) writes it otherwise and so no longer starts the syllables it may be on its way to: ``ti``
    is *ty* as a whole syllable (*công ty*), and the start of *tiết*, *tin*, *tiền*; ``hoà`` is *hòa*, and the start
    of *hoàng*, *hoàn* (a keyboard that puts the tone of *hoà* on its *a*). None where the two agree.

    >>> [_typed_twin(text, split_syllables(text)[-1]) for text in ("thoi ti", "nguyễn Hoà", "cong ty", "li", "hòa")]
    ['ti', 'hoà', None, 'li', None]
    """
    typed = normalize_with_offsets(prefix[last.start : last.end]).text
    return typed if typed != last.text and normalize_syllable(typed) == last.text else None


def _words_read(model: Syllables, words: list[str]) -> list[str]:
    """Whole words typed, as typed, or as the restorer reads them when typed without any diacritic."""
    return words if has_diacritics(" ".join(words)) else model.best(model.candidates(list(map(fold_diacritics, words))))


def _ranges(vocabulary: Vocabulary, *typed: str) -> list[tuple[int, int]]:
    """The ranges of the vocabulary's entries that start with each of the texts typed, folded, each once."""
    return [vocabulary.prefixed(key) for key in dict.fromkeys(map(fold_diacritics, typed))]


def _best_first(vocabulary: Vocabulary, ranges: list[tuple[int, int]], titles: bool = False) -> Iterator[int]:
    """The entries of one or more ranges of the vocabulary's keys (``Vocabulary.prefixed``) in the order
    ``Vocabulary.best_first`` reads each, the ranges' merged."""
    if len(ranges) == 1:
        return vocabulary.best_first(*ranges[0], titles=titles)
    ranks = vocabulary.title_ranks if titles else vocabulary.word_ranks
    return heapq.merge(*(vocabulary.best_first(*span, titles=titles) for span in ranges), key=ranks.__getitem__)


SPELLED_SEEN = 10  # a syllable typed whole with its marks, offered when the sample holds it so this often at least
STARTS_AFTER = 10  # and a word after it, when the sample has that pair after this many different syllables or more
SPELLED_PHRASES = 4  # at most
SPELLED_FEW = 4  # words that start as typed, fewer than which the syllable typed so comes first with its words


def _syllable_spelled_so(vocabulary: Vocabulary, typed: str, with_words: bool) -> list[str]:
    """A syllable typed alone with its marks, as typed, where the sample holds it so SPELLED_SEEN times or more (the
    completions' words keep a syllable alone in its commonest spelling only, ``vocabulary._spellings_kept``: `khóa`,
    1,672 times in 21,000 VNTC articles, is *khoa*'s, 7,323); ``with_words``, then the likeliest words after it
    (``_phrases``), those of the pairs it starts after STARTS_AFTER different syllables or more, ending where a phrase
    may (``Syllables.ends_phrase``: not *hát cho*, *hát với*). A word of two is a completion only as the segmenter
    writes it: the words alone offer `khóa` *khóa luận*, never *khóa học* (363 times), which underthesea leaves as two
    words. A pair mostly inside a longer word says nothing of one that starts with the syllable: `lãm` (of *triển
    lãm*) is offered alone, never *lãm và*, *lãm hàng*."""
    model = vocabulary.syllables
    if not is_syllable(typed) or model.occurrences(typed) < SPELLED_SEEN:
        return []
    if not with_words:
        return [typed]
    starting = {
        form for form, seen in model.followers(typed, freely=True) if seen >= STARTS_AFTER and not is_stop_word(form)
    }
    found = [
        phrase
        for phrase in _phrases(vocabulary, [typed, ""], finished=True, added=False)
        if (words := phrase.split(" "))[1] in starting and model.ends_phrase(*words[-2:])
    ]
    return [typed, *found[:SPELLED_PHRASES]]


WORD_ALONE = 3  # words offered for the one being typed, when the index writes none of them after the words before


def _word_alone(vocabulary: Vocabulary, syllables: list[str], twin: str | None = None) -> list[str]:
    """A prefix of several words that nothing the index writes after its words goes on as typed (`hà nội lập rà`:
    *lập rào* is never written so), its last word made whole alone: the commonest of the index's words that start as
    it is typed (``_being_typed``; *rà soát*, *rào*), after the words before it as typed, or as the restorer reads
    them when typed without diacritics. Not a number, which any digits may follow, nor a single letter, which any
    word may: chosen by its frequency alone, it would be mostly another (`ubnd q`: *quan*, where *quận* is meant)."""
    context, partial = syllables[:-1], syllables[-1]
    if not partial.isalpha() or len(partial) < 2:
        return []
    context = _words_read(vocabulary.syllables, context)
    being_typed = _being_typed(partial, twin=twin)
    ranges = _ranges(vocabulary, partial, *([twin] if twin else []))
    found: list[str] = []
    for at in itertools.islice(_best_first(vocabulary, ranges), ENTRIES_READ):
        display = vocabulary.displays[at]
        if display in (partial, twin) or not being_typed(display):
            continue  # nothing more than is typed
        if not all(is_syllable(word) for word in display.split(" ")):
            continue
        if vocabulary.frequencies[at] < JOINED_SEEN and _joined_past(vocabulary, display, partial):
            continue  # the segmenter's slip into the next word: *hà nội phạm*
        found.append(" ".join([*context, display]))
        if len(found) == WORD_ALONE:
            break
    return found


def _spelled(vocabulary: Vocabulary, syllables: list[str]) -> bool:
    """Whether the index spells the last of the syllables typed (normalised) so after the one before it at least
    SPELLED_SHARE as often as it spells its letters there the commonest way (the syllable alone when the index has
    none of them after it): ``thông tư`` (*thông từ* is rarer), not ``hà nôi`` (its tone left out: *hà nội*)."""
    model, last = vocabulary.syllables, syllables[-1]
    forms = model.forms.get(fold_diacritics(last), ())
    if last not in forms:
        return False
    counts = [model.pair_count(syllables[-2], form) for form in forms] if len(syllables) > 1 else []
    if not any(counts):
        counts = [model.occurrences(form) for form in forms]
    return counts[forms.index(last)] >= SPELLED_SHARE * max(counts)


def _agrees(text: str, head: str, partial: Callable[[str], bool]) -> bool:
    """Whether ``text`` (normalised) starts with the whole syllables typed (``head``, with its last space) as
    typed, then agrees with the one being typed (``_being_typed``)."""
    return text.startswith(head) and partial(text[len(head) :])


def _starts_with(title: str, typed: str, head: str, being_typed: Callable[[str], bool]) -> int | None:
    """Whether a title, normalised (``normalize_text``), starts with ``typed`` (normalised syllables): 0 as typed, 1
    with its whole syllables (``head``) as typed and the one being typed as it may yet become (``being_typed``), None
    not.

    Only the title's start is normalised, up to the first space after as many characters as were typed: each
    character and each syllable is normalised on its own, so that is the start of the whole title normalised. A start
    that normalises to fewer characters (decomposed diacritics, invisible characters) is read whole. Completing a
    syllable typed with diacritics reads up to hundreds of titles spelled alike without them (``trún``: 540 on all of
    VNTC, two of them agreeing), which, each normalised whole, took 7-9 ms (``bench/completion_time.py``).
    """
    cut = title.find(" ", len(typed))
    start = normalize_text(title[:cut]) if cut > 0 else ""
    start = start if len(start) >= len(typed) else normalize_text(title)
    if start.startswith(typed):
        return 0
    return 1 if _agrees(start, head, being_typed) else None


PHRASES = 4  # whole-query completions offered for a prefix of several words
FOLLOWERS = 2  # of the best two, the longer ones: one more word after each
FOLLOWERS_READ = 20  # the likeliest words read for them, of which the first that may end a phrase are added
ADDED_SEEN = 3  # each seen after the phrase this many times at least


def _listed_started(
    vocabulary: Vocabulary, syllables: list[str], synonyms: Synonyms, ended: bool, first: str | None
) -> list[str]:
    """The forms of several syllables the synonym list writes with diacritics that a prefix typed without them spells
    the start of, two of its words typed whole (``Synonyms.started``: `pho giao s`, *phó giáo sư*), where the index
    holds a form of the group (an abbreviation it writes, or every pair of a form's syllables side by side: a search
    for it finds articles), the shortest first; unless the index's own first continuation (``first``) reads the
    words typed whole as the form does, being then the index's likelier way on (`vien kiem sat nhan d`: *viện kiểm
    sát nhân dân*, before the list's *… tối cao*). The model alone continues a prefix as it reads the words, which a
    few hundred articles may never write (*phố giao sự*)."""
    whole = len(syllables) if ended else len(syllables) - 1
    if whole < 2:  # one word typed: the index's pairs rank its ways on better (`ban c`: *bạn có thể*, *ban chỉ đạo*)
        return []
    read = split_syllables(first)[:whole] if first else []
    # Words, not an abbreviation's letters (`gd dt`, of *GD-ĐT*); the word being typed first.
    started = [(form, group) for form, group in synonyms.started(syllables, ended) if all(map(is_syllable, form))]
    started.sort(key=lambda found: len(found[0]))
    if read and any([syllable.text for syllable in read] == list(form[:whole]) for form, _ in started):
        return []
    held = vocabulary.syllables.holds
    return list(dict.fromkeys(" ".join(form) for form, group in started if any(map(held, group))))


def _phrases(
    vocabulary: Vocabulary,
    syllables: list[str],
    rare_pair: bool = False,
    finished: bool = False,
    twin: str | None = None,
    added: bool = True,
) -> list[str]:
    """A prefix of several words continued: its last syllable completed, then one more, each by how often the
    index's text has it follow the two before (``Syllables.followers_of_pair``): ``ủy ban nhân d`` is *ủy ban nhân
    dân*, never *nhân dịp*, which follows *nhân* as often but never *ban nhân*. A prefix of two words has one
    before its last: the pairs decide (``Syllables.followers``), by how many different syllables the index has before
    each, so that a pair mostly written inside a longer phrase (*gia vào*, of *tham gia vào*) ranks after one used on
    its own (*gia vị*); so do they when no continuation of the two before starts with what is typed.

    Typed without diacritics, the word before the last is read every way the index spells it (the ones before it
    restored in the light of each), and the continuations of all readings are ranked together, by how often the
    index has the whole: ``cai c`` is *cải cách* before *cái chết*, though *cái* alone is the likelier reading of
    ``cai``. Restored on its own, the word before would decide the reading without the letters typed after it.

    ``rare_pair``: when the index has the two words before the last together in no reading, the word before alone
    continues them (``complete`` asks so when nothing else starts with what is typed). ``finished``: the last
    syllable is whole, as typed (``_being_typed``). ``twin``: the last syllable as typed, where its one spelling
    writes it otherwise (``_typed_twin``: ``ti``, *ty*), continued as either. ``added``: the best two go on by one
    more word too."""
    model = vocabulary.syllables
    context, partial = syllables[:-1], syllables[-1]
    accented = has_diacritics(" ".join(context))
    if accented:
        contexts = [context]
    else:
        readings = model.candidates([fold_diacritics(s) for s in context])
        if len(context) > 1 and partial.isascii() and partial.isdigit() and partial != "0":
            # A number being typed after two words or more: the few numbers each reading of the word before has after
            # it decide nothing (*thông từ 5*, seen twice, of *truyền thông từ 5*, against the *Thông tư 05* that
            # `thong tu 5` means). The words are read as the restorer reads them before the number, its shape and its
            # padded writing weighed (``Syllables._scores``). A lone ``0`` starts a padded number, which it cannot
            # tell.
            contexts = [model.best([*readings, [(partial, 0.0)]])[:-1]]
        else:
            *earlier, last = readings
            contexts = [model.best([*earlier, [reading]]) if earlier else [reading[0]] for reading in last]

    # A digit typed after words: the articles may write its number padded (*Thông tư 05*, *Chỉ thị 02*), which the
    # search reads as the number typed; the padded writing is offered too, as they write it.
    padded = "0" + partial if len(context) > 1 and len(partial) == 1 and partial in "123456789" and not finished else ""
    as_typed_so = _being_typed(partial, finished, twin)

    def being_typed(text: str) -> bool:
        return as_typed_so(text) or bool(padded) and text.startswith(padded)

    as_typed = has_diacritics(" ".join(syllables))  # typed with diacritics: what starts as typed comes first
    # The syllables read: those starting with the syllable as typed, or with any way of writing its letters when it
    # may yet take other marks (then checked by ``being_typed``).
    toned = _has_tone(partial) or (finished and has_diacritics(partial))
    if not toned:
        starting = _spellings(fold_diacritics(partial))
    else:
        starting = (partial,) if finished else _tone_placements(partial)  # `hòa`: *hòa*, and *hoà* of *hoàn*
    if twin:  # each once: `hoà` is one of *hòa*'s placements
        starting = tuple(dict.fromkeys(starting + ((twin,) if _has_tone(twin) else _spellings(fold_diacritics(twin)))))
    starting = (*starting, padded) if padded else starting

    def after(
        words: list[str],
        last_alone: bool = False,
        starts: Sequence[str] = ("",),
        limit: int | None = None,
        three: bool = False,
        foreign: bool = False,
    ) -> list[tuple[str, int]]:
        """The syllables that follow ``words`` (``three``: the last three first), those that start with one of
        ``starts``, the commonest first; ``foreign``: a word of another language too (``_offered_after``), for the word
        being typed, never for one added after it (*chết người H5N1*, *bổ sung vitamin*)."""
        read = limit
        while True:
            found = model.followers_of_three(*words[-3:], limit=read) if three and len(words) > 2 else None
            context = words[-4:] if len(words) > 3 else []  # the word before the three or two that decide
            if found is None and len(words) > 1 and not last_alone:
                found = model.followers_of_pair(*words[-2:], starting=starts, limit=read)
                context = words[-3:] if len(words) > 2 else []
            elif found is None:
                found, context = model.followers(words[-1], starting=starts, limit=read, freely=True), []
            # Nor what the word before those that decide rules out (*hội đồng nhân dân tệ*, *ủy ban nhân dân tệ*).
            unlikely = model.seldom_after(context, found)
            offerable = functools.partial(_offered_after, model) if foreign else _offerable
            kept = [(form, n) for form, n in found if offerable(form) and form not in unlikely]
            if read is None or len(kept) >= limit or len(found) < read:
                return kept[:limit]
            read *= 4  # some of the first were not syllables: read further

    def continued(words: list[str], last_alone: bool) -> list[tuple[bool, str, int]]:
        """The syllables that may follow ``words`` and start as typed, each with whether only the last one or two
        words before it were heard of (not the three): ``ủy ban nhân dân t`` is *tỉnh* and *thành* first, which
        follow *ban nhân dân*, before *tệ*, which follows *nhân dân* far more often (*nhân dân tệ*, the yuan)."""
        # A word of another language only after all the words typed: after the last two of more, the pair's
        # followers are many languages' names in lists (*động đất ở trung quốc philippines*, *nữ tổng thống dick*).
        by_two = after(words, last_alone, starting, foreign=len(words) <= 2 and not last_alone)
        three = None if last_alone or len(words) < 3 else model.followers_of_three(*words[-3:])
        seen = {form: count for form, count in three or () if form.startswith(starting) and _offered_after(model, form)}
        unlikely = model.seldom_after(words[-4:], seen.items()) if len(words) > 3 else set()
        return [(False, form, count) for form, count in seen.items() if form not in unlikely] + [
            (True, form, count) for form, count in by_two if form not in seen
        ]

    def offered(contexts: list[list[str]], last_alone: bool) -> list[tuple[int, str, list[str], str]]:
        ranked = sorted(
            (
                (shorter, -count, " ".join([*words, form]), words, form)
                for words in contexts
                for shorter, form, count in continued(words, last_alone)
                if being_typed(form)
            ),
            # As typed first (a word of another language only by chance: `của u` is on its way to *của ủy ban* before
            # *của unesco*); then what follows the three words before, the likeliest reading's first; of two as often,
            # a Vietnamese word before one of another language (`tổng thống mỹ d`: *đã* before *dick*, three times
            # each).
            key=lambda entry: (
                as_typed
                and not (
                    entry[4].startswith((partial, twin) if twin else partial)
                    and (_offerable(entry[4]) or not _markable(partial))
                ),
                entry[:2],
                not _offerable(entry[4]),
                entry[2],
            ),
        )
        ranked = [entry[1:] for entry in ranked]
        # A phrase spelled, without its diacritics, as one far commoner is mostly a typo in the index's text (*hiệu
        # quá* beside *hiệu quả*, *thê nao* beside *thế nào*, *tuyen sinh* beside *tuyển sinh*): it is not offered.
        commonest: dict[str, int] = {}
        found = []
        for entry in ranked:
            count, key, words, form = -entry[0], fold_diacritics(entry[1]), entry[2], entry[3]
            if last_alone or len(words) == 1:  # ranked by the pair's kinds of syllables before it: its own count here
                count = model.pair_count(words[-1], form)
            rarer = RARER_SPELLING if has_diacritics(entry[1]) else RARER_UNMARKED
            if count * rarer < commonest.setdefault(key, count):
                continue
            found.append(entry)
            if len(found) == PHRASES:
                break
        return found

    def found_after(contexts: list[list[str]]) -> list[tuple[int, str, list[str], str]]:
        found = offered(contexts, last_alone=False)
        if found or len(context) < 2:
            return found
        # No continuation of the two words before the last starts with what is typed, though the index has them
        # together often (*nhân dân tỉnh q*: news writes *UBND tỉnh quảng nam*, and *dân tỉnh* is followed by other
        # words): those of the word before alone (*tỉnh quảng*). Only then: where the two have continuations, the word
        # alone would offer what they rule out (*ban nhân dịp*); and only after the readings of the two the index has
        # together, when it has any (a reading of unaccented ones it has not, *kỹ lực*, would offer what follows
        # *lực* where *kỷ lục* is meant).
        known = [words for words in contexts if model.followers_of_pair(*words[-2:], limit=1)]
        if not known and rare_pair:
            # The index rarely has the two together, in any reading (*giá vàng hôm n*: news writes *giá vàng* and
            # *hôm nay*, seldom one after the other): the word before alone, as typed or as the words restore; a
            # single reading as read (before a number, with it: `luat so 1` is *luật số*, which alone reads *luật
            # sở*, of *luật sở hữu*).
            known = contexts if len(contexts) == 1 else [_words_read(model, context)]
        return offered(known, True)

    # Typed without diacritics, first the readings whose last three words the index writes together, where it writes
    # one so often enough to tell (`uy ban nhan dan t`: 21,000 VietNews articles write *ban nhân dân* 103 times, *ban
    # nhân dẫn* never, whose *nhân dẫn tới* would be offered; `ha noi tang c`: *hà nội tăng cường*, not *hà nội tạng
    # của*); all of them when those go on as typed in no way.
    written = _written_after(model, contexts) if len(context) > 2 and not accented else contexts
    found = found_after(written)
    if not found and written != contexts:
        found = found_after(contexts)
    # One left ending inside a word that goes on many ways keeps its place: *tỉnh quảng* is the likeliest start of
    # the provinces that follow it (*tỉnh quảng nam*, added below).
    phrases = [" ".join(_surely_continued(vocabulary, [*words, form])[0]) for _, _, words, form in found]
    # The word added after the completed one follows the three before it where the index has them together often
    # enough to know (``ủy ban nhân dân`` goes on as *tỉnh*, not as *nhân dân* alone would, *tệ*); else the two. A
    # phrase offered so ends where the index's text may end a clause (``Syllables.ends_phrase``): *hà nội* goes on
    # most often with *đã* and *và*, which start what follows, and is offered as *hà nội cho biết*. Nor does it run
    # across a clause's end (*Hà Nam, Bắc Ninh*).
    for _, _, words, form in found[:2] if added else ():
        added_here = 0
        for next_form, seen in after([*words, form], limit=FOLLOWERS_READ, three=True):
            if seen < ADDED_SEEN:
                break  # the rest as rare: a word seen twice after the phrase says little of what follows it
            if not model.in_one_clause(words[-1], form, next_form):
                continue
            longer, unfinished = _surely_continued(vocabulary, [*words, form, next_form], ending=True)
            if longer[-1] == longer[-2]:
                # Ending on the syllable said again, which starts the next word (*an toàn giao thông thông*, of *…
                # thông suốt*, *… thông qua*), unless it goes on one way (*hành vi vi phạm*); a word said twice
                # (*dần dần*) follows a phrase seldom enough to be counted so.
                continue
            if not unfinished and not is_stop_word(longer[-1]) and model.ends_phrase(longer[-2], longer[-1]):
                phrases.append(" ".join(longer))
                added_here += 1
                if added_here == FOLLOWERS:
                    break
    return list(dict.fromkeys(phrases))


SURE_SHARE = 0.7  # a phrase offered goes on by a syllable that follows its last words this share of the time
SURE_COUNT = 10  # and this many times at least
SURE_MOST = 3  # syllables added so, at most
# A phrase's last syllable starts a word when the index goes on, this share of the times it has the phrase's last two,
# by a syllable that makes one word or one name with it (``Vocabulary.in_one_word``); read among the commonest
# WORD_FOLLOWERS_READ of what follows the two.
IN_WORD_SHARE = 0.7
WORD_FOLLOWERS_READ = 20
WORD_PAIR_SEEN = 2


def _written_after(model: Syllables, contexts: list[list[str]]) -> list[list[str]]:
    """Of the readings of words typed without diacritics, those whose last three the index writes together, when it
    writes those of one TRIPLE_AFTER times or more; else all."""
    together = [model.triple_count(*words[-3:]) for words in contexts]
    if max(together, default=0) < TRIPLE_AFTER:
        return contexts
    return [words for words, seen in zip(contexts, together, strict=True) if seen]


def _surely_continued(vocabulary: Vocabulary, words: list[str], ending: bool = False) -> tuple[list[str], bool]:
    """A phrase offered, continued while the index's text all but always goes on one way (``SURE_SHARE`` of the times
    it has the phrase's last three words, or its last two where it knows too little of the three), up to
    ``SURE_MOST`` syllables: a word is often more than one syllable, and *cải cách hành* stopped inside *cải cách
    hành chính*, *tp hồ* inside *tp hồ chí minh*. Where the text branches or ends (*cải cách* goes on as *hành
    chính*, *tư pháp*, *giáo dục*), the phrase ends.

    Nor is a phrase left ending on the first syllable of a word (``_word_started``), however seldom the index has it:
    *ubnd thừa*, which it writes only in *UBND Thừa Thiên Huế*, goes on as *ubnd thừa thiên huế*. Returned with
    the phrase: whether it still ends inside a word, one that goes on many ways (*bộ trưởng bộ*: *Bộ Y tế*, *Bộ
    GTVT* and the other ministries; *bà nguyễn thị*); where the syllables added led it there, it ends before the last
    of them instead. ``ending``: only a phrase that ends where the index's text may end a clause
    (``Syllables.ends_phrase``) is wanted, and one that does not is said to end inside a word without asking what
    follows it."""
    model = vocabulary.syllables
    words, typed = list(words), len(words)
    for _ in range(SURE_MOST):
        if len(words) < 2:
            break
        before, last = words[-2:]
        three = model.followers_of_three(*words[-3:], limit=WORD_FOLLOWERS_READ) if len(words) > 2 else None
        if three is not None:
            sure, seen = three, model.triple_count(*words[-3:])
        else:
            sure, seen = model.followers_of_pair(before, last, limit=1), model.pair_count(before, last)
        form = sure[0][0] if sure else ""
        if not sure or sure[0][1] < SURE_COUNT or sure[0][1] < SURE_SHARE * seen or not _offerable(form):
            if ending and not model.ends_phrase(before, last):
                return words, True  # the text seldom ends a clause here: as if ending inside a word
            paired = seen if three is None else model.pair_count(before, last)
            if paired < WORD_PAIR_SEEN:
                break  # too seldom seen to tell
            # The three before it first, where the sample knows what follows them: *lý lịch tư* goes on as *pháp*
            # every time, *lịch tư* seldom enough that its other followers say nothing.
            started = _word_started(vocabulary, last, three, seen) if three else None
            if started is None:
                found = model.followers_of_pair(before, last, limit=WORD_FOLLOWERS_READ, after=MIN_TRIPLE_COUNT)
                started = _word_started(vocabulary, last, found, paired)
            if started is None:
                break
            if not started:
                # Continued into a word that goes on many ways: back to the word before it, if it was continued
                # (*sở giao thông*, not *sở giao thông công*: *Công chính*, *Công chánh*, *công cộng*).
                return (words[:-1], False) if len(words) > typed else (words, True)
            form = started
        words.append(form)
    return words, False


def _word_started(vocabulary: Vocabulary, last: str, found: list[tuple[str, int]], seen: int) -> str | None:
    """Whether a phrase ends on the first syllable of a word, given what the index has after its last two syllables
    at least twice (``found``, the commonest first, of the ``seen`` times it has the two): None when not, else the
    syllable that mostly goes on with it (``SURE_SHARE`` of the times), or "" when the word goes on many ways. The
    times the two are followed by a syllable seen once after them count as ending the word: the model keeps no such
    triple, and most are a phrase's many ways on (*cầu thủ trẻ*, *cầu thủ Việt Nam*)."""
    wanted, rest = IN_WORD_SHARE * seen, sum(count for _, count in found)
    inside, first = 0, None
    for form, count in found:  # the commonest first: most phrases are told by the first one or two
        if inside + rest < wanted:
            return None  # not even with all the rest
        rest -= count
        if form != last and vocabulary.in_one_word(last, form):  # not a word said twice (*dần dần*)
            inside += count
            first = first or (form, count)
            if inside >= wanted:
                break
    if first is None or inside < wanted:
        return None
    form, count = first
    return form if count >= SURE_SHARE * seen and _offerable(form) else ""


SPELLINGS_READ = 64  # the most ways of writing the start of an unaccented syllable read (see _spellings)


def _spellings(folded: str) -> tuple[str, ...]:
    """The ways of writing the start of what was typed without diacritics, as many of its letters as keep them at
    most SPELLINGS_READ: ``nh`` is one, ``ngu`` twelve (*u*, *ư*, each with five tones), ``nguy`` still twelve (its
    first three letters). A syllable starts with one of them; what follows is checked letter by letter."""
    found = [""]
    for letter in folded:
        forms = LETTER_FORMS.get(letter) or [letter]
        if len(found) * len(forms) > SPELLINGS_READ:
            break
        found = [start + form for start in found for form in forms]
    return tuple(found)


def _whole_words(title: str) -> str:
    """A title as offered: one cut after TITLE_WORDS words loses its last word too, which may be the first syllables
    of a longer one (*Đông Nam* of *Đông Nam Á*), so it never ends mid-word. ``segment`` gives the words of two
    syllables or more; any other syllable is a word by itself."""
    if not title.endswith(CUT):
        return title
    text = title[: -len(CUT)]
    syllables = split_syllables(text)
    last = len(syllables) - 1
    first = next((start for start, end in segment(syllables, text) if start <= last <= end), last)
    if first < 1:
        return title
    return text[: syllables[first - 1].end] + CUT
