"""The on-disk generations of an index: the pointer to the live one, the atomic switch, pruning, the writer's lock
and the readers' claims. Both the indexer (the writer) and the searcher (the readers) stand on this module.

On disk an index folder holds generations and a pointer to the live one::

    index/
      CURRENT              the name of the live generation (replaced atomically)
      PREVIOUS             the generation before it, kept for a rollback
      gen-20231201T101500-1234/   a complete Whoosh index, meta.json, readers.lock, vocabulary.pickle
      segcache.sqlite      underthesea's word boundaries by text (the indexer's)
      write.lock           held by the one writer

A build writes a new generation and switches ``CURRENT`` only when it is complete; readers never see a half-written
index, and an interrupted build leaves the old one serving.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage

from .errors import IndexBusy, IndexNotFound, IndexWriteError

CURRENT_FILE = "CURRENT"
PREVIOUS_FILE = "PREVIOUS"
META_FILE = "meta.json"
LOCK_FILE = "write.lock"
READERS_FILE = "readers.lock"
GENERATION_PREFIX = "gen-"

log = logging.getLogger("search_service.store")


def current_generation(root: Path) -> Path | None:
    """The live generation's folder, or None when nothing was built yet."""
    pointer = Path(root) / CURRENT_FILE
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return Path(root) / name if name else None


def open_index(root: Path) -> whoosh_index.Index:
    """Open the live generation for reading; ``IndexNotFound`` with the reason when there is none."""
    generation = current_generation(Path(root))
    if generation is None:
        raise IndexNotFound(
            f"no index in {root}: build one with `search-service index build SOURCE`",
            f"chưa có chỉ mục trong {root}",
        )
    try:
        # Read with plain file reads, not mmap: Whoosh's mapped files cost a serving worker ~400 MB resident on a
        # 250 MB index (measured in bench/speed.py), against ~150 MB this way, at the same search speed.
        return FileStorage(str(generation), supports_mmap=False).open_index()
    except Exception as error:  # a damaged index fails in many ways (pickle, struct, EOF, OS): all mean "unusable"
        raise IndexNotFound(
            f"the index in {generation} cannot be opened: {error}", f"không mở được chỉ mục {generation}"
        ) from error


def read_meta(generation: Path) -> dict[str, Any]:
    try:
        return json.loads((generation / META_FILE).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def analysed_otherwise(generation: Path, version: str) -> str | None:
    """The analysis version a generation's articles were analysed with, when it is not ``version`` (the running
    code's): an index kept through an upgrade that changed the analysis, whose words and the queries' may differ
    until ``index build`` analyses every article again. None when they agree."""
    built = read_meta(generation).get("analysis_version")
    return None if built == version else str(built or "unknown")


def write_meta(generation: Path, meta: dict[str, Any]) -> None:
    replace_file(generation / META_FILE, json.dumps(meta, ensure_ascii=False, indent=2).encode("utf-8"))


def replace_file(path: Path, data: bytes, *, sync: bool = False) -> None:
    """Write ``path`` whole or not at all: through a temporary file renamed over it, removed when the write fails
    (a full disk), so that no half-written file and no temporary file is left."""
    _install(_written(path, data, sync))


def _written(path: Path, data: bytes, sync: bool) -> tuple[Path, Path]:
    temporary = path.with_name(path.name + ".tmp")
    try:
        with open(temporary, "wb") as handle:
            handle.write(data)
            handle.flush()
            if sync:
                os.fsync(handle.fileno())
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary, path


def _install(*written: tuple[Path, Path]) -> None:
    for temporary, path in written:
        os.replace(temporary, path)


def switch(root: Path, generation: Path) -> None:
    """Make ``generation`` live in one atomic rename; remember the one it replaces for a rollback.

    PREVIOUS is renamed first: a crash between the two renames leaves both naming the live index, never a
    generation that nothing names (and that the next build would remove).
    Both pointers are written to temporary files before either is renamed: a disk too full to write them changes
    nothing.
    """
    old = current_generation(root)
    written = []
    try:
        if old is not None and old != generation:
            written.append(_written(root / PREVIOUS_FILE, (old.name + "\n").encode(), sync=True))
        written.append(_written(root / CURRENT_FILE, (generation.name + "\n").encode(), sync=True))
    except BaseException:
        for temporary, _ in written:
            temporary.unlink(missing_ok=True)
        raise
    _install(*written)
    log.info("switched %s to %s", root, generation.name)


def prune(root: Path) -> None:
    """Remove every generation but the live one, the previous one, and any a reader still has open."""
    keep = set()
    for pointer in (CURRENT_FILE, PREVIOUS_FILE):
        with contextlib.suppress(FileNotFoundError):
            keep.add((root / pointer).read_text(encoding="utf-8").strip())
    for path in root.glob(GENERATION_PREFIX + "*"):
        if path.is_dir() and path.name not in keep and not _in_use(path):
            shutil.rmtree(path, ignore_errors=True)
            log.info("removed old generation %s", path.name)


def _in_use(generation: Path) -> bool:
    """Whether a serving process still holds this generation open (it keeps a shared lock on READERS_FILE)."""
    try:
        handle = open(generation / READERS_FILE, encoding="utf-8")
    except OSError:
        return False
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


def hold_generation(generation: Path) -> IO[str] | None:
    """A reader's claim on a generation, so no build removes it while searches may run on it; close to release.

    Opened read-only (a serving container mounts the index read-only); None when the generation has no lock file.
    """
    try:
        handle = open(generation / READERS_FILE, encoding="utf-8")
    except OSError:
        return None
    fcntl.flock(handle, fcntl.LOCK_SH)
    return handle


@contextlib.contextmanager
def write_lock(root: Path) -> Iterator[IO[str]]:
    """Hold the index's one writer lock (yields its file, which forked workers close); a second writer is told at
    once who holds it."""
    try:
        root.mkdir(parents=True, exist_ok=True)
        handle = open(root / LOCK_FILE, "a+", encoding="utf-8")
    except OSError as error:
        raise IndexWriteError(
            f"cannot write in the index folder {root}: {error.strerror or error}",
            f"không ghi được vào thư mục chỉ mục {root}",
        ) from error
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise IndexBusy(
                f"the index in {root} is being written by {holder}; wait for it to finish and try again",
                f"chỉ mục {root} đang được ghi bởi tiến trình khác ({holder}); hãy thử lại sau",
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} since {datetime.now(UTC).isoformat(timespec='seconds')}\n")
        handle.flush()
        yield handle
    finally:
        handle.close()


def link_generation(source: Path, target: Path) -> None:
    """The files of a Whoosh index in a new folder: hard links (Whoosh never rewrites a file), copies if need be."""
    for path in source.iterdir():
        if path.name in (META_FILE, READERS_FILE) or path.name.endswith("WRITELOCK") or not path.is_file():
            continue
        try:
            os.link(path, target / path.name)
        except OSError:
            shutil.copy2(path, target / path.name)


def new_generation(root: Path) -> Path:
    """An empty folder for a new generation, named by the time (readers can claim it: it has its lock file)."""
    stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
    try:
        generation = Path(tempfile.mkdtemp(prefix=f"{GENERATION_PREFIX}{stamp}-", dir=root))
    except OSError as error:
        raise IndexWriteError(
            f"cannot create a new index folder in {root}: {error.strerror or error}",
            f"không tạo được thư mục chỉ mục mới trong {root}",
        ) from error
    (generation / READERS_FILE).touch()
    return generation


def previous_generation(root: Path) -> Path | None:
    """The generation that was live before the current one, when it is still on disk."""
    name = ""
    with contextlib.suppress(FileNotFoundError):
        name = (root / PREVIOUS_FILE).read_text(encoding="utf-8").strip()
    previous = root / name if name else None
    if previous is None or not previous.is_dir() or previous == current_generation(root):
        return None
    return previous
