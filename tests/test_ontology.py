"""The ontology: vocabularies, defaults, dates and the generated schemas."""

import json

import pytest
from pydantic import ValidationError

from repgraph.ontology import (
    CaseFile, Incident, Person, Targeted, case_file_json_schema, date_bounds, fold, search_text,
)
from repgraph.schema import SCHEMA_PATH, read_schema_file, render_schema, schema_statements


def test_family_members_and_witnesses_default_to_restricted():
    assert Person(id="p", name="Fake Mum", roles=["family_member"]).confidentiality == "restricted"
    assert Person(id="w", name="Fake Witness", roles=["witness"]).confidentiality == "restricted"
    assert Person(id="d", name="Fake Defender", roles=["defender"]).confidentiality == "public"
    assert Person(id="x", name="Fake Mum", roles=["family_member"], confidentiality="public").confidentiality == "public"


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2024", ("2024-01-01", "2024-12-31", "year")),
        ("2024-02", ("2024-02-01", "2024-02-29", "month")),
        ("2023-02", ("2023-02-01", "2023-02-28", "month")),
        ("2024-08-03", ("2024-08-03", "2024-08-03", "day")),
    ],
)
def test_date_bounds(value, expected):
    assert date_bounds(value) == expected


@pytest.mark.parametrize("bad", ["2024-13", "2024-02-30", "24-01-01", "August 2024"])
def test_impossible_dates_are_refused(bad):
    with pytest.raises(ValueError):
        Incident(id="i", name="x", type="raid", date=bad, citations=[{"source": "s", "quote": "q"}])


def test_incident_date_range_must_be_ordered():
    with pytest.raises(ValidationError, match="before"):
        Incident(id="i", name="x", type="raid", date="2024-08", dateEnd="2024-07", citations=[{"source": "s", "quote": "q"}])


def test_incident_properties_carry_bounds_and_citations():
    inc = Incident(id="i", name="Fake raid", type="raid", date="2024-08", dateEnd="2024-09",
                   citations=[{"source": "src-a", "quote": "a raid", "page": "3"}])
    props = inc.to_properties()
    assert props["dateFrom"] == "2024-08-01" and props["dateTo"] == "2024-09-30"
    assert props["datePrecision"] == "month"
    assert props["type"] == "raid"
    assert props["sourceIds"] == ["src-a"]
    assert json.loads(props["citations"]) == [{"source": "src-a", "quote": "a raid", "page": "3"}]


def test_because_of_requires_guilt_by_association():
    with pytest.raises(ValidationError, match="becauseOf"):
        Targeted.model_validate({"from": "i", "to": "p", "basis": "own_work", "becauseOf": "d"})


def test_relationship_id_defaults_to_type_and_ends():
    assert Targeted.model_validate({"from": "i", "to": "p"}).id == "TARGETED:i:p"


def test_claims_need_a_citation():
    with pytest.raises(ValidationError, match="needs at least one citation"):
        CaseFile.model_validate({"dataset": {"name": "x", "title": "x"},
                                 "nodes": [{"label": "Incident", "id": "i", "name": "x", "type": "raid"}]})


def test_search_folding_is_case_and_accent_insensitive():
    assert fold("Yendri VELÁSQUEZ") == "yendri velasquez"
    assert search_text(["Pedro Miguel Carreño Escobar", "Carreno"]) == "|pedro miguel carreno escobar|carreno|"


def test_json_schema_names_every_label_and_type():
    text = json.dumps(case_file_json_schema())
    for name in ("Person", "Organization", "Position", "Incident", "Statistic", "Sanction"):
        assert f'"const": "{name}"' in text
    for rel in ("FAMILY_OF", "TARGETED", "PERPETRATED_BY", "EXILED_TO", "DOCUMENTED_IN"):
        assert f'"const": "{rel}"' in text


def test_schema_cypher_is_generated_from_the_ontology():
    """graph/schema.cypher must equal what the ontology generates (no drift)."""
    assert SCHEMA_PATH.read_text() == render_schema()
    assert read_schema_file() == schema_statements()
    assert "CREATE CONSTRAINT person_id IF NOT EXISTS FOR (n:Person) REQUIRE n.id IS UNIQUE" in read_schema_file()
    assert any(s.startswith("CREATE FULLTEXT INDEX entity_search") and "[n.searchText]" in s for s in read_schema_file())


# --------------------------------------------------------------------------- issue 11: sanctions, tenure, associations

from repgraph.ontology import Holds, Sanction  # noqa: E402

_CITE = [{"source": "s", "quote": "q"}]


def test_older_sanction_files_map_free_text_authority_and_date():
    s = Sanction.model_validate({"id": "s1", "name": "x", "authority": "U.S. Department of the Treasury (OFAC)",
                                 "date": "2019-11-05", "citations": _CITE})
    assert (s.authority, s.authority_name, s.listed_date, s.status) == ("us_ofac", "U.S. Department of the Treasury (OFAC)",
                                                                      "2019-11-05", "active")
    assert Sanction.model_validate({"id": "s2", "name": "x", "authority": "Government of Canada", "citations": _CITE}).authority == "canada"
    assert Sanction.model_validate({"id": "s3", "name": "x", "authority": "Ruritania", "citations": _CITE}).authority == "other"
    # the UK's HM Treasury is not the US Treasury: the more specific name wins
    assert Sanction.model_validate({"id": "s4", "name": "x", "authority": "HM Treasury (OFSI)", "citations": _CITE}).authority == "uk"


def test_a_delisting_has_its_status_dates_and_own_citations():
    s = Sanction.model_validate({"id": "s", "name": "x", "authority": "eu", "listedDate": "2018-01", "endDate": "2021-03-15",
                                 "status": "lifted", "citations": _CITE,
                                 "endCitations": [{"source": "src-delist", "quote": "removed from the list"}]})
    props = s.to_properties()
    assert props["validFrom"] == "2018-01-01" and props["validTo"] == "2021-03-15" and props["status"] == "lifted"
    assert json.loads(props["endCitations"]) == [{"source": "src-delist", "quote": "removed from the list"}]
    assert props["sourceIds"] == ["s", "src-delist"]
    with pytest.raises(ValidationError, match="endDate needs status"):
        Sanction.model_validate({"id": "s", "name": "x", "authority": "eu", "endDate": "2021", "citations": _CITE})
    with pytest.raises(ValidationError, match="active sanction has no endDate"):
        Sanction.model_validate({"id": "s", "name": "x", "authority": "eu", "endDate": "2021", "status": "active", "citations": _CITE})


@pytest.mark.parametrize("fields, tenure", [
    ({"startDate": "2016", "startQualifier": "at_least", "endUnknown": True}, "end_unknown"),
    ({"current": True, "asOf": "2019-11-05"}, "current"),
    ({"former": True}, "former"),
    ({"startDate": "2016", "endDate": "2018"}, "ended"),
    ({}, "unstated"),
])
def test_tenure_says_how_much_is_known(fields, tenure):
    h = Holds.model_validate({"from": "p", "to": "pos", **fields})
    assert h.to_properties()["tenure"] == tenure


@pytest.mark.parametrize("fields", [{"current": True, "endDate": "2020"}, {"endUnknown": True, "endDate": "2020"},
                                    {"asOf": "2019"}, {"current": True, "former": True}])
def test_contradictory_tenure_is_refused(fields):
    with pytest.raises(ValidationError):
        Holds.model_validate({"from": "p", "to": "pos", **fields})


def test_associations_default_restricted_and_need_citations():
    case = {"dataset": {"name": "x", "title": "x"}, "relationships": [{"type": "ASSOCIATE_OF", "from": "a", "to": "b"}]}
    with pytest.raises(ValidationError, match="ASSOCIATE_OF needs at least one citation"):
        CaseFile.model_validate(case)
    case["relationships"][0]["citations"] = _CITE
    assert CaseFile.model_validate(case).relationships[0].confidentiality == "restricted"
