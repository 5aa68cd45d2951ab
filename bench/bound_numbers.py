"""A number typed beside a word in a short query: found beside it, not anywhere in the article.

    python bench/bound_numbers.py [--index-dir /tmp/restore/vntc] [--docs 21000] [--queries 200]
        [--baseline /tmp/before] [--unwritten]

On an index of the first --docs VNTC articles (built if missing; the codes compared analyse an article alike, so they
search the same index), each code in a process of its own, --queries seeded queries of each kind, as the index's
titles write them, in lower case:

- a word and the number after it (``lớp 10``, ``điều 5``, ``số 7``),
- a number and the word after it (``500 người``, ``12 tỉnh``),
- two words and the number after them (``tuyển sinh lớp 10``, ``bão số 7``).

A number is one to three digits standing alone (no group, decimal, date or code of it). Printed for each kind: the
median count of articles found; of the first 100 each finds, the share that hold the query's words (but its stop
words) with the number beside the word typed next to it (the word before it, *số* or *thứ* between them too, or the
word after it) within a clause, as an article's title and body read in lower case (without diacritics for a
query typed without any; a number of which the number typed is a part, *8,7* or *2.000*, no such number), with the
three first that do not; of the articles that hold them so (the corpus's, read by this script), the share among
the first 2,000 found; and how many queries were answered apart (no article held the number beside its word: the
words matched anywhere, under the page's notice).

With --unwritten, the queries are a word of two syllables and a number no article writes after it (``thông tư 20``
in an index without a Thông tư 20): each such word (as underthesea segments it) a title writes before a number, with
the first number of a seeded order of 1 to 99 that no article writes beside its second syllable (*số* or *thứ*
between them too). Printed: how many were answered with the number elsewhere, the word whole (``numbers_apart``), and
how many with every syllable apart (``apart``); the median count found; of the first 100 each finds, the share
holding the word's two syllables side by side and the number anywhere.

With --documents, the queries are a document's kind and its number as the articles write them (``thông tư 01``,
``quyết định 57/2004``, ``chỉ thị số 09/2005``: a number padded with a zero, or with its year), --queries of them
seeded, each typed with its diacritics and without. Printed for each: of the first 10 found (a page), the share that
hold the kind with the number beside it (*số* between them too, the number with its zero or without), the reciprocal
rank of the first that does (MRR@10), the median count found; typed without diacritics, how many are read (searched
or offered as "Có phải bạn muốn tìm") with the kind's syllables as the articles write them. Also those whose number is
padded, typed without diacritics and without the zero, as visitors type a number (``thong tu 1`` for *thông tư 01*),
and their completions typed so up to the number's first digit (how many write the kind as the articles do, and for
how many prefixes one writes the reference itself, its number padded: *thông tư 01* for ``thong tu 1``), and those
of a *nghị định* or *quyết định* typed as its abbreviation without diacritics (``nd 05``, ``qd 57/2004``).
"""

from __future__ import annotations

import random
import re
import statistics
from collections.abc import Callable

from common import compared_codes, run_script
from restoration import vntc_index, vntc_parser
from underthesea import word_tokenize

from search_service.analysis import fold_diacritics, has_diacritics, normalize_text
from search_service.query import is_stop_word

# One to three digits standing alone, with the word before it or after it, as a title writes them.
WORD_NUMBER_RE = re.compile(r"(?<![\w.,/-])([^\W\d_]+) +([1-9]\d{0,2})(?![\w.,/-])")
NUMBER_WORD_RE = re.compile(r"(?<![\w.,/-])([1-9]\d{0,2}) +([^\W\d_]+)(?![\w.,/-])")
WORDS_NUMBER_RE = re.compile(r"(?<![\w.,/-])([^\W\d_]+ +[^\W\d_]+) +([1-9]\d{0,2})(?![\w.,/-])")
KINDS = {"word number": WORD_NUMBER_RE, "number word": NUMBER_WORD_RE, "two words number": WORDS_NUMBER_RE}
SHOWN = 100
READ = 2000
# The kinds of the documents a portal cites by number, and a number padded with a zero or with its year after one.
DOCUMENT_KINDS = (
    "thông tư",
    "nghị định",
    "quyết định",
    "chỉ thị",
    "công văn",
    "nghị quyết",
    "thông báo",
    "kế hoạch",
    "công điện",
    "pháp lệnh",
    "luật",
)
DOCUMENT_RE = re.compile(
    rf"(?<![\w/-])({'|'.join(DOCUMENT_KINDS)})( số)? (0[1-9]|\d{{1,3}}/(?:19|20)\d\d)(?![\w/-]|/\w)", re.IGNORECASE
)
# A number padded with a zero, which a visitor types without it (`thong tu 1` for *thông tư 01*).
PADDED_RE = re.compile(r"(?<![\d/])0([1-9])(?![\d])")
# Kinds a visitor types as their abbreviation (`qd 57/2004`), as the synonym list knows them.
ABBREVIATED = {"nghi dinh": "nd", "quyet dinh": "qd"}
PAGE = 10
COMPLETE = """
import json, sys
from search_service.results import complete
from search_service.searcher import SearchEngine
request = json.load(sys.stdin)
vocabulary = SearchEngine(request["index"]).vocabulary()
print(json.dumps([complete(vocabulary, prefix) for prefix in request["queries"]]))
"""
SEARCH_IDS = """
import json, sys
from search_service.query import SearchRequest
from search_service.searcher import SearchEngine
request = json.load(sys.stdin)
engine = SearchEngine(request["index"])
answers = []
for q in request["queries"]:
    found = engine.search(SearchRequest(q=q))
    how = found["query"]
    tried = next((name for name in ("numbers_apart", "apart", "relaxed") if how.get(name)), "")
    read = found["suggestion"] or how.get("read") or q
    answers.append([engine.ranked_ids(SearchRequest(q=q), request["read"]), found["total"], how["apart"], tried, read])
print(json.dumps(answers))
"""


# A number written with its thousands grouped or a decimal comma, and punctuation that ends a clause.
LARGER_RE = re.compile(r"\d+(?:[.,]\d+)+")
CLAUSE_END_RE = re.compile(r"[.,;:!?()\[\]\"“”…]+")


def spaced(text: str) -> str:
    """A text as the bench reads it: normalised, in lower case, a larger number one token (``#``: none of its parts
    is a number typed), punctuation that ends a clause a token of its own (``|``: no phrase runs across it), other
    punctuation spaces, a space at each end."""
    text = CLAUSE_END_RE.sub(" | ", LARGER_RE.sub(" # ", normalize_text(text).lower()))
    return " " + re.sub(r"[^\w|#]+|_", " ", text) + " "


def beside(query: str) -> Callable[[str], bool]:
    """Whether a text (``spaced``) holds the query's words (its stop words aside, which a short query leaves
    optional), its number beside the word typed next to it (after *số* or *thứ*, beside the word before them, with
    them or without: *sáng thứ 5* is no `tuần thứ 5`), padded with a zero too, as a date writes it (*05/11*).
    A query typed without diacritics is compared without them, as it matches."""
    same = (lambda text: text) if has_diacritics(query) else fold_diacritics
    words = same(normalize_text(query)).split()
    at = next(position for position, word in enumerate(words) if word.isdigit())
    number = f"0?{words[at]}"
    ways = []
    between = (same("số"), same("thứ"))
    if at > 1 and words[at - 1] in between:  # `bão số 7`: *bão số 7* or *bão 7*, not any *số 7*
        ways.append(rf" {words[at - 2]}(?: {words[at - 1]})? {number} ")
    elif at > 0:
        ways.append(rf" {words[at - 1]}(?: {between[0]}| {between[1]})? {number} ")
    if at + 1 < len(words):
        ways.append(rf" {number} {words[at + 1]} ")
    pattern = re.compile("|".join(ways))
    others = [f" {word} " for word in words if not word.isdigit() and not is_stop_word(word)]

    def holds(text: str) -> bool:
        text = same(text)
        return pattern.search(text) is not None and all(word in text for word in others)

    return holds


def queries_of(records: list[dict], pattern: re.Pattern, count: int, seed: int = 7) -> list[str]:
    """``count`` distinct seeded queries the pattern finds in the records' titles, in lower case."""
    found = sorted({" ".join(m.groups()).lower() for record in records for m in pattern.finditer(record["title"])})
    found = [query for query in found if len(query.split()) == len(query.split(" "))]
    return random.Random(seed).sample(found, min(count, len(found)))


def unwritten_queries(records: list[dict], texts: dict[str, str], count: int, seed: int = 7) -> list[str]:
    """``count`` seeded queries of two syllables a title writes before a number, one word as underthesea segments
    them (*thông tư*, *kỳ thi*), and a number of 1 to 99 that no text (``spaced``) writes beside the second (*số* or
    *thứ* between them too)."""
    written: set[tuple[str, str]] = set()
    for text in texts.values():
        tokens = text.split()
        for at, token in enumerate(tokens):
            if token.isdigit() and at:
                number = token.lstrip("0") or "0"
                written.add((tokens[at - 1], number))
                if at > 1 and tokens[at - 1] in ("số", "thứ"):
                    written.add((tokens[at - 2], number))
    rng = random.Random(seed)
    queries = []
    pairs = sorted({query.rsplit(" ", 1)[0] for query in queries_of(records, WORDS_NUMBER_RE, 10**9)})
    rng.shuffle(pairs)
    for words in pairs:
        if len(word_tokenize(words)) != 1:  # two words, not one: underthesea reads them apart
            continue
        numbers = [str(n) for n in range(1, 100)]
        rng.shuffle(numbers)
        number = next((n for n in numbers if (words.split()[-1], n) not in written), None)
        if number is not None:
            queries.append(f"{words} {number}")
        if len(queries) == count:
            break
    return queries


def unwritten(args, records: list[dict], texts: dict[str, str]) -> None:
    """The --unwritten run: see the module's docstring."""
    queries = unwritten_queries(records, texts, args.queries)
    print(f"{len(records):,} VNTC articles; {len(queries)} queries of a word and a number no article writes after it")
    for code, checkout in compared_codes(args.baseline):
        given = {"index": str(args.index_dir), "queries": queries, "read": SHOWN}
        answers = run_script(SEARCH_IDS, checkout, given)
        print(f"{code}:")
        for tried, named in (
            ("numbers_apart", "the number elsewhere, the word whole"),
            ("apart", "every syllable apart"),
            ("relaxed", "some of the words"),
        ):
            totals, shown, held = [], 0, 0
            for query, (ids, total, _, how, _read) in zip(queries, answers, strict=True):
                if how != tried:
                    continue
                *words, number = query.split()
                phrase, number_re = f" {' '.join(words)} ", re.compile(rf" 0?{number} ")
                totals.append(total)
                shown += len(ids)
                held += sum(phrase in texts[key] and number_re.search(texts[key]) is not None for key in ids)
            if totals:
                print(
                    f"  {len(totals):3} answered with {named}: median found {statistics.median(totals):,.0f}; of the"
                    f" first {SHOWN}, {held:,} of {shown:,} ({held / max(shown, 1):.1%}) hold the word and the number"
                )


def document_queries(records: list[dict], count: int, seed: int = 7) -> list[str]:
    """``count`` seeded references to a document (``DOCUMENT_RE``) as the records write them, in lower case."""
    found = sorted(
        {
            " ".join(part for part in m.groups() if part).lower().replace("  ", " ")
            for record in records
            for m in DOCUMENT_RE.finditer(normalize_text(record["title"] + "\n" + record["body"]))
        }
    )
    return random.Random(seed).sample(found, min(count, len(found)))


def cites(query: str) -> re.Pattern:
    """The kind of a document reference and its number side by side (*số* between them too, the number with its zero
    or without), in a text as ``spaced`` reads it."""
    words = query.replace("/", " ").split()
    if words[-1].isdigit() and len(words) > 1 and words[-2].isdigit():  # a number with its year
        number = rf"0?{words[-2].lstrip('0')} {words[-1]}"
        kind = words[:-2]
    else:
        number, kind = rf"0?{words[-1].lstrip('0')}", words[:-1]
    so = "số" if has_diacritics(query) else "so"  # compared with the text as typed, with diacritics or without
    kind = [word for word in kind if word != so]
    return re.compile(rf" {' '.join(kind)}(?: {so})? {number} ")


def documents(args, records: list[dict], texts: dict[str, str]) -> None:
    """The --documents run: see the module's docstring."""
    queries = document_queries(records, args.queries)
    folded = {key: fold_diacritics(text) for key, text in texts.items()}
    bare = [fold_diacritics(query) for query in queries]
    short = [
        (at, ABBREVIATED[kind] + query[len(kind) :])
        for at, query in enumerate(bare)
        for kind in ABBREVIATED
        if query.startswith(kind + " ")
    ]
    unpadded = [(at, PADDED_RE.sub(r"\1", query)) for at, query in enumerate(bare) if PADDED_RE.search(query)]
    print(f"{len(records):,} VNTC articles; {len(queries)} references to a document, typed with and without diacritics")
    for code, checkout in compared_codes(args.baseline):
        print(f"{code}:")
        for typed, asked, read_in in (
            ("with diacritics", list(enumerate(queries)), texts),
            ("without", list(enumerate(bare)), folded),
            ("without, no zero", unpadded, folded),
            ("abbreviated", short, folded),
        ):
            given = {"index": str(args.index_dir), "queries": [ask for _, ask in asked], "read": PAGE}
            answers = run_script(SEARCH_IDS, checkout, given)
            totals, shown, held, reciprocal, kind_read, examples = [], 0, 0, 0.0, 0, []
            for (at, ask), (ids, total, _apart, _how, read) in zip(asked, answers, strict=True):
                pattern = cites(queries[at] if typed == "with diacritics" else bare[at])
                holding = [pattern.search(read_in[key]) is not None for key in ids[:PAGE]]
                totals.append(total)
                shown += len(holding)
                held += sum(holding)
                reciprocal += 1 / (holding.index(True) + 1) if True in holding else 0.0
                kind = [word for word in queries[at].split() if not any(c.isdigit() for c in word)]
                right = normalize_text(read).lower().split()[: len(kind)] == kind
                kind_read += right
                if typed.startswith("without") and not right and len(examples) < 4:
                    examples.append(f"{ask} → {read}")
            print(
                f"  {typed:16} {len(asked)} queries; of the first {PAGE}, {held:,} of {shown:,}"
                f" ({held / max(shown, 1):.1%}) cite it; MRR@{PAGE} {reciprocal / max(len(asked), 1):.4f};"
                f" median found {statistics.median(totals) if totals else 0:,.0f}"
                + (f"; the kind read right {kind_read}" if typed.startswith("without") else "")
            )
            if examples:
                print(f"    e.g. {', '.join(examples)}")
        completed(args, checkout, queries, unpadded)


def completed(args, checkout, queries: list[str], unpadded: list[tuple[int, str]]) -> None:
    """The completions of the references typed without diacritics and without the zero, up to the number's first
    digit as a visitor types it (``thong tu 1`` of *thông tư 01*): how many are offered, how many of those write
    the kind as the articles do, and for how many prefixes one of them writes the reference as the articles do, its
    number padded (*thông tư 01*)."""
    prefixes = [(at, typed[: re.search(r"\d", typed).end()]) for at, typed in unpadded]
    given = {"index": str(args.index_dir), "queries": [prefix for _, prefix in prefixes]}
    right = wrong = none = padded = 0
    examples = []
    for (at, prefix), offered in zip(prefixes, run_script(COMPLETE, checkout, given), strict=True):
        none += not offered
        kind = " ".join(word for word in queries[at].split() if not any(c.isdigit() for c in word)) + " "
        writes = [normalize_text(each).lower().startswith(kind) for each in offered]
        right, wrong = right + sum(writes), wrong + writes.count(False)
        written = normalize_text(queries[at][: PADDED_RE.search(queries[at]).end()]).lower()
        padded += any(normalize_text(each).lower().startswith(written) for each in offered)
        if offered and not writes[0] and len(examples) < 4:
            examples.append(f"{prefix} → {offered[0]}")
    print(
        f"  completed        {len(prefixes)} typed to the number's first digit; {right + wrong} completions,"
        f" {right} writing the kind as the articles do, {wrong} another; {none} offered none;"
        f" {padded} offered the reference as written, its number padded"
    )
    if examples:
        print(f"    e.g. {', '.join(examples)}")


def main() -> None:
    parser = vntc_parser(__doc__, queries=200)
    parser.add_argument("--unwritten", action="store_true", help="two words and a number no article writes after them")
    parser.add_argument("--documents", action="store_true", help="a document's kind and its number")
    args = parser.parse_args()
    records = vntc_index(args)
    texts = {record["id"]: spaced(record["title"] + "\n" + record["body"]) for record in records}
    if args.unwritten:
        unwritten(args, records, texts)
        return
    if args.documents:
        documents(args, records, texts)
        return
    kinds = {kind: queries_of(records, pattern, args.queries) for kind, pattern in KINDS.items()}
    writers = {
        query: {key for key, text in texts.items() if beside(query)(text)}
        for queries in kinds.values()
        for query in queries
    }
    print(f"{len(records):,} VNTC articles; {', '.join(f'{len(q)} {kind}' for kind, q in kinds.items())} queries")
    for code, checkout in compared_codes(args.baseline):
        print(f"{code}:")
        for kind, queries in kinds.items():
            given = {"index": str(args.index_dir), "queries": queries, "read": READ}
            answers = run_script(SEARCH_IDS, checkout, given)
            totals, shown, held, recalled, written, apart, examples = [], 0, 0, 0, 0, 0, []
            for query, (ids, total, answered_apart, *_) in zip(queries, answers, strict=True):
                totals.append(total)
                holds = beside(query)
                shown += len(ids[:SHOWN])
                without = [key for key in ids[:SHOWN] if not holds(texts[key])]
                held += len(ids[:SHOWN]) - len(without)
                if without and len(examples) < 3:
                    examples.append(f"{query} ({len(without)} of {len(ids[:SHOWN])}: {without[0]})")
                recalled += len(writers[query] & set(ids))
                written += len(writers[query])
                apart += bool(answered_apart)
            print(
                f"  {kind:16} median found {statistics.median(totals):7,.0f}; of the first {SHOWN}, {held:,} of"
                f" {shown:,} ({held / max(shown, 1):.1%}) write the number beside its word; of the {written:,} that"
                f" write it so, {recalled / max(written, 1):.1%} found; {apart} answered apart"
            )
            if examples:
                print(f"    e.g. {', '.join(examples)}")


if __name__ == "__main__":
    main()
