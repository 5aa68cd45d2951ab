"""The box's exclusions and the advanced form's fields as visitors type them: without diacritics, without spaces, in
Telex; a short query with an operator or a mark that is no word (``ma tuy NOT``, ``ma tuy -``), alternatives joined by
OR, numbers typed without their thousands grouped (``100000``; on an index built with the analysis that groups them)
and curly quotes. What each request counts, the spelling searched (the box, and "any of these words" when given),
and its median time, this code against another.

    python bench/typed_forms.py --index-dir IX [--baseline /tmp/before] [--rounds 2] [--repeats 3]

Each code opens the index in a process of its own (``common.run_script``), with no answers kept between requests,
and runs every request of ``REQUESTS`` --repeats times in a row (the median is kept);
the codes alternate --rounds times. Printed per request: the articles counted (``total``), whether the search fell
back to other diacritics (``F``), the words searched, and the median time of each round, for each code. The table
pairs a form typed as visitors type it with the form it stands for: a request and its pair should count the same.
"""

from __future__ import annotations

import json

from common import compared_codes, comparing, run_script

# Each request, the keyword arguments of a SearchRequest.
REQUESTS = [
    {"q": "tham nhung -hanoi"},
    {"q": "tham nhung NOT hanoi"},
    {"q": 'tham nhung -"ha noi"'},
    {"q": '-"ha noi" ma tuy'},
    {"q": 'ma tuy -"ha noi"'},
    {"q": "tham nhũng", "all": "xuwr phatj"},
    {"q": "tham nhũng", "all": "xử phạt"},
    {"q": 'tham nhungx -"hoaf binhf"'},
    {"q": 'tham nhũng -"hòa bình"'},
    {"q": "cari cachs hanhf chinhs?"},
    {"q": "cải cách hành chính?"},
    {"q": "tham nhũng", "none": "ha noi"},
    {"q": "tham nhũng", "none": "hanoi"},
    {"q": "tham nhũng", "none": "hà nội"},
    {"q": "tham nhũng NOT hà nội"},
    {"q": "tham nhũng", "all": "ha noi"},
    {"q": "tham nhũng", "all": "hà nội"},
    {"q": "thanh tra", "all": "ha noi"},
    {"q": "thanh tra", "all": "hà nội"},
    {"q": "kinh tế", "any": "da nang"},
    {"q": "kinh tế", "any": "đà nẵng"},
    {"any": "cai cach hanh chinh, tham nhung"},
    {"any": "cải cách hành chính, tham nhũng"},
    {"any": "da nang hue"},
    {"any": "ha noi, da nang"},
    {"any": "đà nẵng, huế"},
    {"any": "đà nẵng, hue"},
    {"q": "bóng đá", "none": "viet nam"},
    {"q": "bóng đá", "none": "việt nam"},
    {"all": "ma tuy"},
    {"all": "ma túy"},
    {"all": "gia vang"},
    {"all": "giá vàng"},
    {"q": "ma tuy -"},
    {"q": "ma tuy NOT"},
    {"q": 'ma tuy "'},
    {"q": "ma tuy"},
    {"q": "ma tuy AND ha noi"},
    {"q": "ma tuy - ha noi"},
    {"q": "ma túy hà nội"},
    {"q": "hanoi NOT"},
    {"q": "hà nội"},
    {"q": "ma tuy OR ha noi"},
    {"q": "ma túy OR hà nội"},
    {"q": "100000 đồng"},
    {"q": "100.000 đồng"},
    {"q": "1000 tỷ"},
    {"q": "1.000 tỷ"},
    {"q": "5000"},
    {"q": "5.000"},
    {"q": "tham nhũng -“hà nội”"},
    {"q": 'tham nhũng -"hà nội"'},
    {"q": "“cải cách hành chính”"},
    {"q": '"cải cách hành chính"'},
]

RUN = """
import json, statistics, sys, time
from search_service.query import SearchRequest
from search_service.searcher import SearchEngine
given = json.load(sys.stdin)
engine = SearchEngine(given["index"], result_cache_bytes=0)
engine.search(SearchRequest(q="warm"))
answers = []
for fields in given["requests"]:
    times = []
    for _ in range(given["repeats"]):
        began = time.perf_counter()
        found = engine.search(SearchRequest(**fields))
        times.append((time.perf_counter() - began) * 1000)
    query = found["query"]
    searched = " / any: ".join(part for part in (query["q"], query["any"]) if part)
    answers.append([found["total"], searched, query["other_diacritics"], statistics.median(times)])
print(json.dumps(answers, ensure_ascii=False))
"""


def main() -> None:
    parser = comparing(__doc__, rounds=2)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    given = {"index": str(args.index_dir), "requests": REQUESTS, "repeats": args.repeats}
    codes = compared_codes(args.baseline)
    runs: dict[str, list] = {name: [] for name, _ in codes}
    for _ in range(args.rounds):
        for name, checkout in codes:
            runs[name].append(run_script(RUN, checkout, given))
    header = " | ".join(f"{name}: found, searched, ms" for name, _ in codes)
    print(f"{'request':58} | {header}")
    for number, fields in enumerate(REQUESTS):
        cells = []
        for name, _ in codes:
            total, searched, fallback, _ = runs[name][0][number]
            times = " / ".join(f"{run[number][3]:.1f}" for run in runs[name])
            cells.append(f"{total:>6}{' F' if fallback else '  '} {searched!r} {times}")
        print(f"{json.dumps(fields, ensure_ascii=False):58} | " + " | ".join(cells))


if __name__ == "__main__":
    main()
