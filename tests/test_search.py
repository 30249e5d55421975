"""Full-text search on both backends: prefixes, folding, word order, query syntax typed by
users, and the embedded index kept in step with every write (triggers) and built for
stores of earlier versions. Names are obviously fake."""

from __future__ import annotations

import unicodedata

import pytest

from repgraph import queries as Q
from repgraph import service as S
from repgraph.ingest.writer import write_case
from repgraph.ontology import CaseFile, fold, search_text, search_words
from repgraph.store.embedded import EmbeddedStore
from repgraph.store import fulltext_sqlite

NFD = lambda s: unicodedata.normalize("NFD", s)  # noqa: E731

PEOPLE = {
    "p-munoz": "Néstor Ficticio Muñoz",
    "p-velasquez": "Yendri Ejemplo Velásquez",
    "p-pawel": "Paweł Ficticki",
    "p-soren": "Søren Ørsted Ejemplo",
    "p-ofic": "Ana O'Ficticio",
    "p-perez": "Pedro Pérez-Jiménez",
    "p-nfd": NFD("Nuñez Ejemplo Ibáñez"),
    "p-strasse": "Fake Straße",
}
CASE = {
    "dataset": {"name": "search-fixture", "title": "Search fixture (fake names)", "synthetic": True},
    "nodes": [
        *({"label": "Person", "id": i, "name": n, "roles": ["witness"]} for i, n in PEOPLE.items()),
        {"label": "Person", "id": "p-secret", "name": "Velazco Fakehidden", "roles": ["witness"], "confidentiality": "confidential"},
        {"label": "Organization", "id": "org-faes", "name": "Fake FAES/DGCIM Unit", "kind": "police", "aliases": ["Unidad Tún-Tún"]},
        {"label": "Operation", "id": "op-tun", "name": 'Operación "Tún-Tún" Ficticia'},
        {"label": "Law", "id": "law-and", "name": "Fake Law AND Order NEAR the Border"},
    ],
    "relationships": [],
}


@pytest.fixture
def people(empty_store):
    write_case(empty_store, CaseFile.model_validate(CASE), "search-fixture.yaml")
    if empty_store.backend == "neo4j":
        empty_store.read("CALL db.awaitIndexes(60)")
    return empty_store


def ids(page) -> list[str]:
    return [h.id for h in page.items]


def test_folding_transliterates_letters_without_a_decomposition():
    assert fold("Paweł Søren Straße Þór Ærø") == "pawel soren strasse thor aero"
    assert fold(NFD("Muñoz Velásquez")) == fold("Muñoz Velásquez") == "munoz velasquez"
    assert search_words("O'Ficticio Pérez-Jiménez") == ["o", "ficticio", "perez", "jimenez"]
    assert search_words('Operación "Tún-Tún') == ["operacion", "tun", "tun"]
    assert search_words("~") == search_words('""') == search_words("   ") == []
    assert search_text(["Ana O'Ficticio", "Ficticio, Ana"]) == "|ana o ficticio|ficticio ana|"


@pytest.mark.parametrize("q, expected", [
    ("velas", ["p-velasquez"]),            # a prefix completes (search box)
    ("VELÁSQUEZ", ["p-velasquez"]),
    ("velasquez yendri", ["p-velasquez"]),  # any word order
    ("Muñ", ["p-munoz"]),
    ("Muñ*", ["p-munoz"]),                 # the star is punctuation, not a wildcard
    ("MUNOZ*", ["p-munoz"]),
    ("munoz nestor", ["p-munoz"]),
    ("pawel", ["p-pawel"]),                # ł folds to l
    ("Paweł", ["p-pawel"]),
    ("soren orsted", ["p-soren"]),         # ø folds to o
    ("strasse", ["p-strasse"]),
    ("nunez ibanez", ["p-nfd"]),           # a name stored decomposed (NFD)
    (NFD("Núñez"), ["p-nfd"]),             # a query pasted decomposed
    ("O'Ficticio", ["p-ofic"]),
    ("ficticio", ["p-munoz", "p-ofic"]),
    ("Pérez-Jiménez", ["p-perez"]),
    ("jimenez perez", ["p-perez"]),
    ("FAES/DGCIM", ["org-faes"]),
    ('Operación "Tún-Tún', ["op-tun"]),    # unbalanced quote
    ("tun tun", ["org-faes", "op-tun"]),   # an alias counts
    ("AND", ["law-and"]),                  # an operator word is a word
    ("NEAR(", ["law-and"]),
    ("name:*", []),
    ("fake -law", ["law-and"]),            # no exclusion operator: both words required
    ("velasquez~", ["p-velasquez"]),
])
def test_search_words_not_syntax(people, q, expected):
    """Every query is words: results or an empty list, never a parse error, same on both."""
    assert sorted(ids(S.search(people, q, limit=50))) == sorted(expected)


@pytest.mark.parametrize("q", ["~", '""', "   ", "*", "()", "!!"])
def test_search_without_words_is_a_clear_error(people, q):
    with pytest.raises(ValueError, match="q: give at least one letter or digit"):
        S.search(people, q)


@pytest.mark.parametrize("q, problem", [
    ("pedro " * 1100, "at most 64 words, got 1100"),           # Lucene: TooManyClauses on Neo4j
    (" ".join(f"w{i}" for i in range(65)), "at most 64 words, got 65"),
    ("a" * 5000, "of at most 255 letters or digits, got one of 5000"),  # Lucene: automaton too large
    ("velas " + "x" * 256, "got one of 256"),
])
def test_an_oversized_query_is_a_clear_error_on_both_backends(people, q, problem):
    """Neo4j refused these (a StoreError, HTTP 500) while the embedded store answered."""
    with pytest.raises(ValueError, match=f"q: .*{problem}"):
        S.search(people, q)


def test_the_largest_query_allowed_is_answered_on_both_backends(people):
    assert ids(S.search(people, " ".join(["velas"] * 64))) == ["p-velasquez"]
    assert ids(S.search(people, "velasquez " + "y" * 255)) == []


def test_search_ranks_exact_then_word_prefix_then_other(people):
    page = S.search(people, "fake")
    # every one has a word starting with "fake"; persons, organizations, the rest; by name
    assert [(h.id, h.rank) for h in page.items] == [("p-strasse", 1), ("p-secret", 1), ("org-faes", 1), ("law-and", 1)]
    assert [(h.id, h.rank) for h in S.search(people, "unidad tun tun").items] == [("org-faes", 0)]
    assert [(h.id, h.rank) for h in S.search(people, "ficticio").items] == [("p-ofic", 1), ("p-munoz", 1)]
    assert [(h.id, h.rank) for h in S.search(people, "ficti").items] == [("p-ofic", 1), ("p-munoz", 1), ("p-pawel", 1), ("op-tun", 1)]
    assert [(h.id, h.rank) for h in S.search(people, "ficticio munoz").items] == [("p-munoz", 1)]  # a phrase inside
    assert [(h.id, h.rank) for h in S.search(people, "munoz nestor").items] == [("p-munoz", 2)]  # other order


def test_search_visibility_filter_applies_before_counting_and_paging(people):
    everyone = S.search(people, "vela")
    assert ids(everyone) == ["p-secret", "p-velasquez"] and everyone.total == 2
    analyst = S.search(people, "vela", visible={"public", "restricted"})
    assert ids(analyst) == ["p-velasquez"] and analyst.total == 1
    assert S.search(people, "vela", visible={"confidential"}, limit=1, offset=0).total == 1
    assert S.search(people, "vela", visible=set()).total == 0


def test_engine_query_builders_refuse_anything_but_folded_words():
    assert Q.fulltext_query(["velas", "5"]) == "+searchText:velas* +searchText:5*"
    assert fulltext_sqlite.match_expression(["velas", "5"]) == '"velas"* "5"*'
    for bad in (["Velas"], ['a"'], ["a b"], ["and*"], [], ["name:x"]):
        with pytest.raises(ValueError):
            Q.fulltext_query(bad)
        with pytest.raises(ValueError):
            fulltext_sqlite.match_expression(bad)


# --------------------------------------------------------------------------- embedded index upkeep


@pytest.fixture
def embedded(tmp_path):
    store = EmbeddedStore(tmp_path / "search.db")
    write_case(store, CaseFile.model_validate(CASE), "search-fixture.yaml")
    yield store
    store.close()


def test_cypher_writes_keep_the_fts_table_in_step(embedded):
    """SET, REMOVE and DETACH DELETE through GraphQLite's Cypher reach the index (triggers)."""
    with embedded.transaction() as tx:
        tx.run("MATCH (n:Entity {id: 'p-pawel'}) SET n.searchText = $t", {"t": search_text(["Zbigniew Fakeowski"])})
    assert ids(S.search(embedded, "zbig")) == ["p-pawel"] and ids(S.search(embedded, "pawel")) == []
    with embedded.transaction() as tx:
        tx.run("MATCH (n:Entity {id: 'p-pawel'}) DETACH DELETE n")
    assert S.search(embedded, "zbig").total == 0
    with embedded.transaction() as tx:
        tx.run("MATCH (n:Entity {id: 'p-soren'}) REMOVE n.searchText")
    assert S.search(embedded, "soren").total == 0
    with embedded.transaction() as tx:
        tx.run("CREATE (n:Entity:Person {id: 'p-new', name: 'Fake Newcomer', searchText: $t, confidentiality: 'public'})",
               {"t": search_text(["Fake Newcomer"])})
    assert ids(S.search(embedded, "newcom")) == ["p-new"]
    conn = embedded._db.sqlite_connection
    indexed = conn.execute(f"SELECT count(*) FROM {fulltext_sqlite.TABLE}").fetchone()[0]
    with_text = conn.execute("SELECT count(*) FROM node_props_text WHERE key_id = "
                             "(SELECT id FROM property_keys WHERE key = 'searchText')").fetchone()[0]
    assert indexed == with_text == len(CASE["nodes"]) - 1  # p-pawel deleted, p-soren's text removed, p-new added


def test_a_rolled_back_write_leaves_the_index_as_it_was(embedded):
    with pytest.raises(RuntimeError):
        with embedded.transaction() as tx:
            tx.run("MATCH (n:Entity {id: 'p-munoz'}) SET n.searchText = '|zzfake|'")
            raise RuntimeError("abort")
    assert ids(S.search(embedded, "munoz")) == ["p-munoz"] and S.search(embedded, "zzfake").total == 0


def test_reingest_keeps_one_index_row_per_node(embedded):
    write_case(embedded, CaseFile.model_validate(CASE), "search-fixture.yaml")
    conn = embedded._db.sqlite_connection
    assert conn.execute(f"SELECT count(*) FROM {fulltext_sqlite.TABLE}").fetchone()[0] == len(CASE["nodes"])
    assert S.search(embedded, "munoz").total == 1


def test_a_store_of_an_earlier_version_gets_its_index_on_open(tmp_path):
    """Stores written before the FTS table existed: opened, the table is built, the
    searchText recomputed with the current folding (ł -> l), and search answers."""
    path = tmp_path / "old.db"
    store = EmbeddedStore(path)
    write_case(store, CaseFile.model_validate(CASE), "search-fixture.yaml")
    conn = store._db.sqlite_connection
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        conn.execute(f"DROP TRIGGER {name}")
    conn.execute(f"DROP TABLE {fulltext_sqlite.TABLE}")
    # the old folding kept ł: what an earlier version stored
    conn.execute("UPDATE node_props_text SET value = '|paweł ficticki|' WHERE key_id = "
                 "(SELECT id FROM property_keys WHERE key = 'searchText') AND node_id = "
                 "(SELECT node_id FROM node_props_text WHERE value = 'p-pawel')")
    store.close()
    reopened = EmbeddedStore(path)
    try:
        assert ids(S.search(reopened, "pawel")) == ["p-pawel"]
        assert ids(S.search(reopened, "velas")) == ["p-velasquez"]
        assert reopened.read("MATCH (n:Entity {id: 'p-pawel'}) RETURN n.searchText AS t") == [{"t": "|pawel ficticki|"}]
    finally:
        reopened.close()
