"""Words typed without their marks among marked ones: how many of the relevance sets' queries a search restores
(``results.marks_left_out``), and what that does to them.

    python bench/marks_left_out.py [--index-root /tmp/marks] [--show 10]

For each set of `bench/relevance.py` (ViCoV19QA's 4,000 questions, VietNews's 2,000 headlines), its documents are
indexed as `bench/relevance.py` indexes them for this project (into --index-root/<set>, kept for the next run, or a
temporary folder), and each query typed with diacritics (as written, and lower-cased) is given to
``marks_left_out``: the queries it restores are searched as typed (``as_typed``, what the page's "Tìm chính xác"
link asks) and as restored (what a search now does), through ``SearchEngine.ranked_ids``. Printed: how many are
restored, their nDCG@10 and MRR@10 both ways, and --show of them. Users' questions mark words here and there
(`điều tri`, `di ứng`); headlines are marked throughout, so each restored one is a mistake.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from relevance import load_vicov19qa, load_vietnews, metrics, query_forms

from search_service import indexer
from search_service.query import SearchRequest
from search_service.results import marks_left_out
from search_service.searcher import SearchEngine, _restorer

SETS = {"vicov19qa": load_vicov19qa, "vietnews": load_vietnews}


def engine_for(name: str, documents: list[dict], root: Path) -> SearchEngine:
    folder = root / name
    if not (folder / "index" / "CURRENT").exists():
        folder.mkdir(parents=True, exist_ok=True)
        source = folder / "documents.jsonl"
        source.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in documents), encoding="utf-8")
        indexer.build(folder / "index", [source], jobs=0)
    return SearchEngine(folder / "index")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index-root", type=Path, help="keep the indexes here (default: a temporary folder)")
    parser.add_argument("--show", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        root = args.index_root or Path(temporary)
        for name, load in SETS.items():
            documents, queries, qrels = load(False)
            engine = engine_for(name, documents, root)
            vocabulary = engine.vocabulary()
            restore = _restorer(vocabulary, engine._synonyms_of(vocabulary))
            for form in ("as written", "lowercase"):
                restored = []
                for qid, text in queries:
                    typed = query_forms(text)[form][:500]
                    fixed = marks_left_out(typed, restore)
                    if fixed is not None:
                        restored.append((qid, typed, fixed))
                count = len(restored) or 1
                figures = {}
                for how, as_typed in (("as typed", True), ("restored", False)):
                    found = [
                        metrics(engine.ranked_ids(SearchRequest(q=typed, as_typed=as_typed), 100), qrels[qid])
                        for qid, typed, _ in restored
                    ]
                    figures[how] = (sum(f[0] for f in found) / count, sum(f[1] for f in found) / count)
                print(
                    f"{name}, {form}: {len(restored)} of {len(queries)} queries restored; their nDCG@10 / MRR@10 "
                    f"as typed {figures['as typed'][0]:.4f} / {figures['as typed'][1]:.4f}, "
                    f"restored {figures['restored'][0]:.4f} / {figures['restored'][1]:.4f}"
                )
                for _, typed, fixed in restored[: args.show if form == "as written" else 0]:
                    print(f"  {typed[:100]!r}\n    → {fixed[:100]!r}")
            engine.close()


if __name__ == "__main__":
    main()
