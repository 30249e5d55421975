"""Graph-level merges (issue 9): after ``repgraph merge A B`` search, entity pages,
queries and views show one entity reachable by both ids, with all statements of both;
``unmerge`` gives back the store where the merge never happened. Both backends."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from repgraph import resolution as R
from repgraph import service as S
from repgraph.ingest import ingest_case_file
from repgraph.ingest.datasets import retract
from repgraph.viz.ego import build_ego

from test_statements import snapshot

A = """
dataset: {name: case-a, title: Fake report A, synthetic: true}
nodes:
  - {label: Source, id: src-one, name: Fake Report One, type: report, title: Fake Report One}
  - label: Person
    id: person-pe
    name: Pedro Ejemplo Núñez
    aliases: [P. Ejemplo]
    roles: [official]
    citations: [{source: src-one, quote: "Pedro Ejemplo Núñez, alias P. Ejemplo, commands the unit."}]
  - {label: Organization, id: org-unit, name: Fake Unit, kind: police, citations: [{source: src-one, quote: "the Fake Unit"}]}
  - {label: Incident, id: inc-one, name: Fake raid one, type: raid, date: "2024-01-02",
     citations: [{source: src-one, quote: "the raid of 2 January"}]}
relationships:
  - {type: MEMBER_OF, from: person-pe, to: org-unit, role: commander, citations: [{source: src-one, quote: "commands the unit"}]}
  - {type: PERPETRATED_BY, from: inc-one, to: person-pe, role: ordered, citations: [{source: src-one, quote: "ordered the raid"}]}
"""

B = """
dataset: {name: case-b, title: Fake list B, synthetic: true}
nodes:
  - {label: Source, id: src-two, name: Fake List Two, type: official_document, title: Fake List Two}
  - label: Person
    id: person-pedro-ejemplo
    name: NUÑEZ, Pedro Ejemplo
    roles: [official]
    gender: male
    confidentiality: restricted
    citations: [{source: src-two, quote: "NUÑEZ, Pedro Ejemplo"}]
  - {label: Incident, id: inc-two, name: Fake raid two, type: raid, date: "2024-03-04",
     citations: [{source: src-two, quote: "the raid of 4 March"}]}
relationships:
  - {type: PERPETRATED_BY, from: inc-two, to: person-pedro-ejemplo, role: ordered, citations: [{source: src-two, quote: "ordered it"}]}
"""

C = """
dataset: {name: case-c, title: Fake note C, synthetic: true}
nodes:
  - {label: Source, id: src-three, name: Fake Note Three, type: interview, title: Fake Note Three}
  - label: Person
    id: person-z-ejemplo
    name: Pedro E. Núñez
    roles: [official]
    citations: [{source: src-three, quote: "Pedro E. Núñez"}]
  - {label: Organization, id: org-pe, name: Pedro Ejemplo Nunez, kind: ngo}
relationships: []
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def _ingest(store, tmp_path, *texts) -> list[Path]:
    paths = [write(tmp_path, f"{k}.yaml", t) for k, t in enumerate(texts)]
    for p in paths:
        ingest_case_file(store, p)
    return paths


def _check_merged(store) -> None:
    for ident in ("person-pe", "person-pedro-ejemplo"):
        page = S.entity(store, ident)
        assert page.id == "person-pe" and page.referents == ["person-pedro-ejemplo"]
        assert page.name == "Pedro Ejemplo Núñez"
        assert page.properties["aliases"] == ["P. Ejemplo", "NUÑEZ, Pedro Ejemplo"]
        assert page.properties["gender"] == "male"
        assert page.datasets == ["case-a", "case-b"]
        assert {c.source for c in page.citations} == {"src-one", "src-two"}
        assert {s.dataset for s in page.statements} == {"case-a", "case-b"}
        # the strictest level of the two ids'
        assert page.confidentiality == "restricted"
        assert sorted((r.type, r.other.id) for r in page.relationships) == [
            ("MEMBER_OF", "org-unit"), ("PERPETRATED_BY", "inc-one"), ("PERPETRATED_BY", "inc-two")]
        stated = {r.id: r.properties.get("statedTo") for r in page.relationships}
        assert stated == {"MEMBER_OF:person-pe:org-unit": None, "PERPETRATED_BY:inc-one:person-pe": None,
                          "PERPETRATED_BY:inc-two:person-pedro-ejemplo": "person-pedro-ejemplo"}
    # search for either spelling: one hit, the canonical id
    for q in ("Pedro Ejemplo Núñez", "NUÑEZ, Pedro Ejemplo"):
        assert [(h.id, h.label) for h in S.search(store, q).items if h.label == "Person"] == [("person-pe", "Person")]
    # a named query counts the person once, whichever id asks
    for ident in ("person-pe", "person-pedro-ejemplo"):
        cases = S.officials_cases(store, ident)
        assert sorted((c.perpetrator.id, c.incident.id) for c in cases) == [
            ("person-pe", "inc-one"), ("person-pe", "inc-two")]
    assert {c.perpetrator.id for c in S.officials_cases(store)} == {"person-pe"}
    # the ego view has one node for the person
    view = build_ego(store, "person-pedro-ejemplo")
    ids = [n.id for n in view.nodes]
    assert "person-pe" in ids and "person-pedro-ejemplo" not in ids and len(ids) == len(set(ids))
    assert {"inc-one", "inc-two", "org-unit"} <= set(ids)


def test_merge_shows_one_entity_reachable_by_both_ids(empty_store, tmp_path):
    _ingest(empty_store, tmp_path, A, B)
    assert len({c.perpetrator.id for c in S.officials_cases(empty_store)}) == 2
    R.merge(empty_store, "person-pedro-ejemplo", "person-pe", "same list entry", by="tester")
    _check_merged(empty_store)
    # dedupe no longer proposes the pair
    assert not [c for c in R.dedupe(empty_store) if {c.a.id, c.b.id} == {"person-pe", "person-pedro-ejemplo"}]


def test_reingest_after_merge_keeps_it_and_lands_on_the_entity(empty_store, tmp_path):
    a, b = _ingest(empty_store, tmp_path, A, B)
    R.merge(empty_store, "person-pe", "person-pedro-ejemplo", "same", by="tester")
    merged = snapshot(empty_store)
    ingest_case_file(empty_store, b)
    ingest_case_file(empty_store, a)
    assert snapshot(empty_store) == merged
    _check_merged(empty_store)
    # a corrected file stating the merged-away id lands on the canonical entity
    write(tmp_path, "1.yaml", B.replace("gender: male", "gender: female").replace("2024-03-04", "2024-03-05"))
    ingest_case_file(empty_store, tmp_path / "1.yaml")
    page = S.entity(empty_store, "person-pedro-ejemplo")
    assert page.id == "person-pe" and page.properties["gender"] == "female"
    assert [r.id for r in S.search(empty_store, "NUÑEZ Pedro").items if r.label == "Person"] == ["person-pe"]


def test_unmerge_equals_a_store_that_never_merged(empty_store, tmp_path):
    _ingest(empty_store, tmp_path, A, B)
    never = snapshot(empty_store)
    R.merge(empty_store, "person-pe", "person-pedro-ejemplo", "same", by="tester")
    assert snapshot(empty_store) != never
    R.unmerge(empty_store, "person-pedro-ejemplo", "person-pe", by="tester")
    assert snapshot(empty_store) == never
    assert S.entity(empty_store, "person-pe").referents == []
    assert S.entity(empty_store, "person-pedro-ejemplo").confidentiality == "restricted"
    assert S.entity(empty_store, "person-pe").confidentiality == "public"
    # recorded as different: not proposed again
    j = R.judgements(empty_store)[("person-pe", "person-pedro-ejemplo")]
    assert j.verdict == "different" and j.history[0]["verdict"] == "same"
    assert not [c for c in R.dedupe(empty_store) if {c.a.id, c.b.id} == {"person-pe", "person-pedro-ejemplo"}]


def test_retract_and_reingest_while_merged(empty_store, tmp_path):
    a, b = _ingest(empty_store, tmp_path, A, B)
    R.merge(empty_store, "person-pe", "person-pedro-ejemplo", "same", by="tester")
    merged = snapshot(empty_store)
    retract(empty_store, "case-b")
    page = S.entity(empty_store, "person-pedro-ejemplo")
    assert page.id == "person-pe" and page.datasets == ["case-a"] and "gender" not in page.properties
    assert [s.source for s in page.citations] == ["src-one"]
    ingest_case_file(empty_store, b)
    assert snapshot(empty_store) == merged


def test_chains_of_merges_make_one_cluster(empty_store, tmp_path):
    _ingest(empty_store, tmp_path, A, B, C)
    R.merge(empty_store, "person-pedro-ejemplo", "person-z-ejemplo", "same", by="tester")
    page = S.entity(empty_store, "person-z-ejemplo")
    assert page.id == "person-pedro-ejemplo" and page.referents == ["person-z-ejemplo"]
    R.merge(empty_store, "person-pe", "person-z-ejemplo", "same", by="tester")
    for ident in ("person-pe", "person-pedro-ejemplo", "person-z-ejemplo"):
        page = S.entity(empty_store, ident)
        assert page.id == "person-pe" and page.referents == ["person-pedro-ejemplo", "person-z-ejemplo"]
        assert {c.source for c in page.citations} == {"src-one", "src-two", "src-three"}
    assert [h.id for h in S.search(empty_store, "Pedro E. Núñez").items if h.label == "Person"] == ["person-pe"]
    # unmerging one link keeps the other
    R.unmerge(empty_store, "person-pedro-ejemplo", "person-z-ejemplo", by="tester")
    assert S.entity(empty_store, "person-z-ejemplo").id == "person-pe"
    assert S.entity(empty_store, "person-pedro-ejemplo").id == "person-pedro-ejemplo"


def test_refusals_stay(empty_store, tmp_path):
    _ingest(empty_store, tmp_path, A, B, C)
    with pytest.raises(R.JudgementError, match="cannot merge a Person and a Organization|Person and an? Organization"):
        R.merge(empty_store, "person-pe", "org-pe", "no", by="tester")
    R.merge_not(empty_store, "person-pe", "person-z-ejemplo", "different", by="tester")
    R.merge(empty_store, "person-pe", "person-pedro-ejemplo", "same", by="tester")
    with pytest.raises(R.JudgementError, match="conflict for review"):
        R.merge(empty_store, "person-pedro-ejemplo", "person-z-ejemplo", "same", by="tester")
    assert S.entity(empty_store, "person-z-ejemplo").id == "person-z-ejemplo"


def test_api_answers_the_merged_entity_by_either_id(empty_store, tmp_path):
    from test_api_server import live

    _ingest(empty_store, tmp_path, A, B)
    R.merge(empty_store, "person-pe", "person-pedro-ejemplo", "same", by="tester")
    with live(empty_store) as client:
        for ident in ("person-pe", "person-pedro-ejemplo"):
            r = client.get(f"/entities/{ident}")
            assert r.status_code == 200, r.text
            page = r.json()
            assert page["id"] == "person-pe" and page["referents"] == ["person-pedro-ejemplo"]
            assert page["datasets"] == ["case-a", "case-b"]
            assert {c["source"] for c in page["citations"]} == {"src-one", "src-two"}
        hits = client.get("/entities", params={"q": "NUÑEZ Pedro", "type": "Person"}).json()
        assert [h["id"] for h in hits["items"] if h["label"] == "Person"] == ["person-pe"]


def test_cli_merge_show_unmerge(tmp_path):
    from typer.testing import CliRunner

    from repgraph.cli import app

    db = str(tmp_path / "cli.db")
    run = CliRunner().invoke
    a, b = write(tmp_path, "a.yaml", A), write(tmp_path, "b.yaml", B)
    assert run(app, ["ingest", str(a), str(b), "--db", db]).exit_code == 0
    out = run(app, ["merge", "person-pedro-ejemplo", "person-pe", "--reason", "same list entry", "--db", db])
    assert out.exit_code == 0, out.output
    assert "one entity now: person-pe" in " ".join(out.output.split())
    page = json.loads(run(app, ["show", "person-pedro-ejemplo", "--db", db, "-f", "json"]).output)
    assert page["id"] == "person-pe" and page["referents"] == ["person-pedro-ejemplo"]
    assert [s["dataset"] for s in page["statements"]] == ["case-a", "case-b"]
    assert {c["source"] for c in page["citations"]} == {"src-one", "src-two"}
    table = run(app, ["show", "person-pedro-ejemplo", "--db", db]).output
    assert "merged: also person-pedro-ejemplo" in " ".join(table.split())
    assert run(app, ["unmerge", "person-pe", "person-pedro-ejemplo", "--db", db]).exit_code == 0
    page = json.loads(run(app, ["show", "person-pedro-ejemplo", "--db", db, "-f", "json"]).output)
    assert page["id"] == "person-pedro-ejemplo" and page["referents"] == [] and page["datasets"] == ["case-b"]


def test_cli_queries_take_a_merged_away_id_and_writes_are_audited(tmp_path):
    """Regression (newcomer): `query officials-cases -p official_id=<merged-away id>` and
    `query command-responsibility -p person_id=...` answered "no entity with id" while the
    API and `show` answered the merged entity; merge, unmerge and retract were not in the
    audit log, though every write is."""
    from typer.testing import CliRunner

    from repgraph.access import AccessDB, audit
    from repgraph.cli import app

    db, access = str(tmp_path / "cli.db"), tmp_path / "access.sqlite"
    env = {"REPGRAPH_ACCESS_DB": str(access), "COLUMNS": "300"}
    run = lambda *args: CliRunner().invoke(app, [*args, "--db", db], env=env)  # noqa: E731
    a, b = write(tmp_path, "a.yaml", A), write(tmp_path, "b.yaml", B)
    assert run("ingest", str(a), str(b)).exit_code == 0
    assert run("merge", "person-pedro-ejemplo", "person-pe", "--reason", "same list entry").exit_code == 0
    out = run("query", "officials-cases", "-p", "official_id=person-pedro-ejemplo", "-f", "json")
    assert out.exit_code == 0, out.output
    rows = json.loads(out.output)
    rows = rows.get("items", rows) if isinstance(rows, dict) else rows
    assert sorted((r["perpetrator"]["id"], r["incident"]["id"]) for r in rows) == [
        ("person-pe", "inc-one"), ("person-pe", "inc-two")]
    assert run("query", "command-responsibility", "-p", "person_id=person-pedro-ejemplo").exit_code == 0
    assert run("unmerge", "person-pe", "person-pedro-ejemplo").exit_code == 0
    assert run("retract", "case-b").exit_code == 0
    writes = [(e.target, sorted(e.ids)) for e in audit.entries(AccessDB(access)) if e.action == "write"]
    assert [w for w in writes if w[0] != "ingest"] == [
        ("merge", ["person-pe", "person-pedro-ejemplo"]), ("unmerge", ["person-pe", "person-pedro-ejemplo"]),
        ("retract", sorted(["inc-two", "person-pedro-ejemplo", "src-two", "PERPETRATED_BY:inc-two:person-pedro-ejemplo",
                            "DOCUMENTED_IN:inc-two:src-two"]))]


def test_dedupe_and_audit_tables_never_split_an_id_at_80_columns(tmp_path):
    """Regression (newcomer, 80-column terminal): dedupe printed '(person-nunez-pedro-e'
    and 'jemplo)' on two lines; audit cut every cell to 'cli:…', 'perso…'."""
    from typer.testing import CliRunner

    from repgraph.cli import app

    db, access = str(tmp_path / "cli.db"), tmp_path / "access.sqlite"
    env = {"REPGRAPH_ACCESS_DB": str(access), "COLUMNS": "80"}
    run = lambda *args: CliRunner().invoke(app, [*args, "--db", db], env=env)  # noqa: E731
    assert run("ingest", str(write(tmp_path, "a.yaml", A)), str(write(tmp_path, "b.yaml", B))).exit_code == 0
    out = run("dedupe").output
    assert "person-pedro-ejemplo" in out and "person-pe" in out and "…" not in out
    assert run("merge", "person-pedro-ejemplo", "person-pe", "--reason", "same list entry").exit_code == 0
    out = run("audit").output
    assert "person-pedro-ejemplo" in out and "…" not in out.replace("… (+", "")
