"""The embedded store's id lookups stay index searches after a store is reopened.

Regression: GraphQLite runs ANALYZE at a connection's first Cypher statement. When that
statement came inside an ingest's first write transaction (after the WriteLock row was
written by SQL), SQLite recorded node tables of one row and planned every later id lookup
of the file as a full scan: the benchmark's 10,000 persons took 340 s to ingest instead
of about 11 s. The store now makes that first statement when it opens."""

from __future__ import annotations

from repgraph.ingest import ingest_case_file
from repgraph.schema import schema_statements
from repgraph.store.embedded import EmbeddedStore

from conftest import SYNTHETIC

ID_LOOKUP = "EXPLAIN QUERY PLAN SELECT node_id FROM node_props_text WHERE key_id = ? AND value = ?"
LABELS_OF = "EXPLAIN QUERY PLAN SELECT label FROM node_labels WHERE node_id = ?"


def _plans(store: EmbeddedStore) -> list[str]:
    c = store._db.sqlite_connection
    return [row[-1] for q, p in ((ID_LOOKUP, (1, "x")), (LABELS_OF, (1,))) for row in c.execute(q, p)]


def test_id_lookups_are_index_searches_after_reopening_and_a_first_ingest(tmp_path):
    path = tmp_path / "store.db"
    store = EmbeddedStore(path)
    store.apply_schema(schema_statements())
    store.close()
    store = EmbeddedStore(path)  # a new connection, as `repgraph ingest` and the benchmark's child make
    try:
        ingest_case_file(store, SYNTHETIC)
        plans = _plans(store)
    finally:
        store.close()
    assert plans and all(p.startswith("SEARCH") for p in plans), plans
    reopened = EmbeddedStore(path)
    try:
        assert all(p.startswith("SEARCH") for p in _plans(reopened)), _plans(reopened)
    finally:
        reopened.close()
