"""Fixtures: a real embedded store and a real Neo4j (never mocks).

Neo4j: ``REPGRAPH_TEST_NEO4J_URI`` (+ ``_USER``, ``_PASSWORD``, ``_DATABASE``) set -> that
server; else testcontainers' Neo4j module when a Docker engine answers; else Neo4j tests
skip with that reason (CI fails on such skips). ``NEO4J_URI`` and the other variables that
point repgraph at a user's store are never read here, and are removed from the environment
for the whole session, so no test can reach a user's data by accident.

The tests empty their Neo4j database again and again: before the first test runs, the
database is claimed as scratch (:mod:`repgraph.store.scratch`): an empty one is marked
(a schema index, invisible to node and relationship counts); one holding data without
that mark is refused and the session stops (exit code 4), having written nothing.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from repgraph.ingest import ingest_case_file
from repgraph.schema import schema_statements
from repgraph.seed import seed_files
from repgraph.store.embedded import EmbeddedStore
from repgraph.store.scratch import NotScratch, claim_scratch, wipe_scratch

FIXTURES = Path(__file__).parent / "fixtures"
SYNTHETIC = FIXTURES / "synthetic.yaml"
#: persons, relatives and incidents at every confidentiality level (the redaction tests)
PROTECTED = FIXTURES / "protected.yaml"
BACKENDS = ["embedded", "neo4j"]


#: Variables that point repgraph at a store; tests run without them (see the docstring).
USER_STORE_VARIABLES = ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE",
                        "REPGRAPH_BACKEND", "REPGRAPH_DB")


def pytest_configure(config):
    for name in USER_STORE_VARIABLES + ("REPGRAPH_ACCESS_DB",):
        os.environ.pop(name, None)
    # A Neo4j store's access file (users, audit log) lives under $XDG_DATA_HOME: the tests'
    # (CLI reads are audited) go to a temporary folder, never the user's.
    import tempfile

    os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="repgraph-test-xdg-")


def wipe_test_database(store) -> None:
    """Delete everything in the tests' Neo4j database (only ever one claimed by the tests)."""
    try:
        wipe_scratch(store)
    except NotScratch as exc:
        pytest.exit(str(exc), returncode=4)


def _docker_available() -> bool:
    try:
        import docker

        docker.from_env().ping()
        return True
    except Exception:
        return False


def _settings_from_environment() -> dict | None:
    """The test server named by REPGRAPH_TEST_NEO4J_* (never NEO4J_*), or None."""
    if not os.environ.get("REPGRAPH_TEST_NEO4J_URI"):
        return None
    return {
        "uri": os.environ["REPGRAPH_TEST_NEO4J_URI"],
        "user": os.environ.get("REPGRAPH_TEST_NEO4J_USER", "neo4j"),
        "password": os.environ.get("REPGRAPH_TEST_NEO4J_PASSWORD") or None,
        "database": os.environ.get("REPGRAPH_TEST_NEO4J_DATABASE", "neo4j"),
    }


def _claim_or_exit(settings: dict) -> None:
    """Claim the database for the tests, or stop the session (exit code 4) having written nothing."""
    store = _neo4j_store(settings)
    try:
        claim_scratch(store, "the Neo4j tests")
    except NotScratch as exc:
        pytest.exit(str(exc), returncode=4)
    finally:
        store.close()


def pytest_collection_finish(session):
    # Before any test runs: a session that will touch Neo4j first checks it owns the database.
    settings = _settings_from_environment()
    if settings and any(item.get_closest_marker("neo4j") for item in session.items):
        from repgraph.store import StoreError

        try:
            _claim_or_exit(settings)
        except StoreError:
            pass  # unreachable: the neo4j_settings fixture reports it in each test


@pytest.fixture(scope="session")
def neo4j_settings():
    """Connection settings of a real Neo4j meant for tests, or skip with the reason.

    Stops the session (pytest exit code 4, nothing written) when that database holds data
    the tests did not create: see :mod:`repgraph.store.scratch`.
    """
    settings = _settings_from_environment()
    if settings is None and _docker_available():
        from testcontainers.neo4j import Neo4jContainer

        container = Neo4jContainer("neo4j:5.26")
        container.start()
        settings = {"uri": container.get_connection_url(), "user": "neo4j",
                    "password": container.password, "database": "neo4j"}
        pytest.neo4j_container = container  # stopped at session end by the finalizer below
    if settings is None:
        pytest.skip("Neo4j tests need REPGRAPH_TEST_NEO4J_URI (see scripts/neo4j-test-server) "
                    "or a Docker engine for testcontainers")
    _claim_or_exit(settings)
    return settings


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
        wipe_test_database(store)
    store.apply_schema(schema_statements())
    return store


def case_store(case: dict, backend: str, tmp_path: Path, request):
    """A fresh store of ``backend`` holding the case file ``case`` (a dict), written to
    ``tmp_path`` and ingested as ``repgraph ingest`` would; the caller closes it."""
    path = tmp_path / f"{case['dataset']['name']}.json"
    path.write_text(json.dumps(case), encoding="utf-8")
    store = fresh_store(backend, tmp_path, request)
    ingest_case_file(store, path)
    return store


@pytest.fixture(params=BACKENDS)
def empty_store(request, tmp_path):
    """An empty store, once per backend."""
    store = fresh_store(request.param, tmp_path, request)
    yield store
    store.close()


@pytest.fixture(params=BACKENDS)
def protected_store(request, tmp_path):
    """tests/fixtures/protected.yaml loaded, once per backend."""
    store = fresh_store(request.param, tmp_path, request)
    ingest_case_file(store, PROTECTED)
    yield store
    store.close()


def md_section(md: str, heading: str) -> str:
    """The text of a Markdown document's section under ``heading`` (a whole heading
    line, e.g. ``"## 5. Exculpatory information"``), up to the next heading."""
    return md.split(heading, 1)[1].split("\n#", 1)[0].strip()


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
