"""Place names typed into a portal's search box: how many articles a search counts against how many name the place.

    python bench/place_names.py [--index-dir /tmp/restore/vntc] [--docs 21000] [--baseline /tmp/before]

Each of Vietnam's 63 provinces and cities, and some districts of Hà Nội, Hồ Chí Minh City and Đà Nẵng, is searched
in lower case as written and without diacritics (đ → d) on an index of the first --docs articles of VNTC (built if
missing). Printed for each form: how many names a search counts more than 1.5 times (and 20 more than) the
articles holding the name as a quoted phrase (counted with this checkout; typed without diacritics, the phrase
without diacritics, which any accenting matches), the median of that ratio, the share of the first 10 results
that hold the name side by side (in the title or the body), and the names counted most above their phrase. A name
whose syllables are common words (*Cao Bằng*: *nâng cao bằng cách*; *Đồng Xuân*, where *đồng* is a stop word) is
counted by its syllables anywhere when it is not required whole.

With --baseline, another checkout's code (``git worktree add /tmp/before <commit>``) searches the same names on the
same index in a process of its own, in the same run.
"""

from __future__ import annotations

import statistics

from common import compared_codes, run_script
from keyword_queries import SEARCH, spaced
from restoration import vntc_index, vntc_parser
from speed import fold

PROVINCES = (
    "hà nội, hải phòng, đà nẵng, cần thơ, an giang, bà rịa vũng tàu, bắc giang, bắc kạn, bạc liêu, bắc ninh, bến tre, "
    "bình định, bình dương, bình phước, bình thuận, cà mau, cao bằng, đắk lắk, đắk nông, điện biên, đồng nai, "
    "đồng tháp, gia lai, hà giang, hà nam, hà tĩnh, hải dương, hậu giang, hòa bình, hưng yên, khánh hòa, kiên giang, "
    "kon tum, lai châu, lâm đồng, lạng sơn, lào cai, long an, nam định, nghệ an, ninh bình, ninh thuận, phú thọ, "
    "phú yên, quảng bình, quảng nam, quảng ngãi, quảng ninh, quảng trị, sóc trăng, sơn la, tây ninh, thái bình, "
    "thái nguyên, thanh hóa, thừa thiên huế, tiền giang, trà vinh, tuyên quang, vĩnh long, vĩnh phúc, yên bái"
)
DISTRICTS = (
    "hoàn kiếm, ba đình, đống đa, cầu giấy, tân bình, gò vấp, bình thạnh, thủ đức, hải châu, sơn trà, thanh khê, "
    "ngũ hành sơn, liên chiểu, cẩm lệ, hòa vang, phú quốc, hạ long, nha trang, vũng tàu, đồng xuân"
)
NAMES = [name.strip() for name in (PROVINCES + ", " + DISTRICTS).split(",")]


def main() -> None:
    parser = vntc_parser(__doc__)
    args = parser.parse_args()
    records = vntc_index(args)
    texts = {record["id"]: spaced(record["title"] + "\n" + record["body"]) for record in records}
    folded_texts = {id_: fold(text) for id_, text in texts.items()}
    forms = {"as written": NAMES, "without diacritics": [fold(name) for name in NAMES]}
    index = {"index": str(args.index_dir)}
    phrases = {
        label: [total for _, total in run_script(SEARCH, None, {**index, "queries": [f'"{n}"' for n in names]})]
        for label, names in forms.items()
    }
    print(f"{len(NAMES)} place names, on {len(records):,} VNTC articles")
    for code, checkout in compared_codes(args.baseline):
        print(f"{code}:")
        for label, names in forms.items():
            answers = run_script(SEARCH, checkout, {**index, "queries": names})
            held = folded_texts if label == "without diacritics" else texts
            ratios, shares, over = [], [], []
            for name, (ids, total), phrase in zip(names, answers, phrases[label], strict=True):
                ratios.append(total / max(phrase, 1))
                if total > 1.5 * phrase + 20:
                    over.append((total / max(phrase, 1), name, total, phrase))
                if ids:
                    shares.append(sum(f" {name} " in held[found] for found in ids) / len(ids))
            over.sort(reverse=True)
            worst = ", ".join(f"{name} {total:,}/{phrase:,}" for _, name, total, phrase in over[:6])
            print(
                f"  {label:18}  counted over 1.5x the phrase {len(over)} of {len(names)}  median ratio "
                f"{statistics.median(ratios):.2f}  first 10 holding the name {statistics.mean(shares):.3f}"
            )
            print(f"    most over (counted/phrase): {worst or 'none'}")


if __name__ == "__main__":
    main()
