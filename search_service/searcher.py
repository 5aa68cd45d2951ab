"""Running a query against an open index: paging, sorting, facets, highlights, suggestions; returns plain data."""

from __future__ import annotations

import bisect
import heapq
import html
import itertools
import math
import threading
import time
import weakref
from collections import Counter
from pathlib import Path
from typing import Any

from whoosh import query as Q
from whoosh import scoring, sorting
from whoosh.searching import Searcher

from .analysis import (
    SYLLABLE_RE,
    WORD_JOINER,
    Syllable,
    fold_diacritics,
    has_diacritics,
    normalize_text,
    normalize_tone,
    normalize_with_offsets,
    split_syllables,
)
from .errors import BadQuery, IndexNotFound
from .indexer import FINGERPRINT_SIZE, current_generation, hold_generation, open_index
from .matching import (
    PostingLists,
    Scores,
    coverage,
    field_lengths,
    match_scores,
    optional_scores,
    proximity_scores,
)
from .query import (
    BuiltQuery,
    SearchRequest,
    Synonyms,
    build_query,
    load_synonyms,
    split_optional,
)
from .schema import FOLDED_SUFFIX, TEXT_FIELDS
from .sources import format_date
from .vocabulary import TITLE_WEIGHT, Vocabulary, load_vocabulary

SORT_FIELDS = {"newest": ("published", True), "oldest": ("published", False), "views": ("views", True)}
SNIPPET_SYLLABLES = 36  # about two lines of text
FACET_LIMIT = 50
SUGGEST_LIMIT = 10
LITTLE = 5  # fewer hits than this, and a spelling suggestion is looked for
RERANK_DEPTH = 50  # the best matches that get the optional and phrase boosts and are ordered again
LONG_RERANK_DEPTH = 150  # the same for a query with a long run, whose syllable pairs reach further (benchmarks.md)
MAX_PAGE = 1000  # Whoosh scores every page before the one asked for: bound the work a visitor can ask for


class Ranking(scoring.BM25F):
    """BM25F with the probabilistic idf (as in Lucene): a syllable found in most articles weighs almost nothing.

    Whoosh's own idf, ``log(N / (n + 1)) + 1``, never falls below 1, so in a long query the dozens of everyday
    syllables (``có``, ``không``, ``được``) outweigh the few that name the subject.
    """

    def idf(self, searcher, fieldname, text):
        parent = searcher.get_parent()
        n = parent.doc_frequency(fieldname, text)
        total = parent.doc_count_all()
        return math.log(1 + (total - n + 0.5) / (n + 0.5))

    def scorer(self, searcher, fieldname, text, qf=1):
        scorer = super().scorer(searcher, fieldname, text, qf=qf)
        lengths = field_lengths(searcher.reader(), fieldname) if isinstance(scorer, scoring.BM25FScorer) else None
        if lengths is not None:
            # Whoosh reads each article's field length from the column file, one read per match and term.
            scorer.dfl = lengths.__getitem__
        return scorer


# Tuned on the ViCoV19QA train questions only (bench/relevance.py), confirmed on its val split and on VietNews;
# k1 2.0 -> 1.6 in session 10, with the syllable pairs of mid-length runs (docs/benchmarks.md).
RANKING = Ranking(B=1.0, K1=1.6)


def restore_diacritics(text: str, vocabulary: Vocabulary) -> str | None:
    """The most likely accented spelling of a query typed without diacritics, from the index's own text.

    Each syllable is chosen in the light of its neighbours (``nhieu nam`` → ``nhiều năm``, ``nam gioi`` →
    ``nam giới``); see :meth:`Syllables.restore`. None when restoring changes nothing.
    """
    syllables = [fold_diacritics(s.text) for s in split_syllables(text)]
    suggestion = " ".join(vocabulary.syllables.restore(syllables))
    return suggestion if suggestion != " ".join(syllables) else None


def _query_terms(built: BuiltQuery) -> tuple[set[str], set[str]]:
    """The exact and the folded syllables a query looks for, its phrase boosts included (for highlighting)."""
    exact: set[str] = set()
    folded: set[str] = set()
    proximity = [(name, term) for boost in built.proximity for name, _ in boost.fields for term in boost.terms]
    for fieldname, text in [*built.query.iter_all_terms(phrases=True), *proximity]:
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        if not isinstance(text, str):
            continue
        base = fieldname[: -len(FOLDED_SUFFIX)] if fieldname.endswith(FOLDED_SUFFIX) else fieldname
        if base not in TEXT_FIELDS:
            continue
        for part in text.split(WORD_JOINER):
            (folded if fieldname.endswith(FOLDED_SUFFIX) else exact).add(part)
    return exact, folded


def snippet(text: str, exact: set[str], folded: set[str], size: int = SNIPPET_SYLLABLES) -> tuple[str, int]:
    """The best passage of a text with matched words in ``<mark>``, HTML-escaped; and how many words matched.

    >>> snippet("Đẩy mạnh <b>cải cách</b> hành chính", {"cải", "cách"}, set())[0]
    'Đẩy mạnh &lt;b&gt;<mark>cải cách</mark>&lt;/b&gt; hành chính'
    """
    # The syllables' texts first (as split_syllables has them); their offsets only for the passage chosen.
    normalized = normalize_with_offsets(text)
    syllables = [normalize_tone(s) for s in SYLLABLE_RE.findall(normalized.text)]
    if not syllables:
        return html.escape(text[:200]), 0
    hits = [s in exact or (bool(folded) and fold_diacritics(s) in folded) for s in syllables]
    # The window of `size` syllables with the most distinct matched words (then the most matches), found by
    # sliding over the matches only: the best window can always start at a match.
    positions = [i for i, hit in enumerate(hits) if hit]
    keys = [fold_diacritics(syllables[i]) for i in positions]
    best_first, best_last, best_key = 0, -1, (0, 0)
    counts: Counter[str] = Counter()
    last = 0
    for first, position in enumerate(positions):
        while last < len(positions) and positions[last] < position + size:
            counts[keys[last]] += 1
            last += 1
        key = (len(counts), last - first)
        if key > best_key:
            best_first, best_last, best_key = first, last - 1, key
        counts[keys[first]] -= 1
        if not counts[keys[first]]:
            del counts[keys[first]]
    best_start = max(0, positions[best_last] - size + 1) if positions else 0
    # Start a little before the first match, so the passage reads as a sentence fragment.
    if positions and positions[best_first] - best_start > size // 3:
        best_start = max(0, positions[best_first] - size // 4)
    matches = itertools.islice(SYLLABLE_RE.finditer(normalized.text), best_start, best_start + size)
    chosen = [
        Syllable(syllables[best_start + i], *normalized.original_span(*match.span())) for i, match in enumerate(matches)
    ]
    return _marked(
        text,
        chosen,
        [hits[best_start + i] for i in range(len(chosen))],
        best_start > 0,
        best_start + size < len(syllables),
    ), best_key[0]


def _marked(text: str, syllables: list[Syllable], hits: list[bool], before: bool, after: bool) -> str:
    """Escape a span of text and wrap runs of matched syllables in one ``<mark>`` each."""
    parts: list[str] = ["… " if before else ""]
    cursor = syllables[0].start
    index = 0
    while index < len(syllables):
        syllable = syllables[index]
        if not hits[index]:
            index += 1
            continue
        end = index
        # Join matched syllables separated by spaces only ("cải cách"), never across punctuation.
        while (
            end + 1 < len(syllables)
            and hits[end + 1]
            and not text[syllables[end].end : syllables[end + 1].start].strip()
        ):
            end += 1
        parts.append(html.escape(text[cursor : syllable.start]))
        parts.append("<mark>" + html.escape(text[syllable.start : syllables[end].end]) + "</mark>")
        cursor = syllables[end].end
        index = end + 1
    parts.append(html.escape(text[cursor : syllables[-1].end]))
    parts.append(" …" if after else "")
    return "".join(parts)


def best_snippet(fields: dict[str, Any], exact: set[str], folded: set[str]) -> str:
    """The best passage of the body or the sapo (the title when an article has neither)."""
    candidates = [fields.get(name) for name in ("summary", "body") if fields.get(name)]
    if not candidates:
        return snippet(fields.get("title", ""), exact, folded)[0]
    scored = [snippet(text, exact, folded) for text in candidates]
    return max(scored, key=lambda pair: pair[1])[0]


def _hit(fields: dict[str, Any], score: float | None, snippet_html: str | None = None) -> dict[str, Any]:
    hit = {
        "id": fields.get("id"),
        "title": fields.get("title", ""),
        "url": fields.get("url") or None,
        "published": format_date(fields.get("published")),
        "category": list(fields.get("category") or []),
        "author": fields.get("author") or None,
        "views": fields.get("views"),
        "score": round(score, 4) if score is not None else None,
    }
    if snippet_html is not None:
        hit["snippet"] = snippet_html
    return hit


def article_json(fields: dict[str, Any]) -> dict[str, Any]:
    """A stored article, as the API returns it."""
    return {
        "id": fields.get("id"),
        "title": fields.get("title", ""),
        "summary": fields.get("summary", ""),
        "body": fields.get("body", ""),
        "category": list(fields.get("category") or []),
        "tags": list(fields.get("tags") or []),
        "author": fields.get("author") or None,
        "published": format_date(fields.get("published")),
        "url": fields.get("url") or None,
        "views": fields.get("views"),
        "source": fields.get("source") or None,
    }


def _facets(groups: dict[str, dict[Any, int]]) -> dict[str, list[dict[str, Any]]]:
    categories, years = groups.get("category", {}), groups.get("year", {})
    category_rows = [{"value": k, "count": v} for k, v in categories.items() if k]
    year_rows = [{"value": int(k), "count": v} for k, v in years.items() if k is not None and 0 < k < 10000]
    category_rows.sort(key=lambda row: (-row["count"], row["value"]))
    year_rows.sort(key=lambda row: -row["value"])
    return {"category": category_rows[:FACET_LIMIT], "year": year_rows}


FACETS = (
    ("category", sorting.FieldFacet("category", allow_overlap=True, maptype=sorting.Count)),
    ("year", sorting.FieldFacet("year", maptype=sorting.Count)),
)
_FACET_VALUES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def facet_values(searcher: Searcher) -> dict[str, list[tuple[Any, ...]]]:
    """Every article's categories and year, read once per searcher (Whoosh reads them again for every search)."""
    reader = searcher.reader()
    if reader not in _FACET_VALUES:
        values: dict[str, list[tuple[Any, ...]]] = {name: [] for name, _ in FACETS}
        for leaf, offset in searcher.leaf_searchers():
            for name, facet in FACETS:
                categorizer = facet.categorizer(searcher)
                categorizer.set_searcher(leaf, offset)
                to_name = categorizer.key_to_name
                if facet.allow_overlap:
                    keys = (categorizer.keys_for(None, d) for d in range(leaf.doc_count_all()))
                else:
                    keys = ((categorizer.key_for(None, d),) for d in range(leaf.doc_count_all()))
                values[name].extend(tuple(to_name(key) for key in these) for these in keys)
        _FACET_VALUES[reader] = values
    return _FACET_VALUES[reader]


NO_DATE = 2**64 - 1  # the value Whoosh's date column holds for an article without a date


class TieOrder:
    """The order of articles with equal scores: newest first, then by id — whatever their document numbers.

    Document numbers depend on how the parallel build shared the articles between its workers, so ordering ties by
    them (as Whoosh's collector does) could change the page from one rebuild of the same articles to the next.
    Only the tied articles are looked up, in the date and fingerprint (hash, then id) columns of their segment.
    """

    def __init__(self, searcher: Searcher) -> None:
        self.starts: list[int] = []
        self.columns: list[tuple[Any, Any]] = []
        for leaf, offset in searcher.leaf_searchers():
            reader = leaf.reader()
            self.starts.append(offset)
            self.columns.append(
                tuple(
                    reader.column_reader(name, translate=False)
                    if name in reader.schema and reader.has_column(name)
                    else None
                    for name in ("published", "fingerprint")
                )
            )

    def key(self, docnum: int) -> tuple[bool, int, bytes]:
        segment = bisect.bisect_right(self.starts, docnum) - 1
        local = docnum - self.starts[segment]
        published, fingerprints = self.columns[segment]
        when = NO_DATE if published is None else published[local]
        identifier = b"" if fingerprints is None else fingerprints[local][FINGERPRINT_SIZE:]
        return when == NO_DATE, -when, identifier


def best_matches(searcher: Searcher, scored: Scores, depth: int) -> list[tuple[float, int]]:
    """The ``depth`` best (score, docnum), equal scores in ``TieOrder`` (those cut at the last place included)."""
    best = heapq.nsmallest(depth + 1, ((-s, d) for d, s in scored.items()))
    top = [(-negative, docnum) for negative, docnum in best]
    if len(top) > depth and top[depth][0] == top[depth - 1][0]:
        # The last place is shared with articles beyond it: every article with that score competes for it.
        last = top[depth - 1][0]
        top = [pair for pair in top if pair[0] != last]
        top.extend((last, docnum) for docnum, score in scored.items() if score == last)
        top.sort(key=lambda pair: -pair[0])
    if len({score for score, _ in top}) == len(top):
        return top[:depth]
    key = TieOrder(searcher).key
    ordered: list[tuple[float, int]] = []
    for _, group in itertools.groupby(top, key=lambda pair: pair[0]):
        tied = list(group)
        ordered.extend(sorted(tied, key=lambda pair: key(pair[1])) if len(tied) > 1 else tied)
    return ordered[:depth]


def _restorer(vocabulary: Vocabulary | None):
    if vocabulary is None:
        return None
    return lambda text: restore_diacritics(text, vocabulary)


def _ranked(
    searcher: Searcher, built: BuiltQuery, sort: str, limit: int, facets: bool
) -> tuple[int, list[tuple[float | None, int]], dict[str, dict[Any, int]]]:
    """Every match found: how many, the first ``limit`` in order as (score, docnum), and the facet counts.

    By relevance, the best ``RERANK_DEPTH`` (``LONG_RERANK_DEPTH`` with a long run), on every page, also get the
    query's optional boosts and phrase boosts, times the share of a headline-like run's words they hold (``coverage``),
    and are ordered again; the matches after them keep the required part's order (and score).
    """
    if sort in SORT_FIELDS:
        name, reverse = SORT_FIELDS[sort]
        # Then the fingerprint (a hash of the article, then its id): equal dates or views must not fall in the order
        # of document numbers, which the parallel build hands out differently from one rebuild to the next.
        sortedby = [sorting.FieldFacet(name, reverse=reverse), sorting.ScoreFacet(), sorting.FieldFacet("fingerprint")]
        groupedby = sorting.Facets()
        for facet_name, facet in FACETS if facets else ():
            groupedby.add_facet(facet_name, facet)
        results = searcher.search(
            built.query, limit=limit, sortedby=sortedby, **({"groupedby": groupedby} if facets else {})
        )
        groups = {facet_name: results.groups(facet_name) for facet_name, _ in FACETS} if facets else {}
        return len(results), [(None, docnum) for _, docnum in results.top_n], groups

    # Every match is scored (the total and the facets need them all anyway) and the best are taken. Never Whoosh's
    # search(limit=N): its collector "replaces" the matchers every few matches by cheaper ones judged from the
    # terms' best scores, and with an optional part (AndMaybe) loses strong matches (whoosh-community/whoosh#122).
    # The optional parts (word and stop-word boosts, a restored spelling's words) decide nothing about what
    # matches: the matches are collected under the required part, and the best candidates get the rest.
    required, optional = split_optional(built.query)
    lists = PostingLists(searcher)  # each posting list read once, for the matching and for the candidates' boosts
    scored = match_scores(searcher, required, lists)  # every match, a posting block at a time (matching.py)
    docnums, total = scored.keys(), len(scored)
    # Best first; equal scores newest first, then by id (TieOrder), the same after any rebuild.
    depth = LONG_RERANK_DEPTH if built.long_run else RERANK_DEPTH
    top = best_matches(searcher, scored, max(limit, depth))
    groups: dict[str, dict[Any, int]] = {}
    if facets:
        values = facet_values(searcher)
        for name, _ in FACETS:
            # One Counter over every match's values, counted in C (Counter.update per match was a tenth of a search).
            groups[name] = Counter(itertools.chain.from_iterable(map(values[name].__getitem__, docnums)))
    # Only the best `depth` are ordered again, whatever the page: every page agrees with the first.
    head, tail = top[:depth], top[depth:]
    if head:
        candidates = [docnum for _, docnum in head]
        extra = optional_scores(searcher, candidates, optional, lists)
        for docnum, score in proximity_scores(searcher, candidates, built.proximity, lists).items():
            extra[docnum] = extra.get(docnum, 0.0) + score
        share = coverage(searcher, candidates, built.coverage, lists)
        if extra or share:  # a headline's article holds most of its words, not a few of them many times
            head = [((score + extra.get(docnum, 0.0)) * share.get(docnum, 1.0), docnum) for score, docnum in head]
            head.sort(key=lambda pair: -pair[0])  # stable: equal scores keep the tie order
    return total, (head + tail)[:limit], groups


def ranked_ids(
    searcher: Searcher, request: SearchRequest, synonyms: Synonyms | None, vocabulary: Vocabulary | None, limit: int
) -> list[str]:
    """The ids the search API would rank first for a request, without snippets or facets (for evaluation)."""
    built = build_query(request, synonyms, _restorer(vocabulary))
    total, top, _ = _ranked(searcher, built, "relevance", limit, facets=False)
    if built.has_text and not total:
        built = build_query(request, synonyms, _restorer(vocabulary), relaxed=True)
        total, top, _ = _ranked(searcher, built, "relevance", limit, facets=False)
    return [searcher.stored_fields(docnum)["id"] for _, docnum in top]


def run_search(
    searcher: Searcher, request: SearchRequest, synonyms: Synonyms | None = None, vocabulary: Vocabulary | None = None
) -> dict[str, Any]:
    """One page of results for a request, with facets, snippets and a suggestion, as plain data."""
    started = time.perf_counter()
    if request.page > MAX_PAGE:
        raise BadQuery(f"'page' must be at most {MAX_PAGE}", f"'page' không được vượt quá {MAX_PAGE}", "bad_page")
    built = build_query(request, synonyms, _restorer(vocabulary))
    sort = request.sort if (built.has_text or request.sort != "relevance") else "newest"
    limit = request.page * request.per_page
    total, top, groups = _ranked(searcher, built, sort, limit, facets=True)
    strict_total = total
    if built.has_text and strict_total == 0:
        # Nothing has every word: show what has most of them, and say so ("relaxed" in the understood query).
        built = build_query(request, synonyms, _restorer(vocabulary), relaxed=True)
        total, top, groups = _ranked(searcher, built, sort, limit, facets=True)
    pages = math.ceil(total / request.per_page) if total else 0
    if request.page > max(1, pages):
        raise BadQuery(
            f"page {request.page} is past the last page ({pages})",
            f"trang {request.page} vượt quá trang cuối ({pages})",
            "page_out_of_range",
        )
    exact, folded = _query_terms(built)
    hits = []
    for score, docnum in top[(request.page - 1) * request.per_page :]:
        fields = searcher.stored_fields(docnum)
        hits.append(_hit(fields, score if sort == "relevance" else None, best_snippet(fields, exact, folded)))
    return {
        "query": built.understood,
        "total": total,
        "page": request.page,
        "per_page": request.per_page,
        "pages": pages,
        "took_ms": round((time.perf_counter() - started) * 1000, 2),
        "hits": hits,
        "facets": _facets(groups),
        "suggestion": suggest_query(searcher, request, strict_total, synonyms, vocabulary) if vocabulary else None,
    }


def suggest_query(
    searcher: Searcher, request: SearchRequest, total: int, synonyms: Synonyms | None, vocabulary: Vocabulary
) -> str | None:
    """ "Có phải bạn muốn tìm: …": the accented form of an unaccented query, or a close spelling that finds more."""
    text = request.q.strip()
    if not text or any(c in text for c in '":-') or len(text) > 100:
        return None
    if not has_diacritics(normalize_text(text)):
        restored = restore_diacritics(text, vocabulary)
        if restored and _finds_any(searcher, restored, request, synonyms):
            return restored
        return None
    if total >= LITTLE:
        return None
    corrected = _correct(searcher, text)
    if corrected and _count(searcher, corrected, request, synonyms) >= max(1, 2 * total):
        return corrected
    return None


def _probe(text: str, request: SearchRequest, synonyms: Synonyms | None) -> Q.Query:
    """The query a suggested text would run, in the same scope as the request."""
    return build_query(SearchRequest(q=text, scope=request.scope), synonyms).query


def _finds_any(searcher: Searcher, text: str, request: SearchRequest, synonyms: Synonyms | None) -> bool:
    """Whether a query finds anything: stops at the first match instead of scoring and counting every one."""
    query = _probe(text, request, synonyms)
    return any(query.matcher(leaf).is_active() for leaf, _offset in searcher.leaf_searchers())


def _count(searcher: Searcher, text: str, request: SearchRequest, synonyms: Synonyms | None) -> int:
    return len(searcher.search(_probe(text, request, synonyms), limit=1))


def _correct(searcher: Searcher, text: str) -> str | None:
    """Each syllable not in the index replaced by the closest one that is (one edit away)."""
    corrector = searcher.corrector("body")
    reader = searcher.reader()
    syllables = [s.text for s in split_syllables(text)]
    changed = False
    out = []
    for syllable in syllables:
        if reader.doc_frequency("body", syllable) or not syllable.isalpha():
            out.append(syllable)
            continue
        candidates = corrector.suggest(syllable, limit=1, maxdist=1)
        if candidates and WORD_JOINER not in candidates[0]:
            out.append(candidates[0])
            changed = True
        else:
            out.append(syllable)
    return " ".join(out) if changed else None


def complete(vocabulary: Vocabulary, prefix: str, limit: int = SUGGEST_LIMIT) -> list[str]:
    """Completions of what is being typed: titles and frequent words, with diacritics; the prefix may lack them."""
    typed = " ".join(s.text for s in split_syllables(prefix))
    if not typed:
        return []
    key = fold_diacritics(typed)
    accented = has_diacritics(typed)
    start = bisect.bisect_left(vocabulary.keys, key)
    candidates: list[tuple[str, int]] = []
    for index in range(start, min(len(vocabulary.keys), start + 5000)):
        if not vocabulary.keys[index].startswith(key):
            break
        display, count = vocabulary.entries[index]
        if accented and not normalize_text(display).startswith(typed):
            continue  # typed with diacritics: keep completions that agree with them
        candidates.append((display, count))
    titles = sorted((c for c in candidates if c[1] >= TITLE_WEIGHT), key=lambda c: len(c[0]))[:3]
    words = sorted((c for c in candidates if c[1] < TITLE_WEIGHT), key=lambda c: (-c[1], len(c[0])))
    return [display for display, _ in (words[: limit - len(titles)] + titles)][:limit]


class SearchEngine:
    """An index opened once and reused across searches; reopened when a new generation goes live."""

    def __init__(self, root: str | Path, synonym_files: tuple[str, ...] = ()):
        self.root = Path(root)
        self.synonyms = load_synonyms(synonym_files)
        self._lock = threading.RLock()
        self._index = None
        self._generation: Path | None = None
        self._searcher: Searcher | None = None
        self._vocabulary: Vocabulary | None = None
        self._claim = None

    def searcher(self) -> Searcher:
        """A current searcher: the same one while the index is unchanged."""
        with self._lock:
            generation = current_generation(self.root)
            if self._searcher is None or generation != self._generation:
                self.close()
                self._index = open_index(self.root)
                self._generation = generation
                self._searcher = self._index.searcher(weighting=RANKING)
                self._claim = hold_generation(generation)
            elif not self._searcher.up_to_date():
                self._searcher = self._searcher.refresh()
                self._vocabulary = None
            return self._searcher

    def _current(self) -> tuple[Searcher, Vocabulary]:
        """A current searcher and its vocabulary, from one look at which generation is live: looked at twice (a
        searcher, then a vocabulary), a switch in between closed the searcher a search was about to use."""
        with self._lock:
            searcher = self.searcher()
            if self._vocabulary is None:
                self._vocabulary = load_vocabulary(self._generation, self._index, searcher)
            return searcher, self._vocabulary

    def vocabulary(self) -> Vocabulary:
        return self._current()[1]

    def search(self, request: SearchRequest) -> dict[str, Any]:
        with self._lock:
            searcher, vocabulary = self._current()
            return run_search(searcher, request, self.synonyms, vocabulary)

    def ranked_ids(self, request: SearchRequest, limit: int = 100) -> list[str]:
        with self._lock:
            searcher, vocabulary = self._current()
            return ranked_ids(searcher, request, self.synonyms, vocabulary, limit)

    def suggest(self, prefix: str) -> list[str]:
        return complete(self.vocabulary(), prefix)

    def article(self, identifier: str) -> dict[str, Any] | None:
        with self._lock:
            fields = self.searcher().document(id=identifier)
        return article_json(fields) if fields else None

    def count(self) -> int:
        with self._lock:
            return self.searcher().doc_count()

    def close(self) -> None:
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
            if self._claim is not None:
                self._claim.close()
            self._searcher = None
            self._claim = None
            self._vocabulary = None


__all__ = ["IndexNotFound", "SearchEngine", "complete", "restore_diacritics", "run_search", "snippet"]
