"""What an index's room on disk goes to: each file of its live generation, and inside its segments each part.

    python bench/index_size.py --index-dir /tmp/size-index [--docs 84132] [--fts5]

Builds the index from the first --docs VNTC articles (title, text as the body, category) when the folder holds none,
as `bench/query_time.py` does, then prints the generation's files and, for each segment (a Whoosh compound file),
its parts: the posting lists (`.pst`), the stored articles (`_stored.col`), the term table (`.trm`), the columns;
then the saved vocabulary. With --fts5, the size of an SQLite FTS5 database of the same articles (unicode61
remove_diacritics 2, title and body, as `bench/speed.py` builds it) beside the total. To compare two checkouts, build
an index with each (`PYTHONPATH=../old python bench/index_size.py --index-dir …`) and run this on both.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from query_time import build_once
from speed import fts5_database, load_vntc
from whoosh.filedb.compound import CompoundStorage
from whoosh.filedb.filestore import FileStorage

from search_service import store


def parts(generation: Path) -> list[tuple[str, int]]:
    """(name, bytes) of every file of a generation, a segment's parts in its place."""
    found = []
    storage = FileStorage(str(generation))
    for path in sorted(generation.iterdir()):
        if path.suffix == ".seg":
            compound = CompoundStorage(storage.open_file(path.name), use_mmap=False)
            for name in sorted(compound.list(), key=compound.file_length, reverse=True):
                found.append((f"{path.name}: {name.split('.', 1)[1]}", compound.file_length(name)))
            compound.close()
        elif path.is_file():
            found.append((path.name, path.stat().st_size))
    return found


def fts5_size(records: list[dict]) -> int:
    """The bytes of `bench/speed.py`'s FTS5 database of the records."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fts.db"
        fts5_database(path, records).close()
        return path.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index-dir", type=Path, required=True)
    parser.add_argument("--docs", type=int, default=None, help="VNTC articles to build from (default: all)")
    parser.add_argument("--fts5", action="store_true", help="also build an FTS5 database of the same articles")
    args = parser.parse_args()

    records = load_vntc(args.docs)
    build_once(args.index_dir, records)
    generation = store.current_generation(args.index_dir)
    found = parts(generation)
    total = sum(size for _, size in found)
    for name, size in found:
        if size >= 100_000:
            print(f"{size / 1e6:9.1f} MB  {name}")
    print(f"{total / 1e6:9.1f} MB  the generation ({generation.name}), every file")
    if args.fts5:
        fts = fts5_size(records)
        print(f"{fts / 1e6:9.1f} MB  SQLite FTS5 database of the same {len(records):,} articles")
        print(f"ours / FTS5: {total / fts:.2f}x")


if __name__ == "__main__":
    main()
