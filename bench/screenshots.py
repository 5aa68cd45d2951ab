"""Screenshots of the pages, at desktop and phone width, into docs/screenshots/.

    python bench/screenshots.py [--chromium /usr/bin/chromium]

Builds the bundled sample (plus tests/data/articles.jsonl, which has dates and categories) into a temporary index,
starts `search-service serve` on a free local port, and drives headless Chromium with Playwright.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

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
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        index_dir = Path(work) / "index"
        indexer.build(index_dir, [SAMPLE_DIR, ROOT / "tests" / "data" / "articles.jsonl"], jobs=0)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        command = shutil.which("search-service") or str(Path(sys.executable).with_name("search-service"))
        server = subprocess.Popen(
            [command, "serve", "--index-dir", str(index_dir), "--port", str(port), "--workers", "1"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    urllib.request.urlopen(base + "/healthz", timeout=2)
                    break
                except OSError:
                    time.sleep(0.2)
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
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
