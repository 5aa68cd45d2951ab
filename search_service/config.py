"""Every setting in one table: name, default, help. Read from the environment at the edges only."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ENV_PREFIX = "SEARCH_SERVICE_"
PACKAGE_DIR = Path(__file__).resolve().parent
SAMPLE_DIR = PACKAGE_DIR / "data" / "sample"
DEFAULT_SYNONYMS = PACKAGE_DIR / "data" / "synonyms.txt"
STORED_DICTIONARY = PACKAGE_DIR / "data" / "stored.zdict"  # see whoosh_ext/stored.py


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str
    parse: Callable[[str], Any] = str


SETTINGS = (
    Setting("index_dir", "index", "Folder that holds the index (its live generation and the previous one)."),
    Setting("jobs", 0, "Processes that segment text while indexing; 0 means one per CPU core.", int),
    Setting("synonyms", "", "Extra synonym file (one 'ABBR = expansion' a line), added to the shipped list."),
    Setting("host", "127.0.0.1", "Address `serve` listens on (0.0.0.0 for every interface)."),
    Setting("port", 8000, "Port `serve` listens on.", int),
    Setting("workers", 2, "gunicorn worker processes of `serve`.", int),
    Setting("threads", 8, "Threads of each worker of `serve` (a slow client holds one, the others answer).", int),
    Setting("site_name", "Tìm kiếm tin bài", "The name the pages show in their header and title (the portal's own)."),
    Setting("portal_url", "", "The portal's home page: the header links back to it (none when empty)."),
    Setting("logo_url", "", "A logo shown before the site name (a URL or a path on the portal; none when empty)."),
    Setting(
        "base_path",
        "",
        "The path the service is mounted under behind a reverse proxy (e.g. /tim-kiem); its links and assets follow.",
    ),
    Setting(
        "analytics",
        True,
        "Record each search (no IP, no cookie, no user agent) for `stats`; 0 turns it off.",
        lambda value: value.strip().lower() not in ("0", "false", "no", "off"),
    ),
    Setting(
        "result_cache_mb",
        32,
        "Memory each worker keeps the answers to recent searches in (emptied whenever the index changes); 0: none.",
        int,
    ),
    Setting("analytics_dir", "", "Folder of the searches' file (analytics.sqlite); empty: the index folder."),
    Setting(
        "proxies",
        0,
        "Reverse proxies in front of `serve` (1 behind docker-compose's nginx): the visitor's address is read from "
        "their X-Forwarded-For, so that a query is popular only when several visitors searched it.",
        int,
    ),
    Setting("analytics_days", 90, "Days a recorded search is kept.", int),
    Setting(
        "frame_ancestors",
        "'self'",
        "Who may show the pages in a frame (the CSP frame-ancestors sources, e.g. 'self' https://portal.gov.vn).",
    ),
)


def defaults() -> dict[str, Any]:
    """Every setting at its default."""
    return {setting.name: setting.default for setting in SETTINGS}


def from_environment(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Settings given as ``SEARCH_SERVICE_<NAME>`` environment variables, parsed; the others are left out."""
    environ = os.environ if environ is None else environ
    found = {}
    for setting in SETTINGS:
        value = environ.get(ENV_PREFIX + setting.name.upper())
        if value not in (None, ""):
            found[setting.name] = setting.parse(value)
    return found


def resolve_jobs(jobs: int) -> int:
    """0 → the number of CPU cores this process may use."""
    if jobs and jobs > 0:
        return jobs
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)
