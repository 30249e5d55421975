"""Issue 11's questions on the synthetic dossier fixture (fake names), on both backends:
sanctions as of a date (before and after a delisting), the gap list, relatives and
associates (not guilt by association), command responsibility per post with "may have
held", evidence strength, and exculpatory information. Exact expected answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from repgraph import accountability as A
from repgraph.ingest import ingest_case_file
from repgraph.service import NotFound

from conftest import BACKENDS, SYNTHETIC, fresh_store

DOSSIER_FIXTURE = Path(__file__).parent / "fixtures" / "dossier.yaml"


@pytest.fixture(params=BACKENDS, scope="module")
def store(request, tmp_path_factory):
    """The synthetic network and the dossier fixture, once per backend and module."""
    st = fresh_store(request.param, tmp_path_factory.mktemp("acc"), request)
    ingest_case_file(st, SYNTHETIC)
    ingest_case_file(st, DOSSIER_FIXTURE)
    yield st
    st.close()


def _as_of(store, day, authority=None):
    return [(e.entity.id, [s.id for s in e.sanctions]) for e in A.sanctioned_as_of(store, day, authority).items]


@pytest.mark.parametrize("day, expected", [
    ("2020-01-14", []),                                                     # before any listing
    ("2020-01-15", [("p-dos-general", ["sanc-dos-eu"])]),                   # the EU listing day
    ("2021-06-01", [("p-dos-general", ["sanc-dos-us", "sanc-dos-eu"])]),    # Canada's 2021 (year) not yet certain
    ("2022-01-01", [("p-dos-successor", ["sanc-dos-ca-ana"]), ("p-dos-general", ["sanc-dos-us", "sanc-dos-eu"])]),
    ("2022-06-29", [("p-dos-successor", ["sanc-dos-ca-ana"]), ("p-dos-general", ["sanc-dos-us", "sanc-dos-eu"])]),
    ("2022-06-30", [("p-dos-successor", ["sanc-dos-ca-ana"]), ("p-dos-general", ["sanc-dos-us"])]),  # delisted that day
    ("2024-01-01", [("p-dos-successor", ["sanc-dos-ca-ana"]), ("p-dos-general", ["sanc-dos-us"])]),
])
def test_sanctioned_as_of_before_and_after_the_delisting(store, day, expected):
    assert _as_of(store, day) == expected


def test_sanctioned_as_of_one_authority(store):
    assert _as_of(store, "2022-01-01", "eu") == [("p-dos-general", ["sanc-dos-eu"])]
    assert _as_of(store, "2023-01-01", "eu") == []


def test_sanctioned_as_of_refuses_bad_input(store):
    with pytest.raises(ValueError, match="date: give a full day"):
        A.sanctioned_as_of(store, "2022-01")
    with pytest.raises(ValueError, match="authority: one of"):
        A.sanctioned_as_of(store, "2022-01-01", "nato")


@pytest.mark.parametrize("route", ["/queries/sanctioned-as-of", "/queries/sanctions-gap?by=us_ofac&not_by=eu",
                                   "/persons/p-dos-general/dossier"])
def test_api_dates_are_iso_days_only(store, route):
    # pydantic read `9.07e-89` (found by schemathesis) as a Unix time, 1970-01-01, and answered 200
    from api_access import client_for

    sep = "&" if "?" in route else "?"
    with client_for(store, "admin") as client:
        for bad in ("9.07e-89", "2019", "1700000000", "2022-02-30"):
            r = client.get(f"{route}{sep}date={bad}")
            assert r.status_code == 422, (bad, r.text)
            assert r.json()["detail"][0]["loc"] == ["query", "date"]
        assert client.get(f"{route}{sep}date=2022-01-01").status_code == 200


def test_sanctions_gap(store):
    gap = A.sanctions_gap(store, "us_ofac", "eu", "2023-01-01")
    assert [(e.entity.id, [s.id for s in e.sanctions]) for e in gap.items] == [("p-dos-general", ["sanc-dos-us"])]
    assert A.sanctions_gap(store, "us_ofac", "eu", "2022-01-01").items == []  # both in force then
    assert [e.entity.id for e in A.sanctions_gap(store, "canada", "us_ofac", "2023-01-01").items] == ["p-dos-successor"]


def test_sanctions_of_keeps_lifted_ones_with_their_own_sources(store):
    sanctions = {s.id: s for s in A.sanctions_of(store, "p-dos-general")}
    assert list(sanctions) == ["sanc-dos-us", "sanc-dos-eu"]  # authority order: us_ofac, eu
    us, eu = sanctions["sanc-dos-us"], sanctions["sanc-dos-eu"]
    assert (us.legal_basis, us.programme, us.list_id, us.listed_date, us.status) == (
        "E.O. 99999", "FAKELAND-EO99999", "FAKE-123", "2021-03-01", "active")
    assert (eu.listed_date, eu.end_date, eu.status) == ("2020-01-15", "2022-06-30", "lifted")
    assert [(c.source, c.source_title, c.quote) for c in eu.end_citations] == [
        ("src-dos-gazette", "Gaceta Ficticia de Sanciones", "Pedro Ejemplo Núñez is removed from the list as of 30 June 2022.")]


def test_relatives_and_associates_of_sanctioned_or_accused_only(store):
    rca = A.relatives_and_associates(store)
    assert [(a.person.id, a.why, a.type, a.relation, a.other.id, a.confidentiality) for a in rca] == [
        ("p-dos-general", ["accused", "proceeding", "sanctioned"], "ASSOCIATE_OF", "business partner", "p-dos-partner", "public"),
        ("p-dos-general", ["accused", "proceeding", "sanctioned"], "FAMILY_OF", "wife", "p-dos-wife", "restricted"),
    ]
    # the victim's brother and the synthetic defenders' relatives are no one's "associates"
    assert A.relatives_and_associates(store, "p-dos-victim") == []
    assert A.relatives_and_associates(store, "p-defender-alpha") == []


def test_command_responsibility_per_post(store):
    cr = A.command_responsibility(store, "p-dos-general")
    posts = {p.position.id: p for p in cr.posts}
    assert list(posts) == ["pos-dos-brigade-cmdr", "pos-dos-army-chief"]
    brigade, army = posts["pos-dos-brigade-cmdr"], posts["pos-dos-army-chief"]
    assert [(link.incident.id, link.certainty) for link in brigade.links] == [("inc-dos-raid-2019", "held")]
    assert [(e.kind, e.weakens.id, e.derived) for e in brigade.excluded] == [
        ("post_ended_before_incident", "inc-dos-detention-2021", True)]
    assert [(link.incident.id, link.certainty) for link in army.links] == [("inc-dos-army-killing-2022", "may_have_held")]
    assert army.links[0].statement == ("may have held Chief of Ejército Inventado (Ejército Inventado) at the incident's date "
                                       "(the end is not known)")
    # the successor held the brigade at the detention's date (current as of 2023-05-01)
    ana = A.command_responsibility(store, "p-dos-successor").posts[0]
    assert [(link.incident.id, link.certainty) for link in ana.links] == [("inc-dos-detention-2021", "held")]
    with pytest.raises(NotFound):
        A.command_responsibility(store, "org-dos-army")


def test_a_derived_link_is_never_stronger_than_its_allegation(store):
    army = A.command_responsibility(store, "p-dos-general").posts[1].links[0].evidence
    # the army's killing is alleged at 0.9; the tenure ("since at least 2021") at 0.7
    assert (army.lowest_confidence, army.highest_confidence, army.flags) == (0.7, 0.7, ["single_source", "derived"])
    raid = A.command_responsibility(store, "p-dos-general").posts[0].links[0].evidence
    # the raid is alleged at 0.6 and 0.8; the tenure at 0.9: the allegation bounds it
    assert (raid.lowest_confidence, raid.highest_confidence, raid.independent_sources) == (0.6, 0.8, 2)
    for ev in A.evidence_strength(store):
        for post in A.command_responsibility(store, "p-dos-general").posts:
            for link in post.links:
                if link.incident.id == ev.incident.id:
                    assert link.evidence.highest_confidence <= ev.highest_confidence


def test_evidence_strength_per_allegation(store):
    got = {(e.incident.id, e.perpetrator.id): e for e in A.evidence_strength(store) if e.incident.id.startswith("inc-dos")}
    summary = {k: (e.links, e.independent_sources, e.lowest_confidence, e.highest_confidence, e.single_source, e.flags)
               for k, e in got.items()}
    assert summary == {
        ("inc-dos-raid-2019", "org-dos-brigade"): (2, 2, 0.6, 0.8, False, []),
        # two articles of one publisher are one independent source
        ("inc-dos-detention-2021", "org-dos-brigade"): (1, 1, 0.7, 0.7, True, ["single_source"]),
        ("inc-dos-torture-2022", "p-dos-general"): (1, 1, 0.5, 0.5, True, ["single_source", "contested"]),
        ("inc-dos-bribe-2022", "p-dos-general"): (1, 1, 0.6, 0.6, True, ["single_source", "contested"]),
        ("inc-dos-bribe-2022", "p-dos-unnamed"): (1, 1, 0.6, 0.6, True, ["single_source"]),
        ("inc-dos-army-killing-2022", "org-dos-army"): (1, 1, 0.9, 0.9, True, ["single_source"]),
    }
    assert [s.publisher for s in got[("inc-dos-raid-2019", "org-dos-brigade")].sources] == ["ONG Ficticia", "Diario Inventado"]  # by source id
    assert [e.perpetrator.id for e in A.evidence_strength(store, incident_id="inc-dos-bribe-2022")] == ["p-dos-general", "p-dos-unnamed"]


def test_exculpatory_information_is_tied_to_what_it_weakens(store):
    ev = {e.incident.id: e for e in A.evidence_strength(store, perpetrator_id="p-dos-general")}
    assert [(x.kind, x.id, x.perpetrator) for x in ev["inc-dos-torture-2022"].exculpatory] == [("denial", "ex-dos-denial", "p-dos-general")]
    assert [(x.kind, x.id, x.label) for x in ev["inc-dos-bribe-2022"].exculpatory] == [("acquittal", "pr-dos-acquittal", "Proceeding")]
    # the acquittal weakens Pedro's link only, not the unnamed businessman's
    other = A.evidence_strength(store, perpetrator_id="p-dos-unnamed")
    assert [x.exculpatory for x in other] == [[]]
    assert {k: [x.kind for x in v] for k, v in A.exculpatory_for(store, ["sanc-dos-eu", "sanc-dos-us"]).items()} == {
        "sanc-dos-eu": ["delisting"]}


@pytest.mark.parametrize("in_database", [True, False], ids=["cypher-page", "python-join"])
def test_officials_cases_says_may_have_held_where_a_tenure_is_open(store, in_database, monkeypatch):
    """The older officials-cases answer marks command links by the same rule (both paths)."""
    from repgraph import service as S

    if in_database and not store.sorts_in_database:
        pytest.skip("the Cypher page is Neo4j's path")
    monkeypatch.setattr(store, "sorts_in_database", in_database)
    got = {(c.perpetrator.id, c.incident.id): c.certainty for c in S.officials_cases(store) if c.role == "command"
           and c.incident.id.startswith("inc-dos")}
    assert got == {  # the old army chief's term (2015-2020) ended before the 2022 killing: no link
        ("p-dos-general", "inc-dos-raid-2019"): "held",
        ("p-dos-general", "inc-dos-army-killing-2022"): "may_have_held",
        ("p-dos-successor", "inc-dos-detention-2021"): "held",
    }


UNDATED = """
dataset: {name: undated-sanctions, title: Fake sanctions with coarse dates, synthetic: true}
nodes:
  - {label: Source, id: src-und, name: Lista Ficticia, type: report, title: Lista Ficticia}
  - {label: Person, id: p-und-x, name: Equis Ficticio, roles: [official]}
  - {label: Person, id: p-und-y, name: Ye Inventada, roles: [official]}
  - {label: Person, id: p-und-z, name: Zeta Falso, roles: [official]}
  - {label: Sanction, id: s-und-x-us, name: US x, authority: us_ofac, listedDate: "2021-03-01", citations: [{source: src-und, quote: q}]}
  - {label: Sanction, id: s-und-x-eu, name: EU x, authority: eu, citations: [{source: src-und, quote: q}]}
  - {label: Sanction, id: s-und-y-us, name: US y, authority: us_ofac, listedDate: "2021-03-01", citations: [{source: src-und, quote: q}]}
  - {label: Sanction, id: s-und-y-eu, name: EU y, authority: eu, listedDate: "2023", citations: [{source: src-und, quote: q}]}
  - {label: Sanction, id: s-und-z-us, name: US z, authority: us_ofac, listedDate: "2021-03-01", citations: [{source: src-und, quote: q}]}
  - {label: Sanction, id: s-und-z-eu, name: EU z, authority: eu, listedDate: "2020", status: lifted, citations: [{source: src-und, quote: q}]}
relationships:
  - {type: SANCTIONED, from: s-und-x-us, to: p-und-x}
  - {type: SANCTIONED, from: s-und-x-eu, to: p-und-x}
  - {type: SANCTIONED, from: s-und-y-us, to: p-und-y}
  - {type: SANCTIONED, from: s-und-y-eu, to: p-und-y}
  - {type: SANCTIONED, from: s-und-z-us, to: p-und-z}
  - {type: SANCTIONED, from: s-und-z-eu, to: p-und-z}
"""


@pytest.mark.parametrize("day, items, unknown", [
    # x: EU listing without a date; y: EU listing "2023" (a year); z: EU lifted, no end date
    ("2022-01-01", ["p-und-y"], ["p-und-x", "p-und-z"]),
    ("2023-05-01", [], ["p-und-x", "p-und-y", "p-und-z"]),
    ("2024-01-01", [], ["p-und-x", "p-und-z"]),   # y certainly under the EU listing by then
])
def test_sanctions_gap_never_claims_a_gap_the_dates_cannot_tell(empty_store, tmp_path, day, items, unknown):
    """Regression: a not_by sanction with no listed date (or a coarse one, or a lift with
    no date) counted as "not in force", so the person was put on the gap list as
    certainly unsanctioned by the EU."""
    path = tmp_path / "undated.yaml"
    path.write_text(UNDATED, encoding="utf-8")
    ingest_case_file(empty_store, path)
    gap = A.sanctions_gap(empty_store, "us_ofac", "eu", day)
    assert [e.entity.id for e in gap.items] == items
    assert [e.entity.id for e in gap.unknown] == unknown
    for e in gap.unknown:  # both sides shown for review
        assert {s.authority for s in e.sanctions} == {"us_ofac", "eu"}


def test_dossier_gap_says_when_the_dates_cannot_tell(empty_store, tmp_path):
    from repgraph.dossier import build_dossier

    path = tmp_path / "undated.yaml"
    path.write_text(UNDATED, encoding="utf-8")
    ingest_case_file(empty_store, path)
    gap = build_dossier(empty_store, "p-und-x", on="2022-01-01").sanctions_gap
    assert (gap.in_force_by, gap.unknown_by) == (["us_ofac"], ["eu"])
    assert "eu" not in gap.not_by and "uk" in gap.not_by
    gap_y = build_dossier(empty_store, "p-und-y", on="2022-01-01").sanctions_gap
    assert (gap_y.in_force_by, gap_y.unknown_by) == (["us_ofac"], []) and "eu" in gap_y.not_by
