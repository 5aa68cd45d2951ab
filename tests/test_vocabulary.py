"""The vocabulary an index's suggestions come from: the same articles give the same vocabulary."""

from __future__ import annotations

from whoosh import index as whoosh_index

from search_service.schema import build_schema
from search_service.vocabulary import build_vocabulary


def _vocabulary(folder, titles):
    """An index with one segment per title, in the given order (as parallel indexing processes leave them)."""
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), build_schema())
    for number, title in enumerate(titles):
        writer = ix.writer()
        writer.add_document(id=str(number), title=title, body=title)
        writer.commit(merge=False)
    with ix.searcher() as searcher:
        assert len(searcher.reader().leaf_readers()) == len(titles)
        return build_vocabulary(searcher)


def test_a_tie_between_two_accented_forms_goes_the_same_way_whichever_segment_holds_which(tmp_path):
    titles = ["Phòng cháy", "Phong thấp"]  # "phong" once each way
    first = _vocabulary(tmp_path / "a", titles)
    second = _vocabulary(tmp_path / "b", titles[::-1])
    assert first.best_form["phong"] == second.best_form["phong"]
    assert first.best_form == second.best_form and first.entries == second.entries
