"""Backend conformance: every named Cypher statement and every service answer is the same
on the embedded store and on a real Neo4j, over the same fixture data.

Both stores are loaded once per module with the synthetic fixture and the real seed
dataset. Rows of raw statements are compared order-normalised where the statement has no
ORDER BY, and collected lists (``collect(DISTINCT ...)``) are compared as sets (their
order is not part of any contract); service answers are compared exactly (the service
orders everything it returns). ``test_every_statement_is_covered`` and
``test_every_service_function_is_covered`` fail when a statement or function is added
without a conformance case.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path
from typing import Any
from unittest import mock

import pytest

from repgraph import queries as Q
from repgraph import service as S
from repgraph.ingest import ingest_case_file
from repgraph.ontology import search_words
from repgraph.schema import schema_statements
from repgraph.seed import seed_files
from repgraph.store.base import Transaction
from repgraph.store.embedded import EmbeddedStore

from conftest import SYNTHETIC, _neo4j_store, wipe_test_database

REPO = Path(__file__).resolve().parents[1]

DOSSIER_FIXTURE = Path(__file__).parent / "fixtures" / "dossier.yaml"
FILES = [SYNTHETIC, DOSSIER_FIXTURE, *seed_files()]


# --------------------------------------------------------------------------- stores


@pytest.fixture(scope="module")
def stores(neo4j_settings, tmp_path_factory):
    """(embedded, neo4j), both loaded with the synthetic fixture and the seed data."""
    emb = EmbeddedStore(tmp_path_factory.mktemp("conformance") / "c.db")
    neo = _neo4j_store(neo4j_settings)
    wipe_test_database(neo)
    for store in (emb, neo):
        store.apply_schema(schema_statements())
        for f in FILES:
            ingest_case_file(store, f)
    yield emb, neo
    emb.close()
    neo.close()


#: A dataset record's ingest times: when each store ingested the file, never equal.
INGEST_TIMES = {"firstIngested", "lastIngested"}


def _canon(value: Any) -> Any:
    """Plain values with collected lists of maps sorted (their order is not a contract),
    and ``labels(n)`` lists sorted (a node's labels are a set; engines list them apart)."""
    if isinstance(value, dict):
        return {k: sorted(v) if k.endswith(("labels", "Labels")) and isinstance(v, list) else _canon(v)
                for k, v in value.items() if k not in INGEST_TIMES}
    if isinstance(value, list):
        items = [_canon(v) for v in value]
        if items and all(isinstance(v, dict) for v in items):
            items.sort(key=lambda v: json.dumps(v, sort_keys=True))
        return items
    return value


def _rows(rows: list[dict], ordered: bool) -> list:
    out = [_canon(r) for r in rows]
    return out if ordered else sorted(out, key=lambda r: json.dumps(r, sort_keys=True))


def _all_ids(store) -> list[str]:
    return [r["id"] for r in store.read(Q.ALL_IDS)]


def _ids_of(store, label: str) -> list[str]:
    return [r["id"] for r in S.each(store, Q.ENTITY, _all_ids(store)) if r["label"] == label]


# --------------------------------------------------------------------------- raw statements

#: Every read statement of queries.py with the parameter sets it runs with here.
#: (``EVERY_ID`` is filled in with the ids of every node.)
EVERY_ID = "<every id>"
STATEMENT_CASES: dict[str, list[dict[str, Any]]] = {
    "LABEL_OF_ID": [{"id": "p-defender-alpha"}, {"id": "src-fake-report"}, {"id": EVERY_ID}, {"id": "no-such-id"}],
    "NODE_COUNTS": [{}],
    "RELATIONSHIP_COUNTS": [{}],
    "ALL_IDS": [{}],
    "NODE_TOTAL": [{}],
    "DEGREE_RANKING": [{"limit": 5}, {"limit": 1000}],
    "PERPETRATOR_RANKING": [{"limit": 2}, {"limit": 100}],
    "ENTITY": [{"id": "p-defender-alpha"}, {"id": "inc-alpha-detention"}, {"id": EVERY_ID}, {"id": "no-such-id"}],
    "NEIGHBOURS": [{"id": "p-defender-alpha"}, {"id": EVERY_ID}],
    "RELATIONSHIPS_AMONG": [{"ids": ["p-defender-alpha", "inc-alpha-detention", "p-brother-alpha", "org-fake-ngo", "no-such-id"]},
                            {"ids": EVERY_ID}],
    "GUILT_BY_ASSOCIATION": [{"defenderId": None}, {"defenderId": "p-defender-alpha"}],
    "DIRECT_LINKS_COUNT": [{}],
    "COMMAND_LINKS_COUNT": [{"perpetratorId": None, "incidentType": None}],
    "GUILT_BY_ASSOCIATION_TARGETINGS": [{}],
    "PERPETRATIONS": [{}],
    "PERPETRATIONS_OF": [{"id": "p-agent-gamma"}, {"id": "org-fake-police"}, {"id": EVERY_ID}],
    "VICTIMS": [{}],
    "HEADS": [{}],
    "INCIDENT": [{"id": "inc-alpha-detention"}, {"id": "no-such-id"}],
    "INCIDENT_PERPETRATORS": [{"id": "inc-alpha-detention"}],
    "INCIDENT_VICTIMS": [{"id": "inc-alpha-detention"}, {"id": EVERY_ID}],
    "POSITIONS_HELD": [{"id": "p-chief-delta", "from": "2024-08-03", "to": "2024-08-03"},
                       {"id": "p-chief-old", "from": "2023-01-01", "to": "2023-12-31"}],
    "ORGANIZATION_HEADS": [{"id": "org-fake-police", "from": "2024-08-03", "to": "2024-08-03"},
                           {"id": "org-fake-police", "from": "2023-01-01", "to": "2023-12-31"}],
    "SUPERIORS": [{"id": "pos-fpp-agent", "from": "2024-08-03", "to": "2024-08-03"},
                  {"id": "pos-fpp-director", "from": "2024-08-03", "to": "2024-08-03"},
                  {"id": "org-fake-police", "from": "2023-01-01", "to": "2023-12-31"}],
    "EXILE_RECORDS": [{}],
    "STATISTICS": [{}],
    "LAWS": [{}],
    "LAW_INCIDENTS": [{}],
    "SOURCE_TITLES": [{}],
    "OPERATIONS": [{}],
    "OPERATION_INCIDENTS": [{}],
    "SOURCE": [{"id": "src-fake-report"}, {"id": EVERY_ID}],
    "SOURCE_IDS": [{}],
    "PROTECTED_NODES": [{"levels": ["restricted", "confidential"]}, {"levels": ["confidential"]}],
    "PROTECTED_RELATIONSHIPS": [{"levels": ["restricted", "confidential"]}],
    "PUBLIC_PERSON_NAMES": [{}],
    "PUBLIC_ORGANIZATION_NAMES": [{}],
    "RELATIONSHIP_LEVELS": [{}],
    "CHANGE_COUNTS": [{}],
    # issue 11: sanctions, associates, command, evidence, dossier
    "SANCTIONS_OF": [{"id": "p-dos-general"}, {"id": "person-remigio-ceballos-ichaso"}, {"id": EVERY_ID}],
    "SANCTIONED_AS_OF": [{"date": d, "authority": a} for d in ("2019-11-05", "2020-06-01", "2022-06-30", "2023-01-01")
                         for a in (None, "eu", "us_ofac")],
    "SANCTIONED_POSSIBLY_AS_OF": [{"date": d, "authority": a} for d in ("2019-11-05", "2021-06-01", "2022-06-30", "2023-01-01")
                                  for a in (None, "eu", "canada")],
    "SANCTIONED_OR_ACCUSED": [{}],
    "RELATIVES_AND_ASSOCIATES_OF": [{"id": "p-dos-general"}, {"id": "p-defender-alpha"}, {"id": EVERY_ID}],
    "POSTS_OF": [{"id": "p-dos-general"}, {"id": "person-pedro-miguel-carreno-escobar"}, {"id": EVERY_ID}],
    "HOLDERS_OF": [{"id": "pos-dos-brigade-cmdr"}, {"id": EVERY_ID}],
    "HEAD_POSTS_OF": [{"id": "org-dos-army"}, {"id": EVERY_ID}],
    "CHAIN_UP": [{"id": "pos-dos-brigade-cmdr", "from": "2018-01-01", "to": "2020-06-30"},
                 {"id": "pos-fpp-agent", "from": "0000-01-01", "to": "9999-12-31"}],
    "CHAIN_DOWN": [{"id": "pos-dos-army-chief", "from": "2021-01-01", "to": "9999-12-31"},
                   {"id": "pos-fpp-director", "from": "2024-08-03", "to": "2024-08-03"}],
    "INCIDENT_PLACES": [{"id": EVERY_ID}],
    "INCIDENT_LAWS": [{"id": EVERY_ID}],
    "INCIDENT_OPERATIONS": [{"id": EVERY_ID}],
    "WEAKENED_BY": [{"id": "inc-dos-torture-2022"}, {"id": "sanc-dos-eu"}, {"id": EVERY_ID}],
    "PROCEEDINGS_ABOUT": [{"id": "p-dos-general"}, {"id": EVERY_ID}],
    "ALLEGATIONS_ON": [{"id": "inc-dos-raid-2019"}, {"id": EVERY_ID}],
    "ALLEGED_INCIDENT_IDS": [{}],
    "AFFILIATIONS_OF": [{"id": "p-dos-general"}, {"id": EVERY_ID}],
    # statements bookkeeping (issue 9); ingest times are left out of comparisons (INGEST_TIMES)
    "DATASET": [{"id": "dataset:synthetic-fixture"}, {"id": "no-such-id"}],
    "DATASETS": [{}],
    "RELATIONSHIP_STATE": [{"from": "inc-alpha-detention", "to": "p-defender-alpha", "id": "TARGETED:inc-alpha-detention:p-defender-alpha"},
                           {"from": "inc-alpha-detention", "to": "p-defender-alpha", "id": "no-such-id"}],
    "RELATIONSHIP_IDS_OF": [{"id": "p-defender-alpha"}, {"id": EVERY_ID}],
    "NODE_SOURCE_REFERENCES": [{}],
    "RELATIONSHIP_ID_REFERENCES": [{}],
    "PERSON_RECORDS": [{}],
    "ORGANIZATION_RECORDS": [{}],
    "ANY_NODE_COUNT": [{}],
    "ANY_RELATIONSHIP_COUNT": [{}],
}

#: Statements that are not reads of the data (writes, wipes): covered by the ingest tests
#: on both backends and by the embedded write-path test below.
NOT_READS = {"DELETE_ALL", "SCRATCH_WIPE_SLICE", "SCRATCH_WIPE_RELATIONSHIPS_SLICE", "DELETE_NODE", "DELETE_RELATIONSHIP", "DELETE_DATASET",
             "JUDGEMENTS", "SAME_JUDGEMENTS", "MERGED_ENTITIES"}
# no judgement nor merged entity in the fixture data: tests/test_resolution.py,
# tests/test_merge_graph.py and tests/test_merge_export.py run them on both backends

#: Neo4j's side of a per-backend path (GraphStore.sorts_in_database): GraphQLite does not
#: keep ORDER BY order through collect(), and the embedded store never runs these; the
#: paged-lists test below requires their answers to equal the Python path's on Neo4j and
#: on the embedded store.
NEO4J_PATH = {"GUILT_BY_ASSOCIATION_PAGE", "GUILT_BY_ASSOCIATION_COUNT", "EXILE_GROUPS", "EXILE_RECORDS_PAGE", "EXILE_RECORDS_COUNT", "OFFICIALS_CASES_PAGE", "OFFICIALS_CASES_COUNT"}


def _statements() -> dict[str, str]:
    return {k: v for k, v in vars(Q).items()
            if k.isupper() and not k.startswith("_") and isinstance(v, str) and "MATCH" in v}


def test_every_statement_is_covered():
    missing = set(_statements()) - set(STATEMENT_CASES) - NOT_READS - NEO4J_PATH
    assert not missing, f"statements without a conformance case: {sorted(missing)}"


@pytest.mark.neo4j
@pytest.mark.parametrize("name", sorted(STATEMENT_CASES))
def test_statement_same_on_both_backends(stores, name):
    emb, neo = stores
    query = getattr(Q, name)
    ordered = "ORDER BY" in query
    for params in STATEMENT_CASES[name]:
        if params.get("ids") == EVERY_ID:  # a list parameter: every id at once
            params = {**params, "ids": _all_ids(emb)}
        elif EVERY_ID in params.values():
            # anchored on one id, run for every id through read_many (Neo4j batches it
            # under UNWIND, the embedded store runs it per id): same rows
            key = next(k for k, v in params.items() if v == EVERY_ID)
            maps = [{**params, key: i} for i in _all_ids(emb)]
            got_e, got_n = emb.read_many(query, maps), neo.read_many(query, maps)
            assert _rows(got_e, False) == _rows(got_n, False), f"{name} for every id"
            assert got_e, f"{name}: no rows for any id"
            continue
        got_e, got_n = emb.read(query, params), neo.read(query, params)
        assert _rows(got_e, ordered) == _rows(got_n, ordered), f"{name} {params}"
        if "no-such-id" not in json.dumps(params):
            assert got_e, f"{name} {params}: no rows, the case proves nothing"


# --------------------------------------------------------------------------- service answers


def _dump(answer: Any) -> Any:
    if isinstance(answer, list):
        return [_dump(a) for a in answer]
    if hasattr(answer, "model_dump"):
        return answer.model_dump(mode="json")
    return answer


def _both(stores, fn, *args, **kwargs):
    emb, neo = stores
    return _dump(fn(emb, *args, **kwargs)), _dump(fn(neo, *args, **kwargs))


def _exile_page(store, by, limit, offset, persons_limit, persons_offset):
    flows, total = S.exile_flows_page(store, by, limit, offset, persons_limit, persons_offset)
    return total, [flows]


#: service function -> how the conformance tests call it
COVERED_FUNCTIONS = {
    "stats", "search", "entity", "guilt_by_association", "officials_cases", "responsibility_chain",
    "exile_flows", "laws", "operations", "ego_graph", "whole_graph",
    # the paged forms: test_paged_lists_same_on_both_paths_and_backends
    "guilt_by_association_page", "officials_cases_page", "exile_flows_page",
    # read_many of an anchored statement: the EVERY_ID statement cases
    "each",
}


def test_every_service_function_is_covered():
    public = {n for n in S.__all__ if callable(getattr(S, n)) and n[0].islower()}
    missing = public - COVERED_FUNCTIONS
    assert not missing, f"service functions without a conformance case: {sorted(missing)}"


@pytest.mark.neo4j
def test_stats(stores):
    e, n = _both(stores, S.stats)
    for d in (e, n):
        d.pop("backend"), d.pop("location")  # where, not what
    assert e == n


@pytest.mark.neo4j
@pytest.mark.parametrize("q,label,limit,offset", [
    ("alfa", None, 20, 0), ("ALFA testdefender", None, 20, 0), ("fake", None, 5, 3), ("fake", "Organization", 20, 0),
    ("velasquez", None, 20, 0), ("ley falsa", "Law", 20, 0), ("nothing-like-this", None, 20, 0),
])
def test_search(stores, q, label, limit, offset):
    e, n = _both(stores, S.search, q, label=label, limit=limit, offset=offset)
    assert e == n


#: Queries for the full-text conformance cases: prefixes, word order, every label, and
#: input full of Lucene and FTS5 syntax (answered as words, never parsed).
SEARCH_QUERIES = [
    "a", "f", "fa", "fake", "FAKE p", "velas", "VELÁSQUEZ yendri", "yendri velas", "carreño", "escobar carreno",
    "testdef", "fpp", "fake police", "ley", "alfa testdefender", "treasury", "venezuela", "2024", "1",
    'Operación "Tún-Tún', "FAES/DGCIM", "AND", "Pérez-Jiménez", "~", "name:*", "O'Ficticio", "NEAR(", '""',
    "(a OR b)", "fake -police", "+fake", "fa*", "fake~2", "\\", "nothing-like-this",
]


@pytest.mark.neo4j
@pytest.mark.parametrize("q", [q for q in SEARCH_QUERIES if search_words(q)])
def test_search_candidates_same_on_both_backends(stores, q):
    """The two full-text indexes (Neo4j's Lucene index, the embedded FTS5 table) find the
    same nodes with the same folded text for the same words."""
    emb, neo = stores
    words = search_words(q)
    def rows(store):  # labels: a set, in any order
        return sorted(({**r, "labels": sorted(r["labels"])} for r in store.search_candidates(words)), key=lambda r: r["id"])

    assert rows(emb) == rows(neo), q


@pytest.mark.neo4j
@pytest.mark.parametrize("q", SEARCH_QUERIES)
def test_search_pages_same_on_both_backends(stores, q):
    """Whole answers (ids, ranks, order, totals, citations) of both backends agree for
    every query, first and second page; queries without words are refused on both."""
    if not search_words(q):
        for store in stores:
            with pytest.raises(ValueError, match="q:"):
                S.search(store, q)
        return
    for limit, offset in ((20, 0), (3, 2)):
        e, n = _both(stores, S.search, q, limit=limit, offset=offset)
        assert e == n, (q, limit, offset)


@pytest.mark.neo4j
def test_entity_every_node(stores):
    emb, _ = stores
    for ident in _all_ids(emb):
        e, n = _both(stores, S.entity, ident)
        assert e == n, ident


@pytest.mark.neo4j
def test_not_found_on_both(stores):
    for store in stores:
        with pytest.raises(S.NotFound):
            S.entity(store, "no-such-id")
        with pytest.raises(S.NotFound):
            S.responsibility_chain(store, "no-such-id")
        with pytest.raises(S.NotFound):
            S.ego_graph(store, "no-such-id")


@pytest.mark.neo4j
def test_guilt_by_association(stores):
    emb, _ = stores
    assert _both(stores, S.guilt_by_association)[0]
    for d in [None, *_ids_of(emb, "Person")]:
        e, n = _both(stores, S.guilt_by_association, d)
        assert e == n, d


@pytest.mark.neo4j
def test_officials_cases(stores):
    emb, _ = stores
    all_e, all_n = _both(stores, S.officials_cases)
    assert all_e and all_e == all_n
    for p in sorted({c["perpetrator"]["id"] for c in all_e}):
        e, n = _both(stores, S.officials_cases, official_id=p)
        assert e == n, p
    for t in sorted({c["incident"]["type"] for c in all_e}):
        e, n = _both(stores, S.officials_cases, incident_type=t)
        assert e == n, t


@pytest.mark.neo4j
def test_responsibility_chain_every_incident(stores):
    emb, _ = stores
    incidents = _ids_of(emb, "Incident")
    assert incidents
    for i in incidents:
        e, n = _both(stores, S.responsibility_chain, i)
        assert e == n, i


@pytest.mark.neo4j
@pytest.mark.parametrize("by", ["country", "period", "route"])
def test_exile_flows(stores, by):
    e, n = _both(stores, S.exile_flows, by)
    assert e["records"] and e == n


@pytest.mark.neo4j
def test_laws_and_operations(stores):
    for fn in (S.laws, S.operations):
        e, n = _both(stores, fn)
        assert e and e == n


@pytest.mark.neo4j
@pytest.mark.parametrize("depth,types,max_nodes", [(1, None, 200), (2, None, 200), (3, None, 200), (2, ["TARGETED", "FAMILY_OF"], 200), (3, None, 5)])
def test_ego_graph(stores, depth, types, max_nodes):
    for root in ("p-defender-alpha", "org-fake-police", "inc-alpha-detention"):
        e, n = _both(stores, S.ego_graph, root, depth=depth, types=types, max_nodes=max_nodes)
        assert e == n, root


@pytest.mark.neo4j
def test_relationship_reads_same_as_their_statements_on_both_backends(stores):
    """GraphStore.entities / relationships_of / relationships_among (SQL on the embedded
    store, the Cypher on Neo4j) give the rows of ENTITY and NEIGHBOURS per id and of
    RELATIONSHIPS_AMONG, on both backends, for every node and for a few."""
    every = _all_ids(stores[0])
    few = ["p-defender-alpha", "inc-alpha-detention", "org-fake-police", "no-such-id"]
    answers = []
    for store in stores:
        for ids in (every, few):
            of = _rows(store.relationships_of(ids), False)
            assert of == _rows(store.read_many(Q.NEIGHBOURS, [{"id": i} for i in ids]), False), (store.backend, len(ids))
            among = _rows(store.relationships_among(ids), False)
            assert among == _rows(store.read(Q.RELATIONSHIPS_AMONG, {"ids": ids}), False), (store.backend, len(ids))
            nodes = _rows(store.entities(ids), False)
            assert nodes == _rows(store.read_many(Q.ENTITY, [{"id": i} for i in ids]), False), (store.backend, len(ids))
            answers.append((of, among, nodes))
    assert answers[:2] == answers[2:]
    assert answers[0][0] and answers[0][1] and answers[1][1]


@pytest.mark.neo4j
@pytest.mark.parametrize("max_nodes", [500, 10])
def test_whole_graph(stores, max_nodes):
    e, n = _both(stores, S.whole_graph, max_nodes=max_nodes)
    assert e["nodes"] and e == n


# --------------------------------------------------------------------------- embedded write path


def _tables(store: EmbeddedStore) -> set[tuple]:
    """GraphQLite's tables as facts keyed by element ids (not internal row ids)."""
    c = store._db.sqlite_connection
    keys = dict(c.execute("SELECT id, key FROM property_keys"))
    id_key = next(k for k, v in keys.items() if v == "id")
    ids = dict(c.execute("SELECT node_id, value FROM node_props_text WHERE key_id = ?", (id_key,)))
    out: set[tuple] = set()
    out.update(("label", ids[n], label) for n, label in c.execute("SELECT node_id, label FROM node_labels"))
    edges = {}
    for e, s, d, t in c.execute("SELECT id, source_id, target_id, type FROM edges"):
        edges[e] = (ids[s], ids[d], t)
        out.add(("edge", *edges[e]))
    for t in ("text", "int", "real", "bool", "json"):
        out.update(("node", t, ids[n], keys[k], v) for n, k, v in c.execute(f"SELECT * FROM node_props_{t}")
                   if keys[k] not in INGEST_TIMES)
        out.update(("edge", t, edges[e], keys[k], v) for e, k, v in c.execute(f"SELECT * FROM edge_props_{t}"))
    return out


def test_embedded_sql_write_path_equals_cypher_merge():
    """The embedded store writes the ingest's MERGE statements with direct SQL (50-100x
    faster); it must store exactly what the Cypher statements store, and stay idempotent."""
    import sys

    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))  # bench/ is a top-level package of the repository
    from bench.generate import generate, write

    tmp = Path(tempfile.mkdtemp(prefix="repgraph-conf-"))
    files = [*FILES, *write(generate(60, seed=3), tmp / "bench")]

    def load(path: Path, cypher_only: bool) -> EmbeddedStore:
        store = EmbeddedStore(path)
        store.apply_schema(schema_statements())
        patch = mock.patch("repgraph.store.embedded._EmbeddedTx.run_many", Transaction.run_many) if cypher_only else None
        if patch:
            patch.start()
        try:
            for f in files:
                ingest_case_file(store, f)
        finally:
            if patch:
                patch.stop()
        return store

    cypher, sql = load(tmp / "cypher.db", True), load(tmp / "sql.db", False)
    try:
        expected = _tables(cypher)
        assert _tables(sql) == expected
        for f in files:
            ingest_case_file(sql, f)
        assert _tables(sql) == expected  # idempotent
    finally:
        cypher.close()
        sql.close()


# --------------------------------------------------------------------------- API endpoints

#: Every endpoint (OpenAPI path) -> requests made on both backends (with disclosure
#: applied as for an anonymous caller, the API's default).
API_CASES: dict[str, list[str]] = {
    "/health": ["/health"],
    "/stats/counts": ["/stats/counts"],
    "/audit": ["/audit?user=nobody", "/audit?since=2999-01-01"],
    "/entities": ["/entities?q=alfa", "/entities?q=fake&type=Organization&limit=2&offset=1", "/entities?q=velasquez",
                  "/entities?q=", "/entities?q=x&type=NoSuchLabel"],
    "/entities/{entity_id}": ["/entities/p-defender-alpha", "/entities/p-mother-alpha", "/entities/inc-alpha-detention",
                              "/entities/org-fake-police?limit=2&offset=1", "/entities/src-fake-report", "/entities/no-such-id"],
    "/queries/guilt-by-association": ["/queries/guilt-by-association", "/queries/guilt-by-association?defender_id=p-defender-alpha",
                                      "/queries/guilt-by-association?limit=1&offset=1", "/queries/guilt-by-association?defender_id=no-such-id"],
    "/queries/officials-cases": ["/queries/officials-cases", "/queries/officials-cases?official_id=p-agent-gamma",
                                 "/queries/officials-cases?incident_type=raid", "/queries/officials-cases?limit=2&offset=2",
                                 "/queries/officials-cases?incident_type=nonsense"],
    "/incidents/{incident_id}/responsibility-chain": ["/incidents/inc-alpha-detention/responsibility-chain",
                                                      "/incidents/inc-beta-threat/responsibility-chain",
                                                      "/incidents/inc-velasquez-detention-2024-08-03/responsibility-chain",
                                                      "/incidents/no-such-id/responsibility-chain"],
    "/queries/laws": ["/queries/laws"],
    "/queries/operations": ["/queries/operations"],
    "/stats/exile": ["/stats/exile", "/stats/exile?by=period", "/stats/exile?by=route&limit=1", "/stats/exile?by=nonsense"],
    "/viz/ego/{entity_id}": ["/viz/ego/p-defender-alpha?depth=2", "/viz/ego/no-such-id"],
    "/viz/chain/{incident_id}": ["/viz/chain/inc-alpha-detention", "/viz/chain/no-such-id"],
    "/viz/operation/{operation_id}": ["/viz/operation/op-fake-knock", "/viz/operation/law-fake-ngo"],
    "/viz/law/{law_id}": ["/viz/law/law-fake-ngo"],
    "/viz/exile": ["/viz/exile"],
    "/viz/path/{source}/{target}": ["/viz/path/p-defender-alpha/p-minister-eps", "/viz/path/p-defender-alpha/no-such-id"],
    "/viz/graph": ["/viz/graph", "/viz/graph?max_nodes=5"],
    "/analytics/centrality": ["/analytics/centrality"],
    "/analytics/brokers": ["/analytics/brokers"],
    "/analytics/communities": ["/analytics/communities"],
    "/analytics/path/{source}/{target}": ["/analytics/path/p-defender-alpha/p-minister-eps",
                                          "/analytics/path/p-defender-alpha/no-such-id"],
    "/queries/sanctioned-as-of": ["/queries/sanctioned-as-of?date=2022-01-01", "/queries/sanctioned-as-of?date=2019-11-05&authority=canada",
                                  "/queries/sanctioned-as-of?date=2022-13-01", "/queries/sanctioned-as-of"],
    "/queries/sanctions-gap": ["/queries/sanctions-gap?by=us_ofac&not_by=eu&date=2019-11-05",
                               "/queries/sanctions-gap?by=us_ofac&not_by=eu&date=2023-01-01", "/queries/sanctions-gap?by=nato&not_by=eu"],
    "/queries/relatives-and-associates": ["/queries/relatives-and-associates", "/queries/relatives-and-associates?person_id=p-dos-general",
                                          "/queries/relatives-and-associates?person_id=no-such-id"],
    "/queries/evidence-strength": ["/queries/evidence-strength", "/queries/evidence-strength?incident_id=inc-dos-raid-2019",
                                   "/queries/evidence-strength?perpetrator_id=p-dos-general&limit=1&offset=1",
                                   "/queries/evidence-strength?incident_id=no-such-id"],
    "/persons/{person_id}/command-responsibility": ["/persons/p-dos-general/command-responsibility",
                                                    "/persons/p-dos-successor/command-responsibility",
                                                    "/persons/no-such-id/command-responsibility"],
    "/persons/{person_id}/dossier": ["/persons/p-dos-general/dossier?date=2023-01-01",
                                     "/persons/person-nestor-neptali-blanco-hurtado/dossier?date=2019-11-05",
                                     "/persons/no-such-id/dossier"],
    "/graph/ego/{entity_id}": ["/graph/ego/p-defender-alpha", "/graph/ego/p-defender-alpha?depth=2",
                               "/graph/ego/org-fake-police?depth=3&max_nodes=10", "/graph/ego/p-defender-alpha?depth=2&types=FAMILY_OF&types=TARGETED",
                               "/graph/ego/no-such-id", "/graph/ego/p-defender-alpha?depth=9"],
}

#: Keys that say where an answer came from, or when, not what it is.
WHERE_KEYS = {"backend", "location", "generated_at"}


def _without_where(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_where(v) for k, v in value.items() if k not in WHERE_KEYS}
    if isinstance(value, list):
        return [_without_where(v) for v in value]
    return value


@pytest.fixture(scope="module")
def api_clients(stores):
    from api_access import client_for

    clients = [client_for(s) for s in stores]
    yield clients
    for c in clients:
        c.close()


def _api_paths() -> set[str]:
    from api_access import new_access

    from repgraph.api import create_app

    app = create_app(store=EmbeddedStore(":memory:"), access=new_access())
    return {p for p in app.openapi()["paths"]}


def test_every_endpoint_is_covered():
    missing = _api_paths() - set(API_CASES)
    assert not missing, f"API endpoints without a conformance case: {sorted(missing)}"


def _body(response) -> Any:
    """JSON answers as data; HTML views by the data block they draw (the page's render
    time and nonce differ from call to call)."""
    if response.headers["content-type"].startswith("text/html"):
        m = re.search(r'<script id="repgraph-data" type="application/json">(.*?)</script>', response.text, re.S)
        assert m, "a view without its data block"
        data = json.loads(m.group(1))
        return {k: v for k, v in data.items() if k not in {"generated", "generatedAt", "dataDate", "asOf"}}
    return response.json()


@pytest.mark.neo4j
@pytest.mark.parametrize("endpoint", sorted(API_CASES))
def test_endpoint_same_on_both_backends(api_clients, endpoint):
    emb, neo = api_clients
    for url in API_CASES[endpoint]:
        re, rn = emb.get(url), neo.get(url)
        assert re.status_code == rn.status_code, url
        assert _without_where(_body(re)) == _without_where(_body(rn)), url
    assert emb.get(API_CASES[endpoint][0]).status_code == 200  # the first case is an answer, not an error


@pytest.mark.neo4j
@pytest.mark.parametrize("q, label, limit, offset", [
    ("alfa", None, 20, 0), ("fake", None, 5, 3), ("fake", "Person", 20, 0), ("FPP", None, 20, 0),
    ("velasquez", None, 20, 0), ("carreño", None, 20, 0), ("fake police", "Organization", 20, 0), ("zzz", None, 20, 0),
])
def test_both_search_paths_give_the_same_page_on_both_backends(stores, q, label, limit, offset):
    """service.search ranks in the database (Cypher on Neo4j, SQL beside GraphQLite); the
    Python reference ranking over both stores' full-text candidates and both database
    paths agree, with and without a visibility filter."""
    words = search_words(q)
    for levels in (None, ["public"], ["restricted", "confidential"]):
        answers = [S._search_ranked_here(store, words, label, levels, limit, offset) for store in stores]
        answers += [store.search_page(words, label, levels, limit, offset) for store in stores]
        pages = [(total, [(r["id"], r["label"], r["name"], r["rank"]) for r in rows]) for total, rows in answers]
        assert pages[1:] == pages[:1] * 3, levels


@pytest.mark.neo4j
@pytest.mark.parametrize("ask", [
    lambda st: S.guilt_by_association_page(st, None, 10, 0),
    lambda st: S.guilt_by_association_page(st, None, 1, 1),
    lambda st: S.guilt_by_association_page(st, "p-defender-alpha", 10, 0),
    lambda st: S.officials_cases_page(st, None, None, 100, 0),
    lambda st: S.officials_cases_page(st, None, None, 3, 2),
    lambda st: S.officials_cases_page(st, None, None, 1, 0),
    lambda st: S.officials_cases_page(st, None, None, 2, 5),
    lambda st: S.officials_cases_page(st, None, None, 4, 7),
    lambda st: S.officials_cases_page(st, None, None, 5, 1000),
    lambda st: S.officials_cases_page(st, "p-chief-delta", None, 10, 0),
    lambda st: S.officials_cases_page(st, "org-fake-police", None, 10, 0),
    lambda st: S.officials_cases_page(st, None, "raid", 10, 0),
    lambda st: S.officials_cases_page(st, None, "torture", 10, 0),
    *(lambda st, by=by, page=page: _exile_page(st, by, *page)
      for by in ("country", "period", "route") for page in ((S.ALL, 0, S.ALL, 0), (2, 1, 1, 1), (1, 0, 0, 0))),
], ids=["gba", "gba-page2", "gba-defender", "oc", "oc-page", "oc-first", "oc-across", "oc-across2", "oc-past-end", "oc-chief", "oc-org", "oc-raid", "oc-torture",
        *(f"exile-{by}-{n}" for by in ("country", "period", "route") for n in ("all", "page", "counts"))])
def test_paged_lists_same_on_both_paths_and_backends(stores, ask, monkeypatch):
    """guilt-by-association, officials-cases and exile flows page in Cypher on Neo4j and in Python on
    GraphQLite (GraphStore.sorts_in_database): Neo4j's Cypher path, the Python path on
    Neo4j and the Python path on the embedded store give the same page."""
    emb, neo = stores
    assert neo.sorts_in_database and not emb.sorts_in_database
    answers = [ask(neo)]
    monkeypatch.setattr(neo, "sorts_in_database", False)
    answers += [ask(neo), ask(emb)]
    dumped = [(total, _dump(items)) for total, items in answers]
    assert dumped[1:] == dumped[:1] * 2


# --------------------------------------------------------------------------- issue 11: accountability and dossiers


@pytest.mark.neo4j
def test_accountability_answers_same_on_both_backends(stores):
    from repgraph import accountability as A

    cases = [
        *[(A.sanctioned_as_of, (d,), {}) for d in ("2019-11-05", "2020-01-14", "2022-06-30", "2022-07-01")],
        (A.sanctioned_as_of, ("2019-11-05", "canada"), {}),
        (A.sanctions_gap, ("us_ofac", "eu", "2019-11-05"), {}), (A.sanctions_gap, ("us_ofac", "canada", "2023-01-01"), {}),
        (A.relatives_and_associates, (), {}), (A.relatives_and_associates, ("p-dos-general",), {}),
        (A.evidence_strength, (), {}), (A.evidence_strength, (), {"perpetrator_id": "p-dos-general"}),
        *[(A.command_responsibility, (p,), {}) for p in ("p-dos-general", "p-dos-successor", "p-chief-delta",
                                                          "person-remigio-ceballos-ichaso")],
        *[(A.sanctions_of, (p,), {}) for p in ("p-dos-general", "person-carlos-alberto-calderon-chirinos")],
        (A.exculpatory_for, (["inc-dos-torture-2022", "sanc-dos-eu", "p-dos-general"],), {}),
    ]
    for fn, args, kwargs in cases:
        e, n = _both(stores, fn, *args, **kwargs)
        assert e == n, (fn.__name__, args, kwargs)
        assert e, (fn.__name__, args, "no answer: the case proves nothing")


@pytest.mark.neo4j
@pytest.mark.parametrize("person_id", ["p-dos-general", "p-dos-successor", "p-chief-delta", "person-remigio-ceballos-ichaso",
                                       "person-nestor-neptali-blanco-hurtado", "person-jose-adelino-ornelas-ferreira",
                                       "person-pedro-miguel-carreno-escobar", "person-carlos-alberto-calderon-chirinos"])
def test_dossier_same_on_both_backends(stores, person_id):
    from repgraph.dossier import build_dossier

    e, n = (build_dossier(st, person_id, "2023-01-01").model_dump(mode="json", exclude={"generated_at"}) for st in stores)
    assert e == n
