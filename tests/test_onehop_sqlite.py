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


# --------------------------------------------------------------------------- adversarial pass (adv4)

#: Values of one ORDER BY column of several types (stores of older versions, hand edits):
#: GraphQLite orders them as Cypher does (maps, lists, strings, booleans, numbers, nulls last).
_MIXED = ["'Bélgica Ficticia'", "'Arcadia Ficticia'", "1984", "2.5", "true", "false", "['Lista']", "[]", "{a: 1}"]


def test_order_by_a_column_of_mixed_types_is_cypher_order(tmp_path):
    """EXILE_RECORDS orders by the host country's name: one name stored as a number among
    text names made the SQL path raise TypeError (Python cannot compare str and int), where
    GraphQLite answered in Cypher's order of types."""
    store = EmbeddedStore(tmp_path / "mixed-order.db")
    with store.transaction() as tx:
        tx.run("CREATE (:Entity:Person {id: 'per-testigo-ficticio', name: 'Testigo Ficticio', roles: ['witness']})")
        for n, value in enumerate(_MIXED):
            tx.run(f"CREATE (:Entity:Country {{id: 'cty-ficticio-{n}', name: {value}}})")
        tx.run("CREATE (:Entity:Country {id: 'cty-sin-nombre'})")
        tx.run("MATCH (p:Person), (c:Country) CREATE (p)-[:EXILED_TO {id: 'exi-' + c.id}]->(c)")
    want = _cypher(store, Q.EXILE_RECORDS)
    got = store.read(Q.EXILE_RECORDS)
    assert [r["country"] for r in got] == [r["country"] for r in want]
    assert [r["country"] for r in got] == [{"a": 1}, [], ["Lista"], "Arcadia Ficticia", "Bélgica Ficticia",
                                           False, True, 2.5, 1984, None]
    store.close()


@pytest.mark.parametrize("backend", ["embedded", "neo4j"])
def test_exile_flows_with_a_numeric_country_name_elsewhere(backend, tmp_path, request):
    """A non-defender's record to a country whose name is stored as a number (an older store,
    a hand edit) must not break the defenders' exile flows: the embedded store raised
    TypeError ordering every record before the service kept the defenders'."""
    from conftest import fresh_store
    from repgraph import service as S

    store = fresh_store(backend, tmp_path, request)
    try:
        with store.transaction() as tx:
            tx.run("CREATE (:Entity:Person {id: 'per-pedro-ejemplo', name: 'Pedro Ejemplo Núñez', roles: ['defender'], "
                   "confidentiality: 'public'})")
            tx.run("CREATE (:Entity:Person {id: 'per-testigo-ficticio', name: 'Testigo Ficticio', roles: ['witness'], "
                   "confidentiality: 'public'})")
            tx.run("CREATE (:Entity:Country {id: 'cty-arcadia', name: 'Arcadia Ficticia', confidentiality: 'public'})")
            tx.run("CREATE (:Entity:Country {id: 'cty-numero', name: 1984, confidentiality: 'public'})")
            tx.run("MATCH (p:Person {id: 'per-pedro-ejemplo'}), (c:Country {id: 'cty-arcadia'}) "
                   "CREATE (p)-[:EXILED_TO {id: 'exi-pedro', date: '2024-05', halfYear: '2024-H1', confidentiality: 'public'}]->(c)")
            tx.run("MATCH (p:Person {id: 'per-testigo-ficticio'}), (c:Country {id: 'cty-numero'}) "
                   "CREATE (p)-[:EXILED_TO {id: 'exi-testigo', confidentiality: 'public'}]->(c)")
        flows = S.exile_flows(store)
        assert [(r.person.id, r.country.name, r.date) for r in flows.records] == [("per-pedro-ejemplo", "Arcadia Ficticia", "2024-05")]
        assert [(g.key, g.count, [p.id for p in g.persons]) for g in flows.groups] == [("Arcadia Ficticia", 1, ["per-pedro-ejemplo"])]
    finally:
        store.close()


def test_a_write_committed_during_the_read_is_not_half_seen(tmp_path, monkeypatch):
    """The SQL read is several statements (the property keys, the typed tables holding
    them, the rows): each saw the file as it was when it ran, so an ingest another
    connection committed in between gave rows whose columns were read as missing (a first
    ingest into an empty store: every person's id, name and confidentiality None), where
    GraphQLite's one statement saw the file before or after. One read is one snapshot."""
    path = tmp_path / "concurrent.db"
    reader = EmbeddedStore(path)
    reader.apply_schema(schema_statements())
    real_tables = O._tables
    written = []

    def tables_after_another_write(conn, wanted):
        if not written:  # another connection (as another process would) ingests now
            writer = EmbeddedStore(path)
            ingest_case_file(writer, SYNTHETIC)
            writer.close()
            written.append(True)
        return real_tables(conn, wanted)

    monkeypatch.setattr(O, "_tables", tables_after_another_write)
    first = reader.read(Q.PERPETRATIONS)
    assert written
    # what the file held when the read began: nothing (never rows of missing values)
    assert first == [] or all(r["perpetratorId"] and r["incidentId"] for r in first)
    assert first == []
    # and the next read sees the ingest whole
    monkeypatch.setattr(O, "_tables", real_tables)
    after = reader.read(Q.PERPETRATIONS)
    assert after and all(r["perpetratorId"] and r["incidentId"] for r in after)
    assert _sorted(after) == _sorted(_cypher(reader, Q.PERPETRATIONS))
    reader.close()


@pytest.mark.parametrize("statement", [
    # a self-loop in Cypher (one node with both labels); read as every Person -> Person link
    "MATCH (x:Person)-[e:KNOWS]->(x:Person) RETURN x.id AS id, e.id AS link",
    # a relationship named as a node: no Cypher statement; its columns were read from the link
    "MATCH (x:Person)-[x:KNOWS]->(c:Country) RETURN x.id AS id",
    # one alias twice: Cypher refuses it; one of the two columns was silently dropped
    "MATCH (x:Person)-[e:KNOWS]->(c:Country) RETURN x.id AS id, c.id AS id",
])
def test_statements_the_sql_would_misread_are_left_to_graphqlite(statement):
    """The parser accepted these and derived SQL that answers something else than the
    Cypher: no statement of queries.py has such a shape today, but one edited into it
    would have been read wrongly without a word."""
    with pytest.raises(ValueError, match="not a one-hop read"):
        O.parse(statement)


def test_a_self_loop_statement_answers_only_self_loops(tmp_path):
    """What GraphQLite answers for the self-loop shape (and the SQL would not have)."""
    store = EmbeddedStore(tmp_path / "loops.db")
    with store.transaction() as tx:
        tx.run("CREATE (:Entity:Person {id: 'per-ana-ficticia'})-[:KNOWS {id: 'rel-otro'}]->(:Entity:Person {id: 'per-pedro-ejemplo'})")
        tx.run("MATCH (p:Person {id: 'per-ana-ficticia'}) CREATE (p)-[:KNOWS {id: 'rel-propio'}]->(p)")
    statement = "MATCH (x:Person)-[e:KNOWS]->(x:Person) RETURN x.id AS id, e.id AS link"
    assert store.read(statement) == [{"id": "per-ana-ficticia", "link": "rel-propio"}]
    store.close()


@pytest.mark.parametrize("statement", list(O.STATEMENTS), ids=_name)
def test_relationships_are_one_range_of_the_type_index(loaded, statement):
    """Regression (issue 12): SQLite's planner walked ``idx_edges_source`` once for every
    node of the start label (``e.source_id IN (SELECT ... label)``) and probed each
    property by a correlated sub-select: LAW_INCIDENTS at 10k persons took 12.5 ms, 8.2 ms
    read as one range of ``idx_edges_type`` with a left join per property. The plan keeps
    that shape: the edges by their type index, no list of a label's nodes, every property
    a primary-key search."""
    conn = loaded._db.sqlite_connection
    sql, params, _ = O.sql_of(conn, O.STATEMENTS[statement])
    plan = [row[-1] for row in conn.execute("EXPLAIN QUERY PLAN " + sql, params)]
    edges = [p for p in plan if p.startswith(("SCAN e", "SEARCH e "))]
    assert edges == ["SEARCH e USING INDEX idx_edges_type (type=?)"], plan
    assert not [p for p in plan if "LIST SUBQUERY" in p], plan
    props = [p for p in plan if "_props_" in p]
    assert props and all(p.startswith("SEARCH") and ("(node_id=? AND key_id=?)" in p or "(edge_id=? AND key_id=?)" in p)
                         for p in props), plan
