"""Diacritics restoration on text the restorer never saw, both directions: learn from one corpus's index, restore the
other corpus's titles and first sentences with their diacritics stripped.

    python bench/restoration.py [--vntc-index /tmp/restore/vntc] [--vietnews-index /tmp/restore/vietnews]
                                [--docs 20000] [--vntc-docs N] [--sentences 2000] [--baseline CHECKOUT]

Each index is built from the first --docs articles of its corpus when its folder holds none (VNTC: title, body;
VietNews: title, sapo, body), and its vocabulary is what the service restores with. The held-out text of a direction
is the other corpus's titles, 2-5 syllables of whole words of each (a search box's query), and the first sentence of
each article's sapo (VietNews) or body (VNTC), --sentences of each kind, taken from articles past the first --docs
(never indexed). A syllable is right when the restored one equals the original after normalisation (NFC, lower case, one
tone-mark placement); a sentence when all of its syllables are. VNTC's title field holds the title, the photo's
caption and the sapo run together, so its "titles" are long. The restorers:

  this project   ``Syllables.restore``: the index's trigram model (interpolated Kneser-Ney), decoded with the Viterbi
                 algorithm
  with the list  ``vocabulary.restorations`` as the search and "Có phải bạn muốn tìm" read a query: the same model,
                 where the text spells a form of the bundled synonym list written with diacritics, its syllables read
                 so likelier (``Synonyms.spellings``)
  searched       the forms a search looks for (``Restoration.likely``, with the list): the restored one and each
                 other at least ALTERNATIVE_SHARE as likely as it given the whole run; right when the original is
                 among them, and timed as the search runs it (the Viterbi and forward-backward passes)
  baseline       with --baseline: the restorer of another checkout (``git worktree add /tmp/before
                 <commit>``), run in a subprocess on the same index and the same sentences in the same run
  unigram        each syllable's most frequent accented form in the index, alone (a floor to compare with)

Of the 2-5-syllable fragments, typed without diacritics (and punctuation), also how many a search reads surely
(``results.surely_restored``: searched as that spelling) and how many of those spellings are the original's. Of the
titles and the fragments, how many are offered a spelling ("Có phải bạn muốn tìm", ``results.offered_restoration``)
and how many of those offers are right, one syllable wrong, two or more wrong (with --baseline, the baseline's beside).
By length (syllables): up to 4 (a search box query), 5-12, more than 12. Also the time to restore 15-25 syllables,
the model's size, and the resident memory a worker's whole vocabulary (completions and model) takes once loaded.

What this project's restorer gets wrong, by the evidence its sample held for the right spelling: a syllable whose
right form the sample never holds (no model could restore it); one whose right form the sample holds, but never
beside the right syllable before it nor beside the right one after it (the sample has no evidence for it in this
place); and one whose right form the sample has seen beside a right neighbour (evidence the model weighed and
ruled against).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import itertools
import json
import os
import pickle
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from common import DATA, percentile, run_script
from scaling import build
from speed import load_vntc

from search_service import store
from search_service.analysis import as_written, fold_diacritics, normalize_text, segment, split_syllables
from search_service.query import load_synonyms
from search_service.ranking import ALTERNATIVE_SHARE
from search_service.results import offered_restoration, surely_restored
from search_service.vocabulary import NUMBER_BITS, _lookup, build_vocabulary, restorations

BUCKETS = (("up to 4", 1, 4), ("5-12", 5, 12), ("more than 12", 13, 10**6))
ROOT = Path(__file__).resolve().parent.parent  # this checkout
SENTENCE_END = re.compile(r"(?<=[.!?])\s")
LISTED = load_synonyms()  # the bundled synonym list, whose forms a search reads a query by


def syllables(text: str) -> list[str]:
    """A text's syllables after normalisation (NFC, lower case, one tone placement), its punctuation apart, as the
    restorer reads a query's: a number padded with a zero as written (``analysis.as_written``)."""
    return [as_written(syllable) for syllable in split_syllables(normalize_text(text))]


def vntc_articles(records: list[dict]) -> list[dict]:
    """VNTC records as the restorer's index holds them: a title and a body."""
    return [{"id": r["id"], "title": r["title"], "body": r["text"]} for r in records]


def by_title(records: list[dict]) -> dict[str, set[str]]:
    """The ids of the articles of each title (a title's copies among them), in the records' order."""
    found: dict[str, set[str]] = {}
    for record in records:
        found.setdefault(record["title"], set()).add(record["id"])
    return found


def vietnews_articles(records: list[dict]) -> list[dict]:
    """VietNews records as the restorer's index holds them: a title, a sapo and a body."""
    return [{"id": r["id"], "title": r["title"], "summary": r["summary"], "body": r["body"]} for r in records]


def vietnews(limit: int | None = None) -> list[dict]:
    with gzip.open(DATA / "vietnews" / "vietnews_test.jsonl.gz", "rt", encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle]
    return records[:limit] if limit else records


def fragments(titles: list[str], seed: int = 7) -> list[str]:
    """A search box's queries: whole words (as underthesea segments the title) of each title of 6 syllables or more,
    2-5 syllables from a seeded place."""
    rng = random.Random(seed)
    found = []
    for title in titles:
        syllables = split_syllables(title)
        if len(syllables) < 6:
            continue
        words = word_spans(syllables, title)
        first = rng.randrange(len(words))
        last, length = first, rng.randint(2, 5)
        while last + 1 < len(words) and words[last + 1][1] - words[first][0] < length:
            last += 1
        if words[last][1] - words[first][0] >= 1:  # two syllables or more
            found.append(title[syllables[words[first][0]].start : syllables[words[last][1]].end])
    return found


def word_spans(syllables: list, text: str) -> list[tuple[int, int]]:
    """The words of a text (as underthesea segments it), each as its first and last syllable's places."""
    spans = dict(segment(syllables, text))  # first syllable → last, for the words of several syllables
    words, at = [], 0
    while at < len(syllables):
        words.append((at, spans.get(at, at)))
        at = words[-1][1] + 1
    return words


def numbered(texts: list[str]) -> list[str]:
    """A word and the number of one or two digits after it, as the texts write them (``Thông tư 02``, ``quận 1``,
    ``lần thứ 2``), typed as a visitor types a document's or a place's number: in lower case and without the zero a
    number is padded with (``thông tư 2``). The word is underthesea's, of letters only."""
    found = []
    for text in texts:
        syllables = split_syllables(text)
        for (first, last), (number, _) in itertools.pairwise(word_spans(syllables, text)):
            written = syllables[number].text
            if (
                written.isdigit()
                and len(written) <= 2
                and all(syllable.text.isalpha() for syllable in syllables[first : last + 1])
                and text[syllables[last].end : syllables[number].start] == " "
            ):
                found.append(f"{text[syllables[first].start : syllables[last].end].lower()} {int(written)}")
    return found


def first_sentence(text: str) -> str:
    return SENTENCE_END.split(text.strip(), maxsplit=1)[0] if text else ""


def vntc_parser(
    description: str | None, queries: int | None = None, seed: int | None = None, own_indexes: bool = False
) -> argparse.ArgumentParser:
    """The options of a benchmark on an index of the first --docs VNTC articles (--index-dir, built if missing),
    compared with another checkout's code (--baseline); with --queries and --seed where given their defaults; with
    ``own_indexes``, --baseline-index-dir, the index the baseline's code builds (``compared_indexes``)."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index-dir", type=Path, default=Path("/tmp/restore/vntc"))
    parser.add_argument("--docs", type=int, default=21000)
    if queries is not None:
        parser.add_argument("--queries", type=int, default=queries)
    if seed is not None:
        parser.add_argument("--seed", type=int, default=seed)
    parser.add_argument("--baseline", type=Path, help="a checkout of the code to compare with (its repository root)")
    if own_indexes:
        parser.add_argument("--baseline-index-dir", type=Path, help="the index the baseline's code builds and searches")
    return parser


def vntc_index(args: argparse.Namespace) -> list[dict]:
    """The first --docs VNTC articles, as ``vntc_articles`` gives them, indexed in --index-dir (built if missing)."""
    records = vntc_articles(load_vntc(args.docs))
    report_build(args.index_dir, records)
    return records


BUILD = """
import json, sys, time
from pathlib import Path
from search_service import indexer
given = json.load(sys.stdin)
root = Path(given["index"])
started = time.perf_counter()
if (root / "CURRENT").exists():
    print(json.dumps(None))
else:
    root.mkdir(parents=True, exist_ok=True)
    indexer.build(root, [Path(given["source"])])
    print(json.dumps(time.perf_counter() - started))
"""


def compared_indexes(
    parser: argparse.ArgumentParser, args: argparse.Namespace, why: str
) -> tuple[list[dict], dict[str, Path]]:
    """The first --docs VNTC articles (``vntc_index``) and the index each code searches: this code's --index-dir,
    and with --baseline the one its code builds, --baseline-index-dir (``baseline_index``), ``why`` it needs one."""
    if args.baseline and not args.baseline_index_dir:
        parser.error(f"--baseline needs --baseline-index-dir: {why}")
    records = vntc_index(args)
    if args.baseline:
        baseline_index(args, records)
    return records, {"this": args.index_dir, "baseline": args.baseline_index_dir}


def baseline_index(args: argparse.Namespace, records: list[dict]) -> None:
    """The records indexed by the baseline's code (--baseline) in --baseline-index-dir, built if missing, where an
    index holds what its own code's analysis makes of a text."""
    source = args.baseline_index_dir.parent / f"{args.baseline_index_dir.name}.jsonl"
    with open(source, "w", encoding="utf-8") as handle:
        handle.writelines(json.dumps(record, ensure_ascii=False) + "\n" for record in records)
    given = {"index": str(args.baseline_index_dir), "source": str(source)}
    seconds = run_script(BUILD, args.baseline.resolve(), given)
    source.unlink()
    if seconds is not None:
        print(f"baseline index {args.baseline_index_dir}: built in {seconds:.0f} s")


def report_build(index_dir: Path, articles: list[dict]) -> None:
    """Build the index unless its folder holds one (``scaling.build``), and say so."""
    seconds = build(index_dir, articles)
    if seconds is not None:
        print(f"built {index_dir} ({len(articles)} articles) in {seconds:.0f} s")


def score(restore, sentences: list[str]) -> dict:
    """Syllables and sentences restored right, in all and by length; and the restore times of 15-25 syllables."""
    right = {name: [0, 0, 0, 0] for name, _, _ in BUCKETS}  # syllables right, syllables, sentences right, sentences
    times = []
    for sentence in sentences:
        original = syllables(sentence)
        if not original:
            continue
        folded = [fold_diacritics(s) for s in original]
        started = time.perf_counter()
        restored = restore(folded)
        if 15 <= len(folded) <= 25:
            times.append(getattr(restore, "seconds", time.perf_counter() - started))
        # A restorer gives one form per syllable, or the forms it searches (any of them right counts).
        good = sum(
            a == normalize_text(b) if isinstance(b, str) else a in {normalize_text(form) for form in b}
            for a, b in zip(original, restored, strict=True)
        )
        for name, low, high in BUCKETS:
            if low <= len(original) <= high:
                counts = right[name]
                counts[0] += good
                counts[1] += len(original)
                counts[2] += good == len(original)
                counts[3] += 1
    totals = [sum(counts[i] for counts in right.values()) for i in range(4)]
    return {"buckets": right, "all": totals, "times": times}


# Run by the baseline's subprocess: restores the folded sentences it reads, timing each, with the other checkout's code.
RESTORE_ELSEWHERE = """
import json, sys, time
from search_service.searcher import SearchEngine
request = json.load(sys.stdin)
syllables = SearchEngine(request["index"]).vocabulary().syllables
answers = []
for folded in request["sentences"]:
    started = time.perf_counter()
    restored = syllables.restore(folded)
    answers.append([restored, time.perf_counter() - started])
json.dump(answers, sys.stdout)
"""


# Run by the baseline's subprocess: the spelling "Có phải bạn muốn tìm" offers for each text typed without diacritics.
OFFER_ELSEWHERE = """
import json, sys
from search_service.results import offered_restoration
from search_service.searcher import SearchEngine
from search_service.vocabulary import restorations
request = json.load(sys.stdin)
vocabulary = SearchEngine(request["index"]).vocabulary()
json.dump([offered_restoration(text, restorations(text, vocabulary)) for text in request["texts"]], sys.stdout)
"""


# Run by the baseline's code: saves the index's vocabulary as its indexer does.
SAVE_VOCABULARY = """
import pickle, sys
from search_service import store
from search_service.vocabulary import build_vocabulary
with store.open_index(sys.argv[1]).searcher() as searcher:
    vocabulary = build_vocabulary(searcher)
with open(sys.argv[2], "wb") as handle:
    pickle.dump(vocabulary, handle)
"""
# Run in a fresh process: loads a saved vocabulary as a worker does and prints how much its resident memory grew.
LOAD_VOCABULARY = """
import gc, os, pickle, sys
import search_service.vocabulary
def resident():
    return int(open("/proc/self/statm").read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
gc.collect()
before = resident()
with open(sys.argv[1], "rb") as handle:
    vocabulary = pickle.load(handle)
gc.collect()
print(resident() - before)
"""


def run_elsewhere(checkout: Path, script: str, *arguments: str, given: str | None = None) -> str:
    """What a script prints, run by a fresh Python with a checkout's code (python -c puts its working folder first
    on the path, so it runs there)."""
    return subprocess.run(
        [sys.executable, "-c", script, *arguments],
        input=given,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(checkout)},
        cwd=checkout,
    ).stdout


def vocabulary_memory(saved: Path, checkout: Path = ROOT) -> float:
    """The resident memory (MB) a worker takes to load a saved vocabulary, by the code of a checkout."""
    return int(run_elsewhere(checkout, LOAD_VOCABULARY, str(saved))) / 1e6


def baseline_memory(index_dir: Path, checkout: Path) -> float:
    """The same for the vocabulary the baseline's code builds from the index."""
    with tempfile.TemporaryDirectory() as folder:
        saved = Path(folder) / "vocabulary.pickle"
        run_elsewhere(checkout, SAVE_VOCABULARY, str(index_dir), str(saved))
        return vocabulary_memory(saved, checkout)


def restored_elsewhere(checkout: Path, index_dir: Path, texts: list[str]):
    """A restorer answering from what another checkout's code restored, and in the time it took there."""
    folded = [[fold_diacritics(syllable) for syllable in syllables(text)] for text in texts]
    request = json.dumps({"index": str(index_dir), "sentences": folded})
    answers = json.loads(run_elsewhere(checkout, RESTORE_ELSEWHERE, given=request))
    by_sentence = {tuple(f): answer for f, answer in zip(folded, answers, strict=True)}

    def restore(syllables: list[str]) -> list[str]:
        restored, seconds = by_sentence[tuple(syllables)]
        restore.seconds = seconds
        return restored

    return restore


EVIDENCE = ("never in the sample", "never beside its neighbours", "seen beside a neighbour")


def evidence(model, sentences: list[str], shown: int = 6) -> None:
    """Print what the restorer gets wrong, by the evidence the sample held for the right spelling (``EVIDENCE``),
    with a few of the last kind."""
    counts, examples = dict.fromkeys(EVIDENCE, 0), []

    def seen(first: str | None, second: str | None) -> bool:
        a, b = model.number(first) if first else None, model.number(second) if second else None
        if a is None or b is None:
            return False
        (count,) = _lookup(model.pairs, np.array([a << NUMBER_BITS | b]), model.pair_counts)
        return bool(count[0])

    for sentence in sentences:
        original = syllables(sentence)
        restored = model.restore([fold_diacritics(s) for s in original])
        for at, (right, given) in enumerate(zip(original, restored, strict=True)):
            if right == normalize_text(given):
                continue
            before, after = original[at - 1] if at else None, original[at + 1] if at + 1 < len(original) else None
            if model.number(right) is None:
                kind = EVIDENCE[0]
            elif not seen(before, right) and not seen(right, after):
                kind = EVIDENCE[1]
            else:
                kind = EVIDENCE[2]
                if len(examples) < shown:
                    examples.append(f"{' '.join(original[max(0, at - 2) : at + 3])} ({right} read {given})")
            counts[kind] += 1
    wrong = sum(counts.values())
    print(f"      wrong syllables {wrong:,}: " + ", ".join(f"{k} {n / max(wrong, 1):.0%}" for k, n in counts.items()))
    if examples:
        print(f"        {EVIDENCE[2]}: " + "; ".join(examples))


def typed_bare(texts: list[str]) -> list[str]:
    """Each text as typed without diacritics: its syllables, folded, apart."""
    return [" ".join(fold_diacritics(syllable) for syllable in syllables(text)) for text in texts]


def report_offers(name: str, texts: list[str], offered: list[str | None]) -> None:
    """How many texts typed without diacritics are offered a spelling ("Có phải bạn muốn tìm"), and how many of
    those are right, one syllable wrong, two or more wrong."""
    counts = [0, 0, 0]
    for text, offer in zip(texts, offered, strict=True):
        if offer is not None:
            wrong = sum(a != b for a, b in zip(syllables(text), syllables(offer), strict=True))
            counts[min(wrong, 2)] += 1
    shown = sum(counts)
    print(
        f"  {name:13s} offered {shown} of {len(texts)}: right {counts[0]}, one syllable wrong {counts[1]}, two or"
        f" more wrong {counts[2]} ({counts[2] / max(shown, 1):.1%} of those offered)"
    )


def read_surely(vocabulary, texts: list[str]) -> None:
    """How many texts typed without diacritics a search reads surely (``results.surely_restored``: searched as that
    spelling, not in any accenting), and how many of those spellings are the original's."""
    restore = functools.cache(functools.partial(restorations, vocabulary=vocabulary, listed=LISTED.spellings))
    read = right = 0
    for text in texts:
        original = syllables(text)
        spelled = surely_restored(" ".join(fold_diacritics(s) for s in original), restore)
        if spelled is not None:
            read, right = read + 1, right + (syllables(spelled) == original)
    print(
        f"  read surely, so searched     {read} of {len(texts)} ({read / max(len(texts), 1):.1%}), the original's"
        f" {right} ({right / max(read, 1):.1%})"
    )


def report(name: str, result: dict) -> None:
    syllables_right, syllables, sentences_right, sentences = result["all"]
    times = result["times"]
    timing = ""
    if times:
        median, p99 = statistics.median(times) * 1000, percentile(times, 0.99) * 1000
        timing = f"   15-25 syllables: median {median:.2f} ms, p99 {p99:.2f} ms"
    print(
        f"  {name:13s} syllables {syllables_right / syllables:6.1%}   sentences {sentences_right / sentences:6.1%}"
        f"   ({syllables:,} syllables, {sentences:,} sentences){timing}"
    )
    for bucket, (good, total, whole, count) in result["buckets"].items():
        if count:
            print(f"      {bucket:13s} syllables {good / total:6.1%}   sentences {whole / count:6.1%}   ({count:,})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--vntc-index", type=Path, default=Path("/tmp/restore/vntc"))
    parser.add_argument("--vietnews-index", type=Path, default=Path("/tmp/restore/vietnews"))
    parser.add_argument("--docs", type=int, default=20000)
    parser.add_argument(
        "--vntc-docs",
        type=int,
        help="articles of VNTC's index (default --docs): a larger portal's model (the VNTC text VietNews's model"
        " restores stays what comes after --docs)",
    )
    parser.add_argument("--sentences", type=int, default=2000)
    parser.add_argument("--baseline", type=Path, help="a checkout of the code to compare with (its repository root)")
    args = parser.parse_args()
    vntc_records, news_records = load_vntc(None), vietnews()
    vntc_docs = args.vntc_docs or args.docs
    report_build(args.vntc_index, vntc_articles(vntc_records[:vntc_docs]))
    report_build(args.vietnews_index, vietnews_articles(news_records[: args.docs]))
    held_out_news = news_records[args.docs :] or news_records[-args.sentences :]
    held_out_vntc = vntc_records[args.docs :]  # restored by VietNews's model, whatever VNTC's index holds
    directions = [
        (
            "learnt from VNTC, restoring VietNews",
            args.vntc_index,
            [r["title"] for r in held_out_news[: args.sentences]],
            [first_sentence(r["summary"]) for r in held_out_news[: args.sentences]],
        ),
        (
            "learnt from VietNews, restoring VNTC",
            args.vietnews_index,
            [r["title"] for r in held_out_vntc[: args.sentences] if r["title"].strip()],
            [first_sentence(r["text"]) for r in held_out_vntc[: args.sentences]],
        ),
    ]
    for title, index_dir, titles, sentences in directions:
        started = time.perf_counter()
        with store.open_index(index_dir).searcher() as searcher:
            vocabulary = build_vocabulary(searcher)
        learnt = time.perf_counter() - started
        syllables = vocabulary.syllables
        arrays = sum(v.nbytes for v in vars(syllables).values() if isinstance(v, np.ndarray))
        size = len(pickle.dumps(syllables)) / 1e6
        print(
            f"\n# {title}: vocabulary and model built in {learnt:.1f} s; the model {size:.1f} MB pickled"
            f" ({arrays / 1e6:.1f} MB of arrays, {len(syllables.names):,} syllables,"
            f" {len(syllables.pairs):,} pairs, {len(syllables.triples):,} triples)"
        )
        with tempfile.TemporaryDirectory() as folder:
            saved = Path(folder) / "vocabulary.pickle"
            saved.write_bytes(pickle.dumps(vocabulary))
            memory = f"a worker's whole vocabulary: {vocabulary_memory(saved):.1f} MB resident"
        if args.baseline:
            memory += f", by the baseline's code {baseline_memory(index_dir, args.baseline):.1f} MB"
        print(memory)

        def unigram(folded: list[str], syllables=syllables) -> list[str]:
            return [(syllables.forms.get(s) or (s,))[0] for s in folded]

        def searched(folded: list[str], vocabulary=vocabulary) -> list[tuple[str, ...]]:
            likely = restorations(" ".join(folded), vocabulary, listed=LISTED.spellings).likely(ALTERNATIVE_SHARE)
            return [tuple(form for form, _ in forms) for forms in likely]

        def with_list(folded: list[str], vocabulary=vocabulary) -> list[str]:
            return list(restorations(" ".join(folded), vocabulary, listed=LISTED.spellings).spelling)

        kinds = (
            ("titles", titles),
            ("2-5 syllables of the titles", fragments(titles)),
            ("first sentences", sentences),
            ("a word and the number after it, of the titles and first sentences", numbered(titles + sentences)),
        )
        for kind, texts in kinds:
            print(f"\n## {title}: {kind}")
            report("this project", score(syllables.restore, texts))
            evidence(syllables, texts)
            report("with the list", score(with_list, texts))
            report("searched", score(searched, texts))
            if kind.startswith("2-5"):
                read_surely(vocabulary, texts)
            if kind != "first sentences":
                bare = typed_bare(texts)
                offered = [
                    offered_restoration(text, restorations(text, vocabulary, listed=LISTED.spellings)) for text in bare
                ]
                report_offers("offered", texts, offered)
                if args.baseline:
                    request = json.dumps({"index": str(index_dir), "texts": bare})
                    elsewhere = json.loads(run_elsewhere(args.baseline, OFFER_ELSEWHERE, given=request))
                    report_offers("baseline", texts, elsewhere)
            if args.baseline:
                report("baseline", score(restored_elsewhere(args.baseline, index_dir, texts), texts))
            report("unigram", score(unigram, texts))


if __name__ == "__main__":
    main()
