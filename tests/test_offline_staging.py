"""The parts of ``repgraph import-neo4j`` that need no server: staging (the ingest run
against an in-memory store) and the neo4j-admin CSV files. The end-to-end equality with a
transactional ingest is tests/test_offline_import.py (Neo4j)."""

from __future__ import annotations

import csv
import json

import pytest
from typer.testing import CliRunner

from repgraph import queries as Q
from repgraph.ingest import CaseFileError
from repgraph.cli import app
from repgraph.ingest.offline import (ARRAY_DELIMITER, MANIFEST, MANIFEST_FORMAT, OfflineImportError, prepare_import,
                                    read_prepared, stage_paths, write_csv)
from repgraph.ingest.staging import StagedGraph, StagingStore
from repgraph.seed import seed_files
from repgraph.store.embedded import EmbeddedStore
from repgraph.ingest import ingest_case_file

from conftest import SYNTHETIC


def test_staged_graph_holds_what_an_embedded_ingest_holds(tmp_path):
    graph, results = stage_paths([SYNTHETIC, *seed_files()])
    store = EmbeddedStore(tmp_path / "e.db")
    try:
        ingested = [ingest_case_file(store, f) for f in [SYNTHETIC, *seed_files()]]
        assert results == ingested  # same files, datasets, node and relationship counts
        rows = store.read("MATCH (n:Entity) RETURN n.id AS id, properties(n) AS props")
        assert len(graph.nodes) == len(rows) == sum(r.nodes for r in results)
        for row in rows:
            label, props = graph.nodes[row["id"]]
            assert props == row["props"], row["id"]
        assert len(graph.relationships) == sum(r.relationships for r in results)
        assert set(graph.datasets) == {"dataset:synthetic-fixture", "dataset:pddhe-2025-report",
                                       "dataset:us-treasury-2019-11-05"}
    finally:
        store.close()


def test_bad_file_raises_the_ingests_located_error(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"dataset": {"name": "bad-fake", "title": "Fake"}, "nodes": [
        {"label": "Person", "id": "p-fake", "name": "Ana Ficticia", "roles": ["no-such-role"]}]}))
    with pytest.raises(CaseFileError) as exc:
        stage_paths([SYNTHETIC, bad])
    assert "nodes[0] (id=p-fake)" in str(exc.value) and "roles" in str(exc.value)


def test_staging_store_refuses_statements_the_ingest_does_not_run():
    with pytest.raises(NotImplementedError):
        StagingStore().read(Q.NODE_TOTAL)


def test_csv_types_and_quotes_and_no_empty_lists(tmp_path):
    graph, _ = stage_paths([SYNTHETIC])
    files = write_csv(graph, tmp_path / "csv")
    assert files.nodes == len(graph.nodes) + len(graph.datasets)
    assert files.relationships == len(graph.relationships)
    person = next(a.split("=", 2)[2] for a in files.node_args if a.startswith("--nodes=Entity:Person="))
    with open(person, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    assert header[0] == "id:ID(Entity)"
    assert "roles:string[]" in header and "confidence:double" in header and "datasets:string[]" in header
    # the ontology stores no empty list (neo4j-admin cannot import one): no marker, no restore pass
    assert not any(h.startswith(Q.EMPTY_LIST_MARKER.format(prop="aliases")) for h in header)
    assert files.empty_lists == set()
    by_id = {r[0]: dict(zip(header, r)) for r in rows[1:]}
    witness = by_id["p-witness-zeta"]
    assert witness["name:string"] == 'Zeta <b>Fake</b> & "Witness"'  # quotes doubled, read back whole
    alpha = by_id["p-defender-alpha"]
    assert alpha["roles:string[]"].split(ARRAY_DELIMITER) == ["defender", "lawyer"]
    assert by_id["p-agent-gamma"]["aliases:string[]"] == ""  # no aliases: no property


def test_an_empty_list_is_imported_as_a_marker(tmp_path):
    """Should a record still hold an empty list (the ontology drops them), the CSV marks it
    and the load restores it (neo4j-admin stores no empty array)."""
    graph = StagedGraph()
    graph.nodes["p-fake"] = ("Person", {"id": "p-fake", "name": "Fake Person", "roles": ["defender"]})
    graph.datasets["dataset:fake"] = {"id": "dataset:fake", "name": "fake", "nodeIds": []}
    files = write_csv(graph, tmp_path / "csv")
    assert files.empty_lists == {("Dataset", "nodeIds", False)}
    dataset_csv = next(tmp_path / "csv" / name for labels, name in files.node_files if labels == "Dataset")
    header = dataset_csv.read_text(encoding="utf-8").splitlines()[0]
    assert Q.EMPTY_LIST_MARKER.format(prop="nodeIds") + ":boolean" in header.split(",")


# --------------------------------------------------------------------------- two steps: --prepare, --prepared


def test_prepared_import_reads_back_what_was_prepared(tmp_path):
    folder = tmp_path / "prep"
    prepared = prepare_import([SYNTHETIC, *seed_files()], folder)
    assert oct(folder.stat().st_mode & 0o777) == "0o700"  # every name is in there, protected ones too
    # and every file in it is owner-only too, whatever the umask: a copied folder, or one
    # whose mode is widened for neo4j-admin, does not expose a protected name
    assert sorted(p.name for p in folder.iterdir() if p.stat().st_mode & 0o077) == []
    assert any(p.suffix == ".csv" for p in folder.iterdir())
    back = read_prepared(folder)
    assert back.results == prepared.results
    assert [r.dataset for r in back.results] == ["synthetic-fixture", "pddhe-2025-report", "us-treasury-2019-11-05"]
    assert (back.nodes, back.relationships, back.datasets) == (prepared.nodes, prepared.relationships, 3)
    assert back.files.node_args == prepared.files.node_args and back.files.relationship_args == prepared.files.relationship_args
    assert "p-witness-zeta" in back.ids[0] and "person-yendri-velasquez" in back.ids[1]
    # a prepared folder is used once: preparing again into it is refused, nothing overwritten
    with pytest.raises(OfflineImportError, match="not an empty folder"):
        prepare_import([SYNTHETIC], folder)
    assert read_prepared(folder).results == prepared.results


def test_prepared_folder_problems_are_named(tmp_path):
    with pytest.raises(OfflineImportError, match="no prepared import"):
        read_prepared(tmp_path)
    folder = tmp_path / "prep"
    prepare_import([SYNTHETIC], folder)
    person = next(name for labels, name in read_prepared(folder).files.node_files if labels == "Entity:Person")
    (folder / person).unlink()
    with pytest.raises(OfflineImportError, match=f"lacks {person}"):
        read_prepared(folder)
    (folder / MANIFEST).write_text('{"format": 99}', encoding="utf-8")
    with pytest.raises(OfflineImportError, match=f"expected {MANIFEST_FORMAT}"):
        read_prepared(folder)
    # a folder prepared by the revision before the writers' lock went into the CSV
    (folder / MANIFEST).write_text('{"format": 1}', encoding="utf-8")
    with pytest.raises(OfflineImportError, match="format 1, expected 2.*prepare it again"):
        read_prepared(folder)


@pytest.mark.parametrize("args, message", [
    (["--prepared", "{tmp}"], "--neo4j-home"),
    ([str(SYNTHETIC), "--prepared", "{tmp}", "--neo4j-home", "{tmp}"], "give no FILES"),
    ([str(SYNTHETIC), "--prepare", "{tmp}/p", "--csv-dir", "{tmp}/c"], "drop --csv-dir"),
    (["--neo4j-home", "{tmp}"], "give case FILES"),
    ([str(SYNTHETIC)], "--neo4j-home"),
])
def test_import_neo4j_refuses_option_mixups(tmp_path, monkeypatch, args, message):
    monkeypatch.delenv("NEO4J_HOME", raising=False)
    result = CliRunner().invoke(app, ["import-neo4j", *(a.format(tmp=tmp_path) for a in args)])
    assert result.exit_code == 2 and message in result.output


def test_prepare_of_a_bad_file_prepares_nothing(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"dataset": {"name": "bad-fake", "title": "Fake"}, "nodes": [
        {"label": "Person", "id": "p-fake", "name": "Ana Ficticia", "roles": ["no-such-role"]}]}))
    result = CliRunner().invoke(app, ["import-neo4j", str(SYNTHETIC), str(bad), "--prepare", str(tmp_path / "p")])
    assert result.exit_code == 2 and "nothing was prepared" in result.output and "nodes[0] (id=p-fake)" in result.output
    assert not any((tmp_path / "p").iterdir())


def test_a_csv_edited_truncated_or_replaced_after_prepare_is_refused(tmp_path):
    """What loads is what was validated: a CSV row added (an unsourced accusation, say) or a
    file truncated between --prepare and --prepared is refused, naming the file; the
    manifest cannot point neo4j-admin at a file outside the folder."""
    folder = tmp_path / "prep"
    prepare_import([SYNTHETIC], folder)
    person = next(name for labels, name in read_prepared(folder).files.node_files if labels == "Entity:Person")
    original = (folder / person).read_bytes()
    with open(folder / person, "a", encoding="utf-8") as f:
        f.write('"p-fake-added","Ana Ficticia Añadida"\n')
    with pytest.raises(OfflineImportError, match=f"{person} in .* changed since it was prepared"):
        read_prepared(folder)
    (folder / person).write_bytes(original[: len(original) // 2])
    with pytest.raises(OfflineImportError, match="changed since"):
        read_prepared(folder)
    (folder / person).write_bytes(original)
    assert read_prepared(folder).nodes == 28  # restored: loads again
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    outside = tmp_path / "elsewhere.csv"
    outside.write_bytes(original)
    manifest["nodeFiles"][0][1] = str(outside)
    (folder / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(OfflineImportError, match="outside"):
        read_prepared(folder)


@pytest.mark.parametrize("damage", [{"format": 1}, {"drop": "files"}, {"drop": "sha256"}, {"set": ("files", 3)}])
def test_a_damaged_manifest_is_a_named_error_not_a_traceback(tmp_path, damage):
    folder = tmp_path / "prep"
    prepare_import([SYNTHETIC], folder)
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    if "drop" in damage:
        del manifest[damage["drop"]]
    elif "set" in damage:
        manifest[damage["set"][0]] = damage["set"][1]
    else:
        manifest = damage
    (folder / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(OfflineImportError, match="prepare it again"):
        read_prepared(folder)
    result = CliRunner().invoke(app, ["import-neo4j", "--prepared", str(folder), "--neo4j-home", str(tmp_path),
                                      "--overwrite-destination"], env={"REPGRAPH_ACCESS_DB": str(tmp_path / "a.db")})
    assert result.exit_code == 1 and "prepare it again" in result.output and "Traceback" not in result.output


def test_a_relative_prepare_folder_names_absolute_files(tmp_path, monkeypatch):
    """neo4j-admin runs inside the folder: the files it is given must not be relative to
    where the command was run (``--prepared prep`` failed with a Java stack trace)."""
    monkeypatch.chdir(tmp_path)
    prepared = prepare_import([SYNTHETIC], "prep")
    back = read_prepared("prep")
    for files in (prepared.files, back.files):
        assert files.folder == tmp_path / "prep"
        assert all(arg.split("=", 2)[2].startswith(str(tmp_path / "prep") + "/")
                   for arg in [*files.node_args, *files.relationship_args])


SEPARATED = {
    "sep.json": json.dumps({"dataset": {"name": "sep-fake", "title": "Fake", "synthetic": True}, "nodes": [
        {"label": "Person", "id": "p-fake-sep", "name": "Ana Ficticia", "roles": ["witness"],
         "aliases": ["Ana\u001fFicticia"]}]}),
    "sep.yaml": 'dataset: {name: sep-fake, title: Fake, synthetic: true}\nnodes:\n'
                '  - {label: Person, id: p-fake-sep, name: Ana Ficticia, roles: [witness], aliases: ["Ana\\x1FFicticia"]}\n',
}


@pytest.mark.parametrize("name", sorted(SEPARATED))
def test_a_unit_separator_in_a_list_is_a_located_error_and_prepares_nothing(tmp_path, name):
    """``repgraph ingest`` stores an alias holding U+001F; import-neo4j cannot (its array
    delimiter): the error names the file, record and field like any bad input (it named
    none), before anything is written; JSON's and YAML's escapes alike."""
    bad = tmp_path / name
    bad.write_text(SEPARATED[name], encoding="utf-8")
    result = CliRunner().invoke(app, ["import-neo4j", str(SYNTHETIC), str(bad), "--prepare", str(tmp_path / "p")])
    assert result.exit_code == 2 and "nothing was prepared" in result.output
    assert f"{bad}, record nodes[0] (id=p-fake-sep), field aliases" in result.output.replace("\n", "")
    assert not any((tmp_path / "p").iterdir())


def test_a_prepare_folder_that_cannot_be_made_is_a_named_error(tmp_path):
    """An uncreatable --prepare folder (no such parent, not writable) was a traceback."""
    (tmp_path / "file").write_text("x")
    result = CliRunner().invoke(app, ["import-neo4j", str(SYNTHETIC), "--prepare", str(tmp_path / "file" / "prep")])
    assert result.exit_code == 1 and "cannot be made an owner-only folder" in result.output
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)


def _fake_home(tmp_path):
    """A Neo4j home whose neo4j-admin and neo4j only leave a mark when run."""
    home = tmp_path / "home"
    (home / "bin").mkdir(parents=True)
    for tool in ("neo4j-admin", "neo4j"):
        script = home / "bin" / tool
        script.write_text(f"#!/bin/sh\necho ran >> {home / 'ran'}\n")
        script.chmod(0o755)
    return home


@pytest.mark.parametrize("uri", [None, "", "localhost:7687", "http://127.0.0.1:7474"])
@pytest.mark.parametrize("prepared", [False, True])
def test_a_load_without_a_usable_neo4j_uri_changes_nothing(tmp_path, monkeypatch, uri, prepared):
    """Without NEO4J_URI naming the server, the database was replaced and the schema step
    then crashed (a traceback, a store without constraints or indexes): refused first now,
    before validation and before neo4j-admin runs."""
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.delenv("NEO4J_HOME", raising=False)
    env = {"REPGRAPH_ACCESS_DB": str(tmp_path / "access.db")} | ({} if uri is None else {"NEO4J_URI": uri})
    home = _fake_home(tmp_path)
    if prepared:
        prepare_import([SYNTHETIC], tmp_path / "prep")
        args = ["--prepared", str(tmp_path / "prep")]
    else:
        args = [str(SYNTHETIC)]
    result = CliRunner().invoke(app, ["import-neo4j", *args, "--neo4j-home", str(home), "--overwrite-destination"], env=env)
    assert result.exit_code == 1, result.output
    assert "is not a Neo4j address" in result.output and "Nothing was changed" in result.output
    assert "validating" not in result.output and "Traceback" not in result.output
    assert not (home / "ran").exists()  # neo4j-admin never ran
    assert not (tmp_path / "access.db").exists() or "ingest" not in CliRunner().invoke(app, ["audit"], env=env).output


def test_a_load_whose_server_never_answers_is_still_audited(tmp_path, monkeypatch):
    """neo4j-admin replaced the database, then the server did not come up: the files loaded
    are in the audit log all the same (they were audited only after the last step)."""
    monkeypatch.delenv("NEO4J_HOME", raising=False)
    env = {"REPGRAPH_ACCESS_DB": str(tmp_path / "access.db"), "NEO4J_URI": "bolt://127.0.0.1:1",
           "NEO4J_PASSWORD": "fake"}
    home = _fake_home(tmp_path)
    result = CliRunner().invoke(app, ["import-neo4j", str(SYNTHETIC), "--neo4j-home", str(home),
                                      "--overwrite-destination", "--wait", "1"], env=env)
    assert result.exit_code == 1 and "did not answer" in result.output
    assert (home / "ran").read_text().split() == ["ran", "ran"]  # neo4j-admin, then neo4j start
    audit = CliRunner().invoke(app, ["audit", "-f", "json"], env=env)
    entries = [e for e in json.loads(audit.stdout) if e["target"] == "ingest"]
    assert [e["detail"].split(":")[0] for e in entries] == [str(SYNTHETIC)]
    assert "p-defender-alpha" in entries[0]["ids"]


def test_the_writers_lock_node_is_in_the_csv(tmp_path):
    """The import writes the ``WriteLock`` node a first ingest's lock creates (label, id
    'writers'), so the load needs no write transaction after the server starts; it is
    bookkeeping, not counted among the graph's nodes."""
    folder = tmp_path / "prep"
    prepared = prepare_import([SYNTHETIC], folder)
    locks = [name for label, name in prepared.files.node_files if label == Q.WRITE_LOCK_LABEL]
    assert len(locks) == 1
    with open(folder / locks[0], newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert rows == [[f"id:ID({Q.WRITE_LOCK_LABEL})", "taken:long"], [Q.WRITE_LOCK_ID, "1"]]
    assert f"(l:{Q.WRITE_LOCK_LABEL} {{id: '{Q.WRITE_LOCK_ID}'}})" in Q.WRITE_LOCK  # the node the lock takes
    staged, _ = stage_paths([SYNTHETIC])
    assert prepared.nodes == len(staged.nodes) and prepared.files.nodes == prepared.nodes + prepared.datasets
    assert read_prepared(folder).files.node_files == prepared.files.node_files
