"""The test suite never deletes a user's Neo4j data (issue 8 item 1).

The tests read only ``REPGRAPH_TEST_NEO4J_*``; a database holding data they did not create
(no marker index) is refused before anything is written. These tests take the session's
test database, strip its marker, put "user" data in it, and run the suite against it in a
real pytest process.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from repgraph import queries as Q
from repgraph.store.scratch import NotScratch, claim_scratch, is_scratch, wipe_scratch

from conftest import _neo4j_store, wipe_test_database

pytestmark = pytest.mark.neo4j

REPO = Path(__file__).resolve().parents[1]
USER_DATA = (
    "CREATE (a:Person {id: 'user-ana', name: 'Ana Ficticia'})-[:KNOWS]->(b:Person {id: 'user-pedro', "
    "name: 'Pedro Ejemplo Núñez'})-[:KNOWS]->(c:Note {text: 'not for tests'})"
)


@pytest.fixture
def unmarked(neo4j_settings):
    """The session's test database, without its marker; re-marked and emptied afterwards."""
    store = _neo4j_store(neo4j_settings)
    wipe_test_database(store)
    store.apply_schema([Q.SCRATCH_MARKER_DROP])
    assert not is_scratch(store)
    try:
        yield store
    finally:
        with store.transaction() as tx:
            tx.run("MATCH (n) DETACH DELETE n")  # the fake "user" data this test made
        claim_scratch(store)
        assert is_scratch(store)
        store.close()


def _counts(store) -> tuple[int, int]:
    return store.read(Q.ANY_NODE_COUNT)[0]["n"], store.read(Q.ANY_RELATIONSHIP_COUNT)[0]["n"]


def _pytest(settings, *args) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "REPGRAPH_"))}
    env.update(REPGRAPH_TEST_NEO4J_URI=settings["uri"], REPGRAPH_TEST_NEO4J_USER=settings["user"],
               REPGRAPH_TEST_NEO4J_PASSWORD=settings["password"] or "",
               REPGRAPH_TEST_NEO4J_DATABASE=settings["database"])
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-o", "addopts=", "-q", *args],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=300)


def test_suite_refuses_a_database_with_data_it_did_not_create(unmarked, neo4j_settings):
    with unmarked.transaction() as tx:
        tx.run(USER_DATA)
    assert _counts(unmarked) == (3, 2)
    proc = _pytest(neo4j_settings, "tests/test_ingest.py", "-k", "neo4j")
    out = proc.stdout + proc.stderr
    assert proc.returncode == 4, out
    assert f"refusing to run the Neo4j tests against {neo4j_settings['uri']}" in out
    assert "holds 3 nodes and 2 relationships that the Neo4j tests did not create" in out
    assert " passed" not in out  # stopped before the first Neo4j test ran
    # the user's data is intact, and nothing was written (not even the marker)
    assert _counts(unmarked) == (3, 2)
    assert unmarked.read("MATCH (p:Person) RETURN p.name AS name ORDER BY name") == [
        {"name": "Ana Ficticia"}, {"name": "Pedro Ejemplo Núñez"}]
    assert not is_scratch(unmarked)


def test_wipe_and_claim_refuse_user_data(unmarked):
    """The library calls themselves (the benchmark uses them too): refused, data intact."""
    with unmarked.transaction() as tx:
        tx.run(USER_DATA)
    with pytest.raises(NotScratch, match="holds 3 nodes and 2 relationships"):
        claim_scratch(unmarked, "the benchmark")
    with pytest.raises(NotScratch, match="does not carry"):
        wipe_scratch(unmarked)
    assert _counts(unmarked) == (3, 2) and not is_scratch(unmarked)


def test_user_variables_are_never_read(unmarked, neo4j_settings):
    """NEO4J_URI names the user's server: with only that set, Neo4j tests skip; the data stays."""
    with unmarked.transaction() as tx:
        tx.run(USER_DATA)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "REPGRAPH_"))}
    env.update(NEO4J_URI=neo4j_settings["uri"], NEO4J_USER=neo4j_settings["user"],
               NEO4J_PASSWORD=neo4j_settings["password"] or "", DOCKER_HOST="unix:///nonexistent")
    proc = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-o", "addopts=", "-q", "-rs",
                           "tests/test_store_paths.py::test_open_store_creates_only_when_asked",
                           "tests/test_neo4j_schema.py::test_applying_the_schema_twice_is_harmless"],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert "1 passed, 1 skipped" in out and "need REPGRAPH_TEST_NEO4J_URI" in out
    assert _counts(unmarked) == (3, 2)


def test_an_empty_database_is_marked_and_used(unmarked, neo4j_settings):
    assert _counts(unmarked) == (0, 0)
    proc = _pytest(neo4j_settings, "tests/test_neo4j_schema.py::test_applying_the_schema_twice_is_harmless")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "1 passed" in proc.stdout
    assert is_scratch(unmarked)
