"""The parts of ``repgraph import-neo4j`` that need no server: staging (the ingest run
against an in-memory store) and the neo4j-admin CSV files. The end-to-end equality with a
transactional ingest is tests/test_offline_import.py (Neo4j)."""

from __future__ import annotations

import csv
import json

import pytest

from repgraph import queries as Q
from repgraph.ingest import CaseFileError
from repgraph.ingest.offline import ARRAY_DELIMITER, stage_paths, write_csv
from repgraph.ingest.staging import StagingStore
from repgraph.seed import seed_files
from repgraph.store.embedded import EmbeddedStore
from repgraph.ingest import ingest_case_file

from conftest import SYNTHETIC


def test_staged_graph_holds_what_an_embedded_ingest_holds(tmp_path):
    graph, results = stage_paths([SYNTHETIC, *seed_files()])
    store = EmbeddedStore(tmp_path / "e.db")
    try:
        ingested = [ingest_case_file(store, f) for f in [SYNTHETIC, *seed_files()]]
        assert results == ingested  # same files, datasets, node and relationship counts
        rows = store.read("MATCH (n:Entity) RETURN n.id AS id, properties(n) AS props")
        assert len(graph.nodes) == len(rows) == sum(r.nodes for r in results)
        for row in rows:
            label, props = graph.nodes[row["id"]]
            assert props == row["props"], row["id"]
        assert len(graph.relationships) == sum(r.relationships for r in results)
        assert set(graph.datasets) == {"dataset:synthetic-fixture", "dataset:pddhe-2025-report",
                                       "dataset:us-treasury-2019-11-05"}
    finally:
        store.close()


def test_bad_file_raises_the_ingests_located_error(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"dataset": {"name": "bad-fake", "title": "Fake"}, "nodes": [
        {"label": "Person", "id": "p-fake", "name": "Ana Ficticia", "roles": ["no-such-role"]}]}))
    with pytest.raises(CaseFileError) as exc:
        stage_paths([SYNTHETIC, bad])
    assert "nodes[0] (id=p-fake)" in str(exc.value) and "roles" in str(exc.value)


def test_staging_store_refuses_statements_the_ingest_does_not_run():
    with pytest.raises(NotImplementedError):
        StagingStore().read(Q.NODE_TOTAL)


def test_csv_types_quotes_and_empty_list_markers(tmp_path):
    graph, _ = stage_paths([SYNTHETIC])
    files = write_csv(graph, tmp_path / "csv")
    assert files.nodes == len(graph.nodes) + len(graph.datasets)
    assert files.relationships == len(graph.relationships)
    person = next(a.split("=", 2)[2] for a in files.node_args if a.startswith("--nodes=Entity:Person="))
    with open(person, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    assert header[0] == "id:ID(Entity)"
    assert "roles:string[]" in header and "confidence:double" in header and "datasets:string[]" in header
    assert any(h.startswith(Q.EMPTY_LIST_MARKER.format(prop="aliases")) for h in header)
    by_id = {r[0]: dict(zip(header, r)) for r in rows[1:]}
    witness = by_id["p-witness-zeta"]
    assert witness["name:string"] == 'Zeta <b>Fake</b> & "Witness"'  # quotes doubled, read back whole
    alpha = by_id["p-defender-alpha"]
    assert alpha["roles:string[]"].split(ARRAY_DELIMITER) == ["defender", "lawyer"]
    assert ("Person", "aliases", False) in files.empty_lists
