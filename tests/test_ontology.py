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
    assert any(s.startswith("CREATE FULLTEXT INDEX entity_search") and "n.aliases" in s and "n.searchText" in s
               for s in read_schema_file())
