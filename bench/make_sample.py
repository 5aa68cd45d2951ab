"""Make the bundled sample: a few hundred VNTC articles (MIT licence) in the article form, plus the portal page.

    python bench/make_sample.py [--per-category 30]

VNTC has no dates, authors or view counts; the sample keeps exactly what the corpus has (id, title, body, category,
source) rather than inventing them.
"""

from __future__ import annotations

import argparse
import json
import shutil
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VNTC_SAMPLE = ROOT.parent / "shared" / "data" / "vntc" / "vntc_test_sample.jsonl"
TARGET = ROOT / "search_service" / "data" / "sample"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--per-category", type=int, default=30)
    args = parser.parse_args()
    chosen: dict[str, list[dict]] = defaultdict(list)
    with open(VNTC_SAMPLE, encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if record["dup_of"] or not record["title"].strip() or len(chosen[record["category"]]) >= args.per_category:
                continue
            chosen[record["category"]].append(
                {
                    "id": "vntc-" + record["id"].replace("/", "-").replace("(", "").replace(")", ""),
                    "title": record["title"].strip(),
                    "body": record["text"].strip(),
                    "category": record["category"],
                    "source": record["source"],
                }
            )
    TARGET.mkdir(parents=True, exist_ok=True)
    articles = [a for category in sorted(chosen) for a in chosen[category]]
    with open(TARGET / "vntc_sample.jsonl", "w", encoding="utf-8") as out:
        for article in articles:
            out.write(json.dumps(article, ensure_ascii=False) + "\n")
    shutil.copy(ROOT / "tests" / "data" / "portal_page_example.txt", TARGET / "portal_page_example.txt")
    print(f"{len(articles)} VNTC articles and 1 portal page in {TARGET}")


if __name__ == "__main__":
    main()
