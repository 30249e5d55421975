"""Statements per dataset (issue 9): a second file adds its statements instead of replacing
the first's, a corrected file replaces its own, retract leaves the store as if the dataset
had never been ingested. Every case on both backends."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from repgraph import queries as Q
from repgraph import service as S
from repgraph.ingest import CaseFileError, ingest_case_file
from repgraph.ingest.datasets import DatasetError, retract


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
  - {label: Organization, id: org-unit, name: Fake Unit, aliases: [FU], kind: police,
     citations: [{source: src-one, quote: "the Fake Unit (FU)"}]}
relationships:
  - {type: MEMBER_OF, from: person-pe, to: org-unit, role: commander, citations: [{source: src-one, quote: "commands the unit"}]}
"""

B = """
dataset: {name: case-b, title: Fake list B, synthetic: true}
nodes:
  - {label: Source, id: src-two, name: Fake List Two, type: official_document, title: Fake List Two}
  - label: Person
    id: person-pe
    name: NUÑEZ, Pedro Ejemplo
    roles: [official]
    gender: male
    citations: [{source: src-two, quote: "NUÑEZ, Pedro Ejemplo"}]
  - {label: Organization, id: org-unit, name: Fake Unit, kind: police, citations: [{source: src-two, quote: "Fake Unit"}]}
relationships:
  - {type: MEMBER_OF, from: person-pe, to: org-unit, role: member, citations: [{source: src-two, quote: "member of Fake Unit"}]}
"""

EXILE = """
dataset: {name: exiles, title: Fake exile records, synthetic: true}
nodes:
  - {label: Source, id: src-ex, name: Fake Exile Source, type: interview, title: Fake Exile Source}
  - {label: Person, id: p-exile, name: Ana Ficticia, roles: [defender], description: "a fake defender"}
  - {label: Country, id: c-fake, name: Fakeland, code: XF}
  - {label: Incident, id: inc-fake, name: Fake raid, type: raid, date: "2024", dateEnd: "2025",
     citations: [{source: src-ex, quote: "raided in 2024 and 2025"}]}
relationships:
  - {type: EXILED_TO, from: p-exile, to: c-fake, date: "2024-08", route: air}
  - {type: TARGETED, from: inc-fake, to: p-exile}
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def snapshot(store) -> dict:
    """Every node's and relationship's stored properties, by id."""
    ids = [r["id"] for r in store.read(Q.ALL_IDS)]
    nodes = {r["id"]: (r["label"], r["props"]) for r in S.each(store, Q.ENTITY, ids)}
    rels = {r["props"]["id"]: (r["type"], r["props"]) for r in S.each(store, Q.NEIGHBOURS, ids) if r["outgoing"]}
    return {"nodes": nodes, "relationships": rels}


# --------------------------------------------------------------------------- case 1


def test_second_file_adds_its_statements(empty_store, tmp_path):
    ingest_case_file(empty_store, write(tmp_path, "a.yaml", A))
    ingest_case_file(empty_store, write(tmp_path, "b.yaml", B))
    page = S.entity(empty_store, "person-pe")
    # both spellings present: the earliest dataset's name shown, the other a typed alias
    assert page.name == "Pedro Ejemplo Núñez"
    assert page.properties["aliases"] == ["P. Ejemplo", "NUÑEZ, Pedro Ejemplo"]
    assert [(a.name, a.type, a.datasets) for a in page.aliases] == [
        ("P. Ejemplo", "alias", ["case-a"]), ("NUÑEZ, Pedro Ejemplo", "spelling", ["case-b"])]
    assert {c.source for c in page.citations} == {"src-one", "src-two"}
    # the entity page says which source states which value
    assert page.datasets == ["case-a", "case-b"]
    assert page.provenance["name"] == ["case-a"] and page.provenance["gender"] == ["case-b"]
    by_dataset = {s.dataset: s for s in page.statements}
    assert by_dataset["case-a"].values["name"] == "Pedro Ejemplo Núñez"
    assert [c.source for c in by_dataset["case-b"].citations] == ["src-two"]
    assert by_dataset["case-b"].title == "Fake list B"
    # found by both spellings
    assert [h.id for h in S.search(empty_store, "nunez pedro").items] == ["person-pe"]
    assert [h.id for h in S.search(empty_store, "P. Ejemplo").items] == ["person-pe"]
    # the organization re-declared without its alias keeps it and is found by it
    assert S.entity(empty_store, "org-unit").properties["aliases"] == ["FU"]
    assert [h.id for h in S.search(empty_store, "FU").items] == ["org-unit"]
    # a single-valued conflict keeps both values, the earliest dataset's shown
    rel = next(r for r in page.relationships if r.type == "MEMBER_OF")
    assert rel.properties["role"] == "commander" and rel.datasets == ["case-a", "case-b"]
    assert [(c.property, c.shown, [(v.dataset, v.value) for v in c.values]) for c in rel.conflicts] == [
        ("role", "commander", [("case-a", "commander"), ("case-b", "member")])]
    assert {c.source for c in rel.citations} == {"src-one", "src-two"}


def test_reingesting_both_files_changes_nothing(empty_store, tmp_path):
    a, b = write(tmp_path, "a.yaml", A), write(tmp_path, "b.yaml", B)
    ingest_case_file(empty_store, a)
    ingest_case_file(empty_store, b)
    before = snapshot(empty_store)
    ingest_case_file(empty_store, b)
    ingest_case_file(empty_store, a)
    assert snapshot(empty_store) == before


# --------------------------------------------------------------------------- case 2


def test_corrections_stick_and_derived_fields_follow(empty_store, tmp_path):
    ingest_case_file(empty_store, write(tmp_path, "ex.yaml", EXILE))
    assert "2024-H2" in [g.key for g in S.exile_flows(empty_store, "period").groups]
    corrected = (EXILE.replace('date: "2024-08", route: air', 'date: "2019"')
                 .replace(', dateEnd: "2025"', "").replace('description: "a fake defender"', "description: null"))
    ingest_case_file(empty_store, write(tmp_path, "ex.yaml", corrected))
    flows = S.exile_flows(empty_store, "period")
    assert [g.key for g in flows.groups] == ["unknown"]  # a year-only date has no half-year
    assert [(r.date, r.route) for r in flows.records] == [("2019", None)]
    incident = S.entity(empty_store, "inc-fake").properties
    assert "dateEnd" not in incident and incident["dateTo"] == "2024-12-31"
    assert "description" not in S.entity(empty_store, "p-exile").properties


def test_corrected_file_equals_fresh_store_of_it(empty_store, tmp_path):
    corrected = EXILE.replace('date: "2024-08"', 'date: "2019"').replace(', dateEnd: "2025"', "")
    ingest_case_file(empty_store, write(tmp_path, "ex.yaml", EXILE))
    path = write(tmp_path, "ex.yaml", corrected)
    ingest_case_file(empty_store, path)
    got = snapshot(empty_store)
    assert got == fresh_snapshot(empty_store, [path])


def test_what_a_file_no_longer_states_disappears(empty_store, tmp_path):
    ingest_case_file(empty_store, write(tmp_path, "ex.yaml", EXILE))
    smaller = EXILE.split("relationships:")[0].replace("  - {label: Country, id: c-fake, name: Fakeland, code: XF}\n", "")
    result = ingest_case_file(empty_store, write(tmp_path, "ex.yaml", smaller))
    assert result.removed_nodes == ("c-fake",)
    assert set(result.removed_relationships) == {"EXILED_TO:p-exile:c-fake", "TARGETED:inc-fake:p-exile"}
    st = S.stats(empty_store)
    assert "Country" not in st.nodes and st.relationships == {"DOCUMENTED_IN": 1}


def test_dropping_a_node_another_dataset_uses_is_refused(empty_store, tmp_path):
    ingest_case_file(empty_store, write(tmp_path, "a.yaml", A))
    uses = """
dataset: {name: case-c, title: Fake C, synthetic: true}
nodes:
  - {label: Person, id: person-kin, name: Pariente Ficticio, roles: [family_member]}
relationships:
  - {type: MEMBER_OF, from: person-pe, to: org-unit, citations: [{source: src-one, quote: "member"}]}
  - {type: FAMILY_OF, from: person-kin, to: person-pe, relation: brother}
"""
    ingest_case_file(empty_store, write(tmp_path, "c.yaml", uses))
    before = snapshot(empty_store)
    without_person = A.split("  - label: Person")[0] + "  - {label: Organization" + A.split("  - {label: Organization")[1]
    without_person = without_person.split("relationships:")[0]
    with pytest.raises(CaseFileError, match="person-pe") as err:
        ingest_case_file(empty_store, write(tmp_path, "a.yaml", without_person))
    assert "FAMILY_OF:person-kin:person-pe" in str(err.value)
    assert snapshot(empty_store) == before
    with pytest.raises(DatasetError, match="FAMILY_OF:person-kin:person-pe"):
        retract(empty_store, "case-a")
    assert snapshot(empty_store) == before


# --------------------------------------------------------------------------- confidentiality


def test_confidentiality_takes_the_strictest_and_never_drops(empty_store, tmp_path):
    ingest_case_file(empty_store, write(tmp_path, "a.yaml", A.replace("roles: [official]", "roles: [official]\n    confidentiality: confidential")))
    ingest_case_file(empty_store, write(tmp_path, "b.yaml", B))
    assert S.entity(empty_store, "person-pe").properties["confidentiality"] == "confidential"
    ingest_case_file(empty_store, write(tmp_path, "a.yaml", A))  # corrected to public
    assert S.entity(empty_store, "person-pe").properties["confidentiality"] == "confidential"
    retract(empty_store, "case-a")
    assert S.entity(empty_store, "person-pe").properties["confidentiality"] == "confidential"


# --------------------------------------------------------------------------- retract


def test_retract_equals_a_fresh_store_without_the_dataset(empty_store, tmp_path):
    a, b, ex = write(tmp_path, "a.yaml", A), write(tmp_path, "b.yaml", B), write(tmp_path, "ex.yaml", EXILE)
    for f in (a, b, ex):
        ingest_case_file(empty_store, f)
    change = retract(empty_store, "case-b")
    assert change.nodes_removed == ["src-two"]
    assert [r["name"] for r in empty_store.read(Q.DATASETS)] == ["case-a", "exiles"]
    with pytest.raises(DatasetError, match="no dataset 'case-b'"):
        retract(empty_store, "case-b")
    got = snapshot(empty_store)
    assert len(got["nodes"]) == 7 and len(got["relationships"]) == 4
    assert got == fresh_snapshot(empty_store, [a, ex])


def test_retract_middle_and_first_dataset(empty_store, tmp_path):
    a, b, ex = write(tmp_path, "a.yaml", A), write(tmp_path, "b.yaml", B), write(tmp_path, "ex.yaml", EXILE)
    for f in (a, b, ex):
        ingest_case_file(empty_store, f)
    retract(empty_store, "case-a")
    retract(empty_store, "exiles")
    got = snapshot(empty_store)
    assert got == fresh_snapshot(empty_store, [b])


def test_retract_first_dataset_hands_the_name_to_the_next(empty_store, tmp_path):
    a, b = write(tmp_path, "a.yaml", A), write(tmp_path, "b.yaml", B)
    ingest_case_file(empty_store, a)
    ingest_case_file(empty_store, b)
    retract(empty_store, "case-a")
    page = S.entity(empty_store, "person-pe")
    assert page.name == "NUÑEZ, Pedro Ejemplo" and page.properties.get("aliases") == []
    assert page.datasets == ["case-b"] and [c.source for c in page.citations] == ["src-two"]
    got = snapshot(empty_store)
    assert got == fresh_snapshot(empty_store, [b])


# --------------------------------------------------------------------------- legacy stores


def test_store_without_statements_stays_readable_and_gains_them(empty_store, tmp_path):
    """A store written before statements (plain properties, ``SET n += props``) reads as
    before; a file stating the same id adds its statements beside the ``legacy`` ones."""
    with empty_store.transaction() as tx:
        tx.run("MERGE (n:Entity:Source {id: 'src-one'}) SET n += $p",
               {"p": {"name": "Fake Report One", "type": "report", "title": "Fake Report One", "confidentiality": "public",
                      "confidence": 1.0, "citations": "[]", "sourceIds": [], "searchText": "|fake report one|"}})
        tx.run("MERGE (n:Entity:Person {id: 'person-pe'}) SET n += $p",
               {"p": {"name": "Pedro Ejemplo Núñez", "roles": ["official"], "confidentiality": "restricted", "confidence": 1.0,
                      "aliases": ["Peye"], "citations": json.dumps([{"source": "src-one", "quote": "old quote"}]),
                      "sourceIds": ["src-one"], "searchText": "|pedro ejemplo nunez|peye|"}})
    assert S.entity(empty_store, "person-pe").name == "Pedro Ejemplo Núñez"
    ingest_case_file(empty_store, write(tmp_path, "b.yaml", B))
    page = S.entity(empty_store, "person-pe")
    assert page.datasets == ["legacy", "case-b"]
    assert page.name == "Pedro Ejemplo Núñez" and page.properties["aliases"] == ["Peye", "NUÑEZ, Pedro Ejemplo"]
    assert page.properties["confidentiality"] == "restricted"
    assert {c.quote for c in page.citations} == {"old quote", "NUÑEZ, Pedro Ejemplo"}


def fresh_snapshot(store, files: list[Path]) -> dict:
    """The snapshot of a fresh store holding only ``files``: the same store emptied and
    re-loaded (Neo4j Community has one database), so take the snapshot under test first."""
    with store.transaction() as tx:
        tx.run(Q.DELETE_ALL)
    for f in files:
        ingest_case_file(store, f)
    return snapshot(store)


# --------------------------------------------------------------------------- command line


def test_cli_show_datasets_retract(tmp_path):
    from typer.testing import CliRunner

    from repgraph.cli import app

    db = str(tmp_path / "cli.db")
    run = CliRunner().invoke
    a, b = write(tmp_path, "a.yaml", A), write(tmp_path, "b.yaml", B)
    assert run(app, ["ingest", str(a), str(b), "--db", db]).exit_code == 0
    shown = run(app, ["show", "person-pe", "--db", db, "-f", "json"])
    assert shown.exit_code == 0, shown.output
    page = json.loads(shown.output)
    assert page["datasets"] == ["case-a", "case-b"] and page["provenance"]["name"] == ["case-a"]
    assert [a["name"] for a in page["aliases"]] == ["P. Ejemplo", "NUÑEZ, Pedro Ejemplo"]
    table = run(app, ["show", "person-pe", "--db", db])
    assert "NUÑEZ, Pedro Ejemplo" in table.output and "spelling" in table.output and "case-b" in table.output
    assert run(app, ["show", "nobody", "--db", db]).exit_code == 2
    listed = json.loads(run(app, ["datasets", "--db", db, "-f", "json"]).output)
    assert [(d["name"], d["nodes"], d["relationships"]) for d in listed] == [("case-a", 3, 1), ("case-b", 3, 1)]
    out = run(app, ["retract", "case-b", "--db", db])
    assert out.exit_code == 0 and "1 node and 0 relationships removed" in out.output
    unknown = run(app, ["retract", "case-b", "--db", db])
    assert unknown.exit_code == 2 and "no dataset 'case-b'" in unknown.output
    # a corrected file prints what no dataset states any more
    smaller = A.split("relationships:")[0].replace(
        '  - {label: Organization, id: org-unit, name: Fake Unit, aliases: [FU], kind: police,\n     citations: [{source: src-one, quote: "the Fake Unit (FU)"}]}\n', "")
    out = run(app, ["ingest", str(write(tmp_path, "a.yaml", smaller)), "--db", db])
    assert out.exit_code == 0, out.output
    text = " ".join(out.output.split())
    assert "removed: org-unit, MEMBER_OF:person-pe:org-unit" in text
    assert "2 nodes (-1), 0 relationships (-1)" in text


def test_an_incident_stated_by_two_datasets_keeps_its_type(empty_store, tmp_path):
    """A node's ``type`` (Incident, Source, Place) is a property, not identity: two
    datasets stating one incident project it with its type."""
    ingest_case_file(empty_store, write(tmp_path, "ex.yaml", EXILE))
    second = """
dataset: {name: second, title: Fake second report, synthetic: true}
nodes:
  - {label: Source, id: src-ex, name: Fake Exile Source, type: interview, title: Fake Exile Source}
  - {label: Incident, id: inc-fake, name: Fake raid on the office, type: raid, date: "2024-03",
     citations: [{source: src-ex, quote: "the raid of March 2024"}]}
"""
    ingest_case_file(empty_store, write(tmp_path, "second.yaml", second))
    page = S.entity(empty_store, "inc-fake")
    assert page.properties["type"] == "raid" and page.datasets == ["exiles", "second"]
    assert page.properties["date"] == "2024" and page.properties["dateEnd"] == "2025"
    assert [(c.property, [v.value for v in c.values]) for c in page.conflicts] == [("date", ["2024", "2024-03"])]
    assert page.properties["aliases"] == ["Fake raid on the office"]
    assert S.entity(empty_store, "src-ex").properties["type"] == "interview"


def test_the_legacy_dataset_name_is_reserved(empty_store, tmp_path):
    """A file named ``legacy`` took the place of statements older than datasets: ingested
    after case-b, it still won case-b's conflicts (gender) and its name was shown."""
    ingest_case_file(empty_store, write(tmp_path, "b.yaml", B))
    before = snapshot(empty_store)
    hostile = A.replace("name: case-a", "name: legacy").replace("roles: [official]\n    citations", "roles: [official]\n    gender: female\n    citations")
    with pytest.raises(CaseFileError, match=r"field dataset.name: 'legacy' is reserved"):
        ingest_case_file(empty_store, write(tmp_path, "legacy.yaml", hostile))
    assert snapshot(empty_store) == before
    page = S.entity(empty_store, "person-pe")
    assert page.name == "NUÑEZ, Pedro Ejemplo" and page.properties["gender"] == "male" and page.datasets == ["case-b"]


REFERENCED = """
dataset: {name: refs-b, title: Fake refs B, synthetic: true}
nodes:
  - {label: Source, id: src-refb, name: Fake Gazette, type: official_document, title: Fake Gazette}
  - {label: Position, id: pos-refb, name: Fake Chief}
  - {label: Person, id: p-refb-brother, name: Hermano Ficticio, roles: [family_member]}
"""

REFERRING = """
dataset: {name: refs-a, title: Fake refs A, synthetic: true}
nodes:
  - {label: Source, id: src-refa, name: Fake Report, type: report, title: Fake Report}
  - {label: Person, id: p-refa, name: Ana Ficticia, roles: [defender]}
  - {label: Person, id: p-refa-boss, name: Jefe Ficticio, roles: [official]}
  - {label: Incident, id: inc-refa, name: Fake raid, type: raid, citations: [{source: src-refa, quote: "a raid"}]}
  - {label: Sanction, id: sanc-refa, name: Fake listing, authority: eu, listedDate: "2020",
     citations: [{source: src-refa, quote: "listed"}], listedCitations: [{source: src-refb, quote: "listed in 2020"}]}
relationships:
  - {type: SANCTIONED, from: sanc-refa, to: p-refa-boss}
  - {type: APPOINTED_BY, from: p-refa, to: p-refa-boss, position: pos-refb}
  - {type: TARGETED, from: inc-refa, to: p-refa, basis: guilt_by_association, becauseOf: p-refb-brother}
"""


def test_a_node_another_dataset_names_in_a_property_is_not_deleted(empty_store, tmp_path):
    """Retracting refs-b deleted its Source, Position and Person although refs-a still named
    them (a Sanction's listedCitations, APPOINTED_BY.position, TARGETED.becauseOf): the
    listing's evidence pointed at a source that no longer existed."""
    b, a = write(tmp_path, "b.yaml", REFERENCED), write(tmp_path, "a.yaml", REFERRING)
    ingest_case_file(empty_store, b)
    ingest_case_file(empty_store, a)
    before = snapshot(empty_store)
    with pytest.raises(DatasetError) as err:
        retract(empty_store, "refs-b")
    assert ("p-refb-brother (named by TARGETED:inc-refa:p-refa); pos-refb (named by APPOINTED_BY:p-refa:p-refa-boss); "
            "src-refb (named by sanc-refa)") in str(err.value)
    assert snapshot(empty_store) == before
    with pytest.raises(CaseFileError, match="src-refb \\(named by sanc-refa\\)"):  # a file dropping them: refused too
        ingest_case_file(empty_store, write(tmp_path, "b2.yaml", REFERENCED.split("nodes:")[0] + "nodes: []\n"))
    assert snapshot(empty_store) == before
    retract(empty_store, "refs-a")  # the referring dataset first: then both go
    retract(empty_store, "refs-b")
    assert empty_store.read(Q.ALL_IDS) == []


def test_entity_page_shows_a_retitled_dataset_at_once(empty_store, tmp_path):
    """The entity page reads dataset titles from a per-store cache (one round trip less on
    Neo4j); a write through the store rebuilds it, so a re-ingested file's new title shows
    on the next page."""
    ingest_case_file(empty_store, write(tmp_path, "a.yaml", A))
    first = S.entity(empty_store, "person-pe")
    assert {s.dataset: s.title for s in first.statements}["case-a"] == "Fake report A"
    ingest_case_file(empty_store, write(tmp_path, "a.yaml", A.replace("title: Fake report A", "title: Fake report A (corrected)")))
    again = S.entity(empty_store, "person-pe")
    assert {s.dataset: s.title for s in again.statements}["case-a"] == "Fake report A (corrected)"
