"""Queries typed in Telex without a Vietnamese keyboard: how many the search reads as the Vietnamese meant, this code
against another checkout's, on one index.

    python bench/telex_queries.py --index-dir IX [--queries 500] [--baseline CHECKOUT]

The queries are the first 2-4 words of VNTC's test titles, which an index of its first 21,000 articles (all of them
training articles, e.g. ``bench/restoration.py``'s) does not hold: the first --queries of them typed with every
letter's marks as keys (``nguwowif`` for *người*: ``aa``, ``aw``, ``ow``, ``uw``, ``dd``, the tone last), and the
first --queries with an *ư* before a syllable's other vowels typed so and with that *ư* typed as its own key, ``w``
(``ngwowif``; ``nhw`` for *như*), and the first --queries with an *ưa* typed with its ``w`` after the *a*
(``muaw``), as Telex input methods let them be typed. Beside words typed with their marks: the
first --queries beginnings whose last word has diacritics, as the titles write them (right when nothing is read
otherwise), and with that last word typed in Telex in lower case, as a keyboard turned off part-way leaves it. Each
code decodes each query as the search does (``keyboard.repair`` with the index's vocabulary) in a process of its
own: right when it reads every word as the title writes it. Last, the beginnings of three words or more with their
first two words typed in Telex and the others without their marks (``cari cachs hanh chinh``), each searched: right
when the search looks for the words the title writes (the plain ones read beside the decoded ones). And whole
held-out titles (--titles of each corpus), as written and without their marks, none typed in Telex or VNI: how many
are read otherwise (``phim sex`` read *phim sẽ*, ``tàu E1`` *tàu É*), --show of them. And the first result of each
beginning typed with every mark as keys, opened from the results page: whether its article page marks the words the
search read (it read the box as typed, and marked nothing a Telex query was decoded to).
"""

from __future__ import annotations

import argparse
import unicodedata
from pathlib import Path

from common import compared_codes, run_script
from completion_time import telex
from restoration import syllables, vietnews
from speed import load_vntc

from search_service.analysis import fold_diacritics, has_diacritics, split_syllables

DECODE = """
import json, sys
from search_service.keyboard import repair
from search_service.searcher import SearchEngine
known = SearchEngine(sys.argv[1]).vocabulary().known
queries = json.loads(sys.stdin.read())
print(json.dumps([(found or [None])[0] for found in (repair(q, lambda s: known.get(s, 0)) for q in queries)]))
"""

# A query searched: the words the search looked for (decoded, then read as the page says).
SEARCH = """
import json, sys
from search_service.query import SearchRequest
from search_service.searcher import SearchEngine
engine = SearchEngine(sys.argv[1])
print(json.dumps([engine.search(SearchRequest(q=q, per_page=1))["query"]["q"] for q in json.loads(sys.stdin.read())]))
"""


def w_for_u(word: str) -> str:
    """A word typed in Telex with an *ư* before its other vowels typed as ``w`` alone (``ngwowif``)."""
    typed = telex(word)
    at = typed.find("uw")
    first_vowel = next((i for i, c in enumerate(typed) if c in "aeioy"), len(typed))
    return typed[:at] + typed[at + 1 :] if 0 <= at < first_vowel else typed


def w_after_ua(word: str) -> str:
    """A word typed in Telex with the horn of an *ưa* typed after the *a* (``muaw`` for *mưa*, ``chuawx`` for
    *chữa*), as input methods let it be typed."""
    return telex(word).replace("uwa", "uaw", 1)


def held_out_titles(count: int) -> list[str]:
    """The first ``count`` VNTC test titles and the first ``count`` VietNews titles after its first 21,000 (the
    articles ``bench/restoration.py``'s indexes leave out), stripped."""
    vntc = [r["title"].strip() for r in load_vntc(None) if r["split"] == "test" and r["title"].strip()][:count]
    return vntc + [r["title"].strip() for r in vietnews()[21000:][:count] if r["title"].strip()]


def cased(count: int) -> list[list[str]]:
    """The first 2-4 words of the first ``count`` VNTC test titles written with diacritics, as the title writes them
    (its case), each of its words a syllable and the last one with diacritics."""
    found = []
    for record in (r for r in load_vntc(None) if r["split"] == "test"):
        text = unicodedata.normalize("NFC", record["title"])
        words = [text[s.start : s.end] for s in split_syllables(text)][:4]
        if len(words) > 1 and all(w.isalpha() for w in words) and has_diacritics(words[-1]):
            found.append(words)
            if len(found) == count:
                break
    return found


# The first result of each query, opened from the results page: whether its article page marks anything, as the
# search read the query (decoded).
ARTICLE = """
import json, sys
from search_service.web import create_app
client = create_app({"INDEX_DIR": sys.argv[1], "ANALYTICS": False}).test_client()
marked = []
for q in json.loads(sys.stdin.read()):
    hits = client.get("/api/search", query_string={"q": q}).get_json()["hits"]
    page = client.get(f"/articles/{hits[0]['id']}", query_string={"q": q}).get_data(as_text=True) if hits else ""
    marked.append(bool(hits) and "<mark>" in page)
print(json.dumps(marked))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index-dir", type=Path, required=True)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--baseline", type=Path, help="a checkout of the code to compare with (its repository root)")
    parser.add_argument("--titles", type=int, default=20000, help="held-out titles of each corpus read as a whole")
    parser.add_argument("--show", type=int, default=5, help="titles read otherwise to show")
    args = parser.parse_args()
    beginnings, with_u, with_ua = [], [], []
    for record in (r for r in load_vntc(None) if r["split"] == "test"):
        words = syllables(record["title"])[:4]
        if len(words) < 2 or not all(w.isalpha() for w in words):
            continue
        if len(beginnings) < args.queries:
            beginnings.append(" ".join(words))
        if any(w_for_u(w) != telex(w) for w in words) and len(with_u) < args.queries:
            with_u.append(" ".join(words))
        if any(w_after_ua(w) != telex(w) for w in words) and len(with_ua) < args.queries:
            with_ua.append(" ".join(words))
        if len(with_u) == len(with_ua) == len(beginnings) == args.queries:
            break
    # Beside words typed with their marks: the titles' beginnings as written (to be left alone), in their case, and
    # with their last word typed in Telex in lower case (a keyboard turned off part-way).
    written = [" ".join(record_words) for record_words in cased(args.queries)]
    last_keyed = [" ".join([*m.split()[:-1], telex(m.split()[-1].lower())]) for m in written]
    # Keys for the first words, then the keyboard off: the others typed without their marks (``cari cachs hanh
    # chinh``), searched (the search reads the plain words beside the decoded ones).
    halves = [m.split() for m in beginnings if len(m.split()) > 2 and has_diacritics(" ".join(m.split()[2:]))]
    half_keyed = [" ".join([telex(w) for w in m[:2]] + [fold_diacritics(w) for w in m[2:]]) for m in halves]
    # Whole held-out titles (their first 30 words), with their marks and without: none is Telex or VNI.
    whole = [" ".join(t.split()[:30]) for t in held_out_titles(args.titles) if not t.isascii()]
    plain = [fold_diacritics(t) for t in whole]
    forms = {  # what is typed, and what is meant
        "any title, every mark as keys": ([" ".join(telex(w) for w in m.split()) for m in beginnings], beginnings),
        "with ư, every mark as keys": ([" ".join(telex(w) for w in m.split()) for m in with_u], with_u),
        "with ư, ư typed as w": ([" ".join(w_for_u(w) for w in m.split()) for m in with_u], with_u),
        "with ưa, its w after the a": ([" ".join(w_after_ua(w) for w in m.split()) for m in with_ua], with_ua),
        "as written, with their marks": (written, [None] * len(written)),
        "the last word in Telex": (last_keyed, [" ".join([*m.split()[:-1], m.split()[-1].lower()]) for m in written]),
    }
    print(
        f"{len(beginnings)} title beginnings, {len(with_u)} with an ư before a syllable's vowels, "
        f"{len(with_ua)} with an ưa; {args.index_dir}"
    )
    for name, checkout in compared_codes(args.baseline):
        for form, (queries, meant) in forms.items():
            read = run_script(DECODE, checkout, queries, str(args.index_dir))
            right = sum(r == m for r, m in zip(read, meant, strict=True))  # as written: nothing read otherwise
            print(f"  {name:8s} {form:30s} read as meant: {right} of {len(meant)} ({right / len(meant):.1%})")
        # No title is typed in Telex or VNI: every one read otherwise, as written or without its marks, is misread.
        for form, queries in (("titles as written", whole), ("titles without marks", plain)):
            read = run_script(DECODE, checkout, queries, str(args.index_dir))
            wrong = [(q, r) for q, r in zip(queries, read, strict=True) if r is not None]
            print(
                f"  {name:8s} {form:30s} read otherwise: {len(wrong)} of {len(queries)}"
                + "".join(f"\n      {q[:60]!r} → {r[:60]!r}" for q, r in wrong[: args.show])
            )
        keyed = forms["any title, every mark as keys"][0]
        marked = run_script(ARTICLE, checkout, keyed, str(args.index_dir))
        print(
            f"  {name:8s} {'every mark as keys, opened':30s} first result's article page marks:"
            f" {sum(marked)} of {len(keyed)}"
        )
        searched = run_script(SEARCH, checkout, half_keyed, str(args.index_dir))
        right = sum(s == " ".join(m) for s, m in zip(searched, halves, strict=True))
        print(
            f"  {name:8s} {'two words in Telex, then plain':30s} searched as meant: {right} of {len(halves)}"
            f" ({right / len(halves):.1%})"
        )


if __name__ == "__main__":
    main()
