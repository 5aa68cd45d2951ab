"""Spelling suggestions: right queries left alone, slips offered (or searched as) the right words.

    python bench/spelling.py [--index-dir /tmp/restore/vntc] [--docs 21000] [--queries 1000] [--seed 5]
                             [--baseline /tmp/before] [--kinds "no h;bare, no h"]

The index holds the first --docs VNTC articles (``bench/restoration.py``'s, built here if missing). The queries are
2-5 syllables of whole words (``restoration.fragments``, their punctuation left out) of the titles of articles it
does not hold: VNTC's after the first --docs, and VietNews's; only those written with diacritics, --queries of each.
Each is searched three ways:

  as written     no spelling should be offered
  another tone   one syllable's tone changed to another the index knows (a key pressed for another, Telex's ``f``
                 for ``r``; or a tone left out): the query as written should be offered
  hỏi / ngã      one syllable's hỏi written as ngã or back, where the index knows that spelling (the commonest slip)
  a letter       one letter of one syllable dropped, doubled, swapped with the next or typed as a key beside it on a
                 QWERTY keyboard, making a syllable the index never holds (``cahc``, ``thuw``, ``ngi``)
  another word   the same slips, making another syllable the index holds (``các`` for *cách*, ``vện`` for
                 *viện*, ``chin`` for *chính*), one that differs by its letters, not by its marks only; and the same
                 without diacritics (``bare, another word``: ``cai cac hanh chinh``, the query's letters should be
                 offered)
  half a horn    one syllable's *ươ* written with one of its horns, *uơ* or *ưo* (``nguời``, ``ngưòi``), as a keyboard
                 that puts the horn on one vowel of the pair writes it
  no h           one syllable's *ngh* or *gh* written without its *h* (``ngiệp``, ``gế``), a start Vietnamese spelling
                 never writes, in --queries fragments that hold one (of all the held-out titles' fragments); and the
                 same without diacritics (``bare, no h``: the query's letters should be offered)
  a vowel's mark one syllable's *â*, *ă*, *ê*, *ô* written without its mark, or its *ư*, *ơ* without their horns
                 (``sân bây`` for *sân bay* the other way: Telex's *aa*, *aw*, *ow* typed once), where the index holds
                 that spelling too (one it lacks is ``a letter``'s)
  …, all         as written and another tone, typed in the advanced form's "all these words": its spelling offered
                 (``field_suggestions``)
  d for đ        one syllable's *đ* typed as *d* (``dầu tư``, ``Dà Nẵng``: Telex's *dd* typed once, a phone's *đ* not
                 held down), in --queries fragments that hold one; ``đ for d`` the other way (``đi động``)

and the same queries without diacritics (``bare``): as written (a spelling offered is a false alarm only when its
letters differ from the typed ones: the accented spelling is what should be offered), with a letter slipped, with
no spaces (``caicachhanhchinh``) and with two syllables joined (``gia vang hanoi``): right when the spelling offered
or searched has the query's letters. ``bare, cased`` is the fragment without diacritics in the title's case (``Nha
Trang``, ``Ha Noi``): right when the spelling offered is the title's, syllable for syllable; the others offered are
counted apart (another reading of some syllable). ``names, no marks`` are names the held-out titles write without
diacritics (two or more capitalised syllables in a row: ``Nha Trang``, ``Ba Lan``, ``Park Hang Seo``), typed so: any
spelling offered is a false alarm. ``foreign, unheld`` are words of another language the held-out titles write and the
index never holds (``gattuso``, ``robinho``), each typed alone in lower case: a spelling offered or searched that
splits the word into syllables (``gat tu so``) is a false alarm; one read as another word is counted apart, with those
of them whose first letter is another (``ebay`` → *bay*: seldom a slip mended, as ``irna`` → *iran* may be).

Offered means the page's "Có phải bạn muốn tìm" (``suggestion``) or results shown for another spelling
(``corrected_from``). Printed for each code: right queries offered a spelling, slips offered the query as written
(and of those, searched as it: the page's results are of the words meant), and the search time of each kind, median
and p99 (the suggestion is looked for in every search of an accented query). With --baseline, another checkout's code
(``git worktree add /tmp/before <commit>``) answers the same queries on the same index in a process of its own, in
the same run.
"""

from __future__ import annotations

import random
import statistics
import unicodedata

from common import compared_codes, percentile, run_script
from restoration import fragments, report_build, vietnews, vntc_articles, vntc_parser
from speed import load_vntc

from search_service.analysis import fold_diacritics, has_diacritics, normalize_text, split_syllables
from search_service.keyboard import is_syllable
from search_service.results import D_SWAPPED, KEYS_BESIDE, VOWEL_MARKS, other_tones, slips
from search_service.searcher import SearchEngine

# Run in a process of its own with a checkout's package first on its path: each query's suggestion, the spelling
# its results were shown for (None: as typed), and the search's time in milliseconds.
SEARCH = """
import json, sys, time
from search_service.query import SearchRequest
from search_service.searcher import SearchEngine
request = json.load(sys.stdin)
engine = SearchEngine(request["index"])
engine.search(SearchRequest(q="hà nội"))  # the index opened and its vocabulary read
answers = []
for q in request["queries"]:
    started = time.perf_counter()
    found = engine.search(SearchRequest(**q) if isinstance(q, dict) else SearchRequest(q=q))
    seconds = time.perf_counter() - started
    if isinstance(q, dict):  # the advanced form's "all these words": the spelling offered for that field
        answers.append([found.get("field_suggestions", {}).get("all"), None, seconds * 1000])
        continue
    # Results shown for another spelling; a query searched as typed, only so spelled (a name without its marks:
    # "kết quả chứa đúng"), is not.
    corrected = found["query"]["q"] if found["query"]["corrected_from"] not in (None, found["query"]["q"]) else None
    answers.append([found["suggestion"], corrected, seconds * 1000])
print(json.dumps(answers, ensure_ascii=False))
"""


def slipped(query: str, known: dict, rng: random.Random, hoi_nga: bool) -> str | None:
    """The query with one seeded syllable's tone changed to another the index knows: any other (or none), or only
    hỏi for ngã and back; None when no syllable has one."""
    syllables = [s.text for s in split_syllables(query)]
    places = list(range(len(syllables)))
    rng.shuffle(places)
    for at in places:
        if hoi_nga:  # the hỏi-ngã slips only (``slips`` also writes a final i as y and back, a đ as d and back)
            typed = syllables[at]
            forms = {
                form for form in slips(typed) if fold_diacritics(form) == fold_diacritics(typed) and form[0] == typed[0]
            }
        else:
            forms = other_tones(syllables[at])
        others = sorted(form for form in forms if form in known)
        if others:
            return " ".join([*syllables[:at], rng.choice(others), *syllables[at + 1 :]])
    return None


def horn_slipped(query: str, rng: random.Random) -> str | None:
    """The query with one seeded syllable's *ươ* written with one horn, seeded: *uơ* or *ưo* (``nguời``, ``ngưòi``);
    None when no syllable has an *ươ*."""
    syllables = query.split()
    pair = "u\u031bo\u031b"  # ươ decomposed: a tone after it, not between
    places = [at for at, syllable in enumerate(syllables) if pair in unicodedata.normalize("NFD", syllable).lower()]
    if not places:
        return None
    at = rng.choice(places)
    decomposed = unicodedata.normalize("NFD", syllables[at])
    u = decomposed.lower().index(pair)
    cut = rng.choice((u + 1, u + 3))  # the horn after the u, or after the o
    slip = unicodedata.normalize("NFC", decomposed[:cut] + decomposed[cut + 1 :])
    return " ".join([*syllables[:at], slip, *syllables[at + 1 :]])


def letter_slipped(query: str, held: set[str], rng: random.Random, into_held: bool = False) -> str | None:
    """The query with one seeded letter of one seeded syllable dropped, doubled, swapped with the next or typed as a
    key beside it, making a syllable not in ``held``, or (``into_held``) one in it whose letters are another
    syllable's, not only its marks (``các`` for *cách*, ``vện`` for *viện*); None when no such slip is found."""
    syllables = query.split()
    places = [at for at, syllable in enumerate(syllables) if syllable.isalpha() and len(syllable) > 1]
    rng.shuffle(places)
    for at in places:
        word = syllables[at]
        for _ in range(10):
            i = rng.randrange(len(word))
            kind = rng.choice(("drop", "double", "swap", "beside"))
            if kind == "drop":
                slip = word[:i] + word[i + 1 :]
            elif kind == "double":
                slip = word[:i] + word[i] + word[i:]
            elif kind == "swap" and i + 1 < len(word):
                slip = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
            elif kind == "beside" and word[i] in KEYS_BESIDE:
                slip = word[:i] + rng.choice(KEYS_BESIDE[word[i]]) + word[i + 1 :]
            else:
                continue
            if not slip or (slip in held) != into_held:
                continue
            if into_held and (fold_diacritics(slip) == fold_diacritics(word) or not is_syllable(slip)):
                continue
            return " ".join([*syllables[:at], slip, *syllables[at + 1 :]])
    return None


def h_dropped(query: str, rng: random.Random) -> str | None:
    """The query with one seeded syllable's *ngh* or *gh* written without its *h* (``ngiệp``, ``gế``: a start that
    Vietnamese spelling never writes); None when no syllable has one."""
    syllables = query.split()
    places = [at for at, syllable in enumerate(syllables) if syllable.lower().startswith(("ngh", "gh"))]
    if not places:
        return None
    at = rng.choice(places)
    word = syllables[at]
    cut = word.lower().index("h")
    return " ".join([*syllables[:at], word[:cut] + word[cut + 1 :], *syllables[at + 1 :]])


MARKS = {mark for marks in VOWEL_MARKS.values() for mark in marks if mark}  # circumflex, breve, horn


def mark_dropped(query: str, known: dict, rng: random.Random) -> str | None:
    """The query with one seeded syllable's vowel mark left out (its circumflex or breve, or every horn: ``ươ`` as
    ``uo``), the tone kept, where the index holds the spelling that makes; None when no syllable makes one."""
    syllables = query.split()
    places = list(range(len(syllables)))
    rng.shuffle(places)
    for at in places:
        decomposed = unicodedata.normalize("NFD", syllables[at])
        marks = [mark for mark in sorted(MARKS) if mark in decomposed]
        if not marks:
            continue
        slip = unicodedata.normalize("NFC", decomposed.replace(rng.choice(marks), ""))
        if normalize_text(slip) in known:
            return " ".join([*syllables[:at], slip, *syllables[at + 1 :]])
    return None


def d_swapped(query: str, rng: random.Random, start: str) -> str | None:
    """The query with one seeded syllable that starts with ``start`` (*đ* or *d*) starting with the other letter, in
    its case; None when no syllable starts so."""
    syllables = query.split()
    places = [at for at, syllable in enumerate(syllables) if syllable[:1].lower() == start]
    if not places:
        return None
    at = rng.choice(places)
    word = syllables[at]
    swapped = D_SWAPPED[word[0]] + word[1:]
    return " ".join([*syllables[:at], swapped, *syllables[at + 1 :]])


def joined(query: str, rng: random.Random) -> str:
    """A query with the space between two of its syllables left out (``gia vang hanoi``)."""
    words = query.split()
    if len(words) < 2:
        return query
    at = rng.randrange(len(words) - 1)
    return " ".join([*words[:at], words[at] + words[at + 1], *words[at + 2 :]])


def cased(fragment: str) -> str:
    """A fragment's syllables in their case (NFC, no punctuation): a query typed as the title writes it."""
    text = unicodedata.normalize("NFC", fragment)
    return " ".join(text[s.start : s.end] for s in split_syllables(text))


def same(offered: str, original: str) -> bool:
    """Whether a spelling offered is the original's, syllable for syllable (case and tone placement aside)."""
    return normalize_text(offered).split() == normalize_text(original).split()


def unmarked_names(titles: list[str], known: dict) -> list[str]:
    """Names the titles write without diacritics, as typed right: runs of two or more capitalised syllables without
    marks (``Nha Trang``, ``Park Hang Seo``), one of them at least a syllable the index also writes with marks (one
    that could be restored); each once, in the titles' order."""
    marked = {fold_diacritics(syllable) for syllable in known if has_diacritics(syllable)}
    found: dict[str, None] = {}
    for title in titles:
        text = unicodedata.normalize("NFC", title)
        run: list[str] = []
        for syllable in [*split_syllables(text), None]:
            word = text[syllable.start : syllable.end] if syllable else ""
            if word[:1].isupper() and word.isalpha() and not has_diacritics(word) and not word.isupper():
                run.append(word)
                continue
            if len(run) > 1 and any(w.lower() in marked for w in run):
                found.setdefault(" ".join(run))
            run = []
    return list(found)


def unheld_foreign(titles: list[str], known: dict) -> list[str]:
    """Words of another language the titles write and the index never holds (names it lacks: ``Gattuso``,
    ``Robinho``), in lower case as a search box often gets them: runs of four or more letters without diacritics that
    are no Vietnamese syllable; each once, in the titles' order."""
    found: dict[str, None] = {}
    for title in titles:
        text = unicodedata.normalize("NFC", title)
        for syllable in split_syllables(text):
            word = text[syllable.start : syllable.end].lower()
            if len(word) > 3 and word.isascii() and word.isalpha() and not is_syllable(word) and word not in known:
                found.setdefault(word)
    return list(found)


def main() -> None:
    parser = vntc_parser(__doc__, 1000, 5)
    parser.add_argument("--kinds", help="the kinds of query to search, by name, separated by semicolons (default: all)")
    args = parser.parse_args()
    records = load_vntc(None)
    report_build(args.index_dir, vntc_articles(records[: args.docs]))
    known = SearchEngine(args.index_dir).vocabulary().known
    folded_known = {fold_diacritics(syllable) for syllable in known}
    news = vietnews()
    held_out = {
        "VNTC": [r["title"] for r in records[args.docs :]],
        # The index holds no VietNews article: those past --docs, as restoration.py takes them, or its last 2,000.
        "VietNews": [r["title"] for r in news[args.docs :] or news[-2000:]],
    }
    for name, titles in held_out.items():
        rng = random.Random(args.seed)
        # As a search box gets them: the syllables alone, lower case (no title's punctuation); and in their case.
        cut = [
            (" ".join(s.text for s in split_syllables(normalize_text(f))), cased(f))
            for f in fragments(titles, args.seed)
        ]
        every = [(q, c) for q, c in cut if has_diacritics(q)]
        cut = every[: args.queries]
        written = [q for q, _ in cut]
        # Few fragments hold a ngh or gh: those of every fragment that do, as many.
        with_h = [q for q, _ in every if any(w.lower().startswith(("ngh", "gh")) for w in q.split())][: args.queries]
        kinds = {"as written": [(q, q) for q in written]}
        for kind, hoi_nga in (("another tone", False), ("hỏi / ngã", True)):
            kinds[kind] = [(slip, q) for q in written if (slip := slipped(q, known, rng, hoi_nga))]
        kinds["a letter"] = [(slip, q) for q in written if (slip := letter_slipped(q, set(known), rng))]
        kinds["half a horn"] = [(slip, q) for q in written if (slip := horn_slipped(q, rng))]
        bare = [fold_diacritics(q) for q in written]
        kinds["bare"] = [(q, q) for q in bare]
        kinds["bare, cased"] = [(fold_diacritics(c), c) for _, c in cut]
        kinds["names, no marks"] = [(n, n) for n in unmarked_names(titles, known)[: args.queries]]
        kinds["foreign, unheld"] = [(w, w) for w in unheld_foreign(titles, known)[: args.queries]]
        kinds["bare, a letter"] = [(slip, q) for q in bare if (slip := letter_slipped(q, folded_known, rng))]
        kinds["bare, no spaces"] = [(q.replace(" ", ""), q) for q in bare]
        kinds["bare, 2 joined"] = [(joined(q, rng), q) for q in bare]
        kinds["no h"] = [(slip, q) for q in with_h if (slip := h_dropped(q, rng))]
        kinds["bare, no h"] = [(fold_diacritics(slip), q) for slip, q in kinds["no h"]]
        for start, kind in (("đ", "d for đ"), ("d", "đ for d")):
            holding = [q for q, _ in every if any(w[:1] == start for w in q.split())][: args.queries]
            kinds[kind] = [(slip, q) for q in holding if (slip := d_swapped(q, rng, start))]
        kinds["a vowel's mark"] = [(slip, q) for q in written if (slip := mark_dropped(q, known, rng))]
        # Seeded apart: the other kinds' queries do not depend on this one's.
        apart = random.Random(args.seed + 1)
        kinds["another word"] = [(slip, q) for q in written if (slip := letter_slipped(q, set(known), apart, True))]
        kinds["bare, another word"] = [(fold_diacritics(slip), q) for slip, q in kinds["another word"]]
        # The same in the advanced form's "all these words".
        kinds["as written, all"] = kinds["as written"]
        kinds["another tone, all"] = kinds["another tone"]
        print(f"\n# {name}: {len(written)} held-out title fragments written with diacritics, on {args.docs:,} VNTC")
        for code, checkout in compared_codes(args.baseline):
            print(f"{code}:")
            for kind, pairs in kinds.items():
                if args.kinds and kind not in [name.strip() for name in args.kinds.split(";")]:
                    continue
                queries = [{"all": q} if kind.endswith(", all") else q for q, _ in pairs]
                answers = run_script(SEARCH, checkout, {"index": str(args.index_dir), "queries": queries})
                shown = ""
                if kind == "foreign, unheld":
                    wrongly = [
                        f"{q} → {o}"
                        for (s, c, _), (q, _) in zip(answers, pairs, strict=True)
                        if (o := s or c) and len(o.split()) > 1
                    ]
                    # Read as one other word: a slip mended (``irna`` → *iran*), or another word; one with another
                    # first letter (``ebay`` → *bay*) is seldom a slip.
                    others = [
                        (q, o)
                        for (s, c, _), (q, _) in zip(answers, pairs, strict=True)
                        if (o := s or c) and len(o.split()) == 1 and fold_diacritics(o).lower() != q
                    ]
                    started = [f"{q} → {o}" for q, o in others if fold_diacritics(o[0]).lower() != q[0]]
                    offered = len(wrongly)
                    what = f"read as another word {len(others)}, its first letter another {len(started)}; split"
                    shown = "".join(f"\n    {'; '.join(listed[:8])}" for listed in (wrongly, started) if listed)
                elif kind == "names, no marks":
                    wrongly = [f"{q} → {s or c}" for (s, c, _), (q, _) in zip(answers, pairs, strict=True) if s or c]
                    offered, what = len(wrongly), "offered a spelling"
                    shown = f"\n    {'; '.join(wrongly[:8])}" if wrongly else ""
                elif kind in ("as written", "bare", "as written, all"):
                    wrongly = [
                        f"{q} → {s or c}"
                        for (s, c, _), (q, _) in zip(answers, pairs, strict=True)
                        if any(
                            o and fold_diacritics(o) != fold_diacritics(q)
                            for o in ((s, c) if kind == "bare" else (s or c,))
                        )
                    ]
                    offered, what = len(wrongly), "offered other letters" if kind == "bare" else "offered a spelling"
                    shown = f"\n    {'; '.join(wrongly[:8])}" if wrongly else ""
                elif kind == "bare, cased":
                    offers = [s or c for (s, c, _) in answers]
                    offered = sum(1 for o, (_, q) in zip(offers, pairs, strict=True) if o and same(o, q))
                    wrong = sum(1 for o, (_, q) in zip(offers, pairs, strict=True) if o and not same(o, q))
                    what = f"offered other diacritics {wrong} ({wrong / max(len(pairs), 1):.1%}), the title's"
                elif kind.startswith("bare, "):
                    offered = sum(
                        1
                        for (s, c, _), (_, q) in zip(answers, pairs, strict=True)
                        if fold_diacritics(q) in {fold_diacritics(o) for o in (s, c) if o}
                    )
                    what = "offered the query's letters"
                else:
                    offered = sum(1 for (s, c, _), (_, q) in zip(answers, pairs, strict=True) if q in (s, c))
                    searched = sum(1 for (_, c, _), (_, q) in zip(answers, pairs, strict=True) if c == q)
                    what = "offered the query as written"
                    shown = f"; searched as it {searched} ({searched / max(len(pairs), 1):.1%})"
                times = [ms for _, _, ms in answers]
                print(
                    f"  {kind:15} {len(pairs):5}: {what} {offered} ({offered / max(len(pairs), 1):.1%});"
                    f" search {statistics.median(times):.1f} / {percentile(times, 0.99):.1f} ms (median / p99)" + shown
                )


if __name__ == "__main__":
    main()
