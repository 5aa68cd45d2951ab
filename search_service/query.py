"""Turning a basic query string or an advanced-search form into a ``SearchPlan``: the Whoosh query, the boosts of
the best candidates, what was understood. Never opens an index.

User input is literal text by default; the only operators are the ones people type into a portal's box:
``"exact phrase"``, ``-excluded``, ``OR``, ``AND``, ``NOT``, ``title:`` and ``category:``. How a run of words is
matched and ranked is ``ranking.run_rules``.
"""

from __future__ import annotations

import copy
import itertools
import re
from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from whoosh import query as Q

from .analysis import (
    CLAUSE_TERM,
    GROUPED_FROM,
    GROUPED_NUMBER_RE,
    Syllable,
    as_written,
    cased_as,
    clause_starts,
    clause_words,
    decimal_points,
    fold_diacritics,
    grouped_word,
    has_diacritics,
    in_dictionary,
    normalize_syllable,
    normalize_text,
    number_writings,
    ordinal_word,
    other_numeral,
    part_digits,
    part_places,
    part_term,
    reads_as_numeral,
    segment,
    split_syllables,
    typed_grouped,
    ungrouped,
    word_term,
)
from .config import DEFAULT_SYNONYMS
from .errors import BadQuery
from .keyboard import is_syllable
from .ranking import (
    ALTERNATIVE_SHARE,
    AS_TYPED,
    BARE_DOUBTFUL,
    CERTAIN,
    CITED_BOOST,
    CONFIDENT,
    COORDINATE_UP_TO,
    LONG_RUN_FROM,
    PHRASE_BOOST,
    RERANK_DEPTH,
    RESTORED_BOOST,
    TERM_WEIGHTS,
    WHOLE_WORD_WEIGHT,
    WORD_BOOST,
    run_rules,
)
from .schema import TEXT_FIELDS, folded
from .segmenter import package_dir
from .whoosh_ext.queries import AcrossFields, PhraseAcross, SynonymGroup

if TYPE_CHECKING:
    from .vocabulary import Restoration

MAX_QUERY_CHARS = 500
MAX_SYLLABLES = 128  # 500 characters hold about 110 syllables
MAX_CLAUSES = 32
# Each order a visitor can choose: None for relevance, else (the field, descending).
SORT_ORDERS = {
    "relevance": None,
    "newest": ("published", True),
    "oldest": ("published", False),
    "views": ("views", True),
}
SORTS = tuple(SORT_ORDERS)
SCOPES = ("all", "title")
# Letters or digits joined by a hyphen, slash, full stop or ampersand, or a decimal comma (``1,5``: one number, as
# ``1.5`` is; ``analysis.DECIMAL_COMMA``); perhaps a percent sign after (``12,5%``, ``50-60%``).
CODE_RE = re.compile(r"^[^\W_]+(?:(?:[-/.&]|(?<=\d),(?=\d))[^\W_]+)+%?$")
DOTTED_RE = re.compile(r"^[^\W_]+(?:\.[^\W_]+)+$")  # a code joined by dots only (``TP.Đà``, ``Q.5``, ``7.000``)
# A code with a slash, a digit and a letter is a document's number (`29-CT/TU`, `12/2023/NĐ-CP`, `15/QĐ-UBND`):
# one word, its number and kind. Without a slash it is a name or a figure (`COVID-19`, `7.000`, `2-3`); without a
# letter a date or a measure (`28/6/21`, `140/90`); without a digit words or abbreviations set side by side
# (`con/em`, `HIV/AIDS`, `km/h`): their syllables are words like any other.
NUMBER_MARK = "/"
# A date written with hyphens or dots, as Vietnamese papers write it too (`ngày 12-5-2009`, `12.5.2009`).
DATE_RE = re.compile(r"\d{1,2}[-.]\d{1,2}[-.](?:\d{4}|\d{2})")
# A name of letters and a number (a team's age, a model, a summit: `U23`, `A380`, `MiG-21`, `G8`), which articles
# write joined (*U23*, one word of the index), with a hyphen or a dot, or apart (*U-23*, *U.23*, *U 23*: its letters
# and its number side by side): typed either way, it is found written either way (``Builder._term``).
LETTERS_NUMBER_RE = re.compile(r"([^\W\d_]+)(\d+)")


def is_document_number(code: str) -> bool:
    """Whether a code (``CODE_RE``) is a document's number: a slash, a digit and a letter (``NUMBER_MARK``)."""
    return is_numbered(code) and any(char.isalpha() for char in code)


def is_numbered(code: str) -> bool:
    """Whether a code (``CODE_RE``) is a number with a slash, a document's or a date (``NUMBER_MARK``), or a date
    written with hyphens or dots (``DATE_RE``).

    >>> [is_numbered(code) for code in ["29-CT/TU", "12/5/2009", "12-5-2009", "12.5.2009", "2-3", "COVID-19"]]
    [True, True, True, True, False, False]
    """
    return (NUMBER_MARK in code and any(char.isdigit() for char in code)) or DATE_RE.fullmatch(code) is not None


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    # Read from underthesea's folder, as underthesea.datasets.stopwords reads it, without importing the package. Its
    # list holds the numbers 2 and 10, which a visitor types for what they are (`tuyển sinh lớp 10`, `quận 2`): no
    # number is a stop word.
    words = (package_dir() / "datasets" / "stopwords" / "stopwords.txt").read_text(encoding="utf-8").split("\n")
    return frozenset(normalize_text(w) for w in words if w.strip() and not w.strip().isdigit())


def is_stop_word(syllable: str) -> bool:
    """Whether a normalised syllable is on underthesea's Vietnamese stop-word list."""
    return syllable in _stop_words()


# --- synonyms -----------------------------------------------------------------------------------------------


NUMBER_SLOT = "#"  # in a synonym form, any number typed there (``Q.# = quận #``: Q.5 is quận 5; ``Q#``: Q5)
SLOT_HOLDER = "9081726354"  # the slot while a form is split into syllables: a number, so ``Q#`` stays one syllable
DIGITS_RE = re.compile(r"\d+")


class Synonyms:
    """Groups of forms that mean the same (``UBND`` = ``Ủy ban nhân dân``); each form a tuple of syllables, where
    ``NUMBER_SLOT`` stands for any number, alone or joined to letters (``Q.#`` = ``Q#`` = ``quận #``: ``Q.5`` and
    ``Q5`` match as ``quận 5`` and are searched as all three, each a phrase, so *Q.3 … 5 người* is not district 5).

    ``capitals`` are forms that are also everyday words (``TƯ``, written so for *Trung ương*, is the *tư* of *đầu
    tư*, *tư pháp*, *thứ tư*): such a form stands for its group only when typed in capitals, and is never searched
    for another form of it, since the index, in lower case, cannot tell the abbreviation from the word (*Trung
    ương* would find every article on *đầu tư*).
    """

    def __init__(
        self,
        groups: tuple[tuple[tuple[str, ...], ...], ...] = (),
        capitals: frozenset[tuple[str, ...]] = frozenset(),
        places: tuple[tuple[str, str, str, str], ...] = (),
        names: frozenset[tuple[str, ...]] = frozenset(),
        apart: dict[tuple[str, ...], list[int]] | None = None,
        words: Callable[[Sequence[str]], bool] | None = None,
        numbered: frozenset[str] = frozenset(),
    ):
        self.groups = groups
        self.capitals = capitals
        self.places = places
        self.names = names
        # Whether an index's segmentation writes two or three syllables in lower case as one word
        # (``Vocabulary.is_word``): with underthesea's word list, which of a query's words are held whole (``is_word``).
        self.words = words
        # The syllables an index numbers with Roman numerals after them (``Vocabulary.numbered_in_roman``: *khóa*,
        # *quý*, the *kỷ* of *thế kỷ*): a number typed after one is looked for in its other writing too.
        self.numbered = numbered
        # The forms the list writes with punctuation that ends a clause (``cán bộ, công chức, viên chức``), each with
        # the syllables that start a clause (``analysis.clause_starts``).
        self.apart = apart or {}
        # The forms searched for each form: those of its group but the forms in ``capitals``; of all its groups for an
        # abbreviation of several things (``BTC``: Ban Tổ chức, Bộ Tài chính), whose expansions each search only
        # their own group.
        searched: dict[tuple[str, ...], dict[tuple[str, ...], None]] = {}
        for group in groups:
            for form in group:
                searched.setdefault(form, {}).update((other, None) for other in group if other not in capitals)
        # Forms by their first syllable without diacritics, longest first, so matching costs a lookup per word.
        self._by_first: dict[str, list[tuple[tuple[str, ...], tuple[str, ...], tuple[tuple[str, ...], ...]]]] = {}
        for form, forms in searched.items():
            folded_form = tuple(fold_diacritics(s) for s in form)
            # A first syllable holding a slot is filed as written (``q#``); ``match`` looks a typed one up so too.
            self._by_first.setdefault(folded_form[0], []).append((folded_form, form, tuple(forms)))
        # Written with its letter, a place is its name's: ``Q.Bình Thạnh`` is a form of *quận Bình Thạnh*, as ``Q.5`` is
        # of *quận 5*. Written with its word, it is keyed by its letters without diacritics (``quan binh thanh``) with
        # its writing by the letter (``q bình thạnh``): ``place`` looks up the three syllables at a position.
        self._places: dict[tuple[str, ...], list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
        for letter, word, first, second in places:
            by_word, by_letter = (word, first, second), (letter, first, second)
            folded_form = tuple(fold_diacritics(s) for s in by_letter)
            self._by_first.setdefault(letter, []).append((folded_form, by_letter, (by_letter, by_word)))
            self._places.setdefault(tuple(fold_diacritics(s) for s in by_word), []).append((by_word, by_letter))
        for forms in self._by_first.values():
            forms.sort(key=_longer)
        self._longest = max((len(form) for group in groups for form in group), default=1)
        if places:  # a place's writing by its letter: three syllables
            self._longest = max(self._longest, 3)

    def with_joined(self, joined: Iterable[tuple[str, str, str]]) -> Synonyms:
        """These synonyms and a group for each word an index writes both joined and split (``Vocabulary.joined``:
        ``email`` = ``e mail``, so ``e-mail`` finds ``email`` too). A writing that is a form here brings its groups'
        forms to the other (``GTVT`` = ``giao thông vận tải``: ``GT-VT`` finds both). A pair whose part is a form of
        its own here (``NĐ`` of ``NĐ-CP``) is left out: matched whole, the pair would hide that part's own group."""
        groups_of: dict[tuple[str, ...], list[tuple[tuple[str, ...], ...]]] = {}
        for group in self.groups:
            for form in group:
                groups_of.setdefault(form, []).append(group)
        added = []
        for whole, first, second in joined:
            pair = (first, second)
            if pair not in groups_of and ((first,) in groups_of or (second,) in groups_of):
                continue
            forms = {(whole,): None, pair: None}
            for group in groups_of.get((whole,), []) + groups_of.get(pair, []):
                forms.update(dict.fromkeys(group))
            added.append(tuple(forms))
        return self._with(groups=self.groups + tuple(added)) if added else self

    def with_places(self, places: Iterable[tuple[str, str, str, str]]) -> Synonyms:
        """These synonyms and the names an index writes after a place's word and its letter alike
        (``Vocabulary.places``: ``('q', 'quận', 'bình', 'thạnh')``), for ``place``."""
        places = tuple(places)
        return self._with(places=self.places + places) if places else self

    def with_names(self, names: Iterable[tuple[str, ...]]) -> Synonyms:
        """These synonyms and the pairs and triples of syllables an index writes as a name (``Vocabulary.names``), for
        ``name_spans``."""
        names = frozenset(names)
        return self._with(names=self.names | names) if names else self

    def with_words(self, words: Callable[[Sequence[str]], bool]) -> Synonyms:
        """These synonyms and the words an index's segmentation writes as one (``Vocabulary.is_word``), for
        ``is_word``."""
        return self._with(words=words)

    def with_numbered(self, numbered: frozenset[str]) -> Synonyms:
        """These synonyms and the syllables an index numbers with Roman numerals (``Vocabulary.numbered_in_roman``)."""
        return self._with(numbered=self.numbered | numbered) if numbered else self

    def _with(self, **changed: Any) -> Synonyms:
        """These synonyms with some of their parts (the constructor's arguments) changed."""
        names = ("groups", "capitals", "places", "names", "apart", "words", "numbered")
        parts = {name: getattr(self, name) for name in names}
        return Synonyms(**(parts | changed))

    def is_word(self, syllables: Sequence[str]) -> bool:
        """Whether these two or three syllables (any case) are one word: underthesea's word list holds them, or the
        index's segmentation writes them as one (``words``: a portal's *xét tuyển*, *người dân*, which the list
        lacks).

        >>> portal = Synonyms(words=lambda syllables: tuple(syllables) in {("xét", "tuyển"), ("tinh", "rắc")})
        >>> portal.is_word(["Xét", "tuyển"]), Synonyms().is_word(["xét", "tuyển"]), portal.is_word(["giáo", "viên"])
        (True, False, True)
        """
        lowered = [normalize_syllable(s.lower()) for s in syllables]
        return (self.words is not None and self.words(lowered)) or in_dictionary(syllables)

    def name_spans(self, readings: Sequence[Sequence[str]]) -> list[tuple[int, int]]:
        """Spans (first, last) of the names among syllables, each given as its readings (accented, any case; typed
        without diacritics, its likely forms): runs of pairs the index writes as a name (``names``) in some reading,
        from the left, a run longer than two only as far as each three of it are a name too.

        >>> names = {("hồ", "chí"), ("chí", "minh"), ("hồ", "chí", "minh"), ("minh", "hà"), ("hà", "nội")}
        >>> typed = [["Hồ"], ["Chí"], ["Minh"], ["hà", "hạ"], ["nội", "nơi"], ["và"], ["Minh"], ["Hà"]]
        >>> Synonyms(names=frozenset(names)).name_spans(typed)
        [(0, 2), (3, 4), (6, 7)]
        """
        if not self.names:
            return []
        forms = [[normalize_syllable(form.lower()) for form in found] for found in readings]

        def named(first: int, last: int) -> bool:
            return any(run in self.names for run in itertools.product(*forms[first : last + 1]))

        spans: list[tuple[int, int]] = []
        for at in range(len(forms) - 1):
            if not named(at, at + 1):
                continue
            if spans and spans[-1][1] == at:
                if named(at - 1, at + 1):
                    spans[-1] = (spans[-1][0], at + 1)
            else:
                spans.append((at, at + 1))
        return spans

    def place(self, syllables: list[str], start: int) -> tuple[tuple[str, ...], ...]:
        """The writings by letter of a place's word at ``start`` before a name that follows it (``places``): for
        ``quận`` in ``quận Bình Thạnh``, ``(('q', 'bình', 'thạnh'),)``, so *Q.Bình Thạnh* is found too; empty
        elsewhere. A syllable typed without diacritics matches whatever the index's diacritics, one typed with them
        only those. A place typed with its letter (``Q.Bình Thạnh``) is a form of a group (``match``): its name is
        with it."""
        if not self._places:
            return ()
        window = syllables[start : start + 3]
        found = self._places.get(tuple(fold_diacritics(s) for s in window), ())
        return tuple(other for form, other in found if all(map(_typed_as, window, form)))

    def match(
        self, syllables: list[str], start: int, capitals: list[bool] | None = None
    ) -> tuple[int, tuple[tuple[str, ...], ...]] | None:
        """The longest form starting at ``start``: (its length, the forms to search for it).

        A syllable typed without diacritics matches a form's syllable whatever its diacritics; one typed with them
        only the same syllable, so ``tiềm`` is not ``tiêm`` (``tiêm = chích``) while ``tiem`` may be. A form in
        ``capitals`` matches only a syllable typed in capitals (``capitals``: which of ``syllables`` are, as
        ``typed_in_capitals`` tells).
        """
        first = fold_diacritics(syllables[start])
        forms = self._by_first.get(first)
        if any(char.isdigit() for char in first):  # a number, or one joined to letters: a form with a slot there
            forms = sorted([*(forms or ()), *self._by_first.get(DIGITS_RE.sub(NUMBER_SLOT, first), ())], key=_longer)
        if not forms:  # most syllables start no form: one lookup
            return None
        window = syllables[start : start + self._longest]
        folded_window = [fold_diacritics(s) for s in window]
        for folded_form, form, group in forms:
            if form in self.capitals and not (capitals and capitals[start]) or len(window) < len(form):
                continue
            numbers: list[str] = []
            for typed, bare, wanted, written in zip(window, folded_window, folded_form, form, strict=False):
                if NUMBER_SLOT in written:
                    number = _slot_number(bare, wanted)
                    if number is None:
                        break
                    numbers.append(number)
                elif not _typed_as(typed, written):
                    break
            else:
                return len(folded_form), _numbered(group, numbers) if numbers else group
        return None

    def spellings(self, syllables: list[str]) -> list[tuple[int, tuple[str, ...]]]:
        """Where a run's syllables (lower case) spell, as typed, a form of several syllables the list writes with
        diacritics: each place with the form, the longest found first from the left (``match``). The restorer reads
        a run so, as the portal's own words (``vocabulary.restorations``): `lien hop quoc` is *liên hợp quốc*, `tham
        gia to dan pho` *tổ dân phố*. Not a form holding a number: the letters of ``quận #`` before a number are no
        more *quận* than the *quân* of *bình quân 5 năm*."""
        found = []
        at = 0
        while at < len(syllables):
            matched = self.match(syllables, at)
            length, group = matched or (1, ())
            typed = syllables[at : at + length]
            found.extend(
                (at, form)
                for form in group
                if len(form) == length and _written_words(form) and all(map(_typed_as, typed, form))
            )
            at += length
        return found

    def started(self, syllables: list[str], ended: bool) -> list[tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]]:
        """The forms of several syllables the list writes with diacritics whose start the syllables typed (lower case)
        spell, each with the forms of its group: a syllable typed without diacritics is any of its letters', one typed
        with them only itself, and the last, unless ``ended`` (a space typed after it), the start of the form's
        (`pho giao s`: *phó giáo sư*). Not a form holding a number."""
        if not syllables:
            return []
        *whole, last = syllables
        found = []
        for folded_form, form, group in self._by_first.get(fold_diacritics(syllables[0]), ()):
            if len(form) < len(syllables) or not _written_words(form) or not all(map(_typed_as, whole, form)):
                continue
            written, bare = form[len(whole)], folded_form[len(whole)]
            if _typed_as(last, written) if ended else written.startswith(last) or bare.startswith(last):
                found.append((form, group))
        return found

    def whole(self, text: str, syllables: list[Syllable]) -> tuple[tuple[str, ...], ...] | None:
        """The forms to search for a text that is, as a whole, one form of a group (``GD-ĐT``, ``ủy ban nhân dân``),
        given its syllables (``split_syllables(text)``); None for any other text."""
        texts = [s.text for s in syllables]
        found = self.match(texts, 0, typed_in_capitals(text, syllables)) if texts else None
        return found[1] if found and found[0] == len(texts) else None


def _written_words(form: tuple[str, ...]) -> bool:
    """Whether a synonym list's form is words it writes with diacritics, several and no number: what the restorer
    and the completions read letters typed without them as (``Synonyms.spellings``, ``Synonyms.started``)."""
    numbered = any(NUMBER_SLOT in s or DIGITS_RE.search(s) for s in form)
    return len(form) > 1 and has_diacritics(" ".join(form)) and not numbered


def _typed_as(letters: str, written: str) -> bool:
    """Whether a syllable typed (lower case) spells a form's: its letters typed without diacritics, or as written."""
    return letters == written or letters == fold_diacritics(written)


def _after_abbreviation(code: str, parts: list[str], syllables: list[str], grouped: set[int]) -> bool:
    """Whether a code is an abbreviation's period and the words after it (``TP.Đà`` of ``TP.Đà Nẵng``, ``Q.Bình`` of
    ``Q.Bình Thạnh``): its parts joined by dots only, one of its syllables, where the run holds them, a syllable of a
    synonym group (``grouped``: their positions). ``NĐ-CP``, joined by a hyphen, is a name of its own."""
    return bool(DOTTED_RE.match(code)) and any(
        grouped.intersection(range(at, at + len(parts))) for at in _code_starts(parts, syllables)
    )


def _letters_number(split_code: list[Syllable]) -> bool:
    """Whether a code's syllables are a name's letters and its number (``U-23``, ``A.380``: ``LETTERS_NUMBER_RE``).

    >>> [_letters_number(split_syllables(code)) for code in ["U-23", "MiG.21", "COVID-19", "A330-300", "29-CT"]]
    [True, True, True, False, False]
    """
    return len(split_code) == 2 and split_code[0].text.isalpha() and split_code[1].text.isdigit()


# Written between a word and its number: *Nghị định số 100* for `nghị định 100`, *kỳ họp thứ 5* for `kỳ họp 5`.
NUMBER_WORDS = ("số", "thứ")


# A number with a year (`01/2005`, `17/2008`): a document's number or a month, named by the word before it.
NUMBER_YEAR_RE = re.compile(r"\d{1,4}/(?:19|20)\d\d")
# A Roman numeral with its year (`II/2006`): a quarter's or a term's, after a word the index numbers so (``_numerals``).
NUMERAL_YEAR_RE = re.compile(r"[IVXivx]{1,6}/(?:19|20)\d\d")


def _grouped_writings(writings: Sequence[tuple[str, ...]]) -> list[list[str]]:
    """Those of a bound number's writings (``_bound_numbers``) holding a number of four digits or more, with it
    written in its thousands' groups' terms, as an article writing *1.000 tỷ* holds it (``number_writings``).

    >>> _grouped_writings([("1000", "tỷ"), ("500", "người")])
    [['#1', '#000', 'tỷ']]
    """
    grouped = []
    for words in writings:
        at = {index for index, word in enumerate(words) if grouped_word(word) is not None}
        if at:
            grouped.append(number_writings(words, at)[0])
    return grouped


def _bound_numbers(
    syllables: list[str],
    own: AbstractSet[int],
    words: AbstractSet[int],
    starts: AbstractSet[int],
    joined: Sequence[tuple[int, int]] = (),
    dated: Sequence[tuple[int, int]] = (),
    named: Mapping[int, Sequence[tuple[str, ...]]] | None = None,
    padded: AbstractSet[int] = frozenset(),
    numerals: Mapping[int, Sequence[str]] | None = None,
) -> dict[int, list[tuple[str, ...]]]:
    """The numbers of a run of words that are the words' beside them, each with the writings that hold it so: the
    word before it and the number (also with *số* or *thứ* between; typed between them, with it or without: *kỳ
    họp thứ 5* is not any *kỳ họp* and a Thursday, *thứ 5*), and the number and the word after it, within its
    clause. A number is a syllable of one to four digits matched as a word of its own (``own``: not in a document
    number, a synonym group or a larger number), and no year (1900 to 2099: *thi tuyển 2023* is of that year, not a
    label); the words beside it are syllables with letters typed as words (``words``: of their own, stop words such
    as *số* and *lần*, or in a synonym group, the *định* of *nghị định*), each whole when it is one of the run's
    words of several syllables (``joined``, their spans): *thông tư 20*, not *tư 20*, which an article on *đầu tư
    20 tỷ* holds, and typed without diacritics *từ 20* too. A number with its year (``dated``: the first and last
    syllables of each ``NUMBER_YEAR_RE``) is bound so to the word before it, keyed by its first syllable: *thông tư
    01/2005*, not a *thông tư* and a *tháng 1/2005*. A synonym group's syllables are bound as each of its forms
    (``named``: its forms by its last syllable): *quyết định 02* or *QĐ 02*, not the *định 2* of *quy định 2*.
    A number typed padded with a zero (``padded``) or with its year names a document or a date, never a rank: *số*
    may stand between it and the word before, not *thứ* (*quyết định thứ 2* is a second decision). A number the
    articles write otherwise too after the word before it (``numerals``: its place and its other writings,
    ``_numerals``) is bound in every writing: *khóa 11* or *khóa XI*, *lần thứ 2* or *lần thứ hai*.

    >>> _bound_numbers(["bão", "số", "7"], {0, 2}, {0, 1, 2}, set()), _bound_numbers(["số", "7"], {1}, {0, 1}, set())
    ({2: [('bão', 'số', '7'), ('bão', '7')]}, {1: [('số', '7')]})
    >>> _bound_numbers(["nghị", "định", "100"], {2}, {0, 1, 2}, set())
    {2: [('định', '100'), ('định', 'số', '100'), ('định', 'thứ', '100')]}
    >>> _bound_numbers(["500", "người"], {0, 1}, {0, 1}, set()), _bound_numbers(["tuyển", "2023"], {1}, {0, 1}, set())
    ({0: [('500', 'người')]}, {})
    >>> _bound_numbers(["thông", "tư", "20"], {0, 1, 2}, {0, 1, 2}, set(), [(0, 1)])[2][0]
    ('thông', 'tư', '20')
    >>> _bound_numbers(["thông", "tư", "1", "2005"], {0, 1}, {0, 1}, set(), [(0, 1)], [(2, 3)])[2][:2]
    [('thông', 'tư', '1', '2005'), ('thông', 'tư', 'số', '1', '2005')]
    >>> _bound_numbers(["quyết", "định", "2"], {2}, {0, 1, 2}, set(), named={1: [("quyết", "định"), ("qđ",)]})[2][::3]
    [('quyết', 'định', '2'), ('qđ', '2')]
    >>> _bound_numbers(["quyết", "định", "2"], {2}, {0, 1, 2}, set(), [(0, 1)], padded={2})[2]
    [('quyết', 'định', '2'), ('quyết', 'định', 'số', '2')]
    >>> _bound_numbers(["khóa", "11"], {0, 1}, {0, 1}, set(), numerals={1: ("xi",)})[1][::2]
    [('khóa', '11'), ('khóa', 'thứ', '11'), ('khóa', 'số', 'xi')]
    >>> _bound_numbers(["thế", "kỷ", "xxi"], {2}, {0, 1, 2}, set(), [(0, 1)], numerals={2: ("21",)})[2][::3]
    [('thế', 'kỷ', 'xxi'), ('thế', 'kỷ', '21')]
    """
    word_before = {last: [tuple(syllables[first : last + 1])] for first, last in joined} | dict(named or {})
    word_after = {first: syllables[first : last + 1] for first, last in joined}

    def word(at: int) -> bool:
        return 0 <= at < len(syllables) and at in words and any(c.isalpha() for c in syllables[at])

    between_words = {fold_diacritics(between) for between in NUMBER_WORDS}

    def named_before(at: int, number: tuple[str, ...], ranked: bool = True) -> list[tuple[str, ...]]:
        """The writings of a number at ``at`` with the word before it (*thứ* between them when ``ranked``)."""
        if at in starts or not word(at - 1):
            return []
        before = syllables[at - 1]
        if fold_diacritics(before.lower()) not in between_words:
            betweens = NUMBER_WORDS if ranked else NUMBER_WORDS[:1]
            return [
                writing
                for whole in word_before.get(at - 1, [(before,)])
                for writing in [(*whole, *number), *((*whole, between, *number) for between in betweens)]
            ]
        if at - 1 not in starts and word(at - 2):  # `bão số 7`: the word before *số*, with it or without
            return [
                writing
                for whole in word_before.get(at - 2, [(syllables[at - 2],)])
                for writing in [(*whole, before, *number), (*whole, *number)]
            ]
        return [(before, *number)]

    numerals = numerals or {}
    bound: dict[int, list[tuple[str, ...]]] = {}
    for at, number in enumerate(syllables):
        if at not in own:
            continue
        if at in numerals and not number.isdigit():  # a Roman numeral after the word it numbers
            writings = named_before(at, (number,))
        elif number.isdigit() and (len(number) < 4 or (len(number) == 4 and number[:2] not in ("19", "20"))):
            writings = named_before(at, (number,), at not in padded)
            if at + 1 not in starts and word(at + 1):
                writings.append((number, *word_after.get(at + 1, [syllables[at + 1]])))
        else:
            continue
        if at in numerals:  # each writing with the number's other writings
            writings += [
                (*writing[:-1], other) for other in numerals[at] for writing in writings if writing[-1] == number
            ]
        if writings:
            bound[at] = writings
    for first, last in dated:
        dated_number = tuple(syllables[first : last + 1])
        if writings := named_before(first, dated_number, ranked=False):
            if first in numerals:  # *quý 1/2006*, *quý I/2006*
                writings += [
                    (*writing[: -len(dated_number)], other, *dated_number[1:])
                    for other in numerals[first]
                    for writing in writings
                ]
            bound[first] = writings
    return bound


def _numerals(
    syllables: Sequence[str],
    own: AbstractSet[int],
    starts: AbstractSet[int],
    numbered: AbstractSet[str],
    capitals: Sequence[bool],
    forms: Sequence[Sequence[str]] | None = None,
) -> dict[int, tuple[str, ...]]:
    """The numbers of a run the articles write otherwise too beside the syllable before them, each with its other
    writings: after a syllable the index numbers with Roman numerals (``Synonyms.numbered``), its numeral or its
    digits (``analysis.other_numeral``): `khóa 11` is *khóa XI* too, `Đại hội X` *Đại hội 10*, `thế kỷ 21` *thế kỷ
    XXI*; after *thứ*, a number of 1 to 10 (in digits, or a numeral read so) as its word (``analysis.ordinal_word``):
    `lần thứ 2` is *lần thứ hai* too, `thứ 7` *thứ bảy*. Typed without diacritics, the syllable before is any of its
    likely readings (``forms``: `khoa 8`, *khóa*). A numeral that is also a syllable or a letter (``ROMAN_AMBIGUOUS``)
    is one only typed in capitals, or last or before a number, where no syllable after it makes a word with it
    (`quoc hoi khoa xi`): the *vi* of `lần vi phạm` is no 6.

    >>> _numerals(["khóa", "11", "lần", "vi", "phạm"], {0, 1, 2, 3, 4}, set(), {"khóa", "lần"}, [False] * 5)
    {1: ('xi',)}
    >>> _numerals(["quốc", "hội", "khóa", "xi"], {0, 1, 2, 3}, set(), {"khóa"}, [False] * 4)
    {3: ('11',)}
    >>> run = ["đại", "hội", "x", "kỳ", "họp", "thứ", "ix"]
    >>> _numerals(run, set(range(7)), set(), {"hội", "thứ"}, [False, False, True, False, False, False, False])
    {2: ('10',), 6: ('9', 'chín')}
    >>> _numerals(["khoa", "8"], {0, 1}, set(), {"khóa"}, [False, False], [["khoa", "khóa"], ["8"]])
    {1: ('viii',)}
    >>> _numerals(["lần", "thứ", "10", "thứ", "vii"], set(range(5)), set(), {"thứ"}, [False] * 5)
    {2: ('x', 'mười'), 4: ('7', 'bảy')}
    """
    found = {}
    for at, syllable in enumerate(syllables):
        if at == 0 or at not in own or at in starts:
            continue
        others = []
        if not numbered.isdisjoint(forms[at - 1] if forms is not None else [syllables[at - 1]]):
            other = other_numeral(syllable)
            after = syllables[at + 1] if at + 1 < len(syllables) else None
            if other is not None and (syllable.isdigit() or reads_as_numeral(syllable, after, capitals[at])):
                others.append(other)
        digits = syllable if syllable.isdigit() else others[0] if others else ""
        if syllables[at - 1] == "thứ" and (word := ordinal_word(digits)) is not None:
            others.append(word)
        if others:
            found[at] = tuple(others)
    return found


def _code_starts(parts: list[str], syllables: list[str]) -> list[int]:
    """Where a code's syllables stand side by side in a run, whatever the diacritics of either (a run restored reads
    ``29 ct từ`` for ``29-CT/TU``)."""
    folded_parts = [fold_diacritics(part) for part in parts]
    folded_run = [fold_diacritics(syllable) for syllable in syllables]
    return [at for at in range(len(syllables) - len(parts) + 1) if folded_run[at : at + len(parts)] == folded_parts]


def _words_whole(
    units: list[tuple[str, Q.Query]],
    syllables: list[str],
    joined: list[tuple[int, int]],
    builder: Builder,
    grouped: set[int],
) -> list[tuple[str, Q.Query]]:
    """The units of a run any of whose words may match (each named as typed, with its query), each of its words of
    several syllables (``joined``, the spans of ``syllables``) one unit, held only whole, in place of its syllables
    (but those the run also typed outside any word or any synonym group of several, ``grouped``), in the order
    typed: an article holding the *công* of *công lập* and the *chức* of *tổ chức* lacks *công chức*, and its share
    of the run's words is so much the less."""
    inside = {at for first, last in joined for at in range(first, last + 1)} | grouped
    alone = {syllables[at] for at in range(len(syllables)) if at not in inside}
    kept = [(name, query) for name, query in units if name not in syllables or name in alone]
    words = {" ".join(syllables[first : last + 1]): (first, last) for first, last in joined}
    kept.extend((name, builder._phrase(syllables[first : last + 1])) for name, (first, last) in words.items())

    def typed_at(unit: tuple[str, Q.Query]) -> int:
        name = unit[0]
        if name in words:
            return words[name][0]
        first = name.split()[0] if name.split() else name
        return syllables.index(first) if first in syllables else len(syllables)

    return sorted(kept, key=typed_at)


def _typed(kind: str, value: Any) -> str:
    """What a unit of a run (``Builder.words``) was typed as: a syllable, a place's word, a synonym's form."""
    return part_digits(value) if kind == "term" else value[0] if kind == "place" else " ".join(value[0])


def _named(span: str, name: str) -> str:
    """A synonym's form as the page names it: as typed where the typing says more than its syllables do, a mark
    inside it (``P.5``, ``TP.HCM``, ``GD-ĐT``) or capitals throughout (``UBND``); else ``name``, its syllables (as a
    restored run reads them: ``thanh pho`` named *thành phố*).

    >>> _named("P.5", "p 5"), _named("UBND", "ubnd"), _named("hdnd", "hđnd"), _named("Sở  Tư pháp", "sở tư pháp")
    ('P.5', 'UBND', 'hđnd', 'sở tư pháp')
    """
    plain = " ".join(span.split())
    return plain if plain.isupper() or fold_diacritics(plain.lower()) != fold_diacritics(name) else name


def _cased(name: str, syllables: list[str], typed: list[str]) -> str:
    """A unit's name in the case its syllables were typed in, where they are the run's (``syllables``, each typed as
    ``typed``): a name typed with capitals is named with them, in a run restored too; a unit named otherwise (a
    code, ``P.5``) as it is.

    >>> run = ["tỉnh", "quảng", "ngãi", "p", "5"]
    >>> _cased("quảng ngãi", run, ["tỉnh", "Quang", "Ngai", "P", "5"]), _cased("p.5", run, ["tỉnh", "", "", "P", "5"])
    ('Quảng Ngãi', 'p.5')
    """
    words = name.split(" ")
    for at in range(len(syllables) - len(words) + 1):
        if syllables[at : at + len(words)] == words:
            return " ".join(map(cased_as, typed[at : at + len(words)], words))
    return name


def _longer(item: tuple[tuple[str, ...], ...]) -> int:
    """The order a syllable's forms are tried in: the longest first."""
    return -len(item[0])


def _slot_number(typed: str, written: str) -> str | None:
    """The number a typed syllable (without diacritics) puts in a form's syllable holding a slot (``#``, ``q#``);
    None when it does not fit there."""
    before, _, after = written.partition(NUMBER_SLOT)
    number = typed[len(before) : len(typed) - len(after)]
    fits = typed.startswith(before) and typed.endswith(after) and len(typed) > len(before) + len(after)
    return number if fits and number.isdigit() else None


def _numbered(group: tuple[tuple[str, ...], ...], numbers: list[str]) -> tuple[tuple[str, ...], ...]:
    """A group's forms with the numbers a query typed in their slots (``NUMBER_SLOT``), in order."""
    filled = []
    for form in group:
        typed = iter(numbers)
        filled.append(tuple(s.replace(NUMBER_SLOT, next(typed, NUMBER_SLOT)) if NUMBER_SLOT in s else s for s in form))
    return tuple(filled)


def _form(written: str) -> tuple[str, ...]:
    """A synonym form as syllables, a number's slot (``NUMBER_SLOT``) where the list writes one: a syllable of its
    own (``quận #``) or joined to letters (``Q#``)."""
    syllables = split_syllables(written.replace(NUMBER_SLOT, SLOT_HOLDER))
    return tuple(s.text.replace(SLOT_HOLDER, NUMBER_SLOT) for s in syllables)


def _apart(written: str) -> list[int] | None:
    """The syllables of a synonym form that start a clause, when the list writes it with punctuation that ends one
    (``cán bộ, công chức``: 2); None otherwise."""
    return clause_starts(written, split_syllables(written)) or None


def clause_parts(terms: Sequence[str]) -> list[tuple[str, ...]]:
    """The words of a phrase's terms clause by clause, parted where they hold ``analysis.CLAUSE_TERM``.

    >>> clause_parts(["hà", "nội", ",", "hải", "phòng"])
    [('hà', 'nội'), ('hải', 'phòng')]
    """
    found: list[list[str]] = [[]]
    for term in terms:
        if term == CLAUSE_TERM:
            found.append([])
        else:
            found[-1].append(term)
    return [tuple(part) for part in found if part]


def load_synonyms(paths: Iterable[str | Path] = ()) -> Synonyms:
    """The shipped synonym list plus any admin file; a line is ``FORM = FORM [= FORM …]``, where ``#`` stands for a
    number typed there (``Q.# = quận #``)."""
    groups = []
    capitals: set[tuple[str, ...]] = set()
    apart: dict[tuple[str, ...], list[int]] = {}
    for path in [DEFAULT_SYNONYMS, *[Path(p) for p in paths if p]]:
        try:
            lines = Path(path).read_text(encoding="utf-8").splitlines()
        except OSError as error:
            raise BadQuery(f"cannot read the synonym file {path}: {error}") from error
        for line in lines:
            line = line.strip()
            if not line or line.startswith("#") or "=" not in line:
                continue
            written = [(part, _form(part)) for part in line.split("=")]
            written = [(part.strip(), form) for part, form in written if form]
            if len(written) > 1:
                groups.append(tuple(form for _, form in written))
                capitals.update(form for part, form in written if _word_like(part, form))
                apart.update((form, at) for part, form in written if (at := _apart(part)) is not None)
    return Synonyms(tuple(groups), frozenset(capitals), apart=apart)


def _word_like(written: str, form: tuple[str, ...]) -> bool:
    """Whether a synonym form is an abbreviation in capitals whose letters also spell an everyday syllable
    (``TƯ``, but not ``UBND``, ``TW`` or ``Trung ương``)."""
    return len(form) == 1 and written.isupper() and is_syllable(form[0])


def typed_in_capitals(text: str, syllables: list[Syllable]) -> list[bool]:
    """Which syllables of a run were typed in capitals, as an abbreviation is written (``Hội nghị TƯ 4``). A run of
    several syllables typed all in capitals is a headline's typography (``SỞ TƯ PHÁP``): none of them counts."""
    capitals = [text[s.start : s.end].isupper() for s in syllables]
    return [False] * len(capitals) if len(capitals) > 1 and all(capitals) else capitals


def bare_syllables(text: str, syllables: list[Syllable]) -> list[int]:
    """The places of the syllables of a text typed without any mark, but for those in capitals (an abbreviation's,
    ``SAT``, ``CD``), when others have marks: the words a search reads as typed without theirs. Empty for a text
    typed without any mark, or with every syllable marked.

    >>> text = "UBND tỉnh Quang Nam"
    >>> bare_syllables(text, split_syllables(text))
    [2, 3]
    """
    bare = [
        at
        for at, syllable in enumerate(syllables)
        if syllable.text.isalpha()
        and not has_diacritics(syllable.text)
        and not text[syllable.start : syllable.end].isupper()
    ]
    return bare if any(has_diacritics(syllable.text) for syllable in syllables) else []


# --- the request --------------------------------------------------------------------------------------------


# Double quotation marks other than the straight one: typographic (a phone's smart punctuation), low, full-width,
# guillemets and the East Asian ones.
QUOTES = str.maketrans(dict.fromkeys("“”„‟＂〝〞〟«»", '"'))
QUOTED_UP_TO = 6  # syllables of a query whose curly quotes were typed as the query language's (below)
EXCLUDED_QUOTE_RE = re.compile(r"(?:^|\s)-[“„‟＂〝«]")


def typed_quotes(text: str) -> str:
    """The box's curly quotes as the query language's straight ones where a visitor typed them: a phone's keyboard
    types ``"`` curly (iOS's smart punctuation), so ``tham nhũng -“hà nội”`` excludes *Hà Nội* and ``“cải cách”`` is a
    phrase. In a pasted headline they are typography (``Phí “ly hôn” với EU: Cái gai đối với Chính phủ Anh``), and
    its article need not quote the words: so a query of more than ``QUOTED_UP_TO`` syllables keeps them as
    punctuation, unless one follows an exclusion's hyphen, which no typography writes.

    >>> typed_quotes("tham nhũng -“hà nội”"), typed_quotes("„cải cách hành chính“ Đà Nẵng")
    ('tham nhũng -"hà nội"', '"cải cách hành chính" Đà Nẵng')
    >>> typed_quotes("Đánh sập sòng bạc “dã chiến” lớn nhất Phú Yên")
    'Đánh sập sòng bạc “dã chiến” lớn nhất Phú Yên'
    """
    if text.isascii() or text == text.translate(QUOTES):
        return text
    if len(split_syllables(text)) <= QUOTED_UP_TO or EXCLUDED_QUOTE_RE.search(text):
        return text.translate(QUOTES)
    return text


@dataclass
class SearchRequest:
    """Everything a visitor can ask: the box (``q``) and every advanced-search field."""

    q: str = ""
    all: str = ""
    phrase: str = ""
    any: str = ""
    none: str = ""
    scope: str = "all"  # "all" or "title"
    categories: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)  # the portals (or papers) of a network's index searched
    author: str = ""
    date_from: date | None = None
    date_to: date | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = 10
    # Search the box as typed: no Telex/VNI repair, no correction searched in its place.
    as_typed: bool = False
    # Match the box's words as spelled, a syllable without marks as one without (``an ninh``, not *ăn*), as if typed
    # with a Vietnamese keyboard: set by the search for a query that surely reads as typed, not a parameter.
    spelled: bool = False

    def __post_init__(self) -> None:
        for name in WORD_FIELDS:  # a field's quotes only set its words apart
            value = getattr(self, name)
            if value and not value.isascii():
                setattr(self, name, value.translate(QUOTES))
        self.q = typed_quotes(self.q)

    def check(self) -> None:
        """Raise ``BadQuery`` for anything that cannot be searched as given."""
        for name in ("q", "all", "phrase", "any", "none", "author"):
            value = getattr(self, name)
            if len(value) > MAX_QUERY_CHARS:
                raise BadQuery(
                    f"'{name}' is longer than {MAX_QUERY_CHARS} characters",
                    f"'{name}' dài quá {MAX_QUERY_CHARS} ký tự",
                    code="query_too_long",
                    field=name,
                )
        if self.sort not in SORTS:
            raise BadQuery(f"unknown sort {self.sort!r}", f"cách sắp xếp không hợp lệ: {self.sort!r}", "bad_sort")
        if self.scope not in SCOPES:
            raise BadQuery(f"unknown scope {self.scope!r}", f"phạm vi tìm không hợp lệ: {self.scope!r}", "bad_in")
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise BadQuery(
                "'from' is after 'to'", "ngày bắt đầu (từ ngày) sau ngày kết thúc (đến ngày)", "bad_date_range", "to"
            )


# --- the basic query language -------------------------------------------------------------------------------


@dataclass
class Clause:
    """One thing the visitor asked for: a run of words, a phrase, or alternatives joined by OR."""

    text: str = ""
    phrase: bool = False
    negated: bool = False
    prefix: str | None = None  # None, "title" or "category"
    alternatives: list[Clause] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)  # document numbers typed in this run of words (29-CT/TU)
    grouped: bool = False  # alternatives typed in parentheses, with other clauses beside them: `(mưa OR bão) hà nội`

    @property
    def plain(self) -> bool:
        """Plain words, to be merged with the plain words next to them."""
        return not (self.phrase or self.negated or self.prefix or self.alternatives)

    def describe(self) -> str:
        if self.alternatives:
            either = " OR ".join(a.describe() for a in self.alternatives)
            return f"({either})" if self.grouped else either
        text = f'"{self.text}"' if self.phrase else self.text
        if self.prefix:
            text = f"{self.prefix}:{text}"
        return ("-" + text) if self.negated else text


WORD_FIELDS = ("all", "phrase", "any", "none")  # the advanced form's fields of words, beside the box
OPERATORS = ("OR", "AND", "NOT")  # in capitals, as search engines write them; "and", "not" are words
TOKEN_RE = re.compile(r'(-?)(?:(title|category):)?(?:"([^"]*)"?|(\S+))', re.IGNORECASE)
GROUP_MARKS = ("(", ")")  # the parentheses of alternatives typed in a group, tokens of their own (``spaced_groups``)
# A field's name with spaces after its colon (`title: mưa`): the field of the word or phrase after it.
SPACED_FIELD_RE = re.compile(r"(?<![^\s(-])((?:title|category):)\s+(?=[^\s:])", re.IGNORECASE)


def spaced_groups(text: str) -> str:
    """The box's text with each pair of parentheses that holds alternatives joined by ``OR`` (at its own depth, not
    in a quote or a group within it) standing apart from the words, as tokens of their own, a ``-`` before the group
    written ``NOT``, and a field's name with spaces after its colon joined to the word after it. Other parentheses
    stay as typed (`Tổng cục Thống kê (GSO)`): punctuation in a run of words.

    >>> spaced_groups("(mưa OR bão) hà nội"), spaced_groups("-(mưa OR bão) lũ"), spaced_groups("Hà Nội (ảnh) mưa")
    (' ( mưa OR bão )  hà nội', ' NOT  ( mưa OR bão )  lũ', 'Hà Nội (ảnh) mưa')
    >>> spaced_groups('("mưa (to" OR lũ)'), spaced_groups("((mưa OR bão) lũ"), spaced_groups("title: mưa")
    (' ( "mưa (to" OR lũ ) ', '( ( mưa OR bão )  lũ', 'title:mưa')
    """
    text = SPACED_FIELD_RE.sub(r"\1", text)
    pairs: list[tuple[int, int]] = []
    opened: list[int] = []
    quoted = False
    for at, char in enumerate(text):
        if char == '"':
            quoted = not quoted
        elif quoted:
            continue
        elif char == "(":
            opened.append(at)
        elif char == ")" and opened:
            pairs.append((opened.pop(), at))
    spaced: dict[int, str] = {}
    for start, end in pairs:
        inner = list(text[start + 1 : end])
        for inside, inside_end in pairs:  # a group within it is no part of its own depth
            if start < inside < end:
                inner[inside - start - 1 : inside_end - start] = " " * (inside_end - inside + 1)
        tokens = TOKEN_RE.finditer("".join(inner))
        if any(token.group(0) == "OR" for token in tokens):
            hyphen = start > 0 and text[start - 1] == "-" and (start == 1 or text[start - 2] in " (")
            spaced[start] = " ( "
            spaced[end] = " ) "
            if hyphen:
                spaced[start - 1] = " NOT "
    return "".join(spaced.get(at, char) for at, char in enumerate(text))


def _groups_closed(text: str) -> str:
    """The box's text read with its groups spaced (``spaced_groups``) written back as a visitor types it: one space
    between words, a group's parentheses beside its words (``parse_basic`` spaces them again), ``NOT`` before one kept.

    >>> _groups_closed(' ( mưa OR bão )  hà nội'), _groups_closed(' NOT  ( mưa OR bão )  lũ')
    ('(mưa OR bão) hà nội', 'NOT (mưa OR bão) lũ')
    """
    return re.sub(r"\(\s+", "(", re.sub(r"\s+\)", ")", " ".join(text.split())))


def parse_basic(text: str) -> list[Clause]:
    """Split what was typed into the box into clauses.

    >>> [c.describe() for c in parse_basic('cai cach "hành chính" -UBND hóa chất OR họa sĩ title:quận category:"Y tế"')]
    ['cai cach', '"hành chính"', '-UBND', 'hóa chất OR họa sĩ', 'title:quận', 'category:"Y tế"']
    >>> [c.describe() for c in parse_basic("tham nhũng AND lãng phí NOT hà nội")]
    ['tham nhũng lãng phí', '-"hà nội"']
    >>> [c.describe() for c in parse_basic("AND OR NOT")]  # no word but operators: the words typed
    ['AND OR NOT']
    >>> [c.describe() for c in parse_basic("(mưa OR bão) hà nội NOT (lũ OR sạt lở)")]  # alternatives in a group
    ['(mưa OR bão)', 'hà nội', '-lũ', '-"sạt lở"']
    """
    raw: list[Clause | str] = []
    for match in TOKEN_RE.finditer(spaced_groups(text)):
        negated, fieldname, quoted, word = match.groups()
        if (word in OPERATORS or word in GROUP_MARKS) and not negated and not fieldname:
            if word == "OR" and raw and raw[-1] == "OR":
                continue  # `mưa OR OR bão`: one OR
            raw.append(word)
            continue
        value = quoted if quoted is not None else word
        if not value or not value.strip():
            continue
        negated = _excludes(negated, quoted, word)
        is_code = quoted is None and not fieldname and bool(CODE_RE.match(value))
        raw.append(
            Clause(
                text=value.strip(),
                phrase=quoted is not None,
                negated=bool(negated),
                prefix=fieldname.lower() if fieldname else None,
                codes=[value.strip()] if is_code else [],
            )
        )
    raw = _and_not_read(raw)
    # Quotes in a long text (a pasted headline or question) are typography: Vietnamese headlines quote words for
    # emphasis ('Biệt thự giữa rừng "nín thở" chờ thanh tra'), and the article need not repeat them. There the quoted
    # words join the run; in a shorter query a quoted phrase is required as typed.
    running = [c for c in raw if isinstance(c, Clause) and not c.negated and not c.prefix]
    if sum(len(split_syllables(c.text)) for c in running) > LONG_RUN_FROM:
        for clause in running:
            clause.phrase = False
    # Merge runs of plain words (not across an OR), so segmentation and phrase boosts see the whole run.
    merged: list[Clause | str] = []
    for item in raw:
        previous = merged[-1] if merged else None
        if isinstance(item, Clause) and item.plain and isinstance(previous, Clause) and previous.plain:
            previous.text += " " + item.text
            previous.codes += item.codes
        else:
            merged.append(item)
    # Bind OR chains: Vietnamese words have several syllables, so OR separates runs of words, not syllables:
    # "hóa chất OR họa sĩ" is (hóa chất) OR (họa sĩ). An excluded clause takes no part in a chain. A group's
    # parentheses end a run, so a chain typed in one takes only its own words (`(mưa OR bão) hà nội`); an OR between
    # groups joins them (`(mưa OR bão) OR lũ`).
    bound: list[Clause] = []
    index = 0
    while index < len(merged):
        item = merged[index]
        index += 1
        if not isinstance(item, Clause):
            continue
        chain = [item]
        while not item.negated:
            ahead = index
            while ahead < len(merged) and merged[ahead] == ")":
                ahead += 1
            if ahead >= len(merged) or merged[ahead] != "OR":
                break
            ahead += 1
            while ahead < len(merged) and merged[ahead] == "(":
                ahead += 1
            following = merged[ahead] if ahead < len(merged) else None
            if not isinstance(following, Clause) or following.negated:
                break
            chain.append(following)
            index = ahead + 1
        bound.append(Clause(alternatives=chain) if len(chain) > 1 else item)
    if len(bound) > 1 and any(mark in merged for mark in GROUP_MARKS):
        for clause in bound:  # named with their parentheses, so the query as read parses back alike
            clause.grouped = bool(clause.alternatives)
    return bound


def words_being_typed(text: str) -> tuple[str, str]:
    """The box's text up to the run of plain words at its end, and that run: what a completion continues, the text
    before it kept as typed (an operator, an exclusion's hyphen, a quote or a group opened, a field's name).

    >>> words_being_typed("tai nạn -xe m"), words_being_typed("bóng đá OR bóng r"), words_being_typed('tai nạn "xe m')
    (('tai nạn -', 'xe m'), ('bóng đá OR ', 'bóng r'), ('tai nạn "', 'xe m'))
    >>> words_being_typed("cai cach h"), words_being_typed("title:mư"), words_being_typed("hà nội (mưa OR b")
    (('', 'cai cach h'), ('title:', 'mư'), ('hà nội (mưa OR ', 'b'))
    >>> words_being_typed('"hà nội" m'), words_being_typed("-(lũ OR s"), words_being_typed("tai nạn NOT ")
    (('"hà nội" ', 'm'), ('-(lũ OR ', 's'), ('tai nạn NOT ', ''))
    """
    start = 0
    for match in TOKEN_RE.finditer(text):
        hyphen, fieldname, quoted, word = match.groups()
        if quoted is not None:
            start = match.end() if match.end(3) < match.end() else match.start(3)  # a phrase closed, or being typed
        elif word.startswith("("):
            start = match.start(4) + len(word) - len(word.lstrip("("))
        elif word.endswith(")") or (word in OPERATORS and not hyphen and not fieldname):
            start = match.end()
        elif fieldname or _excludes(hyphen, quoted, word):
            start = match.start(4)
    start += len(text[start:]) - len(text[start:].lstrip())
    return text[:start], text[start:]


def _excludes(hyphen: str, quoted: str | None, word: str | None) -> bool:
    """Whether a token of the box (``TOKEN_RE``'s hyphen, quoted text and word) is an exclusion: ``-"…"``, or ``-``
    before a letter; ``-19``, ``- 2023`` are a hyphen in running text."""
    return bool(hyphen) and (quoted is not None or bool(word) and word[0].isalpha())


EXCLUDED_WORD_SYLLABLES = 4  # the longest word an excluded syllable is read as the start of (a name: Phan Văn Khải)


def words_whole(
    text: str,
    restore: Callable[[str], Restoration] | None = None,
    together: Callable[[Sequence[str]], bool] | None = None,
    synonyms: Synonyms | None = None,
) -> str | None:
    """The box's text with each ``-`` or ``title:`` that starts a word of several syllables taking that whole word,
    as a phrase: ``tai nạn -xe máy`` as ``tai nạn -"xe máy"``, ``title:xe máy`` as ``title:"xe máy"``; None when none
    does. (A ``category:`` takes the words of a category's name: ``categories_whole``.)

    A ``-`` stands before one word, and a Vietnamese word is often more than one syllable: read syllable by syllable,
    ``-xe máy`` excluded *xe* and required *máy* (*nhà máy*, *máy bay*), which no visitor who typed it meant. The word
    is the first of the syllables after the ``-`` as ``field_words`` segments them (so restored when typed without
    diacritics: ``-xe may``; a number ending the words excluded part of it: ``-lớp 10``), up to the next operator,
    quote, prefixed clause or comma; the words after it are still looked for (``bóng đá -việt nam thái
    lan``: *Việt Nam* excluded, *Thái Lan* looked for). Two syllables ``together`` says are one word (the index's,
    where underthesea's list lacks it: ``học tiếng anh -tiếng pháp``) are excluded whole too, and so is a form of a
    synonym group of several words (``synonyms``: ``-cải cách hành chính``, not *cải cách* excluded and *hành chính*
    looked for). A ``title:`` is a field's name before one word, alike: ``title:xe máy`` looked for *xe* in the
    titles and *máy* anywhere (``title:hà nội mưa`` is *Hà Nội* in the titles, *mưa* anywhere). A ``NOT`` typed before
    every word reads as a ``-`` before the first (``_leading_not``). Its quotes may make the text longer than the
    ``MAX_QUERY_CHARS`` a visitor may type: the caller decides.

    >>> words_whole("tai nạn -xe máy"), words_whole("bóng đá -việt nam thái lan")
    ('tai nạn -"xe máy"', 'bóng đá -"việt nam" thái lan')
    >>> words_whole("tuyển sinh -lớp 10"), words_whole("tai nạn -xe máy 2 người")
    ('tuyển sinh -"lớp 10"', 'tai nạn -"xe máy" 2 người')
    >>> words_whole("quốc hội -kỳ họp 9, lũ", together=lambda pair: pair == ["kỳ", "họp"])
    'quốc hội -"kỳ họp 9", lũ'
    >>> words_whole("thủ tục -UBND tỉnh"), words_whole("-xe, máy"), words_whole("-19 tuổi")
    (None, None, None)
    >>> words_whole("du học -tiếng anh, mỹ", together=lambda pair: pair == ["tiếng", "anh"])
    'du học -"tiếng anh", mỹ'
    >>> cc = Synonyms(groups=((("cchc",), ("cải", "cách", "hành", "chính")),))
    >>> words_whole("-cai cach hanh chinh", synonyms=cc), words_whole("-cải cách hành", synonyms=cc)
    ('-"cai cach hanh chinh"', '-"cải cách" hành')
    >>> words_whole("title:xe máy"), words_whole("mưa -title:hà nội bão"), words_whole("category:xe máy")
    ('title:"xe máy"', 'mưa -title:"hà nội" bão', None)
    >>> words_whole("(title:xe máy OR ô tô) tai nạn"), words_whole("-xe (máy OR ô tô)")
    ('(title:"xe máy" OR ô tô) tai nạn', None)
    """
    leading = _leading_not(text)
    if leading is not None:
        return words_whole(leading, restore, together, synonyms) or leading
    text = spaced_groups(text) if "(" in text else text  # a word among alternatives: `(title:xe máy OR ô tô)`
    tokens = list(TOKEN_RE.finditer(text))
    joined, done = [], 0
    for number, match in enumerate(tokens):
        hyphen, fieldname, quoted, word = match.groups()
        titled = (fieldname or "").lower() == "title"
        excluded = not fieldname and _excludes(hyphen, None, word)
        if match.start() < done or quoted is not None or not (titled or excluded):
            continue
        if word in OPERATORS or re.search(r"[,;]", word):
            continue
        run = [match]
        for following in tokens[number + 1 : number + EXCLUDED_WORD_SYLLABLES]:
            negated, prefix, phrase, plain = following.groups()
            if negated or prefix or phrase is not None or plain in OPERATORS or plain.startswith("("):
                break  # `-xe (máy OR ô tô)`: a group starts
            run.append(following)
            if re.search(r"[,;]", plain):
                break
        if len(run) == 1:
            continue
        start, end = match.start(4), run[-1].end()
        words = field_words(re.split(r"[,;]", text[start:end])[0], restore, numbered=False)
        word_end = start + len(words[0]) if words else start
        if word_end == match.end() and together is not None:
            second = _before_comma(run[1])
            if second and _together(match.group(4), second, restore, together):
                word_end = run[1].start(4) + len(second)  # `-tiếng anh`: one word to the index, two to underthesea
        # A token's end, or where a comma or semicolon in it ends its word (`-xe máy, ô tô`).
        ends = {token.end() for token in run} | {token.start(4) + len(_before_comma(token)) for token in run}
        if synonyms is not None:  # `-cải cách hành chính`: one of a group's forms, longer than a word
            typed = split_syllables(text[start:end])
            form = synonyms.match([syllable.text for syllable in typed], 0) if typed else None
            if form is not None and form[0] > 1 and start + typed[form[0] - 1].end in ends:
                word_end = max(word_end, start + typed[form[0] - 1].end)
        # A number after the word is its own where the excluded words end with it (`-lớp 10`, `-kỳ họp 9,`); before
        # another word it may count that one (`-xe máy 2 người` looks for *2 người*).
        after = next((token for token in run if token.start() >= word_end), None)
        digits = _before_comma(after) if after is run[-1] else ""
        if digits.isdigit():
            following = tokens[number + len(run)] if number + len(run) < len(tokens) else None
            if digits != after.group(4) or following is None or not _plain_word(following):
                word_end = after.start(4) + len(digits)
        if word_end <= match.end() or word_end not in ends:
            continue  # the excluded word is the syllable typed, or ends inside a token (`-xe máy-cày`)
        head = f"{hyphen}{fieldname}:" if titled else "-"
        joined.append(text[done : match.start()] + f'{head}"{text[start:word_end]}"')
        done = word_end
    return _groups_closed("".join(joined) + text[done:]) if joined else None


def _before_comma(token: re.Match) -> str:
    """A plain token of the box (``TOKEN_RE``'s word) up to a comma or semicolon in it, which ends its word."""
    return re.split(r"[,;]", token.group(4))[0]


def _plain_word(token: re.Match) -> bool:
    """Whether a token of the box (``TOKEN_RE``) is a word looked for: no exclusion, field, quote or operator."""
    hyphen, fieldname, quoted, word = token.groups()
    return not (_excludes(hyphen, quoted, word) or fieldname or quoted is not None or word in OPERATORS)


def _leading_not(text: str) -> str | None:
    """A box starting with ``NOT`` before plain words, the ``NOT`` written as a ``-`` before the first: ``NOT`` takes
    the run of words after it, and that run is every word typed, so the search looked for nothing and listed every
    article without the run (``NOT hà nội mưa``: all but those holding *hà nội mưa*); read as ``-hà nội mưa`` is, it
    excludes its word and looks for the rest (*mưa*, without *Hà Nội*). None for any other box, and for one word after
    the ``NOT``, which either excludes.

    >>> _leading_not("NOT hà nội mưa"), _leading_not("NOT xe máy, tai nạn")
    ('-hà nội mưa', '-xe máy, tai nạn')
    >>> _leading_not("mưa NOT hà nội"), _leading_not("NOT hà nội OR mưa"), _leading_not('NOT "hà nội" mưa')
    (None, None, None)
    >>> _leading_not("NOT 2023 mưa"), _leading_not("NOT - mưa")
    (None, None)
    """
    tokens = list(TOKEN_RE.finditer(text))
    if len(tokens) < 3 or tokens[0].group(0) != "NOT" or not _excludes("-", None, tokens[1].group(4)):
        return None  # `NOT 2023 mưa`: a `-` before a digit is a hyphen in running text
    for token in tokens[1:]:
        hyphen, fieldname, quoted, word = token.groups()
        if hyphen or fieldname or quoted is not None or word in OPERATORS:
            return None
    return "-" + text[tokens[1].start() :]


def _together(
    first: str,
    second: str,
    restore: Callable[[str], Restoration] | None,
    together: Callable[[Sequence[str]], bool],
) -> bool:
    """Whether two words typed side by side are one word to ``together``: read as typed, or typed without
    diacritics, as their restored spelling reads (``tieng anh``: *tiếng anh*)."""
    typed = f"{first} {second}"
    if restore is not None and not has_diacritics(typed):
        read = list(restore(typed).spelling)
    else:
        read = [normalize_text(syllable.text) for syllable in split_syllables(typed)]
    return len(read) == 2 and together(read)


def _and_not_read(raw: list[Clause | str]) -> list[Clause | str]:
    """``AND`` and ``NOT`` as a visitor used to other search engines means them.

    ``AND`` goes: every word is required already, and the runs on either side of it become one run.
    ``NOT`` excludes what follows it: a quoted phrase, a ``title:``/``category:`` clause or one word as ``-`` would,
    or else the run of words up to the next operator, quote or the end, as a phrase (``NOT hà nội`` excludes *Hà
    Nội*, not every article with a *hà* and a *nội* apart), as ``-"…"`` would. Either operator with nothing to join
    or exclude goes too (``bóng đá NOT``, typed before the word to exclude), unless the query has no word but
    operators (``AND OR NOT``): then they are the words typed.
    """
    words = any(isinstance(item, Clause) for item in raw)
    read: list[Clause | str] = []
    index = 0
    while index < len(raw):
        item = raw[index]
        index += 1
        following = raw[index] if index < len(raw) else None
        if item == "AND":
            if words:
                continue
            item = Clause(text=item)
        elif item == "NOT" and following == "(":
            index, excluded = _group_excluded(raw, index)
            read.extend(excluded)
            continue
        elif item == "NOT":
            if not isinstance(following, Clause) or following.negated:
                if words:
                    continue
                item = Clause(text=item)
            else:
                run = [following]
                index += 1
                while following.plain and index < len(raw) and isinstance(raw[index], Clause) and raw[index].plain:
                    run.append(raw[index])
                    index += 1
                if len(run) == 1:  # one word, a phrase or a prefixed clause: as if typed with a "-"
                    following.negated = True
                    item = following
                else:
                    item = Clause(text=" ".join(c.text for c in run), phrase=True, negated=True)
        read.append(item)
    return read


def _group_excluded(raw: list[Clause | str], start: int) -> tuple[int, list[Clause]]:
    """A group after a ``NOT`` (``raw[start]`` its opening parenthesis): each of its alternatives excluded as ``NOT``
    excludes one, its run of words as a phrase (`NOT (lũ OR sạt lở)` excludes *lũ* and *sạt lở*), and where the group
    ends."""
    excluded: list[Clause] = []
    run: list[Clause] = []

    def run_ends() -> None:
        if len(run) == 1:  # one word: as if typed with a "-"
            run[0].negated = True
            excluded.append(run[0])
        elif run:
            excluded.append(Clause(text=" ".join(clause.text for clause in run), phrase=True, negated=True))
        run.clear()

    depth, index = 0, start
    while index < len(raw):
        item = raw[index]
        index += 1
        depth += (item == "(") - (item == ")")
        if isinstance(item, Clause) and item.plain:
            run.append(item)
            continue
        run_ends()
        if isinstance(item, Clause):
            item.negated = True
            excluded.append(item)
        if depth == 0:
            break
    run_ends()
    return index, excluded


def exclusions_apart(text: str) -> tuple[str, str]:
    """A query of words to look for with words to exclude before, among or after them (``-word``, ``-"…"``; ``NOT
    …`` after them) as those two parts, so that the words looked for are read as a query of their own (``tham nhung
    NOT ha noi`` as ``tham nhung``), the words looked for first; any other query whole, and nothing excluded: one
    with ``OR`` or ``AND`` and an exclusion among its words (whose place decides which clauses the operator joins),
    with words looked for after a ``NOT``'s run, or with nothing looked for.

    >>> exclusions_apart('tham nhung NOT ha noi -"da nang"')
    ('tham nhung ', 'NOT ha noi -"da nang"')
    >>> exclusions_apart('-"ha noi" tham nhung'), exclusions_apart('-"da nang" tham nhung -"ha noi"')
    (('tham nhung ', '-"ha noi"'), ('tham nhung ', '-"ha noi" -"da nang"'))
    >>> exclusions_apart("tham nhung ha noi"), exclusions_apart("-hanoi")
    (('tham nhung ha noi', ''), ('-hanoi', ''))
    >>> exclusions_apart('bong da -"viet nam" thai lan')
    ('bong da thai lan ', '-"viet nam"')
    >>> exclusions_apart("bong da -x OR y"), exclusions_apart("ma tuy OR ha noi -x"), exclusions_apart("NOT ha noi x")
    (('bong da -x OR y', ''), ('ma tuy OR ha noi ', '-x'), ('NOT ha noi x', ''))
    >>> exclusions_apart('giáo dục -"tiếng anh", toán'), exclusions_apart("-UBND, mưa bão")
    (('giáo dục toán ', '-"tiếng anh"'), ('mưa bão ', '-UBND'))
    """
    leading: list[str] = []  # the exclusions typed before any word looked for
    looked: list[str] = []
    after: list[str] = []
    operators = among = False  # an OR or AND; an exclusion with words looked for after it
    excluding = False  # the token before was an exclusion
    for match in TOKEN_RE.finditer(text):
        negated, fieldname, quoted, word = match.groups()
        if excluding and word and not negated and not any(c.isalnum() for c in word):
            continue  # a mark after an exclusion (`-"tiếng anh", toán`) is its own punctuation, no word: left out
        excluding = _excludes(negated, quoted, word)
        if word == "NOT" and not negated and not fieldname:
            rest = text[match.start() :]
            if not looked or not all(clause.negated for clause in parse_basic(rest)):
                return text, ""  # nothing looked for before it, or words looked for after its run
            after.append(rest.strip())
            break
        if _excludes(negated, quoted, word):
            # A comma or semicolon ending the excluded word (`-UBND, mưa bão`) parts it from the words after it.
            (after if looked else leading).append(match.group() if quoted is not None else match.group().rstrip(",;"))
            continue
        operators |= word in ("OR", "AND") and not negated and not fieldname
        among |= bool(after)
        looked.append(match.group())
    if not looked or not (leading or after) or (operators and among):
        return text, ""
    return " ".join(looked) + " ", " ".join([*after, *leading])


@lru_cache(maxsize=8)
def _name_parts(names: tuple[str, ...]) -> tuple[frozenset[tuple[str, ...]], frozenset[tuple[str, ...]]]:
    """Category names as ``categories_whole`` reads them, once per list of names: each name's folded syllables, and
    every run of them (up to ``NAME_PART_SYLLABLES``), each a set looked up in constant time whatever the names."""
    wholes = {_folded_syllables(name) for name in names}
    parts = {
        whole[start:end]
        for whole in wholes
        for start in range(len(whole))
        for end in range(start + 1, min(len(whole), start + NAME_PART_SYLLABLES) + 1)
    }
    return frozenset(wholes), frozenset(parts)


NAME_PART_SYLLABLES = 12


def _folded_syllables(text: str) -> tuple[str, ...]:
    """A text's syllables in lower case without diacritics, as ``category:`` matches a category's name."""
    return tuple(fold_diacritics(s.text).lower() for s in split_syllables(text))


def category_unknown(text: str, names: Sequence[str]) -> tuple[str, str] | None:
    """The first ``category:`` of the box (not excluded, not among alternatives) that names none of ``names`` (the
    index's categories), in any case and accenting, nor part of one: the name as the visitor typed it, the word after
    ``category:`` with the words after it up to the next operator, field, quote or group (`category:giao duc`, a
    name of several words the search read as *giao*), and the box without them. None when every category the box
    names is one of the index's. The box without them is as its parser reads it: `category:x OR bão` leaves *bão*.

    >>> names = ["Chính trị Xã hội", "Thể thao"]
    >>> category_unknown("tuyển sinh category:giao duc", names), category_unknown('category:"giáo dục" -bóng đá', names)
    (('giao duc', 'tuyển sinh'), ('giáo dục', '-bóng đá'))
    >>> category_unknown("category:the thao", names), category_unknown("mưa -category:giao", names)
    (None, None)
    >>> category_unknown("(category:giao OR mưa) bão", names), category_unknown("category:x OR bão", names)
    (None, ('x', 'bão'))
    """
    _, parts = _name_parts(tuple(names))
    text = spaced_groups(text)
    tokens = list(TOKEN_RE.finditer(text))
    depth = 0
    for at, match in enumerate(tokens):
        negated, fieldname, quoted, word = match.groups()
        depth += (word == "(") - (word == ")")
        named = (quoted if quoted is not None else word or "").strip()
        excluded = negated or (at and tokens[at - 1].group() == "NOT")
        if depth or excluded or (fieldname or "").lower() != "category" or not named:
            continue
        folded = _folded_syllables(named)
        if folded in parts or not folded:  # a name or part of one, or no word at all (`category:-`)
            continue
        end = at + 1  # the words after a name typed without quotes, up to the next operator, field, quote or group
        while quoted is None and end < len(tokens):
            after = tokens[end]
            if any(after.groups()[:3]) or after.group() in (*OPERATORS, *GROUP_MARKS) or '"' in after.group():
                break
            end += 1
        name = " ".join([named, *(token.group() for token in tokens[at + 1 : end])])
        rest = parse_basic(text[: match.start()] + " " + text[tokens[end - 1].end() :])
        return name, " ".join(clause.describe() for clause in rest)  # no operator left with nothing to join
    return None


@lru_cache(maxsize=8)
def _names_by_key(names: tuple[str, ...]) -> tuple[frozenset[str], dict[tuple[str, ...], tuple[str, ...]]]:
    """A list of names as ``names_chosen`` reads them, once per list: the names, and each name's folded syllables →
    the names written so."""
    by_key: dict[tuple[str, ...], list[str]] = {}
    for name in names:
        by_key.setdefault(_folded_syllables(name), []).append(name)
    return frozenset(names), {key: tuple(found) for key, found in by_key.items()}


def names_chosen(values: Sequence[str], names: Sequence[str]) -> list[str] | None:
    """A filter's values (``category``, ``source``: from a portal's own links, a hand-typed address) each read as the
    index's name it stands for, in any case and accenting, its words joined by hyphens or underscores too (a page's
    slug): `the-thao` and `THỂ THAO` are *Thể thao*. A value that is one of ``names``, or stands for none of them, is
    kept as given; None when no value changes.

    >>> names_chosen(["the-thao", "Pháp luật", "Giáo dục"], ["Pháp luật", "Thể thao", "Thế giới"])
    ['Thể thao', 'Pháp luật', 'Giáo dục']
    >>> names_chosen(["Thể thao"], ["Thể thao"]), names_chosen(["giao duc"], ["Thể thao"])
    (None, None)
    """
    if not values:
        return None
    listed, by_key = _names_by_key(tuple(names))
    chosen = [
        name
        for value in values
        for name in ((value,) if value in listed else by_key.get(_folded_syllables(value), (value,)))
    ]
    chosen = list(dict.fromkeys(chosen))
    return chosen if chosen != list(values) else None


def categories_whole(text: str, names: Sequence[str]) -> str | None:
    """The box's text with each ``category:`` typed before the rest of a category's name (`category:chính trị xã
    hội`, which would name a category *chính* and look for the words *trị xã hội*) quoting the words of the name, as
    ``category:"…"`` does; None when no ``category:`` takes a word after it. The words are taken while they go on a
    name of ``names`` (the index's categories; in any case and accenting): the most that are a whole name, else the
    most that are part of one (`category:chính trị` of *Chính trị Xã hội*).

    >>> names = ["Chính trị Xã hội", "Thể thao", "Thế giới"]
    >>> categories_whole("category:chinh tri xa hoi", names), categories_whole("mưa -category:thể thao Hà Nội", names)
    ('category:"chinh tri xa hoi"', 'mưa -category:"thể thao" Hà Nội')
    >>> categories_whole("category:the gioi OR category:the thao", names), categories_whole("category:the bóng", names)
    ('category:"the gioi" OR category:"the thao"', None)
    >>> categories_whole("(category:thể thao OR mưa) bão", names), categories_whole("category:thể ( thao", names)
    ('(category:"thể thao" OR mưa) bão', None)
    """
    wholes, parts = _name_parts(tuple(names))
    text = spaced_groups(text)  # a category among alternatives in parentheses: `(category:thể thao OR mưa)`
    tokens = list(TOKEN_RE.finditer(text))
    pieces: list[str] = []
    done = 0  # the characters of the text written to pieces
    for at, match in enumerate(tokens):
        negated, fieldname, quoted, word = match.groups()
        if match.start() < done or (fieldname or "").lower() != "category" or quoted is not None:
            continue
        syllables = _folded_syllables(word)
        whole = part = 0  # how many words after it the name takes
        for taken, after in enumerate(tokens[at + 1 :], start=1):
            more = _folded_syllables(after.group())
            if any(after.groups()[:3]) or after.group() in OPERATORS or '"' in after.group() or not more:
                break
            syllables += more
            if syllables not in parts:
                break
            part = taken
            if syllables in wholes:
                whole = taken
        taken = whole or part
        if taken:
            words = [word, *(token.group() for token in tokens[at + 1 : at + 1 + taken])]
            pieces += [text[done : match.start()], f'{negated}{fieldname}:"{" ".join(words)}"']
            done = tokens[at + taken].end()
    return _groups_closed("".join([*pieces, text[done:]])) if pieces else None


# --- building Whoosh queries --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProximityBoost:
    """Articles with these terms side by side in any of these fields score ``boost`` times the terms' own score more.

    The terms' score is each one's BM25F over the fields (``whoosh_ext.queries.AcrossFields``, with the fields' term
    weights), so a phrase said in the sapo and again in the body counts once, as a word does.
    """

    fields: tuple[tuple[str, float], ...]  # (field name, term weight)
    terms: tuple[str, ...]
    boost: float
    # Looked for among every match's best, not only those reranked: the best of the articles holding a short run
    # whole join the candidates that get the boosts (``searcher._ranked``). A boost of 0 only says which they are.
    everywhere: bool = False

    def parts(self) -> list[tuple[str, ...]]:
        """The words of each clause, in order (the terms hold ``analysis.CLAUSE_TERM`` where the query typed
        punctuation that ends a clause)."""
        return clause_parts(self.terms)


@dataclass
class Builder:
    """Builds Whoosh queries for one request: which fields, whether the query carries diacritics, the synonyms."""

    synonyms: Synonyms
    fields: tuple[str, ...] = TEXT_FIELDS
    accented: bool = True
    # For a query typed without diacritics: its likely accented spellings, from the index's own words (or None).
    restore: Callable[[str], Restoration] | None = None
    # Any word may match, even in a short run (the second try, when requiring every word found nothing).
    relaxed: bool = False
    # The query is asked as a question ("?"): answered in other words than its own (see words() and build_plan).
    question: bool = False
    # False: only what decides which articles match (a suggestion's check): no word terms from the query's
    # segmentation, no phrase or pair boosts, which only order the matches.
    boosts: bool = True
    # The words of a short run may stand apart (the last try, when no article holds any of them whole; see words()).
    apart: bool = False
    # A short run's numbers may stand apart from the words beside them, the words still whole (the first retry,
    # when requiring them side by side found nothing; see words()).
    numbers_apart: bool = False
    # The words asked for as typed (the pages' "Tìm chính xác"): a syllable typed without marks among marked ones
    # matches only so written (see _bare_readings).
    as_typed: bool = False
    # Phrase boosts, applied to the best candidates only (by the searcher): a Whoosh phrase query checks the
    # positions of every article holding all its words, which would be most of a search's time.
    proximity: list[ProximityBoost] = field(default_factory=list)
    # How many of the best matches get the boosts: the deepest any run built asks for.
    rerank_depth: int = RERANK_DEPTH
    # The words of the last run built, one query each, when any of them may match (for SearchPlan.coverage), and
    # each one as typed (for the words a partial match lacks).
    units: list[Q.Query] = field(default_factory=list)
    unit_names: list[str] = field(default_factory=list)
    # The text a run restored was typed as, with its syllables (one for each of the restored spelling's): a word is
    # named in the case typed and a synonym's form as typed (``_cased``, ``_named``), which the restored spelling, in
    # lower case and without the run's punctuation, cannot say.
    typed_as: tuple[str, list[Syllable]] | None = None
    # The accented spellings restored for the runs typed without diacritics (what the page offers instead).
    restored: list[str] = field(default_factory=list)
    # The likely readings of each restored syllable, each with its weight, searched as one unit (see _as_restored).
    readings: dict[str, tuple[tuple[str, float], ...]] = field(default_factory=dict)
    # The restored syllables whose reading is near certain: searched as it alone, not also as typed.
    certain: set[str] = field(default_factory=set)
    # The words of the short runs built required whole, their syllables side by side (so a try with them apart).
    whole: list[str] = field(default_factory=list)
    # Whether a short run built requires a number beside its word, and a word whole (so a try with the numbers
    # apart, the words whole).
    bound: bool = False
    # The syllables of the codes the short runs built require whole, but those the runs hold alone too
    # (``SearchPlan.codes``).
    codes: list[str] = field(default_factory=list)
    # The words of two or three syllables and the synonym groups typed in full of the runs built, and the syllables
    # they typed outside any (``SearchPlan.joined``, ``SearchPlan.loose``).
    joined: list[str] = field(default_factory=list)
    loose: set[str] = field(default_factory=set)

    @staticmethod
    def _across(terms: list[Q.Term]) -> Q.Query:
        """One word in every searched field, scored once over them (BM25F, ``whoosh_ext.queries.AcrossFields``)."""
        return AcrossFields(terms) if len(terms) > 1 else terms[0]

    def _exact(self) -> Builder:
        """A builder of these fields and synonyms for words as written, with their diacritics: this one when the query
        carries them."""
        return self if self.accented else Builder(self.synonyms, self.fields)

    def _any_accenting(self) -> Builder:
        """A builder of these fields and synonyms for words matched whatever their diacritics (the folded fields):
        this one when the query carries none."""
        return Builder(self.synonyms, self.fields, accented=False) if self.accented else self

    def _word(self, term: str) -> Q.Query:
        """A multi-syllable word term (``cải_cách``): the exact fields hold them, the folded ones do not."""
        return self._across([Q.Term(name, term, boost=TERM_WEIGHTS[name]) for name in self.fields])

    def _readings(self, syllable: str, readings: tuple[tuple[str, float], ...], as_typed: bool) -> Q.Query:
        """A syllable typed without diacritics as its likely readings, exact, each by its weight, the best one found
        counting; and, with ``as_typed``, as typed (any diacritics) for AS_TYPED, so an article holding another
        accenting still matches."""
        forms = [
            self._across([Q.Term(name, form, boost=TERM_WEIGHTS[name]) for name in self.fields]).with_boost(weight)
            for form, weight in readings
        ]
        if as_typed:
            forms.append(self._any_accenting()._term(syllable).with_boost(AS_TYPED))
        return Q.DisjunctionMax(forms) if len(forms) > 1 else forms[0]

    def _term(self, syllable: str) -> Q.Query:
        """A syllable in every searched field: exact when the query carries diacritics, else folded. A number of four
        digits or more is also the word of its groups (``analysis.grouped_word``): ``100000`` is found where an
        article writes *100.000*, as Vietnamese text writes it, the best of the two counting."""
        grouped = grouped_word(syllable)
        if grouped is not None:
            return Q.DisjunctionMax([self._syllable(syllable), self._word(grouped)])
        if (named := LETTERS_NUMBER_RE.fullmatch(syllable)) is not None:  # `u23`: *U23*, *U-23*, *U.23*, *U 23*
            return self._named_number(*named.groups())
        return self._syllable(syllable)

    def _named_number(self, letters: str, number: str) -> Q.Query:
        """A name of letters and a number (``LETTERS_NUMBER_RE``), typed joined or not: joined (*U23*, one word of
        the index) or its letters and number side by side (*U-23*, *U.23*, *U 23*), the best counting. One word of
        its run, held whole in the try where any word may match too: an article holding a *21* is about anything."""
        return Q.DisjunctionMax([self._syllable(letters + number), self._phrase([letters, number])])

    def _syllable(self, syllable: str) -> Q.Query:
        """A syllable in every searched field (``_term``)."""
        if self.accented and syllable in self.readings:
            # A restored syllable: its likely readings; and, unless its reading is near certain, the syllable as typed
            # for less, so a wrong reading does not lose its article.
            readings = self.readings[syllable]
            as_typed = syllable not in self.certain and any(form != fold_diacritics(syllable) for form, _ in readings)
            return self._readings(syllable, readings, as_typed)
        if self.accented:
            return self._across([Q.Term(name, syllable, boost=TERM_WEIGHTS[name]) for name in self.fields])
        return self._across(
            [Q.Term(folded(name), fold_diacritics(syllable), boost=TERM_WEIGHTS[name]) for name in self.fields]
        )

    def _phrase(self, syllables: list[str], starts: Iterable[int] = (), boost: float = 1.0) -> Q.Query:
        """The syllables in order, in any searched field, scored as the same words typed in full would be
        (``PhraseAcross``): typed with diacritics, those diacritics (another accenting is the retry's, under a
        notice); typed without, whatever their diacritics. ``starts``: the syllables that start a clause, typed
        after punctuation that ends one, where an article writing it so holds ``analysis.CLAUSE_TERM``."""
        if len(syllables) == 1:
            return self._term(syllables[0])
        words = self._phrase_terms(syllables, starts)
        phrases = [Q.Phrase(name, words, boost=weight) for name, weight in self._phrase_fields()]
        return PhraseAcross(phrases, boost=boost)

    def _pointed(
        self,
        syllables: list[str],
        points: list[int],
        starts: Iterable[int] = (),
        boost: float = 1.0,
        sides: AbstractSet[int] = frozenset(),
    ) -> Q.Query:
        """``_phrase``, the parts of a larger number typed (``sides``: a decimal's sides, the groups of a number
        written with its unit; ``analysis.part_places``) written as the parts' terms an article writing it holds
        (``analysis.part_term``); and where a full stop typed between two numbers may be a decimal point
        (``analysis.decimal_points``: ``1.5``), the phrase with those numbers parted as a decimal comma parts them
        (``analysis.DECIMAL_COMMA``): an article writing *1,5* holds ``analysis.CLAUSE_TERM`` between its parts'
        terms."""
        query = self._phrase(number_writings(syllables, (), sides)[0], starts, boost)
        if not points:
            return query
        parted = sides.union(*((point - 1, point) for point in points))
        return Q.Or([query, self._phrase(number_writings(syllables, (), parted)[0], sorted({*starts, *points}), boost)])

    def _phrase_terms(self, syllables: list[str], starts: Iterable[int]) -> list[str]:
        """A phrase's terms: its syllables as typed (exact fields) or without diacritics (typed without), with
        ``analysis.CLAUSE_TERM`` before those that start a clause (``starts``)."""
        return clause_words(syllables if self.accented else [fold_diacritics(s) for s in syllables], starts)

    def _phrase_fields(self) -> tuple[tuple[str, float], ...]:
        """The fields a phrase is looked for in, each with its term weight: the exact ones typed with diacritics,
        the folded ones typed without."""
        return tuple((name if self.accented else folded(name), TERM_WEIGHTS[name]) for name in self.fields)

    def _proximity(
        self, syllables: list[str], boost: float = PHRASE_BOOST, starts: Iterable[int] = (), everywhere: bool = False
    ) -> None:
        """Reward the syllables in order: as typed (exact fields), or without diacritics when typed without; with
        ``analysis.CLAUSE_TERM`` before those that start a clause (``starts``), as an article writing the query's
        punctuation holds them.

        Typed with diacritics, the candidates hold the syllables as typed, so the phrase as typed is what to reward;
        a folded phrase boost as well would cost a fifth of a search for no better ranking.
        """
        terms = tuple(self._phrase_terms(syllables, starts))
        self.proximity.append(ProximityBoost(self._phrase_fields(), terms, boost, everywhere))

    def _pairs(
        self, syllables: list[str], boost: float, starts: Iterable[int] = (), inner: Container[int] = ()
    ) -> None:
        """Reward each pair of neighbouring syllables found side by side (a window of one, as in Metzler and Croft's
        sequential dependence model), a clause's end between them where the query has one. Pairs of two stop words
        say nothing and would cost as much; nor do the groups of one number (``inner``: the syllables after a
        number's first group), which the number's own unit finds."""
        clause = set(starts)
        for index, (first, second) in enumerate(itertools.pairwise(syllables)):
            if index + 1 not in inner and not (is_stop_word(first) and is_stop_word(second)):
                self._proximity([first, second], boost, [1] if index + 1 in clause else [])

    def _likely_words(
        self, forms: list[list[str]], spans: list[tuple[int, int]], starts: AbstractSet[int]
    ) -> list[tuple[int, int]]:
        """Two syllables outside ``spans`` (the words found already) that a likely reading of theirs (``forms``, at
        each position) writes as one word (``Synonyms.is_word``): typed without diacritics, though the likeliest
        reading does not (`so do` is read *số đó*, two words, but may be *sổ đỏ*); or as written, where underthesea
        segmented them apart (`minh tinh rắc rối`: *minh*, *tinh rắc*, *rối*). A short query so typed means them side
        by side; not across the punctuation that ends a clause (``starts``: `tỉnh, thành`)."""
        covered = {at for first, last in spans for at in range(first, last + 1)}
        found: list[tuple[int, int]] = []
        for at in range(len(forms) - 1):
            if at in covered or at + 1 in covered or at + 1 in starts:
                continue
            if any(self.synonyms.is_word([first, second]) for first in forms[at] for second in forms[at + 1]):
                found.append((at, at + 1))
                covered.update((at, at + 1))
        return found

    def _bare_readings(self, text: str, split: list[Syllable]) -> dict[str, tuple[tuple[str, float], ...]]:
        """A run typed with diacritics: its syllables typed without any (not in capitals, an abbreviation's) that the
        index seldom writes so beside the others as typed (``BARE_DOUBTFUL``), each with its likely readings, the
        likeliest first (``Restoration.likely``): `mưa lớn mien bac` is *miền bắc*; `ủy ban` and `con sống` keep *ban*
        and *con*, which the index writes so there, exact. Searched as typed alone, such a syllable matched only a
        slip that writes it without marks, and where none did, every word went any accenting. One read surely is
        searched restored already (``results.marks_left_out``)."""
        assert self.restore is not None
        bare = bare_syllables(text, split)
        if not bare:
            return {}
        restoration = self.restore(text)
        if len(restoration.typed) != len(split):
            return {}
        likely = restoration.likely(ALTERNATIVE_SHARE)
        return {split[at].text: likely[at] for at in bare if restoration.typed_chance(at) < BARE_DOUBTFUL}

    @staticmethod
    def _confident(restoration: Restoration) -> dict[str, tuple[tuple[str, float], ...]]:
        """The syllables of a run restored at least CONFIDENT likely, as typed, each with its likely readings: those
        read as typed too (``tp nha trang``: *nha*, 0.999 likely, not *nhà*), scored as the exact spelling."""
        read: dict[str, tuple[tuple[str, float], ...]] = {}
        for typed, chance, readings in zip(
            restoration.typed, restoration.spelling_chances, restoration.likely(ALTERNATIVE_SHARE), strict=True
        ):
            if chance >= CONFIDENT:
                read.setdefault(typed, readings)
        return read

    def _restored(
        self, restoration: Restoration, spans: list[tuple[int, int]], read: Container[str] = ()
    ) -> list[Q.Query]:
        """Boosts for the likely accented spellings of an unaccented run: each syllable's likely forms, exact, each by
        how likely it is beside the likeliest (``quan`` before ``ngu hanh son``: ``quân`` and, less, ``quận``), but for
        the syllables already scored as their readings (``read``); the words of the likeliest spelling (``spans``, the
        run's ``word_spans``)."""
        if restoration.text:
            self.restored.append(restoration.text)
        if not self.boosts:
            return []
        exact = self._exact()
        weights: dict[str, float] = {}
        for typed, forms in zip(restoration.typed, restoration.alternatives, strict=True):
            # Not a syllable scored as its readings already, nor a stop word (its rarer readings would outweigh it).
            if typed in read or not forms or is_stop_word(forms[0][0]):
                continue
            likeliest = forms[0][1]
            for form, chance in forms:
                weight = chance / likeliest
                # A form written without diacritics counts too where the syllable has others (`mong`, not `móng`).
                if weight >= ALTERNATIVE_SHARE and not is_stop_word(form) and (has_diacritics(form) or len(forms) > 1):
                    weights[form] = max(weights.get(form, 0.0), weight)
        boosts = [exact._term(form).with_boost(RESTORED_BOOST * weight) for form, weight in weights.items()]
        if restoration.text:
            restored = restoration.spelling
            words = {word_term(restored[a : b + 1]) for a, b in spans}
            boosts.extend(exact._word(term).with_boost(WORD_BOOST) for term in sorted(words))
        return boosts

    def _synonym_group(
        self, group: tuple[tuple[str, ...], ...], typed: tuple[str, ...], restored: bool = False
    ) -> Q.Query:
        """One unit of meaning: its best form found counts, not every form (``TP HCM`` and ``thành phố Hồ Chí Minh``
        in one article are one name said twice, no more than any other word said twice), each weighed as the form
        typed (``SynonymGroup``: *Trung Quốc* typed, an article writing ``TQ`` counts no more). Typed without
        diacritics, the form typed matches whatever its diacritics, but a form the list writes with diacritics only as
        written: ``Q.5`` is *quận 5*, never the *quân 5* of *bình quân 5 năm*. ``restored``: the restorer reads the
        form typed without diacritics as one of the group's, which it then stands for, matched as typed and as the
        list writes the forms only: `co dong vien` is *cổ động viên* (and *CĐV*), never the *cố động viên* (try to
        encourage) or *có động viên* its letters also spell."""
        exact = self._exact()
        forms = []
        for form in dict.fromkeys((typed, *group)):
            listed = form != typed and has_diacritics(" ".join(form))
            builder = exact if listed or (restored and form == typed) else self
            forms.append(builder._phrase(list(form)))
            # A form the list writes with commas is found with them or without (*cán bộ công chức viên chức*).
            if form in self.synonyms.apart:
                forms.append(builder._phrase(list(form), self.synonyms.apart[form]))
        return SynonymGroup(forms)

    def _as_restored(
        self,
        restoration: Restoration,
        codes: list[str] | tuple[str, ...],
        starts: list[int] | None = None,
        thousands: set[int] | None = None,
        parted: set[int] | None = None,
        typed_as: tuple[str, list[Syllable]] | None = None,
    ) -> Q.Query | None:
        """A run typed without diacritics that may match any of its words (five words or more, or the relaxed
        retry), searched as its likeliest accented spelling would be, each restored syllable as its likely readings
        (see _term). None when restoring changes nothing."""
        if not restoration.text:
            return None
        accented = Builder(self.synonyms, self.fields, True, None, self.relaxed, self.question, self.boosts)
        accented.readings = dict(zip(restoration.spelling, restoration.likely(ALTERNATIVE_SHARE), strict=True))
        accented.certain = restoration.certain(CERTAIN)
        accented.typed_as = typed_as
        # The restored spelling is written without the punctuation typed: its clauses, grouped numbers and parts of
        # larger numbers are the run's.
        query = accented.words(restoration.text, codes, starts, thousands, parted)
        self.restored.append(restoration.text)
        self.proximity.extend(accented.proximity)
        self.rerank_depth = max(self.rerank_depth, accented.rerank_depth)
        self.joined.extend(accented.joined)
        self.loose.update(accented.loose)
        self.units = accented.units
        # The page names a unit an article lacks as the visitor meant it where the reading is sure, else as typed:
        # ``don`` read *dọn* 0.37 likely (``bien dong don bao bac bo``, *đón* meant) is shown ``don``, not *dọn*.
        unsure = set(restoration.spelling) - restoration.certain(CONFIDENT)
        self.unit_names = [
            " ".join(fold_diacritics(s) if s.lower() in unsure else s for s in name.split(" "))
            for name in accented.unit_names
        ]
        return query

    def _compounds_apart(
        self, syllables: list[str], spans: list[tuple[int, int]], starts: AbstractSet[int]
    ) -> list[tuple[int, int]]:
        """The words of several syllables of a run (``spans``), each of four syllables or more that is two words of
        two or three (``Synonyms.is_word``) as those two: *bảo hiểm xã hội* is *bảo hiểm* and *xã hội*; and two
        syllables the segmentation left apart that are a word (*căn cước* of *căn cước công dân*, ``_likely_words``;
        ``starts``: the syllables that start a clause)."""
        apart = self._likely_words([[syllable] for syllable in syllables], spans, starts)
        for first, last in spans:
            cut = next(
                (
                    at
                    for at in range(first + 2, last)
                    if self.synonyms.is_word(syllables[first:at]) and self.synonyms.is_word(syllables[at : last + 1])
                ),
                None,
            )
            apart.extend([(first, cut - 1), (cut, last)] if cut is not None else [(first, last)])
        return sorted(apart)

    def words(
        self,
        text: str,
        codes: list[str] | tuple[str, ...] = (),
        clauses: list[int] | None = None,
        thousands: set[int] | None = None,
        parted: set[int] | None = None,
    ) -> Q.Query | None:
        """A run of plain words: every syllable (or synonym group) required, stop words optional, phrase boost. A
        number typed with its thousands grouped is one word, found in either writing (``100.000``: ``_term``).
        ``clauses``, ``thousands`` and ``parted``: the syllables that start a clause, the numbers typed with their
        thousands grouped and the parts of a larger number typed (a decimal's sides, the groups of a number written
        with its unit: ``analysis.part_places``), when the text is not the one typed (a restored spelling)."""
        given, text = text, ungrouped(text)
        split = split_syllables(text)
        if thousands is None:
            thousands = typed_grouped(given, split)
        if parted is None:
            parted = part_places(text, split)
        syllables = [s.text for s in split]
        if not syllables:
            return None
        # The syllables that start a clause, after the run's punctuation (for its phrase boosts).
        starts = clause_starts(text, split) if clauses is None else clauses
        if len(syllables) > MAX_SYLLABLES:
            raise BadQuery(
                f"the query has more than {MAX_SYLLABLES} words",
                f"truy vấn có hơn {MAX_SYLLABLES} từ",
                "too_many_terms",
            )
        # Typed without diacritics, a syllable is a stop word when its likeliest reading is one (`la gi`: là gì).
        restoration = self.restore(text) if self.restore is not None and not self.accented else None
        readings = restoration.spelling if restoration is not None else syllables
        # Typed with diacritics, its syllables typed without any that read otherwise beside the others: each matched
        # in any accenting and scored as its likely readings (``_syllable``), the phrase boosts looking for them so.
        bare = self._bare_readings(text, split) if self.accented and self.restore and not self.as_typed else {}
        self.readings.update(bare)
        stops = [is_stop_word(typed) or is_stop_word(read) for typed, read in zip(syllables, readings, strict=True)]
        spans = word_spans(split, text, restoration.spelling if restoration is not None else None)
        # The last try of a run that is, whole, one group's form of two words of several syllables or more, which no
        # article holds in any form: the articles holding some of its words, as for any other run, not the group
        # again, which finds nothing (`an toàn giao thông` on a small portal: those on *an toàn* or on *giao
        # thông*), a shorter group in it still a unit (`tòa án nhân dân tối cao`: *TAND* and *tối cao*). A
        # word of four syllables or more that is two words (*bảo hiểm xã hội*) counts as those two; a name or a word
        # with a syllable of its own (*Đắk Nông*, *nông thôn mới*) stays whole.
        loose_group = False
        capitals = typed_in_capitals(text, split)
        found = self.synonyms.match(syllables, 0, capitals) if self.relaxed else None
        if (
            found
            and found[0] == len(syllables)
            and len(words := self._compounds_apart(syllables, spans, set(starts))) > 1
        ):
            spans, loose_group = words, True
        # Names the index writes with capitals (*Cao Bằng*, *Đồng Xuân*), which underthesea's word list lacks and
        # its segmentation of a few words in lower case misses; a word it found that reaches outside one says the
        # syllables read otherwise here. Typed without diacritics, a name in any likely reading counts (`hai chau`:
        # spelled *hai cháu*, and *Hải Châu* a third likely).
        forms = (
            [[form for form, _ in found] for found in restoration.likely(ALTERNATIVE_SHARE)]
            if restoration is not None
            else [[syllable] for syllable in syllables]
        )
        named = [
            (first, last)
            for first, last in self.synonyms.name_spans(forms)
            if all(b < first or a > last or first <= a <= b <= last for a, b in spans)
        ]
        if any(stops) and not all(stops) and not self.question:
            # A stop syllable in a word of more than stop words is that word's (*đồng* of *cộng đồng*, *hiện* of
            # *thực hiện*, *qua* of *qua đời*), and counts as its other syllables do. A question's stop words stay
            # what they are: it is answered in other words than its own (ViCoV19QA's nDCG@10 falls 0.0009 else).
            for first, last in spans + named:
                if not all(stops[first : last + 1]):
                    stops[first : last + 1] = [False] * (last + 1 - first)
        only_stop_words = all(stops)
        numbers, number_count = self._numbers_at(syllables, codes)
        # Units in query order, each counted once with how often it was typed (a repeated word weighs more); and
        # those of the syllables that are not part of a document number (``numbers``).
        typed: dict[tuple, int] = {}
        outside: dict[tuple, int] = {}
        grouped: set[int] = set()  # the positions of the syllables matched as a synonym group
        groups: list[tuple[int, int]] = []  # the first and last of each group of several syllables
        group_forms: dict[int, list[tuple[str, ...]]] = {}  # each group's forms, the typed first, by its last syllable
        own: set[int] = set()  # the positions of the syllables matched as words of their own
        spans_typed: dict[tuple, tuple[int, int]] = {}  # where each unit was first typed: its first, last syllables
        position = 0
        while position < len(syllables):
            # (A loose group's run starts with a shorter form only.)
            window = syllables[: len(syllables) - 1] if loose_group and not position else syllables
            found = self.synonyms.match(window, position, capitals) if position < len(window) else None
            if found:
                length, group = found
                # The words as typed stay one of the alternatives: "TU" in "29-CT/TU" is not "Trung ương".
                key = ("group", (tuple(syllables[position : position + length]), *group))
                group_forms[position + length - 1] = list(dict.fromkeys(key[1]))
                grouped.update(range(position, position + length))
                if length > 1:
                    groups.append((position, position + length - 1))
            elif other := self.synonyms.place(syllables, position):
                # A place's word before a name (``quận Bình Thạnh``): the word as typed, or its other writing with the
                # name (*Q.Bình Thạnh*); the name's syllables stay words of their own.
                length = 1
                key = ("place", (syllables[position], *other))
            else:
                length = 1
                # A part of a larger number stays a word of a long run as the part an article holds
                # (``analysis.part_term``).
                value = part_term(syllables[position]) if position in parted else syllables[position]
                key = ("stop" if stops[position] and not only_stop_words else "term", value)
            typed[key] = typed.get(key, 0) + 1
            spans_typed.setdefault(key, (position, position + length - 1))
            if not numbers.intersection(range(position, position + length)):
                outside[key] = outside.get(key, 0) + 1
                if key[0] == "term":
                    own.add(position)
            position += length
        counts = (sum(kind != "stop" for kind, _ in outside) + number_count, sum(kind == "stop" for kind, _ in outside))
        # (A document number is one word of the run.)
        rules = run_rules(*counts, question=self.question, accented=self.accented, relaxed=self.relaxed)
        # The last try of a short run, whose every word was required: it matches the articles holding one of them.
        short_relaxed = (
            self.relaxed
            and run_rules(*counts, question=self.question, accented=self.accented, relaxed=False).every_word
        )
        if not rules.every_word and restoration is not None:
            restored = self._as_restored(restoration, codes, starts, thousands, parted, (text, split))
            if restored is not None:
                return restored
        # A document number is matched as a whole (below), not syllable by syllable: "TU" in "29-CT/TU" is neither
        # the word "từ" nor "Trung ương". In a long run it is only a boost, and its syllables stay words of the run.
        units = {
            ("term", value) if kind == "stop" else (kind, value): count
            for (kind, value), count in (typed if rules.long else outside).items()
            if kind != "stop" or rules.stop_words_count
        }
        stop_units = [value for kind, value in typed if kind == "stop"] if rules.stop_words_optional else []
        matched_as = self._any_accenting() if rules.folded_match else self
        # A short run typed without diacritics: each syllable restored confidently is scored as its readings.
        read = self._confident(restoration) if restoration is not None and rules.every_word else {}
        # The syllables searched as words of their own, a place's word among them, in query order.
        plain = [_typed(kind, value) for kind, value in units if kind in ("term", "place")]
        read = {typed: readings for typed, readings in read.items() if typed in plain}
        # In the try with the words apart, each syllable of letters typed without diacritics as its likely readings.
        apart_read = (
            {
                typed: likely
                for typed, likely in zip(restoration.typed, restoration.likely(ALTERNATIVE_SHARE), strict=True)
                if typed in plain and typed.isalpha()
            }
            if self.apart and restoration is not None and rules.every_word
            else {}
        )

        # The run as read: restored, or as typed. A synonym group typed without diacritics that it reads as one of
        # the group's forms stands for the group (`co dong vien`: *cổ động viên*), where one it reads otherwise may
        # not (`bo me co dong vien con`: *có động viên*, to encourage).
        spelled = restoration.spelling if restoration is not None else tuple(syllables)
        # A short run's numbers the articles write otherwise too after the word typed before them (``_numerals``: as
        # a Roman numeral or in digits, in words after *thứ*): found in any of those writings, bound to the word in
        # each (``_bound_numbers``, below), as any number is.
        # A code's syllables (`12/5`, `U-23`) are its own: neither a number bound nor a word beside one; but a number
        # with its year (``NUMBER_YEAR_RE``) is bound whole to the word before it.
        code_spans = [
            (code, start, start + len(parts) - 1)
            for code, parts in ((code, [s.text for s in split_syllables(code)]) for code in codes)
            for start in _code_starts(parts, syllables)
        ]
        coded = {at for _, first, last in code_spans for at in range(first, last + 1)}
        code_starts: dict[str, list[int]] = {}  # where the run holds each code
        for code, first, _ in code_spans:
            code_starts.setdefault(code, []).append(first)
        dated = [(first, last) for code, first, last in code_spans if NUMBER_YEAR_RE.fullmatch(code)]
        numeral_dated = [(first, last) for code, first, last in code_spans if NUMERAL_YEAR_RE.fullmatch(code)]
        dated_firsts = {first for first, _ in dated + numeral_dated}
        binds = rules.every_word and not self.apart and not self.numbers_apart
        numerals: dict[int, tuple[str, ...]] = {}
        if binds:  # a number with its year too: `quý 1/2006`, *quý I/2006*
            # Capitals as typed, where the run is a restored spelling of it (`quoc hoi khoa XI`).
            as_typed = self.typed_as if self.typed_as and len(self.typed_as[1]) == len(split) else None
            typed_capitals = typed_in_capitals(*as_typed) if as_typed else capitals
            numerals = _numerals(
                syllables, own | dated_firsts, set(starts), self.synonyms.numbered, typed_capitals, forms
            )
        # A numeral with its year is a number with its year where it has its other writing (`quý II/2006`).
        dated += [(first, last) for first, last in numeral_dated if first in numerals]
        dated_firsts = {first for first, _ in dated}
        other_writings = {syllables[at]: others for at, others in numerals.items()}

        def unit(kind: str, value: Any) -> Q.Query:
            if kind == "term" and value in other_writings:
                return Q.DisjunctionMax([matched_as._term(form) for form in (value, *other_writings[value])])
            if kind == "group":
                first, last = spans_typed[(kind, value)]
                as_read = tuple(spelled[first : last + 1])
                return matched_as._synonym_group(value[1:], value[0], as_read != value[0] and as_read in value[1:])
            if kind == "place":  # the word as typed, anywhere; the letter before the name only as the index writes it
                phrases = [self._exact()._phrase(list(form)) for form in value[1:]]
                return Q.DisjunctionMax([unit("term", value[0]), *phrases])
            if value in apart_read:
                # Apart, a syllable is matched only as its likely readings, each weighed by how likely: side by side,
                # any accenting of a word's letters is mostly that word, but a syllable alone is anything its letters
                # spell (*hau* is also the *hầu* of *hầu hết*), and `hoa hau 2008` would find the articles with a
                # *hoa*, a *hầu* and a *2008* somewhere, where typed with its marks it finds none and goes on to
                # those holding most of the words. A number stays matched as typed: its readings are itself.
                return self._readings(value, apart_read[value], as_typed=False)
            if value in read:  # scored as if typed with its readings, matched as typed all the same
                return self._readings(value, read[value], as_typed=True)
            return matched_as._term(value)

        required = [
            unit(kind, value).with_boost(count) if count > 1 else unit(kind, value)
            for (kind, value), count in units.items()
        ]
        run_whole = False  # the whole run is one word or name required whole
        # The run's words that underthesea's word list or the index's own segmentation holds (``Synonyms.is_word``),
        # and its names the index writes with capitals: the lists keep a segmentation of the query's few words that is
        # wrong (``minh tinh rắc rối`` read *tinh rắc*) from counting.
        listed = [
            (a, b)
            for a, b in spans
            if self.synonyms.is_word(readings[a : b + 1]) and not any(first <= a <= b <= last for first, last in named)
        ]
        loose_words: set[tuple[int, int]] = set()  # those matched in any accenting: a syllable typed without marks
        if rules.every_word:
            # Two syllables the segmentation left apart that a likely reading writes as one word: typed without
            # diacritics (`so do`: *sổ đỏ*), with a syllable typed without any (`bóng da`: *bóng đá*, that syllable
            # in any accenting), or as the word is written (`mưa lớn miền bắc`, segmented without *miền bắc*).
            likely = (
                forms if restoration is not None else [[f for f, _ in bare[s]] if s in bare else [s] for s in syllables]
            )
            found = self._likely_words(likely, listed + named, set(starts))
            loose_words = {
                (first, last) for first, last in found if any(syllables[at] in bare for at in range(first, last + 1))
            }
            listed += found
        joined = [(first, last) for first, last in sorted(listed + named) if own.issuperset(range(first, last + 1))]
        words_typed = (own | grouped | {at for at, stop in enumerate(stops) if stop}) - coded
        bound = (
            _bound_numbers(
                syllables,
                own - coded,
                words_typed,
                set(starts),
                joined,
                dated,
                group_forms,
                {at for at, syllable in enumerate(split) if as_written(syllable) != syllable.text},
                {at: others for at, others in numerals.items() if at not in coded or at in dated_firsts},
            )
            if binds
            else {}
        )
        if not self.apart:
            # However the run is matched, a snippet marks such a word only whole (``SearchPlan.joined``), and a
            # synonym group typed in full, one unit of meaning: the *chức* of *tổ chức* is not what `kết quả thi
            # tuyển công chức` looked for, nor the *chính* of *Chính phủ* what `thủ tục hành chính` did. A number
            # bound to a word beside it (below) is marked only beside it, and so is a stop word it is bound to (the
            # *số* of `bão số 7`, not of *tổng số tiền*); any other word wherever it stands.
            marked = sorted(joined + groups)
            self.joined.extend(" ".join(syllables[first : last + 1]) for first, last in marked)
            # So is each other form of such a group, whole (the *hành chính* `hành chánh` finds, not its *chính* of
            # *chính phủ*), read past its commas (*cán bộ, công chức*).
            self.joined.extend(
                " ".join(word for word in form if word != CLAUSE_TERM)
                for _, last in groups
                for form in group_forms[last]
            )
            self.joined.extend(" ".join(words) for writings in bound.values() for words in writings)
            beside = {
                near
                for at, writings in bound.items()
                for near in (at - 1, at + 1)
                if 0 <= near < len(syllables) and stops[near] and any(syllables[near] in words for words in writings)
            }
            inside = {at for first, last in marked for at in range(first, last + 1)} | set(bound) | beside
            self.loose.update(fold_diacritics(s.lower()) for at, s in enumerate(syllables) if at not in inside)
        if rules.every_word and not self.apart:
            # Each such word of a short run is required whole, its syllables side by side: an article holding a
            # *giáo* of *Hồi giáo* and a *viên* of *sinh viên* is not one about *giáo viên*. Whole, it is scored as
            # its syllables, and a little more (WHOLE_WORD_WEIGHT). When no article holds any of the words whole
            # (nor some of them: ``searcher._retries``), the plan's ``apart`` try matches them apart.
            for first, last in joined:
                as_word = self._any_accenting() if (first, last) in loose_words else matched_as
                required.append(as_word._phrase(syllables[first : last + 1]).with_boost(WHOLE_WORD_WEIGHT))
                self.whole.append(" ".join(syllables[first : last + 1]))
                run_whole = run_whole or (first, last) == (0, len(syllables) - 1)
            # A number of a short run is the word's beside it: it names or counts it (`điều 5`, `lớp 10`, `bão số
            # 7`, `500 người`). Apart, *Điều 1 … 5 khoản* is no article's Điều 5: 3,502 of 21,000 VNTC articles hold
            # an *điều* and a *5*, 8 of them *điều 5*. It is required beside the word before it, or the word after.
            # When no article holds it so, the plan's ``numbers_apart`` try looks for it anywhere, the words still
            # whole: an index without a Thông tư 20 answers `thông tư 20` with the articles on *thông tư* that hold
            # a *20*, not every article with a *thông*, a *tư* and a *20*.
            for writings in bound.values():
                # A number of four digits is also written grouped (*1.000 tỷ*, its groups' terms side by side).
                holding = [matched_as._phrase(list(words)) for words in writings]
                holding += [matched_as._phrase(grouped) for grouped in _grouped_writings(writings)]
                required.append(Q.Or(holding).with_boost(WHOLE_WORD_WEIGHT) if len(holding) > 1 else holding[0])
                self.whole.append(" ".join(writings[0]))
                # a word or a synonym group to keep whole when the number stands elsewhere
                self.bound = self.bound or bool(joined) or bool(group_forms)
        optional: list[Q.Query] = []
        if rules.folded_match and self.accented:
            optional.extend(self._term(value).with_boost(RESTORED_BOOST) for value in plain if has_diacritics(value))
        optional.extend(self._term(word) for word in stop_units)
        # The boosts look for a number as an article likely writes it: grouped where typed so or of five digits or
        # more (``1.863 người`` holds *1* and *863* side by side), a year as it is.
        numbers = thousands | {at for at, s in enumerate(syllables) if len(s) >= GROUPED_FROM and s.isdigit()}
        likeliest_read = [bare[s][0][0] if s in bare else s for s in syllables]
        written, moved = number_writings(likeliest_read, numbers, parted)
        written_starts = [moved[start] for start in starts]
        if rules.whole_phrase and len(syllables) > 1 and self.boosts:
            # Its holders are looked for among every match's best, unless every match holds it (one word required
            # whole); typed without diacritics, as its likeliest reading writes it: side by side in any accenting,
            # the run would bring the articles on another reading's words (`mong cho`: *nền móng cho*).
            self._proximity(written, starts=written_starts, everywhere=not run_whole and restoration is None)
            # And in the other writings of its numbers (`quốc hội khóa 11`: *Quốc hội khóa XI*).
            for which in range(max((len(others) for others in numerals.values()), default=0)):
                other = list(written)
                for at, others in numerals.items():
                    other[moved[at]] = others[min(which, len(others) - 1)]
                self._proximity(other, starts=written_starts, everywhere=not run_whole and restoration is None)
            if restoration is not None and not run_whole:
                likeliest = self._exact()._phrase_terms(number_writings(readings, numbers, parted)[0], written_starts)
                self.proximity.append(ProximityBoost(self._exact()._phrase_fields(), tuple(likeliest), 0.0, True))
        if rules.pair_boost and self.boosts:
            # A run seldom found whole (a question, a headline, a pasted text): its neighbouring syllables found
            # together are, and say more than the same syllables scattered ("tiêm vắc xin mũi 3" against "mũi …
            # tiêm … 3 … xin").
            inner = set(range(len(written))).difference(moved)
            self._pairs(written, rules.pair_boost, written_starts, inner)
        self.rerank_depth = max(self.rerank_depth, rules.rerank_depth)
        if restoration is not None:
            optional.extend(self._restored(restoration, spans, read))
        if self.accented and len(syllables) > 1 and self.boosts:
            # Word terms from the query's own segmentation reward documents segmented the same way.
            words = {word_term(syllables[first : last + 1]) for first, last in spans}
            optional.extend(self._word(term).with_boost(WORD_BOOST) for term in sorted(words))
        # The words as the page names them (an article's "Thiếu"): a synonym's form as it was typed (``_named``), each
        # word in the case typed (``_cased``, below).
        shown, shown_split = self.typed_as if self.typed_as and len(self.typed_as[1]) == len(split) else (text, split)

        def name(kind: str, value: Any) -> str:
            if kind != "group":
                return _typed(kind, value)
            first, last = spans_typed[(kind, value)]
            return _named(shown[shown_split[first].start : shown_split[last].end], _typed(kind, value))

        names = [name(kind, value) for kind, value in units]
        # A code must stand whole in a short query; it earns a boost in a long one. In the second try (any of the
        # words may match), an article must still hold a slashed number's kind, its syllables other than numbers
        # (`CT/TU` of `29-CT/TU`, `NĐ-CP` of `12/2023/NĐ-CP`; a date, all numbers, whole: ``is_numbered``): without
        # it, any article holding a `29` or a `CT` matched, tens of thousands of them about anything; or its number
        # and year beside the word typed before it (``_cited``). A run of five words or more ranks by the share of
        # its words an article holds, a number among them.
        kinds: list[Q.Query] = []
        for code in codes:
            if GROUPED_NUMBER_RE.fullmatch(code):  # a number, one unit of the run already (`ungrouped`)
                continue
            split_code = split_syllables(code)
            parts = [s.text for s in split_code]
            points, apart = decimal_points(code, split_code), clause_starts(code, split_code)  # `1.5`, `1,5`
            sides = part_places(code, split_code)
            # A code's letters typed without diacritics (`ND-CP`, `QD-UBND`) are how most keyboards write them, beside
            # accented words too: they find it in any accenting, *NĐ-CP* among them.
            as_code = self if has_diacritics(code) else self._any_accenting()
            if rules.long:
                optional.append(as_code._pointed(parts, points, apart, PHRASE_BOOST, sides))
            elif self.synonyms.whole(code, split_code) is None and not _after_abbreviation(
                code, parts, syllables, grouped
            ):
                held = [at for at in code_starts.get(code, []) if at in dated_firsts and at in numerals]
                others = numerals[held[0]] if held else ()
                if others:  # `quý 1/2006`: *quý I/2006* too, and `quý II/2006` *quý 2/2006*
                    written_so = [as_code._phrase([other, *parts[1:]]) for other in others]
                    required.append(
                        Q.DisjunctionMax([as_code._pointed(parts, points, apart, sides=sides), *written_so])
                    )
                elif _letters_number(split_code):  # `U-23`: *U23* too
                    required.append(as_code._named_number(*parts))
                else:
                    required.append(as_code._pointed(parts, points, apart, sides=sides))
                names.append(code)
                # Its syllables are marked only together, but those the run also holds alone (`5 người ngày 12/5`).
                covered = {start + k for start in code_starts.get(code, []) for k in range(len(parts))}
                alone = {fold_diacritics(s) for at, s in enumerate(syllables) if at not in covered}
                self.codes.append(" ".join(part for part in parts if fold_diacritics(part) not in alone))
                if self.relaxed and is_numbered(code):
                    kind = as_code._phrase([part for part in parts if not part.isdigit()] or parts)
                    held = code_starts.get(code)
                    before = syllables[: held[0]] if held else None
                    cited = self._cited(code, parts, before, words_typed, starts, joined, group_forms)
                    if cited is not None:  # held so, it counts as the kind, and ranks first
                        kind = Q.Or([kind, cited])
                        optional.append(cited.with_boost(CITED_BOOST))
                    kinds.append(kind)
            # else an abbreviation written like a number (`GD-ĐT`, `TP.HCM`), or with its period before the next
            # words (`TP.Đà Nẵng`, `Q.Bình Thạnh`): its synonym group, a unit of the run, requires one of its forms, and
            # `Sở Giáo dục và Đào tạo` is as good as `Sở GD-ĐT`, *thành phố Đà Nẵng* as `TP.Đà Nẵng`.
        any_word = not rules.every_word
        counted = list(zip(names, required, strict=True)) if any_word else []
        if joined and counted:
            # A restored spelling's word is held in any accenting, as typed: the restorer may have read it wrong.
            whole_as = self._any_accenting() if self.readings else matched_as
            in_groups = {at for first, last in groups for at in range(first, last + 1)}
            counted = _words_whole(counted, syllables, joined, whole_as, in_groups)
        self.units = [query for _, query in counted] if len(required) <= COORDINATE_UP_TO else []
        given = [shown[syllable.start : syllable.end] for syllable in shown_split]
        self.unit_names = [_cased(name, syllables, given) for name, _ in counted] if self.units else []
        if any_word:
            core = Q.Or(required)
            # A short run's words are matched whole, each one, and scored as its syllables (and a little more, as
            # where every word is required): `du kích palestine` (no article holding both) lists the articles on
            # guerrillas or on Palestine, not every one with a *du* (*du lịch*) or a *kích*; nor does a stop word
            # alone match (the *và* of `vân phong và phú quốc`). A longer run, a pasted headline, matches any of its
            # syllables, ranking by the share of its words held whole.
            stop_words = {value for kind, value in typed if kind == "stop"} if short_relaxed else set()
            held = [query for name, query in counted if name not in stop_words] if short_relaxed else []
            if held:
                core = Q.And([core, Q.Or(held).with_boost(WHOLE_WORD_WEIGHT)])
            if kinds:  # the kinds required, every other unit (the number whole among them) ranking
                core = Q.AndMaybe(Q.And(kinds) if len(kinds) > 1 else kinds[0], core)
        else:
            core = Q.And(required) if len(required) > 1 else (required[0] if required else Q.Or(optional[:1]))
        return Q.AndMaybe(core, Q.Or(optional)) if optional else core

    def _cited(
        self,
        code: str,
        parts: list[str],
        before: list[str] | None,
        words: AbstractSet[int],
        starts: Sequence[int],
        joined: Sequence[tuple[int, int]],
        group_forms: Mapping[int, Sequence[tuple[str, ...]]],
    ) -> Q.Query | None:
        """A document number's number and year beside the word typed before it, as an article citing it without the
        issuer's letters writes it (`Quyết định số 57/2004/QĐ-UB` cited as *Quyết định số 57/2004*); None when the
        code starts with no number and year or the run types no word before it. ``before``: the run's syllables
        before the code (None when the run does not hold it)."""
        dated = list(itertools.takewhile(str.isdigit, parts))
        if before is None or len(dated) != 2 or len(dated) == len(parts):
            return None
        if not NUMBER_YEAR_RE.fullmatch("/".join(dated)):
            return None
        at = len(before)
        bound = _bound_numbers([*before, *dated], set(), words, set(starts), joined, [(at, at + 1)], group_forms)
        writings = bound.get(at)
        if not writings:
            return None
        matched = self._exact() if has_diacritics(code) or self.accented else self._any_accenting()
        return Q.Or([matched._phrase(list(words)) for words in writings])

    def _numbers_at(self, syllables: list[str], codes: list[str] | tuple[str, ...]) -> tuple[set[int], int]:
        """The positions of the run's syllables that belong to a document number it holds, found whatever the
        diacritics of either (a run restored reads ``29 ct từ`` for ``29-CT/TU``), and how many different numbers
        they are (``is_document_number``); and so of a name of letters and a number (``U-23``, ``MiG-21``:
        ``LETTERS_NUMBER_RE``), found joined too, counted as the two words its syllables are, so that the run's rules
        are those of its syllables typed apart. An abbreviation written like a number (``GD-ĐT``, ``TP.HCM``) is no
        number: the synonym list knows it."""
        positions: set[int] = set()
        found: dict[tuple[str, ...], int] = {}
        for code in codes:
            split_code = split_syllables(code)
            named = _letters_number(split_code)
            # A decimal (``1,5``) or a number written with its unit (``500.000đ``) is one number, its parts parts of it
            # (``analysis.part_term``), not numbers of the run.
            number = named or is_document_number(code) or bool(part_places(code, split_code))
            if not number or self.synonyms.whole(code, split_code) is not None:
                continue
            parts = [s.text for s in split_code]
            for start in _code_starts(parts, syllables):
                positions.update(range(start, start + len(parts)))
                found[tuple(fold_diacritics(part) for part in parts)] = len(parts) if named else 1
        return positions, sum(found.values())

    def phrase(self, text: str) -> Q.Query | None:
        """An exact phrase: the syllables in order (a synonym of the whole phrase also counts)."""
        split = split_syllables(text)
        syllables = [s.text for s in split]
        if not syllables:
            return None
        if len(syllables) > MAX_SYLLABLES:
            raise BadQuery(
                f"the phrase has more than {MAX_SYLLABLES} words", f"cụm từ có hơn {MAX_SYLLABLES} từ", "too_many_terms"
            )
        # Typed with punctuation that ends a clause (``"hà nội, hải phòng"``), its words are found where an article
        # has a clause's end there (``analysis.CLAUSE_TERM``). A number of four digits or more is found written
        # either way, grouped or not (``"100000 đồng"`` and ``"100.000 đồng"`` find *100.000 đồng* and *100000 đồng*).
        plain = ungrouped(text)
        split_plain = split_syllables(plain)
        as_typed = [s.text for s in split_plain]
        starts = clause_starts(plain, split_plain)
        sides = part_places(plain, split_plain)
        query = self._pointed(as_typed, decimal_points(plain, split_plain), starts, sides=sides)
        written, moved = number_writings(as_typed, range(len(as_typed)), sides)
        if len(as_typed) > 1 and len(written) > len(as_typed):  # (a number alone: ``_term`` finds either writing)
            query = Q.Or([query, self._phrase(written, [moved[start] for start in starts])])
        group = self.synonyms.whole(text, split)
        if group is not None:
            query = Q.Or([query, self._synonym_group(group, tuple(syllables))])
        elif _letters_number(split):  # `"U-23"`, a word of "any of these words": *U23* too
            query = self._named_number(*syllables)
        return query


def _field_word(builder: Builder, word: str) -> Q.Query | None:
    """A word of "any" or "none of these words" (``field_words``): its syllables side by side, or a code as the box
    reads one (``Builder.words``: a document number or a name with a number one word, a number grouped or not)."""
    return builder.words(word, [word]) if CODE_RE.match(word) else builder.phrase(word)


def _category_query(text: str) -> Q.Query:
    """A category named loosely (any case, with or without diacritics)."""
    syllables = [fold_diacritics(s.text) for s in split_syllables(text)]
    if not syllables:
        return Q.NullQuery
    if len(syllables) == 1:
        return Q.Term("category_f", syllables[0])
    return Q.Phrase("category_f", syllables)


def _clause_query(clause: Clause, builder: Builder, title_builder: Builder) -> Q.Query | None:
    if clause.alternatives:
        parts = [_clause_query(a, builder, title_builder) for a in clause.alternatives]
        parts = [p for p in parts if p is not None]
        return Q.Or(parts) if parts else None
    if clause.prefix == "category":
        return _category_query(clause.text)
    chosen = title_builder if clause.prefix == "title" else builder
    return chosen.phrase(clause.text) if clause.phrase else chosen.words(clause.text, clause.codes)


@dataclass(frozen=True)
class SearchPlan:
    """Everything a search runs, built from a request before any index is opened.

    ``query`` is the whole Whoosh query (what ``search --show-query`` prints); by relevance the searcher matches its
    ``required`` part, scores the best ``rerank_depth`` matches with its ``optional`` parts, its ``proximity``
    boosts and its ``coverage``, and orders them again. ``relaxed`` is the second try, when requiring every word
    found nothing; ``apart`` the first, when requiring a short run's words whole found nothing.
    """

    query: Q.Query
    understood: dict
    has_text: bool  # False: nothing to rank by (an empty box lists the newest articles)
    sort: str  # "relevance", or the field order of SORT_ORDERS
    required: Q.Query  # the part that decides what matches
    optional: tuple[tuple[Q.Query, float], ...]  # leaves that only add to a candidate's score, with their boosts
    proximity: tuple[ProximityBoost, ...] = ()  # phrase boosts for the best candidates
    rerank_depth: int = RERANK_DEPTH
    # The words of a headline-like run, one query each with the syllables it stands for: the best candidates' scores
    # are multiplied by the share of those syllables they hold (Lucene's classic coord factor), so a synonym group
    # typed in full (*cải cách hành chính*) weighs its four syllables, as each syllable of the run does. Empty for a
    # question, a short run (every word required anyway) or a very long one.
    coverage: tuple[tuple[Q.Query, int], ...] = ()
    restored: tuple[str, ...] = ()  # the accented spellings restored for runs typed without diacritics
    # The typed words of a run any of whose words may match (a long run, or the relaxed retry), each with its query:
    # the words a partial match lacks are those whose query it does not match.
    words: tuple[tuple[str, Q.Query], ...] = ()
    # The words of short runs required whole, their syllables side by side (``Builder.words``): ``apart`` the try
    # without.
    whole: tuple[str, ...] = ()
    # Whether a short run requires a number beside its word, and a word whole: ``numbers_apart`` the try with the
    # number anywhere.
    bound: bool = False
    # The syllables of the codes short runs require whole (``12/5``, ``1,5``, ``COVID-19``), but those a run holds
    # alone too: a snippet marks them only together, with the code (``results.query_terms``).
    codes: tuple[str, ...] = ()
    # The words of two or three syllables the runs typed (a word underthesea's list or the index holds, a name) and the
    # synonym groups they typed in full (*thủ tục hành chính*), in any run: a snippet marks a syllable of one only
    # inside the whole, but for the syllables a run typed outside any (``loose``), in any accenting
    # (``results.query_terms``).
    joined: tuple[str, ...] = ()
    loose: frozenset[str] = frozenset()
    # What the retries are built from (not part of the plan's identity).
    _request: SearchRequest | None = field(default=None, repr=False, compare=False)
    _synonyms: Synonyms | None = field(default=None, repr=False, compare=False)
    _restore: Callable[[str], Restoration] | None = field(default=None, repr=False, compare=False)

    @cached_property
    def relaxed(self) -> SearchPlan | None:
        """The plan of the last try, any word allowed, for when this one matches nothing (None: no such try)."""
        if not self.has_text or self.understood["relaxed"] or self._request is None:
            return None
        return build_plan(self._request, self._synonyms, self._restore, relaxed=True)

    @cached_property
    def numbers_apart(self) -> SearchPlan | None:
        """The plan of the first try when this one matches nothing and requires a number beside its word: the
        numbers matched anywhere, the words still whole (None: no number was so required)."""
        if not self.bound or self._request is None:
            return None
        return self._in_its_diacritics(self._request, numbers_apart=True)

    @cached_property
    def apart(self) -> SearchPlan | None:
        """The plan of the last try when this one matches nothing, the words it requires whole matched with their
        syllables apart, as typed (None: no word was required whole)."""
        if not self.whole or self._request is None:  # a relaxed plan requires no word whole
            return None
        return self._in_its_diacritics(self._request, apart=True)

    @cached_property
    def reading(self) -> SearchPlan | None:
        """For a query typed without diacritics: the plan of its likeliest reading (``restored``) as if typed so,
        which matches the articles its accented form finds at the first try, synonyms and all (None: nothing
        restored)."""
        if self.understood["diacritics"] or not self.restored or self._request is None:
            return None
        reading = replace(self._request, q=" ".join(self.restored))
        return build_plan(reading, self._synonyms, self._restore, boosts=False)

    def _in_its_diacritics(self, request: SearchRequest, **tried: bool) -> SearchPlan:
        """A try's plan, its words matched with the diacritics this plan matches them with."""
        fold = self.understood["other_diacritics"]
        return build_plan(request, self._synonyms, self._restore, fold=fold, **tried)

    @cached_property
    def other_diacritics(self) -> SearchPlan | None:
        """For a query typed with diacritics that matches nothing as typed: the plan that matches its words with any
        diacritics (``Tú`` finding *tu*, *tứ*, *từ*), shown under a notice (None: no such try)."""
        understood = self.understood
        if not self.has_text or not understood["diacritics"] or understood["other_diacritics"] or self._request is None:
            return None
        if understood["relaxed"]:
            return None
        return build_plan(self._request, self._synonyms, self._restore, fold=True)

    def describe(self) -> str:
        """The plan as text, for ``search --show-query``: the query that runs and the boosts of the best matches."""
        lines = [f"query:      {self.query!r}", f"sort:       {self.sort}"]
        if self.sort == "relevance" and self.has_text:
            lines.append(f"required:   {self.required!r}")
            lines.extend(f"optional:   {query!r} x{boost:g}" for query, boost in self.optional)
            lines.extend(
                f"{'proximity: ' if b.boost else 'holding:   '} {', '.join(' '.join(part) for part in b.parts())} in "
                f"{','.join(name for name, _ in b.fields)} x{b.boost:g}"
                for b in self.proximity
            )
            if self.coverage:
                lines.append(f"coverage:   share of {len(self.coverage)} words")
            lines.append(f"rerank:     best {self.rerank_depth}")
        lines.extend(f"restored:   {text}" for text in self.restored)
        if self.whole:
            lines.append(f"whole:      {'; '.join(self.whole)} (if nothing holds them so, again apart)")
        if self.relaxed is not None:
            lines.append(f"if nothing matches, again with any word: {self.relaxed.required!r}")
        return "\n".join(lines)


def build_plan(
    request: SearchRequest,
    synonyms: Synonyms | None = None,
    restore: Callable[[str], Restoration] | None = None,
    relaxed: bool = False,
    fold: bool = False,
    boosts: bool = True,
    apart: bool = False,
    numbers_apart: bool = False,
) -> SearchPlan:
    """The plan of a search: the Whoosh query for a request, its boosts, and a plain description of it.

    ``restore`` gives an unaccented run's likely accented spelling (from the index's vocabulary), searched as an
    optional boost. ``relaxed``: any word may match (the last try); ``fold``: the words match with any diacritics,
    as if typed without (the try for an accented query that matched nothing as typed); ``apart``: the words of a
    short run match with their syllables apart (the try when no article holds them whole); ``numbers_apart``: a
    short run's numbers match anywhere, its words still whole (the try before). ``boosts=False``: the plan
    matches the same articles but leaves out what only orders them (see ``Builder.boosts``), for a check that asks
    only whether a query finds anything.
    """
    request.check()
    synonyms = synonyms if synonyms is not None else Synonyms()
    clauses = parse_basic(request.q)
    if len(clauses) > MAX_CLAUSES:
        raise BadQuery(
            f"the query has more than {MAX_CLAUSES} parts",
            f"truy vấn có hơn {MAX_CLAUSES} thành phần",
            "too_many_terms",
        )
    # What is looked for decides whether the query was typed with diacritics; what is excluded is matched without
    # them whatever it is typed with (`bong da NOT hà nội` is typed without).
    looked_for = [clause.describe() for clause in clauses if not clause.negated]
    text_typed = " ".join([*looked_for, request.all, request.phrase, request.any])
    typed_accented = has_diacritics(normalize_text(text_typed))
    question = "?" in text_typed
    fields = ("title",) if request.scope == "title" else TEXT_FIELDS
    # Each text the visitor typed (the box, and each of the advanced form's fields) is matched with or without
    # diacritics as it was typed: the advanced form's "tham nhũng" beside "ha noi" looks for *Hà Nội* in any
    # accenting, not for the letters `ha noi` written without marks.
    builders: dict[bool, Builder] = {}

    def built(searched: tuple[str, ...], accented: bool) -> Builder:
        """A builder for these fields, with the request's and the try's settings."""
        settings = (relaxed, question, boosts, apart, numbers_apart)
        return Builder(synonyms, searched, accented, restore, *settings, as_typed=request.as_typed)

    def builder_for(*texts: str, spelled: bool = False) -> Builder:
        accented = (has_diacritics(normalize_text(" ".join(texts))) or spelled) and not fold
        if accented not in builders:
            builders[accented] = built(fields, accented)
        return builders[accented]

    builder = builder_for(*looked_for, spelled=request.spelled)
    title_builder = built(("title",), builder.accented)

    positive: list[Q.Query] = []
    negative: list[Q.Query] = []
    words: list[tuple[str, Q.Query]] = []
    # Excluded words are excluded however they are typed: matched without diacritics everywhere.
    excluding = Builder(synonyms, fields, accented=False)
    excluding_title = Builder(synonyms, ("title",), accented=False)
    for clause in clauses:
        if clause.negated:
            query = _clause_query(clause, excluding, excluding_title)
        else:
            query = _clause_query(clause, builder, title_builder)
        if query is not None:
            (negative if clause.negated else positive).append(query)
            if clause.plain:  # a run of words, not one of the alternatives of an OR
                words.extend(zip(builder.unit_names, builder.units, strict=True))
    if request.all.strip():
        all_words = builder_for(request.all)
        # Its codes as the box's (``parse_basic``): a document number or a name with a number is one word.
        query = all_words.words(request.all, [token for token in request.all.split() if CODE_RE.match(token)])
        if query is not None:
            positive.append(query)
            words.extend(zip(all_words.unit_names, all_words.units, strict=True))
    if request.phrase.strip():
        query = builder_for(request.phrase).phrase(request.phrase)
        if query is not None:
            positive.append(query)
    # A word of "any" or "none of these words" is its syllables side by side, as ``NOT`` reads the box's: none of
    # *hà nội* leaves an article with a *hà* and a *nội* apart. Each word of "any" is matched with or without
    # diacritics as it was typed itself: any of *đà nẵng*, ``hue``.
    if request.any.strip():
        alternatives = [_field_word(builder_for(w), w) for w in field_words(request.any, restore)]
        alternatives = [a for a in alternatives if a is not None]
        if alternatives:
            positive.append(Q.Or(alternatives))
    if request.none.strip():
        none_words = Builder(synonyms, TEXT_FIELDS, accented=False)
        for word in field_words(request.none, restore):
            query = _field_word(none_words, word)
            if query is not None:
                negative.append(query)
    # Flatten nested Or()s (a long query is dozens of them): Whoosh matches one wide union twice as fast. Only the
    # text parts: normalize() would turn And([Every(), …]) into Every().
    positive = [q.normalize() for q in positive]
    negative = [q.normalize() for q in negative]
    has_text = bool(positive)

    filters: list[Q.Query] = []
    if request.categories:
        filters.append(Q.Or([Q.Term("category", c) for c in request.categories]))
    if request.sources:
        filters.append(Q.Or([Q.Term("source", s) for s in request.sources]))
    if request.author.strip():
        names = [fold_diacritics(s.text) for s in split_syllables(request.author)]
        if not names:  # no letter or digit (``!!!``): nobody's name, so no article's, not every article's
            filters.append(Q.NullQuery)
        else:
            filters.append(Q.Phrase("author", names) if len(names) > 1 else Q.Term("author", names[0]))
    if request.date_from or request.date_to:
        start = datetime.combine(request.date_from, time.min) if request.date_from else None
        end = datetime.combine(request.date_to, time.max) if request.date_to else None
        filters.append(Q.DateRange("published", start, end))

    # Whoosh's And() normalises away everything beside Every(), so filters alone stand without it.
    required = positive + filters
    query: Q.Query = Q.And(required) if len(required) > 1 else (required[0] if required else Q.Every())
    # Text typed with no letter or digit to search by (``!!!``, an emoji, a lone quote) finds nothing: only a box
    # left empty lists the articles, and the page says which it was.
    typed_text = any(part.strip() for part in (request.q, request.all, request.phrase, request.any, request.none))
    no_words = typed_text and not positive and not negative
    if no_words:
        query = Q.NullQuery
    if negative:
        # Not inside And, rather than AndNot: Whoosh 2.7's AndNot lets excluded documents through when every match
        # is collected (limit=None, or facets), which the results page always does.
        exclusion = Q.Not(Q.Or(negative))
        query = Q.And([query, exclusion]) if required else exclusion
    proximity = [*(boost for built in builders.values() for boost in built.proximity), *title_builder.proximity]
    # An empty box lists the newest articles first; text with no word to search by finds nothing, in the order asked.
    sort = request.sort if (has_text or no_words or request.sort != "relevance") else "newest"
    understood = {
        "q": request.q,
        "clauses": [c.describe() for c in clauses],
        "all": request.all,
        "phrase": request.phrase,
        "any": request.any,
        "none": request.none,
        "in": request.scope,
        "category": list(request.categories),
        "source": list(request.sources),
        "author": request.author,
        "from": request.date_from.isoformat() if request.date_from else None,
        "to": request.date_to.isoformat() if request.date_to else None,
        "sort": sort,  # the order the results are in: the newest first for an empty box
        "diacritics": typed_accented,
        "spelled": request.spelled and not fold,  # typed without diacritics, matched as spelled (an ninh, not ăn)
        "other_diacritics": fold,  # matched with any diacritics, the query's own having matched nothing
        "relaxed": relaxed,
        "apart": apart,  # a short run's words matched with their syllables apart, none holding them whole
        # a short run's numbers matched anywhere, its words whole, no article holding a number beside its word
        "numbers_apart": numbers_apart,
        "no_words": no_words,  # text typed, but no word in it to search by: nothing found
    }
    # Each word with the syllables it stands for; a question is answered in other words than its own: the answer need
    # not hold most of them.
    coverage = [] if question else [(unit, max(1, len(split_syllables(name)))) for name, unit in words]
    # The query itself is not normalised: Whoosh's normalize() turns And([Every(), …]) into Every().
    required_part, optional = split_optional(query)
    return SearchPlan(
        query=query,
        understood=understood,
        has_text=has_text,
        sort=sort,
        required=required_part,
        optional=tuple(optional),
        proximity=tuple(dict.fromkeys(proximity)),
        rerank_depth=max(*(built.rerank_depth for built in builders.values()), title_builder.rerank_depth),
        coverage=tuple(coverage),
        restored=tuple(dict.fromkeys([*builder.restored, *title_builder.restored])),
        words=tuple(words),
        whole=tuple(dict.fromkeys([*(w for built in builders.values() for w in built.whole), *title_builder.whole])),
        bound=any(built.bound for built in [*builders.values(), title_builder]),
        codes=tuple(dict.fromkeys([*(c for built in builders.values() for c in built.codes), *title_builder.codes])),
        joined=tuple(dict.fromkeys([*(w for built in builders.values() for w in built.joined), *title_builder.joined])),
        loose=frozenset().union(*(built.loose for built in builders.values()), title_builder.loose),
        _request=request,
        _synonyms=synonyms,
        _restore=restore,
    )


def tries_understood(understood: dict) -> dict[str, bool]:
    """The ``build_plan`` settings of the try a search's understood query says answered it (``relaxed``, ``fold``,
    ``apart``, ``numbers_apart``), to build that plan again."""
    return {
        "relaxed": understood["relaxed"],
        "fold": understood["other_diacritics"],
        "apart": understood["apart"],
        "numbers_apart": understood["numbers_apart"],
    }


def plan_for_query(query: Q.Query) -> SearchPlan:
    """A plan that ranks a given Whoosh query by relevance, its optional parts given to the best candidates."""
    required, optional = split_optional(query)
    understood = {
        "relaxed": False,
        "diacritics": False,
        "other_diacritics": False,
        "apart": False,
        "numbers_apart": False,
    }
    return SearchPlan(query, understood, True, "relevance", required, tuple(optional))


def split_optional(query: Q.Query) -> tuple[Q.Query, list[tuple[Q.Query, float]]]:
    """The part of a query that decides what matches, and its optional parts (those that only add to a score).

    Each optional part comes as a leaf query (a term or a phrase) with the boost it carries inside the whole query:
    an article's score under the whole query is its score under the first part plus, for each leaf it matches,
    that boost times the leaf's score. ``whoosh_ext.matching.optional_scores`` adds them for the best candidates only.
    """
    optional: dict[Q.Query, float] = {}
    return _without_optional(query, 1.0, optional), list(optional.items())


def _without_optional(query: Q.Query, boost: float, optional: dict[Q.Query, float]) -> Q.Query:
    if isinstance(query, Q.AndMaybe):  # a binary query carries no boost of its own
        _optional_leaves(query.b, boost, optional)
        return _without_optional(query.a, boost, optional)
    if type(query) in (Q.And, Q.Or):
        stripped = copy.copy(query)
        stripped.subqueries = [_without_optional(sub, boost * query.boost, optional) for sub in query.subqueries]
        return stripped
    return query


def _optional_leaves(query: Q.Query, boost: float, optional: dict[Q.Query, float]) -> None:
    if type(query) is Q.Or:
        for sub in query.subqueries:
            _optional_leaves(sub, boost * query.boost, optional)
        return
    optional[query] = optional.get(query, 0.0) + boost


def word_spans(syllables: list[Syllable], text: str, spelling: Sequence[str] | None = None) -> list[tuple[int, int]]:
    """The words of two or more syllables of a query's ``syllables`` (``analysis.segment``'s spans). Typed without
    diacritics, they are the words of its restored ``spelling`` (one form per syllable): underthesea's model, learnt
    from accented text, reads unaccented syllables as words of one.

    >>> word_spans(split_syllables("thực hiện nghị quyết"), "thực hiện nghị quyết")
    [(0, 1), (2, 3)]
    >>> word_spans(split_syllables("thuc hien"), "thuc hien", ["thực", "hiện"])
    [(0, 1)]
    """
    if spelling is not None:
        read_text = " ".join(spelling)
        read = split_syllables(read_text)
        if len(read) == len(syllables):
            return segment(read, read_text)
    return segment(syllables, text)


def field_words(text: str, restore: Callable[[str], Restoration] | None = None, numbered: bool = True) -> list[str]:
    """The words of an "any of these" or "none of these" field.

    Commas, semicolons and quotes separate them when the visitor used them; otherwise a code is one word
    (``29-CT/TU``, ``U-23``: ``CODE_RE``), so, with ``numbered``, is a number with the word before it (``quận 1``,
    ``lớp 12``), and underthesea's segmentation
    does, so that ``bóng đá triển lãm`` is the two words *bóng đá* and *triển lãm*, not four syllables. Typed
    without diacritics, the words are those of the spelling ``restore`` reads (``ha noi da nang``: *hà nội*, *đà
    nẵng*): underthesea's model, learnt from accented text, reads unaccented syllables as words of one, and "none of
    ``ha noi``" excluded every article with a *hà*, *hạ*, *nơi* or *nói*.
    """
    if re.search(r'[,;"]', text):
        return [part.strip() for part in re.split(r'[,;"]', text) if part.strip()]
    # A code is one word, as in the box (``parse_basic``): none of ``29-CT/TU`` is not none of *29*, *CT* or *TU*.
    words: list[str] = []
    done = 0
    for token in re.finditer(r"\S+", text):
        if CODE_RE.match(token.group()):
            words += [*_segmented(text[done : token.start()], restore, numbered), token.group()]
            done = token.end()
    return words + _segmented(text[done:], restore, numbered)


def _segmented(text: str, restore: Callable[[str], Restoration] | None, numbered: bool) -> list[str]:
    """The words of a run of plain words of a field (``field_words``), as underthesea segments it, or the spelling
    ``restore`` reads; with ``numbered``, a number after a word part of it."""
    syllables = split_syllables(text)
    unaccented = restore is not None and len(syllables) > 1 and not has_diacritics(normalize_text(text))
    spans = dict(word_spans(syllables, text, restore(text).spelling if unaccented else None))
    words: list[tuple[int, int]] = []  # the first and last syllable of each
    position = 0
    while position < len(syllables):
        last = spans.get(position, position)
        if numbered and syllables[position].text.isdigit() and words and not syllables[words[-1][1]].text.isdigit():
            # A number is the word's before it (*quận 1*, *lớp 12*, *năm 2008*): alone, none of `quận 1` left out
            # every article holding a *1*.
            words[-1] = (words[-1][0], last)
        else:
            words.append((position, last))
        position = last + 1
    return [text[syllables[first].start : syllables[last].end] for first, last in words]
