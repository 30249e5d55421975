"""Stored form: no empty lists. Stores written before that (``aliases: []`` and
``sourceIds: []`` on every element without any) answer exactly as stores without them,
and the next ingest of an element drops them: no migration is needed.

Why the change: ``neo4j-admin database import`` cannot store an empty array
(neo4j/neo4j#13566), so ``repgraph import-neo4j`` restored ~500k of them by Cypher at 100k
persons (12 s of a 76 s import); every reader already read an absent list as empty.
"""

from __future__ import annotations

from repgraph import service as S
from repgraph.ingest import ingest_case_file

from conftest import SYNTHETIC

EMPTY_LISTS = ("MATCH (n:Entity) WHERE n.aliases = [] OR n.sourceIds = [] RETURN count(n) AS n")


def answers(store) -> dict:
    ids = sorted(r["id"] for r in store.read("MATCH (n:Entity) RETURN n.id AS id"))
    return {
        "entities": {i: S.entity(store, i).model_dump() for i in ids},
        "searches": {q: S.search(store, q).model_dump() for q in ("alpha", "testdefender", "fake", "zeta witness")},
        "stats": S.stats(store).model_dump(),
    }


def test_a_store_with_empty_lists_reads_the_same_and_loses_them_on_the_next_ingest(empty_store):
    store = empty_store
    ingest_case_file(store, SYNTHETIC)
    assert store.read(EMPTY_LISTS)[0]["n"] == 0  # written now: none
    now = answers(store)
    lacking = store.read("MATCH (n:Entity) WHERE n.aliases IS NULL OR n.sourceIds IS NULL RETURN count(n) AS n")[0]["n"]
    assert lacking == 28  # every node of the fixture lacks one of them
    with store.transaction() as tx:  # as an earlier version wrote them
        tx.run("MATCH (n:Entity) WHERE n.aliases IS NULL SET n.aliases = []")
        tx.run("MATCH (n:Entity) WHERE n.sourceIds IS NULL SET n.sourceIds = []")
    assert store.read(EMPTY_LISTS)[0]["n"] == lacking
    assert answers(store) == now
    ingest_case_file(store, SYNTHETIC)  # the next write of each element is the current form
    assert store.read(EMPTY_LISTS)[0]["n"] == 0
    assert answers(store) == now
