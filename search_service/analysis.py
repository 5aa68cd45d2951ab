"""Vietnamese text analysis: normalisation, syllables, words, and the Whoosh analyzers built on them.

Every piece of text, indexed or typed, goes through the same steps:

1. Unicode NFKC for letters and digits (full-width and other compatibility forms read as the letters they show)
   and NFC for the rest, zero-width characters dropped, lower case (keeping a map back to the original characters,
   so highlights and phrase positions stay true to the stored text);
2. one spelling of each syllable: tone marks moved to one placement (``hoà`` → ``hòa``, ``thuỷ`` → ``thủy``,
   ``qúy`` → ``quý``), and a final i or y written one way where both spell the same syllable (``kĩ`` → ``kỹ``);
3. syllables: runs of letters and digits, so ``29-CT/TU`` is the syllables ``29 ct tu``;
4. words: underthesea's segmentation of the lower-cased text, so the query and the document are segmented the same
   way whatever their case. A word of several syllables is indexed *beside* its syllables (``ủy_ban`` at the
   position of ``ủy``), never instead of them: a wrong word boundary cannot lose a match;
5. positions: a syllable's place in the text, and in the article's text fields one more at the end of a clause
   (``clause_starts``), where the term ``CLAUSE_TERM`` stands, so that a phrase, a word or a name required whole
   never reads across punctuation (*Gia Lâm, Đông Anh* does not hold *Lâm Đồng*).

The folded form of a term drops every diacritic (``cải`` → ``cai``, ``đ`` → ``d``); the schema indexes it in a
field of its own beside the exact form.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Container, Iterable, Iterator, Sequence
from functools import lru_cache
from typing import NamedTuple

from whoosh.analysis import Analyzer, Token, Tokenizer

from . import segmenter

# Bump when a change to this module changes the terms a text produces or their positions: built indexes record it.
ANALYSIS_VERSION = "11"
# Bump when a change changes the word spans a text is segmented into: the segmentation cache is keyed by it, so a
# stale span is never reused (and a change of positions alone keeps the cache).
SEGMENTATION_VERSION = "7"

TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền, sắc, ngã, hỏi, nặng
VOWELS = set("aăâeêioôơuưy")
MARKED_VOWELS = set("ăâêôơư")
IGNORABLE = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"}
SYLLABLE_RE = re.compile(r"[^\W_]+")
LATIN_SYLLABLE_RE = re.compile(r"[a-zđăâêôơư\u0300-\u036f\u00e0-\u01b0\u1ea0-\u1ef9]+")
WORD_JOINER = "_"


def normalize_tone(syllable: str) -> str:
    """Put the tone mark of one lower-case syllable where the traditional spelling puts it.

    Portals mix the traditional placement (``hòa``, ``thủy``) and the "new" one (``hoà``, ``thuỷ``); the
    traditional one is what underthesea's own normaliser and most Vietnamese text use.

    >>> [normalize_tone(s) for s in ["hoà", "thuỷ", "uỷ", "khoẻ", "qúy", "hoàng", "mùa", "giữa", "khuỷu"]]
    ['hòa', 'thủy', 'ủy', 'khỏe', 'quý', 'hoàng', 'mùa', 'giữa', 'khuỷu']
    """
    decomposed = unicodedata.normalize("NFD", syllable)
    tones = [c for c in decomposed if c in TONE_MARKS]
    # A tone typed twice ("gíá", a common typing slip) is still one tone.
    if not tones or len(set(tones)) != 1 or not LATIN_SYLLABLE_RE.fullmatch(syllable):
        return syllable
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONE_MARKS))
    start = 0
    if base.startswith("qu") and len(base) > 2 and base[2] in VOWELS:
        start = 2
    elif base.startswith("gi") and len(base) > 2 and base[2] in VOWELS:
        start = 2
    while start < len(base) and base[start] not in VOWELS:
        start += 1
    end = start
    while end < len(base) and base[end] in VOWELS:
        end += 1
    nucleus = base[start:end]
    if not nucleus or len(nucleus) > 3:
        return syllable
    marked = [i for i, c in enumerate(nucleus) if c in MARKED_VOWELS]
    if marked:
        chosen = marked[-1]
    elif len(nucleus) == 3:
        chosen = 1
    elif len(nucleus) == 2:
        # hòa, khỏe, thủy, mùa (open syllable) but hoàng, toán, huỳnh (closed syllable)
        chosen = 1 if end < len(base) else 0
    else:
        chosen = 0
    at = start + chosen
    vowel = unicodedata.normalize("NFD", base[at]) + tones[0]
    return unicodedata.normalize("NFC", base[:at] + vowel + base[at + 1 :])


# Syllables Vietnamese writes with a final i or y alike (``kĩ``/``kỹ``, ``lí``/``lý``, ``quí``/``quý``, ``sĩ``/``sỹ``,
# ``tỉ``/``tỷ``): one of these initials, then i or y alone. Each initial's spelling is the one news text mostly uses
# (VNTC: ``kỳ``, ``lý``, ``quy``, ``công ty`` but ``sĩ``, ``vi``), since it is also what suggestions show.
ONE_I_OR_Y = {"h": "y", "k": "y", "l": "y", "m": "y", "qu": "y", "s": "i", "t": "y", "v": "i"}
I_OR_Y_RE = re.compile("(" + "|".join(ONE_I_OR_Y) + ")[iy]")
I_AND_Y = set("iìíĩỉịyỳýỹỷỵ")


@lru_cache(maxsize=65536)
def normalize_syllable(syllable: str) -> str:
    """One spelling of a lower-case syllable: its tone mark where the traditional spelling puts it
    (``normalize_tone``), and a final i or y as ``ONE_I_OR_Y`` writes it where the two spell the same syllable.

    >>> [normalize_syllable(s) for s in ["hoà", "kĩ", "kỹ", "qúi", "sỹ", "tỉ", "vy", "bi", "tai", "thy"]]
    ['hòa', 'kỹ', 'kỹ', 'quý', 'sĩ', 'tỷ', 'vi', 'bi', 'tai', 'thy']
    """
    syllable = normalize_tone(syllable)
    if len(syllable) > 3 or syllable[-1:] not in I_AND_Y:
        return syllable
    decomposed = unicodedata.normalize("NFD", syllable)
    letters = "".join(c for c in decomposed if c not in TONE_MARKS)
    if not I_OR_Y_RE.fullmatch(letters):
        return syllable
    tone = "".join(c for c in decomposed if c in TONE_MARKS)
    return unicodedata.normalize("NFC", letters[:-1] + ONE_I_OR_Y[letters[:-1]] + tone)


@lru_cache(maxsize=65536)
def fold_diacritics(term: str) -> str:
    """Drop every diacritic of a term, ``đ`` included.

    >>> fold_diacritics("cải cách hành chính đô thị")
    'cai cach hanh chinh do thi'
    """
    decomposed = unicodedata.normalize("NFD", term.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# Vietnamese's letters in its alphabet's order (the Latin ones it does not write in theirs), and its tones in a
# dictionary's: ngang, huyền, sắc, hỏi, ngã, nặng.
ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
TONE_ORDER = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")


def alphabetical(text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """A sort key that puts names in Vietnamese's alphabetical order, as a dictionary does: *ă* and *â* after *a*,
    *đ* after *d*, *ư* after *u*, the tones only telling apart names otherwise alike. Python's own order puts *Đời
    sống* after *Văn hóa* and *Vi tính* before *Văn hóa* (by code point). (ICU's Vietnamese collation does this too;
    its Python binding needs the ICU library built on the machine, for a few lines.)

    >>> sorted(["Văn hóa", "Đời sống", "Vi tính", "Dân số", "Ăn uống", "An ninh", "Thể thao"], key=alphabetical)
    ['An ninh', 'Ăn uống', 'Dân số', 'Đời sống', 'Thể thao', 'Văn hóa', 'Vi tính']
    >>> sorted(["bé", "be", "bè", "bẹ", "bẻ", "bẽ"], key=alphabetical)
    ['be', 'bè', 'bé', 'bẻ', 'bẽ', 'bẹ']
    """
    letters: list[int] = []
    tones: list[int] = []
    for char in unicodedata.normalize("NFC", text.lower()):
        decomposed = unicodedata.normalize("NFD", char)
        tone = next((c for c in decomposed if c in TONE_MARKS), "")
        letter = unicodedata.normalize("NFC", decomposed.replace(tone, "")) if tone else char
        at = ALPHABET.find(letter)
        letters.append(at if at >= 0 else len(ALPHABET) + ord(letter))
        tones.append(TONE_ORDER.index(tone))
    return tuple(letters), tuple(tones)


def cased_as(typed: str, word: str) -> str:
    """A word (restored, decoded: lower case) in the case a word was typed in: all in capitals for a word of two or
    more letters typed so, a first capital for one typed with it.

    >>> cased_as("HOAF", "hòa"), cased_as("Hoaf", "hòa"), cased_as("A", "à"), cased_as("hoaf", "hòa")
    ('HÒA', 'Hòa', 'À', 'hòa')
    """
    if len(typed) > 1 and typed.isupper():
        return word.upper()
    return word[:1].upper() + word[1:] if typed[:1].isupper() else word


def has_diacritics(text: str) -> bool:
    """Whether folding would change the text (it carries at least one Vietnamese mark or ``đ``)."""
    return fold_diacritics(text) != text


class NormalizedText(NamedTuple):
    """Normalised text (``normalize_with_offsets``), and for each of its characters where it starts and ends in the
    original."""

    text: str
    starts: list[int] | None  # None: the same offsets as the original
    ends: list[int] | None

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of the normalised text back to the original text."""
        if self.starts is None or self.ends is None:
            return start, end
        return self.starts[start], self.ends[end - 1]


def normalize_with_offsets(text: str) -> NormalizedText:
    """NFKC for letters and digits (NFC for the rest), lower case and zero-width characters removed, keeping a map
    back to the original offsets.

    NFKC: compatibility forms read as the letters they show, as Elasticsearch's ICU normaliser (``nfkc_cf``) reads a
    word: full-width letters and digits (an East Asian input method's full-width mode types ``Ｈà Ｎội``,
    ``１２／２０２３``), ligatures (``ﬁ``), mathematical letters (``𝒱𝒾ệ𝓉``). Vietnamese letters are the same in both
    forms. Only for letters and digits: a symbol that reads as letters (``™``, ``℡``) would join the word before it
    (``Windows™`` as *windowstm*), where it stands apart.

    >>> normalize_with_offsets("Ｈà Ｎội").text
    'hà nội'
    """
    lowered = _lowered_in_place(text)
    if lowered is not None:
        return NormalizedText(lowered, None, None)
    # Character by character only where it is needed: a text that is not all plain (a "…", a no-break space, an
    # accent typed apart) is plain but for a few characters.
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    at = 0  # normalised up to here
    for unusual in UNUSUAL_RE.finditer(text):
        start, end = unusual.start(), unusual.end()
        while start > at and unicodedata.combining(text[start]):  # from the letter a mark is typed on
            start -= 1
        while end < len(text) and unicodedata.combining(text[end]):
            end += 1
        chars.append(text[at:start].lower())
        starts.extend(range(at, start))
        ends.extend(range(at + 1, start + 1))
        _normalize_characters(text, start, end, chars, starts, ends)
        at = end
    chars.append(text[at:].lower())
    starts.extend(range(at, len(text)))
    ends.extend(range(at + 1, len(text) + 1))
    return NormalizedText("".join(chars), starts, ends)


def _form(character: str) -> str:
    """The normal form of a character and the marks on it: NFKC for a letter or a digit, NFC for the rest."""
    return "NFKC" if unicodedata.category(character)[0] in "LN" else "NFC"


def _plain(character: str) -> bool:
    """Whether normalising a character is lowering it alone, to one character."""
    return (
        unicodedata.is_normalized(_form(character), character)
        and len(character.lower()) == 1
        and not unicodedata.combining(character)
        and character not in IGNORABLE
    )


# Runs of characters that need more than lower case, among the scripts portals write in (anything else is unusual):
# ASCII, Latin letters with their marks precomposed (Vietnamese's among them), general punctuation.
_PLAIN = [
    chr(c)
    for r in ((0x09, 0x0D), (0x20, 0x7E), (0xA0, 0x24F), (0x1EA0, 0x1EFF), (0x2010, 0x205E))
    for c in range(r[0], r[1] + 1)
    if _plain(chr(c))
]
UNUSUAL_RE = re.compile("[^" + "".join(re.escape(c) for c in _PLAIN) + "]+")


def _normalize_characters(
    text: str, start: int, end: int, chars: list[str], starts: list[int], ends: list[int]
) -> None:
    """Add ``text[start:end]`` normalised a character and its combining marks at a time."""
    i = start
    while i < end:
        j = i + 1
        while j < end and unicodedata.combining(text[j]):
            j += 1
        for c in unicodedata.normalize(_form(text[i]), text[i:j]).lower():
            if c not in IGNORABLE:
                chars.append(c)
                starts.append(i)
                ends.append(j)
        i = j


def normalize_all_with_offsets(texts: Sequence[str]) -> list[NormalizedText]:
    """``normalize_with_offsets`` of each text; texts that need no more than lower case (most) are lowered
    together, in one call on the texts joined."""
    joined = "\n".join(texts)
    lowered = _lowered_in_place(joined)
    if lowered is None:
        return [normalize_with_offsets(text) for text in texts]
    found, at = [], 0
    for text in texts:
        found.append(NormalizedText(lowered[at : at + len(text)], None, None))
        at += len(text) + 1
    return found


def _lowered_in_place(text: str) -> str | None:
    """The text in lower case when that is all its normalisation does, character for character (so every offset
    stays); None otherwise."""
    # Searches in C (a normalisation check and six substring searches, or one regular expression) rather than a
    # Python loop over every character of the text.
    if (unicodedata.is_normalized("NFKC", text) and not any(c in text for c in IGNORABLE)) or not UNUSUAL_RE.search(
        text
    ):
        lowered = text.lower()
        if len(lowered) == len(text):
            return lowered
    return None


def normalize_text(text: str) -> str:
    """The normalised form of a whole text: NFKC (letters and digits), lower case, one spelling of each syllable.

    >>> normalize_text("Thành Uỷ và UBND quận") == normalize_text("Thành ủy và UBND quận")
    True
    """
    normalized = normalize_with_offsets(text).text
    return SYLLABLE_RE.sub(lambda m: normalize_syllable(m.group()), normalized)


class Syllable(NamedTuple):
    text: str  # normalised
    start: int  # offsets in the original text
    end: int


class AnalyzedText(str):
    """A text together with its analysis: its syllables and the spans of its multi-syllable words.

    A ``str`` (the original text), so Whoosh accepts it as a field value wherever text goes; the indexer computes
    it in worker processes and the analyzers below turn it into terms without segmenting the text again.
    """

    syllables: list[Syllable]
    words: list[tuple[int, int]]

    def __new__(cls, text: str, syllables: list[Syllable], words: list[tuple[int, int]]):
        value = super().__new__(cls, text)
        value.syllables = syllables
        value.words = words
        return value

    def __reduce__(self):
        return (AnalyzedText, (str(self), self.syllables, self.words))


# A number of one digit written with a leading zero (`05/6/2006`, `ngày 12/05`, `số 05/2023/NĐ-CP`) is that digit:
# VNTC pads the day or month of about half the dates it writes with a year, and a visitor types a date either way
# (the pages show `12/05/2023`). Not after a decimal comma or point or a colon, where it is another number or a time
# (`1,05`, `2.05`, `9:05`), but in a date written with dots (`12.05.2006`).
PADDED_DIGITS = frozenset("123456789")
PADDED_RE = re.compile(r"0[1-9](?![^\W_])")  # and no letter or digit before it (a lookbehind costs ten times as much)
DOTTED_DATE_RE = re.compile(r"(?<![\d.])\d{1,2}\.\d{1,2}\.\d{2,4}(?!\d|\.\d)")


def _padded(text: str) -> set[int]:
    """Where ``text`` (normalised) writes a number of one digit with a leading zero that reads as the digit alone
    (``PADDED_RE``).

    >>> text = "ngày 05/6, 12-05-2006, 12.05.2006, số 05; 1,05 và 2.05 lúc 9:05, mã a05"
    >>> [text[at : at + 2] + "@" + str(at) for at in sorted(_padded(text))]
    ['05@5', '05@14', '05@26', '05@38']
    """
    return {
        match.start()
        for match in PADDED_RE.finditer(text)
        if not (match.start() and text[match.start() - 1].isalnum()) and reads_as_digit(text, match.start())
    }


def reads_as_digit(text: str, at: int) -> bool:
    """Whether the syllable of a zero and a digit at ``text[at:]`` (normalised) reads as the digit alone: not after
    a decimal comma or point or a colon (``PADDED_RE``), but in a date written with dots."""
    if at >= 2 and text[at - 1] in ",.:" and text[at - 2].isdigit():
        dates = DOTTED_DATE_RE.finditer(text, max(0, at - 3), at + 9)
        return text[at - 1] == "." and any(date.start() <= at < date.end() for date in dates)
    return True


def split_syllables(text: str) -> list[Syllable]:
    """Normalised syllables of a text with their offsets in the original; a number of one digit written with a
    leading zero is the digit (``PADDED_RE``).

    >>> [s.text for s in split_syllables("Chỉ thị số 29 - CT/TU của Thành Uỷ ngày 05/6/2006")]
    ['chỉ', 'thị', 'số', '29', 'ct', 'tu', 'của', 'thành', 'ủy', 'ngày', '5', '6', '2006']
    """
    normalized = normalize_with_offsets(text)
    padded = _padded(normalized.text)
    if normalized.starts is None and not padded:  # the same offsets as the original
        return [
            Syllable(normalize_syllable(m.group()), m.start(), m.end()) for m in SYLLABLE_RE.finditer(normalized.text)
        ]
    syllables = []
    for match in SYLLABLE_RE.finditer(normalized.text):
        start, end = normalized.original_span(match.start(), match.end())
        written = match.group()
        syllables.append(Syllable(written[1] if match.start() in padded else normalize_syllable(written), start, end))
    return syllables


# underthesea's segmenter learnt its words with the tone of an open oa, oe or uy on the second vowel (*hoà bình*,
# *uỷ ban*, *sức khoẻ*: the spellings its dictionary holds); written as normalize_tone writes them (*hòa*, *ủy*) it
# reads them as words of one syllable. It is given them so written (``_model_spelling``).
MODEL_TONES = {
    unicodedata.normalize("NFC", nucleus[0] + tone + nucleus[1]): unicodedata.normalize("NFC", nucleus + tone)
    for nucleus in ("oa", "oe", "uy")
    for tone in sorted(TONE_MARKS)
}


def names_typed(typed: str, syllables: list[Syllable]) -> list[list[int]]:
    """The names in a query: runs of two or more words typed with a capital (their syllables' numbers), none in a
    query all in capitals, where the case says nothing.

    >>> text = "ong Phan Huy Le"
    >>> names_typed(text, split_syllables(text)), names_typed("PHAN HUY", split_syllables("PHAN HUY"))
    ([[1, 2, 3]], [])
    """
    if typed.isupper():
        return []
    runs: list[list[int]] = []
    for at, syllable in enumerate(syllables):
        if typed[syllable.start : syllable.start + 1].isupper():
            if runs and runs[-1][-1] == at - 1:
                runs[-1].append(at)
            else:
                runs.append([at])
    return [run for run in runs if len(run) > 1]


def _model_spelling(syllable: str) -> str:
    """A syllable as underthesea's segmenter learnt it: the tone of an open oa, oe or uy on its second vowel.

    >>> [_model_spelling(s) for s in ["hòa", "ủy", "khỏe", "thủy", "hoàng", "quý", "mùa"]]
    ['hoà', 'uỷ', 'khoẻ', 'thuỷ', 'hoàng', 'quý', 'mùa']
    """
    spelled = MODEL_TONES.get(syllable[-2:])
    return syllable[:-2] + spelled if spelled else syllable


def as_written(syllable: Syllable) -> str:
    """A syllable as written: a number padded with a zero (``PADDED_RE``) with its zero, as the segmenter learnt
    numbers and the restorer's model counts them (a document's number is written *thông tư 01*, a count *từ 1*).

    >>> [as_written(s) for s in split_syllables("chỉ thị 05, từ 5")]
    ['chỉ', 'thị', '05', 'từ', '5']
    """
    if len(syllable.text) == 1 and syllable.end - syllable.start == 2 and syllable.text.isdigit():
        return "0" + syllable.text
    return syllable.text


def _as_written(syllable: Syllable, text: str | None) -> str:
    """A syllable as the segmenter reads it (``as_written``), so that the words found, and the segmentation cache,
    are what they are without ``_padded``; ``text`` None when the syllables' offsets are not the text's."""
    return syllable.text if text is None else as_written(syllable)


def segment(syllables: list[Syllable], text: str | None = None, fast: bool = False) -> list[tuple[int, int]]:
    """Spans (first, last syllable index) of the words of two or more syllables that underthesea finds.

    The syllables go to underthesea's CRF word segmenter (the model behind ``word_tokenize``) clause by clause: a
    word never spans punctuation, and the regular-expression tokenizer that ``word_tokenize`` runs first is not
    needed, since the syllables are already known. ``text`` (the original) tells where the punctuation is.
    ``fast`` tags with the same model's weights summed per syllable, pair and triple (``segmenter.py``): the same
    tags at a tenth of the cost, after building its tables (0.7 s once per process), so the indexer uses it.
    """
    if len(syllables) < 2:
        return []
    model = segmenter.load_model()
    tables = segmenter.tagger(model) if fast else None
    clauses: list[list[int]] = [[]]
    for index, syllable in enumerate(syllables):
        previous = syllables[index - 1] if index else None
        gap = text[previous.end : syllable.start] if (text is not None and previous is not None) else " "
        if clauses[-1] and (gap.strip() or len(clauses[-1]) >= 200):
            clauses.append([])
        clauses[-1].append(index)
    spans: list[tuple[int, int]] = []
    spelled = [[_model_spelling(_as_written(syllables[i], text)) for i in clause] for clause in clauses]
    if tables is not None:
        tags = [tables.tag(clause) for clause in spelled]
    else:
        features = model.featurizer.process([[[syllable] for syllable in clause] for clause in spelled])
        tags = [[tag == "I-W" for tag in model.estimator.tag(f)] for f in features]
    for clause, clause_tags in zip(clauses, tags, strict=True):
        words: list[list[int]] = []
        for index, inside in zip(clause, clause_tags, strict=True):
            if inside and words:
                words[-1][1] = index
            else:
                words.append([index, index])
        spans.extend(
            (first, last)
            for first, last in words
            if last > first and all(syllables[i].text.isalpha() for i in range(first, last + 1))
        )
    return spans


# A number written with its thousands grouped by dots (Vietnamese) or commas (English): `100.000`, `1,500,000`; one
# separator throughout, the first group without a leading zero, and no group or digit of another run after it
# (`12.500.5` is no number's grouping). A comma after dot-grouped thousands is the decimal comma (`1.000,5`).
GROUPED_NUMBER_RE = re.compile(r"(?<![\d.,])[1-9]\d{0,2}(?:(?P<sep>[.,])\d{3})(?:(?P=sep)\d{3})*(?!\d|(?P=sep)\d)")


def grouped_numbers(text: str, syllables: Sequence[Syllable]) -> list[tuple[int, int]]:
    """Spans (first, last syllable index) of the numbers written with their thousands grouped: a word of its
    groups, as the segmenter's words are (``100.000`` is the syllables *100* and *000*, and the word ``100_000``),
    so that ``100000`` typed finds it (``grouped_word``). ``5.000.000`` is the word ``5_000_000``: never *5000*.

    >>> text = "Phạt 2.500.000 đồng, hỗ trợ 100,000 USD, 1.000,5 tấn; ngày 12.5.2009, mã 0.123"
    >>> syllables = split_syllables(text)
    >>> [" ".join(s.text for s in syllables[a : b + 1]) for a, b in grouped_numbers(text, syllables)]
    ['2 500 000', '100 000', '1 000']
    """
    matches = list(GROUPED_NUMBER_RE.finditer(text))
    if not matches:
        return []
    starts = {syllable.start: at for at, syllable in enumerate(syllables)}
    ends = {syllable.end: at for at, syllable in enumerate(syllables)}
    spans = [(starts.get(match.start()), ends.get(match.end())) for match in matches]
    return [(first, last) for first, last in spans if first is not None and last is not None and last > first]


def grouped_word(number: str) -> str | None:
    """The word term of a number of four digits or more typed without grouping (no leading zero: not a phone's
    number or a code), as a text writing it grouped holds it (``grouped_numbers``): ``100000`` → ``100_000``.

    >>> grouped_word("100000"), grouped_word("2500000"), grouped_word("2023"), grouped_word("999"), grouped_word("0903")
    ('100_000', '2_500_000', '2_023', None, None)
    """
    if len(number) < 4 or not number.isdigit() or not number.isascii() or number[0] == "0":
        return None
    head = len(number) % 3 or 3
    return word_term([number[:head], *(number[at : at + 3] for at in range(head, len(number), 3))])


# A part of a larger number is a term of its own (the part after this mark), never the number typed alone: each group
# of a number written with its thousands grouped (*2.500 người* holds no *500*, *50.000 đồng* no *50*) and each side
# of a decimal (*3,7 tỷ* holds no *7 tỷ*, *0,5%* no *5%*). Of the first 21,000 VNTC training articles, 905 hold a
# *500* only as a group of a larger number, against 993 that write it; 1,084 hold a *5* only as a decimal's side. A
# phrase of a number's groups (``number_writings``) or of a decimal typed (``1,5 triệu``) is these terms side by side.
PART_MARK = "#"


def part_term(digits: str) -> str:
    """The term of a part of a larger number (``PART_MARK``): ``500`` of *2.500* → ``#500``."""
    return PART_MARK + digits


def part_digits(term: str) -> str:
    """The digits of a part's term (``part_term``); any other term as it is.

    >>> part_digits("#500"), part_digits("500"), part_digits("đồng")
    ('500', '500', 'đồng')
    """
    return term[1:] if term.startswith(PART_MARK) else term


def grouped_spans(text: str, starts: Sequence[int], ends: Sequence[int]) -> Iterator[tuple[int, int, bool]]:
    """For each number written with its thousands grouped in a text whose syllables start and end where given
    (ascending): the places of its first group and of its last group standing by itself, and whether that is the
    number's last, not one written together with a unit (the syllable *000đ* of *500.000đ*).

    >>> text = "Thưởng 2.500.000 đồng, 500.000đ cho 500 người"
    >>> syllables = split_syllables(text)
    >>> list(grouped_spans(text, [s.start for s in syllables], [s.end for s in syllables]))
    [(1, 3, True), (5, 5, False)]
    """
    for match in GROUPED_NUMBER_RE.finditer(text):
        first = bisect_left(starts, match.start())
        last = bisect_right(ends, match.end()) - 1
        if first < len(starts) and starts[first] == match.start() and last >= first:
            yield first, last, ends[last] == match.end()


# A comma between two digits: a decimal comma, but in a number grouped by commas (``DECIMAL_COMMA``).
DIGITS_COMMA_RE = re.compile(r"(?<=\d),(?=\d)")
# Numbers listed with commas and no spaces (``khối 10,11,12``): no decimal, whose one comma this is not.
LISTED_RE = re.compile(r"\d+(?:,\d+){2,}")


def decimal_sides(text: str, starts: Sequence[int], ends: Sequence[int]) -> Iterator[tuple[int, int]]:
    """For each decimal comma of a text whose syllables start and end where given (ascending): the places of the
    syllables before and after it. Not a comma of numbers listed (``LISTED_RE``).

    >>> text = "Giá 3,7 tỷ, tăng 0,5%; 1,500,000 USD; khối 10,11,12"
    >>> syllables = split_syllables(text)
    >>> [[syllables[at].text for at in sides] for sides in decimal_sides(text, [s.start for s in syllables],
    ...  [s.end for s in syllables])]
    [['3', '7'], ['0', '5']]
    """
    listed: list[tuple[int, int]] | None = None
    for match in DIGITS_COMMA_RE.finditer(text):
        after = bisect_left(starts, match.end())
        if 0 < after < len(starts) and starts[after] == match.end() and ends[after - 1] == match.start():
            if _grouped_at(text, match.start()):
                continue
            if listed is None:
                listed = [m.span() for m in LISTED_RE.finditer(text)]
            if not any(start < match.start() < end for start, end in listed):
                yield after - 1, after


def decimal_places(text: str, syllables: Sequence[Syllable]) -> set[int]:
    """The syllables of ``text`` that are a decimal's sides (``decimal_sides``).

    >>> text = "tăng 1,5 lần, 12/5"
    >>> sorted(decimal_places(text, split_syllables(text)))
    [1, 2]
    """
    if DIGITS_COMMA_RE.search(text) is None:
        return set()
    starts, ends = [s.start for s in syllables], [s.end for s in syllables]
    return {at for sides in decimal_sides(text, starts, ends) for at in sides}


def part_places(text: str, syllables: Sequence[Syllable]) -> set[int]:
    """The syllables of ``text`` that are parts of a larger number: the groups of a number written with its
    thousands grouped (``grouped_spans``; not a last one written together with a unit, which is no number) and the
    sides of a decimal (``decimal_sides``).

    >>> text = "Thưởng 2.500.000 đồng, 500.000đ cho 500 người, 1,5 triệu"
    >>> sorted(part_places(text, split_syllables(text)))
    [1, 2, 3, 5, 10, 11]
    """
    if GROUPED_NUMBER_RE.search(text) is None and DIGITS_COMMA_RE.search(text) is None:
        return set()
    starts, ends = [s.start for s in syllables], [s.end for s in syllables]
    found = {at for first, last, _ in grouped_spans(text, starts, ends) for at in range(first, last + 1)}
    found.update(at for sides in decimal_sides(text, starts, ends) for at in sides)
    return found


def _glued(match: re.Match[str]) -> bool:
    """Whether a number written with its thousands grouped (a ``GROUPED_NUMBER_RE`` match) is written together with
    its unit (*500.000đ*), which no word stands for: the index holds its groups' parts and the unit's syllable
    (``grouped_spans``)."""
    return match.end() < len(match.string) and match.string[match.end()].isalpha()


def ungrouped(text: str) -> str:
    """A text with each number written with its thousands grouped written without: ``100.000 đồng`` → ``100000
    đồng``, which a search matches in either writing (``grouped_word``). One written together with its unit stays
    as written, as the index holds it (``_glued``).

    >>> ungrouped("hỗ trợ 100.000 đồng, 1,500,000 USD, ngày 12.5.2009, 500.000đ")
    'hỗ trợ 100000 đồng, 1500000 USD, ngày 12.5.2009, 500.000đ'
    """
    return GROUPED_NUMBER_RE.sub(lambda m: m.group() if _glued(m) else m.group().replace(m.group("sep"), ""), text)


def typed_grouped(text: str, syllables: Sequence[Syllable]) -> set[int]:
    """Which of ``syllables``, those of ``ungrouped(text)``, ``text`` writes with their thousands grouped.

    >>> text = "1.863 người, 100000 đồng, 2,500 USD năm 2023"
    >>> sorted(typed_grouped(text, split_syllables(ungrouped(text))))
    [0, 4]
    """
    offsets: list[int] = []
    removed = 0
    for match in GROUPED_NUMBER_RE.finditer(text):
        if _glued(match):
            continue
        offsets.append(match.start() - removed)
        removed += match.group().count(match.group("sep"))
    if not offsets:
        return set()
    starts = {syllable.start: at for at, syllable in enumerate(syllables)}
    return {starts[offset] for offset in offsets if offset in starts}


# A number of this many digits or more is written with its thousands grouped: VNTC's articles write 98 % of those of
# five digits grouped (`15.000`), and 79 % of those of four as they are (years: `năm 2006`). One of more than
# GROUPED_UP_TO digits is no amount: a code, kept whole (and a phrase of them never many times as long).
GROUPED_FROM = 5
GROUPED_UP_TO = 15


def number_writings(
    syllables: Sequence[str], at: Container[int], parts: Container[int] = ()
) -> tuple[list[str], list[int]]:
    """The syllables with each number at ``at`` written in its thousands' groups' terms (``part_term``), as an article
    writing it grouped holds it (``grouped_numbers``), and those at ``parts`` (``part_places``: a decimal's sides,
    the groups of a number written with its unit) as parts' terms too; and where each syllable now starts.

    >>> number_writings(["phạt", "2500000", "đồng", "năm", "2023", "1" * 16], {1, 5})
    (['phạt', '#2', '#500', '#000', 'đồng', 'năm', '2023', '1111111111111111'], [0, 1, 4, 5, 6, 7])
    >>> number_writings(["tăng", "1", "5", "lần"], (), {1, 2})
    (['tăng', '#1', '#5', 'lần'], [0, 1, 2, 3])
    """
    written: list[str] = []
    moved: list[int] = []
    for index, syllable in enumerate(syllables):
        moved.append(len(written))
        word = grouped_word(syllable) if index in at and len(syllable) <= GROUPED_UP_TO else None
        if word is not None:
            written.extend(map(part_term, word.split(WORD_JOINER)))
        else:
            written.append(part_term(syllable) if index in parts else syllable)
    return written, moved


# Roman numerals as an index holds them (lower case), for the numbers Vietnamese writes either way after a word:
# *khóa XI* or *khóa 11*, *Đại hội X*, *thế kỷ XXI*, *quý II*. Up to 39: terms, congresses, centuries, quarters and
# chapters; past it (*L*, *C*, *D*, *M*) the letters are mostly something else.
ROMAN_UP_TO = 39
_ROMAN_PARTS = ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def _roman(number: int) -> str:
    written = []
    for value, letters in _ROMAN_PARTS:
        count, number = divmod(number, value)
        written.append(letters * count)
    return "".join(written)


ROMAN_NUMERALS = {number: _roman(number) for number in range(1, ROMAN_UP_TO + 1)}
ROMAN_VALUES = {numeral: number for number, numeral in ROMAN_NUMERALS.items()}
# The numerals that are also a Vietnamese syllable (*vi phạm*, *xi măng*) or a letter alone (an initial, the *V* of
# *V-League*): seen after a word, they say little of whether it is numbered so.
ROMAN_AMBIGUOUS = frozenset({"i", "v", "x", "vi", "xi"})


def reads_as_numeral(syllable: str, after: str | None, capital: bool = False) -> bool:
    """Whether a syllable after a word numbered with Roman numerals is one: any numeral up to ``ROMAN_UP_TO``, but
    one that is also a syllable or a letter (``ROMAN_AMBIGUOUS``) only in capitals (``capital``), or last or before a
    number (``after``: the syllable after it, None for none), where no syllable after it makes a word with it.

    >>> reads_as_numeral("ix", "kỳ"), reads_as_numeral("xi", None), reads_as_numeral("xi", "măng")
    (True, True, False)
    >>> reads_as_numeral("vi", "phạm", capital=True), reads_as_numeral("i", "2006"), reads_as_numeral("xl", None)
    (True, True, False)
    """
    lowered = syllable.lower()
    if lowered not in ROMAN_VALUES:
        return False
    return lowered not in ROMAN_AMBIGUOUS or capital or after is None or after.isdigit()


# The word an ordinal of 1 to 10 is written with after *thứ*, as often as its digits: *lần thứ hai* (*lần thứ 2*),
# *kỳ họp thứ chín*, and the days *thứ hai* to *thứ bảy*.
ORDINAL_WORDS = {1: "nhất", 2: "hai", 3: "ba", 4: "tư", 5: "năm", 6: "sáu", 7: "bảy", 8: "tám", 9: "chín", 10: "mười"}


def ordinal_word(syllable: str) -> str | None:
    """The word an ordinal typed in digits is written with after *thứ*; None for any other syllable.

    >>> ordinal_word("2"), ordinal_word("4"), ordinal_word("11"), ordinal_word("02")
    ('hai', 'tư', None, None)
    """
    return ORDINAL_WORDS.get(int(syllable)) if syllable.isdigit() and not syllable.startswith("0") else None


def other_numeral(syllable: str) -> str | None:
    """A number's other writing: a number of 1 to ``ROMAN_UP_TO`` as a Roman numeral (lower case, as an index holds
    it), a Roman numeral up to it as digits; None for any other syllable.

    >>> other_numeral("11"), other_numeral("XXI"), other_numeral("viii"), other_numeral("40"), other_numeral("05")
    ('xi', '21', '8', None, None)
    """
    if syllable.isdigit() and not syllable.startswith("0"):
        return ROMAN_NUMERALS.get(int(syllable))
    number = ROMAN_VALUES.get(syllable.lower())
    return str(number) if number is not None else None


# What ends a clause between two syllables: a comma, colon, semicolon, mark of exclamation or question, ellipsis or
# line break, and a full stop before a space. Not a colon before a digit (``12:30``), nor a full stop inside a
# number, a code or an address (``12.5.2009``, ``Tp.HCM``, ``vnexpress.net``), nor a dash, a slash, quotes or
# brackets (``29-CT/TU``, ``Bà Rịa - Vũng Tàu``, a quoted name). A decimal comma (``1,5 triệu``) parts its number's
# two sides as well (``DECIMAL_COMMA``), though it ends no clause.
CLAUSE_BREAK_RE = re.compile(r"[;!?…\n\r\u2028\u2029。；！？]|[,:，：](?!\d)|(?<=\d),(?=\d)|\.(?=\s)")
# A comma between digits is a decimal comma, as Vietnamese writes decimals (VNTC: 98 % of the decimals before a unit),
# but in a number grouped by commas (``1,500,000``: ``GROUPED_NUMBER_RE``). Its two sides are held apart, a
# ``CLAUSE_TERM`` between them: *12,5 %* is not the *12 5* of a date typed ``ngày 12/5``, which an article writing
# ``12/5``, ``12-5`` or ``12.5`` holds side by side. A full stop between digits stays no break: papers write dates
# with it (``ngày 5.4``); a decimal point typed is looked for both ways (``decimal_points``).
DECIMAL_COMMA = ","
# How far either side of a comma a number grouped by commas may reach: no amount is written longer, and a text's run of
# digits and separators (``1,1,1,…``) is read a few characters at each of its commas, never whole at each.
GROUPED_REACH = 32


# A number of two parts joined by a full stop: a decimal point typed as English writes it (``1.5 triệu``), or a day
# and month written with dots (``5.4``). Not a number grouped (``1.500``) nor a date with its year (``12.5.2009``).
DECIMAL_POINT_RE = re.compile(r"(?<![\w.,])\d+\.(\d+)(?!\w|[.,]\d)")


def decimal_points(text: str, syllables: Sequence[Syllable]) -> list[int]:
    """The syllables after a full stop typed between two numbers that may be a decimal point (``DECIMAL_POINT_RE``):
    a query looks for the number both ways, its sides side by side and parted as a decimal comma parts them.

    >>> text = "giá 1.5 triệu, ngày 5.4, 1.500 đồng, 12.5.2009, v2.0"
    >>> syllables = split_syllables(text)
    >>> [syllables[k].text for k in decimal_points(text, syllables)]
    ['5', '4']
    """
    starts = {syllable.start: at for at, syllable in enumerate(syllables)}
    return [
        starts[match.start(1)]
        for match in DECIMAL_POINT_RE.finditer(text)
        if match.start(1) in starts and not GROUPED_NUMBER_RE.fullmatch(match.group())
    ]


def _abbreviation(word: str) -> bool:
    """Whether a word is written without a vowel, as a Vietnamese abbreviation is (``TP``, ``Q``, ``ThS``, ``PGS``):
    a full stop after it abbreviates (``TP. Hồ Chí Minh``) rather than ends a sentence."""
    return word.isalpha() and not any(c in "aeiouy" for c in fold_diacritics(word.lower()))


def _ends_clause(match: re.Match[str], text: str, start: int, end: int, decimals: bool = True) -> bool:
    """Whether punctuation that ``CLAUSE_BREAK_RE`` found after the syllable at ``text[start:end]`` parts it from
    the next: all of it but a full stop right after an abbreviation, and a comma in a number grouped by commas (or,
    without ``decimals``, any comma between digits)."""
    if match.group() == DECIMAL_COMMA and match.start() + 1 < len(text) and text[match.start() + 1].isdigit():
        return decimals and not _grouped_at(text, match.start())
    return not (match.group() == "." and match.start() == end and _abbreviation(text[start:end]))


def _grouped_at(text: str, at: int) -> bool:
    """Whether the separator at ``text[at]`` is inside a number written with its thousands grouped (its digits and
    separators, within ``GROUPED_REACH`` of it)."""
    start, end = at, at + 1
    while start > 0 and at - start < GROUPED_REACH and (text[start - 1].isdigit() or text[start - 1] in ".,"):
        start -= 1
    while end < len(text) and end - at < GROUPED_REACH and (text[end].isdigit() or text[end] in ".,"):
        end += 1
    return GROUPED_NUMBER_RE.fullmatch(text[start:end].strip(".,")) is not None


def clause_starts(text: str, syllables: Sequence[Syllable], decimals: bool = True) -> list[int]:
    """The syllables (by index, in order) that start a clause other than the first: punctuation that ends a clause
    (``CLAUSE_BREAK_RE``) stands between them and the syllable before; and, with ``decimals``, the syllables after a
    decimal comma (``DECIMAL_COMMA``).

    >>> text = "Gia Lâm, Đông Anh: mưa 1,5 ngày. TP. Hồ Chí Minh (Q.1) thu 2.500.000 đồng, 1,500,000 USD... Số 29-CT/TU"
    >>> syllables = split_syllables(text)
    >>> [syllables[k].text for k in clause_starts(text, syllables)]
    ['đông', 'mưa', '5', 'tp', '1', 'số']
    >>> [syllables[k].text for k in clause_starts(text, syllables, decimals=False)]
    ['đông', 'mưa', 'tp', '1', 'số']
    """
    starts: list[int] | None = None
    found: list[int] = []
    for match in CLAUSE_BREAK_RE.finditer(text):
        if starts is None:
            starts = [syllable.start for syllable in syllables]
        after = bisect_right(starts, match.start())  # the first syllable after the punctuation
        if not 0 < after < len(starts) or (found and found[-1] == after):
            continue
        before = syllables[after - 1]
        if _ends_clause(match, text, before.start, before.end, decimals):
            found.append(after)
    return found


def ends_clause(text: str, start: int, end: int, following: int) -> bool:
    """Whether punctuation that ends a clause (as ``clause_starts`` reads it) stands between the syllable at
    ``text[start:end]`` and the next, which starts at ``following``.

    >>> text = "Gia Lâm, Đông Anh; TP. Huế"
    >>> ends_clause(text, 4, 7, 9), ends_clause(text, 9, 13, 14), ends_clause(text, 19, 21, 23)
    (True, False, False)
    """
    for match in CLAUSE_BREAK_RE.finditer(text, end, following + 1):  # one more: what follows a comma is seen
        if match.start() < following and _ends_clause(match, text, start, end):
            return True
    return False


# The term at the position between two clauses (``clause_positions``): a phrase typed with punctuation that ends a
# clause (``"hà nội, hải phòng"``) has it there, side by side with its words, as an article writing it so holds it.
# No syllable is punctuation (``SYLLABLE_RE``), so no word is this term.
CLAUSE_TERM = ","


def clause_positions(count: int, starts: Sequence[int]) -> list[int]:
    """The positions of ``count`` syllables: each one more than the one before, and two more at the start of a
    clause (``clause_starts``), the position between holding ``CLAUSE_TERM``: no phrase of words matches across the
    clauses' punctuation, and one typed with it (``clause_words``) matches there only.

    >>> clause_positions(5, [2, 4])
    [0, 1, 3, 4, 6]
    """
    found: list[int] = []
    at = 0
    for clause, start in enumerate(starts):
        found.extend(range(at + clause, start + clause))
        at = start
    found.extend(range(at + len(starts), count + len(starts)))
    return found


def clause_words(words: Sequence[str], starts: Iterable[int]) -> list[str]:
    """Words (of a phrase) with ``CLAUSE_TERM`` before each that starts a clause (``clause_starts``): the terms an
    article writing them with their punctuation holds side by side.

    >>> clause_words(["hà", "nội", "hải", "phòng"], [2])
    ['hà', 'nội', ',', 'hải', 'phòng']
    """
    found = list(words)
    for start in sorted(starts, reverse=True):
        found.insert(start, CLAUSE_TERM)
    return found


def analyze(
    text: str, words: bool = True, spans: list[tuple[int, int]] | None = None, fast: bool = False
) -> AnalyzedText:
    """Syllables and (unless ``words`` is false) word spans of a text; ``spans`` reuses a cached segmentation. The
    words are the segmenter's and the numbers written grouped (``grouped_numbers``).

    ``fast``: segment with ``segmenter.py``'s tables (see ``segment``)."""
    syllables = split_syllables(text)
    if not words:
        return AnalyzedText(text, syllables, [])
    if spans is None:
        spans = segment(syllables, text, fast=fast) + grouped_numbers(text, syllables)
    return AnalyzedText(text, syllables, spans)


def in_dictionary(syllables: Sequence[str]) -> bool:
    """Whether underthesea's word list (the one its segmenter's ``is_in_dict`` features look in) holds these two or
    three syllables as one word. Asked of the segmenter's own featurizer, which holds the list: no second copy of
    its 72,547 words in every process.

    >>> in_dictionary(["giáo", "viên"]), in_dictionary(["Hòa", "bình"]), in_dictionary(["tinh", "rắc"])
    (True, True, False)
    """
    if not 2 <= len(syllables) <= 3:
        return False
    features = segmenter.load_model().featurizer.process([[[_model_spelling(s.lower())] for s in syllables]])
    return f"T[0,{len(syllables) - 1}].is_in_dict=True" in features[0][0]


def word_term(syllables: Iterable[str]) -> str:
    """The term that stands for a multi-syllable word: ``ủy_ban``."""
    return WORD_JOINER.join(syllables)


def _positions(analyzed: AnalyzedText, clauses: bool, decimals: bool) -> tuple[Sequence[int], list[int]]:
    """Each syllable's position: its index, or with ``clauses`` one more at each clause's start
    (``clause_positions``; after a decimal comma too, with ``decimals``); and the syllables that start a clause."""
    count = len(analyzed.syllables)
    starts = clause_starts(analyzed, analyzed.syllables, decimals) if clauses else []
    return (clause_positions(count, starts) if starts else range(count)), starts


def terms(
    analyzed: AnalyzedText, folded: bool = False, clauses: bool = False, decimals: bool = False, parts: bool = False
) -> Iterator[tuple[str, int, int, int]]:
    """(term, position, startchar, endchar) for every syllable and every multi-syllable word; with ``clauses``, a
    ``CLAUSE_TERM`` between two clauses (its characters the punctuation between them), with ``decimals`` at a
    decimal comma, and with ``parts`` the parts of a larger number as terms of their own (``part_term``)."""
    syllables = analyzed.syllables
    convert = fold_diacritics if folded else str
    at, starts = _positions(analyzed, clauses, decimals)
    word_starts: dict[int, list[int]] = {}
    for first, last in analyzed.words:
        word_starts.setdefault(first, []).append(last)
    clause = set(starts)
    parted = part_places(analyzed, syllables) if parts else set()
    for index, syllable in enumerate(syllables):
        if index in clause:
            yield CLAUSE_TERM, at[index] - 1, syllables[index - 1].end, syllable.start
        text = part_term(syllable.text) if index in parted else convert(syllable.text)
        yield text, at[index], syllable.start, syllable.end
        for last in word_starts.get(index, ()):
            text = word_term(convert(s.text) for s in syllables[index : last + 1])
            yield text, at[index], syllable.start, syllables[last].end


def term_positions(
    analyzed: AnalyzedText, folded: bool = False, clauses: bool = False, decimals: bool = False, parts: bool = False
) -> dict[str, list[int]]:
    """Each term ``terms`` yields, with its positions in order: what a field's postings hold for the text."""
    texts = [syllable.text for syllable in analyzed.syllables]
    if folded:
        texts = list(map(fold_diacritics, texts))
    at, starts = _positions(analyzed, clauses, decimals)
    found: defaultdict[str, list[int]] = defaultdict(list)
    keys = texts
    if parts and (parted := part_places(analyzed, analyzed.syllables)):
        keys = [part_term(text) if index in parted else text for index, text in enumerate(texts)]
    for position, key in zip(at, keys, strict=True):
        found[key].append(position)
    # A word's term never is a syllable's (no syllable holds the joiner: SYLLABLE_RE), and the words taken in order
    # (the segmenter gives them so) append each word's positions in order. A word never spans a clause's end.
    for first, last in sorted(analyzed.words):
        found[word_term(texts[first : last + 1])].append(at[first])
    if starts:
        found[CLAUSE_TERM] = [at[start] - 1 for start in starts]
    return dict(found)


class VietnameseTokenizer(Tokenizer):
    """Whoosh tokenizer: syllables plus underthesea words, exact or folded.

    In ``mode="query"`` (what Whoosh's highlighter and query parser use) it yields syllables only: the query
    builder segments queries itself, and highlighting needs no segmentation.

    ``clauses``: a ``CLAUSE_TERM`` between clauses (``clause_positions``), for an article's text; a list
    of names (the authors, the categories) is matched by its punctuation-free parts. ``decimals``: one at a decimal
    comma too (``DECIMAL_COMMA``). ``parts``: the parts of a larger number as terms of their own (``part_term``).
    """

    clauses = False  # the values in a schema pickled before the attributes existed
    decimals = False
    parts = False

    def __init__(
        self,
        folded: bool = False,
        words: bool = True,
        clauses: bool = False,
        decimals: bool = False,
        parts: bool = False,
    ):
        self.folded = folded
        self.words = words
        self.clauses = clauses
        self.decimals = decimals
        self.parts = parts

    def __eq__(self, other):
        return (
            type(other) is type(self)
            and other.folded == self.folded
            and other.words == self.words
            and other.clauses == self.clauses
            and other.decimals == self.decimals
            and other.parts == self.parts
        )

    def analyzed(self, value: str | AnalyzedText, mode: str = "") -> AnalyzedText:
        """A value as this field indexes it: analysed already (the indexer's), or analysed here; words only where
        the field keeps them, and never in ``mode="query"``."""
        if isinstance(value, AnalyzedText):
            return value if self.words else AnalyzedText(value, value.syllables, [])
        return analyze(value, words=self.words and mode != "query")

    def term_positions(self, value: str | AnalyzedText) -> dict[str, list[int]]:
        """What indexing ``value`` yields, each term with its positions (``codec.ArrayPositions`` asks for this
        instead of a token at a time)."""
        return term_positions(self.analyzed(value), self.folded, self.clauses, self.decimals, self.parts)

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ):
        analyzed = self.analyzed(value, mode)
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for text, position, startchar, endchar in terms(analyzed, self.folded, self.clauses, self.decimals, self.parts):
            token.text = text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = text
            if positions:
                token.pos = start_pos + position
            if chars:
                token.startchar = start_char + startchar
                token.endchar = start_char + endchar
            yield token


def VietnameseAnalyzer(folded: bool = False, words: bool = True, clauses: bool = False) -> Analyzer:
    """The analyzer of the exact (``folded=False``) or the folded text fields; one keeping clauses apart (an article's
    text) keeps a decimal comma's sides apart too, and the parts of a larger number as terms of their own."""
    return VietnameseTokenizer(folded=folded, words=words, clauses=clauses, decimals=clauses, parts=clauses)
