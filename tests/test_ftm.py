"""FollowTheMoney in and out: import-ftm, export-ftm, the real `ftm validate`, round trips.

FtM fixtures are written here (fake names), never downloaded. Stores are real (both
backends); the CLI and `ftm validate` run as real processes.
"""

from __future__ import annotations

import json
import re
import os
import subprocess
import sys
from pathlib import Path

import pytest
from followthemoney import model

from repgraph import queries as Q
from repgraph import service as S
from repgraph.ftm import export_ftm, import_ftm
from repgraph.ftm import mapping as M
from repgraph.ftm.importer import read_entities
from repgraph.ingest import CaseFileError, ingest_case_file
from repgraph.ontology import NODE_MODELS, REL_MODELS

from conftest import SYNTHETIC

REPO = Path(__file__).resolve().parents[1]
FTM_CLI = Path(sys.executable).parent / "ftm"
DS = "fake_sanctions"


def entity(ident: str, schema: str, datasets=(DS,), **props) -> dict:
    return {"id": ident, "schema": schema, "datasets": list(datasets),
            "properties": {k: v if isinstance(v, list) else [v] for k, v in props.items()}}


#: A small network as OpenSanctions would publish it: an official in a post of a security
#: service, his sister, an associate, his passport, a sanction (and a lifted one), a
#: journalist member of an NGO, a company he owns, an event, an address.
ENTITIES = [
    entity("per-pedro", "Person", name="Pedro Ejemplo Núñez", alias=["El Ficticio", "P. Ejemplo"],
           previousName="Pedro Ejemplo", weakAlias="Pedrito", topics=["role.pep", "sanction"], nationality="ve",
           gender="male", birthDate="1961-04", idNumber="V-0000001",
           sourceUrl="https://example.org/fake/pedro", summary="Director of a fictional service", proof="doc-1"),
    entity("per-ana", "Person", name="Ana Ficticia"),
    entity("per-carla", "Person", name="Carla Inventada", topics="role.journo"),
    entity("org-sfi", "PublicBody", name="Servicio Ficticio de Inteligencia", abbreviation="SFI",
           topics="gov.security", country="ve"),
    entity("org-obs", "Organization", name="Observatorio Imaginario", classification="ngo"),
    entity("pos-dir", "Position", name="Director of the Servicio Ficticio", organization="org-sfi",
           inceptionDate="2001", keywords="head"),
    entity("occ-1", "Occupancy", holder="per-pedro", post="pos-dir", startDate="2017-06", endDate="2020-01-15"),
    entity("mem-1", "Membership", member="per-carla", organization="org-obs", role="editor", startDate="2019",
           status="current"),
    entity("fam-1", "Family", person="per-pedro", relative="per-ana", relationship="sister"),
    entity("san-1", "Sanction", entity="per-pedro", authority="Office of Foreign Assets Control",
           program=["VENEZUELA-EO13884", "E.O. 13884"], startDate="2019-11-05", authorityId="99999",
           reason="Acting for a fictional government"),
    entity("san-2", "Sanction", entity="per-pedro", authority="Fictional Union Council", program="Fake Regulation 1/2018",
           startDate="2018-01-22", endDate="2021-03-01", status="Inactive"),
    entity("ev-1", "Event", name="Raid on a fictional newsroom", date="2018-03-02", keywords="raid",
           involved="per-carla"),
    entity("addr-1", "Address", full="1 Calle Falsa, Ciudad Ficticia"),
    entity("san-addr", "Sanction", entity="addr-1", authority="Fictional Union Council"),
    entity("pass-1", "Passport", holder="per-pedro", number="P-FAKE-123", country="ve"),
    entity("per-luis", "Person", name="Luis Imaginario"),
    entity("assoc-1", "Associate", person="per-pedro", associate="per-luis", relationship="business partner"),
    entity("co-1", "Company", name="Empresa Ficticia C.A.", jurisdiction="pa"),
    entity("own-1", "Ownership", owner="per-pedro", asset="co-1", percentage="51", startDate="2015"),
    entity("rep-1", "Representation", agent="per-luis", client="per-pedro"),
    entity("unit-1", "PublicBody", name="Unidad Ficticia Especial", topics="gov.security"),
    entity("part-1", "Membership", member="unit-1", organization="org-sfi"),
    entity("doc-1", "Article", title="Fictional press release on fictional officials", publisher="Ministerio de Pruebas",
           sourceUrl="https://example.org/fake/release", publishedAt="2019-11-05"),
]
def write_ftm(path: Path, entities: list[dict]) -> Path:
    path.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entities), encoding="utf-8")
    return path


def counts(store) -> tuple[dict, dict]:
    s = S.stats(store)
    return s.nodes, s.relationships


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


# --------------------------------------------------------------------------- import


def test_import_ftm_maps_entities_links_and_sources(empty_store, tmp_path):
    result = import_ftm(empty_store, write_ftm(tmp_path / "os.ftm.json", ENTITIES))
    assert result.entities == len(ENTITIES) == 23
    assert result.skipped == {"Address": 1, "Sanction": 1}
    assert result.ingest.dataset == "ftm-os"  # the import (what a re-import replaces) is named by its file
    nodes, rels = counts(empty_store)
    assert nodes == {"Incident": 1, "Organization": 4, "Person": 4, "Position": 1, "Sanction": 2, "Source": 2}
    assert rels == {"ACTING_FOR": 1, "ASSOCIATE_OF": 1, "DOCUMENTED_IN": 1, "FAMILY_OF": 1, "HOLDS": 1, "IN": 1,
                    "MEMBER_OF": 1, "OWNS": 1, "PART_OF": 1, "SANCTIONED": 2}

    pedro = S.entity(empty_store, "ftm-per-pedro")
    p = pedro.properties
    assert pedro.name == "Pedro Ejemplo Núñez"
    assert p["roles"] == ["official"]
    assert list(zip(p["aliases"], p["aliasTypes"])) == [
        ("El Ficticio", "alias"), ("P. Ejemplo", "alias"), ("Pedro Ejemplo", "former_name"), ("Pedrito", "nickname")]
    assert (p["nationality"], p["gender"], p["birthDate"]) == ("VE", "male", "1961-04")
    assert sorted(p["identifiers"]) == ["other:V-0000001", "passport:P-FAKE-123"]
    assert p["description"] == "Director of a fictional service"
    # the dataset is the source, and the citations quote what the entities state
    # the dataset, and the document the entity names as its `proof`
    assert [c.source for c in pedro.citations] == ["src-ftm-fake_sanctions", "ftm-doc-1", "src-ftm-fake_sanctions"]
    assert pedro.citations[1].source_title == "Fictional press release on fictional officials"
    doc = S.entity(empty_store, "ftm-doc-1").properties
    assert (doc["type"], doc["publisher"], doc["url"], doc["date"]) == (
        "report", "Ministerio de Pruebas", "https://example.org/fake/release", "2019-11-05")
    assert "sourceUrl: https://example.org/fake/pedro" in pedro.citations[0].quote
    assert pedro.citations[0].quote.startswith("FtM Person per-pedro:") and pedro.citations[0].source_title == DS
    assert pedro.citations[2].quote == "FtM Passport pass-1: country: ve; holder: per-pedro; number: P-FAKE-123"
    assert S.entity(empty_store, "src-ftm-fake_sanctions").properties["type"] == "dataset"

    rels_of = {(r.type, r.direction, r.other.id): r.properties for r in pedro.relationships}
    holds = rels_of[("HOLDS", "out", "ftm-pos-dir")]
    assert (holds["startDate"], holds["endDate"], holds["validFrom"], holds["validTo"]) == (
        "2017-06", "2020-01-15", "2017-06-01", "2020-01-15")
    # FtM: Ana is Pedro's sister -> repgraph: Ana FAMILY_OF Pedro, relation sister; protected
    family = rels_of[("FAMILY_OF", "in", "ftm-per-ana")]
    assert family["relation"] == "sister" and family["confidentiality"] == "restricted"
    ana = S.entity(empty_store, "ftm-per-ana")
    assert ana.properties["roles"] == ["family_member"] and ana.properties["confidentiality"] == "restricted"
    associate = rels_of[("ASSOCIATE_OF", "in", "ftm-per-luis")]
    assert associate["relation"] == "business partner" and associate["confidentiality"] == "restricted"
    assert S.entity(empty_store, "ftm-per-luis").properties["roles"] == ["associate"]
    assert ("ACTING_FOR", "in", "ftm-per-luis") in rels_of
    assert rels_of[("OWNS", "out", "ftm-co-1")]["percentage"] == 51.0
    assert {k[2] for k in rels_of if k[0] == "SANCTIONED"} == {"ftm-san-1", "ftm-san-2"}

    ofac = S.entity(empty_store, "ftm-san-1").properties
    assert (ofac["authority"], ofac["authorityName"], ofac["programme"], ofac["legalBasis"], ofac["listId"]) == (
        "us_ofac", "Office of Foreign Assets Control", "VENEZUELA-EO13884", "E.O. 13884", "99999")
    assert (ofac["listedDate"], ofac["status"], ofac["reason"]) == ("2019-11-05", "active", "Acting for a fictional government")
    lifted = S.entity(empty_store, "ftm-san-2").properties
    assert (lifted["authority"], lifted["listedDate"], lifted["endDate"], lifted["status"]) == (
        "other", "2018-01-22", "2021-03-01", "lifted")
    assert json.loads(lifted["endCitations"])[0]["quote"].startswith("FtM Sanction san-2:")

    position = S.entity(empty_store, "ftm-pos-dir")
    assert position.properties["isHead"] is True and position.properties["startDate"] == "2001"
    assert [(r.type, r.other.id) for r in position.relationships if r.direction == "out"] == [("IN", "ftm-org-sfi")]
    org = S.entity(empty_store, "ftm-org-sfi").properties
    assert (org["kind"], org["acronym"], org["country"]) == ("state_security", "SFI", "VE")
    assert S.entity(empty_store, "ftm-org-obs").properties["kind"] == "ngo"
    company = S.entity(empty_store, "ftm-co-1").properties
    assert (company["kind"], company["country"]) == ("company", "PA")
    assert [(r.type, r.other.id) for r in S.entity(empty_store, "ftm-unit-1").relationships] == [("PART_OF", "ftm-org-sfi")]
    carla = S.entity(empty_store, "ftm-per-carla")
    assert carla.properties["roles"] == ["journalist"]
    [(kind, other, membership)] = [(r.type, r.other.id, r.properties) for r in carla.relationships]
    assert (kind, other, membership["role"], membership["current"]) == ("MEMBER_OF", "ftm-org-obs", "editor", True)
    event = S.entity(empty_store, "ftm-ev-1").properties
    assert (event["type"], event["date"]) == ("raid", "2018-03-02")
    # `involved` says nothing about who did what: no victim, no perpetrator is invented
    assert not [r for r in S.entity(empty_store, "ftm-ev-1").relationships if r.type in ("TARGETED", "PERPETRATED_BY")]


def test_a_person_with_no_stated_role_is_a_designee(empty_store, tmp_path):
    import_ftm(empty_store, write_ftm(tmp_path / "p.json", [entity("p", "Person", name="Ana Ficticia")]))
    assert S.entity(empty_store, "ftm-p").properties["roles"] == ["designee"]


def test_import_ftm_twice_changes_nothing(empty_store, tmp_path):
    path = write_ftm(tmp_path / "os.json", ENTITIES)
    first = import_ftm(empty_store, path)
    before = counts(empty_store)
    second = import_ftm(empty_store, path)
    assert counts(empty_store) == before
    assert (first.ingest.nodes, first.ingest.relationships) == (second.ingest.nodes, second.ingest.relationships)
    assert (second.ingest.nodes_created, second.ingest.relationships_created) == (0, 0)


def test_import_at_a_confidentiality_never_lowers_a_default(empty_store, tmp_path):
    import_ftm(empty_store, write_ftm(tmp_path / "c.json", ENTITIES), confidentiality="restricted")
    assert S.entity(empty_store, "ftm-per-pedro").properties["confidentiality"] == "restricted"
    assert S.entity(empty_store, "src-ftm-fake_sanctions").properties["confidentiality"] == "restricted"
    holds = [r for r in S.entity(empty_store, "ftm-per-pedro").relationships if r.type == "HOLDS"][0]
    assert holds.properties["confidentiality"] == "restricted"
    import_ftm(empty_store, write_ftm(tmp_path / "c2.json", ENTITIES[:1]), confidentiality="public")
    # a later import never lowers what is stored (the ingest's rule)
    assert S.entity(empty_store, "ftm-per-pedro").properties["confidentiality"] == "restricted"


def test_since_at_least_travels_as_ftm_date(empty_store, tmp_path):
    """A start "since at least" is written as FtM `date` (not `startDate`) and read back so."""
    import_ftm(empty_store, write_ftm(tmp_path / "a.json", [
        ENTITIES[0], ENTITIES[3], ENTITIES[5],
        entity("occ-2", "Occupancy", holder="per-pedro", post="pos-dir", date="2016"),
        entity("san-3", "Sanction", entity="per-pedro", authority="eu", date="2019-11-05")]))
    pedro = S.entity(empty_store, "ftm-per-pedro")
    holds = next(r.properties for r in pedro.relationships if r.type == "HOLDS")
    assert (holds["startDate"], holds["startQualifier"]) == ("2016", "at_least")
    sanction = S.entity(empty_store, "ftm-san-3").properties
    assert (sanction["listedDate"], sanction["listedQualifier"], sanction["authority"]) == ("2019-11-05", "at_least", "eu")
    export_ftm(empty_store, tmp_path / "out.json")
    by_id = {e["id"]: e["properties"] for e in lines(tmp_path / "out.json")}
    assert by_id["occ-2"] == {"holder": ["per-pedro"], "post": ["pos-dir"], "date": ["2016"]}
    assert by_id["san-3"]["date"] == ["2019-11-05"] and "startDate" not in by_id["san-3"]


def test_reimporting_a_changed_file_replaces_what_it_stated(empty_store, tmp_path):
    """An import is a dataset: importing the file again without an entity removes it."""
    path = write_ftm(tmp_path / "os.json", ENTITIES)
    import_ftm(empty_store, path)
    write_ftm(path, [e for e in ENTITIES if e["id"] not in ("san-2", "assoc-1")])
    result = import_ftm(empty_store, path)
    assert "ftm-san-2" in result.ingest.removed_nodes
    nodes, rels = counts(empty_store)
    assert nodes["Sanction"] == 1 and "ASSOCIATE_OF" not in rels
    assert [r.other.id for r in S.entity(empty_store, "ftm-per-pedro").relationships if r.type == "SANCTIONED"] == ["ftm-san-1"]


def test_fragments_of_one_entity_are_merged(tmp_path):
    path = write_ftm(tmp_path / "f.json", [entity("p", "Person", name="Ana Ficticia"),
                                           entity("p", "Person", datasets=("other",), alias="Anita")])
    [merged] = read_entities(path)
    assert merged.line == 1 and merged.proxy.get("alias") == ["Anita"] and merged.proxy.datasets == {DS, "other"}


def test_entities_without_dataset_cite_the_file_or_the_given_dataset(empty_store, tmp_path):
    path = write_ftm(tmp_path / "aleph-export.json", [entity("p1", "Person", datasets=(), name="Ana Ficticia",
                                                             topics="role.act")])
    import_ftm(empty_store, path)
    assert S.entity(empty_store, "ftm-p1").citations[0].source == "src-ftm-aleph-export"
    import_ftm(empty_store, path, dataset="my_aleph", title="My Aleph collection")
    assert S.entity(empty_store, "src-ftm-my_aleph").properties["title"] == "My Aleph collection"


BAD = [
    ('{"id": "a", "schema": "Person", ', "line 3", None, "invalid JSON"),
    (json.dumps(entity("x", "Persona", name="Ana Ficticia")), "line 3 (id=x)", "schema", "unknown FtM schema 'Persona'"),
    (json.dumps(entity("x", "Person", name="Ana Ficticia", birthday="1970")), "line 3 (id=x, schema=Person)",
     "properties.birthday", "Person has no property 'birthday'"),
    (json.dumps(entity("x", "Person", name="Ana Ficticia", birthDate="1970-13-01")), "line 3 (id=x, schema=Person)",
     "properties.birthDate", "'1970-13-01' is not a valid date"),
    (json.dumps(entity("x", "Occupancy", post="pos-dir")), "line 3 (id=x, schema=Occupancy)", "properties.holder",
     "Occupancy requires 'holder'"),
    (json.dumps(entity("x", "Organization", name="Ana Ficticia S.A.")), "line 3 (id=x, schema=Organization)",
     "properties.classification", "no repgraph kind is stated"),
    (json.dumps(entity("x", "Sanction", entity="per-pedro", authority="EU", endDate="2020")),
     "line 3 (id=x, schema=Sanction)", "properties.status", "endDate needs status lifted or expired"),
    (json.dumps(entity("x", "Ownership", owner="per-pedro", asset="org-sfi", percentage="half")),
     "line 3 (id=x, schema=Ownership)", "properties.percentage", "valid number"),
    (json.dumps(entity("x", "Occupancy", holder="per-pedro", post="pos-dir", startDate="2020", endDate="2019")),
     "line 3 (id=x, schema=Occupancy)", "properties.startDate, properties.endDate", "end 2019 is before start 2020"),
    (json.dumps({"schema": "Person", "properties": {}}), "line 3", "id", "every FtM entity needs an id"),
]


@pytest.mark.parametrize("line, record, field, problem", BAD, ids=[b[3][:30] for b in BAD])
def test_bad_ftm_is_located_and_nothing_is_written(tmp_path, line, record, field, problem):
    from repgraph.schema import schema_statements
    from repgraph.store.embedded import EmbeddedStore

    path = tmp_path / "bad.json"
    good = [json.dumps(ENTITIES[0]), json.dumps(ENTITIES[3])]
    path.write_text("\n".join([*good, line, json.dumps(ENTITIES[5])]) + "\n", encoding="utf-8")
    store = EmbeddedStore(tmp_path / "s.db")
    store.apply_schema(schema_statements())
    with pytest.raises(CaseFileError) as err:
        import_ftm(store, path)
    assert (err.value.path, err.value.record, err.value.field) == (str(path), record, field)
    assert problem in err.value.problem
    assert counts(store) == ({}, {})
    store.close()


def test_dangling_reference_is_located_on_both_backends(empty_store, tmp_path):
    path = write_ftm(tmp_path / "d.json", [ENTITIES[0], entity("occ-x", "Occupancy", holder="per-pedro", post="pos-nowhere")])
    with pytest.raises(CaseFileError) as err:
        import_ftm(empty_store, path)
    assert err.value.record == "line 2 (id=occ-x, schema=Occupancy)" and err.value.field == "properties.post"
    assert "unknown id 'ftm-pos-nowhere'" in err.value.problem
    assert counts(empty_store) == ({}, {})


def test_links_to_entities_already_imported_resolve(empty_store, tmp_path):
    import_ftm(empty_store, write_ftm(tmp_path / "persons.json", ENTITIES[:1]))
    import_ftm(empty_store, write_ftm(tmp_path / "sanctions.json", [ENTITIES[9]]))
    assert [r.other.id for r in S.entity(empty_store, "ftm-san-1").relationships if r.type == "SANCTIONED"] == ["ftm-per-pedro"]
    # a passport whose holder is not in the file is left out (identifiers live on the person)
    result = import_ftm(empty_store, write_ftm(tmp_path / "docs.json", [ENTITIES[14]]))
    assert result.skipped == {"Passport": 1}


def test_ids_are_stable_and_safe():
    assert M.repgraph_id("NK-a1b2") == "ftm-NK-a1b2" and M.ftm_id("ftm-NK-a1b2") == "NK-a1b2"
    odd = M.repgraph_id("an id/with spaces")
    assert odd == M.repgraph_id("an id/with spaces") and odd.startswith("ftmx-an-id-with-spaces-")
    assert odd != M.repgraph_id("an id/with spaces!")
    assert len(M.repgraph_id("x" * 500)) <= 200


def test_mapping_table_names_real_ftm_properties_and_repgraph_fields():
    for m in M.NODES:
        fields = {f.alias or n for n, f in NODE_MODELS[m.label].model_fields.items()} | set(NODE_MODELS[m.label].model_fields)
        for schema in m.schemata:
            for p in m.props:
                assert p.ftm in model[schema].properties, (schema, p.ftm)
                assert p.field in fields, (m.label, p.field)
            for ref in m.references:
                assert model[schema].properties[ref.ftm].type.name == "entity"
                assert ref.rel_type in REL_MODELS
    for link in M.LINKS:
        fields = {f.alias or n for n, f in REL_MODELS[link.rel_type].model_fields.items()}
        for p in link.props:
            assert p.ftm in model[link.schema].properties and p.field in fields, (link.schema, p)
        assert model[link.schema].edge_source in (link.source, link.target)


# --------------------------------------------------------------------------- export


def ftm_validate(path: Path, tmp_path: Path) -> list[dict]:
    """The real `ftm validate` command: exit 0, and it drops or changes no value."""
    out = tmp_path / (path.stem + ".validated.json")
    proc = subprocess.run([str(FTM_CLI), "validate", "-i", str(path), "-o", str(out)], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    validated = lines(out)
    assert [(e["id"], e["schema"], e["properties"]) for e in validated] == [
        (e["id"], e["schema"], e["properties"]) for e in lines(path)]
    for e in validated:
        proxy = model.get_proxy(e)
        assert all(proxy.has(req) for req in proxy.schema.required), e
        proxy.schema.validate(e)
    return validated


def test_export_ftm_passes_ftm_validate(synthetic_store, tmp_path):
    result = export_ftm(synthetic_store, tmp_path / "syn.json")
    validated = ftm_validate(tmp_path / "syn.json", tmp_path)
    by_id = {e["id"]: e for e in validated}
    assert result.entities == {"Article": 2, "Event": 4, "Family": 2, "Membership": 1, "Occupancy": 4, "Organization": 1,
                               "Person": 9, "Position": 3, "PublicBody": 2}
    assert result.left_out["PERPETRATED_BY"] == 4 and result.left_out["TARGETED"] == 4
    # FAMILY_OF mother -> defender: the defender is the FtM `person`, the mother the `relative`
    fam = by_id["FAMILY_OF:p-mother-alpha:p-defender-alpha"]
    assert fam["properties"] == {"relative": ["p-mother-alpha"], "person": ["p-defender-alpha"], "relationship": ["mother"]}
    occ = by_id["HOLDS:p-chief-old:pos-fpp-director"]["properties"]
    assert (occ["startDate"], occ["endDate"]) == (["2018"], ["2024-06"])
    assert all(e["datasets"] == ["repgraph"] for e in validated)


def test_export_ftm_of_the_seed_passes_ftm_validate(seed_store, tmp_path):
    result = export_ftm(seed_store, tmp_path / "seed.json")
    validated = ftm_validate(tmp_path / "seed.json", tmp_path)
    assert result.total == len(validated) > 0
    assert result.refused_values == []
    by_id = {e["id"]: e["properties"] for e in validated}
    # the E.O. 13884 identification, and the Canadian sanction in force "since at least"
    # the release (FtM `date`, not a `startDate` the source does not state)
    us = by_id["sanc-us-eo13884-ceballos-ichaso"]
    assert (us["startDate"], us["program"], us["status"], us["entity"]) == (
        ["2019-11-05"], ["E.O. 13884"], ["active"], ["person-remigio-ceballos-ichaso"])
    assert us["authority"][-1] == "us_ofac"
    ca = by_id["sanc-ca-sem-ceballos-ichaso"]
    assert (ca["date"], ca["authority"], ca["program"]) == (
        ["2019-11-05"], ["Government of Canada", "canada"], ["Special Economic Measures"])
    assert "startDate" not in ca
    assert by_id["person-remigio-ceballos-ichaso"]["topics"] == ["sanction"]


def round_trip(store, request, tmp_path) -> tuple[list[dict], list[dict]]:
    """export -> import into a fresh store -> export; both exports' entities."""
    from conftest import fresh_store

    first = tmp_path / "first.json"
    export_ftm(store, first)
    backend = "neo4j" if store.backend == "neo4j" else "embedded"
    fresh = fresh_store(backend, tmp_path / "fresh", request) if backend == "neo4j" else None
    if fresh is None:
        (tmp_path / "fresh").mkdir()
        fresh = fresh_store(backend, tmp_path / "fresh", request)
    import_ftm(fresh, first)
    second = tmp_path / "second.json"
    export_ftm(fresh, second)
    fresh.close()
    return lines(first), lines(second)


def test_round_trip_of_an_ftm_import_preserves_everything(empty_store, request, tmp_path):
    import_ftm(empty_store, write_ftm(tmp_path / "os.json", ENTITIES))
    first, second = round_trip(empty_store, request, tmp_path)
    assert first == second
    ftm_validate(tmp_path / "first.json", tmp_path)  # every schema the mapping writes
    by_id = {e["id"]: e for e in first}
    # entities, links, dates and sanctions, with the original FtM ids; identity documents
    # under ids made from their holder (repgraph keeps them on the person)
    assert sorted(by_id) == sorted({e["id"] for e in ENTITIES} - {"addr-1", "san-addr", "pass-1"}
                                   | {"per-pedro-id-702a2451b961", "per-pedro-id-8f3a09aaf840"})
    assert by_id["doc-1"]["schema"] == "Article" and by_id["per-pedro"]["properties"]["proof"] == ["doc-1"]
    props = {i: e["properties"] for i, e in by_id.items()}
    assert props["san-1"] == {
        "summary": ["Office of Foreign Assets Control VENEZUELA-EO13884"], "reason": ["Acting for a fictional government"],
        "authorityId": ["99999"], "startDate": ["2019-11-05"], "authority": ["Office of Foreign Assets Control", "us_ofac"],
        "program": ["VENEZUELA-EO13884", "E.O. 13884"], "status": ["active"], "entity": ["per-pedro"]}
    assert (props["san-2"]["startDate"], props["san-2"]["endDate"], props["san-2"]["status"]) == (
        ["2018-01-22"], ["2021-03-01"], ["lifted"])
    assert props["occ-1"] == {"holder": ["per-pedro"], "post": ["pos-dir"], "startDate": ["2017-06"],
                              "endDate": ["2020-01-15"]}
    assert props["fam-1"] == {"relative": ["per-ana"], "person": ["per-pedro"], "relationship": ["sister"]}
    assert props["assoc-1"] == {"associate": ["per-luis"], "person": ["per-pedro"], "relationship": ["business partner"]}
    assert props["mem-1"]["status"] == ["current"] and props["part-1"] == {"member": ["unit-1"], "organization": ["org-sfi"]}
    assert props["own-1"]["percentage"] == ["51"] and props["rep-1"] == {"agent": ["per-luis"], "client": ["per-pedro"]}
    assert props["pos-dir"]["organization"] == ["org-sfi"] and props["pos-dir"]["keywords"] == ["head"]
    assert props["ev-1"]["date"] == ["2018-03-02"]
    pedro = props["per-pedro"]
    assert (pedro["birthDate"], pedro["previousName"], pedro["weakAlias"], pedro["topics"]) == (
        ["1961-04"], ["Pedro Ejemplo"], ["Pedrito"], ["sanction"])
    assert props["per-pedro-id-702a2451b961"] == {"holder": ["per-pedro"], "number": ["P-FAKE-123"], "type": ["passport"]}
    assert by_id["co-1"]["schema"] == "Company"


def test_round_trip_of_native_data_preserves_entities_links_and_dates(synthetic_store, request, tmp_path):
    first, second = round_trip(synthetic_store, request, tmp_path)
    assert first == second
    assert len(first) == 28
    # what an element cites is its FtM `proof`
    proofs = {e["id"]: e["properties"].get("proof") for e in first}
    assert (proofs["inc-alpha-detention"], proofs["inc-brother-interrogation"]) == (["src-fake-report"], ["src-fake-interview"])


def test_export_redacts_through_disclose(synthetic_store, tmp_path):
    """The export is what `disclose` returns for the viewer: nothing else is read."""
    from repgraph.disclosure import Role, Viewer, disclose
    from repgraph.ftm.exporter import to_ftm

    viewer = Viewer("v", Role.viewer)
    result = export_ftm(synthetic_store, tmp_path / "v.json", viewer)
    expected, _ = to_ftm(disclose(S.whole_graph(synthetic_store, max_nodes=10**9, viewer=viewer), viewer, synthetic_store))
    assert [e["id"] for e in lines(tmp_path / "v.json")] == [e.id for e in expected]
    assert result.total == len(expected)


# --------------------------------------------------------------------------- CLI


def run(*args, check=True):
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_") and k != "REPGRAPH_DB"}
    env["COLUMNS"] = "200"
    proc = subprocess.run([sys.executable, "-m", "repgraph", *map(str, args)], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300)
    if check and proc.returncode != 0:
        raise AssertionError(f"exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
    return proc


def test_cli_export_of_a_missing_store_is_refused_and_creates_nothing(tmp_path):
    proc = run("export-ftm", "-o", tmp_path / "out.json", "--db", tmp_path / "missing.db", check=False)
    assert proc.returncode == 2 and "missing.db" in proc.stderr
    assert not (tmp_path / "missing.db").exists() and not (tmp_path / "out.json").exists()


def test_cli_import_export_and_located_error(tmp_path):
    db = tmp_path / "cli.db"
    path = write_ftm(tmp_path / "os.json", ENTITIES)
    out = run("import-ftm", path, "--db", db).stdout
    # 4 persons, 4 organizations, a post, 2 sanctions, an event, the document and the dataset's Source;
    # 10 relationships and the event's DOCUMENTED_IN
    assert "23 FtM entities -> 14 nodes, 11 relationships" in out and "Address 1, Sanction 1; links to them: 1" in out
    assert "created +14 nodes, +11 relationships" in out
    again = run("import-ftm", path, "--db", db).stdout
    assert "created +0 nodes, +0 relationships" in again
    run("export-ftm", "-o", tmp_path / "out.json", "--as", "viewer", "--db", db)
    # as a viewer: the restricted relative is a pseudonym, her family and association links are hidden
    exported = lines(tmp_path / "out.json")
    assert len(exported) == 20 and "Ana Ficticia" not in json.dumps(exported, ensure_ascii=False)
    stdout = run("export-ftm", "--as", "viewer", "--db", db)  # without -o: the entities on stdout, the tally on stderr
    # opaque ids of protected persons are per process (a per-process secret): compare without them
    opaque = re.compile(r"protected-[0-9a-f]{16}")
    assert opaque.sub("protected-x", stdout.stdout) == opaque.sub("protected-x", (tmp_path / "out.json").read_text(encoding="utf-8"))
    assert "20 FtM entities" in stdout.stderr
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(ENTITIES[0]) + "\n" + json.dumps(entity("x", "Occupancy", holder="per-pedro", post="nowhere")) + "\n")
    proc = run("import-ftm", bad, "--db", db, check=False)
    assert proc.returncode == 2
    assert f"{bad}, record line 2 (id=x, schema=Occupancy), field properties.post" in proc.stderr
    assert "nothing was written" in proc.stderr
    stats = json.loads(run("stats", "--db", db, "-f", "json").stdout)
    assert stats["nodes"]["Person"] == 4


def test_two_imports_stating_one_source_and_one_incident(empty_store, tmp_path):
    """Regression: a node whose `type` is a property (Source, Incident) stated by two
    datasets could not be projected (its `type` was taken for a relationship's identity)."""
    event = entity("ev-x", "Event", name="Raid on a fictional newsroom", date="2018-03-02", keywords="raid")
    import_ftm(empty_store, write_ftm(tmp_path / "one.json", [ENTITIES[0], event]))
    import_ftm(empty_store, write_ftm(tmp_path / "two.json", [ENTITIES[0], event]))
    assert S.entity(empty_store, "src-ftm-fake_sanctions").properties["type"] == "dataset"
    assert S.entity(empty_store, "ftm-ev-x").properties["type"] == "raid"
    assert counts(empty_store)[0] == {"Incident": 1, "Person": 1, "Source": 1}


def test_an_overlong_dataset_name_is_a_located_error(empty_store, tmp_path):
    """An FtM dataset name (or --dataset) becomes a Source's name, at most 500 characters:
    a longer one reached a pydantic traceback instead of a located CaseFileError."""
    long_name = "fake-" + "x" * 600
    path = write_ftm(tmp_path / "long.ftm.json", [entity("per-ana", "Person", datasets=(long_name,), name=["Ana Ficticia"])])
    with pytest.raises(CaseFileError, match=r"record line 1 \(id=per-ana, schema=Person\), field datasets\[0\]: "
                                            r"a dataset name has at most 500 characters, got 605"):
        import_ftm(empty_store, path)
    ok = write_ftm(tmp_path / "ok.ftm.json", [entity("per-ana", "Person", datasets=(), name=["Ana Ficticia"])])
    with pytest.raises(CaseFileError, match=r"record dataset, field name: the dataset's Source: String should have at most 500"):
        import_ftm(empty_store, ok, dataset="y" * 501)
    assert empty_store.read(Q.ALL_IDS) == []
