"""Ingest: idempotent, all-or-nothing per file, located errors, on both backends."""

import json
from pathlib import Path

import pytest

from repgraph import service as S
from repgraph.ingest import CaseFileError, ingest_case_file, load_case_file
from repgraph.ingest.writer import ingest_paths

from conftest import SYNTHETIC

SYNTHETIC_NODES = 28
# 29 declared + 5 DOCUMENTED_IN derived from incident/statistic citations
SYNTHETIC_RELATIONSHIPS = 34


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


GOOD = """
dataset: {name: tiny, title: Tiny fake case}
nodes:
  - {label: Source, id: src-tiny, name: Tiny Fake Source, type: report, title: Tiny Fake Source}
  - {label: Person, id: p-tiny, name: Tiny Fakeperson, roles: [defender]}
  - {label: Country, id: c-tiny, name: Tinyland}
relationships:
  - {type: EXILED_TO, from: p-tiny, to: c-tiny, date: "2024-08"}
"""


def test_ingest_synthetic_counts(empty_store):
    result = ingest_case_file(empty_store, SYNTHETIC)
    assert (result.nodes, result.relationships) == (SYNTHETIC_NODES, SYNTHETIC_RELATIONSHIPS)
    st = S.stats(empty_store)
    assert st.node_total == SYNTHETIC_NODES
    assert st.relationship_total == SYNTHETIC_RELATIONSHIPS
    assert st.nodes["Person"] == 9 and st.nodes["Incident"] == 4
    assert st.relationships["TARGETED"] == 4 and st.relationships["DOCUMENTED_IN"] == 5


def test_ingest_twice_changes_nothing(empty_store):
    ingest_case_file(empty_store, SYNTHETIC)
    first = S.stats(empty_store)
    before = S.entity(empty_store, "p-defender-alpha")
    ingest_case_file(empty_store, SYNTHETIC)
    assert S.stats(empty_store) == first
    assert S.entity(empty_store, "p-defender-alpha") == before


def test_bad_field_is_located_and_nothing_is_written(empty_store, tmp_path):
    bad = write(tmp_path, "bad.yaml", GOOD.replace("roles: [defender]", "roles: [defender, wizard]"))
    with pytest.raises(CaseFileError) as err:
        ingest_case_file(empty_store, bad)
    e = err.value
    assert e.path == str(bad)
    assert e.record == "nodes[1] (id=p-tiny)"
    assert e.field == "roles[1]"
    assert "wizard" in str(e) or "Input should be" in str(e)
    assert S.stats(empty_store).node_total == 0


def test_unknown_reference_is_refused_with_no_partial_write(empty_store, tmp_path):
    bad = write(tmp_path, "dangling.yaml", GOOD.replace("to: c-tiny", "to: c-nowhere"))
    with pytest.raises(CaseFileError) as err:
        ingest_case_file(empty_store, bad)
    assert err.value.record == "relationships[0] (id=EXILED_TO:p-tiny:c-nowhere)"
    assert err.value.field == "to"
    assert "c-nowhere" in err.value.problem
    assert S.stats(empty_store).node_total == 0


def test_wrong_end_label_is_refused(empty_store, tmp_path):
    bad = write(tmp_path, "wrong.yaml", GOOD.replace("from: p-tiny, to: c-tiny", "from: c-tiny, to: p-tiny"))
    with pytest.raises(CaseFileError, match="EXILED_TO from must be a Person; 'c-tiny' is a Country"):
        ingest_case_file(empty_store, bad)


def test_references_to_nodes_already_in_the_store_resolve(empty_store, tmp_path):
    ingest_case_file(empty_store, write(tmp_path, "a.yaml", GOOD))
    more = write(tmp_path, "b.yaml", """
dataset: {name: more, title: More}
nodes:
  - {label: Country, id: c-other, name: Otherland}
relationships:
  - {type: EXILED_TO, from: p-tiny, to: c-other, date: "2025"}
""")
    result = ingest_case_file(empty_store, more)
    assert (result.nodes, result.relationships) == (1, 1)
    assert S.stats(empty_store).relationships == {"EXILED_TO": 2}


def test_changing_an_ids_label_is_refused(empty_store, tmp_path):
    ingest_case_file(empty_store, write(tmp_path, "a.yaml", GOOD))
    clash = write(tmp_path, "clash.yaml", """
dataset: {name: clash, title: Clash}
nodes:
  - {label: Organization, id: p-tiny, name: Not A Person, kind: ngo}
""")
    with pytest.raises(CaseFileError, match="is a Person in the store, not an Organization"):
        ingest_case_file(empty_store, clash)


def test_store_failure_mid_file_rolls_back(empty_store, tmp_path):
    """A file that fails inside the transaction leaves the store as it was."""
    ingest_case_file(empty_store, write(tmp_path, "a.yaml", GOOD))
    before = S.stats(empty_store)
    case = load_case_file(SYNTHETIC)
    from repgraph.ingest.writer import write_case

    calls = {"n": 0}

    def boom(n):
        calls["n"] += 1
        if calls["n"] == 3:  # after some labels were written
            raise RuntimeError("simulated crash mid-file")

    with pytest.raises(RuntimeError, match="simulated crash"):
        write_case(empty_store, case, SYNTHETIC, progress=boom)
    assert S.stats(empty_store) == before


def test_json_case_files_load_too(empty_store, tmp_path):
    import yaml

    p = write(tmp_path, "tiny.json", json.dumps(yaml.safe_load(GOOD)))
    assert ingest_case_file(empty_store, p).nodes == 3


@pytest.mark.parametrize(
    "text, where",
    [
        ("dataset: [unclosed", "invalid YAML at line 1"),
        ("- just\n- a list\n", "a case file is a mapping"),
        ("dataset: {name: x, title: x}\nnodes:\n  - {label: Alien, id: a, name: A}\n", "nodes[0] (id=a), field label"),
        ("dataset: {name: x, title: x}\nnodes:\n  - {label: Person, id: a, name: A, roles: [defender]}\n"
         "  - {label: Person, id: a, name: B, roles: [defender]}\n", "duplicate id 'a' (first at nodes[0])"),
    ],
)
def test_malformed_files_name_file_record_and_field(tmp_path, text, where):
    p = write(tmp_path, "bad.yaml", text)
    with pytest.raises(CaseFileError) as err:
        load_case_file(p)
    assert str(err.value).startswith(str(p))
    assert where in str(err.value)


def test_folder_ingest_stops_at_first_bad_file(empty_store, tmp_path):
    folder = tmp_path / "cases"
    folder.mkdir()
    write(folder, "1-good.yaml", GOOD)
    write(folder, "2-bad.yaml", GOOD.replace("roles: [defender]", "roles: []").replace("tiny", "tiny2"))
    with pytest.raises(CaseFileError, match="2-bad.yaml"):
        ingest_paths(empty_store, [folder])
    assert S.stats(empty_store).node_total == 3  # the good file stays, the bad one wrote nothing


def test_uncited_accusation_is_refused(tmp_path):
    """Regression: a PERPETRATED_BY without a citation (naming a perpetrator on no
    evidence) was ingested silently."""
    p = write(tmp_path, "accuse.yaml", """
dataset: {name: accuse, title: Accuse}
nodes:
  - {label: Source, id: src-a, name: Fake Source, type: report, title: Fake Source}
  - {label: Person, id: p-colonel, name: Colonel Bogus Notreal, roles: [official]}
  - {label: Incident, id: inc-a, name: Fake raid, type: raid, citations: [{source: src-a, quote: a raid}]}
relationships:
  - {type: PERPETRATED_BY, from: inc-a, to: p-colonel, role: ordered}
""")
    with pytest.raises(CaseFileError) as err:
        load_case_file(p)
    assert "relationships[0] (PERPETRATED_BY:inc-a:p-colonel): every PERPETRATED_BY needs at least one citation" in str(err.value)
    assert "Value error" not in str(err.value)


PROTECTED = """
dataset: {name: secret, title: Secret}
nodes:
  - {label: Person, id: p-secret, name: Fakesecret Testperson, roles: [family_member], confidentiality: confidential}
"""


def test_a_later_file_never_lowers_confidentiality(empty_store, tmp_path):
    """Regression: re-ingesting a person without `confidentiality` made a confidential
    relative public (the default filled in, SET += overwrote the stored level)."""
    ingest_case_file(empty_store, write(tmp_path, "c1.yaml", PROTECTED))
    ingest_case_file(empty_store, write(tmp_path, "c2.yaml", PROTECTED.replace(
        "roles: [family_member], confidentiality: confidential", "roles: [defender]")))
    assert S.entity(empty_store, "p-secret").properties["confidentiality"] == "confidential"
    ingest_case_file(empty_store, write(tmp_path, "c3.yaml", PROTECTED.replace("confidential}", "public}")))
    assert S.entity(empty_store, "p-secret").properties["confidentiality"] == "confidential"


def test_dangling_because_of_is_refused(empty_store, tmp_path):
    p = write(tmp_path, "because.yaml", """
dataset: {name: because, title: Because}
nodes:
  - {label: Source, id: src-b, name: Fake Source, type: report, title: Fake Source}
  - {label: Person, id: p-rel, name: Fake Relative, roles: [family_member]}
  - {label: Incident, id: inc-b, name: Fake raid, type: raid, citations: [{source: src-b, quote: a raid}]}
relationships:
  - {type: TARGETED, from: inc-b, to: p-rel, basis: guilt_by_association, becauseOf: p-nobody}
""")
    with pytest.raises(CaseFileError) as err:
        ingest_case_file(empty_store, p)
    assert err.value.field == "becauseOf" and "p-nobody" in err.value.problem
    assert S.stats(empty_store).node_total == 0


def test_relationship_ids_name_their_ends(tmp_path):
    """Regression: an explicit id reused in another file for other ends left two
    relationships with one id. Ids are TYPE:from:to with an optional suffix."""
    bad = write(tmp_path, "fam.yaml", """
dataset: {name: fam, title: Fam}
nodes:
  - {label: Person, id: p-w, name: Fake Wife, roles: [family_member]}
  - {label: Person, id: p-v, name: Fake Husband, roles: [defender]}
relationships:
  - {type: FAMILY_OF, id: fam-1, from: p-w, to: p-v, relation: wife}
""")
    with pytest.raises(CaseFileError, match="id is TYPE:from:to"):
        load_case_file(bad)
    ok = write(tmp_path, "ok.yaml", bad.read_text().replace("id: fam-1", "id: 'FAMILY_OF:p-w:p-v:1990'"))
    assert load_case_file(ok).relationships[0].id == "FAMILY_OF:p-w:p-v:1990"


@pytest.mark.parametrize("text, problem", [
    ("dataset: {name: x, title: x}\nnodes:\n  - {label: Incident, id: i, name: x, type: raid, date: 2024-02-30,\n"
     "     citations: [{source: s, quote: q}]}\n", r"record nodes\[0\] \(id=i\), field date"),
    ("dataset: {name: x, title: x}\nnodes:\n  - {label: Operation, id: o, name: x, startDate: '2024-09', endDate: '2023-01'}\n",
     "before start"),
    ("nodes: " + "[" * 50000 + "]" * 50000 + "\n", "nested too deeply"),
])
def test_inputs_that_crashed_the_loader_are_located_errors(tmp_path, text, problem):
    """Regression: these raised raw ValueError/RecursionError tracebacks."""
    with pytest.raises(CaseFileError, match=problem):
        load_case_file(write(tmp_path, "bad.yaml", text))


def test_names_are_bounded(tmp_path):
    p = write(tmp_path, "huge.yaml", "dataset: {name: x, title: x}\nnodes:\n"
              f"  - {{label: Country, id: c-huge, name: {'a' * 600}}}\n")
    with pytest.raises(CaseFileError, match="at most 500 characters"):
        load_case_file(p)


PART_OF = """
dataset: {name: units, title: Fake units}
nodes:
  - {label: Source, id: src-u, name: Fake Unit Source, type: report, title: Fake Unit Source}
  - {label: Organization, id: org-u-ministry, name: Ministerio Ficticio, kind: ministry}
  - {label: Organization, id: org-u-unit, name: Unidad Ficticia, kind: state_security}
  - {label: Operation, id: op-u, name: Operación Ficticia}
  - {label: Incident, id: inc-u, name: Fake raid, type: raid, citations: [{source: src-u, quote: a raid}]}
relationships:
  - {type: PART_OF, from: org-u-unit, to: org-u-ministry}
  - {type: PART_OF, from: inc-u, to: op-u}
"""


def test_part_of_joins_units_and_incidents_but_no_other_pair(empty_store, tmp_path):
    ingest_case_file(empty_store, write(tmp_path, "units.yaml", PART_OF))
    rels = {(r.type, r.other.id) for r in S.entity(empty_store, "org-u-unit").relationships}
    assert ("PART_OF", "org-u-ministry") in rels
    bad = write(tmp_path, "bad.yaml", PART_OF.replace("from: inc-u, to: op-u", "from: inc-u, to: org-u-ministry"))
    with pytest.raises(CaseFileError, match="PART_OF joins Incident -> Operation, Organization -> Organization; not Incident -> Organization"):
        ingest_case_file(empty_store, bad)


def test_delisting_citations_must_name_a_source(empty_store, tmp_path):
    text = GOOD + """  - {type: SANCTIONED, from: s-tiny, to: p-tiny}
""" 
    text = text.replace("  - {label: Country, id: c-tiny, name: Tinyland}", """  - {label: Country, id: c-tiny, name: Tinyland}
  - {label: Sanction, id: s-tiny, name: Fake listing, authority: eu, endDate: "2021", status: lifted,
     citations: [{source: src-tiny, quote: listed}], endCitations: [{source: src-nowhere, quote: delisted}]}""")
    with pytest.raises(CaseFileError, match="unknown source id 'src-nowhere'") as err:
        ingest_case_file(empty_store, write(tmp_path, "delist.yaml", text))
    assert err.value.field == "endCitations[0].source"


def test_appointment_post_and_weakened_perpetrator_must_exist(empty_store, tmp_path):
    base = PART_OF + """  - {type: APPOINTED_BY, from: p-u-a, to: p-u-b, position: pos-u, citations: [{source: src-u, quote: appointed}]}
"""
    base = base.replace("  - {label: Operation, id: op-u, name: Operación Ficticia}", """  - {label: Operation, id: op-u, name: Operación Ficticia}
  - {label: Person, id: p-u-a, name: Ana Ficticia, roles: [official]}
  - {label: Person, id: p-u-b, name: Pedro Ejemplo Núñez, roles: [official]}
  - {label: Position, id: pos-u, name: Fake post}""")
    ingest_case_file(empty_store, write(tmp_path, "ok.yaml", base))
    with pytest.raises(CaseFileError, match="'op-u' is an Operation, not a Position") as err:
        ingest_case_file(empty_store, write(tmp_path, "bad.yaml", base.replace("position: pos-u", "position: op-u")))
    assert err.value.field == "position"


def test_a_relationship_never_links_a_node_to_itself(empty_store, tmp_path):
    """Regression: FAMILY_OF p-tiny -> p-tiny was stored, a loop every path walked over."""
    bad = write(tmp_path, "loop.yaml", GOOD + "  - {type: FAMILY_OF, from: p-tiny, to: p-tiny, relation: brother}\n")
    with pytest.raises(CaseFileError) as err:
        ingest_case_file(empty_store, bad)
    assert "relationships[1]" in str(err.value) and "both 'p-tiny'" in str(err.value)
    assert empty_store.read("MATCH (n) RETURN count(n) AS c")[0]["c"] == 0


def test_a_relationship_id_suffix_is_never_empty(tmp_path):
    """Regression: id 'EXILED_TO:p-tiny:c-tiny:' (an empty suffix) was accepted."""
    bad = write(tmp_path, "suffix.yaml", GOOD.replace('date: "2024-08"', "date: \"2024-08\", id: 'EXILED_TO:p-tiny:c-tiny:'"))
    with pytest.raises(CaseFileError, match="suffix after EXILED_TO:p-tiny:c-tiny: is empty"):
        load_case_file(bad)


@pytest.mark.parametrize("rel_type", ["PART_OF", "REPORTS_TO"])
def test_a_hierarchy_cycle_is_refused_at_the_edge_that_closes_it(empty_store, tmp_path, rel_type):
    """Regression: unit -> ministry -> unit was stored; 'the chain above the unit' never ended."""
    text = PART_OF.replace("  - {type: PART_OF, from: inc-u, to: op-u}\n", "")
    text = text.replace("type: PART_OF, from: org-u-unit", f"type: {rel_type}, from: org-u-unit") + (
        f"  - {{type: {rel_type}, from: org-u-ministry, to: org-u-unit}}\n")
    bad = write(tmp_path, "cycle.yaml", text)
    with pytest.raises(CaseFileError) as err:
        ingest_case_file(empty_store, bad)
    assert "relationships[1]" in str(err.value) and "closes a cycle" in str(err.value)
    assert empty_store.read("MATCH (n) RETURN count(n) AS c")[0]["c"] == 0
    # a chain without a cycle is fine
    ok = write(tmp_path, "chain.yaml", text.replace(f"  - {{type: {rel_type}, from: org-u-ministry, to: org-u-unit}}\n", ""))
    ingest_case_file(empty_store, ok)


def test_a_reorganisation_that_reverses_a_hierarchy_is_not_a_cycle(empty_store, tmp_path):
    text = PART_OF.replace("  - {type: PART_OF, from: inc-u, to: op-u}\n", "")
    text = text.replace("type: PART_OF, from: org-u-unit, to: org-u-ministry}",
                        "type: REPORTS_TO, from: org-u-unit, to: org-u-ministry, endDate: '2015'}")
    text += "  - {type: REPORTS_TO, from: org-u-ministry, to: org-u-unit, startDate: '2020'}\n"
    ingest_case_file(empty_store, write(tmp_path, "reorg.yaml", text))
    overlapping = write(tmp_path, "overlap.yaml", text.replace("startDate: '2020'", "startDate: '2014'"))
    with pytest.raises(CaseFileError, match="closes a cycle"):
        load_case_file(overlapping)


@pytest.mark.parametrize("value", ["2024-13-01", "2024-02-30"])
def test_an_unquoted_bad_date_is_located_like_a_quoted_one(tmp_path, value):
    """Regression (newcomer): an unquoted `date: 2024-13-01` gave only 'invalid value:
    month must be in 1..12' with no record or field; quoted, the error named both."""
    text = GOOD.replace('date: "2024-08"', f"date: {value}")
    with pytest.raises(CaseFileError) as unquoted:
        load_case_file(write(tmp_path, "bad.yaml", text))
    with pytest.raises(CaseFileError) as quoted:
        load_case_file(write(tmp_path, "bad-quoted.yaml", text.replace(f"date: {value}", f'date: "{value}"')))
    assert "relationships[0]" in str(unquoted.value) and "date" in str(unquoted.value)
    assert str(unquoted.value).replace("bad.yaml", "") == str(quoted.value).replace("bad-quoted.yaml", "")


def test_unquoted_good_dates_load_as_written(tmp_path):
    case = load_case_file(write(tmp_path, "ok.yaml", GOOD.replace('date: "2024-08"', "date: 2024-08-03")))
    assert case.relationships[0].date == "2024-08-03"
