"""Citations carry their source's title from a per-store cache of every source's title
(service._titles): a title changed by this process shows in the next answer, one
changed by another process once the store's change token or the cache's time limit says
so, and a source added later is titled as soon as it is cited."""

from __future__ import annotations

import time

from repgraph import service as S
from repgraph.ingest import ingest_case_file
from repgraph.store import cache
from repgraph.store.embedded import EmbeddedStore

from conftest import _neo4j_store

RETITLE = "MATCH (s:Source {id: $id}) SET s.title = $title"


def _titles(store) -> set[str | None]:
    chain = S.responsibility_chain(store, "inc-alpha-detention")
    return {c.source_title for c in chain.incident.citations}


def _other_store(store, request, tmp_path):
    """A second connection to the same data, as another process has."""
    if store.backend == "embedded":
        return EmbeddedStore(tmp_path / "test.db")
    return _neo4j_store(request.getfixturevalue("neo4j_settings"))


def test_a_title_changed_here_shows_in_the_next_answer(synthetic_store):
    assert _titles(synthetic_store) == {"Fake Report One"}
    with synthetic_store.transaction() as tx:
        tx.run(RETITLE, {"id": "src-fake-report", "title": "Fake Report One, second edition"})
    assert _titles(synthetic_store) == {"Fake Report One, second edition"}


def test_a_title_changed_by_another_process_shows(synthetic_store, request, tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "TTL", 0.5)
    assert _titles(synthetic_store) == {"Fake Report One"}
    other = _other_store(synthetic_store, request, tmp_path)
    try:
        with other.transaction() as tx:
            tx.run(RETITLE, {"id": "src-fake-report", "title": "Fake Report One, corrected"})
    finally:
        other.close()
    if synthetic_store.backend == "embedded":  # SQLite's data_version sees the commit at once
        assert _titles(synthetic_store) == {"Fake Report One, corrected"}
    time.sleep(1.1)  # past Neo4j's token interval and the cache's time limit
    assert _titles(synthetic_store) == {"Fake Report One, corrected"}


def test_a_source_added_later_is_titled(synthetic_store, tmp_path):
    assert _titles(synthetic_store) == {"Fake Report One"}
    case = tmp_path / "later.yaml"
    case.write_text(
        "dataset: {name: later-source, title: Later fake source}\n"
        "nodes:\n"
        "  - {label: Source, id: src-fake-later, name: Fake Later Report, type: report, title: Fake Later Report}\n"
        "  - label: Incident\n"
        "    id: inc-alpha-detention\n"
        "    name: Detention of Alfa Testdefender\n"
        "    type: arbitrary_detention\n"
        "    date: \"2024-08-03\"\n"
        "    citations: [{source: src-fake-later, quote: \"Fake quote: Alfa was held for a week.\"}]\n"
        "relationships: []\n"
    )
    ingest_case_file(synthetic_store, case)
    assert "Fake Later Report" in _titles(synthetic_store)
