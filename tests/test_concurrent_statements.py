"""Concurrent ingests of different files stating the same id (issue 9): each file's
statements survive. ``apply_dataset`` reads what is stored inside its write transaction,
after locking out other writers, so no ingest overwrites another's statements with a
projection computed from a stale read. Both backends, separate store handles in threads
(separate connections: SQLite's file lock, Neo4j's lock node)."""

from __future__ import annotations

import threading
from pathlib import Path

from repgraph import service as S
from repgraph.ingest import ingest_case_file
from repgraph.store.embedded import EmbeddedStore

from conftest import _neo4j_store

FILES = 6


def _file(tmp_path: Path, k: int) -> Path:
    p = tmp_path / f"f{k}.yaml"
    p.write_text(f"""
dataset: {{name: file-{k}, title: Fake file {k}, synthetic: true}}
nodes:
  - {{label: Source, id: src-{k}, name: Fake Source {k}, type: report, title: Fake Source {k}}}
  - label: Person
    id: person-pe
    name: Pedro Ejemplo Núñez
    aliases: [Alias Ficticio {k}]
    roles: [official]
    citations: [{{source: src-{k}, quote: "Pedro Ejemplo Núñez, alias Alias Ficticio {k}"}}]
relationships: []
""", encoding="utf-8")
    return p


def _handle(store, request):
    if store.backend == "embedded":
        return EmbeddedStore(store.location)
    return _neo4j_store(request.getfixturevalue("neo4j_settings"))


def _summary(store) -> tuple:
    page = S.entity(store, "person-pe")
    return (page.name, sorted(page.properties["aliases"]), sorted({c.source for c in page.citations}),
            sorted(page.datasets))


def test_parallel_ingests_of_one_id_keep_every_file(empty_store, tmp_path, request):
    files = [_file(tmp_path, k) for k in range(FILES)]
    barrier = threading.Barrier(FILES)
    errors: list[BaseException] = []

    def run(path: Path) -> None:
        try:
            with _handle(empty_store, request) as store:
                barrier.wait(timeout=60)
                ingest_case_file(store, path)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(f,)) for f in files]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors, errors
    name, aliases, sources, datasets = _summary(empty_store)
    assert name == "Pedro Ejemplo Núñez"
    assert aliases == [f"Alias Ficticio {k}" for k in range(FILES)]
    assert sources == [f"src-{k}" for k in range(FILES)]
    assert datasets == [f"file-{k}" for k in range(FILES)]
    # the same as ingesting the files one after another (order aside)
    seq_path = tmp_path / "seq"
    seq_path.mkdir()
    if empty_store.backend == "embedded":
        with EmbeddedStore(seq_path / "seq.db") as seq:
            for f in files:
                ingest_case_file(seq, f)
            assert _summary(seq) == (name, aliases, sources, datasets)
    else:
        got = (name, aliases, sources, datasets)
        from conftest import wipe_test_database

        wipe_test_database(empty_store)
        for f in files:
            ingest_case_file(empty_store, f)
        assert _summary(empty_store) == got
