"""Neo4j through the routing scheme (``neo4j://``), as a cluster or Aura is addressed, and
through ``bolt://`` (one server, no routing): the same writes, reads and search."""

from __future__ import annotations

import neo4j
import pytest

from repgraph import service as S
from repgraph.ingest import ingest_case_file
from repgraph.schema import schema_statements
from repgraph.store.neo4j_backend import Neo4jStore

from conftest import SYNTHETIC, wipe_test_database

pytestmark = pytest.mark.neo4j


@pytest.mark.parametrize("scheme, driver_class", [("neo4j", neo4j.Neo4jDriver), ("bolt", neo4j.BoltDriver)])
def test_both_schemes_write_read_and_search(neo4j_settings, scheme, driver_class):
    uri = f"{scheme}://{neo4j_settings['uri'].split('://', 1)[1]}"
    store = Neo4jStore(uri, neo4j_settings["user"], neo4j_settings["password"], neo4j_settings["database"])
    try:
        assert isinstance(store._driver, driver_class)  # neo4j:// routes: reads go to a reader
        wipe_test_database(store)  # only ever the tests' own database
        store.apply_schema(schema_statements())
        ingest_case_file(store, SYNTHETIC)
        assert [h.id for h in S.search(store, "alfa").items] == ["p-defender-alpha", "inc-alpha-detention"]
        assert S.entity(store, "p-defender-alpha").name == "Alfa Testdefender"
        assert store.location == uri
    finally:
        store.close()
