"""``repgraph import-neo4j``: a neo4j-admin first load writes exactly what the transactional
ingest writes into an empty database (issue 12, bulk loading).

The import replaces a whole database with the server stopped, so it runs against a Neo4j
server of its own, started by scripts/neo4j-test-server in a temporary home (never the
shared test server). The reference is the default ``repgraph ingest`` of the same files
into the tests' (scratch) Neo4j database; the two stores' snapshots (every node's labels
and properties, every relationship's type, ends and properties) must be equal, and
repgraph's answers the same.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from repgraph import service as S
from repgraph.cli import app
from repgraph.ingest import ingest_case_file
from repgraph.seed import seed_files
from repgraph.store.neo4j_backend import Neo4jStore

from conftest import SYNTHETIC, fresh_store

pytestmark = pytest.mark.neo4j

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "neo4j-test-server"

#: Dataset bookkeeping that is a time of ingest, not data: differs between any two runs.
TIMES = ("firstIngested", "lastIngested")

#: The writers' lock node is in both (the import takes the lock once); how many times it
#: was taken (once per ingest) is not data.
SNAPSHOT_NODES = ("MATCH (n) RETURN labels(n) AS labels, "
                  "CASE WHEN n:WriteLock THEN {} ELSE properties(n) END AS props")
SNAPSHOT_RELS = "MATCH (a)-[r]->(b) RETURN type(r) AS type, a.id AS start, b.id AS end, properties(r) AS props"

#: A second dataset restating fixture elements (statements, conflicts, spellings), with the
#: CSV's hard cases: quotes, commas, a newline and a semicolon in text, a float where the
#: fixture's statistic holds an integer.
OVERLAP = {
    "dataset": {"name": "overlap-fixture", "title": "Fake overlap, \"quoted\", with; commas", "synthetic": True},
    "nodes": [
        {"label": "Source", "id": "src-fake-second", "name": "Fake Second Report", "type": "report",
         "title": "Fake, \"Second\"; report"},
        {"label": "Person", "id": "p-defender-alpha", "name": "Alpha Testdefender", "roles": ["defender"],
         "aliases": ["A. Testdefender; alias"]},
        {"label": "Person", "id": "p-new-eta", "name": "Eta \"Fake\" Newperson", "roles": ["journalist"]},
        {"label": "Statistic", "id": "stat-fake-float", "name": "Fake ratio", "measure": "fake ratio", "value": 2.5,
         "periodStart": "2024-01", "periodEnd": "2024-06",
         "citations": [{"source": "src-fake-second", "quote": "Line one,\nline \"two\"."}]},
        {"label": "Incident", "id": "inc-eta-threat", "name": "Threat against Eta", "type": "threat", "date": "2024-02",
         "citations": [{"source": "src-fake-second", "quote": "Eta was threatened; twice."}]},
    ],
    "relationships": [
        {"type": "TARGETED", "from": "inc-eta-threat", "to": "p-new-eta"},
    ],
}


def snapshot(store) -> tuple[list, list]:
    """Every node (labels, properties) and relationship (type, end ids, properties),
    sorted; the Dataset records' ingest times left out."""
    nodes = []
    for row in store.read(SNAPSHOT_NODES):
        props = {k: v for k, v in row["props"].items() if k not in TIMES}
        nodes.append(json.dumps([sorted(row["labels"]), props], sort_keys=True, ensure_ascii=False))
    rels = [json.dumps([r["type"], r["start"], r["end"], r["props"]], sort_keys=True, ensure_ascii=False)
            for r in store.read(SNAPSHOT_RELS)]
    return sorted(nodes), sorted(rels)


@pytest.fixture(scope="module")
def import_server(tmp_path_factory):
    """A Neo4j server of this module's own (its home, Bolt settings), stopped at the end."""
    home = tmp_path_factory.mktemp("neo4j-import") / "home"
    subprocess.run([sys.executable, str(SCRIPT), "start", "--dir", str(home)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    env = dict(line.split("=", 1) for line in (home / "neo4j.env").read_text().splitlines() if "=" in line)
    settings = {"uri": env["REPGRAPH_TEST_NEO4J_URI"], "user": "neo4j", "password": env["REPGRAPH_TEST_NEO4J_PASSWORD"]}
    try:
        yield home, settings
    finally:
        subprocess.run([sys.executable, str(SCRIPT), "stop", "--dir", str(home)], stderr=subprocess.DEVNULL)


def run_import(home: Path, settings: dict, files: list[Path], tmp_path: Path, overwrite: bool = True):
    """``repgraph import-neo4j`` through the real CLI, with the server stopped first (as a
    user does: ``neo4j stop``), pointed at that server."""
    subprocess.run([str(home / "bin" / "neo4j"), "stop"], check=True, stderr=subprocess.DEVNULL)
    env = {"REPGRAPH_BACKEND": "neo4j", "NEO4J_URI": settings["uri"], "NEO4J_USER": "neo4j",
           "NEO4J_PASSWORD": settings["password"], "REPGRAPH_ACCESS_DB": str(tmp_path / "access.db")}
    args = ["import-neo4j", *map(str, files), "--neo4j-home", str(home)]
    return CliRunner().invoke(app, args + (["--overwrite-destination"] if overwrite else []), env=env)


def imported_store(settings: dict) -> Neo4jStore:
    return Neo4jStore(settings["uri"], "neo4j", settings["password"], "neo4j")


def reference_store(request, tmp_path, files: list[Path]):
    """The default transactional ingest of ``files`` into the tests' emptied database."""
    store = fresh_store("neo4j", tmp_path, request)
    for f in files:
        ingest_case_file(store, f)
    return store


def assert_same_store(imported, reference) -> None:
    got, want = snapshot(imported), snapshot(reference)
    assert len(got[0]) == len(want[0]) and len(got[1]) == len(want[1])
    for mine, theirs in zip(got, want):
        only_imported = sorted(set(mine) - set(theirs))[:3]
        only_ingested = sorted(set(theirs) - set(mine))[:3]
        assert not only_imported and not only_ingested, (only_imported, only_ingested)
    assert got == want


def test_import_of_seed_equals_transactional_ingest(import_server, request, tmp_path):
    home, settings = import_server
    files = seed_files()
    result = run_import(home, settings, files, tmp_path)
    assert result.exit_code == 0, result.output
    assert "imported into neo4j" in result.output
    reference = reference_store(request, tmp_path, files)
    imported = imported_store(settings)
    try:
        assert_same_store(imported, reference)
        assert S.stats(imported).node_total == S.stats(reference).node_total == 87
        for q in ("velasquez", "yendri", "faes", "dgcim"):
            assert S.search(imported, q).model_dump() == S.search(reference, q).model_dump()
        assert S.entity(imported, "person-yendri-velasquez") == S.entity(reference, "person-yendri-velasquez")
        # the schema is there: constraints refuse a duplicate id, full-text search answers
        names = {r["name"] for r in imported.read("SHOW INDEXES YIELD name, state WHERE state = 'ONLINE' RETURN name")}
        assert {"entity_search", "person_id", "entity_id", "person_name"} <= names
    finally:
        imported.close()
        reference.close()


def test_import_of_synthetic_network_with_overlap_equals_ingest(import_server, request, tmp_path):
    """Several datasets stating the same elements (statements, conflicts, spellings), a
    generated network, and CSV's hard cases in text and numbers."""
    sys.path.insert(0, str(ROOT))
    from bench.generate import generate, write

    home, settings = import_server
    generated = write(generate(120, seed=7), tmp_path / "generated")
    overlap = tmp_path / "overlap.json"
    overlap.write_text(json.dumps(OVERLAP, ensure_ascii=False), encoding="utf-8")
    files = [SYNTHETIC, overlap, *generated]
    result = run_import(home, settings, files, tmp_path)
    assert result.exit_code == 0, result.output
    reference = reference_store(request, tmp_path, files)
    imported = imported_store(settings)
    try:
        assert_same_store(imported, reference)
        alpha = S.entity(imported, "p-defender-alpha")
        assert alpha == S.entity(reference, "p-defender-alpha")
        props = imported.read("MATCH (n:Person {id: 'p-defender-alpha'}) RETURN n.datasets AS d, n.statements AS s")[0]
        assert props["d"] == ["synthetic-fixture", "overlap-fixture"] and props["s"]
        quote = imported.read("MATCH (n:Statistic {id: 'stat-fake-float'}) RETURN n.value AS v, n.citations AS c")[0]
        assert quote["v"] == 2.5 and "Line one,\nline \"two\"." in json.loads(quote["c"])[0]["quote"]
        assert [h.id for h in S.search(imported, "eta newperson").items] == ["p-new-eta"]
        for q in ("testdefender", "eta newperson", "alfa"):
            assert S.search(imported, q).model_dump() == S.search(reference, q).model_dump()
    finally:
        imported.close()
        reference.close()


def test_bad_file_gives_ingests_located_error_and_imports_nothing(import_server, tmp_path):
    home, settings = import_server
    bad = tmp_path / "bad.json"
    broken = json.loads(json.dumps(OVERLAP))
    broken["relationships"].append({"type": "TARGETED", "from": "inc-eta-threat", "to": "p-nobody-fake"})
    bad.write_text(json.dumps(broken), encoding="utf-8")
    before = snapshot_of(settings)
    result = run_import(home, settings, [SYNTHETIC, bad], tmp_path)
    assert result.exit_code == 2
    assert "nothing was imported" in result.output
    # the same located error as `repgraph ingest` (file, record, field)
    ingest = CliRunner().invoke(app, ["ingest", str(SYNTHETIC), str(bad), "--db", str(tmp_path / "emb.db")])
    assert ingest.exit_code == 2
    error = next(line for line in ingest.output.splitlines() if line.startswith("error:"))
    assert "relationships[1]" in error and "p-nobody-fake" in error
    assert error in result.output
    # neo4j-admin never ran: the database the server had is untouched
    subprocess.run([str(home / "bin" / "neo4j"), "start"], check=True, stderr=subprocess.DEVNULL)
    assert snapshot_of(settings) == before


def snapshot_of(settings: dict):
    home_store = imported_store(settings)
    try:
        return snapshot(home_store)
    except Exception:  # the server is stopped: start it to look
        raise
    finally:
        home_store.close()


def test_import_refuses_an_existing_database_without_overwrite(import_server, tmp_path):
    home, settings = import_server
    result = run_import(home, settings, [SYNTHETIC], tmp_path, overwrite=False)
    assert result.exit_code == 1
    assert "neo4j-admin database import failed" in result.output
    subprocess.run([str(home / "bin" / "neo4j"), "start"], check=True, stderr=subprocess.DEVNULL)


def test_test_server_home_has_neo4j_admin(import_server):
    home, _ = import_server
    out = subprocess.run([str(home / "bin" / "neo4j-admin"), "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and "5.26" in out.stdout


def test_prepare_while_serving_then_load_equals_ingest(import_server, request, tmp_path):
    """``--prepare DIR`` validates and writes the import while the server keeps serving (its
    database untouched); ``--prepared DIR`` loads it with the server stopped: the same store
    as a transactional ingest, each file audited as an ingest when loaded, not before."""
    home, settings = import_server
    files = [SYNTHETIC, *seed_files()]
    env = {"REPGRAPH_BACKEND": "neo4j", "NEO4J_URI": settings["uri"], "NEO4J_USER": "neo4j",
           "NEO4J_PASSWORD": settings["password"], "REPGRAPH_ACCESS_DB": str(tmp_path / "access.db")}
    subprocess.run([str(home / "bin" / "neo4j"), "start"], stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    before = snapshot_of(settings)  # answers: the server is up
    folder = tmp_path / "prepared"
    prepare = CliRunner().invoke(app, ["import-neo4j", *map(str, files), "--prepare", str(folder)], env=env)
    assert prepare.exit_code == 0, prepare.output
    assert "prepared in" in prepare.output and "--prepared" in prepare.output
    assert snapshot_of(settings) == before  # still serving the same database
    assert not (tmp_path / "access.db").exists()  # nothing written: nothing audited
    subprocess.run([str(home / "bin" / "neo4j"), "stop"], check=True, stderr=subprocess.DEVNULL)
    load = CliRunner().invoke(app, ["import-neo4j", "--prepared", str(folder), "--neo4j-home", str(home),
                                    "--overwrite-destination"], env=env)
    assert load.exit_code == 0, load.output
    reference = reference_store(request, tmp_path, files)
    imported = imported_store(settings)
    try:
        assert_same_store(imported, reference)
        assert S.entity(imported, "person-yendri-velasquez") == S.entity(reference, "person-yendri-velasquez")
    finally:
        imported.close()
        reference.close()
    audit = CliRunner().invoke(app, ["audit", "-f", "json"], env=env)
    entries = [e for e in json.loads(audit.stdout) if e["target"] == "ingest"]
    assert [e["detail"].split(":")[0] for e in entries] == [str(f) for f in files]
    assert "p-witness-zeta" in entries[0]["ids"]


def test_prepare_and_load_with_a_relative_folder_equals_ingest(import_server, request, tmp_path, monkeypatch):
    """``--prepare prep`` then ``--prepared prep`` from the same working folder (as a user
    types it): neo4j-admin runs inside the folder, so it must be given absolute files (it
    failed with a Java stack trace, nothing imported)."""
    home, settings = import_server
    env = {"REPGRAPH_BACKEND": "neo4j", "NEO4J_URI": settings["uri"], "NEO4J_USER": "neo4j",
           "NEO4J_PASSWORD": settings["password"], "REPGRAPH_ACCESS_DB": str(tmp_path / "access.db")}
    monkeypatch.chdir(tmp_path)
    prepare = CliRunner().invoke(app, ["import-neo4j", str(SYNTHETIC), "--prepare", "prep"], env=env)
    assert prepare.exit_code == 0, prepare.output
    subprocess.run([str(home / "bin" / "neo4j"), "stop"], stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    load = CliRunner().invoke(app, ["import-neo4j", "--prepared", "prep", "--neo4j-home", str(home),
                                    "--overwrite-destination"], env=env)
    assert load.exit_code == 0, load.output
    reference = reference_store(request, tmp_path, [SYNTHETIC])
    imported = imported_store(settings)
    try:
        assert_same_store(imported, reference)
    finally:
        imported.close()
        reference.close()
    audit = CliRunner().invoke(app, ["audit", "-f", "json"], env=env)
    assert [e["detail"].split(":")[0] for e in json.loads(audit.stdout) if e["target"] == "ingest"] == [str(SYNTHETIC)]


def test_a_running_server_is_refused_before_any_work(import_server, tmp_path):
    """The server of --neo4j-home still running: refused before validating (one step) and
    before neo4j-admin (--prepared), its database untouched, nothing audited. (neo4j-admin
    refused too, but only after the whole validation and CSV.)"""
    home, settings = import_server
    env = {"REPGRAPH_BACKEND": "neo4j", "NEO4J_URI": settings["uri"], "NEO4J_USER": "neo4j",
           "NEO4J_PASSWORD": settings["password"], "REPGRAPH_ACCESS_DB": str(tmp_path / "access.db")}
    subprocess.run([str(home / "bin" / "neo4j"), "start"], stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    before = snapshot_of(settings)
    prepared = tmp_path / "prepared"
    assert CliRunner().invoke(app, ["import-neo4j", str(SYNTHETIC), "--prepare", str(prepared)], env=env).exit_code == 0
    for args in ([str(SYNTHETIC)], ["--prepared", str(prepared)]):
        result = CliRunner().invoke(app, ["import-neo4j", *args, "--neo4j-home", str(home), "--overwrite-destination"],
                                    env=env)
        assert result.exit_code == 1, result.output
        assert "a Neo4j server answers at NEO4J_URI" in result.output and "validating" not in result.output
    assert snapshot_of(settings) == before
    assert not (tmp_path / "access.db").exists()


def test_a_prepared_load_leaves_the_writers_lock_and_every_index_online(import_server, tmp_path):
    """After ``--prepared`` (the lock node now comes with the CSV, the indexes are created
    before the constraints): exactly one ``WriteLock`` node, every constraint and index of
    graph/schema.cypher there and online, search answering from the full-text index; a
    transactional ingest afterwards takes that same lock (no second node) and its writes
    are found."""
    import re

    from repgraph.queries import WRITE_LOCK_ID, WRITE_LOCK_LABEL
    from repgraph.schema import schema_statements

    home, settings = import_server
    env = {"REPGRAPH_BACKEND": "neo4j", "NEO4J_URI": settings["uri"], "NEO4J_USER": "neo4j",
           "NEO4J_PASSWORD": settings["password"], "REPGRAPH_ACCESS_DB": str(tmp_path / "access.db")}
    folder = tmp_path / "prepared"
    assert CliRunner().invoke(app, ["import-neo4j", str(SYNTHETIC), "--prepare", str(folder)], env=env).exit_code == 0
    subprocess.run([str(home / "bin" / "neo4j"), "stop"], check=True, stderr=subprocess.DEVNULL)
    load = CliRunner().invoke(app, ["import-neo4j", "--prepared", str(folder), "--neo4j-home", str(home),
                                    "--overwrite-destination"], env=env)
    assert load.exit_code == 0, load.output
    lock = f"MATCH (l:{WRITE_LOCK_LABEL}) RETURN l.id AS id, l.taken AS taken"
    wanted = {m.group(1) for s in schema_statements() if (m := re.match(r"CREATE (?:CONSTRAINT|(?:FULLTEXT )?INDEX) (\w+)", s))}
    store = imported_store(settings)
    try:
        assert store.read(lock) == [{"id": WRITE_LOCK_ID, "taken": 1}]
        constraints = {r["name"] for r in store.read("SHOW CONSTRAINTS YIELD name RETURN name")}
        indexes = {r["name"]: r["state"] for r in store.read("SHOW INDEXES YIELD name, state RETURN name, state")}
        assert len(wanted) == 24 and wanted <= constraints | set(indexes)
        assert set(indexes.values()) == {"ONLINE"}
        assert [h.id for h in S.search(store, "testdefender alfa", label="Person").items] == ["p-defender-alpha"]
        overlap = tmp_path / "overlap.json"
        overlap.write_text(json.dumps(OVERLAP), encoding="utf-8")
        ingest_case_file(store, overlap)
        assert store.read(lock) == [{"id": WRITE_LOCK_ID, "taken": 2}]
        assert S.entity(store, "p-new-eta").name == 'Eta "Fake" Newperson'
    finally:
        store.close()
