"""The layout of ``search_service/``: one concern per module, and imports that run one way (``docs/architecture.md``).

Every import is read from the source, at any depth of a module (an import inside a function is an arrow too).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "search_service"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    """Each module of the package: the names it imports (modules of the package, or outside libraries' top names)."""
    graph: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = _module_name(path)
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                    target = f"{base}.{node.module}" if node.module else base
                else:
                    target = node.module or ""
                found.add(target)
                # `from . import api` imports a module, not a name
                found.update(f"{target}.{alias.name}" for alias in node.names)
        graph[name] = found
    return {
        name: {target for target in targets if target in graph or not target.startswith("search_service")}
        for name, targets in graph.items()
    }


GRAPH = _imports()
MODULES = set(GRAPH)


def _internal(name: str) -> set[str]:
    return {target for target in GRAPH[name] if target in MODULES and target != name}


def _reachable(name: str) -> set[str]:
    seen: set[str] = set()
    todo = [name]
    while todo:
        for target in _internal(todo.pop()):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def test_the_layout_has_its_modules():
    for name in ("store", "ranking", "query", "searcher", "results", "indexer", "schema", "sources", "whoosh_ext"):
        assert f"search_service.{name}" in MODULES


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        ("search_service.searcher", "search_service.indexer"),  # readers never depend on the writer
        ("search_service.indexer", "search_service.searcher"),
        ("search_service.query", "search_service.whoosh_ext.matching"),  # building a plan never loads the matcher
        ("search_service.query", "search_service.searcher"),
        ("search_service.store", "search_service.indexer"),
        ("search_service.ranking", "search_service.query"),  # the table of numbers depends on nothing
    ],
)
def test_no_arrow_runs_the_wrong_way(importer, imported):
    assert imported not in _reachable(importer)


def test_the_reader_and_the_writer_stand_on_the_store():
    assert "search_service.store" in _internal("search_service.searcher")
    assert "search_service.store" in _internal("search_service.indexer")


def test_no_module_imports_itself_through_others():
    cycles = sorted(name for name in MODULES if name in _reachable(name))
    assert cycles == []


def test_the_ranking_table_is_the_only_home_of_the_weights():
    # query.py and searcher.py read every weight, depth and threshold from ranking.py
    for name in ("query", "searcher"):
        source = (PACKAGE / f"{name}.py").read_text(encoding="utf-8")
        for constant in ("K1 =", "B =", "TERM_WEIGHTS =", "PHRASE_BOOST =", "RERANK_DEPTH =", "LONG_RUN_FROM ="):
            assert constant not in source, f"{name}.py defines {constant}"


def test_only_the_edges_import_flask_and_click():
    for name, targets in GRAPH.items():
        if "flask" in targets or "werkzeug" in {t.split(".")[0] for t in targets}:
            assert name.startswith("search_service.web"), name
        if "click" in targets:
            assert name == "search_service.cli", name


def test_whooshs_private_parts_are_used_in_whoosh_ext_only():
    private = ("._merge_segments", "._commit_toc", "._finalize_segment", "._postfile", "._perdoc", "._dbfile")
    for path in PACKAGE.rglob("*.py"):
        if "whoosh_ext" in path.parts:
            continue
        source = path.read_text(encoding="utf-8")
        assert not [p for p in private if p in source], path.name
