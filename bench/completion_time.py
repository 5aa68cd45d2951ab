"""Completions computed (none kept): their time, and what they offer, this code against another checkout.

    python bench/completion_time.py --index-dir /tmp/scaling/ix84132 [--baseline CHECKOUT] [--rounds 2] [--show 20]
        [--first-words | --before-tone | --telex | --telex-last
         | --next-word DOCS [--words-before 3-7] [--letters 1] [--half-marked | --after-space] | --numbers DOCS]

The prefixes are what a visitor has typed part way through the second or third word of `bench/speed.py`'s queries (2-5
title words, half without diacritics): ``cải cách h``, ``cai c``; with --first-words, the first four letters of their
first word (``Diệu``, ``trún``, ``ubnd``), the prefixes `bench/speed.py` sends to `/api/suggest`; with --before-tone,
the queries typed with diacritics as a Vietnamese keyboard shows them before the tone of their last word (``cải cách
hành chinh``; with --telex, as typed in Telex without a Vietnamese keyboard, ``cair cachs hanhf chinh``; with
--telex-last, without diacritics but for their last word, typed whole in Telex, ``cai cach hanh chinhs``), and how many
are offered a completion that starts with the query meant; with --next-word DOCS (an index of the first DOCS VNTC
articles, ``bench/restoration.py``'s), held-out titles (VNTC's after those, VietNews's) cut after 3-7 of their words
(--words-before 1-1: after their first, the prefixes of a query's second word, ``gia v``) and the first letter of the
next (--letters 2: its first two, where it has more, as a keyboard shows them, ``thời ti`` of *thời tiết*), with and
without diacritics (``ủy ban nhân dân t``; with --half-marked, the first half of their words with diacritics and the
rest without, ``ủy ban nhan dan t``; with --after-space, the space after their last whole word and no letter of the
next, ``ủy ban nhân dân ``), how many are offered the title's next word first, and at all, how many of the title's words
the longest completion that starts it gives (the word being typed and those after it), and how many completions that
start the title end inside one of its words as underthesea segments it (*ubnd thừa* of *UBND Thừa Thiên Huế*); with
--numbers DOCS, held-out titles' runs of two or three words and a number after them, typed without diacritics up to
the number's first digit (``bao cao ngay 1`` of *báo cáo ngày 12*), how many are offered the words as the title
writes them before that digit, how many the title's whole number after them, and how many completions end on two
numbers side by side (*ngày 30 4*: two numbers to the search, where the articles wrote a date). Each
code, in a process of its own (its package first on PYTHONPATH), opens the index (built beforehand, e.g. by
`bench/scaling.py --keep`) and computes the completions of every prefix once (``results.complete``, as `/api/suggest`
does for a prefix its worker does not keep), --rounds times, alternated: the median, p99 and slowest time of a
completion, how many prefixes are offered nothing, how many completions of a prefix typed with diacritics spell one of
its whole words (those before the one being typed, all of them after a space) otherwise (``thông tư `` → *thông từ*),
how many completions are written without diacritics where another writes their letters with them (*hoc sinh* beside *học
sinh*), how many completions of several words end on a grammatical word (a conjunction, preposition, determiner, adverb
or particle by underthesea's part-of-speech tags: *hà nội và*), how many words the titles offered cut keep (a title of
more than 12 words, less its last one), then, with --baseline, how many prefixes are offered a different first
completion, and how many any different completion, --show of each.
"""

from __future__ import annotations

import random
import re
import statistics
import unicodedata

from common import compared_codes, comparing, percentile, run_script
from restoration import syllables, vietnews
from speed import load_vntc, make_queries, suggest_prefixes
from underthesea import pos_tag, word_tokenize

from search_service.analysis import fold_diacritics, has_diacritics, normalize_text
from search_service.keyboard import is_syllable
from search_service.results import NUMBERS_APART_RE

MEASURE = """
import json, sys, time
from pathlib import Path
from search_service.analysis import analyze
from search_service.results import complete
from search_service.searcher import SearchEngine
analyze("khởi động")  # the segmentation model, which a worker loads before its first request
engine = SearchEngine(Path(sys.argv[1]))
vocabulary = engine.vocabulary()
complete(vocabulary, "khởi đ", synonyms=engine.synonyms)
times, offered = [], []
for prefix in json.loads(sys.stdin.read()):
    started = time.perf_counter()
    found = complete(vocabulary, prefix, synonyms=engine.synonyms)
    times.append(time.perf_counter() - started)
    offered.append(found)
print(json.dumps({"times": times, "offered": offered}, ensure_ascii=False))
"""


def before_tone(word: str) -> str:
    """A word as a Vietnamese keyboard (Telex, VNI) shows it before its tone key: its other marks typed."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    return unicodedata.normalize("NFC", "".join(c for c in unicodedata.normalize("NFD", word) if c not in tones))


TELEX_LETTERS = {"â": "aa", "ê": "ee", "ô": "oo", "ơ": "ow", "ư": "uw", "ă": "aw", "đ": "dd"}
TELEX_TONES = {"\u0301": "s", "\u0300": "f", "\u0309": "r", "\u0303": "x", "\u0323": "j"}


def telex(word: str) -> str:
    """A word as typed in Telex without a Vietnamese keyboard: its letters' marks as doubled letters or ``w``, its
    tone as a key after its letters (``cải`` → ``cair``)."""
    letters = before_tone(word)
    tones = [TELEX_TONES[c] for c in unicodedata.normalize("NFD", word) if c in TELEX_TONES]
    return "".join(TELEX_LETTERS.get(c, c) for c in letters) + "".join(tones)


def next_word_prefixes(
    docs: int,
    count: int = 1000,
    seed: int = 3,
    half_marked: bool = False,
    words_before: tuple[int, int] = (3, 7),
    after_space: bool = False,
    letters: int = 1,
) -> tuple[dict[str, str], dict[str, str]]:
    """``count`` held-out titles of each corpus (VNTC's after the first ``docs``, VietNews's), each cut after 3-7 of
    its words (``words_before``; a seeded number) and the first letter of the next (``letters``: its first letters,
    where it has more, as a keyboard showing marks as they are typed writes them, *ti* of *tiết*, *hoà* of *hoàng*):
    each prefix, with and without diacritics (with ``half_marked``: its first half of whole words with diacritics and
    the rest without, where each half has some; with ``after_space``, cut after the space, no letter of the next
    word), → the words meant, the next one whole; and each prefix → the whole title's words."""
    wanted: dict[str, str] = {}
    whole: dict[str, str] = {}
    for titles in ([r["title"] for r in load_vntc(None)[docs:]], [r["title"] for r in vietnews()[docs:]]):
        rng, made = random.Random(seed), 0
        for title in titles:
            words = syllables(title)
            if len(words) < 5:
                continue
            cut = rng.randint(words_before[0], min(len(words) - 1, words_before[1]))
            if not all(word.isalpha() and is_syllable(word) for word in words[: cut + 1]):
                continue
            if len(words[cut]) <= letters:  # the word typed whole: not being typed
                continue
            typed = " ".join(words[:cut]) + " " + ("" if after_space else words[cut][:letters])
            forms = [typed, fold_diacritics(typed)]
            if half_marked:
                half = cut // 2
                if not has_diacritics(" ".join(words[:half])) or not has_diacritics(" ".join(words[half:cut])):
                    continue
                bare = [fold_diacritics(w) for w in words[half:cut]]
                forms = [" ".join(words[:half] + bare) + " " + words[cut][:letters]]
            for form in forms:
                wanted[form] = " ".join(words[: cut + 1])
                whole[form] = " ".join(words)
            made += 1
            if made == count:
                break
    return wanted, whole


NUMBER_AFTER_WORDS_RE = re.compile(r"(?:^|\s)((?:[^\W\d_]+ ){2,3})(\d{1,4})\b")


def number_prefixes(docs: int, count: int = 1000) -> dict[str, tuple[str, str]]:
    """The first ``count`` runs of two or three words and a number (one to four digits) of the held-out titles of
    each corpus (VNTC's after the first ``docs``, VietNews's), in lower case, each typed without diacritics up to
    the number's first digit: the prefix → the words as the title writes them, and the number."""
    found: dict[str, tuple[str, str]] = {}
    for titles in ([r["title"] for r in load_vntc(None)[docs:]], [r["title"] for r in vietnews()[docs:]]):
        made = 0
        for title in titles:
            for match in NUMBER_AFTER_WORDS_RE.finditer(normalize_text(title).lower()):
                words, number = match.group(1).strip(), match.group(2)
                prefix = f"{fold_diacritics(words)} {number[0]}"
                if prefix not in found and all(is_syllable(word) for word in words.split()):
                    found[prefix] = (words, number)
                    made += 1
            if made >= count:
                break
    return found


def respells(prefix: str, offered: str) -> bool:
    """Whether a completion of a prefix typed with diacritics spells one of its whole words (those before the one
    being typed; all of them after a space) otherwise, its letters the same (``thông tư `` → *thông từ*)."""
    if not has_diacritics(prefix):
        return False
    typed = syllables(prefix)
    whole = typed if prefix[-1:].isspace() else typed[:-1]
    given = syllables(offered)[: len(whole)]
    return [fold_diacritics(w) for w in given] == [fold_diacritics(w) for w in whole] and any(
        has_diacritics(typed) and written != typed for typed, written in zip(whole, given, strict=True)
    )


# underthesea's part-of-speech tags of the words that start or join what follows them: conjunctions (C, Cc),
# prepositions (E), determiners (L: *các*, *những*), adverbs (R: *đã*, *sẽ*, *vừa*) and particles (T).
GRAMMATICAL = {"C", "Cc", "E", "L", "R", "T"}


def grammatical_ends(phrases: list[str]) -> list[str]:
    """The phrases whose last word underthesea tags as a grammatical word (*hà nội và*, *tài năng của*): a query
    seldom ends so, and a completion that does offers the start of another phrase."""
    tags: dict[str, str] = {}
    for phrase in phrases:
        if phrase not in tags:
            tagged = pos_tag(phrase)
            tags[phrase] = tagged[-1][1] if tagged else ""
    return [phrase for phrase in phrases if tags[phrase] in GRAMMATICAL]


def words_given(offered: list[str], typed: str, title: str) -> int:
    """The words of a title a visitor who typed ``typed`` gets by choosing the longest completion that is the
    title's start, syllable for syllable: the word being typed and those after it (0 when no completion is)."""
    meant = title.split()
    starting = [len(words) for words in map(syllables, offered) if words == meant[: len(words)]]
    return max(starting) - (len(typed.split()) - 1) if starting else 0


def ends_inside_a_word(offered: list[str], title: str) -> int:
    """How many completions that are a title's start, syllable for syllable, end inside one of its words as underthesea
    segments the title (*ubnd thừa* of *UBND Thừa Thiên Huế*, *cải cách hoạt* of *cải cách hoạt động*)."""
    meant = title.split()
    ends, at = set(), 0
    for word in word_tokenize(title):
        at += len(syllables(word))
        ends.add(at)
    return sum(
        1
        for words in map(syllables, offered)
        if len(words) > 1 and words == meant[: len(words)] and len(words) not in ends
    )


def main() -> None:
    parser = comparing(__doc__, rounds=2)
    parser.add_argument("--show", type=int, default=20, help="prefixes offered a different first completion to show")
    parser.add_argument("--first-words", action="store_true", help="the prefixes bench/speed.py sends to /api/suggest")
    parser.add_argument(
        "--before-tone",
        action="store_true",
        help="the queries typed with diacritics as a Vietnamese keyboard shows them before their last tone",
    )
    parser.add_argument(
        "--telex", action="store_true", help="the same queries typed in Telex without a Vietnamese keyboard"
    )
    parser.add_argument(
        "--telex-last",
        action="store_true",
        help="the queries typed without diacritics but for their last word, typed whole in Telex",
    )
    parser.add_argument(
        "--next-word",
        type=int,
        metavar="DOCS",
        help="held-out titles cut before their next word's second letter (the index holds the first DOCS of VNTC)",
    )
    parser.add_argument(
        "--numbers",
        type=int,
        metavar="DOCS",
        help="held-out titles' words and the number after them, typed without diacritics to the number's first digit",
    )
    parser.add_argument(
        "--half-marked",
        action="store_true",
        help="with --next-word: the first half of each prefix's whole words with diacritics, the rest without",
    )
    parser.add_argument(
        "--after-space",
        action="store_true",
        help="with --next-word: each prefix cut after its last whole word's space, no letter of the next",
    )
    parser.add_argument(
        "--letters",
        type=int,
        default=1,
        help="with --next-word: the next word's first letters typed, where it has more (2: *ti* of *tiết*)",
    )
    parser.add_argument(
        "--words-before",
        default="3-7",
        metavar="LEAST-MOST",
        help="with --next-word: how many whole words a prefix has before the one being typed (1-1: the second word)",
    )
    args = parser.parse_args()
    queries = make_queries(load_vntc(None), 1000)
    wanted: dict[str, str] = {}  # with --before-tone, --telex or --next-word, each prefix's words meant
    titles: dict[str, str] = {}  # with --next-word, each prefix's whole title
    numbered: dict[str, tuple[str, str]] = {}  # with --numbers, each prefix's words and number meant
    if args.numbers:
        numbered = number_prefixes(args.numbers)
        prefixes = sorted(numbered)
    elif args.next_word:
        least, most = (int(n) for n in args.words_before.split("-"))
        wanted, titles = next_word_prefixes(
            args.next_word,
            half_marked=args.half_marked,
            words_before=(least, most),
            after_space=args.after_space,
            letters=args.letters,
        )
        prefixes = sorted(wanted)
    elif args.first_words:
        prefixes = suggest_prefixes(queries)
    elif args.telex_last:
        for query in queries:
            words = query.lower().split()
            last = telex(words[-1])
            if len(words) > 1 and last != fold_diacritics(words[-1]):  # the last word needs a key
                wanted[" ".join([*map(fold_diacritics, words[:-1]), last])] = query.lower()
        prefixes = sorted(wanted)
    elif args.before_tone or args.telex:
        for query in queries:
            words = query.lower().split()
            toneless = before_tone(words[-1])
            if len(words) > 1 and toneless != words[-1]:
                typed = [telex(w) for w in words[:-1]] + [telex(toneless)] if args.telex else [*words[:-1], toneless]
                wanted[" ".join(typed)] = query.lower()
        prefixes = sorted(wanted)
    else:
        prefixes = sorted(
            {" ".join(q.split()[:2])[:-1] for q in queries if len(q.split()) >= 2}
            | {" ".join(q.split()[:3])[:-2] for q in queries if len(q.split()) >= 3}
        )
    codes = compared_codes(args.baseline)
    times: dict[str, list[float]] = {name: [] for name, _ in codes}
    offered: dict[str, list[list[str]]] = {}
    for _ in range(args.rounds):
        for name, checkout in codes:
            result = run_script(MEASURE, checkout, prefixes, str(args.index_dir))
            times[name].extend(result["times"])
            offered[name] = result["offered"]
    print(f"{len(prefixes)} prefixes, each computed once a round, {args.rounds} rounds")
    for name, _ in codes:
        taken = times[name]
        slowest = sorted(zip(taken, prefixes * args.rounds, strict=True), reverse=True)[:3]
        print(
            f"{name:9s} a completion: median {statistics.median(taken) * 1000:.2f} ms, "
            f"p99 {percentile(taken, 0.99) * 1000:.2f} ms, slowest "
            + ", ".join(f"{prefix!r} {seconds * 1000:.2f} ms" for seconds, prefix in slowest)
        )
    for name, _ in codes:
        print(f"{name:9s} prefixes offered nothing: {sum(not found for found in offered[name])} of {len(prefixes)}")
        if wanted and args.next_word:
            # A completion offers the words meant when its first words are they, syllable for syllable.
            heads = [
                [syllables(o)[: len(wanted[prefix].split())] for o in found]
                for prefix, found in zip(prefixes, offered[name], strict=True)
            ]
            meant = [wanted[prefix].split() for prefix in prefixes]
            first = sum(bool(h) and h[0] == m for h, m in zip(heads, meant, strict=True))
            anywhere = sum(m in h for h, m in zip(heads, meant, strict=True))
            print(f"{name:9s} offered the title's next word first: {first}, at all: {anywhere} of {len(prefixes)}")
            # A completion that goes on past the next word saves the visitor typing those words too, if it is right.
            saved = [
                words_given(found, prefix, titles[prefix])
                for prefix, found in zip(prefixes, offered[name], strict=True)
            ]
            print(
                f"{name:9s} title words a completion that starts the title gives: {sum(saved)} in all, "
                f"{sum(n > 1 for n in saved)} prefixes given more than the next word"
            )
            inside = sum(
                ends_inside_a_word(found, titles[prefix]) for prefix, found in zip(prefixes, offered[name], strict=True)
            )
            print(f"{name:9s} completions that start the title and end inside one of its words: {inside}")
        elif numbered:
            read = whole = 0
            for prefix, found in zip(prefixes, offered[name], strict=True):
                words, number = numbered[prefix]
                completed = [o.lower() for o in found]
                read += any(o.startswith(f"{words} {number[0]}") for o in completed)
                whole += any(o == f"{words} {number}" or o.startswith(f"{words} {number} ") for o in completed)
            phrases = [o for found in offered[name] for o in found if o == o.lower()]  # not the titles
            side_by_side = sum(bool(NUMBERS_APART_RE.search(o)) for o in phrases)
            print(
                f"{name:9s} the words as the title writes them: {read}; its number after them: {whole}; of "
                f"{len(prefixes)}; completions (no title) with two numbers side by side: {side_by_side}"
            )
        elif wanted:
            meant = sum(
                any(o.lower().startswith(wanted[prefix]) for o in found)
                for prefix, found in zip(prefixes, offered[name], strict=True)
            )
            print(f"{name:9s} offered the query meant (a completion starting with it): {meant} of {len(prefixes)}")
        respelt = sum(respells(prefix, o) for prefix, found in zip(prefixes, offered[name], strict=True) for o in found)
        print(f"{name:9s} completions that spell a whole word typed with diacritics otherwise: {respelt}")
        twins = sum(
            not has_diacritics(o)
            and fold_diacritics(o).lower() in {fold_diacritics(p).lower() for p in found if p != o}
            for found in offered[name]
            for o in found
        )
        print(f"{name:9s} completions without diacritics whose letters another one writes with them: {twins}")
        phrases = [o for found in offered[name] for o in found if not o.endswith(" …") and " " in o]
        ending = grammatical_ends(phrases)
        print(
            f"{name:9s} completions of several words (no title) that end on a grammatical word: {len(ending)} of "
            f"{len(phrases)}; {sum(len(found) for found in offered[name])} completions in all"
        )
        # A title longer than 12 words is offered cut, less its last word: how many words the cut ones keep.
        kept = [len(o[: -len(" …")].split()) for found in offered[name] for o in found if o.endswith(" …")]
        if kept:
            print(
                f"{name:9s} cut titles offered: {len(kept)}, keeping a median of {statistics.median(kept)} words; "
                f"{sum(k < 9 for k in kept)} keep fewer than 9 of the 12"
            )
    if args.baseline:
        differing = [
            (prefix, mine[:3], theirs[:3])
            for prefix, mine, theirs in zip(prefixes, offered["this"], offered["baseline"], strict=True)
            if mine[:1] != theirs[:1]
        ]
        print(f"first completion differing: {len(differing)} of {len(prefixes)}")
        for prefix, mine, theirs in differing[: args.show]:
            print(f"  {prefix!r}: {mine} (baseline {theirs})")
        changed = [
            (prefix, [o for o in theirs if o not in mine], [o for o in mine if o not in theirs])
            for prefix, mine, theirs in zip(prefixes, offered["this"], offered["baseline"], strict=True)
            if mine != theirs
        ]
        print(f"completions differing at all: {len(changed)} of {len(prefixes)}")
        for prefix, dropped, added in changed[: args.show]:
            print(f"  {prefix!r}: not offered {dropped}, offered {added}")


if __name__ == "__main__":
    main()
