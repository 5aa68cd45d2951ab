"""A build and a sync from a real PostgreSQL server: time and peak memory for a table of generated articles.

    python bench/database.py [--rows 100000] [--changed 1000] [--jobs 0]

Starts a temporary PostgreSQL server (as the tests do: Debian's postgresql, run as the postgres user), fills a table
with --rows articles (a title, an HTML body of about 2 KB built from VNTC sentences), then times `index build` of the
whole table and `index sync` after --changed rows were updated and as many deleted, each as the real command in a
process of its own, with its peak resident memory (the main process and the largest indexing worker).
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.test_database import PASSWORD, postgres_server  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "vntc" / "vntc_train.jsonl.gz"


def run(*arguments: str, env: dict) -> tuple[float, int, str]:
    """Seconds, peak memory of the children (MB) and the last line of output of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    result = subprocess.run(
        [str(Path(sys.executable).with_name("search-service")), *arguments], capture_output=True, text=True, env=env
    )
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if result.returncode not in (0, 1):
        raise SystemExit(result.stderr[-2000:])
    return elapsed, max(peak, before) // 1024, result.stdout.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--changed", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=0)
    args = parser.parse_args()

    import os

    from sqlalchemy import create_engine, text

    with gzip.open(DATA, "rt", encoding="utf-8") as lines:
        texts = [json.loads(line) for _, line in zip(range(3000), lines, strict=False)]
    with postgres_server() as url, tempfile.TemporaryDirectory() as folder:
        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(
                text("CREATE TABLE bai (ma integer PRIMARY KEY, tieu_de text, noi_dung text, cap_nhat timestamp)")
            )
            batch = []
            for number in range(1, args.rows + 1):
                record = texts[number % len(texts)]
                body = "".join(f"<p>{p}</p>" for p in record["text"][:2000].split(". "))
                batch.append({"ma": number, "t": f"{record['title']} ({number})", "b": body})
                if len(batch) == 5000 or number == args.rows:
                    connection.execute(text("INSERT INTO bai VALUES (:ma, :t, :b, now() - interval '1 day')"), batch)
                    batch = []
        source = Path(folder) / "bai.toml"
        source.write_text(
            f'url = "{url.replace(f":{PASSWORD}@", "@")}"\npassword_env = "PG_PASSWORD"\n'
            'query = "SELECT ma AS id, tieu_de AS title, noi_dung AS body, cap_nhat FROM bai"\n'
            'updated_column = "cap_nhat"\n',
            encoding="utf-8",
        )
        env = {**os.environ, "PG_PASSWORD": PASSWORD}
        index = str(Path(folder) / "index")
        jobs = ["--jobs", str(args.jobs)]
        seconds, peak, line = run("index", "build", str(source), "--index-dir", index, *jobs, env=env)
        print(f"build of {args.rows:,} rows: {seconds:.0f} s ({args.rows / seconds:.0f} rows/s), peak {peak} MB")
        print(f"  {line}")
        seconds, peak, line = run("index", "sync", str(source), "--index-dir", index, *jobs, env=env)
        print(f"sync, nothing changed: {seconds:.1f} s, peak {peak} MB; {line}")
        with engine.begin() as connection:
            connection.execute(
                text("UPDATE bai SET tieu_de = tieu_de || ' (sửa)', cap_nhat = now() WHERE ma <= :n"),
                {"n": args.changed},
            )
            connection.execute(text("DELETE FROM bai WHERE ma > :top"), {"top": args.rows - args.changed})
        engine.dispose()
        seconds, peak, line = run("index", "sync", str(source), "--index-dir", index, *jobs, env=env)
        print(f"sync of {args.changed:,} changed and {args.changed:,} deleted rows: {seconds:.1f} s, peak {peak} MB")
        print(f"  {line}")


if __name__ == "__main__":
    main()
