"""The embedded store's whole-store one-hop reads in SQL (store/onehop_sqlite.py) answer
exactly what GraphQLite's Cypher answers for the same statement: same rows, same types,
same order where the statement orders. tests/test_conformance.py holds the same reads to
Neo4j's answers."""

from __future__ import annotations

import json

import pytest

from repgraph import queries as Q
from repgraph.ingest import ingest_case_file
from repgraph.schema import schema_statements
from repgraph.seed import seed_files
from repgraph.store import onehop_sqlite as O
from repgraph.store.embedded import EmbeddedStore, _run

from conftest import SYNTHETIC


def _cypher(store: EmbeddedStore, statement: str) -> list[dict]:
    """GraphQLite's own answer (what EmbeddedStore.read gave before the SQL path)."""
    with store._lock:
        return _run(store._db, statement, None)


def _sorted(rows: list[dict]) -> list[str]:
    return sorted(json.dumps(r, sort_keys=True) for r in rows)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    store = EmbeddedStore(tmp_path_factory.mktemp("onehop") / "s.db")
    store.apply_schema(schema_statements())
    for f in [SYNTHETIC, *seed_files()]:
        ingest_case_file(store, f)
    yield store
    store.close()


def _name(statement: str) -> str:
    return next(k for k, v in vars(Q).items() if v is statement)


@pytest.mark.parametrize("statement", list(O.STATEMENTS), ids=_name)
def test_sql_answers_what_graphqlite_answers(loaded, statement):
    want, got = _cypher(loaded, statement), loaded.read(statement)
    assert got, f"{_name(statement)}: no rows, the case proves nothing"
    assert _sorted(got) == _sorted(want)
    if "ORDER BY" in statement:
        assert got == want
    # the values keep GraphQLite's types: lists decoded, citations as the JSON text stored
    for row, same in zip(sorted(got, key=json.dumps), sorted(want, key=json.dumps)):
        assert [type(v) for v in row.values()] == [type(v) for v in same.values()]


def test_the_seed_reads_the_right_rows(loaded):
    """Values that matter: the seed's laws applied and the exile records of the report."""
    laws = {(r["ownerId"], r["id"]) for r in loaded.read(Q.LAW_INCIDENTS)}
    assert laws == {(r["ownerId"], r["id"]) for r in _cypher(loaded, Q.LAW_INCIDENTS)}
    perpetrators = loaded.read(Q.PERPETRATIONS)
    assert all(r["perpetratorLabels"] and "Entity" in r["perpetratorLabels"] for r in perpetrators)
    assert all(isinstance(r["perpetratorLabels"], list) for r in perpetrators)


def test_a_key_held_in_two_typed_tables_reads_each_value(tmp_path):
    """A property written as text on one node and as a number on another (stores of older
    versions, hand edits) is read from both tables, each value with its own type."""
    store = EmbeddedStore(tmp_path / "mixed.db")
    with store.transaction() as tx:
        tx.run("CREATE (:Entity:Incident {id: 'inc-ejemplo-1', name: 'Ejemplo uno', date: '2024-03-01', citations: '[]'})")
        tx.run("CREATE (:Entity:Incident {id: 'inc-ejemplo-2', name: 'Ejemplo dos', date: 2024, citations: '[]'})")
        tx.run("CREATE (:Entity:Law {id: 'law-ficticia', name: 'Ley Ficticia'})")
        tx.run("MATCH (i:Incident), (l:Law) CREATE (i)-[:APPLIED_LAW]->(l)")
    got = sorted(store.read(Q.LAW_INCIDENTS), key=lambda r: r["id"])
    assert [(r["id"], r["date"]) for r in got] == [("inc-ejemplo-1", "2024-03-01"), ("inc-ejemplo-2", 2024)]
    assert [r["confidentiality"] for r in got] == [None, None]  # a missing property reads None
    assert _sorted(got) == _sorted(_cypher(store, Q.LAW_INCIDENTS))
    store.close()


@pytest.mark.parametrize("statement", [Q.HEADS, Q.GUILT_BY_ASSOCIATION, Q.LAWS, Q.PERPETRATIONS_OF])
def test_other_shapes_are_left_to_graphqlite(statement):
    """A second hop, a filter, a parameter or a lone node is not parsed: GraphQLite answers."""
    with pytest.raises(ValueError, match="not a one-hop read"):
        O.parse(statement)
