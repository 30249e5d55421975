"""Parallel ingests into one fresh store (issue 8 items 3 and 18).

Eight real ``repgraph ingest data/seed/`` processes start at once against a fresh store
(an embedded file that does not exist yet; a Neo4j database without data or schema).
Each must exit 0, the store must end as after one ingest (idempotent MERGE, no duplicate
relationship), and the "+N" each process prints must be what that process created: their
sum equals the final counts.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from repgraph import queries as Q
from repgraph import service as S
from repgraph.schema import schema_statements
from repgraph.seed import seed_files
from repgraph.ingest import ingest_case_file
from repgraph.store.embedded import EmbeddedStore

from conftest import _neo4j_store, wipe_test_database

REPO = Path(__file__).resolve().parents[1]
PARALLEL = 8
SUMMARY = re.compile(r"store .*: (\d+) nodes \(([+-]\d+)\), (\d+) relationships \(([+-]\d+)\)")


@pytest.fixture(scope="module")
def one_ingest(tmp_path_factory) -> tuple[int, int]:
    """(nodes, relationships) after one ingest of the seed data."""
    with EmbeddedStore(tmp_path_factory.mktemp("one") / "one.db") as store:
        store.apply_schema(schema_statements())
        for f in seed_files():
            ingest_case_file(store, f)
        st = S.stats(store)
    return st.node_total, st.relationship_total


def _parallel_ingests(env: dict[str, str], args: list[str], cwd: Path) -> list[subprocess.CompletedProcess]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "REPGRAPH_"))}
    base.update(env, COLUMNS="300")
    procs = [subprocess.Popen([sys.executable, "-m", "repgraph", "ingest", str(REPO / "data" / "seed"), *args],
                              cwd=cwd, env=base, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(PARALLEL)]
    out = []
    for p in procs:
        stdout, stderr = p.communicate(timeout=600)
        out.append(subprocess.CompletedProcess(p.args, p.returncode, stdout, stderr))
    return out


def _check(results, final: tuple[int, int], one: tuple[int, int]) -> None:
    for r in results:
        assert r.returncode == 0, f"exit {r.returncode}\n{r.stdout}\n{r.stderr}"
        assert "Traceback" not in r.stderr
    assert final == one
    summaries = [SUMMARY.search(r.stdout) for r in results]
    assert all(summaries), [r.stdout for r in results]
    added = [tuple(map(int, m.group(2, 4))) for m in summaries]
    # every element was created by exactly one of the runs
    assert sum(a[0] for a in added) == final[0], added
    assert sum(a[1] for a in added) == final[1], added


def test_parallel_ingests_into_a_fresh_embedded_file(tmp_path, one_ingest):
    db = tmp_path / "fresh.db"
    results = _parallel_ingests({}, ["--db", str(db)], tmp_path)
    with EmbeddedStore(db) as store:
        st = S.stats(store)
    _check(results, (st.node_total, st.relationship_total), one_ingest)


@pytest.mark.neo4j
def test_parallel_ingests_into_a_fresh_neo4j(neo4j_settings, tmp_path, one_ingest):
    store = _neo4j_store(neo4j_settings)
    try:
        # fresh: no data and none of repgraph's constraints or indexes (the scratch mark stays)
        wipe_test_database(store)
        for row in store.read("SHOW CONSTRAINTS YIELD name RETURN name"):
            store.apply_schema([f"DROP CONSTRAINT {row['name']}"])
        for row in store.read("SHOW INDEXES YIELD name, type, owningConstraint WHERE owningConstraint IS NULL "
                              "AND name <> $marker AND type <> 'LOOKUP' RETURN name", {"marker": Q.SCRATCH_MARKER_INDEX}):
            store.apply_schema([f"DROP INDEX {row['name']}"])
        assert store.read("SHOW CONSTRAINTS YIELD name RETURN count(*) AS n")[0]["n"] == 0
        s = neo4j_settings
        results = _parallel_ingests({"NEO4J_URI": s["uri"], "NEO4J_USER": s["user"],
                                     "NEO4J_PASSWORD": s["password"] or "", "NEO4J_DATABASE": s["database"]},
                                    [], tmp_path)
        st = S.stats(store)
        _check(results, (st.node_total, st.relationship_total), one_ingest)
        # the schema is complete: one constraint per id rule
        n_constraints = sum(1 for stmt in schema_statements() if stmt.startswith("CREATE CONSTRAINT"))
        assert store.read("SHOW CONSTRAINTS YIELD name RETURN count(*) AS n")[0]["n"] == n_constraints
    finally:
        store.close()


def test_created_counts_what_this_ingest_added(empty_store, one_ingest):
    """IngestResult counts the elements its own transaction created: all of them the
    first time, none when the same files are ingested again."""
    first = [ingest_case_file(empty_store, f) for f in seed_files()]
    again = [ingest_case_file(empty_store, f) for f in seed_files()]
    assert (sum(r.nodes_created for r in first), sum(r.relationships_created for r in first)) == one_ingest
    assert [(r.nodes_created, r.relationships_created) for r in again] == [(0, 0)] * len(again)
    assert sum(r.nodes for r in again) >= one_ingest[0]  # matched, not created
