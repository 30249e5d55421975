"""Identity fields of a person: birth date with precision, ISO nationality, identifiers
with their scheme, typed aliases (issue 9). Plain string aliases stay valid."""

import pytest
from pydantic import ValidationError

from repgraph.ontology import Person, case_file_json_schema


def test_identity_fields_are_stored_flat_with_their_types():
    p = Person.model_validate({
        "id": "person-pe", "name": "Pedro Ejemplo Núñez", "roles": ["official"],
        "aliases": ["P. Ejemplo", {"name": "Peye", "type": "nickname"}, {"name": "Pedro Ejemplo", "type": "spelling"}],
        "nationality": "ve", "birthDate": "1970-03",
        "identifiers": [{"scheme": "cedula", "value": 12345678}, {"scheme": "ofac_list_id", "value": "OFAC-0000"}],
    })
    props = p.to_properties()
    assert props["aliases"] == ["P. Ejemplo", "Peye", "Pedro Ejemplo"]
    assert props["aliasTypes"] == ["alias", "nickname", "spelling"]
    assert props["nationality"] == "VE"
    assert props["birthDate"] == "1970-03" and props["birthDatePrecision"] == "month"
    assert props["identifiers"] == ["cedula:12345678", "ofac_list_id:OFAC-0000"]
    assert props["searchText"] == "|pedro ejemplo nunez|p ejemplo|peye|pedro ejemplo|"


@pytest.mark.parametrize("given, code", [("VE", "VE"), ("co", "CO"), ("Venezuela", "VE"), ("Venezuelan", "VE")])
def test_nationality_is_an_iso_code_names_are_converted(given, code):
    assert Person(id="p", name="Ana Ficticia", roles=["defender"], nationality=given).nationality == code


@pytest.mark.parametrize("bad", ["XX", "Atlantis", "Venezuela del Norte Ficticia"])
def test_unknown_nationality_is_refused(bad):
    with pytest.raises(ValidationError, match="ISO 3166-1"):
        Person(id="p", name="Ana Ficticia", roles=["defender"], nationality=bad)


def test_unknown_identifier_scheme_and_alias_type_are_refused():
    with pytest.raises(ValidationError):
        Person.model_validate({"id": "p", "name": "A", "roles": ["defender"], "identifiers": [{"scheme": "dni", "value": "1"}]})
    with pytest.raises(ValidationError):
        Person.model_validate({"id": "p", "name": "A", "roles": ["defender"], "aliases": [{"name": "A", "type": "pseudo"}]})


def test_json_schema_offers_both_alias_forms_and_the_scheme_vocabulary():
    schema = case_file_json_schema()
    person = schema["$defs"]["Person"]["properties"]
    forms = person["aliases"]["items"]["anyOf"]
    assert {"type": "string", "minLength": 1, "maxLength": 500} in forms
    assert {"$ref": "#/$defs/TypedName"} in forms
    assert set(schema["$defs"]["IdentifierScheme"]["enum"]) == {
        "cedula", "passport", "ofac_list_id", "eu_list_id", "uk_list_id", "ca_list_id", "other"}
    assert "birthDate" in person and "nationality" in person
