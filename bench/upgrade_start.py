"""A server's start after an upgrade that finds no vocabulary of its version beside the index, this code against
another checkout.

    python bench/upgrade_start.py --index-dir /tmp/rvntc82 [--workers 2] [--rounds 2] [--baseline CHECKOUT]

Each round links the index's files into a scratch folder (hard links: the index itself is never written), removes the
saved vocabulary of its live generation (what a version with another ``VOCABULARY_VERSION`` finds: no file it can
read), and starts `search-service serve` with --workers workers on it twice in a row. Printed for each start: the
seconds until it answers a search typed without diacritics (which needs the vocabulary), the peak resident memory of
the server's processes together (sampled every 0.1 s: the arbiter, its workers and any process of theirs), and
whether a vocabulary of this version was saved. With --baseline (`git worktree add /tmp/before <commit>`), the
server of that checkout (its package first on PYTHONPATH, started in its folder) runs in turn with this one.
"""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import threading
from pathlib import Path

from common import ROOT, Server, comparing, first_on_path

from search_service import store
from search_service.vocabulary import VOCABULARY_FILE


def group_rss_mb(group: int) -> float:
    """The resident memory of every process of a process group, together."""
    total = 0
    for child in Path("/proc").iterdir():
        if not child.name.isdigit():
            continue
        try:
            fields = (child / "stat").read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) != group:  # the fields after the command: state, ppid, pgrp
                continue
            status = (child / "status").read_text()
        except (OSError, IndexError, ValueError):
            continue
        total += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
    return total / 1024


class Peak(threading.Thread):
    """The highest resident memory of a process group, sampled until stopped."""

    def __init__(self, group: int):
        super().__init__(daemon=True)
        self.group, self.peak, self.done = group, 0.0, threading.Event()
        self.start()

    def run(self) -> None:
        while not self.done.wait(0.1):
            self.peak = max(self.peak, group_rss_mb(self.group))

    def stop(self) -> float:
        self.done.set()
        self.join()
        return self.peak


def linked_copy(index_dir: Path, folder: Path) -> Path:
    """The index's files linked into ``folder``, its lock files copied (a writer truncates its lock file)."""
    target = folder / "index"

    def link(source: str, destination: str) -> None:
        if source.endswith(".lock"):
            shutil.copy2(source, destination)
        else:
            os.link(source, destination)

    shutil.copytree(index_dir, target, copy_function=link, ignore=shutil.ignore_patterns("*.sqlite*"))
    return target


class WatchedServer(Server):
    """A server whose processes' memory is sampled from the moment it is started (its own process group)."""

    def _wait(self) -> float:
        self.peak = Peak(self.process.pid)  # started in a session of its own: its group is its pid
        return super()._wait()


def start(index_dir: Path, workers: int, checkout: Path | None) -> tuple[float, float]:
    """The seconds until a server answers a search that restores diacritics, and its processes' peak resident MB."""
    env = first_on_path(checkout) if checkout is not None else {}
    os.chdir(checkout or ROOT)  # gunicorn puts its working directory first on the worker's path
    server = WatchedServer(index_dir, workers=workers, env=env)
    try:
        return server.first_answer_seconds, server.peak.stop()
    finally:
        server.stop()


def main() -> None:
    parser = comparing(__doc__, rounds=2)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    codes = [("this", None)] + ([("baseline", args.baseline.resolve())] if args.baseline else [])
    found: dict[str, list[tuple[float, float, float, float]]] = {name: [] for name, _ in codes}
    for round_number in range(args.rounds):
        for name, checkout in codes:
            with tempfile.TemporaryDirectory(prefix="upgrade-start-") as folder:
                copy = linked_copy(args.index_dir.resolve(), Path(folder))
                generation = store.current_generation(copy)
                (generation / VOCABULARY_FILE).unlink(missing_ok=True)
                first = start(copy, args.workers, checkout)
                saved = (generation / VOCABULARY_FILE).exists()
                second = start(copy, args.workers, checkout)
            found[name].append((*first, *second))
            print(
                f"round {round_number + 1} {name:8s}: first start {first[0]:6.1f} s, peak {first[1]:6.0f} MB;"
                f" vocabulary saved: {'yes' if saved else 'no'};"
                f" next start {second[0]:6.1f} s, peak {second[1]:6.0f} MB",
                flush=True,
            )
    for name, rows in found.items():
        medians = [statistics.median(row[i] for row in rows) for i in range(4)]
        print(
            f"{name:8s} median: first start {medians[0]:.1f} s at {medians[1]:.0f} MB, next start {medians[2]:.1f} s"
            f" at {medians[3]:.0f} MB ({args.workers} workers)"
        )


if __name__ == "__main__":
    main()
