"""Vietnamese typed without a Vietnamese keyboard: Telex (``cari cachs`` → *cải cách*) and VNI (``cai3 cach1``).

A visitor with no Vietnamese input method types the keys an input method would have turned into letters. Each word
is decoded on its own, and a query is repaired only when every decoded word is a syllable the index knows and the
word as typed is not (or is much rarer): ``UBND``, ``29-CT/TU``, English words and names stay as typed.

Written here rather than taken from ``bogo`` (the one Python package that decodes both, LGPL, unmaintained since
2014): what is needed is a pure function of one ASCII word, about a hundred lines, where ``bogo`` is a stateful
keystroke engine (``process_sequence``) that also turns plain English words into Vietnamese-looking ones
(``news`` → ``néw``) and leaves the decision to the caller anyway.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Container, Mapping

from .analysis import cased_as, fold_diacritics, normalize_syllable

TELEX_TONES = {"s": "\u0301", "f": "\u0300", "r": "\u0309", "x": "\u0303", "j": "\u0323"}
VNI_TONES = {"1": "\u0301", "2": "\u0300", "3": "\u0309", "4": "\u0303", "5": "\u0323"}
TELEX_DOUBLES = {"aa": "â", "ee": "ê", "oo": "ô", "dd": "đ"}
BESIDE_W = {"a": "ă", "o": "ơ", "u": "ư"}  # a Telex w right after a vowel marks it
VOWELS = "aăâeêioôơuưy"
# A Vietnamese syllable: an onset, a nucleus of one to three vowels, a coda.
ONSETS = "ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|b|c|d|đ|g|h|k|l|m|n|p|r|s|t|v|x"
SYLLABLE_SHAPE = re.compile(rf"(?:{ONSETS})?[{VOWELS}]{{1,3}}(?:ng|nh|ch|c|m|n|p|t|i|o|u|y)?")
TELEX_WORD = re.compile(r"[a-z]{1,9}")
VNI_WORD = re.compile(r"[a-z][a-z0-9]{0,9}")
MAX_WORDS = 30  # a longer text is not a query typed in Telex
SURELY_RARER = 500  # a word this many times rarer as typed than as decoded is surely Telex (see repair)
# A word of the box within what the search's syntax puts around it (``-hoaf``, ``"hoaf binhf"``) or a sentence's
# punctuation after it (``chinhs?``): the letters inside are what is decoded.
WRAPPED = re.compile(r'([-"(]*)(.*?)([")?!.,;:]*)')


def is_syllable(text: str) -> bool:
    """Whether a lower-case word, with or without diacritics, has a Vietnamese syllable's shape (``nghiêng``, ``ban``;
    not ``email``, ``ubnd``, ``nộiđt``)."""
    return bool(SYLLABLE_SHAPE.fullmatch(fold_diacritics(text)))


# Letters Vietnamese spelling never writes at a syllable's start: *ng* and *g* before *i*, *e* or *ê*, where it
# writes *ngh* and *gh*, and *ngh* and *gh* before any other letter (*gi* is an onset of its own: *giêng*).
MISSPELT_START = re.compile(r"ng[ie]|ge|n?gh[^ie]")


def misspelt(text: str) -> bool:
    """Whether a lower-case word, with or without diacritics, starts as Vietnamese spelling never writes a syllable
    (``MISSPELT_START``): a slip of one that does (``ngiệp`` for *nghiệp*, ``nghành`` for *ngành*), or a word of
    another language (``gene``).

    >>> misspelt("ngiệp"), misspelt("ngèo"), misspelt("nghành"), misspelt("nghiệp"), misspelt("giêng"), misspelt("ghế")
    (True, True, True, False, False, False)
    """
    return bool(MISSPELT_START.match(fold_diacritics(text)))


def _with_tone(base: str, tone: str | None) -> str | None:
    """The syllable ``base`` with its tone mark placed as the traditional spelling places it (None: not a syllable)."""
    if not SYLLABLE_SHAPE.fullmatch(base):
        return None
    if tone is None:
        return base
    first = next(i for i, c in enumerate(base) if c in VOWELS)
    marked = base[:first] + unicodedata.normalize("NFC", base[first] + tone) + base[first + 1 :]
    return normalize_syllable(marked)


def _horn(base: str) -> str:
    """Telex's ``w`` / VNI's ``7`` on a syllable: ươ, else ơ or ư."""
    if "uo" in base:
        return base.replace("uo", "ươ", 1)
    for plain, marked in (("o", "ơ"), ("u", "ư")):
        if plain in base:
            return base.replace(plain, marked, 1)
    return base


def decode_telex(word: str) -> str | None:
    """One word typed in Telex, as the syllable it stands for; None when it is not one.

    A ``w`` marks the vowel it follows (``aw`` *ă*, ``ow`` *ơ*, ``uw`` *ư*: ``dduwa`` is *đưa*, not *đuă*; ``uow``
    *ươ*), and after a syllable's other letters its vowels (``nguoiwf``, *người*); before the first vowel it is *ư*
    itself, as Telex input methods type it (``nhw`` is *như*, ``ddwowcj`` *được*).

    >>> [decode_telex(w) for w in ["cari", "cachs", "quyeets", "ddinhj", "hoaf", "nguowif", "tieesng", "awn", "ubnd"]]
    ['cải', 'cách', 'quyết', 'định', 'hòa', 'người', 'tiếng', 'ăn', None]
    >>> [decode_telex(w) for w in ["nhw", "ddwowcj", "hwowngs", "mwa", "tws", "nhwngx", "wowngf", "web", "twitter"]]
    ['như', 'được', 'hướng', 'mưa', 'tứ', 'những', 'ường', None, None]
    >>> [decode_telex(w) for w in ["dduwa", "vuwaf", "chuwax", "truwowngf", "truwongf", "nguoiwf", "khoawn"]]
    ['đưa', 'vừa', 'chữa', 'trường', 'trường', 'người', 'khoăn']

    A ``w`` after *ua* is the *u*'s, as input methods read it, *uă* being written only after *q* (``muaw`` *mưa*,
    ``quawngr`` *quẳng*).

    Letters with no vowel but a ``dd`` are an abbreviation with a *Đ* (``ddh`` *đh*, ``hddnd`` *hđnd*), which
    ``repair`` takes only where the index writes it so.
    """
    word = typed = word.lower()
    if not TELEX_WORD.fullmatch(word):
        return None
    first_vowel = next((at for at, c in enumerate(word) if c in "aeiouy"), len(word))
    if "w" in word[:first_vowel]:  # *ư* itself, typed as its own key
        word = word.replace("w", "ư", 1)
    tone = None
    # The tone key: the last letter, or a letter after the vowels (``tieesng``), that leaves a syllable behind.
    for at in range(len(word) - 1, 0, -1):
        if word[at] in TELEX_TONES and any(c in "aeiouyư" for c in word[:at]):
            rest = word[:at] + word[at + 1 :]
            if any(c in "aeiouyư" for c in rest):
                tone, word = TELEX_TONES[word[at]], rest
                break
    base, later = "", False  # the letters, and whether a w came after the vowels' own letters
    for letter in word:
        if letter != "w" or not base:
            base += letter
        elif base[-1] in BESIDE_W:
            base = base[:-1] + BESIDE_W[base[-1]]
        else:
            later = True
    for double, letter in TELEX_DOUBLES.items():
        base = base.replace(double, letter)
    base = re.sub("(?<!q)(?:uơ|ưo)", "ươ", base)  # ``uow``, ``uwo``: the pair takes both horns (not *quơ*'s u)
    base = re.sub("(?<!q)uă", "ưa", base)  # ``muaw``: *uă* is written only after q (*quăng*), so the w is the u's
    if later and not any(c in base for c in "ăơư"):
        base = "ă".join(base.split("a", 1)) if "a" in base and "uo" not in base and "o" not in base else _horn(base)
    if base == typed and tone is None:
        return None  # nothing typed as Telex
    syllable = _with_tone(base, tone)
    if syllable is None and "dd" in typed and not any(c in "aeiouy" for c in typed):
        return typed.replace("dd", "đ")  # an abbreviation: ``ddh`` is *đh* (ĐH), ``hddnd`` *hđnd* (HĐND)
    return syllable


def decode_vni(word: str) -> str | None:
    """One word typed in VNI (digits after the letters), as the syllable it stands for; None when it is not one.

    >>> [decode_vni(w) for w in ["cai3", "cach1", "vie65t", "d9u7o7ng2", "hoa2", "covid19", "g7", "2023"]]
    ['cải', 'cách', 'việt', 'đường', 'hòa', None, None, None]
    >>> [decode_vni(w) for w in ["E1", "A5", "A92", "CO2", "H2O", "tha8ng1", "Ha2"]]
    [None, None, None, None, None, 'thắng', 'hà']
    """
    if word.isupper() or sum(c.isalpha() for c in word) < 2:
        return None  # capitals or one letter with numbers (`CO2`, `H2O`, `E1`: a train) is a code, not *cò*, *é*
    word = word.lower()
    if not VNI_WORD.fullmatch(word) or word.isalpha() or not any(c in "aeiouy" for c in word):
        return None
    tone = None
    base = ""
    for character in word:
        if character.isalpha():
            base += character
            continue
        if character in VNI_TONES:
            if tone is not None:
                return None
            tone = VNI_TONES[character]
            continue
        if character == "6":
            marked = _last_replaced(base, {"a": "â", "e": "ê", "o": "ô"})
        elif character == "7":
            marked = _horn(base)
        elif character == "8":
            marked = _last_replaced(base, {"a": "ă"})
        elif character == "9":
            marked = base.replace("d", "đ", 1)
        else:
            return None
        if marked == base:
            return None  # a digit that marks nothing (`A92`): a code or a number, not VNI
        base = marked
    return _with_tone(base, tone)


def _last_replaced(text: str, marks: Mapping[str, str]) -> str:
    for at in range(len(text) - 1, -1, -1):
        if text[at] in marks:
            return text[:at] + marks[text[at]] + text[at + 1 :]
    return text


def repair(text: str, known: Callable[[str], int], pairs: Container[tuple[str, str]] = ()) -> tuple[str, str] | None:
    """A query typed in Telex or VNI, as Vietnamese, and which of the two; None when it is not one.

    ``known`` gives how many articles hold a syllable. Every word that decodes must decode to a syllable the index
    holds, and the word as typed must be unknown or at least ten times rarer; words that do not decode (``UBND``,
    ``29-CT/TU``, numbers) stay as typed; at least one word the index holds in one article at most as typed, or
    SURELY_RARER times less, must change: ``phim sex`` and ``tuổi teen`` stay, where ``sex`` and ``teen`` are *sẽ*
    and *tên* in Telex. ``pairs``: two words, in lower case, that the index holds as one word written apart (``wi
    max``, ``boong ke``: ``Vocabulary.joined``), kept as typed. A word's letters are decoded inside the hyphen or
    quotes that exclude it and before a question mark:

    >>> repair('choongs tham nhungx -"hoaf binhf" hooj trowj?', lambda syllable: 0 if syllable.isascii() else 1)
    ('chống tham nhũng -"hòa bình" hộ trợ?', 'telex')

    Beside words typed with their marks (a Vietnamese keyboard turned off part-way, or words pasted), only a word in
    lower case is read so: ``thủ tuowngs chinhs phủ`` is *thủ tướng chính phủ*, where a name with a capital beside
    accented words stays as typed (``đền Taj Mahal``, ``ông Aso``, ``tàu Sea Bee``: not *Tạ*, *Áo*, *Bê*).

    >>> known = lambda syllable: 0 if syllable.isascii() else 1
    >>> repair("thủ tuowngs chinhs phủ", known), repair("đền Taj", known), repair("tàu Sea Bee", known)
    (('thủ tướng chính phủ', 'telex'), None, None)
    """
    tokens = text.split()
    if not tokens or len(tokens) > MAX_WORDS:
        return None
    marked = not text.isascii()  # some words typed with their marks
    wrapped = [WRAPPED.fullmatch(token).groups() for token in tokens]
    words = [word for _, word, _ in wrapped]
    lowered = [word.lower() for word in words]
    paired = {
        at
        for first in range(len(words) - 1)
        if (lowered[first], lowered[first + 1]) in pairs
        for at in (first, first + 1)
    }
    for method, decode in (("vni", decode_vni), ("telex", decode_telex)):
        out, changed, unheld = [], 0, 0
        for at, word in enumerate(words):
            alone = not marked or word.isascii() and word.islower()  # a name beside accented words: as typed
            decoded = decode(word) if at not in paired and alone else None
            if decoded is None or decoded == word.lower():
                out.append(tokens[at])
                continue
            if not known(decoded) or known(word.lower()) * 10 > known(decoded):
                out.append(tokens[at])  # not clearly a Vietnamese word: kept as typed
                continue
            before, _, after = wrapped[at]
            out.append(before + cased_as(word, decoded) + after)  # `Hoaf Binhf`: *Hòa Bình*
            changed += 1
            held = known(word.lower())
            unheld += held <= 1 or held * SURELY_RARER <= known(decoded)  # one article's slip says nothing
        # A word the index holds as typed, if not SURELY_RARER times rarer (`sex`, `teen`: *sẽ*, *tên* in Telex, 56
        # and 337 times rarer), is read so only beside one that surely is: alone, it is another language's word
        # (`phim sex`, `tuổi teen`).
        if unheld:
            return " ".join(out), method
    return None
