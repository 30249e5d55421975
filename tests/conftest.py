"""Fixtures: a real embedded store and a real Neo4j (never mocks).

Neo4j: ``NEO4J_URI`` set -> that server; else testcontainers' Neo4j module when a Docker
engine answers; else Neo4j tests skip with that reason (CI fails on such skips).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from repgraph import queries as Q
from repgraph.ingest import ingest_case_file
from repgraph.schema import schema_statements
from repgraph.seed import seed_files
from repgraph.store.embedded import EmbeddedStore

FIXTURES = Path(__file__).parent / "fixtures"
SYNTHETIC = FIXTURES / "synthetic.yaml"
BACKENDS = ["embedded", "neo4j"]


def _docker_available() -> bool:
    try:
        import docker

        docker.from_env().ping()
        return True
    except Exception:
        return False


@pytest.fixture(scope="session")
def neo4j_settings():
    """Connection settings of a real Neo4j, or skip with the reason."""
    if os.environ.get("NEO4J_URI"):
        return {
            "uri": os.environ["NEO4J_URI"],
            "user": os.environ.get("NEO4J_USER", "neo4j"),
            "password": os.environ.get("NEO4J_PASSWORD") or None,
            "database": os.environ.get("NEO4J_DATABASE", "neo4j"),
        }
    if _docker_available():
        from testcontainers.neo4j import Neo4jContainer

        container = Neo4jContainer("neo4j:5.26")
        container.start()
        yield_settings = {"uri": container.get_connection_url(), "user": "neo4j",
                          "password": container.password, "database": "neo4j"}
        pytest.neo4j_container = container  # stopped at session end by the finalizer below
        return yield_settings
    pytest.skip("Neo4j tests need NEO4J_URI (see scripts/neo4j-test-server) or a Docker engine for testcontainers")


def pytest_sessionfinish(session, exitstatus):
    container = getattr(pytest, "neo4j_container", None)
    if container is not None:
        container.stop()


def _neo4j_store(settings):
    from repgraph.store.neo4j_backend import Neo4jStore

    return Neo4jStore(settings["uri"], settings["user"], settings["password"], settings["database"])


def fresh_store(backend: str, tmp_path: Path, request):
    """An empty store of the given backend with the schema applied."""
    if backend == "embedded":
        store = EmbeddedStore(tmp_path / "test.db")
    else:
        request.applymarker(pytest.mark.neo4j)
        store = _neo4j_store(request.getfixturevalue("neo4j_settings"))
        with store.transaction() as tx:
            tx.run(Q.DELETE_ALL)
    store.apply_schema(schema_statements())
    return store


@pytest.fixture(params=BACKENDS)
def empty_store(request, tmp_path):
    """An empty store, once per backend."""
    store = fresh_store(request.param, tmp_path, request)
    yield store
    store.close()


@pytest.fixture(params=BACKENDS)
def synthetic_store(request, tmp_path):
    """The synthetic fixture network loaded, once per backend."""
    store = fresh_store(request.param, tmp_path, request)
    ingest_case_file(store, SYNTHETIC)
    yield store
    store.close()


@pytest.fixture(params=BACKENDS)
def seed_store(request, tmp_path):
    """The real seed dataset loaded, once per backend."""
    store = fresh_store(request.param, tmp_path, request)
    for f in seed_files():
        ingest_case_file(store, f)
    yield store
    store.close()


def pytest_collection_modifyitems(config, items):
    # Parametrised backend fixtures mark their Neo4j instances, so `-m neo4j` selects them
    # and CI can check none of them skipped.
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec and any(v == "neo4j" for v in callspec.params.values()):
            item.add_marker(pytest.mark.neo4j)


@pytest.fixture
def synthetic_db(tmp_path):
    """An embedded store file with the synthetic network, ingested through the real CLI."""
    from typer.testing import CliRunner

    from repgraph.cli import app

    db = tmp_path / "syn.db"
    result = CliRunner().invoke(app, ["ingest", str(SYNTHETIC), "--db", str(db)])
    assert result.exit_code == 0, result.output
    return db
