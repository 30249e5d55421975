"""graph/schema.cypher on a real Neo4j: applied, enforced, and the full-text index answers."""

from __future__ import annotations

import pytest

from repgraph.ingest import ingest_case_file
from repgraph.schema import SCHEMA_PATH, read_schema_file, render_schema, schema_statements
from repgraph.store import StoreError

from conftest import SYNTHETIC, _neo4j_store, wipe_test_database

pytestmark = pytest.mark.neo4j


def test_schema_file_is_the_rendered_ontology():
    assert SCHEMA_PATH.read_text() == render_schema()
    assert read_schema_file() == schema_statements()


@pytest.fixture(scope="module")
def neo(neo4j_settings):
    """A Neo4j store, emptied, with graph/schema.cypher applied from the file."""
    store = _neo4j_store(neo4j_settings)
    wipe_test_database(store)
    store.apply_schema(read_schema_file())
    ingest_case_file(store, SYNTHETIC)
    yield store
    store.close()


def test_every_constraint_and_index_exists_online(neo):
    constraints = {r["name"]: r for r in neo.read("SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties")}
    indexes = {r["name"]: r for r in neo.read("SHOW INDEXES YIELD name, type, state")}
    for stmt in read_schema_file():
        name = stmt.split()[2] if stmt.startswith("CREATE CONSTRAINT") else stmt.split("INDEX ")[1].split()[0]
        if stmt.startswith("CREATE CONSTRAINT"):
            assert name in constraints, stmt
            assert constraints[name]["type"] == "UNIQUENESS"
            assert constraints[name]["properties"] == ["id"]
        else:
            assert name in indexes, stmt
        assert indexes[name]["state"] == "ONLINE", name  # constraints are backed by indexes


def test_applying_the_schema_twice_is_harmless(neo):
    neo.apply_schema(read_schema_file())


@pytest.mark.parametrize("label", ["Person", "Organization", "Incident", "Source"])
def test_duplicate_id_is_refused_by_the_constraint(neo, label):
    before = neo.read("MATCH (n:Entity) RETURN count(n) AS c")[0]["c"]
    with pytest.raises(Exception) as exc:
        with neo.transaction() as tx:
            # CREATE, not MERGE: only the constraint stands between this and a duplicate
            tx.run(f"CREATE (n:Entity:{label} {{id: $id, name: 'Duplicate Fake'}})", {"id": "p-defender-alpha"})
    assert "ConstraintValidationFailed" in repr(exc.value) or "already exists" in str(exc.value)
    assert neo.read("MATCH (n:Entity) RETURN count(n) AS c")[0]["c"] == before


def test_duplicate_id_across_labels_is_refused_through_entity(neo):
    # p-defender-alpha is a Person: a Law with the same id collides on :Entity(id)
    with pytest.raises(Exception, match="ConstraintValidationFailed|already exists"):
        with neo.transaction() as tx:
            tx.run("CREATE (n:Entity:Law {id: 'p-defender-alpha', name: 'Fake Law'})")


def test_fulltext_index_answers(neo):
    rows = neo.read(
        "CALL db.index.fulltext.queryNodes('entity_names', $q) YIELD node, score "
        "RETURN node.id AS id, score ORDER BY score DESC, id",
        {"q": "Testdefender"},
    )
    assert rows and rows[0]["id"] == "p-defender-alpha"
    # aliases are indexed too, accents folded by the standard analyzer
    rows = neo.read(
        "CALL db.index.fulltext.queryNodes('entity_names', $q) YIELD node RETURN node.id AS id", {"q": "\"Ley Falsa\""}
    )
    assert [r["id"] for r in rows] == ["law-fake-ngo"]
    rows = neo.read("CALL db.index.fulltext.queryNodes('entity_names', 'FPP') YIELD node RETURN node.id AS id")
    assert "org-fake-police" in {r["id"] for r in rows}


def test_store_error_on_a_bad_statement(neo):
    with pytest.raises(StoreError):
        neo.read("THIS IS NOT CYPHER")
