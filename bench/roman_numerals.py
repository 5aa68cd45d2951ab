"""A number typed after a word the articles number with Roman numerals too: found however the article writes it.

    python bench/roman_numerals.py [--index-dir /tmp/restore/vntc] [--docs 21000] [--kinds 3]
                                   [--ordinal-articles 10] [--baseline /tmp/before]

Vietnamese news writes a term, a congress, a century, a quarter or a chapter in Roman numerals (*Quốc hội khóa XI*,
*Đại hội IX*, *thế kỷ XXI*, *quý I/2006*) as often as in digits, and a visitor types either. On an index of the first
--docs VNTC articles (built if missing), this script finds, in the articles' own text (not through the code under
test), the syllables written before at least --kinds (3) different Roman numerals of 2 to 39 that are no syllable or
letter too (*ii*, *iii*, *iv*, *vii*, ...: ``analysis.ROMAN_AMBIGUOUS`` aside), and for each of them every number of 1
to 39 the articles write after it, in digits or as its numeral (*số* or *thứ* between them too). The queries, each
such word with the syllable the articles most often write before it where the two are one word of underthesea's
dictionary (*đại hội*, *thế kỷ*; the word alone else) and a number:

- typed in digits (`khóa 9`, `thế kỷ 21`), and without diacritics (`khoa 9`),
- typed as its numeral in capitals (`khóa IX`).

And after *thứ*, where a number of 1 to 10 is written in words as often as in digits (*lần thứ hai*, *thứ bảy*):
each syllable the articles write before *thứ* and such a number, in digits or in words (``analysis.ORDINAL_WORDS``),
in at least --ordinal-articles (10) articles, with each such number, typed in digits with its diacritics and
without (`lần thứ 2`, `lan thu 2`).

Each code in a process of its own. Printed for each kind: of the articles that write the word and the number beside
it in either writing (read by this script), the share a search finds among its first 2,000, in all and of those
writing it only the other way than typed; of the first 100 each finds, the share that write it so; the median count
found; how many queries were answered with the number elsewhere (``numbers_apart``) or the words apart.
"""

from __future__ import annotations

import argparse
import re
import statistics
from collections import Counter, defaultdict

from bound_numbers import READ, SEARCH_IDS, SHOWN, spaced
from common import compared_codes, run_script
from restoration import vntc_index, vntc_parser

from search_service.analysis import (
    ORDINAL_WORDS,
    ROMAN_AMBIGUOUS,
    ROMAN_NUMERALS,
    ROMAN_VALUES,
    fold_diacritics,
    in_dictionary,
)


def numbered_words(texts: dict[str, str], kinds: int) -> tuple[dict[str, set[str]], Counter[tuple[str, str]]]:
    """The syllables the texts (``spaced``) write at least ``kinds`` different unambiguous numerals after, each with the
    numbers (1 to 39, as digits) written after it either way, and how often each two syllables before a numbered one
    stand before it (``(before, word)``)."""
    after: dict[str, set[str]] = defaultdict(set)  # syllable -> numerals (unambiguous) seen after it
    numbers: dict[str, set[str]] = defaultdict(set)
    before: Counter[tuple[str, str]] = Counter()
    for text in texts.values():
        tokens = text.split()
        for at in range(1, len(tokens)):
            token = tokens[at]
            word_at = at - 2 if at > 1 and tokens[at - 1] in ("số", "thứ") else at - 1
            word = tokens[word_at]
            if token in ROMAN_VALUES:
                if token not in ROMAN_AMBIGUOUS:
                    after[word].add(token)
                numbers[word].add(str(ROMAN_VALUES[token]))
                if word_at:
                    before[(tokens[word_at - 1], word)] += 1
            elif token.isdigit() and not token.startswith("0") and int(token) in ROMAN_NUMERALS:
                numbers[word].add(token)
    numbered = {word: numbers[word] for word, numerals in after.items() if len(numerals) >= kinds and word.isalpha()}
    return numbered, before


def holders(texts: dict[str, str], word: str, number: str) -> tuple[set[str], set[str]]:
    """The articles writing the word (its last syllable) and the number beside it (*số* or *thứ* between them too):
    in digits, and as its numeral."""
    found = []
    for written in (number, ROMAN_NUMERALS[int(number)]):
        pattern = re.compile(rf" {word}(?: số| thứ)? {written} ")
        found.append({key for key, text in texts.items() if pattern.search(text)})
    return found[0], found[1]


def ordinal_cases(texts: dict[str, str], least: int) -> list[tuple[str, str]]:
    """(word, number): each syllable the texts write before *thứ* and a number of 1 to 10, in digits or in words
    (``analysis.ORDINAL_WORDS``), in at least ``least`` articles, with each such number."""
    words = {word: str(number) for number, word in ORDINAL_WORDS.items()}
    seen: dict[tuple[str, str], set[str]] = defaultdict(set)
    pattern = re.compile(rf" (\w+) thứ ({'|'.join(words)}|10|[1-9]) ")
    for key, text in texts.items():
        for match in pattern.finditer(text):
            before, number = match.groups()
            if before.isalpha():
                seen[(before, words.get(number, number))].add(key)
    articles: Counter[str] = Counter()
    for (before, _), keys in seen.items():
        articles[before] += len(keys)
    return sorted(pair for pair in seen if articles[pair[0]] >= least)


def ordinal_holders(texts: dict[str, str], word: str, number: str) -> tuple[set[str], set[str]]:
    """The articles writing the word, *thứ* and the number: in digits, and in words."""
    found = []
    for written in (number, ORDINAL_WORDS[int(number)]):
        pattern = re.compile(rf" {word} thứ {written} ")
        found.append({key for key, text in texts.items() if pattern.search(text)})
    return found[0], found[1]


def measure(
    args: argparse.Namespace,
    cases: list[tuple[str, str]],
    written: dict[tuple[str, str], tuple[set[str], set[str]]],
    kinds: dict[str, list[str]],
) -> None:
    """Each code's figures for the queries of each kind, one per case (its word, its number), against the articles
    writing each case in digits and otherwise (``written``); a kind typed otherwise than in digits counts the
    articles writing it only in digits as those written the other way."""
    for code, checkout in compared_codes(args.baseline):
        print(f"{code}:")
        for kind, queries in kinds.items():
            given = {"index": str(args.index_dir), "queries": queries, "read": READ}
            answers = run_script(SEARCH_IDS, checkout, given)
            totals, shown, held, found_all, all_, found_other, other, tried = [], 0, 0, 0, 0, 0, 0, Counter()
            for case, (ids, total, _, how, _) in zip(cases, answers, strict=True):
                digits, otherwise = written[case]
                either = digits | otherwise
                # The articles writing it only the other way than typed.
                only_other = otherwise - digits if kind.startswith("digits") else digits - otherwise
                totals.append(total)
                tried[how] += 1
                shown += len(ids[:SHOWN])
                held += sum(key in either for key in ids[:SHOWN])
                found_all += len(either & set(ids))
                all_ += len(either)
                found_other += len(only_other & set(ids))
                other += len(only_other)
            print(
                f"  {kind:22} of the {all_:,} articles writing it either way, {found_all / max(all_, 1):.1%} found;"
                f" of the {other:,} writing it only the other way, {found_other / max(other, 1):.1%}; of the first"
                f" {SHOWN}, {held:,} of {shown:,} ({held / max(shown, 1):.1%}) write it; median found"
                f" {statistics.median(totals):,.0f}; number elsewhere {tried['numbers_apart']}, words apart"
                f" {tried['apart']}"
            )


def main() -> None:
    parser = vntc_parser(__doc__)
    parser.add_argument("--kinds", type=int, default=3, help="different numerals after a word that is numbered so")
    parser.add_argument("--ordinal-articles", type=int, default=10, help="articles writing a word before an ordinal")
    args = parser.parse_args()
    records = vntc_index(args)
    texts = {record["id"]: spaced(record["title"] + "\n" + record["body"]) for record in records}
    numbered, before = numbered_words(texts, args.kinds)
    cases = []  # (the word as typed, its last syllable, the number)
    for word, numbers in sorted(numbered.items()):
        pairs = [(pair, count) for pair, count in before.items() if pair[1] == word]
        first, count = max(pairs, key=lambda item: item[1]) if pairs else ((None, word), 0)
        total = sum(count for _, count in pairs)
        whole = first[0] is not None and count * 2 >= total and in_dictionary([first[0], word])
        typed = f"{first[0]} {word}" if whole else word
        cases.extend((typed, word, number) for number in sorted(numbers, key=int))
    words = sorted({typed for typed, _, _ in cases})
    print(f"{len(records):,} VNTC articles; {len(words)} words numbered with Roman numerals: {', '.join(words)}")
    print(f"{len(cases)} queries of each kind: a word and a number of 1 to 39 the articles write after it either way")
    if cases:
        measure(
            args,
            [(word, number) for _, word, number in cases],
            {(word, number): holders(texts, word, number) for _, word, number in cases},
            {
                "digits": [f"{typed} {number}" for typed, _, number in cases],
                "digits, no diacritics": [fold_diacritics(f"{typed} {number}") for typed, _, number in cases],
                "numeral": [f"{typed} {ROMAN_NUMERALS[int(number)].upper()}" for typed, _, number in cases],
            },
        )
    ordinals = ordinal_cases(texts, args.ordinal_articles)
    print(
        f"{len(ordinals)} queries of each kind: a word, *thứ* and a number of 1 to 10 the articles write after them in"
        f" digits or in words, after {len({word for word, _ in ordinals})} words written so in"
        f" {args.ordinal_articles} articles or more"
    )
    if ordinals:
        measure(
            args,
            ordinals,
            {case: ordinal_holders(texts, *case) for case in ordinals},
            {
                "digits": [f"{word} thứ {number}" for word, number in ordinals],
                "digits, no diacritics": [fold_diacritics(f"{word} thứ {number}") for word, number in ordinals],
            },
        )


if __name__ == "__main__":
    main()
