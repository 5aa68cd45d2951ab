"""Screenshots of the pages, at desktop and phone width, into docs/screenshots/.

    python bench/screenshots.py [--chromium /usr/bin/chromium]

Builds the bundled sample (plus tests/data/articles.jsonl, which has dates and categories, and two copies of one of
its articles republished by the city's portal and a ward's, as a portal network holds them) into a temporary
index, starts `search-service serve` on a free local port, and drives headless Chromium with Playwright.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from common import Server
from playwright.sync_api import sync_playwright

from search_service import indexer
from search_service.config import SAMPLE_DIR

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
SIZES = {"desktop": (1280, 900), "phone": (390, 844)}
PAGES = {
    "home": "/",
    "results": "/search?q=cai+cach+hanh+chinh",
    "advanced": "/advanced",
    "partial": "/search?q=c%E1%BA%A3i+c%C3%A1ch+h%C3%A0nh+ch%C3%ADnh+b%C3%B3ng+%C4%91%C3%A1",
    "filters": "/search?q=b%C3%B3ng+%C4%91%C3%A1&category=Th%E1%BB%83+thao&category=Ph%C3%A1p+lu%E1%BA%ADt",
    "telex": "/search?q=cari+cachs+hanhf+chinhs",
    "slip": "/search?q=cai+cahc+hanh+chinh",
    "fields-slip": "/search?all=c%E1%BA%A3i+c%C3%A1ch+h%C3%A3nh+ch%C3%ADnh",
    "emptied": "/search?q=c%E1%BA%A3i+c%C3%A1ch&from=01%2F01%2F2010&to=31%2F12%2F2010",
    "unnumbered": "/search?q=cai+cach+hanh+chinh+15%2F2099",
    "unknown-category": "/search?q=b%C3%B3ng+%C4%91%C3%A1+category%3Agiao+duc",
    "sources": "/search?q=h%E1%BB%8Dc+sinh&source=Thanh+Ni%C3%AAn&source=Tu%E1%BB%95i+Tr%E1%BA%BB",
    "article": "/articles/bong-da?q=b%C3%B3ng+%C4%91%C3%A1&category=Th%E1%BB%83+thao",
}
ARTICLES = ROOT / "tests" / "data" / "articles.jsonl"
# Where else the district's article on administrative reform was published: shown once, these named under it.
REPUBLISHED = {
    "tp-cchc-2023": {
        "url": "https://tp.example.gov.vn/tin/cchc-2023",
        "category": "Tin thành phố",
        "source": "Cổng thông tin thành phố",
        "published": "2023-03-16",
    },
    "p1-cchc-2023": {
        "url": "https://phuong1.example.gov.vn/tin/cchc-2023",
        "category": "Tin phường",
        "source": "UBND Phường 1",
        "published": "2023-03-17",
    },
}


def republished(folder: Path) -> Path:
    """The copies of ``REPUBLISHED``, as a JSONL file in ``folder``."""
    articles = [json.loads(line) for line in ARTICLES.read_text(encoding="utf-8").splitlines()]
    original = next(article for article in articles if article["id"] == "cchc-2023")
    path = folder / "republished.jsonl"
    copies = [{**original, "id": identifier, **fields} for identifier, fields in REPUBLISHED.items()]
    path.write_text("".join(json.dumps(copy, ensure_ascii=False) + "\n" for copy in copies), encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        index_dir = Path(work) / "index"
        indexer.build(index_dir, [SAMPLE_DIR, ARTICLES, republished(Path(work))], jobs=0)
        server = Server(index_dir, workers=1)
        base = f"http://127.0.0.1:{server.port}"
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=args.chromium,
                    args=[
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-background-networking",
                        "--disable-component-update",
                    ],
                )
                for size_name, (width, height) in SIZES.items():
                    page = browser.new_page(viewport={"width": width, "height": height})
                    for page_name, path in PAGES.items():
                        page.goto(base + path)
                        target = OUT / f"{page_name}-{size_name}.png"
                        page.screenshot(path=str(target), full_page=page_name != "results")
                        print(target.relative_to(ROOT))
                    page.close()
                browser.close()
        finally:
            server.stop()


if __name__ == "__main__":
    main()
