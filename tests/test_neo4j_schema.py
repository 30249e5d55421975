"""graph/schema.cypher on a real Neo4j: applied, enforced, and the full-text index answers."""

from __future__ import annotations

import pytest

from repgraph import queries as Q
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
        if stmt.startswith("DROP INDEX"):
            assert stmt.split()[2] not in indexes, stmt  # retired
            continue
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
    """The index search reads: folded prefix terms on searchText (every name and alias)."""
    rows = neo.read(
        "CALL db.index.fulltext.queryNodes('entity_search', $q) YIELD node, score "
        "RETURN node.id AS id, score ORDER BY score DESC, id",
        {"q": Q.fulltext_query(["testdef"])},
    )
    assert [r["id"] for r in rows] == ["inc-alpha-detention", "p-defender-alpha"] or \
        {r["id"] for r in rows} == {"inc-alpha-detention", "p-defender-alpha"}
    rows = neo.read("CALL db.index.fulltext.queryNodes('entity_search', $q) YIELD node RETURN node.id AS id",
                    {"q": 'searchText:"ley falsa"'})  # an alias, as a phrase
    assert [r["id"] for r in rows] == ["law-fake-ngo"]
    rows = neo.read("CALL db.index.fulltext.queryNodes('entity_search', $q) YIELD node RETURN node.id AS id",
                    {"q": Q.fulltext_query(["fpp"])})
    assert {r["id"] for r in rows} == {"org-fake-police", "pos-fpp-agent", "pos-fpp-director"}


def test_old_search_indexes_are_retired(neo):
    """A store made by an earlier version loses its old search indexes when the schema is applied."""
    neo.apply_schema(["CREATE TEXT INDEX entity_search_text IF NOT EXISTS FOR (n:Entity) ON (n.searchText)"])
    assert "entity_search_text" in {r["name"] for r in neo.read("SHOW INDEXES YIELD name")}
    neo.apply_schema(read_schema_file())
    names = {r["name"] for r in neo.read("SHOW INDEXES YIELD name")}
    assert "entity_search_text" not in names and "entity_names" not in names and "entity_search" in names


def test_store_error_on_a_bad_statement(neo):
    with pytest.raises(StoreError):
        neo.read("THIS IS NOT CYPHER")
