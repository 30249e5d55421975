"""Entity resolution reviewed by a person (issue 9 case 3): candidates with score and
reasons, judgements recorded as data, never a join by score. Both backends."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from repgraph import resolution as R
from repgraph.ingest import ingest_case_file
from repgraph.matching import Record, candidate_pairs, name_tokens, score

PEOPLE = """
dataset: {name: people, title: Fake people, synthetic: true}
nodes:
  - {label: Source, id: src-p, name: Fake Source P, type: report, title: Fake Source P}
  - {label: Person, id: person-pe, name: Pedro Ejemplo Núñez, roles: [official], citations: [{source: src-p, quote: "Pedro Ejemplo Núñez"}]}
  - {label: Person, id: person-pedro-ejemplo, name: Pedro Ejemplo Nunez, roles: [official]}
  - {label: Person, id: person-juan-ejemplo, name: Juan Ejemplo Núñez, roles: [official]}
  - {label: Person, id: p-ana, name: Ana Ficticia, roles: [defender], birthDate: "1970-01-01"}
  - {label: Person, id: p-marta, name: Marta Inventada, roles: [defender], birthDate: "1970-01-01"}
  - {label: Organization, id: org-pe, name: Pedro Ejemplo Nunez, kind: ngo}
  - {label: Organization, id: org-unit, name: Fake Unit, kind: police}
relationships:
  - {type: MEMBER_OF, from: person-pe, to: org-unit}
  - {type: MEMBER_OF, from: person-pedro-ejemplo, to: org-unit}
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


@pytest.mark.parametrize("a, b", [
    ("Pedro Ejemplo Núñez", "NUÑEZ, Pedro Ejemplo"),          # list order
    ("Pedro Ejemplo Núñez", "Pedro Ejemplo Nunez"),           # accents
    ("Pedro Ejemplo Nu\u0303n\u0303ez", "Pedro Ejemplo Núñez"),  # NFD against NFC
    ("Pedro Ejemplo Núñez", "Pedro Ejemplo"),                 # dropped second surname
    ("EJEMPLO NÚÑEZ, Pedro", "Pedro Ejemplo"),
])
def test_name_forms_match(a, b):
    s, reasons = score(Record("a", "Person", a), Record("b", "Person", b))
    assert s >= 0.9 and reasons[0].startswith("names match")


def test_quoted_nickname_is_an_alias_and_matches():
    assert name_tokens("Nicolás “Nico” Ejemplo") == ("nicolas", "ejemplo")
    nico = Record("a", "Person", "Nicolás “Nico” Ejemplo")
    assert ("nico",) in nico.forms
    assert score(nico, Record("b", "Person", "Nicolas Ejemplo"))[0] == 1.0


@pytest.mark.parametrize("a, b", [
    ("Pedro Ejemplo Núñez", "Juan Ejemplo Núñez"),    # father and son
    ("Kaxo Testofficial 12", "Kaxo Testofficial 13"),  # numbered fake names
    ("Ana Ficticia", "Marta Inventada"),
])
def test_different_people_stay_apart(a, b):
    assert score(Record("a", "Person", a), Record("b", "Person", b))[0] < 0.7


def test_a_shared_birth_date_alone_never_matches_and_a_different_one_separates():
    assert score(Record("a", "Person", "Ana Ficticia", birth_date="1970"), Record("b", "Person", "Marta Inventada", birth_date="1970"))[0] == 0
    s, reasons = score(Record("a", "Person", "Pedro Ejemplo", birth_date="1950"), Record("b", "Person", "Pedro Ejemplo", birth_date="1980-02"))
    assert s < 0.7 and "different birth dates 1950 / 1980-02" in reasons


def test_shared_identifier_is_strong_evidence():
    s, reasons = score(Record("a", "Person", "A. Ficticia", identifiers=["cedula:V-1"]),
                       Record("b", "Person", "Ana Ficticia Ruiz", identifiers=["cedula:V-1"]))
    assert s >= 0.95 and "shared identifier cedula:V-1" in reasons
    assert not candidate_pairs([Record("a", "Person", "Ana Ficticia", identifiers=["cedula:V-1"]),
                                Record("b", "Person", "Ana Ficticia", identifiers=["cedula:V-2"])])


def test_dedupe_proposes_the_nunez_pair_only(empty_store, tmp_path):
    ingest_case_file(empty_store, write(tmp_path, "p.yaml", PEOPLE))
    found = R.dedupe(empty_store)
    assert [(c.a.id, c.b.id) for c in found] == [("person-pe", "person-pedro-ejemplo")]
    c = found[0]
    assert c.score == 1.0 and c.conflict is None
    assert any(r.startswith("names match") for r in c.reasons) and "shared links: org-unit" in c.reasons


def test_judgements_are_recorded_and_round_trip(empty_store, tmp_path):
    path = write(tmp_path, "p.yaml", PEOPLE)
    ingest_case_file(empty_store, path)
    j = R.merge(empty_store, "person-pedro-ejemplo", "person-pe", "same cédula in both sources", by="curator-1")
    assert (j.verdict, j.by, j.reason) == ("same", "curator-1", "same cédula in both sources")
    assert R.dedupe(empty_store) == []  # judged: not proposed again
    ingest_case_file(empty_store, path)  # judgements survive re-ingest
    assert R.judgements(empty_store)[("person-pe", "person-pedro-ejemplo")].verdict == "same"
    u = R.unmerge(empty_store, "person-pe", "person-pedro-ejemplo", by="curator-2")
    assert u.verdict == "different" and [h["verdict"] for h in u.history] == ["same"] and u.history[0]["by"] == "curator-1"
    assert R.dedupe(empty_store) == []  # an unmerge is a negative judgement: not proposed again
    with pytest.raises(R.JudgementError, match="not merged"):
        R.unmerge(empty_store, "person-pe", "person-pedro-ejemplo")


def test_merge_not_and_conflicts_for_review(empty_store, tmp_path):
    third = PEOPLE + "  - {type: MEMBER_OF, from: person-juan-ejemplo, to: org-unit}\n"
    third = third.replace("  - {label: Organization, id: org-pe", "  - {label: Person, id: person-list, name: \"NUÑEZ, Pedro Ejemplo\", roles: [official]}\n  - {label: Organization, id: org-pe")
    ingest_case_file(empty_store, write(tmp_path, "p.yaml", third))
    R.merge_not(empty_store, "person-pe", "person-pedro-ejemplo", "different fathers' names in the register", by="curator-1")
    found = {(c.a.id, c.b.id): c for c in R.dedupe(empty_store)}
    assert ("person-pe", "person-pedro-ejemplo") not in found
    # person-list matches both, which were judged different: a conflict for review
    assert "judged different" in found[("person-list", "person-pe")].conflict
    assert "judged different" in found[("person-list", "person-pedro-ejemplo")].conflict
    R.merge(empty_store, "person-list", "person-pe", "same list entry", by="curator-1")
    with pytest.raises(R.JudgementError, match="conflict for review"):
        R.merge(empty_store, "person-list", "person-pedro-ejemplo", "also the same?")


def test_person_and_organization_are_never_merged(empty_store, tmp_path):
    ingest_case_file(empty_store, write(tmp_path, "p.yaml", PEOPLE))
    with pytest.raises(R.JudgementError) as err:
        R.merge(empty_store, "person-pe", "org-pe", "same name")
    msg = str(err.value)
    assert "person-pe (Person, datasets people; sources src-p)" in msg and "org-pe (Organization, datasets people" in msg
    assert R.judgements(empty_store) == {}


def test_cli_dedupe_merge_unmerge_and_ingest_warning(tmp_path):
    from typer.testing import CliRunner

    from repgraph.cli import app

    db = str(tmp_path / "r.db")
    run = CliRunner().invoke
    out = run(app, ["ingest", str(write(tmp_path, "p.yaml", PEOPLE)), "--db", db])
    assert out.exit_code == 0, out.output
    text = " ".join(out.output.split())
    assert "warning: person-pe (Pedro Ejemplo Núñez) and person-pedro-ejemplo (Pedro Ejemplo Nunez) may be one person" in text
    assert "person-juan-ejemplo" not in text and "p-marta" not in text
    listed = json.loads(run(app, ["dedupe", "--db", db, "-f", "json"]).output)
    assert [(c["a"]["id"], c["b"]["id"], c["score"]) for c in listed] == [("person-pe", "person-pedro-ejemplo", 1.0)]
    assert run(app, ["merge", "person-pe", "person-pedro-ejemplo", "--db", db]).exit_code == 2  # --reason required
    out = run(app, ["merge", "person-pe", "person-pedro-ejemplo", "--reason", "same person", "--by", "curator-1", "--db", db])
    assert out.exit_code == 0 and "are the same entity (by curator-1" in out.output
    refused = run(app, ["merge", "person-pe", "org-pe", "--reason", "x", "--db", db])
    assert refused.exit_code == 2 and "org-pe (Organization" in " ".join(refused.output.split())
    assert run(app, ["unmerge", "person-pe", "person-pedro-ejemplo", "--db", db]).exit_code == 0
    assert json.loads(run(app, ["dedupe", "--db", db, "-f", "json"]).output) == []


def test_a_chain_of_merges_cannot_join_ids_judged_different(empty_store, tmp_path):
    """Sameness is transitive: list = pe and pe = juan make list = juan. Merging list with
    pedro-ejemplo, judged different from juan, joined them: only one hop was checked."""
    third = PEOPLE.replace("  - {label: Organization, id: org-pe", "  - {label: Person, id: person-list, name: \"NUÑEZ, Pedro Ejemplo\", roles: [official]}\n  - {label: Organization, id: org-pe")
    ingest_case_file(empty_store, write(tmp_path, "p.yaml", third))
    R.merge(empty_store, "person-pe", "person-juan-ejemplo", "same cédula", by="curator-1")
    R.merge(empty_store, "person-list", "person-pe", "same list entry", by="curator-1")
    R.merge_not(empty_store, "person-juan-ejemplo", "person-pedro-ejemplo", "different register entries", by="curator-2")
    with pytest.raises(R.JudgementError, match="conflict for review: person-juan-ejemplo and person-pedro-ejemplo were judged different"):
        R.merge(empty_store, "person-list", "person-pedro-ejemplo", "same name")
    assert ("person-list", "person-pedro-ejemplo") not in R.judgements(empty_store)
    R.unmerge(empty_store, "person-pe", "person-juan-ejemplo", by="curator-2")  # the chain is broken: allowed again
    assert R.merge(empty_store, "person-list", "person-pedro-ejemplo", "same name").verdict == "same"


def test_merge_not_refuses_ids_a_chain_of_merges_joins(empty_store, tmp_path):
    ingest_case_file(empty_store, write(tmp_path, "p.yaml", PEOPLE))
    R.merge(empty_store, "person-pe", "person-juan-ejemplo", "same cédula", by="curator-1")
    R.merge(empty_store, "person-juan-ejemplo", "person-pedro-ejemplo", "same passport", by="curator-1")
    with pytest.raises(R.JudgementError, match="person-pe and person-pedro-ejemplo are joined by a chain of merges"):
        R.merge_not(empty_store, "person-pe", "person-pedro-ejemplo")
    assert ("person-pe", "person-pedro-ejemplo") not in R.judgements(empty_store)
    # a direct merge is overruled, as by unmerge
    assert R.merge_not(empty_store, "person-juan-ejemplo", "person-pedro-ejemplo").verdict == "different"
    assert R.merge_not(empty_store, "person-pe", "person-pedro-ejemplo").verdict == "different"
